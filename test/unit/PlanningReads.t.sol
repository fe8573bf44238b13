// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {Test} from "forge-std/Test.sol";
import {ISFC} from "../../contracts/interfaces/ISFC.sol";
import {SFCReader} from "../../contracts/libraries/SFCReader.sol";
import {ValidatorRegistry} from "../../contracts/ValidatorRegistry.sol";
import {SFCModel} from "../../contracts/testing/SFCModel.sol";
import {FTMRefuser} from "../../contracts/testing/Attackers.sol";

/// @dev What the pool reads to plan: `SFCReader.capacity` (one read of a validator's SFC record) on both
/// layouts, and the registry's id bound for its set.
contract PlanningReadsTest is Test {
    address internal delegator = makeAddr("delegator");

    function capacity(SFCModel sfc, SFCReader.Layout layout, uint256 ratio, uint256 id)
        external
        view
        returns (bool, uint256)
    {
        return SFCReader.capacity(ISFC(address(sfc)), layout, ratio, id);
    }

    function room(SFCModel sfc, SFCReader.Layout layout, uint256 ratio, uint256 id) external view returns (uint256) {
        return SFCReader.room(ISFC(address(sfc)), layout, ratio, id);
    }

    function _capacityOnEveryState(SFCReader.Layout layout) internal {
        vm.warp(1_700_000_000);
        SFCModel sfc = new SFCModel(layout);
        address auth = makeAddr("auth");
        vm.deal(auth, 1_000 ether);
        vm.prank(auth);
        sfc.createValidator{value: 1_000 ether}("");
        uint256 id = sfc.getValidatorID(auth);

        // Healthy: the room under 16 × self-stake, as `room` says.
        (bool ok, uint256 r) = this.capacity(sfc, layout, 16e18, id);
        assertTrue(ok);
        assertEq(r, 15_000 ether);
        assertEq(r, this.room(sfc, layout, 16e18, id));
        vm.deal(delegator, 15_000 ether);
        vm.prank(delegator);
        sfc.delegate{value: 15_000 ether}(id);
        (ok, r) = this.capacity(sfc, layout, 16e18, id);
        assertTrue(ok, "full, but healthy: keeps its target");
        assertEq(r, 0);
        (ok, r) = this.capacity(sfc, layout, 8e18, id);
        assertTrue(ok);
        assertEq(r, 0, "over the limit: no room, not an underflow");

        // An id the SFC does not know: status 0 and no auth, so healthy with no room (as before).
        (ok, r) = this.capacity(sfc, layout, 16e18, 99);
        assertTrue(ok);
        assertEq(r, 0);
        assertEq(this.room(sfc, layout, 16e18, 99), 0);

        // Offline, then back; slashed for good.
        sfc.deactivateValidator(id, 8);
        (ok, r) = this.capacity(sfc, layout, 32e18, id);
        assertFalse(ok);
        assertEq(r, 0);
        sfc.reactivateValidator(id);
        (ok, r) = this.capacity(sfc, layout, 32e18, id);
        assertTrue(ok);
        assertEq(r, 16_000 ether);
        sfc.slash(id);
        assertTrue(sfc.isSlashed(id));
        (ok, r) = this.capacity(sfc, layout, 32e18, id);
        assertFalse(ok, "a slashed validator's status is never OK");
        assertEq(r, 0);
    }

    function test_CapacityReadsTheSonicRecordOnce() public {
        _capacityOnEveryState(SFCReader.Layout.Sonic);
    }

    function test_CapacityReadsTheOperaRecordOnce() public {
        _capacityOnEveryState(SFCReader.Layout.Opera);
    }

    function test_CapacityOfSomethingThatIsNotAnSFCReverts() public {
        FTMRefuser notAnSFC = new FTMRefuser();
        vm.expectRevert(abi.encodeWithSelector(SFCReader.SFCReader__CallFailed.selector, 1));
        this.capacity(SFCModel(address(notAnSFC)), SFCReader.Layout.Sonic, 16e18, 1);
        // An account without code answers nothing: no record either.
        vm.expectRevert(abi.encodeWithSelector(SFCReader.SFCReader__CallFailed.selector, 1));
        this.capacity(SFCModel(makeAddr("eoa")), SFCReader.Layout.Sonic, 16e18, 1);
    }

    /// @dev The registry keeps the set's ids as uint64 (four to a slot, as the pool's SFC withdrawal records
    /// keep them): an id beyond that is not admitted. (SFC ids count from 1; this needs a mocked SFC.)
    function test_TheRegistryAdmitsNoIdBeyond64Bits() public {
        vm.warp(1_700_000_000);
        SFCModel sfc = new SFCModel(SFCReader.Layout.Sonic);
        ValidatorRegistry registry = new ValidatorRegistry(ISFC(address(sfc)), SFCReader.Layout.Sonic, address(this));
        address auth = makeAddr("huge");
        uint256 huge = uint256(type(uint64).max) + 1;
        vm.mockCall(address(sfc), abi.encodeCall(ISFC.getValidatorID, (auth)), abi.encode(huge));
        vm.mockCall(address(sfc), abi.encodeCall(ISFC.getSelfStake, (huge)), abi.encode(1_000 ether));
        vm.prank(auth);
        registry.applyForInclusion(huge, "ipfs://huge");
        vm.expectRevert(abi.encodeWithSelector(ValidatorRegistry.ValidatorRegistry__ValueOutOfRange.selector, huge));
        registry.approve(huge);
        assertEq(registry.setSize(), 0);
        assertEq(registry.allocationView().length, 0);
    }
}
