// Part 3 of `npm run bench`: unbonding saved. A deterministic simulation (fixed seed) of one year of daily
// rounds on the SFC model with random deposits and withdrawals, three governance target changes, one
// validator deactivation and one slashing, run with the pool's allocation and with naive strategies.
// Every strategy runs on its own chain (its own SFC model with the same validators) and receives the same
// stream of events at the same block timestamps; all figures are read from the chains. A fourth run
// (`poolCapacity`) is the pool again with one more event: mid-year a third party delegates to one validator
// directly on the SFC and fills its delegation limit. The same flows are then replayed through the reference
// ledgers of bench/ideal.ts: the issue's flow-only bound on unbonding, and the bound that adds what the
// scenario forces any allocator keeping the drift goal to move (the ideal allocator of FTM-days not earning).
//   npx hardhat run bench/sim.ts   → bench/.out/sim.json
import { parseEther, parseEventLogs, type Address, type Hash, type TransactionReceipt } from "viem";
import { IdealAllocator, type Cause, type IdealOptions } from "./ideal.js";
import { deployPool, equalWeights, freshChain, log as makeLog, mined, validatorAuth, writePart, type Conn, type PoolSuite } from "./lib.js";
import { WithdrawalQueueRequestStatus as RequestStatus } from "../shared/protocol.generated.js";
import { SFC_STATUS } from "../shared/sfc.js";

const log = makeLog("sim");
const started = Date.now();

// ------------------------------------------------------------------ the scenario (fixed)
const SEED = 0x5eed2026;
const DAYS = Number(process.env.BENCH_SIM_DAYS ?? 365);
const VALIDATORS = 10;
const HOLDERS = 6;
const SELF_STAKE = parseEther("50000"); // × maxDelegatedRatio 16 = 800,000 FTM of room per validator
const APR_BPS = 500n; // rewards per epoch (day): 5 %/year of the eligible stake of that SFC
const T0 = 2_000_000_000; // timestamp of day 0 (the same on every chain)
const DAY = 86_400;
const SLASH_REFUND = parseEther("0.9"); // a slashed delegation gets 90 % back
const EVENTS: Record<number, { kind: "targets"; ids: number[]; weights: number[] } | { kind: "deactivate"; id: number } | { kind: "slash"; id: number }> = {
  60: { kind: "targets", ids: [1, 2, 3, 4, 5, 6, 7, 8, 9, 10], weights: [1500, 1500, 1500, 1000, 1000, 1000, 750, 750, 500, 500] },
  150: { kind: "targets", ids: [1, 2, 3, 4, 5, 6, 7, 8, 9, 10], weights: [500, 500, 750, 750, 1000, 1000, 1000, 1500, 1500, 1500] },
  200: { kind: "deactivate", id: 4 },
  240: { kind: "targets", ids: [1, 2, 3, 5, 6, 7, 8, 9, 10], weights: [1200, 1200, 1100, 1100, 1100, 1100, 1100, 1100, 1000] },
  300: { kind: "slash", id: 7 },
};

// The capacity run: on this day a third party fills this validator's SFC room (weight 1,500 bps since day 150).
const CAPACITY_DAY = 170;
const CAPACITY_VALIDATOR = 9;

/** mulberry32: a small deterministic PRNG. */
function prng(seed: number) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
const rand = prng(SEED);
const uniform = (lo: number, hi: number) => lo + (hi - lo) * rand();
const ftmWei = (x: number) => BigInt(Math.round(x * 1000)) * 10n ** 15n; // FTM with 3 decimals
const toFtm = (x: bigint) => Number(x) / 1e18;

type Action = { holder: number; kind: "deposit"; amount: bigint } | { holder: number; kind: "withdraw"; fraction: number };

const FLOWS = {
  initialDepositFTM: [50_000, 200_000], // day 0, every holder
  depositProbability: 0.3, // every later day, each holder
  depositFTM: [200, 8_000],
  withdrawProbability: 0.2,
  withdrawFraction: [0.01, 0.1], // of the holder's holding
};

/** The day's holder actions, drawn before anything is read, so every strategy gets the same draw. */
function drawActions(day: number): Action[] {
  const actions: Action[] = [];
  const f = FLOWS;
  for (let h = 0; h < HOLDERS; h++) {
    if (day === 0) {
      actions.push({ holder: h, kind: "deposit", amount: ftmWei(uniform(f.initialDepositFTM[0], f.initialDepositFTM[1])) });
      continue;
    }
    if (rand() < f.depositProbability) actions.push({ holder: h, kind: "deposit", amount: ftmWei(uniform(f.depositFTM[0], f.depositFTM[1])) });
    if (rand() < f.withdrawProbability) actions.push({ holder: h, kind: "withdraw", fraction: uniform(f.withdrawFraction[0], f.withdrawFraction[1]) });
  }
  for (let i = actions.length - 1; i > 0; i--) {
    const j = Math.floor(rand() * (i + 1));
    [actions[i], actions[j]] = [actions[j], actions[i]];
  }
  return actions;
}

// ------------------------------------------------------------------ strategies
interface Metrics {
  stakes: bigint[]; // SFC getStake of the strategy, per validator (raw)
  values: bigint[]; // at booked value (slashing refund applied)
  weights: number[]; // governance target weights (raw bps)
  status: bigint[];
  slashed: boolean[];
  idle: bigint;
  unbonding: bigint;
}

abstract class World {
  abstract name: string;
  conn!: Conn;
  sfc!: PoolSuite["sfc"];
  holders!: Address[];
  deployer!: Address;
  ids: bigint[] = [];
  last = 0;
  roundGas = 0n;
  roundCalls = 0;
  largestCallGas = 0n;
  waits: number[] = []; // days from request to payment (finalisation)
  openRequests: { id: bigint; holder: number; day: number }[] = [];

  /** Books the gas of one keeper call (every `process` of the year goes through here). */
  keeperCall(gasUsed: bigint) {
    this.roundGas += gasUsed;
    this.roundCalls++;
    if (gasUsed > this.largestCallGas) this.largestCallGas = gasUsed;
  }

  async at(ts: number) {
    const t = Math.max(ts, this.last + 1);
    this.last = t;
    await (await this.conn.viem.getTestClient()).setNextBlockTimestamp({ timestamp: BigInt(t) });
  }
  async send(ts: number, tx: () => Promise<Hash>): Promise<TransactionReceipt> {
    await this.at(ts);
    return mined(this.conn, tx());
  }
  /** Seals the epoch with a day of rewards on this chain's eligible stake (same rate for every strategy). */
  async seal(ts: number) {
    let eligible = 0n;
    for (const id of this.ids) {
      const v = await this.sfc.read.getValidator([id]);
      if (v[0] === 0n) eligible += v[1];
    }
    const reward = (eligible * APR_BPS) / 10_000n / 365n;
    await this.send(ts, () => this.sfc.write.sealEpoch({ value: reward, gas: 3_000_000n }));
  }
  async chainEvent(ts: number, e: (typeof EVENTS)[number]) {
    if (e.kind === "targets") await this.setTargets(ts, e.ids.map(BigInt), e.weights);
    else if (e.kind === "deactivate") await this.send(ts, () => this.sfc.write.deactivateValidator([BigInt(e.id), SFC_STATUS.OFFLINE]));
    else {
      await this.send(ts, () => this.sfc.write.slash([BigInt(e.id)]));
      await this.send(ts + 1, () => this.sfc.write.updateSlashingRefundRatio([BigInt(e.id), SLASH_REFUND]));
    }
  }
  async sfcView() {
    const status: bigint[] = [];
    const slashed: boolean[] = [];
    const ratio: bigint[] = [];
    for (const id of this.ids) {
      status.push((await this.sfc.read.getValidator([id]))[0]);
      const s = await this.sfc.read.isSlashed([id]);
      slashed.push(s);
      ratio.push(s ? await this.sfc.read.slashingRefundRatio([id]) : 10n ** 18n);
    }
    return { status, slashed, ratio };
  }
  abstract setTargets(ts: number, ids: bigint[], weights: number[]): Promise<void>;
  abstract balanceOf(holder: number): Promise<bigint>;
  abstract deposit(ts: number, holder: number, amount: bigint): Promise<void>;
  abstract requestWithdrawal(ts: number, holder: number, amount: bigint, day: number): Promise<void>;
  abstract round(ts: number, day: number): Promise<void>;
  abstract afterRound(ts: number, day: number): Promise<void>;
  abstract metrics(): Promise<Metrics>;
  abstract totals(): Promise<{ unbonded: bigint; undelegations: number; harvested: bigint; deposited: bigint; paid: bigint; holderValue: bigint }>;
  /** FTM (wei) that 1e18 shares are worth now. */
  abstract shareValue(): Promise<bigint>;
}

class PoolWorld extends World {
  s!: PoolSuite;
  constructor(
    public name: string,
    readonly capacityEvent: boolean,
  ) {
    super();
  }
  /** A third party delegates to validator `id` directly on the SFC, up to its delegation limit. */
  async fillRoom(ts: number, id: bigint) {
    const consts = await this.conn.viem.getContractAt("SFCConstantsModel", await this.sfc.read.consts());
    const limit = ((await this.sfc.read.getSelfStake([id])) * (await consts.read.maxDelegatedRatio())) / 10n ** 18n;
    const received = (await this.sfc.read.getValidator([id]))[1];
    if (limit > received) await this.send(ts, () => this.sfc.write.delegate([id], { value: limit - received, account: this.deployer }));
  }
  unbonded = 0n;
  undelegations = 0;
  /** FTM sent into unbonding by cause: drift (rule 7), drains of inactive validators (rule 4), withdrawals (rule 5). */
  byCause: Record<Cause, bigint> = { withdrawals: 0n, drift: 0n, drains: 0n };
  /** FTM delegated to a validator within the withdrawal period after undelegating from it (a round trip). */
  roundTrips = 0n;
  recentUndelegations: { day: number; validator: bigint; amount: bigint }[] = [];
  failedMoves = 0;
  harvested = 0n;
  deposited = 0n;
  claimed = 0n;

  async setup() {
    this.conn = await freshChain();
    this.s = await deployPool(this.conn, { validators: VALIDATORS, selfStake: SELF_STAKE, feeBps: 0 });
    this.sfc = this.s.sfc;
    this.ids = this.s.ids;
    this.deployer = this.s.deployer.account.address;
    this.holders = this.s.wallets.slice(4, 4 + HOLDERS).map((w) => w.account.address);
    for (const h of [...this.holders, this.deployer]) await this.conn.networkHelpers.setBalance(h, parseEther("100000000"));
    this.deposited = this.s.params.deadSharesDeposit; // the dead shares are a deposit too
  }
  async setTargets(ts: number, ids: bigint[], weights: number[]) {
    await this.send(ts, () => this.s.registry.write.setTargets([ids, weights]));
  }
  async balanceOf(holder: number) {
    return this.s.stFTM.read.balanceOf([this.holders[holder]]);
  }
  async deposit(ts: number, holder: number, amount: bigint) {
    await this.send(ts, () => this.s.pool.write.stake([this.holders[holder]], { value: amount, account: this.holders[holder], gas: 1_000_000n }));
    this.deposited += amount;
  }
  async requestWithdrawal(ts: number, holder: number, amount: bigint, day: number) {
    const id = await this.s.withdrawalQueue.read.nextRequestId();
    await this.send(ts, () => this.s.withdrawalQueue.write.requestWithdrawal([amount, this.holders[holder]], { account: this.holders[holder], gas: 1_000_000n }));
    this.openRequests.push({ id, holder, day });
  }
  async round(ts: number, day: number) {
    const inactive = new Set<bigint>();
    const view = await this.sfcView();
    this.ids.forEach((id, i) => (view.status[i] !== 0n || view.slashed[i]) && inactive.add(id));
    this.recentUndelegations = this.recentUndelegations.filter((u) => day - u.day < withdrawalPeriodDays);
    for (let call = 0; call < 20; call++) {
      const r = await this.send(ts + call, () => this.s.pool.write.process([1000n], { account: this.s.operator.account, gas: 15_000_000n }));
      this.keeperCall(r.gasUsed);
      let done = false;
      for (const e of parseEventLogs({ abi: this.s.pool.abi, logs: r.logs })) {
        if (e.eventName === "Undelegated") {
          this.unbonded += e.args.amount;
          this.undelegations++;
          const drift = e.args.driftAmount < e.args.amount ? e.args.driftAmount : e.args.amount;
          if (inactive.has(e.args.validatorId)) this.byCause.drains += e.args.amount;
          else {
            this.byCause.drift += drift;
            this.byCause.withdrawals += e.args.amount - drift;
          }
          this.recentUndelegations.push({ day, validator: e.args.validatorId, amount: e.args.amount });
        } else if (e.eventName === "Delegated") {
          let left = e.args.amount;
          for (const u of this.recentUndelegations) {
            if (u.validator !== e.args.validatorId || left === 0n) continue;
            const x = u.amount < left ? u.amount : left;
            u.amount -= x;
            left -= x;
            this.roundTrips += x;
          }
        } else if (e.eventName === "RewardsHarvested") this.harvested += e.args.amount;
        else if (e.eventName === "MoveFailed") this.failedMoves++;
        else if (e.eventName === "Processed") done ||= e.args.roundCompleted;
      }
      if (done) return;
    }
    throw new Error("the pool's round did not complete in 20 calls");
  }
  /** Holders claim every finalised request (one claim per holder). */
  async afterRound(ts: number, day: number) {
    const byHolder = new Map<number, bigint[]>();
    const still: typeof this.openRequests = [];
    for (const r of this.openRequests) {
      const w = await this.s.withdrawalQueue.read.requestStatus([r.id]);
      if (w.status === RequestStatus.Finalised) {
        byHolder.set(r.holder, [...(byHolder.get(r.holder) ?? []), r.id]);
        this.waits.push(day - r.day);
        this.claimed += w.finalisedAmount;
      } else still.push(r);
    }
    this.openRequests = still;
    let k = 0;
    for (const [holder, ids] of byHolder) {
      await this.send(ts + k++, () => this.s.withdrawalQueue.write.claim([ids, this.holders[holder]], { account: this.holders[holder], gas: 2_000_000n }));
    }
  }
  async metrics(): Promise<Metrics> {
    const { status, slashed } = await this.sfcView();
    const [tids, tweights] = await this.s.registry.read.targets();
    const weightOf = new Map(tids.map((id, i) => [id, Number(tweights[i])]));
    const stakes: bigint[] = [];
    const values: bigint[] = [];
    for (const id of this.ids) {
      stakes.push(await this.sfc.read.getStake([this.s.pool.address, id]));
      values.push(await this.s.pool.read.stakeOf([id]));
    }
    return {
      stakes,
      values,
      weights: this.ids.map((id) => weightOf.get(id) ?? 0),
      status,
      slashed,
      idle: await this.s.pool.read.idleLiquidity(),
      unbonding: await this.s.pool.read.totalUnbondingBooked(),
    };
  }
  async shareValue() {
    return this.s.pool.read.getRate();
  }
  /** FTM of finalised requests, set aside in the withdrawal queue until claimed. */
  async queueHolds() {
    return (await this.conn.viem.getPublicClient()).getBalance({ address: this.s.withdrawalQueue.address });
  }
  async totals() {
    // Rewards still vesting belong to the holders too (they are in the rate by the end of the vesting period).
    const [unvested] = await this.s.pool.read.vestingRewards();
    const holderValue = (await this.s.pool.read.totalPooledFTM()) + (await this.queueHolds()) + unvested;
    return { unbonded: this.unbonded, undelegations: this.undelegations, harvested: this.harvested, deposited: this.deposited, paid: this.claimed, holderValue };
  }
}

/**
 * The pool with a reward sandwich tried every `SANDWICH.everyDays` days: a large holder (as with a flash loan)
 * stakes `SANDWICH.stakeFTM` just before the keeper round (the harvest), requests its whole balance right
 * after it and claims as soon as the request is finalised. Its flows are kept apart from the holders'.
 */
const SANDWICH = { everyDays: 10, stakeFTM: 500_000 };
class SandwichedPoolWorld extends PoolWorld {
  attacker!: Address;
  attempts = 0;
  attackerStaked = 0n;
  attackerClaimed = 0n;
  attackerRequests: bigint[] = [];

  async setup() {
    await super.setup();
    this.attacker = this.s.wallets[4 + HOLDERS].account.address;
    await this.conn.networkHelpers.setBalance(this.attacker, parseEther("1000000000"));
  }
  async round(ts: number, day: number) {
    const attack = day > 0 && day % SANDWICH.everyDays === 0;
    if (attack) {
      const amount = parseEther(String(SANDWICH.stakeFTM));
      await this.send(ts - 10, () => this.s.pool.write.stake([this.attacker], { value: amount, account: this.attacker, gas: 1_000_000n }));
      this.attackerStaked += amount;
      this.attempts++;
    }
    await super.round(ts, day);
    if (attack) {
      const id = await this.s.withdrawalQueue.read.nextRequestId();
      const all = await this.s.stFTM.read.balanceOf([this.attacker]);
      await this.send(ts + 30, () => this.s.withdrawalQueue.write.requestWithdrawal([all, this.attacker], { account: this.attacker, gas: 1_000_000n }));
      this.attackerRequests.push(id);
    }
  }
  async afterRound(ts: number, day: number) {
    await super.afterRound(ts, day);
    const ready: bigint[] = [];
    for (const id of this.attackerRequests) {
      const w = await this.s.withdrawalQueue.read.requestStatus([id]);
      if (w.status === RequestStatus.Finalised) {
        ready.push(id);
        this.attackerClaimed += w.finalisedAmount;
      }
    }
    if (ready.length === 0) return;
    this.attackerRequests = this.attackerRequests.filter((id) => !ready.includes(id));
    await this.send(ts + 900, () => this.s.withdrawalQueue.write.claim([ready, this.attacker], { account: this.attacker, gas: 2_000_000n }));
  }
  /** What the attacker still has in the pool: its balance and its open requests (at what they would be paid now). */
  async attackerResidual() {
    let residual = await this.s.stFTM.read.balanceOf([this.attacker]);
    for (const id of this.attackerRequests) {
      const w = await this.s.withdrawalQueue.read.requestStatus([id]);
      const value = await this.s.pool.read.amountForShares([w.lockedShares]);
      residual += w.status === RequestStatus.Finalised ? w.finalisedAmount : w.amount < value ? w.amount : value;
    }
    return residual;
  }
  async totals() {
    const t = await super.totals();
    return { ...t, holderValue: t.holderValue - (await this.attackerResidual()) };
  }
}

class NaiveWorld extends World {
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  naive!: { read: any; write: any; abi: any; address: Address };
  constructor(
    public name: string,
    private readonly netFlows: boolean,
  ) {
    super();
  }
  async setup() {
    this.conn = await freshChain();
    const { viem } = this.conn;
    const wallets = await viem.getWalletClients();
    this.deployer = wallets[0].account.address;
    await this.conn.networkHelpers.setBalance(this.deployer, parseEther("100000000"));
    this.sfc = (await viem.deployContract("SFCModel", [1])) as PoolSuite["sfc"];
    for (let i = 0; i < VALIDATORS; i++) {
      const auth = await validatorAuth(this.conn, i);
      await mined(this.conn, this.sfc.write.createValidator([`0x${(i + 1).toString(16).padStart(4, "0")}`], { value: SELF_STAKE, account: auth.account }));
      this.ids.push(await this.sfc.read.getValidatorID([auth.account.address]));
    }
    this.naive = (await viem.deployContract("NaiveStaker", [this.sfc.address, 1, this.netFlows])) as unknown as NaiveWorld["naive"];
    await mined(this.conn, this.naive.write.setTargets([this.ids, equalWeights(VALIDATORS).map(BigInt)]));
    await mined(this.conn, this.naive.write.stake([this.deployer], { value: parseEther("1") })); // as the pool's dead shares
    this.holders = wallets.slice(4, 4 + HOLDERS).map((w) => w.account.address);
    for (const h of this.holders) await this.conn.networkHelpers.setBalance(h, parseEther("100000000"));
  }
  async setTargets(ts: number, ids: bigint[], weights: number[]) {
    await this.send(ts, () => this.naive.write.setTargets([ids, weights.map(BigInt)]));
  }
  async balanceOf(holder: number): Promise<bigint> {
    return this.naive.read.balanceOf([this.holders[holder]]);
  }
  async deposit(ts: number, holder: number, amount: bigint) {
    await this.send(ts, () => this.naive.write.stake([this.holders[holder]], { value: amount, account: this.holders[holder], gas: 1_000_000n }));
  }
  async requestWithdrawal(ts: number, holder: number, amount: bigint, day: number) {
    const id: bigint = await this.naive.read.nextRequestId();
    await this.send(ts, () => this.naive.write.requestWithdrawal([amount], { account: this.holders[holder], gas: 1_000_000n }));
    this.openRequests.push({ id, holder, day });
  }
  async round(ts: number, day: number) {
    const r = await this.send(ts, () => this.naive.write.process({ gas: 15_000_000n }));
    this.keeperCall(r.gasUsed);
    const paid = new Set<bigint>();
    for (const e of parseEventLogs({ abi: this.naive.abi, logs: r.logs }) as unknown as { eventName: string; args: { id: bigint } }[]) {
      if (e.eventName === "WithdrawalPaid") paid.add(e.args.id);
    }
    const still: typeof this.openRequests = [];
    for (const o of this.openRequests) {
      if (paid.has(o.id)) this.waits.push(day - o.day);
      else still.push(o);
    }
    this.openRequests = still;
  }
  async afterRound() {} // the naive vault pays holders directly
  async metrics(): Promise<Metrics> {
    const { status, slashed, ratio } = await this.sfcView();
    const stakes: bigint[] = [];
    const weights: number[] = [];
    for (const id of this.ids) {
      stakes.push(await this.naive.read.stakeRaw([id]));
      weights.push(Number(await this.naive.read.weightOf([id])));
    }
    return {
      stakes,
      values: stakes.map((st, i) => (st * ratio[i]) / 10n ** 18n),
      weights,
      status,
      slashed,
      idle: await this.naive.read.idle(),
      unbonding: await this.naive.read.unbondingValue(),
    };
  }
  async shareValue(): Promise<bigint> {
    return ((await this.naive.read.totalAssets()) * 10n ** 18n) / (await this.naive.read.totalShares());
  }
  async totals() {
    const r = (f: string): Promise<bigint> => this.naive.read[f]();
    return {
      unbonded: await r("totalUndelegated"),
      undelegations: Number(await r("undelegations")),
      harvested: await r("totalRewards"),
      deposited: await r("totalDeposited"),
      paid: await r("totalPaid"),
      holderValue: await r("totalAssets"),
    };
  }
}

// ------------------------------------------------------------------ the run
const pool = new PoolWorld("pool", false);
const naive = new NaiveWorld("naive", false);
const netted = new NaiveWorld("naiveNetted", true);
const capacity = new PoolWorld("poolCapacity", true);
const sandwiched = new SandwichedPoolWorld("poolSandwiched", false);
// BENCH_SIM_ONLY=pool,poolCapacity runs only the named strategies (for working on the planner; the withdrawal
// amounts then follow the smallest balance among those, so the figures differ slightly from a full run).
const only = process.env.BENCH_SIM_ONLY?.split(",");
const worlds: World[] = [pool, naive, netted, capacity, sandwiched].filter((w) => w === pool || !only || only.includes(w.name));
await Promise.all(worlds.map((w) => (w as PoolWorld | NaiveWorld).setup()));
for (const w of worlds) {
  const now = Number((await (await w.conn.viem.getPublicClient()).getBlock()).timestamp);
  if (now >= T0) throw new Error("the chain's clock is past the simulation's start");
}

const sfcConsts = await pool.conn.viem.getContractAt("SFCConstantsModel", await pool.sfc.read.consts());
const withdrawalPeriodDays = Number(await sfcConsts.read.withdrawalPeriodTime()) / DAY;

const startValue = new Map<World, bigint>();
for (const w of worlds) startValue.set(w, await w.shareValue());

interface Acc {
  driftMax: number[];
  driftMeanAbs: number[];
  notEarning: number; // FTM-days
  notEarningIdle: number;
  notEarningUnbonding: number;
  notEarningInactive: number;
}
const acc = new Map<World, Acc>(worlds.map((w) => [w, { driftMax: [], driftMeanAbs: [], notEarning: 0, notEarningIdle: 0, notEarningUnbonding: 0, notEarningInactive: 0 }]));
let withdrawalsRequested = 0n;
let depositsMade = 0n;
/** What every strategy received each day, replayed through the reference ledgers after the year. */
const dayLog: { event?: (typeof EVENTS)[number]; fillRoom: boolean; flows: { kind: "deposit" | "withdraw"; amount: bigint }[] }[] = [];

for (let day = 0; day < DAYS; day++) {
  const base = T0 + day * DAY;
  const actions = drawActions(day);
  await Promise.all(worlds.map((w) => w.seal(base)));
  const event = EVENTS[day];
  if (event) await Promise.all(worlds.map((w) => w.chainEvent(base + 100, event)));
  if (day === CAPACITY_DAY) await capacity.fillRoom(base + 200, capacity.ids[CAPACITY_VALIDATOR - 1]);
  // Withdrawal amounts: a fraction of the smallest balance the holder has across strategies (the same amount
  // everywhere, and always affordable).
  const amounts: bigint[] = [];
  for (const a of actions) {
    if (a.kind === "deposit") {
      amounts.push(a.amount);
      depositsMade += a.amount;
      continue;
    }
    const balances = await Promise.all(worlds.map((w) => w.balanceOf(a.holder)));
    const least = balances.reduce((x, y) => (y < x ? y : x));
    const amount = ((BigInt(Math.floor(a.fraction * 1e6)) * least) / 1_000_000n / 10n ** 9n) * 10n ** 9n;
    amounts.push(amount);
    withdrawalsRequested += amount;
  }
  dayLog.push({ event, fillRoom: day === CAPACITY_DAY, flows: actions.map((a, k) => ({ kind: a.kind, amount: amounts[k] })) });
  await Promise.all(
    worlds.map(async (w) => {
      for (const [k, a] of actions.entries()) {
        const ts = base + 1000 + k;
        if (a.kind === "deposit") await w.deposit(ts, a.holder, amounts[k]);
        else if (amounts[k] > 0n) await w.requestWithdrawal(ts, a.holder, amounts[k], day);
      }
      await w.round(base + 40_000, day);
      await w.afterRound(base + 50_000, day);
      // End-of-day metrics.
      const m = await w.metrics();
      const a = acc.get(w)!;
      const eligible = m.status.map((st, i) => st === 0n && !m.slashed[i]);
      const stakeE = m.stakes.reduce((s, x, i) => (eligible[i] ? s + x : s), 0n);
      const weightE = m.weights.reduce((s, x, i) => (eligible[i] ? s + x : s), 0);
      const drifts: number[] = [];
      m.stakes.forEach((st, i) => {
        if (!eligible[i] || stakeE === 0n) return;
        const share = Number((st * 10n ** 12n) / stakeE) / 1e12;
        const target = weightE > 0 ? m.weights[i] / weightE : 1 / eligible.filter(Boolean).length;
        drifts.push(Math.abs(share - target) * 10_000);
      });
      a.driftMax.push(drifts.length ? Math.max(...drifts) : 0);
      a.driftMeanAbs.push(drifts.length ? drifts.reduce((x, y) => x + y, 0) / drifts.length : 0);
      const inactive = m.values.reduce((s, v, i) => (m.status[i] !== 0n ? s + v : s), 0n);
      a.notEarningIdle += toFtm(m.idle);
      a.notEarningUnbonding += toFtm(m.unbonding);
      a.notEarningInactive += toFtm(inactive);
      a.notEarning += toFtm(m.idle + m.unbonding + inactive);
    }),
  );
  if (day % 50 === 0 || day === DAYS - 1) {
    log(`day ${day}: ${worlds.map((w) => `${w.name} drift ${acc.get(w)!.driftMax.at(-1)!.toFixed(1)} bps`).join(", ")} (${Math.round((Date.now() - started) / 1000)} s)`);
  }
}

const round3 = (x: number) => Math.round(x * 1000) / 1000;
const round1 = (x: number) => Math.round(x * 10) / 10;
const mean = (xs: number[]) => xs.reduce((x, y) => x + y, 0) / Math.max(1, xs.length);

// ------------------------------------------------------------------ the reference ledgers (bench/ideal.ts)
const DRIFT_GOAL_BPS = 50; // the issue's mean-drift target
const thresholdBps = Number(await pool.s.pool.read.rebalanceThresholdBps());
const referenceOptions = {
  validators: VALIDATORS,
  maxWeightBps: Number(await pool.s.registry.read.maxWeightBps()),
  withdrawalPeriodDays,
  dailyRewardRate: (Number(APR_BPS) / 10_000 / 365) * (1 - Number(await sfcConsts.read.validatorCommission()) / 1e18),
};
function replay(name: string, o: Pick<IdealOptions, "forced" | "overTargetBps">, capacityRun: boolean) {
  const ledger = new IdealAllocator(name, { ...referenceOptions, ...o });
  ledger.deposit(toFtm(pool.s.params.deadSharesDeposit));
  dayLog.forEach((d, day) => {
    ledger.seal();
    const e = d.event;
    if (e?.kind === "targets") ledger.setTargets(e.ids, e.weights);
    else if (e?.kind === "deactivate") ledger.deactivate(e.id);
    else if (e?.kind === "slash") ledger.slash(e.id, toFtm(SLASH_REFUND));
    if (capacityRun && d.fillRoom) ledger.fillRoom(CAPACITY_VALIDATOR);
    for (const f of d.flows) {
      if (f.kind === "deposit") ledger.deposit(toFtm(f.amount));
      else if (f.amount > 0n) ledger.request(toFtm(f.amount));
    }
    ledger.round(day);
  });
  return ledger;
}
// The forced-moves ledger keeps each validator at most `overTargetBps` above target: the pool's threshold when
// that already meets the drift goal, otherwise the largest allowance that does (found by bisection).
let overTargetBps = thresholdBps;
let forced = replay("forced", { forced: true, overTargetBps }, false);
if (mean(forced.driftMax) > DRIFT_GOAL_BPS) {
  let [lo, hi] = [0, thresholdBps];
  for (let k = 0; k < 12; k++) {
    const mid = (lo + hi) / 2;
    if (mean(replay("forced", { forced: true, overTargetBps: mid }, false).driftMax) <= DRIFT_GOAL_BPS) lo = mid;
    else hi = mid;
  }
  overTargetBps = lo;
  forced = replay("forced", { forced: true, overTargetBps }, false);
}
// For comparison, the largest allowance with which that ledger still meets the drift goal: less unbonding, and
// the most an allocator judged by the mean drift alone (not the pool's per-round threshold) could save this way.
let goalBps = overTargetBps;
{
  let [lo, hi] = [overTargetBps, 20 * Math.max(1, thresholdBps)];
  const meets = (bps: number) => mean(replay("forcedAtDriftGoal", { forced: true, overTargetBps: bps }, false).driftMax) <= DRIFT_GOAL_BPS;
  if (meets(hi)) lo = hi;
  else {
    for (let k = 0; k < 12; k++) {
      const mid = (lo + hi) / 2;
      if (meets(mid)) lo = mid;
      else hi = mid;
    }
  }
  goalBps = lo;
}
const reference = {
  forcedAtDriftGoal: replay("forcedAtDriftGoal", { forced: true, overTargetBps: goalBps }, false),
  flowOnly: replay("flowOnly", { forced: false, overTargetBps }, false),
  flowOnlyCapacity: replay("flowOnlyCapacity", { forced: false, overTargetBps }, true),
  forced,
  forcedCapacity: replay("forcedCapacity", { forced: true, overTargetBps }, true),
};
const referenceSummary = Object.fromEntries(
  Object.entries(reference).map(([k, l]) => [
    k,
    {
      unbondedFTM: round3(l.unbonded),
      unbondedByCauseFTM: Object.fromEntries(Object.entries(l.undelegated).map(([c, x]) => [c, round3(x)])),
      ftmDaysNotEarning: Math.round(l.ftmDaysNotEarning),
      ftmDaysNotEarningParts: { idle: Math.round(l.notEarning.idle), unbonding: Math.round(l.notEarning.unbonding), inactiveValidators: Math.round(l.notEarning.inactive) },
      meanDriftBps: round1(mean(l.driftMax)),
      overTargetBps: l.o.forced ? round1(l.o.overTargetBps) : null,
    },
  ]),
);
log(`reference ledgers: ${JSON.stringify(referenceSummary)}`);

const summary: Record<string, unknown> = {};
for (const w of worlds) {
  const t = await w.totals();
  const a = acc.get(w)!;
  const rewards = t.holderValue + t.paid - t.deposited;
  const capacityRun = w instanceof PoolWorld && w.capacityEvent;
  const flowBound = (capacityRun ? reference.flowOnlyCapacity : reference.flowOnly).unbonded;
  const ideal = capacityRun ? reference.forcedCapacity : reference.forced;
  const unbonded = toFtm(t.unbonded);
  summary[w.name] = {
    unbondedFTM: round3(unbonded),
    unbondingFlowBoundFTM: round3(flowBound),
    unbondedVsFlowBound: flowBound > 0 ? round3(unbonded / flowBound) : null,
    unbondingForcedBoundFTM: round3(ideal.unbonded),
    unbondedVsForcedBound: ideal.unbonded > 0 ? round3(unbonded / ideal.unbonded) : null,
    unbondedVsDriftGoalBound: capacityRun ? null : round3(unbonded / reference.forcedAtDriftGoal.unbonded),
    unbondedByCauseFTM: w instanceof PoolWorld ? Object.fromEntries(Object.entries(w.byCause).map(([c, x]) => [c, round3(toFtm(x))])) : null,
    redelegatedWithinPeriodFTM: w instanceof PoolWorld ? round3(toFtm(w.roundTrips)) : null,
    idealFtmDaysNotEarning: Math.round(ideal.ftmDaysNotEarning),
    ftmDaysNotEarningVsIdeal: ideal.ftmDaysNotEarning > 0 ? round3(a.notEarning / ideal.ftmDaysNotEarning) : null,
    undelegations: t.undelegations,
    ftmDaysNotEarning: Math.round(a.notEarning),
    ftmDaysNotEarningParts: { idle: Math.round(a.notEarningIdle), unbonding: Math.round(a.notEarningUnbonding), inactiveValidators: Math.round(a.notEarningInactive) },
    meanDriftBps: round1(a.driftMax.reduce((x, y) => x + y, 0) / a.driftMax.length),
    maxDriftBps: round1(Math.max(...a.driftMax)),
    meanAbsDriftBps: round1(a.driftMeanAbs.reduce((x, y) => x + y, 0) / a.driftMeanAbs.length),
    daysOver50Bps: a.driftMax.filter((d) => d > 50).length,
    rewardsFTM: round3(toFtm(rewards)),
    harvestedFTM: round3(toFtm(t.harvested)),
    // Rewards harvested minus rewards earned: what the year lost, i.e. the slashing (plus rounding).
    lossFTM: round3(toFtm(t.harvested - rewards)),
    depositedFTM: round3(toFtm(t.deposited)),
    paidOutFTM: round3(toFtm(t.paid)),
    finalValueFTM: round3(toFtm(t.holderValue)),
    withdrawalsPaid: w.waits.length,
    withdrawalsOpenAtEnd: w.openRequests.length,
    meanWithdrawalWaitDays: round3(w.waits.reduce((x, y) => x + y, 0) / Math.max(1, w.waits.length)),
    shareValueGrowthPct: Math.round((Number(await w.shareValue()) / Number(startValue.get(w)!) - 1) * 1e6) / 1e4,
    keeperCalls: w.roundCalls,
    failedMoves: w instanceof PoolWorld ? w.failedMoves : 0,
    keeperGas: Number(w.roundGas),
    keeperLargestCallGas: Number(w.largestCallGas),
  };
  log(`${w.name}: ${JSON.stringify(summary[w.name])}`);
}
// The sandwich: what the attacker gained over all attempts, and what the honest holders earned next to the
// same year without it.
let sandwich: Record<string, unknown> | null = null;
if (worlds.includes(sandwiched)) {
  const attackerGain = sandwiched.attackerClaimed + (await sandwiched.attackerResidual()) - sandwiched.attackerStaked;
  sandwich = {
    attempts: sandwiched.attempts,
    everyDays: SANDWICH.everyDays,
    stakeFTM: SANDWICH.stakeFTM,
    attackerGainWei: attackerGain.toString(),
    attackerGainFTM: toFtm(attackerGain),
    attackerOpenRequestsAtEnd: sandwiched.attackerRequests.length,
    honestRewardsDeltaFTM: round3(
      (summary.poolSandwiched as { rewardsFTM: number }).rewardsFTM - (summary.pool as { rewardsFTM: number }).rewardsFTM,
    ),
  };
  log(`sandwich: ${JSON.stringify(sandwich)}`);
}
writePart("sim", {
  sim: {
    ...summary,
    sandwich,
    reference: referenceSummary,
    scenario: {
      seed: `0x${SEED.toString(16)}`,
      days: DAYS,
      validators: VALIDATORS,
      holders: HOLDERS,
      selfStakeFTM: toFtm(SELF_STAKE),
      aprBps: Number(APR_BPS),
      depositsFTM: round3(toFtm(depositsMade)),
      withdrawalsRequestedFTM: round3(toFtm(withdrawalsRequested)),
      flows: FLOWS,
      events: EVENTS,
      capacityRun: { day: CAPACITY_DAY, validator: CAPACITY_VALIDATOR, what: "a third party delegates up to the validator's SFC delegation limit" },
      slashRefund: toFtm(SLASH_REFUND),
      sfc: {
        withdrawalPeriodDays,
        withdrawalPeriodEpochs: Number(await sfcConsts.read.withdrawalPeriodEpochs()),
        validatorCommissionPct: (Number(await sfcConsts.read.validatorCommission()) / 1e18) * 100,
        maxDelegatedRatio: Number(await sfcConsts.read.maxDelegatedRatio()) / 1e18,
      },
      poolFeeBps: Number(await pool.s.pool.read.feeBps()),
      poolThresholdBps: thresholdBps,
      driftGoalBps: DRIFT_GOAL_BPS,
      seconds: Math.round((Date.now() - started) / 100) / 10,
    },
  },
});
