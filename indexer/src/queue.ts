// Withdrawals: requests, finalisations, claims and transfers of the ERC-721 receipts of WithdrawalQueue.
import { ponder } from "ponder:registry";
import type { Context } from "ponder:registry";
import { keeperRound, receiptTransfer, withdrawal, withdrawalClaim } from "ponder:schema";
import { logId, openRound, when } from "./shared";

type Event = Parameters<typeof logId>[0];
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

ponder.on("WithdrawalQueue:WithdrawalRequested", ({ event, context }) => requested(context, event, event.args));
ponder.on("WithdrawalQueue:WithdrawalFinalised", ({ event, context }) => finalised(context, event, event.args.requestId, event.args.amount));
ponder.on("WithdrawalQueue:WithdrawalClaimed", ({ event, context }) => claimed(context, event, event.args));
ponder.on("WithdrawalQueue:Transfer", async ({ event, context }) => {
  const { from, to, tokenId } = event.args;
  await context.db.insert(receiptTransfer).values({ id: logId(event), requestId: tokenId, from, to, ...when(event) }).onConflictDoNothing();
  // The burn at a claim leaves the last owner on the request.
  if (to !== zero && (await context.db.find(withdrawal, { id: tokenId }))) await context.db.update(withdrawal, { id: tokenId }).set({ owner: to });
});
