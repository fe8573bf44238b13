// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {Test} from "forge-std/Test.sol";
import {Allocation} from "../contracts/libraries/Allocation.sol";
import {AllocationPlanner} from "../contracts/AllocationPlanner.sol";
import {AllocationReference} from "./utils/AllocationReference.sol";

/// @dev The planner against its reference (the library before the O(n log n) ordering, kept verbatim in
/// `utils/AllocationReference.sol`): for the same input, the same moves in the same order, to the wei.
/// Scenarios are built to hit every regime: many ties (few distinct stakes and weights), budgets that
/// run out part-way through a walk and budgets that do not, zero and ample room, ineligible and
/// non-withdrawable validators, and sets of up to 200 validators.
contract AllocationDifferentialTest is Test {
    struct Case {
        Allocation.Validator[] vs; // raw weights
        Allocation.Input inp;
    }

    function _pick(uint256 r, uint256[4] memory options) private pure returns (uint256) {
        return options[r % 4];
    }

    /// @dev A scenario from `seed`; `ties` draws stakes and weights from a handful of values.
    function _case(uint256 seed, uint256 n, bool ties) internal pure returns (Case memory c) {
        c.vs = new Allocation.Validator[](n);
        uint256 totalStake;
        for (uint256 i; i < n; ++i) {
            uint256 r = uint256(keccak256(abi.encode(seed, i)));
            uint256 stake =
                ties ? _pick(r, [uint256(0), 1_000 ether, 2_000 ether, 5_000 ether]) : (r >> 8) % 10_000 ether;
            uint256 weight = ties ? _pick(r >> 40, [uint256(0), 50, 100, 100]) : (r >> 48) % 3_000;
            uint256 room =
                _pick(r >> 80, [uint256(0), (r >> 96) % 3_000 ether, type(uint128).max, (r >> 96) % 20_000 ether]);
            bool eligible = (r >> 160) % 7 != 0;
            c.vs[i] = Allocation.Validator({
                id: i + 1,
                stake: stake,
                weightBps: weight,
                room: eligible ? room : 0,
                eligible: eligible,
                withdrawable: stake > 0 && (r >> 176) % 11 != 0
            });
            totalStake += stake;
        }
        uint256 s = uint256(keccak256(abi.encode(seed, "input")));
        uint256 scale = totalStake + 1 ether;
        c.inp = Allocation.Input({
            idle: scale * (s % 400) / 1_000,
            unbonding: (s >> 16) % 3 == 0 ? scale * ((s >> 24) % 200) / 1_000 : 0,
            demand: (s >> 32) % 2 == 0 ? scale * ((s >> 40) % 500) / 1_000 : 0,
            thresholdBps: _pick(s >> 56, [uint256(0), 50, 200, 10_000]),
            driftBudget: _pick(s >> 64, [uint256(0), 1 ether, scale / 20, type(uint128).max])
        });
    }

    function _ref(Allocation.Validator[] memory vs) private pure returns (AllocationReference.Validator[] memory) {
        return abi.decode(abi.encode(vs), (AllocationReference.Validator[]));
    }

    function _refInput(Allocation.Input memory inp) private pure returns (AllocationReference.Input memory) {
        return abi.decode(abi.encode(inp), (AllocationReference.Input));
    }

    /// @dev The reference's plan for raw weights: normalise, then plan (what the pool did in two calls).
    function _refPlanRaw(Allocation.Validator[] memory vs, Allocation.Input memory inp)
        private
        pure
        returns (AllocationReference.Move[] memory)
    {
        AllocationReference.Validator[] memory rv = _ref(vs);
        uint256[] memory raw = new uint256[](rv.length);
        bool[] memory eligible = new bool[](rv.length);
        for (uint256 i; i < rv.length; ++i) {
            raw[i] = rv[i].weightBps;
            eligible[i] = rv[i].eligible;
        }
        uint256[] memory w = AllocationReference.normaliseWeights(raw, eligible);
        for (uint256 i; i < rv.length; ++i) {
            rv[i].weightBps = w[i];
        }
        return AllocationReference.plan(rv, _refInput(inp));
    }

    function _copy(Allocation.Validator[] memory vs) private pure returns (Allocation.Validator[] memory) {
        return abi.decode(abi.encode(vs), (Allocation.Validator[]));
    }

    /// @dev The pool's compact input to `planPacked`: per validator its packed word, then its room.
    function _packed(Allocation.Validator[] memory vs) private pure returns (bytes memory packed) {
        packed = new bytes(64 * vs.length);
        for (uint256 i; i < vs.length; ++i) {
            Allocation.Validator memory v = vs[i];
            uint256 word = Allocation.packValidator(v.id, v.stake, v.weightBps, v.eligible, v.withdrawable);
            uint256 room = v.room;
            assembly {
                mstore(add(add(packed, 0x20), mul(i, 64)), word)
                mstore(add(add(packed, 0x40), mul(i, 64)), room)
            }
        }
    }

    /// @dev The governance weights and eligibility of `vs`, as `normaliseWeights` takes them.
    function _rawWeights(Allocation.Validator[] memory vs)
        private
        pure
        returns (uint256[] memory raw, bool[] memory eligible)
    {
        raw = new uint256[](vs.length);
        eligible = new bool[](vs.length);
        for (uint256 i; i < vs.length; ++i) {
            (raw[i], eligible[i]) = (vs[i].weightBps, vs[i].eligible);
        }
    }

    /// @dev Both planners on `c`: raw weights through `planWithRawWeights`, and normalised weights through
    /// `plan`; both must equal the reference exactly.
    function _check(Case memory c) internal pure returns (Allocation.Move[] memory moves) {
        AllocationReference.Move[] memory expected = _refPlanRaw(c.vs, c.inp);
        Allocation.Validator[] memory vs = _copy(c.vs);
        moves = Allocation.planWithRawWeights(vs, c.inp);
        assertEq(moves.length, expected.length, "same number of moves");
        assertEq(keccak256(abi.encode(moves)), keccak256(abi.encode(expected)), "same moves, same order");
        // The pool's compact form: the same moves, three words each.
        bytes memory out = Allocation.planPacked(_packed(c.vs), c.inp);
        assertEq(Allocation.packedMoveCount(out), expected.length, "planPacked: same number of moves");
        for (uint256 k; k < expected.length; ++k) {
            assertEq(
                keccak256(abi.encode(Allocation.packedMove(out, k))), keccak256(abi.encode(expected[k])), "planPacked"
            );
        }
        // `vs` now holds the normalised weights: `plan` on them is the same plan again.
        assertEq(keccak256(abi.encode(Allocation.plan(vs, c.inp))), keccak256(abi.encode(expected)), "plan");
        (uint256[] memory raw, bool[] memory eligible) = _rawWeights(c.vs);
        uint256[] memory w = AllocationReference.normaliseWeights(raw, eligible);
        for (uint256 i; i < c.vs.length; ++i) {
            assertEq(vs[i].weightBps, w[i], "normalised in place as normaliseWeights does");
        }
    }

    function testFuzz_SamePlanAsTheReference(uint256 seed, uint8 size, bool ties) public pure {
        _check(_case(seed, bound(size, 1, 200), ties));
    }

    function testFuzz_SamePlanAsTheReferenceForSmallSets(uint256 seed, uint8 size, bool ties) public pure {
        _check(_case(seed, bound(size, 1, 12), ties));
    }

    /// @dev Inputs straight from the fuzzer (amounts up to 2^96), as in the library's own fuzz tests.
    function testFuzz_SamePlanAsTheReferenceForRawFuzzedInputs(
        uint256 seed,
        uint8 size,
        uint96 idle,
        uint96 unbonding,
        uint96 demand,
        uint16 threshold,
        uint96 budget
    ) public pure {
        Case memory c = _case(seed, bound(size, 1, 40), false);
        c.inp = Allocation.Input(idle, unbonding, demand, bound(threshold, 0, 10_000), budget);
        _check(c);
    }

    /// @dev Several rounds in a row (moves applied, unbonding returning), compared at every round.
    function testFuzz_SamePlansRoundAfterRound(uint256 seed, uint8 size, bool ties) public pure {
        Case memory c = _case(seed, bound(size, 2, 60), ties);
        for (uint256 round; round < 4; ++round) {
            Allocation.Move[] memory moves = _check(c);
            c.inp.idle += c.inp.unbonding;
            c.inp.unbonding = 0;
            c.inp.demand = c.inp.demand / 2;
            for (uint256 k; k < moves.length; ++k) {
                Allocation.Validator memory v = c.vs[moves[k].validatorId - 1];
                if (moves[k].isDelegate) {
                    v.stake += moves[k].amount;
                    v.room -= moves[k].amount;
                    c.inp.idle -= moves[k].amount;
                } else {
                    v.stake -= moves[k].amount;
                    c.inp.unbonding += moves[k].amount;
                    v.withdrawable = v.stake > 0;
                }
            }
        }
    }

    /// @dev 200 validators on equal weights and stakes: every key ties, and each budget runs out part-way.
    function test_AllTiesAt200ValidatorsWithBudgetsRunningOut() public pure {
        Case memory c;
        c.vs = new Allocation.Validator[](200);
        for (uint256 i; i < 200; ++i) {
            c.vs[i] = Allocation.Validator(i + 1, 1_000 ether, 50, type(uint128).max, true, true);
        }
        // Demand part-way through the walk (no idle).
        c.inp = Allocation.Input(0, 0, 7_777 ether, 50, type(uint128).max);
        assertGt(_check(c).length, 0);
        // Idle FTM part-way through the walk, plus the rounding dust of the second pass.
        c.inp = Allocation.Input(12_345 ether + 17, 0, 0, 50, type(uint128).max);
        assertGt(_check(c).length, 0);
        // Drift with a budget that runs out: half the validators over target (no threshold: at 200 validators
        // 50 bps of T is a whole target).
        for (uint256 i; i < 200; i += 2) {
            c.vs[i].stake = 1_500 ether;
        }
        c.inp = Allocation.Input(0, 0, 0, 0, 3_333 ether);
        assertGt(_check(c).length, 0);
    }

    /// @dev The keeper benchmark's shape: targets alternating 1.5× and 0.5×, inflow to everyone.
    function test_TheBenchmarkShapeAt200Validators() public pure {
        Case memory c;
        c.vs = new Allocation.Validator[](200);
        for (uint256 i; i < 200; ++i) {
            uint256 stake = 9_000 ether + (i % 7) * 1 ether;
            c.vs[i] = Allocation.Validator(i + 1, stake, i % 2 == 0 ? 75 : 25, 6_000 ether, true, true);
        }
        c.inp = Allocation.Input(210_000 ether + 199, 0, 20_000 ether, 50, type(uint128).max);
        assertGt(_check(c).length, 0);
        c.inp = Allocation.Input(0, 0, 150_000 ether, 50, type(uint128).max);
        assertGt(_check(c).length, 0);
    }

    /// @dev Extreme amounts and weights (up to 2^256 − 1): where the reference reverts (an overflow), the planner
    /// reverts with the same error; where it does not, the plans are the same.
    function testFuzz_SameOutcomeAsTheReferenceOnExtremeInputs(uint256 seed, uint8 size, uint8 hugeMask) public view {
        _extreme(seed, size, hugeMask);
    }

    /// @dev Returns whether the reference planned (true) or reverted (false).
    function _extreme(uint256 seed, uint8 size, uint8 hugeMask) internal view returns (bool) {
        Case memory c = _case(seed, bound(size, 1, 8), true);
        for (uint256 i; i < c.vs.length; ++i) {
            uint256 r = uint256(keccak256(abi.encode(seed, i, "huge")));
            if (hugeMask & 1 != 0 && r % 3 == 0) c.vs[i].stake = type(uint256).max - r % 1e30;
            if (hugeMask & 2 != 0 && r % 5 == 0) c.vs[i].weightBps = type(uint256).max / (1 + r % 7);
            if (hugeMask & 4 != 0 && r % 2 == 0) c.vs[i].stake = uint256(1) << (200 + r % 56);
            if (c.vs[i].eligible && hugeMask & 8 != 0) c.vs[i].room = type(uint256).max - r % 1e18;
        }
        if (hugeMask & 16 != 0) c.inp.idle = type(uint256).max / (1 + seed % 3);
        if (hugeMask & 32 != 0) c.inp.unbonding = uint256(1) << (128 + seed % 128);
        if (hugeMask & 64 != 0) c.inp.demand = type(uint256).max - seed % 1e20;
        if (hugeMask & 128 != 0) c.inp.thresholdBps = type(uint256).max / (1 + seed % 5);
        (bool okRef, bytes memory outRef) =
            address(this).staticcall(abi.encodeCall(this.referencePlanRaw, (c.vs, c.inp)));
        (bool okNew, bytes memory outNew) = address(this).staticcall(abi.encodeCall(this.planRaw, (c.vs, c.inp)));
        assertEq(okNew, okRef, "reverts exactly when the reference does");
        assertEq(keccak256(outNew), keccak256(outRef), "same plan, or the same error");
        (okRef, outRef) = address(this).staticcall(abi.encodeCall(this.referencePlan, (c.vs, c.inp)));
        (okNew, outNew) = address(this).staticcall(abi.encodeCall(this.planNormalised, (c.vs, c.inp)));
        assertEq(okNew, okRef, "plan: reverts exactly when the reference does");
        assertEq(keccak256(outNew), keccak256(outRef), "plan: same plan, or the same error");
        return okRef;
    }

    function referencePlanRaw(Allocation.Validator[] memory vs, Allocation.Input memory inp)
        external
        pure
        returns (AllocationReference.Move[] memory)
    {
        return _refPlanRaw(vs, inp);
    }

    function planRaw(Allocation.Validator[] memory vs, Allocation.Input memory inp)
        external
        pure
        returns (Allocation.Move[] memory)
    {
        return Allocation.planWithRawWeights(vs, inp);
    }

    /// @dev `plan` itself, on the weights as given (not normalised: they may be anything).
    function referencePlan(Allocation.Validator[] memory vs, Allocation.Input memory inp)
        external
        pure
        returns (AllocationReference.Move[] memory)
    {
        return AllocationReference.plan(_ref(vs), _refInput(inp));
    }

    function planNormalised(Allocation.Validator[] memory vs, Allocation.Input memory inp)
        external
        pure
        returns (Allocation.Move[] memory)
    {
        return Allocation.plan(vs, inp);
    }

    function test_ThePackedFormRejectsWhatDoesNotFitAndMovesBeyondTheEnd() public {
        assertEq(
            Allocation.packValidator(type(uint64).max, type(uint128).max, type(uint16).max, true, true),
            type(uint256).max ^ (((uint256(1) << 46) - 1) << 82)
        );
        vm.expectRevert(abi.encodeWithSelector(Allocation.Allocation__DoesNotPack.selector, 1 << 64, 0, 0));
        this.pack(1 << 64, 0, 0);
        vm.expectRevert(abi.encodeWithSelector(Allocation.Allocation__DoesNotPack.selector, 1, 1 << 128, 0));
        this.pack(1, 1 << 128, 0);
        vm.expectRevert(abi.encodeWithSelector(Allocation.Allocation__DoesNotPack.selector, 1, 0, 1 << 16));
        this.pack(1, 0, 1 << 16);
        bytes memory out = new bytes(96);
        assertEq(Allocation.packedMove(out, 0).validatorId, 0);
        vm.expectRevert(abi.encodeWithSelector(Allocation.Allocation__NoSuchMove.selector, 1));
        this.moveAt(out, 1);
    }

    function pack(uint256 id, uint256 stake, uint256 weight) external pure returns (uint256) {
        return Allocation.packValidator(id, stake, weight, false, false);
    }

    function moveAt(bytes memory packed, uint256 k) external pure returns (Allocation.Move memory) {
        return Allocation.packedMove(packed, k);
    }

    /// @dev The deployed planner's three entry points are the library's, and the library's rule-1 helpers are
    /// the reference's.
    function testFuzz_ThePlannerContractIsTheLibrary(uint256 seed, uint8 size, bool ties) public {
        Case memory c = _case(seed, bound(size, 1, 40), ties);
        AllocationPlanner planner = new AllocationPlanner();
        bytes memory packed = _packed(c.vs);
        (uint256[] memory raw, bool[] memory eligible) = _rawWeights(c.vs);
        assertEq(keccak256(planner.planPacked(packed, c.inp)), keccak256(Allocation.planPacked(packed, c.inp)));
        uint256[] memory w = planner.normaliseWeights(raw, eligible);
        assertEq(keccak256(abi.encode(w)), keccak256(abi.encode(AllocationReference.normaliseWeights(raw, eligible))));
        for (uint256 i; i < c.vs.length; ++i) {
            c.vs[i].weightBps = w[i];
        }
        AllocationReference.Validator[] memory rv = _ref(c.vs);
        AllocationReference.Input memory ri = _refInput(c.inp);
        assertEq(
            keccak256(abi.encode(planner.plan(c.vs, c.inp))), keccak256(abi.encode(AllocationReference.plan(rv, ri)))
        );
        uint256 total = Allocation.stakedTotal(c.vs, c.inp);
        assertEq(total, AllocationReference.stakedTotal(rv, ri));
        assertEq(
            keccak256(abi.encode(Allocation.targetsFor(c.vs, total))),
            keccak256(abi.encode(AllocationReference.targetsFor(rv, total)))
        );
    }
}
