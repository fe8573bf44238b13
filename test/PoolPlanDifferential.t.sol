// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {Vm} from "forge-std/Vm.sol";
import {ISFC} from "../contracts/interfaces/ISFC.sol";
import {SFCReader} from "../contracts/libraries/SFCReader.sol";
import {Allocation} from "../contracts/libraries/Allocation.sol";
import {StakingPool} from "../contracts/StakingPool.sol";
import {ValidatorRegistry} from "../contracts/ValidatorRegistry.sol";
import {AllocationReference} from "./utils/AllocationReference.sol";
import {PoolBase} from "./utils/PoolBase.sol";

/// @dev The pool's planning against the way it planned before the keeper round was made to fit in 10M gas
/// calls (commit 692c975): `allocationView`, every book in full, `isSlashed`, two reads of each SFC record
/// (`SFCReader.room` and the status), `normaliseWeights` and `plan` of the reference library. Random
/// sequences of what holders, keepers, governance and the chain do; after each, `previewProcess` must be
/// exactly the reference plan, and a `process` call that starts in the rebalance phase must make exactly its
/// first moves.
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

    /// @dev The validator record as `SFCReader.validator` read it before: a high-level static call decoded with
    /// `abi.decode`.
    function _refRecord(uint256 id) internal view returns (uint256 status, uint256 received, address auth) {
        (bool ok, bytes memory data) = address(sfc).staticcall(abi.encodeWithSignature("getValidator(uint256)", id));
        require(ok && data.length >= 224, "getValidator");
        (uint256 w0, uint256 w1, uint256 w2, uint256 w3,,, uint256 w6) =
            abi.decode(data, (uint256, uint256, uint256, uint256, uint256, uint256, uint256));
        if (layout == SFCReader.Layout.Opera) return (w0, w3, address(uint160(w6)));
        return (w0, w1, address(uint160(w2)));
    }

    /// @dev `SFCReader.room` as it was.
    function _refRoom(uint256 maxRatio, uint256 id) internal view returns (uint256) {
        (uint256 status, uint256 received, address auth) = _refRecord(id);
        if (status != 0 || auth == address(0)) return 0;
        uint256 limit = sfc.getSelfStake(id) * maxRatio / 1e18;
        return limit > received ? limit - received : 0;
    }

    /// @dev `StakingPool._plan` as it was, from the pool's public views.
    function _referencePlan() internal view returns (AllocationReference.Move[] memory) {
        (uint256[] memory set, ValidatorRegistry.State[] memory states, uint16[] memory weights) =
            registry.allocationView();
        uint256 n = set.length;
        AllocationReference.Validator[] memory vs = new AllocationReference.Validator[](n);
        uint256[] memory raw = new uint256[](n);
        bool[] memory eligible = new bool[](n);
        uint256 maxRatio = SFCReader.consts(ISFC(address(sfc))).maxDelegatedRatio();
        for (uint256 i; i < n; ++i) {
            uint256 id = set[i];
            StakingPool.Book memory b = pool.bookOf(id);
            uint256 room;
            if (states[i] == ValidatorRegistry.State.Active && !b.slashed && !sfc.isSlashed(id)) {
                room = _refRoom(maxRatio, id);
                (uint256 status,,) = _refRecord(id);
                eligible[i] = status == 0;
            }
            raw[i] = weights[i];
            vs[i] = AllocationReference.Validator({
                id: id,
                stake: pool.stakeOf(id),
                weightBps: 0,
                room: eligible[i] ? room : 0,
                eligible: eligible[i],
                withdrawable: b.stakeRaw > 0 && !(b.slashed && b.refundRatio == 0)
            });
        }
        uint256[] memory w = AllocationReference.normaliseWeights(raw, eligible);
        for (uint256 i; i < n; ++i) {
            vs[i].weightBps = w[i];
        }
        (,,, uint128 driftUsed) = pool.round();
        uint256 cap = pool.maxUndelegatePerRound();
        return AllocationReference.plan(
            vs,
            AllocationReference.Input({
                idle: pool.idleLiquidity(),
                unbonding: pool.totalUnbondingBooked(),
                demand: pool.pendingWithdrawals(),
                thresholdBps: pool.rebalanceThresholdBps(),
                driftBudget: cap > driftUsed ? cap - driftUsed : 0
            })
        );
    }

    function _assertSamePlan(string memory when) internal view returns (AllocationReference.Move[] memory expected) {
        // The registry's packed view is its allocation view, one word a validator.
        (uint256[] memory set, ValidatorRegistry.State[] memory states, uint16[] memory weights) =
            registry.allocationView();
        bytes memory packed = registry.allocationViewPacked();
        assertEq(packed.length, 32 * set.length, when);
        for (uint256 i; i < set.length; ++i) {
            uint256 word = uint256(bytes32(_slice32(packed, 32 * i)));
            assertEq(word, uint256(weights[i]) << 72 | uint256(uint8(states[i])) << 64 | set[i], when);
        }
        expected = _referencePlan();
        Allocation.Move[] memory moves = pool.previewProcess();
        assertEq(moves.length, expected.length, when);
        assertEq(keccak256(abi.encode(moves)), keccak256(abi.encode(expected)), when);
    }

    function _slice32(bytes memory b, uint256 at) internal pure returns (bytes32 word) {
        assembly {
            word := mload(add(add(b, 0x20), at))
        }
    }

    // ------------------------------------------------------------------ what happens

    function _randomTargets(uint256 seed) internal {
        (uint256[] memory set, ValidatorRegistry.State[] memory states,) = registry.allocationView();
        uint256 active;
        for (uint256 i; i < set.length; ++i) {
            if (states[i] == ValidatorRegistry.State.Active) ++active;
        }
        if (active == 0) return;
        uint256[] memory chosen = new uint256[](active);
        uint16[] memory w = new uint16[](active);
        uint256 k;
        for (uint256 i; i < set.length; ++i) {
            if (states[i] == ValidatorRegistry.State.Active) chosen[k++] = set[i];
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
        registry.setTargets(chosen, w);
    }

    function _someValidator(uint256 r) internal view returns (uint256) {
        return ids[r % ids.length];
    }

    /// @dev Runs process as the operator; when the round is already rebalancing, checks that the call makes
    /// exactly the first moves of the plan it was shown.
    function _process(uint256 maxSteps) internal {
        (StakingPool.Phase phase,,,) = pool.round();
        AllocationReference.Move[] memory expected;
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
        AllocationReference.Move[] memory expected = _referencePlan();
        vm.revertToState(start);
        vm.recordLogs();
        vm.prank(operator);
        (, bool done) = pool.process(1_000);
        assertTrue(done, "the round completes");
        _assertMoves(vm.getRecordedLogs(), expected, expected.length);
    }

    function _countSteps(Vm.Log[] memory logs) internal pure returns (uint256 steps, uint256 moves) {
        for (uint256 j; j < logs.length; ++j) {
            bytes32 topic = logs[j].topics[0];
            if (topic == StakingPool.Processed.selector) {
                (uint256 s,,) = abi.decode(logs[j].data, (uint256, StakingPool.Phase, bool));
                steps += s;
            } else if (
                topic == StakingPool.Delegated.selector || topic == StakingPool.Undelegated.selector
                    || topic == StakingPool.MoveFailed.selector
            ) {
                ++moves;
            }
        }
    }

    /// @dev The move events in `logs` are the first `min(maxSteps, expected.length)` moves of `expected`.
    function _assertMoves(Vm.Log[] memory logs, AllocationReference.Move[] memory expected, uint256 maxSteps)
        internal
        pure
    {
        uint256 k;
        for (uint256 j; j < logs.length; ++j) {
            bytes32 topic = logs[j].topics[0];
            bool delegated = topic == StakingPool.Delegated.selector;
            bool undelegated = topic == StakingPool.Undelegated.selector;
            bool failed = topic == StakingPool.MoveFailed.selector;
            if (!delegated && !undelegated && !failed) continue;
            assertLt(k, expected.length, "no move beyond the plan");
            AllocationReference.Move memory m = expected[k++];
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
        uint256 action = r % 12;
        r >>= 8;
        if (action == 0) {
            _stake(alice, 1 ether + r % 20_000 ether);
        } else if (action == 1) {
            uint256 balance = stFTM.balanceOf(alice);
            if (balance > 1 ether) {
                vm.prank(alice);
                pool.requestWithdrawal(balance * (1 + r % 60) / 100, alice);
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
        } else {
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

    function testFuzz_ThePoolPlansAsBeforeOnSonic(uint256 seed) public {
        _run(seed, false);
    }

    function testFuzz_ThePoolPlansAsBeforeOnOpera(uint256 seed) public {
        _run(seed, true);
    }
}
