// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;

/// @dev Stands in for FTM forced into a contract without calling it (SELFDESTRUCT to an address).
contract ForcedFTMSender {
    constructor(address payable target) payable {
        selfdestruct(target);
    }
}

interface IClaimable {
    function claim(uint256[] calldata requestIds, address recipient) external returns (uint256);
    function requestWithdrawal(uint256 amount, address owner) external returns (uint256);
}

/// @dev A claim recipient that tries to claim again while being paid, and swallows the failure.
contract ReentrantClaimer {
    IClaimable public immutable queue;
    uint256[] private _ids;
    uint256 public reentryAttempts;
    bool public reentrySucceeded;

    constructor(IClaimable queue_) {
        queue = queue_;
    }

    function request(uint256 amount) external returns (uint256 id) {
        id = queue.requestWithdrawal(amount, address(this));
        _ids.push(id);
    }

    function claimAll() external returns (uint256) {
        return queue.claim(_ids, address(this));
    }

    receive() external payable {
        if (reentryAttempts == 0) {
            ++reentryAttempts;
            try queue.claim(_ids, address(this)) {
                reentrySucceeded = true;
            } catch {}
        }
    }
}

/// @dev A recipient that refuses FTM.
contract FTMRefuser {
    receive() external payable {
        revert("no thanks");
    }
}

interface IVotesToken {
    function transferFrom(address from, address to, uint256 amount) external returns (bool);
    function transfer(address to, uint256 amount) external returns (bool);
    function delegate(address delegatee) external;
}

interface ICastVote {
    function castVote(uint256 proposalId, uint8 support) external returns (uint256);
}

/// @dev Borrows governance tokens, delegates to itself, votes and repays, all in one transaction:
/// what a flash loan of wstFTM would let an attacker do.
contract FlashVoter {
    IVotesToken public immutable token;
    ICastVote public immutable governor;

    constructor(IVotesToken token_, ICastVote governor_) {
        token = token_;
        governor = governor_;
    }

    function borrowVoteAndRepay(address lender, uint256 amount, uint256 proposalId) external {
        token.transferFrom(lender, address(this), amount);
        token.delegate(address(this));
        governor.castVote(proposalId, 1);
        token.transfer(lender, amount);
    }
}
