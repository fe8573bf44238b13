// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {IERC20Metadata} from "@openzeppelin/contracts/token/ERC20/extensions/IERC20Metadata.sol";
import {IERC20Errors} from "@openzeppelin/contracts/interfaces/draft-IERC6093.sol";
import {Math} from "@openzeppelin/contracts/utils/math/Math.sol";

/// @title stFTM, the rebasing liquid staking token
/// @notice Holders own shares of the pool; `balanceOf = shares × totalPooledFTM / totalShares`, so balances
/// grow as rewards are booked. Only the pool mints and burns shares and moves the pooled total.
/// Conversions round down, in favour of the pool: nobody can take out more FTM than their shares are worth.
/// Like every rebasing token, amounts are rounded to whole shares: a transfer of `x` moves the shares
/// worth `x` rounded down, so the recipient may see 1-2 wei less than `x` and the sender keep 1-2 wei
/// more; a transfer of more than the sender's balance reverts. Integrations that need exact amounts
/// (vaults, AMMs, lending) should hold wstFTM, whose balances never change by themselves.
/// @dev Total shares and total pooled FTM share one storage slot (both fit in 128 bits: the whole FTM
/// supply is about 2^91 wei), so a transfer reads one slot to convert amounts into shares.
contract StakedFTM is IERC20, IERC20Metadata, IERC20Errors {
    address public pool;
    address private immutable _deployer;

    uint128 private _totalShares;
    uint128 private _totalPooled;
    mapping(address account => uint256) private _shares;
    mapping(address owner => mapping(address spender => uint256)) private _allowances;

    /// @notice Emitted with every `Transfer`, in shares.
    event TransferShares(address indexed from, address indexed to, uint256 sharesValue);
    /// @notice The pooled total was rebooked (rewards, slashing); `feeShares` were minted to `feeRecipient`.
    event PooledFTMUpdated(uint256 totalPooledFTM, uint256 totalShares, address feeRecipient, uint256 feeShares);
    event PoolBound(address pool);

    /// @notice Only the staking pool mints, burns and rebooks stFTM, and `caller` is not the pool.
    error StakedFTM__OnlyPool(address caller);
    /// @notice stFTM is already linked to its pool; the link is set once, at deployment.
    error StakedFTM__AlreadyBound();
    /// @notice Only the account that deployed stFTM links it to the pool, and `caller` is not it.
    error StakedFTM__NotDeployer(address caller);
    /// @notice Total shares or total pooled FTM would exceed 2^128, more than all the FTM in existence.
    error StakedFTM__Overflow();

    constructor() {
        _deployer = msg.sender;
    }

    modifier onlyPool() {
        if (msg.sender != pool) revert StakedFTM__OnlyPool(msg.sender);
        _;
    }

    /// @notice One-time link to the pool, by the deployer, during deployment.
    function bindPool(address pool_) external {
        if (msg.sender != _deployer) revert StakedFTM__NotDeployer(msg.sender);
        if (pool != address(0)) revert StakedFTM__AlreadyBound();
        pool = pool_;
        emit PoolBound(pool_);
    }

    function name() external pure returns (string memory) {
        return "Staked FTM";
    }

    function symbol() external pure returns (string memory) {
        return "stFTM";
    }

    function decimals() external pure returns (uint8) {
        return 18;
    }

    /// @notice Total supply equals the FTM the pool accounts for (wei).
    function totalSupply() external view returns (uint256) {
        return _totalPooled;
    }

    function totalShares() external view returns (uint256) {
        return _totalShares;
    }

    /// @notice FTM (wei) backing all shares, as last booked by the pool.
    function totalPooledFTM() external view returns (uint256) {
        return _totalPooled;
    }

    function sharesOf(address account) external view returns (uint256) {
        return _shares[account];
    }

    function balanceOf(address account) external view returns (uint256) {
        return amountForShares(_shares[account]);
    }

    /// @notice Shares worth `amount` FTM, rounded down.
    function sharesForAmount(uint256 amount) public view returns (uint256) {
        (uint256 s, uint256 p) = (_totalShares, _totalPooled);
        return p == 0 ? amount : Math.mulDiv(amount, s, p);
    }

    /// @notice FTM (wei) that `sharesValue` shares are worth, rounded down.
    function amountForShares(uint256 sharesValue) public view returns (uint256) {
        (uint256 s, uint256 p) = (_totalShares, _totalPooled);
        return s == 0 ? sharesValue : Math.mulDiv(sharesValue, p, s);
    }

    function allowance(address owner, address spender) external view returns (uint256) {
        return _allowances[owner][spender];
    }

    function approve(address spender, uint256 amount) external returns (bool) {
        _approve(msg.sender, spender, amount);
        return true;
    }

    /// @notice Moves the shares worth `amount` FTM (rounded down); reverts when `amount` exceeds the balance.
    function transfer(address to, uint256 amount) external returns (bool) {
        _transferAmount(msg.sender, to, amount);
        return true;
    }

    function transferFrom(address from, address to, uint256 amount) external returns (bool) {
        _spendAllowance(from, msg.sender, amount);
        _transferAmount(from, to, amount);
        return true;
    }

    /// @notice Moves `sharesValue` shares; returns their value in FTM.
    function transferShares(address to, uint256 sharesValue) external returns (uint256 amount) {
        amount = amountForShares(sharesValue);
        _transferShares(msg.sender, to, sharesValue, amount);
    }

    /// @notice Moves shares with an allowance in FTM; spends the shares' value rounded up.
    function transferSharesFrom(address from, address to, uint256 sharesValue) external returns (uint256 amount) {
        amount = amountForShares(sharesValue);
        (uint256 s, uint256 p) = (_totalShares, _totalPooled);
        _spendAllowance(from, msg.sender, s == 0 ? sharesValue : Math.mulDiv(sharesValue, p, s, Math.Rounding.Ceil));
        _transferShares(from, to, sharesValue, amount);
    }

    // ---- pool only ----

    /// @notice For a deposit: sets the pooled total to `pooledBefore` (the pool's total of this second, before
    /// the deposit), mints shares worth `amount` FTM at that rate to `to` and adds `amount` to the total.
    function mintForDeposit(address to, uint256 amount, uint256 pooledBefore)
        external
        onlyPool
        returns (uint256 sharesValue)
    {
        if (to == address(0)) revert ERC20InvalidReceiver(address(0));
        uint256 s = _totalShares;
        sharesValue = pooledBefore == 0 ? amount : Math.mulDiv(amount, s, pooledBefore);
        _setTotals(s + sharesValue, pooledBefore + amount);
        _shares[to] += sharesValue;
        emit Transfer(address(0), to, amount);
        emit TransferShares(address(0), to, sharesValue);
    }

    /// @notice Moves `sharesValue` shares of `from` into the pool, to back a withdrawal request.
    function lockShares(address from, uint256 sharesValue) external onlyPool {
        _transferShares(from, pool, sharesValue, amountForShares(sharesValue));
    }

    /// @notice Burns `sharesValue` of the pool's locked shares and removes `amount` FTM (at most their value)
    /// from the pooled total: the FTM leaves the books to pay a withdrawal.
    function burnLocked(uint256 sharesValue, uint256 amount) external onlyPool {
        uint256 held = _shares[pool];
        if (held < sharesValue) revert ERC20InsufficientBalance(pool, held, sharesValue);
        _shares[pool] = held - sharesValue;
        _setTotals(uint256(_totalShares) - sharesValue, uint256(_totalPooled) - amount);
        emit Transfer(pool, address(0), amount);
        emit TransferShares(pool, address(0), sharesValue);
    }

    /// @notice Sets the pooled total after rewards or slashing and mints `feeAmount` FTM worth of shares
    /// (valued at the new total) to `feeRecipient`.
    function rebase(uint256 newPooled, address feeRecipient, uint256 feeAmount)
        external
        onlyPool
        returns (uint256 feeShares)
    {
        uint256 s = _totalShares;
        if (feeAmount > 0 && newPooled > feeAmount) {
            feeShares = Math.mulDiv(feeAmount, s, newPooled - feeAmount);
            _shares[feeRecipient] += feeShares;
            emit Transfer(address(0), feeRecipient, feeAmount);
            emit TransferShares(address(0), feeRecipient, feeShares);
        }
        _setTotals(s + feeShares, newPooled);
        emit PooledFTMUpdated(newPooled, s + feeShares, feeRecipient, feeShares);
    }

    // ---- internals ----

    function _setTotals(uint256 s, uint256 p) private {
        if (s > type(uint128).max || p > type(uint128).max) revert StakedFTM__Overflow();
        _totalShares = uint128(s);
        _totalPooled = uint128(p);
    }

    function _transferAmount(address from, address to, uint256 amount) private {
        (uint256 s, uint256 p) = (_totalShares, _totalPooled);
        uint256 held = _shares[from];
        uint256 balance = s == 0 ? held : Math.mulDiv(held, p, s);
        if (amount > balance) revert ERC20InsufficientBalance(from, balance, amount);
        _transferShares(from, to, s == 0 ? amount : Math.mulDiv(amount, s, p), amount);
    }

    function _transferShares(address from, address to, uint256 sharesValue, uint256 amount) private {
        if (from == address(0)) revert ERC20InvalidSender(address(0));
        if (to == address(0)) revert ERC20InvalidReceiver(address(0));
        uint256 held = _shares[from];
        if (held < sharesValue) revert ERC20InsufficientBalance(from, held, sharesValue);
        unchecked {
            _shares[from] = held - sharesValue;
        }
        _shares[to] += sharesValue;
        emit Transfer(from, to, amount);
        emit TransferShares(from, to, sharesValue);
    }

    function _approve(address owner, address spender, uint256 amount) private {
        if (spender == address(0)) revert ERC20InvalidSpender(address(0));
        _allowances[owner][spender] = amount;
        emit Approval(owner, spender, amount);
    }

    function _spendAllowance(address owner, address spender, uint256 amount) private {
        uint256 current = _allowances[owner][spender];
        if (current == type(uint256).max) return;
        if (current < amount) revert ERC20InsufficientAllowance(spender, current, amount);
        unchecked {
            _allowances[owner][spender] = current - amount;
        }
    }
}
