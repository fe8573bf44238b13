import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname } from "node:path";
import { zeroAddress, type Address, type Hash } from "viem";
import type { HardhatViemHelpers } from "@nomicfoundation/hardhat-viem/types";
import type { ChainType } from "hardhat/types/network";
import type { DeployParams } from "./params.js";
import { layoutIndex } from "../../shared/sfc.js";
import type { ContractKey, DeploymentRecord as Deployment } from "../../shared/protocol.generated.js";

export interface DeployOptions {
  /** A file that keeps the record between runs: steps already done are skipped (idempotent). */
  recordFile?: string;
  /** A record already in memory (from an earlier call in the same process) to resume from. */
  record?: Deployment;
  /** Stop before step 13 (the hand-over to the timelock): for tests of the core that act as admin. */
  keepDeployerAdmin?: boolean;
  log?: (message: string) => void;
}

/** The AccessControl calls the hand-over makes, common to the pool, the registry and the timelock. */
type RoleAdmin = {
  read: { hasRole: (args: readonly [Hash, Address]) => Promise<boolean> };
  write: { grantRole: (args: readonly [Hash, Address]) => Promise<Hash>; renounceRole: (args: readonly [Hash, Address]) => Promise<Hash> };
};

export const ROLE = {
  admin: "0x0000000000000000000000000000000000000000000000000000000000000000",
} as const;

/**
 * Deploys the whole suite in numbered, idempotent steps. Used by the tests, the local devnet and real
 * networks alike. The last step hands every admin role to the timelock and checks the deployer kept none.
 */
export async function deploySuite<C extends ChainType>(viem: HardhatViemHelpers<C>, params: DeployParams, options: DeployOptions = {}) {
  const log = options.log ?? (() => {});
  const publicClient = await viem.getPublicClient();
  const [deployer] = await viem.getWalletClients();
  const chainId = await publicClient.getChainId();
  const me = deployer.account.address;

  const hasCode = async (a?: Address) => !!a && ((await publicClient.getCode({ address: a })) ?? "0x") !== "0x";
  let record: Deployment = {
    chainId,
    deployer: me,
    startBlock: (await publicClient.getBlockNumber()).toString(),
    sfcLayout: params.sfcLayout,
    contracts: {},
    handedOver: false,
  };
  if (options.record?.chainId === chainId) record = structuredClone(options.record);
  else if (options.recordFile && existsSync(options.recordFile)) {
    const saved = JSON.parse(readFileSync(options.recordFile, "utf8")) as Deployment;
    if (saved.chainId === chainId) record = saved;
  }
  // A record from another chain instance (a restarted local node) names contracts that are not there.
  for (const address of Object.values(record.contracts)) {
    if (!(await hasCode(address))) {
      record = { ...record, startBlock: (await publicClient.getBlockNumber()).toString(), contracts: {}, handedOver: false };
      break;
    }
  }
  const save = () => {
    if (!options.recordFile) return;
    mkdirSync(dirname(options.recordFile), { recursive: true });
    writeFileSync(options.recordFile, JSON.stringify(record, null, 2) + "\n");
  };
  const wait = async (hash: Promise<Hash>) => {
    const receipt = await publicClient.waitForTransactionReceipt({ hash: await hash });
    if (receipt.status !== "success") throw new Error(`transaction ${receipt.transactionHash} reverted`);
  };
  async function step(n: number, key: ContractKey, make: () => Promise<{ address: Address }>) {
    if (await hasCode(record.contracts[key])) {
      log(`step ${n}: ${key} already at ${record.contracts[key]}`);
      return;
    }
    const c = await make();
    record.contracts[key] = c.address;
    save();
    log(`step ${n}: ${key} deployed at ${c.address}`);
  }

  const layout = layoutIndex(params.sfcLayout);
  await step(1, "planner", () => viem.deployContract("AllocationPlanner", []));
  await step(2, "stFTM", () => viem.deployContract("StakedFTM", []));
  await step(3, "registry", () => viem.deployContract("ValidatorRegistry", [params.sfc, layout, me]));
  const c = record.contracts as Record<ContractKey, Address>;
  await step(4, "pool", () =>
    viem.deployContract("StakingPool", [params.sfc, layout, c.stFTM, c.registry, c.planner, me, params.treasury, BigInt(params.feeBps)]),
  );
  const stFTM = await viem.getContractAt("StakedFTM", c.stFTM);
  const registry = await viem.getContractAt("ValidatorRegistry", c.registry);
  const pool = await viem.getContractAt("StakingPool", c.pool);

  // 5: link the token and the registry to the pool.
  if ((await stFTM.read.pool()) === zeroAddress) await wait(stFTM.write.bindPool([c.pool]));
  if ((await registry.read.pool()) === zeroAddress) await wait(registry.write.setPool([c.pool]));
  log("step 5: stFTM and registry linked to the pool");

  await step(6, "wstFTM", () => viem.deployContract("WrappedStakedFTM", [c.stFTM, c.pool]));

  // 7: dead shares and the wrapper link, once.
  if ((await pool.read.wstFTM()) === zeroAddress) {
    await wait(pool.write.initialise([c.wstFTM], { value: params.deadSharesDeposit }));
  }
  log("step 7: pool initialised with dead shares");

  // 8: keeper parameters (fee and treasury were set at construction).
  if (!record.handedOver) {
    if ((await pool.read.keeperGracePeriod()) !== BigInt(params.keeperGracePeriod)) {
      await wait(pool.write.setKeeperGracePeriod([BigInt(params.keeperGracePeriod)]));
    }
    if ((await pool.read.rebalanceThresholdBps()) !== BigInt(params.rebalanceThresholdBps)) {
      await wait(pool.write.setRebalanceThresholdBps([BigInt(params.rebalanceThresholdBps)]));
    }
    if ((await pool.read.maxUndelegatePerRound()) !== params.maxUndelegatePerRound) {
      await wait(pool.write.setMaxUndelegatePerRound([params.maxUndelegatePerRound]));
    }
    log("step 8: keeper parameters set");
  }

  const g = params.governance;
  await step(9, "timelock", () => viem.deployContract("TimelockController", [BigInt(g.timelockDelay), [], [zeroAddress], me]));
  await step(10, "governor", () =>
    viem.deployContract("StakingGovernor", [
      c.wstFTM,
      c.timelock,
      {
        votingDelay: g.votingDelay,
        votingPeriod: g.votingPeriod,
        proposalThreshold: g.proposalThreshold,
        quorumPercent: BigInt(g.quorumPercent),
        lateQuorumExtension: g.lateQuorumExtension,
      },
      params.guardian,
    ]),
  );
  const timelock = await viem.getContractAt("TimelockController", c.timelock);

  // 11: the governor is the timelock's only proposer and canceller; anyone executes.
  for (const role of [await timelock.read.PROPOSER_ROLE(), await timelock.read.CANCELLER_ROLE()]) {
    if (!(await timelock.read.hasRole([role, c.governor]))) await wait(timelock.write.grantRole([role, c.governor]));
  }
  log("step 11: governor is the timelock's proposer and canceller");

  // 12: the guardian may pause, operators may process.
  if (!record.handedOver) {
    const pauser = await pool.read.PAUSER_ROLE();
    if (!(await pool.read.hasRole([pauser, params.guardian]))) await wait(pool.write.grantRole([pauser, params.guardian]));
    const operator = await pool.read.OPERATOR_ROLE();
    for (const op of params.operators) {
      if (!(await pool.read.hasRole([operator, op]))) await wait(pool.write.grantRole([operator, op]));
    }
    log("step 12: guardian and operators have their roles");
  }

  if (!options.keepDeployerAdmin && !record.handedOver) {
    // 13: hand every admin role to the timelock, then give up the deployer's.
    // The three share AccessControl's functions; TypeScript cannot call a union of their typed methods.
    const roles = (x: unknown) => x as RoleAdmin;
    for (const contract of [pool, registry].map(roles)) {
      if (!(await contract.read.hasRole([ROLE.admin, c.timelock!]))) await wait(contract.write.grantRole([ROLE.admin, c.timelock!]));
    }
    for (const contract of [pool, registry, timelock].map(roles)) {
      if (await contract.read.hasRole([ROLE.admin, me])) await wait(contract.write.renounceRole([ROLE.admin, me]));
    }
    for (const contract of [pool, registry, timelock]) {
      if (await contract.read.hasRole([ROLE.admin, me])) throw new Error(`deployer still holds the admin role of ${contract.address}`);
    }
    record.handedOver = true;
    save();
    log("step 13: admin roles handed to the timelock; the deployer holds none");
  }

  return {
    record,
    planner: await viem.getContractAt("AllocationPlanner", c.planner),
    stFTM,
    registry,
    pool,
    wstFTM: await viem.getContractAt("WrappedStakedFTM", c.wstFTM),
    timelock,
    governor: await viem.getContractAt("StakingGovernor", c.governor),
  };
}

export type Suite = Awaited<ReturnType<typeof deploySuite>>;
