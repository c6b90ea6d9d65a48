import { useMemo, useState } from 'react';
import { api, ApiError } from '../api.ts';
import { FormDialog } from '../components/Dialog.tsx';
import { clientError, ReasonField, SelectField, TextField, useSubmit } from '../components/forms.tsx';
import { formatCents } from '../format.ts';
import { useApi } from '../hooks.ts';
import { roleNames, useUser } from '../session.tsx';
import type { AdjustmentReason, ApprovalLimit, LedgerEntry } from '../types.ts';
import { parseDollars } from './money.ts';

/** A fresh key per dialog opening, so a double submit posts one adjustment. */
const newKey = () => (typeof crypto !== 'undefined' && 'randomUUID' in crypto ? crypto.randomUUID() : `adj-${Date.now()}-${Math.random().toString(36).slice(2)}`);

/**
 * A manual adjustment: a credit lowers the balance, a charge raises it. The amount is typed in
 * dollars and sent as integer cents (parsed from the text, never through a float). Above the
 * role's approval limit the server refuses with the limit; that is said beside the amount.
 */
function AdjustDialog({ accountId, services, open, onClose, onSaved }: {
  accountId: number;
  services: readonly string[];
  open: boolean;
  onClose(): void;
  onSaved(entry: LedgerEntry, balanceCents: number): void;
}) {
  const user = useUser();
  const reasons = useApi('adjustment-reasons', (signal) => api.get<{ reasons: AdjustmentReason[]; limits: ApprovalLimit[] }>('/adjustment-reasons', undefined, signal));
  const limit = reasons.data?.limits.find((l) => l.role === user.role);
  const key = useMemo(() => (open ? newKey() : ''), [open]);

  const form = useSubmit(async (v) => {
    const cents = parseDollars(v.amount ?? '');
    if (cents === null) throw clientError('body.amountCents', 'Write the amount in dollars and cents, e.g. 12.50');
    if (cents === 0) throw clientError('body.amountCents', 'The amount cannot be zero');
    if (!v.reasonCode) throw clientError('body.reasonCode', 'Choose the reason code');
    const amountCents = v.direction === 'charge' ? cents : -cents;
    try {
      const result = await api.post<{ entry: LedgerEntry; balanceCents: number }>(`/accounts/${accountId}/adjustments`, {
        amountCents,
        service: v.service ? v.service : undefined,
        reasonCode: v.reasonCode,
        reason: v.reason,
        idempotencyKey: key,
      });
      onSaved(result.entry, result.balanceCents);
    } catch (e) {
      // Above the approval limit: the server's message names the limit; show it at the amount too.
      if (e instanceof ApiError && e.status === 403) throw new ApiError(e.status, e.code, e.message, { ...e.details, field: 'body.amountCents' });
      throw e;
    }
  }, open);
  const { error } = form;
  const reasonOptions = (reasons.data?.reasons ?? []).map((r) => ({ value: r.code, label: r.description }));

  return (
    <FormDialog title="Adjust the balance" open={open} onClose={onClose} testId="adjust-dialog" form={form} submitLabel="Post adjustment" submitTestId="save-adjustment">
      <fieldset className="radio-row field-wide">
        <legend>Direction</legend>
        <label>
          <input type="radio" name="direction" value="credit" defaultChecked /> Credit (lowers what is owed)
        </label>
        <label>
          <input type="radio" name="direction" value="charge" /> Charge (raises what is owed)
        </label>
      </fieldset>
      <TextField
        label="Amount ($)"
        name="amount"
        field="body.amountCents"
        error={error}
        inputMode="decimal"
        autoComplete="off"
        required
        autoFocus
        className="mono"
        hint={limit ? `Up to ${formatCents(limit.limitCents)} for ${roleNames[user.role]}; more needs a supervisor` : 'In dollars and cents, e.g. 12.50'}
      />
      <SelectField label="Reason code" name="reasonCode" field="body.reasonCode" error={error} options={reasonOptions} blank={reasons.data ? 'Choose a reason' : 'Loading…'} required />
      <SelectField label="Service" name="service" field="body.service" error={error} options={services} blank="The whole account" />
      <ReasonField error={error} required label="Explanation" placeholder="e.g. Leak repaired 2026-10-02; credit per policy" />
    </FormDialog>
  );
}

/**
 * "Adjust" with its dialog, for the account's balance card and its ledger (a CSR's: the card
 * decides whether to show it). `onOpen` runs as the dialog opens; `onSaved` after the adjustment
 * is posted, with the entry and the new balance.
 */
export function AdjustBalanceButton({ accountId, services, onOpen, onSaved }: {
  accountId: number;
  services: readonly string[];
  onOpen(): void;
  onSaved(entry: LedgerEntry, balanceCents: number): void;
}) {
  const [open, setOpen] = useState(false);
  return (
    <>
      <button type="button" className="button-small" onClick={() => { onOpen(); setOpen(true); }} data-testid="adjust-balance">
        Adjust
      </button>
      <AdjustDialog
        accountId={accountId}
        services={services}
        open={open}
        onClose={() => setOpen(false)}
        onSaved={(entry, balanceCents) => {
          setOpen(false);
          onSaved(entry, balanceCents);
        }}
      />
    </>
  );
}
