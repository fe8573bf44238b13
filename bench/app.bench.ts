// The app's part of `npm run bench` (also `npm run bundle` for the first test alone): the gzip size of
// the JavaScript each route loads; how long the overview and the proposals page take to show what they are
// for with 10,000 indexed events compared with the seeded devnet's few hundred; and how long the proposals
// page takes to show its first page with 1,000 proposals compared with 10. Writes bench/.out/app.json.
import { expect, test, type Browser, type Page, type Request, type Response } from "@playwright/test";
import { mkdirSync, readFileSync, writeFileSync, existsSync } from "node:fs";
import { gzipSync } from "node:zlib";
import { encodeFunctionData, parseEther, type Address } from "viem";
import { chain, fillProposals, indexerCaughtUp } from "../e2e/chain";

const OUT = "bench/.out";
const ROUTES = ["/", "/stake", "/governance", "/governance/1", "/governance/new", "/governance/delegates", "/validators", "/validators/1", "/validators/apply", "/operator"];

/** Resolves once the page's main thread is idle: hydration and the effects it runs (lazy imports) are done. */
const mainThreadIdle = (page: Page) =>
  page.evaluate(() => new Promise<void>((resolve) => requestIdleCallback(() => resolve(), { timeout: 10_000 })));

/**
 * Loads `path` in a fresh browser context (empty cache) and sums, gzip-compressed, every script the page
 * fetched until it settled: the chunks named in the HTML and those loaded lazily (charts).
 *
 * Settled means: the page's main thread went idle, every script request it started has finished, and a
 * quiet half second later it has started no new one. A fixed wait is not enough on a busy machine, where
 * hydration (which starts the lazy imports) can take longer than any such wait, and `waitForLoadState`
 * returns at once once the page has been idle a first time.
 * Every body read is awaited before the context closes. A body the page can no longer hand over (its
 * request was cut short) is fetched again from the server, through the same context, so that the figure
 * still counts it: chunks under `/_next/static/` are immutable, so the bytes are the same. Such re-reads
 * are counted and reported; only a script the server cannot serve again is an error.
 */
async function routeJs(browser: Browser, baseURL: string, path: string) {
  const context = await browser.newContext();
  const page = await context.newPage();
  const isScript = (request: Request) => request.resourceType() === "script" && request.url().startsWith(baseURL);
  const bodies = new Map<string, Promise<Buffer | null>>(); // by URL: a chunk fetched twice is loaded once
  let started = 0;
  let inFlight = 0;
  const onRequest = (request: Request) => {
    if (!isScript(request)) return;
    started++;
    inFlight++;
  };
  const onDone = (request: Request) => {
    if (isScript(request)) inFlight--;
  };
  const onResponse = (response: Response) => {
    if (!isScript(response.request()) || bodies.has(response.url())) return;
    bodies.set(response.url(), response.body().catch(() => null));
  };
  page.on("request", onRequest);
  page.on("requestfinished", onDone);
  page.on("requestfailed", onDone);
  page.on("response", onResponse);

  const html = await (await page.goto(`${baseURL}${path}`, { waitUntil: "networkidle" }))!.text();
  for (let seen = -1, rounds = 0; seen !== started || inFlight > 0; rounds++) {
    // Each round takes at least half a second: a page still loading scripts after a minute is a real fault.
    if (rounds === 120) throw new Error(`${path} has not settled: ${inFlight} script request(s) still open`);
    seen = started;
    await mainThreadIdle(page);
    await Promise.all(bodies.values());
    await page.waitForTimeout(500);
    await mainThreadIdle(page);
  }
  page.off("response", onResponse);

  const scripts: { url: string; gzip: number }[] = [];
  let reread = 0;
  for (const [url, read] of bodies) {
    let body = await read;
    if (body === null) {
      const again = await context.request.get(url);
      if (!again.ok()) throw new Error(`${url}: the page could not hand over its body and the server answers ${again.status()}`);
      body = await again.body();
      reread++;
    }
    scripts.push({ url, gzip: gzipSync(body).length });
  }
  await context.close();
  const named = new Set([...html.matchAll(/<script[^>]*\ssrc="([^"]+)"[^>]*>/g)].filter((m) => !/\snomodule/.test(m[0])).map((m) => new URL(m[1], baseURL).href));
  const kb = (xs: { gzip: number }[]) => Math.round((xs.reduce((s, x) => s + x.gzip, 0) / 1024) * 10) / 10;
  return { totalKB: kb(scripts), initialKB: kb(scripts.filter((s) => named.has(s.url))), files: scripts.length, reread };
}

/** Adds `app` figures to bench/.out/app.json, keeping those another test of this file wrote. */
function saveApp(figures: object) {
  mkdirSync(OUT, { recursive: true });
  const file = `${OUT}/app.json`;
  const before = existsSync(file) ? JSON.parse(readFileSync(file, "utf8")) : { app: {} };
  writeFileSync(file, JSON.stringify({ app: { ...before.app, ...figures } }, null, 2) + "\n");
}

test("route bundle sizes: gzip JavaScript each route loads", async ({ browser, baseURL }) => {
  const routes: Record<string, Awaited<ReturnType<typeof routeJs>>> = {};
  for (const path of ROUTES) routes[path] = await routeJs(browser, baseURL!, path);
  const heaviest = Object.entries(routes).sort((a, b) => b[1].totalKB - a[1].totalKB)[0];
  console.log(Object.entries(routes).map(([p, r]) => `${p.padEnd(20)} ${String(r.totalKB).padStart(7)} KB gzip (${r.initialKB} KB named in the HTML, ${r.files} files${r.reread ? `, ${r.reread} read again from the server` : ""})`).join("\n"));
  console.log(`heaviest: ${heaviest[0]} ${heaviest[1].totalKB} KB`);
  // Bodies the page could not hand over (cut-short requests), fetched again so that the sizes stay complete.
  const reread = Object.values(routes).reduce((n, r) => n + r.reread, 0);
  console.log(`script bodies read again from the server: ${reread}`);
  const figures = Object.fromEntries(Object.entries(routes).map(([p, { reread: _, ...r }]) => [p, r]));
  saveApp({ maxRouteGzipKB: heaviest[1].totalKB, heaviestRoute: heaviest[0], routes: figures, scriptBodiesReread: reread });
});

/** Every log the suite's contracts have emitted up to the chain's head, and that head. */
async function suiteLogCount() {
  const { publicClient, record } = chain();
  const toBlock = await publicClient.getBlockNumber({ cacheTime: 0 });
  const addresses = Object.values(record.contracts) as Address[];
  const logs = await publicClient.getLogs({ address: addresses, fromBlock: BigInt(record.startBlock), toBlock });
  return { events: logs.length, head: toBlock };
}

/**
 * Stakes-and-wraps of 0.01 by the seeded holders, sent with automining off and mined `perBlock` to a block,
 * as a busy chain packs them, until the suite's contracts have emitted at least `events` logs (each such
 * transaction emits several: the stake, the mint, the wrap and the wrapped token's transfer and votes).
 */
async function stakeUntil(events: number, perBlock = 150) {
  const { publicClient, testClient, wallet, wstFTM, record } = chain();
  const holders = record.accounts.holders as Address[];
  const nonces = await Promise.all(holders.map((h) => publicClient.getTransactionCount({ address: h, blockTag: "pending" })));
  let count = (await suiteLogCount()).events;
  let sent = 0;
  await testClient.setAutomine(false);
  try {
    while (count < events) {
      // Each holder sends its share of the block in nonce order; the holders send side by side.
      await Promise.all(holders.map(async (holder, h) => {
        const data = encodeFunctionData({ abi: wstFTM.abi, functionName: "stakeAndWrap", args: [holder] } as never);
        for (let k = h; k < perBlock; k += holders.length) {
          await wallet.sendTransaction({ account: holder, to: wstFTM.address, data, value: parseEther("0.01"), nonce: nonces[h]++, gas: 400_000n, chain: wallet.chain });
        }
      }));
      sent += perBlock;
      await testClient.mine({ blocks: 1 });
      count = (await suiteLogCount()).events;
      console.log(`[paint] ${sent} stake-and-wraps sent, ${count} events on chain`);
    }
  } finally {
    await testClient.setAutomine(true);
  }
  const head = await publicClient.getBlock({ blockTag: "latest" });
  const receipt = await publicClient.getTransactionReceipt({ hash: head.transactions.at(-1) as `0x${string}` });
  if (receipt.status !== "success") throw new Error("the last stake-and-wrap reverted");
  return sent;
}

test("overview and proposals page: first meaningful paint with 10,000 indexed events vs the seeded few hundred", async ({ browser, baseURL }) => {
  test.setTimeout(1_800_000);
  const t0 = Date.now();
  const step = (what: string) => console.log(`[paint] ${what} (${Math.round((Date.now() - t0) / 1000)} s)`);
  // What each page is for, on screen: the overview's total value locked and its APR (from the indexer),
  // the proposals page's first rows. Median of 7 cold loads (a fresh context each).
  const ready = {
    "/": async (page: Page) => {
      await expect(page.getByTestId("tvl")).not.toContainText("…", { timeout: 60_000 });
      await expect(page.getByTestId("apr")).toContainText("%", { timeout: 60_000 });
    },
    "/governance": async (page: Page) => {
      await expect(page.getByTestId("proposal-list").locator("li").first()).toBeVisible({ timeout: 60_000 });
    },
  };
  async function paintMs(path: keyof typeof ready) {
    const times: number[] = [];
    for (let i = 0; i < 7; i++) {
      const context = await browser.newContext();
      const page = await context.newPage();
      const started = Date.now();
      await page.goto(`${baseURL}${path}`);
      await ready[path](page);
      times.push(Date.now() - started);
      await context.close();
    }
    times.sort((a, b) => a - b);
    return { medianMs: times[3], runsMs: times };
  }

  const few = await suiteLogCount();
  await indexerCaughtUp(480_000, few.head);
  step(`the indexer holds the seeded devnet's ${few.events} events`);
  const before = { "/": await paintMs("/"), "/governance": await paintMs("/governance") };
  step("pages loaded with the seeded events");

  // Up to 10,000 events; then the indexer catches up before the pages load again.
  const sentAt = Date.now();
  const transactions = await stakeUntil(10_000);
  const many = await suiteLogCount();
  step(`${transactions} transactions sent: ${many.events} events`);
  expect(many.events).toBeGreaterThanOrEqual(10_000);
  const sentMs = Date.now() - sentAt;
  const catchUpMs = await indexerCaughtUp(480_000, many.head);
  step("the indexer holds them all");
  const after = { "/": await paintMs("/"), "/governance": await paintMs("/governance") };

  const row = (path: keyof typeof ready) => ({
    eventsBefore: few.events,
    eventsAfter: many.events,
    beforeMs: before[path].medianMs,
    afterMs: after[path].medianMs,
    ratio: Math.round((after[path].medianMs / before[path].medianMs) * 100) / 100,
    runsBeforeMs: before[path].runsMs,
    runsAfterMs: after[path].runsMs,
  });
  const result = { overview: row("/"), proposals: row("/governance") };
  console.log(`first meaningful paint with ${few.events} → ${many.events} indexed events (median of 7 cold loads): overview ${result.overview.beforeMs} → ${result.overview.afterMs} ms (${result.overview.ratio}×), proposals ${result.proposals.beforeMs} → ${result.proposals.afterMs} ms (${result.proposals.ratio}×); the indexer reached the head ${catchUpMs} ms after the last block, ${sentMs} ms after the first transaction was sent`);
  saveApp({ paintIndexerCatchUpMs: catchUpMs });
  saveApp({ paintWithManyEvents: result });
});

test("proposals page: time to the first page with 1,000 proposals vs 10", async ({ browser, baseURL }) => {
  // Median of several cold loads (fresh context each), until the first page's rows are on screen.
  async function firstPageMs(expected: number) {
    const times: number[] = [];
    for (let i = 0; i < 7; i++) {
      const context = await browser.newContext();
      const page = await context.newPage();
      const started = Date.now();
      await page.goto(`${baseURL}/governance`);
      await expect(page.getByTestId("proposal-list").locator("li")).toHaveCount(expected, { timeout: 60_000 });
      times.push(Date.now() - started);
      await context.close();
    }
    times.sort((a, b) => a - b);
    return { medianMs: times[3], runsMs: times };
  }
  const { governor } = chain();
  await fillProposals(10, "Bench proposal");
  expect(Number(await governor.read.proposalCount())).toBe(10);
  const ten = await firstPageMs(10);
  await fillProposals(1000, "Bench proposal");
  expect(Number(await governor.read.proposalCount())).toBe(1000);
  const thousand = await firstPageMs(20);
  const ratio = Math.round((thousand.medianMs / ten.medianMs) * 100) / 100;
  console.log(`first page: 10 proposals ${ten.medianMs} ms, 1,000 proposals ${thousand.medianMs} ms (median of 7), ratio ${ratio}`);
  saveApp({ proposals1000vs10: ratio, proposalsFirstPageMs: { "10": ten, "1000": thousand } });
});
