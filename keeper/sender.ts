// Sending transactions that survive a flaky RPC: retries with exponential backoff, and a transaction not
// mined in time is replaced (same nonce, higher fees) until one of them is.
import { BaseError, HttpRequestError, TimeoutError, keccak256, type Address, type Hex, type LocalAccount, type PublicClient, type TransactionReceipt } from "viem";
import { errorText, type Logger } from "./log.js";

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Delay before retry `attempt` (0-based): base · 2^attempt, at most `maxMs`. */
export function backoffMs(attempt: number, baseMs: number, maxMs: number): number {
  return Math.min(maxMs, baseMs * 2 ** attempt);
}

/** An error of the transport (connection refused or dropped, HTTP error, timeout), not of the chain. */
export function isTransientRpcError(e: unknown): boolean {
  const transient = (x: unknown) =>
    x instanceof HttpRequestError ||
    x instanceof TimeoutError ||
    /ECONNREFUSED|ECONNRESET|socket hang up|fetch failed|other side closed|EPIPE|network error/i.test(String((x as Error)?.message ?? ""));
  if (e instanceof BaseError) return !!e.walk(transient) || transient(e);
  return transient(e);
}

export interface RetryOptions {
  retries: number;
  baseMs: number;
  maxMs: number;
  log?: Logger;
  what?: string;
}

/** Runs `fn`, retrying transport errors with exponential backoff; other errors (reverts) go straight up. */
export async function withRetry<T>(fn: () => Promise<T>, o: RetryOptions): Promise<T> {
  for (let attempt = 0; ; attempt++) {
    try {
      return await fn();
    } catch (e) {
      if (!isTransientRpcError(e) || attempt >= o.retries) throw e;
      const delay = backoffMs(attempt, o.baseMs, o.maxMs);
      o.log?.("rpc-retry", { what: o.what, attempt: attempt + 1, delayMs: delay, error: errorText(e) });
      await sleep(delay);
    }
  }
}

export type Fees = { maxFeePerGas: bigint; maxPriorityFeePerGas: bigint } | { gasPrice: bigint };

/** Fees raised by `percent` (rounded up): enough for a node to accept a replacement (10 % at least). */
export function bumpFees(f: Fees, percent: bigint): Fees {
  const up = (x: bigint) => (x * (100n + percent) + 99n) / 100n;
  return "gasPrice" in f ? { gasPrice: up(f.gasPrice) } : { maxFeePerGas: up(f.maxFeePerGas), maxPriorityFeePerGas: up(f.maxPriorityFeePerGas) };
}

export interface SenderOptions {
  chainId: number;
  /** A transaction not mined within this is replaced. */
  timeoutMs: number;
  bumpPercent: bigint;
  maxReplacements: number;
  pollMs: number;
  retry: Omit<RetryOptions, "log" | "what">;
  log: Logger;
}

export interface Sent {
  receipt: TransactionReceipt;
  hash: Hex;
  nonce: number;
  replacements: number;
}

/** Signs locally and sends; owns the nonce of `account` while a transaction is in flight. */
export class TxSender {
  constructor(
    private readonly client: PublicClient,
    private readonly account: LocalAccount,
    private readonly o: SenderOptions,
  ) {}

  private retry<T>(what: string, fn: () => Promise<T>) {
    return withRetry(fn, { ...this.o.retry, log: this.o.log, what });
  }

  private async fees(): Promise<Fees> {
    const block = await this.retry("getBlock", () => this.client.getBlock());
    if (block.baseFeePerGas == null) return { gasPrice: await this.retry("gasPrice", () => this.client.getGasPrice()) };
    let tip: bigint;
    try {
      tip = await this.retry("maxPriorityFeePerGas", () => this.client.estimateMaxPriorityFeePerGas());
    } catch {
      tip = 1_000_000_000n;
    }
    return { maxFeePerGas: block.baseFeePerGas * 2n + tip, maxPriorityFeePerGas: tip };
  }

  private async sign(to: Address, data: Hex, gas: bigint, nonce: number, fees: Fees): Promise<Hex> {
    const base = { chainId: this.o.chainId, to, data, gas, nonce };
    return "gasPrice" in fees
      ? this.account.signTransaction({ ...base, type: "legacy", gasPrice: fees.gasPrice })
      : this.account.signTransaction({ ...base, type: "eip1559", ...fees });
  }

  /** Broadcasts a signed transaction; a node that already has it (an earlier try got through) is fine. */
  private async broadcast(raw: Hex): Promise<void> {
    try {
      await this.retry("sendRawTransaction", () => this.client.request({ method: "eth_sendRawTransaction", params: [raw] }));
    } catch (e) {
      if (/already known|known transaction|already imported|nonce too low|replacement transaction underpriced/i.test(errorText(e) + String((e as Error).message))) return;
      throw e;
    }
  }

  private async receiptOf(hashes: Hex[]): Promise<TransactionReceipt | undefined> {
    for (const hash of hashes) {
      const r = await this.retry("getTransactionReceipt", () => this.client.getTransactionReceipt({ hash }).catch((e) => {
        if (isTransientRpcError(e)) throw e;
        return undefined; // not mined yet
      }));
      if (r) return r;
    }
    return undefined;
  }

  /**
   * Sends `data` to `to` and waits until it (or a replacement of it) is mined; sends nothing and returns
   * undefined when `guard` answers false just before the first broadcast.
   */
  async send(to: Address, data: Hex, gas: bigint, action: string, guard?: () => Promise<boolean>): Promise<Sent | undefined> {
    const nonce = await this.retry("getTransactionCount", () => this.client.getTransactionCount({ address: this.account.address, blockTag: "pending" }));
    let fees = await this.fees();
    const hashes: Hex[] = [];
    for (let replacements = 0; ; replacements++) {
      const raw = await this.sign(to, data, gas, nonce, fees);
      const hash = keccak256(raw);
      hashes.unshift(hash);
      // The last check before the first broadcast (e.g. that no other keeper moved the round meanwhile).
      if (replacements === 0 && guard && !(await guard())) return undefined;
      await this.broadcast(raw);
      this.o.log(replacements === 0 ? "tx-sent" : "tx-replaced", { for: action, tx: hash, nonce, gasLimit: gas, fees, replaces: hashes[1] });
      const deadline = Date.now() + this.o.timeoutMs;
      while (Date.now() < deadline) {
        const r = await this.receiptOf(hashes);
        if (r) return { receipt: r, hash: r.transactionHash, nonce, replacements };
        await sleep(this.o.pollMs);
      }
      if (replacements >= this.o.maxReplacements) throw new Error(`${action}: not mined after ${replacements} replacements (nonce ${nonce})`);
      fees = bumpFees(fees, this.o.bumpPercent);
    }
  }
}
