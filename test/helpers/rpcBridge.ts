// A JSON-RPC endpoint over HTTP in front of Hardhat's in-process network, for the keeper tests: the keeper
// talks HTTP as it does to a real node, and the test can make the endpoint drop every connection a while.
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import type { EIP1193Provider } from "hardhat/types/providers";

type Req = { jsonrpc: "2.0"; id: number; method: string; params?: unknown[] };

export async function rpcBridge(provider: EIP1193Provider) {
  let down = false;
  let dropped = 0;
  const answer = async (r: Req) => {
    try {
      return { jsonrpc: "2.0", id: r.id, result: await provider.request({ method: r.method, params: r.params ?? [] }) };
    } catch (e) {
      const x = e as { code?: number; message?: string; data?: unknown };
      return { jsonrpc: "2.0", id: r.id, error: { code: x.code ?? -32603, message: x.message ?? String(e), data: x.data } };
    }
  };
  const server = createServer((req, res) => {
    if (down) {
      dropped++;
      req.socket.destroy(); // the connection drops: no answer at all
      return;
    }
    let body = "";
    req.on("data", (d) => (body += d));
    req.on("end", async () => {
      const parsed = JSON.parse(body) as Req | Req[];
      const out = Array.isArray(parsed) ? await Promise.all(parsed.map(answer)) : await answer(parsed);
      res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify(out, (_k, v) => (typeof v === "bigint" ? `0x${v.toString(16)}` : v)));
    });
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    /** Drops every connection for `ms` milliseconds. */
    dropFor(ms: number) {
      down = true;
      setTimeout(() => (down = false), ms);
    },
    get dropped() {
      return dropped;
    },
    close: () => new Promise<void>((r) => {
      server.closeAllConnections();
      server.close(() => r());
    }),
  };
}
