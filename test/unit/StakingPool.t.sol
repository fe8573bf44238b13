// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {WithdrawalQueue, IWithdrawalPool} from "../../contracts/WithdrawalQueue.sol";
import {Vm} from "forge-std/Vm.sol";
import {IAccessControl} from "@openzeppelin/contracts/access/IAccessControl.sol";
import {PoolBase} from "../utils/PoolBase.sol";
import {StakingPool} from "../../contracts/StakingPool.sol";
import {PoolSettings} from "../../contracts/PoolSettings.sol";
import {ValidatorRegistry} from "../../contracts/ValidatorRegistry.sol";
import {Allocation} from "../../contracts/libraries/Allocation.sol";
import {SFCReader} from "../../contracts/libraries/SFCReader.sol";
import {ForcedFTMSender, ReentrantClaimer, IClaimable, FTMRefuser} from "../../contracts/testing/Attackers.sol";
import {PositionValue} from "../../contracts/libraries/PositionValue.sol";
import {ISFC} from "../../contracts/interfaces/ISFC.sol";
import {StakedFTM} from "../../contracts/StakedFTM.sol";
import {WrappedStakedFTM, IStakeEntry} from "../../contracts/WrappedStakedFTM.sol";

contract StakingPoolTest is PoolBase {
    function setUp() public {
        _deploy(4);
    }

    // ------------------------------------------------------------ staking

    function test_StakeMintsSharesAtTheRateAndKeepsTheFTMIdle() public {
        uint256 shares = _stake(alice, 10 ether);
        assertEq(shares, 10 ether, "1:1 before any reward");
        assertEq(stFTM.balanceOf(alice), 10 ether);
        assertEq(pool.idleLiquidity(), 11 ether, "dead shares deposit + stake");
        assertEq(pool.totalPooledFTM(), 11 ether);
        assertEq(_sumDelegated(), 0, "no SFC call until process");
    }

    function test_StakeBelowTheMinimumReverts() public {
        vm.deal(alice, 1 ether);
        vm.prank(alice);
        vm.expectRevert(abi.encodeWithSelector(StakingPool.StakingPool__BelowMinStake.selector, 0.001 ether, 0.01 ether));
        pool.stake{value: 0.001 ether}(alice);
    }

    function test_StakeForTheZeroAddressReverts() public {
        vm.deal(alice, 1 ether);
        vm.prank(alice);
        vm.expectRevert(PoolSettings.StakingPool__ZeroAddress.selector);
        pool.stake{value: 1 ether}(address(0));
    }

    /// @dev Every validator is slashed with a refund ratio of 0 while the whole pool is delegated: the pool is
    /// worth nothing and its shares are still out. A stake now would be minted 1:1 and hand most of the new FTM
    /// to the old shares; the pool refuses it instead, and the would-be staker keeps every wei.
    function test_APoolThatSlashingHasEmptiedTakesNoStake() public {
        _stake(alice, 400 ether);
        _processAll();
        assertEq(pool.idleLiquidity(), 0, "everything is delegated");
        for (uint256 i; i < ids.length; ++i) {
            sfc.slash(ids[i]);
            sfc.updateSlashingRefundRatio(ids[i], 0);
        }
        _processAll();
        assertEq(pool.totalPooledFTM(), 0, "the pool is worth nothing");
        assertGt(stFTM.totalShares(), 400 ether, "alice's and the dead shares are still out");

        vm.deal(bob, 100 ether);
        vm.prank(bob);
        vm.expectRevert(StakingPool.StakingPool__NothingPooled.selector);
        pool.stake{value: 100 ether}(bob);
        assertEq(bob.balance, 100 ether, "bob keeps his FTM");
        assertEq(stFTM.balanceOf(bob), 0);
        assertEq(stFTM.balanceOf(alice), 0, "and alice's shares gain nothing from him");
    }

    /// @dev The boundary of the test above: slashing with the smallest refund ratio the SFC can report (1 wei per
    /// FTM) leaves the pool a few hundred wei against 401 FTM of shares. The pool still takes stake, and prices it
    /// at that rate: the newcomer's shares are worth what he paid, less rounding, and the old holders gain no
    /// more than that rounding from him.
    function test_APoolSlashedDownToDustPricesANewStakeAtItsRate() public {
        _stake(alice, 400 ether);
        _processAll();
        for (uint256 i; i < ids.length; ++i) {
            sfc.slash(ids[i]);
            sfc.updateSlashingRefundRatio(ids[i], 1);
        }
        _processAll();
        uint256 pooled = pool.totalPooledFTM();
        assertGt(pooled, 0, "dust is left");
        assertLt(pooled, 1_000, "only dust");
        uint256 aliceBefore = stFTM.balanceOf(alice);

        _stake(bob, 100 ether);
        assertLe(stFTM.balanceOf(bob), 100 ether, "bob gets no more than he paid");
        assertApproxEqAbs(stFTM.balanceOf(bob), 100 ether, 2, "and loses at most rounding");
        assertLe(stFTM.balanceOf(alice), aliceBefore + 2, "alice gains at most rounding from him");
        assertEq(pool.totalPooledFTM(), pooled + 100 ether, "the books hold his stake");
    }

    function test_ProcessDelegatesIdleStakeToTheValidatorsByTarget() public {
        _stake(alice, 400 ether);
        _processAll();
        for (uint256 i; i < ids.length; ++i) {
            assertApproxEqAbs(sfc.getStake(address(pool), ids[i]), 100.25 ether, 1, "401 FTM over 4 equal targets");
            assertEq(pool.bookOf(ids[i]).stakeRaw, sfc.getStake(address(pool), ids[i]), "books agree with the SFC");
        }
        assertLe(pool.idleLiquidity(), 3, "only rounding dust stays idle");
    }

    function test_RewardsRaiseTheRateAndTheFeeIsMintedToTheTreasury() public {
        _stake(alice, 1_000 ether);
        _processAll();
        uint256 rateBefore = _rate();
        _seal(1, 40 ether); // pool holds 1,001 of 5,001 FTM staked: about 8 FTM before commission
        uint256 pending;
        for (uint256 i; i < ids.length; ++i) {
            pending += sfc.pendingRewards(address(pool), ids[i]);
        }
        assertGt(pending, 0);
        vm.warp(block.timestamp + 1 days);
        _processAll();
        assertEq(_rate(), rateBefore, "harvested rewards start vesting: the rate has not moved yet");
        assertApproxEqAbs(stFTM.balanceOf(treasury), pending * FEE_BPS / 10_000, 10, "fee = 10 % of rewards, at once");
        (uint256 unvested,) = pool.vestingRewards();
        assertApproxEqAbs(unvested, pending - pending * FEE_BPS / 10_000, 10, "the rest vests");
        _vestRewards();
        assertGt(_rate(), rateBefore, "rate rose");
        assertApproxEqAbs(pool.totalPooledFTM(), 1_001 ether + pending, 10);
        assertEq(stFTM.totalPooledFTM(), pool.totalPooledFTM(), "token and pool agree");
    }

    // ------------------------------------------------------------ withdrawals

    function test_AWithdrawalIsFinalisedByTheNextRoundFromIdleLiquidity() public {
        _stake(alice, 10 ether);
        vm.prank(alice);
        uint256 id = queue.requestWithdrawal(4 ether, alice);
        assertEq(uint256(queue.requestStatus(id).status), uint256(WithdrawalQueue.RequestStatus.Pending), "never at once");
        _processAll();
        WithdrawalQueue.RequestView memory r = queue.requestStatus(id);
        assertEq(uint256(r.status), uint256(WithdrawalQueue.RequestStatus.Finalised));
        assertEq(r.finalisedAmount, 4 ether);
        uint256[] memory list = new uint256[](1);
        list[0] = id;
        uint256 before = alice.balance;
        vm.prank(alice);
        queue.claim(list, alice);
        assertEq(alice.balance - before, 4 ether);
        assertApproxEqAbs(stFTM.balanceOf(alice), 6 ether, 1);
    }

    function test_AWithdrawalWaitsForTheSFCWithdrawalPeriodWhenStakeIsDelegated() public {
        _stake(alice, 100 ether);
        _processAll();
        vm.prank(alice);
        uint256 id = queue.requestWithdrawal(50 ether, alice);
        assertEq(uint256(queue.requestStatus(id).status), uint256(WithdrawalQueue.RequestStatus.Pending));
        _processAll(); // undelegates what the request needs
        assertGt(pool.totalUnbondingBooked(), 0);
        assertEq(uint256(queue.requestStatus(id).status), uint256(WithdrawalQueue.RequestStatus.Pending));
        _passWithdrawalPeriod();
        _processAll();
        assertEq(uint256(queue.requestStatus(id).status), uint256(WithdrawalQueue.RequestStatus.Finalised));
        uint256[] memory list = new uint256[](1);
        list[0] = id;
        vm.prank(alice);
        assertEq(queue.claim(list, alice), 50 ether);
    }

    function test_AWrappedWithdrawalLocksTheWrappedShares() public {
        _stake(alice, 10 ether);
        vm.startPrank(alice);
        stFTM.approve(address(wst), 10 ether);
        uint256 wstAmount = wst.wrap(10 ether);
        wst.approve(address(queue), wstAmount);
        uint256 id = queue.requestWithdrawalWrapped(wstAmount, alice);
        vm.stopPrank();
        _processAll();
        assertEq(wst.balanceOf(alice), 0);
        WithdrawalQueue.RequestView memory r = queue.requestStatus(id);
        assertEq(r.lockedShares, wstAmount);
        assertEq(uint256(r.status), uint256(WithdrawalQueue.RequestStatus.Finalised));
        assertApproxEqAbs(r.finalisedAmount, 10 ether, 1);
    }

    function test_WithdrawalRequestsOfListsTheOwnersRequests() public {
        _stake(alice, 10 ether);
        vm.startPrank(alice);
        queue.requestWithdrawal(1 ether, alice);
        queue.requestWithdrawal(1 ether, bob);
        queue.requestWithdrawal(1 ether, alice);
        vm.stopPrank();
        uint256[] memory mine = queue.requestsOf(alice, 0, type(uint256).max);
        assertEq(mine.length, 2);
        assertEq(mine[0], 1);
        assertEq(mine[1], 3);
        assertEq(queue.requestsOf(bob, 0, type(uint256).max)[0], 2);
    }

    function test_ARequestBelowTheMinimumReverts() public {
        _stake(alice, 10 ether);
        vm.prank(alice);
        vm.expectRevert(abi.encodeWithSelector(WithdrawalQueue.WithdrawalQueue__BelowMinWithdrawal.selector, 0.001 ether, 0.01 ether));
        queue.requestWithdrawal(0.001 ether, alice);
    }

    function test_AHolderMayWithdrawAWholeBalanceBelowTheMinimum() public {
        _stake(alice, 1 ether);
        vm.prank(alice);
        stFTM.transfer(bob, 0.005 ether);
        uint256 all = stFTM.balanceOf(bob);
        vm.prank(bob);
        uint256 id = queue.requestWithdrawal(all, bob);
        _processAll();
        assertEq(uint256(queue.requestStatus(id).status), uint256(WithdrawalQueue.RequestStatus.Finalised));
    }

    function test_ARequestForMoreThanTheBalanceReverts() public {
        _stake(alice, 1 ether);
        vm.prank(alice);
        vm.expectRevert();
        queue.requestWithdrawal(2 ether, alice);
    }

    function test_ADoubleClaimReverts() public {
        uint256 id = _finalisedRequest(alice, 1 ether);
        uint256[] memory list = new uint256[](1);
        list[0] = id;
        vm.prank(alice);
        queue.claim(list, alice);
        vm.prank(alice);
        vm.expectRevert(abi.encodeWithSelector(WithdrawalQueue.WithdrawalQueue__AlreadyClaimed.selector, id));
        queue.claim(list, alice);
    }

    function test_AClaimByANonOwnerReverts() public {
        uint256 id = _finalisedRequest(alice, 1 ether);
        uint256[] memory list = new uint256[](1);
        list[0] = id;
        vm.prank(bob);
        vm.expectRevert(abi.encodeWithSelector(WithdrawalQueue.WithdrawalQueue__NotOwnerOrApproved.selector, id, bob));
        queue.claim(list, bob);
    }

    function test_AClaimOfAPendingRequestReverts() public {
        _stake(alice, 100 ether);
        _processAll();
        vm.prank(alice);
        uint256 id = queue.requestWithdrawal(10 ether, alice);
        uint256[] memory list = new uint256[](1);
        list[0] = id;
        vm.prank(alice);
        vm.expectRevert(
            abi.encodeWithSelector(WithdrawalQueue.WithdrawalQueue__NotFinalised.selector, id, WithdrawalQueue.RequestStatus.Pending)
        );
        queue.claim(list, alice);
    }

    function test_AClaimToARecipientThatRefusesFTMRevertsAndKeepsTheRequest() public {
        uint256 id = _finalisedRequest(alice, 1 ether);
        FTMRefuser refuser = new FTMRefuser();
        uint256[] memory list = new uint256[](1);
        list[0] = id;
        vm.prank(alice);
        vm.expectRevert(abi.encodeWithSelector(WithdrawalQueue.WithdrawalQueue__PaymentFailed.selector, address(refuser), 1 ether));
        queue.claim(list, address(refuser));
        assertEq(uint256(queue.requestStatus(id).status), uint256(WithdrawalQueue.RequestStatus.Finalised));
    }

    function test_AnEmptyClaimReverts() public {
        uint256[] memory list = new uint256[](0);
        vm.expectRevert(WithdrawalQueue.WithdrawalQueue__NoRequests.selector);
        queue.claim(list, alice);
    }

    // ------------------------------------------------------------ attacks

    function test_FirstDepositorCannotInflateTheRate() public {
        // The attacker is first after deployment and tries to make the next depositor's shares round to 0.
        _stake(carol, 0.01 ether);
        new ForcedFTMSender{value: 10_000 ether}(payable(address(pool)));
        vm.prank(carol);
        stFTM.transfer(address(pool), 0.005 ether); // a "donation" of stFTM moves shares, not the rate
        uint256 shares = _stake(alice, 10 ether);
        assertGt(shares, 0);
        assertApproxEqAbs(stFTM.balanceOf(alice), 10 ether, 1, "the victim keeps what it deposited");
        assertEq(_rate(), 1e18, "rate unchanged");
    }

    function test_ForcedFTMDoesNotMoveTheRate() public {
        _stake(alice, 10 ether);
        uint256 rate = _rate();
        uint256 pooled = pool.totalPooledFTM();
        new ForcedFTMSender{value: 500 ether}(payable(address(pool)));
        vm.warp(block.timestamp + 2 days);
        _processAll();
        assertEq(_rate(), rate);
        assertEq(pool.totalPooledFTM(), pooled);
        assertEq(_sumDelegated() + pool.idleLiquidity(), pooled, "forced FTM is never delegated");
    }

    function test_PlainFTMFromAnyoneButTheSFCIsRefused() public {
        vm.deal(alice, 1 ether);
        vm.prank(alice);
        (bool ok, bytes memory reason) = address(pool).call{value: 1 ether}("");
        assertFalse(ok);
        assertEq(reason, abi.encodeWithSelector(StakingPool.StakingPool__UnexpectedSender.selector, alice));
        vm.deal(address(sfc), 1 ether);
        vm.prank(address(sfc));
        (ok,) = address(pool).call{value: 1 ether}("");
        assertTrue(ok, "the SFC pays by plain call");
    }

    function test_ReentrantClaimRecipientGetsNothingExtra() public {
        ReentrantClaimer attacker = new ReentrantClaimer(IClaimable(address(queue)));
        _stake(address(attacker), 5 ether);
        attacker.request(2 ether);
        attacker.request(1 ether);
        _processAll();
        assertEq(address(queue).balance, 3 ether, "the finalised FTM waits in the queue");
        uint256 poolBalance = address(pool).balance;
        attacker.claimAll();
        assertEq(address(attacker).balance, 3 ether, "paid exactly once");
        assertEq(attacker.reentryAttempts(), 1);
        assertFalse(attacker.reentrySucceeded());
        assertEq(address(pool).balance, poolBalance, "a claim never touches the pool");
        assertEq(address(queue).balance, 0);
    }

    function test_SlashingBetweenRequestAndClaimPaysTheLesserOfRequestedAndValueAtFinalisation() public {
        _stake(alice, 400 ether);
        _processAll();
        vm.prank(alice);
        uint256 id = queue.requestWithdrawal(100 ether, alice);
        uint256 locked = queue.requestStatus(id).lockedShares;
        // A quarter of the pool's stake is slashed by half.
        sfc.slash(ids[0]);
        sfc.updateSlashingRefundRatio(ids[0], 0.5e18);
        uint256 rateBefore = _rate();
        _processAll();
        assertLt(_rate(), rateBefore, "the loss is booked for everyone");
        _passWithdrawalPeriod();
        _processAll();
        WithdrawalQueue.RequestView memory r = queue.requestStatus(id);
        assertEq(uint256(r.status), uint256(WithdrawalQueue.RequestStatus.Finalised));
        uint256 valueNow = pool.amountForShares(locked);
        assertLt(r.finalisedAmount, 100 ether, "the requester shares the loss");
        assertApproxEqRel(r.finalisedAmount, 100 ether * 875 / 1000, 0.01e18, "about 12.5 % less");
        assertLe(r.finalisedAmount, valueNow + r.finalisedAmount, "never more than the shares were worth");
    }

    function test_RewardsBetweenRequestAndFinalisationAreNotPaidToTheRequester() public {
        _stake(alice, 400 ether);
        _processAll();
        vm.prank(alice);
        uint256 id = queue.requestWithdrawal(100 ether, alice);
        _seal(3, 100 ether);
        _processAll();
        _passWithdrawalPeriod();
        _processAll();
        assertEq(queue.requestStatus(id).finalisedAmount, 100 ether, "unbonding stake earns nothing");
    }

    function test_AFullySlashedValidatorWithRefundRatioZeroDoesNotBlockProcessForTheOthers() public {
        _stake(alice, 400 ether);
        _processAll();
        // Stake is unbonding at the validator when it is slashed: its SFC withdraw will revert.
        vm.prank(alice);
        queue.requestWithdrawal(200 ether, alice);
        _processAll();
        sfc.slash(ids[0]);
        registry.sync(ids[0]);
        _passWithdrawalPeriod();
        _processAll();
        (bool stuck,) = _hasUnbondingAt(ids[0]);
        assertTrue(stuck, "the slashed request stays, waiting for a refund ratio");
        for (uint256 i = 1; i < ids.length; ++i) {
            (bool left,) = _hasUnbondingAt(ids[i]);
            assertFalse(left, "the others were withdrawn");
        }
        _stake(bob, 300 ether);
        _processAll();
        assertEq(sfc.getStake(address(pool), ids[0]), pool.bookOf(ids[0]).stakeRaw);
        assertGt(sfc.getStake(address(pool), ids[1]), 100 ether, "new stake goes to the healthy validators");
        assertEq(pool.stakeOf(ids[0]), 0, "booked at zero");
    }

    function test_ZeroRewardsDoNotBlockProcess() public {
        _stake(alice, 100 ether);
        _processAll();
        vm.warp(block.timestamp + 1 days);
        sfc.sealEpochs(2);
        vm.prank(operator);
        (, bool done) = pool.process(100);
        assertTrue(done);
    }

    function test_ADeactivatedValidatorIsDrainedAndNoLongerStakedTo() public {
        _stake(alice, 400 ether);
        _processAll();
        sfc.deactivateValidator(ids[1], 8); // OFFLINE
        _processAll();
        assertEq(sfc.getStake(address(pool), ids[1]), 0, "drained");
        _stake(bob, 300 ether);
        _passWithdrawalPeriod();
        _processAll();
        assertEq(sfc.getStake(address(pool), ids[1]), 0, "no new stake");
        assertApproxEqAbs(sfc.getStake(address(pool), ids[0]), uint256(701 ether) / 3, 2 ether);
    }

    function test_AValidatorAtCapacityGetsNoMoreStake() public {
        uint256 small = _addValidator(100 ether); // room: 1,500 FTM
        uint256[] memory set = new uint256[](2);
        (set[0], set[1]) = (ids[0], small);
        _setTargets(set);
        _stake(alice, 5_000 ether);
        _processAll();
        (, uint256 received,,,,,) = sfc.getValidator(small);
        assertEq(received, 1_600 ether, "filled to the SFC delegation limit, not beyond");
        assertEq(sfc.getStake(address(pool), ids[0]) + sfc.getStake(address(pool), small) + pool.idleLiquidity(), 5_001 ether);
        assertGt(sfc.getStake(address(pool), ids[0]), 2_500 ether, "the rest went where there is room");
    }

    function test_TheGuardianCanPauseButNotResume() public {
        vm.prank(guardian);
        pool.pause(PoolSettings.Action.Stake);
        vm.deal(alice, 1 ether);
        vm.prank(alice);
        vm.expectRevert(abi.encodeWithSelector(PoolSettings.StakingPool__ActionPaused.selector, PoolSettings.Action.Stake));
        pool.stake{value: 1 ether}(alice);
        vm.prank(guardian);
        vm.expectRevert(
            abi.encodeWithSelector(IAccessControl.AccessControlUnauthorizedAccount.selector, guardian, bytes32(0))
        );
        pool.resume(PoolSettings.Action.Stake);
        pool.resume(PoolSettings.Action.Stake);
        _stake(alice, 1 ether);
    }

    function test_PausingProcessStopsTheKeeper() public {
        vm.prank(guardian);
        pool.pause(PoolSettings.Action.Process);
        vm.prank(operator);
        vm.expectRevert(abi.encodeWithSelector(PoolSettings.StakingPool__ActionPaused.selector, PoolSettings.Action.Process));
        pool.process(10);
    }

    function test_ProcessNeverExceedsMaxStepsAndFinishesOverSeveralCalls() public {
        for (uint256 i; i < 6; ++i) {
            _addValidator(SELF_STAKE);
        }
        _equalTargets();
        _stake(alice, 1_000 ether);
        _processAll();
        _seal(2, 50 ether);
        _stake(bob, 500 ether);
        vm.warp(block.timestamp + 1 days);
        uint256 calls;
        bool done;
        while (!done) {
            vm.recordLogs();
            vm.prank(operator);
            uint256 steps;
            (steps, done) = pool.process(3);
            assertLe(steps, 3);
            assertLe(_sfcWrites(vm.getRecordedLogs()), 3, "at most one SFC write per step");
            ++calls;
            assertLt(calls, 40);
        }
        assertGt(calls, 3, "several calls were needed");
        assertLe(pool.idleLiquidity(), 10, "the round finished its work");
    }

    function test_ProcessWithZeroStepsReverts() public {
        vm.prank(operator);
        vm.expectRevert(StakingPool.StakingPool__ZeroSteps.selector);
        pool.process(0);
    }

    function test_AnyoneMayProcessOnceTheKeeperGracePeriodHasPassed() public {
        _stake(alice, 10 ether);
        _processAll();
        uint256 openAt = pool.lastRoundCompletedAt() + pool.keeperGracePeriod();
        vm.prank(carol);
        vm.expectRevert(abi.encodeWithSelector(StakingPool.StakingPool__KeeperTooEarly.selector, openAt));
        pool.process(10);
        vm.warp(openAt);
        vm.prank(carol);
        (, bool done) = pool.process(100);
        assertTrue(done);
    }

    function test_PreviewProcessShowsTheMovesTheNextRoundMakes() public {
        _stake(alice, 200 ether);
        Allocation.Move[] memory moves = pool.previewProcess();
        assertEq(moves.length, 4);
        uint256 total;
        for (uint256 i; i < moves.length; ++i) {
            assertTrue(moves[i].isDelegate);
            total += moves[i].amount;
        }
        assertApproxEqAbs(total, 201 ether, 4);
        _processAll();
        assertEq(pool.previewProcess().length, 0, "nothing left to do");
    }

    // ------------------------------------------------------------ allocation through the pool

    /// @dev Rule 7 through the pool: a validator over target by more than the threshold is brought back to the
    /// threshold, not to its target, and the FTM that comes back fills the most under-target validator first.
    function test_AfterProcessNoValidatorIsMoreThanTheThresholdOverItsTarget() public {
        _stake(alice, 3_000 ether);
        _processAll();
        uint256[] memory set = ids;
        uint16[] memory w = new uint16[](4);
        (w[0], w[1], w[2], w[3]) = (1_000, 2_000, 3_000, 4_000);
        registry.setTargets(set, w);
        _processAll(); // undelegates what validators 1 and 2 hold beyond the threshold over their targets
        _passWithdrawalPeriod();
        _processAll(); // withdraws and delegates to the short
        uint256[] memory stakes = new uint256[](4);
        uint256 sum;
        for (uint256 i; i < 4; ++i) {
            stakes[i] = sfc.getStake(address(pool), ids[i]);
            sum += stakes[i];
        }
        // Shares in bps of the pool's stake against the weights 10 / 20 / 30 / 40 %.
        assertEq(stakes[0] * 10_000 / sum, 1_050, "validator 1: the threshold (50 bps) over its target, no more");
        assertEq(stakes[1] * 10_000 / sum, 2_050, "validator 2: the threshold over its target, no more");
        assertEq(stakes[3] * 10_000 / sum, 4_000, "validator 4, the most under target, is filled first");
        assertEq(
            stakes[2] * 10_000 / sum, 2_900, "validator 3 is short by what validators 1 and 2 keep for withdrawals"
        );
        // The next withdrawal comes from what the over-target validators kept, not from validator 3.
        vm.prank(alice);
        queue.requestWithdrawal(30 ether, alice);
        uint256 before3 = sfc.getStake(address(pool), ids[2]);
        _processAll();
        assertEq(sfc.getStake(address(pool), ids[2]), before3, "the short validator gives nothing");
        assertLt(sfc.getStake(address(pool), ids[0]) + sfc.getStake(address(pool), ids[1]), stakes[0] + stakes[1]);
    }

    function test_ARoundWhoseInflowCoversItsWithdrawalsUndelegatesNothing() public {
        _stake(alice, 1_000 ether);
        _processAll();
        vm.prank(alice);
        queue.requestWithdrawal(300 ether, alice);
        _stake(bob, 400 ether);
        vm.recordLogs();
        _processAll();
        Vm.Log[] memory logs = vm.getRecordedLogs();
        for (uint256 i; i < logs.length; ++i) {
            assertTrue(logs[i].topics[0] != StakingPool.Undelegated.selector, "nothing sent into unbonding");
        }
        assertEq(pool.totalUnbondingBooked(), 0);
        assertEq(pool.pendingWithdrawals(), 0, "the request was finalised from the inflow");
    }

    function test_TheBooksBalanceAgainstTheSFCOnTheOperaLayout() public {
        // A fresh deployment reading getValidator in the Opera (SFC 3.x) layout.
        delete ids;
        _deployWithLayout(3, SFCReader.Layout.Opera);
        _stake(alice, 300 ether);
        _processAll();
        for (uint256 i; i < ids.length; ++i) {
            assertEq(pool.bookOf(ids[i]).stakeRaw, sfc.getStake(address(pool), ids[i]));
            assertApproxEqAbs(pool.bookOf(ids[i]).stakeRaw, 100.33 ether, 0.03 ether, "3,333 / 3,333 / 3,334 bps of 301 FTM");
        }
        sfc.deactivateValidator(ids[2], 1);
        _processAll();
        assertEq(sfc.getStake(address(pool), ids[2]), 0, "the Opera record's status is read correctly");
    }

    // ------------------------------------------------------------ governed settings

    function test_OnlyTheAdminChangesSettingsAndTheFeeIsCapped() public {
        vm.expectRevert(abi.encodeWithSelector(PoolSettings.StakingPool__FeeTooHigh.selector, 2_001, 2_000));
        pool.setFeeBps(2_001);
        pool.setFeeBps(2_000);
        assertEq(pool.feeBps(), 2_000);
        pool.setTreasury(bob);
        assertEq(pool.treasury(), bob);
        pool.setMinStake(1 ether);
        pool.setRebalanceThresholdBps(100);
        pool.setMaxUndelegatePerRound(50 ether);
        pool.setKeeperGracePeriod(2 days);
        assertEq(pool.minStake(), 1 ether);
        assertEq(pool.rebalanceThresholdBps(), 100);
        assertEq(pool.maxUndelegatePerRound(), 50 ether);
        assertEq(pool.keeperGracePeriod(), 2 days);
        vm.expectRevert(abi.encodeWithSelector(PoolSettings.StakingPool__ValueOutOfRange.selector, bytes32("keeperGracePeriod"), 31 days));
        pool.setKeeperGracePeriod(31 days);
        vm.expectRevert(abi.encodeWithSelector(PoolSettings.StakingPool__ValueOutOfRange.selector, bytes32("minStake"), 0));
        pool.setMinStake(0);
        vm.expectRevert(PoolSettings.StakingPool__ZeroAddress.selector);
        pool.setTreasury(address(0));

        bytes memory unauthorized =
            abi.encodeWithSelector(IAccessControl.AccessControlUnauthorizedAccount.selector, operator, bytes32(0));
        vm.startPrank(operator);
        vm.expectRevert(unauthorized);
        pool.setFeeBps(0);
        vm.expectRevert(unauthorized);
        pool.setTreasury(operator);
        vm.expectRevert(unauthorized);
        pool.setMinStake(1);
        vm.expectRevert(unauthorized);
        pool.setRebalanceThresholdBps(1);
        vm.expectRevert(unauthorized);
        pool.setMaxUndelegatePerRound(1);
        vm.expectRevert(unauthorized);
        pool.setKeeperGracePeriod(1);
        vm.stopPrank();
    }

    function test_InitialiseRunsOnceAndNeedsAtLeastOneFTMOfDeadShares() public {
        vm.expectRevert(StakingPool.StakingPool__AlreadyInitialised.selector);
        pool.initialise{value: 1 ether}(wst, queue);
        assertEq(stFTM.sharesOf(pool.DEAD()), 1 ether);
    }

    // ------------------------------------------------------------ helpers

    function test_GovernanceSetsThePauseLengthAndResumeStartsTheCooldown() public {
        pool.setMaxPauseDuration(3 days);
        assertEq(pool.maxPauseDuration(), 3 days);
        vm.prank(guardian);
        pool.pause(PoolSettings.Action.Stake);
        (uint256 until,) = pool.pauseWindow(PoolSettings.Action.Stake);
        assertEq(until, block.timestamp + 3 days);
        pool.resume(PoolSettings.Action.Stake);
        (, uint256 cooldownUntil) = pool.pauseWindow(PoolSettings.Action.Stake);
        assertEq(cooldownUntil, block.timestamp + 3 days, "no new pause for as long as the pause could last");
        vm.expectRevert(abi.encodeWithSelector(PoolSettings.StakingPool__ValueOutOfRange.selector, bytes32("maxPauseDuration"), 0));
        pool.setMaxPauseDuration(0);
    }

    function test_TheBookedTotalsAreTheSumOfTheBooks() public {
        _stake(alice, 400 ether);
        _processAll();
        uint256 sum;
        for (uint256 i; i < ids.length; ++i) {
            sum += pool.stakeOf(ids[i]);
        }
        assertEq(pool.totalStakeBooked(), sum);
        assertEq(pool.totalStakeBooked() + pool.idleLiquidity(), pool.totalPooledFTM());
    }

    function test_AWithdrawalTheSFCRefusesStaysQueuedAndBlocksNoOther() public {
        _stake(alice, 2 ether); // 0.75 FTM at each validator
        _processAll();
        registry.remove(ids[0]);
        registry.remove(ids[1]);
        _processAll(); // both drained: two SFC requests
        // Validator 1 is slashed with a refund so small that the SFC would pay 0 of 0.75 FTM: it refuses.
        sfc.slash(ids[0]);
        sfc.updateSlashingRefundRatio(ids[0], 1);
        _passWithdrawalPeriod();
        _processAll();
        assertEq(pool.unbondingCount(), 1, "the refused request stays");
        assertEq(pool.unbondingAt(0).validatorId, ids[0]);
        assertEq(pool.bookOf(ids[1]).unbondingRaw, 0, "the other one was withdrawn");
    }

    function _hasUnbondingAt(uint256 validatorId) internal view returns (bool found, uint256 amount) {
        for (uint256 i; i < pool.unbondingCount(); ++i) {
            StakingPool.Unbonding memory u = pool.unbondingAt(i);
            if (u.validatorId == validatorId) return (true, u.amount);
        }
    }

    function _sfcWrites(Vm.Log[] memory logs) internal pure returns (uint256 n) {
        for (uint256 i; i < logs.length; ++i) {
            bytes32 t = logs[i].topics[0];
            if (
                t == StakingPool.Delegated.selector || t == StakingPool.Undelegated.selector
                    || t == StakingPool.RewardsHarvested.selector || t == StakingPool.UnbondingWithdrawn.selector
            ) ++n;
        }
    }
}

/// @dev Paths of the pool the main suite does not take: deployment and initialisation mistakes, zero
/// addresses in withdrawals and claims, the bounds of two settings, an SFC that reports a refund ratio
/// above 100 %, and SFC calls that revert during a rebalance.
contract StakingPoolEdgeCasesTest is PoolBase {
    function setUp() public {
        _deploy(4);
    }

    function _newPool(StakedFTM token, address admin, address treasury_, uint256 fee) internal returns (StakingPool) {
        return new StakingPool(ISFC(address(sfc)), SFCReader.Layout.Sonic, token, registry, planner, admin, treasury_, fee);
    }

    // ------------------------------------------------------------ deployment

    function test_DeploymentRejectsAZeroAdminOrTreasuryAndAFeeAboveTheCap() public {
        StakedFTM token = _newStakedToken();
        vm.expectRevert(PoolSettings.StakingPool__ZeroAddress.selector);
        _newPool(token, address(0), treasury, FEE_BPS);
        vm.expectRevert(PoolSettings.StakingPool__ZeroAddress.selector);
        _newPool(token, address(this), address(0), FEE_BPS);
        vm.expectRevert(abi.encodeWithSelector(PoolSettings.StakingPool__FeeTooHigh.selector, 2_001, 2_000));
        _newPool(token, address(this), treasury, 2_001);

        StakingPool p = _newPool(token, address(this), treasury, 2_000);
        assertEq(p.feeBps(), 2_000, "the cap itself is allowed");
        assertEq(p.treasury(), treasury);
        assertTrue(p.hasRole(p.DEFAULT_ADMIN_ROLE(), address(this)));
    }

    function test_AFreshPoolTakesNoStakeUntilInitialisedWithOneFTMAndAWrapper() public {
        StakedFTM token = _newStakedToken();
        StakingPool p = _newPool(token, address(this), treasury, FEE_BPS);
        WrappedStakedFTM w = _newWrapper(token, IStakeEntry(address(p)));
        WithdrawalQueue q = new WithdrawalQueue(IWithdrawalPool(address(p)), token, w, "S");
        token.bindPool(address(p), address(q));

        vm.deal(alice, 10 ether);
        vm.prank(alice);
        vm.expectRevert(StakingPool.StakingPool__NothingPooled.selector);
        p.stake{value: 1 ether}(alice);

        vm.expectRevert(abi.encodeWithSelector(StakingPool.StakingPool__BelowMinStake.selector, 0.5 ether, 1 ether));
        p.initialise{value: 0.5 ether}(w, q);
        vm.expectRevert(PoolSettings.StakingPool__ZeroAddress.selector);
        p.initialise{value: 1 ether}(WrappedStakedFTM(address(0)), q);
        vm.expectRevert(PoolSettings.StakingPool__ZeroAddress.selector);
        p.initialise{value: 1 ether}(w, WithdrawalQueue(address(0)));
        assertEq(token.totalShares(), 0, "the failed attempts minted nothing");
        assertEq(address(p.wstFTM()), address(0), "and bound no wrapper");

        p.initialise{value: 1 ether}(w, q);
        assertEq(address(p.wstFTM()), address(w));
        assertEq(address(p.withdrawalQueue()), address(q));
        assertEq(token.sharesOf(p.DEAD()), 1 ether, "dead shares");
        vm.prank(alice);
        assertEq(p.stake{value: 1 ether}(alice), 1 ether, "staking works once initialised");
        assertEq(token.balanceOf(alice), 1 ether);
        assertEq(p.totalPooledFTM(), 2 ether);
    }

    // ------------------------------------------------------------ withdrawals

    function test_AWithdrawalRequestForTheZeroAddressRevertsAndLocksNothing() public {
        _stake(alice, 10 ether);
        uint256 nextId = queue.nextRequestId();

        vm.prank(alice);
        vm.expectRevert(WithdrawalQueue.WithdrawalQueue__ZeroAddress.selector);
        queue.requestWithdrawal(4 ether, address(0));

        vm.startPrank(alice);
        stFTM.approve(address(wst), 5 ether);
        uint256 wrapped = wst.wrap(5 ether);
        wst.approve(address(queue), wrapped);
        vm.expectRevert(WithdrawalQueue.WithdrawalQueue__ZeroAddress.selector);
        queue.requestWithdrawalWrapped(wrapped, address(0));
        vm.stopPrank();

        assertEq(wst.balanceOf(alice), wrapped, "the wrapped tokens stay with the holder");
        assertEq(stFTM.balanceOf(alice), 5 ether, "and so does the rest of the stake");
        assertEq(queue.nextRequestId(), nextId, "no request recorded");
        assertEq(pool.pendingWithdrawals(), 0);
        assertEq(address(queue).balance, 0);
    }

    function test_AClaimToTheZeroAddressRevertsAndTheRequestStaysClaimable() public {
        _stake(alice, 10 ether);
        vm.prank(alice);
        uint256 id = queue.requestWithdrawal(4 ether, alice);
        _processAll();
        uint256[] memory list = new uint256[](1);
        list[0] = id;

        vm.prank(alice);
        vm.expectRevert(WithdrawalQueue.WithdrawalQueue__ZeroAddress.selector);
        queue.claim(list, address(0));
        assertEq(uint256(queue.requestStatus(id).status), uint256(WithdrawalQueue.RequestStatus.Finalised));
        assertEq(address(queue).balance, 4 ether, "still reserved for the request");

        uint256 before = alice.balance;
        vm.prank(alice);
        assertEq(queue.claim(list, alice), 4 ether);
        assertEq(alice.balance - before, 4 ether);
        assertEq(address(queue).balance, 0);
    }

    // ------------------------------------------------------------ settings

    function test_TheRebalanceThresholdAndTheUndelegationCapAreBounded() public {
        vm.expectRevert(
            abi.encodeWithSelector(
                PoolSettings.StakingPool__ValueOutOfRange.selector, bytes32("rebalanceThresholdBps"), 10_001
            )
        );
        pool.setRebalanceThresholdBps(10_001);
        pool.setRebalanceThresholdBps(10_000);
        assertEq(pool.rebalanceThresholdBps(), 10_000, "100 % is the largest threshold");

        uint256 tooMuch = uint256(type(uint128).max) + 1;
        vm.expectRevert(
            abi.encodeWithSelector(
                PoolSettings.StakingPool__ValueOutOfRange.selector, bytes32("maxUndelegatePerRound"), tooMuch
            )
        );
        pool.setMaxUndelegatePerRound(tooMuch);
        pool.setMaxUndelegatePerRound(type(uint128).max);
        assertEq(pool.maxUndelegatePerRound(), type(uint128).max, "the round's drift counter is 128 bits");
    }

    // ------------------------------------------------------------ slashing

    /// @dev The SFC caps refund ratios at 1e18; should it ever report more, the pool books a full refund,
    /// never a gain.
    function test_ARefundRatioAboveOneFromTheSFCIsBookedAsAFullRefund() public {
        _stake(alice, 400 ether);
        _processAll();
        uint256 pooledBefore = pool.totalPooledFTM();
        uint256 rateBefore = _rate();
        uint256 stakeBefore = pool.stakeOf(ids[0]);
        assertGt(stakeBefore, 0);

        sfc.slash(ids[0]);
        vm.mockCall(
            address(sfc), abi.encodeWithSelector(ISFC.slashingRefundRatio.selector, ids[0]), abi.encode(uint256(2e18))
        );
        vm.expectEmit(true, false, false, true, address(pool));
        emit StakingPool.SlashingBooked(ids[0], 1e18, 0, false);
        vm.prank(operator);
        pool.process(1_000);

        PositionValue.Book memory b = pool.bookOf(ids[0]);
        assertTrue(b.slashed);
        assertEq(b.refundRatio, 1e18, "capped at a full refund");
        assertEq(pool.totalPooledFTM(), pooledBefore, "no gain booked");
        assertEq(_rate(), rateBefore, "the rate does not move");
    }

    // ------------------------------------------------------------ moves the SFC refuses

    /// @dev Runs a whole keeper round, which must complete despite the refusal, and returns the MoveFailed
    /// event it emitted for `validatorId`.
    function _roundWithARefusal(uint256 validatorId)
        private
        returns (bool seen, bool isDelegate, uint256 amount, bytes memory logged)
    {
        vm.recordLogs();
        vm.prank(operator);
        (, bool done) = pool.process(1_000);
        assertTrue(done, "one refusing validator does not block the round");
        return _moveFailed(vm.getRecordedLogs(), validatorId);
    }

    function test_ADelegationTheSFCRefusesIsReportedAndTheOthersStillGetTheirs() public {
        _stake(alice, 400 ether);
        bytes memory reason = abi.encodeWithSignature("Error(string)", "validator full");
        vm.mockCallRevert(address(sfc), abi.encodeWithSelector(ISFC.delegate.selector, ids[0]), reason);

        (bool seen, bool isDelegate, uint256 amount, bytes memory logged) = _roundWithARefusal(ids[0]);
        assertTrue(seen, "MoveFailed emitted");
        assertTrue(isDelegate);
        assertEq(amount, 100.25 ether, "its share of 401 FTM");
        assertEq(logged, reason, "with the SFC's revert data");

        assertEq(pool.bookOf(ids[0]).stakeRaw, 0, "nothing booked at the refusing validator");
        assertEq(sfc.getStake(address(pool), ids[0]), 0);
        for (uint256 i = 1; i < ids.length; ++i) {
            assertEq(sfc.getStake(address(pool), ids[i]), 100.25 ether, "the others get their targets");
            assertEq(pool.bookOf(ids[i]).stakeRaw, 100.25 ether, "books agree with the SFC");
        }
        assertEq(pool.idleLiquidity(), 100.25 ether, "the refused FTM stays idle");
        assertEq(pool.totalPooledFTM(), 401 ether, "nothing lost");
    }

    function test_AnUndelegationTheSFCRefusesIsReportedAndLeavesItsBookAsItWas() public {
        _stake(alice, 400 ether);
        _processAll();
        vm.prank(alice);
        uint256 id = queue.requestWithdrawal(200 ether, alice);
        PositionValue.Book memory before = pool.bookOf(ids[0]);
        bytes memory reason = abi.encodeWithSignature("Error(string)", "busy");
        vm.mockCallRevert(address(sfc), abi.encodeWithSelector(ISFC.undelegate.selector, ids[0]), reason);

        (bool seen, bool isDelegate, uint256 amount, bytes memory logged) = _roundWithARefusal(ids[0]);
        assertTrue(seen, "MoveFailed emitted");
        assertFalse(isDelegate);
        assertGt(amount, 0);
        assertEq(logged, reason);

        PositionValue.Book memory afterwards = pool.bookOf(ids[0]);
        assertEq(afterwards.stakeRaw, before.stakeRaw, "stake booked as before");
        assertEq(afterwards.unbondingRaw, before.unbondingRaw, "nothing booked as unbonding");
        assertEq(sfc.getStake(address(pool), ids[0]), before.stakeRaw, "books agree with the SFC");
        uint256 unbondingElsewhere;
        for (uint256 i; i < pool.unbondingCount(); ++i) {
            StakingPool.Unbonding memory u = pool.unbondingAt(i);
            assertTrue(u.validatorId != ids[0], "no unbonding at the refusing validator");
            unbondingElsewhere += u.amount;
        }
        assertGt(unbondingElsewhere, 0, "the others undelegated");
        assertEq(uint256(queue.requestStatus(id).status), uint256(WithdrawalQueue.RequestStatus.Pending));
    }

    function test_ThePoolsConversionViewsAreTheTokens() public {
        _stake(alice, 100 ether);
        _processAll();
        _seal(2, 20 ether);
        vm.warp(block.timestamp + 1 days);
        _processAll();
        _vestRewards();
        assertGt(_rate(), 1e18, "rewards booked");
        uint256 shares = pool.sharesForAmount(10 ether);
        assertEq(shares, stFTM.sharesForAmount(10 ether));
        assertLt(shares, 10 ether, "10 FTM buy fewer than 10e18 shares once the rate is above 1");
        assertEq(pool.amountForShares(shares), stFTM.amountForShares(shares));
        assertLe(pool.amountForShares(shares), 10 ether, "rounded down, in favour of the pool");
    }

    function _moveFailed(Vm.Log[] memory logs, uint256 validatorId)
        internal
        view
        returns (bool seen, bool isDelegate, uint256 amount, bytes memory reason)
    {
        for (uint256 i; i < logs.length; ++i) {
            if (logs[i].emitter != address(pool) || logs[i].topics[0] != StakingPool.MoveFailed.selector) continue;
            if (uint256(logs[i].topics[1]) != validatorId) continue;
            (isDelegate, amount, reason) = abi.decode(logs[i].data, (bool, uint256, bytes));
            return (true, isDelegate, amount, reason);
        }
    }
}
