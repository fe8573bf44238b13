"use client";

import { useForm } from "react-hook-form";
import { zodResolver } from "@hookform/resolvers/zod";
// zod/mini: the same checks with a fraction of the JavaScript of the full zod API.
import { z } from "zod/mini";
import { formatEther } from "viem";
import { Button, Field, inputClass } from "./ui";
import { amountError, parseAmount } from "../lib/amounts";

/**
 * One amount form for every money action: checks every rule as the user types (a number, above zero, at
 * most 18 decimals, above the minimum unless it is exactly `wholeBalance`, within the balance), says what
 * to fix in one sentence, and hands the parsed bigint to `onSubmit`. While the amount is valid it shows
 * `warning` (a risk that does not stop the action) and `preview` (what the action would give).
 */
export function AmountForm({
  id,
  label,
  submitLabel,
  max,
  fillMax,
  min,
  minMessage,
  wholeBalance,
  unit,
  hint,
  disabled,
  warning,
  preview,
  children,
  onSubmit,
}: {
  id: string;
  label: string;
  submitLabel: string;
  /** The holder's balance: more is refused. */
  max?: bigint;
  /** What Max fills in (default `max`), e.g. the native balance less something for gas. */
  fillMax?: bigint;
  min?: bigint;
  /** What to fix when the amount is below `min` (default: "The minimum is …"). */
  minMessage?: string;
  /** An amount equal to this is allowed below `min`: a holder may always leave entirely. */
  wholeBalance?: bigint;
  unit: string;
  hint?: React.ReactNode;
  disabled?: boolean;
  warning?: (amount: bigint) => string | undefined;
  preview?: (amount: bigint) => React.ReactNode;
  /** Options of the action, between the amount and the preview. */
  children?: React.ReactNode;
  onSubmit: (amount: bigint) => Promise<unknown>;
}) {
  const rules = { unit, min, minMessage, wholeBalance, max };
  const schema = z.object({
    amount: z.string().check(
      z.superRefine((v, ctx) => {
        const message = amountError(v, rules);
        if (message) ctx.addIssue(message);
      }),
    ),
  });
  const form = useForm<z.infer<typeof schema>>({ resolver: zodResolver(schema), mode: "onChange", defaultValues: { amount: "" } });
  const error = form.formState.errors.amount?.message;
  const text = form.watch("amount");
  // The same rules as the resolver, read synchronously, so the preview never shows for an amount the form refuses.
  const valid = text.trim() !== "" && !amountError(text, rules) ? (parseAmount(text, unit) as { wei: bigint }).wei : undefined;
  const caution = valid !== undefined ? warning?.(valid) : undefined;
  const fill = fillMax ?? max;
  return (
    <form
      className="space-y-2"
      noValidate
      onSubmit={form.handleSubmit(async ({ amount }) => {
        const parsed = parseAmount(amount, unit);
        if ("error" in parsed) return;
        const ok = await onSubmit(parsed.wei);
        // With values, reset clears the amount only: a bare reset would also reset the form's other inputs
        // (an option's checkbox) behind React's back.
        if (ok) form.reset({ amount: "" });
      })}
    >
      <Field label={label} htmlFor={`${id}-amount`} hint={hint} error={error}>
        <div className="flex gap-2">
          <input id={`${id}-amount`} data-testid={`${id}-amount`} inputMode="decimal" autoComplete="off" placeholder="0.0" className={inputClass} aria-invalid={!!error} {...form.register("amount")} />
          {fill !== undefined && (
            <Button type="button" variant="secondary" onClick={() => form.setValue("amount", formatEther(fill > 0n ? fill : 0n), { shouldValidate: true })}>Max</Button>
          )}
        </div>
      </Field>
      {children}
      {caution && !error && (
        <p role="status" data-testid={`${id}-warning`} className="rounded-lg border border-amber-300 bg-amber-50 p-2 text-xs text-amber-900">{caution}</p>
      )}
      {valid !== undefined && !error && preview?.(valid)}
      <Button type="submit" data-testid={`${id}-submit`} disabled={disabled || form.formState.isSubmitting}>
        {form.formState.isSubmitting ? "Waiting…" : submitLabel}
      </Button>
    </form>
  );
}
