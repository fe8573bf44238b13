// Part 1 of `npm run bench`: gas per operation, each next to the baseline a user would compare it with,
// all measured in this run on the in-process Hardhat network (receipts' gasUsed of real transactions).
//   npx hardhat run bench/gas.ts   → bench/.out/gas.json
import { parseEther, keccak256, toHex, encodeFunctionData, type Address } from "viem";
import { deployPool, freshChain, gasOf, mined, log as makeLog, writePart } from "./lib.js";
import { GovernorCountingSimpleVoteType as Vote, WithdrawalQueueRequestStatus as RequestStatus } from "../shared/protocol.generated.js";

const log = makeLog("gas");
const conn = await freshChain();
const { viem, networkHelpers } = conn;
const pc = await viem.getPublicClient();
const started = Date.now();

// The suite with 20 validators (for the 20-validator setTargets proposal), handed over to the timelock.
const s = await deployPool(conn, { validators: 20, handOver: true });
const [, , , , h1, h2, h3, h4, e1, e2, e3] = s.wallets;
const gas: Record<string, number> = {};

// ------------------------------------------------------------------ baselines
// Plain OpenZeppelin ERC20: transfer to a recipient that already holds the token.
const erc20 = await viem.deployContract("BaselineERC20", [parseEther("1000000")]);
await mined(conn, erc20.write.transfer([e1.account.address, parseEther("1000")]));
gas.baselineERC20Transfer = await gasOf(conn, erc20.write.transfer([e1.account.address, parseEther("1")]));
gas.baselineERC20TransferNewRecipient = await gasOf(conn, erc20.write.transfer([e2.account.address, parseEther("1")]));

// OpenZeppelin ERC20Votes: transfer between two accounts that have both delegated (to themselves).
const votes = await viem.deployContract("BaselineERC20Votes", [parseEther("1000000")]);
const [deployer] = s.wallets;
await mined(conn, votes.write.transfer([e1.account.address, parseEther("1000")]));
await mined(conn, votes.write.delegate([deployer.account.address]));
await mined(conn, votes.write.delegate([e1.account.address], { account: e1.account }));
gas.baselineERC20VotesTransfer = await gasOf(conn, votes.write.transfer([e1.account.address, parseEther("1")]));

// A direct delegation on the SFC (the model), first and repeat, from a plain account.
const v1 = s.ids[0];
gas.baselineSfcDelegate = await gasOf(conn, s.sfc.write.delegate([v1], { value: parseEther("100"), account: e3.account }));
gas.baselineSfcDelegateRepeat = await gasOf(conn, s.sfc.write.delegate([v1], { value: parseEther("100"), account: e3.account }));

// ------------------------------------------------------------------ holders
gas.stake = await gasOf(conn, s.pool.write.stake([h1.account.address], { value: parseEther("1000"), account: h1.account }));
gas.stakeRepeat = await gasOf(conn, s.pool.write.stake([h1.account.address], { value: parseEther("1000"), account: h1.account }));
await mined(conn, s.pool.write.stake([h2.account.address], { value: parseEther("1000"), account: h2.account }));
gas.transfer = await gasOf(conn, s.stFTM.write.transfer([h2.account.address, parseEther("10")], { account: h1.account }));
gas.transferNewRecipient = await gasOf(conn, s.stFTM.write.transfer([e2.account.address, parseEther("10")], { account: h1.account }));

// wstFTM: both holders delegate their votes to themselves first, as voters do.
for (const h of [h1, h2]) {
  await mined(conn, s.stFTM.write.approve([s.wstFTM.address, parseEther("1000000")], { account: h.account }));
  await mined(conn, s.wstFTM.write.delegate([h.account.address], { account: h.account }));
}
gas.wrapFirst = await gasOf(conn, s.wstFTM.write.wrap([parseEther("500")], { account: h1.account }));
gas.wrap = await gasOf(conn, s.wstFTM.write.wrap([parseEther("100")], { account: h1.account }));
await mined(conn, s.wstFTM.write.wrap([parseEther("500")], { account: h2.account }));
gas.unwrap = await gasOf(conn, s.wstFTM.write.unwrap([parseEther("10")], { account: h1.account }));
gas.wstTransfer = await gasOf(conn, s.wstFTM.write.transfer([h2.account.address, parseEther("1")], { account: h1.account }));
gas.stakeAndWrap = await gasOf(conn, s.wstFTM.write.stakeAndWrap([h1.account.address], { value: parseEther("100"), account: h1.account }));

// Withdrawals while idle liquidity covers them (nothing delegated yet): requested, finalised by the next keeper
// round (requests are never paid at request time), then claimed: 1 and 10 requests.
await mined(conn, s.pool.write.stake([h3.account.address], { value: parseEther("2000"), account: h3.account }));
const firstId = await s.withdrawalQueue.read.nextRequestId();
gas.requestWithdrawalIdle = await gasOf(conn, s.withdrawalQueue.write.requestWithdrawal([parseEther("10"), h3.account.address], { account: h3.account }));
for (let i = 0; i < 10; i++) {
  await mined(conn, s.withdrawalQueue.write.requestWithdrawal([parseEther("10"), h3.account.address], { account: h3.account }));
}
// The keeper round: finalises the requests from idle liquidity and delegates the rest.
for (let i = 0; i < 20; i++) {
  const { result } = await s.pool.simulate.process([1000n], { account: s.operator.account.address });
  await mined(conn, s.pool.write.process([1000n], { account: s.operator.account }));
  if (result[1]) break;
}
if ((await s.pool.read.idleLiquidity()) !== 0n) throw new Error("idle liquidity left after the round");
const ids = Array.from({ length: 11 }, (_, i) => firstId + BigInt(i));
for (const id of ids) {
  const r = await s.withdrawalQueue.read.requestStatus([id]);
  if (r.status !== RequestStatus.Finalised) throw new Error(`request ${id} is not finalised (status ${r.status})`);
}
gas.claim1 = await gasOf(conn, s.withdrawalQueue.write.claim([[ids[0]], h3.account.address], { account: h3.account }));
gas.claim10 = await gasOf(conn, s.withdrawalQueue.write.claim([ids.slice(1), h3.account.address], { account: h3.account }));

// A withdrawal request once the liquidity is delegated (it waits for unbonding).
gas.requestWithdrawal = await gasOf(conn, s.withdrawalQueue.write.requestWithdrawal([parseEther("10"), h2.account.address], { account: h2.account }));
gas.requestWithdrawalRepeat = await gasOf(conn, s.withdrawalQueue.write.requestWithdrawal([parseEther("10"), h2.account.address], { account: h2.account }));

// ------------------------------------------------------------------ governance: setTargets over 20 validators
await networkHelpers.mine(1);
const weights = s.ids.map((_, i) => (i % 2 === 0 ? 750 : 250));
const target = s.registry.address as Address;
const data = encodeFunctionData({ abi: s.registry.abi, functionName: "setTargets", args: [s.ids, weights] });
const description = "Bench: 20-validator target vector";
const args = [[target], [0n], [data]] as const;
const descriptionHash = keccak256(toHex(description));
gas.propose = await gasOf(conn, s.governor.write.propose([...args, description], { account: h1.account }));
const proposalId = await s.governor.read.getProposalId([...args, descriptionHash]);
await networkHelpers.time.increaseTo((await s.governor.read.proposalSnapshot([proposalId])) + 1n);
gas.castVote = await gasOf(conn, s.governor.write.castVote([proposalId, Vote.For], { account: h1.account }));
gas.castVoteSecond = await gasOf(conn, s.governor.write.castVote([proposalId, Vote.For], { account: h2.account }));
// A third voter who held no votes at the snapshot (so no tally grows): the reason itself is only event data.
gas.castVoteWithReason = await gasOf(conn, s.governor.write.castVoteWithReason([proposalId, Vote.For, "Spreads the stake over the newer validators"], { account: h3.account }));
await networkHelpers.time.increaseTo((await s.governor.read.proposalDeadline([proposalId])) + 1n);
gas.queue = await gasOf(conn, s.governor.write.queue([...args, descriptionHash], { account: h4.account }));
await networkHelpers.time.increaseTo((await s.governor.read.proposalEta([proposalId])) + 1n);
gas.executeSetTargets20 = await gasOf(conn, s.governor.write.execute([...args, descriptionHash], { account: h4.account }));
const [, after] = await s.registry.read.targets();
if (after.map(Number).join() !== weights.join()) throw new Error("the executed proposal did not set the targets");

// Direct SFC undelegation and withdrawal (after the withdrawal period), the counterparts of requestWithdrawal
// and claim for someone who delegates without the pool.
gas.baselineSfcUndelegate = await gasOf(conn, s.sfc.write.undelegate([v1, 1n, parseEther("50")], { account: e3.account }));
const consts = await viem.getContractAt("SFCConstantsModel", await s.sfc.read.consts());
await networkHelpers.time.increase(Number(await consts.read.withdrawalPeriodTime()) + 1);
await mined(conn, s.sfc.write.sealEpochs([await consts.read.withdrawalPeriodEpochs()]));
gas.baselineSfcWithdraw = await gasOf(conn, s.sfc.write.withdraw([v1, 1n], { account: e3.account }));

const block = await pc.getBlock();
const ratio = (a: number, b: number) => Math.round((a / b) * 1000) / 1000;
const ratios = {
  stakeVsERC20VotesTransfer: ratio(gas.stake, gas.baselineERC20VotesTransfer),
  stakeVsSfcDelegate: ratio(gas.stake, gas.baselineSfcDelegate),
  stakeRepeatVsSfcDelegateRepeat: ratio(gas.stakeRepeat, gas.baselineSfcDelegateRepeat),
  transferVsERC20Transfer: ratio(gas.transfer, gas.baselineERC20Transfer),
  transferNewRecipientVsERC20TransferNewRecipient: ratio(gas.transferNewRecipient, gas.baselineERC20TransferNewRecipient),
  wstTransferVsERC20VotesTransfer: ratio(gas.wstTransfer, gas.baselineERC20VotesTransfer),
  wrapVsERC20VotesTransfer: ratio(gas.wrap, gas.baselineERC20VotesTransfer),
  stakeAndWrapVsSfcDelegate: ratio(gas.stakeAndWrap, gas.baselineSfcDelegate),
  requestWithdrawalVsSfcUndelegate: ratio(gas.requestWithdrawal, gas.baselineSfcUndelegate),
  claim1VsSfcWithdraw: ratio(gas.claim1, gas.baselineSfcWithdraw),
};
for (const [k, v] of Object.entries(gas)) log(`${k}: ${v}`);
writePart("gas", {
  gas: { ...gas, ratios },
  meta: {
    gas: {
      hardfork: (conn.networkConfig as { hardfork?: string }).hardfork ?? "unknown",
      blockGasLimit: Number(block.gasLimit),
      validators: s.ids.length,
      seconds: Math.round((Date.now() - started) / 100) / 10,
    },
  },
});
