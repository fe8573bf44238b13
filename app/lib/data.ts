"use client";

import { useQuery } from "@tanstack/react-query";
import { useAccount, useBlock, usePublicClient, useReadContract, useReadContracts } from "wagmi";
import { abis } from "./contracts.generated";
import { SFC_ADDRESS } from "../../shared/networks";
import { PoolSettingsAction, ValidatorRegistryStateNames } from "../../shared/protocol.generated";
import { decodeValidator } from "../../shared/sfc";
import { useDeployment } from "./hooks";

export type ValidatorRow = {
  id: bigint;
  name: string;
  metadataURI: string;
  state: (typeof ValidatorRegistryStateNames)[number];
  weightBps: number;
  stake: bigint;
  capacityLeft: bigint;
  sfcStatus: bigint;
  slashed: boolean;
};

/** Pool-wide figures. */
export function usePoolStats() {
  const { deployment } = useDeployment();
  const pool = deployment ? { address: deployment.contracts.pool, abi: abis.pool } : undefined;
  const q = useReadContracts({
    contracts: pool
      ? ([
          { ...pool, functionName: "totalPooledFTM" },
          { ...pool, functionName: "getRate" },
          { ...pool, functionName: "idleLiquidity" },
          { ...pool, functionName: "pendingWithdrawals" },
          { ...pool, functionName: "totalUnbondingBooked" },
          { ...pool, functionName: "lastRoundCompletedAt" },
          { ...pool, functionName: "feeBps" },
          { ...pool, functionName: "keeperGracePeriod" },
        ] as const)
      : [],
    query: { enabled: !!pool },
  });
  const v = q.data?.map((r) => r.result as bigint | undefined) ?? [];
  return {
    isLoading: q.isLoading,
    totalPooled: v[0],
    rate: v[1],
    idle: v[2],
    pendingWithdrawals: v[3],
    unbonding: v[4],
    lastRound: v[5],
    feeBps: v[6],
    keeperGrace: v[7],
  };
}

/** The chain's clock (latest block time, seconds): the devnet's time travels, so the wall clock would lie. */
export function useChainTime(): bigint | undefined {
  return useBlock({ query: { refetchInterval: 5_000 } }).data?.timestamp;
}

/**
 * What decides when a withdrawal is paid: the SFC's withdrawal period, the keeper grace period (the longest
 * wait for a round), the pool's minimum and the idle native currency not yet owed to earlier requests.
 */
export function useWithdrawalTerms() {
  const { deployment } = useDeployment();
  const publicClient = usePublicClient();
  const stats = usePoolStats();
  const now = useChainTime();
  const q = useQuery({
    queryKey: ["withdrawal-terms", deployment?.contracts.pool],
    enabled: !!deployment && !!publicClient,
    queryFn: async () => {
      const pool = { address: deployment!.contracts.pool, abi: abis.pool } as const;
      const consts = await publicClient!.readContract({ address: SFC_ADDRESS, abi: abis.sfc, functionName: "constsAddress" });
      const [period, minStake] = await Promise.all([
        publicClient!.readContract({ address: consts, abi: abis.sfcConstants, functionName: "withdrawalPeriodTime" }),
        publicClient!.readContract({ ...pool, functionName: "minStake" }),
      ]);
      return { period, minStake };
    },
  });
  const freeIdle =
    stats.idle !== undefined && stats.pendingWithdrawals !== undefined ? (stats.idle > stats.pendingWithdrawals ? stats.idle - stats.pendingWithdrawals : 0n) : undefined;
  const grace = stats.keeperGrace;
  const period = q.data?.period;
  return {
    period,
    grace,
    minStake: q.data?.minStake,
    freeIdle,
    /** The latest a request made now is paid when idle liquidity does not cover it. */
    latestPayout: period !== undefined && grace !== undefined && now !== undefined ? now + period + grace : undefined,
    now,
  };
}

/** What the app calls each `StakingPool.Action` the guardian can pause. */
export const ACTIONS = [
  { id: PoolSettingsAction.Stake, name: "Staking", verb: "stake" },
  { id: PoolSettingsAction.Withdraw, name: "Withdrawals", verb: "request withdrawals" },
  { id: PoolSettingsAction.Process, name: "Keeper rounds", verb: "run keeper rounds" },
] as const;

/** Each action's pause window: paused until when (ending by itself), and from when the guardian may pause it again. */
export function usePauses() {
  const { deployment } = useDeployment();
  const now = useChainTime();
  const pool = deployment ? { address: deployment.contracts.pool, abi: abis.pool } : undefined;
  const q = useReadContracts({
    contracts: pool ? ACTIONS.map((a) => ({ ...pool, functionName: "pauseWindow", args: [a.id] }) as const) : [],
    query: { enabled: !!pool },
  });
  if (!q.data || now === undefined) return undefined;
  return ACTIONS.map((a, i) => {
    const [until, cooldownUntil] = (q.data[i].result as readonly [bigint, bigint] | undefined) ?? [0n, 0n];
    return { ...a, until, cooldownUntil, paused: now < until, coolingDown: now < cooldownUntil };
  });
}

/** Harvested rewards not yet in the rate, when the last of them vests, and over how long rewards vest. */
export function useVesting() {
  const { deployment } = useDeployment();
  const pool = deployment ? { address: deployment.contracts.pool, abi: abis.pool } : undefined;
  const q = useReadContracts({
    contracts: pool ? ([{ ...pool, functionName: "vestingRewards" }, { ...pool, functionName: "rewardVestingPeriod" }] as const) : [],
    query: { enabled: !!pool },
  });
  const vesting = q.data?.[0]?.result as readonly [bigint, bigint] | undefined;
  return { unvested: vesting?.[0], vestingEnd: vesting?.[1], period: q.data?.[1]?.result as bigint | undefined };
}

/**
 * What the pool measures each validator's share against, in FTM: its whole value less what it owes to
 * pending withdrawals (stake + idle + unbonding − owed). Idle and unbonding FTM are on their way to the
 * validators under target, so a share of staked FTM alone would overstate everyone's current share.
 */
export function useAllocationBase(): bigint | undefined {
  const stats = usePoolStats();
  if (stats.totalPooled === undefined || stats.pendingWithdrawals === undefined) return undefined;
  const base = stats.totalPooled - stats.pendingWithdrawals;
  return base > 0n ? base : 0n;
}

/** Every validator the registry knows, with the pool's stake there and the SFC's view of it: one multicall for all of them. */
export function useValidators() {
  const { deployment } = useDeployment();
  const publicClient = usePublicClient();
  return useQuery({
    queryKey: ["validators", deployment?.contracts.registry],
    enabled: !!deployment && !!publicClient,
    queryFn: async (): Promise<ValidatorRow[]> => {
      const d = deployment!;
      const [infos, constsAddress] = await publicClient!.multicall({
        allowFailure: false,
        contracts: [
          { address: d.contracts.registry, abi: abis.registry, functionName: "validators" },
          { address: SFC_ADDRESS, abi: abis.sfc, functionName: "constsAddress" },
        ],
      });
      const perValidator = infos.flatMap((info) => [
        { address: d.contracts.pool, abi: abis.pool, functionName: "stakeOf", args: [info.id] },
        { address: SFC_ADDRESS, abi: abis.sfcValidator, functionName: "getValidator", args: [info.id] },
        { address: SFC_ADDRESS, abi: abis.sfc, functionName: "getSelfStake", args: [info.id] },
        { address: SFC_ADDRESS, abi: abis.sfc, functionName: "isSlashed", args: [info.id] },
      ]);
      const results = (await publicClient!.multicall({
        allowFailure: false,
        contracts: [{ address: constsAddress, abi: abis.sfcConstants, functionName: "maxDelegatedRatio" }, ...perValidator] as never,
      })) as unknown[];
      const maxRatio = results[0] as bigint;
      const { validatorName } = await import("./format");
      return infos.map((info, i) => {
        const [stake, words, selfStake, slashed] = results.slice(1 + 4 * i, 5 + 4 * i) as [bigint, readonly bigint[], bigint, boolean];
        const v = decodeValidator(words, d.sfcLayout);
        const limit = (selfStake * maxRatio) / 10n ** 18n;
        return {
          id: info.id,
          name: validatorName(info.id, info.metadataURI),
          metadataURI: info.metadataURI,
          state: ValidatorRegistryStateNames[info.state],
          weightBps: Number(info.weightBps),
          stake,
          capacityLeft: limit > v.receivedStake ? limit - v.receivedStake : 0n,
          sfcStatus: v.status,
          slashed,
        };
      });
    },
  });
}

/** The SFC's validator commission (1e18 = 100 %): one figure for every validator of the chain. */
export function useSfcCommission() {
  const publicClient = usePublicClient();
  return useQuery({
    queryKey: ["sfc-commission", publicClient?.chain.id],
    enabled: !!publicClient,
    staleTime: 3_600_000,
    queryFn: async () => {
      const consts = await publicClient!.readContract({ address: SFC_ADDRESS, abi: abis.sfc, functionName: "constsAddress" });
      return publicClient!.readContract({ address: consts, abi: abis.sfcConstants, functionName: "validatorCommission" });
    },
  });
}

/**
 * Opera only: the share of the full reward (1e18 = all) that the pool's stake earns, as it is never locked up
 * (the SFC's `unlockedRewardRatio`; 0.3 on mainnet). Undefined on Sonic, which has no lockups.
 */
export function useUnlockedRewardRatio() {
  const { deployment } = useDeployment();
  const publicClient = usePublicClient();
  const opera = deployment?.sfcLayout === "opera";
  return useQuery({
    queryKey: ["unlocked-reward-ratio", deployment?.contracts.pool],
    enabled: opera && !!publicClient,
    queryFn: async () => {
      const consts = await publicClient!.readContract({ address: SFC_ADDRESS, abi: abis.sfc, functionName: "constsAddress" });
      return publicClient!.readContract({ address: consts, abi: abis.sfcOperaConstants, functionName: "unlockedRewardRatio" });
    },
  });
}

// Rate history and APR come from the indexer (./history.ts), not from log scans.
export { useRateHistory } from "./history";

/** The connected holder's balances. */
export function useHolder() {
  const { address } = useAccount();
  const { deployment } = useDeployment();
  const q = useReadContracts({
    contracts:
      deployment && address
        ? ([
            { address: deployment.contracts.stFTM, abi: abis.stFTM, functionName: "balanceOf", args: [address] },
            { address: deployment.contracts.wstFTM, abi: abis.wstFTM, functionName: "balanceOf", args: [address] },
            { address: deployment.contracts.wstFTM, abi: abis.wstFTM, functionName: "getVotes", args: [address] },
            { address: deployment.contracts.wstFTM, abi: abis.wstFTM, functionName: "delegates", args: [address] },
            { address: deployment.contracts.wstFTM, abi: abis.wstFTM, functionName: "stFTMPerToken" },
            { address: deployment.contracts.stFTM, abi: abis.stFTM, functionName: "allowance", args: [address, deployment.contracts.wstFTM] },
            { address: deployment.contracts.wstFTM, abi: abis.wstFTM, functionName: "allowance", args: [address, deployment.contracts.withdrawalQueue] },
          ] as const)
        : [],
    query: { enabled: !!deployment && !!address },
  });
  const r = q.data?.map((x) => x.result);
  return {
    address,
    stBalance: r?.[0] as bigint | undefined,
    wstBalance: r?.[1] as bigint | undefined,
    votes: r?.[2] as bigint | undefined,
    delegatee: r?.[3] as `0x${string}` | undefined,
    perWst: r?.[4] as bigint | undefined,
    stAllowanceToWrapper: r?.[5] as bigint | undefined,
    wstAllowanceToQueue: r?.[6] as bigint | undefined,
  };
}

export function useNativeBalance() {
  const { address } = useAccount();
  const publicClient = usePublicClient();
  return useQuery({
    queryKey: ["native", address],
    enabled: !!address && !!publicClient,
    queryFn: () => publicClient!.getBalance({ address: address! }),
  });
}

export { useReadContract };
