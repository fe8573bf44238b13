// The keeper: each block it books slashing the SFC reports and syncs the registry, then runs the pool's
// round when one is due, in calls sized to stay under a gas cap, until the round is complete.
import {
  BaseError,
  ContractFunctionRevertedError,
  encodeFunctionData,
  parseEventLogs,
  type Abi,
  type Address,
  type Hex,
  type LocalAccount,
  type PublicClient,
  type TransactionReceipt,
} from "viem";
import { acquireLock, type Lock } from "./lock.js";
import { errorText, type Logger } from "./log.js";
import { health, newMetrics, renderPrometheus, type Metrics } from "./metrics.js";
import { decide, Phase, phaseName, type Decision } from "./schedule.js";
import { backoffMs, isTransientRpcError, TxSender, withRetry, type RetryOptions } from "./sender.js";
import { gasLimitFor, largestFitting } from "./steps.js";
import { sfcConstsAbi, sfcReadAbi, slashingsToBook, syncsNeeded, type Book, type ValidatorObservation } from "./watcher.js";
import { AllocationLimitNames } from "../shared/protocol.generated.js";
import { decodeValidator, layoutName, type SfcLayout } from "../shared/sfc.js";
import { splitByMaturity, validatorExit } from "../shared/schedule.js";

export interface KeeperConfig {
  pool: Address;
  poolAbi: Abi;
  registryAbi: Abi;
  /** Seconds between scheduled rounds (`keeperIntervalSeconds` of the network's parameters). */
  intervalSeconds: number;
  /** A round started for waiting withdrawals is not started again sooner than this after the last one. */
  minGapSeconds: number;
  /** No `process` call is sent that is estimated above this much gas. */
  gasCap: bigint;
  /** The most steps one call is ever given (the bisection's upper end). */
  maxStepsCeiling: number;
  /** A `process` call by another address within this many blocks makes this keeper wait. */
  otherKeeperBlocks: number;
  /**
   * Before entering a round, a keeper waits a fixed fraction of this (from its address) and looks again: of
   * two keepers that find the same round due, the later one then sees the first one's call and backs off.
   */
  startJitterMs: number;
  pollMs: number;
  /** Ticks at least this often even when no block arrives (a quiet devnet). */
  idleTickMs: number;
  txTimeoutMs: number;
  bumpPercent: bigint;
  maxReplacements: number;
  retry: Omit<RetryOptions, "log" | "what">;
  /** Where the lock file lives (one keeper per state directory); none: no lock. */
  lockFile?: string;
  /** Health is failing when the last complete round is older than this. */
  maxLagSeconds: number;
  dryRun: boolean;
}

export const defaultConfig = (c: Pick<KeeperConfig, "pool" | "poolAbi" | "registryAbi" | "intervalSeconds"> & Partial<KeeperConfig>): KeeperConfig => ({
  minGapSeconds: Math.min(60, c.intervalSeconds),
  gasCap: 10_000_000n,
  maxStepsCeiling: 1000,
  otherKeeperBlocks: 20,
  startJitterMs: 5000,
  pollMs: 1000,
  idleTickMs: 15_000,
  txTimeoutMs: 60_000,
  bumpPercent: 25n,
  maxReplacements: 5,
  retry: { retries: 6, baseMs: 250, maxMs: 8000 },
  maxLagSeconds: c.intervalSeconds * 2 + 600,
  dryRun: false,
  ...c,
});

export interface Snapshot {
  blockNumber: bigint;
  now: number;
  phase: number;
  cursor: number;
  startedAt: bigint;
  lastRoundCompletedAt: number;
  keeperGracePeriod: number;
  paused: boolean;
  pausedUntil: number;
  isOperator: boolean;
  pendingWithdrawals: bigint;
  idle: bigint;
  nextRequestPayable: boolean;
  maturedUnbondings: number;
  unplaceable?: { amount: bigint; limit: number };
  observations: ValidatorObservation[];
  otherKeeperActive: boolean;
}

export interface Plan {
  blockNumber: bigint;
  decision: Decision;
  round: { phase: string; cursor: number; startedAt: bigint };
  moves: { validatorId: bigint; isDelegate: boolean; amount: bigint }[];
  slashingsToBook: bigint[];
  syncs: bigint[];
  pendingWithdrawals: bigint;
  idleLiquidity: bigint;
  unplaceable?: { amount: bigint; limit: number };
}

/** A named custom error (or reason) of a reverted call, decoded with the ABI; undefined for other errors. */
export function decodeRevert(e: unknown): { error: string; named: boolean; args?: readonly unknown[] } | undefined {
  if (!(e instanceof BaseError)) return undefined;
  const r = e.walk((x) => x instanceof ContractFunctionRevertedError) as ContractFunctionRevertedError | null;
  if (!r) return undefined;
  return { error: r.data?.errorName ?? r.reason ?? r.shortMessage, named: !!(r.data?.errorName ?? r.reason), args: r.data?.args };
}

/** This keeper's wait before entering a round: a fraction of `jitterMs` fixed by its address. */
export const startDelayMs = (address: Address, jitterMs: number) => Math.floor((Number(BigInt(address) % 1024n) / 1024) * jitterMs);

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
type RoundMark = { phase: number; cursor: number; startedAt: bigint; lastRoundCompletedAt: number };
const sameMark = (a: RoundMark, b: RoundMark) =>
  a.phase === b.phase && a.cursor === b.cursor && a.startedAt === b.startedAt && a.lastRoundCompletedAt === b.lastRoundCompletedAt;

export class Keeper {
  readonly metrics: Metrics = newMetrics();
  private sender!: TxSender;
  private sfc!: Address;
  private registry!: Address;
  private layout!: SfcLayout;
  private operatorRole!: Hex;
  private hasUnplaceable = false;
  private stopping = false;
  private lastWait = "";
  private lock?: Lock;
  private ready = false;

  constructor(
    readonly client: PublicClient,
    readonly account: LocalAccount,
    readonly cfg: KeeperConfig,
    readonly log: Logger,
  ) {}

  private retry<T>(what: string, fn: () => Promise<T>) {
    return withRetry(fn, { ...this.cfg.retry, log: this.log, what });
  }

  private read<T>(functionName: string, args: readonly unknown[] = [], at?: bigint, address: Address = this.cfg.pool, abi: Abi = this.cfg.poolAbi): Promise<T> {
    return this.retry(functionName, () => this.client.readContract({ address, abi, functionName, args, blockNumber: at }) as Promise<T>);
  }

  /** Reads what does not change: the SFC, its layout, the registry, the operator role; whether `unplaceable` exists. */
  async init(): Promise<void> {
    if (this.ready) return;
    const chainId = await this.retry("chainId", () => this.client.getChainId());
    [this.sfc, this.registry, this.operatorRole] = await Promise.all([this.read<Address>("sfc"), this.read<Address>("registry"), this.read<Hex>("OPERATOR_ROLE")]);
    this.layout = layoutName(await this.read<number>("sfcLayout"));
    this.hasUnplaceable = this.cfg.poolAbi.some((x) => x.type === "function" && x.name === "unplaceable");
    this.sender = new TxSender(this.client, this.account, {
      chainId,
      timeoutMs: this.cfg.txTimeoutMs,
      bumpPercent: this.cfg.bumpPercent,
      maxReplacements: this.cfg.maxReplacements,
      pollMs: Math.min(this.cfg.pollMs, 500),
      retry: this.cfg.retry,
      log: (action, fields) => {
        if (action === "tx-replaced") this.metrics.txReplaced++;
        this.log(action, fields);
      },
    });
    this.ready = true;
    this.log("started", { account: this.account.address, pool: this.cfg.pool, registry: this.registry, sfc: this.sfc, sfcLayout: this.layout, chainId, gasCap: this.cfg.gasCap, intervalSeconds: this.cfg.intervalSeconds, dryRun: this.cfg.dryRun, unplaceable: this.hasUnplaceable });
  }

  /** Everything one tick decides on, read at one block. */
  async snapshot(): Promise<Snapshot> {
    const block = await this.retry("getBlock", () => this.client.getBlock());
    const at = block.number!;
    const now = Number(block.timestamp);
    const r = <T>(fn: string, args: readonly unknown[] = []) => this.read<T>(fn, args, at);
    const sfcRead = <T>(fn: string, args: readonly unknown[] = []) => this.read<T>(fn, args, at, this.sfc, sfcReadAbi as Abi);
    const [round, last, grace, paused, pauseWindow, isOperator, pending, idle, nextRequestPayable, unbondingCount, view] = await Promise.all([
      r<readonly [number, number, bigint, bigint]>("round"),
      r<bigint>("lastRoundCompletedAt"),
      r<bigint>("keeperGracePeriod"),
      r<boolean>("isPaused", [2]),
      r<readonly [bigint, bigint]>("pauseWindow", [2]),
      r<boolean>("hasRole", [this.operatorRole, this.account.address]),
      r<bigint>("pendingWithdrawals"),
      r<bigint>("idleLiquidity"),
      // Whether idle FTM covers the oldest request in the withdrawal queue (the pool values its locked shares).
      r<boolean>("nextWithdrawalPayable"),
      r<bigint>("unbondingCount"),
      this.read<readonly { id: bigint; state: number; weightBps: number }[]>("allocationView", [], at, this.registry, this.cfg.registryAbi),
    ]);
    const unbondings = await Promise.all(
      Array.from({ length: Number(unbondingCount) }, (_, i) => r<{ validatorId: bigint; epoch: bigint; time: bigint; amount: bigint }>("unbondingAt", [BigInt(i)])),
    );
    const ids = view.map((m) => m.id);
    const stateOf = new Map(view.map((m) => [m.id, m.state]));
    const all = [...new Set([...ids, ...unbondings.map((u) => u.validatorId)])];
    const observations = await Promise.all(
      all.map(async (id): Promise<ValidatorObservation> => {
        const [book, sfcSlashed, words] = await Promise.all([r<Book>("bookOf", [id]), sfcRead<boolean>("isSlashed", [id]), sfcRead<readonly bigint[]>("getValidator", [id])]);
        const sfcRefundRatio = sfcSlashed ? await sfcRead<bigint>("slashingRefundRatio", [id]) : 0n;
        const { status, deactivatedTime, deactivatedEpoch } = decodeValidator(words, this.layout);
        return { id, book, sfcSlashed, sfcRefundRatio, status, deactivatedTime, deactivatedEpoch, registryState: stateOf.get(id) };
      }),
    );
    let maturedUnbondings = 0;
    if (unbondings.length > 0) {
      const consts = await sfcRead<Address>("constsAddress");
      const [epochNow, periodEpochs, periodTime] = await Promise.all([
        sfcRead<bigint>("currentEpoch"),
        this.read<bigint>("withdrawalPeriodEpochs", [], at, consts, sfcConstsAbi as Abi),
        this.read<bigint>("withdrawalPeriodTime", [], at, consts, sfcConstsAbi as Abi),
      ]);
      const byId = new Map(observations.map((o) => [o.id, o]));
      const period = { epochNow, now: BigInt(now), periodEpochs, periodTime };
      maturedUnbondings = splitByMaturity(unbondings, period, (id) => validatorExit(byId.get(id)!, byId.get(id)!.book)).matured.count;
    }
    let unplaceable: Snapshot["unplaceable"];
    if (this.hasUnplaceable) {
      const [amount, limit] = await r<readonly [bigint, number]>("unplaceable");
      unplaceable = { amount, limit };
    }
    const from = at > BigInt(this.cfg.otherKeeperBlocks) ? at - BigInt(this.cfg.otherKeeperBlocks) : 0n;
    const events = await this.retry("getLogs", () =>
      this.client.getContractEvents({ address: this.cfg.pool, abi: this.cfg.poolAbi, eventName: "Processed", fromBlock: from, toBlock: at }),
    );
    const me = this.account.address.toLowerCase();
    const otherKeeperActive = events.some((e) => String((e as unknown as { args: { caller: string } }).args.caller).toLowerCase() !== me);
    return {
      blockNumber: at,
      now,
      phase: Number(round[0]),
      cursor: Number(round[1]),
      startedAt: round[2],
      lastRoundCompletedAt: Number(last),
      keeperGracePeriod: Number(grace),
      paused,
      pausedUntil: Number(pauseWindow[0]),
      isOperator,
      pendingWithdrawals: pending,
      idle,
      nextRequestPayable,
      maturedUnbondings,
      unplaceable,
      observations,
      otherKeeperActive,
    };
  }

  decision(s: Snapshot): Decision {
    return decide({ ...s, intervalSeconds: this.cfg.intervalSeconds, minGapSeconds: this.cfg.minGapSeconds });
  }

  /** What a tick would do now, sending nothing: the round decision, the planned moves, the bookings. */
  async plan(s?: Snapshot): Promise<Plan> {
    await this.init();
    s ??= await this.snapshot();
    const moves = await this.read<readonly { validatorId: bigint; isDelegate: boolean; amount: bigint }[]>("previewProcess", [], s.blockNumber);
    return {
      blockNumber: s.blockNumber,
      decision: this.decision(s),
      round: { phase: phaseName(s.phase), cursor: s.cursor, startedAt: s.startedAt },
      moves: moves.map((m) => ({ validatorId: m.validatorId, isDelegate: m.isDelegate, amount: m.amount })),
      slashingsToBook: slashingsToBook(s.observations),
      syncs: syncsNeeded(s.observations),
      pendingWithdrawals: s.pendingWithdrawals,
      idleLiquidity: s.idle,
      unplaceable: s.unplaceable,
    };
  }

  private observe(s: Snapshot) {
    const m = this.metrics;
    m.lastTickAt = Math.floor(Date.now() / 1000);
    m.chainTimeAtTick = s.now;
    m.blockNumber = s.blockNumber;
    m.roundPhase = s.phase;
    m.lastCompleteRoundTimestamp = s.lastRoundCompletedAt;
    m.pendingWithdrawalsWei = s.pendingWithdrawals;
    m.idleLiquidityWei = s.idle;
    m.unplaceableWei = s.unplaceable?.amount;
  }

  /** One look at the chain: bookings first (within the block after they are seen), then the round if due. */
  async tick(): Promise<void> {
    await this.init();
    let s = await this.snapshot();
    this.observe(s);
    if (this.cfg.dryRun) {
      const p = await this.plan(s);
      this.log("plan", { ...p, unplaceable: p.unplaceable && { ...p.unplaceable, limit: AllocationLimitNames[p.unplaceable.limit] ?? p.unplaceable.limit } });
      return;
    }
    const toBook = slashingsToBook(s.observations);
    if (toBook.length > 0) {
      const r = await this.transact("book-slashing", this.cfg.pool, this.cfg.poolAbi, "bookSlashing", [toBook], { validators: toBook });
      if (r?.status === "success") this.metrics.slashingsBooked++;
    }
    for (const id of syncsNeeded(s.observations)) {
      const r = await this.transact("registry-sync", this.registry, this.cfg.registryAbi, "sync", [id], { validator: id });
      if (r?.status === "success") this.metrics.syncsSent++;
    }
    let d = this.decision(s);
    if (d.run && this.cfg.startJitterMs > 0) {
      await sleep(startDelayMs(this.account.address, this.cfg.startJitterMs));
      s = await this.snapshot();
      d = this.decision(s);
    }
    if (!d.run) {
      const text = d.wait ?? d.reason;
      if (text !== this.lastWait && (d.wait || !d.due)) this.log(d.due ? "waiting" : "idle", { reason: d.reason, wait: d.wait, block: s.blockNumber });
      this.lastWait = text;
      return;
    }
    this.lastWait = "";
    const outcome = await this.runRound(d.reason, { phase: s.phase, cursor: s.cursor, startedAt: s.startedAt, lastRoundCompletedAt: s.lastRoundCompletedAt });
    if (outcome === "completed") {
      const after = await this.mark();
      this.metrics.lastCompleteRoundTimestamp = after.lastRoundCompletedAt;
      this.metrics.roundPhase = after.phase;
    }
  }

  /** Simulates, estimates and sends one call; a simulated revert is logged with its decoded error, not sent. */
  private async transact(action: string, to: Address, abi: Abi, functionName: string, args: readonly unknown[], fields: Record<string, unknown>) {
    try {
      await this.retry(`simulate ${functionName}`, () => this.client.simulateContract({ address: to, abi, functionName, args, account: this.account }));
    } catch (e) {
      const rev = decodeRevert(e);
      if (!rev) throw e;
      this.metrics.simulatedReverts++;
      this.log("simulated-revert", { call: functionName, ...fields, ...rev });
      return undefined;
    }
    const est = await this.retry(`estimate ${functionName}`, () => this.client.estimateContractGas({ address: to, abi, functionName, args, account: this.account }));
    const sent = await this.sendOrLog(action, to, encodeFunctionData({ abi, functionName, args }), gasLimitFor(est, this.cfg.gasCap));
    if (sent === "reverted" || !sent) return undefined;
    this.metrics.gasSpent += sent.receipt.gasUsed;
    this.log(action, { ...fields, tx: sent.hash, gas: sent.receipt.gasUsed, status: sent.receipt.status, block: sent.receipt.blockNumber });
    return sent.receipt;
  }

  /**
   * Sends through the sender; a node that refuses the transaction because it would revert or run out of gas
   * now (the state moved since the estimate, e.g. another keeper's call landed first) is logged, not retried.
   */
  private async sendOrLog(action: string, to: Address, data: Hex, gas: bigint, guard?: () => Promise<boolean>) {
    try {
      return await this.sender.send(to, data, gas, action, guard);
    } catch (e) {
      if (isTransientRpcError(e) || !/revert|out of gas/i.test(`${errorText(e)} ${(e as Error).message}`)) throw e;
      this.metrics.simulatedReverts++;
      this.log("send-reverted", { call: action, error: errorText(e), details: (e as { details?: string }).details });
      return "reverted" as const;
    }
  }

  private async mark(): Promise<RoundMark> {
    const [round, last] = await Promise.all([this.read<readonly [number, number, bigint, bigint]>("round"), this.read<bigint>("lastRoundCompletedAt")]);
    return { phase: Number(round[0]), cursor: Number(round[1]), startedAt: round[2], lastRoundCompletedAt: Number(last) };
  }

  private async estimateProcess(steps: number): Promise<bigint | undefined> {
    try {
      return await this.retry("estimate process", () =>
        this.client.estimateContractGas({ address: this.cfg.pool, abi: this.cfg.poolAbi, functionName: "process", args: [BigInt(steps)], account: this.account }),
      );
    } catch (e) {
      if (isTransientRpcError(e) || decodeRevert(e)?.named) throw e;
      return undefined; // out of gas, or above a transaction gas cap: does not fit
    }
  }

  /**
   * Calls `process` until the round is complete, each call the largest number of steps estimated under the
   * gas cap. Stops when another keeper moves the round between two of its calls, when a simulation reverts,
   * or when asked to stop; the pool keeps the round's cursor, so a later call carries on.
   */
  async runRound(reason: string, expected: RoundMark): Promise<"completed" | "other-keeper" | "reverted" | "too-big" | "stopped"> {
    this.log("round", { reason, phase: phaseName(expected.phase), cursor: expected.cursor });
    for (;;) {
      if (this.stopping) return "stopped";
      const before = await this.mark();
      if (!sameMark(before, expected)) {
        this.log("backoff", { reason: "the round moved without this keeper (another keeper is running it)", phase: phaseName(before.phase), cursor: before.cursor });
        return "other-keeper";
      }
      try {
        await this.retry("simulate process", () =>
          this.client.simulateContract({ address: this.cfg.pool, abi: this.cfg.poolAbi, functionName: "process", args: [1n], account: this.account }),
        );
      } catch (e) {
        const rev = decodeRevert(e);
        if (!rev) throw e;
        this.metrics.simulatedReverts++;
        this.log("simulated-revert", { call: "process", ...rev });
        return "reverted";
      }
      const estimates = new Map<number, bigint | undefined>();
      const steps = await largestFitting(this.cfg.maxStepsCeiling, async (n) => {
        const g = await this.estimateProcess(n);
        estimates.set(n, g);
        return g !== undefined && g <= this.cfg.gasCap;
      });
      if (steps === 0) {
        this.log("error", { call: "process", error: `one step of process is estimated above the gas cap of ${this.cfg.gasCap}` });
        return "too-big";
      }
      const estimate = estimates.get(steps)!;
      const data = encodeFunctionData({ abi: this.cfg.poolAbi, functionName: "process", args: [BigInt(steps)] });
      const unmoved = async () => sameMark(await this.mark(), expected);
      const sent = await this.sendOrLog("process", this.cfg.pool, data, gasLimitFor(estimate, this.cfg.gasCap), unmoved);
      if (sent === "reverted") return "reverted";
      if (!sent) {
        this.log("backoff", { reason: "the round moved while this keeper sized its call (another keeper is running it)" });
        return "other-keeper";
      }
      const done = this.record(sent.receipt, steps, estimate);
      if (sent.receipt.status !== "success") return "reverted";
      if (done) return "completed";
      expected = await this.mark();
    }
  }

  /** Books a mined `process` call in the metrics and the log; returns whether it completed the round. */
  private record(receipt: TransactionReceipt, maxSteps: number, estimate: bigint): boolean {
    const m = this.metrics;
    m.gasSpent += receipt.gasUsed;
    m.processCalls++;
    const logs = parseEventLogs({ abi: this.cfg.poolAbi, logs: receipt.logs }) as unknown as { eventName: string; args: Record<string, unknown> }[];
    const processed = logs.find((l) => l.eventName === "Processed");
    const failed = logs.filter((l) => l.eventName === "MoveFailed");
    m.failedMoves += failed.length;
    const completed = processed?.args.roundCompleted === true;
    if (completed) m.roundsCompleted++;
    this.log("process", {
      tx: receipt.transactionHash,
      status: receipt.status,
      block: receipt.blockNumber,
      gas: receipt.gasUsed,
      gasEstimate: estimate,
      maxSteps,
      steps: processed?.args.steps,
      phase: processed ? phaseName(Number(processed.args.phase)) : undefined,
      roundCompleted: completed,
      failedMoves: failed.map((f) => ({ validator: f.args.validatorId, isDelegate: f.args.isDelegate, amount: f.args.amount })),
    });
    return completed;
  }

  health() {
    return health(this.metrics, Math.floor(Date.now() / 1000), this.cfg.maxLagSeconds, Math.max(60, (this.cfg.idleTickMs / 1000) * 4));
  }

  prometheus() {
    return renderPrometheus(this.metrics);
  }

  /** Runs until `stop()`: waits for the lock (a second instance stands by), then ticks on each new block. */
  async start(): Promise<void> {
    if (this.cfg.lockFile) {
      let said = false;
      while (!this.stopping) {
        const got = acquireLock(this.cfg.lockFile);
        if ("release" in got) {
          this.lock = got;
          break;
        }
        if (!said) this.log("lock-held", { lockFile: this.cfg.lockFile, heldBy: got.heldBy, wait: "another keeper runs with this state directory; standing by" });
        said = true;
        await sleep(this.cfg.pollMs);
      }
    }
    let lastBlock = -1n;
    let lastTick = 0;
    let failures = 0;
    try {
      while (!this.stopping) {
        try {
          const bn = await this.retry("getBlockNumber", () => this.client.getBlockNumber({ cacheTime: 0 }));
          if (bn !== lastBlock || Date.now() - lastTick >= this.cfg.idleTickMs) {
            await this.tick();
            lastBlock = bn;
            lastTick = Date.now();
          }
          failures = 0;
          await sleep(this.cfg.pollMs);
        } catch (e) {
          this.metrics.rpcErrors++;
          const delay = backoffMs(failures++, this.cfg.retry.baseMs, this.cfg.retry.maxMs);
          this.log("error", { error: errorText(e), transient: isTransientRpcError(e), retryInMs: delay });
          await sleep(delay);
        }
      }
    } finally {
      this.lock?.release();
      this.log("stopped", {});
    }
  }

  /** Asks the keeper to stop after the call in flight (the round's cursor stays on chain). */
  stop() {
    this.stopping = true;
  }
}

export { Phase };
