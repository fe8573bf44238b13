// Writes the README's "Deployments" table from the deployment records in deployments/*.json (the local
// devnet's is left out): every contract's address on every real network, linked to the explorer that verified
// its source. `npm run deployments:table` rewrites the table; `--check` only says whether it is up to date.
import { existsSync, readFileSync, readdirSync, writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";

export const BEGIN = "<!-- deployments:begin (written by npm run deployments:table from deployments/*.json; do not edit) -->";
export const END = "<!-- deployments:end -->";
const DEVNET_CHAIN_ID = 31337;

/** The records of real networks in a folder, as `{ network, record }`, sorted by network name. */
export function readRecords(dir = "deployments") {
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((f) => f.endsWith(".json"))
    .map((f) => ({ network: f.replace(/\.json$/, ""), record: JSON.parse(readFileSync(`${dir}/${f}`, "utf8")) }))
    .filter(({ record }) => record.chainId && record.chainId !== DEVNET_CHAIN_ID && record.contracts)
    .sort((a, b) => a.network.localeCompare(b.network));
}

/** The table (markdown) for the given records; a plain sentence when there is none. */
export function renderDeployments(entries) {
  if (entries.length === 0) {
    return "No deployment to a real network yet. The deploy script writes `deployments/<network>.json`; `npm run deployments:table` then lists its addresses here.";
  }
  const rows = ["| network | chain id | contract | address | source |", "| --- | ---: | --- | --- | --- |"];
  for (const { network, record } of entries) {
    const verified = new Set(record.sources?.verified ?? []);
    for (const [key, address] of Object.entries(record.contracts)) {
      const contract = record.creations?.[key]?.contract;
      const name = contract ? `\`${key}\` (${contract})` : `\`${key}\``;
      const ok = verified.has(key) && record.sources?.url;
      const where = ok ? `[\`${address}\`](${record.sources.url}/address/${address}#code)` : `\`${address}\``;
      rows.push(`| ${network} | ${record.chainId} | ${name} | ${where} | ${ok ? `verified on ${record.sources.explorer}` : "not verified"} |`);
    }
  }
  return rows.join("\n");
}

/** The README with the text between the markers replaced; throws when the markers are missing. */
export function replaceSection(readme, body) {
  const from = readme.indexOf(BEGIN);
  const to = readme.indexOf(END);
  if (from < 0 || to < from) throw new Error(`README.md has no deployments section (the lines ${BEGIN} and ${END})`);
  return `${readme.slice(0, from + BEGIN.length)}\n${body}\n${readme.slice(to)}`;
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const check = process.argv.includes("--check");
  const readme = readFileSync("README.md", "utf8");
  const next = replaceSection(readme, renderDeployments(readRecords()));
  if (check) {
    if (next !== readme) {
      console.error("README.md's Deployments table is not what deployments/*.json say: run npm run deployments:table");
      process.exit(1);
    }
    console.log("README.md's Deployments table is up to date");
  } else {
    writeFileSync("README.md", next);
    console.log(`README.md: Deployments table written from ${readRecords().length} record(s)`);
  }
}
