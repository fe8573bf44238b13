"use client";

import { use, useState } from "react";
import Link from "next/link";
import { useQuery } from "@tanstack/react-query";
import { useAccount, usePublicClient } from "wagmi";
import { isAddress, type Address } from "viem";
import { Card, Button, Field, inputClass } from "../../components/ui";
import { TokenAmount } from "../../components/TokenAmount";
import { ConnectHint } from "../../components/StatusBanners";
import { abis } from "../../lib/contracts.generated";
import { useDeployment, useTransaction } from "../../lib/hooks";
import { useNames } from "../../lib/names";
import { formatDate } from "../../lib/format";
import { decodeReceiptMetadata, REQUEST_STATUS_LABELS, RequestStatus, type ReceiptMetadata } from "../../lib/receipts";

/** One receipt: its status, its on-chain metadata (absent once claimed: the token is burnt) and who may act on it. */
function useReceipt(id: bigint) {
  const { deployment } = useDeployment();
  const { address } = useAccount();
  const publicClient = usePublicClient();
  return useQuery({
    queryKey: ["receipt", deployment?.contracts.withdrawalQueue, String(id), address],
    enabled: !!deployment && !!publicClient,
    queryFn: async () => {
      const queue = { address: deployment!.contracts.withdrawalQueue, abi: abis.withdrawalQueue } as const;
      const view = await publicClient!.readContract({ ...queue, functionName: "requestStatus", args: [id] });
      const live = view.status === 1 || view.status === 2;
      let metadata: ReceiptMetadata | undefined;
      let mayClaim = false;
      if (live) {
        metadata = decodeReceiptMetadata(await publicClient!.readContract({ ...queue, functionName: "tokenURI", args: [id] }));
        if (address) {
          const [operator, approved] = await Promise.all([
            publicClient!.readContract({ ...queue, functionName: "isApprovedForAll", args: [view.owner, address] }),
            publicClient!.readContract({ ...queue, functionName: "getApproved", args: [id] }),
          ]);
          mayClaim = view.owner.toLowerCase() === address.toLowerCase() || operator || approved.toLowerCase() === address.toLowerCase();
        }
      }
      return { view, metadata, mayClaim };
    },
  });
}

function TransferForm({ id, owner }: { id: bigint; owner: Address }) {
  const { deployment } = useDeployment();
  const { send } = useTransaction();
  const [to, setTo] = useState("");
  const [error, setError] = useState<string>();
  const submit = async () => {
    if (!isAddress(to)) return setError("Enter the recipient's address: 0x followed by 40 hexadecimal characters.");
    if (to.toLowerCase() === owner.toLowerCase()) return setError("That is the wallet that already holds this receipt.");
    setError(undefined);
    const ok = await send("Transfer receipt", {
      address: deployment!.contracts.withdrawalQueue,
      abi: abis.withdrawalQueue,
      functionName: "safeTransferFrom",
      args: [owner, to, id],
    });
    if (ok) setTo("");
  };
  return (
    <form className="space-y-2" onSubmit={(e) => { e.preventDefault(); void submit(); }}>
      <Field label="Send this receipt to" htmlFor="transfer-to" error={error} hint="The new holder is the one paid when it is claimed.">
        <input id="transfer-to" data-testid="transfer-to" className={inputClass} value={to} onChange={(e) => setTo(e.target.value.trim())} placeholder="0x…" />
      </Field>
      <Button type="submit" data-testid="transfer-submit">Transfer</Button>
    </form>
  );
}

export default function ReceiptPage({ params }: { params: Promise<{ id: string }> }) {
  const { id: raw } = use(params);
  const id = /^\d+$/.test(raw) ? BigInt(raw) : 0n;
  const { address, isConnected } = useAccount();
  const { deployment } = useDeployment();
  const receipt = useReceipt(id);
  const { send } = useTransaction();
  const { native: symbol } = useNames();
  if (!deployment) return <Card title="Withdrawal receipt"><p className="text-sm text-slate-600">The protocol is not deployed on this network.</p></Card>;
  const data = receipt.data;
  const v = data?.view;
  const isHolder = !!address && !!v && v.owner.toLowerCase() === address.toLowerCase();
  return (
    <div className="grid gap-4 lg:grid-cols-2">
      <Card title={`Withdrawal #${raw}`} testId="receipt">
        {!v ? <p className="text-sm text-slate-500">…</p> : v.status === 0 ? (
          <p className="text-sm text-slate-600" data-testid="receipt-unknown">There is no withdrawal with this number.</p>
        ) : (
          <dl className="grid grid-cols-2 gap-2 text-sm">
            <dt className="text-slate-500">Status</dt><dd data-testid="receipt-status">{REQUEST_STATUS_LABELS[v.status as RequestStatus]}</dd>
            <dt className="text-slate-500">Amount</dt><dd><TokenAmount wei={v.amount} symbol={symbol} testId="receipt-amount" /></dd>
            {v.status >= 2 && (<><dt className="text-slate-500">Paid on claim</dt><dd><TokenAmount wei={v.finalisedAmount} symbol={symbol} /></dd></>)}
            <dt className="text-slate-500">Requested</dt><dd>{formatDate(v.requestedAt)}</dd>
            {v.status === 1 && (<><dt className="text-slate-500">Expected by</dt><dd>{formatDate(v.expectedBy)}</dd></>)}
            <dt className="text-slate-500">Held by</dt><dd className="break-all" data-testid="receipt-owner">{v.status === 3 ? "nobody (claimed, the receipt is burnt)" : v.owner}</dd>
          </dl>
        )}
        {v && (v.status === 1 || v.status === 2) && (
          <div className="mt-4 space-y-4">
            {!isConnected ? <ConnectHint what="claim or transfer this receipt" /> : (
              <>
                {v.status === 2 && data?.mayClaim && (
                  <Button data-testid="receipt-claim" onClick={() => send("Claim", { address: deployment.contracts.withdrawalQueue, abi: abis.withdrawalQueue, functionName: "claim", args: [[id], address!] })}>
                    Claim to this wallet
                  </Button>
                )}
                {isHolder ? <TransferForm id={id} owner={v.owner} /> : (
                  <p className="text-sm text-slate-600">This wallet does not hold this receipt{data?.mayClaim ? ", but it is approved to claim it" : ""}.</p>
                )}
              </>
            )}
          </div>
        )}
        <p className="mt-4 text-sm"><Link href="/stake" className="text-indigo-700 underline">Back to your withdrawals</Link></p>
      </Card>
      <Card title="As wallets and marketplaces show it" testId="receipt-nft">
        {data?.metadata ? (
          <div className="space-y-3">
            {/* The image is the receipt's own on-chain SVG, as a data URI: nothing is fetched. */}
            {/* eslint-disable-next-line @next/next/no-img-element */}
            <img src={data.metadata.image} alt={`NFT image of withdrawal #${raw}`} data-testid="receipt-image" className="w-full max-w-sm rounded-xl border border-slate-200" />
            <pre data-testid="receipt-json" className="overflow-x-auto rounded-lg bg-slate-50 p-3 text-xs">{JSON.stringify({ ...data.metadata, image: `${data.metadata.image.slice(0, 40)}…` }, null, 2)}</pre>
          </div>
        ) : <p className="text-sm text-slate-500">{v?.status === 3 ? "A claimed receipt is burnt: it has no metadata any more." : "No metadata."}</p>}
      </Card>
    </div>
  );
}
