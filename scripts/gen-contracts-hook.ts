// The Hardhat hook behind the `gen-contracts` plugin of hardhat.config.ts: runs the generator after every
// successful build.
import type { SolidityHooks } from "hardhat/types/hooks";
import { generate } from "./gen-contracts.mjs";

export default async (): Promise<Partial<SolidityHooks>> => ({
  async processArtifactsAfterSuccessfulBuild(context) {
    generate({ root: context.config.paths.root, quiet: true });
  },
});
