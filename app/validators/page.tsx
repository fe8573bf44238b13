"use client";

import Link from "next/link";
import { Card, Table } from "../components/ui";
import { TokenAmount } from "../components/TokenAmount";
import { UnplaceableNote } from "../components/Unplaceable";
import { ValidatorLabel } from "../components/ValidatorLabel";
import { useAllocationBase, useValidators } from "../lib/data";
import { useDeployment } from "../lib/hooks";
import { nativeSymbol } from "../lib/chains";
import { formatBps } from "../lib/format";
import { SFC_STATUS } from "../../shared/sfc";

function sfcStatus(status: bigint, slashed: boolean): string {
  if (slashed) return "Slashed";
  if (status === SFC_STATUS.OK) return "OK";
  const parts = [];
  if (status & SFC_STATUS.WITHDRAWN) parts.push("Withdrawn");
  if (status & SFC_STATUS.OFFLINE) parts.push("Offline");
  if (status & SFC_STATUS.OFFLINE_AVG) parts.push("Offline (average)");
  return parts.join(", ") || `Status ${status}`;
}

export default function ValidatorsPage() {
  const { deployment, chainId } = useDeployment();
  const { data, isLoading, isError } = useValidators();
  const total = useAllocationBase();
  const symbol = nativeSymbol(chainId);
  if (!deployment) return <Card title="Validators"><p className="text-sm text-slate-600">The protocol is not deployed on this network.</p></Card>;
  return (
    <Card title="Validator set">
      <p className="mb-3 text-sm text-slate-600">
        Holders decide which validators the pool stakes with and each one&apos;s target share. Validators apply from their validator wallet.{" "}
        <Link href="/validators/apply" className="font-medium text-indigo-700 underline">Apply as a validator</Link>
      </p>
      <UnplaceableNote />
      {isError ? <p className="text-sm text-rose-700" data-testid="validators-unavailable">The validators cannot be read: the network&apos;s RPC is not answering. This list comes back when it does.</p>
        : isLoading ? <p className="text-sm text-slate-500">Loading…</p> : (
        <Table head={["Validator", "State", `Pool stake (${symbol})`, "Current", "Target", "Room left", "Chain status"]} testId="validators-table">
          {(data ?? []).map((v) => (
            <tr key={String(v.id)} data-testid={`validator-${v.id}`}>
              <td className="px-2 py-2"><ValidatorLabel id={v.id} fallbackName={v.name} metadataURI={v.metadataURI} /></td>
              <td className="px-2 py-2" data-testid={`validator-${v.id}-state`}>{v.state}</td>
              <td className="px-2 py-2" data-testid={`validator-${v.id}-stake`}><TokenAmount wei={v.stake} symbol="" short /></td>
              <td className="px-2 py-2">{total ? formatBps(Number((v.stake * 10_000n) / total)) : "—"}</td>
              <td className="px-2 py-2">{formatBps(v.weightBps)}</td>
              <td className="px-2 py-2"><TokenAmount wei={v.capacityLeft} symbol="" short /></td>
              <td className="px-2 py-2">{sfcStatus(v.sfcStatus, v.slashed)}</td>
            </tr>
          ))}
        </Table>
      )}
      <p className="mt-3 text-xs text-slate-500">Current and target are shares of the whole pool (stake, idle and unbonding FTM, less what pending withdrawals are owed): FTM that is idle or unbonding is on its way to the validators under target.</p>
    </Card>
  );
}
