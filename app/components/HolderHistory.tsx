"use client";

import { useAccount } from "wagmi";
import { Card, Table } from "./ui";
import { TokenAmount } from "./TokenAmount";
import { HISTORY_UNAVAILABLE, useAccountHistory } from "../lib/history";
import { accountTimeline, type TimelineRow } from "../lib/accountTimeline";
import { explorerTx } from "../lib/chains";
import { formatAmount, formatDate, shortAddress } from "../lib/format";
import { useDeployment } from "../lib/hooks";
import { useNames, type Names } from "../lib/names";

/** Rows shown: the newest ones. */
const SHOWN = 10;

/** What a row says happened. */
function describe(r: TimelineRow, names: Names): string {
  switch (r.kind) {
    case "stake": return "Stake";
    case "request": return `Withdrawal #${r.requestId} requested`;
    case "receipt-in": return `Receipt #${r.requestId} received`;
    case "receipt-out": return `Receipt #${r.requestId} sent`;
    case "claim": return `Withdrawal #${r.requestId} claimed`;
    case "wrap": return `Wrap into ${formatAmount(r.wrapped)} ${names.wrapped}`;
    case "unwrap": return `Unwrap of ${formatAmount(r.wrapped)} ${names.wrapped}`;
  }
}

/** The connected holder's stakes, withdrawal requests, receipts received and sent, claims and wraps, from the indexer. */
export function HolderHistory() {
  const { address } = useAccount();
  const { chainId } = useDeployment();
  const names = useNames();
  const history = useAccountHistory(address);
  const rows = history.data && address ? accountTimeline(history.data, address) : undefined;
  return (
    <Card title="Your history" testId="account-history">
      {history.unavailable ? (
        <p className="text-sm text-slate-500" data-testid="account-history-unavailable">{HISTORY_UNAVAILABLE}</p>
      ) : !rows ? (
        <p className="text-sm text-slate-500">Loading…</p>
      ) : rows.length === 0 ? (
        <p className="text-sm text-slate-500" data-testid="account-history-empty">No stakes, withdrawals, claims or wraps yet.</p>
      ) : (
        <>
          <Table head={["When", "What", "Amount", "Transaction"]} testId="account-history-table">
            {rows.slice(0, SHOWN).map((r) => {
              const link = explorerTx(chainId, r.txHash);
              return (
                <tr key={r.key} data-testid={`history-${r.kind}`}>
                  <td className="px-2 py-2 whitespace-nowrap">{formatDate(r.timestamp)}</td>
                  <td className="px-2 py-2">
                    {describe(r, names)}
                    {r.counterparty && <span className="text-slate-500"> ({r.counterparty.role} {shortAddress(r.counterparty.address)})</span>}
                  </td>
                  <td className="px-2 py-2">{r.amount !== undefined ? <TokenAmount wei={r.amount} symbol={r.token === "native" ? names.native : names.staked} /> : "—"}</td>
                  <td className="px-2 py-2">
                    {link ? <a href={link} target="_blank" rel="noreferrer" className="text-indigo-700 underline">{shortAddress(r.txHash)}</a> : <code className="text-xs">{shortAddress(r.txHash)}</code>}
                  </td>
                </tr>
              );
            })}
          </Table>
          <p className="mt-2 text-xs text-slate-500" data-testid="account-history-count">
            {rows.length > SHOWN ? `The newest ${SHOWN} of ${rows.length}.` : `All ${rows.length}.`} The indexer follows the chain a few blocks behind.
          </p>
        </>
      )}
    </Card>
  );
}
