import { useEffect, useState } from 'react';
import { api } from '../api.ts';
import { accountNumberField, findAccount, useAccountLookup } from '../account/accountLookup.ts';
import { FormDialog } from '../components/Dialog.tsx';
import { optional, ReasonField, TextField, useSubmit } from '../components/forms.tsx';
import { StatusBadge } from '../components/ui.tsx';
import { addressLine, humanize, utilityToday } from '../format.ts';
import type { Agreement, ServicePoint } from '../types.ts';

/** Start service: an account at this service point under a rate, from a date. */
export function StartServiceDialog({ point, onClose, onSaved }: { point: ServicePoint | null; onClose(): void; onSaved(): void }) {
  const [typed, setTyped] = useState('');
  useEffect(() => setTyped(''), [point]);
  const lookup = useAccountLookup(typed);
  const form = useSubmit(async (v) => {
    const number = v.accountNumber ?? '';
    const { account } = lookup?.found ?? (await findAccount(number));
    await api.post<Agreement>('/service-agreements', {
      accountId: account.id,
      servicePointId: point!.id,
      rateCode: (v.rateCode ?? '').toUpperCase(),
      startDate: v.startDate,
      endDate: optional(v.endDate),
      reason: optional(v.reason),
    });
    onSaved();
  }, point);
  const { error, setError } = form;
  const found = lookup?.found;
  // Once the number typed is found, an earlier error about the number no longer stands.
  useEffect(() => {
    if (found) setError((e) => (e?.field === accountNumberField ? null : e));
  }, [found, setError]);
  const example = point ? `RES-${point.service === 'electric' ? 'E' : point.service === 'water' ? 'W' : 'F'}` : 'RES-E';

  return (
    <FormDialog
      title={point ? `Start ${point.service} service at point ${point.id}` : 'Start service'}
      open={point !== null}
      onClose={onClose}
      testId="start-service-dialog"
      form={form}
      submitLabel="Start service"
      submitTestId="save-start-service"
    >
      <TextField
        label="Account number"
        name="accountNumber"
        field={accountNumberField}
        error={lookup?.error ?? error}
        value={typed}
        onChange={(e) => setTyped(e.target.value)}
        required
        inputMode="numeric"
        autoComplete="off"
        maxLength={9}
        className="mono"
        autoFocus
        live
        wide
        hint={
          found ? (
            <span className="lookup-found" data-testid="account-found">
              <strong>{found.customerName}</strong> <StatusBadge status={found.account.status} /> {humanize(found.account.customerClass)} · bills to {addressLine(found.account.billingAddress)}
            </span>
          ) : (
            'The nine digits; the last is a check digit'
          )
        }
      />
      <TextField label="Rate code" name="rateCode" field="body.rateCode" error={error} required maxLength={20} autoComplete="off" className="mono" hint={`e.g. ${example}`} />
      <TextField label="Starts on" name="startDate" field="body.startDate" error={error} type="date" required defaultValue={utilityToday()} />
      <TextField label="Ends on" name="endDate" field="body.endDate" error={error} type="date" hint="Blank: until ended" />
      <ReasonField error={error} />
    </FormDialog>
  );
}
