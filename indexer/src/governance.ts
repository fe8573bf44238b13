// Governor and timelock: proposals with their timeline and running tally, votes with reasons, delegates'
// votes cast, and the timelock's scheduled calls.
import { ponder } from "ponder:registry";
import type { Context } from "ponder:registry";
import { eq } from "ponder";
import { delegate, proposal, proposalEvent, timelockCall, vote } from "ponder:schema";
import { logId, when } from "./shared";

async function timeline(context: Context, event: Parameters<typeof logId>[0], proposalId: bigint, kind: string, at?: bigint) {
  await context.db.insert(proposalEvent).values({ id: logId(event), proposalId, kind, at, ...when(event) }).onConflictDoNothing();
}

ponder.on("StakingGovernor:ProposalCreated", async ({ event, context }) => {
  const a = event.args;
  await context.db
    .insert(proposal)
    .values({
      id: a.proposalId,
      proposer: a.proposer,
      description: a.description,
      targets: [...a.targets],
      values: a.values.map(String),
      calldatas: [...a.calldatas],
      voteStart: a.voteStart,
      voteEnd: a.voteEnd,
      createdAt: event.block.timestamp,
      createdBlock: event.block.number,
      forVotes: 0n,
      againstVotes: 0n,
      abstainVotes: 0n,
      voters: 0,
    })
    .onConflictDoNothing();
  await timeline(context, event, a.proposalId, "created");
});

async function castVote(context: Context, event: Parameters<typeof logId>[0], a: { voter: `0x${string}`; proposalId: bigint; support: number; weight: bigint; reason: string }) {
  const p = await context.db.update(proposal, { id: a.proposalId }).set((p) => ({
    againstVotes: p.againstVotes + (a.support === 0 ? a.weight : 0n),
    forVotes: p.forVotes + (a.support === 1 ? a.weight : 0n),
    abstainVotes: p.abstainVotes + (a.support === 2 ? a.weight : 0n),
    voters: p.voters + 1,
  }));
  await context.db
    .insert(vote)
    .values({
      id: `${a.proposalId}-${a.voter.toLowerCase()}`,
      ...a,
      forAfter: p.forVotes,
      againstAfter: p.againstVotes,
      abstainAfter: p.abstainVotes,
      ...when(event),
    })
    .onConflictDoNothing();
  const d = await context.db.find(delegate, { id: a.voter });
  if (d) await context.db.update(delegate, { id: a.voter }).set({ votesCast: d.votesCast + 1 });
  else await context.db.insert(delegate).values({ id: a.voter, votingPower: 0n, delegators: 0, votesCast: 1, updatedAt: event.block.timestamp });
}

ponder.on("StakingGovernor:VoteCast", async ({ event, context }) => {
  await castVote(context, event, event.args);
});
ponder.on("StakingGovernor:VoteCastWithParams", async ({ event, context }) => {
  const { voter, proposalId, support, weight, reason } = event.args;
  await castVote(context, event, { voter, proposalId, support, weight, reason });
});

ponder.on("StakingGovernor:ProposalQueued", async ({ event, context }) => {
  const { proposalId, etaSeconds } = event.args;
  await context.db.update(proposal, { id: proposalId }).set({ queuedAt: event.block.timestamp, eta: etaSeconds });
  await timeline(context, event, proposalId, "queued", etaSeconds);
});
ponder.on("StakingGovernor:ProposalExecuted", async ({ event, context }) => {
  await context.db.update(proposal, { id: event.args.proposalId }).set({ executedAt: event.block.timestamp });
  await timeline(context, event, event.args.proposalId, "executed");
});
ponder.on("StakingGovernor:ProposalCanceled", async ({ event, context }) => {
  await context.db.update(proposal, { id: event.args.proposalId }).set({ canceledAt: event.block.timestamp });
  await timeline(context, event, event.args.proposalId, "canceled");
});
ponder.on("StakingGovernor:ProposalExtended", async ({ event, context }) => {
  const { proposalId, extendedDeadline } = event.args;
  await context.db.update(proposal, { id: proposalId }).set({ extendedDeadline: BigInt(extendedDeadline) });
  await timeline(context, event, proposalId, "extended", BigInt(extendedDeadline));
});

ponder.on("Timelock:CallScheduled", async ({ event, context }) => {
  const { id, index, target, value, data, delay } = event.args;
  await context.db
    .insert(timelockCall)
    .values({ id: `${id}-${index}`, timelockId: id, index, target, value, data, delay, scheduledAt: event.block.timestamp })
    .onConflictDoNothing();
});
ponder.on("Timelock:CallExecuted", async ({ event, context }) => {
  const { id, index } = event.args;
  await context.db.update(timelockCall, { id: `${id}-${index}` }).set({ executedAt: event.block.timestamp });
});
ponder.on("Timelock:Cancelled", async ({ event, context }) => {
  await context.db.sql.update(timelockCall).set({ cancelledAt: event.block.timestamp }).where(eq(timelockCall.timelockId, event.args.id));
});
