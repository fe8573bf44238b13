import { encodeFunctionData, parseEther, type Address } from "viem";
import type { NetworkConnection } from "hardhat/types/network";
import { deploySuite, type Suite } from "../../scripts/deploy/suite.js";
import type { DeployParams, TokenNames } from "../../scripts/deploy/params.js";
import { layoutIndex } from "../../shared/sfc.js";

export type Conn = NetworkConnection<"l1">;

/** Short governance periods for tests (seconds); the same shape as a real network's parameters file. */
export const TEST_GOVERNANCE = {
  votingDelay: 60,
  votingPeriod: 3600,
  proposalThreshold: parseEther("1"),
  quorumPercent: 4,
  lateQuorumExtension: 600,
  timelockDelay: 3600,
};

/** The names Sonic's parameters give the tokens (the fixtures deploy on the model in Sonic's layout). */
export const SONIC_NAMES: TokenNames = {
  nativeCurrency: "S",
  stakedToken: { name: "Staked S", symbol: "stS" },
  wrappedToken: { name: "Wrapped Staked S", symbol: "wstS" },
};

/**
 * Named accounts of the local chain: 0 deploys, 1 is the guardian, 2 an operator, 3 the treasury,
 * 4–7 holders, and validators' auth addresses from 8 on.
 */
export async function accounts(conn: Conn) {
  const wallets = await conn.viem.getWalletClients();
  return {
    wallets,
    deployer: wallets[0],
    guardian: wallets[1],
    operator: wallets[2],
    treasury: wallets[3],
    holders: wallets.slice(4, 8),
    validatorAuths: wallets.slice(8),
  };
}

/**
 * The whole suite on the SFC model with `validatorCount` validators that applied, were approved with
 * equal weights while the deployer was still admin, and then the hand-over to the timelock.
 */
export async function deployWithValidators(conn: Conn, validatorCount: number, selfStake = parseEther("1000")) {
  const { viem } = conn;
  const a = await accounts(conn);
  const sfc = await viem.deployContract("SFCModel", [layoutIndex("sonic")]);
  const params: DeployParams = {
    sfc: sfc.address,
    sfcLayout: "sonic",
    names: SONIC_NAMES,
    feeBps: 1000,
    treasury: a.treasury.account.address,
    guardian: a.guardian.account.address,
    operators: [a.operator.account.address],
    deadSharesDeposit: parseEther("1"),
    keeperGracePeriod: 86400,
    rebalanceThresholdBps: 50,
    maxUndelegatePerRound: parseEther("100000000"),
    governance: TEST_GOVERNANCE,
  };
  let suite = await deploySuite(viem, params, { keepDeployerAdmin: true });
  if (validatorCount > Number(await suite.registry.read.maxValidators())) {
    await suite.registry.write.setMaxValidators([BigInt(validatorCount)]);
  }
  const validatorIds: bigint[] = [];
  for (let i = 0; i < validatorCount; i++) {
    const auth = await validatorWallet(conn, i);
    await sfc.write.createValidator([`0x${(i + 1).toString(16).padStart(4, "0")}`], { value: selfStake, account: auth.account });
    const id = (await sfc.read.getValidatorID([auth.account.address])) as bigint;
    await suite.registry.write.applyForInclusion([id, `ipfs://validator-${id}`], { account: auth.account });
    await suite.registry.write.approve([id]);
    validatorIds.push(id);
  }
  if (validatorCount > 0) {
    await suite.registry.write.setMaxWeightBps([10_000n]);
    await suite.registry.write.setTargets([validatorIds, equalWeights(validatorCount)]);
  }
  suite = await deploySuite(viem, params, { record: suite.record });
  return { ...suite, sfc, validatorIds, params };
}

/** The auth wallet of the i-th validator: a funded local account (impersonated beyond the named ones). */
export async function validatorWallet(conn: Conn, i: number) {
  const wallets = await conn.viem.getWalletClients();
  if (8 + i < wallets.length) return wallets[8 + i];
  const address = `0x${(0x5a11da7e00n + BigInt(i)).toString(16).padStart(40, "0")}` as Address;
  await conn.networkHelpers.impersonateAccount(address);
  await conn.networkHelpers.setBalance(address, parseEther("1000000"));
  return conn.viem.getWalletClient(address);
}

/** Equal weights in bps summing to exactly 10,000 (the remainder on the last). */
export function equalWeights(n: number): number[] {
  const w = Array.from({ length: n }, () => Math.floor(10_000 / n));
  w[n - 1] += 10_000 - w.reduce((s, x) => s + x, 0);
  return w;
}

export { encodeFunctionData };

/** Runs `process` as `operator` until a round completes (at most 20 calls). */
export async function processUntilDone(s: { pool: Suite["pool"] }, operator: Awaited<ReturnType<typeof accounts>>["operator"]) {
  for (let i = 0; i < 20; i++) {
    const { result } = await s.pool.simulate.process([200n], { account: operator.account.address });
    await s.pool.write.process([200n], { account: operator.account });
    if (result[1]) return;
  }
  throw new Error("process did not finish");
}
