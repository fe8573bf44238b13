"use client";

// Several validators' history at once, for the validator set's page. Apart from history.ts, which almost every
// page's code includes: useQueries (and its observer) would otherwise weigh on all of them.
import { useQueries } from "@tanstack/react-query";
import { INDEXER_URL, historyQuery, validatorPath, type Snapshots } from "./history";

/**
 * The newest `limit` snapshots of several validators at once (one request each, cached with
 * useValidatorHistory's): by validator id, and `unavailable` when the indexer did not answer for any.
 */
export function useValidatorHistories(ids: readonly bigint[], limit: number) {
  return useQueries({
    queries: ids.map((id) => historyQuery<Snapshots, Snapshots>(validatorPath(id, limit), { refetchMs: 60_000 })),
    combine: (results) => ({
      byId: new Map(ids.map((id, i) => [id, results[i].data ?? undefined])),
      unavailable: !INDEXER_URL || results.some((r) => r.isError),
      isLoading: !!INDEXER_URL && results.some((r) => r.isLoading),
    }),
  });
}
