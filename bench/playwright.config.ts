import { defineConfig } from "@playwright/test";
import e2e from "../e2e/playwright.config";

// The app benchmarks run on the same devnet and production build as the browser tests (a fresh one:
// the figures must not depend on what earlier journeys left on the chain).
export default defineConfig({
  ...e2e,
  testDir: ".",
  testMatch: /app\.bench\.ts/,
  timeout: 600_000,
  use: { ...e2e.use, trace: "off", screenshot: "off" },
});
