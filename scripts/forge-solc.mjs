#!/usr/bin/env node
// The `solc` that forge runs (foundry.toml: `solc = "scripts/forge-solc.mjs"`), backed by the `solc` npm
// package. WHY: forge wants a native compiler and downloads it, which fails on machines without internet
// access, and Debian has no solc package; the npm package is the compiler Hardhat already uses here.
//
// forge calls it in two ways only:
//   --version                          answered in the native binary's format (forge parses it)
//   [--allow-paths …] [--base-path <dir>] --standard-json
//                                      standard-JSON input on stdin, output on stdout
// Any other use exits with 2. Works on Node 20 and 22 (solc-js is plain JavaScript).
import fs from "node:fs";
import path from "node:path";
import { createRequire } from "node:module";

const solc = createRequire(import.meta.url)("solc");
const args = process.argv.slice(2);

if (args.includes("--version")) {
  // solc-js says `0.8.37+commit.f401782d.Emscripten.clang`; forge expects the native build's line.
  const version = solc.version().replace(/\.Emscripten\.clang$/, ".Linux.g++");
  process.stdout.write(`solc, the solidity compiler commandline interface\nVersion: ${version}\n`);
} else if (args.includes("--standard-json")) {
  const i = args.indexOf("--base-path");
  const base = i >= 0 && args[i + 1] ? path.resolve(args[i + 1]) : process.cwd();
  // forge inlines every source; the callback only answers a compiler that still asks for a file.
  const findImports = (p) => {
    const file = path.resolve(base, p);
    return fs.existsSync(file) ? { contents: fs.readFileSync(file, "utf8") } : { error: `File not found: ${p}` };
  };
  const input = fs.readFileSync(0, "utf8");
  process.stdout.write(solc.compile(input, { import: findImports }));
} else {
  process.stderr.write(`forge-solc: unsupported arguments: ${args.join(" ") || "(none)"}; only --version and --standard-json\n`);
  process.exit(2);
}
