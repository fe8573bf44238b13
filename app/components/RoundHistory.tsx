"use client";

import { useState } from "react";
import { Button, Table } from "./ui";
import { TokenAmount } from "./TokenAmount";
import { HistoryStatus } from "./HistoryStatus";
import { useKeeperRounds } from "../lib/history";
import { formatDate, formatInteger, shortAddress } from "../lib/format";

const PAGE = 10;

/** The keeper rounds the indexer holds, newest first: when, who, what each cost and what it did. */
export function RoundHistory({ symbol }: { symbol: string }) {
  const [limit, setLimit] = useState(PAGE);
  const rounds = useKeeperRounds(limit);
  const rows = rounds.data?.rounds ?? [];
  if (rows.length === 0) return <HistoryStatus history={rounds} empty="No keeper round has run yet." />;
  return (
    <>
      <Table head={["Round", "Started", "Completed", "Calls", "Run by", "Gas", "Moves", `Delegated (${symbol})`, `Undelegated (${symbol})`, `Harvested (${symbol})`, "Withdrawals finalised"]} testId="rounds-table">
        {rows.map((r) => (
          <tr key={r.id} data-testid={`round-${r.id}`}>
            <td className="px-2 py-2">#{r.id}</td>
            <td className="px-2 py-2 whitespace-nowrap">{formatDate(BigInt(r.startedAt))}</td>
            <td className="px-2 py-2 whitespace-nowrap" data-testid={`round-${r.id}-completed`}>{r.completedAt ? formatDate(BigInt(r.completedAt)) : "unfinished"}</td>
            <td className="px-2 py-2" data-testid={`round-${r.id}-calls`}>{r.calls}</td>
            <td className="px-2 py-2" data-testid={`round-${r.id}-callers`}>
              {r.callers.map((c) => <span key={c} className="block whitespace-nowrap font-mono text-xs" title={c} data-address={c}>{shortAddress(c)}</span>)}
            </td>
            <td className="px-2 py-2 tabular-nums">{formatInteger(BigInt(r.gasUsed))}</td>
            <td className="px-2 py-2" data-testid={`round-${r.id}-moves`}>{r.moves}</td>
            <td className="px-2 py-2"><TokenAmount wei={BigInt(r.delegated)} symbol="" short /></td>
            <td className="px-2 py-2"><TokenAmount wei={BigInt(r.undelegated)} symbol="" short /></td>
            <td className="px-2 py-2"><TokenAmount wei={BigInt(r.harvested)} symbol="" short /></td>
            <td className="px-2 py-2">{r.finalised}</td>
          </tr>
        ))}
      </Table>
      {rows.length === limit && limit < 100 && (
        <Button variant="secondary" className="mt-3" data-testid="rounds-show-more" onClick={() => setLimit((n) => n + PAGE)}>
          Show older rounds
        </Button>
      )}
    </>
  );
}
