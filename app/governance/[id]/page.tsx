"use client";

import { use, useState, type ReactNode } from "react";
import { useQuery } from "@tanstack/react-query";
import { useAccount, usePublicClient } from "wagmi";
import { getAddress } from "viem";
import { Card, Button, Field, Table, inputClass } from "../../components/ui";
import { TokenAmount } from "../../components/TokenAmount";
import { ConnectHint } from "../../components/StatusBanners";
import { DevnetTimeHint } from "../../components/DevnetTimeHint";
import { abis } from "../../lib/contracts.generated";
import { GovernorCountingSimpleVoteType as Vote, GovernorCountingSimpleVoteTypeNames as VOTE_NAMES } from "../../../shared/protocol.generated";
import { useValidators } from "../../lib/data";
import { useDeployment, useTransaction } from "../../lib/hooks";
import { VoteBars, QuorumProgress } from "../../components/Votes";
import {
  PROPOSAL_STATES, decodeAction, proposalCountdown, proposalTimeline, tallyOf,
  type DecodedAction, type RecordedTimes, type TimelineStep,
} from "../../lib/governance";
import { formatBps, formatCountdown, formatDate } from "../../lib/format";
import { HISTORY_UNAVAILABLE, useProposalHistory, type IndexedVote } from "../../lib/history";
import { useNames } from "../../lib/names";

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
  const names = useNames();
  const { address } = useAccount();
  const proposal = useProposal(id);
  // The description, the voters and the dates of what happened are only in events: the indexer has them.
  const history = useProposalHistory(/^\d+$/.test(raw) ? id : undefined);
  const validators = useValidators();
  if (!deployment) return <Card title="Proposal"><p className="text-sm text-slate-600">The protocol is not deployed on this network.</p></Card>;
  if (proposal.isError) return <Card title={`Proposal #${raw}`}><p className="text-sm text-rose-700" role="alert">This proposal does not exist.</p></Card>;
  const p = proposal.data;
  if (!p) return <Card title={`Proposal #${raw}`}><p className="text-sm text-slate-500">Loading…</p></Card>;
  const actions = p.targets.map((t, i) => decodeAction(deployment, t, p.calldatas[i]));
  const description = history.data?.proposal?.description ?? "";
  const title = description.split("\n")[0] || `Proposal #${raw}`;
  const tally = tallyOf(p.votes);
  const countdown = proposalCountdown(p);
  const votes = history.data?.votes;
  const mine = address ? votes?.find((v) => v.voter.toLowerCase() === address.toLowerCase()) : undefined;
  return (
    <>
      <Card title={title} testId="proposal-summary">
        <div className="flex flex-wrap items-center gap-x-2 gap-y-1 text-sm">
          <span className="rounded-full bg-indigo-50 px-2 py-0.5 font-medium text-indigo-700" data-testid="proposal-state">{p.state}</span>
          <span className="text-slate-500">#{raw}</span>
          {countdown && (
            <span className="text-slate-700" data-testid="proposal-countdown">
              · {countdown.text}{countdown.seconds !== undefined && <> {formatCountdown(countdown.seconds)} ({formatDate(p.now + countdown.seconds)})</>}
            </span>
          )}
        </div>
        <p className="mt-1 text-sm text-slate-500">
          Proposed by <span className="break-all font-mono text-xs text-slate-700" data-testid="proposal-proposer">{p.proposer}</span>
          {address && address.toLowerCase() === p.proposer.toLowerCase() && " (you)"}
        </p>
        {history.unavailable && <p className="mt-2 text-xs text-slate-500" data-testid="history-unavailable">{HISTORY_UNAVAILABLE}</p>}
        {(p.state === "Pending" || p.state === "Active") && p.deadline >= p.now && <DevnetTimeHint waitingFor="the voting period" duration={`${p.deadline - p.now + 1n}s`} />}
        {p.state === "Queued" && p.eta >= p.now && <DevnetTimeHint waitingFor="the timelock's delay" duration={`${p.eta - p.now + 1n}s`} />}
        {description.includes("\n") && <p className="mt-2 whitespace-pre-wrap text-sm text-slate-700">{description.split("\n").slice(1).join("\n")}</p>}
      </Card>
      <div className="grid gap-4 lg:grid-cols-2">
        <Card title="Votes">
          <VoteBars tally={tally} symbol={names.wrapped} />
          <div className="mt-4">
            {p.quorum !== undefined
              ? <QuorumProgress tally={tally} quorum={p.quorum} symbol={names.wrapped} />
              : <p className="text-sm text-slate-500" data-testid="quorum">The quorum is fixed when voting opens, from the {names.wrapped} supply at the snapshot.</p>}
          </div>
          {address && <YourVote p={p} vote={mine} unavailable={history.unavailable} symbol={names.wrapped} />}
        </Card>
        <Card title="Timeline">
          <Timeline steps={proposalTimeline(p, recordedTimes(history.data))} undated={history.unavailable ? "date not known" : "not indexed yet"} />
          {history.unavailable && <p className="mt-2 text-xs text-slate-500" data-testid="timeline-unavailable">{HISTORY_UNAVAILABLE}</p>}
        </Card>
      </div>
      <PrimaryAction id={id} p={p} />
      <Card title="What it does">
        <ol className="list-decimal space-y-3 pl-5 text-sm">
          {actions.map((a, i) => <li key={i}><ActionView action={a} rows={validators.data ?? []} /></li>)}
        </ol>
      </Card>
      <Card title="Voters" testId="proposal-voters">
        {history.unavailable
          ? <p className="text-sm text-slate-500" data-testid="history-unavailable">{HISTORY_UNAVAILABLE}</p>
          : <Voters votes={votes} symbol={names.wrapped} />}
      </Card>
    </>
  );
}

type Loaded = NonNullable<ReturnType<typeof useProposal>["data"]>;
type History = NonNullable<ReturnType<typeof useProposalHistory>["data"]>;

/** The dates only the indexer knows: when the proposal was created, queued, executed, canceled, extended. */
function recordedTimes(h: History | null | undefined): RecordedTimes {
  const p = h?.proposal;
  if (!p) return {};
  const time = (w: string | null) => (w === null ? undefined : BigInt(w));
  const extended = h.timeline.find((e) => e.kind === "extended");
  return { createdAt: time(p.createdAt), queuedAt: time(p.queuedAt), executedAt: time(p.executedAt), canceledAt: time(p.canceledAt), extendedAt: extended ? BigInt(extended.timestamp) : undefined };
}

/** `undated` is what a step that happened shows when only the indexer knows its date and has not said it. */
function Timeline({ steps, undated }: { steps: TimelineStep[]; undated: string }) {
  return (
    <ol className="space-y-2 text-sm" data-testid="timeline">
      {steps.map((s) => (
        <li key={s.label} className="flex items-start gap-2" data-testid="timeline-step" data-done={s.done}>
          <span aria-hidden className={`mt-1.5 h-2.5 w-2.5 shrink-0 rounded-full ${s.done ? "bg-indigo-600" : "border border-slate-300 bg-white"}`} />
          <span className={`flex-1 ${s.done ? "font-medium text-slate-900" : "text-slate-500"}`}>{s.label}</span>
          <span className="text-right text-xs text-slate-500" data-testid="timeline-date">
            {s.at !== undefined ? formatDate(s.at) : s.done ? undated : "not yet"}
          </span>
        </li>
      ))}
    </ol>
  );
}

const SUPPORT_STYLES = ["bg-rose-50 text-rose-700", "bg-emerald-50 text-emerald-700", "bg-slate-100 text-slate-700"];

function Voters({ votes, symbol }: { votes: IndexedVote[] | undefined; symbol: string }) {
  if (!votes) return <p className="text-sm text-slate-500">Loading the votes…</p>;
  if (votes.length === 0) return <p className="text-sm text-slate-500" data-testid="voters-empty">Nobody has voted yet.</p>;
  const byWeight = [...votes].sort((a, b) => (BigInt(b.weight) > BigInt(a.weight) ? 1 : BigInt(b.weight) < BigInt(a.weight) ? -1 : 0));
  return (
    <ul className="divide-y divide-slate-100" data-testid="voters">
      {byWeight.map((v) => (
        <li key={v.voter} className="py-2 text-sm" data-testid={`voter-${v.voter.toLowerCase()}`}>
          <div className="flex flex-wrap items-center gap-x-2 gap-y-1">
            <span className="break-all font-mono text-xs">{getAddress(v.voter)}</span>
            <span className={`rounded-full px-2 py-0.5 text-xs font-medium ${SUPPORT_STYLES[v.support]}`} data-testid="voter-support">{VOTE_NAMES[v.support]}</span>
            <TokenAmount wei={BigInt(v.weight)} symbol={symbol} testId="voter-weight" />
            <span className="text-xs text-slate-500" data-testid="voter-date">{formatDate(BigInt(v.timestamp))}</span>
          </div>
          {v.reason
            ? <p className="mt-1 whitespace-pre-wrap break-words text-slate-700" data-testid="voter-reason">{v.reason}</p>
            : <p className="mt-1 text-xs text-slate-400">No reason given.</p>}
        </li>
      ))}
    </ul>
  );
}

/** The connected wallet's vote: whether the governor counted one (`hasVoted`) and, from the indexer, how. */
function YourVote({ p, vote, unavailable, symbol }: { p: Loaded; vote: IndexedVote | undefined; unavailable: boolean; symbol: string }) {
  const closed = !["Pending", "Active"].includes(p.state);
  let text: ReactNode = null;
  if (!p.hasVoted) text = closed ? "You did not vote on this proposal." : null;
  else if (vote) text = <>You voted {VOTE_NAMES[vote.support]} with <TokenAmount wei={BigInt(vote.weight)} symbol={symbol} />{vote.reason ? `: ${vote.reason}` : "."}</>;
  else text = <>You voted with <TokenAmount wei={p.weight} symbol={symbol} />. {unavailable ? HISTORY_UNAVAILABLE : "The indexer has not recorded how yet."}</>;
  if (!text) return null;
  return <p className="mt-4 rounded-lg bg-slate-50 p-3 text-sm text-slate-700" data-testid="your-vote">{text}</p>;
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

