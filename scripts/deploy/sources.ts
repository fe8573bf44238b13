// Publishing a deployment's sources on the network's block explorer, so that operators and holders can read
// the code they trust with their stake. The deploy script (`scripts/deploy.ts`) runs it after the role check;
// the requests are built from the deployment record alone, so that every contract the record names is
// verified, whatever contracts later steps add.
import { decodeAbiParameters, type Abi, type AbiParameter, type Address } from "viem";
import type { ContractKey, Deployment } from "./suite.js";

/** The configuration variable (Hardhat keystore or environment) that holds the Etherscan API key. */
export const API_KEY_VARIABLE = "ETHERSCAN_API_KEY";

/** Etherscan's v2 API: one endpoint and one key for every chain Etherscan serves, chosen by chain id. */
export const ETHERSCAN_V2_API = "https://api.etherscan.io/v2/api";

export interface Explorer {
  network: string;
  /** The chain's name, as hardhat-verify reports it. */
  chain: string;
  /** Which of hardhat-verify's providers talks to it: Etherscan's v2 API (needs a key) or Blockscout's (none). */
  provider: "etherscan" | "blockscout";
  name: string;
  url: string;
  apiUrl: string;
}

/**
 * The explorer of each real network, by chain id; `hardhat.config.ts` gives them to hardhat-verify as chain
 * descriptors, so that it never has to look them up on the network. Sonic's explorers are Etherscan's
 * (SonicScan, v2 API, one key for both). Etherscan's v2 API does not list Fantom Opera: Opera's sources go to
 * FTMScout (Blockscout, the explorer Hardhat itself names for chain 250; no key). Fantom's testnet keeps
 * FTMScan's testnet through Etherscan's API, the one explorer it had; if Etherscan refuses the chain, the
 * script reports the explorer's answer for each contract.
 */
export const EXPLORERS: Record<number, Explorer> = {
  146: { network: "sonic", chain: "Sonic", provider: "etherscan", name: "SonicScan", url: "https://sonicscan.org", apiUrl: ETHERSCAN_V2_API },
  57054: { network: "sonic-testnet", chain: "Sonic Blaze Testnet", provider: "etherscan", name: "SonicScan testnet", url: "https://testnet.sonicscan.org", apiUrl: ETHERSCAN_V2_API },
  250: { network: "opera", chain: "Fantom Opera", provider: "blockscout", name: "FTMScout", url: "https://ftmscout.com", apiUrl: "https://ftmscout.com/api" },
  4002: { network: "fantom-testnet", chain: "Fantom Testnet", provider: "etherscan", name: "FTMScan testnet", url: "https://testnet.ftmscan.com", apiUrl: ETHERSCAN_V2_API },
};

/** What hardhat-verify needs to verify one contract. */
export interface SourceRequest {
  key: ContractKey;
  address: Address;
  /** Fully qualified name (`<source file>:<contract>`), so the plugin does not have to guess from bytecode. */
  contract: string;
  constructorArgs: readonly unknown[];
}

/** The part of Hardhat's artifacts manager this needs. */
export interface ArtifactReader {
  readArtifact(name: string): Promise<{ abi: Abi; sourceName: string; contractName: string }>;
}

/**
 * One verification request per contract of the record, with the constructor arguments the record kept
 * (decoded with the artifact's ABI). A contract the record has no creation for (a record written before
 * creations were kept) is returned as a problem, never skipped in silence.
 */
export async function sourceRequests(record: Deployment, artifacts: ArtifactReader) {
  const requests: SourceRequest[] = [];
  const problems: string[] = [];
  for (const [key, address] of Object.entries(record.contracts) as [ContractKey, Address][]) {
    const creation = record.creations?.[key];
    if (!creation) {
      problems.push(`${key} at ${address}: the record does not say how it was created (contract and constructor arguments), so it cannot be verified`);
      continue;
    }
    const artifact = await artifacts.readArtifact(creation.contract);
    const inputs = (artifact.abi.find((x) => x.type === "constructor") as { inputs: readonly AbiParameter[] } | undefined)?.inputs ?? [];
    requests.push({
      key,
      address,
      contract: `${artifact.sourceName}:${artifact.contractName}`,
      constructorArgs: decodeAbiParameters(inputs, creation.constructorArgs),
    });
  }
  return { requests, problems };
}

export interface PublishOptions {
  chainId: number;
  artifacts: ArtifactReader;
  /** The configured API key, or undefined when none is configured. */
  apiKey: () => Promise<string | undefined>;
  /** Verifies one contract on the explorer (hardhat-verify's `verifyContract`); throws with the reason when it fails. */
  verify: (request: SourceRequest, explorer: Explorer) => Promise<boolean>;
  log?: (line: string) => void;
}

export interface PublishResult {
  explorer?: Explorer;
  /** Why nothing was sent to an explorer (no explorer for this chain, or no API key). */
  skipped?: string;
  verified: ContractKey[];
  failed: { key: ContractKey; address: Address; error: string }[];
  /** Contracts that could not even be asked for (see `sourceRequests`). */
  problems: string[];
}

/**
 * Verifies every contract of the record on the chain's explorer, one after the other (one contract's failure
 * does not stop the others), when the explorer can be used: an Etherscan explorer only with an API key
 * configured. Says plainly why it does nothing otherwise.
 */
export async function publishSources(record: Deployment, o: PublishOptions): Promise<PublishResult> {
  const log = o.log ?? (() => {});
  const explorer = EXPLORERS[o.chainId];
  const result: PublishResult = { explorer, verified: [], failed: [], problems: [] };
  if (!explorer) {
    result.skipped = `chain ${o.chainId} has no block explorer configured (scripts/deploy/sources.ts): source verification skipped`;
    log(result.skipped);
    return result;
  }
  const { requests, problems } = await sourceRequests(record, o.artifacts);
  result.problems = problems;
  for (const p of problems) log(`PROBLEM: ${p}`);
  if (explorer.provider === "etherscan" && !(await o.apiKey())) {
    result.skipped =
      `no ${API_KEY_VARIABLE} configured: the sources of ${requests.length} contracts were NOT verified on ${explorer.name} (${explorer.url}). ` +
      `Set an Etherscan API key (npx hardhat keystore set ${API_KEY_VARIABLE}, or the environment variable of that name) ` +
      `and run the deploy script again: the deployed steps are skipped and only the verification runs.`;
    log(result.skipped);
    return result;
  }
  log(`verifying ${requests.length} contracts on ${explorer.name} (${explorer.url})`);
  for (const r of requests) {
    try {
      await o.verify(r, explorer);
      result.verified.push(r.key);
      log(`source of ${r.key} (${r.contract}) verified: ${explorer.url}/address/${r.address}#code`);
    } catch (e) {
      const error = e instanceof Error ? e.message : String(e);
      result.failed.push({ key: r.key, address: r.address, error });
      log(`PROBLEM: source of ${r.key} at ${r.address} not verified: ${error}`);
    }
  }
  return result;
}

const NOT_SET = ["HHE7", "HHE50002"];

/**
 * The Etherscan API key of the Hardhat configuration (keystore or environment), or undefined when it is not
 * set; any other failure to read it (a wrong keystore password) is thrown.
 */
export async function configuredApiKey(apiKey: { get(): Promise<string> }): Promise<string | undefined> {
  try {
    const value = await apiKey.get();
    return value === "" ? undefined : value;
  } catch (e) {
    // Hardhat's "configuration variable not found" (neither in the keystore nor in the environment), and the
    // keystore's own under `hardhat test`, which reads only the development keystore.
    if (NOT_SET.includes((e as { errorCode?: string }).errorCode ?? "")) return undefined;
    throw e;
  }
}
