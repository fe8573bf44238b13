"use client";

import { useEffect } from "react";
// `mock` from wagmi itself: the wagmi/connectors entry drags every wallet SDK's connector into the bundle.
import { mock, useAccount, useConnect, useDisconnect } from "wagmi";
import { UnsupportedProviderMethodError } from "viem";
import { deployments } from "../lib/contracts.generated";
import { CHAIN_IDS } from "../../shared/networks";
import { shortAddress } from "../lib/format";

// A production build shows the local wallet nowhere, unless built for the browser tests of the devnet.
const enabled = process.env.NODE_ENV !== "production" || process.env.NEXT_PUBLIC_ENABLE_LOCAL_WALLET === "1";
// The chosen account outlives a page reload, as an extension wallet's connection does.
const STORAGE_KEY = "local-wallet-account";
// The local wallet has no token list: it refuses `wallet_watchAsset` as a wallet without the method does
// (wagmi's mock would otherwise answer true and the app would claim the token was added).
const NO_TOKEN_LIST = new UnsupportedProviderMethodError(new Error("The local devnet wallet keeps no token list."));

/**
 * Devnet only: act as any devnet account without a browser extension. The Hardhat node signs for its
 * unlocked accounts, so this connector forwards transactions to it. Shown only when a local deployment
 * exists, and never in a production build (see `enabled`).
 */
export function LocalWalletPicker() {
  const { connect } = useConnect();
  const { disconnect } = useDisconnect();
  const { address, connector, isConnected } = useAccount();
  const local = deployments[CHAIN_IDS.local]?.accounts;
  const use = (account: `0x${string}` | "") => {
    disconnect();
    localStorage.setItem(STORAGE_KEY, account);
    if (account) connect({ connector: mock({ accounts: [account], features: { reconnect: true, watchAssetError: NO_TOKEN_LIST } }), chainId: CHAIN_IDS.local });
  };
  useEffect(() => {
    const saved = localStorage.getItem(STORAGE_KEY) as `0x${string}` | null;
    if (enabled && local && saved && !isConnected) use(saved);
    // Only on the first render: later choices go through the select.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, []);
  if (!local || !enabled) return null;
  const options: { label: string; address: `0x${string}` }[] = [
    ...local.holders.map((a, i) => ({ label: `Holder ${i + 1}`, address: a })),
    ...local.validators.map((v) => ({ label: `Validator #${v.id} ${v.name}`, address: v.auth })),
    { label: "Operator", address: local.operator },
    { label: "Guardian", address: local.guardian },
  ];
  // wagmi reports a checksummed address; the record may hold it in lower case.
  const current = connector?.id === "mock" ? options.find((o) => o.address.toLowerCase() === address?.toLowerCase())?.address : undefined;
  return (
    <label className="flex items-center gap-2 text-sm">
      <span className="whitespace-nowrap text-slate-600">Local wallet</span>
      <select
        data-testid="local-wallet"
        aria-label="Local wallet (devnet accounts)"
        className="max-w-[14rem] rounded-lg border border-slate-300 bg-white px-2 py-1.5 text-sm"
        value={current ?? ""}
        onChange={(e) => use(e.target.value as `0x${string}` | "")}
      >
        <option value="">— choose an account —</option>
        {options.map((o) => (
          <option key={o.address} value={o.address}>{`${o.label} (${shortAddress(o.address)})`}</option>
        ))}
      </select>
    </label>
  );
}
