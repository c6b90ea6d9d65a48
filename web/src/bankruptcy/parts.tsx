import { useState } from 'react';
import { api } from '../api.ts';
import { parseDollars } from '../billing/money.ts';
import { DataTable, type Column } from '../components/DataTable.tsx';
import { FormDialog } from '../components/Dialog.tsx';
import { CheckboxField, clientError, optional, ReasonField, SelectField, TextField, useSubmit } from '../components/forms.tsx';
import { formatCents, humanize, utilityToday } from '../format.ts';
import { useApi } from '../hooks.ts';
import { Link } from '../router.tsx';
import type { Account, BankruptcyCase, BankruptcyCaseAccount, CustomerDetail } from '../types.ts';

/** Words and pieces of bankruptcy cases shared by the account's card and the bankruptcy pages. */

const statusTone: Record<string, string> = { open: 'warn', discharged: 'muted', dismissed: 'info', closed: 'muted' };
export function BankruptcyBadge({ status, testId }: { status: string; testId?: string }) {
  return <span className={`badge badge-${statusTone[status] ?? 'muted'}`} data-testid={testId}>{status === 'open' ? 'Open: stay in force' : humanize(status)}</span>;
}

const assuranceTone: Record<string, string> = { due: 'info', overdue: 'bad', paid: 'good', waived: 'muted', not_asked: 'muted', ended: 'muted' };
const assuranceLabel: Record<string, string> = { due: 'Deposit due', overdue: 'Deposit overdue', paid: 'Deposit paid', waived: 'Waived', not_asked: 'Not asked', ended: 'Deposit ended' };
export function AssuranceBadge({ a }: { a: BankruptcyCaseAccount['assurance'] }) {
  return (
    <span className="badge-row" data-testid="assurance-state" data-state={a.state}>
      <span className={`badge badge-${assuranceTone[a.state] ?? 'muted'}`}>{assuranceLabel[a.state] ?? humanize(a.state)}</span>
      {a.depositId !== null && (
        <span className="small">
          {formatCents(a.amountCents ?? 0)} (deposit {a.depositId}{a.heldCents ? `, ${formatCents(a.heldCents)} paid` : ''}), due {a.dueOn}
        </span>
      )}
      {a.waivedReason && <span className="small muted">{a.waivedReason}</span>}
    </span>
  );
}

const dash = <span className="muted">—</span>;

/** Per account: the split now (or at discharge), the assurance deposit. */
export function CaseAccountsTable({ c }: { c: BankruptcyCase }) {
  const columns: Column<BankruptcyCaseAccount>[] = [
    { header: 'Account', className: 'nowrap', cell: (a) => <Link to={`/accounts/${a.accountId}`} className="mono" data-testid="case-account">{a.accountNumber}</Link> },
    { header: 'Pre-petition', className: 'num nowrap', cell: (a) => <span data-testid="pre-petition">{formatCents(a.split ? a.split.prePetitionCents : a.filed.prePetitionCents)}</span> },
    { header: 'Held by the stay', className: 'num nowrap', cell: (a) => (a.split ? <strong data-testid="held">{formatCents(a.split.heldCents)}</strong> : dash) },
    { header: 'Post-petition', className: 'num nowrap', cell: (a) => (a.split ? <span data-testid="post-petition">{formatCents(a.split.postPetitionCents)}</span> : dash) },
    { header: 'Written off', className: 'num nowrap', cell: (a) => (a.dischargedCents !== null ? <span data-testid="written-off">{formatCents(a.dischargedCents)}</span> : dash) },
    { header: 'Adequate assurance', cell: (a) => <AssuranceBadge a={a.assurance} /> },
  ];
  return (
    <>
      <DataTable columns={columns} rows={c.accounts} rowKey={(a) => a.accountId} testId="case-accounts" />
      {c.accounts.map((a) => (
        <p key={a.accountId} className="small muted" data-testid="split-derivation">
          <span className="mono">{a.accountNumber}</span>: {a.split ? a.split.derivation : `At filing: ${a.filed.derivation}`}
        </p>
      ))}
    </>
  );
}

/**
 * Record a bankruptcy case for a customer: the chapter, petition, court and case number, whom to
 * deal with, the accounts it covers (those not closed by default), and the adequate-assurance
 * deposit (the cap by default, or an amount, or waived with a reason).
 */
export function OpenCaseDialog({ customerId, open, onClose, onSaved }: { customerId: number | null; open: boolean; onClose(): void; onSaved(c: BankruptcyCase): void }) {
  const customer = useApi(`bankruptcy-customer:${customerId ?? ''}`, (signal) => (customerId ? api.get<CustomerDetail>(`/customers/${customerId}`, undefined, signal) : Promise.resolve(null)));
  const [waive, setWaive] = useState(false);
  const accounts: Account[] = (customer.data?.accounts ?? []).filter((a) => a.status !== 'closed');
  const form = useSubmit(async (v, el) => {
    const chosen = accounts.filter((a) => (el.elements.namedItem(`account-${a.id}`) as HTMLInputElement | null)?.checked).map((a) => a.id);
    if (chosen.length === 0) throw clientError('body.accountIds', 'Choose at least one account');
    let assuranceCents: number | undefined;
    if (!waive && v.assurance) {
      const cents = parseDollars(v.assurance);
      if (cents === null || cents === 0) throw clientError('body.assuranceCents', 'Write the amount in dollars and cents, e.g. 150.00');
      assuranceCents = cents;
    }
    onSaved(await api.post<BankruptcyCase>('/bankruptcy/cases', {
      customerId, accountIds: chosen, chapter: Number(v.chapter), petitionDate: v.petitionDate ?? '', court: v.court ?? '', caseNumber: v.caseNumber ?? '',
      noticeReceivedOn: optional(v.noticeReceivedOn), contact: { kind: v.contactKind || 'attorney', name: optional(v.contactName) ?? null, phone: optional(v.contactPhone) ?? null },
      ...(assuranceCents ? { assuranceCents } : {}), ...(waive ? { waiveAssurance: v.waiveAssurance ?? '' } : {}), reason: v.reason ?? '',
    }));
  }, open);
  const { error } = form;
  return (
    <FormDialog title="Record a bankruptcy case" open={open} onClose={onClose} testId="open-bankruptcy-dialog" form={form} submitLabel="Record case" submitTestId="save-bankruptcy">
      <p className="field-wide small">
        The automatic stay holds the debt from before the petition out of collection; each account gets a bankruptcy alert and, unless waived, an adequate-assurance deposit due 20 days after the petition.
      </p>
      <SelectField label="Chapter" name="chapter" field="body.chapter" error={error} options={['7', '11', '12', '13'].map((c) => ({ value: c, label: `Chapter ${c}` }))} defaultValue="7" />
      <TextField label="Petition date" name="petitionDate" type="date" field="body.petitionDate" error={error} required max={utilityToday()} />
      <TextField label="Court" name="court" field="body.court" error={error} required defaultValue="U.S. Bankruptcy Court, E.D. Wash." />
      <TextField label="Case number" name="caseNumber" field="body.caseNumber" error={error} required className="mono" placeholder="e.g. 26-01234" autoFocus />
      <TextField label="Notice received" name="noticeReceivedOn" type="date" field="body.noticeReceivedOn" error={error} hint="Default: today" />
      <SelectField label="Contact" name="contactKind" options={[{ value: 'attorney', label: "Debtor's attorney" }, { value: 'trustee', label: 'Trustee' }, { value: 'debtor', label: 'The debtor' }]} defaultValue="attorney" />
      <TextField label="Contact name" name="contactName" field="body.contact.name" error={error} />
      <TextField label="Contact phone" name="contactPhone" field="body.contact.phone" error={error} inputMode="tel" />
      <fieldset className="field-wide" data-testid="case-accounts-choice">
        <legend>Accounts the case covers</legend>
        {customer.data ? accounts.map((a) => <CheckboxField key={a.id} name={`account-${a.id}`} label={`${a.accountNumber} (${humanize(a.status)})`} defaultChecked />) : <span className="muted">Loading the accounts…</span>}
      </fieldset>
      <CheckboxField label="Waive the adequate-assurance deposit" checked={waive} onChange={(e) => setWaive(e.currentTarget.checked)} data-testid="waive-assurance" wide />
      {waive ? (
        <TextField label="Why it is waived" name="waiveAssurance" field="body.waiveAssurance" error={error} required minLength={3} wide />
      ) : (
        <TextField label="Assurance deposit per account ($)" name="assurance" field={['body.assuranceCents', 'assuranceCents']} error={error} inputMode="decimal" hint="Default: the deposit cap (2/12 of the estimated annual bill)" />
      )}
      <ReasonField error={error} required placeholder="e.g. Notice of bankruptcy filing received by mail" />
    </FormDialog>
  );
}

/** Discharge (supervisor), dismissal, closing, or waiving the assurance: a date (not for a waiver) and the reason. */
export function CaseActionDialog({ c, action, onClose, onSaved }: { c: BankruptcyCase; action: 'discharge' | 'dismiss' | 'close' | 'waive-assurance' | null; onClose(): void; onSaved(c: BankruptcyCase, action: string): void }) {
  const form = useSubmit(async (v) => {
    onSaved(await api.post<BankruptcyCase>(`/bankruptcy/cases/${c.id}/${action}`, { ...(action === 'waive-assurance' ? {} : { on: optional(v.on) }), reason: v.reason ?? '' }), action!);
  }, action);
  const held = c.accounts.reduce((n, a) => n + (a.split?.heldCents ?? 0), 0);
  const text = {
    discharge: { title: 'Discharge', submit: 'Discharge and write off', words: `The pre-petition debt still held, ${formatCents(held)} in all, is written off (bankruptcy discharge); the alerts end.` },
    dismiss: { title: 'Dismissal', submit: 'Record dismissal', words: 'The stay ends: collection of all the debt resumes. Nothing is written off; the alerts end.' },
    close: { title: 'Close the case', submit: 'Close case', words: 'The case ends without a discharge: nothing is written off; the stay and the alerts end.' },
    'waive-assurance': { title: 'Waive the adequate-assurance deposit', submit: 'Waive', words: 'A deposit asked for this case and still being billed or held is given back (a supervisor\'s call).' },
  }[action ?? 'close'];
  return (
    <FormDialog title={text.title} open={action !== null} onClose={onClose} testId="bankruptcy-action-dialog" form={form} submitLabel={text.submit} submitTestId="save-bankruptcy-action">
      <p className="field-wide">{text.words}</p>
      {action !== 'waive-assurance' && <TextField label="Date" name="on" type="date" field="body.on" error={form.error} hint="Default: today (the court's order date)" max={utilityToday()} />}
      <ReasonField error={form.error} required autoFocus placeholder={action === 'discharge' ? 'e.g. Order of discharge entered' : 'e.g. Court dismissed the case'} />
    </FormDialog>
  );
}
