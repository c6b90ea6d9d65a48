import { useState } from 'react';
import { api, apiUrl } from '../api.ts';
import { parseDollars } from '../billing/money.ts';
import { DataTable, type Column } from '../components/DataTable.tsx';
import { FormDialog } from '../components/Dialog.tsx';
import { clientError, ReasonField, SelectField, TextField, useSubmit } from '../components/forms.tsx';
import { Card, Empty, Facts, LoadError, Loading, SuccessBanner } from '../components/ui.tsx';
import { formatCents, humanize } from '../format.ts';
import { useApi } from '../hooks.ts';
import { useCan } from '../session.tsx';
import type { SecurityDeposit, SecurityDepositEvaluation, SecurityDepositEvent, SecurityDepositInstalment, SecurityDepositStatus } from '../types.ts';

/** Words and pieces of security deposits shared by the account's card and the deposits page. */

const statusTone: Record<SecurityDepositStatus, string> = { billing: 'info', held: 'good', returned: 'muted', applied: 'muted', cancelled: 'muted' };
const statusLabels: Record<SecurityDepositStatus, string> = { billing: 'Being billed', held: 'Held', returned: 'Returned', applied: 'Applied', cancelled: 'Cancelled' };

export function DepositBadge({ status, testId }: { status: string; testId?: string }) {
  const s = status as SecurityDepositStatus;
  return <span className={`badge badge-${statusTone[s] ?? 'muted'}`} data-testid={testId}>{statusLabels[s] ?? humanize(status)}</span>;
}

/** The credit rule that called for a deposit (the server's `rule`), in words; `staff` is a deposit staff asked for without one. */
const ruleLabels: Record<string, string> = {
  unpaid_prior_account: 'Unpaid earlier account',
  disconnect_history: 'Disconnections for non-payment',
  returned_payments: 'Returned payments',
  no_credit_history: 'No payment history',
  good_history: 'Good payment history',
  staff: 'Asked for by staff',
};
export const ruleLabel = (rule: string) => ruleLabels[rule] ?? humanize(rule);

const eventLabels: Record<string, string> = { required: 'Required', billed: 'Instalment billed', paid: 'Instalment paid', returned: 'Returned', applied: 'Applied to the account', cancelled: 'Cancelled' };
const eventTone: Record<string, string> = { required: 'info', billed: 'info', paid: 'good', returned: 'muted', applied: 'warn', cancelled: 'muted' };

const isLive = (d: SecurityDeposit) => d.status === 'billing' || d.status === 'held';

const dash = <span className="muted">—</span>;

/** Where an instalment stands: paid, billed and unpaid, not yet billed; any part no longer owed. */
function InstalmentState({ p }: { p: SecurityDepositInstalment }) {
  return (
    <span className="badge-row" data-testid="instalment-state">
      {p.paidOn ? (
        <span className="badge badge-good">Paid {p.paidOn}</span>
      ) : p.billedOn ? (
        <span className="badge badge-warn">Billed {p.billedOn}, unpaid</span>
      ) : (
        <span className="badge badge-muted">Not yet billed</span>
      )}
      {p.cancelledCents > 0 && <span className="badge badge-muted">{formatCents(p.cancelledCents)} no longer owed</span>}
    </span>
  );
}

const instalmentColumns: Column<SecurityDepositInstalment>[] = [
  { header: 'Instalment', className: 'nowrap', cell: (p) => `${p.n}` },
  { header: 'Amount', className: 'num nowrap', cell: (p) => <span data-testid="instalment-amount">{formatCents(p.amountCents)}</span> },
  { header: 'Due', className: 'nowrap', cell: (p) => p.dueOn },
  { header: 'Billed', className: 'nowrap', cell: (p) => p.billedOn ?? dash },
  { header: 'Where it stands', cell: (p) => <InstalmentState p={p} /> },
];

const eventColumns: Column<SecurityDepositEvent>[] = [
  { header: 'Date', className: 'nowrap', cell: (e) => e.onDate },
  { header: 'What', className: 'nowrap', cell: (e) => <span className={`badge badge-${eventTone[e.kind] ?? 'muted'}`} data-testid="deposit-event-kind">{eventLabels[e.kind] ?? humanize(e.kind)}</span> },
  { header: 'Amount', className: 'num nowrap', cell: (e) => (e.amountCents ? formatCents(e.amountCents) : dash) },
  { header: 'Interest', className: 'num nowrap', cell: (e) => (e.interestCents ? formatCents(e.interestCents) : dash) },
  { header: 'Reason', cell: (e) => e.reason },
  {
    header: 'Letter', className: 'nowrap',
    cell: (e) => (['required', 'returned', 'applied'].includes(e.kind)
      ? <a href={apiUrl(`/security-deposits/events/${e.id}/letter.pdf`)} target="_blank" rel="noopener" data-testid="deposit-letter" aria-label={`Letter to the customer, ${e.onDate} (PDF, opens in a new tab)`}>Letter ↗</a>
      : dash),
  },
];

/**
 * The account's security deposit: whether its credit history calls for one (the rule and its
 * facts) and the most it may be; the live deposit with its instalments (billed, paid), the amount
 * held, the interest earned so far and its events; the account's earlier deposits in brief. A
 * CSR II requires a deposit (the cap by default, in instalments) or applies the live one to the
 * account; a supervisor returns it now. `version` changes when something elsewhere on the page
 * moved money; `onChange` runs after a change here moved money (the balance, the refunds).
 */
export function DepositCard({ accountId, version = 0, onChange }: { accountId: number; version?: number; onChange?(): void }) {
  const canRequire = useCan('csr2');
  const canReturn = useCan('supervisor');
  const evaluation = useApi(`deposit-evaluation:${accountId}:${version}`, (signal) => api.get<SecurityDepositEvaluation>(`/accounts/${accountId}/security-deposit/evaluation`, undefined, signal));
  const deposits = useApi(`security-deposits:${accountId}:${version}`, (signal) => api.get<{ items: SecurityDeposit[] }>(`/accounts/${accountId}/security-deposits`, undefined, signal));
  const [dialog, setDialog] = useState<'require' | 'apply' | 'return' | null>(null);
  const [done, setDone] = useState<string | null>(null);
  const items = deposits.data?.items ?? [];
  const live = items.find(isLive) ?? null;
  const past = items.filter((d) => !isLive(d));

  const changed = (text: string) => {
    setDialog(null);
    setDone(text);
    evaluation.reload();
    deposits.reload();
    onChange?.();
  };
  const open = (d: 'require' | 'apply' | 'return') => {
    setDone(null);
    setDialog(d);
  };

  return (
    <Card
      title="Security deposit"
      testId="deposit-card"
      actions={
        deposits.data && (
          live ? (
            <>
              {canRequire && (
                <button type="button" className="button-small" onClick={() => open('apply')} data-testid="apply-deposit">
                  Apply to account
                </button>
              )}
              {canReturn && (
                <button type="button" className="button-small" onClick={() => open('return')} data-testid="return-deposit">
                  Return now
                </button>
              )}
            </>
          ) : (
            canRequire && evaluation.data && (
              <button type="button" className="button-small" onClick={() => open('require')} data-testid="require-deposit">
                Require deposit
              </button>
            )
          )
        )
      }
    >
      <SuccessBanner message={done} testId="deposit-done" className="small" />
      {evaluation.error ? (
        <LoadError error={evaluation.error} retry={evaluation.reload} />
      ) : !evaluation.data ? (
        <Loading what="Checking the credit history" />
      ) : (
        <EvaluationView e={evaluation.data} />
      )}
      {deposits.error ? (
        <LoadError error={deposits.error} retry={deposits.reload} />
      ) : !deposits.data ? (
        <Loading what="Loading the deposits" />
      ) : live ? (
        <LiveDeposit d={live} />
      ) : (
        <p className="muted" data-testid="deposit-none">No deposit is held on this account.</p>
      )}
      {past.length > 0 && (
        <details className="alert-older" data-testid="deposit-history">
          <summary>{past.length} earlier deposit{past.length === 1 ? '' : 's'}</summary>
          <ul className="alert-list">
            {past.map((d) => (
              <li key={d.id} className="alert-item">
                <div>
                  <span>Deposit {d.id}: {formatCents(d.amountCents)}</span> <DepositBadge status={d.status} />{' '}
                  <span className="muted">
                    asked {d.requestedOn}
                    {d.closedOn ? `, closed ${d.closedOn}` : ''}
                    {d.interestCents > 0 ? `, with ${formatCents(d.interestCents)} interest` : ''} · {ruleLabel(d.rule)}
                  </span>
                </div>
              </li>
            ))}
          </ul>
        </details>
      )}
      {canRequire && evaluation.data && (
        <RequireDialog
          accountId={accountId}
          evaluation={evaluation.data}
          open={dialog === 'require'}
          onClose={() => setDialog(null)}
          onSaved={(d) => changed(`Deposit of ${formatCents(d.amountCents)} required in ${d.instalments.length} instalment${d.instalments.length === 1 ? '' : 's'}; the first (${formatCents(d.instalments[0]?.amountCents ?? 0)}) is billed today.`)}
        />
      )}
      {live && canRequire && (
        <CloseDialog
          how="apply"
          deposit={dialog === 'apply' ? live : null}
          onClose={() => setDialog(null)}
          onSaved={(d) => changed(`Deposit ${d.id} applied to the account: ${formatCents(closedCents(d))} credited${d.interestCents > 0 ? ` with ${formatCents(d.interestCents)} interest` : ''}. Any credit left is refunded.`)}
        />
      )}
      {live && canReturn && (
        <CloseDialog
          how="return"
          deposit={dialog === 'return' ? live : null}
          onClose={() => setDialog(null)}
          onSaved={(d) => changed(d.status === 'cancelled' ? `Deposit ${d.id} cancelled: nothing of it had been paid.` : `Deposit ${d.id} returned: ${formatCents(closedCents(d))}${d.interestCents > 0 ? ` and ${formatCents(d.interestCents)} interest` : ''}.`)}
        />
      )}
    </Card>
  );
}

/** What a closing credited: the amount of its closing event. */
const closedCents = (d: SecurityDeposit) => d.events[d.events.length - 1]?.amountCents ?? 0;

/** Whether the credit history calls for a deposit, why, and the most it may be. */
function EvaluationView({ e }: { e: SecurityDepositEvaluation }) {
  return (
    <div data-testid="deposit-evaluation" data-rule={e.decision.rule} data-required={e.decision.required}>
      <p className="small">
        {e.decision.required ? <span className="badge badge-warn">Deposit called for</span> : <span className="badge badge-good">No deposit called for</span>}{' '}
        <strong data-testid="deposit-rule">{ruleLabel(e.decision.rule)}</strong>: <span data-testid="deposit-rule-detail">{e.decision.detail}</span>
      </p>
      <Facts
        items={[
          ['Estimated annual bill', e.annualCents === null ? <span className="muted">Cannot be estimated</span> : formatCents(e.annualCents)],
          ['Most a deposit may be', e.capCents === null ? <span className="muted">No cap worked out: staff set the amount</span> : <strong data-testid="deposit-cap">{formatCents(e.capCents)}</strong>],
          ['Instalments', `Up to ${e.maxInstalments}, a month apart`],
        ]}
      />
    </div>
  );
}

/** The deposit billed or held: what it is, what is held, the interest so far, instalments and events. */
function LiveDeposit({ d }: { d: SecurityDeposit }) {
  const paid = d.instalments.filter((p) => p.paidOn !== null).length;
  return (
    <div data-testid="deposit-live" data-deposit-id={d.id}>
      <h3 className="subheading">Deposit {d.id}</h3>
      <p className="small" data-testid="deposit-status">
        <DepositBadge status={d.status} />{' '}
        {d.status === 'billing'
          ? `${paid} of ${d.instalments.length} instalment${d.instalments.length === 1 ? '' : 's'} paid; each is billed on the account as it falls due.`
          : `Paid in full on ${d.paidOn ?? '—'}; returned with its interest after the good-payment months.`}
      </p>
      <Facts
        items={[
          ['Deposit', <strong data-testid="deposit-amount">{formatCents(d.amountCents)}</strong>],
          ['Held (paid so far)', <span data-testid="deposit-held">{formatCents(d.heldCents)}</span>],
          ['Interest earned so far', <span data-testid="deposit-interest">{formatCents(d.accruedInterestCents)}</span>],
          ['Asked', d.requestedOn],
          ['Why', <span>{ruleLabel(d.rule)}: {d.ruleDetail}</span>],
        ]}
      />
      <h3 className="subheading">Instalments</h3>
      <DataTable columns={instalmentColumns} rows={d.instalments} rowKey={(p) => p.n} testId="deposit-instalments" />
      <h3 className="subheading">Events</h3>
      {d.events.length === 0 ? <Empty>No events yet.</Empty> : <DataTable columns={eventColumns} rows={[...d.events].reverse()} testId="deposit-events" />}
    </div>
  );
}

/**
 * Require a deposit: the amount (the cap by default; no more than it), the instalments (up to the
 * most the district allows) and the reason. The first instalment is billed today.
 */
function RequireDialog({ accountId, evaluation, open, onClose, onSaved }: { accountId: number; evaluation: SecurityDepositEvaluation; open: boolean; onClose(): void; onSaved(d: SecurityDeposit): void }) {
  const form = useSubmit(async (v) => {
    const amountCents = parseDollars(v.amount ?? '');
    if (amountCents === null) throw clientError('body.amountCents', 'Write the amount in dollars and cents, e.g. 150.00');
    if (amountCents === 0) throw clientError('body.amountCents', 'The amount cannot be zero');
    onSaved(await api.post<SecurityDeposit>(`/accounts/${accountId}/security-deposits`, { amountCents, instalments: Number(v.instalments || 1), reason: v.reason ?? '' }));
  }, open);
  const { error } = form;
  const cap = evaluation.capCents;
  const counts = Array.from({ length: evaluation.maxInstalments }, (_, i) => ({ value: String(i + 1), label: i === 0 ? '1 (all at once)' : `${i + 1}, a month apart` }));
  return (
    <FormDialog title="Require a security deposit" open={open} onClose={onClose} testId="require-deposit-dialog" form={form} submitLabel="Require deposit" submitTestId="save-require-deposit">
      <p className="field-wide">
        {evaluation.decision.required ? `The credit history calls for a deposit (${ruleLabel(evaluation.decision.rule).toLowerCase()}: ${evaluation.decision.detail}).` : `The credit history does not call for a deposit (${evaluation.decision.detail}); say why one is asked.`}{' '}
        Each instalment is billed on the account as it falls due; the first today.
      </p>
      <TextField
        label="Amount ($)"
        name="amount"
        field={['body.amountCents', 'amountCents']}
        error={error}
        inputMode="decimal"
        autoComplete="off"
        required
        className="mono"
        defaultValue={cap === null ? '' : formatCents(cap).replace('$', '')}
        hint={cap === null ? 'The annual bill cannot be estimated: give the amount' : `At most ${formatCents(cap)} (the cap)`}
      />
      <SelectField label="Instalments" name="instalments" field={['body.instalments', 'instalments']} error={error} options={counts} defaultValue="1" />
      <ReasonField error={error} required autoFocus placeholder="e.g. New service, no payment history with the district" />
    </FormDialog>
  );
}

/** Apply the deposit to the account's balance now (CSR II), or return it now (supervisor), with a reason. */
function CloseDialog({ how, deposit, onClose, onSaved }: { how: 'apply' | 'return'; deposit: SecurityDeposit | null; onClose(): void; onSaved(d: SecurityDeposit): void }) {
  const form = useSubmit(async (v) => {
    onSaved(await api.post<SecurityDeposit>(`/security-deposits/${deposit!.id}/${how}`, { reason: v.reason ?? '' }));
  }, deposit);
  const { error } = form;
  const unpaid = deposit ? deposit.instalments.some((p) => p.billedOn !== null && p.paidOn === null) : false;
  return (
    <FormDialog
      title={how === 'apply' ? 'Apply the deposit to the account' : 'Return the deposit now'}
      open={deposit !== null}
      onClose={onClose}
      testId={`${how}-deposit-dialog`}
      form={form}
      submitLabel={how === 'apply' ? 'Apply to account' : 'Return deposit'}
      submitTestId={`save-${how}-deposit`}
    >
      {deposit && (
        <p className="field-wide">
          The {formatCents(deposit.heldCents)} held and the {formatCents(deposit.accruedInterestCents)} interest earned are credited to the account
          {how === 'apply' ? ' against its balance; any credit left is refunded to the customer' : ' (or refunded, as the district\'s settings say)'}.
          {unpaid ? ' Instalments billed and not paid are taken off the account.' : ''}
        </p>
      )}
      <ReasonField error={error} required autoFocus placeholder={how === 'apply' ? 'e.g. Customer moving out; deposit against the final bill' : 'e.g. Customer asked; 12 months paid on time'} />
    </FormDialog>
  );
}
