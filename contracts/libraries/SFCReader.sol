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

    error SFCReader__CallFailed(uint256 validatorId);

    /// @notice The validator record of `validatorId`, in one shape for both SFC versions.
    function validator(ISFC sfc, Layout sfcLayout, uint256 validatorId) internal view returns (Validator memory v) {
        (bool ok, bytes memory data) =
            address(sfc).staticcall(abi.encodeWithSignature("getValidator(uint256)", validatorId));
        if (!ok || data.length < 224) revert SFCReader__CallFailed(validatorId);
        (uint256 w0, uint256 w1, uint256 w2, uint256 w3,, uint256 w5, uint256 w6) =
            abi.decode(data, (uint256, uint256, uint256, uint256, uint256, uint256, uint256));
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
        uint256 limit = sfc.getSelfStake(validatorId) * maxDelegatedRatio / 1e18;
        return limit > v.receivedStake ? limit - v.receivedStake : 0;
    }

    function consts(ISFC sfc) internal view returns (ISFCConstants) {
        return ISFCConstants(sfc.constsAddress());
    }
}
