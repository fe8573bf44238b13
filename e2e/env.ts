// Ports of the devnet the browser tests start: apart from `npm run dev`'s (8545, 3000), so both can run.
export const RPC_PORT = Number(process.env.E2E_RPC_PORT ?? 8645);
export const APP_PORT = Number(process.env.E2E_APP_PORT ?? 3100);
export const RPC_URL = `http://127.0.0.1:${RPC_PORT}`;
export const APP_URL = `http://127.0.0.1:${APP_PORT}`;

// The chain the devnet imitates (`DEVNET_CHAIN` of `npm run dev`): Sonic by default; `npm test` runs the
// names journey a second time on a devnet started as Opera (E2E_DEVNET_CHAIN=opera).
export const DEVNET_CHAIN = process.env.E2E_DEVNET_CHAIN ?? "sonic";
if (DEVNET_CHAIN !== "sonic" && DEVNET_CHAIN !== "opera") throw new Error(`E2E_DEVNET_CHAIN must be "sonic" or "opera", got ${JSON.stringify(DEVNET_CHAIN)}`);

/** What each chain calls its money and the pool's tokens: what the browser must show, and never the other's. */
export const FAMILIES = {
  sonic: { native: "S", staked: "stS", wrapped: "wstS" },
  opera: { native: "FTM", staked: "stFTM", wrapped: "wstFTM" },
} as const;
export const NAMES = FAMILIES[DEVNET_CHAIN];
export const OTHER_NAMES = FAMILIES[DEVNET_CHAIN === "sonic" ? "opera" : "sonic"];
/** The SFC's withdrawal period on the imitated chain, in days: 14 on Sonic, 7 on Opera. */
export const WITHDRAWAL_DAYS = DEVNET_CHAIN === "sonic" ? 14 : 7;
export const INDEXER_PORT = Number(process.env.E2E_INDEXER_PORT ?? 42169);
export const INDEXER_URL = `http://127.0.0.1:${INDEXER_PORT}`;
