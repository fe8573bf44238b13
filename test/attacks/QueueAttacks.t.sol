// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {IERC721Errors} from "@openzeppelin/contracts/interfaces/draft-IERC6093.sol";
import {PoolBase} from "../utils/PoolBase.sol";
import {WithdrawalQueue} from "../../contracts/WithdrawalQueue.sol";
import {ForcedFTMSender} from "../../contracts/testing/Attackers.sol";

/// @dev A claim recipient that, while being paid, tries every way back into the queue: claiming again,
/// moving the receipt it was just paid for, and claiming a second receipt it still holds.
contract ReentrantReceiptHolder {
    WithdrawalQueue public immutable queue;
    uint256 public paidId;
    uint256 public otherId;
    uint256 public reentries;
    uint256 public reentriesSucceeded;

    constructor(WithdrawalQueue queue_) {
        queue = queue_;
    }

    function request(uint256 amount) external returns (uint256 id) {
        return queue.requestWithdrawal(amount, address(this));
    }

    function claim(uint256 id, uint256 other) external {
        (paidId, otherId) = (id, other);
        uint256[] memory list = new uint256[](1);
        list[0] = id;
        queue.claim(list, address(this));
    }

    receive() external payable {
        if (reentries > 0) return;
        uint256[] memory again = new uint256[](1);
        again[0] = paidId;
        uint256[] memory other = new uint256[](1);
        other[0] = otherId;
        ++reentries;
        try queue.claim(again, address(this)) {
            ++reentriesSucceeded;
        } catch {}
        try queue.transferFrom(address(this), msg.sender, paidId) {
            ++reentriesSucceeded;
        } catch {}
        try queue.claim(other, address(this)) {
            ++reentriesSucceeded;
        } catch {}
    }
}

/// @dev Attacks on the withdrawal receipts: each measures what the attacker and the victims end with.
contract QueueAttacksTest is PoolBase {
    address internal mallory = makeAddr("mallory");

    function setUp() public {
        _deploy(2);
    }

    function _one(uint256 id) internal pure returns (uint256[] memory list) {
        list = new uint256[](1);
        list[0] = id;
    }

    function test_ClaimingTheSameReceiptTwiceInOneCallReverts() public {
        uint256 id = _finalisedRequest(alice, 3 ether);
        _finalisedRequest(bob, 3 ether); // FTM of another holder also waits in the queue
        uint256[] memory twice = new uint256[](2);
        (twice[0], twice[1]) = (id, id);
        vm.prank(alice);
        vm.expectRevert(abi.encodeWithSelector(WithdrawalQueue.WithdrawalQueue__AlreadyClaimed.selector, id));
        queue.claim(twice, alice);
        assertEq(alice.balance, 0, "the attacker got nothing");
        assertEq(address(queue).balance, 6 ether, "bob's FTM is still there");
        vm.prank(alice);
        queue.claim(_one(id), alice);
        assertEq(alice.balance, 3 ether, "and the honest claim pays once");
    }

    function test_ClaimingABurntReceiptAgainReverts() public {
        uint256 id = _finalisedRequest(alice, 3 ether);
        _finalisedRequest(bob, 3 ether);
        vm.startPrank(alice);
        queue.claim(_one(id), alice);
        vm.expectRevert(abi.encodeWithSelector(WithdrawalQueue.WithdrawalQueue__AlreadyClaimed.selector, id));
        queue.claim(_one(id), alice);
        vm.stopPrank();
        assertEq(alice.balance, 3 ether);
        assertEq(address(queue).balance, 3 ether, "bob's payout is untouched");
    }

    function test_ANonApprovedAddressCannotClaimSomeoneElsesReceipt() public {
        uint256 id = _finalisedRequest(alice, 3 ether);
        vm.prank(mallory);
        vm.expectRevert(abi.encodeWithSelector(WithdrawalQueue.WithdrawalQueue__NotOwnerOrApproved.selector, id, mallory));
        queue.claim(_one(id), mallory);
        vm.prank(mallory);
        vm.expectRevert(abi.encodeWithSelector(IERC721Errors.ERC721InsufficientApproval.selector, mallory, id));
        queue.transferFrom(alice, mallory, id);
        assertEq(mallory.balance, 0);
        assertEq(queue.ownerOf(id), alice);
        vm.prank(alice);
        queue.claim(_one(id), alice);
        assertEq(alice.balance, 3 ether, "the victim loses nothing");
    }

    function test_AReceiptCannotBeTransferredAfterItIsClaimed() public {
        uint256 id = _finalisedRequest(alice, 3 ether);
        vm.startPrank(alice);
        queue.claim(_one(id), alice);
        // Selling a claimed receipt to a buyer is impossible: it no longer exists.
        vm.expectRevert(abi.encodeWithSelector(IERC721Errors.ERC721NonexistentToken.selector, id));
        queue.transferFrom(alice, bob, id);
        vm.expectRevert(abi.encodeWithSelector(IERC721Errors.ERC721NonexistentToken.selector, id));
        queue.safeTransferFrom(alice, bob, id);
        vm.stopPrank();
        assertEq(queue.balanceOf(bob), 0);
    }

    function test_AReentrantRecipientIsPaidOnceAndCannotMoveOrClaimAnythingWhileBeingPaid() public {
        ReentrantReceiptHolder attacker = new ReentrantReceiptHolder(queue);
        _stake(address(attacker), 10 ether);
        uint256 first = attacker.request(2 ether);
        uint256 second = attacker.request(3 ether);
        _finalisedRequest(bob, 4 ether);
        assertEq(address(queue).balance, 9 ether);

        attacker.claim(first, second);
        assertEq(attacker.reentries(), 1);
        assertEq(attacker.reentriesSucceeded(), 0, "every call back into the queue reverted");
        assertEq(address(attacker).balance, 2 ether, "paid exactly the first receipt");
        assertEq(queue.ownerOf(second), address(attacker), "the second is still its own, unclaimed");
        assertEq(address(queue).balance, 7 ether, "what the others are owed is still there");
    }

    function test_FTMForcedIntoTheQueueChangesNoPayoutAndNoRate() public {
        uint256 id = _finalisedRequest(alice, 3 ether);
        uint256 rate = pool.getRate();
        vm.deal(mallory, 5 ether);
        vm.prank(mallory);
        new ForcedFTMSender{value: 5 ether}(payable(address(queue)));
        assertEq(queue.requestStatus(id).finalisedAmount, 3 ether);
        vm.prank(alice);
        assertEq(queue.claim(_one(id), alice), 3 ether, "the claim pays what was fixed, not the balance");
        assertEq(pool.getRate(), rate);
    }

    function test_AReceiptCannotBeMintedForSharesTheCallerDoesNotHold() public {
        _stake(alice, 10 ether);
        vm.prank(mallory);
        vm.expectRevert(abi.encodeWithSelector(WithdrawalQueue.WithdrawalQueue__InsufficientShares.selector, 5 ether, 0));
        queue.requestWithdrawal(5 ether, mallory);
        assertEq(stFTM.sharesOf(alice), 10 ether, "a request only ever locks its caller's shares");
    }

    /// @dev The holder at the moment of the claim is paid, however often the receipt moved: the first owner
    /// and every earlier holder get nothing, and the others' FTM in the queue is untouched.
    function testFuzz_OnlyTheLastHolderIsPaid(uint256 amount, uint8 hops, bool finaliseFirst) public {
        amount = bound(amount, 0.01 ether, 500 ether);
        hops = uint8(bound(hops, 1, 6));
        _finalisedRequest(carol, 1 ether);
        _stake(alice, amount * 2);
        vm.prank(alice);
        uint256 id = queue.requestWithdrawal(amount, alice);
        if (finaliseFirst) _processAll();
        address holder = alice;
        for (uint256 i; i < hops; ++i) {
            address next = makeAddr(string.concat("holder", vm.toString(i)));
            vm.prank(holder);
            queue.transferFrom(holder, next, id);
            holder = next;
        }
        if (!finaliseFirst) _processAll();
        vm.prank(alice);
        vm.expectRevert(abi.encodeWithSelector(WithdrawalQueue.WithdrawalQueue__NotOwnerOrApproved.selector, id, alice));
        queue.claim(_one(id), alice);
        vm.prank(holder);
        queue.claim(_one(id), holder);
        assertEq(holder.balance, amount);
        assertEq(alice.balance, 0);
        assertEq(address(queue).balance, 1 ether, "carol's payout is untouched");
    }
}
