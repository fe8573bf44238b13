// The keeper's part of a network's deployment parameters (`scripts/deploy/params/<network>.json`).
import { readParamsFile } from "../scripts/deploy/params.js";

export interface KeeperParams {
  /** Seconds between scheduled keeper rounds. */
  keeperIntervalSeconds: number;
}

/** Checks the keeper's fields of a parameters object; the other fields are the deployment's business. */
export function parseKeeperParams(raw: Record<string, unknown>): KeeperParams {
  const v = raw.keeperIntervalSeconds;
  if (typeof v !== "number" || !Number.isInteger(v) || v < 1 || v > 30 * 86400) {
    throw new Error(`parameter "keeperIntervalSeconds" must be a whole number of seconds from 1 to ${30 * 86400}, got ${JSON.stringify(v)}`);
  }
  return { keeperIntervalSeconds: v };
}

export function loadKeeperParams(file: string): KeeperParams {
  const raw = readParamsFile(file);
  try {
    return parseKeeperParams(raw);
  } catch (e) {
    throw new Error(`${file}: ${(e as Error).message}`);
  }
}
