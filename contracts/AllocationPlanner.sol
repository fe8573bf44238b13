// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {Allocation} from "./libraries/Allocation.sol";

/// @title The allocation library, deployed on its own
/// @notice A stateless contract exposing `Allocation.plan`. It exists for one reason: the pool with the planner
/// compiled in is over the 24 KB contract size limit (30.1 KB with the legacy pipeline, once the withdrawal queue
/// had moved out). It holds no funds and no roles.
contract AllocationPlanner {
    /// @notice The moves, targets and unplaceable FTM of one round; see `Allocation.plan` for the rules.
    function plan(Allocation.Validator[] calldata vs, Allocation.Input calldata inp)
        external
        pure
        returns (Allocation.Plan memory)
    {
        return Allocation.plan(vs, inp);
    }
}
