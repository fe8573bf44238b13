"use client";

import { useQuery } from "@tanstack/react-query";
import { useAccount, usePublicClient } from "wagmi";
import { maxUint256 } from "viem";
import { Card, Button, Table } from "../components/ui";
import { AmountForm } from "../components/AmountForm";
import { TokenAmount } from "../components/TokenAmount";
import { ConnectHint } from "../components/StatusBanners";
import { abis, SFC_ADDRESS } from "../lib/contracts.generated";
import { useHolder, useNativeBalance, usePoolStats } from "../lib/data";
import { useDeployment, useTransaction } from "../lib/hooks";
import { nativeSymbol } from "../lib/chains";
import { formatDate } from "../lib/format";

const STATUS = ["None", "Pending", "Ready to claim", "Claimed"] as const;

function useRequests() {
  const { address } = useAccount();
  const { deployment } = useDeployment();
  const publicClient = usePublicClient();
  return useQuery({
    queryKey: ["requests", address, deployment?.contracts.pool],
    enabled: !!address && !!deployment && !!publicClient,
    queryFn: async () => {
      const pool = { address: deployment!.contracts.pool, abi: abis.pool } as const;
      const ids = await publicClient!.readContract({ ...pool, functionName: "withdrawalRequestsOf", args: [address!] });
      const consts = await publicClient!.readContract({ address: SFC_ADDRESS, abi: abis.sfc, functionName: "constsAddress" });
      const period = await publicClient!.readContract({ address: consts, abi: abis.sfcConstants, functionName: "withdrawalPeriodTime" });
      const grace = await publicClient!.readContract({ ...pool, functionName: "keeperGracePeriod" });
      const rows = await Promise.all(
        [...ids].reverse().slice(0, 50).map(async (id) => ({ id, ...(await publicClient!.readContract({ ...pool, functionName: "withdrawalRequest", args: [id] })) })),
      );
      return { rows, period, grace };
    },
  });
}

export default function StakePage() {
  const { isConnected } = useAccount();
  const { deployment, chainId } = useDeployment();
  const holder = useHolder();
  const native = useNativeBalance();
  const stats = usePoolStats();
  const requests = useRequests();
  const { send } = useTransaction();
  const symbol = nativeSymbol(chainId);
  if (!deployment) return <Card title="Stake"><p className="text-sm text-slate-600">The protocol is not deployed on this network.</p></Card>;
  const c = deployment.contracts;
  const ready = requests.data?.rows.filter((r) => r.status === 2) ?? [];
  const gas = 10n ** 16n; // keep a little for gas when offering "Max"
  return (
    <>
      <div className="grid gap-4 lg:grid-cols-2">
        <Card title={`Stake ${symbol}`} testId="stake-card">
          {!isConnected ? <ConnectHint what="stake" /> : (
            <AmountForm id="stake" label={`Amount of ${symbol}`} unit={symbol} submitLabel="Stake" min={10n ** 16n}
              max={native.data !== undefined && native.data > gas ? native.data - gas : undefined}
              hint={<>You receive stFTM now; it grows as rewards are booked. Minimum 0.01 {symbol}.</>}
              onSubmit={(amount) => send("Stake", { address: c.pool, abi: abis.pool, functionName: "stake", args: [holder.address!], value: amount })} />
          )}
          <div className="mt-4 grid grid-cols-2 gap-2 text-sm">
            <div>Your stFTM: <TokenAmount wei={holder.stBalance} symbol="stFTM" testId="st-balance" /></div>
            <div>Your wstFTM: <TokenAmount wei={holder.wstBalance} symbol="wstFTM" testId="wst-balance" /></div>
          </div>
        </Card>
        <Card title="Wrap and unwrap">
          {!isConnected ? <ConnectHint what="wrap stFTM" /> : (
            <div className="space-y-4">
              <AmountForm id="wrap" label="stFTM to wrap into wstFTM" unit="stFTM" submitLabel="Wrap" max={holder.stBalance}
                hint="wstFTM keeps a fixed balance while its value grows; it is the voting token."
                onSubmit={async (amount) => {
                  if ((holder.stAllowanceToWrapper ?? 0n) < amount) {
                    const ok = await send("Approve stFTM", { address: c.stFTM, abi: abis.stFTM, functionName: "approve", args: [c.wstFTM, amount] });
                    if (!ok) return undefined;
                  }
                  return send("Wrap", { address: c.wstFTM, abi: abis.wstFTM, functionName: "wrap", args: [amount] });
                }} />
              <AmountForm id="unwrap" label="wstFTM to unwrap" unit="wstFTM" submitLabel="Unwrap" max={holder.wstBalance}
                onSubmit={(amount) => send("Unwrap", { address: c.wstFTM, abi: abis.wstFTM, functionName: "unwrap", args: [amount] })} />
            </div>
          )}
        </Card>
      </div>
      <Card title="Unstake" testId="unstake-card">
        <p className="mb-3 text-sm text-slate-600">
          A withdrawal is paid at once when the pool has idle liquidity (now <TokenAmount wei={stats.idle} symbol={symbol} />). Otherwise it waits for
          the chain&apos;s withdrawal period plus at most one keeper round. Its amount is fixed when you request it: unbonding stake earns no rewards.
        </p>
        {!isConnected ? <ConnectHint what="unstake" /> : (
          <div className="grid gap-4 md:grid-cols-2">
            <AmountForm id="request" label="stFTM to withdraw" unit="stFTM" submitLabel="Request withdrawal" max={holder.stBalance}
              onSubmit={(amount) => send("Request withdrawal", { address: c.pool, abi: abis.pool, functionName: "requestWithdrawal", args: [amount, holder.address!] })} />
            <AmountForm id="request-wrapped" label="wstFTM to withdraw" unit="wstFTM" submitLabel="Request withdrawal" max={holder.wstBalance}
              onSubmit={async (amount) => {
                if ((holder.wstAllowanceToPool ?? 0n) < amount) {
                  const ok = await send("Approve wstFTM", { address: c.wstFTM, abi: abis.wstFTM, functionName: "approve", args: [c.pool, maxUint256] });
                  if (!ok) return undefined;
                }
                return send("Request withdrawal", { address: c.pool, abi: abis.pool, functionName: "requestWithdrawalWrapped", args: [amount, holder.address!] });
              }} />
          </div>
        )}
      </Card>
      {isConnected && (
        <Card title="Your withdrawals" testId="withdrawals">
          {requests.data && requests.data.rows.length > 0 ? (
            <>
              <Table head={["#", "Amount", "Requested", "Status", "Expected"]} testId="requests-table">
                {requests.data.rows.map((r) => (
                  <tr key={String(r.id)} data-testid={`request-${r.id}`}>
                    <td className="px-2 py-2">{String(r.id)}</td>
                    <td className="px-2 py-2"><TokenAmount wei={r.status >= 2 ? r.finalisedAmount : r.amount} symbol={symbol} /></td>
                    <td className="px-2 py-2">{formatDate(r.requestedAt)}</td>
                    <td className="px-2 py-2" data-testid={`request-${r.id}-status`}>{STATUS[r.status]}</td>
                    <td className="px-2 py-2">{r.status === 1 ? `by ${formatDate(Number(r.requestedAt) + Number(requests.data.period) + Number(requests.data.grace))}` : "—"}</td>
                  </tr>
                ))}
              </Table>
              <Button className="mt-3" data-testid="claim-submit" disabled={ready.length === 0}
                onClick={() => send("Claim", { address: c.pool, abi: abis.pool, functionName: "claim", args: [ready.map((r) => r.id), holder.address!] })}>
                Claim {ready.length > 0 ? `${ready.length} ready` : "(nothing ready)"}
              </Button>
            </>
          ) : <p className="text-sm text-slate-500">No withdrawals yet.</p>}
        </Card>
      )}
    </>
  );
}
