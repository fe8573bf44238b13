// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {Vm} from "forge-std/Vm.sol";
import {PoolBase} from "./utils/PoolBase.sol";
import {ISFC} from "../contracts/interfaces/ISFC.sol";
import {SFCReader} from "../contracts/libraries/SFCReader.sol";
import {StakedFTM} from "../contracts/StakedFTM.sol";
import {WrappedStakedFTM, IStakeEntry} from "../contracts/WrappedStakedFTM.sol";
import {StakingPool} from "../contracts/StakingPool.sol";

/// @dev Paths of the pool the main suite does not take: deployment and initialisation mistakes, zero
/// addresses in withdrawals and claims, the bounds of two settings, an SFC that reports a refund ratio
/// above 100 %, and SFC calls that revert during a rebalance.
contract StakingPoolEdgeCasesTest is PoolBase {
    function setUp() public {
        _deploy(4);
    }

    function _newPool(StakedFTM token, address admin, address treasury_, uint256 fee) internal returns (StakingPool) {
        return new StakingPool(ISFC(address(sfc)), SFCReader.Layout.Sonic, token, registry, planner, admin, treasury_, fee);
    }

    // ------------------------------------------------------------ deployment

    function test_DeploymentRejectsAZeroAdminOrTreasuryAndAFeeAboveTheCap() public {
        StakedFTM token = _newStakedToken();
        vm.expectRevert(StakingPool.StakingPool__ZeroAddress.selector);
        _newPool(token, address(0), treasury, FEE_BPS);
        vm.expectRevert(StakingPool.StakingPool__ZeroAddress.selector);
        _newPool(token, address(this), address(0), FEE_BPS);
        vm.expectRevert(abi.encodeWithSelector(StakingPool.StakingPool__FeeTooHigh.selector, 2_001, 2_000));
        _newPool(token, address(this), treasury, 2_001);

        StakingPool p = _newPool(token, address(this), treasury, 2_000);
        assertEq(p.feeBps(), 2_000, "the cap itself is allowed");
        assertEq(p.treasury(), treasury);
        assertTrue(p.hasRole(p.DEFAULT_ADMIN_ROLE(), address(this)));
    }

    function test_AFreshPoolTakesNoStakeUntilInitialisedWithOneFTMAndAWrapper() public {
        StakedFTM token = _newStakedToken();
        StakingPool p = _newPool(token, address(this), treasury, FEE_BPS);
        token.bindPool(address(p));
        WrappedStakedFTM w = _newWrapper(token, IStakeEntry(address(p)));

        vm.deal(alice, 10 ether);
        vm.prank(alice);
        vm.expectRevert(StakingPool.StakingPool__NotInitialised.selector);
        p.stake{value: 1 ether}(alice);

        vm.expectRevert(abi.encodeWithSelector(StakingPool.StakingPool__BelowMinStake.selector, 0.5 ether, 1 ether));
        p.initialise{value: 0.5 ether}(w);
        vm.expectRevert(StakingPool.StakingPool__ZeroAddress.selector);
        p.initialise{value: 1 ether}(WrappedStakedFTM(address(0)));
        assertEq(token.totalShares(), 0, "the failed attempts minted nothing");
        assertEq(address(p.wstFTM()), address(0), "and bound no wrapper");

        p.initialise{value: 1 ether}(w);
        assertEq(address(p.wstFTM()), address(w));
        assertEq(token.sharesOf(p.DEAD()), 1 ether, "dead shares");
        vm.prank(alice);
        assertEq(p.stake{value: 1 ether}(alice), 1 ether, "staking works once initialised");
        assertEq(token.balanceOf(alice), 1 ether);
        assertEq(p.totalPooledFTM(), 2 ether);
    }

    // ------------------------------------------------------------ withdrawals

    function test_AWithdrawalRequestForTheZeroAddressRevertsAndLocksNothing() public {
        _stake(alice, 10 ether);
        uint256 nextId = pool.nextRequestId();

        vm.prank(alice);
        vm.expectRevert(StakingPool.StakingPool__ZeroAddress.selector);
        pool.requestWithdrawal(4 ether, address(0));

        vm.startPrank(alice);
        stFTM.approve(address(wst), 5 ether);
        uint256 wrapped = wst.wrap(5 ether);
        wst.approve(address(pool), wrapped);
        vm.expectRevert(StakingPool.StakingPool__ZeroAddress.selector);
        pool.requestWithdrawalWrapped(wrapped, address(0));
        vm.stopPrank();

        assertEq(wst.balanceOf(alice), wrapped, "the wrapped tokens stay with the holder");
        assertEq(stFTM.balanceOf(alice), 5 ether, "and so does the rest of the stake");
        assertEq(pool.nextRequestId(), nextId, "no request recorded");
        assertEq(pool.pendingWithdrawals(), 0);
        assertEq(pool.reservedFTM(), 0);
    }

    function test_AClaimToTheZeroAddressRevertsAndTheRequestStaysClaimable() public {
        _stake(alice, 10 ether);
        vm.prank(alice);
        uint256 id = pool.requestWithdrawal(4 ether, alice);
        _processAll();
        uint256[] memory list = new uint256[](1);
        list[0] = id;

        vm.prank(alice);
        vm.expectRevert(StakingPool.StakingPool__ZeroAddress.selector);
        pool.claim(list, address(0));
        assertEq(uint256(pool.withdrawalRequest(id).status), uint256(StakingPool.RequestStatus.Finalised));
        assertEq(pool.reservedFTM(), 4 ether, "still reserved for the request");

        uint256 before = alice.balance;
        vm.prank(alice);
        assertEq(pool.claim(list, alice), 4 ether);
        assertEq(alice.balance - before, 4 ether);
        assertEq(pool.reservedFTM(), 0);
    }

    // ------------------------------------------------------------ settings

    function test_TheRebalanceThresholdAndTheUndelegationCapAreBounded() public {
        vm.expectRevert(
            abi.encodeWithSelector(
                StakingPool.StakingPool__ValueOutOfRange.selector, bytes32("rebalanceThresholdBps"), 10_001
            )
        );
        pool.setRebalanceThresholdBps(10_001);
        pool.setRebalanceThresholdBps(10_000);
        assertEq(pool.rebalanceThresholdBps(), 10_000, "100 % is the largest threshold");

        uint256 tooMuch = uint256(type(uint128).max) + 1;
        vm.expectRevert(
            abi.encodeWithSelector(
                StakingPool.StakingPool__ValueOutOfRange.selector, bytes32("maxUndelegatePerRound"), tooMuch
            )
        );
        pool.setMaxUndelegatePerRound(tooMuch);
        pool.setMaxUndelegatePerRound(type(uint128).max);
        assertEq(pool.maxUndelegatePerRound(), type(uint128).max, "the round's drift counter is 128 bits");
    }

    // ------------------------------------------------------------ slashing

    /// @dev The SFC caps refund ratios at 1e18; should it ever report more, the pool books a full refund,
    /// never a gain.
    function test_ARefundRatioAboveOneFromTheSFCIsBookedAsAFullRefund() public {
        _stake(alice, 400 ether);
        _processAll();
        uint256 pooledBefore = pool.totalPooledFTM();
        uint256 rateBefore = _rate();
        uint256 stakeBefore = pool.stakeOf(ids[0]);
        assertGt(stakeBefore, 0);

        sfc.slash(ids[0]);
        vm.mockCall(
            address(sfc), abi.encodeWithSelector(ISFC.slashingRefundRatio.selector, ids[0]), abi.encode(uint256(2e18))
        );
        vm.expectEmit(true, false, false, true, address(pool));
        emit StakingPool.SlashingBooked(ids[0], 1e18, 0, false);
        vm.prank(operator);
        pool.process(1_000);

        StakingPool.Book memory b = pool.bookOf(ids[0]);
        assertTrue(b.slashed);
        assertEq(b.refundRatio, 1e18, "capped at a full refund");
        assertEq(pool.totalPooledFTM(), pooledBefore, "no gain booked");
        assertEq(_rate(), rateBefore, "the rate does not move");
    }

    // ------------------------------------------------------------ moves the SFC refuses

    /// @dev Runs a whole keeper round, which must complete despite the refusal, and returns the MoveFailed
    /// event it emitted for `validatorId`.
    function _roundWithARefusal(uint256 validatorId)
        private
        returns (bool seen, bool isDelegate, uint256 amount, bytes memory logged)
    {
        vm.recordLogs();
        vm.prank(operator);
        (, bool done) = pool.process(1_000);
        assertTrue(done, "one refusing validator does not block the round");
        return _moveFailed(vm.getRecordedLogs(), validatorId);
    }

    function test_ADelegationTheSFCRefusesIsReportedAndTheOthersStillGetTheirs() public {
        _stake(alice, 400 ether);
        bytes memory reason = abi.encodeWithSignature("Error(string)", "validator full");
        vm.mockCallRevert(address(sfc), abi.encodeWithSelector(ISFC.delegate.selector, ids[0]), reason);

        (bool seen, bool isDelegate, uint256 amount, bytes memory logged) = _roundWithARefusal(ids[0]);
        assertTrue(seen, "MoveFailed emitted");
        assertTrue(isDelegate);
        assertEq(amount, 100.25 ether, "its share of 401 FTM");
        assertEq(logged, reason, "with the SFC's revert data");

        assertEq(pool.bookOf(ids[0]).stakeRaw, 0, "nothing booked at the refusing validator");
        assertEq(sfc.getStake(address(pool), ids[0]), 0);
        for (uint256 i = 1; i < ids.length; ++i) {
            assertEq(sfc.getStake(address(pool), ids[i]), 100.25 ether, "the others get their targets");
            assertEq(pool.bookOf(ids[i]).stakeRaw, 100.25 ether, "books agree with the SFC");
        }
        assertEq(pool.idleLiquidity(), 100.25 ether, "the refused FTM stays idle");
        assertEq(pool.totalPooledFTM(), 401 ether, "nothing lost");
    }

    function test_AnUndelegationTheSFCRefusesIsReportedAndLeavesItsBookAsItWas() public {
        _stake(alice, 400 ether);
        _processAll();
        vm.prank(alice);
        uint256 id = pool.requestWithdrawal(200 ether, alice);
        StakingPool.Book memory before = pool.bookOf(ids[0]);
        bytes memory reason = abi.encodeWithSignature("Error(string)", "busy");
        vm.mockCallRevert(address(sfc), abi.encodeWithSelector(ISFC.undelegate.selector, ids[0]), reason);

        (bool seen, bool isDelegate, uint256 amount, bytes memory logged) = _roundWithARefusal(ids[0]);
        assertTrue(seen, "MoveFailed emitted");
        assertFalse(isDelegate);
        assertGt(amount, 0);
        assertEq(logged, reason);

        StakingPool.Book memory afterwards = pool.bookOf(ids[0]);
        assertEq(afterwards.stakeRaw, before.stakeRaw, "stake booked as before");
        assertEq(afterwards.unbondingRaw, before.unbondingRaw, "nothing booked as unbonding");
        assertEq(sfc.getStake(address(pool), ids[0]), before.stakeRaw, "books agree with the SFC");
        uint256 unbondingElsewhere;
        for (uint256 i; i < pool.unbondingCount(); ++i) {
            StakingPool.Unbonding memory u = pool.unbondingAt(i);
            assertTrue(u.validatorId != ids[0], "no unbonding at the refusing validator");
            unbondingElsewhere += u.amount;
        }
        assertGt(unbondingElsewhere, 0, "the others undelegated");
        assertEq(uint256(pool.withdrawalRequest(id).status), uint256(StakingPool.RequestStatus.Pending));
    }

    function test_ThePoolsConversionViewsAreTheTokens() public {
        _stake(alice, 100 ether);
        _processAll();
        _seal(2, 20 ether);
        vm.warp(block.timestamp + 1 days);
        _processAll();
        _vestRewards();
        assertGt(_rate(), 1e18, "rewards booked");
        uint256 shares = pool.sharesForAmount(10 ether);
        assertEq(shares, stFTM.sharesForAmount(10 ether));
        assertLt(shares, 10 ether, "10 FTM buy fewer than 10e18 shares once the rate is above 1");
        assertEq(pool.amountForShares(shares), stFTM.amountForShares(shares));
        assertLe(pool.amountForShares(shares), 10 ether, "rounded down, in favour of the pool");
    }

    function _moveFailed(Vm.Log[] memory logs, uint256 validatorId)
        internal
        view
        returns (bool seen, bool isDelegate, uint256 amount, bytes memory reason)
    {
        for (uint256 i; i < logs.length; ++i) {
            if (logs[i].emitter != address(pool) || logs[i].topics[0] != StakingPool.MoveFailed.selector) continue;
            if (uint256(logs[i].topics[1]) != validatorId) continue;
            (isDelegate, amount, reason) = abi.decode(logs[i].data, (bool, uint256, bytes));
            return (true, isDelegate, amount, reason);
        }
    }
}
