"use client";

import { useEffect, useMemo, useState } from "react";
import { useRouter } from "next/navigation";
import { useAccount, useReadContract } from "wagmi";
import { encodeFunctionData, decodeEventLog } from "viem";
import { Card, Button, Field, Table, inputClass } from "../../components/ui";
import { ConnectHint } from "../../components/StatusBanners";
import { abis } from "../../lib/contracts.generated";
import { useHolder, useValidators } from "../../lib/data";
import { useDeployment, useTransaction } from "../../lib/hooks";
import { equalWeights, rebalanceWeights } from "../../lib/governance";
import { useNames } from "../../lib/names";
import { formatBps } from "../../lib/format";

/** Allocation proposal builder: a weights editor that always sums to 100 %, add and remove validators. */
export default function NewProposalPage() {
  const router = useRouter();
  const { isConnected } = useAccount();
  const { deployment } = useDeployment();
  const names = useNames();
  const validators = useValidators();
  const holder = useHolder();
  const { send } = useTransaction();
  const maxWeight = useReadContract({ address: deployment?.contracts.registry, abi: abis.registry, functionName: "maxWeightBps", query: { enabled: !!deployment } });
  const threshold = useReadContract({ address: deployment?.contracts.governor, abi: abis.governor, functionName: "proposalThreshold", query: { enabled: !!deployment } });

  const rows = validators.data ?? [];
  const candidates = rows.filter((r) => r.state === "Active" || r.state === "Applied");
  const [included, setIncluded] = useState<bigint[] | null>(null);
  const [weights, setWeights] = useState<number[]>([]);
  const [description, setDescription] = useState("");

  // Start from the current targets of the active set.
  useEffect(() => {
    if (included !== null || rows.length === 0) return;
    const active = rows.filter((r) => r.state === "Active");
    setIncluded(active.map((r) => r.id));
    const current = active.map((r) => r.weightBps);
    setWeights(current.reduce((s, w) => s + w, 0) === 10_000 ? current : equalWeights(active.length));
  }, [rows, included]);

  const set = included ?? [];
  const sum = weights.reduce((s, w) => s + w, 0);
  const cap = maxWeight.data !== undefined ? Number(maxWeight.data) : 10_000;
  const overCap = weights.some((w) => w > cap);
  const order = useMemo(() => set.map((id, i) => [id, i] as const).sort((a, b) => (a[0] < b[0] ? -1 : 1)), [set]);

  function toggle(id: bigint) {
    if (set.includes(id)) {
      const i = set.indexOf(id);
      const rest = set.filter((x) => x !== id);
      const w = weights.filter((_, k) => k !== i);
      const total = w.reduce((s, x) => s + x, 0);
      setIncluded(rest);
      setWeights(rest.length === 0 ? [] : total === 0 ? equalWeights(rest.length) : rebalanceWeights(w, 0, w[0]));
    } else {
      const next = [...set, id];
      setIncluded(next);
      setWeights(equalWeights(next.length));
    }
  }

  const actions = useMemo(() => {
    if (!deployment || set.length === 0) return [];
    const registry = deployment.contracts.registry;
    const out: { target: `0x${string}`; data: `0x${string}`; label: string }[] = [];
    for (const r of rows) {
      if (r.state === "Applied" && set.includes(r.id)) out.push({ target: registry, data: encodeFunctionData({ abi: abis.registry, functionName: "approve", args: [r.id] }), label: `Admit ${r.name}` });
      if (r.state === "Active" && !set.includes(r.id)) out.push({ target: registry, data: encodeFunctionData({ abi: abis.registry, functionName: "remove", args: [r.id] }), label: `Remove ${r.name}` });
    }
    const ids = order.map(([id]) => id);
    const ws = order.map(([, i]) => weights[i]);
    out.push({ target: registry, data: encodeFunctionData({ abi: abis.registry, functionName: "setTargets", args: [ids, ws] }), label: `Set targets: ${order.map(([id, i]) => `#${id} ${formatBps(weights[i])}`).join(", ")}` });
    return out;
  }, [deployment, rows, set, order, weights]);

  const problems = [
    set.length === 0 && "Include at least one validator.",
    sum !== 10_000 && `The weights sum to ${formatBps(sum)}, not 100 %.`,
    overCap && `No validator may have more than ${formatBps(cap)}.`,
    !description.trim() && "Describe the proposal for voters.",
    holder.votes !== undefined && threshold.data !== undefined && holder.votes < threshold.data && `Your voting power is below the proposal threshold: wrap ${names.staked} and delegate to yourself first.`,
  ].filter(Boolean) as string[];

  if (!deployment) return <Card title="New proposal"><p className="text-sm text-slate-600">The protocol is not deployed on this network.</p></Card>;
  return (
    <>
      <Card title="New allocation proposal">
        <p className="mb-3 text-sm text-slate-600">Choose the validators and their share of the pool. Changing one weight rescales the others so the total stays 100 %. Each weight is capped at {formatBps(cap)}.</p>
        <Table head={["Include", "Validator", "State", "Weight"]} testId="weights-editor">
          {candidates.map((r) => {
            const i = set.indexOf(r.id);
            const on = i >= 0;
            return (
              <tr key={String(r.id)}>
                <td className="px-2 py-2"><input type="checkbox" aria-label={`Include ${r.name}`} data-testid={`include-${r.id}`} checked={on} onChange={() => toggle(r.id)} /></td>
                <td className="px-2 py-2">{r.name}</td>
                <td className="px-2 py-2">{r.state}</td>
                <td className="px-2 py-2">
                  {on ? (
                    <div className="flex items-center gap-2">
                      <input type="range" min={0} max={10000} step={50} aria-label={`Weight of ${r.name}`} value={weights[i]} onChange={(e) => setWeights(rebalanceWeights(weights, i, Number(e.target.value)))} className="w-32" />
                      <input type="number" min={0} max={100} step={0.01} aria-label={`Weight of ${r.name} in percent`} data-testid={`weight-${r.id}`} className="w-24 rounded border border-slate-300 px-2 py-1"
                        value={(weights[i] / 100).toFixed(2)} onChange={(e) => setWeights(rebalanceWeights(weights, i, Number(e.target.value) * 100))} />
                      <span className={weights[i] > cap ? "text-rose-600" : "text-slate-500"}>%</span>
                    </div>
                  ) : "—"}
                </td>
              </tr>
            );
          })}
        </Table>
        <p className="mt-2 text-sm">Total: <strong data-testid="weights-sum">{formatBps(sum)}</strong></p>
        <div className="mt-4"><Field label="Description (first line is the title)" htmlFor="proposal-description">
          <textarea id="proposal-description" data-testid="proposal-description" rows={3} className={inputClass} value={description} onChange={(e) => setDescription(e.target.value)} />
        </Field></div>
      </Card>
      <Card title="Preview">
        <ol className="list-decimal space-y-1 pl-5 text-sm" data-testid="proposal-preview">{actions.map((a, i) => <li key={i}>{a.label}</li>)}</ol>
        {problems.length > 0 && <ul className="mt-3 space-y-1 text-sm text-rose-700" role="alert">{problems.map((p) => <li key={p}>{p}</li>)}</ul>}
        {!isConnected ? <div className="mt-3"><ConnectHint what="propose" /></div> : (
          <Button className="mt-3" data-testid="propose-submit" disabled={problems.length > 0} onClick={async () => {
            const receipt = await send("Propose", { address: deployment.contracts.governor, abi: abis.governor, functionName: "propose", args: [actions.map((a) => a.target), actions.map(() => 0n), actions.map((a) => a.data), description.trim()] });
            const log = receipt?.logs.map((l) => { try { return decodeEventLog({ abi: abis.governor, ...l }); } catch { return undefined; } }).find((e) => e?.eventName === "ProposalCreated");
            if (log && log.eventName === "ProposalCreated") router.push(`/governance/${log.args.proposalId}`);
          }}>Propose</Button>
        )}
      </Card>
    </>
  );
}
