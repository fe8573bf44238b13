// Shared helpers of the benchmark scripts (run by `npm run bench` through `npx hardhat run bench/<part>.ts`).
// Every figure comes from a transaction receipt or a contract read of the run that writes it.
import { mkdirSync, writeFileSync } from "node:fs";
import { network } from "hardhat";
import { parseEther, type Address, type Hash, type TransactionReceipt } from "viem";
import { deploySuite } from "../scripts/deploy/suite.js";
import type { DeployParams } from "../scripts/deploy/params.js";
import { TEST_GOVERNANCE } from "../test/helpers/fixtures.js";
import { layoutIndex } from "../shared/sfc.js";

export type Conn = Awaited<ReturnType<typeof network.create>>;

/**
 * A fresh in-process Hardhat network (EDR): its own chain, nothing shared with other parts. The default
 * network's settings (hardfork Osaka, 60M block gas limit) unless `hardfork` is given.
 */
export async function freshChain(hardfork?: string): Promise<Conn> {
  return (hardfork ? network.create({ override: { hardfork } }) : network.create()) as Promise<Conn>;
}

/** Waits for a transaction and fails loudly when it reverted. */
export async function mined(conn: Conn, hash: Hash | Promise<Hash>): Promise<TransactionReceipt> {
  const pc = await conn.viem.getPublicClient();
  const receipt = await pc.waitForTransactionReceipt({ hash: await hash, pollingInterval: 1 });
  if (receipt.status !== "success") throw new Error(`transaction ${receipt.transactionHash} reverted`);
  return receipt;
}

/** Gas used by a mined transaction (a plain number for the results file). */
export async function gasOf(conn: Conn, hash: Hash | Promise<Hash>): Promise<number> {
  return Number((await mined(conn, hash)).gasUsed);
}

/** Short governance periods (seconds): the tests' own, so benchmarks and tests measure the same governor. */
export const BENCH_GOVERNANCE = TEST_GOVERNANCE;

/** Equal weights in bps summing to exactly 10,000 (the remainder on the last). */
export function equalWeights(n: number): number[] {
  const w = Array.from({ length: n }, () => Math.floor(10_000 / n));
  w[n - 1] += 10_000 - w.reduce((s, x) => s + x, 0);
  return w;
}

/** The auth address of the i-th benchmark validator: an impersonated, funded account. */
export async function validatorAuth(conn: Conn, i: number, balance = parseEther("10000000")) {
  const address = `0x${(0xbe4c000000n + BigInt(i)).toString(16).padStart(40, "0")}` as Address;
  await conn.networkHelpers.impersonateAccount(address);
  await conn.networkHelpers.setBalance(address, balance);
  return conn.viem.getWalletClient(address);
}

export interface SuiteOptions {
  validators: number;
  selfStake?: bigint;
  weights?: number[];
  feeBps?: number;
  /** Hand every admin role to the timelock at the end, as a real deployment does. */
  handOver?: boolean;
}

/**
 * The SFC model and the whole suite, deployed with the project's own deployment code
 * (`scripts/deploy/suite.ts`), with `validators` validators that created themselves on the SFC, applied
 * from their auth address, were approved and given target weights while the deployer was still admin.
 * Accounts: 0 deployer (and owner of the SFC model), 1 guardian, 2 operator, 3 treasury.
 */
export async function deployPool(conn: Conn, o: SuiteOptions) {
  const { viem } = conn;
  const wallets = await viem.getWalletClients();
  const [deployer, guardian, operator, treasury] = wallets;
  const sfc = await viem.deployContract("SFCModel", [layoutIndex("sonic")]);
  const params: DeployParams = {
    sfc: sfc.address,
    sfcLayout: "sonic",
    feeBps: o.feeBps ?? 1000,
    treasury: treasury.account.address,
    guardian: guardian.account.address,
    operators: [operator.account.address],
    deadSharesDeposit: parseEther("1"),
    keeperGracePeriod: 86400,
    rebalanceThresholdBps: 50,
    maxUndelegatePerRound: parseEther("100000000"),
    governance: BENCH_GOVERNANCE,
  };
  let suite = await deploySuite(viem, params, { keepDeployerAdmin: true });
  if (o.validators > Number(await suite.registry.read.maxValidators())) {
    await mined(conn, suite.registry.write.setMaxValidators([BigInt(o.validators)]));
  }
  const selfStake = o.selfStake ?? parseEther("1000");
  const ids: bigint[] = [];
  for (let i = 0; i < o.validators; i++) {
    const auth = await validatorAuth(conn, i);
    await mined(conn, sfc.write.createValidator([`0x${(i + 1).toString(16).padStart(4, "0")}`], { value: selfStake, account: auth.account }));
    const id = await sfc.read.getValidatorID([auth.account.address]);
    await mined(conn, suite.registry.write.applyForInclusion([id, `ipfs://bench-validator-${id}`], { account: auth.account }));
    await mined(conn, suite.registry.write.approve([id]));
    ids.push(id);
  }
  const weights = o.weights ?? equalWeights(o.validators);
  if (o.validators > 0) await mined(conn, suite.registry.write.setTargets([ids, weights]));
  if (o.handOver) suite = await deploySuite(viem, params, { record: suite.record });
  return { ...suite, sfc, ids, params, deployer, guardian, operator, treasury, wallets };
}

export type PoolSuite = Awaited<ReturnType<typeof deployPool>>;

/** Writes one part's results to bench/.out/<part>.json for bench/run.mjs to merge. */
export function writePart(part: string, data: unknown) {
  mkdirSync("bench/.out", { recursive: true });
  writeFileSync(`bench/.out/${part}.json`, JSON.stringify(data, null, 2) + "\n");
  console.log(`[bench] wrote bench/.out/${part}.json`);
}

export const log = (part: string) => (m: string) => console.log(`[bench:${part}] ${m}`);
