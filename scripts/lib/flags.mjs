// Command-line flags for the project's scripts (the coverage reports): each flag is a name, what it sets,
// and whether it takes a value (a string or a number). Mistakes end the script with a message and exit 2.

/**
 * Parses `argv` against `spec`, `{ "--flag": { key, kind: "string" | "number" | "set", value } }`, starting from
 * `defaults`. A "set" flag stores its `value` (true when none is given). `--help` prints `usage` and exits 0.
 * `fail(message)` ends the script.
 */
export function parseFlags(argv, { spec, defaults, usage, fail }) {
  const opts = { ...defaults };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === "--help" || a === "-h") {
      console.log(usage);
      process.exit(0);
    }
    const flag = spec[a];
    if (!flag) fail(`unknown argument ${a}`);
    if (flag.kind === "set") {
      opts[flag.key] = "value" in flag ? flag.value : true;
      continue;
    }
    const v = argv[++i];
    if (v === undefined) fail(`missing value after ${a}`);
    if (flag.kind === "number") {
      const n = Number(v);
      if (!Number.isFinite(n)) fail(`${a} needs a number`);
      opts[flag.key] = n;
    } else opts[flag.key] = v;
  }
  return opts;
}
