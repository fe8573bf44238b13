import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { network } from "hardhat";
import { getAddress, parseEther } from "viem";
import { decodeValidator, layoutIndex, layoutName, SFC_LAYOUTS, VALIDATOR_WORDS } from "../../shared/sfc.js";

const { viem, networkHelpers } = await network.create();

describe("the getValidator layouts (shared/sfc.ts) against the SFC model and SFCReader", () => {
  for (const layout of SFC_LAYOUTS) {
    it(`reads a ${layout} validator as the SFC model writes it and as SFCReader reads it`, async () => {
      const [owner, auth] = await viem.getWalletClients();
      const sfc = await viem.deployContract("SFCModel", [layoutIndex(layout)]);
      const reader = await viem.deployContract("SFCReader__Harness");
      await sfc.write.createValidator(["0x01"], { account: auth.account, value: parseEther("1000") });
      await sfc.write.sealEpoch({ account: owner.account });
      await networkHelpers.time.increase(100);
      await sfc.write.deactivateValidator([1n, 8n], { account: owner.account });

      const words = await sfc.read.getValidator([1n]);
      const v = decodeValidator(words, layout);
      assert.equal(getAddress(v.auth), getAddress(auth.account.address));
      assert.equal(v.receivedStake, parseEther("1000"));
      assert.equal(v.status, 8n);
      assert.ok(v.deactivatedTime > v.createdTime, "deactivated after it was created");
      assert.ok(v.deactivatedEpoch > v.createdEpoch, "an epoch was sealed in between");

      // The contracts' reader (SFCReader) agrees with this table on every field it reads.
      const onChain = await reader.read.validator([sfc.address, layoutIndex(layout), 1n]);
      assert.deepEqual(
        { status: onChain.status, receivedStake: onChain.receivedStake, auth: getAddress(onChain.auth), deactivatedEpoch: onChain.deactivatedEpoch, deactivatedTime: onChain.deactivatedTime },
        { status: v.status, receivedStake: v.receivedStake, auth: getAddress(v.auth), deactivatedEpoch: v.deactivatedEpoch, deactivatedTime: v.deactivatedTime },
      );
    });
  }

  it("places every field at its own word in both layouts", () => {
    for (const layout of SFC_LAYOUTS) {
      assert.deepEqual(Object.values(VALIDATOR_WORDS[layout]).sort(), [0, 1, 2, 3, 4, 5, 6], layout);
    }
  });

  it("maps layout names to SFCReader.Layout values and back, and rejects unknown ones", () => {
    assert.deepEqual(SFC_LAYOUTS, ["opera", "sonic"]);
    for (const layout of SFC_LAYOUTS) assert.equal(layoutName(layoutIndex(layout)), layout);
    assert.throws(() => layoutIndex("solana" as never), /unknown SFC layout "solana"/);
    assert.throws(() => layoutName(7), /unknown SFCReader.Layout value 7/);
  });

  it("refuses an answer shorter than seven words", () => {
    assert.throws(() => decodeValidator([0n, 1n], "sonic"), /answered 2 words, expected 7/);
  });
});
