// What the compiler says about the project's own contracts (`contracts/`), read from Hardhat's build-info
// output: each source's AST (enums, error definitions) and each contract's userdoc (the NatSpec notices the
// compiler parsed). Used by scripts/gen-contracts.mjs and by the test that every error has a notice.
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";

const PROJECT_SOURCES = "project/contracts/";

/** @typedef {{ name: string, source: string, members: string[] }} EnumInfo */
/** @typedef {{ name: string, signature: string, scope: string, source: string, notice: string | undefined }} ErrorInfo */
/** @typedef {{ enums: EnumInfo[], errors: ErrorInfo[] }} Definitions */

/** The solc output of every build, keyed by source name; throws with the command to run when there is none. */
function buildOutputs(root) {
  const dir = join(root, "artifacts/build-info");
  const files = existsSync(dir) ? readdirSync(dir).filter((f) => f.endsWith(".output.json")) : [];
  if (files.length === 0) throw new Error(`no Hardhat build output in ${dir}: run "npx hardhat build" first`);
  return files.map((f) => JSON.parse(readFileSync(join(dir, f), "utf8")).output);
}

function* walk(node) {
  if (!node || typeof node !== "object") return;
  if (typeof node.nodeType === "string") yield node;
  for (const value of Object.values(node)) {
    if (Array.isArray(value)) for (const v of value) yield* walk(v);
    else if (value && typeof value === "object") yield* walk(value);
  }
}

/**
 * The enums declared in `contracts/` and in the npm libraries it imports, and the custom errors declared in
 * `contracts/`, each once (a source compiled by two jobs, such as
 * the pool's via-IR override, appears in both outputs).
 *   enums:  { name: "ValidatorRegistry.State", source: "contracts/ValidatorRegistry.sol", members: ["None", …] }
 *   errors: { name, signature: "Name(uint256,address)", scope: the declaring contract or library (or "" at file
 *           level), source, notice: the userdoc notice, or undefined when the error has none }
 * @param {string} [root] the project's root
 * @returns {Definitions}
 */
export function readProjectDefinitions(root = ".") {
  const enums = new Map();
  const errors = new Map();
  for (const output of buildOutputs(root)) {
    for (const [sourceName, { ast }] of Object.entries(output.sources ?? {})) {
      // Enums of the libraries the contracts build on (OpenZeppelin's governor states and vote types) too:
      // the app, the scripts and the tests use them as much as the project's own.
      if (!sourceName.startsWith(PROJECT_SOURCES) && !sourceName.startsWith("npm/@openzeppelin/")) continue;
      const source = sourceName.replace(/^project\//, "").replace(/^npm\/([^/]+\/[^/]+?)@[^/]+\//, "$1/");
      for (const node of walk(ast)) {
        if (node.nodeType === "EnumDefinition") {
          enums.set(node.canonicalName, { name: node.canonicalName, source, members: node.members.map((m) => m.name) });
        }
      }
      if (!sourceName.startsWith(PROJECT_SOURCES)) continue;
      for (const unit of ast.nodes ?? []) {
        const scope = unit.nodeType === "ContractDefinition" ? unit.name : "";
        const definitions = unit.nodeType === "ContractDefinition" ? unit.nodes : unit.nodeType === "ErrorDefinition" ? [unit] : [];
        const userdoc = scope ? output.contracts?.[sourceName]?.[scope]?.userdoc : undefined;
        for (const node of definitions) {
          if (node.nodeType !== "ErrorDefinition") continue;
          const signature = `${node.name}(${node.parameters.parameters.map(abiType).join(",")})`;
          const notice = userdoc?.errors?.[signature]?.map((e) => e.notice).filter(Boolean).join(" ") || undefined;
          errors.set(`${source}:${scope}:${signature}`, { name: node.name, signature, scope, source, notice });
        }
      }
    }
  }
  return {
    enums: [...enums.values()].sort((a, b) => a.name.localeCompare(b.name)),
    errors: [...errors.values()].sort((a, b) => a.signature.localeCompare(b.signature)),
  };
}

/** The ABI type of an error parameter as the userdoc's keys write it (enums as uint8, contracts as address). */
function abiType(param) {
  const t = param.typeDescriptions.typeString;
  if (t.startsWith("enum ")) return "uint8";
  if (t.startsWith("contract ") || t.startsWith("interface ")) return "address";
  if (t === "address payable") return "address";
  if (t.startsWith("struct ")) throw new Error(`error parameter ${param.name} is a struct: not supported by the generator`);
  return t.replace(/ (memory|calldata|storage)$/, "").replace(/ (memory|calldata|storage)\b/g, "");
}

/**
 * The errors declared in `contracts/` whose NatSpec has no notice: each should say when it happens.
 * @param {Definitions} definitions
 * @returns {ErrorInfo[]}
 */
export function errorsWithoutNotice(definitions) {
  return definitions.errors.filter((e) => !e.notice);
}
