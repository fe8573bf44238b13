// The indexer's tables: what the app's history panels read instead of scanning logs from the browser.
// Amounts are FTM wei, shares and token units as bigint; times are chain seconds; ids of rows that come
// from one log are `<txHash>-<logIndex>`, so a restart or a reorg replays them without duplicates.
import { index, onchainTable } from "ponder";

/** The exchange rate after every booking of the pool (stFTM's PooledFTMUpdated): the rate chart and the APR. */
export const ratePoint = onchainTable(
  "rate_point",
  (t) => ({
    id: t.text().primaryKey(),
    blockNumber: t.bigint().notNull(),
    timestamp: t.bigint().notNull(),
    totalPooledFTM: t.bigint().notNull(),
    totalShares: t.bigint().notNull(),
    /** FTM wei per 1e18 shares, rounded down: already net of the fee, which is minted as shares. */
    rate: t.bigint().notNull(),
    feeShares: t.bigint().notNull(),
  }),
  (table) => ({ byTime: index().on(table.timestamp) }),
);

/** Every `stake` (and `stakeAndWrap`, which stakes for the wrapper). */
export const stake = onchainTable(
  "stake",
  (t) => ({
    id: t.text().primaryKey(),
    sender: t.hex().notNull(),
    receiver: t.hex().notNull(),
    amount: t.bigint().notNull(),
    shares: t.bigint().notNull(),
    blockNumber: t.bigint().notNull(),
    timestamp: t.bigint().notNull(),
    txHash: t.hex().notNull(),
  }),
  (table) => ({ bySender: index().on(table.sender), byReceiver: index().on(table.receiver) }),
);

/** ERC-20 transfers of stFTM and wstFTM (mints and burns have the zero address on one side). */
export const tokenTransfer = onchainTable(
  "token_transfer",
  (t) => ({
    id: t.text().primaryKey(),
    token: t.text().notNull(), // "stFTM" | "wstFTM"
    from: t.hex().notNull(),
    to: t.hex().notNull(),
    amount: t.bigint().notNull(),
    blockNumber: t.bigint().notNull(),
    timestamp: t.bigint().notNull(),
    txHash: t.hex().notNull(),
  }),
  (table) => ({ byFrom: index().on(table.from), byTo: index().on(table.to) }),
);

/** wrap and unwrap of wstFTM. */
export const wrap = onchainTable(
  "wrap",
  (t) => ({
    id: t.text().primaryKey(),
    account: t.hex().notNull(),
    kind: t.text().notNull(), // "wrap" | "unwrap"
    stAmount: t.bigint().notNull(),
    wstAmount: t.bigint().notNull(),
    blockNumber: t.bigint().notNull(),
    timestamp: t.bigint().notNull(),
    txHash: t.hex().notNull(),
  }),
  (table) => ({ byAccount: index().on(table.account) }),
);

/** One row per withdrawal request: its current owner (the receipt's holder) and how far it got. */
export const withdrawal = onchainTable(
  "withdrawal",
  (t) => ({
    id: t.bigint().primaryKey(), // the request id
    requester: t.hex().notNull(),
    owner: t.hex().notNull(),
    amount: t.bigint().notNull(),
    shares: t.bigint().notNull(),
    status: t.text().notNull(), // "pending" | "finalised" | "claimed"
    requestedAt: t.bigint().notNull(),
    requestedBlock: t.bigint().notNull(),
    requestTx: t.hex().notNull(),
    finalisedAmount: t.bigint(),
    finalisedAt: t.bigint(),
    claimedAt: t.bigint(),
    recipient: t.hex(),
  }),
  (table) => ({ byOwner: index().on(table.owner), byRequester: index().on(table.requester) }),
);

/** Transfers of withdrawal receipts (the queue's ERC-721), mint and burn included. */
export const receiptTransfer = onchainTable(
  "receipt_transfer",
  (t) => ({
    id: t.text().primaryKey(),
    requestId: t.bigint().notNull(),
    from: t.hex().notNull(),
    to: t.hex().notNull(),
    blockNumber: t.bigint().notNull(),
    timestamp: t.bigint().notNull(),
    txHash: t.hex().notNull(),
  }),
  (table) => ({ byFrom: index().on(table.from), byTo: index().on(table.to), byRequest: index().on(table.requestId) }),
);

/** Claims of finalised requests. */
export const withdrawalClaim = onchainTable(
  "withdrawal_claim",
  (t) => ({
    id: t.text().primaryKey(),
    requestId: t.bigint().notNull(),
    owner: t.hex().notNull(),
    recipient: t.hex().notNull(),
    amount: t.bigint().notNull(),
    blockNumber: t.bigint().notNull(),
    timestamp: t.bigint().notNull(),
    txHash: t.hex().notNull(),
  }),
  (table) => ({ byOwner: index().on(table.owner), byRecipient: index().on(table.recipient) }),
);

/** Governor proposals with their running tally and the times of their timeline. */
export const proposal = onchainTable(
  "proposal",
  (t) => ({
    id: t.bigint().primaryKey(),
    proposer: t.hex().notNull(),
    description: t.text().notNull(),
    targets: t.json().$type<string[]>().notNull(),
    values: t.json().$type<string[]>().notNull(),
    calldatas: t.json().$type<string[]>().notNull(),
    voteStart: t.bigint().notNull(),
    voteEnd: t.bigint().notNull(),
    createdAt: t.bigint().notNull(),
    createdBlock: t.bigint().notNull(),
    forVotes: t.bigint().notNull(),
    againstVotes: t.bigint().notNull(),
    abstainVotes: t.bigint().notNull(),
    voters: t.integer().notNull(),
    extendedDeadline: t.bigint(),
    queuedAt: t.bigint(),
    eta: t.bigint(),
    executedAt: t.bigint(),
    canceledAt: t.bigint(),
  }),
  (table) => ({ byCreated: index().on(table.createdAt) }),
);

/** Every vote with its reason, and the proposal's tally just after it (the tally over time). */
export const vote = onchainTable(
  "vote",
  (t) => ({
    id: t.text().primaryKey(),
    proposalId: t.bigint().notNull(),
    voter: t.hex().notNull(),
    support: t.integer().notNull(), // 0 against, 1 for, 2 abstain
    weight: t.bigint().notNull(),
    reason: t.text().notNull(),
    forAfter: t.bigint().notNull(),
    againstAfter: t.bigint().notNull(),
    abstainAfter: t.bigint().notNull(),
    blockNumber: t.bigint().notNull(),
    timestamp: t.bigint().notNull(),
    txHash: t.hex().notNull(),
  }),
  (table) => ({ byProposal: index().on(table.proposalId), byVoter: index().on(table.voter) }),
);

/** What happened to a proposal on chain, in order: created, extended, queued, executed, canceled. */
export const proposalEvent = onchainTable(
  "proposal_event",
  (t) => ({
    id: t.text().primaryKey(),
    proposalId: t.bigint().notNull(),
    kind: t.text().notNull(),
    /** For "queued": when it becomes executable; for "extended": the new deadline. */
    at: t.bigint(),
    blockNumber: t.bigint().notNull(),
    timestamp: t.bigint().notNull(),
    txHash: t.hex().notNull(),
  }),
  (table) => ({ byProposal: index().on(table.proposalId) }),
);

/** wstFTM delegates: voting power now, how many accounts delegate to them, how many votes they cast. */
export const delegate = onchainTable("delegate", (t) => ({
  id: t.hex().primaryKey(),
  votingPower: t.bigint().notNull(),
  delegators: t.integer().notNull(),
  votesCast: t.integer().notNull(),
  updatedAt: t.bigint().notNull(),
}));

/** Whom each wstFTM account delegates to. */
export const delegation = onchainTable(
  "delegation",
  (t) => ({
    id: t.hex().primaryKey(), // the delegator
    delegatee: t.hex().notNull(),
    updatedAt: t.bigint().notNull(),
  }),
  (table) => ({ byDelegatee: index().on(table.delegatee) }),
);

/** Operations scheduled at the timelock (one row per call of a batch). */
export const timelockCall = onchainTable("timelock_call", (t) => ({
  id: t.text().primaryKey(), // `<operation id>-<index>`
  timelockId: t.hex().notNull(),
  index: t.bigint().notNull(),
  target: t.hex().notNull(),
  value: t.bigint().notNull(),
  data: t.hex().notNull(),
  delay: t.bigint().notNull(),
  scheduledAt: t.bigint().notNull(),
  executedAt: t.bigint(),
  cancelledAt: t.bigint(),
}));

/** The registry's validators as they stand now. */
export const validator = onchainTable("validator", (t) => ({
  id: t.bigint().primaryKey(), // the SFC validator id
  auth: t.hex().notNull(),
  metadataURI: t.text().notNull(),
  state: t.text().notNull(), // "Applied" | "Active" | "Exiting" | "Removed" | "Ineligible" | "Withdrawn"
  weightBps: t.integer().notNull(),
  stake: t.bigint().notNull(),
  appliedAt: t.bigint().notNull(),
  updatedAt: t.bigint().notNull(),
}));

/** A validator's pool stake, target and the SFC's commission after each change to one of them. */
export const validatorSnapshot = onchainTable(
  "validator_snapshot",
  (t) => ({
    id: t.text().primaryKey(),
    validatorId: t.bigint().notNull(),
    stake: t.bigint().notNull(),
    weightBps: t.integer().notNull(),
    /** The SFC's validator commission, 1e18 = 100 % (one figure for every validator of the chain). */
    commission: t.bigint().notNull(),
    cause: t.text().notNull(),
    blockNumber: t.bigint().notNull(),
    timestamp: t.bigint().notNull(),
  }),
  (table) => ({ byValidator: index().on(table.validatorId, table.timestamp) }),
);

/** A keeper round: the `process` calls from its first to the one that completed it. */
export const keeperRound = onchainTable("keeper_round", (t) => ({
  id: t.integer().primaryKey(), // 1, 2, … in the order the rounds started
  startedAt: t.bigint().notNull(),
  completedAt: t.bigint(),
  calls: t.integer().notNull(),
  gasUsed: t.bigint().notNull(),
  callers: t.json().$type<string[]>().notNull(),
  moves: t.integer().notNull(),
  delegated: t.bigint().notNull(),
  undelegated: t.bigint().notNull(),
  harvested: t.bigint().notNull(),
  finalised: t.integer().notNull(),
}));

/** One `process` call: who, when, the gas its transaction used, and where it stopped. */
export const keeperCall = onchainTable(
  "keeper_call",
  (t) => ({
    id: t.text().primaryKey(),
    roundId: t.integer().notNull(),
    caller: t.hex().notNull(),
    steps: t.bigint().notNull(),
    phase: t.integer().notNull(),
    roundCompleted: t.boolean().notNull(),
    gasUsed: t.bigint().notNull(),
    blockNumber: t.bigint().notNull(),
    timestamp: t.bigint().notNull(),
    txHash: t.hex().notNull(),
  }),
  (table) => ({ byRound: index().on(table.roundId) }),
);

/** What the pool did at a validator: delegations, undelegations, withdrawn unbonding, harvests, failed moves, slashing. */
export const stakeMove = onchainTable(
  "stake_move",
  (t) => ({
    id: t.text().primaryKey(),
    roundId: t.integer().notNull(),
    validatorId: t.bigint().notNull(),
    kind: t.text().notNull(), // "delegate" | "undelegate" | "withdrawn" | "harvest" | "failed-delegate" | "failed-undelegate" | "slashing"
    amount: t.bigint().notNull(),
    blockNumber: t.bigint().notNull(),
    timestamp: t.bigint().notNull(),
    txHash: t.hex().notNull(),
  }),
  (table) => ({ byRound: index().on(table.roundId), byValidator: index().on(table.validatorId) }),
);

/** Singleton (id "keeper"): the round the next move belongs to. */
export const cursor = onchainTable("cursor", (t) => ({
  id: t.text().primaryKey(),
  openRound: t.integer().notNull(),
}));
