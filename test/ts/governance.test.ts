import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { network } from "hardhat";
import { parseEther, getAddress, zeroAddress, type Address } from "viem";
import { accounts, deployWithValidators, equalWeights, processUntilDone as processRound, validatorWallet, type Conn } from "../helpers/fixtures.js";
import { GovernorHelper, ProposalState, Vote, call } from "../helpers/governor.js";
import { verifyRoles } from "../../scripts/deploy/verify.js";
import { PoolSettingsAction as Action, ValidatorRegistryState as State } from "../../shared/protocol.generated.js";

const conn = (await network.create()) as unknown as Conn;
const { viem, networkHelpers } = conn;

/** Five validators, handed over to the timelock; four holders with staked, wrapped and self-delegated wstFTM. */
async function governedFixture() {
  const s = await deployWithValidators(conn, 5);
  const a = await accounts(conn);
  const amounts = [parseEther("4000"), parseEther("3000"), parseEther("2000"), parseEther("50")];
  for (const [i, h] of a.holders.entries()) {
    await s.wstFTM.write.stakeAndWrap([h.account.address], { value: amounts[i], account: h.account });
    await s.wstFTM.write.delegate([h.account.address], { account: h.account });
  }
  await networkHelpers.mine(1);
  return { ...s, a };
}

const processUntilDone = (s: Awaited<ReturnType<typeof governedFixture>>) => processRound(s, s.a.operator);

async function passWithdrawalPeriod(s: Awaited<ReturnType<typeof governedFixture>>) {
  await networkHelpers.time.increase(7 * 24 * 3600 + 1);
  await s.sfc.write.sealEpochs([3n]);
}

function maxDriftBps(stakes: bigint[], weights: number[]) {
  const sum = stakes.reduce((x, y) => x + y, 0n);
  return Math.max(...stakes.map((st, i) => Math.abs(Number((st * 10_000n) / sum) - weights[i])));
}

describe("holder governance", () => {
  it("moves the allocation to a voted weight vector, end to end", async () => {
    const s = await networkHelpers.loadFixture(governedFixture);
    const [h0, h1, h2] = s.a.holders;
    await processUntilDone(s); // the initial equal split
    const newWeights = [1000, 1500, 2000, 2000, 3500];
    const gov = new GovernorHelper(conn, s.governor as never);
    await gov.passAndExecute(
      [call(s.registry.address, s.registry.abi, "setTargets", [s.validatorIds, newWeights])],
      "Rebalance towards the best performers",
      h0.account.address,
      [h0.account.address, h1.account.address, h2.account.address],
    );
    assert.equal(await gov.state(), ProposalState.Executed);
    const [, weights] = await s.registry.read.targets();
    assert.deepEqual(weights.map(Number), newWeights);

    await processUntilDone(s); // undelegates from the over-target validators
    await passWithdrawalPeriod(s);
    await processUntilDone(s); // brings the FTM back and delegates it to the under-target ones
    const stakes: bigint[] = [];
    for (const id of s.validatorIds) {
      const onChain = await s.sfc.read.getStake([s.pool.address, id]);
      assert.equal(onChain, (await s.pool.read.bookOf([id])).stakeRaw, "the SFC and the pool's books agree");
      stakes.push(onChain);
    }
    // The two validators that were over target are brought back to the threshold (50 bps) over it, not to it:
    // what they keep is left for withdrawals to take. The returning FTM fills the most under target first, so
    // the last one is short by what those two keep.
    const sum = stakes.reduce((x, y) => x + y, 0n);
    const over = stakes.map((st, i) => Number((st * 10_000n) / sum) - newWeights[i]);
    assert.deepEqual(over, [50, 50, 0, 0, -100], `drift in bps: ${over.join(", ")}`);
    assert.equal(maxDriftBps(stakes, newWeights), 100);
  });

  it("admits a validator that applied from its auth address, and it then receives stake", async () => {
    const s = await networkHelpers.loadFixture(governedFixture);
    const auth = await validatorWallet(conn, 7);
    await s.sfc.write.createValidator(["0x77"], { value: parseEther("1000"), account: auth.account });
    const id = await s.sfc.read.getValidatorID([auth.account.address]);
    await assert.rejects(
      s.registry.write.applyForInclusion([id, "ipfs://impostor"], { account: s.a.holders[0].account }),
      /ValidatorRegistry__NotValidatorAuth/,
    );
    await s.registry.write.applyForInclusion([id, "ipfs://new-validator"], { account: auth.account });
    assert.equal(await s.registry.read.stateOf([id]), State.Applied);
    const ids = [...s.validatorIds, id];
    const weights = [1600, 1600, 1600, 1600, 1600, 2000];
    const gov = new GovernorHelper(conn, s.governor as never);
    const voters = s.a.holders.slice(0, 3).map((h) => h.account.address);
    await gov.passAndExecute(
      [
        call(s.registry.address, s.registry.abi, "approve", [id]),
        call(s.registry.address, s.registry.abi, "setTargets", [ids, weights]),
      ],
      "Admit validator " + id,
      voters[0],
      voters,
    );
    assert.equal(await s.registry.read.stateOf([id]), State.Active);
    await processUntilDone(s);
    assert.ok((await s.sfc.read.getStake([s.pool.address, id])) > parseEther("1000"));
  });

  it("removes a validator: exiting, drained, removed, and no FTM is lost", async () => {
    const s = await networkHelpers.loadFixture(governedFixture);
    await processUntilDone(s);
    const pooledBefore = await s.pool.read.totalPooledFTM();
    const leaving = s.validatorIds[0];
    const rest = s.validatorIds.slice(1);
    const gov = new GovernorHelper(conn, s.governor as never);
    const voters = s.a.holders.slice(0, 3).map((h) => h.account.address);
    await gov.passAndExecute(
      [
        call(s.registry.address, s.registry.abi, "remove", [leaving]),
        call(s.registry.address, s.registry.abi, "setTargets", [rest, equalWeights(4)]),
      ],
      "Remove validator " + leaving,
      voters[0],
      voters,
    );
    assert.equal(await s.registry.read.stateOf([leaving]), State.Exiting);
    await processUntilDone(s);
    assert.equal(await s.sfc.read.getStake([s.pool.address, leaving]), 0n, "drained");
    await s.registry.write.sync([leaving]);
    assert.equal(await s.registry.read.stateOf([leaving]), State.Exiting, "still Exiting while the pool's FTM unbonds there");
    await passWithdrawalPeriod(s);
    await processUntilDone(s);
    await s.registry.write.sync([leaving]);
    assert.equal(await s.registry.read.stateOf([leaving]), State.Removed);
    assert.equal(await s.pool.read.totalPooledFTM(), pooledBefore, "nothing lost");
    assert.equal(await s.pool.read.totalUnbondingBooked(), 0n);
  });
});

describe("governance attacks", () => {
  it("votes bought after the snapshot do not count", async () => {
    const s = await networkHelpers.loadFixture(governedFixture);
    const [h0, h1, , h3] = s.a.holders;
    const gov = new GovernorHelper(conn, s.governor as never);
    await gov.propose([call(s.pool.address, s.pool.abi, "setFeeBps", [500n])], "Lower the fee", h0.account.address);
    await gov.waitForSnapshot();
    // After the snapshot h1 sends all its wstFTM to h3, who already delegated to itself.
    const bal = await s.wstFTM.read.balanceOf([h1.account.address]);
    await s.wstFTM.write.transfer([h3.account.address, bal], { account: h1.account });
    await gov.vote(h3.account.address, Vote.Against);
    const [against] = await s.governor.read.proposalVotes([gov.id]);
    const snapshot = await s.governor.read.proposalSnapshot([gov.id]);
    assert.equal(against, await s.wstFTM.read.getPastVotes([h3.account.address, snapshot]));
    assert.ok(against < bal, "only the weight h3 had at the snapshot");
  });

  it("a flash loan of wstFTM within one block buys no votes", async () => {
    const s = await networkHelpers.loadFixture(governedFixture);
    const [h0, h1] = s.a.holders;
    const gov = new GovernorHelper(conn, s.governor as never);
    await gov.propose([call(s.pool.address, s.pool.abi, "setFeeBps", [500n])], "Lower the fee", h0.account.address);
    await gov.waitForSnapshot();
    const voter = await viem.deployContract("FlashVoter", [s.wstFTM.address, s.governor.address]);
    const loan = await s.wstFTM.read.balanceOf([h1.account.address]);
    await s.wstFTM.write.approve([voter.address, loan], { account: h1.account });
    await voter.write.borrowVoteAndRepay([h1.account.address, loan, gov.id]);
    const [against, forVotes, abstain] = await s.governor.read.proposalVotes([gov.id]);
    assert.equal(against + forVotes + abstain, 0n, "the borrowed weight counted for nothing");
    assert.equal(await s.wstFTM.read.balanceOf([h1.account.address]), loan, "the loan was repaid");
  });

  it("a proposal that reaches quorum in its last moments is extended", async () => {
    const s = await networkHelpers.loadFixture(governedFixture);
    const [h0, , , h3] = s.a.holders;
    const gov = new GovernorHelper(conn, s.governor as never);
    await gov.propose([call(s.pool.address, s.pool.abi, "setFeeBps", [500n])], "Lower the fee", h3.account.address);
    await gov.waitForSnapshot();
    await gov.vote(h3.account.address, Vote.For); // 50 of ~9,050: below the 4 % quorum
    const deadline = await s.governor.read.proposalDeadline([gov.id]);
    await networkHelpers.time.increaseTo(deadline - 5n);
    await gov.vote(h0.account.address, Vote.For); // quorum (For + Abstain) reached 5 s before the end
    const extended = await s.governor.read.proposalDeadline([gov.id]);
    assert.ok(extended > deadline, "deadline moved");
    assert.ok(extended >= deadline - 5n + BigInt(s.params.governance.lateQuorumExtension));
    await networkHelpers.time.increaseTo(deadline + 1n);
    assert.equal(await gov.state(), ProposalState.Active, "others can still react");
  });

  for (const [name, weights, ids] of [
    ["does not sum to 10,000", [2000, 2000, 2000, 2000, 1000], undefined],
    ["exceeds maxWeightBps", [6000, 1000, 1000, 1000, 1000], undefined],
    ["names a non-active validator", [2000, 2000, 2000, 2000, 2000], "unknown"],
  ] as const) {
    it(`a weight vector that ${name} reverts at execution and changes nothing`, async () => {
      const s = await networkHelpers.loadFixture(governedFixture);
      // The deployer set maxWeightBps to 10,000 during setup; a proposal first lowers it back to 2,000.
      const [h0, h1, h2] = s.a.holders;
      const voters = [h0, h1, h2].map((h) => h.account.address);
      const target = ids === "unknown" ? [...s.validatorIds.slice(0, 4), 99n] : s.validatorIds;
      const gov = new GovernorHelper(conn, s.governor as never);
      await gov.propose(
        [
          call(s.registry.address, s.registry.abi, "setMaxWeightBps", [2000n]),
          call(s.registry.address, s.registry.abi, "setTargets", [target, [...weights]]),
        ],
        `Bad vector: ${name}`,
        voters[0],
      );
      await gov.waitForSnapshot();
      for (const v of voters) await gov.vote(v, Vote.For);
      await gov.waitForDeadline();
      await gov.queue();
      await gov.waitForEta();
      const before = await s.registry.read.targets();
      await assert.rejects(gov.execute());
      assert.deepEqual(await s.registry.read.targets(), before);
      assert.equal(await s.registry.read.maxWeightBps(), 10_000n, "the whole proposal was rolled back");
      assert.equal(await gov.state(), ProposalState.Queued);
    });
  }

  it("nobody but the timelock can change targets, fees or roles", async () => {
    const s = await networkHelpers.loadFixture(governedFixture);
    const outsiders = [s.a.deployer, s.a.guardian, s.a.operator, s.a.holders[0]];
    for (const who of outsiders) {
      const opts = { account: who.account };
      await assert.rejects(s.registry.write.setTargets([s.validatorIds, equalWeights(5)], opts), /AccessControlUnauthorizedAccount/);
      await assert.rejects(s.pool.write.setFeeBps([0n], opts), /AccessControlUnauthorizedAccount/);
      await assert.rejects(s.pool.write.setTreasury([who.account.address], opts), /AccessControlUnauthorizedAccount/);
      const role = await s.pool.read.OPERATOR_ROLE();
      await assert.rejects(s.pool.write.grantRole([role, who.account.address], opts), /AccessControlUnauthorizedAccount/);
      await assert.rejects(s.registry.write.remove([s.validatorIds[0]], opts), /AccessControlUnauthorizedAccount/);
    }
  });

  it("the guardian can pause and cancel, but cannot resume, propose for itself or move funds", async () => {
    const s = await networkHelpers.loadFixture(governedFixture);
    const g = s.a.guardian.account;
    await s.pool.write.pause([Action.Stake], { account: g });
    assert.equal(await s.pool.read.isPaused([Action.Stake]), true);
    await assert.rejects(s.pool.write.resume([Action.Stake], { account: g }), /AccessControlUnauthorizedAccount/);
    await assert.rejects(
      s.governor.write.propose([[s.pool.address], [0n], ["0x"], "guardian's own proposal"], { account: g }),
      /GovernorInsufficientProposerVotes/,
    );
    await assert.rejects(s.pool.write.setTreasury([g.address], { account: g }), /AccessControlUnauthorizedAccount/);
    const schedule = [s.pool.address, 0n, "0x", "0x" + "00".repeat(32), "0x" + "00".repeat(32), 3600n] as const;
    await assert.rejects(s.timelock.write.schedule([...schedule] as never, { account: g }), /AccessControlUnauthorizedAccount/);

    const gov = new GovernorHelper(conn, s.governor as never);
    await gov.propose(
      [call(s.pool.address, s.pool.abi, "setTreasury", [s.a.holders[3].account.address])],
      "Send fees to me",
      s.a.holders[3].account.address,
    );
    await gov.cancel(g.address);
    assert.equal(await gov.state(), ProposalState.Canceled);
    await assert.rejects(gov.queue(), /GovernorUnexpectedProposalState/, "a cancelled proposal cannot be queued");

    // Only governance resumes.
    const resume = new GovernorHelper(conn, s.governor as never);
    const voters = s.a.holders.slice(0, 3).map((h) => h.account.address);
    await resume.passAndExecute([call(s.pool.address, s.pool.abi, "resume", [Action.Stake])], "Resume staking", voters[0], voters);
    assert.equal(await s.pool.read.isPaused([Action.Stake]), false);
  });

  it("guardian freeze: a guardian that pauses withdrawals and cancels the vote to resume them freezes nothing for long", async () => {
    const s = await networkHelpers.loadFixture(governedFixture);
    const g = s.a.guardian.account;
    const holder = s.a.holders[3].account;
    await s.pool.write.stake([holder.address], { value: parseEther("10"), account: holder });
    await s.withdrawalQueue.write.requestWithdrawal([parseEther("4"), holder.address], { account: holder });
    await processUntilDone(s);
    const id = (await s.withdrawalQueue.read.nextRequestId()) - 1n;

    await s.pool.write.pause([Action.Withdraw], { account: g });
    const voters = s.a.holders.slice(0, 3).map((h) => h.account.address);
    const resume = new GovernorHelper(conn, s.governor as never);
    await resume.propose([call(s.pool.address, s.pool.abi, "resume", [Action.Withdraw])], "Resume withdrawals", voters[0]);
    await resume.cancel(g.address);
    assert.equal(await resume.state(), ProposalState.Canceled);

    // The finalised request is paid all the same.
    const before = await conn.viem.getPublicClient().then((c) => c.getBalance({ address: holder.address }));
    const receipt = await s.withdrawalQueue.write.claim([[id], holder.address], { account: holder });
    const pc = await conn.viem.getPublicClient();
    const r = await pc.waitForTransactionReceipt({ hash: receipt });
    const after = await pc.getBalance({ address: holder.address });
    assert.equal(after - before + r.gasUsed * r.effectiveGasPrice, parseEther("4"), "claims are never paused");

    // The pause ends by itself, and the guardian cannot start another one straight away.
    const [until, cooldownUntil] = await s.pool.read.pauseWindow([Action.Withdraw]);
    await networkHelpers.time.increaseTo(until);
    assert.equal(await s.pool.read.isPaused([Action.Withdraw]), false);
    await assert.rejects(s.pool.write.pause([Action.Withdraw], { account: g }), /StakingPool__PauseCoolingDown/);
    await s.withdrawalQueue.write.requestWithdrawal([parseEther("1"), holder.address], { account: holder });
    assert.ok(cooldownUntil > until);
  });

  it("an executed proposal cannot be executed again", async () => {
    const s = await networkHelpers.loadFixture(governedFixture);
    const voters = s.a.holders.slice(0, 3).map((h) => h.account.address);
    const gov = new GovernorHelper(conn, s.governor as never);
    await gov.passAndExecute([call(s.pool.address, s.pool.abi, "setFeeBps", [700n])], "Fee 7 %", voters[0], voters);
    assert.equal(await s.pool.read.feeBps(), 700n);
    await assert.rejects(gov.execute(), /GovernorUnexpectedProposalState/);
  });

  it("the deployer holds no role after deployment, and verify agrees", async () => {
    const s = await networkHelpers.loadFixture(governedFixture);
    const me = s.a.deployer.account.address;
    const admin = "0x0000000000000000000000000000000000000000000000000000000000000000";
    for (const c of [s.pool, s.registry, s.timelock]) assert.equal(await c.read.hasRole([admin, me]), false);
    for (const r of [await s.pool.read.PAUSER_ROLE(), await s.pool.read.OPERATOR_ROLE()]) {
      assert.equal(await s.pool.read.hasRole([r, me]), false);
    }
    const report = await verifyRoles(viem, s.record, s.params);
    assert.deepEqual(report.problems, []);
    assert.ok(report.lines.some((l) => l.includes(getAddress(s.timelock.address))));
  });

  it("verify fails when a role is held by the wrong account", async () => {
    const s = await networkHelpers.loadFixture(governedFixture);
    const voters = s.a.holders.slice(0, 3).map((h) => h.account.address);
    const role = await s.pool.read.OPERATOR_ROLE();
    const gov = new GovernorHelper(conn, s.governor as never);
    await gov.passAndExecute(
      [call(s.pool.address, s.pool.abi, "grantRole", [role, s.a.holders[3].account.address])],
      "Add an operator nobody configured",
      voters[0],
      voters,
    );
    const report = await verifyRoles(viem, s.record, s.params);
    assert.equal(report.problems.length, 1);
    assert.match(report.problems[0], /OPERATOR_ROLE/);
  });

  it("process is open to anyone once the keeper grace period has passed", async () => {
    const s = await networkHelpers.loadFixture(governedFixture);
    const stranger = s.a.holders[3].account;
    await processUntilDone(s);
    await assert.rejects(s.pool.write.process([10n], { account: stranger }), /StakingPool__KeeperTooEarly/);
    await networkHelpers.time.increase(24 * 3600);
    await s.pool.write.process([200n], { account: stranger });
    assert.ok((await s.pool.read.lastRoundCompletedAt()) > 0n);
  });
});

describe("deployment", () => {
  it("is idempotent: a second run with the same record deploys nothing new", async () => {
    const s = await networkHelpers.loadFixture(governedFixture);
    const { deploySuite } = await import("../../scripts/deploy/suite.js");
    const again = await deploySuite(viem, s.params, { record: s.record });
    assert.deepEqual(again.record.contracts, s.record.contracts);
    assert.notEqual(s.record.contracts.pool, zeroAddress as Address);
  });
});
