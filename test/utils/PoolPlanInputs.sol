// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {PositionValue} from "../../contracts/libraries/PositionValue.sol";
import {ISFC} from "../../contracts/interfaces/ISFC.sol";
import {SFCReader} from "../../contracts/libraries/SFCReader.sol";
import {Allocation} from "../../contracts/libraries/Allocation.sol";
import {StakingPool} from "../../contracts/StakingPool.sol";
import {ValidatorRegistry} from "../../contracts/ValidatorRegistry.sol";

/// @dev The planner's input for the pool's current state, gathered from public views only (the registry's
/// allocation view, the pool's books, the SFC's records): what tests compare the pool's own planning with.
library PoolPlanInputs {
    function gather(StakingPool pool)
        internal
        view
        returns (Allocation.Validator[] memory vs, Allocation.Input memory inp)
    {
        ValidatorRegistry registry = pool.registry();
        ISFC sfc = pool.sfc();
        SFCReader.Layout layout = pool.sfcLayout();
        ValidatorRegistry.Member[] memory set = registry.allocationView();
        uint256 maxRatio = SFCReader.consts(sfc).maxDelegatedRatio();
        vs = new Allocation.Validator[](set.length);
        for (uint256 i; i < set.length; ++i) {
            PositionValue.Book memory b = pool.bookOf(set[i].id);
            vs[i].id = set[i].id;
            vs[i].stake = pool.stakeOf(set[i].id);
            vs[i].weightBps = set[i].weightBps;
            if (set[i].state == ValidatorRegistry.State.Active && !b.slashed && !sfc.isSlashed(set[i].id)) {
                SFCReader.Validator memory record = SFCReader.validator(sfc, layout, set[i].id);
                vs[i].eligible = record.status == SFCReader.STATUS_OK;
                if (vs[i].eligible) vs[i].room = SFCReader.room(sfc, layout, maxRatio, set[i].id);
            }
            vs[i].withdrawable = b.stakeRaw > 0 && !(b.slashed && b.refundRatio == 0);
        }
        (,,, uint128 driftUsed) = pool.round();
        uint256 cap = pool.maxUndelegatePerRound();
        inp = Allocation.Input({
            idle: pool.idleLiquidity(),
            unbonding: pool.totalUnbondingBooked(),
            demand: pool.pendingWithdrawals(),
            thresholdBps: pool.rebalanceThresholdBps(),
            driftBudget: cap > driftUsed ? cap - driftUsed : 0,
            maxWeightBps: registry.maxWeightBps()
        });
    }

    /// @dev The plan `Allocation.plan` makes for the pool's current state.
    function planOf(StakingPool pool) internal view returns (Allocation.Plan memory) {
        (Allocation.Validator[] memory vs, Allocation.Input memory inp) = gather(pool);
        return Allocation.plan(vs, inp);
    }
}
