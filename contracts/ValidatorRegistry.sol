// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

import {AccessControl} from "@openzeppelin/contracts/access/AccessControl.sol";
import {ISFC} from "./interfaces/ISFC.sol";
import {SFCReader} from "./libraries/SFCReader.sol";

interface IPoolStakeView {
    /// @notice Whether the pool holds nothing at `validatorId` that it could still get back.
    function canRetire(uint256 validatorId) external view returns (bool);
}

/// @title The governed validator set and its target weights
/// @notice Validators apply from their SFC auth address; governance (the timelock, holding the admin role)
/// approves, removes and sets target weights; anyone can `sync` a validator with what the SFC reports.
/// States: Applied → Active → Exiting → Removed, and Ineligible while the SFC reports it offline,
/// withdrawn or slashed.
contract ValidatorRegistry is AccessControl {
    using SFCReader for ISFC;

    enum State {
        None,
        Applied,
        Active,
        Exiting,
        Removed,
        Ineligible
    }

    struct Entry {
        State state;
        uint16 weightBps;
        bool inSet; // Active, Exiting or Ineligible after approval: the pool may hold stake there
        uint64 appliedAt;
        uint32 setIndex;
        string metadataURI;
    }

    /// @notice A validator of the set as the pool plans with it: id, state and raw governed weight (bps).
    struct Member {
        uint256 id;
        State state;
        uint256 weightBps;
    }

    struct ValidatorInfo {
        uint256 id;
        State state;
        uint16 weightBps;
        uint64 appliedAt;
        string metadataURI;
    }

    uint256 public constant BPS = 10_000;
    uint256 public constant MAX_VALIDATORS_CAP = 200;

    ISFC public immutable sfc;
    SFCReader.Layout public immutable sfcLayout;
    IPoolStakeView public pool;
    uint256 public maxWeightBps = 2_000;
    uint256 public maxValidators = 100;

    mapping(uint256 validatorId => Entry) private _entries;
    uint256[] private _known;
    // The set's ids, four to a storage slot: the pool reads the whole set every time it plans. (SFC validator
    // ids are sequential from 1; the pool also keeps them as uint64 in its SFC withdrawal records.)
    uint64[] private _set;

    event ValidatorApplied(uint256 indexed validatorId, address indexed auth, string metadataURI);
    event ApplicationWithdrawn(uint256 indexed validatorId);
    event ValidatorApproved(uint256 indexed validatorId);
    event ValidatorExiting(uint256 indexed validatorId);
    event ValidatorRemoved(uint256 indexed validatorId);
    event ValidatorIneligible(uint256 indexed validatorId, uint256 sfcStatus, bool slashed);
    event ValidatorRestored(uint256 indexed validatorId, State state);
    event TargetsSet(uint256[] ids, uint16[] weightsBps);
    event MaxWeightBpsSet(uint256 maxWeightBps);
    event MaxValidatorsSet(uint256 maxValidators);
    event PoolSet(address pool);

    /// @notice Only validator `validatorId`'s own SFC auth wallet can do this, and `caller` is not it.
    error ValidatorRegistry__NotValidatorAuth(uint256 validatorId, address caller);
    /// @notice The chain reports validator `validatorId` offline, withdrawn or slashed (SFC status `sfcStatus`,
    /// slashed: `slashed`), so it cannot apply or be admitted now.
    error ValidatorRegistry__NotEligibleOnSFC(uint256 validatorId, uint256 sfcStatus, bool slashed);
    /// @notice Validator `validatorId` has `selfStake` of self-stake, below the chain's minimum of `minSelfStake`.
    error ValidatorRegistry__SelfStakeTooLow(uint256 validatorId, uint256 selfStake, uint256 minSelfStake);
    /// @notice Validator `validatorId` is `state` in the registry, a state that does not allow this.
    error ValidatorRegistry__WrongState(uint256 validatorId, State state);
    /// @notice The set already holds its maximum of `maxValidators` validators: governance must remove one or raise
    /// the maximum first.
    error ValidatorRegistry__SetFull(uint256 maxValidators);
    /// @notice The target vector names a different number of validators and weights.
    error ValidatorRegistry__LengthMismatch();
    /// @notice Validator `validatorId` is not in the set (or is leaving it), so it cannot get a target weight.
    error ValidatorRegistry__NotActive(uint256 validatorId);
    /// @notice The target weight of validator `validatorId`, `weightBps` bps, is above the cap of `maxWeightBps`
    /// bps.
    error ValidatorRegistry__WeightTooHigh(uint256 validatorId, uint256 weightBps, uint256 maxWeightBps);
    /// @notice The target weights sum to `sumBps` bps instead of 10,000 (100 %).
    error ValidatorRegistry__WeightsSum(uint256 sumBps);
    /// @notice The target vector must list validator ids in ascending order, without repeats; `validatorId` breaks
    /// it.
    error ValidatorRegistry__IdsNotAscending(uint256 validatorId);
    /// @notice The value `value` is outside the range this setting allows.
    error ValidatorRegistry__ValueOutOfRange(uint256 value);
    /// @notice The registry is already linked to its pool; the link is set once, at deployment.
    error ValidatorRegistry__PoolAlreadySet();

    constructor(ISFC sfc_, SFCReader.Layout sfcLayout_, address admin) {
        sfc = sfc_;
        sfcLayout = sfcLayout_;
        _grantRole(DEFAULT_ADMIN_ROLE, admin);
    }

    // ---- validators ----

    /// @notice Applies for inclusion. Only the validator's SFC auth address; the validator must be OK,
    /// not slashed and hold at least the SFC's minimum self-stake. (`apply` is a reserved word in Solidity.)
    function applyForInclusion(uint256 validatorId, string calldata metadataURI) external {
        _requireAuth(validatorId);
        Entry storage e = _entries[validatorId];
        if (e.state != State.None && e.state != State.Removed) revert ValidatorRegistry__WrongState(validatorId, e.state);
        _requireHealthy(validatorId);
        uint256 selfStake = sfc.getSelfStake(validatorId);
        uint256 minSelfStake = SFCReader.consts(sfc).minSelfStake();
        if (selfStake < minSelfStake) revert ValidatorRegistry__SelfStakeTooLow(validatorId, selfStake, minSelfStake);
        if (e.appliedAt == 0) _known.push(validatorId);
        e.state = State.Applied;
        e.appliedAt = uint64(block.timestamp);
        e.metadataURI = metadataURI;
        emit ValidatorApplied(validatorId, msg.sender, metadataURI);
    }

    /// @notice Withdraws a pending application, by the same auth address.
    function withdrawApplication(uint256 validatorId) external {
        _requireAuth(validatorId);
        Entry storage e = _entries[validatorId];
        if (e.state != State.Applied) revert ValidatorRegistry__WrongState(validatorId, e.state);
        e.state = State.Removed;
        emit ApplicationWithdrawn(validatorId);
    }

    // ---- governance (admin role = timelock) ----

    /// @notice Admits an applicant to the set with weight 0 (give it weight with `setTargets`).
    function approve(uint256 validatorId) external onlyRole(DEFAULT_ADMIN_ROLE) {
        Entry storage e = _entries[validatorId];
        if (e.state != State.Applied) revert ValidatorRegistry__WrongState(validatorId, e.state);
        if (_set.length >= maxValidators) revert ValidatorRegistry__SetFull(maxValidators);
        if (validatorId > type(uint64).max) revert ValidatorRegistry__ValueOutOfRange(validatorId);
        _requireHealthy(validatorId);
        e.state = State.Active;
        e.inSet = true;
        e.setIndex = uint32(_set.length);
        _set.push(uint64(validatorId));
        emit ValidatorApproved(validatorId);
    }

    /// @notice Starts removing a validator: weight 0, state Exiting; it becomes Removed once the pool holds
    /// neither stake nor unbonding there that could still pay (immediately if it holds none). A validator
    /// slashed with a refund ratio of 0 can be removed once the pool has sent its stake into unbonding.
    function remove(uint256 validatorId) external onlyRole(DEFAULT_ADMIN_ROLE) {
        Entry storage e = _entries[validatorId];
        if (e.state != State.Active && e.state != State.Ineligible) {
            revert ValidatorRegistry__WrongState(validatorId, e.state);
        }
        e.state = State.Exiting;
        e.weightBps = 0;
        emit ValidatorExiting(validatorId);
        _finishExit(validatorId, e);
    }

    /// @notice Replaces the whole target vector. `ids` ascending, every id in the set and not exiting (Active,
    /// or Ineligible: it keeps its weight, which the pool spreads over the others while it is ineligible, so
    /// a `sync` between a proposal and its execution cannot make it revert), each weight at most
    /// `maxWeightBps`, weights summing to 10,000 bps. Validators not named get weight 0.
    function setTargets(uint256[] calldata ids, uint16[] calldata weightsBps) external onlyRole(DEFAULT_ADMIN_ROLE) {
        if (ids.length != weightsBps.length) revert ValidatorRegistry__LengthMismatch();
        uint256 n = _set.length;
        for (uint256 i; i < n; ++i) {
            _entries[_set[i]].weightBps = 0;
        }
        uint256 sum;
        uint256 cap = maxWeightBps;
        for (uint256 i; i < ids.length; ++i) {
            uint256 id = ids[i];
            if (i > 0 && id <= ids[i - 1]) revert ValidatorRegistry__IdsNotAscending(id);
            Entry storage e = _entries[id];
            if (e.state != State.Active && !(e.state == State.Ineligible && e.inSet)) {
                revert ValidatorRegistry__NotActive(id);
            }
            if (weightsBps[i] > cap) revert ValidatorRegistry__WeightTooHigh(id, weightsBps[i], cap);
            e.weightBps = weightsBps[i];
            sum += weightsBps[i];
        }
        if (sum != BPS) revert ValidatorRegistry__WeightsSum(sum);
        emit TargetsSet(ids, weightsBps);
    }

    function setMaxWeightBps(uint256 value) external onlyRole(DEFAULT_ADMIN_ROLE) {
        if (value == 0 || value > BPS) revert ValidatorRegistry__ValueOutOfRange(value);
        maxWeightBps = value;
        emit MaxWeightBpsSet(value);
    }

    function setMaxValidators(uint256 value) external onlyRole(DEFAULT_ADMIN_ROLE) {
        if (value == 0 || value > MAX_VALIDATORS_CAP || value < _set.length) {
            revert ValidatorRegistry__ValueOutOfRange(value);
        }
        maxValidators = value;
        emit MaxValidatorsSet(value);
    }

    /// @notice One-time link to the pool, set during deployment before the admin role moves to the timelock.
    function setPool(IPoolStakeView pool_) external onlyRole(DEFAULT_ADMIN_ROLE) {
        if (address(pool) != address(0)) revert ValidatorRegistry__PoolAlreadySet();
        pool = pool_;
        emit PoolSet(address(pool_));
    }

    // ---- anyone ----

    /// @notice Brings a validator's state in line with the SFC and the pool: Ineligible when the SFC reports
    /// it offline, withdrawn or slashed; back when it recovers (never after slashing); Exiting → Removed
    /// once the pool may retire it (`IPoolStakeView.canRetire`).
    function sync(uint256 validatorId) external {
        Entry storage e = _entries[validatorId];
        State s = e.state;
        if (s == State.Exiting) {
            _finishExit(validatorId, e);
            return;
        }
        if (s != State.Applied && s != State.Active && s != State.Ineligible) return;
        SFCReader.Validator memory v = sfc.validator(sfcLayout, validatorId);
        bool slashed = sfc.isSlashed(validatorId);
        bool healthy = v.status == SFCReader.STATUS_OK && !slashed;
        if (!healthy && s != State.Ineligible) {
            e.state = State.Ineligible;
            emit ValidatorIneligible(validatorId, v.status, slashed);
        } else if (healthy && s == State.Ineligible) {
            e.state = e.inSet ? State.Active : State.Applied;
            emit ValidatorRestored(validatorId, e.state);
        }
    }

    // ---- views ----

    function stateOf(uint256 validatorId) external view returns (State) {
        return _entries[validatorId].state;
    }

    function weightOf(uint256 validatorId) external view returns (uint256) {
        return _entries[validatorId].weightBps;
    }

    /// @notice Every validator that ever applied, with state, weight and metadata.
    function validators() external view returns (ValidatorInfo[] memory out) {
        out = new ValidatorInfo[](_known.length);
        for (uint256 i; i < out.length; ++i) {
            uint256 id = _known[i];
            Entry storage e = _entries[id];
            out[i] = ValidatorInfo(id, e.state, e.weightBps, e.appliedAt, e.metadataURI);
        }
    }

    /// @notice The current target vector over the set (ids with their weights, in bps).
    function targets() external view returns (uint256[] memory ids, uint16[] memory weightsBps) {
        ids = _setIds();
        weightsBps = new uint16[](ids.length);
        for (uint256 i; i < ids.length; ++i) {
            weightsBps[i] = _entries[ids[i]].weightBps;
        }
    }

    /// @notice What the pool plans with: the set (validators that may hold pool stake), their states and raw
    /// weights, in the set's order.
    function allocationView() external view returns (Member[] memory members) {
        uint256[] memory ids = _setIds();
        members = new Member[](ids.length);
        for (uint256 i; i < ids.length; ++i) {
            Entry storage e = _entries[ids[i]];
            members[i] = Member(ids[i], e.state, e.weightBps);
        }
    }

    function setSize() external view returns (uint256) {
        return _set.length;
    }

    // ---- internals ----

    /// @dev The set's ids, reading each storage slot of `_set` (four ids) once.
    function _setIds() private view returns (uint256[] memory ids) {
        uint256 n = _set.length;
        ids = new uint256[](n);
        assembly ("memory-safe") {
            mstore(0, _set.slot)
            let base := keccak256(0, 0x20)
            let word := 0
            for { let i := 0 } lt(i, n) { i := add(i, 1) } {
                if iszero(and(i, 3)) { word := sload(add(base, shr(2, i))) }
                // Entry i sits at bit 64 × (i mod 4) of slot i / 4.
                mstore(add(ids, shl(5, add(i, 1))), and(shr(shl(6, and(i, 3)), word), 0xffffffffffffffff))
            }
        }
    }

    function _requireAuth(uint256 validatorId) private view {
        if (validatorId == 0 || sfc.getValidatorID(msg.sender) != validatorId) {
            revert ValidatorRegistry__NotValidatorAuth(validatorId, msg.sender);
        }
    }

    function _requireHealthy(uint256 validatorId) private view {
        SFCReader.Validator memory v = sfc.validator(sfcLayout, validatorId);
        bool slashed = sfc.isSlashed(validatorId);
        if (v.status != SFCReader.STATUS_OK || slashed) {
            revert ValidatorRegistry__NotEligibleOnSFC(validatorId, v.status, slashed);
        }
    }

    function _finishExit(uint256 validatorId, Entry storage e) private {
        if (address(pool) != address(0) && !pool.canRetire(validatorId)) return;
        e.state = State.Removed;
        e.inSet = false;
        uint256 idx = e.setIndex;
        uint64 last = _set[_set.length - 1];
        _set[idx] = last;
        _entries[last].setIndex = uint32(idx);
        _set.pop();
        emit ValidatorRemoved(validatorId);
    }
}
