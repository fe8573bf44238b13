"use client";

// History comes from the indexer (indexer/, Ponder), never from log scans in the browser: a public RPC
// refuses getLogs over a deployment's whole range within days on Sonic's block rate. The indexer's URL is
// NEXT_PUBLIC_INDEXER_URL; without it, or when it does not answer, every hook here says `unavailable` and
// the panels say that history is unavailable (the actions keep working from the RPC).
import { useQuery } from "@tanstack/react-query";

export const INDEXER_URL = process.env.NEXT_PUBLIC_INDEXER_URL?.replace(/\/+$/, "") || undefined;

/** How long one indexer request may take before the panel gives up and says history is unavailable. */
const TIMEOUT_MS = 5_000;

/**
 * The indexer's answer to one /history path, as JSON (bigints arrive as decimal strings); null when the
 * indexer does not have it (404: not indexed yet, the indexer follows a few blocks behind the chain).
 */
export async function fetchHistory<T>(path: string): Promise<T | null> {
  if (!INDEXER_URL) throw new Error("No indexer is configured (NEXT_PUBLIC_INDEXER_URL).");
  const res = await fetch(`${INDEXER_URL}${path}`, { signal: AbortSignal.timeout(TIMEOUT_MS) });
  if (res.status === 404) return null;
  if (!res.ok) throw new Error(`The indexer answered ${res.status} for ${path}.`);
  return (await res.json()) as T;
}

type HistoryOptions<T, R> = { refetchMs?: number; select?: (data: T) => R };

/**
 * The query for one /history path. A refused or failed request is tried once more a second later (the
 * indexer may be restarting); one that timed out is not, as it has already waited TIMEOUT_MS: a panel
 * says that history is unavailable within about that long, whichever way the indexer fails.
 */
export function historyQuery<T, R>(path: string | undefined, { refetchMs, select }: HistoryOptions<T, R>) {
  return {
    queryKey: ["indexer", INDEXER_URL, path],
    enabled: !!INDEXER_URL && !!path,
    queryFn: () => fetchHistory<T>(path!),
    select: (d: T | null): R | null => (d === null ? null : select ? select(d) : (d as unknown as R)),
    retry: (failures: number, error: Error) => failures < 1 && error.name !== "TimeoutError",
    retryDelay: 1_000,
    refetchInterval: refetchMs ?? 15_000,
  };
}

/**
 * One indexer query. `unavailable` is true when no indexer is configured or it failed to answer, so a panel
 * never waits forever; `refetchMs` keeps it fresh while the chain moves.
 */
export function useHistory<T, R = T>(path: string | undefined, options: HistoryOptions<T, R> = {}) {
  const q = useQuery(historyQuery(path, options));
  return { data: q.data, unavailable: !INDEXER_URL || q.isError, isLoading: !!INDEXER_URL && q.isLoading, refetch: q.refetch };
}

/** The sentence every history panel shows when the indexer is missing or down. */
export const HISTORY_UNAVAILABLE = "History is unavailable: the indexer does not answer. Balances and actions still work.";

type Wire = string; // a bigint as a decimal string

export type AprWindow = { days: number; apr: number | null; fromTime: Wire | null; toTime: Wire | null; coveredSeconds: number; complete: boolean };

/** Rate points (FTM per stFTM share, as a number for charts) and the APR over 7 and 30 days, net of the fee. */
export function useRateHistory() {
  return useHistory<{ points: { time: Wire; rate: Wire }[]; apr: AprWindow[] }, { points: { time: number; rate: number }[]; windows: AprWindow[] }>(
    "/history/rate?limit=200",
    {
      select: (d) => ({
        points: d.points.map((p) => ({ time: Number(p.time), rate: Number(BigInt(p.rate) / 10n ** 9n) / 1e9 })),
        windows: d.apr,
      }),
    },
  );
}

export type IndexedProposal = {
  id: Wire;
  proposer: `0x${string}`;
  description: string;
  voteStart: Wire;
  voteEnd: Wire;
  createdAt: Wire;
  forVotes: Wire;
  againstVotes: Wire;
  abstainVotes: Wire;
  voters: number;
  extendedDeadline: Wire | null;
  queuedAt: Wire | null;
  eta: Wire | null;
  executedAt: Wire | null;
  canceledAt: Wire | null;
};
export type IndexedVote = { voter: `0x${string}`; support: number; weight: Wire; reason: string; timestamp: Wire; forAfter: Wire; againstAfter: Wire; abstainAfter: Wire; txHash: `0x${string}` };
export type TimelineEntry = { kind: string; at: Wire | null; timestamp: Wire; txHash: `0x${string}` };

/**
 * One proposal's description, votes (with reasons and the tally after each) and timeline. A proposal the
 * indexer has not reached yet (it runs a few blocks behind) answers 404: asked again every 3 s until it is there.
 */
export function useProposalHistory(id: bigint | undefined) {
  return useHistory<{ proposal: IndexedProposal; votes: IndexedVote[]; timeline: TimelineEntry[] }>(id !== undefined ? `/history/proposals/${id}` : undefined, { refetchMs: 3_000 });
}

export type Delegate = { id: `0x${string}`; votingPower: Wire; delegators: number; votesCast: number };
export function useDelegates(limit = 100) {
  return useHistory<{ delegates: Delegate[] }>(`/history/delegates?limit=${limit}`);
}

export type AccountHistory = {
  stakes: { sender: string; receiver: string; amount: Wire; shares: Wire; timestamp: Wire; txHash: string }[];
  withdrawals: { id: Wire; requester: string; owner: string; amount: Wire; status: string; requestedAt: Wire; requestTx: string; finalisedAmount: Wire | null; claimedAt: Wire | null }[];
  receiptTransfers: { requestId: Wire; from: string; to: string; timestamp: Wire; txHash: string }[];
  claims: { requestId: Wire; owner: string; recipient: string; amount: Wire; timestamp: Wire; txHash: string }[];
  tokenTransfers: { token: string; from: string; to: string; amount: Wire; timestamp: Wire; txHash: string }[];
  wraps: { kind: string; stAmount: Wire; wstAmount: Wire; timestamp: Wire; txHash: string }[];
  delegatee: string | null;
};
export function useAccountHistory(address: `0x${string}` | undefined) {
  return useHistory<AccountHistory>(address ? `/history/account/${address}` : undefined);
}

export type ValidatorSnapshot = { id: string; validatorId: Wire; stake: Wire; weightBps: number; commission: Wire; cause: string; timestamp: Wire; blockNumber: Wire };
export type Snapshots = { snapshots: ValidatorSnapshot[] };
export const validatorPath = (id: bigint, limit?: number) => `/history/validators/${id}${limit ? `?limit=${limit}` : ""}`;

/** One validator's pool stake, target and the SFC's commission after each change (oldest first; the newest `limit`). */
export function useValidatorHistory(id: bigint | undefined, limit?: number) {
  return useHistory<Snapshots>(id !== undefined ? validatorPath(id, limit) : undefined);
}

export type KeeperRound = {
  id: number;
  startedAt: Wire;
  completedAt: Wire | null;
  calls: number;
  gasUsed: Wire;
  callers: string[];
  moves: number;
  delegated: Wire;
  undelegated: Wire;
  harvested: Wire;
  finalised: number;
};
export function useKeeperRounds(limit = 10) {
  return useHistory<{ rounds: KeeperRound[] }>(`/history/rounds?limit=${limit}`);
}
