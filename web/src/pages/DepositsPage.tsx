import { useState } from 'react';
import { api, apiUrl } from '../api.ts';
import { DataTable, type Column } from '../components/DataTable.tsx';
import { ErrorMessage, TextField, useSubmit } from '../components/forms.tsx';
import { Card, Empty, LoadError, Loading, PageHeader } from '../components/ui.tsx';
import { formatCents, formatTimestamp, utilityToday } from '../format.ts';
import { useApi } from '../hooks.ts';
import { Link } from '../router.tsx';
import { useCan } from '../session.tsx';
import { RangeFilter, useRange } from '../payment/RangeFilter.tsx';
import type { Deposit, DepositDetail } from '../types.ts';

/** The deposit slip, in a new tab. */
function SlipLink({ depositId }: { depositId: number }) {
  return (
    <a href={apiUrl(`/deposits/${depositId}/slip.pdf`)} target="_blank" rel="noopener" data-testid="deposit-slip" aria-label={`Deposit slip of deposit ${depositId} (PDF, opens in a new tab)`}>
      Slip <span aria-hidden="true">↗</span>
    </a>
  );
}

const columns: Column<DepositDetail>[] = [
  { header: 'Deposit', className: 'nowrap', cell: (d) => <strong>Deposit {d.id}</strong> },
  { header: 'Day', className: 'nowrap', cell: (d) => d.businessDate },
  {
    header: 'Batches',
    cell: (d) => (
      <span className="badge-row">
        {d.batches.map((b) => (
          <Link key={b.id} to={`/payments/batches/${b.id}`}>Batch {b.id}</Link>
        ))}
      </span>
    ),
  },
  { header: 'Items', className: 'num', cell: (d) => d.itemCount },
  { header: 'Cash', className: 'num nowrap', cell: (d) => formatCents(d.cashCents) },
  { header: 'Checks', className: 'num nowrap', cell: (d) => formatCents(d.checkCents) },
  { header: 'Slip total', className: 'num nowrap', cell: (d) => <strong data-testid="deposit-total">{formatCents(d.cashCents + d.checkCents)}</strong> },
  { header: 'Card', className: 'num nowrap', cell: (d) => (d.electronicCents ? formatCents(d.electronicCents) : <span className="muted">{formatCents(0)}</span>) },
  {
    header: 'Corrections since',
    className: 'nowrap',
    cell: (d) =>
      d.correctionCents === 0 ? (
        <span className="muted">None</span>
      ) : (
        <span data-testid="deposit-correction">
          <span className="badge badge-warn">{d.correctionCents > 0 ? '+' : ''}{formatCents(d.correctionCents)}</span> now {formatCents(d.correctedTotalCents)}
        </span>
      ),
  },
  { header: 'Made', className: 'nowrap', cell: (d) => formatTimestamp(d.createdAt) },
  { header: <span className="visually-hidden">Slip</span>, className: 'actions-cell', cell: (d) => <SlipLink depositId={d.id} /> },
];

/** Make the day's deposit: every closed counter and mail batch not yet deposited, up to the day. */
function MakeDepositCard({ onMade }: { onMade(): void }) {
  const [made, setMade] = useState<Deposit | null>(null);
  const form = useSubmit(async (v) => {
    setMade(null);
    setMade(await api.post<Deposit>('/deposits', { date: v.date }));
    onMade();
  });
  const { error, busy, onSubmit } = form;
  return (
    <Card title="Make the deposit" testId="make-deposit">
      <form onSubmit={onSubmit} noValidate data-testid="make-deposit-form">
        <ErrorMessage error={error} />
        <div className="run-form-fields">
          <TextField label="Date" name="date" type="date" field={['body.date', 'date']} error={error} defaultValue={utilityToday()} required hint="Takes the closed counter and mail batches of this day and before" />
          <div className="form-actions">
            <button type="submit" className="button-primary" disabled={busy} data-testid="save-deposit">
              {busy ? 'Making…' : 'Make the deposit'}
            </button>
          </div>
        </div>
      </form>
      {made && (
        <p className="success-banner deposit-made" role="status" data-testid="deposit-done">
          Deposit {made.id} for {made.businessDate}: {formatCents(made.cashCents + made.checkCents)} ({formatCents(made.cashCents)} cash, {formatCents(made.checkCents)} checks), {made.itemCount} item{made.itemCount === 1 ? '' : 's'} from batch{made.batchIds.length === 1 ? '' : 'es'} {made.batchIds.join(', ')}. <SlipLink depositId={made.id} />
        </p>
      )}
    </Card>
  );
}

/**
 * Bank deposits: the day's deposit made from the closed counter and mail batches (CSR II and up),
 * and the deposits of a range with their batches, any correction since, and the slip.
 */
export function DepositsPage() {
  const canDeposit = useCan('csr2');
  const range = useRange(7);
  const list = useApi(`deposits:${range.from}:${range.to}`, (signal) => api.get<{ items: DepositDetail[] }>('/deposits', range, signal));
  const items = list.data?.items ?? [];
  return (
    <>
      <PageHeader
        title="Deposits"
        subtitle="The day's cash and checks taken to the bank. Card, ACH, wire and online bill-pay money reaches the bank by itself: see the deposit summary and reconciliation."
        actions={<Link to={`/payments/reports/deposit-summary?from=${range.from}&to=${range.to}`} className="button">Deposit summary</Link>}
      />
      {canDeposit && <MakeDepositCard onMade={list.reload} />}
      <Card title={`Deposits, ${range.from} to ${range.to}`} testId="deposits-card">
        <RangeFilter label="Choose the deposits' days" range={range} />
        {list.error ? (
          <LoadError error={list.error} retry={list.reload} />
        ) : !list.data ? (
          <Loading what="Loading the deposits" />
        ) : items.length === 0 ? (
          <Empty>No deposits in these days.</Empty>
        ) : (
          <>
            <DataTable columns={columns} rows={items} testId="deposits-table" />
            <p className="small muted" data-testid="deposits-summary">
              {items.length} deposit{items.length === 1 ? '' : 's'}, {formatCents(items.reduce((a, d) => a + d.cashCents + d.checkCents, 0))} in cash and checks. Card payments taken at the counter reach the bank from the card processor, not on the slip.
            </p>
          </>
        )}
      </Card>
    </>
  );
}
