"use client";

import { useState } from "react";
import dynamic from "next/dynamic";
import { decodeEventLog } from "viem";
import { useAccount, useBlock, useReadContract } from "wagmi";
import { Card, Button, Field, Stat, Table, inputClass } from "../components/ui";
import { TokenAmount } from "../components/TokenAmount";
import { ConnectHint } from "../components/StatusBanners";
import { Distribution } from "../components/Distribution";
import { UnplaceableNote } from "../components/Unplaceable";
import { RoundOutlookList, useRoundOutlook, ROUND_PHASES } from "../components/RoundPreview";
import { HistoryStatus } from "../components/HistoryStatus";
import { abis } from "../lib/contracts.generated";
import { usePauses, usePoolStats, useValidators, useVesting } from "../lib/data";
import { useDeployment, useTransaction } from "../lib/hooks";
import { useNames } from "../lib/names";
import { formatDate, formatDuration } from "../lib/format";

// Every page prefetches this one's code through the navigation: the past rounds' table loads only here.
const RoundHistory = dynamic(() => import("../components/RoundHistory").then((m) => m.RoundHistory), {
  ssr: false,
  loading: () => <HistoryStatus history={{ unavailable: false, isLoading: true }} empty="" />,
});

export default function OperatorPage() {
  const { address, isConnected } = useAccount();
  const { deployment } = useDeployment();
  const stats = usePoolStats();
  const vesting = useVesting();
  const pauses = usePauses();
  const validators = useValidators();
  const { send } = useTransaction();
  const [steps, setSteps] = useState("200");
  const pool = deployment ? { address: deployment.contracts.pool, abi: abis.pool } : undefined;
  const outlook = useRoundOutlook();
  const moves = outlook.data?.moves;
  const [lastCall, setLastCall] = useState<{ steps: bigint; phase: number; completed: boolean } | undefined>();
  const role = useReadContract({ ...pool!, functionName: "OPERATOR_ROLE", query: { enabled: !!pool } });
  const isOperator = useReadContract({ ...pool!, functionName: "hasRole", args: role.data && address ? [role.data, address] : undefined, query: { enabled: !!role.data && !!address } });
  const block = useBlock({ query: { refetchInterval: 5_000 } }); // the chain's clock decides when anyone may run a round
  const names = useNames();
  const symbol = names.native;
  if (!deployment) return <Card title="Operator"><p className="text-sm text-slate-600">The protocol is not deployed on this network.</p></Card>;
  const name = (id: bigint) => validators.data?.find((v) => v.id === id)?.name ?? `Validator #${id}`;
  const openAt = stats.lastRound !== undefined && stats.keeperGrace !== undefined ? stats.lastRound + stats.keeperGrace : undefined;
  const mayProcess = isOperator.data || (openAt !== undefined && block.data !== undefined && block.data.timestamp >= openAt);
  const stepsError = !/^\d+$/.test(steps) || Number(steps) < 1 ? "Enter a whole number of steps, at least 1" : undefined;
  return (
    <>
      <Card title="Keeper round">
        <div className="grid grid-cols-2 gap-3 md:grid-cols-4">
          <Stat label="Idle liquidity"><TokenAmount wei={stats.idle} symbol={symbol} short /></Stat>
          <Stat label="Owed to pending withdrawals" testId="pending-withdrawals"><TokenAmount wei={stats.pendingWithdrawals} symbol={symbol} short /></Stat>
          <Stat label="Unbonding"><TokenAmount wei={stats.unbonding} symbol={symbol} short /></Stat>
          <Stat label="Last complete round">{stats.lastRound ? formatDate(stats.lastRound) : "never"}</Stat>
        </div>
        <p className="mt-3 text-sm text-slate-600">
          {isOperator.data ? "You hold the operator role: you may run a round at any time." : openAt !== undefined ? `Operators run rounds; anyone may from ${formatDate(openAt)} if they are idle.` : ""}
        </p>
      </Card>
      <div className="grid gap-4 lg:grid-cols-2">
        <Card title="Rewards vesting" testId="vesting-card">
          <p className="text-sm text-slate-700" data-testid="vesting">
            {vesting.unvested === undefined ? "…" : vesting.unvested > 0n && vesting.vestingEnd !== undefined
              ? <><TokenAmount wei={vesting.unvested} symbol={symbol} /> of harvested rewards still vesting; the last of them vests on {formatDate(vesting.vestingEnd)}.</>
              : "No rewards vesting: every harvested reward is in the rate."}
          </p>
          <p className="mt-2 text-sm text-slate-600">
            Harvested rewards enter the rate gradually{vesting.period !== undefined ? `, over ${formatDuration(vesting.period)}` : ""}, so nobody can stake
            just before a harvest and take them. Losses from slashing enter at once.
          </p>
        </Card>
        <Card title="Pauses" testId="pauses-card">
          <ul className="space-y-2 text-sm text-slate-700">
            {pauses ? pauses.map((p) => (
              <li key={p.id} data-testid={`pause-${p.id}`}>
                {p.paused ? <><strong>{p.name} paused until {formatDate(p.until)}</strong>, by the guardian; ends by itself.</> : <>{p.name}: running.</>}
                {p.coolingDown && <> The guardian may pause {p.name.toLowerCase()} again from {formatDate(p.cooldownUntil)}.</>}
              </li>
            )) : <li>…</li>}
          </ul>
          <p className="mt-2 text-sm text-slate-600">Claims of finalised withdrawals are never paused. Governance can resume an action sooner or extend its pause.</p>
        </Card>
      </div>
      <Card title="Next round (preview)" testId="round-preview">
        <UnplaceableNote />
        {outlook.isError ? <p className="text-sm text-rose-700">The preview cannot be read: the network&apos;s RPC is not answering.</p>
          : !outlook.data ? <p className="text-sm text-slate-500">Reading the chain…</p> : (
          <>
            {outlook.data.phase !== "Idle" && (
              <p className="mb-2 rounded bg-amber-50 p-2 text-sm text-amber-900" data-testid="round-unfinished">
                A round is under way: the last call stopped in its {outlook.data.phase.toLowerCase()} phase. The next call goes on from there.
              </p>
            )}
            <RoundOutlookList outlook={outlook.data} symbol={symbol} />
          </>
        )}
        {moves && moves.length > 0 && (
          <Table head={["Validator", "Move", `Amount (${symbol})`, "Drift part"]} testId="moves-table">
            {moves.map((m) => (
              <tr key={`${m.validatorId}-${m.isDelegate}`}>
                <td className="px-2 py-2">{name(m.validatorId)}</td>
                <td className="px-2 py-2">{m.isDelegate ? "Delegate" : "Undelegate"}</td>
                <td className="px-2 py-2"><TokenAmount wei={m.amount} symbol="" /></td>
                <td className="px-2 py-2">{m.driftAmount > 0n ? <TokenAmount wei={m.driftAmount} symbol="" /> : "—"}</td>
              </tr>
            ))}
          </Table>
        )}
        {lastCall && (
          <p className={`mt-3 text-sm ${lastCall.completed ? "text-emerald-700" : "text-amber-800"}`} data-testid="last-call">
            {lastCall.completed
              ? `Your last call took ${lastCall.steps} step${lastCall.steps === 1n ? "" : "s"} and completed the round.`
              : `Your last call took ${lastCall.steps} step${lastCall.steps === 1n ? "" : "s"} and stopped in the ${ROUND_PHASES[lastCall.phase]?.toLowerCase() ?? "next"} phase: the round is not finished. Run again to go on.`}
          </p>
        )}
        {!isConnected ? <div className="mt-3"><ConnectHint what="run the keeper round" /></div> : (
          <form className="mt-4 flex flex-wrap items-end gap-3" onSubmit={async (e) => {
            e.preventDefault();
            if (stepsError) return;
            const receipt = await send("Process", { ...pool!, functionName: "process", args: [BigInt(steps)] });
            const event = receipt?.logs
              .map((l) => { try { return decodeEventLog({ abi: abis.pool, ...l }); } catch { return undefined; } })
              .find((x) => x?.eventName === "Processed");
            if (event && event.eventName === "Processed") setLastCall({ steps: event.args.steps, phase: Number(event.args.phase), completed: event.args.roundCompleted });
          }}>
            <Field label="Maximum steps in this call" htmlFor="max-steps" error={stepsError} hint="Each step is one validator visited, one withdrawal or one move; bounds the gas of the call.">
              <input id="max-steps" data-testid="max-steps" className={inputClass} value={steps} onChange={(e) => setSteps(e.target.value.trim())} />
            </Field>
            <Button type="submit" data-testid="process-submit" disabled={!!stepsError || !mayProcess}>
              {lastCall && !lastCall.completed ? "Run again" : "Execute process"}
            </Button>
          </form>
        )}
      </Card>
      <Card title="Past rounds" testId="rounds-history">
        <RoundHistory symbol={symbol} />
      </Card>
      <Card title="Distribution: current vs target"><Distribution /></Card>
    </>
  );
}
