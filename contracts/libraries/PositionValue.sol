// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

/// @title What the pool's position at one validator is worth
/// @notice The SFC records a delegator's stake and unbonding at their raw (unslashed) amounts. Once the SFC marks
/// a validator slashed, each raw wei is worth `refundRatio / 1e18` FTM: that is the booked value, the one the
/// pool's rate uses. Values round down, in favour of the pool.
///
/// Worked example: the pool has 1,000 FTM staked and 300 FTM unbonding at a validator that the SFC then marks
/// slashed with a refund ratio of 0.6 (6e17). Booked stake = 1,000 × 0.6 = 600 FTM. The whole position is
/// 1,300 × 0.6 = 780 FTM, so booked unbonding = 780 − 600 = 180 FTM. Valuing the whole and taking the unbonding
/// as the rest means that moving FTM from stake to unbonding never changes the position's total by rounding:
/// with a ratio of 1/3 and raw amounts of 1 and 2 wei, the parts valued on their own would be 0 + 0 wei, while the
/// whole is worth 1 wei, and 1 wei it stays wherever the raw amounts sit.
library PositionValue {
    /// @notice The pool's position at one validator. Raw amounts are what the SFC records; `refundRatio` (1e18 =
    /// a full refund) applies only once `slashed` is set.
    struct Book {
        uint128 stakeRaw;
        uint128 unbondingRaw;
        bool slashed;
        uint64 refundRatio;
    }

    /// @notice Booked value (FTM wei) of `raw` wei of position `b`.
    function value(uint256 raw, Book memory b) internal pure returns (uint256) {
        return b.slashed ? raw * b.refundRatio / 1e18 : raw;
    }

    /// @notice Booked values of the stake and the unbonding of `b`: the whole is valued at once and the unbonding
    /// part is the rest (see the example above).
    function values(Book memory b) internal pure returns (uint256 stakeValue, uint256 unbondingValue) {
        stakeValue = value(b.stakeRaw, b);
        unbondingValue = value(uint256(b.stakeRaw) + b.unbondingRaw, b) - stakeValue;
    }

    /// @notice Raw wei to undelegate so that `amount` FTM of booked stake leaves `b`: the whole raw stake when
    /// `amount` is at least its value, else `amount` scaled back by the refund ratio.
    function rawForValue(uint256 amount, Book memory b) internal pure returns (uint256) {
        if (amount >= value(b.stakeRaw, b)) return b.stakeRaw;
        return b.slashed ? amount * 1e18 / b.refundRatio : amount;
    }
}
