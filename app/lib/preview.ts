// What a stake or a withdrawal request would give, shown under the forms before anything is sent. Pure
// functions of figures the page already reads (the pool's rate, the idle liquidity, the withdrawal terms).
import { formatEther } from "viem";

const ONE = 10n ** 18n;

/**
 * What staking `amount` (native wei) gives at `rate` (native wei per 1e18 shares, `getRate()`): the shares
 * minted, which are also the wrapped tokens `stakeAndWrap` gives, and the staked token's balance they make.
 * Both rounded down, as the pool rounds.
 */
export function stakePreview(amount: bigint, rate: bigint) {
  const shares = rate === 0n ? amount : (amount * ONE) / rate;
  return { shares, staked: (shares * rate) / ONE };
}

/** The native value (wei) of `wrapped` wrapped tokens, each worth `perToken` (`stFTMPerToken()`). */
export function wrappedValue(wrapped: bigint, perToken: bigint) {
  return (wrapped * perToken) / ONE;
}

/**
 * When a withdrawal of `amount` (native wei) requested now is paid: by the next keeper round when the idle
 * liquidity not owed to earlier requests covers it, else at the latest by `latestPayout` (the withdrawal
 * period plus the keeper grace period). Undefined while the figures load.
 */
export function payoutOf(amount: bigint, freeIdle: bigint | undefined, latestPayout: bigint | undefined): { nextRound: true } | { by: bigint } | undefined {
  if (freeIdle !== undefined && freeIdle >= amount) return { nextRound: true };
  return latestPayout !== undefined && freeIdle !== undefined ? { by: latestPayout } : undefined;
}

const significant = new Intl.NumberFormat("en-US", { maximumSignificantDigits: 2 });

/** A gas cost in native wei as "≈ 0.00015 S": two significant digits, as small as it is. */
export function formatGasCost(wei: bigint, unit: string): string {
  return `≈ ${significant.format(Number(formatEther(wei)))} ${unit}`;
}
