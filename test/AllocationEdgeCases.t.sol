// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {Test} from "forge-std/Test.sol";
import {Allocation} from "../contracts/libraries/Allocation.sol";

/// @dev Allocation rules on hand-built inputs the fuzzed suite rarely produces.
contract AllocationEdgeCasesTest is Test {
    /// @dev Rule 5: drift is taken only from validators that may be undelegated from, even when the one
    /// furthest over target may not.
    function test_DriftIsNeverTakenFromAValidatorThatMayNotBeUndelegatedFrom() public pure {
        Allocation.Validator[] memory vs = new Allocation.Validator[](3);
        vs[0] = Allocation.Validator({
            id: 1, stake: 200 ether, weightBps: 2_500, room: 0, eligible: true, withdrawable: false
        });
        vs[1] = Allocation.Validator({
            id: 2, stake: 150 ether, weightBps: 2_500, room: 1_000 ether, eligible: true, withdrawable: true
        });
        vs[2] = Allocation.Validator({
            id: 3, stake: 50 ether, weightBps: 5_000, room: 1_000 ether, eligible: true, withdrawable: true
        });
        Allocation.Input memory inp = Allocation.Input({
            idle: 0, unbonding: 0, demand: 0, thresholdBps: 0, driftBudget: type(uint256).max, maxWeightBps: 10_000
        });
        // Targets 100 / 100 / 200: validator 1 is 100 over, validator 2 is 50 over, validator 3 150 short.
        Allocation.Move[] memory moves = Allocation.plan(vs, inp).moves;
        assertEq(moves.length, 1, "one move");
        assertEq(moves[0].validatorId, 2, "from the withdrawable validator over target");
        assertFalse(moves[0].isDelegate);
        assertEq(moves[0].amount, 50 ether, "down to its target, not below");
        assertEq(moves[0].driftAmount, 50 ether, "all of it counts as drift");
    }

    function test_MaxDriftIsZeroWithoutStakeAndOtherwiseTheLargestDeviation() public pure {
        uint256[] memory stakes = new uint256[](3);
        uint256[] memory weights = new uint256[](3);
        weights[0] = 5_000;
        weights[1] = 3_000;
        weights[2] = 2_000;
        assertEq(Allocation.maxDriftBps(stakes, weights), 0, "no stake, no drift");
        stakes[0] = 50 ether;
        stakes[1] = 30 ether;
        stakes[2] = 20 ether;
        assertEq(Allocation.maxDriftBps(stakes, weights), 0, "on target");
        stakes[0] = 40 ether;
        stakes[1] = 40 ether;
        assertEq(Allocation.maxDriftBps(stakes, weights), 1_000, "50 % became 40 %, 30 % became 40 %");
        stakes[2] = 120 ether; // shares 20 %, 20 %, 60 %
        assertEq(Allocation.maxDriftBps(stakes, weights), 4_000, "the largest of 3,000, 1,000 and 4,000 bps");
    }
}
