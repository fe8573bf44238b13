// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {PositionValue} from "../../contracts/libraries/PositionValue.sol";
import {WithdrawalQueue} from "../../contracts/WithdrawalQueue.sol";
import {Test} from "forge-std/Test.sol";
import {Vm} from "forge-std/Vm.sol";
import {StakingPool} from "../../contracts/StakingPool.sol";
import {StakedFTM} from "../../contracts/StakedFTM.sol";
import {WrappedStakedFTM} from "../../contracts/WrappedStakedFTM.sol";
import {ValidatorRegistry} from "../../contracts/ValidatorRegistry.sol";
import {SFCModel} from "../../contracts/testing/SFCModel.sol";
import {PoolBase} from "../utils/PoolBase.sol";

/// @dev Drives the pool with random sequences of what holders, keepers and the chain do, and records
/// what the invariants need to judge them (ghost variables).
contract PoolHandler is Test {
    StakingPool public pool;
    WithdrawalQueue public queue;
    StakedFTM public stFTM;
    WrappedStakedFTM public wst;
    ValidatorRegistry public registry;
    SFCModel public sfc;
    address public operator;
    uint256[] public validatorIds;
    address[] public actors;

    uint256 public lastRate;
    bool public rateFellWithoutSlashing;
    bool public paidMoreThanShares;
    bool public paidMoreThanRequested;
    bool public claimPaidWrongAmount;
    uint256 public totalClaimed;
    uint256 public totalFinalised;
    uint256 public slashings;
    bool public rateRoseMoreThanVested;
    bool public finalisedBeforeSlashingBooked;
    bool public tokenLagsAfterBooking;
    uint256 public maxOverpaid; // wei by which a payout exceeded its shares' value at the end of the call
    mapping(bytes32 => uint256) public calls;

    constructor(
        StakingPool pool_,
        SFCModel sfc_,
        address operator_,
        uint256[] memory ids_,
        address[] memory actors_
    ) {
        pool = pool_;
        queue = pool_.withdrawalQueue();
        stFTM = pool_.stFTM();
        wst = pool_.wstFTM();
        registry = pool_.registry();
        sfc = sfc_;
        operator = operator_;
        validatorIds = ids_;
        actors = actors_;
        lastRate = pool_.getRate();
    }

    modifier judged(bytes32 name, bool mayBookSlashing) {
        ++calls[name];
        (uint256 unvestedBefore,) = pool.vestingRewards();
        vm.recordLogs();
        _;
        uint256 rate = pool.getRate();
        if (rate < lastRate && !(mayBookSlashing && slashings > 0)) rateFellWithoutSlashing = true;
        // The rate rises only by what vested in this step: rewards, refunds, and what finalised requests left
        // behind (their locked shares were worth more than they were paid) all vest.
        (uint256 unvestedAfter,) = pool.vestingRewards();
        uint256 vested = unvestedBefore + _addedToVesting() - unvestedAfter;
        uint256 shares = stFTM.totalShares();
        if (rate > lastRate && (rate - lastRate) > (vested * 1e18) / shares + 2) {
            rateRoseMoreThanVested = true;
        }
        lastRate = rate;
    }

    /// @dev After a call that books (stake, request, process), stFTM's total is the pool's total of this second.
    function _checkBooked() internal {
        if (stFTM.totalPooledFTM() != pool.totalPooledFTM()) tokenLagsAfterBooking = true;
    }

    function _addedToVesting() internal returns (uint256 added) {
        Vm.Log[] memory logs = vm.getRecordedLogs();
        for (uint256 i; i < logs.length; ++i) {
            if (logs[i].emitter == address(pool) && logs[i].topics[0] == StakingPool.RewardsVesting.selector) {
                (uint256 a,,) = abi.decode(logs[i].data, (uint256, uint256, uint256));
                added += a;
            }
        }
    }

    function _actor(uint256 seed) internal view returns (address) {
        return actors[seed % actors.length];
    }

    /// @dev An actor given `amount` (bounded to 0.01 .. `max` FTM) more FTM to stake, and the next call pranked as it.
    function _fundedActor(uint256 actorSeed, uint256 amount, uint256 max) private returns (address a, uint256 value) {
        value = bound(amount, 0.01 ether, max);
        a = _actor(actorSeed);
        vm.deal(a, a.balance + value);
        vm.prank(a);
    }

    function stake(uint256 actorSeed, uint256 amount) external judged("stake", false) {
        (address a, uint256 value) = _fundedActor(actorSeed, amount, 5_000 ether);
        pool.stake{value: value}(a);
        _checkBooked();
    }

    function stakeAndWrap(uint256 actorSeed, uint256 amount) external judged("stakeAndWrap", false) {
        (address a, uint256 value) = _fundedActor(actorSeed, amount, 1_000 ether);
        wst.stakeAndWrap{value: value}(a);
    }

    function transfer(uint256 fromSeed, uint256 toSeed, uint256 amount) external judged("transfer", false) {
        address from = _actor(fromSeed);
        uint256 balance = stFTM.balanceOf(from);
        if (balance == 0) return;
        amount = bound(amount, 1, balance);
        vm.prank(from);
        stFTM.transfer(_actor(toSeed), amount);
    }

    function wrap(uint256 actorSeed, uint256 amount) external judged("wrap", false) {
        address a = _actor(actorSeed);
        uint256 balance = stFTM.balanceOf(a);
        if (balance < 1 ether) return;
        amount = bound(amount, 1 ether, balance);
        vm.startPrank(a);
        stFTM.approve(address(wst), amount);
        wst.wrap(amount);
        vm.stopPrank();
    }

    function unwrap(uint256 actorSeed, uint256 amount) external judged("unwrap", false) {
        address a = _actor(actorSeed);
        uint256 balance = wst.balanceOf(a);
        if (balance == 0) return;
        amount = bound(amount, 1, balance);
        vm.prank(a);
        wst.unwrap(amount);
    }

    function request(uint256 actorSeed, uint256 amount, bool wrapped) external judged("request", false) {
        address a = _actor(actorSeed);
        vm.startPrank(a);
        if (wrapped) {
            uint256 balance = wst.balanceOf(a);
            if (balance >= 0.02 ether) {
                amount = bound(amount, 0.02 ether, balance);
                wst.approve(address(queue), amount);
                _recordFinalisation(queue.requestWithdrawalWrapped(amount, a));
                _checkBooked();
            }
        } else {
            uint256 balance = stFTM.balanceOf(a);
            if (balance >= 0.02 ether) {
                amount = bound(amount, 0.01 ether, balance - 0.01 ether);
                _recordFinalisation(queue.requestWithdrawal(amount, a));
                _checkBooked();
            }
        }
        vm.stopPrank();
    }

    function claim(uint256 actorSeed) external judged("claim", false) {
        address a = _actor(actorSeed);
        uint256[] memory mine = queue.requestsOf(a, 0, type(uint256).max);
        uint256 n;
        for (uint256 i; i < mine.length; ++i) {
            if (queue.requestStatus(mine[i]).status == WithdrawalQueue.RequestStatus.Finalised) ++n;
        }
        if (n == 0) return;
        uint256[] memory ready = new uint256[](n);
        n = 0;
        uint256 expected;
        for (uint256 i; i < mine.length; ++i) {
            WithdrawalQueue.RequestView memory r = queue.requestStatus(mine[i]);
            if (r.status == WithdrawalQueue.RequestStatus.Finalised) {
                ready[n++] = mine[i];
                expected += r.finalisedAmount;
                if (r.finalisedAmount > r.amount) paidMoreThanRequested = true;
            }
        }
        uint256 before = a.balance;
        vm.prank(a);
        queue.claim(ready, a);
        if (a.balance - before != expected) claimPaidWrongAmount = true;
        totalClaimed += expected;
    }

    /// @dev A holder hands a receipt to another, directly or through an operator it approves: the receipt's
    /// new holder is the one paid when it is claimed.
    function transferReceipt(uint256 fromSeed, uint256 toSeed, uint256 pick, bool viaOperator)
        external
        judged("transferReceipt", false)
    {
        address from = _actor(fromSeed);
        address to = _actor(toSeed);
        uint256 held = queue.balanceOf(from);
        if (held == 0) return;
        uint256 id = queue.requestsOf(from, pick % held, 1)[0];
        if (viaOperator) {
            vm.prank(from);
            queue.setApprovalForAll(to, true);
            vm.prank(to);
            queue.transferFrom(from, to, id);
        } else {
            vm.prank(from);
            queue.transferFrom(from, to, id);
        }
    }

    function process(uint256 steps) external judged("process", true) {
        steps = bound(steps, 1, 60);
        uint256 next = queue.nextToFinalise();
        vm.prank(operator);
        pool.process(steps);
        _checkBooked();
        for (uint256 id = next; id < queue.nextToFinalise(); ++id) {
            WithdrawalQueue.RequestView memory r = queue.requestStatus(id);
            // Finalisation happens after this call's rewards and slashing are booked, and burning locked
            // shares only raises the rate, so the shares' value at the end of the call bounds the payment.
            uint256 value = stFTM.amountForShares(r.lockedShares);
            if (r.finalisedAmount > r.amount) paidMoreThanRequested = true;
            if (r.finalisedAmount > value && r.finalisedAmount - value > maxOverpaid) maxOverpaid = r.finalisedAmount - value;
            if (r.finalisedAmount > value + 2) paidMoreThanShares = true;
            totalFinalised += r.finalisedAmount;
        }
        if (queue.nextToFinalise() > next) _checkEverySlashingBooked();
    }

    /// @dev Anyone may book slashing, at any time.
    function bookSlashing(uint256 validatorSeed) external judged("bookSlashing", true) {
        uint256[] memory one = new uint256[](1);
        one[0] = validatorIds[validatorSeed % validatorIds.length];
        vm.prank(actors[0]);
        pool.bookSlashing(one);
    }

    /// @dev A request was finalised in this call: every slashing the SFC reports where the pool has stake or
    /// unbonding must be in the books, at the SFC's current refund ratio.
    function _checkEverySlashingBooked() internal {
        for (uint256 i; i < validatorIds.length; ++i) {
            uint256 id = validatorIds[i];
            PositionValue.Book memory b = pool.bookOf(id);
            if (b.stakeRaw == 0 && b.unbondingRaw == 0) continue;
            if (!sfc.isSlashed(id)) continue;
            uint256 ratio = sfc.slashingRefundRatio(id);
            if (!b.slashed || b.refundRatio != (ratio > 1e18 ? 1e18 : ratio)) finalisedBeforeSlashingBooked = true;
        }
    }

    function sealEpoch(uint256 reward) external judged("sealEpoch", false) {
        reward = bound(reward, 0, 200 ether);
        vm.warp(block.timestamp + 6 hours);
        vm.deal(address(this), reward);
        vm.prank(sfc.owner());
        sfc.sealEpoch{value: reward}();
    }

    function passTime(uint256 secondsAhead) external judged("passTime", false) {
        vm.warp(block.timestamp + bound(secondsAhead, 1 hours, 8 days));
        vm.prank(sfc.owner());
        sfc.sealEpochs(1);
    }

    function slash(uint256 validatorSeed, uint256 ratio) external judged("slash", false) {
        if (slashings >= 2) return; // a couple per run keeps most of the pool working
        uint256 id = validatorIds[validatorSeed % validatorIds.length];
        if (sfc.isSlashed(id)) return;
        vm.startPrank(sfc.owner());
        sfc.slash(id);
        sfc.updateSlashingRefundRatio(id, bound(ratio, 0, 1e18));
        vm.stopPrank();
        ++slashings;
    }

    function deactivate(uint256 validatorSeed) external judged("deactivate", false) {
        uint256 id = validatorIds[validatorSeed % validatorIds.length];
        vm.prank(sfc.owner());
        sfc.deactivateValidator(id, 8);
        registry.sync(id);
    }

    function forceFTM(uint256 amount) external judged("forceFTM", false) {
        amount = bound(amount, 1, 100 ether);
        vm.deal(address(pool), address(pool).balance + amount);
    }

    /// @dev Requests are never finalised when made: only `process` finalises.
    function _recordFinalisation(uint256 id) internal {
        if (queue.requestStatus(id).status != WithdrawalQueue.RequestStatus.Pending) paidMoreThanRequested = true;
    }

    receive() external payable {}
}

/// @dev Handler-based invariants over random sequences of stake, transfer, wrap, request, claim, process,
/// epochs with rewards, slashing, deactivation and forced FTM.
contract PoolInvariantsTest is PoolBase {
    PoolHandler internal handler;
    address[] internal actors;

    function setUp() public {
        _deploy(5);
        _stake(alice, 2_000 ether);
        _processAll();
        actors.push(alice);
        actors.push(bob);
        actors.push(carol);
        actors.push(makeAddr("dave"));
        handler = new PoolHandler(pool, sfc, operator, ids, actors);
        // The handler seals epochs and slashes as the chain's owner would.
        sfc.transferOwnershipForTests(address(handler));
        targetContract(address(handler));
    }

    /// @notice The books balance against what the SFC reports, validator by validator.
    function invariant_BooksBalanceAgainstTheSFC() public view {
        uint256 unbondingRaw;
        for (uint256 i; i < ids.length; ++i) {
            assertEq(pool.bookOf(ids[i]).stakeRaw, sfc.getStake(address(pool), ids[i]), "stake per validator");
            unbondingRaw += pool.bookOf(ids[i]).unbondingRaw;
        }
        uint256 pendingAtSFC;
        for (uint256 i; i < pool.unbondingCount(); ++i) {
            StakingPool.Unbonding memory u = pool.unbondingAt(i);
            (,, uint256 amount) = sfc.getWithdrawalRequest(address(pool), u.validatorId, u.wrId);
            assertEq(amount, u.amount, "each SFC withdrawal request is booked");
            pendingAtSFC += amount;
        }
        assertEq(unbondingRaw, pendingAtSFC, "unbonding totals");
        assertLe(stFTM.totalPooledFTM(), pool.totalPooledFTM(), "the token's total lags only by rewards vested since");
        assertFalse(handler.tokenLagsAfterBooking(), "token and pool agree on pooled FTM after every booking");
    }

    /// @notice Finalised requests are always fully covered by FTM the queue holds, and that FTM is not the pool's.
    function invariant_FinalisedRequestsAreFullyCovered() public view {
        uint256 owed;
        for (uint256 id = 1; id < queue.nextRequestId(); ++id) {
            WithdrawalQueue.RequestView memory r = queue.requestStatus(id);
            if (r.status == WithdrawalQueue.RequestStatus.Finalised) owed += r.finalisedAmount;
        }
        assertEq(address(queue).balance, owed, "the queue holds exactly what finalised requests are owed");
        assertGe(address(pool).balance, pool.idleLiquidity(), "the pool holds its idle FTM");
    }

    /// @notice Every live receipt is listed exactly once, under the wallet that holds it; claimed ones nowhere.
    function invariant_EachReceiptIsListedOnceUnderItsHolder() public view {
        uint256 listed;
        for (uint256 i; i < actors.length; ++i) {
            uint256[] memory mine = queue.requestsOf(actors[i], 0, type(uint256).max);
            assertEq(mine.length, queue.balanceOf(actors[i]));
            for (uint256 j; j < mine.length; ++j) {
                assertEq(queue.ownerOf(mine[j]), actors[i], "listed under its holder");
            }
            listed += mine.length;
        }
        uint256 live;
        for (uint256 id = 1; id < queue.nextRequestId(); ++id) {
            if (queue.requestStatus(id).status != WithdrawalQueue.RequestStatus.Claimed) ++live;
        }
        assertEq(listed, live, "every unclaimed receipt is in a list");
    }

    /// @notice What was finalised is either claimed or still in the queue, to the wei.
    function invariant_FinalisedFTMIsClaimedOrInTheQueue() public view {
        assertEq(handler.totalFinalised(), handler.totalClaimed() + address(queue).balance);
    }

    /// @notice Total shares equal the sum of all balances.
    function invariant_TotalSharesEqualTheSumOfBalances() public view {
        uint256 sum = stFTM.sharesOf(address(queue)) + stFTM.sharesOf(address(wst)) + stFTM.sharesOf(pool.DEAD())
            + stFTM.sharesOf(treasury);
        for (uint256 i; i < actors.length; ++i) {
            sum += stFTM.sharesOf(actors[i]);
        }
        assertEq(stFTM.totalShares(), sum);
        assertEq(wst.totalSupply(), stFTM.sharesOf(address(wst)), "every wstFTM is backed by one share");
    }

    /// @notice Locked shares of pending requests are all the shares the queue holds; the pool holds none.
    function invariant_TheQueueHoldsExactlyTheLockedShares() public view {
        uint256 locked;
        for (uint256 id = queue.nextToFinalise(); id < queue.nextRequestId(); ++id) {
            locked += queue.requestStatus(id).lockedShares;
        }
        assertEq(stFTM.sharesOf(address(queue)), locked);
        assertEq(stFTM.sharesOf(address(pool)), 0);
    }

    /// @notice The rate never falls except when slashing is booked.
    function invariant_TheRateNeverFallsExceptOnBookedSlashing() public view {
        assertFalse(handler.rateFellWithoutSlashing());
    }

    /// @notice The rate never rises by more than the rewards vested so far.
    function invariant_TheRateRisesOnlyByVestedRewards() public view {
        assertFalse(handler.rateRoseMoreThanVested());
    }

    /// @notice Every slashing the SFC reports is booked before any request is finalised.
    function invariant_EverySlashingIsBookedBeforeAnyRequestIsFinalised() public view {
        assertFalse(handler.finalisedBeforeSlashingBooked());
    }

    /// @notice No account is paid more than its request, nor more than its locked shares were worth.
    function invariant_NobodyIsPaidMoreThanTheirSharesWereWorth() public view {
        assertLe(handler.maxOverpaid(), 2, "rounding of the vesting schedule: at most 2 wei");
        assertFalse(handler.paidMoreThanShares(), "paid more than the locked shares were worth");
        assertFalse(handler.paidMoreThanRequested(), "paid more than requested");
        assertFalse(handler.claimPaidWrongAmount(), "a claim paid other than the finalised amounts");
        assertLe(handler.totalClaimed(), handler.totalFinalised());
    }
}
