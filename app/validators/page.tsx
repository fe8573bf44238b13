"use client";

import Link from "next/link";
import { Card, Table } from "../components/ui";
import { TokenAmount } from "../components/TokenAmount";
import { UnplaceableNote } from "../components/Unplaceable";
import { ValidatorLabel } from "../components/ValidatorLabel";
import { HistoryStatus } from "../components/HistoryStatus";
import { StakeSparkline } from "../components/StakeSparkline";
import { useAllocationBase, useSfcCommission, useValidators } from "../lib/data";
import { useValidatorHistories } from "../lib/validatorHistories";
import { useDeployment } from "../lib/hooks";
import { useNames } from "../lib/names";
import { formatBps, formatRatio } from "../lib/format";
import { formatSfcStatus } from "../lib/sfcStatus";

/** Changes drawn in each row's line: enough for its shape; a validator's page draws them all. */
const SPARKLINE_CHANGES = 50;

export default function ValidatorsPage() {
  const { deployment } = useDeployment();
  const { data, isLoading, isError } = useValidators();
  const total = useAllocationBase();
  const commission = useSfcCommission();
  const histories = useValidatorHistories((data ?? []).map((v) => v.id), SPARKLINE_CHANGES);
  const names = useNames();
  const symbol = names.native;
  if (!deployment) return <Card title="Validators"><p className="text-sm text-slate-600">The protocol is not deployed on this network.</p></Card>;
  return (
    <Card title="Validator set" testId="validator-set">
      <p className="mb-3 text-sm text-slate-600">
        Holders decide which validators the pool stakes with and each one&apos;s target share. Validators apply from their validator wallet.{" "}
        <Link href="/validators/apply" className="font-medium text-indigo-700 underline">Apply as a validator</Link>
      </p>
      {commission.data !== undefined && (
        <p className="mb-3 text-sm text-slate-600" data-testid="sfc-commission">
          Every validator keeps <strong>{formatRatio(commission.data)}</strong> of its delegators&apos; rewards as commission: the chain sets one figure for all of them.
        </p>
      )}
      <UnplaceableNote />
      {isError ? <p className="text-sm text-rose-700" data-testid="validators-unavailable">The validators cannot be read: the network&apos;s RPC is not answering. This list comes back when it does.</p>
        : isLoading ? <p className="text-sm text-slate-500">Loading…</p> : (
        <>
          {histories.unavailable && <div className="mb-2"><HistoryStatus history={histories} empty="" /></div>}
          <Table head={["Validator", "State", `Pool stake (${symbol})`, "Stake over time", "Current", "Target", "Room left", "Chain status"]} testId="validators-table">
            {(data ?? []).map((v) => (
              <tr key={String(v.id)} data-testid={`validator-${v.id}`}>
                <td className="px-2 py-2"><ValidatorLabel id={v.id} fallbackName={v.name} metadataURI={v.metadataURI} /></td>
                <td className="px-2 py-2" data-testid={`validator-${v.id}-state`}>{v.state}</td>
                <td className="px-2 py-2" data-testid={`validator-${v.id}-stake`}><TokenAmount wei={v.stake} symbol="" short /></td>
                <td className="px-2 py-2"><StakeSparkline id={v.id} snapshots={histories.byId.get(v.id)?.snapshots} symbol={symbol} /></td>
                <td className="px-2 py-2">{total ? formatBps(Number((v.stake * 10_000n) / total)) : "—"}</td>
                <td className="px-2 py-2">{formatBps(v.weightBps)}</td>
                <td className="px-2 py-2"><TokenAmount wei={v.capacityLeft} symbol="" short /></td>
                <td className="px-2 py-2">{formatSfcStatus(v.sfcStatus, v.slashed)}</td>
              </tr>
            ))}
          </Table>
        </>
      )}
      <p className="mt-3 text-xs text-slate-500">Current and target are shares of the whole pool (stake, idle and unbonding {symbol}, less what pending withdrawals are owed): {symbol} that is idle or unbonding is on its way to the validators under target. Stake over time comes from the indexer; a validator&apos;s line opens its page with every change.</p>
    </Card>
  );
}
