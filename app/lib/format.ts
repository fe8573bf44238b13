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

/** Reads a validator's display name from its metadata (a data: URI with JSON, or any URL). */
export function validatorName(id: bigint | number, metadataURI?: string): string {
  if (metadataURI?.startsWith("data:application/json,")) {
    try {
      const meta = JSON.parse(decodeURIComponent(metadataURI.slice("data:application/json,".length)));
      if (typeof meta.name === "string") return meta.name;
    } catch {}
  }
  return `Validator #${id}`;
}
