// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

/// @notice The parts of Fantom's Special Fee Contract (SFC) the pool uses. The signatures are the same
/// on Fantom Opera (SFC 3.x, where most of them are reached through the SFC's fallback into its library)
/// and on Sonic (SFC 4.x). `getValidator` is deliberately absent: its return layout differs between the
/// two versions, so it is read only through `SFCReader`.
interface ISFC {
    function delegate(uint256 toValidatorID) external payable;
    function undelegate(uint256 toValidatorID, uint256 wrID, uint256 amount) external;
    function withdraw(uint256 toValidatorID, uint256 wrID) external;
    function claimRewards(uint256 toValidatorID) external;
    function restakeRewards(uint256 toValidatorID) external;
    function pendingRewards(address delegator, uint256 toValidatorID) external view returns (uint256);
    function getStake(address delegator, uint256 toValidatorID) external view returns (uint256);
    function getWithdrawalRequest(address delegator, uint256 toValidatorID, uint256 wrID)
        external
        view
        returns (uint256 epoch, uint256 time, uint256 amount);
    function getValidatorID(address auth) external view returns (uint256);
    function getSelfStake(uint256 validatorID) external view returns (uint256);
    function isSlashed(uint256 validatorID) external view returns (bool);
    function slashingRefundRatio(uint256 validatorID) external view returns (uint256);
    function currentEpoch() external view returns (uint256);
    function currentSealedEpoch() external view returns (uint256);
    function constsAddress() external view returns (address);
}

/// @notice The SFC's ConstantsManager (the values the pool and the registry depend on).
interface ISFCConstants {
    function withdrawalPeriodEpochs() external view returns (uint256);
    function withdrawalPeriodTime() external view returns (uint256);
    function maxDelegatedRatio() external view returns (uint256);
    function minSelfStake() external view returns (uint256);
    function validatorCommission() external view returns (uint256);
}

/// @notice Opera's ConstantsManager (SFC 3.x) only. Stake without a lockup, as the pool's always is, earns
/// `unlockedRewardRatio` of the full reward (1e18 = all of it; 0.3e18 on mainnet, against a 365-day lock).
/// Sonic (SFC 4.x) has no lockups and no such getter.
interface IOperaSFCConstants {
    function unlockedRewardRatio() external view returns (uint256);
}
