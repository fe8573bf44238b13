import { expect } from "@playwright/test";
import { AppPage } from "./AppPage";

/** /governance/[id]: the decoded actions and the one primary action that follows the proposal's state. */
export class ProposalPage extends AppPage {
  async goto(id: bigint) {
    await this.open(`/governance/${id}`);
    await expect(this.page.getByTestId("proposal-state")).toBeVisible();
  }

  async state() {
    return (await this.page.getByTestId("proposal-state").innerText()).trim();
  }

  async vote(support: "for" | "against" | "abstain", reason?: string) {
    await this.page.getByTestId(`vote-${support}`).check();
    if (reason) await this.page.getByTestId("vote-reason").fill(reason);
    await this.page.getByTestId("proposal-primary-action").click();
    await this.confirmed("Vote");
  }

  async primary(label: "Queue" | "Execute") {
    const button = this.page.getByTestId("proposal-primary-action");
    await expect(button).toHaveText(label);
    await expect(button).toBeEnabled();
    await button.click();
    await this.confirmed(label);
  }
}
