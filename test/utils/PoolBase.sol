// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {Test} from "forge-std/Test.sol";
import {ISFC} from "../../contracts/interfaces/ISFC.sol";
import {SFCReader} from "../../contracts/libraries/SFCReader.sol";
import {Allocation} from "../../contracts/libraries/Allocation.sol";
import {AllocationPlanner} from "../../contracts/AllocationPlanner.sol";
import {StakedFTM} from "../../contracts/StakedFTM.sol";
import {WrappedStakedFTM, IStakeEntry} from "../../contracts/WrappedStakedFTM.sol";
import {ValidatorRegistry, IPoolStakeView} from "../../contracts/ValidatorRegistry.sol";
import {StakingPool} from "../../contracts/StakingPool.sol";
import {WithdrawalQueue, IWithdrawalPool} from "../../contracts/WithdrawalQueue.sol";
import {SFCModel} from "../../contracts/testing/SFCModel.sol";

/// @dev The core deployed on the SFC model: the test contract is the admin (the timelock's place),
/// `guardian` may pause, `operator` runs `process`, validators 1..n are approved with equal weights.
abstract contract PoolBase is Test {
    SFCModel internal sfc;
    AllocationPlanner internal planner;
    StakedFTM internal stFTM;
    WrappedStakedFTM internal wst;
    ValidatorRegistry internal registry;
    StakingPool internal pool;
    WithdrawalQueue internal queue;

    address internal guardian = makeAddr("guardian");
    address internal operator = makeAddr("operator");
    address internal treasury = makeAddr("treasury");
    address internal alice = makeAddr("alice");
    address internal bob = makeAddr("bob");
    address internal carol = makeAddr("carol");

    uint256 internal constant SELF_STAKE = 1_000 ether; // room: 16 × 1,000 − 1,000 = 15,000 FTM each
    uint256 internal constant FEE_BPS = 1_000;
    uint256[] internal ids;

    function _deploy(uint256 validatorCount) internal {
        _deployWithLayout(validatorCount, SFCReader.Layout.Sonic);
    }

    /// @dev The token names the deployment parameters give each chain: Sonic's are the default here.
    struct TokenNames {
        string currency;
        string staked;
        string stakedSymbol;
        string wrapped;
        string wrappedSymbol;
    }

    function _namesFor(SFCReader.Layout layout) internal pure returns (TokenNames memory) {
        if (layout == SFCReader.Layout.Opera) return TokenNames("FTM", "Staked FTM", "stFTM", "Wrapped Staked FTM", "wstFTM");
        return TokenNames("S", "Staked S", "stS", "Wrapped Staked S", "wstS");
    }

    /// @dev A staked token with the default (Sonic) names, for tests that build a pool of their own.
    function _newStakedToken() internal returns (StakedFTM) {
        TokenNames memory n = _namesFor(SFCReader.Layout.Sonic);
        return new StakedFTM(n.staked, n.stakedSymbol);
    }

    /// @dev A wrapper with the default (Sonic) names over `token`, staking through `entry`.
    function _newWrapper(StakedFTM token, IStakeEntry entry) internal returns (WrappedStakedFTM) {
        TokenNames memory n = _namesFor(SFCReader.Layout.Sonic);
        return new WrappedStakedFTM(token, entry, n.wrapped, n.wrappedSymbol);
    }

    function _deployWithLayout(uint256 validatorCount, SFCReader.Layout layout) internal {
        vm.warp(1_700_000_000);
        TokenNames memory names = _namesFor(layout);
        sfc = new SFCModel(layout);
        planner = new AllocationPlanner();
        stFTM = new StakedFTM(names.staked, names.stakedSymbol);
        registry = new ValidatorRegistry(ISFC(address(sfc)), layout, address(this));
        pool = new StakingPool(
            ISFC(address(sfc)), layout, stFTM, registry, planner, address(this), treasury, FEE_BPS
        );
        registry.setPool(IPoolStakeView(address(pool)));
        wst = new WrappedStakedFTM(stFTM, IStakeEntry(address(pool)), names.wrapped, names.wrappedSymbol);
        queue = new WithdrawalQueue(IWithdrawalPool(address(pool)), stFTM, wst, names.currency);
        stFTM.bindPool(address(pool), address(queue));
        vm.deal(address(this), 1_000_000 ether);
        pool.initialise{value: 1 ether}(wst, queue);
        pool.grantRole(pool.PAUSER_ROLE(), guardian);
        pool.grantRole(pool.OPERATOR_ROLE(), operator);
        for (uint256 i; i < validatorCount; ++i) {
            _addValidator(SELF_STAKE);
        }
        if (validatorCount > 0) _equalTargets();
    }

    function _addValidator(uint256 selfStake) internal returns (uint256 id) {
        address auth = makeAddr(string.concat("validator", vm.toString(ids.length + 1)));
        vm.deal(auth, selfStake + 10 ether);
        vm.prank(auth);
        sfc.createValidator{value: selfStake}(abi.encodePacked(auth));
        id = sfc.getValidatorID(auth);
        vm.prank(auth);
        registry.applyForInclusion(id, string.concat("ipfs://validator-", vm.toString(id)));
        registry.approve(id);
        ids.push(id);
    }

    function _authOf(uint256 id) internal returns (address) {
        return makeAddr(string.concat("validator", vm.toString(id)));
    }

    function _equalTargets() internal {
        _setTargets(ids);
    }

    /// @dev Equal weights over `set` (ascending ids), remainder on the last.
    function _setTargets(uint256[] memory set) internal {
        uint16[] memory w = new uint16[](set.length);
        uint256 given;
        for (uint256 i; i < set.length; ++i) {
            w[i] = uint16(10_000 / set.length);
            given += w[i];
        }
        w[set.length - 1] += uint16(10_000 - given);
        registry.setMaxWeightBps(10_000);
        registry.setTargets(set, w);
    }

    function _stake(address who, uint256 amount) internal returns (uint256 shares) {
        vm.deal(who, who.balance + amount);
        vm.prank(who);
        shares = pool.stake{value: amount}(who);
    }

    /// @dev Runs `process` as the operator until a round completes (bounded).
    function _processAll() internal {
        for (uint256 i; i < 50; ++i) {
            vm.prank(operator);
            (, bool done) = pool.process(1_000);
            if (done) return;
        }
        revert("process did not complete");
    }

    /// @dev Lets every harvested reward vest and books it (a keeper round at the end of the vesting period).
    function _vestRewards() internal {
        vm.warp(block.timestamp + pool.rewardVestingPeriod());
        _processAll();
    }

    /// @dev Stakes `amount × 2` for `who`, requests `amount` and lets the next round finalise it from idle FTM.
    function _finalisedRequest(address who, uint256 amount) internal returns (uint256 id) {
        _stake(who, amount * 2);
        vm.prank(who);
        id = queue.requestWithdrawal(amount, who);
        _processAll();
    }

    /// @dev Seals `n` epochs, each with `reward` FTM of rewards, an hour apart.
    function _seal(uint256 n, uint256 reward) internal {
        for (uint256 i; i < n; ++i) {
            vm.warp(block.timestamp + 1 hours);
            vm.deal(address(this), address(this).balance + reward);
            sfc.sealEpoch{value: reward}();
        }
    }

    /// @dev Lets the SFC withdrawal period pass (epochs and time).
    function _passWithdrawalPeriod() internal {
        vm.warp(block.timestamp + 7 days + 1);
        sfc.sealEpochs(3);
    }

    function _rate() internal view returns (uint256) {
        return pool.getRate();
    }

    function _sumDelegated() internal view returns (uint256 sum) {
        for (uint256 i; i < ids.length; ++i) {
            sum += sfc.getStake(address(pool), ids[i]);
        }
    }

    receive() external payable {}
}
