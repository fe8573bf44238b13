// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {AccessControl} from "@openzeppelin/contracts/access/AccessControl.sol";
import {ReentrancyGuard} from "@openzeppelin/contracts/utils/ReentrancyGuard.sol";
import {ISFC} from "./interfaces/ISFC.sol";
import {SFCReader} from "./libraries/SFCReader.sol";
import {Allocation} from "./libraries/Allocation.sol";
import {AllocationPlanner} from "./AllocationPlanner.sol";
import {StakedFTM} from "./StakedFTM.sol";
import {WrappedStakedFTM} from "./WrappedStakedFTM.sol";
import {ValidatorRegistry} from "./ValidatorRegistry.sol";

/// @title The staking pool: holds FTM, delegates it through the SFC and keeps the books
/// @notice `totalPooledFTM = idle + Σ booked stake + Σ booked unbonding`; FTM reserved for finalised
/// withdrawal requests is outside it, and so is any FTM forced into the contract. Withdrawal requests
/// are fixed in FTM when made and paid `min(requested, value of their locked shares at finalisation)`:
/// stake that is unbonding earns nothing, and a loss booked before finalisation is shared by everyone.
contract StakingPool is AccessControl, ReentrancyGuard {
    using SFCReader for ISFC;

    bytes32 public constant OPERATOR_ROLE = keccak256("OPERATOR_ROLE");
    bytes32 public constant PAUSER_ROLE = keccak256("PAUSER_ROLE");
    uint256 public constant BPS = 10_000;
    uint256 public constant MAX_FEE_BPS = 2_000;
    uint256 public constant MIN_DEAD_SHARES_DEPOSIT = 1 ether;
    uint256 public constant MAX_KEEPER_GRACE = 30 days;
    address public constant DEAD = 0x000000000000000000000000000000000000dEaD;

    enum Action {
        Stake,
        Withdraw,
        Process
    }

    enum RequestStatus {
        None,
        Pending,
        Finalised,
        Claimed
    }

    enum Phase {
        Idle,
        Harvest,
        Withdraw,
        Finalise,
        Rebalance
    }

    struct WithdrawalRequest {
        address owner;
        uint40 requestedAt;
        RequestStatus status;
        uint128 amount; // FTM wei owed at request time
        uint128 lockedShares;
        uint128 finalisedAmount; // FTM wei paid on claim
    }

    /// @dev One SFC withdrawal request of the pool (an undelegation in flight).
    struct Unbonding {
        uint64 validatorId;
        uint64 wrId;
        uint64 epoch;
        uint64 time;
        uint256 amount; // FTM wei, at the SFC's (unslashed) value
    }

    /// @dev The pool's position at one validator. Raw amounts are what the SFC records; booked values
    /// apply the refund ratio once the validator is slashed.
    struct Book {
        uint128 stakeRaw;
        uint128 unbondingRaw;
        bool slashed;
        uint64 refundRatio; // 1e18 = full refund; meaningful only when slashed
    }

    struct Round {
        Phase phase;
        uint32 cursor;
        uint64 startedAt;
        uint128 driftUsed; // FTM undelegated for drift in this round
    }

    ISFC public immutable sfc;
    SFCReader.Layout public immutable sfcLayout;
    StakedFTM public immutable stFTM;
    ValidatorRegistry public immutable registry;
    AllocationPlanner public immutable planner;
    WrappedStakedFTM public wstFTM;

    // Governed parameters.
    address public treasury;
    uint256 public feeBps;
    uint256 public minStake = 0.01 ether;
    uint256 public rebalanceThresholdBps = 50;
    uint256 public maxUndelegatePerRound = type(uint128).max;
    uint256 public keeperGracePeriod = 24 hours;

    // Books (FTM wei).
    uint256 private _idle;
    uint256 public reservedFTM;
    uint256 private _pendingDemand;
    uint256 public totalStakeBooked;
    uint256 public totalUnbondingBooked;
    mapping(uint256 validatorId => Book) private _books;

    // Withdrawal queue.
    mapping(uint256 requestId => WithdrawalRequest) private _requests;
    mapping(address owner => uint256[]) private _requestsOf;
    uint256 public nextRequestId = 1;
    uint256 public nextToFinalise = 1;

    // SFC withdrawals in flight.
    Unbonding[] private _unbondings;
    uint256 public nextWrId = 1;

    Round public round;
    uint256 public lastRoundCompletedAt;
    uint8 private _pausedMask;
    // How many validators' books are marked slashed (a mark is never cleared). While none is, planning reads
    // one storage slot of each book (the raw stake) instead of two.
    uint32 private _slashedBooks;

    event Staked(address indexed sender, address indexed receiver, uint256 amount, uint256 shares);
    event WithdrawalRequested(uint256 indexed requestId, address indexed owner, uint256 amount, uint256 shares);
    event WithdrawalFinalised(uint256 indexed requestId, address indexed owner, uint256 amount);
    event WithdrawalClaimed(uint256 indexed requestId, address indexed owner, address recipient, uint256 amount);
    event RewardsHarvested(uint256 indexed validatorId, uint256 amount);
    event SlashingBooked(uint256 indexed validatorId, uint256 refundRatio, uint256 lossOrGain, bool isLoss);
    event Delegated(uint256 indexed validatorId, uint256 amount);
    event Undelegated(uint256 indexed validatorId, uint256 wrId, uint256 amount, uint256 driftAmount);
    event UnbondingWithdrawn(uint256 indexed validatorId, uint256 wrId, uint256 expected, uint256 received);
    event MoveFailed(uint256 indexed validatorId, bool isDelegate, uint256 amount, bytes reason);
    event Processed(address indexed caller, uint256 steps, Phase phase, bool roundCompleted);
    event Rebalanced(uint256 roundStartedAt, uint256 totalPooledFTM);
    event Paused(Action action, address by);
    event Resumed(Action action, address by);
    event ParameterSet(bytes32 indexed name, uint256 value);
    event TreasurySet(address treasury);
    event WrapperBound(address wstFTM);
    event DeadSharesMinted(uint256 amount, uint256 shares);

    error StakingPool__BelowMinStake(uint256 amount, uint256 minStake);
    error StakingPool__BelowMinWithdrawal(uint256 amount, uint256 minimum);
    error StakingPool__ActionPaused(Action action);
    error StakingPool__UnexpectedSender(address sender);
    error StakingPool__ZeroAddress();
    error StakingPool__NotRequestOwner(uint256 requestId, address caller);
    error StakingPool__NotFinalised(uint256 requestId, RequestStatus status);
    error StakingPool__AlreadyClaimed(uint256 requestId);
    error StakingPool__InsufficientShares(uint256 needed, uint256 held);
    error StakingPool__NoRequests();
    error StakingPool__PaymentFailed(address recipient, uint256 amount);
    error StakingPool__KeeperTooEarly(uint256 openAt);
    error StakingPool__ZeroSteps();
    error StakingPool__FeeTooHigh(uint256 feeBps, uint256 maxFeeBps);
    error StakingPool__ValueOutOfRange(bytes32 name, uint256 value);
    error StakingPool__AlreadyInitialised();
    error StakingPool__NotInitialised();

    constructor(
        ISFC sfc_,
        SFCReader.Layout sfcLayout_,
        StakedFTM stFTM_,
        ValidatorRegistry registry_,
        AllocationPlanner planner_,
        address admin,
        address treasury_,
        uint256 feeBps_
    ) {
        if (admin == address(0) || treasury_ == address(0)) revert StakingPool__ZeroAddress();
        if (feeBps_ > MAX_FEE_BPS) revert StakingPool__FeeTooHigh(feeBps_, MAX_FEE_BPS);
        sfc = sfc_;
        sfcLayout = sfcLayout_;
        stFTM = stFTM_;
        registry = registry_;
        planner = planner_;
        treasury = treasury_;
        feeBps = feeBps_;
        _grantRole(DEFAULT_ADMIN_ROLE, admin);
    }

    /// @notice Accepts FTM only from the SFC (rewards, withdrawals). Anything else reverts.
    receive() external payable {
        if (msg.sender != address(sfc)) revert StakingPool__UnexpectedSender(msg.sender);
    }

    // ---------------------------------------------------------------- deployment

    /// @notice Mints the first shares to a burn address (at least 1 FTM) and links the wrapper, once:
    /// with dead shares in place, no first depositor can inflate the rate.
    function initialise(WrappedStakedFTM wstFTM_) external payable onlyRole(DEFAULT_ADMIN_ROLE) {
        if (stFTM.totalShares() != 0 || address(wstFTM) != address(0)) revert StakingPool__AlreadyInitialised();
        if (msg.value < MIN_DEAD_SHARES_DEPOSIT) revert StakingPool__BelowMinStake(msg.value, MIN_DEAD_SHARES_DEPOSIT);
        if (address(wstFTM_) == address(0)) revert StakingPool__ZeroAddress();
        wstFTM = wstFTM_;
        _idle += msg.value;
        uint256 shares = stFTM.mintForDeposit(DEAD, msg.value);
        emit WrapperBound(address(wstFTM_));
        emit DeadSharesMinted(msg.value, shares);
    }

    // ---------------------------------------------------------------- holders

    /// @notice Stakes the FTM sent and mints stFTM to `receiver`; returns the shares minted. The FTM waits
    /// as idle liquidity (serving withdrawals first) until `process` delegates it.
    function stake(address receiver) external payable returns (uint256 shares) {
        _requireNotPaused(Action.Stake);
        if (address(wstFTM) == address(0)) revert StakingPool__NotInitialised();
        if (msg.value < minStake) revert StakingPool__BelowMinStake(msg.value, minStake);
        if (receiver == address(0)) revert StakingPool__ZeroAddress();
        _idle += msg.value;
        shares = stFTM.mintForDeposit(receiver, msg.value);
        emit Staked(msg.sender, receiver, msg.value, shares);
    }

    /// @notice Requests a withdrawal of `amount` stFTM (FTM wei) of the caller for `owner`; the shares are
    /// locked in the pool. Finalised at once when idle liquidity covers it and nobody is queued ahead.
    function requestWithdrawal(uint256 amount, address owner) external nonReentrant returns (uint256 requestId) {
        _requireNotPaused(Action.Withdraw);
        uint256 held = stFTM.sharesOf(msg.sender);
        uint256 shares = _sharesToLock(amount);
        if (shares > held) revert StakingPool__InsufficientShares(shares, held);
        _checkMinimum(amount, shares == held);
        stFTM.lockShares(msg.sender, shares);
        requestId = _request(owner, amount, shares);
    }

    /// @notice Requests a withdrawal of `wstAmount` wstFTM of the caller (approve it to the pool first).
    function requestWithdrawalWrapped(uint256 wstAmount, address owner)
        external
        nonReentrant
        returns (uint256 requestId)
    {
        _requireNotPaused(Action.Withdraw);
        uint256 amount = stFTM.amountForShares(wstAmount);
        _checkMinimum(amount, wstAmount == wstFTM.balanceOf(msg.sender));
        wstFTM.transferFrom(msg.sender, address(this), wstAmount);
        wstFTM.unwrap(wstAmount);
        requestId = _request(owner, amount, wstAmount);
    }

    /// @notice Pays the caller's finalised requests `requestIds` to `recipient`, in one transfer.
    function claim(uint256[] calldata requestIds, address recipient) external nonReentrant returns (uint256 total) {
        _requireNotPaused(Action.Withdraw);
        if (requestIds.length == 0) revert StakingPool__NoRequests();
        if (recipient == address(0)) revert StakingPool__ZeroAddress();
        for (uint256 i; i < requestIds.length; ++i) {
            uint256 id = requestIds[i];
            WithdrawalRequest storage r = _requests[id];
            if (r.owner != msg.sender) revert StakingPool__NotRequestOwner(id, msg.sender);
            if (r.status == RequestStatus.Claimed) revert StakingPool__AlreadyClaimed(id);
            if (r.status != RequestStatus.Finalised) revert StakingPool__NotFinalised(id, r.status);
            r.status = RequestStatus.Claimed;
            total += r.finalisedAmount;
            emit WithdrawalClaimed(id, msg.sender, recipient, r.finalisedAmount);
        }
        reservedFTM -= total;
        (bool ok,) = recipient.call{value: total}("");
        if (!ok) revert StakingPool__PaymentFailed(recipient, total);
    }

    // ---------------------------------------------------------------- keeper

    /// @notice Runs the keeper round for at most `maxSteps` steps and carries on where it stopped next call.
    /// Phases: book slashing and harvest rewards (a step per validator), withdraw matured SFC requests (a step
    /// per request), finalise pending withdrawals from idle liquidity (a step per request), then execute the
    /// allocation's moves (a step per move). Operators may call it at any time; anyone may once
    /// `keeperGracePeriod` has passed since the last completed round.
    function process(uint256 maxSteps) external nonReentrant returns (uint256 steps, bool roundCompleted) {
        _requireNotPaused(Action.Process);
        if (maxSteps == 0) revert StakingPool__ZeroSteps();
        if (!hasRole(OPERATOR_ROLE, msg.sender)) {
            uint256 openAt = lastRoundCompletedAt + keeperGracePeriod;
            if (block.timestamp < openAt) revert StakingPool__KeeperTooEarly(openAt);
        }
        Round memory r = round;
        if (r.phase == Phase.Idle) r = Round(Phase.Harvest, 0, uint64(block.timestamp), 0);
        // The registry's allocation view, read once per call: by the harvest and, while still current, by the
        // planner. Harvesting an exiting validator may retire it from the set (`registry.sync`), which reorders
        // the set: the planner then reads the view afresh.
        ValidatorRegistry.Member[] memory set;
        bool setCurrent;

        uint256 pooledBefore = _pooled();
        uint256 rewards;
        if (r.phase == Phase.Harvest) {
            set = registry.allocationView();
            setCurrent = true;
            uint256 n = set.length;
            while (r.cursor < n && steps < maxSteps) {
                ValidatorRegistry.Member memory member = set[r.cursor];
                if (member.state == ValidatorRegistry.State.Exiting) setCurrent = false;
                rewards += _harvest(member.id, member.state);
                ++r.cursor;
                ++steps;
            }
            if (r.cursor >= n) (r.phase, r.cursor) = (Phase.Withdraw, 0);
        }
        if (r.phase == Phase.Withdraw) {
            uint256 epochNow = sfc.currentEpoch();
            (uint256 periodEpochs, uint256 periodTime) = _withdrawalPeriod();
            while (r.cursor < _unbondings.length && steps < maxSteps) {
                ++steps;
                if (!_tryWithdraw(r.cursor, epochNow, periodEpochs, periodTime)) ++r.cursor;
            }
            if (r.cursor >= _unbondings.length) (r.phase, r.cursor) = (Phase.Finalise, 0);
        }
        if (_pooled() != pooledBefore || rewards > 0) _rebase(rewards);
        if (r.phase == Phase.Finalise) {
            while (nextToFinalise < nextRequestId && steps < maxSteps && _finaliseNext()) {
                ++steps;
            }
            if (steps < maxSteps) r.phase = Phase.Rebalance;
        }
        if (r.phase == Phase.Rebalance && steps < maxSteps) {
            if (!setCurrent) set = registry.allocationView();
            Allocation.Move[] memory moves = _plan(set, r.driftUsed).moves;
            uint256 count = moves.length;
            uint256 k;
            for (; k < count && steps < maxSteps; ++k) {
                r.driftUsed += uint128(_execute(moves[k]));
                ++steps;
            }
            if (k == count) {
                roundCompleted = true;
                lastRoundCompletedAt = block.timestamp;
                emit Rebalanced(r.startedAt, _pooled());
                r = Round(Phase.Idle, 0, 0, 0);
            }
        }
        round = r;
        emit Processed(msg.sender, steps, r.phase, roundCompleted);
    }

    /// @notice The moves the rebalance phase would make now (validator id, delegate or undelegate, FTM
    /// amount), from the current books; harvesting and finalisation in the same round may change them.
    function previewProcess() external view returns (Allocation.Move[] memory moves) {
        return _plan(registry.allocationView(), round.driftUsed).moves;
    }

    /// @notice FTM (wei) of the staked total that no validator's target can hold now (every weighted healthy
    /// validator is at its SFC room or at `maxWeightBps`), and why; it stays idle.
    function unplaceable() external view returns (uint256 amount, Allocation.Limit limit) {
        Allocation.Plan memory p = _plan(registry.allocationView(), round.driftUsed);
        return (p.unplaceable, p.limit);
    }

    // ---------------------------------------------------------------- views

    /// @notice FTM (wei) the pool accounts for, backing all stFTM.
    function totalPooledFTM() external view returns (uint256) {
        return _pooled();
    }

    /// @notice FTM (wei) per 1e18 shares.
    function getRate() external view returns (uint256) {
        return stFTM.amountForShares(1e18);
    }

    function sharesForAmount(uint256 amount) external view returns (uint256) {
        return stFTM.sharesForAmount(amount);
    }

    function amountForShares(uint256 shares) external view returns (uint256) {
        return stFTM.amountForShares(shares);
    }

    /// @notice Booked stake at `validatorId` (FTM wei; after booked slashing).
    function stakeOf(uint256 validatorId) external view returns (uint256) {
        Book memory b = _books[validatorId];
        return _value(b.stakeRaw, b);
    }

    /// @notice FTM delegated at `validatorId` as the SFC records it (`getStake` of the pool).
    function delegatedOf(uint256 validatorId) external view returns (uint256) {
        return _books[validatorId].stakeRaw;
    }

    /// @notice The pool's position at `validatorId`: raw stake, raw unbonding, slashed and refund ratio.
    function bookOf(uint256 validatorId) external view returns (Book memory) {
        return _books[validatorId];
    }

    /// @notice Idle FTM (wei) in the pool's books, not counting FTM reserved for finalised requests.
    function idleLiquidity() external view returns (uint256) {
        return _idle;
    }

    /// @notice FTM (wei) owed to requests not yet finalised.
    function pendingWithdrawals() external view returns (uint256) {
        return _pendingDemand;
    }

    function withdrawalRequest(uint256 requestId) external view returns (WithdrawalRequest memory) {
        return _requests[requestId];
    }

    function withdrawalRequestsOf(address owner) external view returns (uint256[] memory) {
        return _requestsOf[owner];
    }

    function unbondingCount() external view returns (uint256) {
        return _unbondings.length;
    }

    function unbondingAt(uint256 index) external view returns (Unbonding memory) {
        return _unbondings[index];
    }

    function isPaused(Action action) public view returns (bool) {
        return _pausedMask & (uint8(1) << uint8(action)) != 0;
    }

    // ---------------------------------------------------------------- roles

    /// @notice Stops one action; the guardian's only power.
    function pause(Action action) external onlyRole(PAUSER_ROLE) {
        _pausedMask |= uint8(1) << uint8(action);
        emit Paused(action, msg.sender);
    }

    /// @notice Restarts one action; governance only.
    function resume(Action action) external onlyRole(DEFAULT_ADMIN_ROLE) {
        _pausedMask &= ~(uint8(1) << uint8(action));
        emit Resumed(action, msg.sender);
    }

    function setFeeBps(uint256 value) external onlyRole(DEFAULT_ADMIN_ROLE) {
        if (value > MAX_FEE_BPS) revert StakingPool__FeeTooHigh(value, MAX_FEE_BPS);
        feeBps = value;
        emit ParameterSet("feeBps", value);
    }

    function setTreasury(address value) external onlyRole(DEFAULT_ADMIN_ROLE) {
        if (value == address(0)) revert StakingPool__ZeroAddress();
        treasury = value;
        emit TreasurySet(value);
    }

    function setMinStake(uint256 value) external onlyRole(DEFAULT_ADMIN_ROLE) {
        if (value == 0) revert StakingPool__ValueOutOfRange("minStake", value);
        minStake = value;
        emit ParameterSet("minStake", value);
    }

    function setRebalanceThresholdBps(uint256 value) external onlyRole(DEFAULT_ADMIN_ROLE) {
        if (value > BPS) revert StakingPool__ValueOutOfRange("rebalanceThresholdBps", value);
        rebalanceThresholdBps = value;
        emit ParameterSet("rebalanceThresholdBps", value);
    }

    function setMaxUndelegatePerRound(uint256 value) external onlyRole(DEFAULT_ADMIN_ROLE) {
        if (value > type(uint128).max) revert StakingPool__ValueOutOfRange("maxUndelegatePerRound", value);
        maxUndelegatePerRound = value;
        emit ParameterSet("maxUndelegatePerRound", value);
    }

    function setKeeperGracePeriod(uint256 value) external onlyRole(DEFAULT_ADMIN_ROLE) {
        if (value > MAX_KEEPER_GRACE) revert StakingPool__ValueOutOfRange("keeperGracePeriod", value);
        keeperGracePeriod = value;
        emit ParameterSet("keeperGracePeriod", value);
    }

    // ---------------------------------------------------------------- internals: withdrawals

    function _sharesToLock(uint256 amount) private view returns (uint256) {
        // Rounded up: the locked shares are always worth at least the amount requested.
        uint256 s = stFTM.totalShares();
        uint256 p = stFTM.totalPooledFTM();
        return (amount * s + p - 1) / p;
    }

    function _checkMinimum(uint256 amount, bool wholeBalance) private view {
        // A holder may always leave entirely, even with less than the minimum.
        if (amount == 0 || (amount < minStake && !wholeBalance)) {
            revert StakingPool__BelowMinWithdrawal(amount, minStake);
        }
    }

    function _request(address owner, uint256 amount, uint256 shares) private returns (uint256 id) {
        if (owner == address(0)) revert StakingPool__ZeroAddress();
        id = nextRequestId++;
        _requests[id] = WithdrawalRequest({
            owner: owner,
            requestedAt: uint40(block.timestamp),
            status: RequestStatus.Pending,
            amount: uint128(amount),
            lockedShares: uint128(shares),
            finalisedAmount: 0
        });
        _requestsOf[owner].push(id);
        _pendingDemand += amount;
        emit WithdrawalRequested(id, owner, amount, shares);
        if (id == nextToFinalise) _finaliseNext();
    }

    /// @dev Finalises the oldest pending request if idle liquidity covers it; returns whether it did.
    function _finaliseNext() private returns (bool) {
        uint256 id = nextToFinalise;
        WithdrawalRequest storage r = _requests[id];
        uint256 value = stFTM.amountForShares(r.lockedShares);
        uint256 pay = r.amount < value ? r.amount : value;
        if (pay > _idle) return false;
        _idle -= pay;
        reservedFTM += pay;
        _pendingDemand -= r.amount;
        r.status = RequestStatus.Finalised;
        r.finalisedAmount = uint128(pay);
        nextToFinalise = id + 1;
        stFTM.burnLocked(r.lockedShares, pay);
        emit WithdrawalFinalised(id, r.owner, pay);
        return true;
    }

    // ---------------------------------------------------------------- internals: keeper

    function _pooled() private view returns (uint256) {
        return _idle + totalStakeBooked + totalUnbondingBooked;
    }

    function _rebase(uint256 rewards) private {
        uint256 fee = rewards * feeBps / BPS;
        stFTM.rebase(_pooled(), treasury, fee);
    }

    function _withdrawalPeriod() private view returns (uint256 epochs, uint256 time) {
        (epochs, time) = (SFCReader.consts(sfc).withdrawalPeriodEpochs(), SFCReader.consts(sfc).withdrawalPeriodTime());
    }

    function _value(uint256 raw, Book memory b) private pure returns (uint256) {
        return b.slashed ? raw * b.refundRatio / 1e18 : raw;
    }

    /// @dev Booked values of a position: the whole is valued at once and the unbonding part is the rest,
    /// so moving FTM from stake to unbonding at a slashed validator never changes the total by rounding.
    function _values(Book memory b) private pure returns (uint256 stakeValue, uint256 unbondingValue) {
        stakeValue = _value(b.stakeRaw, b);
        unbondingValue = _value(uint256(b.stakeRaw) + b.unbondingRaw, b) - stakeValue;
    }

    /// @dev Replaces the book of `validatorId`, keeping the booked totals exact.
    function _setBook(uint256 validatorId, Book memory before, Book memory next) private {
        (uint256 stakeBefore, uint256 unbondingBefore) = _values(before);
        (uint256 stakeNext, uint256 unbondingNext) = _values(next);
        totalStakeBooked = totalStakeBooked - stakeBefore + stakeNext;
        totalUnbondingBooked = totalUnbondingBooked - unbondingBefore + unbondingNext;
        _books[validatorId] = next;
    }

    /// @dev Books slashing (and later refund-ratio changes), claims rewards, retires an emptied exiting
    /// validator. Returns the rewards received.
    function _harvest(uint256 validatorId, ValidatorRegistry.State state) private returns (uint256 received) {
        Book memory b = _books[validatorId];
        if (b.stakeRaw == 0) {
            if (state == ValidatorRegistry.State.Exiting) registry.sync(validatorId);
            if (b.unbondingRaw == 0) return 0;
        }
        if (sfc.isSlashed(validatorId)) {
            uint256 ratio = sfc.slashingRefundRatio(validatorId);
            if (ratio > 1e18) ratio = 1e18;
            if (!b.slashed || ratio != b.refundRatio) {
                if (!b.slashed) ++_slashedBooks;
                Book memory next = Book(b.stakeRaw, b.unbondingRaw, true, uint64(ratio));
                uint256 oldValue = _value(uint256(b.stakeRaw) + b.unbondingRaw, b);
                uint256 newValue = _value(uint256(b.stakeRaw) + b.unbondingRaw, next);
                _setBook(validatorId, b, next);
                emit SlashingBooked(
                    validatorId, ratio, oldValue > newValue ? oldValue - newValue : newValue - oldValue, newValue < oldValue
                );
            }
        }
        if (b.stakeRaw == 0 || sfc.pendingRewards(address(this), validatorId) == 0) return 0;
        uint256 balanceBefore = address(this).balance;
        try sfc.claimRewards(validatorId) {
            received = address(this).balance - balanceBefore;
            _idle += received;
            emit RewardsHarvested(validatorId, received);
        } catch {}
    }

    /// @dev Withdraws the SFC request at `index` if it has matured; returns true when it was removed from
    /// the list (the next request then sits at the same index). A request the SFC refuses (a fully slashed
    /// stake) stays, and never blocks the others.
    function _tryWithdraw(uint256 index, uint256 epochNow, uint256 periodEpochs, uint256 periodTime)
        private
        returns (bool removed)
    {
        Unbonding memory u = _unbondings[index];
        if (epochNow < u.epoch + periodEpochs || block.timestamp < u.time + periodTime) return false;
        uint256 balanceBefore = address(this).balance;
        try sfc.withdraw(u.validatorId, u.wrId) {
            uint256 received = address(this).balance - balanceBefore;
            Book memory b = _books[u.validatorId];
            Book memory next = Book(b.stakeRaw, b.unbondingRaw - uint128(u.amount), b.slashed, b.refundRatio);
            (, uint256 expectedBefore) = _values(b);
            (, uint256 expectedAfter) = _values(next);
            _setBook(u.validatorId, b, next);
            _idle += received;
            _unbondings[index] = _unbondings[_unbondings.length - 1];
            _unbondings.pop();
            emit UnbondingWithdrawn(u.validatorId, u.wrId, expectedBefore - expectedAfter, received);
            return true;
        } catch {
            return false;
        }
    }

    /// @dev Gathers the books and the SFC's capacities for the registry's allocation view (ids, states, raw
    /// weights) and asks the planner.
    function _plan(ValidatorRegistry.Member[] memory set, uint256 driftUsed)
        private
        view
        returns (Allocation.Plan memory)
    {
        Allocation.Validator[] memory vs = new Allocation.Validator[](set.length);
        uint256 maxRatio = SFCReader.consts(sfc).maxDelegatedRatio();
        bool anySlashed = _slashedBooks > 0;
        for (uint256 i; i < set.length; ++i) {
            vs[i] = _planned(set[i], maxRatio, anySlashed);
        }
        uint256 budget = maxUndelegatePerRound > driftUsed ? maxUndelegatePerRound - driftUsed : 0;
        return planner.plan(
            vs,
            Allocation.Input({
                idle: _idle,
                unbonding: totalUnbondingBooked,
                demand: _pendingDemand,
                thresholdBps: rebalanceThresholdBps,
                driftBudget: budget,
                maxWeightBps: registry.maxWeightBps()
            })
        );
    }

    /// @dev One validator as the planner takes it. One read of its SFC record (`SFCReader.capacity`), none
    /// when it is not Active or its stake is booked as slashed; one storage slot of its book while no book is
    /// marked slashed.
    function _planned(ValidatorRegistry.Member memory member, uint256 maxRatio, bool anySlashed)
        private
        view
        returns (Allocation.Validator memory v)
    {
        Book memory b;
        if (anySlashed) b = _books[member.id];
        else b.stakeRaw = _books[member.id].stakeRaw; // not slashed; the unbonding part is not planned with
        v.id = member.id;
        v.stake = _value(b.stakeRaw, b);
        v.weightBps = member.weightBps;
        if (member.state == ValidatorRegistry.State.Active && !b.slashed) {
            (v.eligible, v.room) = sfc.capacity(sfcLayout, maxRatio, member.id);
        }
        v.withdrawable = b.stakeRaw > 0 && !(b.slashed && b.refundRatio == 0);
    }

    /// @dev Executes one move; returns the FTM that counted against the drift budget. A move the SFC
    /// refuses is reported and skipped, so one validator can never block the round for the others.
    function _execute(Allocation.Move memory m) private returns (uint256 driftUsed) {
        Book memory b = _books[m.validatorId];
        if (m.isDelegate) {
            try sfc.delegate{value: m.amount}(m.validatorId) {
                _idle -= m.amount;
                _setBook(m.validatorId, b, Book(b.stakeRaw + uint128(m.amount), b.unbondingRaw, b.slashed, b.refundRatio));
                emit Delegated(m.validatorId, m.amount);
            } catch (bytes memory reason) {
                emit MoveFailed(m.validatorId, true, m.amount, reason);
            }
            return 0;
        }
        uint256 rawAmount = m.amount;
        if (m.amount >= _value(b.stakeRaw, b)) rawAmount = b.stakeRaw;
        else if (b.slashed) rawAmount = m.amount * 1e18 / b.refundRatio;
        uint256 wrId = nextWrId++;
        try sfc.undelegate(m.validatorId, wrId, rawAmount) {
            _setBook(
                m.validatorId,
                b,
                Book(b.stakeRaw - uint128(rawAmount), b.unbondingRaw + uint128(rawAmount), b.slashed, b.refundRatio)
            );
            _unbondings.push(
                Unbonding(uint64(m.validatorId), uint64(wrId), uint64(sfc.currentEpoch()), uint64(block.timestamp), rawAmount)
            );
            emit Undelegated(m.validatorId, wrId, rawAmount, m.driftAmount);
            return m.driftAmount;
        } catch (bytes memory reason) {
            emit MoveFailed(m.validatorId, false, rawAmount, reason);
        }
    }

    function _requireNotPaused(Action action) private view {
        if (isPaused(action)) revert StakingPool__ActionPaused(action);
    }
}
