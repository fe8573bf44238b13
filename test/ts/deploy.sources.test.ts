// Source verification of a deployment (scripts/deploy/sources.ts), without any explorer: the requests are
// built from a devnet deployment's record and checked against the chain; the sender is a stand-in.
import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import hre, { network } from "hardhat";
import { encodeDeployData, getAddress, type Abi, type Address, type Hex } from "viem";
import { deployWithValidators, type Conn } from "../helpers/fixtures.js";
import {
  API_KEY_VARIABLE,
  configuredApiKey,
  ETHERSCAN_V2_API,
  EXPLORERS,
  publishSources,
  sourceRequests,
  type SourceRequest,
} from "../../scripts/deploy/sources.js";
import type { Deployment } from "../../scripts/deploy/suite.js";
import { BEGIN, END, readRecords, renderDeployments, replaceSection } from "../../scripts/deployments-table.mjs";

const conn = (await network.create()) as unknown as Conn;
/** The suite on the SFC model, handed over to the timelock, as the devnet deploys it. */
async function devnetDeployment() {
  return deployWithValidators(conn, 0);
}
const deployed = () => conn.networkHelpers.loadFixture(devnetDeployment);

/** The input of the transaction that created each contract since `fromBlock`, by address. */
async function creationInputs(fromBlock: bigint) {
  const pc = await conn.viem.getPublicClient();
  const inputs = new Map<Address, Hex>();
  for (let n = fromBlock; n <= (await pc.getBlockNumber()); n++) {
    const block = await pc.getBlock({ blockNumber: n, includeTransactions: true });
    for (const tx of block.transactions) {
      if (tx.to !== null) continue;
      const receipt = await pc.getTransactionReceipt({ hash: tx.hash });
      inputs.set(getAddress(receipt.contractAddress!), tx.input);
    }
  }
  return inputs;
}

/** The record of a deployment on Sonic: the devnet's addresses and creations under chain id 146. */
const onSonic = (record: Deployment): Deployment => ({ ...record, chainId: 146 });

describe("source verification of a deployment", () => {
  it("asks for every contract of the record, with constructor arguments that rebuild its creation code", async () => {
    const s = await deployed();
    const { requests, problems } = await sourceRequests(s.record, hre.artifacts);
    assert.deepEqual(problems, []);
    assert.deepEqual(requests.map((r) => r.key).sort(), Object.keys(s.record.contracts).sort(), "one request per recorded contract");
    const created = await creationInputs(BigInt(s.record.startBlock));
    for (const r of requests) {
      assert.equal(getAddress(r.address), getAddress(s.record.contracts[r.key]!));
      const artifact = await hre.artifacts.readArtifact(r.contract);
      const rebuilt = encodeDeployData({ abi: artifact.abi as Abi, bytecode: artifact.bytecode as Hex, args: r.constructorArgs });
      assert.equal(created.get(getAddress(r.address)), rebuilt, `${r.key}: the recorded arguments are the ones it was deployed with`);
    }
    const pool = requests.find((r) => r.key === "pool")!;
    assert.equal(pool.contract, "contracts/StakingPool.sol:StakingPool");
    assert.equal(getAddress(pool.constructorArgs[0] as Address), getAddress(s.params.sfc));
    assert.equal(pool.constructorArgs.at(-1), BigInt(s.params.feeBps));
    assert.match(requests.find((r) => r.key === "timelock")!.contract, /^@openzeppelin\/contracts\/governance\/TimelockController\.sol:TimelockController$/);
  });

  it("reports a contract whose creation the record does not have instead of skipping it", async () => {
    const s = await deployed();
    const { governor: _, ...creations } = s.record.creations!;
    const { requests, problems } = await sourceRequests({ ...s.record, creations }, hre.artifacts);
    assert.equal(requests.length, Object.keys(s.record.contracts).length - 1);
    assert.equal(problems.length, 1);
    assert.match(problems[0], /^governor at 0x[0-9a-fA-F]{40}: the record does not say how it was created/);
  });

  it("reads no API key when none is configured, and the key when the environment has one", async () => {
    const saved = process.env[API_KEY_VARIABLE];
    delete process.env[API_KEY_VARIABLE];
    try {
      assert.equal(await configuredApiKey(hre.config.verify.etherscan.apiKey), undefined);
      process.env[API_KEY_VARIABLE] = "test-key";
      assert.equal(await configuredApiKey(hre.config.verify.etherscan.apiKey), "test-key");
    } finally {
      if (saved === undefined) delete process.env[API_KEY_VARIABLE];
      else process.env[API_KEY_VARIABLE] = saved;
    }
  });

  it("without an API key sends nothing and says which explorer was skipped and how to fix it", async () => {
    const s = await deployed();
    const lines: string[] = [];
    let sent = 0;
    const result = await publishSources(onSonic(s.record), {
      chainId: 146,
      artifacts: hre.artifacts,
      apiKey: async () => undefined,
      verify: async () => ++sent > 0,
      log: (l) => lines.push(l),
    });
    assert.equal(sent, 0);
    assert.deepEqual(result.verified, []);
    assert.equal(result.explorer?.name, "SonicScan");
    assert.match(result.skipped!, new RegExp(`^no ${API_KEY_VARIABLE} configured: the sources of ${Object.keys(s.record.contracts).length} contracts were NOT verified on SonicScan`));
    assert.match(result.skipped!, /npx hardhat keystore set ETHERSCAN_API_KEY/);
    assert.deepEqual(lines, [result.skipped]);
  });

  it("with an API key verifies each contract once; a failure is reported and the others still go", async () => {
    const s = await deployed();
    const sent: SourceRequest[] = [];
    const result = await publishSources(onSonic(s.record), {
      chainId: 146,
      artifacts: hre.artifacts,
      apiKey: async () => "test-key",
      verify: async (r) => {
        sent.push(r);
        if (r.key === "registry") throw new Error("Fail - Unable to verify");
        return true;
      },
    });
    const keys = Object.keys(s.record.contracts);
    assert.deepEqual(sent.map((r) => r.key).sort(), [...keys].sort(), "every contract was sent, once");
    assert.deepEqual(result.verified.sort(), keys.filter((k) => k !== "registry").sort());
    assert.deepEqual(result.failed, [{ key: "registry", address: s.record.contracts.registry, error: "Fail - Unable to verify" }]);
    assert.equal(result.skipped, undefined);
  });

  it("skips a chain without an explorer (the devnet) and says so", async () => {
    const s = await deployed();
    let sent = 0;
    const result = await publishSources(s.record, { chainId: 31337, artifacts: hre.artifacts, apiKey: async () => "test-key", verify: async () => ++sent > 0 });
    assert.equal(sent, 0);
    assert.equal(result.explorer, undefined);
    assert.match(result.skipped!, /^chain 31337 has no block explorer configured/);
  });

  it("on Opera's Blockscout explorer, which needs no key, verifies without one", async () => {
    const s = await deployed();
    const sent: string[] = [];
    const result = await publishSources({ ...s.record, chainId: 250 }, {
      chainId: 250,
      artifacts: hre.artifacts,
      apiKey: async () => undefined,
      verify: async (r, explorer) => {
        sent.push(`${explorer.provider}:${r.key}`);
        return true;
      },
    });
    assert.equal(result.skipped, undefined);
    assert.equal(result.explorer?.name, "FTMScout");
    assert.deepEqual(sent.sort(), Object.keys(s.record.contracts).map((k) => `blockscout:${k}`).sort());
  });

  it("hardhat-verify finds each real network's explorer in the configuration", async () => {
    const saved = process.env[API_KEY_VARIABLE];
    process.env[API_KEY_VARIABLE] ??= "test-key";
    try {
      for (const [chainId, e] of Object.entries(EXPLORERS)) {
        const configured = hre.config.chainDescriptors.get(BigInt(chainId))?.blockExplorers[e.provider];
        assert.deepEqual({ name: configured?.name, url: configured?.url, apiUrl: configured?.apiUrl }, { name: e.name, url: e.url, apiUrl: e.apiUrl }, `chain ${chainId}`);
        if (e.provider !== "etherscan") continue;
        // Etherscan's helper, as the plugin builds it for a connection to that chain.
        const c = await network.create({ override: { chainId: Number(chainId) } });
        try {
          assert.equal(await c.verification.etherscan.getName(), e.name);
          assert.equal(await c.verification.etherscan.getUrl(), e.url);
          assert.equal(await c.verification.etherscan.getApiUrl(), ETHERSCAN_V2_API);
          assert.equal(await c.verification.etherscan.getChainId(), chainId);
        } finally {
          await c.close();
        }
      }
    } finally {
      if (saved === undefined) delete process.env[API_KEY_VARIABLE];
    }
    assert.deepEqual(Object.values(EXPLORERS).map((e) => e.network).sort(), ["fantom-testnet", "opera", "sonic", "sonic-testnet"]);
  });
});

describe("the README's Deployments table", () => {
  const record = {
    chainId: 146,
    contracts: { pool: "0x00000000000000000000000000000000000000a1", registry: "0x00000000000000000000000000000000000000a2" },
    creations: { pool: { contract: "StakingPool", constructorArgs: "0x" }, registry: { contract: "ValidatorRegistry", constructorArgs: "0x" } },
    sources: { explorer: "SonicScan", url: "https://sonicscan.org", verified: ["pool"] },
  };

  it("links each verified contract to its source on the explorer and marks the others not verified", () => {
    const table = renderDeployments([{ network: "sonic", record }]).split("\n");
    assert.equal(table.length, 4);
    assert.equal(table[2], "| sonic | 146 | `pool` (StakingPool) | [`0x00000000000000000000000000000000000000a1`](https://sonicscan.org/address/0x00000000000000000000000000000000000000a1#code) | verified on SonicScan |");
    assert.equal(table[3], "| sonic | 146 | `registry` (ValidatorRegistry) | `0x00000000000000000000000000000000000000a2` | not verified |");
  });

  it("says plainly when no real network has a deployment", () => {
    assert.match(renderDeployments([]), /^No deployment to a real network yet\./);
  });

  it("in the README is what deployments/*.json say", () => {
    const readme = readFileSync("README.md", "utf8");
    assert.ok(readme.includes(BEGIN) && readme.includes(END), "the README has the section");
    assert.equal(replaceSection(readme, renderDeployments(readRecords())), readme, "run npm run deployments:table");
  });
});
