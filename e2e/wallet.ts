import type { Address } from "viem";

/** What the test wallet was asked to list with `wallet_watchAsset` (EIP-747), in the page's window. */
export type WatchedAssets = { type: string; options: { address: string; symbol: string; decimals: number } }[];

/**
 * A browser wallet (EIP-1193), installed with `page.addInitScript(injectWallet, …)`: it starts on `chainId`
 * (Fantom Opera, 0xfa, unless told otherwise), forwards reads and unlocked-account transactions to the devnet
 * and switches chains when the app asks. With `listsTokens` it accepts `wallet_watchAsset` and keeps each
 * request in `window.watchedAssets`; without, it forwards that call to the node like any other, which does
 * not know it. Self-contained: Playwright runs its source in the page.
 */
export function injectWallet({ account, rpcUrl, chainId: startChainId, listsTokens }: { account: Address; rpcUrl: string; chainId?: string; listsTokens?: boolean }) {
  const listeners: Record<string, ((x: unknown) => void)[]> = {};
  let chainId = startChainId ?? "0xfa";
  let connected = false;
  const emit = (event: string, value: unknown) => (listeners[event] ?? []).forEach((f) => f(value));
  const page = window as unknown as { ethereum: unknown; watchedAssets: unknown[] };
  page.watchedAssets = [];
  page.ethereum = {
    isMetaMask: false,
    on: (event: string, f: (x: unknown) => void) => void (listeners[event] ??= []).push(f),
    removeListener: (event: string, f: (x: unknown) => void) => void (listeners[event] = (listeners[event] ?? []).filter((g) => g !== f)),
    request: async ({ method, params }: { method: string; params?: unknown }) => {
      const list = params as unknown[] | undefined;
      switch (method) {
        case "eth_chainId": return chainId;
        case "net_version": return String(parseInt(chainId, 16));
        case "eth_accounts": return connected ? [account] : [];
        case "eth_requestAccounts": connected = true; emit("accountsChanged", [account]); return [account];
        case "wallet_requestPermissions": connected = true; return [{ parentCapability: "eth_accounts" }];
        case "wallet_getPermissions": return connected ? [{ parentCapability: "eth_accounts" }] : [];
        case "wallet_switchEthereumChain": chainId = (list![0] as { chainId: string }).chainId; emit("chainChanged", chainId); return null;
        case "wallet_addEthereumChain": return null;
      }
      if (method === "wallet_watchAsset" && listsTokens) {
        page.watchedAssets.push(params);
        return true;
      }
      if (chainId !== "0x7a69") throw Object.assign(new Error("this test wallet reaches only the devnet"), { code: 4901 });
      const res = await fetch(rpcUrl, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ jsonrpc: "2.0", id: 1, method, params }) });
      const body = await res.json();
      if (body.error) throw Object.assign(new Error(body.error.message), body.error);
      return body.result;
    },
  };
}
