// Part 2 of `npm run bench`: how the keeper round scales with the number of validators.
// For 10, 50, 100 and 200 validators, on a fresh chain each, the same scenario leads to a full round
// (harvest at every validator, withdrawal of matured SFC requests, finalisation of queued withdrawals,
// moves); that round is then run from one snapshot with different `maxSteps` to find the largest that
// keeps every `process` call under 10 million gas, and the round is reported at that setting.
//   npx hardhat run bench/process.ts   → bench/.out/process.json
import { encodeFunctionData, parseEther, parseEventLogs, type TransactionReceipt } from "viem";
import { deployPool, equalWeights, freshChain, log as makeLog, writePart, type Conn, type PoolSuite } from "./lib.js";
import { ValidatorRegistryState } from "../shared/protocol.generated.js";
import { decodeValidator, SFC_STATUS } from "../shared/sfc.js";

const log = makeLog("process");
const SIZES = (process.env.BENCH_PROCESS_SIZES ?? "10,50,100,200").split(",").map(Number);
const CALL_LIMIT = 10_000_000;
// Osaka, the default hardfork of the simulated network, caps a transaction at 2^24 gas (EIP-7825); with 200
// validators the round needs single calls above that cap, so this part runs on Prague (same gas schedule
// for everything measured here, no per-transaction cap): calls are bounded by the 60M block gas limit only,
// and every call's gas is reported against both 10M and 2^24.
const HARDFORK = "prague";
const TX_GAS = 59_000_000n;
const OSAKA_TX_CAP = 2 ** 24;
const PER_VALIDATOR = parseEther("10000"); // pool stake per validator; 1,000 FTM self-stake allows 16,000

interface Attempt {
  maxSteps: number;
  ok: boolean; // the round completed and every call stayed under the limit
  completed: boolean;
  calls: number[];
  steps: number;
  counts: Record<string, number>;
}

/** A setup round (not measured): calls halve their maxSteps when one does not fit in a transaction. */
async function roundTrip(conn: Conn, s: PoolSuite) {
  let m = 40n;
  for (let i = 0; i < 5000; i++) {
    let r: TransactionReceipt;
    try {
      r = await receiptOf(conn, await s.pool.write.process([m], { account: s.operator.account, gas: TX_GAS }));
    } catch (e) {
      if (m === 1n) throw e;
      m /= 2n;
      continue;
    }
    const ev = parseEventLogs({ abi: s.pool.abi, logs: r.logs, eventName: "Processed" });
    if (ev.some((e) => e.args.roundCompleted)) return;
  }
  throw new Error("setup round did not complete");
}

async function receiptOf(conn: Conn, hash: `0x${string}`): Promise<TransactionReceipt> {
  const pc = await conn.viem.getPublicClient();
  return pc.waitForTransactionReceipt({ hash, pollingInterval: 1 });
}

/** Runs the round from the current state with `maxSteps`; stops at the first call that reaches `limit`. */
async function runRound(conn: Conn, s: PoolSuite, maxSteps: number, limit: number): Promise<Attempt> {
  const calls: number[] = [];
  const counts: Record<string, number> = { harvested: 0, withdrawn: 0, finalised: 0, delegated: 0, undelegated: 0, failedMoves: 0 };
  let steps = 0;
  const fail = () => ({ maxSteps, ok: false, completed: false, calls, steps, counts });
  for (let i = 0; i < 5000; i++) {
    let hash: `0x${string}`;
    try {
      hash = await s.pool.write.process([BigInt(maxSteps)], { account: s.operator.account, gas: TX_GAS });
    } catch {
      return fail(); // out of gas under the transaction cap
    }
    const r = await receiptOf(conn, hash);
    calls.push(Number(r.gasUsed));
    if (r.status !== "success" || Number(r.gasUsed) >= limit) return fail();
    const logs = parseEventLogs({ abi: s.pool.abi, logs: r.logs });
    // Finalisations are the queue's events.
    counts.finalised += parseEventLogs({ abi: s.withdrawalQueue.abi, logs: r.logs, eventName: "WithdrawalFinalised" }).length;
    let done = false;
    for (const e of logs) {
      if (e.eventName === "Processed") {
        steps += Number(e.args.steps);
        done ||= e.args.roundCompleted;
      } else if (e.eventName === "RewardsHarvested") counts.harvested++;
      else if (e.eventName === "UnbondingWithdrawn") counts.withdrawn++;
      else if (e.eventName === "Delegated") counts.delegated++;
      else if (e.eventName === "Undelegated") counts.undelegated++;
      else if (e.eventName === "MoveFailed") counts.failedMoves++;
    }
    if (done) return { maxSteps, ok: true, completed: true, calls, steps, counts };
  }
  return fail();
}

async function measure(n: number) {
  const t0 = Date.now();
  const conn = await freshChain(HARDFORK);
  const { viem, networkHelpers } = conn;
  const testClient = await viem.getTestClient();
  const pc = await viem.getPublicClient();
  // Targets alternate between 1.5× and 0.5× the equal weight, so the planner sorts a varied vector.
  const equal = equalWeights(n);
  const weights = equal.map((w, i) => (i % 2 === 0 ? w + Math.floor(w / 2) : w - Math.floor(w / 2)));
  weights[n - 1] += 10_000 - weights.reduce((a, b) => a + b, 0);
  const s = await deployPool(conn, { validators: n, weights });
  const holder = s.wallets[4];
  await networkHelpers.setBalance(holder.account.address, parseEther("100000000"));
  const total = PER_VALIDATOR * BigInt(n);
  const sealWithRewards = async () => {
    // About 5 % a year on everything staked at the SFC, for one day.
    const reward = ((await s.sfc.read.totalStake()) * 5n) / 100n / 365n;
    await receiptOf(conn, await s.sfc.write.sealEpoch({ value: reward }));
  };

  // Round A: the first delegation.
  await receiptOf(conn, await s.pool.write.stake([holder.account.address], { value: total, account: holder.account }));
  await roundTrip(conn, s);

  // Round B: a withdrawal of 10 % of the pool, which idle liquidity cannot cover: each validator's share of it
  // is within the rebalance threshold, so the pool undelegates whole positions from as few validators as
  // cover it (14 of 200 here: the largest positions, 1.5× the equal weight).
  await receiptOf(conn, await s.withdrawalQueue.write.requestWithdrawal([total / 10n, holder.account.address], { account: holder.account }));
  await sealWithRewards();
  await roundTrip(conn, s);
  const unbondings = Number(await s.pool.read.unbondingCount());

  // The withdrawal period passes (7 days and 3 epochs, the last one with rewards); new deposits (2 %) and a
  // further withdrawal request (1 %) arrive. The measured round harvests at every validator that holds stake,
  // withdraws every matured request (one per validator undelegated from in round B), finalises the queue and
  // delegates the inflow to the most under-target validators.
  await networkHelpers.time.increase(7 * 24 * 3600 + 1);
  await receiptOf(conn, await s.sfc.write.sealEpochs([2n]));
  await sealWithRewards();
  await receiptOf(conn, await s.pool.write.stake([holder.account.address], { value: total / 50n, account: holder.account }));
  await receiptOf(conn, await s.withdrawalQueue.write.requestWithdrawal([total / 100n, holder.account.address], { account: holder.account }));

  // Planning cost alone at the start of the measured round: `previewProcess` (state reads + the planner),
  // and the planner on its own (a direct call of AllocationPlanner.plan with the same inputs).
  const planGas = Number(await pc.estimateGas({ account: s.operator.account, to: s.pool.address, data: encodeFunctionData({ abi: s.pool.abi, functionName: "previewProcess", args: [] }) }));
  const plannerGas = await plannerOnly(conn, s);
  const pendingRequests = Number((await s.withdrawalQueue.read.nextRequestId()) - (await s.withdrawalQueue.read.nextToFinalise()));
  const upper = n + unbondings + pendingRequests + n + 1; // harvest + withdrawals + finalisations + moves (≤ one per validator)

  let snapshot = await testClient.snapshot();
  const attempts: (Attempt & { limit: string })[] = [];
  const attempt = async (m: number, limit: number, label: string) => {
    await testClient.revert({ id: snapshot });
    snapshot = await testClient.snapshot();
    const a = await runRound(conn, s, m, limit);
    attempts.push({ ...a, limit: label });
    return a;
  };
  // The whole round in one call, if it fits in a block.
  const one = await attempt(1_000_000, Number(TX_GAS) + 1, "block");
  // Largest maxSteps whose round completes with every call under `limit` (bisection; undefined if none).
  const largest = async (limit: number, label: string) => {
    if (one.completed && Math.max(...one.calls) < limit) return one;
    let lo = 0;
    let hi = one.completed ? one.steps : upper;
    let best: Attempt | undefined;
    while (hi - lo > 1) {
      const mid = Math.floor((lo + hi) / 2);
      const a = await attempt(mid, limit, label);
      if (a.ok) [best, lo] = [a, mid];
      else hi = mid;
    }
    return best;
  };
  const under10M = await largest(CALL_LIMIT, "10M");
  // When no setting keeps every call under 10M: the largest that keeps them under Osaka's 2^24 cap.
  const underCap = under10M ?? (await largest(OSAKA_TX_CAP, "2^24"));
  const sumOf = (a?: Attempt) => (a ? a.calls.reduce((x, y) => x + y, 0) : null);
  const reference = one.completed ? one : (under10M ?? underCap);
  const min1 = attempts.find((a) => a.limit === "10M" && a.maxSteps === 1);
  const result = {
    validators: n,
    // The gas of a full round: the whole round in one call (maxSteps unbounded).
    gasPerRound: one.completed ? one.calls[0] : null,
    gasPerValidator: one.completed ? Math.round(one.calls[0] / n) : null,
    callsUnder10M: under10M ? under10M.calls.length : null,
    maxStepsUnder10M: under10M?.maxSteps ?? null,
    gasUnder10M: sumOf(under10M),
    maxCallGasUnder10M: under10M ? Math.max(...under10M.calls) : null,
    callsUnder2p24: underCap ? underCap.calls.length : null,
    maxStepsUnder2p24: underCap?.maxSteps ?? null,
    gasUnder2p24: sumOf(underCap),
    maxCallGasUnder2p24: underCap ? Math.max(...underCap.calls) : null,
    // When maxSteps = 1 was tried against 10M and failed: its largest call (the least any call can cost).
    maxCallGasAtMaxSteps1: min1 && !min1.ok ? Math.max(...min1.calls) : null,
    steps: reference?.steps ?? null,
    planGas,
    plannerGas,
    round: { ...(reference?.counts ?? {}), unbondingsBefore: unbondings, pendingRequestsBefore: pendingRequests },
    attempts: attempts.map((a) => ({ maxSteps: a.maxSteps, limit: a.limit, ok: a.ok, calls: a.calls.length, maxCallGas: a.calls.length ? Math.max(...a.calls) : null })),
    hardfork: HARDFORK,
    met: !!under10M,
    seconds: Math.round((Date.now() - t0) / 100) / 10,
  };
  log(`${n} validators: ${JSON.stringify({ ...result, attempts: undefined })}`);
  return result;
}

/** Gas of AllocationPlanner.plan called directly with the inputs the pool would gather now. */
async function plannerOnly(conn: Conn, s: PoolSuite) {
  const pc = await conn.viem.getPublicClient();
  const members = await s.registry.read.allocationView();
  const consts = await conn.viem.getContractAt("SFCConstantsModel", await s.sfc.read.consts());
  const maxRatio = await consts.read.maxDelegatedRatio();
  const vs = [];
  for (const m of members) {
    const v = decodeValidator(await s.sfc.read.getValidator([m.id]), "sonic"); // bench/lib.ts deploys a Sonic-layout SFC
    const ok = m.state === ValidatorRegistryState.Active && v.status === SFC_STATUS.OK && !(await s.sfc.read.isSlashed([m.id]));
    const limit = ((await s.sfc.read.getSelfStake([m.id])) * maxRatio) / 10n ** 18n;
    const book = await s.pool.read.bookOf([m.id]);
    vs.push({ id: m.id, stake: await s.pool.read.stakeOf([m.id]), weightBps: m.weightBps, room: ok && limit > v.receivedStake ? limit - v.receivedStake : 0n, eligible: ok, withdrawable: book.stakeRaw > 0n });
  }
  const inp = {
    idle: await s.pool.read.idleLiquidity(),
    unbonding: await s.pool.read.totalUnbondingBooked(),
    demand: await s.pool.read.pendingWithdrawals(),
    thresholdBps: await s.pool.read.rebalanceThresholdBps(),
    driftBudget: await s.pool.read.maxUndelegatePerRound(),
    maxWeightBps: await s.registry.read.maxWeightBps(),
  };
  const data = encodeFunctionData({ abi: s.planner.abi, functionName: "plan", args: [vs, inp] });
  return Number(await pc.estimateGas({ to: s.planner.address, data }));
}

const rows: Record<string, Awaited<ReturnType<typeof measure>>> = {};
for (const n of SIZES) rows[String(n)] = await measure(n);
const pick = <K extends keyof (typeof rows)[string]>(k: K) => Object.fromEntries(Object.entries(rows).map(([n, r]) => [n, r[k]]));
writePart("process", {
  process: {
    gasPerRound: pick("gasPerRound"),
    callsUnder10M: pick("callsUnder10M"),
    maxStepsUnder10M: pick("maxStepsUnder10M"),
    gasPerValidator: pick("gasPerValidator"),
    gasUnder10M: pick("gasUnder10M"),
    planGas: pick("planGas"),
    rounds: rows,
  },
});
