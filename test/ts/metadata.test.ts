// Validator metadata as the app reads it (app/lib/metadata.ts): data:, https and ipfs JSON, a time limit,
// and a stranger's text made safe to show.
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { loadMetadata, metadataUrl, parseMetadata } from "../../app/lib/metadata.js";
import { validatorName } from "../../app/lib/format.js";

const json = (body: unknown, init: ResponseInit = {}) => async () => new Response(JSON.stringify(body), { status: 200, ...init });

describe("validator metadata", () => {
  it("reads names from URL-encoded and base64 data: URIs, and falls back to the id", () => {
    const doc = { name: "Nordic Nodes", website: "https://nordic.example" };
    assert.equal(validatorName(3n, `data:application/json,${encodeURIComponent(JSON.stringify(doc))}`), "Nordic Nodes");
    assert.equal(validatorName(4n, `data:application/json;base64,${Buffer.from(JSON.stringify(doc)).toString("base64")}`), "Nordic Nodes");
    assert.equal(validatorName(10n, "ipfs://bafy"), "Validator #10");
    assert.equal(validatorName(11n, "data:application/json,{not json"), "Validator #11");
  });

  it("fetches https and ipfs documents through the gateway", async () => {
    assert.equal(metadataUrl("ipfs://bafyabc/meta.json"), "https://ipfs.io/ipfs/bafyabc/meta.json");
    assert.equal(metadataUrl("ipfs://ipfs/bafyabc"), "https://ipfs.io/ipfs/bafyabc");
    assert.equal(metadataUrl("http://plain.example/meta.json"), undefined);
    const asked: string[] = [];
    const fetchSpy = (async (url: string) => {
      asked.push(url);
      return new Response(JSON.stringify({ name: "From IPFS" }));
    }) as unknown as typeof fetch;
    assert.deepEqual(await loadMetadata("ipfs://bafyabc", fetchSpy), { name: "From IPFS", website: undefined, description: undefined });
    assert.deepEqual(asked, ["https://ipfs.io/ipfs/bafyabc"]);
    assert.equal((await loadMetadata("https://v.example/m.json", json({ name: "Over HTTPS" }) as unknown as typeof fetch)).name, "Over HTTPS");
  });

  it("gives up on a server that does not answer in time, and on errors, without throwing", async () => {
    const hanging = ((_url: string, init?: RequestInit) =>
      new Promise((_resolve, reject) => init?.signal?.addEventListener("abort", () => reject(new Error("aborted"))))) as unknown as typeof fetch;
    assert.deepEqual(await loadMetadata("https://slow.example/m.json", hanging, 50), {});
    assert.deepEqual(await loadMetadata("https://v.example/m.json", json({ name: "x" }, { status: 404 }) as unknown as typeof fetch), {});
    const huge = (async () => new Response(JSON.stringify({ name: "x".repeat(20_000) }))) as unknown as typeof fetch;
    assert.deepEqual(await loadMetadata("https://v.example/m.json", huge), {});
    assert.deepEqual(await loadMetadata("https://v.example/m.json", (async () => new Response("<html>")) as unknown as typeof fetch), {});
  });

  it("keeps only safe text: no control or direction characters, bounded lengths, https websites only", () => {
    const m = parseMetadata({ name: "  Evil\u202eeman\u0007 Validator  ", website: "javascript:alert(1)", description: "d".repeat(1000) });
    assert.equal(m.name, "Evileman Validator");
    assert.equal(m.website, undefined);
    assert.equal(m.description?.length, 280);
    assert.equal(parseMetadata({ name: "n".repeat(100) }).name?.length, 48);
    assert.equal(parseMetadata({ website: "http://insecure.example" }).website, undefined);
    assert.equal(parseMetadata({ website: "https://ok.example/path" }).website, "https://ok.example/path");
    assert.deepEqual(parseMetadata("a string"), {});
    assert.deepEqual(parseMetadata({ name: 42 }), { name: undefined, website: undefined, description: undefined });
  });
});
