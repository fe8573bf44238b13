// StakingPool: stakes, keeper rounds (calls, gas, moves) and each validator's stake after a move.
// Withdrawals are the queue's events: src/queue.ts.
import { ponder } from "ponder:registry";
import { cursor, keeperCall, keeperRound, stake, stakeMove } from "ponder:schema";
import type { Context } from "ponder:registry";
import { logId, openRound, snapshotValidator, when } from "./shared";

ponder.on("StakingPool:Staked", async ({ event, context }) => {
  const { sender, receiver, amount, shares } = event.args;
  await context.db.insert(stake).values({ id: logId(event), sender, receiver, amount, shares, ...when(event) }).onConflictDoNothing();
});

type MoveKind = "delegate" | "undelegate" | "withdrawn" | "harvest" | "failed-delegate" | "failed-undelegate" | "slashing";
type MoveEvent = Parameters<typeof snapshotValidator>[1];

async function move(context: Context, event: MoveEvent, validatorId: bigint, kind: MoveKind, amount: bigint) {
  const roundId = await openRound(context, event.block.timestamp);
  await context.db.insert(stakeMove).values({ id: logId(event), roundId, validatorId, kind, amount, ...when(event) }).onConflictDoNothing();
  await context.db.update(keeperRound, { id: roundId }).set((r) => ({
    moves: r.moves + (kind === "delegate" || kind === "undelegate" ? 1 : 0),
    delegated: r.delegated + (kind === "delegate" ? amount : 0n),
    undelegated: r.undelegated + (kind === "undelegate" ? amount : 0n),
    harvested: r.harvested + (kind === "harvest" ? amount : 0n),
  }));
  await snapshotValidator(context, event, validatorId, kind);
}

ponder.on("StakingPool:Delegated", async ({ event, context }) => {
  await move(context, event, event.args.validatorId, "delegate", event.args.amount);
});
ponder.on("StakingPool:Undelegated", async ({ event, context }) => {
  await move(context, event, event.args.validatorId, "undelegate", event.args.amount);
});
ponder.on("StakingPool:UnbondingWithdrawn", async ({ event, context }) => {
  await move(context, event, event.args.validatorId, "withdrawn", event.args.received);
});
ponder.on("StakingPool:RewardsHarvested", async ({ event, context }) => {
  await move(context, event, event.args.validatorId, "harvest", event.args.amount);
});
ponder.on("StakingPool:MoveFailed", async ({ event, context }) => {
  await move(context, event, event.args.validatorId, event.args.isDelegate ? "failed-delegate" : "failed-undelegate", event.args.amount);
});
ponder.on("StakingPool:SlashingBooked", async ({ event, context }) => {
  await move(context, event, event.args.validatorId, "slashing", event.args.lossOrGain);
});

ponder.on("StakingPool:Processed", async ({ event, context }) => {
  const { caller, steps, phase, roundCompleted } = event.args;
  const roundId = await openRound(context, event.block.timestamp);
  const gasUsed = event.transactionReceipt.gasUsed;
  await context.db
    .insert(keeperCall)
    .values({ id: logId(event), roundId, caller, steps, phase, roundCompleted, gasUsed, ...when(event) })
    .onConflictDoNothing();
  await context.db.update(keeperRound, { id: roundId }).set((r) => ({
    calls: r.calls + 1,
    gasUsed: r.gasUsed + gasUsed,
    callers: r.callers.includes(caller) ? r.callers : [...r.callers, caller],
    completedAt: roundCompleted ? event.block.timestamp : r.completedAt,
  }));
  if (roundCompleted) await context.db.update(cursor, { id: "keeper" }).set({ openRound: roundId + 1 });
});
