"use client";

import { useState } from "react";
import { useQuery } from "@tanstack/react-query";
import { useAccount, usePublicClient } from "wagmi";
import Link from "next/link";
import { formatEther, maxUint256 } from "viem";
import { Card, Button, Table } from "../components/ui";
import { AmountForm } from "../components/AmountForm";
import { GasCost, PreviewList, type ContractCall } from "../components/ActionPreview";
import { HolderHistory } from "../components/HolderHistory";
import { TokenAmount } from "../components/TokenAmount";
import { ConnectHint } from "../components/StatusBanners";
import { WalletTokens } from "../components/WalletTokens";
import { abis } from "../lib/contracts.generated";
import { REQUEST_STATUS_LABELS, RequestStatus } from "../lib/receipts";
import { useHolder, useNativeBalance, usePauses, usePoolStats, useWithdrawalTerms } from "../lib/data";
import { useDeployment, useTransaction } from "../lib/hooks";
import { useNames } from "../lib/names";
import { formatAmount, formatDate, formatFee, formatPeriodAdjective } from "../lib/format";
import { gasReserveWarning } from "../lib/amounts";
import { payoutOf, stakePreview, wrappedValue } from "../lib/preview";

/** Requests shown per page, newest first. */
const PAGE = 10;

/**
 * The withdrawal receipts the wallet holds now (its own requests and receipts received from others; a claimed
 * receipt is burnt and leaves the list), newest first, `pages × PAGE` of them, with their status in one call.
 */
function useRequests(pages: number) {
  const { address } = useAccount();
  const { deployment } = useDeployment();
  const publicClient = usePublicClient();
  return useQuery({
    queryKey: ["requests", address, deployment?.contracts.withdrawalQueue, pages],
    enabled: !!address && !!deployment && !!publicClient,
    queryFn: async () => {
      const queue = { address: deployment!.contracts.withdrawalQueue, abi: abis.withdrawalQueue } as const;
      const count = await publicClient!.readContract({ ...queue, functionName: "balanceOf", args: [address!] });
      const held = await publicClient!.readContract({ ...queue, functionName: "requestsOf", args: [address!, 0n, count] });
      const newest = [...held].sort((a, b) => (a > b ? -1 : a < b ? 1 : 0)).slice(0, pages * PAGE);
      const rows = newest.length ? await publicClient!.readContract({ ...queue, functionName: "requestStatuses", args: [newest] }) : [];
      return { rows: rows.map((r) => ({ ...r, id: r.requestId, requestedAt: Number(r.requestedAt) })), count, more: BigInt(newest.length) < count };
    },
  });
}

/** When a withdrawal requested now is paid, under the rule that only keeper rounds finalise requests. */
function PayoutNote({ symbol, testId }: { symbol: string; testId: string }) {
  const terms = useWithdrawalTerms();
  const pauses = usePauses();
  const rounds = pauses?.find((p) => p.id === 2);
  return (
    <span data-testid={testId}>
      A withdrawal is paid by the next keeper round if the pool has idle {symbol} to cover it (now: <TokenAmount wei={terms.freeIdle} symbol={symbol} /> idle
      beyond earlier requests), otherwise after the {terms.period !== undefined ? formatPeriodAdjective(terms.period) : "…"} withdrawal period plus at most one
      round: by {terms.latestPayout !== undefined ? formatDate(terms.latestPayout) : "…"}.
      {rounds?.paused && <> Keeper rounds are paused until {formatDate(rounds.until)}; payouts wait for them.</>}
    </span>
  );
}

/** When a withdrawal of `amount` (native wei) requested now would be paid, in one line for a form's preview. */
function PayoutWhen({ amount, symbol }: { amount: bigint; symbol: string }) {
  const terms = useWithdrawalTerms();
  const payout = payoutOf(amount, terms.freeIdle, terms.latestPayout);
  if (!payout) return <>…</>;
  if ("nextRound" in payout) return <>by the next keeper round: the pool&apos;s idle {symbol} covers it</>;
  return <>by {formatDate(payout.by)} at the latest: idle {symbol} does not cover it, so it waits for the {terms.period !== undefined ? formatPeriodAdjective(terms.period) : ""} withdrawal period plus at most one round</>;
}

/** Says that an action is paused, until when and that the pause ends by itself; nothing when it runs. */
function PauseNotice({ pause, extra }: { pause?: { id: number; name: string; until: bigint; paused: boolean }; extra: string }) {
  if (!pause?.paused) return null;
  return (
    <p role="status" data-testid={`paused-${pause.id}`} className="mb-3 rounded-lg border border-amber-300 bg-amber-50 p-3 text-sm text-amber-900">
      {pause.name} paused until {formatDate(pause.until)}, by the guardian; ends by itself. {extra}
    </p>
  );
}

export default function StakePage() {
  const { isConnected } = useAccount();
  const { deployment } = useDeployment();
  const holder = useHolder();
  const native = useNativeBalance();
  const stats = usePoolStats();
  const terms = useWithdrawalTerms();
  const pauses = usePauses();
  const [pages, setPages] = useState(1);
  const [wrapOnStake, setWrapOnStake] = useState(false);
  const requests = useRequests(pages);
  const { send } = useTransaction();
  const names = useNames();
  const symbol = names.native;
  const { staked, wrapped } = names;
  if (!deployment) return <Card title="Stake"><p className="text-sm text-slate-600">The protocol is not deployed on this network.</p></Card>;
  const c = deployment.contracts;
  const me = holder.address!;
  const stakeCall = (amount: bigint): ContractCall =>
    wrapOnStake
      ? { address: c.wstFTM, abi: abis.wstFTM, functionName: "stakeAndWrap", args: [me], value: amount }
      : { address: c.pool, abi: abis.pool, functionName: "stake", args: [me], value: amount };
  const requestCall = (amount: bigint): ContractCall => ({ address: c.withdrawalQueue, abi: abis.withdrawalQueue, functionName: "requestWithdrawal", args: [amount, me] });
  const requestWrappedCall = (amount: bigint): ContractCall => ({ address: c.withdrawalQueue, abi: abis.withdrawalQueue, functionName: "requestWithdrawalWrapped", args: [amount, me] });
  const stakeRows = (amount: bigint) => {
    const got = stats.rate !== undefined ? stakePreview(amount, stats.rate) : undefined;
    return [
      { key: "receive", label: "You receive", value: got ? (wrapOnStake ? <>≈ <TokenAmount wei={got.shares} symbol={wrapped} /></> : <>≈ <TokenAmount wei={got.staked} symbol={staked} /></>) : "…" },
      { key: "rate", label: `${symbol} per ${staked} share (1 ${wrapped})`, value: stats.rate !== undefined ? `${formatAmount(stats.rate)} ${symbol}` : "…" },
      { key: "fee", label: "Fee on rewards", value: stats.feeBps !== undefined ? formatFee(stats.feeBps) : "…" },
      { key: "gas", label: "Gas", value: <GasCost call={stakeCall(amount)} unit={symbol} /> },
      { key: "payout", label: "Withdrawn later", value: <PayoutWhen amount={amount} symbol={symbol} /> },
    ];
  };
  const unstakeRows = (value: bigint | undefined, call: ContractCall, approvalFirst?: string) => [
    { key: "receive", label: "You receive", value: value !== undefined ? <>≈ <TokenAmount wei={value} symbol={symbol} /></> : "…" },
    { key: "payout", label: "Paid", value: value !== undefined ? <PayoutWhen amount={value} symbol={symbol} /> : "…" },
    { key: "gas", label: "Gas", value: <GasCost call={call} unit={symbol} unavailable={approvalFirst} /> },
  ];
  const ready = requests.data?.rows.filter((r) => r.status === RequestStatus.Finalised) ?? [];
  const gas = 10n ** 16n; // keep a little for gas when offering "Max"
  const min = terms.minStake;
  const minText = min !== undefined ? formatEther(min) : "…";
  // The pool checks the minimum in the native currency; a wrapped amount is worth stFTMPerToken each (rounded up: never under).
  const minWst = min !== undefined && holder.perWst ? (min * 10n ** 18n + holder.perWst - 1n) / holder.perWst : undefined;
  // Requests are finalised oldest first from idle liquidity: when idle covers every pending one, the next round pays them.
  const idleCoversPending = stats.idle !== undefined && stats.pendingWithdrawals !== undefined && stats.idle >= stats.pendingWithdrawals;
  const expected = (r: { status: number; requestedAt: number }) => {
    if (r.status === RequestStatus.Finalised) return "Ready now";
    if (r.status !== RequestStatus.Pending) return "—";
    if (idleCoversPending) return "Next keeper round (idle covers it)";
    const by = terms.period !== undefined && terms.grace !== undefined ? BigInt(r.requestedAt) + terms.period + terms.grace : undefined;
    if (by === undefined) return "…";
    return terms.now !== undefined && by <= terms.now ? "Next keeper round (the period has passed)" : `by ${formatDate(by)}`;
  };
  return (
    <>
      <div className="grid gap-4 lg:grid-cols-2">
        <Card title={`Stake ${symbol}`} testId="stake-card">
          <PauseNotice pause={pauses?.[0]} extra="A stake sent before then fails." />
          {!isConnected ? <ConnectHint what="stake" /> : (
            <AmountForm id="stake" label={`Amount of ${symbol}`} unit={symbol} submitLabel={wrapOnStake ? "Stake and wrap" : "Stake"} min={min}
              minMessage={`The minimum stake is ${minText} ${symbol}: enter at least that much.`}
              max={native.data}
              fillMax={native.data !== undefined && native.data > gas ? native.data - gas : undefined}
              warning={(amount) => gasReserveWarning(amount, native.data, gas, symbol)}
              hint={<>You receive {wrapOnStake ? wrapped : staked} now; its value grows as harvested rewards vest into the rate. Minimum {minText} {symbol}. Getting {symbol} back later: <PayoutNote symbol={symbol} testId="payout-note-stake" /></>}
              preview={(amount) => <PreviewList id="stake" rows={stakeRows(amount)} />}
              onSubmit={(amount) => send(wrapOnStake ? "Stake and wrap" : "Stake", stakeCall(amount))}>
              <label className="flex items-center gap-2 text-sm text-slate-700">
                <input type="checkbox" data-testid="stake-wrap" checked={wrapOnStake} onChange={(e) => setWrapOnStake(e.target.checked)} />
                Receive {wrapped} instead (stake and wrap in one transaction)
              </label>
            </AmountForm>
          )}
          <div className="mt-4 grid grid-cols-2 gap-2 text-sm">
            <div>Your {staked}: <TokenAmount wei={holder.stBalance} symbol={staked} testId="st-balance" /></div>
            <div>Your {wrapped}: <TokenAmount wei={holder.wstBalance} symbol={wrapped} testId="wst-balance" /></div>
          </div>
          <WalletTokens />
        </Card>
        <Card title="Wrap and unwrap">
          {!isConnected ? <ConnectHint what={`wrap ${staked}`} /> : (
            <div className="space-y-4">
              <AmountForm id="wrap" label={`${staked} to wrap into ${wrapped}`} unit={staked} submitLabel="Wrap" max={holder.stBalance}
                hint={`${wrapped} keeps a fixed balance while its value grows; it is the voting token.`}
                onSubmit={async (amount) => {
                  if ((holder.stAllowanceToWrapper ?? 0n) < amount) {
                    const ok = await send(`Approve ${staked}`, { address: c.stFTM, abi: abis.stFTM, functionName: "approve", args: [c.wstFTM, amount] });
                    if (!ok) return undefined;
                  }
                  return send("Wrap", { address: c.wstFTM, abi: abis.wstFTM, functionName: "wrap", args: [amount] });
                }} />
              <AmountForm id="unwrap" label={`${wrapped} to unwrap`} unit={wrapped} submitLabel="Unwrap" max={holder.wstBalance}
                onSubmit={(amount) => send("Unwrap", { address: c.wstFTM, abi: abis.wstFTM, functionName: "unwrap", args: [amount] })} />
            </div>
          )}
        </Card>
      </div>
      <Card title="Unstake" testId="unstake-card">
        <PauseNotice pause={pauses?.[1]} extra="A request sent before then fails; claims of ready withdrawals still work." />
        <p className="mb-3 text-sm text-slate-600">
          <PayoutNote symbol={symbol} testId="payout-note-unstake" /> Its amount is fixed in {symbol} when you request it: stake that is unbonding earns no
          rewards. For {symbol} at once, sell {staked} or borrow against it instead.
        </p>
        {!isConnected ? <ConnectHint what="unstake" /> : (
          <div className="grid gap-4 md:grid-cols-2">
            <AmountForm id="request" label={`${staked} to withdraw`} unit={staked} submitLabel="Request withdrawal" max={holder.stBalance}
              min={min} wholeBalance={holder.stBalance}
              minMessage={`The minimum withdrawal is ${minText} ${staked}: enter at least ${minText}, or your whole balance (Max) to leave entirely.`}
              preview={(amount) => <PreviewList id="request" rows={unstakeRows(amount, requestCall(amount))} />}
              onSubmit={(amount) => send("Request withdrawal", requestCall(amount))} />
            <AmountForm id="request-wrapped" label={`${wrapped} to withdraw`} unit={wrapped} submitLabel="Request withdrawal" max={holder.wstBalance}
              min={minWst} wholeBalance={holder.wstBalance}
              minMessage={`The minimum withdrawal is ${minWst !== undefined ? formatEther(minWst) : "…"} ${wrapped} (${minText} ${symbol}): enter at least that, or your whole balance (Max) to leave entirely.`}
              preview={(amount) => (
                <PreviewList id="request-wrapped" rows={unstakeRows(holder.perWst !== undefined ? wrappedValue(amount, holder.perWst) : undefined, requestWrappedCall(amount),
                  (holder.wstAllowanceToQueue ?? 0n) < amount ? `the request asks for a ${wrapped} approval first; estimated after it` : undefined)} />
              )}
              onSubmit={async (amount) => {
                if ((holder.wstAllowanceToQueue ?? 0n) < amount) {
                  const ok = await send(`Approve ${wrapped}`, { address: c.wstFTM, abi: abis.wstFTM, functionName: "approve", args: [c.withdrawalQueue, maxUint256] });
                  if (!ok) return undefined;
                }
                return send("Request withdrawal", requestWrappedCall(amount));
              }} />
          </div>
        )}
      </Card>
      {isConnected && (
        <Card title="Your withdrawals" testId="withdrawals">
          <p className="mb-3 text-sm text-slate-600">
            Each withdrawal is an NFT receipt in your wallet: whoever holds it when it is claimed is paid. Receipts sent to you are listed too;
            open one to see it as a wallet shows it, or to send it to someone else.
          </p>
          {requests.data && requests.data.rows.length > 0 ? (
            <>
              <Table head={["#", "Amount", "Requested", "Status", "Expected", "Receipt"]} testId="requests-table">
                {requests.data.rows.map((r) => (
                  <tr key={String(r.id)} data-testid={`request-${r.id}`}>
                    <td className="px-2 py-2">{String(r.id)}</td>
                    <td className="px-2 py-2"><TokenAmount wei={r.status >= 2 ? r.finalisedAmount : r.amount} symbol={symbol} /></td>
                    <td className="px-2 py-2">{formatDate(r.requestedAt)}</td>
                    <td className="px-2 py-2" data-testid={`request-${r.id}-status`}>{REQUEST_STATUS_LABELS[r.status as RequestStatus]}</td>
                    <td className="px-2 py-2" data-testid={`request-${r.id}-expected`}>{expected(r)}</td>
                    <td className="px-2 py-2">
                      <Link href={`/withdrawals/${r.id}`} data-testid={`request-${r.id}-view`} className="text-indigo-700 underline">View or transfer</Link>
                    </td>
                  </tr>
                ))}
              </Table>
              <div className="mt-3 flex flex-wrap items-center gap-3">
                <Button data-testid="claim-submit" disabled={ready.length === 0}
                  onClick={() => send("Claim", { address: c.withdrawalQueue, abi: abis.withdrawalQueue, functionName: "claim", args: [ready.map((r) => r.id), holder.address!] })}>
                  Claim {ready.length > 0 ? `${ready.length} ready` : "(nothing ready)"}
                </Button>
                {requests.data.more && (
                  <Button variant="secondary" data-testid="requests-show-more" onClick={() => setPages((n) => n + 1)}>
                    Show more ({requests.data.rows.length} of {String(requests.data.count)} shown)
                  </Button>
                )}
              </div>
            </>
          ) : <p className="text-sm text-slate-500" data-testid="no-withdrawals">No withdrawal receipts in this wallet.</p>}
        </Card>
      )}
      {isConnected && <HolderHistory />}
    </>
  );
}
