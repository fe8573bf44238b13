import { expect, test } from "@playwright/test";
import { parseEther, type Abi, type Address } from "viem";
import { chain, runKeeperRound, send } from "./chain";
import { AllocationLimit } from "../shared/protocol.generated";
import { decodeValidator, SFC_STATUS } from "../shared/sfc";
import { AppPage } from "./pages/AppPage";

const constsAbi = [{ type: "function", name: "maxDelegatedRatio", stateMutability: "view", inputs: [], outputs: [{ type: "uint256" }] }] as const satisfies Abi;

// Last in the run: it leaves every validator full.
test("a third party that fills every validator's SFC room leaves new stake unplaceable, and the pages say why", async ({ page }) => {
  const { record, pool, registry, sfc, testClient, publicClient } = chain();
  const filler = record.accounts.deployer as Address;
  await testClient.setBalance({ address: filler, value: parseEther("100000000") });
  const ratio = await publicClient.readContract({ address: (await sfc.read.constsAddress()) as Address, abi: constsAbi, functionName: "maxDelegatedRatio" });
  const members = (await registry.read.allocationView()) as readonly { id: bigint; state: number; weightBps: number }[];
  for (const m of members) {
    const v = decodeValidator((await sfc.read.getValidator([m.id])) as readonly bigint[], record.sfcLayout);
    if (v.status !== SFC_STATUS.OK) continue; // not active on the SFC: it takes no delegation anyway
    const limit = (((await sfc.read.getSelfStake([m.id])) as bigint) * ratio) / 10n ** 18n;
    if (limit > v.receivedStake) await send(filler, sfc.address, sfc.abi, "delegate", [m.id], limit - v.receivedStake);
  }
  const holder = record.accounts.holders[1] as Address;
  await send(holder, pool.address, pool.abi, "stake", [holder], parseEther("500"));
  await runKeeperRound();
  const [amount, limit] = (await pool.read.unplaceable()) as readonly [bigint, number];
  expect(amount).toBeGreaterThanOrEqual(parseEther("500"));
  expect(limit).toBe(AllocationLimit.Room);
  expect((await pool.read.idleLiquidity()) as bigint).toBeGreaterThanOrEqual(parseEther("500"));

  const app = new AppPage(page);
  await app.open("/operator");
  await expect(page.getByTestId("unplaceable")).toContainText("cannot be placed with any validator and stays idle, earning nothing");
  await expect(page.getByTestId("unplaceable")).toContainText("no SFC delegation room left");
  await app.open("/validators");
  await expect(page.getByTestId("unplaceable")).toContainText("no SFC delegation room left");
});
