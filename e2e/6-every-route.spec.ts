import { expect, test, type Page } from "@playwright/test";
import { mkdirSync } from "node:fs";
import { parseEther, type Address } from "viem";
import { chain } from "./chain";
import { AppPage } from "./pages/AppPage";

// Screenshots of every route at desktop and phone width, linked from the README.
const SHOTS = "e2e/screenshots";
const VIEWPORTS = { desktop: { width: 1280, height: 900 }, mobile: { width: 390, height: 844 } } as const;

function routes() {
  const { record } = chain();
  return [
    { name: "overview", path: "/", as: record.accounts.holders[0], ready: "tvl" },
    { name: "stake", path: "/stake", as: record.accounts.holders[0], ready: "withdrawals" },
    // The first withdrawal receipt of the journeys before this one (claimed by now: its page says so).
    { name: "receipt", path: "/withdrawals/1", as: record.accounts.holders[3], ready: "receipt" },
    { name: "governance", path: "/governance", as: record.accounts.holders[0], ready: "proposal-list" },
    { name: "proposal", path: "/governance/1", as: record.accounts.holders[0], ready: "allocation-diff" },
    { name: "new-proposal", path: "/governance/new", as: record.accounts.holders[0], ready: "weights-editor" },
    { name: "delegates", path: "/governance/delegates", as: record.accounts.holders[0], ready: "delegates-table" },
    { name: "validators", path: "/validators", as: record.accounts.holders[0], ready: "validators-table" },
    { name: "validator", path: `/validators/${record.accounts.validators[0].id}`, as: record.accounts.holders[0], ready: "validator-changes" },
    { name: "apply", path: "/validators/apply", as: record.accounts.validators.at(-2)!.auth, ready: "application-status" },
    { name: "operator", path: "/operator", as: record.accounts.operator, ready: "distribution-chart" },
  ] as const;
}

async function everyInputHasAName(page: Page) {
  for (const field of await page.locator("input:visible, select:visible, textarea:visible").all()) {
    await expect(field, `an input on ${page.url()} has no label`).toHaveAccessibleName(/\S/);
  }
}

test("every route renders with data, labels every input, at desktop and phone width", async ({ page }) => {
  mkdirSync(SHOTS, { recursive: true });
  const app = new AppPage(page);
  for (const [size, viewport] of Object.entries(VIEWPORTS)) {
    await page.setViewportSize(viewport);
    for (const r of routes()) {
      await app.open(r.path);
      await app.connectLocal(r.as as Address);
      await expect(page.getByTestId(r.ready).first()).toBeVisible();
      await expect(page.getByText("…", { exact: true })).toHaveCount(0); // every figure loaded
      await everyInputHasAName(page);
      await page.screenshot({ path: `${SHOTS}/${r.name}-${size}.png`, fullPage: true });
    }
  }
});

test("a holder can stake with the keyboard alone", async ({ page }) => {
  const { record, stFTM } = chain();
  const holder = record.accounts.holders[1] as Address;
  const app = new AppPage(page);
  await app.open("/stake");
  await app.connectLocal(holder); // a native <select>: the browser makes it keyboard-operable
  const amount = page.getByTestId("stake-amount");
  await page.getByTestId("local-wallet").focus();
  for (let i = 0; i < 30 && !(await amount.evaluate((el) => el === document.activeElement)); i++) await page.keyboard.press("Tab");
  await expect(amount).toBeFocused();
  const before = (await stFTM.read.balanceOf([holder])) as bigint;
  await page.keyboard.type("2.5");
  await page.keyboard.press("Enter");
  await app.confirmed("Stake");
  expect(((await stFTM.read.balanceOf([holder])) as bigint) - before).toBeGreaterThanOrEqual(parseEther("2.5") - 2n);
});
