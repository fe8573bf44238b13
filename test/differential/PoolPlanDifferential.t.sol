// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {Vm} from "forge-std/Vm.sol";
import {ISFC} from "../../contracts/interfaces/ISFC.sol";
import {SFCReader} from "../../contracts/libraries/SFCReader.sol";
import {Allocation} from "../../contracts/libraries/Allocation.sol";
import {StakingPool} from "../../contracts/StakingPool.sol";
import {StakedFTM} from "../../contracts/StakedFTM.sol";
import {ValidatorRegistry} from "../../contracts/ValidatorRegistry.sol";
import {PoolPlanInputs} from "../utils/PoolPlanInputs.sol";
import {PoolBase} from "../utils/PoolBase.sol";

/// @dev The pool plans what `Allocation.plan` plans from the pool's public state (`PoolPlanInputs`: the registry's
/// allocation view, the books, the SFC's records read the plain way), and its keeper calls make exactly those
/// moves. Random sequences of what holders, keepers, governance and the chain do; after each, `previewProcess`
/// must be exactly that plan, `unplaceable()` its unplaceable FTM, and a `process` call that starts in the
/// rebalance phase must make exactly its first moves.
contract PoolPlanDifferentialTest is PoolBase {
    SFCReader.Layout internal layout;

    function _setUpRandom(uint256 seed, bool opera) internal {
        layout = opera ? SFCReader.Layout.Opera : SFCReader.Layout.Sonic;
        _deployWithLayout(0, layout);
        registry.setMaxWeightBps(10_000);
        uint256 n = 4 + seed % 7;
        for (uint256 i; i < n; ++i) {
            // Self-stakes from 100 to 1,000 FTM: rooms from 1,500 to 15,000 FTM.
            _addValidator(100 ether * (1 + uint256(keccak256(abi.encode(seed, i))) % 10));
        }
        _randomTargets(seed);
    }

    // ------------------------------------------------------------------ the reference

    /// @dev The validator record, read with a high-level static call decoded with `abi.decode`.
    function _refRecord(uint256 id) internal view returns (uint256 status, uint256 received, address auth) {
        (bool ok, bytes memory data) = address(sfc).staticcall(abi.encodeWithSignature("getValidator(uint256)", id));
        require(ok && data.length >= 224, "getValidator");
        (uint256 w0, uint256 w1, uint256 w2, uint256 w3,,, uint256 w6) =
            abi.decode(data, (uint256, uint256, uint256, uint256, uint256, uint256, uint256));
        if (layout == SFCReader.Layout.Opera) return (w0, w3, address(uint160(w6)));
        return (w0, w1, address(uint160(w2)));
    }

    /// @dev The plan of `Allocation.plan` for the pool's state, from its public views.
    function _referencePlan() internal view returns (Allocation.Move[] memory) {
        return PoolPlanInputs.planOf(pool).moves;
    }

    function _assertSamePlan(string memory when) internal view returns (Allocation.Move[] memory expected) {
        Allocation.Plan memory p = PoolPlanInputs.planOf(pool);
        expected = p.moves;
        Allocation.Move[] memory moves = pool.previewProcess();
        assertEq(moves.length, expected.length, when);
        assertEq(keccak256(abi.encode(moves)), keccak256(abi.encode(expected)), when);
        (uint256 amount, Allocation.Limit limit) = pool.unplaceable();
        assertEq(amount, p.unplaceable, when);
        assertEq(uint256(limit), uint256(p.limit), when);
    }

    // ------------------------------------------------------------------ what happens

    function _randomTargets(uint256 seed) internal {
        ValidatorRegistry.Member[] memory set = registry.allocationView();
        uint256 active;
        for (uint256 i; i < set.length; ++i) {
            if (set[i].state == ValidatorRegistry.State.Active) ++active;
        }
        if (active == 0) return;
        uint256[] memory chosen = new uint256[](active);
        uint16[] memory w = new uint16[](active);
        uint256 k;
        for (uint256 i; i < set.length; ++i) {
            if (set[i].state == ValidatorRegistry.State.Active) chosen[k++] = set[i].id;
        }
        // Ascending ids (the set's order may be shuffled by removals).
        for (uint256 i = 1; i < active; ++i) {
            for (uint256 j = i; j > 0 && chosen[j - 1] > chosen[j]; --j) {
                (chosen[j - 1], chosen[j]) = (chosen[j], chosen[j - 1]);
            }
        }
        uint256 given;
        for (uint256 i; i < active; ++i) {
            // Some zero weights, many ties.
            w[i] = uint16([uint256(0), 500, 1_000, 1_000, 2_000][uint256(keccak256(abi.encode(seed, i, "w"))) % 5]);
            given += w[i];
        }
        if (given > 10_000) {
            for (uint256 i; i < active; ++i) {
                w[i] = 0;
            }
            given = 0;
        }
        w[active - 1] += uint16(10_000 - given);
        // Weights above the current cap are kept, so that the cap binds as it does after a lowered cap.
        uint256 cap = registry.maxWeightBps();
        registry.setMaxWeightBps(10_000);
        registry.setTargets(chosen, w);
        registry.setMaxWeightBps(cap);
    }

    function _someValidator(uint256 r) internal view returns (uint256) {
        return ids[r % ids.length];
    }

    /// @dev Runs process as the operator; when the round is already rebalancing, checks that the call makes
    /// exactly the first moves of the plan it was shown.
    function _process(uint256 maxSteps) internal {
        (StakingPool.Phase phase,,,) = pool.round();
        Allocation.Move[] memory expected;
        bool check = phase == StakingPool.Phase.Rebalance;
        if (check) expected = _assertSamePlan("before a rebalancing call");
        vm.recordLogs();
        vm.prank(operator);
        pool.process(maxSteps);
        if (check) _assertMoves(vm.getRecordedLogs(), expected, maxSteps);
    }

    /// @dev The rest of the round in one call (harvest, withdrawals and finalisation, then the moves): its moves
    /// must be the reference plan at the point where it starts rebalancing, which a copy of the call stopped
    /// just before that point shows. (The pool plans with the registry's view it read for the harvest unless
    /// the harvest retired a validator from the set.)
    function _processInOneCall() internal {
        uint256 start = vm.snapshotState();
        vm.recordLogs();
        vm.prank(operator);
        pool.process(1_000);
        (uint256 steps, uint256 moves) = _countSteps(vm.getRecordedLogs());
        vm.revertToState(start);
        if (steps > moves) {
            vm.prank(operator);
            pool.process(steps - moves);
        }
        Allocation.Move[] memory expected = _referencePlan();
        vm.revertToState(start);
        vm.recordLogs();
        vm.prank(operator);
        (, bool done) = pool.process(1_000);
        assertTrue(done, "the round completes");
        _assertMoves(vm.getRecordedLogs(), expected, expected.length);
    }

    /// @dev Steps of the call, and the moves among them: the move events after the rewards are booked (stFTM's
    /// `PooledFTMUpdated`, once the harvest and the withdrawals are done). An `Undelegated` before it is the
    /// harvest sending a stake slashed with a refund ratio of 0 into unbonding, a harvest step.
    function _countSteps(Vm.Log[] memory logs) internal pure returns (uint256 steps, uint256 moves) {
        bool booked;
        for (uint256 j; j < logs.length; ++j) {
            bytes32 topic = logs[j].topics[0];
            if (topic == StakedFTM.PooledFTMUpdated.selector) {
                booked = true;
            } else if (topic == StakingPool.Processed.selector) {
                (uint256 s,,) = abi.decode(logs[j].data, (uint256, StakingPool.Phase, bool));
                steps += s;
            } else if (
                booked
                    && (topic == StakingPool.Delegated.selector || topic == StakingPool.Undelegated.selector
                        || topic == StakingPool.MoveFailed.selector)
            ) {
                ++moves;
            }
        }
    }

    /// @dev The move events in `logs` are the first `min(maxSteps, expected.length)` moves of `expected`.
    function _assertMoves(Vm.Log[] memory logs, Allocation.Move[] memory expected, uint256 maxSteps)
        internal
        pure
    {
        uint256 k;
        bool booked; // moves come after the rewards are booked (see `_countSteps`)
        for (uint256 j; j < logs.length; ++j) {
            bytes32 topic = logs[j].topics[0];
            if (topic == StakedFTM.PooledFTMUpdated.selector) booked = true;
            if (!booked) continue;
            bool delegated = topic == StakingPool.Delegated.selector;
            bool undelegated = topic == StakingPool.Undelegated.selector;
            bool failed = topic == StakingPool.MoveFailed.selector;
            if (!delegated && !undelegated && !failed) continue;
            assertLt(k, expected.length, "no move beyond the plan");
            Allocation.Move memory m = expected[k++];
            assertEq(uint256(logs[j].topics[1]), m.validatorId, "the planned validator");
            if (delegated) {
                assertTrue(m.isDelegate, "a planned delegation");
                assertEq(abi.decode(logs[j].data, (uint256)), m.amount, "the planned amount");
            } else if (undelegated) {
                assertFalse(m.isDelegate, "a planned undelegation");
                (,, uint256 driftAmount) = abi.decode(logs[j].data, (uint256, uint256, uint256));
                assertEq(driftAmount, m.driftAmount, "the planned drift");
            }
        }
        assertEq(k, maxSteps < expected.length ? maxSteps : expected.length, "the plan's first moves");
    }

    function _step(uint256 seed) internal {
        uint256 r = uint256(keccak256(abi.encode(seed)));
        uint256 action = r % 13;
        r >>= 8;
        if (action == 0) {
            _stake(alice, 1 ether + r % 20_000 ether);
        } else if (action == 1) {
            uint256 balance = stFTM.balanceOf(alice);
            if (balance > 1 ether) {
                vm.prank(alice);
                queue.requestWithdrawal(balance * (1 + r % 60) / 100, alice);
            }
        } else if (action == 2) {
            _seal(1 + r % 3, r % 50 ether);
        } else if (action == 3) {
            _passWithdrawalPeriod();
        } else if (action == 4) {
            _process(1 + r % 12);
        } else if (action == 5) {
            _processInOneCall();
        } else if (action == 6) {
            uint256 id = _someValidator(r);
            (uint256 status,,) = _refRecord(id);
            if (status == 0) sfc.deactivateValidator(id, 8); // offline
            else if (!sfc.isSlashed(id)) sfc.reactivateValidator(id);
        } else if (action == 7) {
            uint256 id = _someValidator(r);
            if (!sfc.isSlashed(id) && (r >> 8) % 3 == 0) {
                sfc.slash(id);
                sfc.updateSlashingRefundRatio(id, [uint256(0), 0.5e18, 1e18][(r >> 16) % 3]);
            }
        } else if (action == 8) {
            registry.sync(_someValidator(r));
        } else if (action == 9) {
            uint256 id = _someValidator(r);
            ValidatorRegistry.State s = registry.stateOf(id);
            if ((r >> 8) % 2 == 0 && (s == ValidatorRegistry.State.Active || s == ValidatorRegistry.State.Ineligible)) {
                registry.remove(id);
            }
        } else if (action == 10) {
            _randomTargets(r);
        } else if (action == 11) {
            // A third party delegates directly to a validator, taking part or all of its SFC room.
            uint256 id = _someValidator(r);
            (uint256 status,,) = _refRecord(id);
            uint256 room = SFCReader.room(ISFC(address(sfc)), layout, 16e18, id);
            if (status == 0 && room > 0) {
                address stranger = makeAddr("stranger");
                uint256 amount = (r >> 8) % 2 == 0 ? room : room / 2 + 1;
                vm.deal(stranger, amount);
                vm.prank(stranger);
                sfc.delegate{value: amount}(id);
            }
        } else {
            registry.setMaxWeightBps([uint256(10_000), 2_500, 1_500][(r >> 16) % 3]);
            pool.setRebalanceThresholdBps([uint256(0), 50, 200][r % 3]);
            pool.setMaxUndelegatePerRound([uint256(type(uint128).max), 500 ether, 1 ether][(r >> 8) % 3]);
        }
    }

    function _run(uint256 seed, bool opera) internal {
        _setUpRandom(seed, opera);
        _stake(alice, 10_000 ether + seed % 30_000 ether);
        _assertSamePlan("first stake");
        for (uint256 i; i < 24; ++i) {
            _step(uint256(keccak256(abi.encode(seed, i))));
            _assertSamePlan("after a step");
        }
        // Finish the round, checking every call.
        for (uint256 i; i < 60; ++i) {
            (StakingPool.Phase phase,,,) = pool.round();
            if (phase == StakingPool.Phase.Idle && i > 0) break;
            _process(3);
            _assertSamePlan("while finishing the round");
        }
    }

    function testFuzz_ThePoolMakesTheMovesTheLibraryPlansOnSonic(uint256 seed) public {
        _run(seed, false);
    }

    function testFuzz_ThePoolMakesTheMovesTheLibraryPlansOnOpera(uint256 seed) public {
        _run(seed, true);
    }
}
