"use client";

import { useState } from "react";
import { useAccount, useReadContract } from "wagmi";
import { Card, Button, Field, inputClass } from "../../components/ui";
import { TokenAmount } from "../../components/TokenAmount";
import { ConnectHint } from "../../components/StatusBanners";
import { abis } from "../../lib/contracts.generated";
import { SFC_ADDRESS } from "../../../shared/networks";
import { ValidatorRegistryStateNames } from "../../../shared/protocol.generated";
import { useValidators } from "../../lib/data";
import { useDeployment, useTransaction } from "../../lib/hooks";

const EXPLAIN: Record<(typeof ValidatorRegistryStateNames)[number], string> = {
  None: "Not applied yet.",
  Applied: "Your application is pending: a governance proposal can admit you and give you a target weight.",
  Active: "You are in the set. The pool stakes with you according to your target weight.",
  Exiting: "Governance removed you; the pool is withdrawing its stake.",
  Removed: "Not in the set. You may apply again.",
  Ineligible: "The chain reports you offline, withdrawn or slashed; the pool does not stake with you meanwhile.",
};

export default function ApplyPage() {
  const { address, isConnected } = useAccount();
  const { deployment } = useDeployment();
  const { send } = useTransaction();
  const [uri, setUri] = useState("");
  const validatorId = useReadContract({ address: SFC_ADDRESS, abi: abis.sfc, functionName: "getValidatorID", args: address ? [address] : undefined, query: { enabled: !!address && !!deployment } });
  const id = validatorId.data;
  const state = useReadContract({ address: deployment?.contracts.registry, abi: abis.registry, functionName: "stateOf", args: id ? [id] : undefined, query: { enabled: !!id } });
  const selfStake = useReadContract({ address: SFC_ADDRESS, abi: abis.sfc, functionName: "getSelfStake", args: id ? [id] : undefined, query: { enabled: !!id } });
  const validators = useValidators();
  const row = validators.data?.find((v) => v.id === id);
  if (!deployment) return <Card title="Apply"><p className="text-sm text-slate-600">The protocol is not deployed on this network.</p></Card>;
  const stateName = state.data !== undefined ? ValidatorRegistryStateNames[state.data] : undefined;
  const uriError = uri && !/^(https?:\/\/|ipfs:\/\/|data:application\/json,)/.test(uri) ? "Use an https://, ipfs:// or data:application/json, link" : undefined;
  return (
    <Card title="Apply for inclusion">
      <p className="mb-3 text-sm text-slate-600">Connect your validator&apos;s auth wallet (the address that created the validator on the SFC). The validator must be active, not slashed, and hold at least the chain&apos;s minimum self-stake.</p>
      {!isConnected ? <ConnectHint what="apply" /> : id === undefined ? <p className="text-sm text-slate-500">Looking up your validator…</p> : id === 0n ? (
        <p role="alert" data-testid="not-a-validator" className="rounded-lg bg-amber-50 p-3 text-sm text-amber-900">This wallet is not the auth address of any validator on the SFC. Connect the wallet that created your validator.</p>
      ) : (
        <div className="space-y-3 text-sm">
          <div>Validator <strong>#{String(id)}</strong> · self-stake <TokenAmount wei={selfStake.data} /></div>
          <div data-testid="application-status">Status: <strong>{stateName ?? "…"}</strong>. {stateName && EXPLAIN[stateName]}</div>
          {row && row.stake > 0n && <div data-testid="validator-stake">Pool stake with you: <TokenAmount wei={row.stake} /></div>}
          {(stateName === "None" || stateName === "Removed") && (
            <form className="space-y-2" onSubmit={(e) => { e.preventDefault(); if (!uriError) send("Apply", { address: deployment.contracts.registry, abi: abis.registry, functionName: "applyForInclusion", args: [id, uri] }); }}>
              <Field label="Metadata link (name, website, contact)" htmlFor="metadata" hint='For example ipfs://… or data:application/json,{"name":"My Validator"}' error={uriError}>
                <input id="metadata" data-testid="apply-metadata" className={inputClass} value={uri} onChange={(e) => setUri(e.target.value.trim())} />
              </Field>
              <Button type="submit" data-testid="apply-submit" disabled={!!uriError}>Apply</Button>
            </form>
          )}
          {stateName === "Applied" && (
            <Button variant="secondary" data-testid="withdraw-application" onClick={() => send("Withdraw application", { address: deployment.contracts.registry, abi: abis.registry, functionName: "withdrawApplication", args: [id] })}>Withdraw application</Button>
          )}
        </div>
      )}
    </Card>
  );
}
