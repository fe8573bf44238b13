// Deploys (or resumes deploying) the suite on the network given by --network, with the parameters in
// scripts/deploy/params/<network>.json, and keeps the record in deployments/<network>.json.
//   npx hardhat run scripts/deploy.ts --network sonic
import { network } from "hardhat";
import { loadParams } from "./deploy/params.js";
import { deploySuite } from "./deploy/suite.js";
import { verifyRoles } from "./deploy/verify.js";

const conn = await network.connect();
const name = conn.networkName;
const chainId = await (await conn.viem.getPublicClient()).getChainId();
const params = loadParams(`scripts/deploy/params/${name}.json`, chainId);
const suite = await deploySuite(conn.viem, params, {
  recordFile: `deployments/${name}.json`,
  log: (m) => console.log(m),
});
const report = await verifyRoles(conn.viem, suite.record, params);
for (const line of report.lines) console.log(line);
if (report.problems.length) {
  for (const p of report.problems) console.error(`PROBLEM: ${p}`);
  process.exit(1);
}
console.log(`deployment on ${name} (chain ${chainId}) complete: deployments/${name}.json`);
