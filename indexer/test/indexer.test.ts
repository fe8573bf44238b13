// The indexer against a devnet: every event of the browser journeys is in its tables with the values the
// chain holds, on Ponder's embedded database and on a real PostgreSQL server, and a restart resumes with
// no duplicates and no gaps. Run: node --test indexer/test/indexer.test.ts (npm test runs it).
//
// Ports (all overridable): INDEXER_TEST_RPC_PORT (9745), INDEXER_TEST_PORT (43269, and the next one),
// INDEXER_TEST_PG_PORT (55432). INDEXER_TEST_BACKENDS=pglite,postgres picks the databases.
import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { startDevnet, startIndexer, startPostgres } from "./processes.ts";
import { ABI as A, connect } from "./chain.ts";

const RPC_PORT = Number(process.env.INDEXER_TEST_RPC_PORT ?? 9745);
const INDEXER_PORT = Number(process.env.INDEXER_TEST_PORT ?? 43269);
const PG_PORT = Number(process.env.INDEXER_TEST_PG_PORT ?? 55432);
const BACKENDS = (process.env.INDEXER_TEST_BACKENDS ?? "pglite,postgres").split(",").map((s) => s.trim());

const work = mkdtempSync(join(tmpdir(), "indexer-test-"));
let devnet: Awaited<ReturnType<typeof startDevnet>>;
let chain: ReturnType<typeof connect>;

before(async () => {
  devnet = await startDevnet(RPC_PORT, work);
  chain = connect(devnet.url, join(work, "localhost.json"));
  await chain.journeys("first");
});
after(async () => {
  await devnet?.stop();
  rmSync(work, { recursive: true, force: true });
});

const lc = (a: unknown) => String(a).toLowerCase();
const str = (v: unknown) => (v === null || v === undefined ? null : String(v));
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Every row of one table through the indexer's GraphQL API, page by page. */
async function rows(url: string, table: string, fields: string) {
  const out: Record<string, unknown>[] = [];
  let after: string | null = null;
  for (;;) {
    const query = `query($after: String) { ${table}(limit: 1000, after: $after) { items { ${fields} } pageInfo { hasNextPage endCursor } } }`;
    const res = await fetch(`${url}/graphql`, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ query, variables: { after } }) });
    const body = (await res.json()) as { data?: Record<string, { items: Record<string, unknown>[]; pageInfo: { hasNextPage: boolean; endCursor: string } }>; errors?: unknown };
    if (!body.data) throw new Error(`GraphQL ${table}: ${JSON.stringify(body.errors)}`);
    out.push(...body.data[table].items);
    if (!body.data[table].pageInfo.hasNextPage) return out;
    after = body.data[table].pageInfo.endCursor;
  }
}

/** Waits until the indexer has indexed `block` (its /status), failing with its log when it does not. */
async function caughtUp(indexer: ReturnType<typeof startIndexer>, block: bigint, timeoutMs = 240_000) {
  const started = Date.now();
  while (Date.now() - started < timeoutMs) {
    if (indexer.child.exitCode !== null) throw new Error(`the indexer exited (${indexer.child.exitCode}):\n${indexer.log.join("\n")}`);
    try {
      const status = (await (await fetch(`${indexer.url}/status`)).json()) as Record<string, { block?: { number: number } }>;
      const at = Object.values(status)[0]?.block?.number;
      if (at !== undefined && BigInt(at) >= block) return Date.now() - started;
    } catch {}
    await sleep(500);
  }
  throw new Error(`the indexer did not reach block ${block} in ${timeoutMs / 1000} s:\n${indexer.log.slice(-40).join("\n")}`);
}

/** Sorts two row sets by id and compares them field by field. */
function same(table: string, actual: Record<string, unknown>[], expected: Record<string, unknown>[]) {
  const byId = (a: Record<string, unknown>, b: Record<string, unknown>) => (String(a.id) < String(b.id) ? -1 : String(a.id) > String(b.id) ? 1 : 0);
  const keys = expected.length ? Object.keys(expected[0]) : ["id"];
  const pick = (r: Record<string, unknown>) => Object.fromEntries(keys.map((k) => [k, r[k] === undefined ? null : typeof r[k] === "string" && /^0x/.test(r[k] as string) ? lc(r[k]) : r[k]]));
  assert.equal(actual.length, expected.length, `${table}: ${actual.length} rows indexed, ${expected.length} on chain`);
  assert.deepEqual(actual.map(pick).sort(byId), expected.map(pick).sort(byId), `${table} differs from the chain`);
}

const STATUS = ["none", "pending", "finalised", "claimed"];
const VALIDATOR_STATES = ["Withdrawn", "Applied", "Active", "Exiting", "Removed", "Ineligible"];

/** Every table against the chain's logs and views at the block the indexer reached. */
async function compareWithChain(url: string) {
  const { logs } = await chain.allLogs();
  const c = chain.record.contracts;
  const { read, publicClient } = chain;
  const of = (contract: string, ...names: string[]) => logs.filter((l) => l.contract === contract && names.includes(l.eventName));
  const id = (l: (typeof logs)[number]) => `${l.transactionHash}-${l.logIndex}`;

  same("stakes", await rows(url, "stakes", "id sender receiver amount shares blockNumber"), of("pool", "Staked").map((l) => ({
    id: id(l), sender: lc(l.args.sender), receiver: lc(l.args.receiver), amount: str(l.args.amount), shares: str(l.args.shares), blockNumber: str(l.blockNumber),
  })));

  same("ratePoints", await rows(url, "ratePoints", "id totalPooledFTM totalShares rate feeShares"), of("stFTM", "PooledFTMUpdated").map((l) => {
    const pooled = l.args.totalPooledFTM as bigint;
    const shares = l.args.totalShares as bigint;
    return { id: id(l), totalPooledFTM: str(pooled), totalShares: str(shares), rate: str(shares > 0n ? (pooled * 10n ** 18n) / shares : 10n ** 18n), feeShares: str(l.args.feeShares) };
  }));

  same("tokenTransfers", await rows(url, "tokenTransfers", "id token from to amount"), [
    ...of("stFTM", "Transfer").map((l) => ({ id: id(l), token: "stFTM", from: lc(l.args.from), to: lc(l.args.to), amount: str(l.args.value) })),
    ...of("wstFTM", "Transfer").map((l) => ({ id: id(l), token: "wstFTM", from: lc(l.args.from), to: lc(l.args.to), amount: str(l.args.value) })),
  ]);

  same("wraps", await rows(url, "wraps", "id account kind stAmount wstAmount"), of("wstFTM", "Wrapped", "Unwrapped").map((l) => ({
    id: id(l), account: lc(l.args.account), kind: l.eventName === "Wrapped" ? "wrap" : "unwrap", stAmount: str(l.args.stAmount), wstAmount: str(l.args.wstAmount),
  })));

  // Withdrawals: the request's state as the queue holds it now; a claimed receipt is burnt, so its last
  // holder is the one its claim paid.
  const claims = of("withdrawalQueue", "WithdrawalClaimed");
  const expectedWithdrawals = [];
  for (const l of of("withdrawalQueue", "WithdrawalRequested")) {
    const rid = l.args.requestId as bigint;
    const r = await read<{ owner: string; amount: bigint; status: number; finalisedAmount: bigint }>(c.withdrawalQueue, A.withdrawalQueue, "requestStatus", [rid]);
    const claim = claims.find((x) => x.args.requestId === rid);
    expectedWithdrawals.push({
      id: str(rid), requester: lc(l.args.requester), owner: lc(claim ? claim.args.owner : r.owner), amount: str(r.amount), shares: str(l.args.shares),
      status: STATUS[r.status], finalisedAmount: r.status >= 2 ? str(r.finalisedAmount) : null,
    });
  }
  assert.ok(expectedWithdrawals.some((w) => w.status === "claimed"), "the journeys claimed withdrawals");
  assert.ok(expectedWithdrawals.some((w) => w.owner !== w.requester), "the journeys sent a receipt to another holder");
  same("withdrawals", await rows(url, "withdrawals", "id requester owner amount shares status finalisedAmount"), expectedWithdrawals);

  same("receiptTransfers", await rows(url, "receiptTransfers", "id requestId from to"), of("withdrawalQueue", "Transfer").map((l) => ({
    id: id(l), requestId: str(l.args.tokenId), from: lc(l.args.from), to: lc(l.args.to),
  })));

  same("withdrawalClaims", await rows(url, "withdrawalClaims", "id requestId owner recipient amount"), claims.map((l) => ({
    id: id(l), requestId: str(l.args.requestId), owner: lc(l.args.owner), recipient: lc(l.args.recipient), amount: str(l.args.amount),
  })));

  // Proposals: tallies, proposer, eta and execution as the governor holds them.
  const votes = of("governor", "VoteCast", "VoteCastWithParams");
  const expectedProposals = [];
  for (const l of of("governor", "ProposalCreated")) {
    const pid = l.args.proposalId as bigint;
    const [against, forVotes, abstain] = await read<readonly [bigint, bigint, bigint]>(c.governor, A.governor, "proposalVotes", [pid]);
    const eta = await read<bigint>(c.governor, A.governor, "proposalEta", [pid]);
    const state = await read<number>(c.governor, A.governor, "state", [pid]);
    expectedProposals.push({
      id: str(pid), proposer: lc(await read<string>(c.governor, A.governor, "proposalProposer", [pid])), description: l.args.description as string,
      forVotes: str(forVotes), againstVotes: str(against), abstainVotes: str(abstain), voters: votes.filter((v) => v.args.proposalId === pid).length,
      eta: eta > 0n ? str(eta) : null, voteStart: str(l.args.voteStart), voteEnd: str(l.args.voteEnd),
      executed: state === 7,
    });
  }
  same("proposals", (await rows(url, "proposals", "id proposer description forVotes againstVotes abstainVotes voters eta voteStart voteEnd executedAt")).map((p) => ({ ...p, executed: p.executedAt !== null })), expectedProposals);

  same("votes", await rows(url, "votes", "id proposalId voter support weight reason"), votes.map((l) => ({
    id: `${l.args.proposalId}-${lc(l.args.voter)}`, proposalId: str(l.args.proposalId), voter: lc(l.args.voter), support: Number(l.args.support), weight: str(l.args.weight), reason: l.args.reason as string,
  })));

  same("proposalEvents", await rows(url, "proposalEvents", "id proposalId kind"), of("governor", "ProposalCreated", "ProposalQueued", "ProposalExecuted", "ProposalCanceled", "ProposalExtended").map((l) => ({
    id: id(l), proposalId: str(l.args.proposalId), kind: { ProposalCreated: "created", ProposalQueued: "queued", ProposalExecuted: "executed", ProposalCanceled: "canceled", ProposalExtended: "extended" }[l.eventName],
  })));

  // Delegates: voting power and delegators as wstFTM holds them, votes cast from the governor's logs.
  const delegators = [...new Set(of("wstFTM", "DelegateChanged").map((l) => lc(l.args.delegator)))];
  const delegateOf = new Map<string, string>();
  for (const d of delegators) delegateOf.set(d, lc(await read<string>(c.wstFTM, A.wstFTM, "delegates", [d])));
  const delegates = [...new Set([...of("wstFTM", "DelegateChanged").flatMap((l) => [lc(l.args.fromDelegate), lc(l.args.toDelegate)]), ...of("wstFTM", "DelegateVotesChanged").map((l) => lc(l.args.delegate)), ...votes.map((l) => lc(l.args.voter))])].filter((a) => !/^0x0{40}$/.test(a));
  const expectedDelegates = [];
  for (const d of delegates) {
    expectedDelegates.push({
      id: d, votingPower: str(await read<bigint>(c.wstFTM, A.wstFTM, "getVotes", [d])),
      delegators: [...delegateOf.values()].filter((x) => x === d).length, votesCast: votes.filter((v) => lc(v.args.voter) === d).length,
    });
  }
  same("delegates", await rows(url, "delegates", "id votingPower delegators votesCast"), expectedDelegates);

  // Validators: state, target and pool stake as the registry and the pool hold them.
  const expectedValidators = [];
  for (const vid of [...new Set(of("registry", "ValidatorApplied").map((l) => l.args.validatorId as bigint))]) {
    const applied = of("registry", "ValidatorApplied").filter((l) => l.args.validatorId === vid).at(-1)!;
    expectedValidators.push({
      id: str(vid), auth: lc(applied.args.auth), metadataURI: applied.args.metadataURI as string,
      state: VALIDATOR_STATES[await read<number>(c.registry, A.registry, "stateOf", [vid])],
      weightBps: Number(await read<bigint>(c.registry, A.registry, "weightOf", [vid])),
      stake: str(await read<bigint>(c.pool, A.pool, "stakeOf", [vid])),
    });
  }
  same("validators", await rows(url, "validators", "id auth metadataURI state weightBps stake"), expectedValidators);

  // Keeper: every process call with its transaction's gas, every move, and rounds that add up.
  const processed = of("pool", "Processed");
  const expectedCalls = [];
  for (const l of processed) {
    const receipt = await publicClient.getTransactionReceipt({ hash: l.transactionHash });
    expectedCalls.push({ id: id(l), caller: lc(l.args.caller), steps: str(l.args.steps), phase: Number(l.args.phase), roundCompleted: l.args.roundCompleted as boolean, gasUsed: str(receipt.gasUsed) });
  }
  same("keeperCalls", await rows(url, "keeperCalls", "id caller steps phase roundCompleted gasUsed"), expectedCalls);
  const rounds = await rows(url, "keeperRounds", "id calls gasUsed completedAt moves");
  assert.equal(rounds.filter((r) => r.completedAt !== null).length, processed.filter((l) => l.args.roundCompleted).length, "completed rounds");
  assert.equal(rounds.reduce((s, r) => s + Number(r.calls), 0), processed.length, "calls over all rounds");
  assert.equal(rounds.reduce((s, r) => s + BigInt(r.gasUsed as string), 0n), expectedCalls.reduce((s, r) => s + BigInt(r.gasUsed!), 0n), "gas over all rounds");
  assert.deepEqual(rounds.map((r) => r.id).sort((a, b) => Number(a) - Number(b)), rounds.map((_, i) => i + 1), "rounds are numbered 1, 2, … without gaps");

  const KIND: Record<string, (a: Record<string, unknown>) => [string, unknown]> = {
    Delegated: (a) => ["delegate", a.amount], Undelegated: (a) => ["undelegate", a.amount], UnbondingWithdrawn: (a) => ["withdrawn", a.received],
    RewardsHarvested: (a) => ["harvest", a.amount], MoveFailed: (a) => [a.isDelegate ? "failed-delegate" : "failed-undelegate", a.amount], SlashingBooked: (a) => ["slashing", a.lossOrGain],
  };
  const moves = of("pool", ...Object.keys(KIND));
  assert.ok(moves.some((m) => m.eventName === "Delegated") && moves.some((m) => m.eventName === "RewardsHarvested"), "the journeys moved stake and harvested rewards");
  same("stakeMoves", await rows(url, "stakeMoves", "id validatorId kind amount"), moves.map((l) => {
    const [kind, amount] = KIND[l.eventName](l.args);
    return { id: id(l), validatorId: str(l.args.validatorId), kind, amount: str(amount) };
  }));
  // The snapshot after a validator's last move holds its stake at that block, as the pool held it then.
  for (const m of moves.slice(-3)) {
    const vid = m.args.validatorId as bigint;
    const snap = (await rows(url, "validatorSnapshots", "id stake blockNumber")).find((s) => s.id === `${id(m)}-${vid}`);
    const stakeThen = await publicClient.readContract({ address: c.pool, abi: A.pool, functionName: "stakeOf", args: [vid], blockNumber: m.blockNumber } as never);
    assert.equal(snap?.stake, str(stakeThen), `snapshot of validator ${vid} after ${m.eventName}`);
  }

  same("timelockCalls", (await rows(url, "timelockCalls", "id target value executedAt")).map((r) => ({ ...r, executed: r.executedAt !== null })), of("timelock", "CallScheduled").map((l) => ({
    id: `${l.args.id}-${l.args.index}`, target: lc(l.args.target), value: str(l.args.value),
    executed: of("timelock", "CallExecuted").some((e) => e.args.id === l.args.id && e.args.index === l.args.index),
  })));
  return logs.length;
}

for (const backend of BACKENDS) {
  describe(`indexer on ${backend === "postgres" ? "PostgreSQL" : "its embedded database (PGlite)"}`, () => {
    let pg: Awaited<ReturnType<typeof startPostgres>> | undefined;
    let indexer: ReturnType<typeof startIndexer>;
    const port = INDEXER_PORT + BACKENDS.indexOf(backend);
    const options = () => ({
      port, rpcUrl: devnet.url, deploymentsDir: work, schema: `test_${backend}`,
      databaseUrl: pg?.url, pgliteDir: backend === "pglite" ? join(work, "pglite") : undefined,
    });
    before(async () => {
      if (backend === "postgres") pg = await startPostgres(PG_PORT);
      else if (backend !== "pglite") throw new Error(`INDEXER_TEST_BACKENDS: "${backend}" is neither pglite nor postgres`);
      indexer = startIndexer(options());
    });
    after(async () => {
      await indexer?.stop();
      await pg?.stop();
    });

    it("holds every event of the browser journeys with the values the chain holds", async () => {
      await caughtUp(indexer, await chain.publicClient.getBlockNumber({ cacheTime: 0 }));
      const events = await compareWithChain(indexer.url);
      assert.ok(events > 100, `the journeys emitted ${events} events`);
    });

    it("serves the app's history: APR over 7 and 30 days net of the fee, a proposal's votes with reasons", async () => {
      const rate = (await (await fetch(`${indexer.url}/history/rate?limit=2000`)).json()) as { points: { time: string; rate: string }[]; apr: { days: number; apr: number; coveredSeconds: number; complete: boolean }[] };
      const last = rate.points.at(-1)!;
      for (const w of rate.apr) {
        // The window starts at the newest point at or before its start, else at the oldest point.
        const cutoff = Number(last.time) - w.days * 86_400;
        const from = [...rate.points].reverse().find((p) => Number(p.time) <= cutoff) ?? rate.points[0];
        const covered = Number(last.time) - Number(from.time);
        const expected = (Number(BigInt(last.rate) - BigInt(from.rate)) / Number(BigInt(from.rate))) * ((365 * 86_400) / covered);
        assert.equal(w.coveredSeconds, covered, `${w.days}-day window`);
        assert.equal(w.complete, covered >= w.days * 86_400, `${w.days}-day window says whether it spans the whole window`);
        assert.ok(Math.abs(w.apr - expected) < 1e-9, `${w.days}-day APR ${w.apr} against ${expected}`);
      }
      assert.equal(rate.apr.find((w) => w.days === 30)?.complete, false, "the devnet's few days of history do not make a 30-day APR");
      const logs = (await chain.allLogs()).logs.filter((l) => l.eventName === "VoteCast" && l.args.reason !== "");
      const withReason = logs.at(-1)!;
      const p = (await (await fetch(`${indexer.url}/history/proposals/${withReason.args.proposalId}`)).json()) as { votes: { voter: string; reason: string }[]; timeline: { kind: string }[] };
      assert.equal(p.votes.find((v) => v.voter === lc(withReason.args.voter))?.reason, withReason.args.reason);
      assert.equal(p.timeline[0].kind, "created");
      assert.equal((await fetch(`${indexer.url}/history/account/not-an-address`)).status, 400);
    });

    it("resumes after a restart without duplicates or gaps", async () => {
      await indexer.stop();
      // The chain moves on while the indexer is down.
      await chain.journeys(`after restart on ${backend}`);
      indexer = startIndexer(options());
      await caughtUp(indexer, await chain.publicClient.getBlockNumber({ cacheTime: 0 }));
      await compareWithChain(indexer.url);
    });
  });
}
