// Helpers the handlers share: row ids and times of a log, the snapshot of one validator, and the open keeper round.
import { abis } from "../../app/lib/contracts.generated";
import { SFC_ADDRESS } from "../../shared/networks";
import { addresses } from "../deployment";
import type { Context } from "ponder:registry";
import { cursor, keeperRound, validator, validatorSnapshot } from "ponder:schema";

type LogEvent = {
  log: { logIndex: number };
  block: { number: bigint; timestamp: bigint };
  transaction: { hash: `0x${string}` };
};

/** A log's row id: unique, and the same every time the log is replayed. */
export const logId = (event: LogEvent) => `${event.transaction.hash}-${event.log.logIndex}`;

/** Where and when a log happened, in the columns every history table has. */
export const when = (event: LogEvent) => ({
  blockNumber: event.block.number,
  timestamp: event.block.timestamp,
  txHash: event.transaction.hash,
});

export const VALIDATOR_STATES = ["None", "Applied", "Active", "Exiting", "Removed", "Ineligible"] as const;

/**
 * Records a validator's pool stake, target weight and the SFC's commission as the chain holds them at this
 * log's block, and keeps the validator row's current stake. Read from the chain rather than summed from
 * events, so restaked rewards and slashing are in it exactly.
 */
export async function snapshotValidator(context: Context, event: LogEvent, validatorId: bigint, cause: string) {
  const row = await context.db.find(validator, { id: validatorId });
  if (!row) return; // a move at a validator the registry never listed (cannot happen with this pool)
  const read = context.client.readContract as (args: { address: `0x${string}`; abi: unknown; functionName: string; args?: unknown[] }) => Promise<unknown>;
  const [stake, consts] = await Promise.all([
    read({ address: addresses.pool, abi: abis.pool, functionName: "stakeOf", args: [validatorId] }) as Promise<bigint>,
    read({ address: SFC_ADDRESS, abi: abis.sfc, functionName: "constsAddress" }) as Promise<`0x${string}`>,
  ]);
  const commission = (await read({ address: consts, abi: abis.sfcConstants, functionName: "validatorCommission" })) as bigint;
  await context.db.update(validator, { id: validatorId }).set({ stake, updatedAt: event.block.timestamp });
  await context.db
    .insert(validatorSnapshot)
    .values({
      id: `${logId(event)}-${validatorId}`,
      validatorId,
      stake,
      weightBps: row.weightBps,
      commission,
      cause,
      blockNumber: event.block.number,
      timestamp: event.block.timestamp,
    })
    .onConflictDoNothing();
}

/** The round that moves of this block belong to, created when its first call or move is seen. */
export async function openRound(context: Context, timestamp: bigint) {
  const c = (await context.db.find(cursor, { id: "keeper" })) ?? (await context.db.insert(cursor).values({ id: "keeper", openRound: 1 }));
  const existing = await context.db.find(keeperRound, { id: c.openRound });
  if (!existing) {
    await context.db.insert(keeperRound).values({
      id: c.openRound, startedAt: timestamp, calls: 0, gasUsed: 0n, callers: [], moves: 0, delegated: 0n, undelegated: 0n, harvested: 0n, finalised: 0,
    });
  }
  return c.openRound;
}

