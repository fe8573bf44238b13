// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {Allocation} from "./libraries/Allocation.sol";

/// @title The allocation library, deployed on its own
/// @notice A stateless contract exposing the pure `Allocation` functions. It exists for one reason: the
/// pool with the planner compiled in is over the 24 KB contract size limit. It holds no funds and no roles.
contract AllocationPlanner {
    /// @notice See `Allocation.plan`.
    function plan(Allocation.Validator[] calldata vs, Allocation.Input calldata inp)
        external
        pure
        returns (Allocation.Move[] memory)
    {
        return Allocation.plan(vs, inp);
    }

    /// @notice See `Allocation.planPacked`: `normaliseWeights` and `plan` in one call, in the compact form the
    /// pool uses.
    function planPacked(bytes calldata validators, Allocation.Input calldata inp)
        external
        pure
        returns (bytes memory moves)
    {
        return Allocation.planPacked(validators, inp);
    }

    /// @notice See `Allocation.normaliseWeights`.
    function normaliseWeights(uint256[] calldata rawBps, bool[] calldata eligible)
        external
        pure
        returns (uint256[] memory)
    {
        return Allocation.normaliseWeights(rawBps, eligible);
    }
}
