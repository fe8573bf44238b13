// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {WithdrawalQueue} from "../../contracts/WithdrawalQueue.sol";
import {Vm} from "forge-std/Vm.sol";
import {ISFC} from "../../contracts/interfaces/ISFC.sol";
import {SFCReader} from "../../contracts/libraries/SFCReader.sol";
import {Allocation} from "../../contracts/libraries/Allocation.sol";
import {StakingPool} from "../../contracts/StakingPool.sol";
import {PoolBase} from "../utils/PoolBase.sol";
import {PoolPlanInputs} from "../utils/PoolPlanInputs.sol";

/// @dev The allocation rules end to end: the pool on the SFC model, and what it ends with (FTM idle, SFC
/// withdrawal requests created, stake per validator).
contract PoolAllocationTest is PoolBase {
    /// @dev Runs a round as `_processAll` does and counts the SFC requests it creates.
    function _roundCountingRequests() internal returns (uint256 undelegations, uint256 delegations) {
        vm.recordLogs();
        _processAll();
        Vm.Log[] memory logs = vm.getRecordedLogs();
        for (uint256 j; j < logs.length; ++j) {
            if (logs[j].emitter != address(pool)) continue;
            if (logs[j].topics[0] == StakingPool.Undelegated.selector) ++undelegations;
            if (logs[j].topics[0] == StakingPool.Delegated.selector) ++delegations;
            assertTrue(logs[j].topics[0] != StakingPool.MoveFailed.selector, "the SFC accepts every planned move");
        }
    }

    function _assertIdleIsOnlyWhatIsOwedOrUnplaceable() internal view {
        (uint256 unplaceable,) = pool.unplaceable();
        assertLe(pool.idleLiquidity(), pool.pendingWithdrawals() + unplaceable + ids.length, "idle <= owed + unplaceable");
    }

    function _room(uint256 id) internal view returns (uint256) {
        return SFCReader.room(ISFC(address(sfc)), SFCReader.Layout.Sonic, 16e18, id);
    }

    /// @dev Someone other than the pool delegates `amount` to validator `id` on the SFC.
    function _strangerTakes(uint256 id, uint256 amount) internal {
        address stranger = makeAddr("stranger");
        vm.deal(stranger, stranger.balance + amount);
        vm.prank(stranger);
        sfc.delegate{value: amount}(id);
    }

    function _offline(uint256 id) internal {
        sfc.deactivateValidator(id, 8);
        registry.sync(id);
    }

    // ------------------------------------------------------------------ capacity idle

    function test_AThirdPartyFillingAValidatorsRoomLeavesNoFTMIdleBeyondWhatIsOwedOrUnplaceable() public {
        _deploy(4);
        _stake(alice, 20_000 ether);
        _processAll();
        // A stranger delegates to validator 1 directly on the SFC and takes all its room (about 15,000 − 5,000).
        _strangerTakes(ids[0], _room(ids[0]));
        _stake(bob, 20_000 ether);

        (uint256 undelegations,) = _roundCountingRequests();
        assertEq(undelegations, 0, "nobody is undelegated for an 'excess' that is only validator 1 being full");
        assertEq(pool.idleLiquidity(), 0, "the new stake is placed at the other three");
        _assertIdleIsOnlyWhatIsOwedOrUnplaceable();
        assertApproxEqAbs(pool.stakeOf(ids[0]), 5_000 ether + 0.25 ether, 1, "validator 1 keeps what it holds");
        (uint256 unplaceable, Allocation.Limit limit) = pool.unplaceable();
        assertEq(unplaceable, 0);
        assertEq(uint256(limit), uint256(Allocation.Limit.None));
    }

    function test_WhenEveryValidatorsRoomIsFullTheRestStaysIdleAndIsReportedAsUnplaceable() public {
        _deploy(2);
        _stake(alice, 10_000 ether);
        _processAll();
        // Strangers take all but 1,000 FTM of each validator's room.
        _strangerTakes(ids[0], _room(ids[0]) - 1_000 ether);
        _strangerTakes(ids[1], _room(ids[1]) - 1_000 ether);
        _stake(bob, 5_000 ether);
        _processAll();
        (uint256 unplaceable, Allocation.Limit limit) = pool.unplaceable();
        assertApproxEqAbs(unplaceable, 3_000 ether, 2, "5,000 new, 2,000 placed");
        assertEq(uint256(limit), uint256(Allocation.Limit.Room));
        assertEq(pool.idleLiquidity(), unplaceable);
        _assertIdleIsOnlyWhatIsOwedOrUnplaceable();
    }

    // ------------------------------------------------------------------ fewest moves

    function test_OneWithdrawalIsUndelegatedFromTheFewestValidators() public {
        _deploy(10);
        _stake(alice, 10_000 ether);
        _processAll();
        uint256 requestsBefore = pool.unbondingCount();
        vm.prank(alice);
        queue.requestWithdrawal(300 ether, alice);
        (uint256 undelegations, uint256 delegations) = _roundCountingRequests();
        // 300 FTM of 10,001: T is 9,701 and each target 970.1 FTM, so each validator can give about 42 FTM before
        // it is more than a quarter of the threshold (50 bps of T) under target: eight requests are the fewest
        // within that.
        assertEq(undelegations, 8, "eight SFC withdrawal requests, not ten");
        assertEq(delegations, 0);
        assertEq(pool.unbondingCount(), requestsBefore + 8);
        _passWithdrawalPeriod();
        _processAll();
        assertEq(pool.idleLiquidity(), 0, "the withdrawal is paid and nothing else idles");
        assertEq(queue.requestStatus(1).status == WithdrawalQueue.RequestStatus.Finalised, true);
    }

    // ------------------------------------------------------------------ cap after renormalisation

    function test_WhenOthersGoOfflineNoValidatorIsAboveTheCapAndTheRestIsUnplaceable() public {
        _deploy(4);
        registry.setMaxWeightBps(2_500);
        _stake(alice, 4_000 ether);
        _processAll();
        _offline(ids[0]);
        _offline(ids[1]);
        _processAll(); // drains the two offline validators
        _passWithdrawalPeriod();
        _processAll(); // withdraws; the two healthy ones may hold no more than 25 % each
        uint256 total = pool.totalPooledFTM();
        for (uint256 i = 2; i < 4; ++i) {
            assertLe(pool.stakeOf(ids[i]), total * 2_500 / 10_000 + 1, "no validator above maxWeightBps");
        }
        (uint256 unplaceable, Allocation.Limit limit) = pool.unplaceable();
        assertApproxEqAbs(unplaceable, total / 2, 2, "half the pool has no healthy place");
        assertEq(uint256(limit), uint256(Allocation.Limit.TooFewHealthy));
        assertEq(pool.idleLiquidity(), unplaceable, "the rest waits idle, reported");
        _assertIdleIsOnlyWhatIsOwedOrUnplaceable();
        Allocation.Plan memory p = PoolPlanInputs.planOf(pool);
        for (uint256 i; i < 4; ++i) {
            assertLe(p.targets[i], total * 2_500 / 10_000, "no target above the cap");
        }
    }

    // ------------------------------------------------------------------ zero-weight stake

    function test_AZeroWeightMemberGetsNoStakeEvenWhenTheWeightedOnesAreOffline() public {
        _deploy(3);
        uint16[] memory w = new uint16[](3);
        (w[0], w[1], w[2]) = (5_000, 5_000, 0);
        registry.setTargets(ids, w);
        _stake(alice, 3_000 ether);
        _processAll();
        assertEq(sfc.getStake(address(pool), ids[2]), 0, "zero weight, zero stake");
        _offline(ids[0]);
        _offline(ids[1]);
        _processAll();
        _passWithdrawalPeriod();
        _processAll();
        assertEq(sfc.getStake(address(pool), ids[2]), 0, "still nothing when the weighted ones are offline");
        (uint256 unplaceable, Allocation.Limit limit) = pool.unplaceable();
        assertEq(unplaceable, pool.totalPooledFTM(), "all of it waits for a healthy weighted validator");
        assertEq(uint256(limit), uint256(Allocation.Limit.TooFewHealthy));
        _assertIdleIsOnlyWhatIsOwedOrUnplaceable();
    }
}
