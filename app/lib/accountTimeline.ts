// One holder's history as the stake page lists it: stakes, withdrawal requests, receipts received and sent,
// claims, wraps and unwraps, newest first, from the indexer's /history/account answer.
import type { AccountHistory } from "./history";

const ZERO = "0x0000000000000000000000000000000000000000";

export type TimelineKind = "stake" | "request" | "receipt-in" | "receipt-out" | "claim" | "wrap" | "unwrap";

export type TimelineRow = {
  key: string;
  kind: TimelineKind;
  /** The withdrawal request a row is about, if any. */
  requestId?: bigint;
  /** Staked, requested or paid (native wei), or wrapped or unwrapped (staked token); undefined when the indexer's answer does not say. */
  amount?: bigint;
  token: "native" | "staked";
  /** Wrapped tokens minted by a wrap or burnt by an unwrap. */
  wrapped?: bigint;
  /** The other side of a stake made for or by someone else, or of a receipt transfer. */
  counterparty?: { role: "for" | "by" | "from" | "to"; address: string };
  timestamp: bigint;
  txHash: string;
};

/**
 * The rows for `account`, newest first. Receipt mints and burns are left out: the request and the claim rows
 * already say them. A `stakeAndWrap` shows as a wrap: the wrapper, not the holder, is the stake's sender.
 */
export function accountTimeline(history: AccountHistory, account: string): TimelineRow[] {
  const me = account.toLowerCase();
  const same = (a: string | undefined) => a?.toLowerCase() === me;
  const amountOf = new Map(history.withdrawals.map((w) => [w.id, BigInt(w.amount)]));
  const rows: TimelineRow[] = [];
  for (const s of history.stakes) {
    rows.push({
      key: `stake-${s.txHash}-${s.receiver}`,
      kind: "stake",
      amount: BigInt(s.amount),
      token: "native",
      counterparty: !same(s.sender) ? { role: "by", address: s.sender } : same(s.receiver) ? undefined : { role: "for", address: s.receiver },
      timestamp: BigInt(s.timestamp),
      txHash: s.txHash,
    });
  }
  for (const w of history.withdrawals.filter((w) => same(w.requester))) {
    rows.push({ key: `request-${w.id}`, kind: "request", requestId: BigInt(w.id), amount: BigInt(w.amount), token: "native", timestamp: BigInt(w.requestedAt), txHash: w.requestTx });
  }
  for (const t of history.receiptTransfers.filter((t) => t.from !== ZERO && t.to !== ZERO)) {
    const incoming = same(t.to);
    rows.push({
      key: `receipt-${t.txHash}-${t.requestId}-${incoming ? "in" : "out"}`,
      kind: incoming ? "receipt-in" : "receipt-out",
      requestId: BigInt(t.requestId),
      amount: amountOf.get(t.requestId),
      token: "native",
      counterparty: incoming ? { role: "from", address: t.from } : { role: "to", address: t.to },
      timestamp: BigInt(t.timestamp),
      txHash: t.txHash,
    });
  }
  for (const c of history.claims) {
    rows.push({ key: `claim-${c.txHash}-${c.requestId}`, kind: "claim", requestId: BigInt(c.requestId), amount: BigInt(c.amount), token: "native", timestamp: BigInt(c.timestamp), txHash: c.txHash });
  }
  for (const w of history.wraps) {
    const kind = w.kind === "unwrap" ? "unwrap" : "wrap";
    rows.push({ key: `${kind}-${w.txHash}`, kind, amount: BigInt(w.stAmount), token: "staked", wrapped: BigInt(w.wstAmount), timestamp: BigInt(w.timestamp), txHash: w.txHash });
  }
  // Newest first; within one block, later steps of a withdrawal's life first.
  const order: TimelineKind[] = ["stake", "wrap", "unwrap", "request", "receipt-in", "receipt-out", "claim"];
  return rows.sort((a, b) => (a.timestamp !== b.timestamp ? (a.timestamp > b.timestamp ? -1 : 1) : order.indexOf(b.kind) - order.indexOf(a.kind)));
}
