"use client";

import { useEffect, useMemo, useState } from "react";
import { useRouter } from "next/navigation";
import { useAccount, useReadContract } from "wagmi";
import { encodeFunctionData, decodeEventLog } from "viem";
import { Card, Button, Field, inputClass } from "../../components/ui";
import { ConnectHint } from "../../components/StatusBanners";
import { abis } from "../../lib/contracts.generated";
import { useHolder, useValidators } from "../../lib/data";
import { useDeployment, useTransaction } from "../../lib/hooks";
import { FULL_WEIGHT, equalWeights, parsePercent, spreadRest } from "../../lib/weights";
import { formatBps } from "../../lib/format";

/**
 * Allocation proposal builder. A weight typed or dragged is pinned: it stays exactly as set, and what the
 * pinned weights leave of 100 % is spread over the others (none above the cap). Including a validator adds it
 * at 0 % and keeps every other edit; excluding one spreads its share over the unpinned rest.
 */
export default function NewProposalPage() {
  const router = useRouter();
  const { isConnected } = useAccount();
  const { deployment } = useDeployment();
  const validators = useValidators();
  const holder = useHolder();
  const { send } = useTransaction();
  const maxWeight = useReadContract({ address: deployment?.contracts.registry, abi: abis.registry, functionName: "maxWeightBps", query: { enabled: !!deployment } });
  const threshold = useReadContract({ address: deployment?.contracts.governor, abi: abis.governor, functionName: "proposalThreshold", query: { enabled: !!deployment } });

  const rows = validators.data ?? [];
  const candidates = rows.filter((r) => r.state === "Active" || r.state === "Applied");
  const [included, setIncluded] = useState<string[] | null>(null);
  const [weights, setWeights] = useState<Map<string, number>>(new Map());
  const [pinned, setPinned] = useState<Set<string>>(new Set());
  // The text of a weight box while it is being typed in, kept exactly as typed until the box loses focus.
  const [drafts, setDrafts] = useState<Map<string, string>>(new Map());
  const [description, setDescription] = useState("");
  const cap = maxWeight.data !== undefined ? Number(maxWeight.data) : FULL_WEIGHT;

  // Start from the current targets of the active set.
  useEffect(() => {
    if (included !== null || rows.length === 0) return;
    const active = rows.filter((r) => r.state === "Active");
    const ids = active.map((r) => String(r.id));
    const current = active.map((r) => r.weightBps);
    const start = current.reduce((s, w) => s + w, 0) === FULL_WEIGHT ? current : equalWeights(active.length);
    setIncluded(ids);
    setWeights(new Map(ids.map((id, i) => [id, start[i]])));
  }, [rows, included]);

  const set = included ?? [];
  const weightOf = (id: string) => weights.get(id) ?? 0;
  const sum = set.reduce((s, id) => s + weightOf(id), 0);
  const order = useMemo(() => [...set].sort((a, b) => (BigInt(a) < BigInt(b) ? -1 : 1)), [set]);
  const nameOf = (id: string) => rows.find((r) => String(r.id) === id)?.name ?? `#${id}`;
  const draftErrors = [...drafts].flatMap(([id, text]) => {
    const parsed = parsePercent(text, cap);
    return "error" in parsed ? [`${nameOf(id)}: ${parsed.error}.`] : [];
  });

  /** Pins `id` at `bps` (within 0 and the cap) and spreads the rest over the unpinned others. */
  function setWeight(id: string, bps: number) {
    const v = Math.max(0, Math.min(cap, Math.round(bps)));
    const nextPinned = new Set(pinned).add(id);
    setPinned(nextPinned);
    setWeights(spreadRest(set, new Map(weights).set(id, v), nextPinned, cap));
  }

  function toggle(id: string) {
    if (set.includes(id)) {
      const rest = set.filter((x) => x !== id);
      const nextPinned = new Set([...pinned].filter((x) => x !== id));
      setIncluded(rest);
      setPinned(nextPinned);
      setWeights(spreadRest(rest, weights, nextPinned, cap));
      setDrafts((d) => { const n = new Map(d); n.delete(id); return n; });
    } else {
      setIncluded([...set, id]);
      setWeights(new Map(weights).set(id, 0));
    }
  }

  function spreadEvenly() {
    const even = equalWeights(set.length);
    setPinned(new Set());
    setDrafts(new Map());
    setWeights(spreadRest(set, new Map(set.map((id, i) => [id, even[i]])), new Set(), cap));
  }

  const actions = useMemo(() => {
    if (!deployment || set.length === 0) return [];
    const registry = deployment.contracts.registry;
    const out: { target: `0x${string}`; data: `0x${string}`; label: string }[] = [];
    for (const r of rows) {
      if (r.state === "Applied" && set.includes(String(r.id))) out.push({ target: registry, data: encodeFunctionData({ abi: abis.registry, functionName: "approve", args: [r.id] }), label: `Admit ${r.name}` });
      if (r.state === "Active" && !set.includes(String(r.id))) out.push({ target: registry, data: encodeFunctionData({ abi: abis.registry, functionName: "remove", args: [r.id] }), label: `Remove ${r.name}` });
    }
    const ids = order.map((id) => BigInt(id));
    const ws = order.map((id) => weights.get(id) ?? 0);
    out.push({ target: registry, data: encodeFunctionData({ abi: abis.registry, functionName: "setTargets", args: [ids, ws] }), label: `Set targets: ${order.map((id) => `#${id} ${formatBps(weights.get(id) ?? 0)}`).join(", ")}` });
    return out;
  }, [deployment, rows, set, order, weights]);

  const problems = [
    set.length === 0 && "Include at least one validator.",
    ...draftErrors,
    draftErrors.length === 0 && sum !== FULL_WEIGHT && (sum < FULL_WEIGHT
      ? `The weights sum to ${formatBps(sum)}, not 100 %: raise a weight, include another validator (each takes at most ${formatBps(cap)}), or spread evenly.`
      : `The weights sum to ${formatBps(sum)}, not 100 %: lower a weight you set.`),
    set.some((id) => weightOf(id) > cap) && `No validator may have more than ${formatBps(cap)}.`,
    !description.trim() && "Describe the proposal for voters.",
    holder.votes !== undefined && threshold.data !== undefined && holder.votes < threshold.data && "Your voting power is below the proposal threshold: wrap stFTM and delegate to yourself first.",
  ].filter(Boolean) as string[];

  if (!deployment) return <Card title="New proposal"><p className="text-sm text-slate-600">The protocol is not deployed on this network.</p></Card>;
  return (
    <>
      <Card title="New allocation proposal">
        <p className="mb-3 text-sm text-slate-600">Choose the validators and their share of the pool. A weight you type or drag stays as you set it; the validators you have not set share the rest of the 100 %. Each weight is capped at {formatBps(cap)}.</p>
        <ul data-testid="weights-editor" className="divide-y divide-slate-100 text-sm">
          {candidates.map((r) => {
            const id = String(r.id);
            const on = set.includes(id);
            const draft = drafts.get(id);
            return (
              <li key={id} className="flex flex-wrap items-center gap-x-3 gap-y-1 py-2">
                <input type="checkbox" aria-label={`Include ${r.name}`} data-testid={`include-${r.id}`} checked={on} onChange={() => toggle(id)} />
                <div className="min-w-0 flex-1">
                  <div className="truncate font-medium">{r.name}</div>
                  <div className="text-xs text-slate-500">{r.state === "Applied" ? "Applicant" : "In the set"}{on && pinned.has(id) ? " · set by you" : ""}</div>
                </div>
                {on ? (
                  <div className="flex items-center gap-2">
                    <input type="range" min={0} max={cap} step={50} aria-label={`Weight of ${r.name}`} value={Math.min(weightOf(id), cap)}
                      onChange={(e) => setWeight(id, Number(e.target.value))} className="hidden w-32 sm:block" />
                    <input type="text" inputMode="decimal" aria-label={`Weight of ${r.name} in percent`} data-testid={`weight-${r.id}`}
                      aria-invalid={draft !== undefined && "error" in parsePercent(draft, cap)}
                      className="w-20 rounded border border-slate-300 px-2 py-1 text-right aria-[invalid=true]:border-rose-500"
                      value={draft ?? (weightOf(id) / 100).toFixed(2)}
                      onChange={(e) => {
                        const text = e.target.value;
                        setDrafts((d) => new Map(d).set(id, text));
                        const parsed = parsePercent(text, cap);
                        if ("bps" in parsed) setWeight(id, parsed.bps);
                      }}
                      onBlur={() => setDrafts((d) => { const n = new Map(d); n.delete(id); return n; })}
                      onKeyDown={(e) => { if (e.key === "Enter") (e.target as HTMLInputElement).blur(); }} />
                    <span className="text-slate-500">%</span>
                  </div>
                ) : <span className="text-slate-400">not included</span>}
              </li>
            );
          })}
        </ul>
        <div className="mt-2 flex flex-wrap items-center gap-3 text-sm">
          <span>Total: <strong data-testid="weights-sum">{formatBps(sum)}</strong></span>
          <Button variant="secondary" data-testid="weights-spread-evenly" disabled={set.length === 0} onClick={spreadEvenly}>Spread evenly</Button>
        </div>
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
