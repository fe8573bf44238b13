import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname } from "node:path";
import { encodeAbiParameters, zeroAddress, type Abi, type AbiParameter, type Address, type Hash, type Hex } from "viem";
import type { HardhatViemHelpers } from "@nomicfoundation/hardhat-viem/types";
import type { ChainType } from "hardhat/types/network";
import type { DeployParams } from "./params.js";
import { layoutIndex } from "../../shared/sfc.js";
import type { ContractKey, Creation, DeploymentRecord as Deployment } from "../../shared/protocol.generated.js";

export type { ContractKey, Creation, Deployment };

export interface DeployOptions {
  /** A file that keeps the record between runs: steps already done are skipped (idempotent). */
  recordFile?: string;
  /** A record already in memory (from an earlier call in the same process) to resume from. */
  record?: Deployment;
  /** Stop before step 14 (the hand-over to the timelock): for tests of the core that act as admin. */
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
    contracts: {},
    handedOver: false,
    sfcLayout: params.sfcLayout,
    names: params.names,
  };
  if (options.record?.chainId === chainId) record = structuredClone(options.record);
  else if (options.recordFile && existsSync(options.recordFile)) {
    const saved = JSON.parse(readFileSync(options.recordFile, "utf8")) as Deployment;
    if (saved.chainId === chainId) record = saved;
  }
  // A record from another chain instance (a restarted local node) names contracts that are not there.
  for (const address of Object.values(record.contracts)) {
    if (!(await hasCode(address))) {
      const startBlock = (await publicClient.getBlockNumber()).toString();
      record = { ...record, startBlock, contracts: {}, creations: {}, sources: undefined, handedOver: false };
      break;
    }
  }
  // The names are those the recorded tokens were deployed with: a resumed deployment cannot rename them.
  if (!record.contracts.stFTM) Object.assign(record, { sfcLayout: params.sfcLayout, names: params.names });
  if (record.contracts.stFTM && JSON.stringify(record.names) !== JSON.stringify(params.names)) {
    throw new Error(`the recorded tokens are named ${JSON.stringify(record.names)}, the parameters say ${JSON.stringify(params.names)}: deployed tokens cannot be renamed`);
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
  /** Deploys `contract` with `args` unless the record already has code at `key`, and records how it was created. */
  async function step(n: number, key: ContractKey, contract: string, args: readonly unknown[]) {
    if (await hasCode(record.contracts[key])) {
      log(`step ${n}: ${key} already at ${record.contracts[key]}`);
      return;
    }
    const c = (await viem.deployContract(contract as never, args as never)) as unknown as { address: Address; abi: Abi };
    const inputs = (c.abi.find((x) => x.type === "constructor") as { inputs: readonly AbiParameter[] } | undefined)?.inputs ?? [];
    record.contracts[key] = c.address;
    record.creations = { ...record.creations, [key]: { contract, constructorArgs: encodeAbiParameters(inputs, args) } };
    save();
    log(`step ${n}: ${key} deployed at ${c.address}`);
  }

  const layout = layoutIndex(params.sfcLayout);
  await step(1, "planner", "AllocationPlanner", []);
  await step(2, "stFTM", "StakedFTM", [params.names.stakedToken.name, params.names.stakedToken.symbol]);
  await step(3, "registry", "ValidatorRegistry", [params.sfc, layout, me]);
  const c = record.contracts as Record<ContractKey, Address>;
  await step(4, "pool", "StakingPool", [params.sfc, layout, c.stFTM, c.registry, c.planner, me, params.treasury, BigInt(params.feeBps)]);
  const stFTM = await viem.getContractAt("StakedFTM", c.stFTM);
  const registry = await viem.getContractAt("ValidatorRegistry", c.registry);
  const pool = await viem.getContractAt("StakingPool", c.pool);

  // 5: link the registry to the pool.
  if ((await registry.read.pool()) === zeroAddress) await wait(registry.write.setPool([c.pool]));
  log("step 5: registry linked to the pool");

  await step(6, "wstFTM", "WrappedStakedFTM", [c.stFTM, c.pool, params.names.wrappedToken.name, params.names.wrappedToken.symbol]);
  await step(7, "withdrawalQueue", "WithdrawalQueue", [c.pool, c.stFTM, c.wstFTM, params.names.nativeCurrency]);

  // 8: link the token to the pool and the queue; dead shares, the wrapper and the queue link, once.
  if ((await stFTM.read.pool()) === zeroAddress) await wait(stFTM.write.bindPool([c.pool, c.withdrawalQueue]));
  if ((await pool.read.wstFTM()) === zeroAddress) {
    await wait(pool.write.initialise([c.wstFTM, c.withdrawalQueue], { value: params.deadSharesDeposit }));
  }
  log("step 8: stFTM linked; pool initialised with dead shares, the wrapper and the queue");

  // 9: keeper parameters (fee and treasury were set at construction).
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
    log("step 9: keeper parameters set");
  }

  const g = params.governance;
  await step(10, "timelock", "TimelockController", [BigInt(g.timelockDelay), [], [zeroAddress], me]);
  await step(11, "governor", "StakingGovernor", [
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
  ]);
  const timelock = await viem.getContractAt("TimelockController", c.timelock);

  // 12: the governor is the timelock's only proposer and canceller; anyone executes.
  for (const role of [await timelock.read.PROPOSER_ROLE(), await timelock.read.CANCELLER_ROLE()]) {
    if (!(await timelock.read.hasRole([role, c.governor]))) await wait(timelock.write.grantRole([role, c.governor]));
  }
  log("step 12: governor is the timelock's proposer and canceller");

  // 13: the guardian may pause, operators may process.
  if (!record.handedOver) {
    const pauser = await pool.read.PAUSER_ROLE();
    if (!(await pool.read.hasRole([pauser, params.guardian]))) await wait(pool.write.grantRole([pauser, params.guardian]));
    const operator = await pool.read.OPERATOR_ROLE();
    for (const op of params.operators) {
      if (!(await pool.read.hasRole([operator, op]))) await wait(pool.write.grantRole([operator, op]));
    }
    log("step 13: guardian and operators have their roles");
  }

  if (!options.keepDeployerAdmin && !record.handedOver) {
    // 14: hand every admin role to the timelock, then give up the deployer's.
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
    log("step 14: admin roles handed to the timelock; the deployer holds none");
  }

  return {
    record,
    planner: await viem.getContractAt("AllocationPlanner", c.planner),
    stFTM,
    registry,
    pool,
    wstFTM: await viem.getContractAt("WrappedStakedFTM", c.wstFTM),
    withdrawalQueue: await viem.getContractAt("WithdrawalQueue", c.withdrawalQueue),
    timelock,
    governor: await viem.getContractAt("StakingGovernor", c.governor),
  };
}

export type Suite = Awaited<ReturnType<typeof deploySuite>>;
