import { useState } from 'react';
import { api } from '../api.ts';
import { DepositBadge, ruleLabel } from '../account/DepositCard.tsx';
import { DataTable, type Column } from '../components/DataTable.tsx';
import { ErrorMessage, SelectField, useSubmit } from '../components/forms.tsx';
import { ListCard } from '../components/ListCard.tsx';
import { Card, Facts, PageHeader } from '../components/ui.tsx';
import { formatCents, humanize } from '../format.ts';
import { usePagedQuery, useQueryFilters } from '../hooks.ts';
import { Link } from '../router.tsx';
import { useCan } from '../session.tsx';
import { securityDepositStatuses, type SecurityDepositListItem, type SecurityDepositRunResult } from '../types.ts';

const dash = <span className="muted">—</span>;

const columns: Column<SecurityDepositListItem>[] = [
  { header: 'Deposit', className: 'nowrap', cell: (d) => <span className="mono">Deposit {d.id}</span> },
  {
    header: 'Account',
    cell: (d) => (
      <>
        <Link to={`/accounts/${d.accountId}`} className="mono" data-testid="deposit-account">{d.accountNumber}</Link>
        <div className="small">{d.customerName}</div>
      </>
    ),
  },
  { header: 'Status', cell: (d) => <DepositBadge status={d.status} testId="deposit-list-status" /> },
  { header: 'Amount', className: 'num nowrap', cell: (d) => <span data-testid="deposit-list-amount">{formatCents(d.amountCents)}</span> },
  { header: 'Instalments', className: 'num', cell: (d) => d.instalments },
  { header: 'Rule', cell: (d) => ruleLabel(d.rule) },
  { header: 'Asked', className: 'nowrap', cell: (d) => d.requestedOn },
  { header: 'Paid in full', className: 'nowrap', cell: (d) => d.paidOn ?? dash },
  { header: 'Closed', className: 'nowrap', cell: (d) => (d.closedOn ? <>{d.closedOn}{d.interestCents > 0 && <div className="small muted">{formatCents(d.interestCents)} interest</div>}</> : dash) },
];

type Acted = SecurityDepositRunResult['deposits'][number];

const actionWords: Record<string, string> = { billed: 'Instalment billed', held: 'Paid in full: held', returned: 'Returned after good payment', applied: 'Applied: service ended' };

const runColumns: Column<Acted>[] = [
  { header: 'Deposit', className: 'nowrap', cell: (a) => <span className="mono">Deposit {a.depositId}</span> },
  { header: 'Account', className: 'nowrap', cell: (a) => <Link to={`/accounts/${a.accountId}`}>Account {a.accountId}</Link> },
  { header: 'What', cell: (a) => actionWords[a.action] ?? humanize(a.action) },
  { header: 'Amount', className: 'num nowrap', cell: (a) => (a.cents ? formatCents(a.cents) : dash) },
];

/**
 * Today's deposit job, run by hand (supervisors): bills the instalments that fall due, notes those
 * paid, applies the deposits of accounts whose service has ended and returns those held through
 * the good-payment months. A second run the same day finds nothing to do.
 */
function RunJobCard({ onDone }: { onDone(): void }) {
  const [result, setResult] = useState<SecurityDepositRunResult | null>(null);
  const form = useSubmit(async () => {
    setResult(null);
    setResult(await api.post<SecurityDepositRunResult>('/security-deposits/run', {}));
    onDone();
  });
  return (
    <Card title="Today's deposit job" testId="deposit-job">
      <form onSubmit={form.onSubmit} noValidate data-testid="deposit-job-form">
        <ErrorMessage error={form.error} />
        <p className="small muted">
          Bills the instalments that fall due today, notes the instalments paid (a deposit paid in full is then held and earns interest), applies the deposits of accounts whose service has ended to their final bills, and returns with interest the deposits held through the months of good payment. Run again the same day, it finds nothing to do.
        </p>
        <div className="form-actions">
          <button type="submit" className="button-primary" disabled={form.busy} data-testid="run-deposit-job">
            {form.busy ? 'Running…' : "Run today's deposit job"}
          </button>
        </div>
      </form>
      {result && (
        <div data-testid="deposit-job-result">
          <p className="success-banner deposit-made" role="status" data-testid="deposit-job-done">
            Deposit job of {result.date}: {result.billed} instalment{result.billed === 1 ? '' : 's'} billed, {result.paid} paid, {result.returned} deposit{result.returned === 1 ? '' : 's'} returned, {result.applied} applied.
          </p>
          <Facts
            items={[
              ['Instalments billed', <span data-testid="job-billed">{result.billed}</span>],
              ['Instalments paid', <span data-testid="job-paid">{result.paid}</span>],
              ['Deposits returned', <span data-testid="job-returned">{result.returned}</span>],
              ['Deposits applied', <span data-testid="job-applied">{result.applied}</span>],
            ]}
          />
          {result.deposits.length > 0 && <DataTable columns={runColumns} rows={result.deposits} rowKey={(a) => `${a.depositId}:${a.action}`} testId="deposit-job-deposits" />}
        </div>
      )}
    </Card>
  );
}

/** Security deposits: every deposit, newest first, with its account; supervisors run today's deposit job. */
export function SecurityDepositsPage() {
  const filters = useQueryFilters('status');
  const canRun = useCan('supervisor');
  const list = usePagedQuery<SecurityDepositListItem>('/security-deposits', { status: filters.status }, { limit: 25 });
  return (
    <>
      <PageHeader
        title="Security deposits"
        subtitle="Deposits asked of accounts whose credit history calls for one, billed in instalments, held with interest and returned after a year of good payment, or applied to the final bill. Require a deposit from the account's page."
      />
      {canRun && <RunJobCard onDone={list.reload} />}
      <ListCard
        title="Deposits"
        filterLabel="Filter security deposits"
        filters={<SelectField label="Status" name="status" options={securityDepositStatuses} blank="Any status" defaultValue={filters.status} />}
        list={list}
        columns={columns}
        empty={filters.status ? `No ${filters.status} security deposits.` : 'No security deposits yet.'}
        testId="security-deposits-table"
        newerLabel="Newer"
        olderLabel="Older"
      />
    </>
  );
}
