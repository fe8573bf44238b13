import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { network } from "hardhat";
import { parseEther, parseSignature } from "viem";
import { accounts, deployWithValidators, SONIC_NAMES, type Conn } from "../helpers/fixtures.js";
import { devnetParams, parseParams } from "../../scripts/deploy/params.js";
import { deploySuite } from "../../scripts/deploy/suite.js";
import { verifyRoles } from "../../scripts/deploy/verify.js";

const conn = (await network.create()) as unknown as Conn;
const { viem } = conn;
const PARAMS = "scripts/deploy/params";
const json = (file: string) => JSON.parse(readFileSync(file, "utf8"));

describe("names follow the chain", () => {
  it("each network's parameters name its currency and tokens: S / stS / wstS on Sonic, FTM / stFTM / wstFTM on Opera", () => {
    const expected = {
      sonic: ["S", "Staked S", "stS", "Wrapped Staked S", "wstS"],
      "sonic-testnet": ["S", "Staked S", "stS", "Wrapped Staked S", "wstS"],
      opera: ["FTM", "Staked FTM", "stFTM", "Wrapped Staked FTM", "wstFTM"],
      "fantom-testnet": ["FTM", "Staked FTM", "stFTM", "Wrapped Staked FTM", "wstFTM"],
    };
    for (const [net, names] of Object.entries(expected)) {
      const raw = json(`${PARAMS}/${net}.json`);
      const n = [raw.nativeCurrency, raw.stakedToken.name, raw.stakedToken.symbol, raw.wrappedToken.name, raw.wrappedToken.symbol];
      assert.deepEqual(n, names, net);
    }
  });

  it("a parameters file without a name, or with an empty symbol, is refused with the field to fix", () => {
    const filled = { ...json(`${PARAMS}/localhost.json`), ...SONIC_NAMES, sfcLayout: "sonic" };
    assert.equal(parseParams(filled, 31337).names.wrappedToken.symbol, "wstS");
    const { nativeCurrency: _, ...noNative } = filled;
    assert.throws(() => parseParams(noNative, 31337), /parameter "nativeCurrency" is missing/);
    assert.throws(() => parseParams({ ...filled, stakedToken: { name: "Staked S", symbol: "" } }, 31337), /parameter "stakedToken.symbol" must be a non-empty string/);
    assert.throws(() => parseParams({ ...filled, wrappedToken: undefined }, 31337), /parameter "wrappedToken" is missing/);
  });

  it("the devnet takes the imitated chain's layout, names and withdrawal period, Sonic when DEVNET_CHAIN is unset", () => {
    const file = `${PARAMS}/localhost.json`;
    const sonic = devnetParams(file, 31337, undefined, PARAMS);
    assert.equal(sonic.params.sfcLayout, "sonic");
    assert.equal(sonic.params.names.stakedToken.symbol, "stS");
    assert.equal(sonic.devnet.withdrawalPeriodTime, 14 * 86400);
    const opera = devnetParams(file, 31337, "opera", PARAMS);
    assert.equal(opera.params.sfcLayout, "opera");
    assert.equal(opera.params.names.nativeCurrency, "FTM");
    assert.equal(opera.params.names.wrappedToken.name, "Wrapped Staked FTM");
    assert.equal(opera.devnet.withdrawalPeriodTime, 7 * 86400);
    assert.throws(() => devnetParams(file, 31337, "fantom", PARAMS), /DEVNET_CHAIN must be "sonic" or "opera", got "fantom"/);
  });

  it("the deployment gives the tokens the parameters' names and records them; a resumed deployment cannot rename them", async () => {
    const s = await deployWithValidators(conn, 1);
    assert.equal(await s.stFTM.read.name(), "Staked S");
    assert.equal(await s.stFTM.read.symbol(), "stS");
    assert.equal(await s.wstFTM.read.name(), "Wrapped Staked S");
    assert.equal(await s.wstFTM.read.symbol(), "wstS");
    assert.deepEqual(s.record.names, SONIC_NAMES);
    const dir = mkdtempSync(join(tmpdir(), "names-"));
    writeFileSync(join(dir, "record.json"), JSON.stringify(s.record));
    const renamed = { ...s.params, names: { ...SONIC_NAMES, stakedToken: { name: "Staked FTM", symbol: "stFTM" } } };
    await assert.rejects(deploySuite(viem, renamed, { recordFile: join(dir, "record.json") }), /deployed tokens cannot be renamed/);
    assert.deepEqual((await verifyRoles(viem, s.record, s.params)).problems, []);
    const report = await verifyRoles(viem, s.record, renamed);
    assert.deepEqual(report.problems, ["stFTM is named Staked S (stS), the parameters say Staked FTM (stFTM)"]);
  });

  it("a record left by a devnet that imitated the other chain (a restarted node) does not keep its names", async () => {
    const s = await deployWithValidators(conn, 0);
    const dir = mkdtempSync(join(tmpdir(), "names-"));
    const stale = { ...s.record, contracts: { planner: "0x00000000000000000000000000000000000a11ce" }, names: { nativeCurrency: "FTM", stakedToken: { name: "Staked FTM", symbol: "stFTM" }, wrappedToken: { name: "Wrapped Staked FTM", symbol: "wstFTM" } } };
    writeFileSync(join(dir, "record.json"), JSON.stringify(stale));
    const fresh = await deploySuite(viem, s.params, { recordFile: join(dir, "record.json"), keepDeployerAdmin: true });
    assert.equal(await fresh.stFTM.read.symbol(), "stS");
    assert.deepEqual(json(join(dir, "record.json")).names, SONIC_NAMES);
  });

  it("a wallet's permit, signed over the token's own name, lets the spender move wstS; one signed as wstFTM's is refused", async () => {
    const s = await deployWithValidators(conn, 1);
    const a = await accounts(conn);
    const [owner, spender] = [a.holders[0], a.holders[1]];
    await s.wstFTM.write.stakeAndWrap([owner.account.address], { value: parseEther("10"), account: owner.account });
    const chainId = await (await viem.getPublicClient()).getChainId();
    const deadline = BigInt(2 ** 40);
    const sign = (name: string, nonce: bigint) =>
      owner.signTypedData({
        domain: { name, version: "1", chainId, verifyingContract: s.wstFTM.address },
        types: { Permit: [{ name: "owner", type: "address" }, { name: "spender", type: "address" }, { name: "value", type: "uint256" }, { name: "nonce", type: "uint256" }, { name: "deadline", type: "uint256" }] },
        primaryType: "Permit",
        message: { owner: owner.account.address, spender: spender.account.address, value: parseEther("4"), nonce, deadline },
      });
    const wrong = parseSignature(await sign("Wrapped Staked FTM", 0n));
    await assert.rejects(
      s.wstFTM.write.permit([owner.account.address, spender.account.address, parseEther("4"), deadline, Number(wrong.v), wrong.r, wrong.s]),
      /ERC2612InvalidSigner/,
    );
    const right = parseSignature(await sign(await s.wstFTM.read.name(), 0n));
    await s.wstFTM.write.permit([owner.account.address, spender.account.address, parseEther("4"), deadline, Number(right.v), right.r, right.s]);
    await s.wstFTM.write.transferFrom([owner.account.address, spender.account.address, parseEther("4")], { account: spender.account });
    assert.equal(await s.wstFTM.read.balanceOf([spender.account.address]), parseEther("4"));
  });
});
