// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {Test} from "forge-std/Test.sol";
import {Allocation} from "../../contracts/libraries/Allocation.sol";

/// @dev The allocation library on its own: each rule on a hand-built case, fuzzed properties of one plan, and
/// convergence over rounds.
contract AllocationTest is Test {
    uint256 internal constant BPS = 10_000;
    uint256 internal constant UNLIMITED = type(uint128).max;

    function _v(uint256 id, uint256 stake, uint256 weightBps, uint256 room)
        internal
        pure
        returns (Allocation.Validator memory)
    {
        return Allocation.Validator(id, stake, weightBps, room, true, true);
    }

    function _inp(uint256 idle, uint256 unbonding, uint256 demand) internal pure returns (Allocation.Input memory) {
        return Allocation.Input({
            idle: idle,
            unbonding: unbonding,
            demand: demand,
            thresholdBps: 50,
            driftBudget: UNLIMITED,
            maxWeightBps: BPS
        });
    }

    function _delegated(Allocation.Plan memory p, uint256 id) internal pure returns (uint256 sum) {
        for (uint256 k; k < p.moves.length; ++k) {
            if (p.moves[k].validatorId == id && p.moves[k].isDelegate) sum += p.moves[k].amount;
        }
    }

    function _undelegations(Allocation.Plan memory p) internal pure returns (uint256 count, uint256 sum) {
        for (uint256 k; k < p.moves.length; ++k) {
            if (!p.moves[k].isDelegate) (count, sum) = (count + 1, sum + p.moves[k].amount);
        }
    }

    // ------------------------------------------------------------------ targets (rules 1 to 3)

    function test_TargetsFollowTheWeightsRenormalisedOverTheHealthyWeightedValidators() public pure {
        Allocation.Validator[] memory vs = new Allocation.Validator[](3);
        vs[0] = _v(1, 0, 5_000, UNLIMITED);
        vs[1] = _v(2, 0, 3_000, UNLIMITED);
        vs[2] = _v(3, 0, 2_000, UNLIMITED);
        vs[0].eligible = false;
        vs[0].room = 0;
        Allocation.Plan memory p = Allocation.plan(vs, _inp(1_000 ether, 0, 0));
        assertEq(p.targets[0], 0, "an offline validator has target 0");
        assertEq(p.targets[1], 600 ether, "3,000 of 5,000 healthy bps");
        assertEq(p.targets[2], 400 ether);
        assertEq(p.unplaceable, 0);
        assertEq(uint256(p.limit), uint256(Allocation.Limit.None));
    }

    /// @dev Capacity idle: a validator near its SFC delegation limit is targeted at what it can hold, and its
    /// weight goes to the others, so nothing idles and nobody looks over target.
    function test_AValidatorNearItsSFCLimitIsTargetedAtWhatItCanHoldAndTheOthersTakeTheRest() public pure {
        Allocation.Validator[] memory vs = new Allocation.Validator[](3);
        vs[0] = _v(1, 100 ether, 5_000, 20 ether); // can hold 120
        vs[1] = _v(2, 100 ether, 2_500, UNLIMITED);
        vs[2] = _v(3, 100 ether, 2_500, UNLIMITED);
        Allocation.Plan memory p = Allocation.plan(vs, _inp(300 ether, 0, 0));
        // T = 600: validator 1's share (300) is above what it can hold (120); the rest, 480, goes 1:1.
        assertEq(p.targets[0], 120 ether);
        assertEq(p.targets[1], 240 ether);
        assertEq(p.targets[2], 240 ether);
        assertEq(p.unplaceable, 0);
        assertEq(_delegated(p, 1), 20 ether, "filled to its room");
        assertEq(_delegated(p, 2) + _delegated(p, 3), 280 ether, "the rest of the idle FTM is placed");
        (uint256 count,) = _undelegations(p);
        assertEq(count, 0, "nobody looks over target, so nothing is undelegated");
    }

    /// @dev Cap after renormalisation: with others offline, no target is above `maxWeightBps` of T; what the
    /// healthy ones may not hold is unplaceable, and the reason says why.
    function test_NoTargetExceedsTheCapWhenOthersGoOfflineAndTheRestIsUnplaceable() public pure {
        Allocation.Validator[] memory vs = new Allocation.Validator[](4);
        for (uint256 i; i < 4; ++i) {
            vs[i] = _v(i + 1, 250 ether, 2_500, UNLIMITED);
        }
        (vs[1].eligible, vs[1].room) = (false, 0);
        (vs[2].eligible, vs[2].room) = (false, 0);
        (vs[3].eligible, vs[3].room) = (false, 0);
        Allocation.Input memory inp = _inp(0, 0, 0);
        inp.maxWeightBps = 2_500;
        Allocation.Plan memory p = Allocation.plan(vs, inp);
        assertEq(p.targets[0], 250 ether, "25 % of T, not 100 %");
        assertEq(p.unplaceable, 750 ether);
        assertEq(uint256(p.limit), uint256(Allocation.Limit.TooFewHealthy), "one healthy validator x 25 % < 100 %");
        assertEq(_delegated(p, 1), 0, "nothing above the cap");
    }

    function test_WhenTheCapAndTheRoomBothBindTheReasonIsTheCap() public pure {
        Allocation.Validator[] memory vs = new Allocation.Validator[](4);
        vs[0] = _v(1, 0, 2_500, UNLIMITED);
        vs[1] = _v(2, 0, 2_500, UNLIMITED);
        vs[2] = _v(3, 0, 2_500, UNLIMITED);
        vs[3] = _v(4, 0, 2_500, 100 ether);
        Allocation.Input memory inp = _inp(1_000 ether, 0, 0);
        inp.maxWeightBps = 3_000;
        Allocation.Plan memory p = Allocation.plan(vs, inp);
        // Validator 4 holds 100; the others would share 900 (300 each) but the cap is 300: exactly placed.
        assertEq(p.targets[3], 100 ether);
        assertEq(p.targets[0], 300 ether);
        assertEq(p.unplaceable, 0);
        inp.maxWeightBps = 2_500;
        p = Allocation.plan(vs, inp);
        assertEq(p.targets[0], 250 ether, "held at the cap");
        assertEq(p.unplaceable, 150 ether);
        assertEq(uint256(p.limit), uint256(Allocation.Limit.Cap), "a higher cap would place it");
        assertEq(p.moves.length, 4, "everything that can be placed is delegated");
    }

    function test_WhenOnlyTheSFCRoomBindsTheReasonIsTheRoom() public pure {
        Allocation.Validator[] memory vs = new Allocation.Validator[](2);
        vs[0] = _v(1, 0, 5_000, 100 ether);
        vs[1] = _v(2, 0, 5_000, 200 ether);
        Allocation.Plan memory p = Allocation.plan(vs, _inp(1_000 ether, 0, 0));
        assertEq(p.targets[0], 100 ether);
        assertEq(p.targets[1], 200 ether);
        assertEq(p.unplaceable, 700 ether, "what nobody can take stays idle");
        assertEq(uint256(p.limit), uint256(Allocation.Limit.Room));
        assertEq(_delegated(p, 1) + _delegated(p, 2), 300 ether);
    }

    /// @dev Zero-weight stake: a member with zero weight gets nothing, even when the weighted ones are offline.
    function test_AZeroWeightMemberGetsNothingEvenWhenTheWeightedOnesAreOffline() public pure {
        Allocation.Validator[] memory vs = new Allocation.Validator[](3);
        vs[0] = _v(1, 0, 5_000, 0);
        vs[1] = _v(2, 0, 5_000, 0);
        vs[2] = _v(3, 0, 0, UNLIMITED);
        (vs[0].eligible, vs[1].eligible) = (false, false);
        Allocation.Plan memory p = Allocation.plan(vs, _inp(1_000 ether, 0, 0));
        assertEq(p.targets[2], 0);
        assertEq(p.moves.length, 0, "nothing is delegated to the zero-weight member");
        assertEq(p.unplaceable, 1_000 ether);
        assertEq(uint256(p.limit), uint256(Allocation.Limit.TooFewHealthy));
    }

    function test_AZeroWeightMembersStakeIsMovedToTheWeightedOnesWithoutWaitingForTheThreshold() public pure {
        Allocation.Validator[] memory vs = new Allocation.Validator[](3);
        vs[0] = _v(1, 500 ether, 5_000, UNLIMITED);
        vs[1] = _v(2, 497 ether, 5_000, UNLIMITED);
        vs[2] = _v(3, 3 ether, 0, UNLIMITED); // 30 bps of T: below the threshold, still drained
        Allocation.Plan memory p = Allocation.plan(vs, _inp(0, 0, 0));
        assertEq(p.moves.length, 1);
        assertEq(p.moves[0].validatorId, 3);
        assertEq(p.moves[0].amount, 3 ether);
        assertEq(p.moves[0].driftAmount, 3 ether, "it is drift: it has a place to go");
    }

    // ------------------------------------------------------------------ withdrawals (rule 5)

    /// @dev Fewest moves: one withdrawal from an on-target pool is undelegated from as few validators as its size
    /// requires, the largest first, not a little from each.
    function test_OneWithdrawalUndelegatesFromTheFewestValidators() public pure {
        Allocation.Validator[] memory vs = new Allocation.Validator[](20);
        for (uint256 i; i < 20; ++i) {
            vs[i] = _v(i + 1, 1_000 ether, 500, UNLIMITED);
        }
        vs[7].stake = 1_001 ether;
        // 1,500 FTM out of 20,001: targets 925.05 FTM, the threshold 92.505 FTM (50 bps of T). Each validator can
        // give 98.07625 FTM before it is more than a quarter of the threshold under target (validator 8: one
        // more), so sixteen is the fewest that cover it: the largest first, then ties in index order.
        Allocation.Plan memory p = Allocation.plan(vs, _inp(0, 0, 1_500 ether));
        (uint256 count, uint256 sum) = _undelegations(p);
        assertEq(count, 16, "sixteen SFC requests, not twenty");
        assertEq(sum, 1_500 ether);
        assertEq(p.moves[7].validatorId, 8, "the largest position gives the most");
        assertEq(p.moves[7].amount, 99.07625 ether);
        for (uint256 k; k < p.moves.length; ++k) {
            uint256 i = p.moves[k].validatorId - 1;
            assertGe(vs[i].stake - p.moves[k].amount + 23.12625 ether, p.targets[i], "none ends below target by more than a quarter of the threshold");
        }
        assertEq(p.moves[15].validatorId, 16, "the last one gives what is left");
        assertEq(p.moves[15].amount, 1_500 ether - 99.07625 ether - 14 * 98.07625 ether);
    }

    function test_AWithdrawalOneValidatorCanCoverComesFromTheMostOverTargetOfThose() public pure {
        Allocation.Validator[] memory vs = new Allocation.Validator[](3);
        vs[0] = _v(1, 1_980 ether, 5_000, UNLIMITED); // the largest position, 30 over target
        vs[1] = _v(2, 1_040 ether, 2_500, UNLIMITED); // 65 over target
        vs[2] = _v(3, 980 ether, 2_500, UNLIMITED);
        Allocation.Input memory inp = _inp(0, 0, 100 ether);
        inp.thresholdBps = 500; // nobody is over target by more than the threshold
        inp.driftBudget = 0;
        Allocation.Plan memory p = Allocation.plan(vs, inp);
        assertEq(p.moves.length, 1, "one SFC request");
        assertEq(p.moves[0].validatorId, 2, "from the most over target, which leaves the least drift");
        assertEq(p.moves[0].amount, 100 ether);
    }

    function test_WithdrawalsFirstUseStakeThatMustBeDrainedAnyway() public pure {
        Allocation.Validator[] memory vs = new Allocation.Validator[](3);
        vs[0] = _v(1, 1_000 ether, 5_000, UNLIMITED);
        vs[1] = _v(2, 1_000 ether, 5_000, UNLIMITED);
        vs[2] = _v(3, 100 ether, 0, UNLIMITED); // zero weight: target 0
        Allocation.Plan memory p = Allocation.plan(vs, _inp(0, 0, 80 ether));
        assertEq(p.moves.length, 1);
        assertEq(p.moves[0].validatorId, 3);
        assertEq(p.moves[0].amount, 100 ether, "one request: the withdrawal, then the rest as drift");
        assertEq(p.moves[0].driftAmount, 20 ether, "80 serve the withdrawal; the 20 left have a place to go");
        Allocation.Input memory inp = _inp(0, 0, 80 ether);
        inp.driftBudget = 0;
        p = Allocation.plan(vs, inp);
        assertEq(p.moves[0].amount, 80 ether, "without drift budget, only what the withdrawal needs");
        assertEq(p.moves[0].driftAmount, 0);
        vs[2].eligible = false;
        vs[2].room = 0;
        p = Allocation.plan(vs, _inp(0, 0, 80 ether));
        assertEq(p.moves.length, 1, "an ineligible validator is drained in full and covers the withdrawal");
        assertEq(p.moves[0].amount, 100 ether);
    }

    function test_WithdrawalsComeFromTheMostOverTargetValidatorFirst() public pure {
        Allocation.Validator[] memory vs = new Allocation.Validator[](3);
        vs[0] = _v(1, 400 ether, 3_334, UNLIMITED);
        vs[1] = _v(2, 300 ether, 3_333, UNLIMITED);
        vs[2] = _v(3, 200 ether, 3_333, UNLIMITED);
        // T = 900 − 90 = 810, targets 270 each: validator 1 is 130 over, validator 2 is 30 over.
        Allocation.Input memory inp = _inp(0, 0, 90 ether);
        inp.driftBudget = 0;
        Allocation.Plan memory p = Allocation.plan(vs, inp);
        assertEq(p.moves.length, 1);
        assertEq(p.moves[0].validatorId, 1);
        assertFalse(p.moves[0].isDelegate);
        assertEq(p.moves[0].amount, 90 ether);
    }

    // ------------------------------------------------------------------ inflow and drift (rules 6 and 7)

    function test_NewStakeGoesToTheMostUnderTargetValidatorWithRoom() public pure {
        Allocation.Validator[] memory vs = new Allocation.Validator[](3);
        vs[0] = _v(1, 100 ether, 4_000, UNLIMITED);
        vs[1] = _v(2, 0, 3_000, 10 ether); // most under target, little room
        vs[2] = _v(3, 50 ether, 3_000, UNLIMITED);
        Allocation.Input memory inp = _inp(60 ether, 0, 0);
        inp.thresholdBps = BPS;
        Allocation.Plan memory p = Allocation.plan(vs, inp);
        // T = 210; validator 2 can hold 10; 200 is shared 4:3, so targets 114.28…, 10, 85.71….
        assertEq(_delegated(p, 2), 10 ether, "filled to its room");
        assertEq(_delegated(p, 3), p.targets[2] - 50 ether, "then the next most under target, up to its target");
        assertEq(_delegated(p, 1), 50 ether - _delegated(p, 3), "the rest to the last one under target");
    }

    function test_DriftBelowTheThresholdIsLeftAlone() public pure {
        Allocation.Validator[] memory vs = new Allocation.Validator[](2);
        vs[0] = _v(1, 1_004 ether, 5_000, UNLIMITED);
        vs[1] = _v(2, 996 ether, 5_000, UNLIMITED);
        assertEq(Allocation.plan(vs, _inp(0, 0, 0)).moves.length, 0);
        vs[0].stake = 1_020 ether;
        vs[1].stake = 980 ether;
        // 20 FTM over a target of 1,000, the threshold 10 FTM (50 bps of T): back to the threshold, not to the
        // target; the other 10 are left for withdrawals to take.
        Allocation.Move[] memory moves = Allocation.plan(vs, _inp(0, 0, 0)).moves;
        assertEq(moves.length, 1);
        assertEq(moves[0].amount, 10 ether, "only what is beyond the threshold");
        assertEq(moves[0].driftAmount, 10 ether);
        Allocation.Input memory inp = _inp(0, 0, 0);
        inp.driftBudget = 5 ether;
        moves = Allocation.plan(vs, inp).moves;
        assertEq(moves[0].amount, 5 ether, "limited by the drift budget");
    }

    function test_DriftIsUndelegatedOnlyAsFarAsItCanBePlacedElsewhere() public pure {
        Allocation.Validator[] memory vs = new Allocation.Validator[](2);
        vs[0] = _v(1, 1_500 ether, 5_000, UNLIMITED);
        vs[1] = _v(2, 500 ether, 5_000, 200 ether); // 500 short of an equal share, room for 200
        // T = 2,000, equal weights, at most 60 % each: validator 2 can hold only 700, validator 1 no more than
        // 1,200, and 100 FTM has no place. Validator 1 is 300 over its target.
        Allocation.Input memory inp = _inp(0, 0, 0);
        inp.maxWeightBps = 6_000;
        inp.thresholdBps = 0;
        Allocation.Plan memory p = Allocation.plan(vs, inp);
        assertEq(p.targets[0], 1_200 ether);
        assertEq(p.targets[1], 700 ether);
        assertEq(p.unplaceable, 100 ether);
        assertEq(p.moves.length, 1);
        assertEq(p.moves[0].validatorId, 1);
        assertEq(p.moves[0].amount, 200 ether, "what validator 2 can take, not the 300 over target");
        // 150 FTM already on its way back fills part of that room first (T = 2,150: validator 1's cap is 1,290).
        inp.unbonding = 150 ether;
        p = Allocation.plan(vs, inp);
        assertEq(p.moves[0].amount, 50 ether, "only what the returning FTM leaves, not the 210 over target");
    }

    // ------------------------------------------------------------------ fuzzed properties

    /// @dev A random set: stakes, raw weights (some zero), eligibility (about one in seven not) and room.
    function _random(uint256 seed, uint256 n, bool ampleRoom) internal pure returns (Allocation.Validator[] memory vs) {
        vs = new Allocation.Validator[](n);
        for (uint256 i; i < n; ++i) {
            uint256 r = uint256(keccak256(abi.encode(seed, i)));
            bool eligible = r % 7 != 0;
            vs[i] = Allocation.Validator({
                id: i + 1,
                stake: (r >> 24) % 1e24,
                weightBps: (r >> 8) % 8 == 0 ? 0 : (r >> 8) % 3_000,
                room: !eligible ? 0 : ampleRoom ? UNLIMITED : (r >> 104) % 1e24,
                eligible: eligible,
                withdrawable: true
            });
        }
    }

    function testFuzz_TargetsNeverExceedTheirLimitsAndAccountForTheWholeTotal(
        uint256 seed,
        uint8 size,
        uint96 idle,
        uint16 capBps
    ) public pure {
        Allocation.Validator[] memory vs = _random(seed, bound(size, 0, 30), false);
        uint256 cap = bound(capBps, 1, BPS);
        uint256 total = idle;
        for (uint256 i; i < vs.length; ++i) {
            total += vs[i].stake;
        }
        (uint256[] memory t, uint256 unplaceable, Allocation.Limit limit) = Allocation.targets(vs, total, cap);
        uint256 sum;
        bool allAtLimit = true;
        uint256 weighted;
        for (uint256 i; i < vs.length; ++i) {
            sum += t[i];
            if (!vs[i].eligible || vs[i].weightBps == 0) {
                assertEq(t[i], 0, "zero weight or not eligible: target 0");
                continue;
            }
            ++weighted;
            uint256 lim = vs[i].stake + vs[i].room;
            if (total * cap / BPS < lim) lim = total * cap / BPS;
            assertLe(t[i], lim, "never above stake + room, nor the cap");
            if (t[i] != lim) allAtLimit = false;
        }
        assertEq(sum + unplaceable, total, "unplaceable is what the targets leave");
        assertEq(unplaceable == 0, limit == Allocation.Limit.None, "a reason exactly when something is unplaceable");
        if (unplaceable > 0) {
            assertTrue(allAtLimit, "FTM is unplaceable only when every weighted validator is full");
            if (weighted * cap < BPS) assertEq(uint256(limit), uint256(Allocation.Limit.TooFewHealthy));
        }
        // Validators below their limits have targets in proportion to their weights (to the wei).
        for (uint256 i; i < vs.length; ++i) {
            for (uint256 j = i + 1; j < vs.length; ++j) {
                if (t[i] == 0 || t[j] == 0 || vs[i].weightBps == 0 || vs[j].weightBps == 0) continue;
                if (t[i] == vs[i].stake + vs[i].room || t[i] == total * cap / BPS) continue;
                if (t[j] == vs[j].stake + vs[j].room || t[j] == total * cap / BPS) continue;
                assertApproxEqAbs(t[i] * vs[j].weightBps, t[j] * vs[i].weightBps, 2 * (vs[i].weightBps + vs[j].weightBps));
            }
        }
    }

    /// @dev What a plan's moves add up to, per validator and in total.
    struct Outcome {
        uint256[] stakeAfter;
        uint256[] roomAfter;
        uint256 delegated;
        uint256 undelegated;
        uint256 drift;
    }

    function testFuzz_APlanNeverBreaksTheRules(
        uint256 seed,
        uint8 size,
        uint96 idle,
        uint96 unbonding,
        uint96 demand,
        uint16 threshold,
        uint96 budget,
        uint16 capBps
    ) public pure {
        Allocation.Validator[] memory vs = _random(seed, bound(size, 1, 30), seed % 3 == 0);
        Allocation.Input memory inp = Allocation.Input({
            idle: idle,
            unbonding: unbonding,
            demand: demand,
            thresholdBps: bound(threshold, 0, 500),
            driftBudget: budget,
            maxWeightBps: bound(capBps, 1_000, BPS)
        });
        Allocation.Plan memory p = Allocation.plan(vs, inp);
        Outcome memory o = _checkMoves(vs, p);
        _checkTotals(vs, inp, p, o);
    }

    function _checkMoves(Allocation.Validator[] memory vs, Allocation.Plan memory p)
        internal
        pure
        returns (Outcome memory o)
    {
        o.stakeAfter = new uint256[](vs.length);
        o.roomAfter = new uint256[](vs.length);
        for (uint256 i; i < vs.length; ++i) {
            (o.stakeAfter[i], o.roomAfter[i]) = (vs[i].stake, vs[i].room);
        }
        bool seenDelegate;
        bool[] memory moved = new bool[](vs.length + 1);
        for (uint256 k; k < p.moves.length; ++k) {
            Allocation.Move memory m = p.moves[k];
            uint256 i = m.validatorId - 1;
            assertFalse(moved[m.validatorId], "one SFC request per validator");
            moved[m.validatorId] = true;
            assertGt(m.amount, 0);
            if (m.isDelegate) {
                seenDelegate = true;
                assertTrue(vs[i].eligible, "never stakes with an ineligible validator");
                assertLe(m.amount, vs[i].room, "never beyond the delegation limit");
                assertLe(vs[i].stake + m.amount, p.targets[i], "never beyond its target");
                o.stakeAfter[i] += m.amount;
                o.roomAfter[i] -= m.amount;
                o.delegated += m.amount;
            } else {
                assertFalse(seenDelegate, "undelegations come first");
                assertTrue(vs[i].withdrawable);
                assertLe(m.amount, vs[i].stake, "never more than the stake");
                assertLe(m.driftAmount, m.amount);
                o.stakeAfter[i] -= m.amount;
                o.roomAfter[i] += m.amount;
                o.undelegated += m.amount;
                o.drift += m.driftAmount;
            }
        }
    }

    function _checkTotals(
        Allocation.Validator[] memory vs,
        Allocation.Input memory inp,
        Allocation.Plan memory p,
        Outcome memory o
    ) internal pure {
        uint256 earmarked = inp.demand > inp.unbonding ? inp.demand - inp.unbonding : 0;
        uint256 free = inp.idle > earmarked ? inp.idle - earmarked : 0;
        assertLe(o.delegated, free, "idle owed to withdrawals is never delegated");
        assertLe(o.drift, inp.driftBudget, "drift within the budget");

        uint256 totalStake;
        uint256 space; // what under-target validators can still take after the moves
        for (uint256 i; i < vs.length; ++i) {
            totalStake += vs[i].stake;
            if (!vs[i].eligible && vs[i].stake > 0) assertEq(o.stakeAfter[i], 0, "ineligible validators are drained");
            if (vs[i].eligible && o.stakeAfter[i] < p.targets[i]) {
                uint256 gap = p.targets[i] - o.stakeAfter[i];
                space += gap < o.roomAfter[i] ? gap : o.roomAfter[i];
            }
        }
        uint256 covered = inp.idle + inp.unbonding;
        if (inp.demand > covered) {
            uint256 need = inp.demand - covered;
            assertGe(o.undelegated, need < totalStake ? need : totalStake, "demand is served");
        }
        if (o.drift > 0) {
            uint256 coming = inp.idle + inp.unbonding + o.undelegated;
            uint256 placed = inp.demand + o.delegated;
            uint256 freeAfter = coming > placed ? coming - placed : 0;
            assertLe(freeAfter, space, "drift is undelegated only when it can be placed: none is left idle");
        }
        if (free > o.delegated) {
            assertLe(free - o.delegated, p.unplaceable + space, "idle is left only when nobody can take it");
        }
    }

    function testFuzz_ARoundWhoseInflowCoversItsWithdrawalsUndelegatesNothing(uint8 size, uint96 inflow, uint96 demand)
        public
        pure
    {
        uint256 n = bound(size, 1, 30);
        Allocation.Validator[] memory vs = new Allocation.Validator[](n);
        for (uint256 i; i < n; ++i) {
            vs[i] = _v(i + 1, 1_000 ether, 1, UNLIMITED); // equal stakes, equal weights: on target
        }
        uint256 d = bound(demand, 0, uint256(inflow));
        Allocation.Plan memory p = Allocation.plan(vs, _inp(inflow, 0, d));
        for (uint256 k; k < p.moves.length; ++k) {
            assertTrue(p.moves[k].isDelegate, "nothing is sent into unbonding");
        }
    }

    function testFuzz_AWithdrawalFromAnOnTargetPoolTouchesOnlyAsManyValidatorsAsItsSizeRequires(
        uint8 size,
        uint96 amount
    ) public pure {
        uint256 n = bound(size, 1, 60);
        Allocation.Validator[] memory vs = new Allocation.Validator[](n);
        for (uint256 i; i < n; ++i) {
            vs[i] = _v(i + 1, 1_000 ether, 1, UNLIMITED);
        }
        // Within the threshold of T in every validator's share: nobody is over target by more than it.
        uint256 demand = bound(amount, 1, n * 1_000 ether * 40 / BPS);
        Allocation.Plan memory p = Allocation.plan(vs, _inp(0, 0, demand));
        (uint256 count, uint256 sum) = _undelegations(p);
        assertEq(sum, demand);
        // Each validator gives at most down to a quarter of the threshold below its target; the fewest that cover
        // the demand that way are used.
        uint256 quarterTolerance = (n * 1_000 ether - demand) * 50 / BPS / 4;
        uint256 least = type(uint256).max;
        uint256 most;
        for (uint256 i; i < n; ++i) {
            uint256 each = 1_000 ether - (p.targets[i] - quarterTolerance);
            if (each < least) least = each;
            if (each > most) most = each;
        }
        for (uint256 k; k < p.moves.length; ++k) {
            uint256 i = p.moves[k].validatorId - 1;
            assertLe(p.moves[k].amount, 1_000 ether - (p.targets[i] - quarterTolerance), "never below a quarter of the threshold under target");
        }
        assertLe(count, (demand + least - 1) / least, "as few validators as the amount needs");
        assertGe(count, (demand + most - 1) / most);
    }

    /// @dev Shortfalls are refilled by inflow, never by undelegating validators that are within the threshold
    /// (that would send FTM into unbonding to fix a drift the threshold tolerates); so what converges is the
    /// excess: after a few rounds nobody is more than the threshold over target.
    function testFuzz_WithEnoughCapacityNoValidatorStaysMoreThanTheThresholdOverItsTarget(
        uint256 seed,
        uint8 size,
        uint96 idle
    ) public pure {
        Allocation.Validator[] memory vs = _random(seed, bound(size, 2, 25), true);
        uint256 pool = idle;
        uint256 unbonding;
        Allocation.Plan memory p;
        for (uint256 round; round < 3; ++round) {
            p = Allocation.plan(vs, _inp(pool, unbonding, 0));
            // FTM undelegated in the previous round has come back by now.
            pool += unbonding;
            unbonding = 0;
            for (uint256 k; k < p.moves.length; ++k) {
                Allocation.Validator memory v = vs[p.moves[k].validatorId - 1];
                if (p.moves[k].isDelegate) {
                    v.stake += p.moves[k].amount;
                    pool -= p.moves[k].amount;
                } else {
                    v.stake -= p.moves[k].amount;
                    unbonding += p.moves[k].amount;
                }
            }
        }
        p = Allocation.plan(vs, _inp(pool, unbonding, 0));
        uint256 total = Allocation.stakedTotal(vs, _inp(pool, unbonding, 0));
        bool anyWeighted;
        for (uint256 i; i < vs.length; ++i) {
            if (vs[i].eligible && vs[i].weightBps > 0) anyWeighted = true;
        }
        for (uint256 i; i < vs.length; ++i) {
            if (!vs[i].eligible) {
                assertEq(vs[i].stake, 0, "ineligible validators are empty");
                continue;
            }
            // A zero-weight validator's stake moves as soon as it has somewhere to go.
            if (vs[i].weightBps == 0 && anyWeighted) assertEq(vs[i].stake, 0, "zero-weight validators are empty");
            if (!anyWeighted) continue; // nowhere to go: it keeps earning where it is
            assertLe(vs[i].stake, p.targets[i] + total * 50 / BPS + 1, "within the threshold over its target");
        }
    }
}

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
