// What to tell the holder after asking the wallet to list a token (EIP-747 `wallet_watchAsset`). Wallets
// answer true, false, a refusal by the user, or an error because they do not know the method at all.

/** The numeric `code` of an RPC error or of any error it wraps (viem keeps the original as `cause`). */
function codesOf(error: unknown): number[] {
  const codes: number[] = [];
  for (let e = error as { code?: unknown; cause?: unknown } | undefined, depth = 0; e && depth < 5; e = e.cause as typeof e, depth++) {
    if (typeof e.code === "number") codes.push(e.code);
  }
  return codes;
}

const USER_REJECTED = 4001;

/** One sentence about the outcome: `result` is the wallet's answer, `error` what it threw instead. */
export function watchAssetMessage(outcome: { result: boolean } | { error: unknown }, symbol: string, address: string): string {
  if ("result" in outcome) {
    return outcome.result ? `Your wallet now lists ${symbol}.` : `Your wallet did not add ${symbol}; add ${address} by hand (18 decimals).`;
  }
  if (codesOf(outcome.error).includes(USER_REJECTED)) return `You declined adding ${symbol}; add ${address} by hand (18 decimals) whenever you like.`;
  return `This wallet cannot add tokens; add ${address} by hand (${symbol}, 18 decimals).`;
}
