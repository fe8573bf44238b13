// The test side of the browser journeys: reads what the chain holds (to assert it) and plays the parts
// of the world around the user (epochs sealed with rewards, time passing, other voters, the keeper).
// Addresses come from the devnet's record and ABIs from the Hardhat artifacts, read when first used:
// both are written by the devnet that Playwright starts, after this file is loaded.
import { readFileSync } from "node:fs";
import {
  createPublicClient, createTestClient, createWalletClient, defineChain, encodeFunctionData, getContract,
  http, keccak256, parseEther, toHex, type Abi, type Address, type Hex,
} from "viem";
import { INDEXER_URL, RPC_URL } from "./env";
import { CHAIN_IDS, SFC_ADDRESS } from "../shared/networks";
import { GovernorCountingSimpleVoteType as Vote, type ContractKey, type DeploymentRecord, type LocalAccounts, type PoolSettingsAction } from "../shared/protocol.generated";

/** The devnet's record: every contract deployed, and the named accounts. */
type Record = DeploymentRecord & { contracts: { [k in ContractKey]: Address }; accounts: LocalAccounts };

const artifact = (path: string) => JSON.parse(readFileSync(`artifacts/${path}`, "utf8")).abi as Abi;

const localChain = defineChain({ id: CHAIN_IDS.local, name: "Local devnet", nativeCurrency: { name: "Fantom", symbol: "FTM", decimals: 18 }, rpcUrls: { default: { http: [RPC_URL] } } });

function load() {
  const record = JSON.parse(readFileSync("deployments/localhost.json", "utf8")) as Record;
  const publicClient = createPublicClient({ chain: localChain, transport: http(RPC_URL) });
  const testClient = createTestClient({ chain: localChain, mode: "hardhat", transport: http(RPC_URL) });
  const wallet = createWalletClient({ chain: localChain, transport: http(RPC_URL) });
  const client = { public: publicClient, wallet };
  const c = record.contracts;
  return {
    record,
    publicClient,
    testClient,
    wallet,
    pool: getContract({ address: c.pool, abi: artifact("contracts/StakingPool.sol/StakingPool.json"), client }),
    stFTM: getContract({ address: c.stFTM, abi: artifact("contracts/StakedFTM.sol/StakedFTM.json"), client }),
    wstFTM: getContract({ address: c.wstFTM, abi: artifact("contracts/WrappedStakedFTM.sol/WrappedStakedFTM.json"), client }),
    queue: getContract({ address: c.withdrawalQueue, abi: artifact("contracts/WithdrawalQueue.sol/WithdrawalQueue.json"), client }),
    registry: getContract({ address: c.registry, abi: artifact("contracts/ValidatorRegistry.sol/ValidatorRegistry.json"), client }),
    governor: getContract({ address: c.governor, abi: artifact("contracts/StakingGovernor.sol/StakingGovernor.json"), client }),
    sfc: getContract({ address: SFC_ADDRESS, abi: artifact("contracts/testing/SFCModel.sol/SFCModel.json"), client }),
  };
}

let cached: ReturnType<typeof load> | undefined;
export function chain() {
  cached ??= load();
  return cached;
}

/** Sends a transaction from an unlocked devnet account and fails the test if it reverts. */
export async function send(account: Address, to: Address, abi: Abi, functionName: string, args: readonly unknown[] = [], value?: bigint) {
  const { wallet, publicClient } = chain();
  const data = encodeFunctionData({ abi, functionName, args } as never);
  const hash = await wallet.sendTransaction({ account, to, data, value, chain: wallet.chain });
  const receipt = await publicClient.waitForTransactionReceipt({ hash });
  if (receipt.status !== "success") throw new Error(`${functionName} reverted`);
  return receipt;
}

/** The withdrawal receipts `holder` holds now, oldest first (the queue's own list is not in id order). */
export async function receiptsOf(holder: Address) {
  const held = (await chain().queue.read.requestsOf([holder, 0n, 1000n])) as readonly bigint[];
  return [...held].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
}

export type RequestView = { amount: bigint; finalisedAmount: bigint; status: number; requestedAt: bigint; owner: Address };
export const requestStatus = async (id: bigint) => (await chain().queue.read.requestStatus([id])) as RequestView;

/** The pool's `eventName` logs from `fromBlock` on, read by the test (the browser never scans logs). */
export async function poolEvents<Args>(eventName: string, fromBlock: bigint) {
  const { pool, publicClient } = chain();
  const logs = await publicClient.getContractEvents({ address: pool.address, abi: pool.abi, eventName, fromBlock });
  return logs as unknown as { transactionHash: Hex; blockNumber: bigint; args: Args }[];
}

/** The indexer's answer to one /history path: what the app's history panels show. */
export async function indexerHistory<T>(path: string): Promise<T> {
  const res = await fetch(`${INDEXER_URL}${path}`);
  if (!res.ok) throw new Error(`the indexer answered ${res.status} for ${path}`);
  return (await res.json()) as T;
}

export async function increaseTime(seconds: number) {
  const { testClient } = chain();
  await testClient.increaseTime({ seconds });
  await testClient.mine({ blocks: 1 });
}

/** Seals one SFC epoch that pays `rewards` FTM across the validators, as the chain does every few seconds. */
export async function sealEpoch(rewards = "50") {
  const { sfc, record } = chain();
  await send(record.accounts.deployer, sfc.address, sfc.abi, "sealEpoch", [], parseEther(rewards));
}

/** The operator runs keeper rounds until one completes (harvest, withdrawals, moves). */
export async function runKeeperRound() {
  const { pool, record, publicClient } = chain();
  for (let i = 0; i < 20; i++) {
    const { result } = await publicClient.simulateContract({ account: record.accounts.operator, address: pool.address, abi: pool.abi, functionName: "process", args: [500n] });
    await send(record.accounts.operator, pool.address, pool.abi, "process", [500n]);
    if ((result as readonly [bigint, boolean])[1]) return;
  }
  throw new Error("the keeper round did not complete in 20 calls");
}

async function withdrawalPeriod() {
  const { sfc, publicClient } = chain();
  const consts = (await sfc.read.constsAddress()) as Address;
  const abi = artifact("contracts/interfaces/ISFC.sol/ISFCConstants.json");
  return Promise.all([
    publicClient.readContract({ address: consts, abi, functionName: "withdrawalPeriodEpochs" }) as Promise<bigint>,
    publicClient.readContract({ address: consts, abi, functionName: "withdrawalPeriodTime" }) as Promise<bigint>,
  ]);
}

/** Lets the SFC's withdrawal period pass: its time, then its epochs (each sealed with a little reward). */
export async function letWithdrawalPeriodPass() {
  const [epochs, seconds] = await withdrawalPeriod();
  await increaseTime(Number(seconds) + 1);
  for (let e = 0n; e < epochs; e++) await sealEpoch("1");
}

/** The SFC's withdrawal period and the pool's keeper grace period, in seconds: what bounds a payout. */
export async function withdrawalTerms() {
  const [, seconds] = await withdrawalPeriod();
  return [Number(seconds), Number(await chain().pool.read.keeperGracePeriod())] as const;
}

/** A chain time (seconds) as the app shows dates (app/lib/format.ts). */
export function shownDate(seconds: number | bigint) {
  return new Date(Number(seconds) * 1000).toLocaleString("en-GB", { dateStyle: "medium", timeStyle: "short" });
}

/** The guardian pauses one of the pool's actions (0 Stake, 1 Withdraw, 2 Process) for maxPauseDuration. */
export async function guardianPause(action: PoolSettingsAction) {
  const { pool, record } = chain();
  await send(record.accounts.guardian, pool.address, pool.abi, "pause", [action]);
  return ((await pool.read.pauseWindow([action])) as readonly [bigint, bigint])[0];
}

export type Action = { target: Address; data: Hex };

/**
 * Walks a proposal through propose → vote → queue → execute with the devnet's three largest holders,
 * standing in for the rest of the electorate when a journey needs a decision it does not itself make.
 */
export async function passProposal(actions: Action[], description: string) {
  const { governor, record, publicClient } = chain();
  const [proposer, ...others] = record.accounts.holders;
  const { id, args } = await openProposal(actions, description);
  const votingPeriod = Number(await governor.read.votingPeriod());
  const extension = Number(await governor.read.lateQuorumVoteExtension());
  for (const voter of [proposer, ...others.slice(0, 2)]) await send(voter, governor.address, governor.abi, "castVote", [id, Vote.For]);
  await increaseTime(votingPeriod + extension + 1);
  const hash = keccak256(toHex(description));
  await send(proposer, governor.address, governor.abi, "queue", [args[0], args[1], args[2], hash]);
  const eta = Number(await governor.read.proposalEta([id]));
  const now = Number((await publicClient.getBlock()).timestamp);
  await increaseTime(Math.max(0, eta - now) + 1);
  await send(proposer, governor.address, governor.abi, "execute", [args[0], args[1], args[2], hash]);
  return id;
}

/** The first holder proposes `actions` and the voting delay passes: the proposal is Active. */
export async function openProposal(actions: Action[], description: string) {
  const { governor, record, publicClient } = chain();
  const proposer = record.accounts.holders[0];
  const args = [actions.map((a) => a.target), actions.map(() => 0n), actions.map((a) => a.data), description] as const;
  const id = (await publicClient.simulateContract({ account: proposer, address: governor.address, abi: governor.abi, functionName: "propose", args })).result as bigint;
  await send(proposer, governor.address, governor.abi, "propose", args);
  await increaseTime(Number(await governor.read.votingDelay()) + 1);
  return { id, args };
}

/** Encodes a registry call for a proposal. */
export function registryAction(functionName: string, args: readonly unknown[]): Action {
  const { registry } = chain();
  return { target: registry.address, data: encodeFunctionData({ abi: registry.abi, functionName, args } as never) };
}

/**
 * Each target validator's booked stake against its target, in bps of the pool, measured as the pool
 * measures it: the target is `weight × (stake + idle + unbonding − owed withdrawals)`, so FTM still
 * unbonding counts towards the validators it will be delegated to when it returns.
 */
export async function driftBps() {
  const { registry, pool } = chain();
  const [ids, weights] = (await registry.read.targets()) as readonly [readonly bigint[], readonly number[]];
  const stakes = await Promise.all(ids.map((id) => pool.read.stakeOf([id]) as Promise<bigint>));
  const total = ((await pool.read.totalPooledFTM()) as bigint) - ((await pool.read.pendingWithdrawals()) as bigint);
  return ids.map((id, i) => {
    const target = (total * BigInt(weights[i])) / 10_000n;
    const diff = stakes[i] > target ? stakes[i] - target : target - stakes[i];
    return { id, targetBps: Number(weights[i]), currentBps: Number((stakes[i] * 10_000n) / total), drift: Number((diff * 10_000n) / total) };
  });
}

/**
 * Tops the governor up to `total` proposals from the first holder (each a harmless fee proposal with its
 * own description), sending in batches without waiting for each receipt: the node mines one per tx.
 */
export async function fillProposals(total: number, label: string) {
  const { governor, pool, record, wallet, publicClient } = chain();
  const proposer = record.accounts.holders[0];
  const data = encodeFunctionData({ abi: pool.abi, functionName: "setFeeBps", args: [1000n] } as never);
  let count = Number(await governor.read.proposalCount());
  while (count < total) {
    const batch = Math.min(50, total - count);
    const hashes = await Promise.all(Array.from({ length: batch }, (_, k) => {
      const args = [[pool.address], [0n], [data], `${label} #${count + k + 1}`] as const;
      return wallet.sendTransaction({ account: proposer, to: governor.address, data: encodeFunctionData({ abi: governor.abi, functionName: "propose", args } as never), chain: wallet.chain });
    }));
    const receipts = await Promise.all(hashes.map((hash) => publicClient.waitForTransactionReceipt({ hash })));
    if (receipts.some((r) => r.status !== "success")) throw new Error("a propose transaction reverted");
    count += batch;
  }
  return count;
}

/**
 * Waits until the indexer has indexed `head` (by default the chain's latest block) and returns how long that
 * took (ms). It starts after the app and follows a few blocks behind, so a journey that asserts history first
 * lets it catch up.
 */
export async function indexerCaughtUp(timeoutMs = 240_000, head?: bigint) {
  head ??= await chain().publicClient.getBlockNumber({ cacheTime: 0 });
  const started = Date.now();
  for (;;) {
    try {
      const status = (await (await fetch(`${INDEXER_URL}/status`)).json()) as { [chainName: string]: { block?: { number: number } } };
      const at = Object.values(status)[0]?.block?.number;
      if (at !== undefined && BigInt(at) >= head) return Date.now() - started;
    } catch {}
    if (Date.now() - started > timeoutMs) throw new Error(`the indexer did not reach block ${head} in ${timeoutMs / 1000} s`);
    await new Promise((r) => setTimeout(r, 500));
  }
}
