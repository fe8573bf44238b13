import { expect, test } from "@playwright/test";
import { parseEther } from "viem";
import { chain, passProposal, registryAction, runKeeperRound, send } from "./chain";
import { AppPage } from "./pages/AppPage";
import { ValidatorRegistryState as State } from "../shared/protocol.generated";

test("a validator applies from its auth wallet, waits as pending, and holds stake once governance admits it", async ({ page }) => {
  const { record, registry, pool } = chain();
  const validator = record.accounts.validators.at(-1)!; // the devnet leaves the last one not applied
  const id = BigInt(validator.id);
  expect(Number(await registry.read.stateOf([id]))).toBe(State.None);
  const app = new AppPage(page);
  await app.open("/validators/apply");

  // A holder's wallet is not a validator: the page says which wallet to connect.
  await app.connectLocal(record.accounts.holders[0]);
  await expect(page.getByTestId("not-a-validator")).toBeVisible();

  await app.connectLocal(validator.auth);
  await expect(page.getByTestId("application-status")).toContainText("None");
  await page.getByTestId("apply-metadata").fill("ftp://wrong");
  await expect(page.getByText("Use an https://, ipfs:// or data:application/json, link")).toBeVisible();
  await expect(page.getByTestId("apply-submit")).toBeDisabled();
  // Its metadata is an https JSON document (served here by the test in place of the validator's website).
  const meta = `https://metadata.validator.example/${validator.id}.json`;
  await page.context().route(meta, (route) => route.fulfill({ contentType: "application/json", body: JSON.stringify({ name: validator.name, website: "https://validator.example" }) }));
  await page.getByTestId("apply-metadata").fill(meta);
  await page.getByTestId("apply-submit").click();
  await app.confirmed("Apply");
  expect(Number(await registry.read.stateOf([id]))).toBe(State.Applied);
  await expect(page.getByTestId("application-status")).toContainText("Applied");
  await expect(page.getByTestId("application-status")).toContainText("pending");

  // The electorate admits it with a tenth of the pool; the keeper delegates to it.
  const [ids, weights] = (await registry.read.targets()) as readonly [readonly bigint[], readonly number[]];
  const nextIds = [...ids, id].sort((a, b) => (a < b ? -1 : 1));
  const scaled = ids.map((_, i) => Math.floor((Number(weights[i]) * 9000) / 10_000));
  scaled[0] += 9000 - scaled.reduce((s, w) => s + w, 0);
  const nextWeights = nextIds.map((v) => (v === id ? 1000 : scaled[ids.indexOf(v)]));
  await passProposal([registryAction("approve", [id]), registryAction("setTargets", [nextIds, nextWeights])], `Admit ${validator.name} (e2e ${Date.now()})`);
  expect(Number(await registry.read.stateOf([id]))).toBe(State.Active);
  expect((await pool.read.stakeOf([id])) as bigint).toBe(0n);
  // New deposits go first to the most under-target validators: the newcomer is served without unbonding.
  await send(record.accounts.holders[2], pool.address, pool.abi, "stake", [record.accounts.holders[2]], parseEther("1000"));
  await runKeeperRound();
  const stake = (await pool.read.stakeOf([id])) as bigint;
  expect(stake).toBeGreaterThan(0n);

  await page.reload();
  await app.connectLocal(validator.auth);
  await expect(page.getByTestId("application-status")).toContainText("Active");
  await expect(page.getByTestId("validator-stake")).toBeVisible();
  expect(await app.amount("validator-stake")).toBeGreaterThan(0);
  await app.open("/validators");
  await expect(page.getByTestId(`validator-${id}-state`)).toHaveText("Active");
  // The list shows the name and website from the https metadata, once, with the id beside it.
  await expect(page.getByTestId(`validator-${id}-name`)).toHaveText(validator.name);
  await expect(page.getByTestId(`validator-${id}-label`)).toContainText(`#${id}`);
  await expect(page.getByTestId(`validator-${id}-website`)).toHaveAttribute("href", "https://validator.example/");
});
