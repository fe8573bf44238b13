// Part 4 of `npm run bench`: the app benchmarks run in headless Chromium against a fresh devnet and a
// production build, through Playwright (bench/app.bench.ts writes bench/.out/app.json).
import { spawnSync } from "node:child_process";

const r = spawnSync("npx", ["playwright", "test", "-c", "bench/playwright.config.ts"], { stdio: "inherit" });
process.exit(r.status ?? 1);
