// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {ReentrancyGuard} from "@openzeppelin/contracts/utils/ReentrancyGuard.sol";
import {ISFC} from "./interfaces/ISFC.sol";
import {SFCReader} from "./libraries/SFCReader.sol";
import {Allocation} from "./libraries/Allocation.sol";
import {AllocationPlanner} from "./AllocationPlanner.sol";
import {PositionValue} from "./libraries/PositionValue.sol";
import {PoolSettings} from "./PoolSettings.sol";
import {StakedFTM} from "./StakedFTM.sol";
import {WrappedStakedFTM} from "./WrappedStakedFTM.sol";
import {WithdrawalQueue} from "./WithdrawalQueue.sol";
import {ValidatorRegistry} from "./ValidatorRegistry.sol";

/// @title The staking pool: holds FTM, delegates it through the SFC and keeps the books
/// @notice `totalPooledFTM = idle + Σ booked stake + Σ booked unbonding − rewards still vesting`. The FTM of
/// finalised withdrawal requests is not in it: finalisation sends it to the `WithdrawalQueue`, where only
/// claims can move it. FTM forced into the contract is not in it either.
/// The rate is fair to the second: harvested rewards (net of the fee) enter it linearly over
/// `rewardVestingPeriod`, so nobody can stake before a harvest and leave after it with rewards they did
/// not earn; losses are booked at once, by `process` or by anyone through `bookSlashing`.
/// Withdrawal requests (made in the queue) are fixed in FTM when made and finalised only by `process`, after it
/// has booked every slashing the SFC reports where the pool has stake or unbonding; each is paid
/// `min(requested, value of its locked shares at finalisation)`, so nobody can run ahead of a loss.
/// Stake that is unbonding earns nothing.
contract StakingPool is PoolSettings, ReentrancyGuard {
    using SFCReader for ISFC;

    uint256 public constant MIN_DEAD_SHARES_DEPOSIT = 1 ether;
    address public constant DEAD = 0x000000000000000000000000000000000000dEaD;

    /// @notice Where the keeper round stands; see `process`.
    enum Phase {
        Idle,
        Harvest,
        Withdraw,
        Finalise,
        Rebalance
    }

    /// @dev One SFC withdrawal request of the pool (an undelegation in flight).
    struct Unbonding {
        uint64 validatorId;
        uint64 wrId;
        uint64 epoch;
        uint64 time;
        uint256 amount; // FTM wei, at the SFC's (unslashed) value
    }

    /// @dev Rewards (and refunds of slashing) entering the rate: `amount` vests linearly from `start` to `end`.
    struct Vesting {
        uint128 amount;
        uint64 start;
        uint64 end;
    }

    /// @dev The booked totals over all validators (FTM wei), in one slot: `stake` reads both on every deposit.
    struct Totals {
        uint128 stake;
        uint128 unbonding;
    }

    /// @dev The keeper round in progress. `cursor` is the next validator of the set in the Harvest phase and the
    /// next SFC request in the Withdraw phase; the other phases do not use it.
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
    WithdrawalQueue public withdrawalQueue;

    // Books (FTM wei).
    uint256 private _idle;
    Totals private _totals;
    Vesting private _vesting;
    mapping(uint256 validatorId => PositionValue.Book) private _books;

    // SFC withdrawals in flight.
    Unbonding[] private _unbondings;
    uint256 public nextWrId = 1;

    Round public round;
    uint256 public lastRoundCompletedAt;
    // How many validators' books are marked slashed (a mark is never cleared). While none is, planning reads
    // one storage slot of each book (the raw stake) instead of two.
    uint32 private _slashedBooks;

    event Staked(address indexed sender, address indexed receiver, uint256 amount, uint256 shares);
    event RewardsHarvested(uint256 indexed validatorId, uint256 amount);
    event SlashingBooked(uint256 indexed validatorId, uint256 refundRatio, uint256 lossOrGain, bool isLoss);
    event Delegated(uint256 indexed validatorId, uint256 amount);
    event Undelegated(uint256 indexed validatorId, uint256 wrId, uint256 amount, uint256 driftAmount);
    event UnbondingWithdrawn(uint256 indexed validatorId, uint256 wrId, uint256 expected, uint256 received);
    event MoveFailed(uint256 indexed validatorId, bool isDelegate, uint256 amount, bytes reason);
    event Processed(address indexed caller, uint256 steps, Phase phase, bool roundCompleted);
    event Rebalanced(uint256 roundStartedAt, uint256 totalPooledFTM);
    event RewardsVesting(uint256 added, uint256 vestingAmount, uint256 vestingEnd);
    event WrapperBound(address wstFTM);
    event QueueBound(address withdrawalQueue);
    event DeadSharesMinted(uint256 amount, uint256 shares);

    /// @notice The amount `amount` is below the minimum stake of `minStake`.
    error StakingPool__BelowMinStake(uint256 amount, uint256 minStake);
    /// @notice The pool accepts plain FTM only from the SFC, and `sender` is not it: stake through the stake
    /// function instead.
    error StakingPool__UnexpectedSender(address sender);
    /// @notice Only operators can run a round now; anyone can from `openAt`, once the keeper grace period has
    /// passed.
    error StakingPool__KeeperTooEarly(uint256 openAt);
    /// @notice A keeper round needs at least one step.
    error StakingPool__ZeroSteps();
    /// @notice The pool's dead shares are already minted: the pool is initialised once, at deployment.
    error StakingPool__AlreadyInitialised();
    /// @notice The pool holds nothing to price new shares against: it is not initialised yet (its dead shares are
    /// minted at deployment), or slashing has taken every FTM it held. Shares minted now would hand the new FTM
    /// to the shares already out.
    error StakingPool__NothingPooled();
    /// @notice Only the withdrawal queue may call this, and `caller` is not it.
    error StakingPool__OnlyQueue(address caller);

    constructor(
        ISFC sfc_,
        SFCReader.Layout sfcLayout_,
        StakedFTM stFTM_,
        ValidatorRegistry registry_,
        AllocationPlanner planner_,
        address admin,
        address treasury_,
        uint256 feeBps_
    ) PoolSettings(admin, treasury_, feeBps_) {
        sfc = sfc_;
        sfcLayout = sfcLayout_;
        stFTM = stFTM_;
        registry = registry_;
        planner = planner_;
    }

    /// @notice Accepts FTM only from the SFC (rewards, withdrawals). Anything else reverts.
    receive() external payable {
        if (msg.sender != address(sfc)) revert StakingPool__UnexpectedSender(msg.sender);
    }

    // ---------------------------------------------------------------- deployment

    /// @notice Mints the first shares to a burn address (at least 1 FTM) and links the wrapper and the
    /// withdrawal queue, once: with dead shares in place, no first depositor can inflate the rate.
    function initialise(WrappedStakedFTM wstFTM_, WithdrawalQueue queue_) external payable onlyRole(DEFAULT_ADMIN_ROLE) {
        if (stFTM.totalShares() != 0 || address(wstFTM) != address(0)) revert StakingPool__AlreadyInitialised();
        if (msg.value < MIN_DEAD_SHARES_DEPOSIT) revert StakingPool__BelowMinStake(msg.value, MIN_DEAD_SHARES_DEPOSIT);
        if (address(wstFTM_) == address(0) || address(queue_) == address(0)) revert StakingPool__ZeroAddress();
        (wstFTM, withdrawalQueue) = (wstFTM_, queue_);
        _idle += msg.value;
        uint256 shares = stFTM.mintForDeposit(DEAD, msg.value, 0);
        emit WrapperBound(address(wstFTM_));
        emit QueueBound(address(queue_));
        emit DeadSharesMinted(msg.value, shares);
    }

    // ---------------------------------------------------------------- holders

    /// @notice Stakes the FTM sent and mints stFTM to `receiver`; returns the shares minted. The FTM waits
    /// as idle liquidity (serving withdrawals first) until `process` delegates it.
    function stake(address receiver) external payable returns (uint256 shares) {
        _requireNotPaused(Action.Stake);
        if (msg.value < minStake) revert StakingPool__BelowMinStake(msg.value, minStake);
        if (receiver == address(0)) revert StakingPool__ZeroAddress();
        // The shares are priced at the pooled total of this second, rewards vested so far included. Before
        // `initialise` that total is 0, and so it is after a total loss: either way there is no rate to price at.
        uint256 pooled = _pooled();
        if (pooled == 0) revert StakingPool__NothingPooled();
        _idle += msg.value;
        shares = stFTM.mintForDeposit(receiver, msg.value, pooled);
        emit Staked(msg.sender, receiver, msg.value, shares);
    }

    /// @notice The queue's call before it takes a request: reverts while withdrawals are paused, brings stFTM's
    /// rate up to this second (so the shares locked are priced like a stake now would be) and returns the
    /// minimum withdrawal (FTM wei; below it only a holder's whole balance).
    function openWithdrawalRequest() external nonReentrant returns (uint256 minimum) {
        if (msg.sender != address(withdrawalQueue)) revert StakingPool__OnlyQueue(msg.sender);
        _requireNotPaused(Action.Withdraw);
        _syncRate(0);
        return minStake;
    }

    /// @notice The longest a request should wait for finalisation while the keeper runs (seconds): the SFC's
    /// withdrawal period plus the grace period after which anyone may run the round.
    function withdrawalDelay() external view returns (uint256) {
        return SFCReader.consts(sfc).withdrawalPeriodTime() + keeperGracePeriod;
    }

    // ---------------------------------------------------------------- keeper

    /// @notice Runs the keeper round for at most `maxSteps` steps and carries on where it stopped next call.
    /// Operators may call it at any time; anyone may once `keeperGracePeriod` has passed since the last
    /// completed round. The phases, in order, each in its own function below:
    /// 1. Harvest: book slashing and claim rewards, a step per validator of the set.
    /// 2. Withdraw: withdraw matured SFC requests, a step per request.
    ///    (Then the rewards and gains of this call are booked: they start vesting, the fee is minted.)
    /// 3. Finalise: finalise the oldest withdrawal requests that idle FTM covers, a step per request; first, in
    ///    the same call, every slashing the SFC reports is booked.
    /// 4. Rebalance: execute the allocation's moves, a step per move; the round completes after the last one.
    /// Between phases: every validator of the set has been harvested this round (after 1); every matured SFC
    /// request that the SFC pays has been withdrawn into idle (after 2); the oldest pending request is not
    /// covered by idle FTM (after 3, so idle FTM left is free to delegate); the books equal the SFC's records
    /// at booked value throughout, and stFTM's total equals `totalPooledFTM` at the end of every call.
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
        if (r.phase == Phase.Harvest) (steps, rewards, gains, setCurrent) = _harvestPhase(r, set, maxSteps);
        if (r.phase == Phase.Withdraw) {
            (uint256 used, uint256 gain) = _withdrawPhase(r, maxSteps - steps);
            (steps, gains) = (steps + used, gains + gain);
        }
        _bookRewards(rewards, gains);
        if (r.phase == Phase.Finalise) steps += _finalisePhase(r, set, maxSteps - steps);
        if (r.phase == Phase.Rebalance && steps < maxSteps) {
            if (!setCurrent) set = registry.allocationView();
            uint256 used;
            (used, roundCompleted) = _rebalancePhase(r, set, maxSteps - steps);
            steps += used;
        }
        if (roundCompleted) {
            lastRoundCompletedAt = block.timestamp;
            emit Rebalanced(r.startedAt, _pooled());
            r = Round(Phase.Idle, 0, 0, 0);
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
        PositionValue.Book memory b = _books[validatorId];
        return PositionValue.value(b.stakeRaw, b);
    }

    /// @notice The pool's position at `validatorId`: raw stake, raw unbonding, slashed and refund ratio.
    function bookOf(uint256 validatorId) external view returns (PositionValue.Book memory) {
        return _books[validatorId];
    }

    /// @notice Idle FTM (wei) in the pool's books (the FTM of finalised requests is in the queue, not here).
    function idleLiquidity() external view returns (uint256) {
        return _idle;
    }

    /// @notice FTM (wei) owed to withdrawal requests not yet finalised.
    function pendingWithdrawals() external view returns (uint256) {
        return withdrawalQueue.pendingDemand();
    }

    /// @notice Whether idle FTM covers the oldest pending withdrawal request now (the next round finalises it).
    function nextWithdrawalPayable() external view returns (bool) {
        return _nextIsPayable();
    }

    /// @notice Whether the registry may retire `validatorId` from the set: the pool has no stake there and no
    /// unbonding that could still pay (unbonding at a validator slashed with a refund ratio of 0 is worth
    /// nothing; its SFC requests stay with the pool and are retried if the chain raises the ratio).
    function canRetire(uint256 validatorId) external view returns (bool) {
        PositionValue.Book memory b = _books[validatorId];
        return b.stakeRaw == 0 && (b.unbondingRaw == 0 || (b.slashed && b.refundRatio == 0));
    }

    function unbondingCount() external view returns (uint256) {
        return _unbondings.length;
    }

    function unbondingAt(uint256 index) external view returns (Unbonding memory) {
        return _unbondings[index];
    }

    // ---------------------------------------------------------------- internals: the phases of `process`

    /// @dev Harvests the set's validators from `r.cursor` on, a step each; moves on to Withdraw after the last.
    /// Returns the steps used, the rewards received, the gains from raised refund ratios, and whether `set` is
    /// still the registry's current view (harvesting an exiting validator may retire it).
    function _harvestPhase(Round memory r, ValidatorRegistry.Member[] memory set, uint256 budget)
        private
        returns (uint256 used, uint256 rewards, uint256 gains, bool setCurrent)
    {
        setCurrent = true;
        uint256 n = set.length;
        while (r.cursor < n && used < budget) {
            ValidatorRegistry.Member memory member = set[r.cursor];
            if (member.state == ValidatorRegistry.State.Exiting) setCurrent = false;
            (uint256 received, uint256 gain) = _harvest(member.id, member.state);
            (rewards, gains) = (rewards + received, gains + gain);
            ++r.cursor;
            ++used;
        }
        if (r.cursor >= n) (r.phase, r.cursor) = (Phase.Withdraw, 0);
    }

    /// @dev Tries the SFC requests from `r.cursor` on, a step each; moves on to Finalise after the last.
    /// Returns the steps used and the gains from raised refund ratios.
    function _withdrawPhase(Round memory r, uint256 budget) private returns (uint256 used, uint256 gains) {
        uint256 epochNow = sfc.currentEpoch();
        (uint256 periodEpochs, uint256 periodTime) = _withdrawalPeriod();
        while (r.cursor < _unbondings.length && used < budget) {
            ++used;
            (bool removed, uint256 gain) = _tryWithdraw(r.cursor, epochNow, periodEpochs, periodTime);
            gains += gain;
            if (!removed) ++r.cursor;
        }
        if (r.cursor >= _unbondings.length) (r.phase, r.cursor) = (Phase.Finalise, 0);
    }

    /// @dev Finalises the oldest requests idle FTM covers, a step each, after booking every slashing the SFC
    /// reports (nothing is paid out before every loss is in the rate); moves on to Rebalance once the oldest
    /// pending request is not covered and a step is left. Returns the steps used.
    function _finalisePhase(Round memory r, ValidatorRegistry.Member[] memory set, uint256 budget)
        private
        returns (uint256 used)
    {
        if (budget > 0 && _nextIsPayable()) {
            _bookEverySlashing(set);
            // What a finalised request's shares were worth above its payout stays with the pool; it vests
            // like rewards, at once, so that neither holders at this moment nor the next request finalised
            // in this call take it in one jump.
            while (used < budget) {
                (bool done, uint256 left) = _finaliseNext();
                if (!done) break;
                if (left > 0) _bookRewards(0, left);
                ++used;
            }
        }
        if (used < budget) r.phase = Phase.Rebalance;
    }

    /// @dev Plans the allocation and executes its moves, a step each. Returns the steps used and whether the
    /// last move was made (the round is then complete).
    function _rebalancePhase(Round memory r, ValidatorRegistry.Member[] memory set, uint256 budget)
        private
        returns (uint256 used, bool completed)
    {
        Allocation.Move[] memory moves = _plan(set, r.driftUsed).moves;
        uint256 count = moves.length;
        for (; used < count && used < budget; ++used) {
            r.driftUsed += uint128(_execute(moves[used]));
        }
        completed = used == count;
    }

    // ---------------------------------------------------------------- internals: withdrawals

    /// @dev What the oldest pending request would be paid now: the lesser of what it asked for and what its
    /// locked shares are worth. `id` is 0 when no request is pending.
    function _nextPayout() private view returns (uint256 id, uint256 pay, uint256 shares, uint256 value) {
        uint256 amount;
        (id, amount, shares) = withdrawalQueue.nextPending();
        if (id == 0) return (0, 0, 0, 0);
        value = stFTM.amountForShares(shares);
        pay = amount < value ? amount : value;
    }

    function _nextIsPayable() private view returns (bool) {
        (uint256 id, uint256 pay,,) = _nextPayout();
        return id != 0 && pay <= _idle;
    }

    /// @dev Finalises the oldest pending request if idle liquidity covers it: burns its locked shares, takes the
    /// payout out of the books and sends it to the queue. Returns whether it did and what the shares were worth
    /// above the payout (rewards earned while it waited, which stay with the pool).
    function _finaliseNext() private returns (bool done, uint256 leftOver) {
        (uint256 id, uint256 pay, uint256 shares, uint256 value) = _nextPayout();
        if (id == 0 || pay > _idle) return (false, 0);
        _idle -= pay;
        stFTM.burnLocked(shares, pay);
        withdrawalQueue.finalise{value: pay}(id);
        return (true, value - pay);
    }

    // ---------------------------------------------------------------- internals: books

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

    /// @dev Replaces the book of `validatorId`, keeping the booked totals exact.
    function _setBook(uint256 validatorId, PositionValue.Book memory before, PositionValue.Book memory next) private {
        (uint256 stakeBefore, uint256 unbondingBefore) = PositionValue.values(before);
        (uint256 stakeNext, uint256 unbondingNext) = PositionValue.values(next);
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
        PositionValue.Book memory b = _books[validatorId];
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
        PositionValue.Book memory b = _books[validatorId];
        if (b.stakeRaw == 0 && b.unbondingRaw == 0) return 0;
        if (!sfc.isSlashed(validatorId)) return 0;
        uint256 ratio = sfc.slashingRefundRatio(validatorId);
        if (ratio > 1e18) ratio = 1e18;
        if (b.slashed && ratio == b.refundRatio) return 0;
        if (!b.slashed) ++_slashedBooks;
        PositionValue.Book memory next = PositionValue.Book(b.stakeRaw, b.unbondingRaw, true, uint64(ratio));
        uint256 oldValue = PositionValue.value(uint256(b.stakeRaw) + b.unbondingRaw, b);
        uint256 newValue = PositionValue.value(uint256(b.stakeRaw) + b.unbondingRaw, next);
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
            PositionValue.Book memory b = _books[u.validatorId];
            PositionValue.Book memory next = PositionValue.Book(b.stakeRaw, b.unbondingRaw - uint128(u.amount), b.slashed, b.refundRatio);
            (, uint256 expectedBefore) = PositionValue.values(b);
            (, uint256 expectedAfter) = PositionValue.values(next);
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
                demand: withdrawalQueue.pendingDemand(),
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
        PositionValue.Book memory b;
        if (anySlashed) b = _books[member.id];
        else b.stakeRaw = _books[member.id].stakeRaw; // not slashed; the unbonding part is not planned with
        v.id = member.id;
        v.stake = PositionValue.value(b.stakeRaw, b);
        v.weightBps = member.weightBps;
        if (member.state == ValidatorRegistry.State.Active && !b.slashed) {
            (v.eligible, v.room) = sfc.capacity(sfcLayout, maxRatio, member.id);
        }
        v.withdrawable = b.stakeRaw > 0 && !(b.slashed && b.refundRatio == 0);
    }

    /// @dev Executes one move; returns the FTM that counted against the drift budget. A move the SFC
    /// refuses is reported and skipped, so one validator can never block the round for the others.
    function _execute(Allocation.Move memory m) private returns (uint256 driftUsed) {
        PositionValue.Book memory b = _books[m.validatorId];
        if (m.isDelegate) {
            try sfc.delegate{value: m.amount}(m.validatorId) {
                _idle -= m.amount;
                _setBook(m.validatorId, b, PositionValue.Book(b.stakeRaw + uint128(m.amount), b.unbondingRaw, b.slashed, b.refundRatio));
                emit Delegated(m.validatorId, m.amount);
            } catch (bytes memory reason) {
                emit MoveFailed(m.validatorId, true, m.amount, reason);
            }
            return 0;
        }
        if (_undelegate(m.validatorId, b, PositionValue.rawForValue(m.amount, b), m.driftAmount)) return m.driftAmount;
    }

    /// @dev Asks the SFC to undelegate `rawAmount` (as the SFC counts it) at `validatorId` under a new request
    /// id and books it as unbonding; returns whether the SFC accepted. A refusal is reported, books unchanged.
    function _undelegate(uint256 validatorId, PositionValue.Book memory b, uint256 rawAmount, uint256 driftAmount)
        private
        returns (bool ok)
    {
        uint256 wrId = nextWrId++;
        try sfc.undelegate(validatorId, wrId, rawAmount) {
            _setBook(
                validatorId,
                b,
                PositionValue.Book(b.stakeRaw - uint128(rawAmount), b.unbondingRaw + uint128(rawAmount), b.slashed, b.refundRatio)
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
}
