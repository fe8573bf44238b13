// TEMPORARY, to delete when the StakingPool rewrite (the withdrawal queue moving into its own contract) is
// merged: that rewrite gives StakingPool's errors their `@notice`s, and from then on the app explains them
// from the NatSpec like every other error. Until then these texts stand in for the missing notices, in the
// notices' own form (a backquoted name is one of the error's parameters), and test/ts/error-notices.test.ts
// treats exactly these errors as known to lack a notice. That test fails as soon as one of them gets a notice,
// naming this file, so that it cannot outlive the merge.
export const POOL_ERRORS_AWAITING_NOTICES: Readonly<Record<string, string>> = {
  StakingPool__ActionPaused: "The guardian has paused this action (`action`); the pause ends by itself (the operator page says when), and governance can resume it sooner.",
  StakingPool__AlreadyClaimed: "Withdrawal `requestId` was already claimed.",
  StakingPool__AlreadyInitialised: "The pool's dead shares are already minted.",
  StakingPool__BelowMinStake: "The amount is below the minimum stake of `minStake`.",
  StakingPool__BelowMinWithdrawal: "The amount is below the minimum withdrawal of `minimum` (you may always withdraw your whole balance).",
  StakingPool__FeeTooHigh: "A fee of `feeBps` bps is above the maximum of `maxFeeBps` bps.",
  StakingPool__InsufficientShares: "You do not hold that much stFTM.",
  StakingPool__KeeperTooEarly: "Only operators can run a round now; anyone can from `openAt`, once the keeper grace period has passed.",
  StakingPool__NoRequests: "Choose at least one withdrawal to claim.",
  StakingPool__NotFinalised: "Withdrawal `requestId` is not ready to claim yet (it is `status`): a keeper round finalises it first.",
  StakingPool__NotInitialised: "The pool's dead shares are not minted yet: nobody can stake before the deployment mints them.",
  StakingPool__NotRequestOwner: "Only the owner of withdrawal `requestId` can claim it.",
  StakingPool__PauseCoolingDown: "The guardian's last pause of this action (`action`) was too recent: the next one is possible from `availableAt`.",
  StakingPool__PaymentFailed: "The recipient `recipient` did not accept the payment.",
  StakingPool__UnexpectedSender: "The pool accepts plain FTM only from the SFC.",
  StakingPool__ValueOutOfRange: "The value `value` is outside the range the setting allows.",
  StakingPool__ZeroAddress: "An address is missing (the zero address is not allowed).",
  StakingPool__ZeroSteps: "A keeper round needs at least one step.",
};
