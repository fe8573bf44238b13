import { expect } from "@playwright/test";
import type { Address } from "viem";
import { AppPage } from "./AppPage";
import { chain, requestStatus } from "../chain";
import { WithdrawalQueueRequestStatus as RequestStatus } from "../../shared/protocol.generated";

/** /stake: stake, wrap, request withdrawals and claim them. */
export class StakePage extends AppPage {
  async goto() {
    await this.open("/stake");
    await expect(this.page.getByTestId("stake-card")).toBeVisible();
  }

  async submitAmount(form: "stake" | "wrap" | "unwrap" | "request" | "request-wrapped", amount: string) {
    await this.page.getByTestId(`${form}-amount`).fill(amount);
    await this.page.getByTestId(`${form}-submit`).click();
  }

  async stake(amount: string) {
    await this.submitAmount("stake", amount);
    await this.confirmed("Stake");
  }

  async wrap(amount: string) {
    await this.submitAmount("wrap", amount);
    await this.confirmed("Wrap");
  }

  async requestWithdrawal(amount: string) {
    await this.submitAmount("request", amount);
    await this.confirmed("Request withdrawal");
  }

  /** One line of the preview under a form (`receive`, `rate`, `fee`, `gas`, `payout`). */
  preview(form: "stake" | "request" | "request-wrapped", line: string) {
    return this.page.getByTestId(`${form}-preview-${line}`);
  }

  /** The sentence a form shows for what it refuses. */
  formError(form: "stake" | "wrap" | "unwrap" | "request" | "request-wrapped") {
    return this.page.locator("form", { has: this.page.getByTestId(`${form}-amount`) }).getByRole("alert");
  }

  async claimReady() {
    await this.page.getByTestId("claim-submit").click();
    await this.confirmed("Claim");
  }

  /**
   * Claims finalised receipt `id` from the list (reloaded, so that it shows as ready) and checks the chain burnt
   * it; returns what `holder`'s balance gained, which is the payout less the claim's gas.
   */
  async claimReceipt(id: bigint, holder: Address) {
    const { publicClient } = chain();
    await this.page.reload();
    await expect(this.page.getByTestId(`request-${id}-status`)).toHaveText("Ready to claim");
    const before = await publicClient.getBalance({ address: holder });
    await this.claimReady();
    expect((await requestStatus(id)).status).toBe(RequestStatus.Claimed);
    return (await publicClient.getBalance({ address: holder })) - before;
  }
}
