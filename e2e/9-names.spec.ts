import { expect, test, type Page } from "@playwright/test";
import type { Address } from "viem";
import { chain, withdrawalTerms } from "./chain";
import { DEVNET_CHAIN, NAMES, OTHER_NAMES, WITHDRAWAL_DAYS } from "./env";
import { AppPage } from "./pages/AppPage";
import { StakePage } from "./pages/StakePage";

// Names follow the chain: a devnet started as Sonic shows S / stS / wstS everywhere, one started as Opera
// FTM / stFTM / wstFTM, and no screen shows the other chain's names. `npm test` runs this file on both.

const word = (w: string) => new RegExp(`(^|[^A-Za-z0-9])${w}($|[^A-Za-z0-9])`);

type Who = "holder" | "applicant" | "operator";
const ROUTES: { path: string; as: Who; ready: string; shows: readonly string[] }[] = [
  { path: "/", as: "holder", ready: "tvl", shows: [NAMES.native, NAMES.staked, NAMES.wrapped] },
  { path: "/stake", as: "holder", ready: "withdrawals", shows: [NAMES.native, NAMES.staked, NAMES.wrapped] },
  { path: "/governance", as: "holder", ready: "proposal-list", shows: [NAMES.staked, NAMES.wrapped] },
  { path: "/governance/1", as: "holder", ready: "allocation-diff", shows: [NAMES.staked] },
  { path: "/governance/new", as: "holder", ready: "weights-editor", shows: [NAMES.staked] },
  { path: "/governance/delegates", as: "holder", ready: "delegates-table", shows: [NAMES.wrapped] },
  { path: "/validators", as: "holder", ready: "validators-table", shows: [NAMES.native] },
  { path: "/validators/apply", as: "applicant", ready: "application-status", shows: [NAMES.native] },
  { path: "/operator", as: "operator", ready: "distribution-chart", shows: [NAMES.native] },
];

function account(who: Who): Address {
  const { accounts } = chain().record;
  return who === "holder" ? accounts.holders[0] : who === "applicant" ? accounts.validators.at(-2)!.auth : accounts.operator;
}

/** The page's visible text (toasts included) names this chain's money and none of the other chain's. */
async function namesOnlyThisChain(page: Page, shows: readonly string[]) {
  const text = await page.locator("body").innerText();
  for (const name of shows) expect(text, `${page.url()} should show ${name}`).toMatch(word(name));
  for (const name of Object.values(OTHER_NAMES)) expect(text, `${page.url()} shows the other chain's ${name}`).not.toMatch(word(name));
}

test(`the devnet started as ${DEVNET_CHAIN} names its tokens and currency as the chain does`, async () => {
  const { record, stFTM, wstFTM } = chain();
  expect(record.devnetChain).toBe(DEVNET_CHAIN);
  expect(await stFTM.read.symbol()).toBe(NAMES.staked);
  expect(await wstFTM.read.symbol()).toBe(NAMES.wrapped);
  expect(record.names.nativeCurrency).toBe(NAMES.native);
  const [period] = await withdrawalTerms();
  expect(period / 86400, "Sonic's SFC waits 14 days, Opera's 7").toBe(WITHDRAWAL_DAYS);
});

for (const r of ROUTES) {
  test(`${r.path} shows ${NAMES.native} / ${NAMES.staked} / ${NAMES.wrapped} and never ${OTHER_NAMES.native} / ${OTHER_NAMES.staked} / ${OTHER_NAMES.wrapped}`, async ({ page }) => {
    const app = new AppPage(page);
    await app.open(r.path);
    // Before a wallet connects the app reads the devnet as well: the names are the same.
    await expect(page.getByTestId("brand")).toHaveText(NAMES.staked);
    await app.connectLocal(account(r.as));
    await expect(page.getByTestId(r.ready).first()).toBeVisible();
    await expect(page.getByText("…", { exact: true })).toHaveCount(0);
    await namesOnlyThisChain(page, r.shows);
  });
}

test(`the overview says ${DEVNET_CHAIN === "opera" ? "that unlocked stake earns the SFC's unlocked reward ratio" : "nothing about lockups, which Sonic has none of"}`, async ({ page }) => {
  const app = new AppPage(page);
  await app.open("/");
  await expect(page.getByTestId("tvl")).toBeVisible();
  const note = page.getByTestId("unlocked-reward-ratio");
  if (DEVNET_CHAIN === "opera") {
    await expect(note).toContainText("On Opera the pool's stake is not locked up, so it earns the SFC's unlocked reward ratio: 30 % of what stake locked for the longest lockup (365 days) earns.");
    await page.screenshot({ path: "e2e/screenshots/opera-overview-desktop.png", fullPage: true });
  } else {
    await expect(page.getByTestId("apr")).toBeVisible();
    await expect(note).toHaveCount(0);
  }
});

test(`toasts name the ${DEVNET_CHAIN} tokens: a wrap asks to approve ${NAMES.staked}`, async ({ page }) => {
  const { record, stFTM, wstFTM } = chain();
  const holder = record.accounts.holders[3] as Address;
  expect((await stFTM.read.allowance([holder, wstFTM.address])) as bigint, "the wrap must need an approval first").toBeLessThan(10n ** 18n);
  const stake = new StakePage(page);
  await stake.goto();
  await stake.connectLocal(holder);
  await stake.stake("3");
  await stake.submitAmount("wrap", "1");
  await stake.confirmed(`Approve ${NAMES.staked}`);
  await stake.confirmed("Wrap");
  await namesOnlyThisChain(page, [NAMES.native, NAMES.staked, NAMES.wrapped]);
});
