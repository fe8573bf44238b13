import { expect, test } from "@playwright/test";
import { decodeFunctionData, multicall3Abi, toFunctionSelector, type Hex } from "viem";
import { chain, fillProposals } from "./chain";
import { RPC_URL } from "./env";
import { AppPage } from "./pages/AppPage";

const PAGE_SIZE = 20;

test("the proposals list pages through 1,000 proposals, reading only the page it shows", async ({ page }) => {
  test.setTimeout(300_000);
  const { governor } = chain();
  const count = await fillProposals(1000, "Paging check");
  expect(count).toBeGreaterThanOrEqual(1000);

  // Count the proposal reads the page makes: one proposalDetailsAt per listed proposal, not per proposal.
  // The app batches its reads into Multicall3 calls, so the reads are counted inside each batch too.
  const detailsAt = toFunctionSelector("proposalDetailsAt(uint256)");
  const aggregate3 = toFunctionSelector("aggregate3((address,bool,bytes)[])");
  const callsIn = (input: Hex): Hex[] =>
    input.startsWith(aggregate3) ? (decodeFunctionData({ abi: multicall3Abi, data: input }).args[0] as readonly { callData: Hex }[]).map((c) => c.callData) : [input];
  let detailReads = 0;
  page.on("request", (request) => {
    if (!request.url().startsWith(RPC_URL) || request.method() !== "POST") return;
    const body = request.postDataJSON() as { method: string; params: [{ data?: string }] } | { method: string; params: [{ data?: string }] }[];
    for (const call of Array.isArray(body) ? body : [body]) {
      const input = call.params?.[0]?.data ?? (call.params?.[0] as { input?: string } | undefined)?.input;
      if (call.method === "eth_call" && input) detailReads += callsIn(input as Hex).filter((data) => data.startsWith(detailsAt)).length;
    }
  });

  const app = new AppPage(page);
  await app.open("/governance");
  const pages = Math.ceil(count / PAGE_SIZE);
  await expect(page.getByTestId("proposal-count")).toHaveText(`${count} proposals`);
  await expect(page.getByTestId("page-indicator")).toHaveText(`Page 1 of ${pages}`);
  const items = page.getByTestId("proposal-list").locator("li");
  await expect(items).toHaveCount(PAGE_SIZE);
  const newest = (await governor.read.proposalDetailsAt([BigInt(count - 1)])) as readonly [bigint];
  await expect(items.first()).toContainText(`#${newest[0]}`);
  expect(detailReads).toBeGreaterThanOrEqual(PAGE_SIZE); // the reads are seen…
  expect(detailReads).toBeLessThanOrEqual(PAGE_SIZE * 2); // …and a refetch may read the page twice; never the 1,000

  detailReads = 0;
  await page.getByTestId("page-older").click();
  await expect(page.getByTestId("page-indicator")).toHaveText(`Page 2 of ${pages}`);
  const firstOfPage2 = (await governor.read.proposalDetailsAt([BigInt(count - 1 - PAGE_SIZE)])) as readonly [bigint];
  await expect(items.first()).toContainText(`#${firstOfPage2[0]}`);
  await expect(items).toHaveCount(PAGE_SIZE);
  expect(detailReads).toBeGreaterThan(0);
  expect(detailReads).toBeLessThanOrEqual(PAGE_SIZE * 2);
  await page.getByTestId("page-newer").click();
  await expect(page.getByTestId("page-indicator")).toHaveText(`Page 1 of ${pages}`);
});
