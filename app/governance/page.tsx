"use client";

import Link from "next/link";
import { useState } from "react";
import { useQuery } from "@tanstack/react-query";
import { useAccount, usePublicClient } from "wagmi";
import { isAddress } from "viem";
import { Card, Button, Field, inputClass } from "../components/ui";
import { TokenAmount } from "../components/TokenAmount";
import { ConnectHint } from "../components/StatusBanners";
import { abis } from "../lib/contracts.generated";
import { useHolder } from "../lib/data";
import { useDeployment, useTransaction } from "../lib/hooks";
import { PROPOSAL_STATES, decodeAction, quorumPercent, sharePercent, summarise, tallyOf } from "../lib/governance";
import { MiniVoteBar } from "../components/Votes";
import { useNames } from "../lib/names";
import { shortAddress } from "../lib/format";

const PAGE_SIZE = 20;

/** One page of proposals, newest first: only this page's proposals are read from the chain. */
function useProposalPage(page: number) {
  const { deployment } = useDeployment();
  const publicClient = usePublicClient();
  return useQuery({
    queryKey: ["proposals", deployment?.contracts.governor, page],
    enabled: !!deployment && !!publicClient,
    queryFn: async () => {
      const gov = { address: deployment!.contracts.governor, abi: abis.governor } as const;
      // The chain's clock, not the browser's: they differ on a devnet whose time is moved forward.
      const [count, { timestamp: now }] = await Promise.all([publicClient!.readContract({ ...gov, functionName: "proposalCount" }), publicClient!.getBlock()]);
      const first = count - BigInt(page * PAGE_SIZE) - 1n;
      const indices: bigint[] = [];
      for (let i = first; i >= 0n && indices.length < PAGE_SIZE; i--) indices.push(i);
      const items = await Promise.all(
        indices.map(async (index) => {
          const [id, targets, , calldatas] = await publicClient!.readContract({ ...gov, functionName: "proposalDetailsAt", args: [index] });
          const [state, votes, snapshot] = await Promise.all([
            publicClient!.readContract({ ...gov, functionName: "state", args: [id] }),
            publicClient!.readContract({ ...gov, functionName: "proposalVotes", args: [id] }),
            publicClient!.readContract({ ...gov, functionName: "proposalSnapshot", args: [id] }),
          ]);
          const quorum = snapshot < now ? await publicClient!.readContract({ ...gov, functionName: "quorum", args: [snapshot] }).catch(() => undefined) : undefined;
          const actions = targets.map((t, i) => decodeAction(deployment!, t, calldatas[i]));
          return { id, state: PROPOSAL_STATES[state], votes, quorum, title: summarise(actions) };
        }),
      );
      return { count, items };
    },
  });
}

export default function GovernancePage() {
  const names = useNames();
  const [page, setPage] = useState(0);
  const { deployment } = useDeployment();
  const proposals = useProposalPage(page);
  const pages = proposals.data ? Math.max(1, Math.ceil(Number(proposals.data.count) / PAGE_SIZE)) : 1;
  if (!deployment) return <Card title="Governance"><p className="text-sm text-slate-600">The protocol is not deployed on this network.</p></Card>;
  return (
    <>
      <div className="grid gap-4 lg:grid-cols-3">
        <div className="lg:col-span-2">
          <Card title="Proposals">
            <div className="mb-3 flex items-center justify-between">
              <span className="text-sm text-slate-500" data-testid="proposal-count">{proposals.data ? `${proposals.data.count} proposals` : "Loading…"}</span>
              <div className="flex flex-wrap items-center gap-3">
                <Link href="/governance/delegates" className="text-sm text-indigo-700 underline" data-testid="delegates-link">Delegates</Link>
                <Link href="/governance/new" className="rounded-lg bg-indigo-600 px-3 py-1.5 text-sm font-medium text-white hover:bg-indigo-700" data-testid="new-proposal">New allocation proposal</Link>
              </div>
            </div>
            <ul className="divide-y divide-slate-100" data-testid="proposal-list">
              {proposals.data?.items.map((p) => {
                const tally = tallyOf(p.votes);
                const cast = tally.for + tally.against + tally.abstain;
                return (
                  <li key={String(p.id)} className="py-3">
                    <Link href={`/governance/${p.id}`} className="block rounded-lg p-1 hover:bg-slate-50" data-testid={`proposal-${p.id}`}>
                      <div className="flex flex-wrap items-center gap-2">
                        <span className="text-sm font-semibold">#{String(p.id)}</span>
                        <span className="rounded-full bg-slate-100 px-2 py-0.5 text-xs font-medium text-slate-700" data-testid={`proposal-${p.id}-state`}>{p.state}</span>
                        <span className="text-sm text-slate-800">{p.title}</span>
                      </div>
                      <div className="mt-2 max-w-xs"><MiniVoteBar tally={tally} /></div>
                      <div className="mt-1 text-xs text-slate-500" data-testid={`proposal-${p.id}-summary`}>
                        For {sharePercent(tally.for, cast)} % · votes <TokenAmount wei={cast} symbol={names.wrapped} short />
                        {p.quorum !== undefined && <> · <span data-testid={`proposal-${p.id}-quorum`}>{quorumPercent(tally, p.quorum)} % of quorum</span></>}
                      </div>
                    </Link>
                  </li>
                );
              })}
            </ul>
            <nav aria-label="Proposal pages" className="mt-3 flex items-center gap-2 text-sm">
              <Button variant="secondary" disabled={page === 0} onClick={() => setPage(page - 1)} data-testid="page-newer">Newer</Button>
              <span data-testid="page-indicator">Page {page + 1} of {pages}</span>
              <Button variant="secondary" disabled={page + 1 >= pages} onClick={() => setPage(page + 1)} data-testid="page-older">Older</Button>
            </nav>
          </Card>
        </div>
        <Delegate />
      </div>
    </>
  );
}

function Delegate() {
  const names = useNames();
  const { isConnected } = useAccount();
  const holder = useHolder();
  const { deployment } = useDeployment();
  const { send } = useTransaction();
  const [to, setTo] = useState("");
  const error = to && !isAddress(to) ? "Enter an address (0x followed by 40 hex digits)" : undefined;
  return (
    <Card title="Your votes">
      {!isConnected ? <ConnectHint what="delegate your votes" /> : (
        <div className="space-y-3 text-sm">
          <div>Voting power: <TokenAmount wei={holder.votes} symbol="votes" testId="voting-power" /></div>
          <div>{names.wrapped}: <TokenAmount wei={holder.wstBalance} symbol={names.wrapped} /></div>
          <div>Delegated to: <span data-testid="delegatee">{holder.delegatee && holder.delegatee !== "0x0000000000000000000000000000000000000000" ? shortAddress(holder.delegatee) : "nobody (votes inactive)"}</span></div>
          <Button data-testid="delegate-self" onClick={() => send("Delegate to yourself", { address: deployment!.contracts.wstFTM, abi: abis.wstFTM, functionName: "delegate", args: [holder.address!] })}>
            Delegate to myself
          </Button>
          <Field label="Or delegate to" htmlFor="delegate-to" error={error}>
            <input id="delegate-to" className={inputClass} placeholder="0x…" value={to} onChange={(e) => setTo(e.target.value.trim())} />
          </Field>
          <Button variant="secondary" disabled={!to || !!error} onClick={() => send("Delegate", { address: deployment!.contracts.wstFTM, abi: abis.wstFTM, functionName: "delegate", args: [to as `0x${string}`] })}>
            Delegate
          </Button>
          <p className="text-xs text-slate-500">Votes count from the moment you delegate: wrap {names.staked} into {names.wrapped} first, then delegate.</p>
          <p className="text-xs"><Link href="/governance/delegates" className="text-indigo-700 underline">Compare the delegates</Link> by voting power and votes cast.</p>
        </div>
      )}
    </Card>
  );
}
