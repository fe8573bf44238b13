// ValidatorRegistry: the set as it stands and each validator's target weight over time.
import { ponder } from "ponder:registry";
import { validator } from "ponder:schema";
import { snapshotValidator, VALIDATOR_STATES } from "./shared";

ponder.on("ValidatorRegistry:ValidatorApplied", async ({ event, context }) => {
  const { validatorId, auth, metadataURI } = event.args;
  const t = event.block.timestamp;
  await context.db
    .insert(validator)
    .values({ id: validatorId, auth, metadataURI, state: "Applied", weightBps: 0, stake: 0n, appliedAt: t, updatedAt: t })
    // A validator may apply again after withdrawing its application or being removed.
    .onConflictDoUpdate({ auth, metadataURI, state: "Applied", weightBps: 0, appliedAt: t, updatedAt: t });
});

const STATE_AFTER = {
  ApplicationWithdrawn: "Withdrawn",
  ValidatorApproved: "Active",
  ValidatorExiting: "Exiting",
  ValidatorRemoved: "Removed",
  ValidatorIneligible: "Ineligible",
} as const;
for (const [name, state] of Object.entries(STATE_AFTER) as [keyof typeof STATE_AFTER, string][]) {
  ponder.on(`ValidatorRegistry:${name}`, async ({ event, context }) => {
    await context.db.update(validator, { id: event.args.validatorId }).set({ state, updatedAt: event.block.timestamp });
  });
}
ponder.on("ValidatorRegistry:ValidatorRestored", async ({ event, context }) => {
  await context.db.update(validator, { id: event.args.validatorId }).set({ state: VALIDATOR_STATES[event.args.state] ?? "None", updatedAt: event.block.timestamp });
});

// setTargets gives every validator it does not name weight 0.
ponder.on("ValidatorRegistry:TargetsSet", async ({ event, context }) => {
  const { ids, weightsBps } = event.args;
  const before = await context.db.sql.select({ id: validator.id, weightBps: validator.weightBps }).from(validator);
  const after = new Map<bigint, number>(before.map((v) => [v.id, 0]));
  ids.forEach((id, i) => after.set(id, weightsBps[i]));
  for (const [id, weightBps] of after) {
    const old = before.find((v) => v.id === id)?.weightBps ?? 0;
    if (old === weightBps) continue;
    await context.db.update(validator, { id }).set({ weightBps, updatedAt: event.block.timestamp });
    await snapshotValidator(context, event, id, "target");
  }
});
