// Multicall3 at its canonical address on the devnet, as it is on Opera and Sonic, so that the app's reads
// are batched into one eth_call. Its creation code is the one viem ships (viem uses it for deployless
// multicalls); the devnet runs it once in an eth_call to get the runtime code, then places that code.
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname, join } from "node:path";
import type { Hex, PublicClient, TestClient } from "viem";

export const MULTICALL3_ADDRESS = "0xcA11bde05977b3631167028862bE2a173976CA11" as const;

/** Multicall3's creation code from the installed viem package. */
function creationCode(): Hex {
  const viemDir = dirname(createRequire(import.meta.url).resolve("viem/package.json"));
  const source = readFileSync(join(viemDir, "_esm/constants/contracts.js"), "utf8");
  const match = source.match(/multicall3Bytecode\s*=\s*'(0x[0-9a-f]+)'/);
  if (!match) throw new Error(`viem ${viemDir} no longer ships multicall3Bytecode in _esm/constants/contracts.js`);
  return match[1] as Hex;
}

/** Places Multicall3 at its canonical address unless code is already there. */
export async function placeMulticall3(publicClient: Pick<PublicClient, "getCode" | "call">, testClient: Pick<TestClient, "setCode">) {
  const existing = await publicClient.getCode({ address: MULTICALL3_ADDRESS });
  if (existing && existing !== "0x") return false;
  // A call without `to` runs the creation code and returns what a deployment would store: the runtime code.
  const { data } = await publicClient.call({ data: creationCode() });
  if (!data || data === "0x") throw new Error("Multicall3's creation code returned no runtime code");
  await testClient.setCode({ address: MULTICALL3_ADDRESS, bytecode: data });
  return true;
}
