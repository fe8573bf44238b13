// Amounts as the money forms read them: typed text becomes wei (18 decimals), or a sentence that says what
// to fix. Pure functions, so the forms and the tests apply the same rules before any wallet opens.
import { formatEther, parseEther } from "viem";

const DECIMALS = 18;

/** The typed text as wei, or what to change in it. */
export function parseAmount(text: string, unit: string): { wei: bigint } | { error: string } {
  const t = text.trim();
  if (t === "") return { error: `Enter an amount of ${unit}.` };
  if (t.startsWith("-")) return { error: "Enter an amount above zero, without a minus sign." };
  if (/^\d*,\d+$/.test(t)) return { error: `Use a point for decimals, as in ${t.replace(",", ".")}.` };
  const m = /^(\d*)(?:\.(\d*))?$/.exec(t);
  if (!m || (m[1] === "" && !m[2])) return { error: "Enter a number such as 1.5: digits and at most one decimal point." };
  const fraction = m[2] ?? "";
  if (fraction.length > DECIMALS) return { error: `${unit} has ${DECIMALS} decimal places: use at most ${DECIMALS} digits after the point.` };
  const wei = parseEther(`${m[1] || "0"}.${fraction || "0"}`);
  if (wei === 0n) return { error: "Enter an amount above zero." };
  return { wei };
}

export type AmountRules = {
  unit: string;
  /** The smallest amount allowed, unless the amount is exactly `wholeBalance` (a holder may always leave entirely). */
  min?: bigint;
  minMessage?: string;
  wholeBalance?: bigint;
  /** The most the holder has. */
  max?: bigint;
};

/** The first rule the typed amount breaks, as one sentence; undefined when it may be sent. */
export function amountError(text: string, rules: AmountRules): string | undefined {
  const parsed = parseAmount(text, rules.unit);
  if ("error" in parsed) return parsed.error;
  const { wei } = parsed;
  if (rules.min !== undefined && wei < rules.min && wei !== rules.wholeBalance) {
    return rules.minMessage ?? `The minimum is ${formatEther(rules.min)} ${rules.unit}: enter at least that much.`;
  }
  if (rules.max !== undefined && wei > rules.max) return `You have ${formatEther(rules.max)} ${rules.unit}: enter at most that.`;
  return undefined;
}

/**
 * A warning (not a refusal) when staking `wei` of a native `balance` leaves less than `reserve` for gas: the
 * stake itself, or the holder's next transaction, may then fail for want of gas.
 */
export function gasReserveWarning(wei: bigint, balance: bigint | undefined, reserve: bigint, unit: string): string | undefined {
  if (balance === undefined || wei > balance || balance - wei >= reserve) return undefined;
  const left = `This leaves less than ${formatEther(reserve)} ${unit} for gas, so this or your next transaction may fail`;
  return balance > reserve ? `${left}: stake at most ${formatEther(balance - reserve)} ${unit} (Max does).` : `${left}.`;
}
