// The indexer's HTTP API. Ponder's own endpoints: /sql/* (SQL over HTTP, for @ponder/client), /graphql,
// /health, /ready, /status. Under /history the shapes the app's history panels read, as JSON with bigints
// as decimal strings.
import { db } from "ponder:api";
import schema from "ponder:schema";
import { Hono } from "hono";
import { cors } from "hono/cors";
import { and, asc, client, desc, eq, graphql, lte, or, replaceBigInts } from "ponder";
import { aprOver } from "../apr";

const app = new Hono();
app.use("*", cors());
app.use("/sql/*", client({ db, schema }));
app.use("/graphql", graphql({ db, schema }));

const json = (data: unknown) => replaceBigInts(data, (v) => String(v));
const limitOf = (raw: string | undefined, max: number, fallback: number) => {
  const n = Number(raw ?? fallback);
  return Number.isInteger(n) && n > 0 ? Math.min(n, max) : fallback;
};
const isAddress = (s: string) => /^0x[0-9a-fA-F]{40}$/.test(s);
const isId = (s: string) => /^\d{1,78}$/.test(s);

/** Rate points (newest `limit`, oldest first) and the APR over 7 and 30 days, net of the fee. */
app.get("/history/rate", async (c) => {
  const limit = limitOf(c.req.query("limit"), 2000, 200);
  const newest = await db.select().from(schema.ratePoint).orderBy(desc(schema.ratePoint.timestamp), desc(schema.ratePoint.blockNumber)).limit(limit);
  const latest = newest[0];
  const windows = [];
  for (const days of [7, 30]) {
    if (!latest) {
      windows.push({ days, apr: null, fromTime: null, toTime: null, coveredSeconds: 0, complete: false });
      continue;
    }
    const cutoff = latest.timestamp - BigInt(days * 86_400);
    // The newest point at or before the window's start, else the oldest point there is.
    const [before] = await db.select().from(schema.ratePoint).where(lte(schema.ratePoint.timestamp, cutoff)).orderBy(desc(schema.ratePoint.timestamp)).limit(1);
    const [oldest] = before ? [before] : await db.select().from(schema.ratePoint).orderBy(asc(schema.ratePoint.timestamp)).limit(1);
    windows.push({ days, ...aprOver(oldest, latest, days) });
  }
  return c.json(json({ points: newest.reverse().map((p) => ({ time: p.timestamp, block: p.blockNumber, rate: p.rate, totalPooledFTM: p.totalPooledFTM, totalShares: p.totalShares })), apr: windows }));
});

/** One account's history: stakes, withdrawals it requested or owns, receipt transfers, claims, token transfers, wraps, delegation. */
app.get("/history/account/:address", async (c) => {
  const raw = c.req.param("address");
  if (!isAddress(raw)) return c.json({ error: `"${raw}" is not an address (0x and 40 hex digits)` }, 400);
  const a = raw.toLowerCase() as `0x${string}`;
  const limit = limitOf(c.req.query("limit"), 500, 100);
  const s = schema;
  const [stakes, withdrawals, receiptTransfers, claims, tokenTransfers, wraps, delegation] = await Promise.all([
    db.select().from(s.stake).where(or(eq(s.stake.sender, a), eq(s.stake.receiver, a))).orderBy(desc(s.stake.blockNumber)).limit(limit),
    db.select().from(s.withdrawal).where(or(eq(s.withdrawal.owner, a), eq(s.withdrawal.requester, a))).orderBy(desc(s.withdrawal.id)).limit(limit),
    db.select().from(s.receiptTransfer).where(or(eq(s.receiptTransfer.from, a), eq(s.receiptTransfer.to, a))).orderBy(desc(s.receiptTransfer.blockNumber)).limit(limit),
    db.select().from(s.withdrawalClaim).where(or(eq(s.withdrawalClaim.owner, a), eq(s.withdrawalClaim.recipient, a))).orderBy(desc(s.withdrawalClaim.blockNumber)).limit(limit),
    db.select().from(s.tokenTransfer).where(or(eq(s.tokenTransfer.from, a), eq(s.tokenTransfer.to, a))).orderBy(desc(s.tokenTransfer.blockNumber)).limit(limit),
    db.select().from(s.wrap).where(eq(s.wrap.account, a)).orderBy(desc(s.wrap.blockNumber)).limit(limit),
    db.select().from(s.delegation).where(eq(s.delegation.id, a)).limit(1),
  ]);
  return c.json(json({ stakes, withdrawals, receiptTransfers, claims, tokenTransfers, wraps, delegatee: delegation[0]?.delegatee ?? null }));
});

/** Proposals, newest first. */
app.get("/history/proposals", async (c) => {
  const limit = limitOf(c.req.query("limit"), 200, 20);
  const offset = Math.max(0, Number(c.req.query("offset") ?? 0) || 0);
  const rows = await db.select().from(schema.proposal).orderBy(desc(schema.proposal.createdBlock), desc(schema.proposal.id)).limit(limit).offset(offset);
  return c.json(json({ proposals: rows }));
});

/** One proposal with every vote (and the tally after it) and its timeline, oldest first. */
app.get("/history/proposals/:id", async (c) => {
  const raw = c.req.param("id");
  if (!isId(raw)) return c.json({ error: `"${raw}" is not a proposal id (a decimal number)` }, 400);
  const id = BigInt(raw);
  const [p] = await db.select().from(schema.proposal).where(eq(schema.proposal.id, id)).limit(1);
  if (!p) return c.json({ error: `proposal ${raw} is not indexed (yet)` }, 404);
  const [votes, timeline] = await Promise.all([
    db.select().from(schema.vote).where(eq(schema.vote.proposalId, id)).orderBy(asc(schema.vote.blockNumber), asc(schema.vote.id)),
    db.select().from(schema.proposalEvent).where(eq(schema.proposalEvent.proposalId, id)).orderBy(asc(schema.proposalEvent.blockNumber), asc(schema.proposalEvent.id)),
  ]);
  return c.json(json({ proposal: p, votes, timeline }));
});

/** Delegates by voting power. */
app.get("/history/delegates", async (c) => {
  const limit = limitOf(c.req.query("limit"), 500, 100);
  const rows = await db.select().from(schema.delegate).orderBy(desc(schema.delegate.votingPower), asc(schema.delegate.id)).limit(limit);
  return c.json(json({ delegates: rows }));
});

/** The registry's validators as the indexer holds them. */
app.get("/history/validators", async (c) => {
  const rows = await db.select().from(schema.validator).orderBy(asc(schema.validator.id));
  return c.json(json({ validators: rows }));
});

/** One validator's stake, target and commission over time (oldest first). */
app.get("/history/validators/:id", async (c) => {
  const raw = c.req.param("id");
  if (!isId(raw)) return c.json({ error: `"${raw}" is not a validator id (a decimal number)` }, 400);
  const limit = limitOf(c.req.query("limit"), 2000, 500);
  const rows = await db
    .select()
    .from(schema.validatorSnapshot)
    .where(eq(schema.validatorSnapshot.validatorId, BigInt(raw)))
    .orderBy(desc(schema.validatorSnapshot.timestamp), desc(schema.validatorSnapshot.blockNumber))
    .limit(limit);
  return c.json(json({ snapshots: rows.reverse() }));
});

/** Keeper rounds, newest first, each with its calls and moves. */
app.get("/history/rounds", async (c) => {
  const limit = limitOf(c.req.query("limit"), 100, 10);
  const rounds = await db.select().from(schema.keeperRound).orderBy(desc(schema.keeperRound.id)).limit(limit);
  const out = [];
  for (const r of rounds) {
    const [calls, moves] = await Promise.all([
      db.select().from(schema.keeperCall).where(eq(schema.keeperCall.roundId, r.id)).orderBy(asc(schema.keeperCall.blockNumber)),
      db.select().from(schema.stakeMove).where(and(eq(schema.stakeMove.roundId, r.id))).orderBy(asc(schema.stakeMove.blockNumber), asc(schema.stakeMove.id)),
    ]);
    out.push({ ...r, callList: calls, moveList: moves });
  }
  return c.json(json({ rounds: out }));
});

export default app;
