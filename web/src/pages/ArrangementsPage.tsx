import { useRef, useState } from 'react';
import { api } from '../api.ts';
import { parseDollars } from '../billing/money.ts';
import { type Column } from '../components/DataTable.tsx';
import { FormDialog } from '../components/Dialog.tsx';
import { clientError, ErrorMessage, ReasonField, SelectField, TextField, useSubmit } from '../components/forms.tsx';
import { ListCard } from '../components/ListCard.tsx';
import { Card, Facts, PageHeader, SuccessBanner } from '../components/ui.tsx';
import { formatCents, utilityToday } from '../format.ts';
import { usePagedQuery, useQueryFilters } from '../hooks.ts';
import { AccountNumberField, useAccountPick } from '../payment/AccountPick.tsx';
import { ArrangementStatusBadge, arrangementKindLabel, InstalmentTable, StandingBadge } from '../protection/labels.tsx';
import { Link } from '../router.tsx';
import { useCan } from '../session.tsx';
import { arrangementStatuses, type Arrangement, type ArrangementListItem, type ArrangementQuote, type ArrangementReviewResult } from '../types.ts';

const dash = <span className="muted">—</span>;

/** The arrangement's request from the form: the arrears (blank: the delinquent balance), instalments by number or amount, the first due date. */
function arrangementBody(v: Record<string, string>) {
  const body: { arrearsCents?: number; instalments?: number; instalmentCents?: number; firstDueOn?: string } = {};
  if (v.arrears) {
    const cents = parseDollars(v.arrears);
    if (cents === null || cents === 0) throw clientError('body.arrearsCents', 'Write the arrears in dollars and cents, e.g. 300.00');
    body.arrearsCents = cents;
  }
  if (v.by === 'amount') {
    const cents = parseDollars(v.size ?? '');
    if (cents === null || cents === 0) throw clientError('body.instalmentCents', 'Write each instalment in dollars and cents, e.g. 50.00');
    body.instalmentCents = cents;
  } else {
    const n = Number(v.size);
    if (!Number.isInteger(n) || n < 1) throw clientError('body.instalments', 'Write how many monthly instalments, e.g. 6');
    body.instalments = n;
  }
  if (v.firstDueOn) body.firstDueOn = v.firstDueOn;
  return body;
}

/**
 * Making an arrangement for an account: its number, the arrears (the delinquent balance by
 * default), instalments by number or by amount, the first due date. "Show the schedule" works the
 * instalments out; "Make the arrangement" saves them with a reason.
 */
function MakeArrangementCard({ initialAccount, onMade }: { initialAccount: string; onMade(a: Arrangement): void }) {
  const pick = useAccountPick(undefined, initialAccount);
  const [quote, setQuote] = useState<ArrangementQuote | null>(null);
  const [by, setBy] = useState<'count' | 'amount'>('count');
  // Which button sent the form: "Show the schedule" or "Make the arrangement".
  const intent = useRef<'quote' | 'make'>('quote');
  const form = useSubmit(async (v) => {
    const found = await pick.resolve();
    const body = arrangementBody({ ...v, by });
    if (intent.current === 'quote' || !quote) {
      setQuote(await api.get<ArrangementQuote>(`/accounts/${found.account.id}/arrangements/quote`, body));
      return;
    }
    const made = await api.post<Arrangement>(`/accounts/${found.account.id}/arrangements`, { ...body, reason: v.reason ?? '' });
    setQuote(null);
    onMade(made);
  });
  const { error } = form;
  return (
    <Card title="Make an arrangement" testId="make-arrangement">
      <form
        className="form-grid"
        noValidate
        onSubmit={form.onSubmit}
        onChange={(e) => {
          if ((e.nativeEvent.target as HTMLInputElement | null)?.name !== 'reason') setQuote(null);
        }}
      >
        <ErrorMessage error={error} />
        <AccountNumberField pick={pick} error={error} required autoFocus />
        <TextField label="Arrears ($)" name="arrears" field={['body.arrearsCents', 'arrearsCents', 'querystring.arrearsCents']} error={error} inputMode="decimal" autoComplete="off" hint="Blank: what is owed by today (past due or due today)" />
        <SelectField label="Instalments by" name="by" options={[{ value: 'count', label: 'Number of months' }, { value: 'amount', label: 'Amount each month' }]} value={by} onChange={(e) => setBy(e.target.value as 'count' | 'amount')} />
        <TextField
          key={by}
          label={by === 'count' ? 'Monthly instalments' : 'Each instalment ($)'}
          name="size"
          field={by === 'count' ? ['body.instalments', 'instalments', 'querystring.instalments'] : ['body.instalmentCents', 'instalmentCents', 'querystring.instalmentCents']}
          error={error}
          inputMode={by === 'count' ? 'numeric' : 'decimal'}
          autoComplete="off"
          required
        />
        <TextField label="First instalment due" name="firstDueOn" type="date" field={['body.firstDueOn', 'firstDueOn', 'querystring.firstDueOn']} error={error} hint="Blank: a month from today" />
        {quote && (
          <div className="field-wide" data-testid="arrangement-quote">
            <Facts
              items={[
                ['Arrears', <strong data-testid="quote-arrears">{formatCents(quote.arrearsCents)}</strong>],
                ['Past due today', formatCents(quote.delinquentCents)],
                ['Starts', quote.startOn],
                ['Limit', `${quote.maxInstalments} instalments (${quote.supervisorMaxInstalments} with a supervisor)`],
              ]}
            />
            <InstalmentTable instalments={quote.instalments} testId="quote-instalments" />
          </div>
        )}
        {quote && <ReasonField error={error} required placeholder="e.g. Customer agreed $50.00 a month by phone" />}
        <div className="form-actions">
          <button type="submit" onClick={() => (intent.current = 'quote')} className={quote ? '' : 'button-primary'} disabled={form.busy} data-testid="quote-arrangement">Show the schedule</button>
          {quote && <button type="submit" onClick={() => (intent.current = 'make')} className="button-primary" disabled={form.busy} data-testid="save-arrangement">Make the arrangement</button>}
        </div>
      </form>
    </Card>
  );
}

/**
 * Today's review (CSR II): arrangements not in good standing are defaulted (the account goes back
 * to collections), those paid in full completed. The collections run does it first each day; a
 * second review the same day does nothing.
 */
function ReviewCard({ onDone }: { onDone(): void }) {
  const [result, setResult] = useState<ArrangementReviewResult | null>(null);
  const form = useSubmit(async () => {
    setResult(null);
    setResult(await api.post<ArrangementReviewResult>('/arrangements/review', {}));
    onDone();
  });
  return (
    <Card title="Today's review" testId="arrangement-review">
      <form onSubmit={form.onSubmit} noValidate>
        <ErrorMessage error={form.error} />
        <p className="small muted">Defaults each arrangement whose payments since it started do not cover the instalments and bills due before today, and completes each one paid in full. The daily collections run does this first.</p>
        <div className="form-actions">
          <button type="submit" className="button-primary" disabled={form.busy} data-testid="run-arrangement-review">{form.busy ? 'Reviewing…' : `Review ${utilityToday()}`}</button>
        </div>
      </form>
      {result && (
        <p className={result.defaulted.length + result.completed.length ? 'success-banner' : 'notice'} role="status" data-testid="arrangement-review-done">
          {result.defaulted.length + result.completed.length === 0
            ? `Review of ${result.date}: nothing to do.`
            : `Review of ${result.date}: ${result.defaulted.length} defaulted${result.defaulted.length ? ` (${result.defaulted.map((id) => `arrangement ${id}`).join(', ')})` : ''}, ${result.completed.length} completed${result.completed.length ? ` (${result.completed.map((id) => `arrangement ${id}`).join(', ')})` : ''}.`}
        </p>
      )}
    </Card>
  );
}

function CancelDialog({ arrangement, onClose, onSaved }: { arrangement: ArrangementListItem | null; onClose(): void; onSaved(a: Arrangement): void }) {
  const form = useSubmit(async (v) => {
    onSaved(await api.post<Arrangement>(`/arrangements/${arrangement!.id}/cancel`, { reason: v.reason ?? '' }));
  }, arrangement);
  return (
    <FormDialog title={arrangement ? `Cancel arrangement ${arrangement.id}` : 'Cancel an arrangement'} open={arrangement !== null} onClose={onClose} testId="cancel-arrangement-dialog" form={form} submitLabel="Cancel the arrangement" submitTestId="save-cancel-arrangement">
      {arrangement && <p className="field-wide">{arrangement.customerName}, account {arrangement.accountNumber}: {formatCents(arrangement.arrearsCents)} in {arrangement.instalments.length} instalments from {arrangement.startOn}. Once cancelled it no longer holds collections back.</p>}
      <ReasonField error={form.error} required autoFocus placeholder="e.g. Customer paid the arrears in full" />
    </FormDialog>
  );
}

/**
 * Payment arrangements: every arrangement by status with where each active one stands today;
 * making one for an account with its instalment schedule shown first; cancelling; today's review.
 */
export function ArrangementsPage() {
  const filters = useQueryFilters('status', 'account');
  const canMake = useCan('csr1');
  const canCancel = useCan('csr2');
  const list = usePagedQuery<ArrangementListItem>('/arrangements', { status: filters.status }, { limit: 25 });
  const [cancelling, setCancelling] = useState<ArrangementListItem | null>(null);
  const [done, setDone] = useState<string | null>(null);

  const columns: Column<ArrangementListItem>[] = [
    { header: 'Arrangement', className: 'nowrap', cell: (a) => <span className="mono">{a.id}</span> },
    {
      header: 'Account',
      cell: (a) => (
        <>
          <Link to={`/accounts/${a.accountId}`} className="mono" data-testid="arrangement-account">{a.accountNumber}</Link>
          <div className="small">{a.customerName}</div>
        </>
      ),
    },
    { header: 'Kind', className: 'nowrap', cell: (a) => arrangementKindLabel(a.kind) },
    { header: 'Status', cell: (a) => <span className="badge-row"><ArrangementStatusBadge status={a.status} />{a.status === 'active' && <StandingBadge standing={a.standing} />}</span> },
    { header: 'Arrears', className: 'num nowrap', cell: (a) => <span data-testid="arrangement-arrears">{formatCents(a.arrearsCents)}</span> },
    { header: 'Instalments', className: 'nowrap', cell: (a) => `${a.instalments.length} from ${a.instalments[0]?.dueOn ?? a.startOn}` },
    { header: 'Next due', className: 'nowrap', cell: (a) => (a.status === 'active' ? a.standing?.nextDueOn ?? dash : dash) },
    { header: 'Ended', cell: (a) => (a.endedOn ? <><span className="nowrap">{a.endedOn}</span><div className="small muted">{a.endReason}</div></> : dash) },
    {
      header: <span className="visually-hidden">Actions</span>, className: 'actions-cell',
      cell: (a) => canCancel && a.status === 'active' && <button type="button" className="button-small" onClick={() => { setDone(null); setCancelling(a); }} data-testid="cancel-arrangement" aria-label={`Cancel arrangement ${a.id}`}>Cancel</button>,
    },
  ];

  return (
    <>
      <PageHeader title="Payment arrangements" subtitle="The arrears in monthly instalments with the current bills due as usual. While an arrangement is in good standing no notice, disconnection or late fee is made; a missed instalment puts the account back into collections." />
      <SuccessBanner message={done} testId="arrangement-done" />
      {canMake && <MakeArrangementCard initialAccount={filters.account} onMade={(a) => { setDone(`Arrangement ${a.id} made: ${formatCents(a.arrearsCents)} in ${a.instalments.length} instalments, the first due ${a.instalments[0]?.dueOn}.`); list.reload(); }} />}
      {canCancel && <ReviewCard onDone={list.reload} />}
      <ListCard
        title="Arrangements"
        filterLabel="Filter arrangements"
        filters={<SelectField label="Status" name="status" options={arrangementStatuses} blank="Any status" defaultValue={filters.status} />}
        list={list}
        columns={columns}
        empty={filters.status ? `No ${filters.status} arrangements.` : 'No payment arrangements yet.'}
        testId="arrangements-table"
        newerLabel="Newer"
        olderLabel="Older"
      />
      {canCancel && (
        <CancelDialog
          arrangement={cancelling}
          onClose={() => setCancelling(null)}
          onSaved={(a) => {
            setCancelling(null);
            setDone(`Arrangement ${a.id} cancelled.`);
            list.reload();
          }}
        />
      )}
    </>
  );
}
