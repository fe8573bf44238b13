import { decodeDataUri, parseMetadata } from "./metadata";
import { formatUnits } from "viem";

const number = new Intl.NumberFormat("en-US", { maximumFractionDigits: 4 });
const compact = new Intl.NumberFormat("en-US", { maximumFractionDigits: 2 });

/** Formats a wei amount for people: bigint until here. */
export function formatAmount(wei: bigint | undefined, digits: "full" | "short" = "full"): string {
  if (wei === undefined) return "…";
  const value = Number(formatUnits(wei, 18));
  return (digits === "short" ? compact : number).format(value);
}

const integer = new Intl.NumberFormat("en-US");

/** A count or a gas figure with thousands separators. */
export function formatInteger(n: bigint | number): string {
  return integer.format(n);
}

const compactNumber = new Intl.NumberFormat("en-US", { notation: "compact", maximumFractionDigits: 2 });

/** A plain number (not wei) for an axis: 12345.6 → "12.35K". */
export function formatCompact(v: number): string {
  return compactNumber.format(v);
}

/** A plain number (not wei) with up to four decimals. */
export function formatDecimal(v: number): string {
  return number.format(v);
}

export function formatBps(bps: number | bigint): string {
  return `${(Number(bps) / 100).toFixed(2)} %`;
}

export function shortAddress(a: string): string {
  return `${a.slice(0, 6)}…${a.slice(-4)}`;
}

export function formatDate(seconds: number | bigint): string {
  return new Date(Number(seconds) * 1000).toLocaleString("en-GB", { dateStyle: "medium", timeStyle: "short" });
}

const UNITS = [["day", 86400], ["hour", 3600], ["minute", 60], ["second", 1]] as const;

function largestUnit(seconds: number) {
  return UNITS.find(([, size]) => seconds >= size && seconds % size === 0) ?? UNITS.find(([, size]) => seconds >= size) ?? UNITS[3];
}

/** A duration as an adjective: 604800 → "7-day", 5400 → "90-minute". */
export function formatPeriodAdjective(seconds: number | bigint): string {
  const s = Number(seconds);
  const [unit, size] = largestUnit(s);
  return `${Math.round(s / size)}-${unit}`;
}

/** A duration in words, in hours below two days: 86400 → "24 hours", 604800 → "7 days". */
export function formatDuration(seconds: number | bigint): string {
  const s = Number(seconds);
  const [unit, size] = s < 2 * 86400 && s >= 3600 ? UNITS[1] : largestUnit(s);
  const n = Math.round(s / size);
  return `${n} ${unit}${n === 1 ? "" : "s"}`;
}

/** Reads a validator's display name from its metadata (a data: URI with JSON, or any URL). */
export function validatorName(id: bigint | number, metadataURI?: string): string {
  return (metadataURI?.startsWith("data:") && parseMetadata(decodeDataUri(metadataURI)).name) || `Validator #${id}`;
}

const percent = new Intl.NumberFormat("en-US", { minimumFractionDigits: 2, maximumFractionDigits: 2 });

/** A fraction as a percentage with two decimals and thousands separators: 128.07 → "12,807.00 %". */
export function formatPercent(fraction: number): string {
  return `${percent.format(fraction * 100)} %`;
}

/**
 * How much time a span of history covers, rounded down so that it never claims more: "6 days", "2 hours",
 * "45 minutes", "30 seconds" (the largest unit of which there are at least two, or one below two minutes).
 */
export function formatSpan(seconds: number): string {
  const s = Math.max(0, Math.floor(seconds));
  const [unit, size] = UNITS.find(([, size]) => s >= 2 * size) ?? UNITS.find(([, size]) => s >= size) ?? UNITS[3];
  const n = Math.floor(s / size);
  return `${n} ${unit}${n === 1 ? "" : "s"}`;
}

/** The protocol fee as the app states it: 1000 bps → "10 %". */
export function formatFee(bps: number | bigint): string {
  return `${Number(bps) / 100} %`;
}

/** A fraction with 18 decimals (1e18 = 100 %) as a percentage. */
export function formatRatio(ratio: bigint): string {
  return `${Number((ratio * 10_000n) / 10n ** 18n) / 100} %`;
}

/** Time left, for countdowns, in its two largest units: 183600 → "2 d 3 h", 3600 → "1 h", 150 → "2 min", 40 → "40 s". */
export function formatCountdown(seconds: number | bigint): string {
  const s = Math.max(0, Math.floor(Number(seconds)));
  const d = Math.floor(s / 86400);
  const h = Math.floor((s % 86400) / 3600);
  const m = Math.floor((s % 3600) / 60);
  if (d > 0) return h > 0 ? `${d} d ${h} h` : `${d} d`;
  if (h > 0) return m > 0 ? `${h} h ${m} min` : `${h} h`;
  if (m > 0) return `${m} min`;
  return `${s} s`;
}
