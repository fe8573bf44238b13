// The chain side of the indexer's tests: the browser journeys' actions, sent to the devnet, and what the
// chain holds (its logs, decoded, and its views) to compare the indexer's tables with.
import { readFileSync } from "node:fs";
import {
  createPublicClient, createTestClient, createWalletClient, defineChain, encodeFunctionData, http, keccak256,
  parseEther, parseEventLogs, toHex, type Abi, type Address, type Hex,
} from "viem";

import { SFC_ADDRESS } from "../../shared/networks.ts";
import { WithdrawalQueueRequestStatus } from "../../shared/protocol.generated.ts";

export { SFC_ADDRESS };
const artifact = (path: string) => JSON.parse(readFileSync(`artifacts/${path}`, "utf8")).abi as Abi;

export const ABI = {
  pool: artifact("contracts/StakingPool.sol/StakingPool.json"),
  stFTM: artifact("contracts/StakedFTM.sol/StakedFTM.json"),
  wstFTM: artifact("contracts/WrappedStakedFTM.sol/WrappedStakedFTM.json"),
  withdrawalQueue: artifact("contracts/WithdrawalQueue.sol/WithdrawalQueue.json"),
  registry: artifact("contracts/ValidatorRegistry.sol/ValidatorRegistry.json"),
  governor: artifact("contracts/StakingGovernor.sol/StakingGovernor.json"),
  timelock: artifact("@openzeppelin/contracts/governance/TimelockController.sol/TimelockController.json"),
  sfc: artifact("contracts/testing/SFCModel.sol/SFCModel.json"),
};

export type DeploymentRecord = {
  startBlock: string;
  contracts: { [k in "pool" | "stFTM" | "wstFTM" | "withdrawalQueue" | "registry" | "governor" | "timelock"]: Address };
  accounts: { deployer: Address; operator: Address; holders: Address[]; validators: { id: number; auth: Address; name: string }[] };
};

export function connect(rpcUrl: string, recordFile: string) {
  const record = JSON.parse(readFileSync(recordFile, "utf8")) as DeploymentRecord;
  const chain = defineChain({ id: 31337, name: "devnet", nativeCurrency: { name: "FTM", symbol: "FTM", decimals: 18 }, rpcUrls: { default: { http: [rpcUrl] } } });
  const publicClient = createPublicClient({ chain, transport: http(rpcUrl) });
  const testClient = createTestClient({ chain, mode: "hardhat", transport: http(rpcUrl) });
  const wallet = createWalletClient({ chain, transport: http(rpcUrl) });
  const c = record.contracts;

  async function send(account: Address, to: Address, abi: Abi, functionName: string, args: readonly unknown[] = [], value?: bigint) {
    const data = encodeFunctionData({ abi, functionName, args } as never);
    const hash = await wallet.sendTransaction({ account, to, data, value, chain });
    const receipt = await publicClient.waitForTransactionReceipt({ hash });
    if (receipt.status !== "success") throw new Error(`${functionName} reverted`);
    return receipt;
  }
  const read = <T>(address: Address, abi: Abi, functionName: string, args: readonly unknown[] = []) =>
    publicClient.readContract({ address, abi, functionName, args } as never) as Promise<T>;
  // One block per time jump: Ponder cannot follow hardhat_mine's skipped blocks.
  async function increaseTime(seconds: number) {
    await testClient.increaseTime({ seconds });
    await testClient.mine({ blocks: 1 });
  }
  async function keeperRound() {
    for (let i = 0; i < 20; i++) {
      const { result } = await publicClient.simulateContract({ account: record.accounts.operator, address: c.pool, abi: ABI.pool, functionName: "process", args: [500n] });
      await send(record.accounts.operator, c.pool, ABI.pool, "process", [500n]);
      if ((result as readonly [bigint, boolean])[1]) return;
    }
    throw new Error("the keeper round did not complete in 20 calls");
  }
  async function letWithdrawalPeriodPass() {
    const consts = await read<Address>(SFC_ADDRESS, ABI.sfc, "constsAddress");
    const constsAbi = artifact("contracts/interfaces/ISFC.sol/ISFCConstants.json");
    const [epochs, seconds] = await Promise.all([read<bigint>(consts, constsAbi, "withdrawalPeriodEpochs"), read<bigint>(consts, constsAbi, "withdrawalPeriodTime")]);
    await increaseTime(Number(seconds) + 1);
    for (let e = 0n; e < epochs; e++) await send(record.accounts.deployer, SFC_ADDRESS, ABI.sfc, "sealEpoch", [], parseEther("1"));
  }

  /**
   * The browser journeys' actions, as the app sends them: the holder's (stake, stake-and-wrap, wrap,
   * unwrap, transfer, delegate, request withdrawals in stFTM and wstFTM, claim), the proposer's and voters'
   * (propose, vote with a reason, queue, execute), the validator's (apply) and the operator's (rounds that
   * harvest rewards, pay withdrawals and move stake). `tag` keeps descriptions of repeated runs apart.
   */
  async function journeys(tag: string) {
    const [alice, bob, carol] = record.accounts.holders;
    await send(alice, c.pool, ABI.pool, "stake", [alice], parseEther("150"));
    await send(bob, c.wstFTM, ABI.wstFTM, "stakeAndWrap", [bob], parseEther("40"));
    await send(alice, c.stFTM, ABI.stFTM, "approve", [c.wstFTM, parseEther("20")]);
    await send(alice, c.wstFTM, ABI.wstFTM, "wrap", [parseEther("20")]);
    await send(bob, c.wstFTM, ABI.wstFTM, "unwrap", [parseEther("5")]);
    await send(alice, c.stFTM, ABI.stFTM, "transfer", [carol, parseEther("3")]);
    await send(carol, c.wstFTM, ABI.wstFTM, "delegate", [alice]);
    await send(alice, c.withdrawalQueue, ABI.withdrawalQueue, "requestWithdrawal", [parseEther("12"), alice]);
    await send(bob, c.wstFTM, ABI.wstFTM, "approve", [c.withdrawalQueue, parseEther("4")]);
    await send(bob, c.withdrawalQueue, ABI.withdrawalQueue, "requestWithdrawalWrapped", [parseEther("4"), bob]);
    // A receipt changes hands before it is paid: its new holder claims it.
    const [given] = await read<readonly bigint[]>(c.withdrawalQueue, ABI.withdrawalQueue, "requestsOf", [alice, 0n, 1n]);
    await send(alice, c.withdrawalQueue, ABI.withdrawalQueue, "transferFrom", [alice, carol, given]);
    // Rewards, then a round that harvests them and finalises what idle FTM covers.
    await send(record.accounts.deployer, SFC_ADDRESS, ABI.sfc, "sealEpoch", [], parseEther("60"));
    await keeperRound();
    // A request larger than idle FTM waits for the SFC's withdrawal period.
    await send(alice, c.withdrawalQueue, ABI.withdrawalQueue, "requestWithdrawal", [parseEther("90"), alice]);
    await keeperRound();
    await letWithdrawalPeriodPass();
    await keeperRound();
    for (const owner of [alice, bob, carol]) {
      const ids = await read<readonly bigint[]>(c.withdrawalQueue, ABI.withdrawalQueue, "requestsOf", [owner, 0n, 100n]);
      const ready: bigint[] = [];
      for (const id of ids) {
        if ((await read<{ status: number }>(c.withdrawalQueue, ABI.withdrawalQueue, "requestStatus", [id])).status === WithdrawalQueueRequestStatus.Finalised) ready.push(id);
      }
      if (ready.length) await send(owner, c.withdrawalQueue, ABI.withdrawalQueue, "claim", [ready, owner]);
    }
    // Governance: a proposal walked to execution, with a reason on a vote.
    const data = encodeFunctionData({ abi: ABI.pool, functionName: "setFeeBps", args: [900n] });
    const description = `Lower the fee to 9 % (${tag})\n\nFrom the indexer's tests.`;
    const args = [[c.pool], [0n], [data], description] as const;
    const id = (await publicClient.simulateContract({ account: alice, address: c.governor, abi: ABI.governor, functionName: "propose", args })).result as bigint;
    await send(alice, c.governor, ABI.governor, "propose", args);
    await increaseTime(Number(await read<bigint>(c.governor, ABI.governor, "votingDelay")) + 1);
    await send(alice, c.governor, ABI.governor, "castVoteWithReason", [id, 1, `Cheaper for holders (${tag})`]);
    await send(bob, c.governor, ABI.governor, "castVote", [id, 2]);
    await send(record.accounts.holders[2], c.governor, ABI.governor, "castVote", [id, 0]);
    const period = Number(await read<bigint>(c.governor, ABI.governor, "votingPeriod"));
    const extension = Number(await read<bigint>(c.governor, ABI.governor, "lateQuorumVoteExtension"));
    await increaseTime(period + extension + 1);
    const hash = keccak256(toHex(description));
    await send(alice, c.governor, ABI.governor, "queue", [args[0], args[1], args[2], hash]);
    const eta = Number(await read<bigint>(c.governor, ABI.governor, "proposalEta", [id]));
    const now = Number((await publicClient.getBlock()).timestamp);
    await increaseTime(Math.max(0, eta - now) + 1);
    await send(alice, c.governor, ABI.governor, "execute", [args[0], args[1], args[2], hash]);
    // The validator that had not applied applies (once).
    const last = record.accounts.validators[record.accounts.validators.length - 1];
    if ((await read<number>(c.registry, ABI.registry, "stateOf", [BigInt(last.id)])) === 0) {
      await send(last.auth, c.registry, ABI.registry, "applyForInclusion", [BigInt(last.id), `data:application/json,{"name":"${last.name}"}`]);
    }
    return id;
  }

  /** Every log of the suite's contracts since the deployment, decoded, with the contract it came from. */
  async function allLogs() {
    // Not viem's cached block number (cached for its polling interval): the chain's head now.
    const toBlock = await publicClient.getBlockNumber({ cacheTime: 0 });
    // Every contract of the record with an ABI here (the planner library emits nothing).
    const named = (Object.entries(c) as [keyof typeof c, Address][]).filter(([name]) => name in ABI);
    const out: { contract: keyof typeof c; eventName: string; args: Record<string, unknown>; blockNumber: bigint; logIndex: number; transactionHash: Hex }[] = [];
    for (const [name, address] of named) {
      const logs = await publicClient.getLogs({ address, fromBlock: BigInt(record.startBlock), toBlock });
      for (const l of parseEventLogs({ abi: ABI[name], logs, strict: true })) {
        out.push({ contract: name, eventName: l.eventName as string, args: l.args as unknown as Record<string, unknown>, blockNumber: l.blockNumber, logIndex: l.logIndex, transactionHash: l.transactionHash });
      }
    }
    return { logs: out, toBlock };
  }

  return { record, publicClient, send, read, journeys, allLogs, keeperRound, increaseTime };
}
