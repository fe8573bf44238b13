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
