"use client";

import { use, useState } from "react";
import { useQuery } from "@tanstack/react-query";
import { useAccount, usePublicClient } from "wagmi";
import { Card, Button, Field, Table, inputClass } from "../../components/ui";
import { TokenAmount } from "../../components/TokenAmount";
import { ConnectHint } from "../../components/StatusBanners";
import { DevnetTimeHint } from "../../components/DevnetTimeHint";
import { abis } from "../../lib/contracts.generated";
import { GovernorCountingSimpleVoteType as Vote } from "../../../shared/protocol.generated";
import { useValidators } from "../../lib/data";
import { useDeployment, useTransaction } from "../../lib/hooks";
import { PROPOSAL_STATES, decodeAction, type DecodedAction } from "../../lib/governance";
import { formatBps, formatDate } from "../../lib/format";
import { HISTORY_UNAVAILABLE, useProposalHistory } from "../../lib/history";

function useProposal(id: bigint) {
  const { deployment } = useDeployment();
  const { address } = useAccount();
  const publicClient = usePublicClient();
  return useQuery({
    queryKey: ["proposal", deployment?.contracts.governor, String(id), address],
    enabled: !!deployment && !!publicClient,
    queryFn: async () => {
      const gov = { address: deployment!.contracts.governor, abi: abis.governor } as const;
      const [targets, values, calldatas, descriptionHash] = await publicClient!.readContract({ ...gov, functionName: "proposalDetails", args: [id] });
      const [state, votes, snapshot, deadline, eta, proposer] = await Promise.all([
        publicClient!.readContract({ ...gov, functionName: "state", args: [id] }),
        publicClient!.readContract({ ...gov, functionName: "proposalVotes", args: [id] }),
        publicClient!.readContract({ ...gov, functionName: "proposalSnapshot", args: [id] }),
        publicClient!.readContract({ ...gov, functionName: "proposalDeadline", args: [id] }),
        publicClient!.readContract({ ...gov, functionName: "proposalEta", args: [id] }),
        publicClient!.readContract({ ...gov, functionName: "proposalProposer", args: [id] }),
      ]);
      const now = (await publicClient!.getBlock()).timestamp;
      const quorum = snapshot < now ? await publicClient!.readContract({ ...gov, functionName: "quorum", args: [snapshot] }) : undefined;
      const hasVoted = address ? await publicClient!.readContract({ ...gov, functionName: "hasVoted", args: [id, address] }) : false;
      const weight = address && snapshot < now ? await publicClient!.readContract({ ...gov, functionName: "getVotes", args: [address, snapshot] }) : undefined;
      return { targets, values, calldatas, descriptionHash, state: PROPOSAL_STATES[state], votes, snapshot, deadline, eta, proposer, quorum, hasVoted, weight, now };
    },
  });
}

export default function ProposalPage({ params }: { params: Promise<{ id: string }> }) {
  const { id: raw } = use(params);
  const id = /^\d+$/.test(raw) ? BigInt(raw) : 0n;
  const { deployment } = useDeployment();
  const proposal = useProposal(id);
  // The description is only in the ProposalCreated event: the indexer has it.
  const history = useProposalHistory(/^\d+$/.test(raw) ? id : undefined);
  const validators = useValidators();
  if (!deployment) return <Card title="Proposal"><p className="text-sm text-slate-600">The protocol is not deployed on this network.</p></Card>;
  if (proposal.isError) return <Card title={`Proposal #${raw}`}><p className="text-sm text-rose-700" role="alert">This proposal does not exist.</p></Card>;
  const p = proposal.data;
  if (!p) return <Card title={`Proposal #${raw}`}><p className="text-sm text-slate-500">Loading…</p></Card>;
  const actions = p.targets.map((t, i) => decodeAction(deployment, t, p.calldatas[i]));
  const description = history.data?.proposal?.description ?? "";
  const title = description.split("\n")[0] || `Proposal #${raw}`;
  return (
    <>
      <Card title={title} testId="proposal-summary">
        <div className="flex flex-wrap gap-2 text-sm">
          <span className="rounded-full bg-indigo-50 px-2 py-0.5 font-medium text-indigo-700" data-testid="proposal-state">{p.state}</span>
          <span className="text-slate-500">#{raw} · voting {p.now < p.snapshot ? `opens ${formatDate(p.snapshot)}` : `closes ${formatDate(p.deadline)}`}</span>
        </div>
        {(p.state === "Pending" || p.state === "Active") && p.deadline >= p.now && <DevnetTimeHint waitingFor="the voting period" duration={`${p.deadline - p.now + 1n}s`} />}
        {p.state === "Queued" && p.eta >= p.now && <DevnetTimeHint waitingFor="the timelock's delay" duration={`${p.eta - p.now + 1n}s`} />}
        {description.includes("\n") && <p className="mt-2 whitespace-pre-wrap text-sm text-slate-700">{description.split("\n").slice(1).join("\n")}</p>}
        {history.unavailable && <p className="mt-2 text-xs text-slate-500" data-testid="history-unavailable">{HISTORY_UNAVAILABLE}</p>}
        <div className="mt-4 grid grid-cols-3 gap-2 text-sm" data-testid="tally">
          <div>For: <TokenAmount wei={p.votes[1]} symbol="" short testId="votes-for" /></div>
          <div>Against: <TokenAmount wei={p.votes[0]} symbol="" short /></div>
          <div>Abstain: <TokenAmount wei={p.votes[2]} symbol="" short /></div>
        </div>
        {p.quorum !== undefined && <p className="mt-1 text-xs text-slate-500">Quorum (For + Abstain): <TokenAmount wei={p.quorum} symbol="" short /></p>}
      </Card>
      <PrimaryAction id={id} p={p} />
      <Card title="What it does">
        <ol className="list-decimal space-y-3 pl-5 text-sm">
          {actions.map((a, i) => <li key={i}><ActionView action={a} rows={validators.data ?? []} /></li>)}
        </ol>
      </Card>
    </>
  );
}

function ActionView({ action, rows }: { action: DecodedAction; rows: { id: bigint; name: string; weightBps: number; state: string }[] }) {
  const name = (id: bigint) => rows.find((r) => r.id === id)?.name ?? `Validator #${id}`;
  if (action.kind === "approve") return <span>Admit <strong>{name(action.id)}</strong> to the validator set</span>;
  if (action.kind === "remove") return <span>Remove <strong>{name(action.id)}</strong>: its stake is withdrawn and redistributed</span>;
  if (action.kind === "other") return <span>{action.text}</span>;
  if (action.kind !== "setTargets") return null;
  const ids = new Set([...rows.filter((r) => r.weightBps > 0).map((r) => r.id), ...action.ids]);
  return (
    <div>
      <span>Set the target allocation:</span>
      <Table head={["Validator", "Before", "After"]} testId="allocation-diff">
        {[...ids].map((id) => {
          const before = rows.find((r) => r.id === id)?.weightBps ?? 0;
          const idx = action.ids.indexOf(id);
          const after = idx >= 0 ? Number(action.weights[idx]) : 0;
          return (
            <tr key={String(id)}>
              <td className="px-2 py-1">{name(id)}</td>
              <td className="px-2 py-1">{formatBps(before)}</td>
              <td className={`px-2 py-1 ${after > before ? "text-emerald-700" : after < before ? "text-rose-700" : ""}`}>{formatBps(after)}</td>
            </tr>
          );
        })}
      </Table>
    </div>
  );
}

type Loaded = NonNullable<ReturnType<typeof useProposal>["data"]>;

/** One primary action, derived from the proposal's state. */
function PrimaryAction({ id, p }: { id: bigint; p: Loaded }) {
  const { isConnected } = useAccount();
  const { deployment } = useDeployment();
  const { send } = useTransaction();
  const [support, setSupport] = useState<Vote>(Vote.For);
  const [reason, setReason] = useState("");
  const gov = { address: deployment!.contracts.governor, abi: abis.governor } as const;
  const args = [p.targets, p.values, p.calldatas, p.descriptionHash] as const;
  if (p.state === "Active") {
    if (!isConnected) return <Card title="Vote"><ConnectHint what="vote" /></Card>;
    if (p.hasVoted) return <Card title="Vote"><p className="text-sm text-slate-600" data-testid="proposal-primary-action">You have voted on this proposal.</p></Card>;
    return (
      <Card title="Vote">
        <fieldset className="flex flex-wrap gap-4 text-sm">
          <legend className="mb-2 text-sm text-slate-600">Your voting power at the snapshot: <TokenAmount wei={p.weight} symbol="votes" /></legend>
          {([["For", Vote.For], ["Against", Vote.Against], ["Abstain", Vote.Abstain]] as const).map(([label, value]) => (
            <label key={label} className="flex items-center gap-1">
              <input type="radio" name="support" data-testid={`vote-${label.toLowerCase()}`} checked={support === value} onChange={() => setSupport(value)} /> {label}
            </label>
          ))}
        </fieldset>
        <div className="mt-3"><Field label="Reason (optional, public)" htmlFor="vote-reason">
          <textarea id="vote-reason" data-testid="vote-reason" className={inputClass} rows={2} value={reason} onChange={(e) => setReason(e.target.value)} />
        </Field></div>
        <Button className="mt-3" data-testid="proposal-primary-action" onClick={() => reason
          ? send("Vote", { ...gov, functionName: "castVoteWithReason", args: [id, support, reason] })
          : send("Vote", { ...gov, functionName: "castVote", args: [id, support] })}>
          Cast vote
        </Button>
      </Card>
    );
  }
  if (p.state === "Succeeded") {
    return (
      <Card title="Passed">
        <p className="mb-3 text-sm text-slate-600">The vote passed. Queue it in the timelock; it can be executed after the delay.</p>
        <Button data-testid="proposal-primary-action" disabled={!isConnected} onClick={() => send("Queue", { ...gov, functionName: "queue", args })}>Queue</Button>
      </Card>
    );
  }
  if (p.state === "Queued") {
    const ready = p.now >= p.eta;
    return (
      <Card title="Queued">
        <p className="mb-3 text-sm text-slate-600">{ready ? "The timelock delay has passed: anyone can execute it." : `Executable from ${formatDate(p.eta)}.`}</p>
        <Button data-testid="proposal-primary-action" disabled={!isConnected || !ready} onClick={() => send("Execute", { ...gov, functionName: "execute", args })}>Execute</Button>
      </Card>
    );
  }
  const text: Record<string, string> = {
    Pending: `Voting opens ${formatDate(p.snapshot)}.`,
    Defeated: "The proposal did not pass.",
    Canceled: "The proposal was cancelled.",
    Expired: "The proposal expired in the timelock.",
    Executed: "The proposal was executed.",
  };
  return <Card title={p.state}><p className="text-sm text-slate-600" data-testid="proposal-primary-action">{text[p.state]}</p></Card>;
}

