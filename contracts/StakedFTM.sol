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
    /// @notice The withdrawal queue: the only one that can lock a holder's shares, which it then holds.
    address public withdrawalQueue;
    address private immutable _deployer;

    uint128 private _totalShares;
    uint128 private _totalPooled;
    mapping(address account => uint256) private _shares;
    mapping(address owner => mapping(address spender => uint256)) private _allowances;
    string private _name;
    string private _symbol;

    /// @notice Emitted with every `Transfer`, in shares.
    event TransferShares(address indexed from, address indexed to, uint256 sharesValue);
    /// @notice The pooled total was rebooked (rewards, slashing); `feeShares` were minted to `feeRecipient`.
    event PooledFTMUpdated(uint256 totalPooledFTM, uint256 totalShares, address feeRecipient, uint256 feeShares);
    event PoolBound(address pool, address withdrawalQueue);

    /// @notice Only the staking pool mints, burns and rebooks stFTM, and `caller` is not the pool.
    error StakedFTM__OnlyPool(address caller);
    /// @notice Only the withdrawal queue locks and burns a holder's shares for a withdrawal, and `caller` is not it.
    error StakedFTM__OnlyQueue(address caller);
    /// @notice stFTM is already linked to its pool and queue (the link is set once, at deployment), or an address given is zero.
    error StakedFTM__AlreadyBound();
    /// @notice Only the account that deployed stFTM links it to the pool, and `caller` is not it.
    error StakedFTM__NotDeployer(address caller);
    /// @notice Total shares or total pooled FTM would exceed 2^128, more than all the FTM in existence.
    error StakedFTM__Overflow();
    /// @notice The token was deployed with an empty name or symbol.
    error StakedFTM__EmptyName();

    /// @param name_ and `symbol_` come from the network's deployment parameters ("Staked S" / "stS" on Sonic,
    /// "Staked FTM" / "stFTM" on Opera): the token carries the name of the chain's native currency.
    constructor(string memory name_, string memory symbol_) {
        if (bytes(name_).length == 0 || bytes(symbol_).length == 0) revert StakedFTM__EmptyName();
        _deployer = msg.sender;
        _name = name_;
        _symbol = symbol_;
    }

    modifier onlyPool() {
        if (msg.sender != pool) revert StakedFTM__OnlyPool(msg.sender);
        _;
    }

    /// @notice One-time link to the pool and its withdrawal queue, by the deployer, during deployment.
    function bindPool(address pool_, address queue_) external {
        if (msg.sender != _deployer) revert StakedFTM__NotDeployer(msg.sender);
        if (pool != address(0) || pool_ == address(0) || queue_ == address(0)) revert StakedFTM__AlreadyBound();
        (pool, withdrawalQueue) = (pool_, queue_);
        emit PoolBound(pool_, queue_);
    }

    function name() external view returns (string memory) {
        return _name;
    }

    function symbol() external view returns (string memory) {
        return _symbol;
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

    /// @notice Moves `sharesValue` shares of `from` into the withdrawal queue, to back a request `from` makes
    /// there (no allowance: only the queue can call it, and only for its caller's own request).
    function lockShares(address from, uint256 sharesValue) external {
        if (msg.sender != withdrawalQueue) revert StakedFTM__OnlyQueue(msg.sender);
        _transferShares(from, msg.sender, sharesValue, amountForShares(sharesValue));
    }

    /// @notice Burns `sharesValue` of the shares locked in the withdrawal queue and removes `amount` FTM (at most
    /// their value) from the pooled total: the FTM leaves the books to pay a finalised withdrawal.
    function burnLocked(uint256 sharesValue, uint256 amount) external onlyPool {
        address queue = withdrawalQueue;
        uint256 held = _shares[queue];
        if (held < sharesValue) revert ERC20InsufficientBalance(queue, held, sharesValue);
        _shares[queue] = held - sharesValue;
        _setTotals(uint256(_totalShares) - sharesValue, uint256(_totalPooled) - amount);
        emit Transfer(queue, address(0), amount);
        emit TransferShares(queue, address(0), sharesValue);
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
