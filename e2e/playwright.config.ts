import { execFileSync } from "node:child_process";
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { defineConfig } from "@playwright/test";
import { APP_URL, RPC_PORT, APP_PORT, RPC_URL, DEVNET_CHAIN, INDEXER_PORT } from "./env";

// The journeys import the enums and error notices generated from the compiled contracts, and Playwright loads
// them before it starts the devnet (which builds): on a clean clone, build first (that generates them).
const root = fileURLToPath(new URL("..", import.meta.url));
if (!existsSync(`${root}/shared/protocol.generated.ts`) || !existsSync(`${root}/app/lib/contracts.generated.ts`)) {
  execFileSync("npx", ["hardhat", "build", "--quiet", "--no-tests"], { cwd: root, stdio: "inherit" });
}

// The journeys run against the real devnet: a Hardhat node with the SFC model at the real SFC address,
// the suite deployed by the same code as real networks, and a production build of the app. They share
// one chain, so they run one after another in a fixed order (file names are numbered).
// The devnet imitates Sonic (S / stS / wstS); with E2E_DEVNET_CHAIN=opera it imitates Opera and only the
// names journey runs, which `npm test` does after the Sonic run, on the same ports.
export default defineConfig({
  testDir: ".",
  testMatch: DEVNET_CHAIN === "opera" ? /9-names\.spec\.ts/ : /.*\.spec\.ts/,
  fullyParallel: false,
  workers: 1,
  retries: 0,
  timeout: 180_000,
  expect: { timeout: 30_000 },
  reporter: [["list"]],
  outputDir: "../test-results",
  use: {
    baseURL: APP_URL,
    trace: "retain-on-failure",
    screenshot: "only-on-failure",
    launchOptions: {
      // Debian's Chromium: Playwright cannot download its own browser on these machines.
      executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
      args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
    },
  },
  webServer: {
    command: "node scripts/dev.mjs",
    cwd: "..",
    url: APP_URL,
    timeout: 600_000,
    reuseExistingServer: process.env.E2E_REUSE_DEVNET === "1",
    // SIGTERM lets dev.mjs stop the node and the app it started in their own process groups; the default
    // SIGKILL would leave them running and holding the ports.
    gracefulShutdown: { signal: "SIGTERM", timeout: 15_000 },
    stdout: "ignore",
    stderr: "pipe",
    env: {
      DEVNET_RPC_PORT: String(RPC_PORT),
      APP_PORT: String(APP_PORT),
      INDEXER_PORT: String(INDEXER_PORT),
      // The tests seal epochs and run keeper rounds themselves, so that every figure they assert is known.
      DEVNET_EPOCH_SECONDS: "0",
      DEVNET_KEEPER: "0",
      DEVNET_APP_MODE: "start",
      DEVNET_CHAIN,
      NEXT_PUBLIC_LOCAL_RPC_URL: RPC_URL,
      NEXT_PUBLIC_ENABLE_LOCAL_WALLET: "1",
    },
  },
});
