// `npm run devnet:time`: the devnet-only control that lets a withdrawal period pass, run as a user runs it
// (a child process over HTTP) against Hardhat's in-process network behind test/helpers/rpcBridge.ts.
import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { parseEther } from "viem";
import { network } from "hardhat";
import { rpcBridge } from "../helpers/rpcBridge.js";

const conn = await network.create();
const { viem } = conn;
let bridge: Awaited<ReturnType<typeof rpcBridge>>;
before(async () => (bridge = await rpcBridge(conn.provider)));
after(async () => bridge.close());

function devnetTime(args: string[]): Promise<{ code: number; out: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ["scripts/devnet/time.mjs", ...args], { stdio: ["ignore", "pipe", "pipe"] });
    let out = "";
    child.stdout.on("data", (d) => (out += d));
    child.stderr.on("data", (d) => (out += d));
    child.on("close", (code) => resolve({ code: code ?? 1, out }));
  });
}

describe("devnet:time", () => {
  it("lets a withdrawal period pass, so that a matured SFC request can be withdrawn", async () => {
    const [, delegator, validatorAuth] = await viem.getWalletClients();
    const sfc = await viem.deployContract("SFCModel", [1]);
    await sfc.write.createValidator(["0x01"], { value: parseEther("1000"), account: validatorAuth.account });
    await sfc.write.delegate([1n], { value: parseEther("10"), account: delegator.account });
    await sfc.write.undelegate([1n, 0n, parseEther("10")], { account: delegator.account });
    await assert.rejects(sfc.write.withdraw([1n, 0n], { account: delegator.account }), /NotEnoughTimePassed|NotEnoughEpochsPassed/);

    const pc = await viem.getPublicClient();
    const t0 = (await pc.getBlock()).timestamp;
    const epoch0 = (await sfc.read.currentSealedEpoch()) as bigint;
    const run = await devnetTime(["8d", "--rpc", bridge.url, "--sfc", sfc.address]);
    assert.equal(run.code, 0, run.out);
    assert.match(run.out, /clock moved by 691200 s/);

    assert.ok((await pc.getBlock()).timestamp >= t0 + 8n * 86400n);
    const periodEpochs = (await viem.getContractAt("SFCConstantsModel", (await sfc.read.constsAddress()) as `0x${string}`)).read.withdrawalPeriodEpochs();
    assert.equal((await sfc.read.currentSealedEpoch()) as bigint, epoch0 + ((await periodEpochs) as bigint));
    const before = await pc.getBalance({ address: delegator.account.address });
    await sfc.write.withdraw([1n, 0n], { account: delegator.account });
    assert.ok((await pc.getBalance({ address: delegator.account.address })) > before + parseEther("9.99"));
  });

  it("refuses what it cannot do, saying what to fix, and moves nothing", async () => {
    const pc = await viem.getPublicClient();
    const t0 = (await pc.getBlock()).timestamp;
    const bad = await devnetTime(["eight days", "--rpc", bridge.url]);
    assert.equal(bad.code, 2);
    assert.match(bad.out, /one duration|not a duration/);
    const none = await devnetTime(["--rpc", bridge.url]);
    assert.equal(none.code, 2);
    assert.match(none.out, /how long\?/);
    const unit = await devnetTime(["3y", "--rpc", bridge.url]);
    assert.match(unit.out, /"3y" is not a duration/);
    const down = await devnetTime(["1d", "--rpc", "http://127.0.0.1:9"]);
    assert.equal(down.code, 2);
    assert.match(down.out, /no devnet answers/);
    assert.equal((await pc.getBlock()).timestamp, t0);
  });
});
