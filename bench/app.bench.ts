// The app's part of `npm run bench` (also `npm run bundle` for the first test alone): the gzip size of
// the JavaScript each route loads, and how long the proposals page takes to show its first page with
// 1,000 proposals compared with 10. Writes bench/.out/app.json.
import { expect, test, type Browser } from "@playwright/test";
import { mkdirSync, readFileSync, writeFileSync, existsSync } from "node:fs";
import { gzipSync } from "node:zlib";
import { chain, fillProposals } from "../e2e/chain";

const OUT = "bench/.out";
const ROUTES = ["/", "/stake", "/governance", "/governance/1", "/governance/new", "/validators", "/validators/apply", "/operator"];

/**
 * Loads `path` in a fresh browser context (empty cache) and sums, gzip-compressed, every script the page
 * fetched until the network was idle: the chunks named in the HTML and those loaded lazily (charts).
 */
async function routeJs(browser: Browser, baseURL: string, path: string) {
  const context = await browser.newContext();
  const page = await context.newPage();
  const bodies: Promise<{ url: string; gzip: number }>[] = [];
  page.on("response", (response) => {
    if (response.request().resourceType() !== "script" || !response.url().startsWith(baseURL)) return;
    bodies.push(response.body().then((b) => ({ url: response.url(), gzip: gzipSync(b).length })));
  });
  const html = await (await page.goto(`${baseURL}${path}`, { waitUntil: "networkidle" }))!.text();
  await page.waitForTimeout(1_500); // lazily loaded chunks (charts) start after hydration
  await page.waitForLoadState("networkidle");
  const scripts = await Promise.all(bodies);
  await context.close();
  const named = new Set([...html.matchAll(/<script[^>]*\ssrc="([^"]+)"[^>]*>/g)].filter((m) => !/\snomodule/.test(m[0])).map((m) => new URL(m[1], baseURL).href));
  const kb = (xs: { gzip: number }[]) => Math.round((xs.reduce((s, x) => s + x.gzip, 0) / 1024) * 10) / 10;
  return { totalKB: kb(scripts), initialKB: kb(scripts.filter((s) => named.has(s.url))), files: scripts.length };
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
  console.log(Object.entries(routes).map(([p, r]) => `${p.padEnd(20)} ${String(r.totalKB).padStart(7)} KB gzip (${r.initialKB} KB named in the HTML, ${r.files} files)`).join("\n"));
  console.log(`heaviest: ${heaviest[0]} ${heaviest[1].totalKB} KB`);
  saveApp({ maxRouteGzipKB: heaviest[1].totalKB, heaviestRoute: heaviest[0], routes });
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
