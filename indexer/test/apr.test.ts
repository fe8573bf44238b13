// The APR the indexer serves, from two rate points.
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { aprOver } from "../src/apr.ts";

const E18 = 10n ** 18n;
const DAY = 86_400n;

describe("APR from the rate history", () => {
  it("annualises the rate's growth over the seconds the points really cover", () => {
    const w = aprOver({ timestamp: 0n, rate: E18 }, { timestamp: 7n * DAY, rate: (E18 * 1001n) / 1000n }, 7);
    assert.ok(Math.abs(w.apr! - (0.001 * 365) / 7) < 1e-12, `got ${w.apr}`);
    assert.equal(w.coveredSeconds, 7 * 86_400);
    assert.equal(w.complete, true);
  });

  it("flags a window shorter than asked for, and still reports what it covers", () => {
    const w = aprOver({ timestamp: 100n, rate: E18 }, { timestamp: 100n + DAY, rate: E18 + E18 / 10_000n }, 30);
    assert.equal(w.complete, false);
    assert.equal(w.coveredSeconds, 86_400);
    assert.ok(Math.abs(w.apr! - 0.0365) < 1e-12, `got ${w.apr}`);
  });

  it("is negative after a slashing lowered the rate", () => {
    const w = aprOver({ timestamp: 0n, rate: E18 }, { timestamp: 365n * DAY, rate: (E18 * 98n) / 100n }, 7);
    assert.ok(Math.abs(w.apr! + 0.02) < 1e-12, `got ${w.apr}`);
  });

  it("has no APR from a single point in time or a zero rate", () => {
    assert.equal(aprOver({ timestamp: 5n, rate: E18 }, { timestamp: 5n, rate: 2n * E18 }, 7).apr, null);
    assert.equal(aprOver({ timestamp: 0n, rate: 0n }, { timestamp: DAY, rate: E18 }, 7).apr, null);
  });
});
