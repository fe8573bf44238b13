import { getAddress, parseAbiItem, type Address } from "viem";
import type { HardhatViemHelpers } from "@nomicfoundation/hardhat-viem/types";
import type { ChainType } from "hardhat/types/network";
import type { DeploymentRecord as Deployment } from "../../shared/protocol.generated.js";
import type { DeployParams } from "./params.js";

const ADMIN = "0x0000000000000000000000000000000000000000000000000000000000000000" as const;
const roleEvent = parseAbiItem("event RoleGranted(bytes32 indexed role, address indexed account, address indexed sender)");

/**
 * Lists every holder of every role of a deployment (from the RoleGranted events, confirmed with hasRole)
 * and compares them with what the design allows: the timelock alone is admin of the pool, the registry
 * and itself; the guardian alone pauses; the configured operators alone process; the governor alone
 * proposes and cancels at the timelock; anyone executes; the withdrawal queue is linked both ways. The tokens
 * must carry the parameters' names. Returns readable lines and the problems found.
 */
export async function verifyRoles<C extends ChainType>(viem: HardhatViemHelpers<C>, record: Deployment, params: DeployParams) {
  const c = record.contracts;
  if (!c.pool || !c.registry || !c.timelock || !c.governor) throw new Error("the deployment record is incomplete");
  const publicClient = await viem.getPublicClient();
  const pool = await viem.getContractAt("StakingPool", c.pool);
  const timelock = await viem.getContractAt("TimelockController", c.timelock);
  const names = new Map<string, string>([
    [ADMIN, "DEFAULT_ADMIN_ROLE"],
    [await pool.read.PAUSER_ROLE(), "PAUSER_ROLE"],
    [await pool.read.OPERATOR_ROLE(), "OPERATOR_ROLE"],
    [await timelock.read.PROPOSER_ROLE(), "PROPOSER_ROLE"],
    [await timelock.read.CANCELLER_ROLE(), "CANCELLER_ROLE"],
    [await timelock.read.EXECUTOR_ROLE(), "EXECUTOR_ROLE"],
  ]);
  const open = "0x0000000000000000000000000000000000000000";
  const allowed: Record<string, Record<string, Address[]>> = {
    pool: {
      DEFAULT_ADMIN_ROLE: [c.timelock],
      PAUSER_ROLE: [params.guardian],
      OPERATOR_ROLE: params.operators,
    },
    registry: { DEFAULT_ADMIN_ROLE: [c.timelock] },
    timelock: {
      DEFAULT_ADMIN_ROLE: [c.timelock],
      PROPOSER_ROLE: [c.governor],
      CANCELLER_ROLE: [c.governor],
      EXECUTOR_ROLE: [open],
    },
  };
  const lines: string[] = [];
  const problems: string[] = [];
  for (const [key, address] of [["pool", c.pool], ["registry", c.registry], ["timelock", c.timelock]] as const) {
    const contract = await viem.getContractAt("StakingPool", address); // only hasRole is used: same ABI everywhere
    const logs = await publicClient.getLogs({ address, event: roleEvent, fromBlock: BigInt(record.startBlock) });
    const holders = new Map<string, Set<Address>>();
    for (const log of logs) {
      const role = log.args.role!;
      const account = getAddress(log.args.account!);
      if (await contract.read.hasRole([role, account])) {
        if (!holders.has(role)) holders.set(role, new Set());
        holders.get(role)!.add(account);
      }
    }
    const expected = allowed[key];
    for (const [role, set] of holders) {
      const name = names.get(role) ?? role;
      lines.push(`${key} ${name}: ${[...set].join(", ")}`);
      const ok = (expected[name] ?? []).map((x) => getAddress(x));
      for (const holder of set) {
        if (!ok.includes(holder)) problems.push(`${key} ${name} is held by ${holder}, which the design does not allow`);
      }
    }
    for (const [name, wanted] of Object.entries(expected)) {
      const role = [...names].find(([, n]) => n === name)![0];
      for (const w of wanted) {
        if (!(await contract.read.hasRole([role as `0x${string}`, getAddress(w)]))) {
          problems.push(`${key} ${name} is missing for ${getAddress(w)}`);
        }
      }
    }
  }
  if (record.deployer) {
    for (const [key, address] of [["pool", c.pool], ["registry", c.registry], ["timelock", c.timelock]] as const) {
      const contract = await viem.getContractAt("StakingPool", address);
      for (const [role, name] of names) {
        if (await contract.read.hasRole([role as `0x${string}`, record.deployer])) {
          const allowedForDeployer = (allowed[key][name] ?? []).map((x) => getAddress(x)).includes(getAddress(record.deployer));
          if (!allowedForDeployer) problems.push(`the deployer still holds ${name} on the ${key}`);
        }
      }
    }
  }
  // The tokens carry the names the network's parameters give them (what wallets and the app show).
  for (const [key, wanted] of [["stFTM", params.names.stakedToken], ["wstFTM", params.names.wrappedToken]] as const) {
    const address = c[key];
    if (!address) continue;
    const token = await viem.getContractAt("StakedFTM", address); // name and symbol: the same ABI on both tokens
    const [name, symbol] = [await token.read.name(), await token.read.symbol()];
    lines.push(`${key} is named ${name} (${symbol})`);
    if (name !== wanted.name || symbol !== wanted.symbol) problems.push(`${key} is named ${name} (${symbol}), the parameters say ${wanted.name} (${wanted.symbol})`);
  }
  // The withdrawal queue: the pool and stFTM name it, and it names the pool (only it finalises).
  if (c.withdrawalQueue && c.stFTM) {
    const queue = await viem.getContractAt("WithdrawalQueue", c.withdrawalQueue);
    const stFTM = await viem.getContractAt("StakedFTM", c.stFTM);
    const links = [
      ["pool.withdrawalQueue", await pool.read.withdrawalQueue(), c.withdrawalQueue],
      ["stFTM.withdrawalQueue", await stFTM.read.withdrawalQueue(), c.withdrawalQueue],
      ["withdrawalQueue.pool", await queue.read.pool(), c.pool],
    ] as const;
    for (const [name, actual, wanted] of links) {
      if (getAddress(actual) === getAddress(wanted)) lines.push(`${name}: ${actual}`);
      else problems.push(`${name} is ${actual}, not ${wanted}`);
    }
  } else problems.push("the deployment record names no withdrawal queue");
  return { lines, problems: [...new Set(problems)] };
}
