// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {Vm} from "forge-std/Vm.sol";
import {IAccessControl} from "@openzeppelin/contracts/access/IAccessControl.sol";
import {PoolBase} from "./utils/PoolBase.sol";
import {StakingPool} from "../contracts/StakingPool.sol";
import {ValidatorRegistry} from "../contracts/ValidatorRegistry.sol";
import {Allocation} from "../contracts/libraries/Allocation.sol";
import {SFCReader} from "../contracts/libraries/SFCReader.sol";
import {ForcedFTMSender, ReentrantClaimer, IClaimable, FTMRefuser} from "../contracts/testing/Attackers.sol";

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
        vm.expectRevert(StakingPool.StakingPool__ZeroAddress.selector);
        pool.stake{value: 1 ether}(address(0));
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
        uint256 id = pool.requestWithdrawal(4 ether, alice);
        assertEq(uint256(pool.withdrawalRequest(id).status), uint256(StakingPool.RequestStatus.Pending), "never at once");
        _processAll();
        StakingPool.WithdrawalRequest memory r = pool.withdrawalRequest(id);
        assertEq(uint256(r.status), uint256(StakingPool.RequestStatus.Finalised));
        assertEq(r.finalisedAmount, 4 ether);
        uint256[] memory list = new uint256[](1);
        list[0] = id;
        uint256 before = alice.balance;
        vm.prank(alice);
        pool.claim(list, alice);
        assertEq(alice.balance - before, 4 ether);
        assertApproxEqAbs(stFTM.balanceOf(alice), 6 ether, 1);
    }

    function test_AWithdrawalWaitsForTheSFCWithdrawalPeriodWhenStakeIsDelegated() public {
        _stake(alice, 100 ether);
        _processAll();
        vm.prank(alice);
        uint256 id = pool.requestWithdrawal(50 ether, alice);
        assertEq(uint256(pool.withdrawalRequest(id).status), uint256(StakingPool.RequestStatus.Pending));
        _processAll(); // undelegates what the request needs
        assertGt(pool.totalUnbondingBooked(), 0);
        assertEq(uint256(pool.withdrawalRequest(id).status), uint256(StakingPool.RequestStatus.Pending));
        _passWithdrawalPeriod();
        _processAll();
        assertEq(uint256(pool.withdrawalRequest(id).status), uint256(StakingPool.RequestStatus.Finalised));
        uint256[] memory list = new uint256[](1);
        list[0] = id;
        vm.prank(alice);
        assertEq(pool.claim(list, alice), 50 ether);
    }

    function test_AWrappedWithdrawalLocksTheWrappedShares() public {
        _stake(alice, 10 ether);
        vm.startPrank(alice);
        stFTM.approve(address(wst), 10 ether);
        uint256 wstAmount = wst.wrap(10 ether);
        wst.approve(address(pool), wstAmount);
        uint256 id = pool.requestWithdrawalWrapped(wstAmount, alice);
        vm.stopPrank();
        _processAll();
        assertEq(wst.balanceOf(alice), 0);
        StakingPool.WithdrawalRequest memory r = pool.withdrawalRequest(id);
        assertEq(r.lockedShares, wstAmount);
        assertEq(uint256(r.status), uint256(StakingPool.RequestStatus.Finalised));
        assertApproxEqAbs(r.finalisedAmount, 10 ether, 1);
    }

    function test_WithdrawalRequestsOfListsTheOwnersRequests() public {
        _stake(alice, 10 ether);
        vm.startPrank(alice);
        pool.requestWithdrawal(1 ether, alice);
        pool.requestWithdrawal(1 ether, bob);
        pool.requestWithdrawal(1 ether, alice);
        vm.stopPrank();
        uint256[] memory mine = pool.withdrawalRequestsOf(alice);
        assertEq(mine.length, 2);
        assertEq(mine[0], 1);
        assertEq(mine[1], 3);
        assertEq(pool.withdrawalRequestsOf(bob)[0], 2);
    }

    function test_ARequestBelowTheMinimumReverts() public {
        _stake(alice, 10 ether);
        vm.prank(alice);
        vm.expectRevert(abi.encodeWithSelector(StakingPool.StakingPool__BelowMinWithdrawal.selector, 0.001 ether, 0.01 ether));
        pool.requestWithdrawal(0.001 ether, alice);
    }

    function test_AHolderMayWithdrawAWholeBalanceBelowTheMinimum() public {
        _stake(alice, 1 ether);
        vm.prank(alice);
        stFTM.transfer(bob, 0.005 ether);
        uint256 all = stFTM.balanceOf(bob);
        vm.prank(bob);
        uint256 id = pool.requestWithdrawal(all, bob);
        _processAll();
        assertEq(uint256(pool.withdrawalRequest(id).status), uint256(StakingPool.RequestStatus.Finalised));
    }

    function test_ARequestForMoreThanTheBalanceReverts() public {
        _stake(alice, 1 ether);
        vm.prank(alice);
        vm.expectRevert();
        pool.requestWithdrawal(2 ether, alice);
    }

    function test_ADoubleClaimReverts() public {
        uint256 id = _finalisedRequest(alice, 1 ether);
        uint256[] memory list = new uint256[](1);
        list[0] = id;
        vm.prank(alice);
        pool.claim(list, alice);
        vm.prank(alice);
        vm.expectRevert(abi.encodeWithSelector(StakingPool.StakingPool__AlreadyClaimed.selector, id));
        pool.claim(list, alice);
    }

    function test_AClaimByANonOwnerReverts() public {
        uint256 id = _finalisedRequest(alice, 1 ether);
        uint256[] memory list = new uint256[](1);
        list[0] = id;
        vm.prank(bob);
        vm.expectRevert(abi.encodeWithSelector(StakingPool.StakingPool__NotRequestOwner.selector, id, bob));
        pool.claim(list, bob);
    }

    function test_AClaimOfAPendingRequestReverts() public {
        _stake(alice, 100 ether);
        _processAll();
        vm.prank(alice);
        uint256 id = pool.requestWithdrawal(10 ether, alice);
        uint256[] memory list = new uint256[](1);
        list[0] = id;
        vm.prank(alice);
        vm.expectRevert(
            abi.encodeWithSelector(StakingPool.StakingPool__NotFinalised.selector, id, StakingPool.RequestStatus.Pending)
        );
        pool.claim(list, alice);
    }

    function test_AClaimToARecipientThatRefusesFTMRevertsAndKeepsTheRequest() public {
        uint256 id = _finalisedRequest(alice, 1 ether);
        FTMRefuser refuser = new FTMRefuser();
        uint256[] memory list = new uint256[](1);
        list[0] = id;
        vm.prank(alice);
        vm.expectRevert(abi.encodeWithSelector(StakingPool.StakingPool__PaymentFailed.selector, address(refuser), 1 ether));
        pool.claim(list, address(refuser));
        assertEq(uint256(pool.withdrawalRequest(id).status), uint256(StakingPool.RequestStatus.Finalised));
    }

    function test_AnEmptyClaimReverts() public {
        uint256[] memory list = new uint256[](0);
        vm.expectRevert(StakingPool.StakingPool__NoRequests.selector);
        pool.claim(list, alice);
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
        ReentrantClaimer attacker = new ReentrantClaimer(IClaimable(address(pool)));
        _stake(address(attacker), 5 ether);
        attacker.request(2 ether);
        attacker.request(1 ether);
        _processAll();
        uint256 poolBalance = address(pool).balance;
        attacker.claimAll();
        assertEq(address(attacker).balance, 3 ether, "paid exactly once");
        assertEq(attacker.reentryAttempts(), 1);
        assertFalse(attacker.reentrySucceeded());
        assertEq(poolBalance - address(pool).balance, 3 ether);
        assertEq(pool.reservedFTM(), 0);
    }

    function test_SlashingBetweenRequestAndClaimPaysTheLesserOfRequestedAndValueAtFinalisation() public {
        _stake(alice, 400 ether);
        _processAll();
        vm.prank(alice);
        uint256 id = pool.requestWithdrawal(100 ether, alice);
        uint256 locked = pool.withdrawalRequest(id).lockedShares;
        // A quarter of the pool's stake is slashed by half.
        sfc.slash(ids[0]);
        sfc.updateSlashingRefundRatio(ids[0], 0.5e18);
        uint256 rateBefore = _rate();
        _processAll();
        assertLt(_rate(), rateBefore, "the loss is booked for everyone");
        _passWithdrawalPeriod();
        _processAll();
        StakingPool.WithdrawalRequest memory r = pool.withdrawalRequest(id);
        assertEq(uint256(r.status), uint256(StakingPool.RequestStatus.Finalised));
        uint256 valueNow = pool.amountForShares(locked);
        assertLt(r.finalisedAmount, 100 ether, "the requester shares the loss");
        assertApproxEqRel(r.finalisedAmount, 100 ether * 875 / 1000, 0.01e18, "about 12.5 % less");
        assertLe(r.finalisedAmount, valueNow + r.finalisedAmount, "never more than the shares were worth");
    }

    function test_RewardsBetweenRequestAndFinalisationAreNotPaidToTheRequester() public {
        _stake(alice, 400 ether);
        _processAll();
        vm.prank(alice);
        uint256 id = pool.requestWithdrawal(100 ether, alice);
        _seal(3, 100 ether);
        _processAll();
        _passWithdrawalPeriod();
        _processAll();
        assertEq(pool.withdrawalRequest(id).finalisedAmount, 100 ether, "unbonding stake earns nothing");
    }

    function test_AFullySlashedValidatorWithRefundRatioZeroDoesNotBlockProcessForTheOthers() public {
        _stake(alice, 400 ether);
        _processAll();
        // Stake is unbonding at the validator when it is slashed: its SFC withdraw will revert.
        vm.prank(alice);
        pool.requestWithdrawal(200 ether, alice);
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
        pool.pause(StakingPool.Action.Stake);
        vm.deal(alice, 1 ether);
        vm.prank(alice);
        vm.expectRevert(abi.encodeWithSelector(StakingPool.StakingPool__ActionPaused.selector, StakingPool.Action.Stake));
        pool.stake{value: 1 ether}(alice);
        vm.prank(guardian);
        vm.expectRevert(
            abi.encodeWithSelector(IAccessControl.AccessControlUnauthorizedAccount.selector, guardian, bytes32(0))
        );
        pool.resume(StakingPool.Action.Stake);
        pool.resume(StakingPool.Action.Stake);
        _stake(alice, 1 ether);
    }

    function test_PausingProcessStopsTheKeeper() public {
        vm.prank(guardian);
        pool.pause(StakingPool.Action.Process);
        vm.prank(operator);
        vm.expectRevert(abi.encodeWithSelector(StakingPool.StakingPool__ActionPaused.selector, StakingPool.Action.Process));
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

    function test_AfterProcessEveryEligibleValidatorIsWithin50BpsOfItsTarget() public {
        _stake(alice, 3_000 ether);
        _processAll();
        uint256[] memory set = ids;
        uint16[] memory w = new uint16[](4);
        (w[0], w[1], w[2], w[3]) = (1_000, 2_000, 3_000, 4_000);
        registry.setTargets(set, w);
        _processAll(); // undelegates the excess
        _passWithdrawalPeriod();
        _processAll(); // withdraws and delegates to the short
        uint256[] memory stakes = new uint256[](4);
        uint256[] memory weights = new uint256[](4);
        for (uint256 i; i < 4; ++i) {
            stakes[i] = sfc.getStake(address(pool), ids[i]);
            weights[i] = w[i];
        }
        assertLe(Allocation.maxDriftBps(stakes, weights), 50);
    }

    function test_ARoundWhoseInflowCoversItsWithdrawalsUndelegatesNothing() public {
        _stake(alice, 1_000 ether);
        _processAll();
        vm.prank(alice);
        pool.requestWithdrawal(300 ether, alice);
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
        vm.expectRevert(abi.encodeWithSelector(StakingPool.StakingPool__FeeTooHigh.selector, 2_001, 2_000));
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
        vm.expectRevert(abi.encodeWithSelector(StakingPool.StakingPool__ValueOutOfRange.selector, bytes32("keeperGracePeriod"), 31 days));
        pool.setKeeperGracePeriod(31 days);
        vm.expectRevert(abi.encodeWithSelector(StakingPool.StakingPool__ValueOutOfRange.selector, bytes32("minStake"), 0));
        pool.setMinStake(0);
        vm.expectRevert(StakingPool.StakingPool__ZeroAddress.selector);
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
        pool.initialise{value: 1 ether}(wst);
        assertEq(stFTM.sharesOf(pool.DEAD()), 1 ether);
    }

    // ------------------------------------------------------------ helpers

    function test_GovernanceSetsThePauseLengthAndResumeStartsTheCooldown() public {
        pool.setMaxPauseDuration(3 days);
        assertEq(pool.maxPauseDuration(), 3 days);
        vm.prank(guardian);
        pool.pause(StakingPool.Action.Stake);
        (uint256 until,) = pool.pauseWindow(StakingPool.Action.Stake);
        assertEq(until, block.timestamp + 3 days);
        pool.resume(StakingPool.Action.Stake);
        (, uint256 cooldownUntil) = pool.pauseWindow(StakingPool.Action.Stake);
        assertEq(cooldownUntil, block.timestamp + 3 days, "no new pause for as long as the pause could last");
        vm.expectRevert(abi.encodeWithSelector(StakingPool.StakingPool__ValueOutOfRange.selector, bytes32("maxPauseDuration"), 0));
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
