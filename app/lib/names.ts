"use client";

import { supportedChains } from "./chains";
import { deployments } from "./contracts.generated";
import { useDeployment } from "./hooks";

/**
 * What the connected chain calls its money and the pool's tokens: S / stS / wstS on Sonic, FTM / stFTM /
 * wstFTM on Opera. Every user-facing name in the app comes from here, so no screen mixes the two.
 */
export type Names = {
  /** The native currency's symbol, from the chain's config. */
  native: string;
  /** The staked (rebasing) token's symbol and name, from the deployment record. */
  staked: string;
  stakedName: string;
  /** The wrapped (voting) token's symbol and name, from the deployment record. */
  wrapped: string;
  wrappedName: string;
};

/** The names for `chainId`; a chain without a deployment gets the token names its currency implies. */
export function namesFor(chainId: number | undefined): Names {
  const chain = supportedChains.find((c) => c.id === chainId) ?? supportedChains[0];
  const native = chain.nativeCurrency.symbol;
  const d = chainId !== undefined ? deployments[chainId] : undefined;
  return {
    native,
    staked: d?.names.stakedToken.symbol ?? `st${native}`,
    stakedName: d?.names.stakedToken.name ?? `Staked ${native}`,
    wrapped: d?.names.wrappedToken.symbol ?? `wst${native}`,
    wrappedName: d?.names.wrappedToken.name ?? `Wrapped Staked ${native}`,
  };
}

/** The names of the chain the app is reading (the wallet's, or the default one before a wallet connects). */
export function useNames(): Names {
  const { chainId } = useDeployment();
  return namesFor(chainId);
}
