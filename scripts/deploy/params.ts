import { readFileSync } from "node:fs";
import { getAddress, isAddress, parseEther, type Address } from "viem";
import { MAINNET_CHAIN_IDS, SFC_ADDRESS } from "../../shared/networks.js";
import { SFC_LAYOUTS, type SfcLayout } from "../../shared/sfc.js";

/** Everything a deployment needs, per network. Amounts are FTM wei; durations are seconds. */
export interface DeployParams {
  sfc: Address;
  sfcLayout: SfcLayout;
  feeBps: number;
  treasury: Address;
  guardian: Address;
  operators: Address[];
  deadSharesDeposit: bigint;
  keeperGracePeriod: number;
  rebalanceThresholdBps: number;
  maxUndelegatePerRound: bigint;
  governance: {
    votingDelay: number;
    votingPeriod: number;
    proposalThreshold: bigint;
    quorumPercent: number;
    lateQuorumExtension: number;
    timelockDelay: number;
  };
}

const TWO_DAYS = 2 * 24 * 3600;

class ParamsError extends Error {}

function need<T>(value: T | undefined, field: string): T {
  if (value === undefined || value === null || value === "") {
    throw new ParamsError(`parameter "${field}" is missing`);
  }
  return value;
}

function address(value: unknown, field: string): Address {
  if (typeof value !== "string" || !isAddress(value)) {
    throw new ParamsError(`parameter "${field}" must be an address (0x followed by 40 hex digits), got ${JSON.stringify(value)}`);
  }
  return getAddress(value);
}

function integer(value: unknown, field: string, min: number, max: number): number {
  if (typeof value !== "number" || !Number.isInteger(value) || value < min || value > max) {
    throw new ParamsError(`parameter "${field}" must be a whole number from ${min} to ${max}, got ${JSON.stringify(value)}`);
  }
  return value;
}

function ftm(value: unknown, field: string): bigint {
  if (typeof value !== "string" || !/^\d+(\.\d+)?$/.test(value)) {
    throw new ParamsError(`parameter "${field}" must be an FTM amount written as a string such as "1.5", got ${JSON.stringify(value)}`);
  }
  return parseEther(value);
}

/**
 * Checks and converts a parameters object (as written in `scripts/deploy/params/<network>.json`).
 * Every problem is reported with the field to fix; mainnets must use a timelock delay of at least two days.
 */
export function parseParams(raw: Record<string, any>, chainId: number): DeployParams {
  const gov = need(raw.governance, "governance") as Record<string, unknown>;
  const layout = need(raw.sfcLayout, "sfcLayout");
  if (!SFC_LAYOUTS.includes(layout)) {
    throw new ParamsError(`parameter "sfcLayout" must be "opera" (SFC 3.x) or "sonic" (SFC 4.x), got ${JSON.stringify(layout)}`);
  }
  const operators = need(raw.operators, "operators");
  if (!Array.isArray(operators) || operators.length === 0) {
    throw new ParamsError(`parameter "operators" must list at least one operator address`);
  }
  const params: DeployParams = {
    sfc: address(raw.sfc ?? SFC_ADDRESS, "sfc"),
    sfcLayout: layout,
    feeBps: integer(need(raw.feeBps, "feeBps"), "feeBps", 0, 2000),
    treasury: address(need(raw.treasury, "treasury"), "treasury"),
    guardian: address(need(raw.guardian, "guardian"), "guardian"),
    operators: operators.map((o: unknown, i: number) => address(o, `operators[${i}]`)),
    deadSharesDeposit: ftm(raw.deadSharesDeposit ?? "1", "deadSharesDeposit"),
    keeperGracePeriod: integer(raw.keeperGracePeriod ?? 86400, "keeperGracePeriod", 0, 30 * 86400),
    rebalanceThresholdBps: integer(raw.rebalanceThresholdBps ?? 50, "rebalanceThresholdBps", 0, 10000),
    maxUndelegatePerRound: ftm(raw.maxUndelegatePerRound ?? "100000000", "maxUndelegatePerRound"),
    governance: {
      votingDelay: integer(need(gov.votingDelay, "governance.votingDelay"), "governance.votingDelay", 0, 2 ** 47),
      votingPeriod: integer(need(gov.votingPeriod, "governance.votingPeriod"), "governance.votingPeriod", 1, 2 ** 31),
      proposalThreshold: ftm(need(gov.proposalThreshold, "governance.proposalThreshold"), "governance.proposalThreshold"),
      quorumPercent: integer(need(gov.quorumPercent, "governance.quorumPercent"), "governance.quorumPercent", 1, 100),
      lateQuorumExtension: integer(need(gov.lateQuorumExtension, "governance.lateQuorumExtension"), "governance.lateQuorumExtension", 0, 2 ** 47),
      timelockDelay: integer(need(gov.timelockDelay, "governance.timelockDelay"), "governance.timelockDelay", 0, 365 * 86400),
    },
  };
  if (params.deadSharesDeposit < parseEther("1")) {
    throw new ParamsError(`parameter "deadSharesDeposit" must be at least "1" FTM (it protects the first depositor)`);
  }
  if (MAINNET_CHAIN_IDS.includes(chainId) && params.governance.timelockDelay < TWO_DAYS) {
    throw new ParamsError(`parameter "governance.timelockDelay" must be at least ${TWO_DAYS} seconds (2 days) on chain ${chainId}`);
  }
  return params;
}

/** A parameters file as JSON; the error names the file. */
export function readParamsFile(file: string): Record<string, unknown> {
  try {
    return JSON.parse(readFileSync(file, "utf8"));
  } catch (e) {
    throw new Error(`cannot read parameters file ${file}: ${(e as Error).message}`);
  }
}

/** Reads and checks a parameters file; the error names the file and the field to fix. */
export function loadParams(file: string, chainId: number): DeployParams {
  const raw = readParamsFile(file);
  try {
    return parseParams(raw, chainId);
  } catch (e) {
    if (e instanceof ParamsError) throw new Error(`${file}: ${e.message}`);
    throw e;
  }
}
