// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

/// @title Where the pool's FTM should be, and the moves that take it there
/// @notice Pure functions: the pool gathers the state, this library decides, the pool executes. No storage, no
/// external calls. Amounts are FTM wei, weights basis points (10,000 = 100 %). Amounts below 2^128 never
/// overflow. Ties are always broken by index order, so a plan is a function of its input.
///
/// The rules (README, "How the pool works", says the same):
/// 1. Total. `T = Σstake + idle + unbonding − demand` (0 if negative) is the staked total to aim for.
/// 2. Weights. Only eligible validators with a raw weight above 0 get stake; their weights are renormalised
///    among themselves. A validator with zero weight, or not eligible, has target 0, always, and receives
///    nothing. Its stake is drained when it is withdrawable: an ineligible one's at once (rule 4), a zero-weight
///    eligible one's as drift as soon as it has somewhere to go (rule 7; it still earns where it is).
/// 3. Targets, by water-filling. `limit_i = min(stake_i + room_i, maxWeightBps × T / 10,000)`. Each weighted
///    validator's target is its share of T by weight, but never above its limit: what a validator cannot take
///    goes to the others in proportion to their weights, up to their own limits, until nothing changes.
///    `unplaceable = T − Σtargets`. Its reason (`Limit`), when it is not 0 (then every weighted validator is
///    at its limit): `TooFewHealthy` when no eligible validator has weight or `count × maxWeightBps < 10,000`
///    (no room could help: governance must add validators); otherwise `Cap` when at least one of them is
///    held at the cap (the others by their room: a higher `maxWeightBps` would place more); otherwise `Room`
///    (every one is held by its SFC room: only more room, or more validators, would).
/// 4. Drains. An ineligible validator's stake is undelegated in full when withdrawable (it earns nothing or is
///    at risk where it is), outside the drift threshold and budget.
/// 5. Withdrawals. Demand not covered by idle FTM, FTM already unbonding and the drains is undelegated from
///    the fewest validators: first from eligible positions with target 0 (largest first), then from validators
///    over target by more than the threshold (most over first, each down to its target: the FTM has to be
///    undelegated somewhere, and there it also ends the drift), then down to a quarter of the threshold below
///    target (the most above that floor first, so that no validator ends further below its target than a
///    quarter of the tolerated drift), then from the largest
///    remaining positions, validators already undelegated from this
///    round first (more from them costs no further SFC request), then, when a single validator can cover what
///    is left, the most over target of those (the same single request, with the least drift), each up to its
///    whole position.
/// 6. Inflow. Idle FTM not earmarked for demand goes to the most under-target validators with room, each up to
///    its target. What nobody can take stays idle; it is part of `unplaceable`.
/// 7. Drift. A validator more than `thresholdBps` of T over its target is brought back to the threshold (one with
///    target 0 loses all its stake), most over first, only as far as the FTM can be placed elsewhere
///    (at under-target validators with room, after this round's delegations and after the FTM that is already
///    on its way back), and within `driftBudget`. So the plan never undelegates FTM that it would then leave
///    idle. What it holds within the threshold is left for withdrawals to take (rule 5 takes from the most over
///    target first): undelegating it for drift would send FTM into unbonding that no rule needs.
/// 8. Moves. At most one SFC request per validator: inflow and outflow at one validator are netted into one
///    move. Undelegations come first, then delegations, each in index order.
library Allocation {
    uint256 internal constant BPS = 10_000;

    /// @notice One validator of the registry's set, as the pool sees it now.
    struct Validator {
        uint256 id; // SFC validator id, passed through to the moves
        uint256 stake; // the pool's booked stake there (FTM wei)
        uint256 weightBps; // raw governed weight from the registry
        uint256 room; // FTM it can still receive under the SFC delegation limit; 0 when not eligible
        bool eligible; // may hold and receive stake
        bool withdrawable; // may be undelegated from
    }

    /// @notice The pool's side of the plan (FTM wei unless the name says bps).
    struct Input {
        uint256 idle; // idle FTM (not counting FTM reserved for finalised requests)
        uint256 unbonding; // FTM in SFC withdrawal requests, at booked value
        uint256 demand; // FTM owed to pending (not yet finalised) withdrawal requests
        uint256 thresholdBps; // drift tolerated before undelegating, in bps of T
        uint256 driftBudget; // FTM that may still be undelegated for drift in this round
        uint256 maxWeightBps; // no target above this share of T (values above 10,000 act as 10,000)
    }

    /// @notice One SFC call the pool should make.
    struct Move {
        uint256 validatorId;
        bool isDelegate;
        uint256 amount; // FTM wei (booked value for an undelegation)
        uint256 driftAmount; // part of an undelegation that counts against the drift budget
    }

    /// @notice Why FTM could not be placed (see rule 3).
    enum Limit {
        None,
        Cap,
        Room,
        TooFewHealthy
    }

    /// @notice The moves of one round, the targets they aim at (same order as the input) and what no target
    /// could hold.
    struct Plan {
        Move[] moves;
        uint256[] targets;
        uint256 unplaceable;
        Limit limit;
    }

    /// @dev Where one plan stands while its rules run.
    struct Work {
        uint256 total; // T
        uint256[] target;
        uint256[] cur; // stake after the undelegations planned so far
        uint256[] del; // planned delegation per validator
        uint256[] undel; // planned undelegation per validator
        uint256[] drift; // part of `undel` that is drift
    }

    /// @notice The plan for one round: rules 1 to 8.
    function plan(Validator[] memory vs, Input memory inp) internal pure returns (Plan memory p) {
        uint256 n = vs.length;
        Work memory w = Work({
            total: stakedTotal(vs, inp),
            target: new uint256[](0),
            cur: new uint256[](n),
            del: new uint256[](n),
            undel: new uint256[](n),
            drift: new uint256[](n)
        });
        (w.target, p.unplaceable, p.limit) = targets(vs, w.total, inp.maxWeightBps);
        for (uint256 i; i < n; ++i) {
            w.cur[i] = vs[i].stake;
        }
        uint256 drained = _drainIneligible(vs, w);
        _serveDemand(vs, inp, w, drained);
        _placeIdle(vs, inp, w);
        _closeDrift(vs, inp, w);
        p.moves = _moves(vs, w);
        p.targets = w.target;
    }

    /// @notice Rule 1: the staked total the pool aims for, `Σstake + idle + unbonding − demand` (0 if negative).
    function stakedTotal(Validator[] memory vs, Input memory inp) internal pure returns (uint256) {
        uint256 sum = inp.idle + inp.unbonding;
        for (uint256 i; i < vs.length; ++i) {
            sum += vs[i].stake;
        }
        return _sub(sum, inp.demand);
    }

    /// @dev Water-filling state of `targets`.
    struct Fill {
        uint256[] limit; // min(stake + room, cap) per weighted validator
        bool[] sharing; // still shares what is left in proportion to weight
        uint256 left; // FTM not yet given a target
        uint256 weightLeft; // Σ weight of the validators still sharing
        uint256 count; // weighted validators
        bool anyAtCap; // some weighted validator could hold more than the cap
    }

    /// @notice Rules 2 and 3: each validator's target for a staked total `total`, by water-filling under
    /// `limit_i = min(stake_i + room_i, maxWeightBps × total / 10,000)`; what no target holds, and why.
    function targets(Validator[] memory vs, uint256 total, uint256 maxWeightBps)
        internal
        pure
        returns (uint256[] memory t, uint256 unplaceable, Limit limit)
    {
        uint256 capBps = _min(maxWeightBps, BPS);
        Fill memory f = _limits(vs, total * capBps / BPS);
        f.left = total;
        t = new uint256[](vs.length);
        _holdAtLimits(vs, f, t);
        if (f.weightLeft > 0) _share(vs, f, t);
        unplaceable = f.left;
        if (unplaceable == 0) limit = Limit.None;
        else if (f.count * capBps < BPS) limit = Limit.TooFewHealthy;
        else if (f.anyAtCap) limit = Limit.Cap;
        else limit = Limit.Room;
    }

    /// @dev Rule 2 and the limits of rule 3: who shares, with what weight, up to what.
    function _limits(Validator[] memory vs, uint256 cap) private pure returns (Fill memory f) {
        uint256 n = vs.length;
        f.limit = new uint256[](n);
        f.sharing = new bool[](n);
        for (uint256 i; i < n; ++i) {
            Validator memory v = vs[i];
            if (!v.eligible || v.weightBps == 0) continue;
            uint256 canHold = _addCapped(v.stake, v.room);
            if (canHold >= cap) f.anyAtCap = true;
            f.limit[i] = _min(canHold, cap);
            f.sharing[i] = true;
            f.weightLeft += v.weightBps;
            ++f.count;
        }
    }

    /// @dev A validator whose share of what is left reaches its limit is held at its limit; the rest share what
    /// remains. Holding one never lowers the others' shares, so one pass may hold several; passes repeat until
    /// one holds nobody.
    function _holdAtLimits(Validator[] memory vs, Fill memory f, uint256[] memory t) private pure {
        bool[] memory sharing = f.sharing;
        uint256[] memory limit = f.limit;
        uint256 left = f.left;
        uint256 weightLeft = f.weightLeft;
        bool held = true;
        while (held && weightLeft > 0) {
            held = false;
            for (uint256 i; i < vs.length; ++i) {
                if (!sharing[i]) continue;
                uint256 weight = vs[i].weightBps;
                if (left * weight < limit[i] * weightLeft) continue;
                t[i] = limit[i];
                left -= limit[i];
                weightLeft -= weight;
                sharing[i] = false;
                held = true;
            }
        }
        (f.left, f.weightLeft) = (left, weightLeft);
    }

    /// @dev What is left, in proportion to weight among the validators still sharing. Each is strictly below its
    /// limit, so the rounding dust (less than one wei per validator) fits: one wei each, in index order.
    function _share(Validator[] memory vs, Fill memory f, uint256[] memory t) private pure {
        uint256 given;
        for (uint256 i; i < vs.length; ++i) {
            if (!f.sharing[i]) continue;
            t[i] = f.left * vs[i].weightBps / f.weightLeft;
            given += t[i];
        }
        uint256 dust = f.left - given;
        for (uint256 i; i < vs.length && dust > 0; ++i) {
            if (!f.sharing[i] || t[i] == f.limit[i]) continue;
            ++t[i];
            --dust;
        }
        f.left = dust;
    }

    /// @notice Largest deviation from target among validators, in bps of their summed stake.
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

    // ---------------------------------------------------------------- the rules, in order

    /// @dev Rule 4: every withdrawable ineligible validator is emptied. Returns the FTM drained.
    function _drainIneligible(Validator[] memory vs, Work memory w) private pure returns (uint256 drained) {
        for (uint256 i; i < vs.length; ++i) {
            if (vs[i].eligible || !vs[i].withdrawable || w.cur[i] == 0) continue;
            drained += w.cur[i];
            _undelegate(w, i, w.cur[i], false);
        }
    }

    /// @dev Rule 5: what demand still needs after idle FTM, FTM already unbonding and the drains, taken from as
    /// few validators as possible.
    function _serveDemand(Validator[] memory vs, Input memory inp, Work memory w, uint256 drained) private pure {
        uint256 need = _sub(inp.demand, inp.idle + inp.unbonding + drained);
        if (need == 0) return;
        uint256 n = vs.length;
        uint256 tolerance = w.total * inp.thresholdBps / BPS;
        uint256[] memory can = new uint256[](n);
        uint256[] memory key = new uint256[](n);

        // Eligible positions with target 0, largest first.
        for (uint256 i; i < n; ++i) {
            if (vs[i].eligible && vs[i].withdrawable && w.target[i] == 0) (can[i], key[i]) = (w.cur[i], w.cur[i]);
        }
        need = _take(w, can, key, need, false);
        if (need == 0) return;

        // Over target by more than the threshold, most over first, each down to its target.
        for (uint256 i; i < n; ++i) {
            (can[i], key[i]) = (0, 0);
            if (!vs[i].eligible || !vs[i].withdrawable || w.cur[i] <= w.target[i] + tolerance) continue;
            (can[i], key[i]) = (w.cur[i] - w.target[i], w.cur[i] - w.target[i]);
        }
        need = _take(w, can, key, need, false);
        if (need == 0) return;

        // Down to a quarter of the threshold below target, the most above that floor first: as few validators
        // as possible while none ends further below its target than a quarter of the drift the pool tolerates
        // (inflow refills it on the days after).
        for (uint256 i; i < n; ++i) {
            (can[i], key[i]) = (0, 0);
            if (!vs[i].eligible || !vs[i].withdrawable) continue;
            uint256 floor = _sub(w.target[i], tolerance / 4);
            if (w.cur[i] > floor) (can[i], key[i]) = (w.cur[i] - floor, w.cur[i] - floor);
        }
        need = _take(w, can, key, need, false);
        if (need == 0) return;

        // The largest remaining positions, each up to all of it. Validators already undelegated from come
        // first; then, when one validator can cover what is left alone, the most over target of those (one
        // request either way, and the least drift); then the largest.
        for (uint256 i; i < n; ++i) {
            (can[i], key[i]) = (0, 0);
            if (!vs[i].withdrawable || w.cur[i] == 0) continue;
            can[i] = w.cur[i];
            if (w.undel[i] > 0) key[i] = ALREADY_MOVING + w.cur[i];
            else if (w.cur[i] >= need) key[i] = COVERS_ALL + AMOUNT_RANGE + w.cur[i] - w.target[i];
            else key[i] = w.cur[i];
        }
        _take(w, can, key, need, false);
    }

    /// @dev Rule 5's order keys for the largest remaining positions, in three tiers above any amount below
    /// 2^128: a position already moving, then one that covers the remaining need alone (by excess over target,
    /// shifted by `AMOUNT_RANGE` so that a shortfall orders too), then any position by size.
    uint256 private constant AMOUNT_RANGE = 1 << 128;
    uint256 private constant COVERS_ALL = 1 << 130;
    uint256 private constant ALREADY_MOVING = 1 << 132;

    /// @dev Rule 6: idle FTM not earmarked for demand, to the most under-target validators with room.
    function _placeIdle(Validator[] memory vs, Input memory inp, Work memory w) private pure {
        uint256 free = _sub(inp.idle, _sub(inp.demand, inp.unbonding));
        if (free == 0) return;
        (uint256[] memory can, uint256[] memory key,) = _shortfalls(vs, w);
        uint256[] memory got = _walk(can, key, free);
        for (uint256 i; i < vs.length; ++i) {
            w.del[i] += got[i];
        }
    }

    /// @dev Rule 7: drift beyond the threshold, back to the threshold, as far as it can be placed and within the
    /// budget.
    function _closeDrift(Validator[] memory vs, Input memory inp, Work memory w) private pure {
        if (inp.driftBudget == 0) return;
        uint256 n = vs.length;
        uint256 tolerance = w.total * inp.thresholdBps / BPS;
        uint256[] memory can = new uint256[](n);
        uint256 excess;
        for (uint256 i; i < n; ++i) {
            if (!vs[i].eligible || !vs[i].withdrawable || w.cur[i] <= w.target[i]) continue;
            if (w.target[i] > 0 && w.cur[i] <= w.target[i] + tolerance) continue;
            can[i] = w.target[i] == 0 ? w.cur[i] : w.cur[i] - w.target[i] - tolerance;
            excess += can[i];
        }
        if (excess == 0) return;
        (,, uint256 space) = _shortfalls(vs, w);
        uint256 want = _min(_min(excess, _sub(space, _freeAfterMoves(inp, w))), inp.driftBudget);
        if (want > 0) _take(w, can, can, want, true);
    }

    /// @dev Rule 8: one netted move per validator, undelegations first, each group in index order.
    function _moves(Validator[] memory vs, Work memory w) private pure returns (Move[] memory moves) {
        uint256 n = vs.length;
        uint256 count;
        for (uint256 i; i < n; ++i) {
            if (w.del[i] != w.undel[i]) ++count;
        }
        moves = new Move[](count);
        uint256 k;
        for (uint256 i; i < n; ++i) {
            if (w.undel[i] <= w.del[i]) continue;
            uint256 amount = w.undel[i] - w.del[i];
            moves[k++] = Move(vs[i].id, false, amount, _min(w.drift[i], amount));
        }
        for (uint256 i; i < n; ++i) {
            if (w.del[i] > w.undel[i]) moves[k++] = Move(vs[i].id, true, w.del[i] - w.undel[i], 0);
        }
    }

    // ---------------------------------------------------------------- helpers

    /// @dev What each eligible under-target validator can still take, up to its target and its room (an
    /// undelegation at the same validator is netted, so it adds to the room); ordered by shortfall. `space` is
    /// their sum.
    function _shortfalls(Validator[] memory vs, Work memory w)
        private
        pure
        returns (uint256[] memory can, uint256[] memory key, uint256 space)
    {
        uint256 n = vs.length;
        can = new uint256[](n);
        key = new uint256[](n);
        for (uint256 i; i < n; ++i) {
            uint256 planned = w.cur[i] + w.del[i];
            if (!vs[i].eligible || planned >= w.target[i]) continue;
            uint256 room = _sub(_addCapped(vs[i].room, w.undel[i]), w.del[i]);
            key[i] = w.target[i] - planned;
            can[i] = _min(key[i], room);
            space += can[i];
        }
    }

    /// @dev FTM that is idle or on its way back after the planned moves and that no withdrawal is owed:
    /// `idle + unbonding + Σundelegated − demand − Σdelegated` (0 if negative).
    function _freeAfterMoves(Input memory inp, Work memory w) private pure returns (uint256) {
        uint256 coming = inp.idle + inp.unbonding;
        uint256 placed = inp.demand;
        for (uint256 i; i < w.cur.length; ++i) {
            coming += w.undel[i];
            placed += w.del[i];
        }
        return _sub(coming, placed);
    }

    /// @dev Undelegates `_walk(can, key, budget)` and returns what is left of the budget.
    function _take(Work memory w, uint256[] memory can, uint256[] memory key, uint256 budget, bool isDrift)
        private
        pure
        returns (uint256 left)
    {
        uint256[] memory got = _walk(can, key, budget);
        left = budget;
        for (uint256 i; i < got.length; ++i) {
            if (got[i] == 0) continue;
            _undelegate(w, i, got[i], isDrift);
            left -= got[i];
        }
    }

    function _undelegate(Work memory w, uint256 i, uint256 amount, bool isDrift) private pure {
        w.cur[i] -= amount;
        w.undel[i] += amount;
        if (isDrift) w.drift[i] += amount;
    }

    /// @dev Shares `budget` out: visits the validators in `key` order (largest first, ties in index order) and
    /// gives each `min(can[i], what is left)`. When the budget covers every `can[i]` no order is needed and `can`
    /// itself is returned; otherwise a binary heap yields the order up to where the budget runs out
    /// (O(n + k log n) for k validators served).
    function _walk(uint256[] memory can, uint256[] memory key, uint256 budget)
        private
        pure
        returns (uint256[] memory got)
    {
        uint256 n = can.length;
        uint256 sum;
        uint256 size;
        for (uint256 i; i < n; ++i) {
            if (can[i] == 0) continue;
            sum += can[i];
            ++size;
        }
        if (sum <= budget) return can;
        got = new uint256[](n);
        uint256[] memory heap = new uint256[](size);
        uint256 k;
        for (uint256 i; i < n; ++i) {
            if (can[i] > 0) heap[k++] = i;
        }
        for (uint256 at = size / 2; at > 0; --at) {
            _siftDown(heap, size, at - 1, key);
        }
        // Σcan > budget, so the budget runs out before the heap does.
        uint256 left = budget;
        while (left > 0) {
            uint256 i = heap[0];
            --size;
            heap[0] = heap[size];
            _siftDown(heap, size, 0, key);
            got[i] = _min(can[i], left);
            left -= got[i];
        }
    }

    /// @dev Moves `heap[at]` down among the first `size` entries until it comes before both its children.
    function _siftDown(uint256[] memory heap, uint256 size, uint256 at, uint256[] memory key) private pure {
        while (true) {
            uint256 first = at;
            uint256 left = 2 * at + 1;
            uint256 right = left + 1;
            if (left < size && _comesFirst(heap[left], heap[first], key)) first = left;
            if (right < size && _comesFirst(heap[right], heap[first], key)) first = right;
            if (first == at) return;
            (heap[at], heap[first]) = (heap[first], heap[at]);
            at = first;
        }
    }

    /// @dev Walk order: the larger key first, and among equal keys the smaller index.
    function _comesFirst(uint256 a, uint256 b, uint256[] memory key) private pure returns (bool) {
        return key[a] > key[b] || (key[a] == key[b] && a < b);
    }

    function _min(uint256 a, uint256 b) private pure returns (uint256) {
        return a < b ? a : b;
    }

    /// @dev `a − b`, or 0 when b is larger.
    function _sub(uint256 a, uint256 b) private pure returns (uint256) {
        return a > b ? a - b : 0;
    }

    /// @dev `a + b`, or the largest uint256 when that overflows (a room may be given as "unlimited").
    function _addCapped(uint256 a, uint256 b) private pure returns (uint256) {
        unchecked {
            uint256 s = a + b;
            return s < a ? type(uint256).max : s;
        }
    }
}
