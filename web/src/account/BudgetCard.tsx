import { useState, type ReactNode } from 'react';
import { api, apiUrl } from '../api.ts';
import { ServiceTag } from '../billing/badges.tsx';
import { DataTable, type Column } from '../components/DataTable.tsx';
import { FormDialog } from '../components/Dialog.tsx';
import { CheckboxField, ReasonField, SelectField, useSubmit } from '../components/forms.tsx';
import { Card, Empty, Facts, LoadError, Loading, StatusBadge } from '../components/ui.tsx';
import { monthName, monthNames } from '../dates.ts';
import { formatCents } from '../format.ts';
import { useApi } from '../hooks.ts';
import { useCan } from '../session.tsx';
import type { AccountBudget, BudgetEvent, BudgetPlan, BudgetPlanDetail, BudgetQuote } from '../types.ts';

/** Words and pieces of budget billing shared by the account's card and the plans page. */

/** 3 -> `March`. */

const eventLabels: Record<BudgetEvent['kind'], string> = {
  enrolled: 'Enrolled',
  relevelled: 'New amount',
  reviewed: 'Reviewed, no change',
  settled: 'Yearly settle-up',
  ended: 'Ended',
};
const eventTone: Record<BudgetEvent['kind'], string> = { enrolled: 'good', relevelled: 'info', reviewed: 'muted', settled: 'info', ended: 'warn' };

export const endReasonLabels: Record<NonNullable<BudgetPlan['endReason']>, string> = {
  request: "at the customer's request",
  delinquency: 'for delinquency (budget amounts unpaid)',
  final_bill: 'with the final bill',
};

/**
 * The deferred balance in words: the bills beyond the budget amounts charged so far. Positive, the
 * customer is behind (the bills came to more); negative, ahead (the amounts came to more).
 */
export function DeferredBalance({ cents, testId }: { cents: number; testId?: string }) {
  return (
    <span data-testid={testId} data-cents={cents}>
      {cents > 0 ? (
        <><strong>{formatCents(cents)}</strong> behind</>
      ) : cents < 0 ? (
        <><strong className="credit">{formatCents(-cents)}</strong> ahead</>
      ) : (
        'Even'
      )}
    </span>
  );
}

/** The customer's letter of a budget-billing event, in a new tab. */
export function BudgetLetterLink({ event }: { event: Pick<BudgetEvent, 'id' | 'kind' | 'onDate'> }) {
  return (
    <a href={apiUrl(`/budget/events/${event.id}/letter.pdf`)} target="_blank" rel="noopener" data-testid="budget-letter" aria-label={`Letter to the customer: ${eventLabels[event.kind].toLowerCase()}, ${event.onDate} (PDF, opens in a new tab)`}>
      Letter <span aria-hidden="true">↗</span>
    </a>
  );
}

/** `$120.00 → $135.00`, or the one amount there is. */
function amountChange(e: BudgetEvent): ReactNode {
  const before = e.monthlyBeforeCents;
  const after = e.monthlyAfterCents;
  if (before !== null && after !== null && before !== after) return <>{formatCents(before)} → <strong>{formatCents(after)}</strong></>;
  if (after !== null) return formatCents(after);
  if (before !== null) return <span className="muted">was {formatCents(before)}</span>;
  return <span className="muted">—</span>;
}

const eventColumns: Column<BudgetEvent>[] = [
  { header: 'Date', className: 'nowrap', cell: (e) => e.onDate },
  { header: 'What', className: 'nowrap', cell: (e) => <span className={`badge badge-${eventTone[e.kind]}`} data-testid="budget-event-kind">{eventLabels[e.kind]}</span> },
  { header: 'Monthly amount', className: 'num nowrap', cell: amountChange },
  { header: 'Deferred then', className: 'nowrap', cell: (e) => <DeferredBalance cents={e.deferredCents} /> },
  { header: 'Reason', cell: (e) => e.reason },
  { header: <span className="visually-hidden">Letter</span>, className: 'actions-cell', cell: (e) => <BudgetLetterLink event={e} /> },
];

/** What a change just did: a sentence, and the letter it sent the customer. */
interface Done {
  text: string;
  letter: BudgetEvent | null;
}

/** The event a change just made: the plan's newest. */
const lastEvent = (plan: BudgetPlanDetail) => plan.events[plan.events.length - 1] ?? null;

/**
 * Budget billing of the account: the plan in force (the level monthly amount, the deferred balance
 * behind or ahead, the settle-up month, the next review) with its events and the letter of each;
 * a CSR ends it and a CSR II re-levels it, with a reason. With no plan: a quote of the amount (a
 * year of the account's use at today's rates) and whether it may enrol, then the enrolment.
 * `onChange` runs after a change (the budget alert, and an end puts the deferred balance due).
 */
export function BudgetCard({ accountId, onChange }: { accountId: number; onChange?(): void }) {
  const canEnrol = useCan('csr1');
  const canRelevel = useCan('csr2');
  const budget = useApi(`budget:${accountId}`, (signal) => api.get<AccountBudget>(`/accounts/${accountId}/budget`, undefined, signal));
  const [quoting, setQuoting] = useState(false);
  const [dialog, setDialog] = useState<'relevel' | 'end' | null>(null);
  const [done, setDone] = useState<Done | null>(null);
  const plan = budget.data?.plan ?? null;
  const history = budget.data?.history ?? [];

  const changed = (d: Done) => {
    setDialog(null);
    setQuoting(false);
    setDone(d);
    budget.reload();
    onChange?.();
  };

  return (
    <Card
      title="Budget billing"
      testId="budget-card"
      actions={
        budget.data && (
          plan ? (
            <>
              {canRelevel && (
                <button type="button" className="button-small" onClick={() => { setDone(null); setDialog('relevel'); }} data-testid="relevel-budget">
                  Re-level
                </button>
              )}
              {canEnrol && (
                <button type="button" className="button-small" onClick={() => { setDone(null); setDialog('end'); }} data-testid="end-budget">
                  End plan
                </button>
              )}
            </>
          ) : (
            <button type="button" className="button-small" onClick={() => { setDone(null); setQuoting(!quoting); }} aria-expanded={quoting} data-testid="quote-budget">
              {quoting ? 'Hide the quote' : 'Quote budget billing'}
            </button>
          )
        )
      }
    >
      {done && (
        <p className="success-banner small" role="status" data-testid="budget-done">
          {done.text} {done.letter && <BudgetLetterLink event={done.letter} />}
        </p>
      )}
      {budget.error ? (
        <LoadError error={budget.error} retry={budget.reload} />
      ) : !budget.data ? (
        <Loading what="Loading budget billing" />
      ) : plan ? (
        <PlanView plan={plan} events={budget.data.events} />
      ) : (
        <>
          {!quoting && <p className="muted" data-testid="budget-none">Not on budget billing: each bill is due as billed.</p>}
          {quoting && (
            <BudgetQuotePanel
              accountId={accountId}
              canEnrol={canEnrol}
              onEnrolled={(p) => changed({ text: `Enrolled in budget billing at ${formatCents(p.monthlyCents)} a month; the settle-up is with the ${monthName(p.settleMonth)} bill.`, letter: lastEvent(p) })}
            />
          )}
        </>
      )}
      {history.length > 0 && (
        <details className="alert-older" data-testid="budget-history">
          <summary>{history.length} ended plan{history.length === 1 ? '' : 's'}</summary>
          <ul className="alert-list">
            {history.map((p) => (
              <li key={p.id} className="alert-item">
                <div>
                  <span>Plan {p.id}: {formatCents(p.monthlyCents)} a month</span>{' '}
                  <span className="muted">
                    {p.enrolledOn} to {p.endedOn ?? '—'}, ended {p.endReason ? endReasonLabels[p.endReason] : ''}
                    {p.assistanceEligible ? ' · energy-assistance customer' : ''}
                  </span>
                </div>
              </li>
            ))}
          </ul>
        </details>
      )}
      {plan && canRelevel && (
        <RelevelDialog
          plan={dialog === 'relevel' ? plan : null}
          onClose={() => setDialog(null)}
          onSaved={(p) => {
            const e = lastEvent(p);
            const before = e?.monthlyBeforeCents ?? plan.monthlyCents;
            changed({
              text: before === p.monthlyCents ? `Re-levelled: the budget amount stays at ${formatCents(p.monthlyCents)} a month.` : `Re-levelled: the budget amount is ${formatCents(p.monthlyCents)} a month (was ${formatCents(before)}).`,
              letter: e,
            });
          }}
        />
      )}
      {plan && canEnrol && (
        <EndDialog
          plan={dialog === 'end' ? plan : null}
          onClose={() => setDialog(null)}
          onSaved={(p) => {
            const e = lastEvent(p);
            const deferred = e?.deferredCents ?? 0;
            changed({
              text: `Budget billing ended. ${deferred > 0 ? `The deferred balance of ${formatCents(deferred)} is now due.` : deferred < 0 ? `The ${formatCents(-deferred)} paid ahead is credited to the account.` : 'The bills and budget amounts were even.'} Each bill is due as billed from now on.`,
              letter: e,
            });
          }}
        />
      )}
    </Card>
  );
}

/** The plan in force and its events. */
function PlanView({ plan, events }: { plan: BudgetPlan; events: BudgetEvent[] }) {
  return (
    <>
      <p className="small" data-testid="budget-status">
        <StatusBadge status={plan.status} /> Pays {formatCents(plan.monthlyCents)} a month instead of each bill; the difference is settled with the {monthName(plan.settleMonth)} bill.
      </p>
      <Facts
        items={[
          ['Monthly amount', <strong className="quote-total" data-testid="budget-monthly">{formatCents(plan.monthlyCents)}</strong>],
          ['Deferred balance', <DeferredBalance cents={plan.deferredCents} testId="budget-deferred" />],
          ['Settle-up month', <span data-testid="budget-settle-month">{monthName(plan.settleMonth)}</span>],
          ['Next review', <span data-testid="budget-next-review">{plan.nextReviewOn}</span>],
          ['Enrolled', plan.enrolledOn],
          ['Energy assistance', <span data-testid="budget-assistance">{plan.assistanceEligible ? 'Eligible for low-income energy assistance' : 'Not eligible'}</span>],
        ]}
      />
      <h3 className="subheading">Events and letters</h3>
      {events.length === 0 ? <Empty>No events yet.</Empty> : <DataTable columns={eventColumns} rows={[...events].reverse()} testId="budget-events-table" />}
    </>
  );
}

const agreementColumns: Column<BudgetQuote['agreements'][number]>[] = [
  { header: 'Service', cell: (a) => <ServiceTag service={a.service} /> },
  { header: 'Rate', cell: (a) => <span className="mono">{a.rateCode}</span> },
  { header: 'A year', className: 'num nowrap', cell: (a) => <span data-testid="budget-quote-service-annual">{formatCents(a.annualCents)}</span> },
  { header: 'A month on average', className: 'num nowrap', cell: (a) => formatCents(Math.round(a.annualCents / 12)) },
  { header: 'Months estimated', className: 'num', cell: (a) => `${a.estimatedMonths} of ${a.months.length}` },
];

const settleOptions = monthNames.map((name, i) => ({ value: String(i + 1), label: name }));

/**
 * The quote: what the monthly amount would be today and whether the account may enrol (the rule
 * it fails, if any), asked again whenever the energy-assistance box or the settle-up month
 * changes; then the enrolment, with a reason.
 */
function BudgetQuotePanel({ accountId, canEnrol, onEnrolled }: { accountId: number; canEnrol: boolean; onEnrolled(plan: BudgetPlanDetail): void }) {
  const [assistance, setAssistance] = useState(false);
  const [settle, setSettle] = useState('');
  const [enrolling, setEnrolling] = useState(false);
  const quote = useApi(`budget-quote:${accountId}:${assistance}:${settle}`, (signal) =>
    api.get<BudgetQuote>(`/accounts/${accountId}/budget/quote`, { assistanceEligible: assistance || undefined, settleMonth: settle || undefined }, signal),
  );
  const q = quote.data;
  const months = q ? q.agreements.length * 12 : 0;

  return (
    <div data-testid="budget-quote">
      <div className="run-form-fields">
        <CheckboxField label="Eligible for low-income energy assistance" checked={assistance} onChange={(e) => setAssistance(e.currentTarget.checked)} data-testid="budget-assistance-check" />
        <SelectField label="Settle-up month" name="settleMonth" options={settleOptions} blank="Default: the plan's twelfth month" value={settle} onChange={(e) => setSettle(e.currentTarget.value)} />
      </div>
      <p className="small muted">Energy-assistance customers are exempt from the occupancy and enrolment-month rules.</p>
      {quote.error ? (
        <LoadError error={quote.error} retry={quote.reload} />
      ) : !q ? (
        <Loading what="Working out the budget amount" />
      ) : (
        <>
          {q.failure && (
            <div className="notice" data-testid="budget-ineligible" data-rule={q.failure.rule}>
              <p className="notice-title">This account cannot enrol</p>
              {q.failure.message}.
            </div>
          )}
          <h3 className="subheading">A year of the account's use at today's rates, as of {q.asOf}</h3>
          <Facts
            items={[
              ['Monthly amount', <strong className="quote-total" data-testid="budget-quote-monthly">{formatCents(q.monthlyCents)}</strong>],
              ['A year', <span data-testid="budget-quote-annual">{formatCents(q.annualCents)}</span>],
              ['Months estimated', <span data-testid="budget-quote-estimated">{q.estimatedMonths} of {months}</span>],
              ['Settle-up month', <span data-testid="budget-quote-settle-month">{monthName(q.settleMonth)}</span>],
            ]}
          />
          <p className="small muted">A month without a bill of the account's own is estimated from similar premises on the same rate that month, or else from its own average use.</p>
          <DataTable columns={agreementColumns} rows={q.agreements} rowKey={(a) => a.agreementId} testId="budget-quote-services" />
          <details className="read-chart-table">
            <summary>Month by month</summary>
            <table className="table">
              <thead>
                <tr>
                  <th scope="col">Month</th>
                  <th scope="col">Rate</th>
                  <th scope="col" className="num">Use</th>
                  <th scope="col" className="num">Cost</th>
                  <th scope="col">Source</th>
                </tr>
              </thead>
              <tbody>
                {q.agreements.flatMap((a) =>
                  a.months.map((m) => (
                    <tr key={`${a.agreementId}:${m.month}`}>
                      <td className="nowrap">{m.month}</td>
                      <td className="mono">{a.rateCode}</td>
                      <td className="num">{m.usage ?? '—'}</td>
                      <td className="num nowrap">{formatCents(m.cents)}</td>
                      <td>{m.usage === null ? 'Flat charge' : m.estimated ? <span className="badge badge-warn">Estimated</span> : 'Billed'}</td>
                    </tr>
                  )),
                )}
              </tbody>
            </table>
          </details>
          {q.eligible && canEnrol && (
            <div className="form-actions">
              <button type="button" className="button-primary" onClick={() => setEnrolling(true)} data-testid="enrol-budget">
                Enrol at {formatCents(q.monthlyCents)} a month
              </button>
            </div>
          )}
          {canEnrol && (
            <EnrolDialog
              accountId={accountId}
              quote={enrolling && q.eligible ? q : null}
              assistance={assistance}
              settle={settle}
              onClose={() => setEnrolling(false)}
              onSaved={(p) => {
                setEnrolling(false);
                onEnrolled(p);
              }}
            />
          )}
        </>
      )}
    </div>
  );
}

function EnrolDialog({ accountId, quote, assistance, settle, onClose, onSaved }: { accountId: number; quote: BudgetQuote | null; assistance: boolean; settle: string; onClose(): void; onSaved(plan: BudgetPlanDetail): void }) {
  const form = useSubmit(async (v) => {
    onSaved(await api.post<BudgetPlanDetail>(`/accounts/${accountId}/budget`, {
      assistanceEligible: assistance,
      settleMonth: settle ? Number(settle) : undefined,
      reason: v.reason ?? '',
    }));
  }, quote);
  const { error } = form;
  return (
    <FormDialog title="Enrol in budget billing" open={quote !== null} onClose={onClose} testId="enrol-budget-dialog" form={form} submitLabel="Enrol" submitTestId="save-enrol-budget">
      {quote && (
        <p className="field-wide">
          {formatCents(quote.monthlyCents)} a month from today instead of each bill, the difference settled with the {monthName(quote.settleMonth)} bill
          {assistance ? '; the customer is eligible for low-income energy assistance' : ''}. The customer is sent a letter.
        </p>
      )}
      <ReasonField error={error} required autoFocus placeholder="e.g. Customer asked for level payments by phone" />
    </FormDialog>
  );
}

function RelevelDialog({ plan, onClose, onSaved }: { plan: BudgetPlan | null; onClose(): void; onSaved(plan: BudgetPlanDetail): void }) {
  const form = useSubmit(async (v) => {
    onSaved(await api.post<BudgetPlanDetail>(`/budget/plans/${plan!.id}/relevel`, { reason: v.reason ?? '' }));
  }, plan);
  const { error } = form;
  return (
    <FormDialog title="Re-level the budget amount" open={plan !== null} onClose={onClose} testId="relevel-budget-dialog" form={form} submitLabel="Re-level" submitTestId="save-relevel-budget">
      {plan && (
        <p className="field-wide">
          The amount ({formatCents(plan.monthlyCents)} a month) is set again now from a year of use at today's rates, with the deferred balance (<DeferredBalance cents={plan.deferredCents} />) spread over the months to the {monthName(plan.settleMonth)} settle-up. The customer is sent a letter.
        </p>
      )}
      <ReasonField error={error} required autoFocus placeholder="e.g. Rates changed; customer asked for a new amount" />
    </FormDialog>
  );
}

function EndDialog({ plan, onClose, onSaved }: { plan: BudgetPlan | null; onClose(): void; onSaved(plan: BudgetPlanDetail): void }) {
  const form = useSubmit(async (v) => {
    onSaved(await api.post<BudgetPlanDetail>(`/budget/plans/${plan!.id}/end`, { reason: v.reason ?? '' }));
  }, plan);
  const { error } = form;
  return (
    <FormDialog title="End budget billing" open={plan !== null} onClose={onClose} testId="end-budget-dialog" form={form} submitLabel="End plan" submitTestId="save-end-budget">
      {plan && (
        <p className="field-wide">
          {plan.deferredCents > 0
            ? `The deferred balance of ${formatCents(plan.deferredCents)} falls due on the account now.`
            : plan.deferredCents < 0
              ? `The ${formatCents(-plan.deferredCents)} paid ahead is credited to the account.`
              : 'The bills and budget amounts are even.'}{' '}
          From now on each bill is due as billed. The customer is sent a letter.
        </p>
      )}
      <ReasonField error={error} required autoFocus placeholder="e.g. Customer asked to stop budget billing" />
    </FormDialog>
  );
}
