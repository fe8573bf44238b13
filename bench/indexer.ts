// Bench part: the indexer's catch-up rate on the devnet. Seeds a devnet of its own (the deployment code and
// the browser journeys' actions, repeated), then starts the indexer on an empty embedded database and
// times it until it has indexed the chain's head. Baseline in the same run: reading and decoding the same
// logs with plain eth_getLogs, the floor any indexer pays before it writes a row.
// Run: node bench/indexer.ts (npm run bench runs it) → bench/.out/indexer.json
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { startDevnet, startIndexer } from "../indexer/test/processes.ts";
import { connect } from "../indexer/test/chain.ts";

const RPC_PORT = Number(process.env.BENCH_INDEXER_RPC_PORT ?? 8765);
const PORT = Number(process.env.BENCH_INDEXER_PORT ?? 42289);
const ROUNDS = Number(process.env.BENCH_INDEXER_JOURNEYS ?? 3);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

const work = mkdtempSync(join(tmpdir(), "indexer-bench-"));
const devnet = await startDevnet(RPC_PORT, work);
try {
  const chain = connect(devnet.url, join(work, "localhost.json"));
  for (let i = 0; i < ROUNDS; i++) await chain.journeys(`bench ${i + 1}`);
  const head = await chain.publicClient.getBlockNumber({ cacheTime: 0 });

  const t0 = performance.now();
  const { logs } = await chain.allLogs();
  const getLogsSeconds = (performance.now() - t0) / 1000;

  const indexer = startIndexer({ port: PORT, rpcUrl: devnet.url, deploymentsDir: work, schema: "bench", pgliteDir: join(work, "pglite") });
  const started = performance.now();
  let answeredAt: number | undefined;
  let doneAt: number | undefined;
  while (performance.now() - started < 600_000) {
    if (indexer.child.exitCode !== null) throw new Error(`the indexer exited:\n${indexer.log.join("\n")}`);
    try {
      const status = (await (await fetch(`${indexer.url}/status`)).json()) as Record<string, { block?: { number: number } }>;
      answeredAt ??= performance.now();
      const at = Object.values(status)[0]?.block?.number;
      if (at !== undefined && BigInt(at) >= head) {
        doneAt = performance.now();
        break;
      }
    } catch {}
    await sleep(200);
  }
  await indexer.stop();
  if (doneAt === undefined) throw new Error("the indexer did not catch up within 10 minutes");
  const catchUpSeconds = (doneAt - started) / 1000;
  // Ponder answers /status as soon as its build and database are up, before it indexes: the rate is over
  // the time after that, and the start-up is reported on its own.
  const startupSeconds = ((answeredAt ?? doneAt) - started) / 1000;
  const indexingSeconds = Math.max(catchUpSeconds - startupSeconds, 0.001);
  const result = {
    indexer: {
      events: logs.length,
      blocks: Number(head),
      catchUpSeconds: Math.round(catchUpSeconds * 10) / 10,
      startupSeconds: Math.round(startupSeconds * 10) / 10,
      indexingSeconds: Math.round(indexingSeconds * 10) / 10,
      eventsPerSecond: Math.round((logs.length / indexingSeconds) * 10) / 10,
      eventsPerSecondFromStart: Math.round((logs.length / catchUpSeconds) * 10) / 10,
      baselineGetLogsSeconds: Math.round(getLogsSeconds * 100) / 100,
      baselineGetLogsEventsPerSecond: Math.round(logs.length / getLogsSeconds),
      indexingVsGetLogs: Math.round((indexingSeconds / getLogsSeconds) * 10) / 10,
    },
  };
  mkdirSync("bench/.out", { recursive: true });
  writeFileSync("bench/.out/indexer.json", JSON.stringify(result, null, 2) + "\n");
  console.log(`indexer: ${result.indexer.events} events over ${result.indexer.blocks} blocks in ${result.indexer.indexingSeconds} s after a start-up of ${result.indexer.startupSeconds} s (${result.indexer.eventsPerSecond} events/s; ${result.indexer.eventsPerSecondFromStart} from start); plain eth_getLogs of the same logs ${result.indexer.baselineGetLogsSeconds} s`);
} finally {
  await devnet.stop();
  rmSync(work, { recursive: true, force: true });
}
