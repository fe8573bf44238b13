"use client";

import Link from "next/link";
import { useAccount, useReadContract, useReadContracts } from "wagmi";
import { getAddress } from "viem";
import { Card, Button, Stat, Table } from "../../components/ui";
import { TokenAmount } from "../../components/TokenAmount";
import { ConnectHint } from "../../components/StatusBanners";
import { abis } from "../../lib/contracts.generated";
import { useHolder } from "../../lib/data";
import { useDeployment, useTransaction } from "../../lib/hooks";
import { HISTORY_UNAVAILABLE, useDelegates } from "../../lib/history";
import { sharePercent } from "../../lib/governance";
import { useNames } from "../../lib/names";
import { shortAddress } from "../../lib/format";

const ZERO = "0x0000000000000000000000000000000000000000";
const same = (a: string | undefined, b: string | undefined) => !!a && !!b && a.toLowerCase() === b.toLowerCase();

/**
 * Who holds the votes: the delegates the indexer knows (with how many accounts delegate to them and how
 * often they voted), each one's voting power and the supply read from the chain, so the figures are those
 * of the latest block even while the indexer is a few blocks behind.
 */
function useDelegateTable() {
  const { deployment } = useDeployment();
  const delegates = useDelegates();
  const listed = delegates.data?.delegates ?? [];
  const wst = deployment ? { address: deployment.contracts.wstFTM, abi: abis.wstFTM } : undefined;
  const supply = useReadContract({ address: wst?.address, abi: abis.wstFTM, functionName: "totalSupply", query: { enabled: !!wst } }).data;
  const powers = useReadContracts({
    contracts: wst ? listed.map((d) => ({ ...wst, functionName: "getVotes", args: [d.id] }) as const) : [],
    query: { enabled: !!wst },
  });
  const rows = listed
    .map((d, i) => ({ ...d, power: (powers.data?.[i]?.result as bigint | undefined) ?? BigInt(d.votingPower) }))
    .sort((a, b) => (b.power > a.power ? 1 : b.power < a.power ? -1 : 0));
  return { rows, supply, unavailable: delegates.unavailable, loaded: delegates.data !== undefined };
}

export default function DelegatesPage() {
  const names = useNames();
  const { isConnected } = useAccount();
  const { deployment } = useDeployment();
  const holder = useHolder();
  const { send } = useTransaction();
  const { rows, supply, unavailable, loaded } = useDelegateTable();
  if (!deployment) return <Card title="Delegates"><p className="text-sm text-slate-600">The protocol is not deployed on this network.</p></Card>;
  const mine = holder.delegatee && holder.delegatee !== ZERO ? holder.delegatee : undefined;
  const delegated = rows.reduce((s, r) => s + r.power, 0n);
  return (
    <>
      <Card title="Delegates">
        <p className="text-sm text-slate-600">
          {names.wrapped} counts as votes only once delegated, to yourself or to someone who votes for you. Each proposal counts the
          votes delegates held at its snapshot. <Link href="/governance" className="text-indigo-700 underline">Back to the proposals</Link>
        </p>
        <div className="mt-3 grid gap-2 sm:grid-cols-3">
          <Stat label="Delegates" testId="delegate-count">{loaded ? rows.length : "—"}</Stat>
          <Stat label="Votes delegated"><TokenAmount wei={loaded ? delegated : undefined} symbol={names.wrapped} short /></Stat>
          <Stat label={`${names.wrapped} supply`}><TokenAmount wei={supply} symbol={names.wrapped} short testId="wst-supply" /></Stat>
        </div>
        <div className="mt-3 text-sm" data-testid="your-delegate">
          {!isConnected ? <ConnectHint what="delegate your votes" />
            : mine && same(mine, holder.address) ? <>You delegate to yourself: <TokenAmount wei={holder.votes} symbol="votes" /> are yours to cast.</>
            : mine ? <>You delegate to <span className="break-all font-mono text-xs">{mine}</span>: your <TokenAmount wei={holder.wstBalance} symbol={names.wrapped} /> count as its votes.</>
            : <>You have not delegated: your {names.wrapped} counts as no votes until you delegate it.</>}
        </div>
      </Card>
      <Card title="By voting power">
        {unavailable ? <p className="text-sm text-slate-500" data-testid="history-unavailable">{HISTORY_UNAVAILABLE}</p>
          : !loaded ? <p className="text-sm text-slate-500">Loading the delegates…</p>
          : rows.length === 0 ? <p className="text-sm text-slate-500">Nobody has delegated yet.</p>
          : (
            <Table head={["Delegate", "Voting power", "Share of supply", "Delegators", "Votes cast", ""]} testId="delegates-table">
              {rows.map((r) => {
                const yours = same(r.id, mine);
                const who = getAddress(r.id);
                return (
                  <tr key={r.id} className={yours ? "bg-indigo-50" : undefined} data-testid={`delegate-${r.id.toLowerCase()}`} data-yours={yours}>
                    <td className="px-2 py-2">
                      <span className="font-mono text-xs" title={who}>{shortAddress(who)}</span>
                      {same(r.id, holder.address) && <span className="ml-1 text-xs text-slate-500">(you)</span>}
                      {yours && <span className="ml-2 rounded-full bg-indigo-600 px-2 py-0.5 text-xs font-medium text-white">Your delegate</span>}
                    </td>
                    <td className="px-2 py-2"><TokenAmount wei={r.power} symbol={names.wrapped} testId="delegate-power" /></td>
                    <td className="px-2 py-2" data-testid="delegate-share">{supply ? `${sharePercent(r.power, supply)} %` : "—"}</td>
                    <td className="px-2 py-2" data-testid="delegate-delegators">{r.delegators}</td>
                    <td className="px-2 py-2" data-testid="delegate-votes-cast">{r.votesCast}</td>
                    <td className="px-2 py-2 text-right">
                      <Button variant="secondary" className="whitespace-nowrap px-3 py-1" disabled={!isConnected || yours} data-testid="delegate-to"
                        onClick={() => send(`Delegate to ${shortAddress(who)}`, { address: deployment.contracts.wstFTM, abi: abis.wstFTM, functionName: "delegate", args: [who] })}>
                        Delegate to {shortAddress(who)}
                      </Button>
                    </td>
                  </tr>
                );
              })}
            </Table>
          )}
      </Card>
    </>
  );
}
