// What the SFC reports that the pool's books or the registry do not reflect yet: pure decisions over one
// observation per validator. The two `getValidator` layouts are read by shared/sfc.ts.
import { ValidatorRegistryState } from "../shared/protocol.generated.js";
import { SFC_STATUS } from "../shared/sfc.js";

/** The pool's book at one validator (`StakingPool.bookOf`). */
export interface Book {
  stakeRaw: bigint;
  unbondingRaw: bigint;
  slashed: boolean;
  refundRatio: bigint;
}

export interface ValidatorObservation {
  id: bigint;
  book: Book;
  sfcSlashed: boolean;
  /** `slashingRefundRatio(id)`, read only when slashed (0 otherwise). */
  sfcRefundRatio: bigint;
  /** SFC status bits (`SFC_STATUS` of shared/sfc.ts). */
  status: bigint;
  deactivatedTime: bigint;
  deactivatedEpoch: bigint;
  /** The registry's state when the validator is in the set; undefined when it is not. */
  registryState?: number;
}

const FULL_REFUND = 10n ** 18n;

/** The pool has stake or unbonding at this validator. */
export const hasPosition = (b: Book) => b.stakeRaw > 0n || b.unbondingRaw > 0n;

/**
 * Validators whose slashing `bookSlashing` would book now: the pool has a position there, the SFC reports
 * the validator slashed, and the book is not yet marked slashed at the SFC's refund ratio (capped at a full
 * refund, as the pool caps it).
 */
export function slashingsToBook(obs: readonly ValidatorObservation[]): bigint[] {
  return obs
    .filter((o) => hasPosition(o.book) && o.sfcSlashed)
    .filter((o) => {
      const ratio = o.sfcRefundRatio > FULL_REFUND ? FULL_REFUND : o.sfcRefundRatio;
      return !o.book.slashed || o.book.refundRatio !== ratio;
    })
    .map((o) => o.id);
}

/**
 * Set members whose registry state disagrees with the SFC, which `registry.sync(id)` would change: an
 * Active (or Applied) validator that is deactivated or slashed becomes Ineligible, an Ineligible one that
 * recovered comes back.
 */
export function syncsNeeded(obs: readonly ValidatorObservation[]): bigint[] {
  return obs
    .filter((o) => {
      if (o.registryState === undefined) return false;
      const healthy = o.status === SFC_STATUS.OK && !o.sfcSlashed;
      if (o.registryState === ValidatorRegistryState.Active || o.registryState === ValidatorRegistryState.Applied) return !healthy;
      return o.registryState === ValidatorRegistryState.Ineligible && healthy;
    })
    .map((o) => o.id);
}

/** The SFC functions the keeper reads (the same on Opera and Sonic; `getValidator` as seven raw words). */
export const sfcReadAbi = [
  { type: "function", name: "isSlashed", stateMutability: "view", inputs: [{ name: "id", type: "uint256" }], outputs: [{ type: "bool" }] },
  { type: "function", name: "slashingRefundRatio", stateMutability: "view", inputs: [{ name: "id", type: "uint256" }], outputs: [{ type: "uint256" }] },
  {
    type: "function",
    name: "getValidator",
    stateMutability: "view",
    inputs: [{ name: "id", type: "uint256" }],
    outputs: Array.from({ length: 7 }, () => ({ type: "uint256" })),
  },
  { type: "function", name: "currentEpoch", stateMutability: "view", inputs: [], outputs: [{ type: "uint256" }] },
  { type: "function", name: "constsAddress", stateMutability: "view", inputs: [], outputs: [{ type: "address" }] },
] as const;

export const sfcConstsAbi = [
  { type: "function", name: "withdrawalPeriodEpochs", stateMutability: "view", inputs: [], outputs: [{ type: "uint256" }] },
  { type: "function", name: "withdrawalPeriodTime", stateMutability: "view", inputs: [], outputs: [{ type: "uint256" }] },
] as const;
