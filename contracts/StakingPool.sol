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
/// @notice `totalPooledFTM = idle + Σ booked stake + Σ booked unbonding − rewards still vesting`; FTM reserved
/// for finalised withdrawal requests is outside it, and so is any FTM forced into the contract.
/// The rate is fair to the second: harvested rewards (net of the fee) enter it linearly over
/// `rewardVestingPeriod`, so nobody can stake before a harvest and leave after it with rewards they did
/// not earn; losses are booked at once, by `process` or by anyone through `bookSlashing`.
/// Withdrawal requests are fixed in FTM when made and finalised only by `process`, after it has booked
/// every slashing the SFC reports where the pool has stake or unbonding; each is paid
/// `min(requested, value of its locked shares at finalisation)`, so nobody can run ahead of a loss.
/// Stake that is unbonding earns nothing. Claims of finalised requests are never paused, and every pause
/// ends by itself after `maxPauseDuration` unless governance extends it.
contract StakingPool is AccessControl, ReentrancyGuard {
    using SFCReader for ISFC;

    bytes32 public constant OPERATOR_ROLE = keccak256("OPERATOR_ROLE");
    bytes32 public constant PAUSER_ROLE = keccak256("PAUSER_ROLE");
    uint256 public constant BPS = 10_000;
    uint256 public constant MAX_FEE_BPS = 2_000;
    uint256 public constant MIN_DEAD_SHARES_DEPOSIT = 1 ether;
    uint256 public constant MAX_KEEPER_GRACE = 30 days;
    uint256 public constant MIN_REWARD_VESTING_PERIOD = 1 hours;
    uint256 public constant MAX_REWARD_VESTING_PERIOD = 7 days;
    uint256 public constant MAX_PAUSE_DURATION = 14 days;
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

    /// @dev Rewards (and refunds of slashing) entering the rate: `amount` vests linearly from `start` to `end`.
    struct Vesting {
        uint128 amount;
        uint64 start;
        uint64 end;
    }

    /// @dev A pause of one action lasts until `until`; the guardian may not pause it again before `cooldownUntil`.
    struct PauseWindow {
        uint64 until;
        uint64 cooldownUntil;
    }

    /// @dev The booked totals over all validators (FTM wei), in one slot: `stake` reads both on every deposit.
    struct Totals {
        uint128 stake;
        uint128 unbonding;
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
    uint256 public rewardVestingPeriod = 24 hours;
    uint256 public maxPauseDuration = 7 days;

    // Books (FTM wei).
    uint256 private _idle;
    uint256 public reservedFTM;
    uint256 private _pendingDemand;
    Totals private _totals;
    Vesting private _vesting;
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
    mapping(Action action => PauseWindow) private _pauses;
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
    event RewardsVesting(uint256 added, uint256 vestingAmount, uint256 vestingEnd);
    event Paused(Action action, address by, uint256 until);
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
    error StakingPool__PauseCoolingDown(Action action, uint256 availableAt);

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
        uint256 shares = stFTM.mintForDeposit(DEAD, msg.value, 0);
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
        // The shares are priced at the pooled total of this second, rewards vested so far included.
        uint256 pooled = _pooled();
        _idle += msg.value;
        shares = stFTM.mintForDeposit(receiver, msg.value, pooled);
        emit Staked(msg.sender, receiver, msg.value, shares);
    }

    /// @notice Requests a withdrawal of `amount` stFTM (FTM wei) of the caller for `owner`; the shares are
    /// locked in the pool. The request is finalised by a later `process` (the next round when idle FTM
    /// covers it, else once the SFC's withdrawal period has passed) and then claimable by `owner`.
    /// Below `minStake` only when the caller withdraws its whole balance for itself.
    function requestWithdrawal(uint256 amount, address owner) external nonReentrant returns (uint256 requestId) {
        _requireNotPaused(Action.Withdraw);
        // The balance the holder saw: rewards vested since the last booking are booked next, which raises it.
        uint256 balanceSeen = stFTM.balanceOf(msg.sender);
        _syncRate(0);
        uint256 held = stFTM.sharesOf(msg.sender);
        uint256 shares;
        if (amount == balanceSeen && held > 0) {
            // A whole-balance exit: every share, worth what they are worth this second.
            (shares, amount) = (held, stFTM.amountForShares(held));
        } else {
            shares = _sharesToLock(amount);
            if (shares > held) revert StakingPool__InsufficientShares(shares, held);
        }
        _checkMinimum(amount, shares == held && owner == msg.sender);
        stFTM.lockShares(msg.sender, shares);
        requestId = _request(owner, amount, shares);
    }

    /// @notice Requests a withdrawal of `wstAmount` wstFTM of the caller (approve it to the pool first); as
    /// `requestWithdrawal` otherwise.
    function requestWithdrawalWrapped(uint256 wstAmount, address owner)
        external
        nonReentrant
        returns (uint256 requestId)
    {
        _requireNotPaused(Action.Withdraw);
        _syncRate(0);
        uint256 amount = stFTM.amountForShares(wstAmount);
        _checkMinimum(amount, wstAmount == wstFTM.balanceOf(msg.sender) && owner == msg.sender);
        wstFTM.transferFrom(msg.sender, address(this), wstAmount);
        wstFTM.unwrap(wstAmount);
        requestId = _request(owner, amount, wstAmount);
    }

    /// @notice Pays the caller's finalised requests `requestIds` to `recipient`, in one transfer. Never paused:
    /// the FTM of a finalised request is already set aside for its owner.
    function claim(uint256[] calldata requestIds, address recipient) external nonReentrant returns (uint256 total) {
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
    /// per request), book the round's rewards (vesting) and fee, finalise pending withdrawals from idle
    /// liquidity (a step per request; first, in the same call, every slashing the SFC reports is booked), then
    /// execute the allocation's moves (a step per move). Operators may call it at any time; anyone may once
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
        // The registry's allocation view, read once per call: by the harvest, the slashing check before
        // finalisation and, while still current, the planner. Harvesting an exiting validator may retire it from
        // the set (`registry.sync`), which reorders the set: the planner then reads the view afresh. (A stale
        // view still names every validator where the pool has a position.)
        ValidatorRegistry.Member[] memory set = registry.allocationView();
        bool setCurrent = true;

        uint256 rewards;
        uint256 gains;
        if (r.phase == Phase.Harvest) {
            uint256 n = set.length;
            while (r.cursor < n && steps < maxSteps) {
                ValidatorRegistry.Member memory member = set[r.cursor];
                if (member.state == ValidatorRegistry.State.Exiting) setCurrent = false;
                (uint256 received, uint256 gain) = _harvest(member.id, member.state);
                (rewards, gains) = (rewards + received, gains + gain);
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
                (bool removed, uint256 gain) = _tryWithdraw(r.cursor, epochNow, periodEpochs, periodTime);
                gains += gain;
                if (!removed) ++r.cursor;
            }
            if (r.cursor >= _unbondings.length) (r.phase, r.cursor) = (Phase.Finalise, 0);
        }
        _bookRewards(rewards, gains);
        if (r.phase == Phase.Finalise) {
            if (steps < maxSteps && _nextIsPayable()) {
                // Nothing is paid out before every loss the SFC reports is in the rate.
                _bookEverySlashing(set);
                // What a finalised request's shares were worth above its payout stays with the pool; it vests
                // like rewards, at once, so that neither holders at this moment nor the next request finalised
                // in this call take it in one jump.
                while (steps < maxSteps) {
                    (bool done, uint256 left) = _finaliseNext();
                    if (!done) break;
                    if (left > 0) _bookRewards(0, left);
                    ++steps;
                }
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

    /// @notice Books the slashing the SFC reports for `validatorIds` (anyone may call it, at any time): a loss
    /// lowers the rate at once, a refund raised by the chain's governance vests like rewards. Validators where
    /// the pool has neither stake nor unbonding are skipped.
    function bookSlashing(uint256[] calldata validatorIds) external nonReentrant {
        uint256 gains;
        for (uint256 i; i < validatorIds.length; ++i) {
            gains += _bookSlashing(validatorIds[i]);
        }
        _bookRewards(0, gains);
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

    /// @notice FTM (wei) the pool accounts for, backing all stFTM: rewards still vesting are not in it yet.
    function totalPooledFTM() external view returns (uint256) {
        return _pooled();
    }

    /// @notice Booked stake over all validators (FTM wei, after booked slashing).
    function totalStakeBooked() external view returns (uint256) {
        return _totals.stake;
    }

    /// @notice FTM (wei) in the pool's SFC withdrawal requests, at booked value.
    function totalUnbondingBooked() external view returns (uint256) {
        return _totals.unbonding;
    }

    /// @notice Rewards (FTM wei) harvested but not yet in the rate, and when the last of them will be.
    function vestingRewards() external view returns (uint256 unvested, uint256 vestingEnd) {
        return (_unvested(), _vesting.end);
    }

    /// @notice FTM (wei) per 1e18 shares at this second's pooled total. stFTM's own balances follow it each
    /// time the pool books (every stake, request and keeper call), so between those they may lag by the
    /// rewards vested since.
    function getRate() external view returns (uint256) {
        return _amountForShares(1e18);
    }

    /// @notice Shares worth `amount` FTM at this second's rate, rounded down.
    function sharesForAmount(uint256 amount) external view returns (uint256) {
        (uint256 s, uint256 p) = (stFTM.totalShares(), _pooled());
        return p == 0 ? amount : amount * s / p;
    }

    /// @notice FTM (wei) that `shares` are worth at this second's rate, rounded down.
    function amountForShares(uint256 shares) external view returns (uint256) {
        return _amountForShares(shares);
    }

    function _amountForShares(uint256 shares) private view returns (uint256) {
        // Both totals are below 2^128 (stFTM keeps them so), so the products cannot overflow.
        uint256 s = stFTM.totalShares();
        return s == 0 ? shares : shares * _pooled() / s;
    }

    /// @notice Booked stake at `validatorId` (FTM wei; after booked slashing).
    function stakeOf(uint256 validatorId) external view returns (uint256) {
        Book memory b = _books[validatorId];
        return _value(b.stakeRaw, b);
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

    /// @notice Every request id made for `owner`, oldest first (see the paged form for long lists).
    function withdrawalRequestsOf(address owner) external view returns (uint256[] memory) {
        return _requestsOf[owner];
    }

    /// @notice At most `limit` of `owner`'s request ids from position `offset` on, oldest first.
    function withdrawalRequestsOf(address owner, uint256 offset, uint256 limit)
        external
        view
        returns (uint256[] memory page)
    {
        uint256[] storage all = _requestsOf[owner];
        uint256 left = offset < all.length ? all.length - offset : 0;
        page = new uint256[](limit < left ? limit : left);
        for (uint256 i; i < page.length; ++i) {
            page[i] = all[offset + i];
        }
    }

    function withdrawalRequestCount(address owner) external view returns (uint256) {
        return _requestsOf[owner].length;
    }

    /// @notice Whether the registry may retire `validatorId` from the set: the pool has no stake there and no
    /// unbonding that could still pay (unbonding at a validator slashed with a refund ratio of 0 is worth
    /// nothing; its SFC requests stay with the pool and are retried if the chain raises the ratio).
    function canRetire(uint256 validatorId) external view returns (bool) {
        Book memory b = _books[validatorId];
        return b.stakeRaw == 0 && (b.unbondingRaw == 0 || (b.slashed && b.refundRatio == 0));
    }

    function unbondingCount() external view returns (uint256) {
        return _unbondings.length;
    }

    function unbondingAt(uint256 index) external view returns (Unbonding memory) {
        return _unbondings[index];
    }

    function isPaused(Action action) public view returns (bool) {
        return block.timestamp < _pauses[action].until;
    }

    /// @notice Until when `action` is paused (in the past when it is not) and from when the guardian may
    /// pause it again.
    function pauseWindow(Action action) external view returns (uint256 until, uint256 cooldownUntil) {
        PauseWindow memory w = _pauses[action];
        return (w.until, w.cooldownUntil);
    }

    // ---------------------------------------------------------------- roles

    /// @notice Stops one action for `maxPauseDuration`; the guardian's only power. The pause ends by itself,
    /// and the guardian cannot pause the same action again until as long again has passed after it ends.
    function pause(Action action) external onlyRole(PAUSER_ROLE) {
        PauseWindow memory w = _pauses[action];
        if (block.timestamp < w.cooldownUntil) revert StakingPool__PauseCoolingDown(action, w.cooldownUntil);
        _setPause(action, block.timestamp + maxPauseDuration);
    }

    /// @notice Keeps `action` paused until `until` (at most `MAX_PAUSE_DURATION` from now); governance only.
    function extendPause(Action action, uint256 until) external onlyRole(DEFAULT_ADMIN_ROLE) {
        if (until <= block.timestamp || until > block.timestamp + MAX_PAUSE_DURATION) {
            revert StakingPool__ValueOutOfRange("pauseUntil", until);
        }
        _setPause(action, until);
    }

    /// @notice Restarts one action; governance only.
    function resume(Action action) external onlyRole(DEFAULT_ADMIN_ROLE) {
        _pauses[action] = PauseWindow(uint64(block.timestamp), uint64(block.timestamp + maxPauseDuration));
        emit Resumed(action, msg.sender);
    }

    function setRewardVestingPeriod(uint256 value) external onlyRole(DEFAULT_ADMIN_ROLE) {
        if (value < MIN_REWARD_VESTING_PERIOD || value > MAX_REWARD_VESTING_PERIOD) {
            revert StakingPool__ValueOutOfRange("rewardVestingPeriod", value);
        }
        rewardVestingPeriod = value;
        emit ParameterSet("rewardVestingPeriod", value);
    }

    function setMaxPauseDuration(uint256 value) external onlyRole(DEFAULT_ADMIN_ROLE) {
        if (value == 0 || value > MAX_PAUSE_DURATION) revert StakingPool__ValueOutOfRange("maxPauseDuration", value);
        maxPauseDuration = value;
        emit ParameterSet("maxPauseDuration", value);
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
    }

    /// @dev What the oldest pending request would be paid now: the lesser of what it asked for and what its
    /// locked shares are worth. `exists` is false when no request is pending.
    function _nextPayout() private view returns (bool exists, uint256 pay, uint256 value) {
        uint256 id = nextToFinalise;
        if (id >= nextRequestId) return (false, 0, 0);
        WithdrawalRequest storage r = _requests[id];
        value = stFTM.amountForShares(r.lockedShares);
        return (true, r.amount < value ? r.amount : value, value);
    }

    function _nextIsPayable() private view returns (bool) {
        (bool exists, uint256 pay,) = _nextPayout();
        return exists && pay <= _idle;
    }

    /// @dev Finalises the oldest pending request if idle liquidity covers it; returns whether it did and what its
    /// locked shares were worth above the payout (rewards earned while it waited, which stay with the pool).
    function _finaliseNext() private returns (bool done, uint256 leftOver) {
        (bool exists, uint256 pay, uint256 value) = _nextPayout();
        if (!exists || pay > _idle) return (false, 0);
        uint256 id = nextToFinalise;
        WithdrawalRequest storage r = _requests[id];
        _idle -= pay;
        reservedFTM += pay;
        _pendingDemand -= r.amount;
        r.status = RequestStatus.Finalised;
        r.finalisedAmount = uint128(pay);
        nextToFinalise = id + 1;
        stFTM.burnLocked(r.lockedShares, pay);
        emit WithdrawalFinalised(id, r.owner, pay);
        return (true, value - pay);
    }

    // ---------------------------------------------------------------- internals: keeper

    /// @dev The pooled total of this second: every booked FTM less the rewards still vesting.
    function _pooled() private view returns (uint256) {
        uint256 booked = _idle + _totals.stake + _totals.unbonding;
        uint256 unvested = _unvested();
        return booked > unvested ? booked - unvested : 0;
    }

    /// @dev What is left to vest of the current schedule, rounded up (the rate never runs ahead of it).
    function _unvested() private view returns (uint256) {
        Vesting memory v = _vesting;
        if (block.timestamp >= v.end) return 0;
        uint256 span = v.end - v.start;
        return (uint256(v.amount) * (v.end - block.timestamp) + span - 1) / span;
    }

    /// @dev Books `rewards` harvested (their fee enters the rate at once, as the treasury's shares; the rest
    /// vests) and `gains` from raised refund ratios (they vest whole), then brings stFTM's total up to date.
    /// What was still vesting joins the new schedule, which runs `rewardVestingPeriod` from now.
    function _bookRewards(uint256 rewards, uint256 gains) private {
        uint256 fee = rewards * feeBps / BPS;
        uint256 added = rewards - fee + gains;
        if (added > 0) {
            uint256 amount = _unvested() + added;
            uint256 end = block.timestamp + rewardVestingPeriod;
            _vesting = Vesting(uint128(amount), uint64(block.timestamp), uint64(end));
            emit RewardsVesting(added, amount, end);
        }
        _syncRate(fee);
    }

    /// @dev Sets stFTM's pooled total to this second's (and mints `fee` FTM of shares to the treasury).
    function _syncRate(uint256 fee) private {
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
        Totals memory t = _totals;
        _totals = Totals(
            uint128(t.stake - stakeBefore + stakeNext), uint128(t.unbonding - unbondingBefore + unbondingNext)
        );
        _books[validatorId] = next;
    }

    /// @dev One validator's harvest step: books its slashing, sends a stake slashed with a refund ratio of 0
    /// into unbonding (where it waits for a refund and lets the validator leave the set) or claims its
    /// rewards, including those the SFC set aside when the pool undelegated; retires an emptied exiting
    /// validator. At most one SFC write. Returns the rewards received and any gain from a raised refund ratio.
    function _harvest(uint256 validatorId, ValidatorRegistry.State state)
        private
        returns (uint256 received, uint256 gain)
    {
        Book memory b = _books[validatorId];
        if (b.stakeRaw > 0 || b.unbondingRaw > 0) {
            gain = _bookSlashing(validatorId);
            b = _books[validatorId];
            if (b.slashed && b.refundRatio == 0 && b.stakeRaw > 0) _undelegate(validatorId, b, b.stakeRaw, 0);
            else received = _claimRewards(validatorId);
        }
        if (state == ValidatorRegistry.State.Exiting) registry.sync(validatorId);
    }

    function _claimRewards(uint256 validatorId) private returns (uint256 received) {
        if (sfc.pendingRewards(address(this), validatorId) == 0) return 0;
        uint256 balanceBefore = address(this).balance;
        try sfc.claimRewards(validatorId) {
            received = address(this).balance - balanceBefore;
            _idle += received;
            emit RewardsHarvested(validatorId, received);
        } catch {}
    }

    /// @dev Books what the SFC reports for `validatorId`: slashed or not, and its refund ratio (capped at
    /// a full refund). A loss is in the books at once; a gain (the chain's governance raised the ratio) is
    /// returned for the caller to vest. Nothing to book where the pool has neither stake nor unbonding.
    function _bookSlashing(uint256 validatorId) private returns (uint256 gain) {
        Book memory b = _books[validatorId];
        if (b.stakeRaw == 0 && b.unbondingRaw == 0) return 0;
        if (!sfc.isSlashed(validatorId)) return 0;
        uint256 ratio = sfc.slashingRefundRatio(validatorId);
        if (ratio > 1e18) ratio = 1e18;
        if (b.slashed && ratio == b.refundRatio) return 0;
        if (!b.slashed) ++_slashedBooks;
        Book memory next = Book(b.stakeRaw, b.unbondingRaw, true, uint64(ratio));
        uint256 oldValue = _value(uint256(b.stakeRaw) + b.unbondingRaw, b);
        uint256 newValue = _value(uint256(b.stakeRaw) + b.unbondingRaw, next);
        _setBook(validatorId, b, next);
        emit SlashingBooked(
            validatorId, ratio, oldValue > newValue ? oldValue - newValue : newValue - oldValue, newValue < oldValue
        );
        if (newValue > oldValue) gain = newValue - oldValue;
    }

    /// @dev Books every slashing the SFC reports where the pool has a position: every validator in the set
    /// (`set`, the registry's view) and every validator with an SFC request of the pool (the only positions
    /// outside the set are requests at validators retired after a full slashing).
    function _bookEverySlashing(ValidatorRegistry.Member[] memory set) private {
        uint256 gains;
        for (uint256 i; i < set.length; ++i) {
            gains += _bookSlashing(set[i].id);
        }
        for (uint256 i; i < _unbondings.length; ++i) {
            uint256 id = _unbondings[i].validatorId;
            if (_books[id].slashed) gains += _bookSlashing(id);
        }
        _bookRewards(0, gains);
    }

    /// @dev Withdraws the SFC request at `index` if the SFC allows it now; returns true when it was removed
    /// from the list (the next request then sits at the same index), and any gain from a raised refund
    /// ratio. A request at a validator slashed with a refund ratio of 0 is tried only once the ratio changes.
    /// A request the SFC refuses stays, and never blocks the others.
    function _tryWithdraw(uint256 index, uint256 epochNow, uint256 periodEpochs, uint256 periodTime)
        private
        returns (bool removed, uint256 gain)
    {
        Unbonding memory u = _unbondings[index];
        if (_books[u.validatorId].slashed) {
            gain = _bookSlashing(u.validatorId);
            if (_books[u.validatorId].refundRatio == 0) return (false, gain);
        }
        if (!_matured(u, epochNow, periodEpochs, periodTime)) return (false, gain);
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
            return (true, gain);
        } catch {
            return (false, gain);
        }
    }

    /// @dev Whether the SFC's withdrawal period has passed for `u`: counted from the request or, as the SFC
    /// counts it, from the validator's deactivation when that came first.
    function _matured(Unbonding memory u, uint256 epochNow, uint256 periodEpochs, uint256 periodTime)
        private
        view
        returns (bool)
    {
        if (epochNow >= u.epoch + periodEpochs && block.timestamp >= u.time + periodTime) return true;
        SFCReader.Validator memory v = sfc.validator(sfcLayout, u.validatorId);
        if (v.deactivatedTime == 0 || v.deactivatedTime >= u.time) return false;
        return epochNow >= v.deactivatedEpoch + periodEpochs && block.timestamp >= v.deactivatedTime + periodTime;
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
                unbonding: _totals.unbonding,
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
        if (_undelegate(m.validatorId, b, rawAmount, m.driftAmount)) return m.driftAmount;
    }

    /// @dev Asks the SFC to undelegate `rawAmount` (as the SFC counts it) at `validatorId` under a new request
    /// id and books it as unbonding; returns whether the SFC accepted. A refusal is reported, books unchanged.
    function _undelegate(uint256 validatorId, Book memory b, uint256 rawAmount, uint256 driftAmount)
        private
        returns (bool ok)
    {
        uint256 wrId = nextWrId++;
        try sfc.undelegate(validatorId, wrId, rawAmount) {
            _setBook(
                validatorId,
                b,
                Book(b.stakeRaw - uint128(rawAmount), b.unbondingRaw + uint128(rawAmount), b.slashed, b.refundRatio)
            );
            _unbondings.push(
                Unbonding(uint64(validatorId), uint64(wrId), uint64(sfc.currentEpoch()), uint64(block.timestamp), rawAmount)
            );
            emit Undelegated(validatorId, wrId, rawAmount, driftAmount);
            return true;
        } catch (bytes memory reason) {
            emit MoveFailed(validatorId, false, rawAmount, reason);
        }
    }

    function _setPause(Action action, uint256 until) private {
        _pauses[action] = PauseWindow(uint64(until), uint64(until + maxPauseDuration));
        emit Paused(action, msg.sender, until);
    }

    function _requireNotPaused(Action action) private view {
        if (isPaused(action)) revert StakingPool__ActionPaused(action);
    }
}
