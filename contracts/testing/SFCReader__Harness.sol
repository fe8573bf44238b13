// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {ISFC} from "../interfaces/ISFC.sol";
import {SFCReader} from "../libraries/SFCReader.sol";

/// @dev Exposes the internal SFCReader functions to tests.
contract SFCReader__Harness {
    function validator(ISFC sfc, SFCReader.Layout sfcLayout, uint256 id) external view returns (SFCReader.Validator memory) {
        return SFCReader.validator(sfc, sfcLayout, id);
    }

    function room(ISFC sfc, SFCReader.Layout sfcLayout, uint256 maxRatio, uint256 id) external view returns (uint256) {
        return SFCReader.room(sfc, sfcLayout, maxRatio, id);
    }
}
