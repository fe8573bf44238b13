import { encodeFunctionData, keccak256, toHex, type Abi, type Address, type Hex } from "viem";
import type { Conn } from "./fixtures.js";
import { IGovernorProposalState as ProposalState, GovernorCountingSimpleVoteType as Vote } from "../../shared/protocol.generated.js";

export interface Action {
  target: Address;
  data: Hex;
  value?: bigint;
}

/** Encodes a call for a proposal action from a typed ABI. */
export function call<const A extends Abi>(target: Address, abi: A, functionName: string, args: readonly unknown[]): Action {
  return { target, data: encodeFunctionData({ abi, functionName, args } as never) };
}

// OpenZeppelin's `IGovernor.ProposalState` and `GovernorCountingSimple.VoteType`, generated from the build.
export { ProposalState, Vote };

type Governor = {
  address: Address;
  read: Record<string, (...args: any[]) => Promise<any>>;
  write: Record<string, (...args: any[]) => Promise<Hex>>;
};

/**
 * Walks a proposal through propose → vote → queue → execute on a local chain, moving time as needed.
 * Every governance test goes through it, so each step is exercised the way the app does it.
 */
export class GovernorHelper {
  id = 0n;
  private actions: Action[] = [];
  private description = "";

  constructor(
    private readonly conn: Conn,
    private readonly governor: Governor,
  ) {}

  private get args() {
    return [
      this.actions.map((a) => a.target),
      this.actions.map((a) => a.value ?? 0n),
      this.actions.map((a) => a.data),
    ] as const;
  }

  get descriptionHash(): Hex {
    return keccak256(toHex(this.description));
  }

  async propose(actions: Action[], description: string, account: Address) {
    this.actions = actions;
    this.description = description;
    const hash = await this.governor.write.propose([...this.args, description], { account });
    await this.wait(hash);
    this.id = await this.governor.read.getProposalId([...this.args, this.descriptionHash]);
    return hash;
  }

  async waitForSnapshot(offset = 1n) {
    const snapshot: bigint = await this.governor.read.proposalSnapshot([this.id]);
    await this.conn.networkHelpers.time.increaseTo(snapshot + offset);
  }

  async vote(account: Address, support: Vote, reason?: string) {
    const hash = reason
      ? await this.governor.write.castVoteWithReason([this.id, support, reason], { account })
      : await this.governor.write.castVote([this.id, support], { account });
    return this.wait(hash);
  }

  async waitForDeadline(offset = 1n) {
    const deadline: bigint = await this.governor.read.proposalDeadline([this.id]);
    await this.conn.networkHelpers.time.increaseTo(deadline + offset);
  }

  async queue(account?: Address) {
    return this.wait(await this.governor.write.queue([...this.args, this.descriptionHash], account ? { account } : {}));
  }

  async waitForEta() {
    const eta: bigint = await this.governor.read.proposalEta([this.id]);
    await this.conn.networkHelpers.time.increaseTo(eta + 1n);
  }

  async execute(account?: Address) {
    return this.wait(await this.governor.write.execute([...this.args, this.descriptionHash], account ? { account } : {}));
  }

  async cancel(account: Address) {
    return this.wait(await this.governor.write.cancel([...this.args, this.descriptionHash], { account }));
  }

  async state(): Promise<ProposalState> {
    return Number(await this.governor.read.state([this.id])) as ProposalState;
  }

  /** The whole life of a proposal that `voters` pass. Returns the receipts of each step. */
  async passAndExecute(actions: Action[], description: string, proposer: Address, voters: Address[]) {
    const propose = await this.wait(await this.propose(actions, description, proposer));
    await this.waitForSnapshot();
    const votes = [];
    for (const v of voters) votes.push(await this.vote(v, Vote.For));
    await this.waitForDeadline();
    const queue = await this.queue();
    await this.waitForEta();
    const execute = await this.execute();
    return { propose, votes, queue, execute };
  }

  private async wait(hash: Hex) {
    const client = await this.conn.viem.getPublicClient();
    return client.waitForTransactionReceipt({ hash });
  }
}
