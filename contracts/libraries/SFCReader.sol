// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {ISFC, ISFCConstants} from "../interfaces/ISFC.sol";

/// @notice Reads an SFC validator record whatever the SFC version. Opera (SFC 3.x) returns
/// `(status, deactivatedTime, deactivatedEpoch, receivedStake, createdEpoch, createdTime, auth)`,
/// Sonic (SFC 4.x) returns `(status, receivedStake, auth, createdEpoch, createdTime, deactivatedTime,
/// deactivatedEpoch)`. Both are seven static words, so one raw call decodes either; the layout is fixed
/// per deployment. This is the only place in the protocol that knows the two layouts exist.
library SFCReader {
    enum Layout {
        Opera,
        Sonic
    }

    /// @dev SFC status bits: 0 is OK; WITHDRAWN = 1, OFFLINE = 8, OFFLINE_AVG = 16, DOUBLESIGN = 128.
    uint256 internal constant STATUS_OK = 0;

    struct Validator {
        uint256 status;
        uint256 receivedStake;
        address auth;
        uint256 deactivatedEpoch;
        uint256 deactivatedTime;
    }

    /// @notice The SFC did not answer `getValidator` for validator `validatorId` with the seven words both SFC
    /// versions return.
    error SFCReader__CallFailed(uint256 validatorId);

    /// @notice The validator record of `validatorId`, in one shape for both SFC versions.
    function validator(ISFC sfc, Layout sfcLayout, uint256 validatorId) internal view returns (Validator memory v) {
        (uint256 w0, uint256 w1, uint256 w2, uint256 w3, uint256 w5, uint256 w6) = _record(sfc, validatorId);
        v.status = w0;
        if (sfcLayout == Layout.Opera) {
            v.deactivatedTime = w1;
            v.deactivatedEpoch = w2;
            v.receivedStake = w3;
            v.auth = address(uint160(w6));
        } else {
            v.receivedStake = w1;
            v.auth = address(uint160(w2));
            v.deactivatedTime = w5;
            v.deactivatedEpoch = w6;
        }
    }

    /// @notice FTM (wei) the validator can still receive before hitting the SFC's delegation limit
    /// `receivedStake <= selfStake * maxDelegatedRatio / 1e18`. Zero when full or not OK.
    function room(ISFC sfc, Layout sfcLayout, uint256 maxDelegatedRatio, uint256 validatorId)
        internal
        view
        returns (uint256)
    {
        Validator memory v = validator(sfc, sfcLayout, validatorId);
        if (v.status != STATUS_OK || v.auth == address(0)) return 0;
        return _roomLeft(sfc, maxDelegatedRatio, validatorId, v.receivedStake);
    }

    /// @notice Whether the validator may receive stake now (status OK, hence not slashed) and, if so, its
    /// `room`, from a single read of its record: what the pool plans with, one validator at a time.
    /// @dev Both SFC versions define `isSlashed(id)` as `status & CHEATER_MASK != 0` (CHEATER_MASK is the
    /// DOUBLESIGN bit), so a validator whose status is OK is never slashed: the status alone decides.
    function capacity(ISFC sfc, Layout sfcLayout, uint256 maxDelegatedRatio, uint256 validatorId)
        internal
        view
        returns (bool ok, uint256 roomLeft)
    {
        (uint256 w0, uint256 w1, uint256 w2, uint256 w3,, uint256 w6) = _record(sfc, validatorId);
        if (w0 != STATUS_OK) return (false, 0);
        (uint256 received, uint256 auth) = (w1, w2);
        if (sfcLayout == Layout.Opera) (received, auth) = (w3, w6);
        if (address(uint160(auth)) == address(0)) return (true, 0);
        return (true, _roomLeft(sfc, maxDelegatedRatio, validatorId, received));
    }

    function consts(ISFC sfc) internal view returns (ISFCConstants) {
        return ISFCConstants(sfc.constsAddress());
    }

    function _roomLeft(ISFC sfc, uint256 maxDelegatedRatio, uint256 validatorId, uint256 received)
        private
        view
        returns (uint256)
    {
        uint256 limit = sfc.getSelfStake(validatorId) * maxDelegatedRatio / 1e18;
        return limit > received ? limit - received : 0;
    }

    /// @dev The seven words of `getValidator(validatorId)` except the fifth (unused in both layouts), read
    /// with one static call into scratch memory (nothing is allocated). Reverts unless the call succeeds
    /// and returns at least seven words.
    function _record(ISFC sfc, uint256 validatorId)
        private
        view
        returns (uint256 w0, uint256 w1, uint256 w2, uint256 w3, uint256 w5, uint256 w6)
    {
        bool ok;
        assembly ("memory-safe") {
            let p := mload(0x40)
            mstore(p, shl(224, 0xb5d89627)) // getValidator(uint256)
            mstore(add(p, 4), validatorId)
            ok := staticcall(gas(), sfc, p, 36, p, 224)
            ok := and(ok, iszero(lt(returndatasize(), 224)))
            w0 := mload(p)
            w1 := mload(add(p, 0x20))
            w2 := mload(add(p, 0x40))
            w3 := mload(add(p, 0x60))
            w5 := mload(add(p, 0xa0))
            w6 := mload(add(p, 0xc0))
        }
        if (!ok) revert SFCReader__CallFailed(validatorId);
    }
}
