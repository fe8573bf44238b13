import { expect, test } from "@playwright/test";
import type { Address } from "viem";
import { chain, increaseTime } from "./chain";
import { AppPage } from "./pages/AppPage";
import { ProposalPage } from "./pages/ProposalPage";

test("a holder builds an allocation proposal in the weight editor, it passes, and they queue and execute it", async ({ page }) => {
  const { record, registry, governor } = chain();
  const proposer = record.accounts.holders[0] as Address;
  const app = new AppPage(page);
  await app.open("/governance/new");
  await app.connectLocal(proposer);

  // The editor starts from the current targets; a weight typed key by key stays as typed, and the validators
  // not set by hand share the rest of the 100 %.
  const [ids] = (await registry.read.targets()) as readonly [readonly bigint[], readonly number[]];
  const first = ids[0];
  const second = ids[1];
  await expect(page.getByTestId(`weight-${first}`)).toBeVisible();
  await page.getByTestId(`weight-${first}`).fill("");
  await page.getByTestId(`weight-${first}`).pressSequentially("17.5");
  await expect(page.getByTestId(`weight-${first}`)).toHaveValue("17.5");
  await expect(page.getByTestId("weights-sum")).toHaveText("100.00 %");
  await page.getByTestId(`weight-${first}`).blur();
  await expect(page.getByTestId(`weight-${first}`)).toHaveValue("17.50");

  // Including an applicant adds it at 0 % and keeps the edit; excluding it again changes nothing else.
  const applicant = page.getByTestId("weights-editor").locator("li", { hasText: "Applicant" }).first();
  await applicant.getByRole("checkbox").check();
  await expect(page.getByTestId(`weight-${first}`)).toHaveValue("17.50");
  await expect(applicant.getByRole("textbox")).toHaveValue("0.00");
  await applicant.getByRole("checkbox").uncheck();
  await expect(page.getByTestId(`weight-${first}`)).toHaveValue("17.50");

  // Over the cap cannot be entered: it is explained, not applied and not sent.
  const secondBefore = await page.getByTestId(`weight-${second}`).inputValue();
  await page.getByTestId(`weight-${first}`).fill("35");
  await expect(page.getByRole("alert").filter({ hasText: "at most 20.00 %, the cap per validator" })).toBeVisible();
  await expect(page.getByTestId("propose-submit")).toBeDisabled();
  await expect(page.getByTestId(`weight-${second}`)).toHaveValue(secondBefore);
  await page.getByTestId(`weight-${first}`).fill("20");
  await page.getByTestId(`weight-${first}`).blur();
  await expect(page.getByTestId(`weight-${first}`)).toHaveValue("20.00");
  await expect(page.getByTestId("weights-sum")).toHaveText("100.00 %");

  // The editor fits a phone's width without scrolling sideways.
  await page.setViewportSize({ width: 390, height: 844 });
  await expect(page.getByTestId(`weight-${first}`)).toBeInViewport();
  expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
  await page.setViewportSize({ width: 1280, height: 900 });

  const description = `Give ${record.accounts.validators[0].name} a fifth of the pool\n\nIt has the longest record.`;
  await page.getByTestId("proposal-description").fill(description);
  await expect(page.getByTestId("proposal-preview")).toContainText("Set targets");
  const countBefore = (await governor.read.proposalCount()) as bigint;
  await page.getByTestId("propose-submit").click();
  await app.confirmed("Propose");
  await expect(page).toHaveURL(/\/governance\/\d+$/);
  expect(await governor.read.proposalCount()).toBe(countBefore + 1n);
  const [id] = (await governor.read.proposalDetailsAt([countBefore])) as readonly [bigint];
  expect(page.url()).toContain(`/governance/${id}`);
  const proposal = new ProposalPage(page);
  await expect(page.getByTestId("allocation-diff")).toContainText("20.00 %");

  // Voting opens after the voting delay; the proposer's votes carry it.
  await increaseTime(Number(await governor.read.votingDelay()) + 1);
  await page.reload();
  await expect(page.getByTestId("proposal-state")).toHaveText("Active");
  // The devnet says how to let the voting period pass instead of waiting for it.
  await expect(page.getByTestId("devnet-time-hint")).toContainText(/the voting period pass, run npm run devnet:time -- \d+s/);
  await proposal.vote("for");
  await increaseTime(Number(await governor.read.votingPeriod()) + Number(await governor.read.lateQuorumVoteExtension()) + 1);

  // Succeeded → Queue; after the timelock delay → Execute. The page offers only the action that can work.
  await page.reload();
  await expect(page.getByTestId("proposal-state")).toHaveText("Succeeded");
  await proposal.primary("Queue");
  await expect(page.getByTestId("proposal-state")).toHaveText("Queued");
  await expect(page.getByTestId("proposal-primary-action")).toBeDisabled();
  await expect(page.getByTestId("devnet-time-hint")).toContainText("the timelock's delay");
  await increaseTime(Number(await chain().publicClient.readContract({ address: record.contracts.timelock, abi: [{ type: "function", name: "getMinDelay", inputs: [], outputs: [{ type: "uint256" }], stateMutability: "view" }], functionName: "getMinDelay" })) + 1);
  await page.reload();
  await proposal.primary("Execute");
  await expect(page.getByTestId("proposal-state")).toHaveText("Executed");
  await expect(page.getByTestId("devnet-time-hint")).toHaveCount(0);

  // The chain now holds the voted targets.
  const [idsAfter, weights] = (await registry.read.targets()) as readonly [readonly bigint[], readonly number[]];
  expect(Number(weights[idsAfter.indexOf(first)])).toBe(2000);
  expect(weights.reduce((s, w) => s + Number(w), 0)).toBe(10_000);
});
