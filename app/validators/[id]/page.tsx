"use client";

import { use } from "react";
import Link from "next/link";
import { Card, Stat } from "../../components/ui";
import { TokenAmount } from "../../components/TokenAmount";
import { ValidatorLabel } from "../../components/ValidatorLabel";
import { ValidatorHistoryPanel } from "../../components/ValidatorHistory";
import { useAllocationBase, useSfcCommission, useValidators } from "../../lib/data";
import { useDeployment } from "../../lib/hooks";
import { useNames } from "../../lib/names";
import { formatBps, formatRatio } from "../../lib/format";
import { formatSfcStatus } from "../../lib/sfcStatus";

/** One validator of the set: what the chain says of it now, and the pool's stake there over time (from the indexer). */
export default function ValidatorPage({ params }: { params: Promise<{ id: string }> }) {
  const { id: raw } = use(params);
  const { deployment } = useDeployment();
  const validators = useValidators();
  const total = useAllocationBase();
  const commission = useSfcCommission();
  const symbol = useNames().native;
  const id = /^\d{1,78}$/.test(raw) ? BigInt(raw) : undefined;
  const back = <Link href="/validators" className="text-sm font-medium text-indigo-700 underline">All validators</Link>;
  if (!deployment) return <Card title="Validator"><p className="text-sm text-slate-600">The protocol is not deployed on this network.</p></Card>;
  if (id === undefined) return <Card title="Validator"><p className="text-sm text-rose-700" role="alert">&quot;{raw}&quot; is not a validator id: use the validator&apos;s number, as in /validators/3.</p>{back}</Card>;
  if (validators.isError) return <Card title={`Validator #${id}`}><p className="text-sm text-rose-700">The validator cannot be read: the network&apos;s RPC is not answering.</p>{back}</Card>;
  if (!validators.data) return <Card title={`Validator #${id}`}><p className="text-sm text-slate-500">Loading…</p></Card>;
  const v = validators.data.find((x) => x.id === id);
  if (!v) return <Card title={`Validator #${id}`}><p className="text-sm text-slate-600" data-testid="validator-unknown">Validator #{String(id)} has never applied to the set.</p>{back}</Card>;
  return (
    <>
      <Card title={<ValidatorLabel id={v.id} fallbackName={v.name} metadataURI={v.metadataURI} />} testId="validator-detail">
        <div className="grid grid-cols-2 gap-3 md:grid-cols-4">
          <Stat label="State" testId="validator-state">{v.state}</Stat>
          <Stat label="Pool stake" testId="validator-stake"><TokenAmount wei={v.stake} symbol={symbol} short /></Stat>
          <Stat label="Current / target">{total ? formatBps(Number((v.stake * 10_000n) / total)) : "—"} / {formatBps(v.weightBps)}</Stat>
          <Stat label="Room left"><TokenAmount wei={v.capacityLeft} symbol={symbol} short /></Stat>
          <Stat label="Chain status" testId="validator-sfc-status">{formatSfcStatus(v.sfcStatus, v.slashed)}</Stat>
          <Stat label="Commission (SFC)" testId="validator-commission">{commission.data !== undefined ? formatRatio(commission.data) : "…"}</Stat>
        </div>
        <div className="mt-3">{back}</div>
      </Card>
      <Card title="Pool stake over time" testId="validator-history">
        <ValidatorHistoryPanel id={v.id} symbol={symbol} />
      </Card>
    </>
  );
}
