// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

// REFERENCE COPY for differential tests: contracts/libraries/Allocation.sol as it was at commit 692c975
// (insertion sort, before the O(n log n) planner), unchanged but for the library's name. Do not optimise it.

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
library AllocationReference {
    uint256 internal constant BPS = 10_000;

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
        Work memory w = _start(vs, inp);
        _drain(vs, w);
        if (w.need > 0) _serveDemand(vs, w);
        if (w.delegatable > 0) _inflow(vs, w);
        if (inp.driftBudget > 0) _drift(vs, w, inp);
        return _moves(vs, w);
    }

    function _start(Validator[] memory vs, Input memory inp) private pure returns (Work memory w) {
        uint256 n = vs.length;
        w.total = stakedTotal(vs, inp);
        w.target = targetsFor(vs, w.total);
        w.cur = new uint256[](n);
        w.del = new uint256[](n);
        w.undel = new uint256[](n);
        w.drift = new uint256[](n);
        for (uint256 i; i < n; ++i) {
            w.cur[i] = vs[i].stake;
        }
        uint256 covered = inp.idle + inp.unbonding;
        w.need = inp.demand > covered ? inp.demand - covered : 0;
        uint256 earmarked = inp.demand > inp.unbonding ? inp.demand - inp.unbonding : 0;
        w.delegatable = inp.idle > earmarked ? inp.idle - earmarked : 0;
        uint256 free = covered > inp.demand ? covered - inp.demand : 0;
        w.returning = free > w.delegatable ? free - w.delegatable : 0;
    }

    /// @dev Rule 2: validators that may not hold stake are emptied; what demand does not use comes back.
    function _drain(Validator[] memory vs, Work memory w) private pure {
        for (uint256 i; i < vs.length; ++i) {
            uint256 c = w.cur[i];
            if (vs[i].eligible || !vs[i].withdrawable || c == 0) continue;
            w.undel[i] = c;
            uint256 used = _min(w.need, c);
            w.need -= used;
            w.returning += c - used;
            w.cur[i] = 0;
        }
    }

    /// @dev Rule 3: demand from the most over-target validators, never below target while excess remains.
    function _serveDemand(Validator[] memory vs, Work memory w) private pure {
        uint256[] memory order = _byExcess(w.cur, w.target);
        for (uint256 pass; pass < 2 && w.need > 0; ++pass) {
            for (uint256 k; k < order.length && w.need > 0; ++k) {
                uint256 i = order[k];
                if (!vs[i].withdrawable) continue;
                // Targets sum to at most Σstake − need, so excess normally covers need; rounding may leave
                // a few wei, which the second pass takes from whoever still has stake.
                uint256 floor = pass == 0 ? w.target[i] : 0;
                if (w.cur[i] <= floor) continue;
                uint256 take = _min(w.cur[i] - floor, w.need);
                w.undel[i] += take;
                w.cur[i] -= take;
                w.need -= take;
            }
        }
    }

    /// @dev Rule 4: most under-target first up to target, then anyone eligible with room.
    function _inflow(Validator[] memory vs, Work memory w) private pure {
        uint256[] memory order = _byExcess(w.target, w.cur);
        for (uint256 pass; pass < 2 && w.delegatable > 0; ++pass) {
            for (uint256 k; k < order.length && w.delegatable > 0; ++k) {
                uint256 i = order[k];
                if (!vs[i].eligible) continue;
                uint256 space = vs[i].room - w.del[i];
                if (pass == 0) space = _min(space, w.cur[i] < w.target[i] ? w.target[i] - w.cur[i] : 0);
                uint256 give = _min(space, w.delegatable);
                w.del[i] += give;
                w.cur[i] += give;
                w.delegatable -= give;
            }
        }
    }

    /// @dev Rule 5: drift beyond the threshold, within the budget.
    function _drift(Validator[] memory vs, Work memory w, Input memory inp) private pure {
        uint256 tolerance = w.total * inp.thresholdBps / BPS;
        uint256 want;
        uint256 shortfall;
        for (uint256 i; i < vs.length; ++i) {
            if (!vs[i].eligible) continue;
            uint256 c = w.cur[i];
            uint256 t = w.target[i];
            if (c > t + tolerance && vs[i].withdrawable) want += c - t;
            if (t > c + tolerance) shortfall += _min(t - c, vs[i].room - w.del[i]);
        }
        // Outflow already under way, and the over-threshold excess above, refill shortfalls later.
        uint256 comingBack = w.returning + want;
        if (shortfall > comingBack) want += shortfall - comingBack;
        want = _min(want, inp.driftBudget);
        if (want == 0) return;
        uint256[] memory order = _byExcess(w.cur, w.target);
        for (uint256 k; k < order.length && want > 0; ++k) {
            uint256 i = order[k];
            if (!vs[i].eligible || !vs[i].withdrawable || w.cur[i] <= w.target[i]) continue;
            uint256 take = _min(w.cur[i] - w.target[i], want);
            w.undel[i] += take;
            w.drift[i] += take;
            w.cur[i] -= take;
            want -= take;
        }
    }

    /// @dev Rule 6: one netted move per validator, undelegations first.
    function _moves(Validator[] memory vs, Work memory w) private pure returns (Move[] memory moves) {
        uint256 n = vs.length;
        uint256 count;
        for (uint256 i; i < n; ++i) {
            if (w.del[i] != w.undel[i]) ++count;
        }
        moves = new Move[](count);
        uint256 j;
        for (uint256 i; i < n; ++i) {
            if (w.undel[i] > w.del[i]) {
                uint256 amount = w.undel[i] - w.del[i];
                moves[j++] = Move(vs[i].id, false, amount, _min(w.drift[i], amount));
            }
        }
        for (uint256 i; i < n; ++i) {
            if (w.del[i] > w.undel[i]) moves[j++] = Move(vs[i].id, true, w.del[i] - w.undel[i], 0);
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

    /// @dev Indices ordered by `a[i] − b[i]`, largest first.
    function _byExcess(uint256[] memory a, uint256[] memory b) private pure returns (uint256[] memory) {
        int256[] memory key = new int256[](a.length);
        for (uint256 i; i < a.length; ++i) {
            key[i] = int256(a[i]) - int256(b[i]);
        }
        return _sortDesc(key);
    }

    /// @dev Indices sorted by key, largest first; ties keep index order (insertion sort: n ≤ 200, and
    /// the inputs are nearly sorted from one round to the next).
    function _sortDesc(int256[] memory key) private pure returns (uint256[] memory order) {
        uint256 n = key.length;
        order = new uint256[](n);
        for (uint256 i; i < n; ++i) {
            uint256 j = i;
            while (j > 0 && key[order[j - 1]] < key[i]) {
                order[j] = order[j - 1];
                --j;
            }
            order[j] = i;
        }
    }

    function _min(uint256 a, uint256 b) private pure returns (uint256) {
        return a < b ? a : b;
    }
}
