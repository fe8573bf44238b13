// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {IAccessControl} from "@openzeppelin/contracts/access/IAccessControl.sol";
import {PoolBase} from "../utils/PoolBase.sol";
import {ValidatorRegistry, IPoolStakeView} from "../../contracts/ValidatorRegistry.sol";

contract ValidatorRegistryTest is PoolBase {
    function setUp() public {
        _deploy(3);
    }

    function _newValidator(string memory name, uint256 selfStake) internal returns (address auth, uint256 id) {
        auth = makeAddr(name);
        vm.deal(auth, selfStake);
        vm.prank(auth);
        sfc.createValidator{value: selfStake}(abi.encodePacked(auth));
        id = sfc.getValidatorID(auth);
    }

    function test_AValidatorAppliesFromItsAuthAddress() public {
        (address auth, uint256 id) = _newValidator("newcomer", SELF_STAKE);
        vm.prank(auth);
        registry.applyForInclusion(id, "ipfs://newcomer");
        assertEq(uint256(registry.stateOf(id)), uint256(ValidatorRegistry.State.Applied));
        ValidatorRegistry.ValidatorInfo[] memory all = registry.validators();
        assertEq(all[all.length - 1].id, id);
        assertEq(all[all.length - 1].metadataURI, "ipfs://newcomer");
    }

    function test_AnyoneButTheAuthAddressCannotApply() public {
        (, uint256 id) = _newValidator("newcomer", SELF_STAKE);
        vm.prank(alice);
        vm.expectRevert(abi.encodeWithSelector(ValidatorRegistry.ValidatorRegistry__NotValidatorAuth.selector, id, alice));
        registry.applyForInclusion(id, "");
    }

    function test_AValidatorBelowTheMinimumSelfStakeCannotApply() public {
        (address auth, uint256 id) = _newValidator("newcomer", SELF_STAKE);
        // Raise the SFC's minimum self-stake after the validator was created.
        sfc.setConstants(3, 7 days, 16e18, 2_000 ether, 0.15e18);
        vm.prank(auth);
        vm.expectRevert(
            abi.encodeWithSelector(ValidatorRegistry.ValidatorRegistry__SelfStakeTooLow.selector, id, SELF_STAKE, 2_000 ether)
        );
        registry.applyForInclusion(id, "");
    }

    function test_AnOfflineOrSlashedValidatorCannotApply() public {
        (address auth, uint256 id) = _newValidator("newcomer", SELF_STAKE);
        sfc.deactivateValidator(id, 8);
        vm.prank(auth);
        vm.expectRevert(abi.encodeWithSelector(ValidatorRegistry.ValidatorRegistry__NotEligibleOnSFC.selector, id, 8, false));
        registry.applyForInclusion(id, "");
    }

    function test_AnApplicationCanBeWithdrawnAndMadeAgain() public {
        (address auth, uint256 id) = _newValidator("newcomer", SELF_STAKE);
        vm.startPrank(auth);
        registry.applyForInclusion(id, "a");
        vm.expectRevert(
            abi.encodeWithSelector(ValidatorRegistry.ValidatorRegistry__WrongState.selector, id, ValidatorRegistry.State.Applied)
        );
        registry.applyForInclusion(id, "a");
        registry.withdrawApplication(id);
        assertEq(uint256(registry.stateOf(id)), uint256(ValidatorRegistry.State.Removed));
        vm.expectRevert(
            abi.encodeWithSelector(ValidatorRegistry.ValidatorRegistry__WrongState.selector, id, ValidatorRegistry.State.Removed)
        );
        registry.withdrawApplication(id);
        registry.applyForInclusion(id, "b");
        vm.stopPrank();
        assertEq(registry.validators().length, 4, "listed once");
    }

    function test_OnlyTheAdminApprovesRemovesAndSetsTargets() public {
        (address auth, uint256 id) = _newValidator("newcomer", SELF_STAKE);
        vm.prank(auth);
        registry.applyForInclusion(id, "");
        bytes memory err = abi.encodeWithSelector(IAccessControl.AccessControlUnauthorizedAccount.selector, alice, bytes32(0));
        vm.startPrank(alice);
        vm.expectRevert(err);
        registry.approve(id);
        vm.expectRevert(err);
        registry.remove(ids[0]);
        vm.expectRevert(err);
        registry.setTargets(ids, new uint16[](3));
        vm.expectRevert(err);
        registry.setMaxWeightBps(1);
        vm.expectRevert(err);
        registry.setMaxValidators(1);
        vm.expectRevert(err);
        registry.setPool(IPoolStakeView(alice));
        vm.stopPrank();
    }

    function test_ApprovingRequiresAnApplication() public {
        (, uint256 id) = _newValidator("newcomer", SELF_STAKE);
        vm.expectRevert(
            abi.encodeWithSelector(ValidatorRegistry.ValidatorRegistry__WrongState.selector, id, ValidatorRegistry.State.None)
        );
        registry.approve(id);
    }

    function test_TheSetIsCappedAtMaxValidators() public {
        registry.setMaxValidators(3);
        (address auth, uint256 id) = _newValidator("newcomer", SELF_STAKE);
        vm.prank(auth);
        registry.applyForInclusion(id, "");
        vm.expectRevert(abi.encodeWithSelector(ValidatorRegistry.ValidatorRegistry__SetFull.selector, 3));
        registry.approve(id);
        vm.expectRevert(abi.encodeWithSelector(ValidatorRegistry.ValidatorRegistry__ValueOutOfRange.selector, 201));
        registry.setMaxValidators(201);
        vm.expectRevert(abi.encodeWithSelector(ValidatorRegistry.ValidatorRegistry__ValueOutOfRange.selector, 2));
        registry.setMaxValidators(2);
    }

    function test_TargetsMustSumTo10000BpsWithinTheCapOverActiveIds() public {
        uint16[] memory w = new uint16[](3);
        (w[0], w[1], w[2]) = (3_000, 3_000, 3_000);
        vm.expectRevert(abi.encodeWithSelector(ValidatorRegistry.ValidatorRegistry__WeightsSum.selector, 9_000));
        registry.setTargets(ids, w);
        registry.setMaxWeightBps(3_500);
        (w[0], w[1], w[2]) = (4_000, 3_000, 3_000);
        vm.expectRevert(abi.encodeWithSelector(ValidatorRegistry.ValidatorRegistry__WeightTooHigh.selector, ids[0], 4_000, 3_500));
        registry.setTargets(ids, w);
        uint256[] memory bad = new uint256[](3);
        (bad[0], bad[1], bad[2]) = (ids[0], ids[1], 99);
        (w[0], w[1], w[2]) = (3_400, 3_300, 3_300);
        vm.expectRevert(abi.encodeWithSelector(ValidatorRegistry.ValidatorRegistry__NotActive.selector, 99));
        registry.setTargets(bad, w);
        (bad[0], bad[1], bad[2]) = (ids[0], ids[0], ids[1]);
        vm.expectRevert(abi.encodeWithSelector(ValidatorRegistry.ValidatorRegistry__IdsNotAscending.selector, ids[0]));
        registry.setTargets(bad, w);
        vm.expectRevert(ValidatorRegistry.ValidatorRegistry__LengthMismatch.selector);
        registry.setTargets(ids, new uint16[](2));
        registry.setTargets(ids, w);
        (uint256[] memory setIds, uint16[] memory weights) = registry.targets();
        assertEq(setIds.length, 3);
        assertEq(weights[0], 3_400);
        vm.expectRevert(abi.encodeWithSelector(ValidatorRegistry.ValidatorRegistry__ValueOutOfRange.selector, 0));
        registry.setMaxWeightBps(0);
    }

    function test_SyncMarksAnOfflineValidatorIneligibleAndRestoresItWhenBack() public {
        sfc.deactivateValidator(ids[1], 8);
        registry.sync(ids[1]);
        assertEq(uint256(registry.stateOf(ids[1])), uint256(ValidatorRegistry.State.Ineligible));
        sfc.reactivateValidator(ids[1]);
        registry.sync(ids[1]);
        assertEq(uint256(registry.stateOf(ids[1])), uint256(ValidatorRegistry.State.Active));
        assertEq(registry.weightOf(ids[1]), registry.weightOf(ids[0]), "its weight was kept");
    }

    function test_ASlashedValidatorStaysIneligible() public {
        sfc.slash(ids[2]);
        registry.sync(ids[2]);
        assertEq(uint256(registry.stateOf(ids[2])), uint256(ValidatorRegistry.State.Ineligible));
        registry.sync(ids[2]);
        assertEq(uint256(registry.stateOf(ids[2])), uint256(ValidatorRegistry.State.Ineligible));
    }

    function test_AnApplicantThatGoesOfflineIsIneligibleAndReturnsToApplied() public {
        (address auth, uint256 id) = _newValidator("newcomer", SELF_STAKE);
        vm.prank(auth);
        registry.applyForInclusion(id, "");
        sfc.deactivateValidator(id, 8);
        registry.sync(id);
        assertEq(uint256(registry.stateOf(id)), uint256(ValidatorRegistry.State.Ineligible));
        sfc.reactivateValidator(id);
        registry.sync(id);
        assertEq(uint256(registry.stateOf(id)), uint256(ValidatorRegistry.State.Applied));
    }

    function test_RemovingAValidatorWithoutStakeRemovesItAtOnce() public {
        registry.remove(ids[0]);
        assertEq(uint256(registry.stateOf(ids[0])), uint256(ValidatorRegistry.State.Removed));
        assertEq(registry.setSize(), 2);
        vm.expectRevert(
            abi.encodeWithSelector(ValidatorRegistry.ValidatorRegistry__WrongState.selector, ids[0], ValidatorRegistry.State.Removed)
        );
        registry.remove(ids[0]);
    }

    function test_ARemovedValidatorIsDrainedThenRemoved() public {
        _stake(alice, 300 ether);
        _processAll();
        uint256 pooled = pool.totalPooledFTM();
        registry.remove(ids[0]);
        assertEq(uint256(registry.stateOf(ids[0])), uint256(ValidatorRegistry.State.Exiting));
        registry.sync(ids[0]);
        assertEq(uint256(registry.stateOf(ids[0])), uint256(ValidatorRegistry.State.Exiting), "still holds stake");
        _processAll();
        assertEq(sfc.getStake(address(pool), ids[0]), 0);
        vm.warp(block.timestamp + 1 days);
        _processAll();
        assertEq(
            uint256(registry.stateOf(ids[0])), uint256(ValidatorRegistry.State.Exiting), "its FTM still unbonds there"
        );
        _passWithdrawalPeriod();
        _processAll(); // withdraws the unbonding
        _processAll(); // the next round retires it
        assertEq(uint256(registry.stateOf(ids[0])), uint256(ValidatorRegistry.State.Removed));
        assertEq(pool.totalPooledFTM(), pooled, "no FTM lost");
    }

    function test_ThePoolIsSetOnce() public {
        vm.expectRevert(ValidatorRegistry.ValidatorRegistry__PoolAlreadySet.selector);
        registry.setPool(IPoolStakeView(alice));
    }

    function test_SyncOfAnUnknownValidatorDoesNothing() public {
        registry.sync(999);
        assertEq(uint256(registry.stateOf(999)), uint256(ValidatorRegistry.State.None));
    }
}
