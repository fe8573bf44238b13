// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {ISFC} from "../interfaces/ISFC.sol";
import {SFCReader} from "../libraries/SFCReader.sol";

/// @title Benchmark baseline: a naive staking vault for the unbonding simulation (`npm run bench`)
/// @notice Offers holders what the pool offers (deposits for shares; withdrawal requests fixed in FTM at
/// request time, paid `min(amount, value of the locked shares)` once funded; rewards harvested into the
/// share price) and talks to the same kind of SFC, but allocates naively: each round (`process`) it moves
/// every validator exactly to its target: it undelegates every excess over target and delegates every
/// shortfall, with no threshold, no ordering and no budget. Validators that are deactivated or slashed get
/// target 0 (their weight is spread over the others in proportion, as the pool does), so they are drained.
///
/// Two variants, fixed at deployment:
/// - `netFlows = false` ("naive"): flows are not netted. Every withdrawal is served by undelegating (it is
///   paid from FTM that comes back from unbonding, never from deposits), and every deposit is delegated.
///   Undelegation targets are computed without the new deposits; delegation targets with them.
/// - `netFlows = true` ("naive, netted"): one target vector over everything held net of what is owed
///   (`stake + idle + unbonding − owed`, as the pool computes it); owed withdrawals are paid from any idle
///   FTM, deposits included. What remains different from the pool is the move rule above.
/// In both variants FTM already unbonding counts towards what is owed and towards the targets, so a
/// target change does not make the vault undelegate again while the first undelegation is in flight.
///
/// Not part of the protocol: it keeps only what the simulation needs (no ERC-20, no roles beyond an owner).
contract NaiveStaker {
    using SFCReader for ISFC;

    uint256 internal constant BPS = 10_000;

    struct Request {
        address owner;
        uint128 amount;
        uint128 shares;
    }

    struct Unbonding {
        uint256 validatorId;
        uint256 wrId;
        uint256 amount; // raw, as the SFC records it
    }

    ISFC public immutable sfc;
    SFCReader.Layout public immutable sfcLayout;
    bool public immutable netFlows;
    address public immutable owner;

    uint256[] private _ids;
    mapping(uint256 id => uint256) public weightOf;
    mapping(uint256 id => uint256) public stakeRaw;
    mapping(uint256 id => uint256) public unbondingRaw;
    Unbonding[] private _unbondings;
    uint256 public nextWrId = 1;

    uint256 public cash; // deposits and rewards (and, when netFlows, FTM back from unbonding)
    uint256 public returned; // FTM back from unbonding (netFlows = false): pays withdrawals, the rest is restaked
    uint256 public demand; // FTM owed to requests not yet paid

    uint256 public totalShares;
    mapping(address => uint256) public sharesOf;
    mapping(uint256 => Request) private _requests;
    uint256 public nextRequestId = 1;
    uint256 public nextToPay = 1;

    // Counters for the benchmark.
    uint256 public totalDeposited;
    uint256 public totalPaid;
    uint256 public totalRewards;
    uint256 public totalUndelegated; // raw FTM sent into unbonding
    uint256 public undelegations;
    uint256 public totalDelegated;

    event Deposited(address indexed holder, uint256 amount, uint256 shares);
    event WithdrawalRequested(uint256 indexed id, address indexed holder, uint256 amount, uint256 shares);
    event WithdrawalPaid(uint256 indexed id, address indexed holder, uint256 amount);
    event Delegated(uint256 indexed validatorId, uint256 amount);
    event Undelegated(uint256 indexed validatorId, uint256 wrId, uint256 amount);

    /// @notice Only the owner of the baseline staker can set its targets.
    error NaiveStaker__NotOwner();
    /// @notice The baseline staker accepts plain FTM only from the SFC.
    error NaiveStaker__UnexpectedSender();
    /// @notice The caller holds fewer baseline shares than the withdrawal asks for.
    error NaiveStaker__InsufficientShares();
    /// @notice The amount is zero.
    error NaiveStaker__ZeroAmount();
    /// @notice The recipient did not accept the payment.
    error NaiveStaker__PaymentFailed();
    /// @notice The baseline staker's target weights do not sum to 10,000 bps.
    error NaiveStaker__WeightsSum();

    constructor(ISFC sfc_, SFCReader.Layout sfcLayout_, bool netFlows_) {
        sfc = sfc_;
        sfcLayout = sfcLayout_;
        netFlows = netFlows_;
        owner = msg.sender;
    }

    receive() external payable {
        if (msg.sender != address(sfc)) revert NaiveStaker__UnexpectedSender();
    }

    /// @notice The target vector (owner): ids with their weights in bps, summing to 10,000. Validators named
    /// before and not now keep weight 0.
    function setTargets(uint256[] calldata validatorIds, uint256[] calldata weightsBps) external {
        if (msg.sender != owner) revert NaiveStaker__NotOwner();
        for (uint256 i; i < _ids.length; ++i) {
            weightOf[_ids[i]] = 0;
        }
        uint256 sum;
        for (uint256 i; i < validatorIds.length; ++i) {
            if (!_known(validatorIds[i])) _ids.push(validatorIds[i]);
            weightOf[validatorIds[i]] = weightsBps[i];
            sum += weightsBps[i];
        }
        if (sum != BPS) revert NaiveStaker__WeightsSum();
    }

    // ------------------------------------------------------------------ holders

    function stake(address receiver) external payable returns (uint256 shares) {
        if (msg.value == 0) revert NaiveStaker__ZeroAmount();
        uint256 assets = totalAssets();
        shares = totalShares == 0 || assets == 0 ? msg.value : msg.value * totalShares / assets;
        totalShares += shares;
        sharesOf[receiver] += shares;
        cash += msg.value;
        totalDeposited += msg.value;
        emit Deposited(receiver, msg.value, shares);
    }

    /// @notice Requests `amount` FTM of the caller's holding; the shares are locked until paid.
    function requestWithdrawal(uint256 amount) external returns (uint256 id) {
        if (amount == 0) revert NaiveStaker__ZeroAmount();
        uint256 assets = totalAssets();
        uint256 shares = (amount * totalShares + assets - 1) / assets;
        if (shares > sharesOf[msg.sender]) revert NaiveStaker__InsufficientShares();
        sharesOf[msg.sender] -= shares;
        id = nextRequestId++;
        _requests[id] = Request(msg.sender, uint128(amount), uint128(shares));
        demand += amount;
        emit WithdrawalRequested(id, msg.sender, amount, shares);
    }

    function balanceOf(address holder) external view returns (uint256) {
        return totalShares == 0 ? 0 : sharesOf[holder] * totalAssets() / totalShares;
    }

    // ------------------------------------------------------------------ the round

    /// @notice One full round: harvest rewards, withdraw matured SFC requests, pay what can be paid, then
    /// move every validator to its target.
    function process() external {
        uint256 n = _ids.length;
        for (uint256 i; i < n; ++i) {
            uint256 id = _ids[i];
            if (stakeRaw[id] == 0 || sfc.pendingRewards(address(this), id) == 0) continue;
            uint256 before = address(this).balance;
            sfc.claimRewards(id);
            uint256 got = address(this).balance - before;
            cash += got;
            totalRewards += got;
        }
        for (uint256 k; k < _unbondings.length;) {
            Unbonding memory u = _unbondings[k];
            uint256 before = address(this).balance;
            try sfc.withdraw(u.validatorId, u.wrId) {
                uint256 got = address(this).balance - before;
                unbondingRaw[u.validatorId] -= u.amount;
                if (netFlows) cash += got;
                else returned += got;
                _unbondings[k] = _unbondings[_unbondings.length - 1];
                _unbondings.pop();
            } catch {
                ++k;
            }
        }
        _payRequests();
        _rebalance();
    }

    function _payRequests() private {
        while (nextToPay < nextRequestId) {
            Request memory r = _requests[nextToPay];
            uint256 value = uint256(r.shares) * totalAssets() / totalShares;
            uint256 pay = r.amount < value ? r.amount : value;
            uint256 available = netFlows ? cash : returned;
            if (pay > available) break;
            if (netFlows) cash -= pay;
            else returned -= pay;
            demand -= r.amount;
            totalShares -= r.shares;
            totalPaid += pay;
            ++nextToPay;
            emit WithdrawalPaid(nextToPay - 1, r.owner, pay);
            (bool ok,) = r.owner.call{value: pay}("");
            if (!ok) revert NaiveStaker__PaymentFailed();
        }
    }

    /// @dev The raw weights scaled over the eligible validators to sum to 10,000 (the remainder on the last
    /// weighted one); equal shares when no eligible validator has weight; 0 for the ineligible.
    function _normalise(uint256[] memory raw, bool[] memory eligible) private pure returns (uint256[] memory w) {
        uint256 n = raw.length;
        w = new uint256[](n);
        uint256 sum;
        uint256 count;
        for (uint256 i; i < n; ++i) {
            if (!eligible[i]) continue;
            sum += raw[i];
            ++count;
        }
        if (count == 0) return w;
        uint256 given;
        uint256 last;
        for (uint256 i; i < n; ++i) {
            if (!eligible[i]) continue;
            w[i] = sum == 0 ? BPS / count : raw[i] * BPS / sum;
            if (sum == 0 || raw[i] > 0) last = i;
            given += w[i];
        }
        w[last] += BPS - given;
    }

    function _rebalance() private {
        uint256 n = _ids.length;
        uint256[] memory w;
        bool[] memory eligible = new bool[](n);
        uint256[] memory stakeValue = new uint256[](n);
        uint256 staked;
        uint256 unbonding;
        {
            uint256[] memory raw = new uint256[](n);
            for (uint256 i; i < n; ++i) {
                uint256 id = _ids[i];
                eligible[i] = !sfc.isSlashed(id) && sfc.validator(sfcLayout, id).status == SFCReader.STATUS_OK;
                raw[i] = weightOf[id];
                stakeValue[i] = _value(id, stakeRaw[id]);
                staked += stakeValue[i];
                unbonding += _value(id, unbondingRaw[id]);
            }
            w = _normalise(raw, eligible);
        }
        // Position net of what is owed; new deposits (cash) are left out of the undelegation targets when
        // flows are not netted.
        uint256 held = staked + returned + unbonding + (netFlows ? cash : 0);
        uint256 total = held > demand ? held - demand : 0;
        for (uint256 i; i < n; ++i) {
            uint256 id = _ids[i];
            uint256 target = eligible[i] ? total * w[i] / BPS : 0;
            if (stakeValue[i] <= target || stakeRaw[id] == 0) continue;
            uint256 raw = eligible[i] ? stakeValue[i] - target : stakeRaw[id];
            if (!eligible[i] && sfc.isSlashed(id) && sfc.slashingRefundRatio(id) == 0) continue;
            _undelegate(id, raw);
            staked -= stakeValue[i] - _value(id, stakeRaw[id]);
            unbonding += stakeValue[i] - _value(id, stakeRaw[id]);
            stakeValue[i] = _value(id, stakeRaw[id]);
        }
        held = staked + returned + unbonding + cash;
        total = held > demand ? held - demand : 0;
        // What may be delegated: netted, idle FTM not earmarked for what is owed beyond the FTM already
        // unbonding; not netted, every deposit plus what came back from unbonding beyond what is owed.
        uint256 surplus = !netFlows && returned > demand ? returned - demand : 0;
        uint256 free = cash + surplus;
        if (netFlows) {
            uint256 earmarked = demand > unbonding ? demand - unbonding : 0;
            free = cash > earmarked ? cash - earmarked : 0;
        }
        uint256 maxRatio = SFCReader.consts(sfc).maxDelegatedRatio();
        for (uint256 i; i < n && free > 0; ++i) {
            if (!eligible[i]) continue;
            uint256 id = _ids[i];
            uint256 target = total * w[i] / BPS;
            if (stakeValue[i] >= target) continue;
            uint256 give = target - stakeValue[i];
            uint256 room = sfc.room(sfcLayout, maxRatio, id);
            if (give > room) give = room;
            if (give > free) give = free;
            if (give == 0) continue;
            sfc.delegate{value: give}(id);
            stakeRaw[id] += give;
            uint256 fromReturned = give < surplus ? give : surplus;
            surplus -= fromReturned;
            returned -= fromReturned;
            cash -= give - fromReturned;
            free -= give;
            totalDelegated += give;
            emit Delegated(id, give);
        }
    }

    function _undelegate(uint256 id, uint256 raw) private {
        uint256 wrId = nextWrId++;
        sfc.undelegate(id, wrId, raw);
        stakeRaw[id] -= raw;
        unbondingRaw[id] += raw;
        _unbondings.push(Unbonding(id, wrId, raw));
        totalUndelegated += raw;
        ++undelegations;
        emit Undelegated(id, wrId, raw);
    }

    // ------------------------------------------------------------------ views

    /// @notice Everything held for the holders: idle, stake and unbonding at their (slashed) value.
    function totalAssets() public view returns (uint256 sum) {
        sum = cash + returned;
        for (uint256 i; i < _ids.length; ++i) {
            uint256 id = _ids[i];
            sum += _value(id, stakeRaw[id] + unbondingRaw[id]);
        }
    }

    function idle() external view returns (uint256) {
        return cash + returned;
    }

    function unbondingValue() external view returns (uint256 sum) {
        for (uint256 i; i < _ids.length; ++i) {
            sum += _value(_ids[i], unbondingRaw[_ids[i]]);
        }
    }

    function ids() external view returns (uint256[] memory) {
        return _ids;
    }

    function _value(uint256 id, uint256 raw) private view returns (uint256) {
        if (raw == 0 || !sfc.isSlashed(id)) return raw;
        uint256 ratio = sfc.slashingRefundRatio(id);
        return raw * (ratio > 1e18 ? 1e18 : ratio) / 1e18;
    }

    function _known(uint256 id) private view returns (bool) {
        for (uint256 i; i < _ids.length; ++i) {
            if (_ids[i] == id) return true;
        }
        return false;
    }
}
