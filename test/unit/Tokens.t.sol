// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {IERC20Errors} from "@openzeppelin/contracts/interfaces/draft-IERC6093.sol";
import {ERC20Permit} from "@openzeppelin/contracts/token/ERC20/extensions/ERC20Permit.sol";
import {SFCReader} from "../../contracts/libraries/SFCReader.sol";
import {IStakeEntry} from "../../contracts/WrappedStakedFTM.sol";
import {PoolBase} from "../utils/PoolBase.sol";
import {StakedFTM} from "../../contracts/StakedFTM.sol";
import {WrappedStakedFTM} from "../../contracts/WrappedStakedFTM.sol";

contract TokensTest is PoolBase {
    function setUp() public {
        _deploy(2);
        _stake(alice, 100 ether);
        _processAll();
        _seal(2, 20 ether);
        vm.warp(block.timestamp + 1 days);
        _processAll();
        _vestRewards(); // the rate is now above 1
    }

    function test_StFTMHasTheUsualMetadataAndSupplyEqualsPooledFTM() public view {
        assertEq(stFTM.name(), "Staked S");
        assertEq(stFTM.symbol(), "stS");
        assertEq(stFTM.decimals(), 18);
        assertEq(stFTM.totalSupply(), pool.totalPooledFTM());
        assertGt(pool.getRate(), 1e18);
    }

    function test_BalancesGrowWithRewardsWhileSharesStayFixed() public {
        uint256 shares = stFTM.sharesOf(alice);
        uint256 balance = stFTM.balanceOf(alice);
        _seal(1, 20 ether);
        vm.warp(block.timestamp + 1 days);
        _processAll();
        assertEq(stFTM.sharesOf(alice), shares);
        assertGt(stFTM.balanceOf(alice), balance);
    }

    function test_ATransferMovesSharesWorthTheAmount() public {
        uint256 shares = stFTM.sharesForAmount(10 ether);
        vm.expectEmit(true, true, false, true, address(stFTM));
        emit StakedFTM.TransferShares(alice, bob, shares);
        vm.prank(alice);
        stFTM.transfer(bob, 10 ether);
        assertEq(stFTM.sharesOf(bob), shares);
        assertApproxEqAbs(stFTM.balanceOf(bob), 10 ether, 2, "two roundings down, both in favour of the pool");
    }

    function test_ATransferOfMoreThanTheBalanceReverts() public {
        uint256 balance = stFTM.balanceOf(bob);
        vm.prank(bob);
        vm.expectRevert();
        stFTM.transfer(alice, balance + 1 ether);
    }

    function test_TransfersToTheZeroAddressRevert() public {
        vm.prank(alice);
        vm.expectRevert(abi.encodeWithSelector(IERC20Errors.ERC20InvalidReceiver.selector, address(0)));
        stFTM.transfer(address(0), 1 ether);
    }

    function test_TransferFromSpendsTheAllowanceInFTM() public {
        vm.prank(alice);
        stFTM.approve(bob, 5 ether);
        vm.prank(bob);
        stFTM.transferFrom(alice, carol, 3 ether);
        assertEq(stFTM.allowance(alice, bob), 2 ether);
        vm.prank(bob);
        vm.expectRevert(abi.encodeWithSelector(IERC20Errors.ERC20InsufficientAllowance.selector, bob, 2 ether, 3 ether));
        stFTM.transferFrom(alice, carol, 3 ether);
    }

    function test_AnInfiniteAllowanceIsNotSpent() public {
        vm.prank(alice);
        stFTM.approve(bob, type(uint256).max);
        vm.prank(bob);
        stFTM.transferFrom(alice, carol, 3 ether);
        assertEq(stFTM.allowance(alice, bob), type(uint256).max);
    }

    function test_ApprovingTheZeroAddressReverts() public {
        vm.prank(alice);
        vm.expectRevert(abi.encodeWithSelector(IERC20Errors.ERC20InvalidSpender.selector, address(0)));
        stFTM.approve(address(0), 1);
    }

    function test_TransferSharesAndTransferSharesFromMoveExactShares() public {
        vm.prank(alice);
        uint256 amount = stFTM.transferShares(bob, 1 ether);
        assertEq(stFTM.sharesOf(bob), 1 ether);
        assertEq(amount, stFTM.amountForShares(1 ether));
        vm.prank(alice);
        stFTM.approve(carol, amount + 1);
        vm.prank(carol);
        stFTM.transferSharesFrom(alice, carol, 1 ether);
        assertEq(stFTM.sharesOf(carol), 1 ether);
        assertLe(stFTM.allowance(alice, carol), 1, "spent the value rounded up");
    }

    function test_OnlyThePoolMintsBurnsAndRebasesAndOnlyTheQueueLocks() public {
        bytes memory err = abi.encodeWithSelector(StakedFTM.StakedFTM__OnlyPool.selector, address(this));
        vm.expectRevert(err);
        stFTM.mintForDeposit(alice, 1 ether, 0);
        vm.expectRevert(abi.encodeWithSelector(StakedFTM.StakedFTM__OnlyQueue.selector, address(this)));
        stFTM.lockShares(alice, 1);
        vm.prank(address(pool));
        vm.expectRevert(abi.encodeWithSelector(StakedFTM.StakedFTM__OnlyQueue.selector, address(pool)));
        stFTM.lockShares(alice, 1);
        vm.expectRevert(err);
        stFTM.burnLocked(1, 1);
        vm.expectRevert(err);
        stFTM.rebase(1, alice, 0);
    }

    function test_ThePoolIsBoundOnceByTheDeployer() public {
        vm.expectRevert(StakedFTM.StakedFTM__AlreadyBound.selector);
        stFTM.bindPool(alice, alice);
        vm.prank(alice);
        vm.expectRevert(abi.encodeWithSelector(StakedFTM.StakedFTM__NotDeployer.selector, alice));
        stFTM.bindPool(alice, alice);
        StakedFTM fresh = _newStakedToken();
        vm.expectRevert(StakedFTM.StakedFTM__AlreadyBound.selector);
        fresh.bindPool(alice, address(0));
    }

    function testFuzz_TransfersNeverCreateValue(uint256 amount) public {
        amount = bound(amount, 1, stFTM.balanceOf(alice));
        uint256 before = stFTM.balanceOf(alice) + stFTM.balanceOf(bob);
        vm.prank(alice);
        stFTM.transfer(bob, amount);
        assertLe(stFTM.balanceOf(alice) + stFTM.balanceOf(bob), before);
        assertLe(stFTM.balanceOf(bob), amount);
    }

    // ---------------------------------------------------------------- wstFTM

    function test_WrapGivesOneWstFTMPerShareAndUnwrapGivesItBack() public {
        vm.startPrank(alice);
        stFTM.approve(address(wst), 10 ether);
        uint256 shares = stFTM.sharesForAmount(10 ether);
        uint256 minted = wst.wrap(10 ether);
        assertEq(minted, shares);
        assertEq(wst.balanceOf(alice), shares);
        assertApproxEqAbs(wst.stFTMPerToken(), pool.getRate(), 1);
        uint256 back = wst.unwrap(minted);
        vm.stopPrank();
        assertApproxEqAbs(back, 10 ether, 2, "two roundings down, both in favour of the pool");
        assertEq(wst.totalSupply(), 0);
    }

    function test_WrapAndUnwrapOfZeroRevert() public {
        vm.startPrank(alice);
        vm.expectRevert(WrappedStakedFTM.WrappedStakedFTM__ZeroAmount.selector);
        wst.wrap(0);
        vm.expectRevert(WrappedStakedFTM.WrappedStakedFTM__ZeroAmount.selector);
        wst.unwrap(0);
        vm.stopPrank();
    }

    function test_WstFTMBalanceStaysFixedWhileItsValueGrows() public {
        vm.deal(bob, 10 ether);
        vm.prank(bob);
        uint256 minted = wst.stakeAndWrap{value: 10 ether}(bob);
        uint256 perToken = wst.stFTMPerToken();
        _seal(1, 20 ether);
        vm.warp(block.timestamp + 1 days);
        _processAll();
        _vestRewards();
        assertEq(wst.balanceOf(bob), minted);
        assertGt(wst.stFTMPerToken(), perToken);
    }

    function test_MovingMoreSharesThanHeldReverts() public {
        uint256 held = stFTM.sharesOf(alice);
        vm.prank(alice);
        vm.expectRevert(abi.encodeWithSelector(IERC20Errors.ERC20InsufficientBalance.selector, alice, held, held + 1));
        stFTM.transferShares(bob, held + 1);
    }

    function test_VotesUseATimestampClock() public {
        assertEq(wst.clock(), uint48(block.timestamp));
        assertEq(wst.CLOCK_MODE(), "mode=timestamp");
        vm.deal(bob, 10 ether);
        vm.startPrank(bob);
        uint256 minted = wst.stakeAndWrap{value: 10 ether}(bob);
        wst.delegate(bob);
        vm.stopPrank();
        uint256 t = block.timestamp;
        vm.warp(t + 10);
        assertEq(wst.getPastVotes(bob, t), minted);
        assertEq(wst.getVotes(bob), minted);
    }

    function test_PermitApprovesBySignature() public {
        (address owner, uint256 key) = _holderOfWrapped("permit-owner");
        bytes32 typehash =
            keccak256("Permit(address owner,address spender,uint256 value,uint256 nonce,uint256 deadline)");
        bytes32 digest = keccak256(
            abi.encodePacked(
                "\x19\x01",
                wst.DOMAIN_SEPARATOR(),
                keccak256(abi.encode(typehash, owner, bob, 1 ether, wst.nonces(owner), block.timestamp + 1))
            )
        );
        (uint8 v, bytes32 r, bytes32 s) = vm.sign(key, digest);
        wst.permit(owner, bob, 1 ether, block.timestamp + 1, v, r, s);
        assertEq(wst.allowance(owner, bob), 1 ether);
        assertEq(wst.nonces(owner), 1);
    }

    // ------------------------------------------------------------ names from the deployment parameters

    bytes32 private constant PERMIT_TYPEHASH =
        keccak256("Permit(address owner,address spender,uint256 value,uint256 nonce,uint256 deadline)");

    /// @dev The EIP-712 domain a wallet builds from the token's name, independently of the contract.
    function _domain(string memory name, address token) private view returns (bytes32) {
        return keccak256(
            abi.encode(
                keccak256("EIP712Domain(string name,string version,uint256 chainId,address verifyingContract)"),
                keccak256(bytes(name)),
                keccak256("1"),
                block.chainid,
                token
            )
        );
    }

    /// @dev A fresh account with its signing key, holding the wstFTM of a 10 FTM stake-and-wrap.
    function _holderOfWrapped(string memory label) private returns (address owner, uint256 key) {
        (owner, key) = makeAddrAndKey(label);
        vm.deal(owner, 10 ether);
        vm.prank(owner);
        wst.stakeAndWrap{value: 10 ether}(owner);
    }

    function _signPermit(uint256 key, address owner, string memory domainName, uint256 value, uint256 deadline)
        private
        view
        returns (uint8 v, bytes32 r, bytes32 s)
    {
        bytes32 structHash = keccak256(abi.encode(PERMIT_TYPEHASH, owner, bob, value, wst.nonces(owner), deadline));
        return vm.sign(key, keccak256(abi.encodePacked("\x19\x01", _domain(domainName, address(wst)), structHash)));
    }

    function test_OnSonicTheTokensAreStakedSAndWrappedStakedS() public view {
        assertEq(stFTM.name(), "Staked S");
        assertEq(stFTM.symbol(), "stS");
        assertEq(wst.name(), "Wrapped Staked S");
        assertEq(wst.symbol(), "wstS");
        (, string memory domainName, string memory version,, address verifying,,) = wst.eip712Domain();
        assertEq(domainName, "Wrapped Staked S", "the EIP-712 name is the token name");
        assertEq(version, "1");
        assertEq(verifying, address(wst));
    }

    function test_APermitSignedOverTheTokensOwnNameApproves() public {
        (address owner, uint256 key) = _holderOfWrapped("permit-named");
        uint256 deadline = block.timestamp + 1;
        (uint8 v, bytes32 r, bytes32 s) = _signPermit(key, owner, "Wrapped Staked S", 2 ether, deadline);
        wst.permit(owner, bob, 2 ether, deadline, v, r, s);
        assertEq(wst.allowance(owner, bob), 2 ether);
        vm.prank(bob);
        wst.transferFrom(owner, bob, 2 ether);
        assertEq(wst.balanceOf(bob), 2 ether, "the spender used the permit");
    }

    function test_APermitSignedForTheOtherChainsNameIsRejected() public {
        (address owner, uint256 key) = _holderOfWrapped("permit-wrong-name");
        uint256 deadline = block.timestamp + 1;
        (uint8 v, bytes32 r, bytes32 s) = _signPermit(key, owner, "Wrapped Staked FTM", 2 ether, deadline);
        address recovered = ecrecover(
            keccak256(
                abi.encodePacked(
                    "\x19\x01",
                    wst.DOMAIN_SEPARATOR(),
                    keccak256(abi.encode(PERMIT_TYPEHASH, owner, bob, 2 ether, wst.nonces(owner), deadline))
                )
            ),
            v,
            r,
            s
        );
        vm.expectRevert(abi.encodeWithSelector(ERC20Permit.ERC2612InvalidSigner.selector, recovered, owner));
        wst.permit(owner, bob, 2 ether, deadline, v, r, s);
        assertEq(wst.allowance(owner, bob), 0, "a bystander cannot spend on a signature for another domain");
        assertEq(wst.nonces(owner), 0);
    }

    function test_OnOperaTheTokensAreStakedFTMAndWrappedStakedFTMAndPermitsUseThatName() public {
        delete ids;
        _deployWithLayout(2, SFCReader.Layout.Opera);
        assertEq(stFTM.name(), "Staked FTM");
        assertEq(stFTM.symbol(), "stFTM");
        assertEq(wst.name(), "Wrapped Staked FTM");
        assertEq(wst.symbol(), "wstFTM");
        (address owner, uint256 key) = _holderOfWrapped("permit-opera");
        uint256 deadline = block.timestamp + 1;
        (uint8 v, bytes32 r, bytes32 s) = _signPermit(key, owner, "Wrapped Staked FTM", 1 ether, deadline);
        wst.permit(owner, bob, 1 ether, deadline, v, r, s);
        assertEq(wst.allowance(owner, bob), 1 ether);
    }

    function test_TokensRefuseAnEmptyNameOrSymbol() public {
        vm.expectRevert(StakedFTM.StakedFTM__EmptyName.selector);
        new StakedFTM("", "stS");
        vm.expectRevert(StakedFTM.StakedFTM__EmptyName.selector);
        new StakedFTM("Staked S", "");
        vm.expectRevert(WrappedStakedFTM.WrappedStakedFTM__EmptyName.selector);
        new WrappedStakedFTM(stFTM, IStakeEntry(address(pool)), "", "wstS");
        vm.expectRevert(WrappedStakedFTM.WrappedStakedFTM__EmptyName.selector);
        new WrappedStakedFTM(stFTM, IStakeEntry(address(pool)), "Wrapped Staked S", "");
    }
}

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
        token.bindPool(address(this), address(this)); // the test plays both the pool and the queue

        vm.expectRevert(abi.encodeWithSelector(IERC20Errors.ERC20InvalidReceiver.selector, address(0)));
        token.mintForDeposit(address(0), 1 ether, 0);

        token.mintForDeposit(alice, 10 ether, 0);
        token.lockShares(alice, 4 ether);
        assertEq(token.sharesOf(address(this)), 4 ether, "locked shares sit with the queue");
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
