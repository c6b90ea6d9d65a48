import { useState } from 'react';
import { api, apiUrl } from '../api.ts';
import { parseDollars } from '../billing/money.ts';
import { DataTable, type Column } from '../components/DataTable.tsx';
import { FormDialog } from '../components/Dialog.tsx';
import { clientError, optional, ReasonField, SelectField, TextField, useSubmit } from '../components/forms.tsx';
import { formatCents, humanize, utilityToday } from '../format.ts';
import { Link } from '../router.tsx';
import type { CreditorClaim, DeceasedCase } from '../types.ts';

/** Words and pieces of deceased cases shared by the account's card and the deceased pages. */

const statusTone: Record<string, string> = { open: 'warn', estate_claim: 'info', transferred: 'info', closed: 'muted' };
const statusLabel: Record<string, string> = { open: 'Open', estate_claim: 'Claim on the estate', transferred: 'Service transferred', closed: 'Closed' };
export function DeceasedBadge({ status, testId }: { status: string; testId?: string }) {
  return <span className={`badge badge-${statusTone[status] ?? 'muted'}`} data-testid={testId}>{statusLabel[status] ?? humanize(status)}</span>;
}
const claimTone: Record<string, string> = { draft: 'warn', filed: 'info', allowed: 'good', rejected: 'bad', paid: 'good', written_off: 'muted' };
export function ClaimBadge({ k }: { k: CreditorClaim }) {
  return (
    <span className="badge-row" data-testid="claim-status" data-status={k.status}>
      <span className={`badge badge-${claimTone[k.status] ?? 'muted'}`}>{humanize(k.status)}</span>
      {k.dueSoon && <span className="badge badge-bad" data-testid="claim-due-soon">Due soon</span>}
    </span>
  );
}
export const sourceLabel = (s: string) => ({ staff: 'Told by staff', ach_r15: 'ACH return R15', ach_r14: 'ACH return R14' })[s] ?? humanize(s);

export type ClaimAction = { kind: 'file' | 'allowed' | 'rejected' | 'paid' | 'written_off'; claim: CreditorClaim };

/** A case's claims (or any list of claims): amount, deadline, where each stands, and the next step staff may take. */
export function ClaimsTable({ claims, showCase = false, onAct, canAct, canWriteOff }: { claims: CreditorClaim[]; showCase?: boolean; onAct?(a: ClaimAction): void; canAct: boolean; canWriteOff: boolean }) {
  const next: Record<string, ClaimAction['kind'][]> = { draft: ['file'], filed: ['allowed', 'rejected'], allowed: ['paid', 'written_off'], rejected: ['written_off'] };
  const words: Record<string, string> = { file: 'File', allowed: 'Allowed', rejected: 'Rejected', paid: 'Paid', written_off: 'Write off' };
  const columns: Column<CreditorClaim>[] = [
    { header: 'Claim', className: 'nowrap', cell: (k) => <a href={apiUrl(`/deceased/claims/${k.id}/claim.pdf`)} target="_blank" rel="noopener" data-testid="claim-pdf" aria-label={`Creditor's claim ${k.id} (PDF, opens in a new tab)`}>Claim {k.id} ↗</a> },
    ...(showCase ? [{ header: 'Estate of', cell: (k: CreditorClaim) => <Link to={`/deceased/${k.caseId}`}>{k.customerName}</Link> }] : []),
    { header: 'Account', className: 'nowrap', cell: (k) => <Link to={`/accounts/${k.accountId}`} className="mono">{k.accountNumber}</Link> },
    { header: 'Amount', className: 'num nowrap', cell: (k) => <span data-testid="claim-amount">{formatCents(k.amountCents)}</span> },
    { header: 'Deadline', className: 'nowrap', cell: (k) => <span data-testid="claim-deadline">{k.deadline ?? <span className="muted">notice not published</span>}</span> },
    { header: 'Status', cell: (k) => <ClaimBadge k={k} /> },
    { header: 'Filed', className: 'nowrap', cell: (k) => k.filedOn ?? <span className="muted">—</span> },
    {
      header: <span className="visually-hidden">Actions</span>, className: 'actions-cell',
      cell: (k) => canAct && onAct ? (
        <span className="badge-row">
          {(next[k.status] ?? []).filter((a) => a !== 'written_off' || canWriteOff).map((a) => (
            <button key={a} type="button" className="button-small" onClick={() => onAct({ kind: a, claim: k })} data-testid={`claim-${a}`}>{words[a]}</button>
          ))}
        </span>
      ) : null,
    },
  ];
  return <DataTable columns={columns} rows={claims} rowKey={(k) => k.id} testId="claims-table" />;
}

/** File a claim (the day it was presented: refused after the deadline), or record the estate's answer and the end. */
export function ClaimActionDialog({ action, onClose, onSaved }: { action: ClaimAction | null; onClose(): void; onSaved(k: CreditorClaim): void }) {
  const form = useSubmit(async (v) => {
    const k = action!;
    const body = k.kind === 'file' ? { filedOn: optional(v.on), reason: v.reason ?? '' } : { outcome: k.kind, on: optional(v.on), reason: v.reason ?? '' };
    onSaved(await api.post<CreditorClaim>(`/deceased/claims/${k.claim.id}/${k.kind === 'file' ? 'file' : 'outcome'}`, body));
  }, action);
  const k = action?.claim;
  const title = ({ file: 'File the claim with the estate', allowed: 'The estate allowed the claim', rejected: 'The estate rejected the claim', paid: 'The estate paid the claim', written_off: 'Write off the claim' } as const)[action?.kind ?? 'file'];
  return (
    <FormDialog title={title} open={action !== null} onClose={onClose} testId="claim-action-dialog" form={form} submitLabel={action?.kind === 'file' ? 'File claim' : 'Save'} submitTestId="save-claim-action">
      {k && (
        <p className="field-wide">
          Claim {k.id}: {formatCents(k.amountCents)} against the estate of {k.customerName}.{' '}
          {action?.kind === 'file' ? `It must be presented by ${k.deadline ?? '(the probate notice is not yet recorded)'}.` : action?.kind === 'written_off' ? 'What the account still owes, up to the claim, is written off.' : ''}
        </p>
      )}
      <TextField label={action?.kind === 'file' ? 'Presented on' : 'Date'} name="on" type="date" field={['body.filedOn', 'filedOn', 'body.on', 'on']} error={form.error} hint="Default: today" max={utilityToday()} />
      <ReasonField error={form.error} required autoFocus placeholder={action?.kind === 'file' ? 'e.g. Presented to the personal representative by mail' : 'e.g. Letter from the estate attorney'} />
    </FormDialog>
  );
}

/** The estate: personal representative, probate court and case number, first publication of the probate notice, attorney. */
export function EstateDialog({ c, open, onClose, onSaved }: { c: DeceasedCase; open: boolean; onClose(): void; onSaved(c: DeceasedCase): void }) {
  const form = useSubmit(async (v) => {
    onSaved(await api.patch<DeceasedCase>(`/deceased/cases/${c.id}/estate`, {
      dateOfDeath: v.dateOfDeath || null, representativeName: v.representativeName || null, representativeAddress: v.representativeAddress || null, representativePhone: v.representativePhone || null,
      probateCourt: v.probateCourt || null, probateCaseNumber: v.probateCaseNumber || null, firstPublicationOn: v.firstPublicationOn || null, estateAttorney: v.estateAttorney || null, reason: v.reason ?? '',
    }));
  }, open);
  const { error } = form;
  const e = c.estate;
  return (
    <FormDialog title="The estate" open={open} onClose={onClose} testId="estate-dialog" form={form} submitLabel="Save estate" submitTestId="save-estate">
      <TextField label="Date of death" name="dateOfDeath" type="date" field="body.dateOfDeath" error={error} defaultValue={c.dateOfDeath ?? ''} />
      <TextField label="Personal representative" name="representativeName" field="body.representativeName" error={error} defaultValue={e.representativeName ?? ''} autoFocus />
      <TextField label="Representative's address" name="representativeAddress" field="body.representativeAddress" error={error} defaultValue={e.representativeAddress ?? ''} wide />
      <TextField label="Representative's phone" name="representativePhone" field="body.representativePhone" error={error} defaultValue={e.representativePhone ?? ''} inputMode="tel" />
      <TextField label="Estate attorney" name="estateAttorney" field="body.estateAttorney" error={error} defaultValue={e.estateAttorney ?? ''} />
      <TextField label="Probate court" name="probateCourt" field="body.probateCourt" error={error} defaultValue={e.probateCourt ?? ''} />
      <TextField label="Probate case number" name="probateCaseNumber" field="body.probateCaseNumber" error={error} defaultValue={e.probateCaseNumber ?? ''} className="mono" />
      <TextField label="Probate notice first published" name="firstPublicationOn" type="date" field="body.firstPublicationOn" error={error} defaultValue={e.firstPublicationOn ?? ''} hint="Claims are due 4 months after (RCW 11.40.051)" />
      <ReasonField error={error} required placeholder="e.g. Notice to creditors received from the estate attorney" />
    </FormDialog>
  );
}

/** A claim against the estate for one of the case's accounts (its balance by default). */
export function ClaimDialog({ c, open, onClose, onSaved }: { c: DeceasedCase; open: boolean; onClose(): void; onSaved(k: CreditorClaim): void }) {
  const form = useSubmit(async (v) => {
    let amountCents: number | undefined;
    if (v.amount) {
      const cents = parseDollars(v.amount);
      if (cents === null || cents === 0) throw clientError('body.amountCents', 'Write the amount in dollars and cents, e.g. 150.00');
      amountCents = cents;
    }
    onSaved(await api.post<CreditorClaim>(`/deceased/cases/${c.id}/claims`, { accountId: Number(v.accountId), ...(amountCents ? { amountCents } : {}), note: optional(v.note) ?? null, reason: v.reason ?? '' }));
  }, open);
  const { error } = form;
  return (
    <FormDialog title="Claim against the estate" open={open} onClose={onClose} testId="claim-dialog" form={form} submitLabel="Make claim" submitTestId="save-claim">
      <SelectField label="Account" name="accountId" field="body.accountId" error={error} options={c.accounts.map((a) => ({ value: String(a.accountId), label: `${a.accountNumber} (owes ${formatCents(a.balanceCents)})` }))} />
      <TextField label="Amount ($)" name="amount" field={['body.amountCents', 'amountCents']} error={error} inputMode="decimal" hint="Default: the account's balance" />
      <TextField label="Note" name="note" field="body.note" error={error} wide />
      <ReasonField error={error} required autoFocus placeholder="e.g. Unpaid service to the date of death" />
    </FormDialog>
  );
}

/** Service moved to a survivor: an existing customer (their number) or a new one (their name), and the deceased's last day. */
export function TransferDialog({ c, open, onClose, onSaved }: { c: DeceasedCase; open: boolean; onClose(): void; onSaved(c: DeceasedCase): void }) {
  const [who, setWho] = useState<'new' | 'existing'>('new');
  const form = useSubmit(async (v) => {
    const survivor = who === 'existing'
      ? { survivorCustomerId: Number(v.survivorCustomerId) || 0 }
      : { survivor: { firstName: optional(v.firstName) ?? null, lastName: v.lastName ?? '', phone: optional(v.phone) ?? null } };
    onSaved(await api.post<DeceasedCase>(`/deceased/cases/${c.id}/transfer`, { accountId: c.accounts.length > 1 ? Number(v.accountId) : undefined, ...survivor, lastDay: v.lastDay ?? '', reason: v.reason ?? '' }));
  }, open);
  const { error } = form;
  return (
    <FormDialog title="Transfer the service to a survivor" open={open} onClose={onClose} testId="transfer-dialog" form={form} submitLabel="Make the orders" submitTestId="save-transfer">
      <p className="field-wide small">
        The survivor gets a new account; a move-out ends the deceased's service on the last day and a move-in starts the survivor's the day after, as service orders for the field to complete with the meter reads. The balance stays with the estate.
      </p>
      {c.accounts.length > 1 && <SelectField label="Account" name="accountId" field="body.accountId" error={error} options={c.accounts.map((a) => ({ value: String(a.accountId), label: a.accountNumber }))} />}
      <TextField label="Deceased's last day of service" name="lastDay" type="date" field="body.lastDay" error={error} required defaultValue={utilityToday()} />
      <SelectField label="Survivor" name="who" options={[{ value: 'new', label: 'A new customer' }, { value: 'existing', label: 'An existing customer' }]} value={who} onChange={(e) => setWho(e.currentTarget.value as 'new' | 'existing')} />
      {who === 'existing' ? (
        <TextField label="Customer number" name="survivorCustomerId" field="body.survivorCustomerId" error={error} inputMode="numeric" required />
      ) : (
        <>
          <TextField label="First name" name="firstName" field="body.survivor.firstName" error={error} autoFocus />
          <TextField label="Last name" name="lastName" field={['body.survivor.lastName', 'body.lastName']} error={error} required />
          <TextField label="Phone" name="phone" field="body.survivor.phone" error={error} inputMode="tel" />
        </>
      )}
      <ReasonField error={error} required placeholder="e.g. Spouse keeps the service at the house" />
    </FormDialog>
  );
}

/**
 * Record that a customer has died: who told us and their relationship, the date of death. Every
 * account of the customer not closed gets a deceased alert.
 */
export function NotifyDialog({ customerId, customerName, open, onClose, onSaved }: { customerId: number | null; customerName: string; open: boolean; onClose(): void; onSaved(c: DeceasedCase): void }) {
  const form = useSubmit(async (v) => {
    onSaved(await api.post<DeceasedCase>('/deceased/cases', { customerId, notifiedBy: v.notifiedBy ?? '', relationship: optional(v.relationship) ?? null, dateOfDeath: optional(v.dateOfDeath) ?? null, reason: v.reason ?? '' }));
  }, open);
  const { error } = form;
  return (
    <FormDialog title={`Record the death of ${customerName}`} open={open} onClose={onClose} testId="notify-dialog" form={form} submitLabel="Record" submitTestId="save-notify">
      <TextField label="Who told us" name="notifiedBy" field="body.notifiedBy" error={error} required autoFocus />
      <TextField label="Relationship" name="relationship" field="body.relationship" error={error} placeholder="e.g. daughter" />
      <TextField label="Date of death" name="dateOfDeath" type="date" field="body.dateOfDeath" error={error} max={utilityToday()} />
      <ReasonField error={error} required placeholder="e.g. Daughter phoned the office" />
    </FormDialog>
  );
}

/** Close a case: nothing more to do (no claim waiting to be filed, answered or paid). The alerts end. */
export function CloseDialog({ c, open, onClose, onSaved }: { c: DeceasedCase; open: boolean; onClose(): void; onSaved(c: DeceasedCase): void }) {
  const form = useSubmit(async (v) => onSaved(await api.post<DeceasedCase>(`/deceased/cases/${c.id}/close`, { reason: v.reason ?? '' })), open);
  return (
    <FormDialog title="Close the case" open={open} onClose={onClose} testId="close-deceased-dialog" form={form} submitLabel="Close case" submitTestId="save-close-deceased">
      <p className="field-wide">The deceased alerts on the accounts end.</p>
      <ReasonField error={form.error} required autoFocus placeholder="e.g. Estate settled" />
    </FormDialog>
  );
}
