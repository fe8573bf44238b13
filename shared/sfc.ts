// The one TypeScript reading of the SFC's `getValidator` answer. Its seven words come in a different order
// on Opera (SFC 3.x) and Sonic (SFC 4.x); `contracts/libraries/SFCReader.sol` is the contracts' side of the
// same table, and test/ts/sfc-layout.test.ts checks this one against the SFC model in both layouts.
import { SFCReaderLayout } from "./protocol.generated";

/** How a deployment names its SFC's layout: the `SFCReader.Layout` member, in lower case. */
export type SfcLayout = Lowercase<keyof typeof SFCReaderLayout>;

export const SFC_LAYOUTS = Object.keys(SFCReaderLayout).map((k) => k.toLowerCase()) as SfcLayout[];

/** The `SFCReader.Layout` value the contracts take for a layout name. */
export function layoutIndex(layout: SfcLayout): number {
  const entry = Object.entries(SFCReaderLayout).find(([k]) => k.toLowerCase() === layout);
  if (!entry) throw new Error(`unknown SFC layout ${JSON.stringify(layout)}: expected one of ${SFC_LAYOUTS.join(", ")}`);
  return entry[1];
}

/** The layout name of an `SFCReader.Layout` value read from a contract. */
export function layoutName(index: number): SfcLayout {
  const entry = Object.entries(SFCReaderLayout).find(([, v]) => v === index);
  if (!entry) throw new Error(`unknown SFCReader.Layout value ${index}`);
  return entry[0].toLowerCase() as SfcLayout;
}

/** The SFC's validator status bits (a set: 0 is OK). Slashing for double-signing sets DOUBLESIGN. */
export const SFC_STATUS = { OK: 0n, WITHDRAWN: 1n, OFFLINE: 8n, OFFLINE_AVG: 16n, DOUBLESIGN: 128n } as const;

type Field = "status" | "deactivatedTime" | "deactivatedEpoch" | "receivedStake" | "createdEpoch" | "createdTime" | "auth";

/** Word index of each field of `getValidator(id)`, per layout. */
export const VALIDATOR_WORDS: Record<SfcLayout, Record<Field, number>> = {
  opera: { status: 0, deactivatedTime: 1, deactivatedEpoch: 2, receivedStake: 3, createdEpoch: 4, createdTime: 5, auth: 6 },
  sonic: { status: 0, receivedStake: 1, auth: 2, createdEpoch: 3, createdTime: 4, deactivatedTime: 5, deactivatedEpoch: 6 },
};

export type SfcValidator = Record<Exclude<Field, "auth">, bigint> & { auth: `0x${string}` };

/** A `getValidator` answer (seven words) in the layout of the chain's SFC. */
export function decodeValidator(words: readonly bigint[], layout: SfcLayout): SfcValidator {
  if (words.length < 7) throw new Error(`getValidator answered ${words.length} words, expected 7`);
  const at = VALIDATOR_WORDS[layout];
  const word = (f: Field) => words[at[f]];
  return {
    status: word("status"),
    deactivatedTime: word("deactivatedTime"),
    deactivatedEpoch: word("deactivatedEpoch"),
    receivedStake: word("receivedStake"),
    createdEpoch: word("createdEpoch"),
    createdTime: word("createdTime"),
    auth: `0x${word("auth").toString(16).padStart(40, "0")}`,
  };
}
