// The Hardhat hook behind the `gen-contracts` plugin of hardhat.config.ts: runs the generator after every
// successful build. A build of only some files may lack artifacts the generator needs: it then says so and
// leaves the build successful.
import type { SolidityHooks } from "hardhat/types/hooks";
import { generate } from "./gen-contracts.mjs";

export default async (): Promise<Partial<SolidityHooks>> => ({
  async processArtifactsAfterSuccessfulBuild(context) {
    try {
      generate({ root: context.config.paths.root, quiet: true });
    } catch (e) {
      console.warn(`gen-contracts: the generated TypeScript was not updated: ${(e as Error).message}`);
    }
  },
});
