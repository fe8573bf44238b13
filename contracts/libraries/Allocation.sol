// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

/// @notice Pure planning of the pool's stake moves (DESIGN §3.3). No storage, no external calls: the pool
/// gathers the state, this library decides, the pool executes. All amounts are FTM wei, weights are bps.
///
/// Rules, in order:
/// 1. The pool's eventual staked total is `T = Σstake + idle + unbonding − demand`; each validator's
///    target is `T × weight / 10,000`.
/// 2. Validators that may not hold stake (ineligible, exiting, removed) are drained in full, outside
///    the drift budget and threshold: they earn nothing or are leaving.
/// 3. Withdrawal demand not covered by idle liquidity and FTM already unbonding is undelegated from the
///    most over-target validators first.
/// 4. Idle liquidity not earmarked for demand goes to the most under-target validators with room, then,
///    if every shortfall is filled or blocked by capacity, to any eligible validator with room.
/// 5. Drift: a validator more than `thresholdBps` of T over its target is brought down to it; a shortfall
///    above the threshold that nothing else will fill is taken from the most over-target validators.
///    Drift undelegation is limited by `driftBudget`.
/// 6. Inflow and outflow at one validator are netted into one move, so a round whose inflow covers its
///    withdrawals sends nothing into unbonding.
library Allocation {
    uint256 internal constant BPS = 10_000;
    uint256 private constant NONE = type(uint256).max;

    error Allocation__NoSuchMove(uint256 index);
    error Allocation__DoesNotPack(uint256 id, uint256 stake, uint256 rawWeightBps);

    struct Validator {
        uint256 id; // SFC validator id, passed through to the move
        uint256 stake; // booked stake now (FTM wei)
        uint256 weightBps; // effective target weight; 0 for a validator that may not hold stake
        uint256 room; // FTM it can still receive under the SFC delegation limit; 0 when not eligible
        bool eligible; // may receive stake
        bool withdrawable; // may be undelegated from
    }

    struct Input {
        uint256 idle; // idle FTM of the pool (not counting FTM reserved for finalised requests)
        uint256 unbonding; // FTM the pool has in SFC withdrawal requests, at booked value
        uint256 demand; // FTM owed to pending (not yet finalised) withdrawal requests
        uint256 thresholdBps; // drift tolerated before undelegating, in bps of T
        uint256 driftBudget; // FTM that may still be undelegated for drift in this round
    }

    struct Move {
        uint256 validatorId;
        bool isDelegate;
        uint256 amount; // FTM wei (booked value for an undelegation)
        uint256 driftAmount; // part of an undelegation that counts against the drift budget
    }

    /// @notice Scales `rawBps` over the eligible entries so they sum to exactly 10,000; ineligible entries
    /// get 0. When no eligible entry has weight, eligible entries share equally. All zero if none eligible.
    function normaliseWeights(uint256[] memory rawBps, bool[] memory eligible)
        internal
        pure
        returns (uint256[] memory out)
    {
        uint256 n = rawBps.length;
        out = new uint256[](n);
        uint256 sum;
        uint256 count;
        for (uint256 i; i < n; ++i) {
            if (eligible[i]) {
                sum += rawBps[i];
                ++count;
            }
        }
        if (count == 0) return out;
        uint256 given;
        uint256 last = type(uint256).max;
        for (uint256 i; i < n; ++i) {
            if (!eligible[i]) continue;
            uint256 w = sum == 0 ? BPS / count : rawBps[i] * BPS / sum;
            if (sum == 0 || rawBps[i] > 0) last = i;
            out[i] = w;
            given += w;
        }
        // Rounding remainder goes to the last weighted entry so that the vector sums to exactly 10,000.
        out[last] += BPS - given;
    }

    /// @notice `plan` for validators whose `weightBps` are raw governed weights: each is first replaced, in
    /// place, by what `normaliseWeights` returns for it (with `vs[i].eligible` as the eligibility), then the
    /// validators are planned exactly as `plan` does. One call for the pool instead of two.
    function planWithRawWeights(Validator[] memory vs, Input memory inp) internal pure returns (Move[] memory) {
        return _moves(vs, _plan(vs, inp, true));
    }

    /// @notice `planWithRawWeights` in the compact form the pool calls the planner with, which spares both
    /// sides the ABI encoding of arrays (`bytes` are copied whole). Each validator is two words:
    /// `stake << 128 | withdrawable << 81 | eligible << 80 | rawWeightBps << 64 | id` (so stake < 2^128, raw
    /// weight < 2^16, id < 2^64; see `packValidator`) and `room`. Each move is three words (see `packedMove`),
    /// in the order of `planWithRawWeights`.
    function planPacked(bytes memory packed, Input memory inp) internal pure returns (bytes memory) {
        Validator[] memory vs = unpackValidators(packed);
        return _movesPacked(vs, _plan(vs, inp, true));
    }

    /// @notice The first word of a validator in `planPacked`'s input (the second is its room).
    function packValidator(uint256 id, uint256 stake, uint256 rawWeightBps, bool eligible, bool withdrawable)
        internal
        pure
        returns (uint256)
    {
        if (id > type(uint64).max || stake > type(uint128).max || rawWeightBps > type(uint16).max) {
            revert Allocation__DoesNotPack(id, stake, rawWeightBps);
        }
        return stake << 128 | (withdrawable ? 1 << 81 : 0) | (eligible ? 1 << 80 : 0) | rawWeightBps << 64 | id;
    }

    /// @notice `planPacked`'s validators as `Validator` structs (the raw weight in `weightBps`).
    function unpackValidators(bytes memory packed) internal pure returns (Validator[] memory vs) {
        uint256 n = packed.length / 64;
        vs = new Validator[](n);
        assembly ("memory-safe") {
            for { let i := 0 } lt(i, n) { i := add(i, 1) } {
                let v := mload(add(vs, shl(5, add(i, 1))))
                let p := add(add(packed, 0x20), shl(6, i))
                let word := mload(p)
                mstore(v, and(word, 0xffffffffffffffff)) // id
                mstore(add(v, STAKE), shr(128, word))
                mstore(add(v, WEIGHT), and(shr(64, word), 0xffff))
                mstore(add(v, ROOM), mload(add(p, 0x20)))
                mstore(add(v, ELIGIBLE), and(shr(80, word), 1))
                mstore(add(v, WITHDRAWABLE), and(shr(81, word), 1))
            }
        }
    }

    /// @notice How many moves `planPacked`'s result holds.
    function packedMoveCount(bytes memory packed) internal pure returns (uint256) {
        return packed.length / 96;
    }

    /// @notice Move `k` of `planPacked`'s result, whose three words are `isDelegate << 255 | validatorId`,
    /// `amount` and `driftAmount`.
    function packedMove(bytes memory packed, uint256 k) internal pure returns (Move memory m) {
        if (k >= packed.length / 96) revert Allocation__NoSuchMove(k);
        uint256 word;
        uint256 amount;
        uint256 driftAmount;
        assembly ("memory-safe") {
            let p := add(add(packed, 0x20), mul(k, 96))
            word := mload(p)
            amount := mload(add(p, 0x20))
            driftAmount := mload(add(p, 0x40))
        }
        m.validatorId = word & ((1 << 255) - 1);
        m.isDelegate = word >> 255 == 1;
        m.amount = amount;
        m.driftAmount = driftAmount;
    }

    /// @notice Targets in FTM for a staked total `total`: `total × weight / 10,000`, rounded down.
    function targetsFor(Validator[] memory vs, uint256 total) internal pure returns (uint256[] memory t) {
        t = new uint256[](vs.length);
        for (uint256 i; i < vs.length; ++i) {
            t[i] = total * vs[i].weightBps / BPS;
        }
    }

    /// @notice The staked total the pool aims for: Σstake + idle + unbonding − demand (floored at zero).
    function stakedTotal(Validator[] memory vs, Input memory inp) internal pure returns (uint256) {
        uint256 sum = inp.idle + inp.unbonding;
        for (uint256 i; i < vs.length; ++i) {
            sum += vs[i].stake;
        }
        return sum > inp.demand ? sum - inp.demand : 0;
    }

    /// @dev Working state of one plan (kept in memory to stay within the EVM's stack).
    struct Work {
        uint256 total; // T
        uint256[] target;
        uint256[] cur;
        uint256[] del;
        uint256[] undel;
        uint256[] drift;
        uint256 need; // demand still to be undelegated
        uint256 delegatable; // idle FTM free to delegate
        uint256 returning; // FTM that will come back from unbonding unowed
    }

    /// @notice The moves of one round, undelegations first. See the library's description for the rules.
    function plan(Validator[] memory vs, Input memory inp) internal pure returns (Move[] memory) {
        return _moves(vs, _plan(vs, inp, false));
    }

    /// @dev Rules 3, 4 and 5 each walk the validators in the order of their excess (or shortfall) when the
    /// rule starts, largest first and ties in index order, giving or taking at each until a budget (demand,
    /// idle FTM, drift budget) is used up (`_walk`). Only a walk that runs out of budget needs the order,
    /// and only up to where it runs out: O(n) in the common case, O(n log n) at worst, and the moves of a
    /// full sort, to the wei.
    ///
    /// The loops over the validators are written in assembly (a planning round at 200 validators must fit in
    /// one keeper call beside the pool's reads of the chain). They read `vs[i]` at its memory layout (id,
    /// stake, weightBps, room, eligible, withdrawable: one word each) and keep Solidity's checked arithmetic
    /// wherever an overflow is possible (it reverts with the same `Panic(0x11)`); every other operation is
    /// bounded as its comment says. `test/AllocationDifferential.t.sol` holds the plans, and the errors, to
    /// those of the plain-Solidity planner this replaced (`test/utils/AllocationReference.sol`).
    function _plan(Validator[] memory vs, Input memory inp, bool rawWeights) private pure returns (Work memory w) {
        w = _start(vs, inp, rawWeights);
        if (w.need > 0) _serveDemand(vs, w);
        if (w.delegatable > 0) _inflow(vs, w);
        if (inp.driftBudget > 0) _drift(vs, w, inp);
    }

    // Offsets of a Validator's fields in memory.
    uint256 private constant STAKE = 0x20;
    uint256 private constant WEIGHT = 0x40;
    uint256 private constant ROOM = 0x60;
    uint256 private constant ELIGIBLE = 0x80;
    uint256 private constant WITHDRAWABLE = 0xa0;

    /// @dev Rule 1 (and the normalisation of raw weights), then rule 2, in two passes over the validators.
    function _start(Validator[] memory vs, Input memory inp, bool rawWeights) private pure returns (Work memory w) {
        uint256 n = vs.length;
        uint256 covered = inp.idle + inp.unbonding;
        // The staked total (as `stakedTotal`: Σstake + idle + unbonding − demand, checked) and, for raw
        // weights, the sum (checked) and count of the eligible weights that `normaliseWeights` scales by.
        uint256 sum = covered;
        uint256 weightSum;
        uint256 count;
        assembly ("memory-safe") {
            for {
                let p := add(vs, 0x20)
                let end := add(p, shl(5, n))
            } lt(p, end) { p := add(p, 0x20) } {
                let v := mload(p)
                let s := add(sum, mload(add(v, STAKE)))
                if lt(s, sum) { _panic(0x11) }
                sum := s
                if and(rawWeights, mload(add(v, ELIGIBLE))) {
                    let ws := add(weightSum, mload(add(v, WEIGHT)))
                    if lt(ws, weightSum) { _panic(0x11) }
                    weightSum := ws
                    count := add(count, 1)
                }
            }
            function _panic(code) {
                mstore(0, shl(224, 0x4e487b71))
                mstore(4, code)
                revert(0, 0x24)
            }
        }
        w.total = sum > inp.demand ? sum - inp.demand : 0;
        w.need = inp.demand > covered ? inp.demand - covered : 0;
        uint256 earmarked = inp.demand > inp.unbonding ? inp.demand - inp.unbonding : 0;
        w.delegatable = inp.idle > earmarked ? inp.idle - earmarked : 0;
        uint256 free = covered > inp.demand ? covered - inp.demand : 0;
        w.returning = free > w.delegatable ? free - w.delegatable : 0;
        w.target = new uint256[](n);
        w.cur = new uint256[](n);
        w.del = new uint256[](n);
        w.undel = new uint256[](n);
        w.drift = new uint256[](n);
        if (rawWeights) _normalise(vs, weightSum, count);
        _fill(vs, w);
    }

    /// @dev Replaces the raw weights by what `normaliseWeights` returns for them, given the sum and count of the
    /// eligible ones: `raw × 10,000 / sum` (checked), or `10,000 / count` when no eligible one has weight; 0 for
    /// the ineligible; the rounding remainder to the last eligible entry with weight (any eligible one when
    /// none has weight), so that the vector sums to exactly 10,000.
    function _normalise(Validator[] memory vs, uint256 weightSum, uint256 count) private pure {
        assembly ("memory-safe") {
            let n := mload(vs)
            let given := 0 // Σ normalised weights: at most 10,000
            let last := 0
            for { let o := 0x20 } lt(o, shl(5, add(n, 1))) { o := add(o, 0x20) } {
                let v := mload(add(vs, o))
                let weight := 0
                if mload(add(v, ELIGIBLE)) {
                    switch weightSum
                    case 0 {
                        weight := div(BPS, count)
                        last := v
                    }
                    default {
                        let raw := mload(add(v, WEIGHT))
                        if gt(raw, div(not(0), BPS)) {
                            // raw × 10,000 overflows
                            mstore(0, shl(224, 0x4e487b71))
                            mstore(4, 0x11)
                            revert(0, 0x24)
                        }
                        weight := div(mul(raw, BPS), weightSum)
                        if raw { last := v }
                    }
                    given := add(given, weight)
                }
                mstore(add(v, WEIGHT), weight)
            }
            if count { mstore(add(last, WEIGHT), add(mload(add(last, WEIGHT)), sub(BPS, given))) }
        }
    }

    /// @dev Per validator, in index order: its target (as `targetsFor`, checked), and rule 2: a validator that
    /// may not hold stake is emptied, and what demand does not use of its stake comes back.
    function _fill(Validator[] memory vs, Work memory w) private pure {
        uint256[] memory target = w.target;
        uint256[] memory cur = w.cur;
        uint256[] memory undel = w.undel;
        uint256 total = w.total;
        uint256 need = w.need;
        uint256 returning = w.returning;
        assembly ("memory-safe") {
            let n := mload(vs)
            for { let o := 0x20 } lt(o, shl(5, add(n, 1))) { o := add(o, 0x20) } {
                let v := mload(add(vs, o))
                let weight := mload(add(v, WEIGHT))
                // total × weight, checked as Solidity's `*`
                if and(iszero(iszero(weight)), gt(total, div(not(0), weight))) {
                    mstore(0, shl(224, 0x4e487b71))
                    mstore(4, 0x11)
                    revert(0, 0x24)
                }
                mstore(add(target, o), div(mul(total, weight), BPS))
                let c := mload(add(v, STAKE))
                switch or(or(mload(add(v, ELIGIBLE)), iszero(mload(add(v, WITHDRAWABLE)))), iszero(c))
                case 1 { mstore(add(cur, o), c) }
                default {
                    // Drained: cur stays 0. `returning` stays below Σstake + idle + unbonding (checked above).
                    mstore(add(undel, o), c)
                    let used := c
                    if lt(need, c) { used := need }
                    need := sub(need, used)
                    returning := add(returning, sub(c, used))
                }
            }
        }
        w.need = need;
        w.returning = returning;
    }

    /// @dev Rule 3: demand from the most over-target validators, never below target while excess remains.
    function _serveDemand(Validator[] memory vs, Work memory w) private pure {
        uint256[] memory cur = w.cur;
        uint256[] memory undel = w.undel;
        // The walk's order (excess when the rule starts) and what each validator can give in the first pass:
        // its excess over target, if it may be undelegated from.
        int256[] memory key = _excess(cur, w.target);
        uint256[] memory x = new uint256[](vs.length);
        {
            uint256[] memory target = w.target;
            assembly ("memory-safe") {
                let n := mload(vs)
                for { let i := 0 } lt(i, n) { i := add(i, 1) } {
                    let o := shl(5, add(i, 1))
                    let c := mload(add(cur, o))
                    let t := mload(add(target, o))
                    if and(mload(add(mload(add(vs, o)), WITHDRAWABLE)), gt(c, t)) { mstore(add(x, o), sub(c, t)) }
                }
            }
        }
        for (uint256 pass; pass < 2 && w.need > 0; ++pass) {
            // Targets sum to at most Σstake − need, so excess normally covers need; rounding may leave
            // a few wei, which the second pass takes from whoever still has stake (floor 0 instead of target).
            uint256 budget = w.need;
            uint256 only;
            (w.need, only) = _walk(x, key, budget);
            if (only != NONE) {
                undel[only] += budget;
                cur[only] -= budget;
                break;
            }
            _taken(vs, x, cur, undel, pass == 0 && w.need > 0);
        }
    }

    /// @dev Books what a walk of rule 3 took (`x`) and, when a second pass follows (`again`), sets `x` to what
    /// each validator can give in it: all its stake, if it may be undelegated from.
    function _taken(Validator[] memory vs, uint256[] memory x, uint256[] memory cur, uint256[] memory undel, bool again)
        private
        pure
    {
        assembly ("memory-safe") {
            let n := mload(vs)
            for { let o := 0x20 } lt(o, shl(5, add(n, 1))) { o := add(o, 0x20) } {
                let a := mload(add(x, o))
                // a ≤ cur[i], and undel[i] + cur[i] never exceeds the validator's stake.
                let c := sub(mload(add(cur, o)), a)
                if a {
                    mstore(add(undel, o), add(mload(add(undel, o)), a))
                    mstore(add(cur, o), c)
                }
                if again {
                    if iszero(mload(add(mload(add(vs, o)), WITHDRAWABLE))) { c := 0 }
                    mstore(add(x, o), c)
                }
            }
        }
    }

    /// @dev Rule 4: most under-target first up to target, then anyone eligible with room.
    function _inflow(Validator[] memory vs, Work memory w) private pure {
        uint256[] memory cur = w.cur;
        uint256[] memory del = w.del;
        // The walk's order (shortfall when the rule starts) and what each eligible validator can take in the
        // first pass: its room left, and no more than its shortfall.
        int256[] memory key = _excess(w.target, cur);
        uint256[] memory x = new uint256[](vs.length);
        {
            uint256[] memory target = w.target;
            assembly ("memory-safe") {
                let n := mload(vs)
                for { let i := 0 } lt(i, n) { i := add(i, 1) } {
                    let o := shl(5, add(i, 1))
                    let v := mload(add(vs, o))
                    if mload(add(v, ELIGIBLE)) {
                        let c := mload(add(cur, o))
                        let t := mload(add(target, o))
                        let space := sub(mload(add(v, ROOM)), mload(add(del, o))) // del[i] ≤ room, always
                        let short := 0
                        if lt(c, t) { short := sub(t, c) }
                        if lt(short, space) { space := short }
                        mstore(add(x, o), space)
                    }
                }
            }
        }
        for (uint256 pass; pass < 2 && w.delegatable > 0; ++pass) {
            uint256 budget = w.delegatable;
            uint256 only;
            (w.delegatable, only) = _walk(x, key, budget);
            if (only != NONE) {
                del[only] += budget;
                cur[only] += budget;
                break;
            }
            _given(vs, x, cur, del, pass == 0 && w.delegatable > 0);
        }
    }

    /// @dev Books what a walk of rule 4 gave (`x`) and, when a second pass follows (`again`), sets `x` to what
    /// each validator can take in it: any eligible validator, up to its room left.
    function _given(Validator[] memory vs, uint256[] memory x, uint256[] memory cur, uint256[] memory del, bool again)
        private
        pure
    {
        assembly ("memory-safe") {
            let n := mload(vs)
            for { let o := 0x20 } lt(o, shl(5, add(n, 1))) { o := add(o, 0x20) } {
                let a := mload(add(x, o))
                // a ≤ room − del[i], and all that is delegated comes out of the idle FTM.
                let d := add(mload(add(del, o)), a)
                if a {
                    mstore(add(del, o), d)
                    mstore(add(cur, o), add(mload(add(cur, o)), a))
                }
                if again {
                    let v := mload(add(vs, o))
                    let space := 0
                    if mload(add(v, ELIGIBLE)) { space := sub(mload(add(v, ROOM)), d) }
                    mstore(add(x, o), space)
                }
            }
        }
    }

    /// @dev Rule 5: drift beyond the threshold, within the budget.
    function _drift(Validator[] memory vs, Work memory w, Input memory inp) private pure {
        uint256[] memory cur = w.cur;
        uint256[] memory target = w.target;
        uint256[] memory x = new uint256[](vs.length); // what the walk below may take: all above target
        uint256 tolerance = w.total * inp.thresholdBps / BPS;
        uint256 want;
        uint256 shortfall;
        {
            uint256[] memory del = w.del;
            assembly ("memory-safe") {
                let n := mload(vs)
                for { let i := 0 } lt(i, n) { i := add(i, 1) } {
                    let o := shl(5, add(i, 1))
                    let v := mload(add(vs, o))
                    if mload(add(v, ELIGIBLE)) {
                        let c := mload(add(cur, o))
                        let t := mload(add(target, o))
                        let withdrawable := mload(add(v, WITHDRAWABLE))
                        // Checked: t + tolerance, c + tolerance, and the shortfall (a sum of parts of targets,
                        // which `plan` does not bound). `want` sums parts of the current stakes, which are bounded
                        // by the staked total.
                        let tt := add(t, tolerance)
                        if lt(tt, t) { _panic(0x11) }
                        let ct := add(c, tolerance)
                        if lt(ct, c) { _panic(0x11) }
                        if and(gt(c, tt), withdrawable) { want := add(want, sub(c, t)) }
                        if gt(t, ct) {
                            let gap := sub(t, c)
                            let space := sub(mload(add(v, ROOM)), mload(add(del, o)))
                            if lt(space, gap) { gap := space }
                            let sf := add(shortfall, gap)
                            if lt(sf, shortfall) { _panic(0x11) }
                            shortfall := sf
                        }
                        if and(gt(c, t), withdrawable) { mstore(add(x, o), sub(c, t)) }
                    }
                }
                function _panic(code) {
                    mstore(0, shl(224, 0x4e487b71))
                    mstore(4, code)
                    revert(0, 0x24)
                }
            }
        }
        // Outflow already under way, and the over-threshold excess above, refill shortfalls later.
        uint256 comingBack = w.returning + want;
        if (shortfall > comingBack) want += shortfall - comingBack;
        want = _min(want, inp.driftBudget);
        if (want == 0) return;
        (, uint256 only) = _walk(x, _excess(cur, target), want);
        uint256[] memory undel = w.undel;
        uint256[] memory drift = w.drift;
        if (only != NONE) {
            undel[only] += want;
            drift[only] += want;
            cur[only] -= want;
            return;
        }
        assembly ("memory-safe") {
            let n := mload(vs)
            for { let i := 0 } lt(i, n) { i := add(i, 1) } {
                let o := shl(5, add(i, 1))
                let a := mload(add(x, o))
                if a {
                    // a ≤ cur[i] − target[i]
                    mstore(add(undel, o), add(mload(add(undel, o)), a))
                    mstore(add(drift, o), add(mload(add(drift, o)), a))
                    mstore(add(cur, o), sub(mload(add(cur, o)), a))
                }
            }
        }
    }

    /// @dev Rule 6: one netted move per validator, undelegations first.
    function _moves(Validator[] memory vs, Work memory w) private pure returns (Move[] memory moves) {
        uint256[] memory del = w.del;
        uint256[] memory undel = w.undel;
        uint256[] memory drift = w.drift;
        uint256 count;
        assembly ("memory-safe") {
            let n := mload(vs)
            for { let o := 0x20 } lt(o, shl(5, add(n, 1))) { o := add(o, 0x20) } {
                count := add(count, iszero(eq(mload(add(del, o)), mload(add(undel, o)))))
            }
        }
        moves = new Move[](count); // zeroed moves, filled in below: validatorId, isDelegate, amount, driftAmount
        assembly ("memory-safe") {
            let n := mload(vs)
            let m := add(moves, 0x20)
            for { let o := 0x20 } lt(o, shl(5, add(n, 1))) { o := add(o, 0x20) } {
                let d := mload(add(del, o))
                let u := mload(add(undel, o))
                if gt(u, d) {
                    let move := mload(m)
                    let amount := sub(u, d)
                    let dr := mload(add(drift, o))
                    if lt(amount, dr) { dr := amount }
                    mstore(move, mload(mload(add(vs, o))))
                    mstore(add(move, 0x40), amount)
                    mstore(add(move, 0x60), dr)
                    m := add(m, 0x20)
                }
            }
            for { let o := 0x20 } lt(o, shl(5, add(n, 1))) { o := add(o, 0x20) } {
                let d := mload(add(del, o))
                let u := mload(add(undel, o))
                if gt(d, u) {
                    let move := mload(m)
                    mstore(move, mload(mload(add(vs, o))))
                    mstore(add(move, 0x20), 1)
                    mstore(add(move, 0x40), sub(d, u))
                    m := add(m, 0x20)
                }
            }
        }
    }

    /// @dev `_moves` in `planPacked`'s form: three words a move, `isDelegate << 255 | validatorId`, `amount`,
    /// `driftAmount`.
    function _movesPacked(Validator[] memory vs, Work memory w) private pure returns (bytes memory out) {
        uint256[] memory del = w.del;
        uint256[] memory undel = w.undel;
        uint256[] memory drift = w.drift;
        uint256 count;
        assembly ("memory-safe") {
            let n := mload(vs)
            for { let o := 0x20 } lt(o, shl(5, add(n, 1))) { o := add(o, 0x20) } {
                count := add(count, iszero(eq(mload(add(del, o)), mload(add(undel, o)))))
            }
        }
        out = new bytes(96 * count);
        assembly ("memory-safe") {
            let n := mload(vs)
            let m := add(out, 0x20)
            for { let o := 0x20 } lt(o, shl(5, add(n, 1))) { o := add(o, 0x20) } {
                let d := mload(add(del, o))
                let u := mload(add(undel, o))
                if gt(u, d) {
                    let amount := sub(u, d)
                    let dr := mload(add(drift, o))
                    if lt(amount, dr) { dr := amount }
                    mstore(m, mload(mload(add(vs, o))))
                    mstore(add(m, 0x20), amount)
                    mstore(add(m, 0x40), dr)
                    m := add(m, 0x60)
                }
            }
            for { let o := 0x20 } lt(o, shl(5, add(n, 1))) { o := add(o, 0x20) } {
                let d := mload(add(del, o))
                let u := mload(add(undel, o))
                if gt(d, u) {
                    mstore(m, or(shl(255, 1), mload(mload(add(vs, o)))))
                    mstore(add(m, 0x20), sub(d, u))
                    m := add(m, 0x60)
                }
            }
        }
    }

    /// @notice Largest deviation from target among eligible validators, in bps of their summed stake.
    function maxDriftBps(uint256[] memory stakes, uint256[] memory weightsBps) internal pure returns (uint256 worst) {
        uint256 sum;
        for (uint256 i; i < stakes.length; ++i) {
            sum += stakes[i];
        }
        if (sum == 0) return 0;
        for (uint256 i; i < stakes.length; ++i) {
            uint256 share = stakes[i] * BPS / sum;
            uint256 d = share > weightsBps[i] ? share - weightsBps[i] : weightsBps[i] - share;
            if (d > worst) worst = d;
        }
    }

    /// @dev The walk order's keys `int256(a[i]) − int256(b[i])`, largest first (as the insertion sort before
    /// used them; the subtraction is checked).
    function _excess(uint256[] memory a, uint256[] memory b) private pure returns (int256[] memory key) {
        key = new int256[](a.length);
        assembly ("memory-safe") {
            let n := mload(a)
            for { let o := 0x20 } lt(o, shl(5, add(n, 1))) { o := add(o, 0x20) } {
                let x := mload(add(a, o))
                let y := mload(add(b, o))
                let k := sub(x, y)
                // Signed overflow: y ≥ 0 and k > x, or y < 0 and k ≤ x.
                if eq(slt(y, 0), iszero(sgt(k, x))) {
                    mstore(0, shl(224, 0x4e487b71))
                    mstore(4, 0x11)
                    revert(0, 0x24)
                }
                mstore(add(key, o), k)
            }
        }
    }

    /// @dev One walk of rules 3, 4 or 5. `x[i]` is what validator `i` can give or take (0: nothing); the walk
    /// visits the validators in `key` order, largest first and ties in index order, and gives each
    /// `min(x[i], left)`, `left` starting at `budget`; it returns what is left of the budget.
    /// - When the budget covers every `x[i]`, every validator gets its `x[i]` whatever the order: nothing is
    ///   ordered and `x` is unchanged.
    /// - When the first validator in walk order can take the whole budget (rounding dust, a small inflow),
    ///   it gets it and nobody else gets anything: `only` is its index and `x` is unchanged.
    /// - Otherwise the validators with `x[i] > 0` are taken from a binary heap, in walk order, until the
    ///   budget is used up, and `x[i]` becomes what validator `i` got. (Validators with nothing to give or
    ///   take change nothing wherever they stand in the order.)
    /// `only` is `NONE` but in the second case.
    function _walk(uint256[] memory x, int256[] memory key, uint256 budget)
        private
        pure
        returns (uint256 left, uint256 only)
    {
        uint256 count;
        bool runsOut;
        left = budget;
        assembly ("memory-safe") {
            let n := mload(x)
            for { let o := 0x20 } lt(o, shl(5, add(n, 1))) { o := add(o, 0x20) } {
                let a := mload(add(x, o))
                if a {
                    count := add(count, 1)
                    if iszero(runsOut) {
                        switch gt(a, left)
                        case 1 { runsOut := 1 }
                        default { left := sub(left, a) }
                    }
                }
            }
        }
        only = NONE;
        if (!runsOut) return (left, only);
        // The first in walk order: the largest key, the smallest index among equal keys.
        uint256 first;
        assembly ("memory-safe") {
            let n := mload(x)
            first := not(0)
            let best := 0
            for { let o := 0x20 } lt(o, shl(5, add(n, 1))) { o := add(o, 0x20) } {
                if mload(add(x, o)) {
                    let k := mload(add(key, o))
                    if or(eq(first, not(0)), sgt(k, best)) {
                        first := sub(shr(5, o), 1)
                        best := k
                    }
                }
            }
        }
        if (x[first] >= budget) return (0, first);
        uint256[] memory heap = new uint256[](count);
        assembly ("memory-safe") {
            let n := mload(x)
            let h := add(heap, 0x20)
            for { let i := 0 } lt(i, n) { i := add(i, 1) } {
                if mload(add(x, shl(5, add(i, 1)))) {
                    mstore(h, i)
                    h := add(h, 0x20)
                }
            }
        }
        _heapify(heap, key);
        // Σx > budget, so the budget is used up before the heap is empty.
        left = budget;
        while (left > 0) {
            uint256 i = _pop(heap, key);
            uint256 a = _min(x[i], left);
            x[i] = a;
            unchecked {
                left -= a;
            }
        }
        for (uint256 k; k < heap.length; ++k) {
            x[heap[k]] = 0; // not reached by the walk
        }
    }

    /// @dev Orders `heap` (validator indices) as a binary heap whose top comes first in the walk order: the
    /// largest key and, among equal keys, the smallest index. Every two indices are strictly ordered, so
    /// popping the heap empty yields exactly the order of a stable sort by key, largest first.
    function _heapify(uint256[] memory heap, int256[] memory key) private pure {
        for (uint256 i = heap.length / 2; i > 0;) {
            unchecked {
                --i;
            }
            _siftDown(heap, key, heap.length, i);
        }
    }

    /// @dev Removes and returns the top of a non-empty heap made by `_heapify`; the heap's length shrinks
    /// by one.
    function _pop(uint256[] memory heap, int256[] memory key) private pure returns (uint256 top) {
        uint256 size = heap.length - 1;
        top = heap[0];
        heap[0] = heap[size];
        assembly ("memory-safe") {
            mstore(heap, size)
        }
        if (size > 0) _siftDown(heap, key, size, 0);
    }

    /// @dev Moves the entry at position `at` of the first `size` entries of `heap` down until it comes
    /// before both its children: the larger key first and, among equal keys, the smaller index.
    function _siftDown(uint256[] memory heap, int256[] memory key, uint256 size, uint256 at) private pure {
        assembly ("memory-safe") {
            let h := add(heap, 0x20)
            let keys := add(key, 0x20)
            let x := mload(add(h, shl(5, at)))
            let kx := mload(add(keys, shl(5, x)))
            for {} 1 {} {
                let c := add(shl(1, at), 1)
                if iszero(lt(c, size)) { break }
                let cv := mload(add(h, shl(5, c)))
                let kc := mload(add(keys, shl(5, cv)))
                let c2 := add(c, 1)
                if lt(c2, size) {
                    let cv2 := mload(add(h, shl(5, c2)))
                    let kc2 := mload(add(keys, shl(5, cv2)))
                    // The second child comes first: larger key, or equal key and smaller index.
                    if or(sgt(kc2, kc), and(eq(kc2, kc), lt(cv2, cv))) {
                        c := c2
                        cv := cv2
                        kc := kc2
                    }
                }
                // Stop when x comes before its first child.
                if iszero(or(sgt(kc, kx), and(eq(kc, kx), lt(cv, x)))) { break }
                mstore(add(h, shl(5, at)), cv)
                at := c
            }
            mstore(add(h, shl(5, at)), x)
        }
    }

    function _min(uint256 a, uint256 b) private pure returns (uint256) {
        return a < b ? a : b;
    }
}
