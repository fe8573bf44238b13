// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {IERC20Errors} from "@openzeppelin/contracts/interfaces/draft-IERC6093.sol";
import {PoolBase} from "./utils/PoolBase.sol";
import {StakedFTM} from "../contracts/StakedFTM.sol";

/// @dev stFTM's own guards: a transfer from the zero address, totals that would not fit in 128 bits, and
/// the checks on the pool-only functions, which hold even against a faulty pool (here the test contract
/// plays the pool of a token of its own).
contract StakedFTMEdgeCasesTest is PoolBase {
    function setUp() public {
        _deploy(2);
        _stake(alice, 10 ether);
    }

    function test_TransfersFromTheZeroAddressRevert() public {
        bytes memory err = abi.encodeWithSelector(IERC20Errors.ERC20InvalidSender.selector, address(0));
        vm.startPrank(bob);
        vm.expectRevert(err);
        stFTM.transferFrom(address(0), bob, 0);
        vm.expectRevert(err);
        stFTM.transferSharesFrom(address(0), bob, 0);
        vm.stopPrank();
        assertEq(stFTM.sharesOf(bob), 0);
    }

    function test_AStakeThatWouldNotFitThe128BitTotalsReverts() public {
        uint256 huge = type(uint128).max;
        uint256 pooledBefore = stFTM.totalPooledFTM();
        vm.deal(bob, huge);
        vm.prank(bob);
        vm.expectRevert(StakedFTM.StakedFTM__Overflow.selector);
        pool.stake{value: huge}(bob);
        assertEq(stFTM.totalPooledFTM(), pooledBefore);
        assertEq(stFTM.sharesOf(bob), 0);
    }

    function test_ThePoolCannotMintToTheZeroAddressBurnMoreThanItHoldsOrOverflowTheTotals() public {
        StakedFTM token = _newStakedToken();
        token.bindPool(address(this));

        vm.expectRevert(abi.encodeWithSelector(IERC20Errors.ERC20InvalidReceiver.selector, address(0)));
        token.mintForDeposit(address(0), 1 ether, 0);

        token.mintForDeposit(alice, 10 ether, 0);
        token.lockShares(alice, 4 ether);
        assertEq(token.sharesOf(address(this)), 4 ether, "locked shares sit with the pool");
        vm.expectRevert(
            abi.encodeWithSelector(IERC20Errors.ERC20InsufficientBalance.selector, address(this), 4 ether, 5 ether)
        );
        token.burnLocked(5 ether, 5 ether);

        uint256 tooBig = uint256(type(uint128).max) + 1;
        vm.expectRevert(StakedFTM.StakedFTM__Overflow.selector);
        token.rebase(tooBig, treasury, 0);
        vm.expectRevert(StakedFTM.StakedFTM__Overflow.selector);
        token.mintForDeposit(alice, type(uint128).max, 10 ether);

        token.burnLocked(4 ether, 4 ether);
        assertEq(token.totalShares(), 6 ether, "only the failed calls were undone");
        assertEq(token.totalPooledFTM(), 6 ether);
        assertEq(token.sharesOf(alice), 6 ether);
        assertEq(token.sharesOf(address(this)), 0);
    }
}
