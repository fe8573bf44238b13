// The holder's screens, their pure parts: the amount rules of every money form (app/lib/amounts.ts), the
// stake and unstake previews (app/lib/preview.ts), what the app says after asking a wallet to list a token
// (app/lib/watchAsset.ts), the holder's history rows (app/lib/accountTimeline.ts) and the APR's caveat
// (app/lib/apr.ts).
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { parseEther, UnsupportedProviderMethodError, UserRejectedRequestError } from "viem";
import { amountError, gasReserveWarning, parseAmount } from "../../app/lib/amounts.js";
import { formatGasCost, payoutOf, stakePreview, wrappedValue } from "../../app/lib/preview.js";
import { watchAssetMessage } from "../../app/lib/watchAsset.js";
import { accountTimeline } from "../../app/lib/accountTimeline.js";
import { aprCaveat } from "../../app/lib/apr.js";
import { formatPercent, formatSpan } from "../../app/lib/format.js";
import type { AccountHistory } from "../../app/lib/history.js";

const error = (text: string) => {
  const r = parseAmount(text, "S");
  return "error" in r ? r.error : undefined;
};

describe("amounts typed into a money form", () => {
  it("reads digits with at most one point and at most 18 decimals as wei", () => {
    assert.deepEqual(parseAmount("1.5", "S"), { wei: parseEther("1.5") });
    assert.deepEqual(parseAmount(" .5 ", "S"), { wei: parseEther("0.5") });
    assert.deepEqual(parseAmount("2.", "S"), { wei: parseEther("2") });
    assert.deepEqual(parseAmount("0.000000000000000001", "S"), { wei: 1n });
  });

  it("says what to fix for each kind of bad input", () => {
    assert.equal(error(""), "Enter an amount of S.");
    assert.equal(error("-1"), "Enter an amount above zero, without a minus sign.");
    assert.equal(error("0"), "Enter an amount above zero.");
    assert.equal(error("0.000"), "Enter an amount above zero.");
    assert.equal(error("1,5"), "Use a point for decimals, as in 1.5.");
    assert.equal(error("abc"), "Enter a number such as 1.5: digits and at most one decimal point.");
    assert.equal(error("1.2.3"), "Enter a number such as 1.5: digits and at most one decimal point.");
    assert.equal(error("1e18"), "Enter a number such as 1.5: digits and at most one decimal point.");
    assert.equal(error("."), "Enter a number such as 1.5: digits and at most one decimal point.");
    assert.equal(error("0.0000000000000000001"), "S has 18 decimal places: use at most 18 digits after the point.");
  });

  it("refuses less than the minimum unless it is the whole balance, and more than the balance", () => {
    const rules = { unit: "stS", min: parseEther("0.01"), max: parseEther("0.005"), wholeBalance: parseEther("0.005"), minMessage: "Too little." };
    assert.equal(amountError("0.001", rules), "Too little.");
    assert.equal(amountError("0.005", rules), undefined);
    assert.equal(amountError("0.006", rules), "Too little.");
    assert.equal(amountError("2", { unit: "stS", max: parseEther("1.25") }), "You have 1.25 stS: enter at most that.");
    assert.equal(amountError("0.001", { unit: "S", min: parseEther("0.01") }), "The minimum is 0.01 S: enter at least that much.");
    assert.equal(amountError("abc", rules), "Enter a number such as 1.5: digits and at most one decimal point.");
  });

  it("warns, without refusing, when a stake leaves less than the gas reserve", () => {
    const reserve = parseEther("0.01");
    assert.equal(gasReserveWarning(parseEther("5"), parseEther("10"), reserve, "S"), undefined);
    assert.equal(gasReserveWarning(parseEther("9.99"), parseEther("10"), reserve, "S"), undefined);
    assert.equal(
      gasReserveWarning(parseEther("10"), parseEther("10"), reserve, "S"),
      "This leaves less than 0.01 S for gas, so this or your next transaction may fail: stake at most 9.99 S (Max does).",
    );
    assert.equal(gasReserveWarning(parseEther("0.005"), parseEther("0.008"), reserve, "S"), "This leaves less than 0.01 S for gas, so this or your next transaction may fail.");
    assert.equal(gasReserveWarning(parseEther("11"), parseEther("10"), reserve, "S"), undefined, "more than the balance is the form's refusal, not a warning");
    assert.equal(gasReserveWarning(parseEther("1"), undefined, reserve, "S"), undefined);
  });
});

describe("previews under the stake and unstake forms", () => {
  it("prices a stake at the pool's rate, rounded down as the pool rounds", () => {
    const rate = parseEther("1.25"); // 1.25 S per share
    assert.deepEqual(stakePreview(parseEther("100"), rate), { shares: parseEther("80"), staked: parseEther("100") });
    const odd = stakePreview(10n, 3n * 10n ** 18n);
    assert.deepEqual(odd, { shares: 3n, staked: 9n });
    assert.equal(wrappedValue(parseEther("80"), rate), parseEther("100"));
  });

  it("pays by the next round when idle liquidity covers the amount, else by the latest payout date", () => {
    assert.deepEqual(payoutOf(parseEther("5"), parseEther("5"), 1_000n), { nextRound: true });
    assert.deepEqual(payoutOf(parseEther("5"), parseEther("4"), 1_000n), { by: 1_000n });
    assert.equal(payoutOf(parseEther("5"), undefined, 1_000n), undefined);
    assert.equal(payoutOf(parseEther("5"), 0n, undefined), undefined);
  });

  it("shows a gas cost with two significant digits", () => {
    assert.equal(formatGasCost(145_000_000_000_000n, "S"), "≈ 0.00015 S");
    assert.equal(formatGasCost(parseEther("0.0001"), "FTM"), "≈ 0.0001 FTM");
  });
});

describe("adding a token to the wallet", () => {
  const address = "0x00000000000000000000000000000000000000aa";
  it("says what happened, and how to add the token by hand when the wallet did not", () => {
    assert.equal(watchAssetMessage({ result: true }, "stS", address), "Your wallet now lists stS.");
    assert.equal(watchAssetMessage({ result: false }, "stS", address), `Your wallet did not add stS; add ${address} by hand (18 decimals).`);
    assert.equal(
      watchAssetMessage({ error: new UserRejectedRequestError(new Error("no")) }, "wstS", address),
      `You declined adding wstS; add ${address} by hand (18 decimals) whenever you like.`,
    );
    const unsupported = `This wallet cannot add tokens; add ${address} by hand (wstS, 18 decimals).`;
    assert.equal(watchAssetMessage({ error: new UnsupportedProviderMethodError(new Error("no")) }, "wstS", address), unsupported);
    assert.equal(watchAssetMessage({ error: Object.assign(new Error("Method not found"), { code: -32601 }) }, "wstS", address), unsupported);
    assert.equal(watchAssetMessage({ error: "anything" }, "wstS", address), unsupported);
  });
});

describe("the holder's history", () => {
  const me = "0x1111111111111111111111111111111111111111";
  const friend = "0x2222222222222222222222222222222222222222";
  const zero = "0x0000000000000000000000000000000000000000";
  const history: AccountHistory = {
    stakes: [
      { sender: me, receiver: me, amount: "100", shares: "90", timestamp: "10", txHash: "0xa1" },
      { sender: friend, receiver: me, amount: "7", shares: "6", timestamp: "11", txHash: "0xa2" },
    ],
    withdrawals: [
      { id: "1", requester: me, owner: friend, amount: "30", status: "pending", requestedAt: "20", requestTx: "0xb1", finalisedAmount: null, claimedAt: null },
      { id: "2", requester: friend, owner: me, amount: "5", status: "claimed", requestedAt: "21", requestTx: "0xb2", finalisedAmount: "5", claimedAt: "40" },
    ],
    receiptTransfers: [
      { requestId: "1", from: zero, to: me, timestamp: "20", txHash: "0xb1" },
      { requestId: "1", from: me, to: friend, timestamp: "30", txHash: "0xc1" },
      { requestId: "2", from: friend, to: me, timestamp: "31", txHash: "0xc2" },
      { requestId: "2", from: me, to: zero, timestamp: "40", txHash: "0xd1" },
    ],
    claims: [{ requestId: "2", owner: me, recipient: me, amount: "5", timestamp: "40", txHash: "0xd1" }],
    tokenTransfers: [],
    wraps: [{ kind: "wrap", stAmount: "4", wstAmount: "3", timestamp: "12", txHash: "0xe1" }],
    delegatee: null,
  };

  it("lists stakes, requests, receipts in and out, claims and wraps, newest first, without mints and burns", () => {
    const rows = accountTimeline(history, me.toUpperCase().replace("0X", "0x"));
    assert.deepEqual(rows.map((r) => [r.kind, r.requestId, r.amount, r.timestamp]), [
      ["claim", 2n, 5n, 40n],
      ["receipt-in", 2n, 5n, 31n],
      ["receipt-out", 1n, 30n, 30n],
      ["request", 1n, 30n, 20n],
      ["wrap", undefined, 4n, 12n],
      ["stake", undefined, 7n, 11n],
      ["stake", undefined, 100n, 10n],
    ]);
    assert.deepEqual(rows[1].counterparty, { role: "from", address: friend });
    assert.deepEqual(rows[2].counterparty, { role: "to", address: friend });
    assert.deepEqual(rows[5].counterparty, { role: "by", address: friend });
    assert.equal(rows[6].counterparty, undefined);
    assert.equal(rows[4].wrapped, 3n);
    assert.equal(rows[4].token, "staked");
    assert.equal(rows[3].txHash, "0xb1");
  });
});

describe("the APR's windows", () => {
  it("warns when the history is shorter than the window, and says how short, rounded down", () => {
    assert.equal(aprCaveat({ apr: 128.07, coveredSeconds: 7_300, complete: false }), "Only 2 hours of history: too short to mean anything.");
    assert.equal(aprCaveat({ apr: 0.05, coveredSeconds: 6 * 86_400 + 80_000, complete: false }), "Only 6 days of history: too short to mean anything.");
    assert.equal(aprCaveat({ apr: null, coveredSeconds: 0, complete: false }), "No rate history yet: the APR needs the rate at two different times.");
    assert.equal(aprCaveat({ apr: 0.0421, coveredSeconds: 7 * 86_400, complete: true }), undefined);
  });

  it("formats spans and percentages as the overview shows them", () => {
    assert.equal(formatSpan(90), "90 seconds");
    assert.equal(formatSpan(1), "1 second");
    assert.equal(formatSpan(5_000), "83 minutes");
    assert.equal(formatSpan(172_800), "2 days");
    assert.equal(formatPercent(128.07), "12,807.00 %");
    assert.equal(formatPercent(0.0421), "4.21 %");
  });
});
