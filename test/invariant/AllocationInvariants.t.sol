// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {Test} from "forge-std/Test.sol";
import {Vm} from "forge-std/Vm.sol";
import {ISFC} from "../../contracts/interfaces/ISFC.sol";
import {SFCReader} from "../../contracts/libraries/SFCReader.sol";
import {Allocation} from "../../contracts/libraries/Allocation.sol";
import {StakingPool} from "../../contracts/StakingPool.sol";
import {WithdrawalQueue} from "../../contracts/WithdrawalQueue.sol";
import {StakedFTM} from "../../contracts/StakedFTM.sol";
import {ValidatorRegistry} from "../../contracts/ValidatorRegistry.sol";
import {SFCModel} from "../../contracts/testing/SFCModel.sol";
import {PoolBase} from "../utils/PoolBase.sol";
import {PoolPlanInputs} from "../utils/PoolPlanInputs.sol";

/// @dev Drives the pool through what holders, keepers, governance, third parties and the chain do, and judges
/// the allocation after every completed keeper round.
contract AllocationHandler is Test {
    StakingPool public pool;
    WithdrawalQueue public queue;
    SFCModel public sfc;
    ValidatorRegistry public registry;
    StakedFTM public stFTM;
    address public operator;
    uint256[] public validatorIds;
    address[] public actors;

    uint256 public roundsCompleted;
    uint256 public idleBeyondOwedAndUnplaceable; // the worst excess seen after a round (FTM wei)
    uint256 public delegatedBeyondTarget; // the worst stake above its target after a delegation (FTM wei)
    uint256 public driftLeftIdle; // the worst free FTM beyond what has a place, after a round with drift (FTM wei)
    mapping(bytes32 => uint256) public calls;

    constructor(StakingPool pool_, SFCModel sfc_, address operator_, uint256[] memory ids_, address[] memory actors_) {
        pool = pool_;
        queue = pool_.withdrawalQueue();
        sfc = sfc_;
        registry = pool_.registry();
        stFTM = pool_.stFTM();
        operator = operator_;
        validatorIds = ids_;
        actors = actors_;
    }

    function _actor(uint256 seed) internal view returns (address) {
        return actors[seed % actors.length];
    }

    function _validator(uint256 seed) internal view returns (uint256) {
        return validatorIds[seed % validatorIds.length];
    }

    function stake(uint256 actorSeed, uint256 amount) external {
        ++calls["stake"];
        amount = bound(amount, 1 ether, 20_000 ether);
        address a = _actor(actorSeed);
        vm.deal(a, a.balance + amount);
        vm.prank(a);
        pool.stake{value: amount}(a);
    }

    function requestWithdrawal(uint256 actorSeed, uint256 percent) external {
        ++calls["requestWithdrawal"];
        address a = _actor(actorSeed);
        uint256 balance = stFTM.balanceOf(a);
        if (balance < 1 ether) return;
        vm.prank(a);
        queue.requestWithdrawal(balance * bound(percent, 1, 100) / 100, a);
    }

    function sealEpoch(uint256 reward) external {
        ++calls["sealEpoch"];
        reward = bound(reward, 0, 100 ether);
        vm.warp(block.timestamp + 6 hours);
        vm.deal(address(this), reward);
        sfc.sealEpoch{value: reward}();
    }

    function passTime(uint256 secondsAhead) external {
        ++calls["passTime"];
        vm.warp(block.timestamp + bound(secondsAhead, 1 hours, 8 days));
        sfc.sealEpochs(3);
    }

    function goOffline(uint256 validatorSeed) external {
        ++calls["goOffline"];
        uint256 id = _validator(validatorSeed);
        sfc.deactivateValidator(id, 8);
        registry.sync(id);
    }

    function comeBack(uint256 validatorSeed) external {
        ++calls["comeBack"];
        uint256 id = _validator(validatorSeed);
        if (sfc.isSlashed(id)) return;
        sfc.reactivateValidator(id);
        registry.sync(id);
    }

    /// @dev A third party delegates to a validator directly on the SFC, taking some or all of its room.
    function strangerDelegates(uint256 validatorSeed, uint256 percent) external {
        ++calls["strangerDelegates"];
        uint256 id = _validator(validatorSeed);
        (bool ok, uint256 room) = SFCReader.capacity(ISFC(address(sfc)), SFCReader.Layout.Sonic, 16e18, id);
        uint256 amount = room * bound(percent, 1, 100) / 100;
        if (!ok || amount == 0) return;
        address stranger = makeAddr("stranger");
        vm.deal(stranger, amount);
        vm.prank(stranger);
        sfc.delegate{value: amount}(id);
    }

    /// @dev Governance changes the cap without changing the weights (so weights may now be above it).
    function setCap(uint256 seed) external {
        ++calls["setCap"];
        registry.setMaxWeightBps([uint256(10_000), 4_000, 2_500, 1_500][seed % 4]);
    }

    /// @dev A whole keeper round, then the judgement of what it ends with.
    function processRound() external {
        ++calls["processRound"];
        vm.recordLogs();
        bool done;
        for (uint256 i; i < 20 && !done; ++i) {
            vm.prank(operator);
            (, done) = pool.process(1_000);
        }
        if (!done) return;
        ++roundsCompleted;
        (bool drifted, uint256[] memory delegatedTo) = _movesOf(vm.getRecordedLogs());
        _judge(drifted, delegatedTo);
    }

    function _movesOf(Vm.Log[] memory logs) internal view returns (bool drifted, uint256[] memory delegatedTo) {
        delegatedTo = new uint256[](logs.length);
        uint256 k;
        for (uint256 j; j < logs.length; ++j) {
            if (logs[j].emitter != address(pool)) continue;
            if (logs[j].topics[0] == StakingPool.Undelegated.selector) {
                (,, uint256 driftAmount) = abi.decode(logs[j].data, (uint256, uint256, uint256));
                if (driftAmount > 0) drifted = true;
            } else if (logs[j].topics[0] == StakingPool.Delegated.selector) {
                delegatedTo[k++] = uint256(logs[j].topics[1]);
            }
        }
        assembly ("memory-safe") {
            mstore(delegatedTo, k)
        }
    }

    function _judge(bool drifted, uint256[] memory delegatedTo) internal {
        (Allocation.Validator[] memory vs, Allocation.Input memory inp) = PoolPlanInputs.gather(pool);
        Allocation.Plan memory p = Allocation.plan(vs, inp);
        uint256 dust = vs.length + 10;

        (uint256 unplaceable,) = pool.unplaceable();
        uint256 allowed = pool.pendingWithdrawals() + unplaceable + dust;
        uint256 idle = pool.idleLiquidity();
        if (idle > allowed && idle - allowed > idleBeyondOwedAndUnplaceable) idleBeyondOwedAndUnplaceable = idle - allowed;

        uint256 space; // what under-target validators can still take
        for (uint256 i; i < vs.length; ++i) {
            for (uint256 k; k < delegatedTo.length; ++k) {
                if (delegatedTo[k] != vs[i].id || vs[i].stake <= p.targets[i] + dust) continue;
                if (vs[i].stake - p.targets[i] > delegatedBeyondTarget) delegatedBeyondTarget = vs[i].stake - p.targets[i];
            }
            if (vs[i].eligible && vs[i].stake < p.targets[i]) {
                uint256 gap = p.targets[i] - vs[i].stake;
                space += gap < vs[i].room ? gap : vs[i].room;
            }
        }
        if (drifted) {
            uint256 coming = inp.idle + inp.unbonding;
            uint256 free = coming > inp.demand ? coming - inp.demand : 0;
            if (free > space + dust && free - space > driftLeftIdle) driftLeftIdle = free - space;
        }
    }

    receive() external payable {}
}

/// @dev Handler-based invariants of the allocation over random sequences of stake, withdrawal requests, keeper
/// rounds, epochs with rewards, validators going offline and coming back, third parties filling validators'
/// SFC room, and governance lowering or raising the cap.
contract AllocationInvariantsTest is PoolBase {
    AllocationHandler internal handler;

    function setUp() public {
        _deploy(5);
        _stake(alice, 10_000 ether);
        _processAll();
        address[] memory actors = new address[](3);
        (actors[0], actors[1], actors[2]) = (alice, bob, carol);
        handler = new AllocationHandler(pool, sfc, operator, ids, actors);
        sfc.transferOwnershipForTests(address(handler));
        registry.grantRole(registry.DEFAULT_ADMIN_ROLE(), address(handler));
        targetContract(address(handler));
    }

    /// @notice After any completed round, FTM idle is at most what is owed to withdrawals plus what no
    /// validator's target can hold (`unplaceable()`), plus dust.
    function invariant_AfterARoundIdleFTMIsOnlyWhatIsOwedOrUnplaceable() public view {
        assertEq(handler.idleBeyondOwedAndUnplaceable(), 0);
    }

    /// @notice No validator's target is above `maxWeightBps` of T or above what its SFC room lets it hold, and
    /// no delegation takes a validator above its target.
    function invariant_NoValidatorIsTargetedAboveTheCapOrItsSFCRoom() public view {
        (Allocation.Validator[] memory vs, Allocation.Input memory inp) = PoolPlanInputs.gather(pool);
        Allocation.Plan memory p = Allocation.plan(vs, inp);
        uint256 cap = Allocation.stakedTotal(vs, inp) * inp.maxWeightBps / 10_000;
        for (uint256 i; i < vs.length; ++i) {
            assertLe(p.targets[i], cap, "no target above maxWeightBps of T");
            assertLe(p.targets[i], vs[i].stake + vs[i].room, "no target above what the SFC lets it hold");
        }
        assertEq(handler.delegatedBeyondTarget(), 0, "no delegation above the target");
    }

    /// @notice A round that undelegates for drift leaves no free FTM without a place to go: the plan never
    /// undelegates FTM that it then leaves idle.
    function invariant_DriftIsNeverUndelegatedToSitIdle() public view {
        assertEq(handler.driftLeftIdle(), 0);
    }
}
