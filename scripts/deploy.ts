// Deploys (or resumes deploying) the suite on the network given by --network, with the parameters in
// scripts/deploy/params/<network>.json, keeps the record in deployments/<network>.json, checks every role and
// publishes every contract's source on the network's explorer (scripts/deploy/sources.ts).
//   npx hardhat run --build-profile production scripts/deploy.ts --network sonic
import { writeFileSync } from "node:fs";
import hre from "hardhat";
import { verifyContract } from "@nomicfoundation/hardhat-verify/verify";
import { loadParams } from "./deploy/params.js";
import { configuredApiKey, publishSources } from "./deploy/sources.js";
import { deploySuite } from "./deploy/suite.js";
import { verifyRoles } from "./deploy/verify.js";

const conn = await hre.network.connect();
const name = conn.networkName;
const chainId = await (await conn.viem.getPublicClient()).getChainId();
const params = loadParams(`scripts/deploy/params/${name}.json`, chainId);
const recordFile = `deployments/${name}.json`;
const suite = await deploySuite(conn.viem, params, { recordFile, log: (m) => console.log(m) });
const report = await verifyRoles(conn.viem, suite.record, params);
for (const line of report.lines) console.log(line);
if (report.problems.length) {
  for (const p of report.problems) console.error(`PROBLEM: ${p}`);
  process.exit(1);
}
console.log(`deployment on ${name} (chain ${chainId}) complete: ${recordFile}`);

const sources = await publishSources(suite.record, {
  chainId,
  artifacts: hre.artifacts,
  apiKey: () => configuredApiKey(hre.config.verify.etherscan.apiKey),
  verify: (r, explorer) => verifyContract({ address: r.address, constructorArgs: [...r.constructorArgs], contract: r.contract, provider: explorer.provider }, hre),
  log: (m) => console.log(m),
});
if (sources.explorer && !sources.skipped) {
  const verified = new Set([...(suite.record.sources?.verified ?? []), ...sources.verified]);
  suite.record.sources = { explorer: sources.explorer.name, url: sources.explorer.url, verified: [...verified] };
  writeFileSync(recordFile, JSON.stringify(suite.record, null, 2) + "\n");
}
if (sources.failed.length || sources.problems.length) {
  console.error(`${sources.failed.length + sources.problems.length} contract(s) not verified; the deployment itself is complete. Run this script again to retry.`);
  process.exit(1);
}
