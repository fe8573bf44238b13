// stFTM and wstFTM: the rate after every booking, transfers, wraps and wstFTM's delegation of votes.
import { ponder } from "ponder:registry";
import type { Context } from "ponder:registry";
import { delegate, delegation, ratePoint, tokenTransfer, wrap } from "ponder:schema";
import { logId, when } from "./shared";

const zero = "0x0000000000000000000000000000000000000000";
const ONE = 10n ** 18n;

ponder.on("StakedFTM:PooledFTMUpdated", async ({ event, context }) => {
  const { totalPooledFTM, totalShares, feeShares } = event.args;
  await context.db
    .insert(ratePoint)
    .values({
      id: logId(event),
      blockNumber: event.block.number,
      timestamp: event.block.timestamp,
      totalPooledFTM,
      totalShares,
      rate: totalShares > 0n ? (totalPooledFTM * ONE) / totalShares : ONE,
      feeShares,
    })
    .onConflictDoNothing();
});

ponder.on("StakedFTM:Transfer", async ({ event, context }) => {
  const { from, to, value } = event.args;
  await context.db.insert(tokenTransfer).values({ id: logId(event), token: "stFTM", from, to, amount: value, ...when(event) }).onConflictDoNothing();
});

ponder.on("WrappedStakedFTM:Transfer", async ({ event, context }) => {
  const { from, to, value } = event.args;
  await context.db.insert(tokenTransfer).values({ id: logId(event), token: "wstFTM", from, to, amount: value, ...when(event) }).onConflictDoNothing();
});

ponder.on("WrappedStakedFTM:Wrapped", async ({ event, context }) => {
  const { account, stAmount, wstAmount } = event.args;
  await context.db.insert(wrap).values({ id: logId(event), account, kind: "wrap", stAmount, wstAmount, ...when(event) }).onConflictDoNothing();
});

ponder.on("WrappedStakedFTM:Unwrapped", async ({ event, context }) => {
  const { account, stAmount, wstAmount } = event.args;
  await context.db.insert(wrap).values({ id: logId(event), account, kind: "unwrap", stAmount, wstAmount, ...when(event) }).onConflictDoNothing();
});

async function delegateRow(context: Context, address: `0x${string}`, timestamp: bigint) {
  return (
    (await context.db.find(delegate, { id: address })) ??
    (await context.db.insert(delegate).values({ id: address, votingPower: 0n, delegators: 0, votesCast: 0, updatedAt: timestamp }))
  );
}

ponder.on("WrappedStakedFTM:DelegateChanged", async ({ event, context }) => {
  const { delegator, fromDelegate, toDelegate } = event.args;
  const t = event.block.timestamp;
  if (fromDelegate !== zero) {
    await delegateRow(context, fromDelegate, t);
    await context.db.update(delegate, { id: fromDelegate }).set((d) => ({ delegators: d.delegators - 1, updatedAt: t }));
  }
  if (toDelegate !== zero) {
    await delegateRow(context, toDelegate, t);
    await context.db.update(delegate, { id: toDelegate }).set((d) => ({ delegators: d.delegators + 1, updatedAt: t }));
  }
  await context.db.insert(delegation).values({ id: delegator, delegatee: toDelegate, updatedAt: t }).onConflictDoUpdate({ delegatee: toDelegate, updatedAt: t });
});

ponder.on("WrappedStakedFTM:DelegateVotesChanged", async ({ event, context }) => {
  const { delegate: who, newVotes } = event.args;
  await delegateRow(context, who, event.block.timestamp);
  await context.db.update(delegate, { id: who }).set({ votingPower: newVotes, updatedAt: event.block.timestamp });
});
