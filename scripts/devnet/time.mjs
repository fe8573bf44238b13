// `npm run devnet:time -- 8d`: lets time pass on the local devnet, so that a withdrawal's period or a
// proposal's voting period can end without waiting for it. Moves the chain's clock forward, mines a block,
// and seals the SFC epochs the withdrawal period also asks for (without rewards), so a matured SFC request
// can be withdrawn by the next keeper round. Works on the devnet only (chain 31337).
//   npm run devnet:time -- 8d            8 days (also 36h, 90m, 600s, or plain seconds)
//   npm run devnet:time -- 2h --epochs 0 2 hours, no epoch sealed
//   npm run devnet:time -- 8d --rpc http://127.0.0.1:8645
import { createPublicClient, createWalletClient, http } from "viem";
import { parseFlags } from "../lib/flags.mjs";
import { CHAIN_IDS, SFC_ADDRESS } from "../../shared/networks.ts";

const UNITS = { s: 1, m: 60, h: 3600, d: 86400, w: 604800 };
const usage = `usage: npm run devnet:time -- <duration> [--epochs N] [--rpc URL]
  duration   how long to let pass: 8d, 36h, 90m, 600s or a number of seconds
  --epochs   SFC epochs to seal (default: the SFC's withdrawal period in epochs, so matured requests can be withdrawn)
  --rpc      the devnet's RPC (default: DEVNET_RPC_URL, or http://127.0.0.1:$DEVNET_RPC_PORT, port 8545)
  --sfc      the SFC's address (default: the real SFC address, where the devnet places its model)`;

function fail(message) {
  console.error(`devnet:time: ${message}\n${usage}`);
  process.exit(2);
}

/** Seconds in a duration such as "8d", "36h", "90m", "600s" or "600"; undefined when it is not one. */
function parseDuration(text) {
  const m = /^(\d+(?:\.\d+)?)([smhdw]?)$/.exec(String(text).trim());
  if (!m) return undefined;
  const seconds = Math.round(Number(m[1]) * UNITS[m[2] || "s"]);
  return seconds > 0 ? seconds : undefined;
}

// The duration is the one argument that is not a flag (--epochs and --rpc take the argument after them).
const args = process.argv.slice(2);
const positional = [];
const flagArgs = [];
for (let i = 0; i < args.length; i++) {
  if (!args[i].startsWith("-")) positional.push(args[i]);
  else {
    flagArgs.push(args[i]);
    if (["--epochs", "--rpc", "--sfc"].includes(args[i])) flagArgs.push(args[++i]);
  }
}
const opts = parseFlags(flagArgs, {
  spec: { "--epochs": { key: "epochs", kind: "number" }, "--rpc": { key: "rpc", kind: "string" }, "--sfc": { key: "sfc", kind: "string" } },
  defaults: { sfc: SFC_ADDRESS, rpc: process.env.DEVNET_RPC_URL ?? `http://127.0.0.1:${process.env.DEVNET_RPC_PORT ?? 8545}` },
  usage,
  fail,
});
if (positional.length !== 1) fail(positional.length ? `one duration, not ${positional.join(" ")}` : "how long? e.g. 8d");
const seconds = parseDuration(positional[0]);
if (seconds === undefined) fail(`"${positional[0]}" is not a duration: use 8d, 36h, 90m, 600s or a number of seconds`);
if (!/^0x[0-9a-fA-F]{40}$/.test(opts.sfc)) fail(`--sfc needs an address, not ${opts.sfc}`);
if (opts.epochs !== undefined && (!Number.isInteger(opts.epochs) || opts.epochs < 0)) fail("--epochs needs a whole number, 0 or more");

const rpc = async (method, params = []) => {
  let res;
  try {
    res = await fetch(opts.rpc, { method: "POST", headers: { "content-type": "application/json" }, body: JSON.stringify({ jsonrpc: "2.0", id: 1, method, params }) });
  } catch {
    fail(`no devnet answers on ${opts.rpc}: start it with npm run dev (or pass --rpc)`);
  }
  const body = await res.json();
  if (body.error) throw new Error(`${method}: ${body.error.message}`);
  return body.result;
};

const chainId = Number(await rpc("eth_chainId"));
if (chainId !== CHAIN_IDS.local) fail(`the chain on ${opts.rpc} has id ${chainId}: time can only be moved on the local devnet (${CHAIN_IDS.local})`);

const client = createPublicClient({ transport: http(opts.rpc) });
const sfcAbi = [
  { type: "function", name: "sealEpochs", inputs: [{ name: "n", type: "uint256" }], outputs: [], stateMutability: "nonpayable" },
  { type: "function", name: "constsAddress", inputs: [], outputs: [{ type: "address" }], stateMutability: "view" },
  { type: "function", name: "owner", inputs: [], outputs: [{ type: "address" }], stateMutability: "view" },
];
const constsAbi = [{ type: "function", name: "withdrawalPeriodEpochs", inputs: [], outputs: [{ type: "uint256" }], stateMutability: "view" }];

const before = (await client.getBlock()).timestamp;
await rpc("evm_increaseTime", [seconds]);
await rpc("evm_mine");
const after = (await client.getBlock()).timestamp;

let epochs = opts.epochs;
if (epochs === undefined) {
  const consts = await client.readContract({ address: opts.sfc, abi: sfcAbi, functionName: "constsAddress" });
  epochs = Number(await client.readContract({ address: consts, abi: constsAbi, functionName: "withdrawalPeriodEpochs" }));
}
if (epochs > 0) {
  // The SFC model's owner seals epochs; on the devnet it is the deployer, an unlocked account.
  const owner = await client.readContract({ address: opts.sfc, abi: sfcAbi, functionName: "owner" });
  const wallet = createWalletClient({ account: owner, transport: http(opts.rpc) });
  const hash = await wallet.writeContract({ address: opts.sfc, abi: sfcAbi, functionName: "sealEpochs", args: [BigInt(epochs)], chain: null });
  const receipt = await client.waitForTransactionReceipt({ hash });
  if (receipt.status !== "success") fail("sealing the epochs reverted");
}

const when = (t) => new Date(Number(t) * 1000).toISOString().replace(".000Z", "Z");
console.log(`Devnet clock moved by ${seconds} s: ${when(before)} → ${when(after)}; ${epochs} epoch(s) sealed.`);
console.log("The next keeper round pays the withdrawals that have matured (the devnet's keeper runs one within seconds).");
