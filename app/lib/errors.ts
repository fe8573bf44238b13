import { BaseError, ContractFunctionRevertedError, decodeErrorResult, formatUnits, type Hex } from "viem";
import { abis } from "./contracts.generated";
import { formatDate } from "./format";

const allErrors = Object.values(abis).flatMap((abi) => (abi as readonly { type: string }[]).filter((x) => x.type === "error"));

// StakingPool's Action enum: Stake, Withdraw, Process.
const ACTION_NAMES = ["staking", "withdrawal requests", "keeper rounds"];
const action = (args: readonly unknown[]) => ACTION_NAMES[Number(args[0])] ?? "this action";

/** A plain explanation per custom error, from its arguments where they say more than the name. */
const plain: Record<string, string | ((args: readonly unknown[]) => string)> = {
  StakingPool__BelowMinStake: "The amount is below the minimum stake.",
  WithdrawalQueue__BelowMinWithdrawal: "The amount is below the minimum withdrawal (you may always withdraw your whole balance).",
  StakingPool__ActionPaused: (args) => `The guardian has paused ${action(args)}; the pause ends by itself (the operator page says when), and governance can resume sooner.`,
  StakingPool__PauseCoolingDown: (args) => `The guardian's last pause of ${action(args)} was too recent: the next one is possible from ${formatDate(args[1] as bigint)}.`,
  WithdrawalQueue__NotFinalised: "This withdrawal is not ready to claim yet: a keeper round finalises it first.",
  WithdrawalQueue__AlreadyClaimed: "This withdrawal was already claimed.",
  WithdrawalQueue__NotOwnerOrApproved: "Only the wallet holding this withdrawal receipt, or one it approved, can claim it.",
  StakingPool__KeeperTooEarly: "Only operators can run a round now; anyone can once the keeper grace period has passed.",
  WithdrawalQueue__InsufficientShares: "You do not hold that much stFTM.",
  WithdrawalQueue__NoRequests: "Choose at least one withdrawal to claim.",
  StakingPool__ZeroSteps: "A keeper round needs at least one step.",
  StakingPool__ZeroAddress: "An address is missing (the zero address is not allowed).",
  WithdrawalQueue__ZeroAddress: "An address is missing (the zero address is not allowed).",
  WithdrawalQueue__PaymentFailed: "The recipient did not accept the payment.",
  ValidatorRegistry__NotValidatorAuth: "Connect the validator's own auth wallet to apply.",
  ValidatorRegistry__SelfStakeTooLow: "The validator's self-stake is below the chain's minimum.",
  ValidatorRegistry__NotEligibleOnSFC: "The validator is offline, withdrawn or slashed on the chain.",
  ValidatorRegistry__WrongState: "The validator is not in a state that allows this.",
  GovernorInsufficientProposerVotes: "You need more voting power to propose (delegate wstFTM to yourself first).",
  GovernorUnexpectedProposalState: "The proposal is not in a state that allows this.",
  GovernorAlreadyCastVote: "You have already voted on this proposal.",
  ERC20InsufficientBalance: "The balance is too low.",
  ERC20InsufficientAllowance: "The allowance is too low: approve first.",
};

function formatArg(value: unknown): string {
  if (typeof value === "bigint") return value > 10n ** 12n ? `${formatUnits(value, 18)} FTM` : value.toString();
  return String(value);
}

/** The named custom error behind a failed call or transaction, with its arguments and a plain explanation. */
export function describeError(error: unknown): string {
  if (!(error instanceof BaseError)) return error instanceof Error ? error.message : String(error);
  const reverted = error.walk((e) => e instanceof ContractFunctionRevertedError) as ContractFunctionRevertedError | null;
  let name = reverted?.data?.errorName;
  let args = reverted?.data?.args as readonly unknown[] | undefined;
  if (!name) {
    const raw = error.walk((e) => typeof (e as { data?: unknown }).data === "string") as { data?: Hex } | null;
    if (raw?.data && raw.data.length >= 10) {
      try {
        const decoded = decodeErrorResult({ abi: allErrors as never, data: raw.data });
        name = decoded.errorName;
        args = decoded.args as readonly unknown[];
      } catch {}
    }
  }
  if (name) {
    const signature = `${name}(${(args ?? []).map(formatArg).join(", ")})`;
    const explain = plain[name];
    const text = typeof explain === "function" ? explain(args ?? []) : explain;
    return text ? `${text} [${signature}]` : signature;
  }
  if (/rejected|denied/i.test(error.shortMessage)) return "You rejected the transaction in your wallet.";
  return error.shortMessage;
}
