// The keeper service against Hardhat's in-process network, over HTTP (test/helpers/rpcBridge.ts).
import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { parseEther, createPublicClient, http, parseEventLogs, type Address, type Hex, type Log, type PublicClient } from "viem";
import { mnemonicToAccount } from "viem/accounts";
import { network } from "hardhat";
import { deployWithValidators, type Conn } from "../helpers/fixtures.js";
import { rpcBridge } from "../helpers/rpcBridge.js";
import { defaultConfig, Keeper, type KeeperConfig } from "../../keeper/keeper.js";
import type { LogFields } from "../../keeper/log.js";
import { serveMetrics } from "../../keeper/metrics.js";
import { TxSender } from "../../keeper/sender.js";
import { ValidatorRegistryState } from "../../shared/protocol.generated.js";

const conn = (await network.create()) as unknown as Conn;
const { viem, networkHelpers } = conn;
const MNEMONIC = "test test test test test test test test test test test junk";
const OPERATOR = 2; // fixtures: account 2 holds OPERATOR_ROLE
const OUTSIDER = 6;

let bridge: Awaited<ReturnType<typeof rpcBridge>>;
before(async () => (bridge = await rpcBridge(conn.provider)));
after(async () => bridge.close());

/** Five validators; a holder has staked 5,000 FTM that no round has delegated yet. */
async function stakedFixture() {
  const s = await deployWithValidators(conn, 5);
  const wallets = await viem.getWalletClients();
  await s.pool.write.stake([wallets[4].account.address], { value: parseEther("5000"), account: wallets[4].account });
  return { ...s, wallets };
}
type S = Awaited<ReturnType<typeof stakedFixture>>;

interface Harness {
  keeper: Keeper;
  lines: { action: string; fields: LogFields }[];
  address: Address;
}

function makeKeeper(s: S, accountIndex: number, cfg: Partial<KeeperConfig> = {}): Harness {
  const lines: Harness["lines"] = [];
  const client = createPublicClient({ transport: http(bridge.url, { retryCount: 0, batch: { batchSize: 200, wait: 0 } }) }) as PublicClient;
  const account = mnemonicToAccount(MNEMONIC, { addressIndex: accountIndex });
  const log = (action: string, fields: LogFields = {}) => void lines.push({ action, fields });
  const config = defaultConfig({
    pool: s.pool.address,
    poolAbi: s.pool.abi,
    registryAbi: s.registry.abi,
    intervalSeconds: 3600,
    pollMs: 50,
    idleTickMs: 500,
    startJitterMs: 0,
    retry: { retries: 8, baseMs: 50, maxMs: 1000 },
    ...cfg,
  });
  return { keeper: new Keeper(client, account, config, log), lines, address: account.address };
}

async function poolLogs(s: S, fromBlock: bigint) {
  const pc = await viem.getPublicClient();
  const logs = await pc.getLogs({ address: s.pool.address, fromBlock });
  return parseEventLogs({ abi: s.pool.abi, logs: logs as Log[] }) as unknown as { eventName: string; args: Record<string, any>; transactionHash: Hex; blockNumber: bigint }[];
}

async function receiptsOf(hashes: Hex[]) {
  const pc = await viem.getPublicClient();
  return Promise.all(hashes.map((hash) => pc.getTransactionReceipt({ hash })));
}

async function until(cond: () => boolean | Promise<boolean>, ms: number, what: string) {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    if (await cond()) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`timed out waiting for ${what}`);
}

/** A full first round of five validators takes about 680 k gas in one call: this cap makes it take several. */
const SMALL_CAP = 400_000n;

describe("keeper service", () => {
  it("runs a due round in calls that each stay under the gas cap, until the round is complete", async () => {
    const s = await networkHelpers.loadFixture(stakedFixture);
    const from = (await (await viem.getPublicClient()).getBlockNumber()) + 1n;
    const h = makeKeeper(s, OPERATOR, { gasCap: SMALL_CAP });
    await h.keeper.tick();
    const processed = (await poolLogs(s, from)).filter((e) => e.eventName === "Processed");
    assert.ok(processed.length >= 2, `the cap forces several calls (got ${processed.length})`);
    assert.equal(processed.at(-1)!.args.roundCompleted, true);
    for (const r of await receiptsOf(processed.map((e) => e.transactionHash))) {
      assert.ok(r.gasUsed <= SMALL_CAP, `a call used ${r.gasUsed} gas`);
      assert.equal(r.status, "success");
    }
    assert.equal((await s.pool.read.round())[0], 0, "the round is back to Idle");
    for (const id of s.validatorIds) assert.ok((await s.pool.read.bookOf([id])).stakeRaw > 0n, "the stake was delegated");
    assert.equal(h.keeper.metrics.roundsCompleted, 1);
    assert.equal(h.keeper.metrics.processCalls, processed.length);
    const server = await serveMetrics(0, { health: () => h.keeper.health(), metrics: () => h.keeper.prometheus() });
    try {
      const res = await fetch(`http://127.0.0.1:${server.port}/health`);
      assert.equal(res.status, 200);
      assert.equal((await res.json()).ok, true);
      const text = await (await fetch(`http://127.0.0.1:${server.port}/metrics`)).text();
      assert.match(text, /^keeper_rounds_completed_total 1$/m);
      assert.match(text, new RegExp(`^keeper_process_calls_total ${processed.length}$`, "m"));
      assert.match(text, /^keeper_pending_withdrawals_wei 0$/m);
    } finally {
      await server.close();
    }
  });

  it("books a slashing in the block after the SFC reports it, and syncs the registry", async () => {
    const s = await networkHelpers.loadFixture(stakedFixture);
    const h = makeKeeper(s, OPERATOR);
    await h.keeper.tick(); // the first round delegates to every validator
    const pc = await viem.getPublicClient();
    const slashed = s.validatorIds[1];
    const r = await pc.waitForTransactionReceipt({ hash: await s.sfc.write.slash([slashed]) });
    await h.keeper.tick();
    const booked = (await poolLogs(s, r.blockNumber)).filter((e) => e.eventName === "SlashingBooked");
    assert.equal(booked.length, 1);
    assert.equal(booked[0].args.validatorId, slashed);
    assert.equal(booked[0].blockNumber, r.blockNumber + 1n, "booked in the very next block");
    assert.equal((await s.pool.read.bookOf([slashed])).slashed, true);
    assert.equal(await s.registry.read.stateOf([slashed]), ValidatorRegistryState.Ineligible, "the registry marks it Ineligible");
    const sent = h.lines.filter((l) => l.action === "book-slashing").length;
    await h.keeper.tick();
    assert.equal(h.lines.filter((l) => l.action === "book-slashing").length, sent, "books that reflect it are not booked again");
  });

  it("survives the RPC dropping connections mid-round and completes the round when it returns", { timeout: 60_000 }, async () => {
    const s = await networkHelpers.loadFixture(stakedFixture);
    const from = (await (await viem.getPublicClient()).getBlockNumber()) + 1n;
    const h = makeKeeper(s, OPERATOR, { gasCap: SMALL_CAP });
    let dropped = false;
    const running = h.keeper.start();
    await until(() => h.lines.some((l) => l.action === "process"), 20_000, "the first process call");
    if (!dropped) {
      dropped = true;
      bridge.dropFor(1500);
    }
    await until(() => h.keeper.metrics.roundsCompleted === 1, 40_000, "the round to complete");
    h.keeper.stop();
    await running;
    assert.ok(bridge.dropped > 0, "connections were dropped");
    assert.ok(h.lines.some((l) => l.action === "rpc-retry" || l.action === "error"), "the keeper retried");
    const events = await poolLogs(s, from);
    assert.equal(events.filter((e) => e.eventName === "Rebalanced").length, 1, "one round, completed");
    assert.equal((await s.pool.read.round())[0], 0);
  });

  it("resumes a half-done round after a restart", async () => {
    const s = await networkHelpers.loadFixture(stakedFixture);
    const from = (await (await viem.getPublicClient()).getBlockNumber()) + 1n;
    const stopAfterOneCall = makeKeeper(s, OPERATOR, { gasCap: SMALL_CAP });
    const k1 = new Keeper(stopAfterOneCall.keeper.client, stopAfterOneCall.keeper.account, stopAfterOneCall.keeper.cfg, (action) => {
      if (action === "process") k1.stop(); // the process dies after its first call
    });
    await k1.tick();
    const [phase, , startedAt] = await s.pool.read.round();
    assert.notEqual(phase, 0, "the round is half done");
    const restarted = makeKeeper(s, OPERATOR, { gasCap: SMALL_CAP });
    await restarted.keeper.tick();
    const done = (await poolLogs(s, from)).filter((e) => e.eventName === "Rebalanced");
    assert.equal(done.length, 1);
    assert.equal(done[0].args.roundStartedAt, startedAt, "the restarted keeper finished the same round");
    assert.ok(restarted.lines.some((l) => l.action === "round" && /half done/.test(String(l.fields.reason))));
  });

  it("two keepers at once run one round, not two", { timeout: 30_000 }, async () => {
    const s = await networkHelpers.loadFixture(stakedFixture);
    const from = (await (await viem.getPublicClient()).getBlockNumber()) + 1n;
    // The outsider may process too: no round has completed yet, so the grace period is long over.
    const a = makeKeeper(s, OPERATOR, { gasCap: SMALL_CAP, startJitterMs: 2000 });
    const b = makeKeeper(s, OUTSIDER, { gasCap: SMALL_CAP, startJitterMs: 2000 });
    await Promise.all([a.keeper.tick(), b.keeper.tick()]);
    await Promise.all([a.keeper.tick(), b.keeper.tick()]);
    const events = await poolLogs(s, from);
    assert.equal(events.filter((e) => e.eventName === "Rebalanced").length, 1, "one round completed");
    const processed = events.filter((e) => e.eventName === "Processed");
    const completing = processed.findIndex((e) => e.args.roundCompleted);
    assert.equal(completing, processed.length - 1, "no call after the round completed: no second round was started");
    assert.equal(new Set(processed.map((e) => e.args.caller)).size, 1, "one keeper made every call of the round");
    assert.equal((await s.pool.read.round())[0], 0);
    const yielded = [...a.lines, ...b.lines].filter((l) => ["backoff", "send-reverted", "simulated-revert"].includes(l.action) || (l.action === "waiting" && /another keeper/.test(String(l.fields.wait))));
    assert.ok(yielded.length > 0, "one of them gave way");
  });

  it("a second keeper with the same state directory stands by and sends nothing", { timeout: 30_000 }, async () => {
    const s = await networkHelpers.loadFixture(stakedFixture);
    const lockFile = `${process.env.TMPDIR ?? "/tmp"}/keeper-test-${process.pid}-${Date.now()}/keeper.lock`;
    const a = makeKeeper(s, OPERATOR, { lockFile });
    const b = makeKeeper(s, OUTSIDER, { lockFile });
    const pc = await viem.getPublicClient();
    const runA = a.keeper.start();
    await until(() => a.lines.some((l) => l.action === "started"), 5000, "keeper A");
    const runB = b.keeper.start();
    await until(() => a.keeper.metrics.roundsCompleted === 1, 20_000, "A's round");
    await until(() => b.lines.some((l) => l.action === "lock-held"), 5000, "B to see the lock");
    a.keeper.stop();
    b.keeper.stop();
    await Promise.all([runA, runB]);
    assert.equal(await pc.getTransactionCount({ address: b.address }), 0, "B sent nothing");
  });

  it("--dry-run prints the plan and sends nothing", async () => {
    const s = await networkHelpers.loadFixture(stakedFixture);
    await makeKeeper(s, OPERATOR).keeper.tick();
    await s.sfc.write.slash([s.validatorIds[0]]);
    await s.pool.write.stake([s.wallets[4].account.address], { value: parseEther("1000"), account: s.wallets[4].account });
    await networkHelpers.time.increase(3601);
    const pc = await viem.getPublicClient();
    const block = await pc.getBlockNumber();
    const h = makeKeeper(s, OPERATOR, { dryRun: true });
    const nonce = await pc.getTransactionCount({ address: h.address });
    await h.keeper.tick();
    assert.equal(await pc.getBlockNumber(), block, "no block was made");
    assert.equal(await pc.getTransactionCount({ address: h.address }), nonce, "no transaction was sent");
    const plan = h.lines.find((l) => l.action === "plan")!.fields as any;
    assert.equal(plan.decision.due, true);
    assert.deepEqual(plan.slashingsToBook, [s.validatorIds[0]]);
    assert.ok(plan.moves.length > 0, "the moves of previewProcess");
  });

  it("replaces a transaction not mined in time with the same nonce and a higher fee", { timeout: 30_000 }, async () => {
    const s = await networkHelpers.loadFixture(stakedFixture);
    const test = await viem.getTestClient();
    const client = createPublicClient({ transport: http(bridge.url, { retryCount: 0 }) }) as PublicClient;
    const account = mnemonicToAccount(MNEMONIC, { addressIndex: OPERATOR });
    const seen: { action: string; fields: LogFields }[] = [];
    const sender = new TxSender(client, account, {
      chainId: await client.getChainId(),
      timeoutMs: 300,
      bumpPercent: 25n,
      maxReplacements: 3,
      pollMs: 50,
      retry: { retries: 3, baseMs: 50, maxMs: 500 },
      log: (action, fields = {}) => {
        seen.push({ action, fields });
        if (action === "tx-replaced") void test.mine({ blocks: 1 });
      },
    });
    await test.setAutomine(false);
    try {
      const data = (await import("viem")).encodeFunctionData({ abi: s.pool.abi, functionName: "bookSlashing", args: [[]] });
      const sent = (await sender.send(s.pool.address, data, 100_000n, "test"))!;
      assert.equal(sent.replacements, 1);
      const [first, second] = seen.filter((l) => l.action.startsWith("tx-"));
      assert.equal(first.fields.nonce, second.fields.nonce, "same nonce");
      assert.equal(sent.hash, second.fields.tx, "the replacement was mined");
      const fee = (l: typeof first) => (l.fields.fees as { maxFeePerGas: bigint }).maxFeePerGas;
      assert.ok(fee(second) > fee(first), "at a higher fee");
      assert.equal(sent.receipt.status, "success");
    } finally {
      await test.setAutomine(true);
    }
  });
});
