// What a proposal's page derives from the governor's figures (app/lib/governance.ts, app/lib/format.ts):
// the shares of the votes cast, the progress towards quorum, the countdown and the timeline's steps.
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { proposalCountdown, proposalTimeline, quorumPercent, sharePercent, tallyOf } from "../../app/lib/governance.js";
import { formatCountdown } from "../../app/lib/format.js";

const e18 = 10n ** 18n;
const times = { snapshot: 1_000n, deadline: 4_600n, eta: 0n };

describe("a proposal's vote shares and quorum", () => {
  it("reads proposalVotes as against, for, abstain and gives each side's share of the votes cast", () => {
    const t = tallyOf([100n * e18, 300n * e18, 100n * e18]);
    assert.deepEqual(t, { against: 100n * e18, for: 300n * e18, abstain: 100n * e18 });
    assert.equal(sharePercent(t.for, t.for + t.against + t.abstain), 60);
    assert.equal(sharePercent(1n, 3n), 33.3);
    assert.equal(sharePercent(0n, 0n), 0, "no votes cast is 0 %, not a division by zero");
  });

  it("counts For and Abstain towards quorum, not Against, and reaches 100 % only at the quorum", () => {
    const quorum = 1_000n * e18;
    assert.equal(quorumPercent(tallyOf([5_000n * e18, 500n * e18, 120n * e18]), quorum), 62);
    assert.equal(quorumPercent(tallyOf([0n, quorum - 1n, 0n]), quorum), 99);
    assert.equal(quorumPercent(tallyOf([0n, quorum / 2n, quorum / 2n]), quorum), 100);
    assert.equal(quorumPercent(tallyOf([0n, 3n * quorum, 0n]), quorum), 300);
  });
});

describe("a proposal's countdown", () => {
  it("counts down to the start of voting, its end, and the timelock's eta, from the chain's time", () => {
    assert.deepEqual(proposalCountdown({ state: "Pending", ...times, now: 900n }), { text: "voting starts in", seconds: 101n });
    assert.deepEqual(proposalCountdown({ state: "Active", ...times, now: 1_200n }), { text: "voting ends in", seconds: 3_401n });
    assert.deepEqual(proposalCountdown({ state: "Queued", ...times, eta: 9_000n, now: 5_400n }), { text: "executable in", seconds: 3_600n });
    assert.deepEqual(proposalCountdown({ state: "Queued", ...times, eta: 9_000n, now: 9_000n }), { text: "executable now" });
    assert.equal(proposalCountdown({ state: "Executed", ...times, now: 99_999n }), undefined);
  });

  it("says the two largest units of time left", () => {
    assert.equal(formatCountdown(2 * 86_400 + 3 * 3_600 + 59), "2 d 3 h");
    assert.equal(formatCountdown(3 * 86_400), "3 d");
    assert.equal(formatCountdown(3_600n), "1 h");
    assert.equal(formatCountdown(3_600 + 5 * 60), "1 h 5 min");
    assert.equal(formatCountdown(150), "2 min");
    assert.equal(formatCountdown(40), "40 s");
    assert.equal(formatCountdown(-5), "0 s");
  });
});

describe("a proposal's timeline", () => {
  const labels = (steps: { label: string; done: boolean }[]) => steps.map((s) => `${s.label}${s.done ? "" : "?"}`);

  it("shows what is still ahead of an active proposal, with the governor's dates", () => {
    const steps = proposalTimeline({ state: "Active", ...times, now: 2_000n }, { createdAt: 970n });
    assert.deepEqual(labels(steps), ["Created", "Voting opened", "Voting ends?", "Queued?", "Executable?", "Executed?"]);
    assert.equal(steps[0].at, 970n);
    assert.equal(steps[2].at, 4_600n);
    assert.equal(steps[4].at, undefined, "no eta before it is queued");
  });

  it("dates every step of an executed proposal from the indexer and the governor", () => {
    const steps = proposalTimeline({ state: "Executed", ...times, eta: 4_800n, now: 5_000n }, { createdAt: 970n, queuedAt: 4_680n, executedAt: 4_900n, extendedAt: 4_500n });
    assert.deepEqual(labels(steps), ["Created", "Voting opened", "Voting extended (quorum reached late)", "Succeeded", "Queued", "Executable", "Executed"]);
    assert.deepEqual(steps.map((s) => s.at), [970n, 1_000n, 4_500n, 4_600n, 4_680n, 4_800n, 4_900n]);
  });

  it("ends a defeated proposal at its deadline and a canceled one at its cancellation", () => {
    assert.deepEqual(labels(proposalTimeline({ state: "Defeated", ...times, now: 5_000n })), ["Created", "Voting opened", "Defeated"]);
    assert.deepEqual(labels(proposalTimeline({ state: "Canceled", ...times, now: 900n }, { canceledAt: 900n })), ["Created", "Canceled"]);
    assert.deepEqual(labels(proposalTimeline({ state: "Canceled", ...times, now: 2_000n }, { canceledAt: 1_500n })), ["Created", "Voting opened", "Canceled"]);
  });

  it("keeps the steps without the indexer, undated where only it knows when they happened", () => {
    const steps = proposalTimeline({ state: "Queued", ...times, eta: 4_800n, now: 4_700n });
    assert.deepEqual(labels(steps), ["Created", "Voting opened", "Succeeded", "Queued", "Executable?", "Executed?"]);
    assert.equal(steps[0].at, undefined);
    assert.equal(steps[3].at, undefined);
    assert.equal(steps[4].at, 4_800n);
  });
});
