// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {Test} from "forge-std/Test.sol";
import {Allocation} from "../contracts/libraries/Allocation.sol";

/// @dev The allocation library on its own: fuzzed properties of one plan, and convergence over rounds.
contract AllocationTest is Test {
    uint256 internal constant BPS = 10_000;

    struct Scenario {
        Allocation.Validator[] vs;
        Allocation.Input inp;
    }

    /// @dev A random validator set: stakes, raw weights, eligibility and room from `seed`.
    function _scenario(uint256 seed, uint256 n, bool ampleRoom) internal pure returns (Scenario memory s) {
        s.vs = new Allocation.Validator[](n);
        uint256[] memory raw = new uint256[](n);
        bool[] memory eligible = new bool[](n);
        for (uint256 i; i < n; ++i) {
            uint256 r = uint256(keccak256(abi.encode(seed, i)));
            eligible[i] = r % 7 != 0; // about one in seven ineligible
            raw[i] = (r >> 8) % 3_000;
            s.vs[i] = Allocation.Validator({
                id: i + 1,
                stake: (r >> 24) % 1e24,
                weightBps: 0,
                room: ampleRoom ? type(uint128).max : (r >> 104) % 1e24,
                eligible: eligible[i],
                withdrawable: true
            });
            if (!eligible[i]) s.vs[i].room = 0;
        }
        uint256[] memory w = Allocation.normaliseWeights(raw, eligible);
        for (uint256 i; i < n; ++i) {
            s.vs[i].weightBps = w[i];
        }
    }

    function testFuzz_NormalisedWeightsSumTo10000OverEligibleValidators(uint256 seed, uint8 size) public pure {
        uint256 n = bound(size, 1, 40);
        uint256[] memory raw = new uint256[](n);
        bool[] memory eligible = new bool[](n);
        bool any;
        for (uint256 i; i < n; ++i) {
            uint256 r = uint256(keccak256(abi.encode(seed, i)));
            raw[i] = r % 5_000;
            eligible[i] = (r >> 100) % 4 != 0;
            any = any || eligible[i];
        }
        uint256[] memory w = Allocation.normaliseWeights(raw, eligible);
        uint256 sum;
        for (uint256 i; i < n; ++i) {
            if (!eligible[i]) assertEq(w[i], 0, "ineligible get nothing");
            sum += w[i];
        }
        assertEq(sum, any ? BPS : 0);
    }

    function test_WeightsAreSharedEquallyWhenNoEligibleValidatorHasWeight() public pure {
        uint256[] memory raw = new uint256[](3);
        bool[] memory eligible = new bool[](3);
        raw[0] = 5_000;
        (eligible[1], eligible[2]) = (true, true);
        uint256[] memory w = Allocation.normaliseWeights(raw, eligible);
        assertEq(w[0], 0);
        assertEq(w[1] + w[2], BPS);
        assertApproxEqAbs(w[1], w[2], 1);
    }

    function test_AnIneligibleValidatorsWeightIsSpreadInProportion() public pure {
        uint256[] memory raw = new uint256[](3);
        bool[] memory eligible = new bool[](3);
        (raw[0], raw[1], raw[2]) = (5_000, 3_000, 2_000);
        (eligible[0], eligible[1], eligible[2]) = (false, true, true);
        uint256[] memory w = Allocation.normaliseWeights(raw, eligible);
        assertEq(w[1], 6_000);
        assertEq(w[2], 4_000);
    }

    function testFuzz_APlanNeverBreaksTheRules(uint256 seed, uint8 size, uint96 idle, uint96 unbonding, uint96 demand, uint16 threshold, uint96 budget)
        public
        pure
    {
        Scenario memory s = _scenario(seed, bound(size, 1, 30), false);
        s.inp = Allocation.Input({
            idle: idle,
            unbonding: unbonding,
            demand: demand,
            thresholdBps: bound(threshold, 0, 500),
            driftBudget: budget
        });
        Allocation.Move[] memory moves = Allocation.plan(s.vs, s.inp);

        uint256 delegated;
        uint256 undelegated;
        uint256 drift;
        bool seenDelegate;
        bool[] memory moved = new bool[](s.vs.length + 1);
        for (uint256 k; k < moves.length; ++k) {
            Allocation.Move memory m = moves[k];
            Allocation.Validator memory v = s.vs[m.validatorId - 1];
            assertFalse(moved[m.validatorId], "one move per validator");
            moved[m.validatorId] = true;
            assertGt(m.amount, 0);
            if (m.isDelegate) {
                seenDelegate = true;
                assertTrue(v.eligible, "never stakes with an ineligible validator");
                assertLe(m.amount, v.room, "never beyond the delegation limit");
                delegated += m.amount;
            } else {
                assertFalse(seenDelegate, "undelegations come first");
                assertTrue(v.withdrawable);
                assertLe(m.amount, v.stake, "never more than the stake");
                undelegated += m.amount;
                drift += m.driftAmount;
            }
        }
        uint256 earmarked = s.inp.demand > s.inp.unbonding ? s.inp.demand - s.inp.unbonding : 0;
        uint256 free = s.inp.idle > earmarked ? s.inp.idle - earmarked : 0;
        assertLe(delegated, free, "idle owed to withdrawals is never delegated");
        assertLe(drift, s.inp.driftBudget, "drift within the budget");

        uint256 totalStake;
        for (uint256 i; i < s.vs.length; ++i) {
            totalStake += s.vs[i].stake;
            if (!s.vs[i].eligible && s.vs[i].stake > 0) assertTrue(moved[i + 1], "ineligible validators are drained");
        }
        uint256 covered = s.inp.idle + s.inp.unbonding;
        if (s.inp.demand > covered) {
            uint256 need = s.inp.demand - covered;
            assertGe(undelegated, need < totalStake ? need : totalStake, "demand is served");
        }
    }

    function testFuzz_ARoundWhoseInflowCoversItsWithdrawalsUndelegatesNothing(uint8 size, uint96 inflow, uint96 demand)
        public
        pure
    {
        uint256 n = bound(size, 1, 30);
        Allocation.Validator[] memory vs = new Allocation.Validator[](n);
        uint256 stake = 1_000 ether;
        for (uint256 i; i < n; ++i) {
            // On target: equal stakes and equal weights; all eligible with room.
            vs[i] = Allocation.Validator(i + 1, stake, 0, 1e30, true, true);
        }
        uint256[] memory raw = new uint256[](n);
        bool[] memory eligible = new bool[](n);
        for (uint256 i; i < n; ++i) {
            eligible[i] = true;
            raw[i] = 1;
        }
        uint256[] memory w = Allocation.normaliseWeights(raw, eligible);
        for (uint256 i; i < n; ++i) {
            vs[i].weightBps = w[i];
        }
        uint256 d = bound(demand, 0, uint256(inflow));
        Allocation.Move[] memory moves = Allocation.plan(vs, Allocation.Input(inflow, 0, d, 50, type(uint128).max));
        for (uint256 k; k < moves.length; ++k) {
            assertTrue(moves[k].isDelegate, "nothing is sent into unbonding");
        }
    }

    function testFuzz_WithEnoughCapacityEveryValidatorEndsWithin50BpsOfItsTarget(uint256 seed, uint8 size, uint96 idle)
        public
        pure
    {
        Scenario memory s = _scenario(seed, bound(size, 2, 25), true);
        uint256 pool = idle;
        uint256 unbonding;
        for (uint256 round; round < 4; ++round) {
            Allocation.Move[] memory moves =
                Allocation.plan(s.vs, Allocation.Input(pool, unbonding, 0, 50, type(uint128).max));
            // FTM undelegated in the previous round has come back by now.
            pool += unbonding;
            unbonding = 0;
            for (uint256 k; k < moves.length; ++k) {
                Allocation.Validator memory v = s.vs[moves[k].validatorId - 1];
                if (moves[k].isDelegate) {
                    v.stake += moves[k].amount;
                    pool -= moves[k].amount;
                } else {
                    v.stake -= moves[k].amount;
                    unbonding += moves[k].amount;
                }
            }
        }
        // One last round delegates what came back.
        pool += unbonding;
        Allocation.Move[] memory last = Allocation.plan(s.vs, Allocation.Input(pool, 0, 0, 50, type(uint128).max));
        for (uint256 k; k < last.length; ++k) {
            if (last[k].isDelegate) s.vs[last[k].validatorId - 1].stake += last[k].amount;
            else s.vs[last[k].validatorId - 1].stake -= last[k].amount;
        }
        uint256[] memory stakes = new uint256[](s.vs.length);
        uint256[] memory weights = new uint256[](s.vs.length);
        uint256 sum;
        for (uint256 i; i < s.vs.length; ++i) {
            stakes[i] = s.vs[i].stake;
            weights[i] = s.vs[i].weightBps;
            sum += stakes[i];
        }
        if (sum < 1 ether) return; // nothing meaningful to allocate
        assertLe(Allocation.maxDriftBps(stakes, weights), 50);
    }

    function test_WithdrawalsComeFromTheMostOverTargetValidatorFirst() public pure {
        Allocation.Validator[] memory vs = new Allocation.Validator[](3);
        vs[0] = Allocation.Validator(1, 400 ether, 3_334, 1e30, true, true);
        vs[1] = Allocation.Validator(2, 300 ether, 3_333, 1e30, true, true);
        vs[2] = Allocation.Validator(3, 200 ether, 3_333, 1e30, true, true);
        // T = 900 − 90 = 810, targets 270 each: validator 1 is 130 over, validator 2 is 30 over.
        Allocation.Move[] memory moves = Allocation.plan(vs, Allocation.Input(0, 0, 90 ether, 50, 0));
        assertEq(moves.length, 1);
        assertEq(moves[0].validatorId, 1);
        assertFalse(moves[0].isDelegate);
        assertEq(moves[0].amount, 90 ether);
    }

    function test_NewStakeGoesToTheMostUnderTargetValidatorWithRoom() public pure {
        Allocation.Validator[] memory vs = new Allocation.Validator[](3);
        vs[0] = Allocation.Validator(1, 100 ether, 3_334, 1e30, true, true);
        vs[1] = Allocation.Validator(2, 0, 3_333, 10 ether, true, true); // most under target, little room
        vs[2] = Allocation.Validator(3, 50 ether, 3_333, 1e30, true, true);
        Allocation.Move[] memory moves = Allocation.plan(vs, Allocation.Input(60 ether, 0, 0, 10_000, 0));
        uint256 toSecond;
        uint256 toThird;
        for (uint256 k; k < moves.length; ++k) {
            if (moves[k].validatorId == 2) toSecond = moves[k].amount;
            if (moves[k].validatorId == 3) toThird = moves[k].amount;
        }
        assertEq(toSecond, 10 ether, "filled to its room");
        assertEq(toThird, 50 ether, "the rest to the next under target");
    }

    function test_DriftBelowTheThresholdIsLeftAlone() public pure {
        Allocation.Validator[] memory vs = new Allocation.Validator[](2);
        vs[0] = Allocation.Validator(1, 1_004 ether, 5_000, 1e30, true, true);
        vs[1] = Allocation.Validator(2, 996 ether, 5_000, 1e30, true, true);
        assertEq(Allocation.plan(vs, Allocation.Input(0, 0, 0, 50, type(uint128).max)).length, 0);
        vs[0].stake = 1_020 ether;
        vs[1].stake = 980 ether;
        Allocation.Move[] memory moves = Allocation.plan(vs, Allocation.Input(0, 0, 0, 50, type(uint128).max));
        assertEq(moves.length, 1);
        assertEq(moves[0].amount, 20 ether);
        assertEq(moves[0].driftAmount, 20 ether);
        moves = Allocation.plan(vs, Allocation.Input(0, 0, 0, 50, 5 ether));
        assertEq(moves[0].amount, 5 ether, "limited by the drift budget");
    }
}
