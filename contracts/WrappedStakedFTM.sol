// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {ERC20} from "@openzeppelin/contracts/token/ERC20/ERC20.sol";
import {ERC20Permit} from "@openzeppelin/contracts/token/ERC20/extensions/ERC20Permit.sol";
import {ERC20Votes} from "@openzeppelin/contracts/token/ERC20/extensions/ERC20Votes.sol";
import {Nonces} from "@openzeppelin/contracts/utils/Nonces.sol";
import {StakedFTM} from "./StakedFTM.sol";

interface IStakeEntry {
    function stake(address receiver) external payable returns (uint256 shares);
}

/// @title wstFTM, wrapped stFTM and the governance token
/// @notice One wstFTM is one stFTM share: the balance stays fixed while its value in FTM grows, which
/// suits DeFi and voting. Votes follow a timestamp clock (ERC-6372), as the governor expects.
contract WrappedStakedFTM is ERC20, ERC20Permit, ERC20Votes {
    StakedFTM public immutable stFTM;
    IStakeEntry public immutable pool;

    event Wrapped(address indexed account, uint256 stAmount, uint256 wstAmount);
    event Unwrapped(address indexed account, uint256 wstAmount, uint256 stAmount);

    /// @notice The amount is too small: it is worth less than one stFTM share, so there is nothing to wrap or
    /// unwrap.
    error WrappedStakedFTM__ZeroAmount();

    constructor(StakedFTM stFTM_, IStakeEntry pool_) ERC20("Wrapped Staked FTM", "wstFTM") ERC20Permit("Wrapped Staked FTM") {
        stFTM = stFTM_;
        pool = pool_;
    }

    /// @notice Wraps `stAmount` stFTM (approve it first); returns the wstFTM minted (= shares taken).
    function wrap(uint256 stAmount) external returns (uint256 wstAmount) {
        wstAmount = stFTM.sharesForAmount(stAmount);
        if (wstAmount == 0) revert WrappedStakedFTM__ZeroAmount();
        stFTM.transferSharesFrom(msg.sender, address(this), wstAmount);
        _mint(msg.sender, wstAmount);
        emit Wrapped(msg.sender, stAmount, wstAmount);
    }

    /// @notice Unwraps `wstAmount` wstFTM into stFTM; returns the stFTM amount received.
    function unwrap(uint256 wstAmount) external returns (uint256 stAmount) {
        if (wstAmount == 0) revert WrappedStakedFTM__ZeroAmount();
        _burn(msg.sender, wstAmount);
        stAmount = stFTM.transferShares(msg.sender, wstAmount);
        emit Unwrapped(msg.sender, wstAmount, stAmount);
    }

    /// @notice Stakes the FTM sent and wraps the result for `receiver` in one transaction.
    function stakeAndWrap(address receiver) external payable returns (uint256 wstAmount) {
        wstAmount = pool.stake{value: msg.value}(address(this));
        _mint(receiver, wstAmount);
        emit Wrapped(receiver, stFTM.amountForShares(wstAmount), wstAmount);
    }

    /// @notice FTM value (wei) of one wstFTM, i.e. of 1e18 shares.
    function stFTMPerToken() external view returns (uint256) {
        return stFTM.amountForShares(1e18);
    }

    /// @notice ERC-6372 clock: voting power is checkpointed by block timestamp.
    function clock() public view override returns (uint48) {
        return uint48(block.timestamp);
    }

    // solhint-disable-next-line func-name-mixedcase
    function CLOCK_MODE() public pure override returns (string memory) {
        return "mode=timestamp";
    }

    function _update(address from, address to, uint256 value) internal override(ERC20, ERC20Votes) {
        super._update(from, to, value);
    }

    function nonces(address owner) public view override(ERC20Permit, Nonces) returns (uint256) {
        return super.nonces(owner);
    }
}
