"use client";

import Link from "next/link";
import { Card, Stat } from "./components/ui";
import { TokenAmount } from "./components/TokenAmount";
import { Distribution } from "./components/Distribution";
import { RateChart } from "./components/charts";
import { AprWindows } from "./components/AprWindows";
import { useHolder, usePoolStats, useRateHistory, useUnlockedRewardRatio } from "./lib/data";
import { useDeployment } from "./lib/hooks";
import { useNames } from "./lib/names";
import { formatAmount, formatFee } from "./lib/format";
import { HISTORY_UNAVAILABLE } from "./lib/history";

export default function Overview() {
  const { deployment, chainId } = useDeployment();
  const stats = usePoolStats();
  const holder = useHolder();
  const history = useRateHistory();
  const names = useNames();
  const symbol = names.native;
  const unlocked = useUnlockedRewardRatio();
  if (!deployment) {
    return (
      <Card title="Not deployed on this network">
        <p className="text-sm text-slate-600">The protocol has no deployment on chain {chainId}. Switch your wallet to a network where it runs, or start the local devnet with <code>npm run dev</code>.</p>
      </Card>
    );
  }
  return (
    <>
      <Card title="Liquid staking, governed by its holders">
        <p className="mb-4 text-sm text-slate-600">
          Stake {symbol} and receive {names.staked}, whose balance grows with rewards. Holders of {names.wrapped} vote on which validators the pool uses.
          A withdrawal is paid by the next keeper round when idle {symbol} covers it, otherwise after the chain&apos;s withdrawal period plus at most
          one round; its amount is fixed when requested, as stake that is unbonding earns no rewards. For {symbol} at once, sell {names.staked} or borrow against it.
        </p>
        <div className="grid grid-cols-2 gap-3 md:grid-cols-3">
          <Stat label="Total value locked" testId="tvl"><TokenAmount wei={stats.totalPooled} symbol={symbol} short /></Stat>
          <Stat label={`${symbol} per ${names.staked} share`} testId="rate">{stats.rate !== undefined ? formatAmount(stats.rate) : "…"}</Stat>
          <Stat label="Protocol fee on rewards" testId="fee">{stats.feeBps !== undefined ? formatFee(stats.feeBps) : "…"}</Stat>
        </div>
        <AprWindows feeBps={stats.feeBps} />
        {deployment.sfcLayout === "opera" && (
          <p className="mt-3 text-sm text-slate-600" data-testid="unlocked-reward-ratio">
            On Opera the pool&apos;s stake is not locked up, so it earns the SFC&apos;s unlocked reward ratio:{" "}
            <strong>{unlocked.data !== undefined ? `${(Number(unlocked.data) / 1e16).toFixed(0)} %` : "…"}</strong> of what stake locked for the
            longest lockup (365 days) earns. The APR above is what the pool really earned, with this ratio in it.
          </p>
        )}
      </Card>
      {holder.address && (
        <Card title="Your position" testId="position">
          <div className="grid grid-cols-2 gap-3 md:grid-cols-3">
            <Stat label={names.staked} testId="position-st"><TokenAmount wei={holder.stBalance} symbol={names.staked} /></Stat>
            <Stat label={names.wrapped} testId="position-wst"><TokenAmount wei={holder.wstBalance} symbol={names.wrapped} /></Stat>
            <Stat label="Voting power"><TokenAmount wei={holder.votes} symbol="votes" /></Stat>
          </div>
          <Link href="/stake" className="mt-3 inline-block text-sm font-medium text-indigo-700 underline">Stake or unstake</Link>
        </Card>
      )}
      <div className="grid gap-4 lg:grid-cols-2">
        <Card title="Distribution: current vs target">
          <Distribution />
        </Card>
        <Card title="Exchange rate over time" testId="rate-history">
          {history.data && history.data.points.length > 1 ? (
            <RateChart points={history.data.points} />
          ) : history.unavailable ? (
            <p className="text-sm text-slate-500" data-testid="history-unavailable">{HISTORY_UNAVAILABLE}</p>
          ) : (
            <p className="text-sm text-slate-500">{history.isLoading ? "Loading…" : "The rate appears after the first rewards are booked."}</p>
          )}
        </Card>
      </div>
    </>
  );
}
