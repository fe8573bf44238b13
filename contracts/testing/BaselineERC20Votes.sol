// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {ERC20} from "@openzeppelin/contracts/token/ERC20/ERC20.sol";
import {ERC20Permit} from "@openzeppelin/contracts/token/ERC20/extensions/ERC20Permit.sol";
import {ERC20Votes} from "@openzeppelin/contracts/token/ERC20/extensions/ERC20Votes.sol";
import {Nonces} from "@openzeppelin/contracts/utils/Nonces.sol";

/// @title Benchmark baseline: an OpenZeppelin ERC20Votes token
/// @notice OpenZeppelin's ERC20 + ERC20Permit + ERC20Votes exactly as the wizard composes them (default
/// block-number clock), the whole supply minted to the deployer. `npm run bench` measures a transfer between
/// two accounts that have both delegated, next to the pool's figures, in the same run.
contract BaselineERC20Votes is ERC20, ERC20Permit, ERC20Votes {
    constructor(uint256 supply) ERC20("Baseline ERC20Votes", "BVOTE") ERC20Permit("Baseline ERC20Votes") {
        _mint(msg.sender, supply);
    }

    function _update(address from, address to, uint256 value) internal override(ERC20, ERC20Votes) {
        super._update(from, to, value);
    }

    function nonces(address owner) public view override(ERC20Permit, Nonces) returns (uint256) {
        return super.nonces(owner);
    }
}
