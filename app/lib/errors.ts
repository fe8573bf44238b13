import { BaseError, ContractFunctionRevertedError, decodeErrorResult, formatUnits, type Abi, type AbiParameter, type Hex } from "viem";
import { abis } from "./contracts.generated";
import { ENUM_MEMBERS, ERROR_NOTICES } from "../../shared/protocol.generated";
import { formatDate } from "./format";
import type { Names } from "./names";

type AbiError = Extract<Abi[number], { type: "error" }>;

const allErrors = Object.values(abis).flatMap((abi) => (abi as readonly { type: string }[]).filter((x) => x.type === "error")) as AbiError[];

/**
 * Errors raised by OpenZeppelin's code (the governor, ERC-20 allowances), whose NatSpec is developer notes
 * that this project does not write: the few a user meets, in plain words. Every error of `contracts/` is
 * explained by its own `@notice` instead.
 */
const OPENZEPPELIN_ERRORS: Readonly<Record<string, string>> = {
  GovernorInsufficientProposerVotes: "You need more voting power to propose (delegate wstFTM to yourself first).",
  GovernorUnexpectedProposalState: "The proposal is not in a state that allows this.",
  GovernorAlreadyCastVote: "You have already voted on this proposal.",
  ERC20InsufficientBalance: "The balance is too low.",
  ERC20InsufficientAllowance: "The allowance is too low: approve first.",
};

/**
 * The notices and the texts above are written in Opera's names (FTM, stFTM, wstFTM); they are shown in the
 * names of the chain the transaction was sent on.
 */
function inChainNames(text: string, n: Names): string {
  return text.replace(/\bwstFTM\b/g, n.wrapped).replace(/\bstFTM\b/g, n.staked).replace(/\bFTM\b/g, n.native);
}

/** One argument of a custom error, for people: enum members by name, times as dates, amounts in the native currency. */
function formatArg(value: unknown, param: AbiParameter | undefined, n: Names): string {
  const enumName = param?.internalType?.startsWith("enum ") ? param.internalType.slice("enum ".length) : undefined;
  if (enumName && ENUM_MEMBERS[enumName]) return ENUM_MEMBERS[enumName][Number(value)] ?? String(value);
  if (typeof value === "bigint" && param?.name && /At$|^until$/.test(param.name)) return formatDate(value);
  if (typeof value === "bigint") return value > 10n ** 12n ? `${formatUnits(value, 18)} ${n.native}` : value.toString();
  return String(value);
}

/**
 * The plain explanation of custom error `name` with its decoded `args`, from the error's NatSpec notice: a
 * backquoted parameter name in the notice becomes the argument's value. Undefined for an error nobody explained.
 */
export function explainError(name: string, args: readonly unknown[], names: Names): string | undefined {
  const text = ERROR_NOTICES[name] ?? OPENZEPPELIN_ERRORS[name];
  if (!text) return undefined;
  const params = allErrors.find((e) => e.name === name && e.inputs.length === args.length)?.inputs ?? [];
  return inChainNames(text, names).replace(/`([^`]+)`/g, (_, word: string) => {
    const i = params.findIndex((p) => p.name === word);
    return i >= 0 ? formatArg(args[i], params[i], names) : word;
  });
}

/** `Name(arg, …)` of a decoded custom error, its arguments formatted as in explanations. */
export function errorSignature(name: string, args: readonly unknown[], names: Names): string {
  const params = allErrors.find((e) => e.name === name && e.inputs.length === args.length)?.inputs ?? [];
  return `${name}(${args.map((a, i) => formatArg(a, params[i], names)).join(", ")})`;
}

/**
 * The named custom error behind a failed call or transaction, with its arguments and a plain explanation,
 * in the names of the chain it was sent on.
 */
export function describeError(error: unknown, names: Names): string {
  if (!(error instanceof BaseError)) return error instanceof Error ? error.message : String(error);
  const reverted = error.walk((e) => e instanceof ContractFunctionRevertedError) as ContractFunctionRevertedError | null;
  let name = reverted?.data?.errorName;
  let args = reverted?.data?.args as readonly unknown[] | undefined;
  if (!name) {
    const raw = error.walk((e) => typeof (e as { data?: unknown }).data === "string") as { data?: Hex } | null;
    if (raw?.data && raw.data.length >= 10) {
      try {
        const decoded = decodeErrorResult({ abi: allErrors, data: raw.data });
        name = decoded.errorName;
        args = decoded.args as readonly unknown[];
      } catch {}
    }
  }
  if (name) {
    const signature = errorSignature(name, args ?? [], names);
    const text = explainError(name, args ?? [], names);
    return text ? `${text} [${signature}]` : signature;
  }
  if (/rejected|denied/i.test(error.shortMessage)) return "You rejected the transaction in your wallet.";
  return error.shortMessage;
}
