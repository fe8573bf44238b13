// The app's part of `npm run bench` (also `npm run bundle` for the first test alone): the gzip size of
// the JavaScript each route loads, and how long the proposals page takes to show its first page with
// 1,000 proposals compared with 10. Writes bench/.out/app.json.
import { expect, test, type Browser, type Page, type Request, type Response } from "@playwright/test";
import { mkdirSync, readFileSync, writeFileSync, existsSync } from "node:fs";
import { gzipSync } from "node:zlib";
import { chain, fillProposals } from "../e2e/chain";

const OUT = "bench/.out";
const ROUTES = ["/", "/stake", "/governance", "/governance/1", "/governance/new", "/governance/delegates", "/validators", "/validators/apply", "/operator"];

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
