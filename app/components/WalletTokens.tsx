"use client";

import { useState } from "react";
import { useWatchAsset } from "wagmi";
import { Button } from "./ui";
import { useDeployment } from "../lib/hooks";
import { useNames } from "../lib/names";
import { watchAssetMessage } from "../lib/watchAsset";

/** One token: its address with a copy button, and a button asking the wallet to list it (EIP-747). */
function WalletToken({ id, symbol, address }: { id: string; symbol: string; address: `0x${string}` }) {
  const { watchAssetAsync } = useWatchAsset();
  const [message, setMessage] = useState<string>();
  const [copied, setCopied] = useState(false);
  const add = async () => {
    try {
      const result = await watchAssetAsync({ type: "ERC20", options: { address, symbol, decimals: 18 } });
      setMessage(watchAssetMessage({ result }, symbol, address));
    } catch (error) {
      setMessage(watchAssetMessage({ error }, symbol, address));
    }
  };
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(address);
      setCopied(true);
      setTimeout(() => setCopied(false), 2_000);
    } catch {
      setMessage(`Copying failed: select ${address} and copy it by hand.`);
    }
  };
  return (
    <li className="space-y-1">
      <div className="flex flex-wrap items-baseline gap-2">
        <span className="font-medium">{symbol}</span>
        <code data-testid={`${id}-address`} className="break-all rounded bg-slate-100 px-1.5 py-0.5 text-xs">{address}</code>
      </div>
      <div className="flex flex-wrap gap-2">
        <Button type="button" variant="secondary" data-testid={`${id}-copy`} aria-label={`Copy the ${symbol} address`} onClick={copy}>
          {copied ? "Copied" : "Copy"}
        </Button>
        <Button type="button" variant="secondary" data-testid={`${id}-watch`} onClick={add}>Add {symbol} to wallet</Button>
      </div>
      {message && <p role="status" data-testid={`${id}-watch-result`} className="text-xs text-slate-600">{message}</p>}
    </li>
  );
}

/** The pool's two tokens, to find them in a wallet: addresses to copy and "Add … to wallet". */
export function WalletTokens() {
  const { deployment } = useDeployment();
  const names = useNames();
  if (!deployment) return null;
  return (
    <ul className="mt-4 space-y-3 border-t border-slate-100 pt-3 text-sm" data-testid="wallet-tokens">
      <WalletToken id="token-staked" symbol={names.staked} address={deployment.contracts.stFTM} />
      <WalletToken id="token-wrapped" symbol={names.wrapped} address={deployment.contracts.wstFTM} />
    </ul>
  );
}
