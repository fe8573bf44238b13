// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {IERC721Errors} from "@openzeppelin/contracts/interfaces/draft-IERC6093.sol";
import {IERC721} from "@openzeppelin/contracts/token/ERC721/IERC721.sol";
import {IERC721Metadata} from "@openzeppelin/contracts/token/ERC721/extensions/IERC721Metadata.sol";
import {IERC721Enumerable} from "@openzeppelin/contracts/token/ERC721/extensions/IERC721Enumerable.sol";
import {IERC165} from "@openzeppelin/contracts/utils/introspection/IERC165.sol";
import {PoolBase} from "../utils/PoolBase.sol";
import {StakingPool} from "../../contracts/StakingPool.sol";
import {StakedFTM} from "../../contracts/StakedFTM.sol";
import {PoolSettings} from "../../contracts/PoolSettings.sol";
import {WithdrawalQueue, IWithdrawalPool} from "../../contracts/WithdrawalQueue.sol";
import {SFCReader} from "../../contracts/libraries/SFCReader.sol";
import {ReceiptMetadata} from "../../contracts/libraries/ReceiptMetadata.sol";

/// @dev The withdrawal queue as an NFT contract: receipts, their holders and operators, the batch view, the
/// metadata, and the trust between the queue and the pool.
contract WithdrawalQueueTest is PoolBase {
    function setUp() public {
        _deploy(2);
    }

    function _one(uint256 id) internal pure returns (uint256[] memory list) {
        list = new uint256[](1);
        list[0] = id;
    }

    function _request(address who, uint256 amount, address owner) internal returns (uint256 id) {
        vm.prank(who);
        id = queue.requestWithdrawal(amount, owner);
    }

    // ------------------------------------------------------------ the token

    function test_TheQueueReportsTheERC721MetadataAndERC165InterfacesAndNoOthers() public view {
        assertEq(type(IERC721).interfaceId, bytes4(0x80ac58cd));
        assertEq(type(IERC721Metadata).interfaceId, bytes4(0x5b5e139f));
        assertEq(type(IERC165).interfaceId, bytes4(0x01ffc9a7));
        assertTrue(queue.supportsInterface(0x80ac58cd), "ERC-721");
        assertTrue(queue.supportsInterface(0x5b5e139f), "ERC-721 metadata");
        assertTrue(queue.supportsInterface(0x01ffc9a7), "ERC-165");
        assertFalse(queue.supportsInterface(type(IERC721Enumerable).interfaceId), "no global enumeration");
        assertFalse(queue.supportsInterface(0xffffffff), "ERC-165 says 0xffffffff is never supported");
        assertEq(queue.name(), "stS withdrawal", "named after the staked token");
        assertEq(queue.symbol(), "unstS");
        assertEq(queue.currency(), "S");
    }

    function test_TheReceiptsNameTheChainsCurrencyAndRefuseASymbolThatWouldNeedEscaping() public {
        delete ids;
        _deployWithLayout(2, SFCReader.Layout.Opera);
        assertEq(queue.name(), "stFTM withdrawal");
        assertEq(queue.symbol(), "unstFTM");
        _stake(alice, 10 ether);
        uint256 id = _request(alice, 4 ether, alice);
        string memory uri = queue.tokenURI(id);
        assertTrue(bytes(uri).length > 0);
        assertEq(queue.currency(), "FTM");

        string[4] memory bad = ["", "S\"", "<S>", "TOOLONGSYM"];
        for (uint256 i; i < bad.length; ++i) {
            vm.expectRevert(WithdrawalQueue.WithdrawalQueue__BadCurrency.selector);
            new WithdrawalQueue(IWithdrawalPool(address(pool)), stFTM, wst, bad[i]);
        }
    }

    function test_ARequestMintsAReceiptToItsOwnerAndEmitsWhatAnIndexerFollows() public {
        _stake(alice, 10 ether);
        uint256 shares = stFTM.sharesForAmount(4 ether);
        vm.expectEmit(true, true, true, true, address(queue));
        emit IERC721.Transfer(address(0), bob, 1);
        vm.expectEmit(true, true, true, true, address(queue));
        emit WithdrawalQueue.WithdrawalRequested(1, alice, bob, 4 ether, shares);
        uint256 id = _request(alice, 4 ether, bob);
        assertEq(id, 1);
        assertEq(queue.ownerOf(id), bob, "the receipt goes to the owner named");
        assertEq(queue.balanceOf(alice), 0);
        assertEq(stFTM.sharesOf(address(queue)), shares, "the locked shares sit in the queue");
        assertEq(queue.pendingDemand(), 4 ether);

        vm.expectEmit(true, true, true, true, address(queue));
        emit WithdrawalQueue.WithdrawalFinalised(id, 4 ether);
        _processAll();

        vm.expectEmit(true, true, true, true, address(queue));
        emit IERC721.Transfer(bob, address(0), id);
        vm.expectEmit(true, true, true, true, address(queue));
        emit WithdrawalQueue.WithdrawalClaimed(id, bob, carol, 4 ether);
        vm.prank(bob);
        queue.claim(_one(id), carol);
        assertEq(carol.balance, 4 ether);
    }

    function test_TheBatchViewReportsStatusAmountsAndDatesOfEachRequest() public {
        _stake(alice, 10 ether);
        uint256 requestedAt = block.timestamp;
        uint256 a = _request(alice, 1 ether, alice);
        uint256 b = _request(alice, 2 ether, alice);
        _processAll();
        uint256 c = _request(alice, 3 ether, alice);
        vm.prank(alice);
        queue.claim(_one(a), alice);

        uint256[] memory list = new uint256[](4);
        (list[0], list[1], list[2], list[3]) = (a, b, c, 99);
        WithdrawalQueue.RequestView[] memory v = queue.requestStatuses(list);
        assertEq(uint256(v[0].status), uint256(WithdrawalQueue.RequestStatus.Claimed));
        assertEq(v[0].owner, address(0), "a claimed receipt has no owner");
        assertEq(v[0].finalisedAmount, 1 ether);
        assertEq(uint256(v[1].status), uint256(WithdrawalQueue.RequestStatus.Finalised));
        assertEq(v[1].owner, alice);
        assertEq(v[1].amount, 2 ether);
        assertEq(v[1].finalisedAmount, 2 ether);
        assertEq(v[1].requestedAt, requestedAt);
        assertEq(v[1].expectedBy, requestedAt + 7 days + pool.keeperGracePeriod(), "SFC period plus the grace");
        assertEq(uint256(v[2].status), uint256(WithdrawalQueue.RequestStatus.Pending));
        assertEq(v[2].finalisedAmount, 0, "nothing fixed while pending");
        assertEq(v[2].lockedShares, stFTM.sharesOf(address(queue)), "its shares are all the queue holds");
        assertEq(uint256(v[3].status), uint256(WithdrawalQueue.RequestStatus.None), "an unknown id");
        assertEq(uint256(queue.requestStatus(0).status), uint256(WithdrawalQueue.RequestStatus.None), "id 0 is never used");
    }

    function test_RequestsOfPagesTheReceiptsTheWalletHoldsIncludingReceivedOnes() public {
        _stake(alice, 10 ether);
        _stake(bob, 10 ether);
        uint256 a1 = _request(alice, 1 ether, alice);
        uint256 b1 = _request(bob, 1 ether, bob);
        uint256 a2 = _request(alice, 1 ether, alice);
        vm.prank(bob);
        queue.transferFrom(bob, alice, b1);

        uint256[] memory all = queue.requestsOf(alice, 0, 10);
        assertEq(all.length, 3);
        (uint256 x, uint256 y, uint256 z) = (all[0], all[1], all[2]);
        assertEq(x, a1);
        assertEq(y, a2);
        assertEq(z, b1, "the received receipt is listed");
        assertEq(queue.requestsOf(bob, 0, 10).length, 0, "and no longer under its sender");

        uint256[] memory page = queue.requestsOf(alice, 1, 1);
        assertEq(page.length, 1);
        assertEq(page[0], a2);
        assertEq(queue.requestsOf(alice, 2, type(uint256).max).length, 1, "any limit: the rest of the list");
        assertEq(queue.requestsOf(alice, 3, 1).length, 0, "past the end: empty");

        // A receipt leaving from the middle: the last one takes its place.
        vm.prank(alice);
        queue.transferFrom(alice, carol, a1);
        all = queue.requestsOf(alice, 0, 10);
        assertEq(all.length, 2);
        assertEq(all[0], b1);
        assertEq(all[1], a2);
        assertEq(queue.requestsOf(carol, 0, 10)[0], a1);
    }

    // ------------------------------------------------------------ who is paid

    function test_AReceiptTransferredBeforeFinalisationPaysTheNewOwner() public {
        _stake(alice, 10 ether);
        uint256 id = _request(alice, 4 ether, alice);
        vm.prank(alice);
        queue.safeTransferFrom(alice, bob, id);
        _processAll();

        vm.prank(alice);
        vm.expectRevert(abi.encodeWithSelector(WithdrawalQueue.WithdrawalQueue__NotOwnerOrApproved.selector, id, alice));
        queue.claim(_one(id), alice);
        vm.prank(bob);
        assertEq(queue.claim(_one(id), bob), 4 ether);
        assertEq(bob.balance, 4 ether, "the new owner is paid");
        assertEq(alice.balance, 0, "the old one is not");
    }

    function test_AReceiptTransferredAfterFinalisationPaysTheNewOwner() public {
        uint256 id = _finalisedRequest(alice, 4 ether);
        vm.prank(alice);
        queue.transferFrom(alice, bob, id);
        vm.prank(alice);
        vm.expectRevert(abi.encodeWithSelector(WithdrawalQueue.WithdrawalQueue__NotOwnerOrApproved.selector, id, alice));
        queue.claim(_one(id), alice);
        vm.prank(bob);
        queue.claim(_one(id), bob);
        assertEq(bob.balance, 4 ether);
        assertEq(address(queue).balance, 0);
    }

    function test_AnApprovedOperatorOrAddressClaimsForTheOwnerToARecipientOfItsChoice() public {
        _stake(alice, 10 ether);
        uint256 first = _request(alice, 1 ether, alice);
        uint256 second = _request(alice, 2 ether, alice);
        _processAll();

        vm.prank(alice);
        queue.approve(bob, first);
        vm.prank(bob);
        assertEq(queue.claim(_one(first), carol), 1 ether, "approved for one receipt");
        vm.prank(bob);
        vm.expectRevert(abi.encodeWithSelector(WithdrawalQueue.WithdrawalQueue__NotOwnerOrApproved.selector, second, bob));
        queue.claim(_one(second), carol);

        vm.prank(alice);
        queue.setApprovalForAll(bob, true);
        vm.expectEmit(true, true, true, true, address(queue));
        emit WithdrawalQueue.WithdrawalClaimed(second, alice, carol, 2 ether);
        vm.prank(bob);
        queue.claim(_one(second), carol);
        assertEq(carol.balance, 3 ether, "paid to the recipient the operator named");
        assertEq(bob.balance, 0);
    }

    function test_AnApprovalEndsWhenTheReceiptChangesHands() public {
        uint256 id = _finalisedRequest(alice, 1 ether);
        vm.startPrank(alice);
        queue.approve(carol, id);
        queue.transferFrom(alice, bob, id);
        vm.stopPrank();
        vm.prank(carol);
        vm.expectRevert(abi.encodeWithSelector(WithdrawalQueue.WithdrawalQueue__NotOwnerOrApproved.selector, id, carol));
        queue.claim(_one(id), carol);
    }

    function test_AClaimedReceiptCannotBeClaimedTransferredOrApprovedAgain() public {
        uint256 id = _finalisedRequest(alice, 1 ether);
        vm.prank(alice);
        queue.claim(_one(id), alice);
        assertEq(uint256(queue.requestStatus(id).status), uint256(WithdrawalQueue.RequestStatus.Claimed));

        vm.startPrank(alice);
        vm.expectRevert(abi.encodeWithSelector(WithdrawalQueue.WithdrawalQueue__AlreadyClaimed.selector, id));
        queue.claim(_one(id), alice);
        vm.expectRevert(abi.encodeWithSelector(IERC721Errors.ERC721NonexistentToken.selector, id));
        queue.transferFrom(alice, bob, id);
        vm.expectRevert(abi.encodeWithSelector(IERC721Errors.ERC721NonexistentToken.selector, id));
        queue.approve(bob, id);
        vm.stopPrank();
        vm.expectRevert(abi.encodeWithSelector(IERC721Errors.ERC721NonexistentToken.selector, id));
        queue.ownerOf(id);
        vm.expectRevert(abi.encodeWithSelector(IERC721Errors.ERC721NonexistentToken.selector, id));
        queue.tokenURI(id);
        assertEq(alice.balance, 1 ether, "paid once");
    }

    function test_ClaimsRejectAnEmptyListAZeroRecipientAndUnknownOrPendingIds() public {
        _stake(alice, 10 ether);
        uint256 id = _request(alice, 1 ether, alice);
        vm.startPrank(alice);
        vm.expectRevert(WithdrawalQueue.WithdrawalQueue__NoRequests.selector);
        queue.claim(new uint256[](0), alice);
        vm.expectRevert(WithdrawalQueue.WithdrawalQueue__ZeroAddress.selector);
        queue.claim(_one(id), address(0));
        vm.expectRevert(
            abi.encodeWithSelector(WithdrawalQueue.WithdrawalQueue__NotFinalised.selector, id, WithdrawalQueue.RequestStatus.Pending)
        );
        queue.claim(_one(id), alice);
        vm.expectRevert(
            abi.encodeWithSelector(WithdrawalQueue.WithdrawalQueue__NotFinalised.selector, 7, WithdrawalQueue.RequestStatus.None)
        );
        queue.claim(_one(7), alice);
        vm.stopPrank();
    }

    function testFuzz_AReceiptPaysWhoeverHoldsItWhenClaimed(uint256 amount, bool moveBeforeFinalisation, uint8 how)
        public
    {
        amount = bound(amount, 0.01 ether, 1_000 ether);
        _stake(alice, amount * 2);
        uint256 id = _request(alice, amount, alice);
        if (!moveBeforeFinalisation) _processAll();
        vm.prank(alice);
        queue.transferFrom(alice, bob, id);
        if (moveBeforeFinalisation) _processAll();
        address caller = bob;
        if (how % 3 == 1) {
            vm.prank(bob);
            queue.approve(carol, id);
            caller = carol;
        } else if (how % 3 == 2) {
            vm.prank(bob);
            queue.setApprovalForAll(carol, true);
            caller = carol;
        }
        vm.prank(alice);
        vm.expectRevert(abi.encodeWithSelector(WithdrawalQueue.WithdrawalQueue__NotOwnerOrApproved.selector, id, alice));
        queue.claim(_one(id), alice);
        vm.prank(caller);
        queue.claim(_one(id), bob);
        assertEq(bob.balance, amount, "the holder gets exactly the amount requested (nothing was slashed)");
        assertEq(alice.balance, 0);
        assertEq(address(queue).balance, 0);
    }

    // ------------------------------------------------------------ the pool and the queue

    function test_TheFTMOfAFinalisedRequestLeavesThePoolsBooksForTheQueue() public {
        _stake(alice, 10 ether);
        uint256 id = _request(alice, 4 ether, alice);
        uint256 pooledBefore = pool.totalPooledFTM();
        uint256 idleBefore = pool.idleLiquidity();
        _processAll();
        assertEq(uint256(queue.requestStatus(id).status), uint256(WithdrawalQueue.RequestStatus.Finalised));
        assertEq(address(queue).balance, 4 ether, "set aside in the queue");
        assertEq(pooledBefore - pool.totalPooledFTM(), 4 ether, "and out of the pooled total");
        assertEq(stFTM.totalPooledFTM(), pool.totalPooledFTM());
        assertLe(pool.idleLiquidity() + 4 ether, idleBefore, "not idle either");
        assertEq(stFTM.sharesOf(address(queue)), 0, "the locked shares were burnt");
    }

    function test_OnlyThePoolFinalisesInOrderAndNeverAboveTheAmount() public {
        _stake(alice, 10 ether);
        uint256 first = _request(alice, 1 ether, alice);
        uint256 second = _request(alice, 1 ether, alice);
        vm.deal(alice, 5 ether);
        vm.prank(alice);
        vm.expectRevert(abi.encodeWithSelector(WithdrawalQueue.WithdrawalQueue__OnlyPool.selector, alice));
        queue.finalise{value: 1 ether}(first);

        vm.deal(address(pool), address(pool).balance + 5 ether);
        vm.startPrank(address(pool));
        vm.expectRevert(abi.encodeWithSelector(WithdrawalQueue.WithdrawalQueue__NotNextToFinalise.selector, second));
        queue.finalise{value: 1 ether}(second);
        vm.expectRevert(abi.encodeWithSelector(WithdrawalQueue.WithdrawalQueue__PayoutAboveAmount.selector, 2 ether, 1 ether));
        queue.finalise{value: 2 ether}(first);
        vm.expectRevert(abi.encodeWithSelector(WithdrawalQueue.WithdrawalQueue__NotNextToFinalise.selector, 3));
        queue.finalise{value: 0}(3);
        vm.stopPrank();
        (uint256 next,,) = queue.nextPending();
        assertEq(next, first, "nothing was finalised");
    }

    function test_OnlyTheQueueOpensARequestInThePoolAndOnlyTheQueueLocksShares() public {
        _stake(alice, 10 ether);
        vm.prank(alice);
        vm.expectRevert(abi.encodeWithSelector(StakingPool.StakingPool__OnlyQueue.selector, alice));
        pool.openWithdrawalRequest();
        vm.prank(bob);
        vm.expectRevert(abi.encodeWithSelector(StakedFTM.StakedFTM__OnlyQueue.selector, bob));
        stFTM.lockShares(alice, 1 ether);
        assertEq(stFTM.sharesOf(alice), 10 ether, "nobody but the queue moves a holder's shares without approval");
    }

    function test_RequestsFollowThePausesButClaimsDoNot() public {
        uint256 id = _finalisedRequest(alice, 1 ether);
        vm.prank(guardian);
        pool.pause(PoolSettings.Action.Withdraw);
        vm.startPrank(alice);
        vm.expectRevert(abi.encodeWithSelector(PoolSettings.StakingPool__ActionPaused.selector, PoolSettings.Action.Withdraw));
        queue.requestWithdrawal(1 ether, alice);
        vm.expectRevert(abi.encodeWithSelector(PoolSettings.StakingPool__ActionPaused.selector, PoolSettings.Action.Withdraw));
        queue.requestWithdrawalWrapped(1 ether, alice);
        assertEq(queue.claim(_one(id), alice), 1 ether, "claims are never paused");
        vm.stopPrank();
    }

    // ------------------------------------------------------------ metadata

    function test_TokenURIIsABase64JSONDataURIThatFollowsTheStatus() public {
        _stake(alice, 10 ether);
        uint256 id = _request(alice, 1.5 ether, alice);
        string memory pending = queue.tokenURI(id);
        assertEq(_prefix(pending, 29), "data:application/json;base64,");
        _processAll();
        string memory finalised = queue.tokenURI(id);
        assertEq(_prefix(finalised, 29), "data:application/json;base64,");
        assertNotEq(keccak256(bytes(pending)), keccak256(bytes(finalised)), "the metadata follows the status");
    }

    function test_AmountsAreShownWithAtMostFourDecimalsRoundedDown() public pure {
        assertEq(ReceiptMetadata.formatFTM(0), "0");
        assertEq(ReceiptMetadata.formatFTM(1 ether), "1");
        assertEq(ReceiptMetadata.formatFTM(1.5 ether), "1.5");
        assertEq(ReceiptMetadata.formatFTM(1234.56789 ether), "1234.5678");
        assertEq(ReceiptMetadata.formatFTM(0.0001 ether), "0.0001");
        assertEq(ReceiptMetadata.formatFTM(0.00009 ether), "0");
        assertEq(ReceiptMetadata.formatFTM(10.0201 ether), "10.0201");
        assertEq(ReceiptMetadata.statusName(0), "Unknown");
        assertEq(ReceiptMetadata.statusName(3), "Claimed");
    }

    function test_DatesAreShownAsUTCDays() public pure {
        assertEq(ReceiptMetadata.formatDate(0), "1970-01-01");
        assertEq(ReceiptMetadata.formatDate(951_782_400), "2000-02-29");
        assertEq(ReceiptMetadata.formatDate(1_700_000_000), "2023-11-14");
        assertEq(ReceiptMetadata.formatDate(1_709_251_199), "2024-02-29");
        assertEq(ReceiptMetadata.formatDate(4_102_444_800), "2100-01-01");
    }

    /// @dev The day after any date is the next calendar date: the day grows by one within a month, otherwise
    /// a month (or a year) begins, and month lengths are the Gregorian ones.
    function testFuzz_EachDayIsFollowedByTheNextCalendarDate(uint256 day) public pure {
        day = bound(day, 0, 3_000_000);
        (uint256 y, uint256 m, uint256 d) = ReceiptMetadata.civilDate(day);
        (uint256 y2, uint256 m2, uint256 d2) = ReceiptMetadata.civilDate(day + 1);
        uint256 length = _monthLength(y, m);
        assertTrue(m >= 1 && m <= 12 && d >= 1 && d <= length, "a valid date");
        if (d < length) {
            assertEq(abi.encode(y2, m2, d2), abi.encode(y, m, d + 1));
        } else if (m < 12) {
            assertEq(abi.encode(y2, m2, d2), abi.encode(y, m + 1, uint256(1)));
        } else {
            assertEq(abi.encode(y2, m2, d2), abi.encode(y + 1, uint256(1), uint256(1)));
        }
    }

    function _monthLength(uint256 y, uint256 m) internal pure returns (uint256) {
        if (m == 2) return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0 ? 29 : 28;
        return m == 4 || m == 6 || m == 9 || m == 11 ? 30 : 31;
    }

    function _prefix(string memory s, uint256 n) internal pure returns (string memory) {
        bytes memory b = bytes(s);
        bytes memory out = new bytes(n);
        for (uint256 i; i < n; ++i) {
            out[i] = b[i];
        }
        return string(out);
    }
}
