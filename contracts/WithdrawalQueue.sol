// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {ERC721} from "@openzeppelin/contracts/token/ERC721/ERC721.sol";
import {ReentrancyGuard} from "@openzeppelin/contracts/utils/ReentrancyGuard.sol";
import {SafeCast} from "@openzeppelin/contracts/utils/math/SafeCast.sol";
import {StakedFTM} from "./StakedFTM.sol";
import {WrappedStakedFTM} from "./WrappedStakedFTM.sol";
import {ReceiptMetadata} from "./libraries/ReceiptMetadata.sol";

/// @notice What the queue needs from the pool: its pause and rate rules, and when a request is due.
interface IWithdrawalPool {
    function openWithdrawalRequest() external returns (uint256 minimum);
    function withdrawalDelay() external view returns (uint256 seconds_);
}

/// @title The withdrawal queue: one ERC-721 receipt per withdrawal request
/// @notice A request fixes its amount in FTM when it is made and locks the stFTM shares that back it here.
/// Only the pool finalises requests, oldest first, inside its keeper round (`process`): it burns the locked
/// shares and sends this contract the payout, `min(amount requested, value of the shares then)`. From then on
/// that FTM is outside the pool's books and only a claim can move it. A receipt is an ordinary NFT: whoever
/// holds it (or is approved for it) when it is claimed is paid, and claiming burns it. Claims are never paused.
/// @dev Owners' receipts are enumerable (`requestsOf`) through one slot per receipt; ERC721Enumerable's global
/// index would cost three more slots per request, and ids are sequential, so nothing needs it.
contract WithdrawalQueue is ERC721, ReentrancyGuard {
    enum RequestStatus {
        None,
        Pending,
        Finalised,
        Claimed
    }

    /// @dev One request in one slot. 96 bits hold 7.9e10 FTM (the whole supply is about 4e9); a receipt's
    /// position in its owner's list takes the last 24 bits.
    struct Request {
        uint96 amount; // FTM wei owed, fixed at request time
        uint96 lockedShares; // stFTM shares held here until finalisation
        uint40 requestedAt;
        uint24 ownerIndex; // position in `_ownedRequests[owner]`
    }

    /// @notice One request as the batch view reports it (FTM wei, unix seconds).
    struct RequestView {
        uint256 requestId;
        address owner; // 0 once claimed
        RequestStatus status;
        uint256 amount;
        uint256 finalisedAmount; // what a claim pays; 0 while pending
        uint256 lockedShares; // burnt at finalisation
        uint256 requestedAt;
        uint256 expectedBy; // when the request is due at the latest under the pool's rules
    }

    /// @notice The most receipts one wallet can hold at once.
    uint256 public constant MAX_RECEIPTS_PER_OWNER = type(uint24).max;

    IWithdrawalPool public immutable pool;
    StakedFTM public immutable stFTM;
    WrappedStakedFTM public immutable wstFTM;
    /// @notice The chain's native currency as the receipts name it ("S" on Sonic, "FTM" on Opera).
    string public currency;

    /// @notice The id the next request gets, and how many pending requests are owed in total (FTM wei).
    uint128 public nextRequestId = 1;
    uint128 public pendingDemand;
    /// @notice The oldest request not yet finalised (every id below it is finalised or claimed).
    uint256 public nextToFinalise = 1;

    mapping(uint256 requestId => Request) private _requests;
    mapping(uint256 requestId => uint256) private _finalisedAmounts;
    mapping(address owner => mapping(uint256 index => uint256 requestId)) private _ownedRequests;

    event WithdrawalRequested(
        uint256 indexed requestId, address indexed requester, address indexed owner, uint256 amount, uint256 shares
    );
    event WithdrawalFinalised(uint256 indexed requestId, uint256 amount);
    event WithdrawalClaimed(uint256 indexed requestId, address indexed owner, address indexed recipient, uint256 amount);

    /// @notice The amount `amount` is below the minimum withdrawal of `minimum` (you may always withdraw your
    /// whole balance).
    error WithdrawalQueue__BelowMinWithdrawal(uint256 amount, uint256 minimum);
    /// @notice You do not hold that much stFTM.
    error WithdrawalQueue__InsufficientShares(uint256 needed, uint256 held);
    /// @notice An address is missing: the owner or recipient given is the zero address.
    error WithdrawalQueue__ZeroAddress();
    /// @notice Choose at least one withdrawal to claim.
    error WithdrawalQueue__NoRequests();
    /// @notice Withdrawal `requestId` is not ready to claim yet (it is `status`): a keeper round finalises it
    /// first.
    error WithdrawalQueue__NotFinalised(uint256 requestId, RequestStatus status);
    /// @notice Withdrawal `requestId` was already claimed: its receipt is burnt.
    error WithdrawalQueue__AlreadyClaimed(uint256 requestId);
    /// @notice Only the wallet holding the receipt of withdrawal `requestId`, or one it approved, can claim it,
    /// and `caller` is neither.
    error WithdrawalQueue__NotOwnerOrApproved(uint256 requestId, address caller);
    /// @notice The recipient `recipient` did not accept the payment of `amount`.
    error WithdrawalQueue__PaymentFailed(address recipient, uint256 amount);
    /// @notice Only the staking pool may call this, and `caller` is not it.
    error WithdrawalQueue__OnlyPool(address caller);
    /// @notice Withdrawal `requestId` is not the oldest pending one: the pool finalises requests in order.
    error WithdrawalQueue__NotNextToFinalise(uint256 requestId);
    /// @notice The pool tried to pay `paid` for a request of `amount`: a payout never exceeds the amount
    /// requested.
    error WithdrawalQueue__PayoutAboveAmount(uint256 paid, uint256 amount);
    /// @notice `owner` already holds as many withdrawal receipts as one address may: claim or send some first.
    error WithdrawalQueue__TooManyReceipts(address owner);
    /// @notice The currency symbol given at deployment is empty, longer than 8 characters, or not only letters
    /// and digits.
    error WithdrawalQueue__BadCurrency();

    /// @param currency_ is the native currency's symbol from the network's deployment parameters; the receipts'
    /// name and symbol follow stFTM's ("stS withdrawal" / "unstS" on Sonic).
    constructor(IWithdrawalPool pool_, StakedFTM stFTM_, WrappedStakedFTM wstFTM_, string memory currency_)
        ERC721(string.concat(stFTM_.symbol(), " withdrawal"), string.concat("un", stFTM_.symbol()))
    {
        bytes memory c = bytes(currency_);
        if (c.length == 0 || c.length > 8) revert WithdrawalQueue__BadCurrency();
        for (uint256 i; i < c.length; ++i) {
            bytes1 ch = c[i];
            bool alphanumeric = (ch >= "0" && ch <= "9") || (ch >= "A" && ch <= "Z") || (ch >= "a" && ch <= "z");
            if (!alphanumeric) revert WithdrawalQueue__BadCurrency();
        }
        currency = currency_;
        pool = pool_;
        stFTM = stFTM_;
        wstFTM = wstFTM_;
    }

    modifier onlyPool() {
        if (msg.sender != address(pool)) revert WithdrawalQueue__OnlyPool(msg.sender);
        _;
    }

    // ---------------------------------------------------------------- holders

    /// @notice Requests a withdrawal of `amount` stFTM (FTM wei) of the caller and mints its receipt to `owner`.
    /// The shares worth `amount` (rounded up) are locked here; no approval is needed. The pool finalises the
    /// request in a later keeper round (the next one when idle FTM covers it, else after the SFC's withdrawal
    /// period) and the receipt's holder then claims. Requesting the whole balance the caller sees locks every
    /// share. Below the pool's minimum only when the caller withdraws its whole balance for itself.
    function requestWithdrawal(uint256 amount, address owner) external nonReentrant returns (uint256 requestId) {
        // The balance the holder saw: the pool books rewards vested since its last booking next, which raises it.
        uint256 balanceSeen = stFTM.balanceOf(msg.sender);
        uint256 minimum = pool.openWithdrawalRequest();
        uint256 held = stFTM.sharesOf(msg.sender);
        uint256 shares;
        if (amount == balanceSeen && held > 0) {
            (shares, amount) = (held, stFTM.amountForShares(held));
        } else {
            shares = _sharesToLock(amount);
            if (shares > held) revert WithdrawalQueue__InsufficientShares(shares, held);
        }
        _checkMinimum(amount, minimum, shares == held && owner == msg.sender);
        stFTM.lockShares(msg.sender, shares);
        requestId = _request(owner, amount, shares);
    }

    /// @notice Requests a withdrawal of `wstAmount` wstFTM of the caller (approve it to this queue first) and
    /// mints its receipt to `owner`; as `requestWithdrawal` otherwise.
    function requestWithdrawalWrapped(uint256 wstAmount, address owner)
        external
        nonReentrant
        returns (uint256 requestId)
    {
        uint256 minimum = pool.openWithdrawalRequest();
        uint256 amount = stFTM.amountForShares(wstAmount);
        _checkMinimum(amount, minimum, wstAmount == wstFTM.balanceOf(msg.sender) && owner == msg.sender);
        wstFTM.transferFrom(msg.sender, address(this), wstAmount);
        wstFTM.unwrap(wstAmount);
        requestId = _request(owner, amount, wstAmount);
    }

    /// @notice Pays the finalised requests `requestIds` to `recipient` in one transfer and burns their receipts;
    /// returns the FTM (wei) paid. The caller must hold each receipt or be approved for it (per receipt or as
    /// an operator of its holder). Never paused: the FTM is already set aside here.
    function claim(uint256[] calldata requestIds, address recipient) external nonReentrant returns (uint256 total) {
        if (requestIds.length == 0) revert WithdrawalQueue__NoRequests();
        if (recipient == address(0)) revert WithdrawalQueue__ZeroAddress();
        for (uint256 i; i < requestIds.length; ++i) {
            uint256 id = requestIds[i];
            RequestStatus status = _status(id);
            if (status == RequestStatus.Claimed) revert WithdrawalQueue__AlreadyClaimed(id);
            if (status != RequestStatus.Finalised) revert WithdrawalQueue__NotFinalised(id, status);
            address owner = _ownerOf(id);
            if (!_isAuthorized(owner, msg.sender, id)) revert WithdrawalQueue__NotOwnerOrApproved(id, msg.sender);
            uint256 amount = _finalisedAmounts[id];
            total += amount;
            _burn(id);
            emit WithdrawalClaimed(id, owner, recipient, amount);
        }
        (bool ok,) = recipient.call{value: total}("");
        if (!ok) revert WithdrawalQueue__PaymentFailed(recipient, total);
    }

    // ---------------------------------------------------------------- pool

    /// @notice Called by the pool after the oldest pending request's shares were burnt: records `msg.value` as
    /// what its claim pays. The pool values the shares and decides; the queue only checks the order and the cap.
    function finalise(uint256 requestId) external payable onlyPool {
        if (requestId != nextToFinalise || requestId >= nextRequestId) {
            revert WithdrawalQueue__NotNextToFinalise(requestId);
        }
        Request memory r = _requests[requestId];
        if (msg.value > r.amount) revert WithdrawalQueue__PayoutAboveAmount(msg.value, r.amount);
        _finalisedAmounts[requestId] = msg.value;
        pendingDemand -= r.amount;
        nextToFinalise = requestId + 1;
        emit WithdrawalFinalised(requestId, msg.value);
    }

    /// @notice The oldest pending request: its id (0 when none is pending), FTM amount and locked shares.
    function nextPending() external view returns (uint256 requestId, uint256 amount, uint256 shares) {
        requestId = nextToFinalise;
        if (requestId >= nextRequestId) return (0, 0, 0);
        Request memory r = _requests[requestId];
        return (requestId, r.amount, r.lockedShares);
    }

    // ---------------------------------------------------------------- views

    /// @notice The status, amounts and dates of each of `requestIds` (an unknown id reports status None).
    function requestStatuses(uint256[] calldata requestIds) external view returns (RequestView[] memory views) {
        views = new RequestView[](requestIds.length);
        uint256 delay = pool.withdrawalDelay();
        for (uint256 i; i < requestIds.length; ++i) {
            views[i] = _view(requestIds[i], delay);
        }
    }

    /// @notice The status, amounts and dates of request `requestId`.
    function requestStatus(uint256 requestId) public view returns (RequestView memory) {
        return _view(requestId, pool.withdrawalDelay());
    }

    /// @notice At most `limit` of the receipts `owner` holds, from position `offset` of its list on (the order
    /// changes when receipts leave the wallet: the last one takes the place of the one that left).
    function requestsOf(address owner, uint256 offset, uint256 limit) external view returns (uint256[] memory page) {
        uint256 count = balanceOf(owner);
        uint256 left = offset < count ? count - offset : 0;
        page = new uint256[](limit < left ? limit : left);
        for (uint256 i; i < page.length; ++i) {
            page[i] = _ownedRequests[owner][offset + i];
        }
    }

    /// @notice The on-chain metadata of receipt `requestId`: a `data:application/json;base64,` URI whose JSON
    /// holds the amount, status and expected date, and an SVG image showing them.
    function tokenURI(uint256 requestId) public view override returns (string memory) {
        _requireOwned(requestId);
        RequestView memory v = requestStatus(requestId);
        return ReceiptMetadata.tokenURI(
            ReceiptMetadata.Receipt({
                currency: currency,
                requestId: requestId,
                amount: v.amount,
                finalisedAmount: v.finalisedAmount,
                status: uint8(v.status),
                requestedAt: v.requestedAt,
                expectedBy: v.expectedBy
            })
        );
    }

    // ---------------------------------------------------------------- internals

    function _status(uint256 id) private view returns (RequestStatus) {
        if (id == 0 || id >= nextRequestId) return RequestStatus.None;
        if (id >= nextToFinalise) return RequestStatus.Pending;
        return _ownerOf(id) == address(0) ? RequestStatus.Claimed : RequestStatus.Finalised;
    }

    function _view(uint256 id, uint256 delay) private view returns (RequestView memory v) {
        v.requestId = id;
        v.status = _status(id);
        if (v.status == RequestStatus.None) return v;
        Request memory r = _requests[id];
        v.owner = _ownerOf(id);
        v.amount = r.amount;
        v.requestedAt = r.requestedAt;
        v.expectedBy = r.requestedAt + delay;
        v.lockedShares = r.lockedShares;
        if (v.status != RequestStatus.Pending) v.finalisedAmount = _finalisedAmounts[id];
    }

    function _sharesToLock(uint256 amount) private view returns (uint256) {
        // Rounded up: the locked shares are always worth at least the amount requested.
        uint256 s = stFTM.totalShares();
        uint256 p = stFTM.totalPooledFTM();
        return (amount * s + p - 1) / p;
    }

    function _checkMinimum(uint256 amount, uint256 minimum, bool wholeBalance) private pure {
        // A holder may always leave entirely, even with less than the minimum.
        if (amount == 0 || (amount < minimum && !wholeBalance)) {
            revert WithdrawalQueue__BelowMinWithdrawal(amount, minimum);
        }
    }

    function _request(address owner, uint256 amount, uint256 shares) private returns (uint256 id) {
        if (owner == address(0)) revert WithdrawalQueue__ZeroAddress();
        id = nextRequestId;
        (nextRequestId, pendingDemand) = (uint128(id + 1), pendingDemand + SafeCast.toUint128(amount));
        _requests[id] = Request({
            amount: SafeCast.toUint96(amount),
            lockedShares: SafeCast.toUint96(shares),
            requestedAt: uint40(block.timestamp),
            ownerIndex: 0 // set by `_update` as the receipt is minted
        });
        _mint(owner, id);
        emit WithdrawalRequested(id, msg.sender, owner, amount, shares);
    }

    /// @dev Keeps each owner's list of receipts: a receipt joins the end of its new owner's list; the one that
    /// leaves a list is replaced by the list's last receipt.
    function _update(address to, uint256 tokenId, address auth) internal override returns (address from) {
        from = super._update(to, tokenId, auth);
        if (from == to) return from;
        if (from != address(0)) {
            uint256 last = balanceOf(from); // after the update: the index of the last receipt
            uint256 index = _requests[tokenId].ownerIndex;
            if (index != last) {
                uint256 moved = _ownedRequests[from][last];
                _ownedRequests[from][index] = moved;
                _requests[moved].ownerIndex = uint24(index);
            }
            delete _ownedRequests[from][last];
        }
        if (to != address(0)) {
            uint256 index = balanceOf(to) - 1;
            if (index >= MAX_RECEIPTS_PER_OWNER) revert WithdrawalQueue__TooManyReceipts(to);
            _ownedRequests[to][index] = tokenId;
            _requests[tokenId].ownerIndex = uint24(index);
        }
    }
}
