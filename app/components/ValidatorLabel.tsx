"use client";

import { useQuery } from "@tanstack/react-query";
import { loadMetadata } from "../lib/metadata";

/**
 * A validator's name and website from its metadata (data:, https or ipfs JSON, fetched with a time limit),
 * with its id. Until the metadata answers, or when it cannot be read, the registry's name is shown.
 * Everything shown is text (never HTML), and only an https website becomes a link.
 */
export function ValidatorLabel({ id, fallbackName, metadataURI }: { id: bigint; fallbackName: string; metadataURI: string }) {
  const meta = useQuery({
    queryKey: ["validator-metadata", metadataURI],
    queryFn: () => loadMetadata(metadataURI),
    enabled: metadataURI.length > 0,
    staleTime: 3_600_000,
    retry: 0,
  });
  const name = meta.data?.name ?? fallbackName;
  const showId = name !== `Validator #${id}`;
  return (
    <span data-testid={`validator-${id}-label`}>
      <span className="font-medium" data-testid={`validator-${id}-name`}>{name}</span>
      {showId && <span className="text-xs text-slate-500"> #{String(id)}</span>}
      {meta.data?.website && (
        <a href={meta.data.website} target="_blank" rel="noopener noreferrer nofollow" className="ml-2 text-xs text-indigo-700 underline" data-testid={`validator-${id}-website`}>
          {new URL(meta.data.website).host}
        </a>
      )}
      {meta.data?.description && <span className="block max-w-xs truncate text-xs text-slate-500" title={meta.data.description}>{meta.data.description}</span>}
    </span>
  );
}
