import { useState } from 'react';
import { api } from '../api.ts';
import { DeferredBalance, endReasonLabels } from '../account/BudgetCard.tsx';
import { monthName } from '../dates.ts';
import { DataTable, type Column } from '../components/DataTable.tsx';
import { ErrorMessage, SelectField, useSubmit } from '../components/forms.tsx';
import { ListCard } from '../components/ListCard.tsx';
import { Card, Facts, PageHeader, StatusBadge } from '../components/ui.tsx';
import { formatCents, humanize } from '../format.ts';
import { usePagedQuery, useQueryFilters } from '../hooks.ts';
import { Link } from '../router.tsx';
import { useCan } from '../session.tsx';
import { budgetPlanStatuses, type BudgetPlanListItem, type BudgetReviewResult } from '../types.ts';

const dash = <span className="muted">—</span>;

const columns: Column<BudgetPlanListItem>[] = [
  { header: 'Plan', className: 'nowrap', cell: (p) => <span className="mono">Plan {p.id}</span> },
  {
    header: 'Account',
    cell: (p) => (
      <>
        <Link to={`/accounts/${p.accountId}`} className="mono" data-testid="budget-plan-account">{p.accountNumber}</Link>
        <div className="small">{p.customerName}</div>
      </>
    ),
  },
  {
    header: 'Status',
    cell: (p) => (
      <span className="badge-row">
        <StatusBadge status={p.status} />
        {p.assistanceEligible && <span className="badge badge-info" title="Eligible for low-income energy assistance">Assistance</span>}
      </span>
    ),
  },
  { header: 'Monthly', className: 'num nowrap', cell: (p) => <span data-testid="budget-plan-monthly">{formatCents(p.monthlyCents)}</span> },
  { header: 'Deferred', className: 'nowrap', cell: (p) => (p.status === 'active' ? <DeferredBalance cents={p.deferredCents} /> : dash) },
  { header: 'Settle-up', className: 'nowrap', cell: (p) => monthName(p.settleMonth) },
  { header: 'Enrolled', className: 'nowrap', cell: (p) => p.enrolledOn },
  {
    header: 'Next review or end',
    cell: (p) =>
      p.status === 'active' ? (
        <span className="nowrap">Review {p.nextReviewOn}</span>
      ) : (
        <>
          <span className="nowrap">Ended {p.endedOn}</span>
          {p.endReason && <div className="small muted">{endReasonLabels[p.endReason]}</div>}
        </>
      ),
  },
];

type Reviewed = BudgetReviewResult['plans'][number];

const actionWords: Record<Reviewed['action'], string> = { relevelled: 'New amount', unchanged: 'No change', ended: 'Ended for delinquency' };

const reviewColumns: Column<Reviewed>[] = [
  { header: 'Plan', className: 'nowrap', cell: (r) => <span className="mono">Plan {r.planId}</span> },
  { header: 'Account', className: 'nowrap', cell: (r) => <Link to={`/accounts/${r.accountId}`}>Account {r.accountId}</Link> },
  { header: 'What', cell: (r) => actionWords[r.action] ?? humanize(r.action) },
  {
    header: 'Monthly amount',
    className: 'num nowrap',
    cell: (r) => (r.monthlyAfterCents === null ? <span className="muted">was {formatCents(r.monthlyBeforeCents)}</span> : r.monthlyAfterCents !== r.monthlyBeforeCents ? <>{formatCents(r.monthlyBeforeCents)} → <strong>{formatCents(r.monthlyAfterCents)}</strong></> : formatCents(r.monthlyAfterCents)),
  },
  { header: 'Deferred', className: 'nowrap', cell: (r) => <DeferredBalance cents={r.deferredCents} /> },
];

/**
 * Today's budget job, run by hand (supervisors): ends the plans delinquent beyond the set days and
 * reviews the plans whose review date has come, re-levelling those that drifted. A second run the
 * same day finds nothing to do.
 */
function RunReviewCard({ onDone }: { onDone(): void }) {
  const [result, setResult] = useState<BudgetReviewResult | null>(null);
  const form = useSubmit(async () => {
    setResult(null);
    setResult(await api.post<BudgetReviewResult>('/budget/review', {}));
    onDone();
  });
  return (
    <Card title="Today's review" testId="budget-review">
      <form onSubmit={form.onSubmit} noValidate data-testid="budget-review-form">
        <ErrorMessage error={form.error} />
        <p className="small muted">
          Ends the plans whose budget amount is unpaid too long after it was due (the deferred balance falls due), and reviews the plans due for review: an amount whose deferred balance has drifted beyond the set share of a year's budget is re-levelled. Each customer is sent a letter. Run again the same day, it finds nothing to do.
        </p>
        <div className="form-actions">
          <button type="submit" className="button-primary" disabled={form.busy} data-testid="run-budget-review">
            {form.busy ? 'Reviewing…' : "Run today's review"}
          </button>
        </div>
      </form>
      {result && (
        <div data-testid="budget-review-result">
          <p className="success-banner deposit-made" role="status" data-testid="budget-review-done">
            Review of {result.date}: {result.reviewed} plan{result.reviewed === 1 ? '' : 's'} reviewed ({result.relevelled} re-levelled, {result.unchanged} unchanged), {result.endedForDelinquency} ended for delinquency.
          </p>
          <Facts
            items={[
              ['Reviewed', <span data-testid="review-reviewed">{result.reviewed}</span>],
              ['Re-levelled', <span data-testid="review-relevelled">{result.relevelled}</span>],
              ['Unchanged', <span data-testid="review-unchanged">{result.unchanged}</span>],
              ['Ended for delinquency', <span data-testid="review-ended">{result.endedForDelinquency}</span>],
            ]}
          />
          {result.plans.length > 0 && <DataTable columns={reviewColumns} rows={result.plans} rowKey={(r) => r.planId} testId="budget-review-plans" />}
        </div>
      )}
    </Card>
  );
}

/** Budget plans: every plan, newest first, active or ended, each with its account; supervisors run today's review. */
export function BudgetPlansPage() {
  const filters = useQueryFilters('status');
  const canReview = useCan('supervisor');
  const list = usePagedQuery<BudgetPlanListItem>('/budget/plans', { status: filters.status }, { limit: 25 });
  return (
    <>
      <PageHeader
        title="Budget plans"
        subtitle="Accounts that pay a level monthly amount instead of their bills. The difference (the deferred balance) is settled once a year; plans are reviewed every few months. Enrol an account from its page."
      />
      {canReview && <RunReviewCard onDone={list.reload} />}
      <ListCard
        title="Plans"
        filterLabel="Filter budget plans"
        filters={<SelectField label="Status" name="status" options={budgetPlanStatuses} blank="Active or ended" defaultValue={filters.status} />}
        list={list}
        columns={columns}
        empty={filters.status ? `No ${filters.status} budget plans.` : 'No budget plans yet.'}
        testId="budget-plans-table"
        newerLabel="Newer"
        olderLabel="Older"
      />
    </>
  );
}
