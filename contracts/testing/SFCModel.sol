// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {ISFC, ISFCConstants, IOperaSFCConstants} from "../interfaces/ISFC.sol";
import {SFCReader} from "../libraries/SFCReader.sol";

/// @title The SFC's constants, as the model's ConstantsManager
/// @notice In the Opera layout it also answers Opera's `unlockedRewardRatio` (mainnet's 0.3e18); in the
/// Sonic layout that getter reverts, as Sonic's ConstantsManager has none.
contract SFCConstantsModel is ISFCConstants, IOperaSFCConstants {
    address public immutable owner;
    SFCReader.Layout private immutable _layout;
    uint256 public withdrawalPeriodEpochs = 3;
    uint256 public withdrawalPeriodTime = 7 days;
    uint256 public maxDelegatedRatio = 16e18;
    uint256 public minSelfStake = 100 ether;
    uint256 public validatorCommission = 0.15e18;
    uint256 private constant UNLOCKED_REWARD_RATIO = 0.3e18;

    /// @notice Only the owner of the SFC model changes its constants.
    error SFCConstantsModel__NotOwner();
    /// @notice `unlockedRewardRatio` was asked of the Sonic layout, whose ConstantsManager has no lockups.
    error SFCConstantsModel__NoLockupsOnSonic();

    constructor(SFCReader.Layout layout_) {
        owner = msg.sender;
        _layout = layout_;
    }

    /// @notice Opera only: the share of the full reward (1e18 = all) that stake without a lockup earns.
    /// The model's `sealEpoch` shares out what it is sent as the rewards delegators actually earn, so this
    /// ratio is already in them: the getter is for readers (the app shows it next to the APR).
    function unlockedRewardRatio() external view returns (uint256) {
        if (_layout != SFCReader.Layout.Opera) revert SFCConstantsModel__NoLockupsOnSonic();
        return UNLOCKED_REWARD_RATIO;
    }

    /// @notice Sets every constant at once (owner: the SFC model).
    function set(uint256 periodEpochs, uint256 periodTime, uint256 ratio, uint256 minSelf, uint256 commission) external {
        if (msg.sender != owner) revert SFCConstantsModel__NotOwner();
        (withdrawalPeriodEpochs, withdrawalPeriodTime, maxDelegatedRatio, minSelfStake, validatorCommission) =
            (periodEpochs, periodTime, ratio, minSelf, commission);
    }
}

/// @title A model of Fantom's Special Fee Contract for tests and the local devnet
/// @notice Implements the SFC rules the protocol relies on with the real signatures:
/// validators with an auth address and self-stake; the delegation limit `receivedStake ≤ selfStake ×
/// maxDelegatedRatio`; epochs sealed by a test-only call that credits rewards pro rata to stake, minus the
/// validator's commission; `claimRewards` reverting on zero; a withdrawal period in epochs and in time,
/// counted from the validator's deactivation when that is earlier; deactivation stopping rewards; slashing
/// applied at `withdraw` with a refund ratio (0 makes `withdraw` revert); payment by plain call.
/// Reverts with Sonic's (SFC 4.x) custom error names. `getValidator` answers in the layout chosen at
/// initialisation, so both SFC versions can be exercised. The only contract that knows it is not the chain.
contract SFCModel is ISFC {
    uint256 internal constant WITHDRAWN = 1;
    uint256 internal constant DOUBLESIGN = 128;
    uint256 internal constant UNIT = 1e18;
    uint256 internal constant ACC = 1e36; // reward-per-token precision

    struct Validator {
        uint256 status;
        uint256 receivedStake;
        address auth;
        uint256 createdEpoch;
        uint256 createdTime;
        uint256 deactivatedTime;
        uint256 deactivatedEpoch;
        uint256 rewardPerToken; // accumulated reward per staked wei, scaled by ACC
    }

    struct Delegation {
        uint256 stake;
        uint256 paidPerToken; // rewardPerToken at the last stash
        uint256 stashed; // rewards earned and not yet claimed
    }

    struct Request {
        uint256 epoch;
        uint256 time;
        uint256 amount;
    }

    address public owner;
    SFCReader.Layout public layout;
    SFCConstantsModel public consts;
    uint256 public override currentSealedEpoch;
    uint256 public validatorCount;
    uint256 public totalStake;
    mapping(uint256 => uint256) public epochEndTime;

    mapping(uint256 id => Validator) internal _validators;
    mapping(address auth => uint256) public override getValidatorID;
    mapping(address delegator => mapping(uint256 id => Delegation)) internal _delegations;
    mapping(address delegator => mapping(uint256 id => mapping(uint256 wrID => Request))) internal _requests;
    mapping(uint256 id => uint256) public override slashingRefundRatio;

    event CreatedValidator(uint256 indexed validatorID, address indexed auth);
    event Delegated(address indexed delegator, uint256 indexed toValidatorID, uint256 amount);
    event Undelegated(address indexed delegator, uint256 indexed toValidatorID, uint256 indexed wrID, uint256 amount);
    event Withdrawn(address indexed delegator, uint256 indexed toValidatorID, uint256 indexed wrID, uint256 amount);
    event ClaimedRewards(address indexed delegator, uint256 indexed toValidatorID, uint256 rewards);
    event RestakedRewards(address indexed delegator, uint256 indexed toValidatorID, uint256 rewards);
    event EpochSealed(uint256 indexed epoch, uint256 rewards);
    event DeactivatedValidator(uint256 indexed validatorID, uint256 status);
    event UpdatedSlashingRefundRatio(uint256 indexed validatorID, uint256 refundRatio);

    /// @notice Only the owner of the SFC model can do this (seal epochs, deactivate or slash validators).
    error NotOwner();
    /// @notice The SFC model at this address is already initialised.
    error AlreadyInitialised();
    /// @notice The validator's self-stake is below the chain's minimum.
    error InsufficientSelfStake();
    /// @notice This address already runs a validator.
    error ValidatorExists();
    /// @notice No validator has this id.
    error ValidatorNotExists();
    /// @notice The validator is not active on the chain (offline, withdrawn or slashed).
    error ValidatorNotActive();
    /// @notice The validator cannot receive more delegations: its self-stake times the chain's maximum delegation
    /// ratio is reached.
    error ValidatorDelegationLimitExceeded();
    /// @notice The amount is zero.
    error ZeroAmount();
    /// @notice There are no rewards to claim or restake.
    error ZeroRewards();
    /// @notice The delegation is smaller than the amount to undelegate.
    error NotEnoughStake();
    /// @notice This withdrawal request id is already in use for this delegator and validator.
    error RequestExists();
    /// @notice There is no withdrawal request with this id for this delegator and validator.
    error RequestNotExists();
    /// @notice The chain's withdrawal period (in time) has not passed since the undelegation.
    error NotEnoughTimePassed();
    /// @notice The chain's withdrawal period (in epochs) has not passed since the undelegation.
    error NotEnoughEpochsPassed();
    /// @notice The validator was slashed with a refund ratio of zero: nothing of this stake can be withdrawn.
    error StakeIsFullySlashed();
    /// @notice The recipient did not accept the FTM the SFC model sent.
    error TransferFailed();
    /// @notice A slashing refund ratio is at most 1e18 (a full refund).
    error RefundRatioTooHigh();

    constructor(SFCReader.Layout layout_) {
        _initialise(layout_, msg.sender);
    }

    /// @notice Initialises a copy placed with `hardhat_setCode` (the devnet puts the model at the SFC address).
    function initialize(SFCReader.Layout layout_, address owner_) external {
        if (owner != address(0)) revert AlreadyInitialised();
        _initialise(layout_, owner_);
    }

    modifier onlyOwner() {
        if (msg.sender != owner) revert NotOwner();
        _;
    }

    // ------------------------------------------------------------------ validators

    /// @notice Creates a validator whose auth address is the caller; the FTM sent is its self-stake.
    function createValidator(bytes calldata) external payable {
        if (getValidatorID[msg.sender] != 0) revert ValidatorExists();
        if (msg.value < consts.minSelfStake()) revert InsufficientSelfStake();
        uint256 id = ++validatorCount;
        Validator storage v = _validators[id];
        v.auth = msg.sender;
        v.createdEpoch = currentEpoch();
        v.createdTime = block.timestamp;
        getValidatorID[msg.sender] = id;
        emit CreatedValidator(id, msg.sender);
        _addStake(msg.sender, id, msg.value);
    }

    /// @notice The validator record in the layout of the SFC version being modelled (seven words).
    function getValidator(uint256 id)
        external
        view
        returns (uint256, uint256, uint256, uint256, uint256, uint256, uint256)
    {
        Validator storage v = _validators[id];
        uint256 auth = uint256(uint160(v.auth));
        if (layout == SFCReader.Layout.Opera) {
            return (v.status, v.deactivatedTime, v.deactivatedEpoch, v.receivedStake, v.createdEpoch, v.createdTime, auth);
        }
        return (v.status, v.receivedStake, auth, v.createdEpoch, v.createdTime, v.deactivatedTime, v.deactivatedEpoch);
    }

    /// @notice The validator's own delegation.
    function getSelfStake(uint256 id) public view returns (uint256) {
        return _delegations[_validators[id].auth][id].stake;
    }

    function isSlashed(uint256 id) public view returns (bool) {
        return _validators[id].status & DOUBLESIGN != 0;
    }

    // ------------------------------------------------------------------ delegations

    /// @notice Delegates the FTM sent; the validator must be OK and stay within its delegation limit.
    function delegate(uint256 toValidatorID) external payable {
        _addStake(msg.sender, toValidatorID, msg.value);
    }

    /// @notice Starts withdrawing `amount` of stake under the delegator-chosen, unused `wrID`.
    function undelegate(uint256 toValidatorID, uint256 wrID, uint256 amount) external {
        if (amount == 0) revert ZeroAmount();
        Request storage r = _requests[msg.sender][toValidatorID][wrID];
        if (r.amount != 0) revert RequestExists();
        Delegation storage d = _stash(msg.sender, toValidatorID);
        if (d.stake < amount) revert NotEnoughStake();
        d.stake -= amount;
        _validators[toValidatorID].receivedStake -= amount;
        totalStake -= amount;
        (r.epoch, r.time, r.amount) = (currentEpoch(), block.timestamp, amount);
        emit Undelegated(msg.sender, toValidatorID, wrID, amount);
    }

    /// @notice Pays a matured withdrawal request, reduced by slashing, by plain call.
    function withdraw(uint256 toValidatorID, uint256 wrID) external {
        Request memory r = _requests[msg.sender][toValidatorID][wrID];
        if (r.amount == 0) revert RequestNotExists();
        Validator storage v = _validators[toValidatorID];
        (uint256 epoch, uint256 time) = (r.epoch, r.time);
        if (v.deactivatedTime != 0 && v.deactivatedTime < time) (epoch, time) = (v.deactivatedEpoch, v.deactivatedTime);
        if (block.timestamp < time + consts.withdrawalPeriodTime()) revert NotEnoughTimePassed();
        if (currentEpoch() < epoch + consts.withdrawalPeriodEpochs()) revert NotEnoughEpochsPassed();
        uint256 amount = r.amount;
        if (isSlashed(toValidatorID)) {
            amount = amount * slashingRefundRatio[toValidatorID] / UNIT;
            if (amount == 0) revert StakeIsFullySlashed();
        }
        delete _requests[msg.sender][toValidatorID][wrID];
        emit Withdrawn(msg.sender, toValidatorID, wrID, amount);
        _pay(msg.sender, amount);
    }

    function getStake(address delegator, uint256 toValidatorID) external view returns (uint256) {
        return _delegations[delegator][toValidatorID].stake;
    }

    function getWithdrawalRequest(address delegator, uint256 toValidatorID, uint256 wrID)
        external
        view
        returns (uint256 epoch, uint256 time, uint256 amount)
    {
        Request memory r = _requests[delegator][toValidatorID][wrID];
        return (r.epoch, r.time, r.amount);
    }

    // ------------------------------------------------------------------ rewards

    function pendingRewards(address delegator, uint256 toValidatorID) public view returns (uint256) {
        Delegation storage d = _delegations[delegator][toValidatorID];
        return d.stashed + _accrued(d, _validators[toValidatorID]);
    }

    /// @notice Pays the caller's rewards at `toValidatorID` by plain call; reverts when there are none.
    function claimRewards(uint256 toValidatorID) external {
        uint256 rewards = _takeRewards(msg.sender, toValidatorID);
        emit ClaimedRewards(msg.sender, toValidatorID, rewards);
        _pay(msg.sender, rewards);
    }

    /// @notice Adds the caller's rewards at `toValidatorID` to its stake there; reverts when there are none.
    function restakeRewards(uint256 toValidatorID) external {
        uint256 rewards = _takeRewards(msg.sender, toValidatorID);
        emit RestakedRewards(msg.sender, toValidatorID, rewards);
        _addStake(msg.sender, toValidatorID, rewards);
    }

    /// @dev The rewards `delegator` has at `toValidatorID`, taken out of its stash; reverts when there are none.
    function _takeRewards(address delegator, uint256 toValidatorID) private returns (uint256 rewards) {
        Delegation storage d = _stash(delegator, toValidatorID);
        rewards = d.stashed;
        if (rewards == 0) revert ZeroRewards();
        d.stashed = 0;
    }

    // ------------------------------------------------------------------ epochs

    function currentEpoch() public view returns (uint256) {
        return currentSealedEpoch + 1;
    }

    function constsAddress() external view returns (address) {
        return address(consts);
    }

    /// @notice Test-only: seals the current epoch and shares the FTM sent as its rewards over OK
    /// validators pro rata to their received stake, minus the validator's commission, which its auth earns.
    function sealEpoch() external payable onlyOwner {
        uint256 reward = msg.value;
        uint256 eligibleStake;
        uint256 n = validatorCount;
        for (uint256 id = 1; id <= n; ++id) {
            if (_validators[id].status == 0) eligibleStake += _validators[id].receivedStake;
        }
        if (reward > 0 && eligibleStake > 0) {
            uint256 commission = consts.validatorCommission();
            for (uint256 id = 1; id <= n; ++id) {
                Validator storage v = _validators[id];
                if (v.status != 0 || v.receivedStake == 0) continue;
                uint256 share = reward * v.receivedStake / eligibleStake;
                // Everyone staked (the auth included) earns the share net of commission pro rata; the
                // commission on the whole share goes to the auth. Net for a delegator: share × stake /
                // received × (1 − commission); the auth also keeps the commission on its own part.
                uint256 fee = share * commission / UNIT;
                v.rewardPerToken += (share - fee) * ACC / v.receivedStake;
                if (fee > 0) _stash(v.auth, id).stashed += fee;
            }
        }
        ++currentSealedEpoch;
        epochEndTime[currentSealedEpoch] = block.timestamp;
        emit EpochSealed(currentSealedEpoch, reward);
    }

    /// @notice Test-only: seals `n` epochs without rewards.
    function sealEpochs(uint256 n) external onlyOwner {
        for (uint256 i; i < n; ++i) {
            ++currentSealedEpoch;
            epochEndTime[currentSealedEpoch] = block.timestamp;
            emit EpochSealed(currentSealedEpoch, 0);
        }
    }

    // ------------------------------------------------------------------ chain governance (owner)

    /// @notice Deactivates a validator with the given status bits (1 withdrawn, 8 offline, 128 double-sign).
    function deactivateValidator(uint256 validatorID, uint256 status) public onlyOwner {
        Validator storage v = _validators[validatorID];
        if (v.auth == address(0)) revert ValidatorNotExists();
        if (v.deactivatedTime == 0) (v.deactivatedTime, v.deactivatedEpoch) = (block.timestamp, currentEpoch());
        v.status |= status;
        emit DeactivatedValidator(validatorID, v.status);
    }

    /// @notice An offline validator comes back (never after double-signing).
    function reactivateValidator(uint256 validatorID) external onlyOwner {
        Validator storage v = _validators[validatorID];
        if (v.status & DOUBLESIGN != 0) revert ValidatorNotActive();
        (v.status, v.deactivatedTime, v.deactivatedEpoch) = (0, 0, 0);
    }

    /// @notice Marks a validator as double-signing: deactivated and slashed.
    function slash(uint256 validatorID) external {
        deactivateValidator(validatorID, DOUBLESIGN);
    }

    /// @notice The share (1e18 = all) of a slashed validator's stake that its delegators get back.
    function updateSlashingRefundRatio(uint256 validatorID, uint256 refundRatio) external onlyOwner {
        if (refundRatio > UNIT) revert RefundRatioTooHigh();
        slashingRefundRatio[validatorID] = refundRatio;
        emit UpdatedSlashingRefundRatio(validatorID, refundRatio);
    }

    /// @notice Test-only: hands the chain-governance calls to another test account (e.g. a fuzz handler).
    function transferOwnershipForTests(address newOwner) external onlyOwner {
        owner = newOwner;
    }

    /// @notice Test-only: changes the constants (see SFCConstantsModel).
    function setConstants(uint256 periodEpochs, uint256 periodTime, uint256 ratio, uint256 minSelf, uint256 commission)
        external
        onlyOwner
    {
        consts.set(periodEpochs, periodTime, ratio, minSelf, commission);
    }

    // ------------------------------------------------------------------ internals

    function _initialise(SFCReader.Layout layout_, address owner_) private {
        owner = owner_;
        layout = layout_;
        consts = new SFCConstantsModel(layout_);
    }

    function _addStake(address delegator, uint256 id, uint256 amount) private {
        if (amount == 0) revert ZeroAmount();
        Validator storage v = _validators[id];
        if (v.auth == address(0)) revert ValidatorNotExists();
        if (v.status != 0) revert ValidatorNotActive();
        Delegation storage d = _stash(delegator, id);
        d.stake += amount;
        v.receivedStake += amount;
        totalStake += amount;
        if (delegator != v.auth && v.receivedStake > getSelfStake(id) * consts.maxDelegatedRatio() / UNIT) {
            revert ValidatorDelegationLimitExceeded();
        }
        emit Delegated(delegator, id, amount);
    }

    function _accrued(Delegation storage d, Validator storage v) private view returns (uint256) {
        return d.stake * (v.rewardPerToken - d.paidPerToken) / ACC;
    }

    function _stash(address delegator, uint256 id) private returns (Delegation storage d) {
        d = _delegations[delegator][id];
        Validator storage v = _validators[id];
        d.stashed += _accrued(d, v);
        d.paidPerToken = v.rewardPerToken;
    }

    function _pay(address to, uint256 amount) private {
        (bool ok,) = to.call{value: amount}("");
        if (!ok) revert TransferFailed();
    }
}
