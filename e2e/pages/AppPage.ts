import { expect, type Page } from "@playwright/test";
import type { Address } from "viem";

/** What every page of the app shares: the local wallet picker, toasts and the status banners. */
export class AppPage {
  constructor(readonly page: Page) {}

  async open(path: string) {
    await this.page.goto(path);
    await expect(this.page.getByRole("navigation").first()).toBeVisible();
  }

  /** Acts as a devnet account through the app's local wallet (devnet only; the node signs). */
  async connectLocal(address: Address) {
    const picker = this.page.getByTestId("local-wallet");
    await expect(picker).toBeVisible();
    await picker.selectOption(address);
    await expect(picker).toHaveValue(address);
  }

  /** Waits for the transaction wrapper's final toast for `label` and fails on the failure toast. */
  async confirmed(label: string) {
    const ok = this.page.getByText(`${label}: confirmed`).last();
    const failed = this.page.getByText(`${label} failed`).last();
    await expect(ok.or(failed)).toBeVisible({ timeout: 60_000 });
    if (await failed.isVisible()) throw new Error(`${label} failed: ${await this.page.locator("[data-sonner-toast]").last().innerText()}`);
  }

  /** The number a TokenAmount shows (thousands separators removed). */
  async amount(testId: string) {
    const text = await this.page.getByTestId(testId).innerText();
    return Number(text.replace(/[^\d.]/g, ""));
  }
}
