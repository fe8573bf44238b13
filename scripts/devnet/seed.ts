// Seeds a running local node (npx hardhat run scripts/devnet/seed.ts --network localhost):
// places the SFC model at the real SFC address, deploys the suite with the same deployment code as real
// networks, creates ten named validators, stakes for the holders, and leaves proposals in every state.
// Writes deployments/localhost.json (the record plus the named accounts) for the app and the e2e tests.
import { writeFileSync } from "node:fs";
import { network } from "hardhat";
import { encodeFunctionData, keccak256, parseEther, toHex, type Address } from "viem";
import { devnetParams } from "../deploy/params.js";
import { SFC_ADDRESS } from "../../shared/networks.js";
import { layoutIndex } from "../../shared/sfc.js";
import { GovernorCountingSimpleVoteType as Vote, ValidatorRegistryState as State, type DeploymentRecord } from "../../shared/protocol.generated.js";
import { deploySuite } from "../deploy/suite.js";
import { MULTICALL3_ADDRESS, placeMulticall3 } from "./multicall3.js";

const conn = await network.connect();
const { viem } = conn;
const publicClient = await viem.getPublicClient();
const testClient = await viem.getTestClient();
const wallets = await viem.getWalletClients();
const chainId = await publicClient.getChainId();
// Sonic or Opera (DEVNET_CHAIN): the SFC layout, the token and currency names, the withdrawal period.
const { params, devnet } = devnetParams("scripts/deploy/params/localhost.json", chainId, process.env.DEVNET_CHAIN, "scripts/deploy/params");
const log = (m: string) => console.log(`[seed] ${m}`);
// DEVNET_RECORD_FILE: where the record goes (the indexer's tests seed a devnet of their own beside a running one).
const recordFile = process.env.DEVNET_RECORD_FILE ?? "deployments/localhost.json";
const wait = async (hash: Promise<`0x${string}`>) => publicClient.waitForTransactionReceipt({ hash: await hash });

export const VALIDATOR_NAMES = [
  "Aurora Nodes", "Blue Harbor", "Cobalt Staking", "Driftwood Labs", "Ember Validator",
  "Fjord Infra", "Granite Node", "Halcyon Stake", "Iris Validators", "Juniper Ops",
];

// 1. The SFC model at the real SFC address, so deployment code is the same as on Opera and Sonic.
const existing = await publicClient.getCode({ address: SFC_ADDRESS });
if (!existing || existing === "0x") {
  const template = await viem.deployContract("SFCModel", [layoutIndex(params.sfcLayout)]);
  const code = await publicClient.getCode({ address: template.address });
  await testClient.setCode({ address: SFC_ADDRESS, bytecode: code! });
  const sfcAtAddress = await viem.getContractAt("SFCModel", SFC_ADDRESS);
  await wait(sfcAtAddress.write.initialize([layoutIndex(params.sfcLayout), wallets[0].account.address]));
  log(`SFC model placed at ${SFC_ADDRESS}`);
}
const sfc = await viem.getContractAt("SFCModel", SFC_ADDRESS);
const consts = await viem.getContractAt("SFCConstantsModel", await sfc.read.constsAddress());
if ((await consts.read.withdrawalPeriodTime()) !== BigInt(devnet.withdrawalPeriodTime)) {
  await wait(sfc.write.setConstants([
    await consts.read.withdrawalPeriodEpochs(),
    BigInt(devnet.withdrawalPeriodTime),
    await consts.read.maxDelegatedRatio(),
    await consts.read.minSelfStake(),
    await consts.read.validatorCommission(),
  ]));
}
log(`imitating ${devnet.chain}: ${params.names.nativeCurrency} / ${params.names.stakedToken.symbol} / ${params.names.wrappedToken.symbol}, withdrawal period ${devnet.withdrawalPeriodTime / 86400} days`);
if (await placeMulticall3(publicClient, testClient)) log(`Multicall3 placed at ${MULTICALL3_ADDRESS}`);

// 2. The suite, with the deployer still admin while it sets up the validator set.
let suite = await deploySuite(viem, params, { recordFile, keepDeployerAdmin: true, log });
const [deployer, guardian, operator, treasury] = wallets;
const holders = wallets.slice(4, 8);
const validatorAuths = wallets.slice(8, 18);

// 3. Ten validators with names; eight approved with weights, one pending application, one not applied.
const validators: { id: number; auth: Address; name: string }[] = [];
for (const [i, auth] of validatorAuths.entries()) {
  let id = await sfc.read.getValidatorID([auth.account.address]);
  if (id === 0n) {
    await wait(sfc.write.createValidator([`0x${(i + 1).toString(16).padStart(2, "0")}`], { value: parseEther(String(1500 + 250 * i)), account: auth.account }));
    id = await sfc.read.getValidatorID([auth.account.address]);
  }
  const name = VALIDATOR_NAMES[i];
  // The last validator exists on the SFC but has not applied: the app's apply page has someone to show.
  if (i < validatorAuths.length - 1 && (await suite.registry.read.stateOf([id])) === State.None) {
    const meta = `data:application/json,${encodeURIComponent(JSON.stringify({ name, website: `https://${name.toLowerCase().replace(/ /g, "")}.example` }))}`;
    await wait(suite.registry.write.applyForInclusion([id, meta], { account: auth.account }));
  }
  validators.push({ id: Number(id), auth: auth.account.address, name });
}
const approved = validators.slice(0, 8).map((v) => BigInt(v.id));
if (!suite.record.handedOver) {
  for (const id of approved) {
    if ((await suite.registry.read.stateOf([id])) === State.Applied) await wait(suite.registry.write.approve([id]));
  }
  await wait(suite.registry.write.setTargets([approved, [1250, 1250, 1250, 1250, 1250, 1250, 1250, 1250]]));
  log("eight validators approved with equal targets; one application pending, one validator not applied");
}

// 4. Hand every admin role to the timelock, as on a real network.
suite = await deploySuite(viem, params, { recordFile, log });

// 5. Holders stake, wrap and delegate; the operator runs a round; a few epochs with rewards.
const amounts = ["4000", "2500", "1200", "300"];
for (const [i, h] of holders.entries()) {
  if ((await suite.wstFTM.read.balanceOf([h.account.address])) > 0n) continue;
  await wait(suite.pool.write.stake([h.account.address], { value: parseEther(amounts[i]), account: h.account }));
  const half = (await suite.stFTM.read.balanceOf([h.account.address])) / 2n;
  await wait(suite.stFTM.write.approve([suite.wstFTM.address, half], { account: h.account }));
  await wait(suite.wstFTM.write.wrap([half], { account: h.account }));
  await wait(suite.wstFTM.write.delegate([h.account.address], { account: h.account }));
}
const processRound = async () => {
  for (let i = 0; i < 10; i++) {
    const { result } = await suite.pool.simulate.process([500n], { account: operator.account.address });
    await wait(suite.pool.write.process([500n], { account: operator.account }));
    if (result[1]) return;
  }
};
await processRound();
for (let e = 0; e < 3; e++) {
  await testClient.increaseTime({ seconds: 3600 });
  await wait(sfc.write.sealEpoch({ value: parseEther("120"), account: deployer.account }));
  await processRound();
}
log("holders staked, wrapped and delegated; three epochs of rewards booked");

// 6. Proposals in every state: executed, defeated, queued, succeeded, active.
const gov = suite.governor;
const g = params.governance;
const voters = holders.slice(0, 3);
type Action = { target: Address; data: `0x${string}` };
const proposals: { actions: Action[]; description: string }[] = [];
const setTargets = (weights: number[]): Action => ({
  target: suite.registry.address,
  data: encodeFunctionData({ abi: suite.registry.abi, functionName: "setTargets", args: [approved, weights] }),
});
const setFee = (bps: bigint): Action => ({
  target: suite.pool.address,
  data: encodeFunctionData({ abi: suite.pool.abi, functionName: "setFeeBps", args: [bps] }),
});
async function propose(actions: Action[], description: string) {
  const args = [actions.map((a) => a.target), actions.map(() => 0n), actions.map((a) => a.data), description] as const;
  await wait(gov.write.propose(args, { account: holders[0].account }));
  const count = await gov.read.proposalCount();
  const [id] = await gov.read.proposalDetailsAt([count - 1n]);
  proposals.push({ actions, description });
  return { id, args };
}
if ((await gov.read.proposalCount()) === 0n) {
  const executed = await propose([setTargets([1500, 1500, 1250, 1250, 1250, 1250, 1000, 1000])], "Favour the two longest-running validators");
  const defeated = await propose([setFee(2000n)], "Raise the protocol fee to 20 %");
  const queued = await propose([setTargets([1250, 1250, 1250, 1250, 1250, 1250, 1250, 1250])], "Return to equal weights");
  const succeeded = await propose([setFee(800n)], "Lower the protocol fee to 8 %");
  await testClient.increaseTime({ seconds: g.votingDelay + 1 });
  await testClient.mine({ blocks: 1 });
  for (const v of voters) {
    await wait(gov.write.castVoteWithReason([executed.id, Vote.For, "Rewards the most reliable operators"], { account: v.account }));
    await wait(gov.write.castVote([defeated.id, Vote.Against], { account: v.account }));
    await wait(gov.write.castVote([queued.id, Vote.For], { account: v.account }));
    await wait(gov.write.castVote([succeeded.id, Vote.For], { account: v.account }));
  }
  await testClient.increaseTime({ seconds: g.votingPeriod + g.lateQuorumExtension + 1 });
  await testClient.mine({ blocks: 1 });
  const descHash = async (args: typeof executed.args) => keccak256(toHex(args[3]));
  await wait(gov.write.queue([executed.args[0], executed.args[1], executed.args[2], await descHash(executed.args)]));
  await wait(gov.write.queue([queued.args[0], queued.args[1], queued.args[2], await descHash(queued.args)]));
  await testClient.increaseTime({ seconds: g.timelockDelay + 1 });
  await testClient.mine({ blocks: 1 });
  await wait(gov.write.execute([executed.args[0], executed.args[1], executed.args[2], await descHash(executed.args)]));
  await propose([setTargets([1000, 1000, 1250, 1250, 1250, 1250, 1500, 1500])], "Give the newer validators more room");
  await processRound();
  log("proposals left executed, defeated, queued, succeeded and active");
}

// 7. The record with named accounts, for the app's local wallet and the e2e tests.
const record: DeploymentRecord = { ...suite.record, devnetChain: devnet.chain, accounts: {
  deployer: deployer.account.address,
  guardian: guardian.account.address,
  operator: operator.account.address,
  treasury: treasury.account.address,
  holders: holders.map((h) => h.account.address),
  validators,
} };
writeFileSync(recordFile, JSON.stringify(record, null, 2) + "\n");
log("wrote deployments/localhost.json");
