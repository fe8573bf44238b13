// Ports of the devnet the browser tests start: apart from `npm run dev`'s (8545, 3000), so both can run.
export const RPC_PORT = Number(process.env.E2E_RPC_PORT ?? 8645);
export const APP_PORT = Number(process.env.E2E_APP_PORT ?? 3100);
export const RPC_URL = `http://127.0.0.1:${RPC_PORT}`;
export const APP_URL = `http://127.0.0.1:${APP_PORT}`;
export const INDEXER_PORT = Number(process.env.E2E_INDEXER_PORT ?? 42169);
export const INDEXER_URL = `http://127.0.0.1:${INDEXER_PORT}`;
