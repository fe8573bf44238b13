"use client";

import { useForm } from "react-hook-form";
import { zodResolver } from "@hookform/resolvers/zod";
// zod/mini: the same checks with a fraction of the JavaScript of the full zod API.
import { z } from "zod/mini";
import { parseEther, formatEther } from "viem";
import { Button, Field, inputClass } from "./ui";

/**
 * One amount form for every money action: validates as the user types (a number, positive, within the
 * balance and above the minimum, unless it is exactly `wholeBalance`) and hands the parsed bigint to `onSubmit`.
 */
export function AmountForm({
  id,
  label,
  submitLabel,
  max,
  min,
  minMessage,
  wholeBalance,
  unit,
  hint,
  disabled,
  onSubmit,
}: {
  id: string;
  label: string;
  submitLabel: string;
  max?: bigint;
  min?: bigint;
  /** What to fix when the amount is below `min` (default: "The minimum is …"). */
  minMessage?: string;
  /** An amount equal to this is allowed below `min`: a holder may always leave entirely. */
  wholeBalance?: bigint;
  unit: string;
  hint?: React.ReactNode;
  disabled?: boolean;
  onSubmit: (amount: bigint) => Promise<unknown>;
}) {
  // Each rule speaks only for itself: a malformed amount gets the format message alone.
  const amount = /^\d+(\.\d{1,18})?$/;
  const wei = (v: string) => (amount.test(v) ? parseEther(v) : undefined);
  const schema = z.object({
    amount: z.string().check(
      z.trim(),
      z.regex(amount, "Enter an amount such as 1.5"),
      z.refine((v) => wei(v) === undefined || wei(v)! > 0n, "Enter an amount above zero"),
      z.refine(
        (v) => min === undefined || wei(v) === undefined || wei(v)! >= min || wei(v) === wholeBalance,
        minMessage ?? `The minimum is ${min !== undefined ? formatEther(min) : ""} ${unit}`,
      ),
      z.refine((v) => max === undefined || wei(v) === undefined || wei(v)! <= max, `You have ${max !== undefined ? formatEther(max) : ""} ${unit}`),
    ),
  });
  const form = useForm<z.infer<typeof schema>>({ resolver: zodResolver(schema), mode: "onChange", defaultValues: { amount: "" } });
  const error = form.formState.errors.amount?.message;
  return (
    <form
      className="space-y-2"
      onSubmit={form.handleSubmit(async ({ amount }) => {
        const ok = await onSubmit(parseEther(amount));
        if (ok) form.reset();
      })}
    >
      <Field label={label} htmlFor={`${id}-amount`} hint={hint} error={error}>
        <div className="flex gap-2">
          <input id={`${id}-amount`} data-testid={`${id}-amount`} inputMode="decimal" autoComplete="off" placeholder="0.0" className={inputClass} aria-invalid={!!error} {...form.register("amount")} />
          {max !== undefined && (
            <Button type="button" variant="secondary" onClick={() => form.setValue("amount", formatEther(max), { shouldValidate: true })}>Max</Button>
          )}
        </div>
      </Field>
      <Button type="submit" data-testid={`${id}-submit`} disabled={disabled || form.formState.isSubmitting}>
        {form.formState.isSubmitting ? "Waiting…" : submitLabel}
      </Button>
    </form>
  );
}
