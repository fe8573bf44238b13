// What the keeper has done, for Prometheus (`/metrics`) and for a health check (`/health`), served on
// 127.0.0.1 only.
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { StakingPoolPhaseNames } from "../shared/protocol.generated.js";

export interface Metrics {
  lastCompleteRoundTimestamp: number;
  roundsCompleted: number;
  processCalls: number;
  gasSpent: bigint;
  failedMoves: number;
  slashingsBooked: number;
  syncsSent: number;
  txReplaced: number;
  rpcErrors: number;
  simulatedReverts: number;
  pendingWithdrawalsWei: bigint;
  idleLiquidityWei: bigint;
  /** Undefined when the pool's ABI has no `unplaceable()`. */
  unplaceableWei?: bigint;
  /** Wall-clock seconds of the last tick, and the chain's block timestamp then (a devnet's clock may run ahead). */
  lastTickAt: number;
  chainTimeAtTick: number;
  blockNumber: bigint;
  roundPhase: number;
}

export const newMetrics = (): Metrics => ({
  lastCompleteRoundTimestamp: 0,
  roundsCompleted: 0,
  processCalls: 0,
  gasSpent: 0n,
  failedMoves: 0,
  slashingsBooked: 0,
  syncsSent: 0,
  txReplaced: 0,
  rpcErrors: 0,
  simulatedReverts: 0,
  pendingWithdrawalsWei: 0n,
  idleLiquidityWei: 0n,
  lastTickAt: 0,
  chainTimeAtTick: 0,
  blockNumber: 0n,
  roundPhase: 0,
});

type Row = [name: string, type: "gauge" | "counter", help: string, value: number | bigint | undefined];

/** The metrics in Prometheus' text exposition format. */
export function renderPrometheus(m: Metrics): string {
  const rows: Row[] = [
    ["keeper_last_complete_round_timestamp_seconds", "gauge", "When the pool's last keeper round completed (unix seconds, from the chain)", m.lastCompleteRoundTimestamp],
    ["keeper_rounds_completed_total", "counter", "Rounds this keeper completed", m.roundsCompleted],
    ["keeper_process_calls_total", "counter", "process calls this keeper had mined", m.processCalls],
    ["keeper_gas_spent_total", "counter", "Gas used by this keeper's mined transactions", m.gasSpent],
    ["keeper_failed_moves_total", "counter", "MoveFailed events in this keeper's process calls", m.failedMoves],
    ["keeper_slashings_booked_total", "counter", "bookSlashing calls this keeper had mined", m.slashingsBooked],
    ["keeper_registry_syncs_total", "counter", "registry.sync calls this keeper had mined", m.syncsSent],
    ["keeper_tx_replaced_total", "counter", "Transactions replaced after not being mined in time", m.txReplaced],
    ["keeper_rpc_errors_total", "counter", "Keeper ticks that failed on an RPC error", m.rpcErrors],
    ["keeper_simulated_reverts_total", "counter", "Calls not sent because their simulation reverted", m.simulatedReverts],
    ["keeper_pending_withdrawals_wei", "gauge", "FTM owed to withdrawal requests not yet finalised (wei)", m.pendingWithdrawalsWei],
    ["keeper_idle_liquidity_wei", "gauge", "Idle FTM in the pool's books (wei)", m.idleLiquidityWei],
    ["keeper_unplaceable_wei", "gauge", "FTM the planner cannot place with any validator (wei)", m.unplaceableWei],
    ["keeper_round_phase", "gauge", `The pool's round phase (${StakingPoolPhaseNames.map((name, value) => `${value} ${name}`).join(", ")})`, m.roundPhase],
    ["keeper_block_number", "gauge", "The last block the keeper looked at", m.blockNumber],
  ];
  return rows
    .filter(([, , , v]) => v !== undefined)
    .map(([name, type, help, v]) => `# HELP ${name} ${help}\n# TYPE ${name} ${type}\n${name} ${v!.toString()}\n`)
    .join("");
}

/**
 * Health: the last complete round is at most `maxLagSeconds` old and the keeper looked at the chain lately.
 * The lag is measured in chain time (the block timestamp of the last tick plus the wall time since).
 */
export function health(m: Metrics, nowSeconds: number, maxLagSeconds: number, maxTickAgeSeconds: number) {
  const tickAge = m.lastTickAt > 0 ? nowSeconds - m.lastTickAt : null;
  const chainNow = m.chainTimeAtTick + (tickAge ?? 0);
  const lag = m.lastCompleteRoundTimestamp > 0 && tickAge !== null ? chainNow - m.lastCompleteRoundTimestamp : null;
  const ok = lag !== null && lag <= maxLagSeconds && tickAge !== null && tickAge <= maxTickAgeSeconds;
  return { ok, lastCompleteRoundAt: m.lastCompleteRoundTimestamp || null, lagSeconds: lag, lastTickSecondsAgo: tickAge, roundPhase: m.roundPhase, blockNumber: m.blockNumber.toString() };
}

/** Serves `/health` (JSON; 200 when ok, 503 otherwise) and `/metrics` on 127.0.0.1:`port` (0: any free port). */
export async function serveMetrics(port: number, read: { health: () => ReturnType<typeof health>; metrics: () => string }) {
  const server: Server = createServer((req, res) => {
    if (req.url === "/health") {
      const h = read.health();
      res.writeHead(h.ok ? 200 : 503, { "content-type": "application/json" }).end(JSON.stringify(h));
    } else if (req.url === "/metrics") {
      res.writeHead(200, { "content-type": "text/plain; version=0.0.4" }).end(read.metrics());
    } else res.writeHead(404).end();
  });
  await new Promise<void>((resolve, reject) => server.once("error", reject).listen(port, "127.0.0.1", resolve));
  return { port: (server.address() as AddressInfo).port, close: () => new Promise<void>((r) => server.close(() => r())) };
}
