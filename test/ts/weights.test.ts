// The proposal editor's weight rules (app/lib/weights.ts): what a person sets stays as set, the rest is
// spread within the cap, and typed text is read or refused with a reason.
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { FULL_WEIGHT, equalWeights, parsePercent, spreadRest } from "../../app/lib/weights.js";

const total = (m: Map<string, number>) => [...m.values()].reduce((s, w) => s + w, 0);

describe("proposal editor weights", () => {
  it("keeps a pinned weight exactly and spreads the rest over the others by their weights", () => {
    const ids = ["1", "2", "3"];
    const out = spreadRest(ids, new Map([["1", 2000], ["2", 3000], ["3", 3000]]), new Set(["1"]), 5000);
    assert.deepEqual([...out], [["1", 2000], ["2", 4000], ["3", 4000]]);
  });

  it("gives an included applicant 0 % and leaves every earlier edit alone", () => {
    const ids = ["1", "2", "3", "9"];
    const weights = new Map([["1", 2500], ["2", 2500], ["3", 5000], ["9", 0]]);
    const out = spreadRest(ids, weights, new Set(["1", "3"]), 5000);
    assert.equal(out.get("1"), 2500);
    assert.equal(out.get("3"), 5000);
    assert.equal(out.get("2"), 2500);
    assert.equal(out.get("9"), 0);
  });

  it("never lets a spread weight pass the cap, and says so by the total when the others cannot take the rest", () => {
    const ids = ["1", "2", "3"];
    const out = spreadRest(ids, new Map([["1", 1000], ["2", 9000], ["3", 0]]), new Set(["1"]), 2500);
    assert.equal(out.get("2"), 2500);
    assert.equal(out.get("3"), 2500);
    assert.equal(total(out), 6000); // 1,000 pinned + two at the 2,500 cap: 100 % cannot be reached
  });

  it("holds its rules for any weights, pins and cap (random cases)", () => {
    let seed = 12345;
    const rand = (n: number) => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) % n);
    for (let run = 0; run < 2000; run++) {
      const n = 1 + rand(12);
      const ids = Array.from({ length: n }, (_, i) => String(i + 1));
      const cap = 500 + rand(FULL_WEIGHT - 499);
      const weights = new Map(ids.map((id) => [id, rand(cap + 1)]));
      const pinned = new Set(ids.filter(() => rand(3) === 0));
      const out = spreadRest(ids, weights, pinned, cap);
      let pinnedSum = 0;
      for (const id of ids) {
        if (pinned.has(id)) {
          assert.equal(out.get(id), weights.get(id), "a pinned weight is changed");
          pinnedSum += weights.get(id)!;
        } else assert.ok(out.get(id)! <= cap, "a spread weight passes the cap");
      }
      const free = n - pinned.size;
      const reachable = pinnedSum <= FULL_WEIGHT && FULL_WEIGHT - pinnedSum <= free * cap;
      if (reachable && free > 0) assert.equal(total(out), FULL_WEIGHT, `100 % was reachable: ${JSON.stringify([...weights])} pins ${[...pinned]} cap ${cap}`);
      else if (pinnedSum <= FULL_WEIGHT) assert.ok(total(out) <= FULL_WEIGHT);
    }
  });

  it("equal weights always sum to 100 %", () => {
    for (let n = 1; n <= 50; n++) assert.equal(equalWeights(n).reduce((s, w) => s + w, 0), FULL_WEIGHT);
  });

  it("reads typed percentages as typed, and refuses what is not one with a reason", () => {
    assert.deepEqual(parsePercent("25", 2500), { bps: 2500 });
    assert.deepEqual(parsePercent("12.5", 2500), { bps: 1250 });
    assert.deepEqual(parsePercent(" 12,75 ", 2500), { bps: 1275 });
    assert.deepEqual(parsePercent("2.", 2500), { bps: 200 }); // half-typed "2.5" is still 2 % meanwhile
    assert.match((parsePercent("25.01", 2500) as { error: string }).error, /at most 25.00 %/);
    assert.match((parsePercent("1.234", 2500) as { error: string }).error, /two decimals/);
    assert.match((parsePercent("-3", 2500) as { error: string }).error, /not a percentage/);
    assert.match((parsePercent("abc", 2500) as { error: string }).error, /not a percentage/);
    assert.match((parsePercent("", 2500) as { error: string }).error, /type a percentage/);
  });
});
