// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {WithdrawalQueue} from "../../contracts/WithdrawalQueue.sol";
import {Vm} from "forge-std/Vm.sol";
import {IERC20Errors} from "@openzeppelin/contracts/interfaces/draft-IERC6093.sol";
import {PoolBase} from "../utils/PoolBase.sol";
import {StakingPool} from "../../contracts/StakingPool.sol";
import {PoolSettings} from "../../contracts/PoolSettings.sol";
import {ValidatorRegistry} from "../../contracts/ValidatorRegistry.sol";

/// @dev The attacks on the rate and on exits, each tried as the attacker would and judged by what the attacker
/// and the honest holders end with. The pool here is mainnet-sized: four validators with 1 M FTM of self-stake
/// (room for 15 M FTM each), 10 M FTM staked by honest `alice`.
contract FairRateAttacksTest is PoolBase {
    address internal attacker = makeAddr("attacker");
    uint256 internal constant POOL = 10_000_000 ether;
    uint256 internal constant DAILY_REWARDS = 2_000 ether; // shared by the SFC over 14 M FTM staked: ~1,370 FTM a day to the pool (5 % APR)

    function setUp() public {
        _deploy(0);
        for (uint256 i; i < 4; ++i) {
            _addValidator(1_000_000 ether);
        }
        _equalTargets();
        _stake(alice, POOL);
        _processAll();
        // A day of rewards accrues at the SFC, waiting for the next harvest.
        _seal(24, DAILY_REWARDS / 24);
    }

    // ------------------------------------------------------------------ the rate

    /// @notice Reward sandwich: stake just before the harvest, request just after, be paid. Whatever the size
    /// (up to 100 M FTM, as from a flash loan), whoever runs `process` and with how many steps, the attacker
    /// gets back at most what it put in (plus 2 wei of rounding), and alice ends with no less than without it.
    function testFuzz_RewardSandwichGainsNothing(uint256 amount, uint256 steps, bool anyoneRuns) public {
        amount = bound(amount, 1 ether, 100_000_000 ether);
        steps = bound(steps, 1, 40);
        address keeper = anyoneRuns ? carol : operator;
        vm.warp(block.timestamp + pool.keeperGracePeriod()); // anyone may run the round now

        uint256 honest = vm.snapshotState();
        _roundBy(keeper, steps);
        _settle();
        uint256 aliceWithout = pool.amountForShares(stFTM.sharesOf(alice));
        vm.revertToState(honest);

        // The attack: one transaction's worth of calls at the same timestamp.
        _stake(attacker, amount);
        vm.prank(keeper);
        pool.process(steps);
        uint256 all = stFTM.balanceOf(attacker);
        vm.prank(attacker);
        uint256 id = queue.requestWithdrawal(all, attacker);
        // Then whatever the keeper's rounds take to pay it.
        _roundBy(operator, steps);
        for (uint256 i; i < 2 && queue.requestStatus(id).status == WithdrawalQueue.RequestStatus.Pending; ++i) {
            _passWithdrawalPeriod();
            _roundBy(operator, steps);
        }
        uint256 paid = _claim(attacker, id);
        assertLe(paid, amount + 2, "the attacker takes out no more than it put in");
        // The leftover of the attacker's stake at the validators stays with the pool, so others lose nothing.
        _settle();
        uint256 aliceWith = pool.amountForShares(stFTM.sharesOf(alice));
        assertGe(aliceWith + 2, aliceWithout, "the honest holder loses nothing");
    }

    /// @notice Harvested rewards enter the rate linearly over the vesting period, net of the fee; a loss enters at
    /// once (see the slashing tests).
    function test_HarvestedRewardsEnterTheRateLinearlyOverTheVestingPeriod() public {
        uint256 rateBefore = _rate();
        _processAll();
        (uint256 unvested, uint256 end) = pool.vestingRewards();
        assertGt(unvested, 0, "the day's rewards are vesting");
        assertEq(end, block.timestamp + pool.rewardVestingPeriod());
        assertEq(_rate(), rateBefore, "nothing in the rate yet");
        uint256 shares = stFTM.totalShares();
        vm.warp(block.timestamp + pool.rewardVestingPeriod() / 4);
        assertApproxEqAbs((_rate() - rateBefore) * shares / 1e18, unvested / 4, 1e9, "a quarter after a quarter");
        vm.warp(end);
        assertApproxEqAbs((_rate() - rateBefore) * shares / 1e18, unvested, 1e9, "all at the end");
        vm.warp(end + 1 days);
        assertApproxEqAbs((_rate() - rateBefore) * shares / 1e18, unvested, 1e9, "and no more");
    }

    /// @notice The vesting period is governed, between an hour and a week.
    function test_TheRewardVestingPeriodIsBounded() public {
        vm.expectRevert(
            abi.encodeWithSelector(PoolSettings.StakingPool__ValueOutOfRange.selector, bytes32("rewardVestingPeriod"), 8 days)
        );
        pool.setRewardVestingPeriod(8 days);
        vm.expectRevert(
            abi.encodeWithSelector(PoolSettings.StakingPool__ValueOutOfRange.selector, bytes32("rewardVestingPeriod"), 59 minutes)
        );
        pool.setRewardVestingPeriod(59 minutes);
        pool.setRewardVestingPeriod(7 days);
        assertEq(pool.rewardVestingPeriod(), 7 days);
        vm.prank(alice);
        vm.expectRevert();
        pool.setRewardVestingPeriod(1 days);
    }

    // ------------------------------------------------------------------ slashing

    /// @notice Slash front-run: with a large part of the pool idle, a holder exits right after the SFC marks a
    /// validator slashed and before anyone books it. Its request is fixed at the old rate but paid only at
    /// finalisation, after the loss is booked: it carries its share of the loss, like everyone else.
    function testFuzz_SlashFrontRunCarriesItsShareOfTheLoss(uint256 share, uint256 steps, bool bookedByAnyone)
        public
    {
        steps = bound(steps, 1, 40);
        _stake(bob, 5_000_000 ether); // idle until the next round
        share = bound(share, 1 ether, 5_000_000 ether);
        vm.prank(bob);
        stFTM.transfer(attacker, share);
        uint256 attackerShares = stFTM.sharesOf(attacker);
        uint256 aliceShares = stFTM.sharesOf(alice);
        uint256 aliceBefore = pool.amountForShares(aliceShares);

        sfc.slash(ids[0]);
        sfc.updateSlashingRefundRatio(ids[0], 0.2e18); // 80 % of 2.5 M FTM lost
        uint256 all = stFTM.balanceOf(attacker);
        vm.prank(attacker);
        uint256 id = queue.requestWithdrawal(all, attacker);
        assertEq(uint256(queue.requestStatus(id).status), uint256(WithdrawalQueue.RequestStatus.Pending));
        if (bookedByAnyone) {
            uint256[] memory one = new uint256[](1);
            one[0] = ids[0];
            vm.prank(carol);
            pool.bookSlashing(one);
        }
        _roundBy(operator, steps);
        WithdrawalQueue.RequestView memory r = queue.requestStatus(id);
        assertEq(uint256(r.status), uint256(WithdrawalQueue.RequestStatus.Finalised), "paid from the idle FTM");
        // Everyone's shares lost the same fraction: the attacker's payout is its shares at the new rate.
        uint256 lossBps = 10_000 - r.finalisedAmount * 10_000 / all;
        assertApproxEqAbs(r.finalisedAmount, pool.amountForShares(attackerShares), 2, "paid at the rate after the loss");
        assertGe(lossBps, 1_000, "about 2 M of 17.5 M FTM lost: the attacker carries its ~11 %");
        // aliceAfter / aliceBefore == paid / requested, cross-multiplied.
        assertApproxEqRel(
            pool.amountForShares(aliceShares) * all, r.finalisedAmount * aliceBefore, 1e9, "alice lost the same fraction"
        );
    }

    /// @notice Anyone can book a slashing the moment the SFC reports it: the rate drops at once.
    function test_AnyoneCanBookASlashingAndTheRateDropsAtOnce() public {
        _processAll();
        uint256 rateBefore = _rate();
        sfc.slash(ids[1]);
        sfc.updateSlashingRefundRatio(ids[1], 0.5e18);
        assertEq(_rate(), rateBefore, "not booked yet");
        uint256[] memory one = new uint256[](1);
        one[0] = ids[1];
        vm.prank(carol);
        pool.bookSlashing(one);
        assertLt(_rate(), rateBefore, "booked by a passer-by");
        assertEq(stFTM.totalPooledFTM(), pool.totalPooledFTM(), "stFTM follows at once");
        assertTrue(pool.bookOf(ids[1]).slashed);
        uint256 rateAfter = _rate();
        vm.prank(carol);
        pool.bookSlashing(one);
        assertEq(_rate(), rateAfter, "booking twice changes nothing");
    }

    /// @notice Phantom unbonding: a validator whose removal has started keeps being watched while the pool's FTM
    /// still unbonds there. A slashing after its stake has left is booked, the validator leaves the set only once
    /// nothing of the pool unbonds there, and a request of the whole loss's size is still paid.
    function test_PhantomUnbondingAValidatorLeavesOnlyWhenNothingUnbondsThereAndItsSlashingIsBooked() public {
        _processAll();
        registry.remove(ids[0]);
        _processAll(); // its 2.5 M FTM start unbonding
        assertEq(sfc.getStake(address(pool), ids[0]), 0);
        assertGt(pool.bookOf(ids[0]).unbondingRaw, 0);
        assertEq(uint256(registry.stateOf(ids[0])), uint256(ValidatorRegistry.State.Exiting), "still watched");

        sfc.slash(ids[0]);
        sfc.updateSlashingRefundRatio(ids[0], 0.5e18);
        uint256 rateBefore = _rate();
        vm.warp(block.timestamp + 1 days);
        _processAll();
        assertLt(_rate(), rateBefore, "the loss on the unbonding FTM is booked");

        // A holder asks for as much as the whole unbonding position was once worth.
        vm.prank(alice);
        uint256 id = queue.requestWithdrawal(2_500_000 ether, alice);
        _processAll();
        _passWithdrawalPeriod();
        _processAll();
        _processAll();
        assertEq(uint256(queue.requestStatus(id).status), uint256(WithdrawalQueue.RequestStatus.Finalised), "paid");
        assertEq(pool.bookOf(ids[0]).unbondingRaw, 0, "withdrawn at half its value");
        assertEq(uint256(registry.stateOf(ids[0])), uint256(ValidatorRegistry.State.Removed), "then retired");
        assertEq(pool.totalPooledFTM(), address(pool).balance + _sumDelegated() + _unbondingValue());
    }

    /// @notice A validator slashed with a refund ratio of 0 does not stay in the set for ever: its stake goes to
    /// unbonding, governance removes it, and its SFC requests wait outside the set, tried again only when the
    /// chain raises the ratio; the refund then vests into the rate.
    function test_AFullySlashedValidatorCanBeRemovedAndItsRequestsWaitForARefund() public {
        _processAll();
        sfc.slash(ids[2]);
        uint256 rateBefore = _rate();
        vm.warp(block.timestamp + 1 days);
        _processAll();
        assertLt(_rate(), rateBefore * 80 / 100, "a quarter of the pool lost");
        assertEq(sfc.getStake(address(pool), ids[2]), 0, "the worthless stake went to unbonding");
        registry.remove(ids[2]);
        assertEq(uint256(registry.stateOf(ids[2])), uint256(ValidatorRegistry.State.Removed), "governance removed it");
        assertEq(registry.setSize(), 3);

        _passWithdrawalPeriod();
        vm.recordLogs();
        _processAll();
        assertEq(pool.unbondingCount(), 1, "its request is kept");
        assertEq(_sfcWithdrawCalls(), 0, "and not tried while the ratio is 0");

        sfc.updateSlashingRefundRatio(ids[2], 0.6e18);
        uint256 rateLow = _rate();
        vm.warp(block.timestamp + 1 days);
        _processAll();
        assertEq(pool.unbondingCount(), 0, "withdrawn once the ratio changed");
        (uint256 unvested,) = pool.vestingRewards();
        assertGt(unvested, 1_400_000 ether, "the 1.5 M FTM refund vests");
        _vestRewards();
        assertGt(_rate(), rateLow, "and enters the rate");
    }

    /// @notice A deactivated validator's unbonding is withdrawn as soon as the SFC allows, which counts the period
    /// from the deactivation when that came first.
    function test_ADeactivatedValidatorsUnbondingIsWithdrawnAsSoonAsTheSFCAllows() public {
        _processAll();
        sfc.deactivateValidator(ids[3], 8); // offline
        vm.warp(block.timestamp + 5 days);
        sfc.sealEpochs(3);
        _processAll(); // drains it: the SFC counts this request from the deactivation, 5 days ago
        assertGt(pool.bookOf(ids[3]).unbondingRaw, 0);
        vm.warp(block.timestamp + 2 days + 1);
        _processAll();
        assertEq(pool.bookOf(ids[3]).unbondingRaw, 0, "withdrawn 7 days after the deactivation");
    }

    /// @notice Rewards the SFC set aside when the pool undelegated a whole position (it stashes what accrued up to
    /// the undelegation) are claimed by a later round, although the pool no longer has stake there.
    function test_RewardsSetAsideWhenAPositionIsFullyUndelegatedAreClaimed() public {
        _processAll();
        registry.remove(ids[1]);
        vm.warp(block.timestamp + 1 days);
        // A round whose harvest and moves fall in different epochs: rewards accrue in between.
        vm.prank(operator);
        pool.process(4); // the four harvests
        _seal(6, DAILY_REWARDS / 24);
        _processAll(); // ... then the moves: the whole position at validator 2 is undelegated
        assertEq(sfc.getStake(address(pool), ids[1]), 0);
        uint256 stashed = sfc.pendingRewards(address(pool), ids[1]);
        assertGt(stashed, 0, "the SFC set rewards aside at the undelegation");
        vm.warp(block.timestamp + 1 days);
        vm.recordLogs();
        _processAll();
        assertEq(sfc.pendingRewards(address(pool), ids[1]), 0, "claimed by the next round");
        assertEq(_harvestedAt(ids[1]), stashed, "into the pool's books");
    }

    // ------------------------------------------------------------------ freezes and dust

    /// @notice Guardian freeze: a guardian that pauses withdrawals cannot stop claims of finalised requests, its
    /// pause ends by itself, and it cannot pause again before a cooldown as long as the pause.
    function test_GuardianFreezeEndsByItselfAndNeverStopsClaims() public {
        _stake(bob, 10 ether);
        vm.prank(bob);
        uint256 id = queue.requestWithdrawal(5 ether, bob);
        _processAll();
        vm.prank(guardian);
        pool.pause(PoolSettings.Action.Withdraw);
        (uint256 until, uint256 cooldownUntil) = pool.pauseWindow(PoolSettings.Action.Withdraw);
        assertEq(until, block.timestamp + 7 days);
        assertEq(cooldownUntil, until + 7 days);

        uint256[] memory list = new uint256[](1);
        list[0] = id;
        vm.prank(bob);
        assertEq(queue.claim(list, bob), 5 ether, "claims are never paused");

        vm.prank(bob);
        vm.expectRevert(abi.encodeWithSelector(PoolSettings.StakingPool__ActionPaused.selector, PoolSettings.Action.Withdraw));
        queue.requestWithdrawal(1 ether, bob);

        vm.warp(until);
        assertFalse(pool.isPaused(PoolSettings.Action.Withdraw), "the pause ended by itself");
        vm.prank(guardian);
        vm.expectRevert(
            abi.encodeWithSelector(
                PoolSettings.StakingPool__PauseCoolingDown.selector, PoolSettings.Action.Withdraw, cooldownUntil
            )
        );
        pool.pause(PoolSettings.Action.Withdraw);
        vm.prank(bob);
        queue.requestWithdrawal(1 ether, bob);
        vm.warp(cooldownUntil);
        vm.prank(guardian);
        pool.pause(PoolSettings.Action.Withdraw);
        assertTrue(pool.isPaused(PoolSettings.Action.Withdraw), "after the cooldown the guardian may pause again");
    }

    /// @notice Only a passed proposal (the timelock, here the test contract) keeps a pause beyond its length, at
    /// most 14 days at a time; the guardian cannot.
    function test_OnlyGovernanceExtendsAPause() public {
        vm.prank(guardian);
        pool.pause(PoolSettings.Action.Process);
        vm.prank(guardian);
        vm.expectRevert();
        pool.extendPause(PoolSettings.Action.Process, block.timestamp + 30 days);
        vm.expectRevert(
            abi.encodeWithSelector(
                PoolSettings.StakingPool__ValueOutOfRange.selector, bytes32("pauseUntil"), block.timestamp + 15 days
            )
        );
        pool.extendPause(PoolSettings.Action.Process, block.timestamp + 15 days);
        pool.extendPause(PoolSettings.Action.Process, block.timestamp + 14 days);
        vm.warp(block.timestamp + 10 days);
        assertTrue(pool.isPaused(PoolSettings.Action.Process));
        vm.warp(block.timestamp + 4 days);
        assertFalse(pool.isPaused(PoolSettings.Action.Process));
        vm.expectRevert(
            abi.encodeWithSelector(PoolSettings.StakingPool__ValueOutOfRange.selector, bytes32("maxPauseDuration"), 15 days)
        );
        pool.setMaxPauseDuration(15 days);
    }

    /// @notice Dust requests: nobody can queue below-minimum requests for someone else (1-wei requests would fill
    /// the victim's list and the keeper's steps); a holder can still leave with a whole balance below the minimum.
    function test_DustRequestsCannotBeQueuedForSomeoneElse() public {
        _stake(attacker, 1 ether);
        vm.prank(attacker);
        stFTM.transfer(bob, 1 ether / 1000); // below the 0.01 FTM minimum
        uint256 dust = stFTM.balanceOf(bob);
        uint256 minimum = pool.minStake();
        vm.prank(bob);
        vm.expectRevert(abi.encodeWithSelector(WithdrawalQueue.WithdrawalQueue__BelowMinWithdrawal.selector, dust, minimum));
        queue.requestWithdrawal(dust, alice);
        vm.prank(bob);
        queue.requestWithdrawal(dust, bob);
        assertEq(queue.balanceOf(alice), 0, "nothing queued for the victim");
        assertEq(queue.balanceOf(bob), 1, "a whole balance for oneself is fine");
    }

    /// @notice A holder who asks for the balance its wallet shows leaves entirely, even when rewards vested since
    /// the last booking make that balance worth a little more by the time the request books them.
    function test_AWholeBalanceExitTakesEveryShareWhileRewardsVest() public {
        _processAll(); // the day's rewards start vesting
        _stake(attacker, 1 ether);
        vm.prank(attacker);
        stFTM.transfer(bob, 0.005 ether); // below the minimum
        vm.warp(block.timestamp + 6 hours);
        uint256 shown = stFTM.balanceOf(bob);
        assertLt(shown, pool.amountForShares(stFTM.sharesOf(bob)), "the wallet's balance lags the vesting");
        vm.prank(bob);
        uint256 id = queue.requestWithdrawal(shown, bob);
        assertEq(stFTM.sharesOf(bob), 0, "every share is locked");
        assertGt(queue.requestStatus(id).amount, shown, "at this second's value");
    }

    /// @notice An owner's requests can be read in pages, however many there are.
    function test_AnOwnersRequestsReadInPages() public {
        _stake(bob, 1 ether);
        vm.startPrank(bob);
        for (uint256 i; i < 5; ++i) {
            queue.requestWithdrawal(0.01 ether, bob);
        }
        vm.stopPrank();
        uint256[] memory page = queue.requestsOf(bob, 1, 3);
        assertEq(page.length, 3);
        assertEq(page[0], 2);
        assertEq(page[2], 4);
        assertEq(queue.requestsOf(bob, 4, 10).length, 1, "the last page is short");
        assertEq(queue.requestsOf(bob, 9, 10).length, 0, "past the end: empty");
        assertEq(queue.requestsOf(bob, 1, type(uint256).max).length, 4, "any limit: the rest of the list");
    }

    /// @notice Sync-reverted proposal: a validator that goes offline between a setTargets proposal and its
    /// execution cannot make the execution revert. It keeps its weight, which the pool spreads over the others
    /// while it is ineligible.
    function test_SyncCannotMakeAQueuedSetTargetsRevert() public {
        sfc.deactivateValidator(ids[0], 8);
        vm.prank(carol);
        registry.sync(ids[0]);
        assertEq(uint256(registry.stateOf(ids[0])), uint256(ValidatorRegistry.State.Ineligible));
        uint256[] memory set = new uint256[](4);
        uint16[] memory w = new uint16[](4);
        for (uint256 i; i < 4; ++i) {
            (set[i], w[i]) = (ids[i], 2_500);
        }
        registry.setTargets(set, w); // what the timelock executes
        assertEq(registry.weightOf(ids[0]), 2_500, "the ineligible member keeps its weight");
        _processAll();
        assertEq(sfc.getStake(address(pool), ids[0]), 0, "but gets no stake while ineligible");
        assertApproxEqRel(sfc.getStake(address(pool), ids[1]), sfc.getStake(address(pool), ids[2]), 1e15);
    }

    /// @notice stFTM transfer above balance: the shares check used to round the amount down to whole shares, so
    /// `transfer(balance + 1)` went through; any amount above the balance now reverts.
    function testFuzz_StFTMTransferAboveBalanceReverts(uint256 extra) public {
        _processAll();
        _vestRewards(); // a rate above 1, where rounding to shares matters
        extra = bound(extra, 1, 1e18);
        uint256 balance = stFTM.balanceOf(alice);
        vm.prank(alice);
        vm.expectRevert(
            abi.encodeWithSelector(IERC20Errors.ERC20InsufficientBalance.selector, alice, balance, balance + extra)
        );
        stFTM.transfer(bob, balance + extra);
        vm.prank(alice);
        stFTM.transfer(bob, balance);
        assertLe(stFTM.balanceOf(alice), 2, "a whole-balance transfer leaves at most rounding");
    }

    // ------------------------------------------------------------------ helpers

    function _roundBy(address keeper, uint256 steps) internal {
        for (uint256 i; i < 400; ++i) {
            vm.prank(keeper);
            (, bool done) = pool.process(steps);
            if (done) return;
        }
        revert("round did not complete");
    }

    /// @dev Lets everything unbonding come back and every reward vest, then books it.
    function _settle() internal {
        _passWithdrawalPeriod();
        _processAll();
        _vestRewards();
    }

    function _claim(address who, uint256 id) internal returns (uint256) {
        uint256[] memory list = new uint256[](1);
        list[0] = id;
        vm.prank(who);
        return queue.claim(list, who);
    }

    function _unbondingValue() internal view returns (uint256) {
        return pool.totalUnbondingBooked();
    }

    /// @dev SFC withdrawals attempted in the recorded logs (paid or refused).
    function _sfcWithdrawCalls() internal returns (uint256 n) {
        Vm.Log[] memory logs = vm.getRecordedLogs();
        for (uint256 i; i < logs.length; ++i) {
            if (logs[i].emitter == address(sfc) && logs[i].topics[0] == keccak256("Withdrawn(address,uint256,uint256,uint256)")) {
                ++n;
            }
        }
    }

    /// @dev Rewards the pool booked from `validatorId` in the recorded logs.
    function _harvestedAt(uint256 validatorId) internal returns (uint256 total) {
        Vm.Log[] memory logs = vm.getRecordedLogs();
        for (uint256 i; i < logs.length; ++i) {
            if (logs[i].emitter != address(pool) || logs[i].topics[0] != StakingPool.RewardsHarvested.selector) continue;
            if (uint256(logs[i].topics[1]) == validatorId) total += abi.decode(logs[i].data, (uint256));
        }
    }
}
