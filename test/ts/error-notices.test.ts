import { describe, it } from "node:test";
import assert from "node:assert/strict";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { network } from "hardhat";
import { getAddress, parseEther } from "viem";
import { errorsWithoutNotice, readProjectDefinitions } from "../../scripts/lib/compiled.mjs";
import { ERROR_NOTICES } from "../../shared/protocol.generated.js";
import { describeError, explainError } from "../../app/lib/errors.js";
import { layoutIndex } from "../../shared/sfc.js";

const definitions = readProjectDefinitions(".");

describe("every custom error explains itself in its NatSpec", () => {
  it("every error declared in contracts/ has a @notice", () => {
    const missing = errorsWithoutNotice(definitions);
    assert.deepEqual(
      missing.map((e) => `${e.source}: ${e.scope}.${e.signature}`),
      [],
      "add a `/// @notice` saying when each of these errors happens",
    );
  });

  it("the generated notices are the compiler's userdoc of this build", () => {
    const declared = definitions.errors.filter((e) => e.notice);
    assert.ok(declared.length >= 40, `only ${declared.length} errors with notices`);
    for (const e of declared) assert.equal(ERROR_NOTICES[e.name], e.notice!.replace(/\s+/g, " ").trim(), e.name);
  });
});

describe("the generator reads what solc reports", () => {
  it("finds enums, error signatures and notices (multi-line too) and the errors without one", () => {
    const solc = createRequire(import.meta.url)("solc");
    const source = `// SPDX-License-Identifier: MIT
pragma solidity ^0.8.24;
library Lib {
    /// @notice Lib failed for \`id\`.
    error Lib__Failed(uint256 id);
}
contract Fixture {
    enum Mode { Off, On }
    /// @notice Mode \`mode\` is wrong
    /// for \`who\`.
    error Fixture__WrongMode(Mode mode, Fixture who);
    error Fixture__Unexplained(string reason);
    function f(Mode m) external view {
        if (m == Mode.Off) revert Fixture__WrongMode(m, this);
        revert Lib.Lib__Failed(1);
    }
}
`;
    const input = {
      language: "Solidity",
      sources: { "project/contracts/Fixture.sol": { content: source } },
      settings: { outputSelection: { "*": { "": ["ast"], "*": ["abi", "userdoc"] } } },
    };
    const output = JSON.parse(solc.compile(JSON.stringify(input)));
    assert.deepEqual((output.errors ?? []).filter((e: { severity: string }) => e.severity === "error"), []);
    const root = mkdtempSync(join(tmpdir(), "gen-fixture-"));
    try {
      mkdirSync(join(root, "artifacts/build-info"), { recursive: true });
      writeFileSync(join(root, "artifacts/build-info/fixture.output.json"), JSON.stringify({ output }));
      const d = readProjectDefinitions(root);
      assert.deepEqual(d.enums, [{ name: "Fixture.Mode", source: "contracts/Fixture.sol", members: ["Off", "On"] }]);
      const byName = Object.fromEntries(d.errors.map((e) => [e.name, e]));
      assert.equal(byName.Fixture__WrongMode.signature, "Fixture__WrongMode(uint8,address)");
      assert.match(byName.Fixture__WrongMode.notice!, /^Mode `mode` is wrong\s+for `who`\.$/);
      assert.equal(byName.Lib__Failed.scope, "Lib");
      assert.equal(byName.Lib__Failed.notice, "Lib failed for `id`.");
      assert.deepEqual(errorsWithoutNotice(d).map((e) => e.name), ["Fixture__Unexplained"]);
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });

  it("says what to run when there is no build output", () => {
    const root = mkdtempSync(join(tmpdir(), "gen-empty-"));
    try {
      assert.throws(() => readProjectDefinitions(root), /no Hardhat build output .* run "npx hardhat build" first/);
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });
});

const SONIC = { native: "S", staked: "stS", stakedName: "Staked S", wrapped: "wstS", wrappedName: "Wrapped Staked S" };

describe("the app explains a revert from the error's notice", () => {
  it("fills a notice's parameter names with the decoded arguments", () => {
    assert.equal(
      explainError("ValidatorRegistry__WeightTooHigh", [3n, 2500n, 2000n], SONIC),
      "The target weight of validator 3, 2500 bps, is above the cap of 2000 bps.",
    );
    assert.equal(explainError("ValidatorRegistry__WrongState", [4n, 2], SONIC), "Validator 4 is Active in the registry, a state that does not allow this.");
    assert.equal(explainError("NoSuchError__Anywhere", [], SONIC), undefined);
  });

  it("shows a reverted registry call as its notice, with the caller and the error's name", async () => {
    const { viem } = await network.create();
    const [admin, auth, stranger] = await viem.getWalletClients();
    const sfc = await viem.deployContract("SFCModel", [layoutIndex("sonic")]);
    const registry = await viem.deployContract("ValidatorRegistry", [sfc.address, layoutIndex("sonic"), admin.account.address]);
    await sfc.write.createValidator(["0x01"], { account: auth.account, value: parseEther("1000") });
    const failure = await registry.write.applyForInclusion([1n, "ipfs://x"], { account: stranger.account }).then(
      () => assert.fail("a stranger applied for validator 1"),
      (e: unknown) => e,
    );
    const text = describeError(failure, SONIC);
    assert.ok(
      text.startsWith(`Only validator 1's own SFC auth wallet can do this, and ${getAddress(stranger.account.address)} is not it.`),
      text,
    );
    assert.match(text, /\[ValidatorRegistry__NotValidatorAuth\(1, 0x[0-9a-fA-F]{40}\)\]$/);
  });
});
