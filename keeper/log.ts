// One JSON line per action on stdout: what the keeper did or decided, with the transaction, its gas and
// steps, or the error. Amounts are written as decimal strings (they are wei, beyond a JSON number).

export type LogFields = Record<string, unknown>;
export type Logger = (action: string, fields?: LogFields) => void;

/** The line written for `action`: ISO time first, then the action, then the fields. */
export function formatLine(action: string, fields: LogFields = {}, now = new Date()): string {
  return JSON.stringify({ time: now.toISOString(), action, ...fields }, (_k, v) => (typeof v === "bigint" ? v.toString() : v));
}

/** A logger writing to `write` (stdout by default) and telling every `listener` (tests, the metrics). */
export function jsonLogger(write: (line: string) => void = (l) => process.stdout.write(l + "\n")) {
  const listeners: ((action: string, fields: LogFields) => void)[] = [];
  const log: Logger & { listen: (f: (action: string, fields: LogFields) => void) => void } = Object.assign(
    (action: string, fields: LogFields = {}) => {
      write(formatLine(action, fields));
      for (const f of listeners) f(action, fields);
    },
    { listen: (f: (action: string, fields: LogFields) => void) => void listeners.push(f) },
  );
  return log;
}

/** The message of any error, shortest form first (viem's `shortMessage`). */
export function errorText(e: unknown): string {
  const x = e as { shortMessage?: string; message?: string };
  return x?.shortMessage ?? x?.message ?? String(e);
}
