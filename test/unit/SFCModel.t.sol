// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {Test} from "forge-std/Test.sol";
import {ISFC, IOperaSFCConstants} from "../../contracts/interfaces/ISFC.sol";
import {SFCReader} from "../../contracts/libraries/SFCReader.sol";
import {SFCModel, SFCConstantsModel} from "../../contracts/testing/SFCModel.sol";
import {SFCReader__Harness} from "../../contracts/testing/SFCReader__Harness.sol";
import {FTMRefuser} from "../../contracts/testing/Attackers.sol";

/// @dev Each rule of the SFC that the protocol relies on, shown on the model.
contract SFCModelTest is Test {
    SFCModel internal sfc;
    address internal auth = makeAddr("auth");
    address internal delegator = makeAddr("delegator");
    uint256 internal id;

    function setUp() public {
        vm.warp(1_700_000_000);
        sfc = new SFCModel(SFCReader.Layout.Sonic);
        id = _validator(auth, 1_000 ether);
        vm.deal(delegator, 100_000 ether);
    }

    function _validator(address who, uint256 selfStake) internal returns (uint256) {
        vm.deal(who, who.balance + selfStake);
        vm.prank(who);
        sfc.createValidator{value: selfStake}("");
        return sfc.getValidatorID(who);
    }

    function _delegate(address who, uint256 validatorId, uint256 amount) internal {
        vm.prank(who);
        sfc.delegate{value: amount}(validatorId);
    }

    function test_AValidatorNeedsTheMinimumSelfStake() public {
        address poor = makeAddr("poor");
        vm.deal(poor, 99 ether);
        vm.prank(poor);
        vm.expectRevert(SFCModel.InsufficientSelfStake.selector);
        sfc.createValidator{value: 99 ether}("");
        assertEq(sfc.getSelfStake(id), 1_000 ether);
        vm.deal(auth, 100 ether);
        vm.prank(auth);
        vm.expectRevert(SFCModel.ValidatorExists.selector);
        sfc.createValidator{value: 100 ether}("");
    }

    function test_DelegationUpToTheLimitPassesAndOneWeiMoreReverts() public {
        // limit: 1,000 × 16 = 16,000 received in total, self-stake included.
        _delegate(delegator, id, 15_000 ether);
        vm.prank(delegator);
        vm.expectRevert(SFCModel.ValidatorDelegationLimitExceeded.selector);
        sfc.delegate{value: 1}(id);
    }

    function test_DelegatingZeroOrToAnUnknownOrInactiveValidatorReverts() public {
        vm.startPrank(delegator);
        vm.expectRevert(SFCModel.ZeroAmount.selector);
        sfc.delegate{value: 0}(id);
        vm.expectRevert(SFCModel.ValidatorNotExists.selector);
        sfc.delegate{value: 1 ether}(42);
        vm.stopPrank();
        sfc.deactivateValidator(id, 8);
        vm.prank(delegator);
        vm.expectRevert(SFCModel.ValidatorNotActive.selector);
        sfc.delegate{value: 1 ether}(id);
    }

    function test_RewardsArePaidProRataToStakeMinusTheValidatorsCommission() public {
        _delegate(delegator, id, 3_000 ether); // received 4,000: 1,000 self, 3,000 delegated
        sfc.sealEpoch{value: 100 ether}();
        // Delegated share 75 FTM, commission 15 % of it = 11.25 FTM to the validator.
        assertApproxEqAbs(sfc.pendingRewards(delegator, id), 63.75 ether, 1e6);
        assertApproxEqAbs(sfc.pendingRewards(auth, id), 36.25 ether, 1e6);
        assertEq(sfc.currentSealedEpoch(), 1);
        assertEq(sfc.currentEpoch(), 2);
    }

    function test_RewardsAreSplitAcrossValidatorsByReceivedStake() public {
        uint256 other = _validator(makeAddr("other"), 3_000 ether);
        sfc.sealEpoch{value: 40 ether}();
        assertApproxEqAbs(sfc.pendingRewards(auth, id), 10 ether, 1e6);
        assertApproxEqAbs(sfc.pendingRewards(makeAddr("other"), other), 30 ether, 1e6);
    }

    function test_ClaimRewardsRevertsWhenThereAreNone() public {
        _delegate(delegator, id, 1_000 ether);
        vm.prank(delegator);
        vm.expectRevert(SFCModel.ZeroRewards.selector);
        sfc.claimRewards(id);
        vm.prank(delegator);
        vm.expectRevert(SFCModel.ZeroRewards.selector);
        sfc.restakeRewards(id);
    }

    function test_ClaimRewardsPaysByCall() public {
        _delegate(delegator, id, 1_000 ether);
        sfc.sealEpoch{value: 10 ether}();
        uint256 pending = sfc.pendingRewards(delegator, id);
        uint256 before = delegator.balance;
        vm.prank(delegator);
        sfc.claimRewards(id);
        assertEq(delegator.balance - before, pending);
        assertEq(sfc.pendingRewards(delegator, id), 0);
    }

    function test_RestakeRewardsAddsThemToTheStake() public {
        _delegate(delegator, id, 1_000 ether);
        sfc.sealEpoch{value: 10 ether}();
        uint256 pending = sfc.pendingRewards(delegator, id);
        vm.prank(delegator);
        sfc.restakeRewards(id);
        assertEq(sfc.getStake(delegator, id), 1_000 ether + pending);
    }

    function test_WithdrawNeedsBothTheEpochsAndTheTimeOfTheWithdrawalPeriod() public {
        _delegate(delegator, id, 1_000 ether);
        vm.prank(delegator);
        sfc.undelegate(id, 7, 400 ether);
        assertEq(sfc.getStake(delegator, id), 600 ether);
        (uint256 epoch, uint256 time, uint256 amount) = sfc.getWithdrawalRequest(delegator, id, 7);
        assertEq(epoch, 1);
        assertEq(time, block.timestamp);
        assertEq(amount, 400 ether);

        sfc.sealEpochs(3); // epochs enough, time not
        vm.prank(delegator);
        vm.expectRevert(SFCModel.NotEnoughTimePassed.selector);
        sfc.withdraw(id, 7);

        SFCModel fresh = new SFCModel(SFCReader.Layout.Sonic);
        uint256 v = _validatorOn(fresh);
        vm.prank(delegator);
        fresh.delegate{value: 10 ether}(v);
        vm.prank(delegator);
        fresh.undelegate(v, 1, 10 ether);
        vm.warp(block.timestamp + 7 days); // time enough, epochs not
        vm.prank(delegator);
        vm.expectRevert(SFCModel.NotEnoughEpochsPassed.selector);
        fresh.withdraw(v, 1);

        uint256 before = delegator.balance;
        vm.prank(delegator);
        sfc.withdraw(id, 7); // both now
        assertEq(delegator.balance - before, 400 ether);
        vm.prank(delegator);
        vm.expectRevert(SFCModel.RequestNotExists.selector);
        sfc.withdraw(id, 7);
    }

    function _validatorOn(SFCModel m) internal returns (uint256) {
        address a = makeAddr("fresh-auth");
        vm.deal(a, 1_000 ether);
        vm.prank(a);
        m.createValidator{value: 1_000 ether}("");
        return m.getValidatorID(a);
    }

    function test_AReusedWithdrawalRequestIdReverts() public {
        _delegate(delegator, id, 1_000 ether);
        vm.startPrank(delegator);
        sfc.undelegate(id, 1, 1 ether);
        vm.expectRevert(SFCModel.RequestExists.selector);
        sfc.undelegate(id, 1, 1 ether);
        vm.expectRevert(SFCModel.ZeroAmount.selector);
        sfc.undelegate(id, 2, 0);
        vm.expectRevert(SFCModel.NotEnoughStake.selector);
        sfc.undelegate(id, 2, 5_000 ether);
        vm.stopPrank();
    }

    function test_DeactivationStopsRewardsAndStartsTheWithdrawalPeriodEarlier() public {
        _delegate(delegator, id, 1_000 ether);
        sfc.deactivateValidator(id, 8);
        vm.warp(block.timestamp + 6 days);
        sfc.sealEpoch{value: 10 ether}();
        assertEq(sfc.pendingRewards(delegator, id), 0, "no rewards once deactivated");
        sfc.sealEpochs(3);
        vm.prank(delegator);
        sfc.undelegate(id, 1, 1_000 ether);
        vm.warp(block.timestamp + 1 days); // 7 days after the deactivation, 1 day after the request
        uint256 before = delegator.balance;
        vm.prank(delegator);
        sfc.withdraw(id, 1);
        assertEq(delegator.balance - before, 1_000 ether);
    }

    function test_SlashingWithRefundRatioZeroMakesWithdrawRevertAndAHalfRatioPaysHalf() public {
        _delegate(delegator, id, 1_000 ether);
        vm.prank(delegator);
        sfc.undelegate(id, 1, 500 ether);
        sfc.slash(id);
        assertTrue(sfc.isSlashed(id));
        assertEq(sfc.getStake(delegator, id), 500 ether, "stake is not reduced until withdraw");
        vm.warp(block.timestamp + 7 days);
        sfc.sealEpochs(3);
        vm.prank(delegator);
        vm.expectRevert(SFCModel.StakeIsFullySlashed.selector);
        sfc.withdraw(id, 1);
        sfc.updateSlashingRefundRatio(id, 0.5e18);
        uint256 before = delegator.balance;
        vm.prank(delegator);
        sfc.withdraw(id, 1);
        assertEq(delegator.balance - before, 250 ether);
        vm.expectRevert(SFCModel.RefundRatioTooHigh.selector);
        sfc.updateSlashingRefundRatio(id, 1e18 + 1);
    }

    function test_PaymentIsByCallAndARefusingRecipientMakesWithdrawRevert() public {
        FTMRefuser refuser = new FTMRefuser();
        vm.deal(address(refuser), 10 ether);
        vm.prank(address(refuser));
        sfc.delegate{value: 10 ether}(id);
        vm.prank(address(refuser));
        sfc.undelegate(id, 1, 10 ether);
        vm.warp(block.timestamp + 7 days);
        sfc.sealEpochs(3);
        vm.prank(address(refuser));
        vm.expectRevert(SFCModel.TransferFailed.selector);
        sfc.withdraw(id, 1);
    }

    function test_ChainGovernanceCallsAreOwnerOnly() public {
        vm.startPrank(delegator);
        vm.expectRevert(SFCModel.NotOwner.selector);
        sfc.sealEpoch();
        vm.expectRevert(SFCModel.NotOwner.selector);
        sfc.deactivateValidator(id, 1);
        vm.expectRevert(SFCModel.NotOwner.selector);
        sfc.updateSlashingRefundRatio(id, 1);
        vm.expectRevert(SFCModel.NotOwner.selector);
        sfc.setConstants(1, 1, 1, 1, 1);
        vm.expectRevert(SFCModel.AlreadyInitialised.selector);
        sfc.initialize(SFCReader.Layout.Opera, delegator);
        vm.stopPrank();
        SFCConstantsModel c = SFCConstantsModel(sfc.constsAddress());
        vm.expectRevert(SFCConstantsModel.SFCConstantsModel__NotOwner.selector);
        c.set(1, 1, 1, 1, 1);
    }

    function test_AnOfflineValidatorCanComeBackButADoubleSignerCannot() public {
        sfc.deactivateValidator(id, 8);
        sfc.reactivateValidator(id);
        _delegate(delegator, id, 1 ether);
        sfc.slash(id);
        vm.expectRevert(SFCModel.ValidatorNotActive.selector);
        sfc.reactivateValidator(id);
    }

    function test_TheReaderDecodesBothSFCLayoutsToTheSameRecord() public {
        SFCReader__Harness reader = new SFCReader__Harness();
        SFCModel opera = new SFCModel(SFCReader.Layout.Opera);
        SFCModel sonic = new SFCModel(SFCReader.Layout.Sonic);
        address a = makeAddr("both");
        vm.deal(a, 4_000 ether);
        vm.startPrank(a);
        opera.createValidator{value: 1_000 ether}("");
        sonic.createValidator{value: 1_000 ether}("");
        vm.stopPrank();
        _delegateOn(opera, 500 ether);
        _delegateOn(sonic, 500 ether);
        vm.warp(block.timestamp + 1 days);
        opera.deactivateValidator(1, 8);
        sonic.deactivateValidator(1, 8);

        SFCReader.Validator memory o = reader.validator(ISFC(address(opera)), SFCReader.Layout.Opera, 1);
        SFCReader.Validator memory s = reader.validator(ISFC(address(sonic)), SFCReader.Layout.Sonic, 1);
        assertEq(o.auth, a);
        assertEq(o.status, 8);
        assertEq(o.receivedStake, 1_500 ether);
        assertEq(o.deactivatedTime, block.timestamp);
        assertEq(o.deactivatedEpoch, 1);
        assertEq(abi.encode(o), abi.encode(s), "same record from both layouts");

        // Reading with the wrong layout gives a different (wrong) record: the choice matters.
        SFCReader.Validator memory wrong = reader.validator(ISFC(address(opera)), SFCReader.Layout.Sonic, 1);
        assertTrue(wrong.receivedStake != o.receivedStake);
    }

    function _delegateOn(SFCModel m, uint256 amount) internal {
        vm.prank(delegator);
        m.delegate{value: amount}(1);
    }

    function test_RoomIsTheDelegationLimitLeftAndZeroWhenInactive() public {
        SFCReader__Harness reader = new SFCReader__Harness();
        _delegate(delegator, id, 2_000 ether);
        assertEq(reader.room(ISFC(address(sfc)), SFCReader.Layout.Sonic, 16e18, id), 13_000 ether);
        _delegate(delegator, id, 13_000 ether);
        assertEq(reader.room(ISFC(address(sfc)), SFCReader.Layout.Sonic, 16e18, id), 0);
        sfc.deactivateValidator(id, 1);
        assertEq(reader.room(ISFC(address(sfc)), SFCReader.Layout.Sonic, 32e18, id), 0);
        FTMRefuser notAnSFC = new FTMRefuser();
        vm.expectRevert(abi.encodeWithSelector(SFCReader.SFCReader__CallFailed.selector, 1));
        reader.validator(ISFC(address(notAnSFC)), SFCReader.Layout.Sonic, 1);
    }

    function testFuzz_TheModelAlwaysHoldsWhatItOwes(uint96 stakeA, uint96 stakeB, uint96 reward, uint8 epochs) public {
        uint256 a = bound(stakeA, 1 ether, 10_000 ether);
        uint256 b = bound(stakeB, 1 ether, 5_000 ether);
        address other = makeAddr("other-delegator");
        vm.deal(other, b);
        _delegate(delegator, id, a);
        _delegate(other, id, b);
        uint256 funded;
        for (uint256 e; e < bound(epochs, 1, 8); ++e) {
            uint256 r = bound(reward, 0, 500 ether);
            vm.deal(address(this), r);
            sfc.sealEpoch{value: r}();
            funded += r;
        }
        uint256 owed = sfc.totalStake() + sfc.pendingRewards(delegator, id) + sfc.pendingRewards(other, id)
            + sfc.pendingRewards(auth, id);
        assertGe(address(sfc).balance, owed, "solvent");
        uint256 before = delegator.balance + other.balance + auth.balance;
        for (uint256 i; i < 3; ++i) {
            address who = i == 0 ? delegator : i == 1 ? other : auth;
            if (sfc.pendingRewards(who, id) > 0) {
                vm.prank(who);
                sfc.claimRewards(id);
            }
        }
        assertLe(delegator.balance + other.balance + auth.balance - before, funded, "never pays more than funded");
    }

    receive() external payable {}

    function test_OnOperaUnlockedStakeEarnsThirtyPercentOfTheFullRewardAndSonicHasNoSuchGetter() public {
        SFCModel opera = new SFCModel(SFCReader.Layout.Opera);
        assertEq(IOperaSFCConstants(opera.constsAddress()).unlockedRewardRatio(), 0.3e18, "mainnet's ratio");
        IOperaSFCConstants sonicConsts = IOperaSFCConstants(sfc.constsAddress());
        vm.expectRevert(SFCConstantsModel.SFCConstantsModel__NoLockupsOnSonic.selector);
        sonicConsts.unlockedRewardRatio();
    }
}
