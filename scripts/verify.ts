// Prints every role holder of a deployment and fails when any is not what the design allows.
//   npx hardhat run scripts/verify.ts --network sonic
import { readFileSync } from "node:fs";
import { network } from "hardhat";
import { loadParams } from "./deploy/params.js";
import { verifyRoles } from "./deploy/verify.js";
import type { DeploymentRecord as Deployment } from "../shared/protocol.generated.js";

const conn = await network.connect();
const name = conn.networkName;
const chainId = await (await conn.viem.getPublicClient()).getChainId();
const record = JSON.parse(readFileSync(`deployments/${name}.json`, "utf8")) as Deployment;
const params = loadParams(`scripts/deploy/params/${name}.json`, chainId);
const report = await verifyRoles(conn.viem, record, params);
for (const line of report.lines) console.log(line);
for (const p of report.problems) console.error(`PROBLEM: ${p}`);
console.log(report.problems.length ? `${report.problems.length} problem(s) found` : "every role is held as designed");
process.exit(report.problems.length ? 1 : 0);
