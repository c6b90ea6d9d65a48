import { useState } from 'react';
import { api } from '../api.ts';
import { FormDialog } from '../components/Dialog.tsx';
import { ReasonField, SelectField, TextField, useSubmit } from '../components/forms.tsx';
import { Card, Facts, LoadError, Loading, SuccessBanner } from '../components/ui.tsx';
import { formatTimestamp } from '../format.ts';
import { useApi } from '../hooks.ts';
import { useCan } from '../session.tsx';
import { PaymentBadge } from '../payment/labels.tsx';
import { bankAccountTypes, type AutopayEnrolment } from '../types.ts';

const statusWords: Record<string, string> = {
  prenote: 'Enrolled: the prenote (a zero-dollar test) goes in the next autopay file; debits start after it',
  active: 'Active: bills are debited on their due date',
};

/**
 * ACH autopay of the account: whether it is enrolled, with the bank's routing number and only the
 * last four digits of the bank account; a CSR enrols it (a prenote is sent first) or removes it
 * with a reason. `customerName` is the likely name on the bank account.
 */
export function AutopayCard({ accountId, customerName, onChange }: { accountId: number; customerName: string; onChange?(): void }) {
  const canManage = useCan('csr1');
  const autopay = useApi(`autopay:${accountId}`, (signal) => api.get<{ enrolment: AutopayEnrolment | null }>(`/accounts/${accountId}/autopay`, undefined, signal));
  const [dialog, setDialog] = useState<'enrol' | 'remove' | null>(null);
  const [done, setDone] = useState<string | null>(null);
  const e = autopay.data?.enrolment ?? null;

  return (
    <Card
      title="Autopay"
      testId="autopay-card"
      actions={
        canManage && autopay.data && (
          e ? (
            <button type="button" className="button-small" onClick={() => { setDone(null); setDialog('remove'); }} data-testid="remove-autopay">
              Remove
            </button>
          ) : (
            <button type="button" className="button-small" onClick={() => { setDone(null); setDialog('enrol'); }} data-testid="enrol-autopay">
              Enrol
            </button>
          )
        )
      }
    >
      <SuccessBanner message={done} testId="autopay-done" className="small" />
      {autopay.error ? (
        <LoadError error={autopay.error} retry={autopay.reload} />
      ) : !autopay.data ? (
        <Loading what="Loading autopay" />
      ) : !e ? (
        <p className="muted" data-testid="autopay-none">Not enrolled: the customer pays each bill.</p>
      ) : (
        <>
          <p className="small" data-testid="autopay-status">
            <PaymentBadge status={e.status} /> {statusWords[e.status] ?? ''}
          </p>
          <Facts
            items={[
              ['Bank account', <span data-testid="autopay-account">{e.bankAccountType === 'savings' ? 'Savings' : 'Checking'} ending <span className="mono">{e.bankAccountLast4}</span></span>],
              ['Routing number', <span className="mono">{e.routingNumber}</span>],
              ['Name on the account', e.holderName],
              ['Enrolled', formatTimestamp(e.enrolledAt)],
              ['Prenote sent', e.prenoteSentOn],
              ['Debits from', e.activeFrom],
            ]}
          />
        </>
      )}
      {canManage && (
        <>
          <EnrolDialog
            accountId={accountId}
            customerName={customerName}
            open={dialog === 'enrol'}
            onClose={() => setDialog(null)}
            onSaved={(enrolment) => {
              setDialog(null);
              setDone(`Enrolled in autopay from the ${enrolment.bankAccountType} account ending ${enrolment.bankAccountLast4}; the prenote goes in the next file.`);
              autopay.reload();
              onChange?.();
            }}
          />
          <RemoveDialog
            accountId={accountId}
            enrolment={dialog === 'remove' ? e : null}
            onClose={() => setDialog(null)}
            onSaved={() => {
              setDialog(null);
              setDone('Autopay removed: the customer pays each bill from now on.');
              autopay.reload();
              onChange?.();
            }}
          />
        </>
      )}
    </Card>
  );
}

function EnrolDialog({ accountId, customerName, open, onClose, onSaved }: { accountId: number; customerName: string; open: boolean; onClose(): void; onSaved(e: AutopayEnrolment): void }) {
  const form = useSubmit(async (v) => {
    onSaved(await api.post<AutopayEnrolment>(`/accounts/${accountId}/autopay`, {
      routingNumber: v.routingNumber ?? '',
      bankAccountNumber: (v.bankAccountNumber ?? '').replace(/\s/g, ''),
      bankAccountType: v.bankAccountType,
      holderName: v.holderName ?? '',
    }));
  }, open);
  const { error } = form;
  return (
    <FormDialog title="Enrol in autopay" open={open} onClose={onClose} testId="enrol-autopay-dialog" form={form} submitLabel="Enrol" submitTestId="save-autopay">
      <TextField label="Routing number" name="routingNumber" field={['body.routingNumber', 'routingNumber']} error={error} required autoFocus inputMode="numeric" maxLength={9} autoComplete="off" className="mono" hint="Nine digits; the check digit is verified" />
      <TextField label="Bank account number" name="bankAccountNumber" field={['body.bankAccountNumber', 'bankAccountNumber']} error={error} required maxLength={17} autoComplete="off" className="mono" hint="Only the last four digits are shown again" />
      <SelectField label="Account type" name="bankAccountType" field={['body.bankAccountType', 'bankAccountType']} error={error} options={bankAccountTypes} defaultValue="checking" />
      <TextField label="Name on the bank account" name="holderName" field={['body.holderName', 'holderName']} error={error} required maxLength={120} defaultValue={customerName} />
    </FormDialog>
  );
}

function RemoveDialog({ accountId, enrolment, onClose, onSaved }: { accountId: number; enrolment: AutopayEnrolment | null; onClose(): void; onSaved(): void }) {
  const form = useSubmit(async (v) => {
    await api.post(`/accounts/${accountId}/autopay/remove`, { reason: v.reason });
    onSaved();
  }, enrolment);
  const { error } = form;
  return (
    <FormDialog
      title={enrolment ? `Remove autopay from the account ending ${enrolment.bankAccountLast4}` : 'Remove autopay'}
      open={enrolment !== null}
      onClose={onClose}
      testId="remove-autopay-dialog"
      form={form}
      submitLabel="Remove autopay"
      submitTestId="save-remove-autopay"
    >
      <ReasonField error={error} required autoFocus placeholder="e.g. Customer asked by phone; will pay online" />
    </FormDialog>
  );
}
