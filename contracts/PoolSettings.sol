// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {AccessControl} from "@openzeppelin/contracts/access/AccessControl.sol";

/// @title The pool's governed parameters, roles and pauses
/// @notice Governance (the timelock, holding the admin role) sets every parameter within fixed bounds, extends
/// and ends pauses. The guardian (PAUSER_ROLE) can only pause one action at a time; a pause ends by itself after
/// `maxPauseDuration`, and the guardian cannot pause the same action again until as long again has passed.
/// Claims of finalised withdrawals (in the withdrawal queue) are never paused.
abstract contract PoolSettings is AccessControl {
    bytes32 public constant OPERATOR_ROLE = keccak256("OPERATOR_ROLE");
    bytes32 public constant PAUSER_ROLE = keccak256("PAUSER_ROLE");
    uint256 public constant BPS = 10_000;
    uint256 public constant MAX_FEE_BPS = 2_000;
    uint256 public constant MAX_KEEPER_GRACE = 30 days;
    uint256 public constant MIN_REWARD_VESTING_PERIOD = 1 hours;
    uint256 public constant MAX_REWARD_VESTING_PERIOD = 7 days;
    uint256 public constant MAX_PAUSE_DURATION = 14 days;

    /// @notice What the guardian can pause: staking, withdrawal requests, the keeper round.
    enum Action {
        Stake,
        Withdraw,
        Process
    }

    /// @dev A pause of one action lasts until `until`; the guardian may not pause it again before `cooldownUntil`.
    struct PauseWindow {
        uint64 until;
        uint64 cooldownUntil;
    }

    address public treasury;
    uint256 public feeBps;
    uint256 public minStake = 0.01 ether;
    uint256 public rebalanceThresholdBps = 50;
    uint256 public maxUndelegatePerRound = type(uint128).max;
    uint256 public keeperGracePeriod = 24 hours;
    uint256 public rewardVestingPeriod = 24 hours;
    uint256 public maxPauseDuration = 7 days;
    mapping(Action action => PauseWindow) private _pauses;

    event Paused(Action action, address by, uint256 until);
    event Resumed(Action action, address by);
    event ParameterSet(bytes32 indexed name, uint256 value);
    event TreasurySet(address treasury);

    /// @notice The guardian has paused this action (`action`); the pause ends by itself (the operator page says
    /// when), and governance can resume it sooner.
    error StakingPool__ActionPaused(Action action);
    /// @notice An address is missing: the admin, treasury, receiver, wrapper or queue given is the zero
    /// address.
    error StakingPool__ZeroAddress();
    /// @notice A fee of `feeBps` bps is above the maximum of `maxFeeBps` bps.
    error StakingPool__FeeTooHigh(uint256 feeBps, uint256 maxFeeBps);
    /// @notice The value `value` is outside the range that setting `name` allows.
    error StakingPool__ValueOutOfRange(bytes32 name, uint256 value);
    /// @notice The guardian's last pause of this action (`action`) was too recent: the next one is possible
    /// from `availableAt`.
    error StakingPool__PauseCoolingDown(Action action, uint256 availableAt);

    constructor(address admin, address treasury_, uint256 feeBps_) {
        if (admin == address(0) || treasury_ == address(0)) revert StakingPool__ZeroAddress();
        if (feeBps_ > MAX_FEE_BPS) revert StakingPool__FeeTooHigh(feeBps_, MAX_FEE_BPS);
        treasury = treasury_;
        feeBps = feeBps_;
        _grantRole(DEFAULT_ADMIN_ROLE, admin);
    }

    function isPaused(Action action) public view returns (bool) {
        return block.timestamp < _pauses[action].until;
    }

    /// @notice Until when `action` is paused (in the past when it is not) and from when the guardian may
    /// pause it again.
    function pauseWindow(Action action) external view returns (uint256 until, uint256 cooldownUntil) {
        PauseWindow memory w = _pauses[action];
        return (w.until, w.cooldownUntil);
    }

    /// @notice Stops one action for `maxPauseDuration`; the guardian's only power. The pause ends by itself,
    /// and the guardian cannot pause the same action again until as long again has passed after it ends.
    function pause(Action action) external onlyRole(PAUSER_ROLE) {
        PauseWindow memory w = _pauses[action];
        if (block.timestamp < w.cooldownUntil) revert StakingPool__PauseCoolingDown(action, w.cooldownUntil);
        _setPause(action, block.timestamp + maxPauseDuration);
    }

    /// @notice Keeps `action` paused until `until` (at most `MAX_PAUSE_DURATION` from now); governance only.
    function extendPause(Action action, uint256 until) external onlyRole(DEFAULT_ADMIN_ROLE) {
        if (until <= block.timestamp || until > block.timestamp + MAX_PAUSE_DURATION) {
            revert StakingPool__ValueOutOfRange("pauseUntil", until);
        }
        _setPause(action, until);
    }

    /// @notice Restarts one action; governance only.
    function resume(Action action) external onlyRole(DEFAULT_ADMIN_ROLE) {
        _pauses[action] = PauseWindow(uint64(block.timestamp), uint64(block.timestamp + maxPauseDuration));
        emit Resumed(action, msg.sender);
    }

    /// @notice How long harvested rewards take to enter the rate (1 hour to 7 days).
    function setRewardVestingPeriod(uint256 value) external onlyRole(DEFAULT_ADMIN_ROLE) {
        bool inRange = value >= MIN_REWARD_VESTING_PERIOD && value <= MAX_REWARD_VESTING_PERIOD;
        rewardVestingPeriod = _checked("rewardVestingPeriod", value, inRange);
    }

    /// @notice How long a guardian's pause lasts, and its cooldown (at most 14 days).
    function setMaxPauseDuration(uint256 value) external onlyRole(DEFAULT_ADMIN_ROLE) {
        maxPauseDuration = _checked("maxPauseDuration", value, value != 0 && value <= MAX_PAUSE_DURATION);
    }

    /// @notice The treasury's share of harvested rewards, in bps (at most `MAX_FEE_BPS`).
    function setFeeBps(uint256 value) external onlyRole(DEFAULT_ADMIN_ROLE) {
        if (value > MAX_FEE_BPS) revert StakingPool__FeeTooHigh(value, MAX_FEE_BPS);
        feeBps = value;
        emit ParameterSet("feeBps", value);
    }

    function setTreasury(address value) external onlyRole(DEFAULT_ADMIN_ROLE) {
        if (value == address(0)) revert StakingPool__ZeroAddress();
        treasury = value;
        emit TreasurySet(value);
    }

    /// @notice The smallest stake, and the smallest withdrawal except a holder's whole balance (FTM wei).
    function setMinStake(uint256 value) external onlyRole(DEFAULT_ADMIN_ROLE) {
        minStake = _checked("minStake", value, value != 0);
    }

    /// @notice How far (bps of the staked total) a validator may sit above its target before drift is moved.
    function setRebalanceThresholdBps(uint256 value) external onlyRole(DEFAULT_ADMIN_ROLE) {
        rebalanceThresholdBps = _checked("rebalanceThresholdBps", value, value <= BPS);
    }

    /// @notice The most FTM (wei) one round may undelegate for drift.
    function setMaxUndelegatePerRound(uint256 value) external onlyRole(DEFAULT_ADMIN_ROLE) {
        maxUndelegatePerRound = _checked("maxUndelegatePerRound", value, value <= type(uint128).max);
    }

    /// @notice How long after a completed round anyone, not only an operator, may run `process` (at most 30 days).
    function setKeeperGracePeriod(uint256 value) external onlyRole(DEFAULT_ADMIN_ROLE) {
        keeperGracePeriod = _checked("keeperGracePeriod", value, value <= MAX_KEEPER_GRACE);
    }

    /// @dev A governed parameter's new `value`, after its bounds check (`inRange`), announced as set.
    function _checked(bytes32 name, uint256 value, bool inRange) private returns (uint256) {
        if (!inRange) revert StakingPool__ValueOutOfRange(name, value);
        emit ParameterSet(name, value);
        return value;
    }

    function _setPause(Action action, uint256 until) private {
        _pauses[action] = PauseWindow(uint64(until), uint64(until + maxPauseDuration));
        emit Paused(action, msg.sender, until);
    }

    function _requireNotPaused(Action action) internal view {
        if (isPaused(action)) revert StakingPool__ActionPaused(action);
    }
}
