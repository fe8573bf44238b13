// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {ERC20} from "@openzeppelin/contracts/token/ERC20/ERC20.sol";

/// @title Benchmark baseline: a plain OpenZeppelin ERC20
/// @notice Nothing but OpenZeppelin's ERC20 with the whole supply minted to the deployer. `npm run bench`
/// measures its `transfer` next to stFTM's, in the same run.
contract BaselineERC20 is ERC20 {
    constructor(uint256 supply) ERC20("Baseline ERC20", "BASE") {
        _mint(msg.sender, supply);
    }
}
