import { SFC_STATUS } from "../../shared/sfc";

// Kept apart from format.ts, which every page loads: shared/sfc brings the generated protocol file with it,
// which only the validator pages need.

/** The SFC's status bits of a validator (and whether it is slashed) in words. */
export function formatSfcStatus(status: bigint, slashed: boolean): string {
  if (slashed) return "Slashed";
  if (status === SFC_STATUS.OK) return "OK";
  const parts = [];
  if (status & SFC_STATUS.WITHDRAWN) parts.push("Withdrawn");
  if (status & SFC_STATUS.OFFLINE) parts.push("Offline");
  if (status & SFC_STATUS.OFFLINE_AVG) parts.push("Offline (average)");
  return parts.join(", ") || `Status ${status}`;
}
