// Withdrawals: requests, finalisations, claims and transfers of the receipts.
//
// A deployment with an ERC-721 WithdrawalQueue (its address in the deployment record) is indexed from the
// queue's events (abis/withdrawalQueue.ts). A deployment whose pool still holds the queue is indexed from
// the pool's own withdrawal events, which have other arguments; there a request cannot change hands.
import { ponder } from "ponder:registry";
import type { Context } from "ponder:registry";
import { keeperRound, receiptTransfer, withdrawal, withdrawalClaim } from "ponder:schema";
import { abis } from "../../app/lib/contracts.generated";
import { queueAddress } from "../deployment";
import { logId, openRound, when } from "./shared";

type Event = Parameters<typeof logId>[0] & { transaction: { from: `0x${string}` } };
type Handler = (args: { event: Event & { args: never }; context: Context }) => Promise<void>;
// Which contract emits these events depends on the deployment, so they are registered by name here.
const on = ponder.on.bind(ponder) as unknown as (name: string, handler: Handler) => void;
const zero = "0x0000000000000000000000000000000000000000";

async function requested(context: Context, event: Event, a: { requestId: bigint; requester: `0x${string}`; owner: `0x${string}`; amount: bigint; shares: bigint }) {
  await context.db
    .insert(withdrawal)
    .values({
      id: a.requestId, requester: a.requester, owner: a.owner, amount: a.amount, shares: a.shares, status: "pending",
      requestedAt: event.block.timestamp, requestedBlock: event.block.number, requestTx: event.transaction.hash,
    })
    // A receipt minted before its request event already set the owner; the request's own owner wins.
    .onConflictDoUpdate({ owner: a.owner, requester: a.requester, amount: a.amount, shares: a.shares, requestedAt: event.block.timestamp, requestedBlock: event.block.number, requestTx: event.transaction.hash });
}

async function finalised(context: Context, event: Event, requestId: bigint, amount: bigint) {
  await context.db.update(withdrawal, { id: requestId }).set({ status: "finalised", finalisedAmount: amount, finalisedAt: event.block.timestamp });
  const roundId = await openRound(context, event.block.timestamp);
  await context.db.update(keeperRound, { id: roundId }).set((r) => ({ finalised: r.finalised + 1 }));
}

async function claimed(context: Context, event: Event, a: { requestId: bigint; owner: `0x${string}`; recipient: `0x${string}`; amount: bigint }) {
  await context.db.update(withdrawal, { id: a.requestId }).set({ status: "claimed", claimedAt: event.block.timestamp, recipient: a.recipient });
  await context.db.insert(withdrawalClaim).values({ id: logId(event), ...a, ...when(event) }).onConflictDoNothing();
}

if (queueAddress) {
  type QueueArgs = {
    WithdrawalRequested: { requestId: bigint; requester: `0x${string}`; owner: `0x${string}`; amount: bigint; shares: bigint };
    WithdrawalFinalised: { requestId: bigint; amount: bigint };
    WithdrawalClaimed: { requestId: bigint; owner: `0x${string}`; recipient: `0x${string}`; amount: bigint };
    Transfer: { from: `0x${string}`; to: `0x${string}`; tokenId: bigint };
  };
  const args = <K extends keyof QueueArgs>(event: { args: never }) => event.args as unknown as QueueArgs[K];
  on("WithdrawalQueue:WithdrawalRequested", ({ event, context }) => requested(context, event, args<"WithdrawalRequested">(event)));
  on("WithdrawalQueue:WithdrawalFinalised", ({ event, context }) => {
    const a = args<"WithdrawalFinalised">(event);
    return finalised(context, event, a.requestId, a.amount);
  });
  on("WithdrawalQueue:WithdrawalClaimed", ({ event, context }) => claimed(context, event, args<"WithdrawalClaimed">(event)));
  on("WithdrawalQueue:Transfer", async ({ event, context }) => {
    const { from, to, tokenId } = args<"Transfer">(event);
    await context.db.insert(receiptTransfer).values({ id: logId(event), requestId: tokenId, from, to, ...when(event) }).onConflictDoNothing();
    // The burn at a claim leaves the last owner on the request.
    if (to !== zero && (await context.db.find(withdrawal, { id: tokenId }))) await context.db.update(withdrawal, { id: tokenId }).set({ owner: to });
  });
} else if (abis.pool.some((x) => x.type === "event" && x.name === "WithdrawalRequested")) {
  type PoolArgs = {
    WithdrawalRequested: { requestId: bigint; owner: `0x${string}`; amount: bigint; shares: bigint };
    WithdrawalFinalised: { requestId: bigint; owner: `0x${string}`; amount: bigint };
    WithdrawalClaimed: { requestId: bigint; owner: `0x${string}`; recipient: `0x${string}`; amount: bigint };
  };
  const args = <K extends keyof PoolArgs>(event: { args: never }) => event.args as unknown as PoolArgs[K];
  // The pool's request event has no requester: it is whoever sent the transaction.
  on("StakingPool:WithdrawalRequested", ({ event, context }) => requested(context, event, { ...args<"WithdrawalRequested">(event), requester: event.transaction.from }));
  on("StakingPool:WithdrawalFinalised", ({ event, context }) => {
    const a = args<"WithdrawalFinalised">(event);
    return finalised(context, event, a.requestId, a.amount);
  });
  on("StakingPool:WithdrawalClaimed", ({ event, context }) => claimed(context, event, args<"WithdrawalClaimed">(event)));
}
