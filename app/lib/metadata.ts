// A validator's metadata, from the URI it gave the registry when it applied: a data: URI, an https URL or
// an ipfs:// address of a small JSON document `{ "name": …, "website": …, "description": … }`. Whatever it
// holds is a stranger's text: it is fetched with a time limit and a size limit, trimmed, stripped of
// control characters, and a website is kept only when it is an https URL.

export interface ValidatorMetadata {
  name?: string;
  website?: string;
  description?: string;
}

export const METADATA_TIMEOUT_MS = 5_000;
const MAX_BYTES = 16_384;
const IPFS_GATEWAY = process.env.NEXT_PUBLIC_IPFS_GATEWAY ?? "https://ipfs.io/ipfs/";

/** Where the JSON document of `uri` is fetched from, or undefined when it is not a scheme we read. */
export function metadataUrl(uri: string): string | undefined {
  if (uri.startsWith("https://")) return uri;
  if (uri.startsWith("ipfs://")) {
    const path = uri.slice("ipfs://".length).replace(/^ipfs\//, "");
    return path ? `${IPFS_GATEWAY}${path}` : undefined;
  }
  return undefined;
}

function clean(value: unknown, max: number): string | undefined {
  if (typeof value !== "string") return undefined;
  // eslint-disable-next-line no-control-regex
  const text = value.replace(/[\u0000-\u001f\u007f-\u009f\u200b-\u200f\u202a-\u202e\u2066-\u2069]/g, "").trim();
  return text ? text.slice(0, max) : undefined;
}

/** The fields we show, cleaned; anything else in the document is ignored. */
export function parseMetadata(json: unknown): ValidatorMetadata {
  if (!json || typeof json !== "object") return {};
  const o = json as Record<string, unknown>;
  const website = clean(o.website, 200);
  let safeWebsite: string | undefined;
  try {
    safeWebsite = website && new URL(website).protocol === "https:" ? new URL(website).toString() : undefined;
  } catch {}
  return { name: clean(o.name, 48), website: safeWebsite, description: clean(o.description, 280) };
}

/** Decodes a data: URI's JSON (URL-encoded or base64). */
export function decodeDataUri(uri: string): unknown {
  const m = /^data:application\/json(;charset=[\w-]+)?(;base64)?,(.*)$/s.exec(uri);
  if (!m) return undefined;
  try {
    const body = m[2] ? new TextDecoder().decode(Uint8Array.from(atob(m[3]), (c) => c.charCodeAt(0))) : decodeURIComponent(m[3]);
    return JSON.parse(body);
  } catch {
    return undefined;
  }
}

/**
 * Reads the metadata of `uri`: at once for a data: URI; for https and ipfs, one fetch that gives up after
 * `METADATA_TIMEOUT_MS` or past 16 KB. Never throws: what cannot be read is an empty result.
 */
export async function loadMetadata(uri: string, fetchImpl: typeof fetch = fetch, timeoutMs = METADATA_TIMEOUT_MS): Promise<ValidatorMetadata> {
  if (uri.startsWith("data:")) return parseMetadata(decodeDataUri(uri));
  const url = metadataUrl(uri);
  if (!url) return {};
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), timeoutMs);
  try {
    const res = await fetchImpl(url, { signal: controller.signal, credentials: "omit", redirect: "follow" });
    if (!res.ok || Number(res.headers.get("content-length") ?? 0) > MAX_BYTES) return {};
    const text = await res.text();
    if (text.length > MAX_BYTES) return {};
    return parseMetadata(JSON.parse(text));
  } catch {
    return {};
  } finally {
    clearTimeout(timer);
  }
}
