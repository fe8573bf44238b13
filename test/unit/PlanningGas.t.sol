// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {console} from "forge-std/console.sol";
import {PoolBase} from "../utils/PoolBase.sol";

/// @dev What planning costs at the registry's hard cap of 200 validators: the planning call alone
/// (`previewProcess`: the pool's reads and the planner) and the largest keeper call of a round that serves a
/// withdrawal of 10 % of the pool, run with `maxSteps` that keeps each call under 10M gas.
contract PlanningGasTest is PoolBase {
    uint256 internal constant N = 200;

    function setUp() public {
        _deploy(0);
        registry.setMaxValidators(N);
        for (uint256 i; i < N; ++i) {
            _addValidator(SELF_STAKE);
        }
        _equalTargets();
        _stake(alice, N * 10_000 ether);
        _processAll();
    }

    function test_PlanningTwoHundredValidatorsFitsInAKeeperCall() public {
        vm.prank(alice);
        queue.requestWithdrawal(N * 1_000 ether, alice);
        _seal(1, 100 ether);

        uint256 before = gasleft();
        pool.previewProcess();
        uint256 planGas = before - gasleft();
        console.log("planning call at 200 validators (previewProcess), gas:", planGas);

        uint256 largest;
        uint256 calls;
        for (uint256 i; i < 100; ++i) {
            vm.prank(operator);
            before = gasleft();
            (, bool done) = pool.process(40);
            uint256 used = before - gasleft();
            if (used > largest) largest = used;
            ++calls;
            if (done) break;
        }
        console.log("keeper round at 200 validators, calls of maxSteps 40:", calls);
        console.log("largest call, gas:", largest);
        assertLt(planGas, 10_000_000, "the planning call fits in a keeper call");
        assertLt(largest, 10_000_000, "every keeper call fits under 10M gas");
    }
}
