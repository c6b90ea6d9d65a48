import { useState, type FormEvent } from 'react';
import { api } from '../api.ts';
import { DataTable, type Column } from '../components/DataTable.tsx';
import { SelectField, TextField } from '../components/forms.tsx';
import { Card, Empty, LoadError, Loading, PageHeader, SuccessBanner } from '../components/ui.tsx';
import { formatCents, formatTimestamp, utilityToday } from '../format.ts';
import { useApi, useQueryFilters } from '../hooks.ts';
import { Link, setQuery } from '../router.tsx';
import { useCan } from '../session.tsx';
import { channelLabel, channelLabels, PaymentBadge } from '../payment/labels.tsx';
import { ImportFileLink } from '../payment/ImportFileLink.tsx';
import { MyDrawerButton } from '../payment/MyDrawerButton.tsx';
import { CloseBatchDialog } from '../payment/PaymentDialogs.tsx';
import { paymentChannels, type BatchSummary } from '../types.ts';

/** `day` in the URL: absent is today, `all` is every day. */
const allDays = 'all';

/**
 * The filters of the batch list, kept in the URL. Like FilterBar, except that a blank day means
 * every day (kept as day=all), while no day at all (a fresh visit, or Clear) means today.
 */
function BatchFilters({ day, status, channel }: { day: string; status: string; channel: string }) {
  const onSubmit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const data = new FormData(event.currentTarget);
    const value = (name: string) => String(data.get(name) ?? '').trim();
    setQuery({ day: value('day') || allDays, status: value('status'), channel: value('channel') });
  };
  return (
    <form className="filter-bar" role="search" aria-label="Filter payment batches" onSubmit={onSubmit} key={`${day}|${status}|${channel}`}>
      <TextField label="Day" name="day" type="date" defaultValue={day} hint="Blank: every day" />
      <SelectField label="Status" name="status" options={['open', 'closed']} blank="Open or closed" defaultValue={status} />
      <SelectField label="Channel" name="channel" options={paymentChannels.map((c) => ({ value: c, label: channelLabels[c] }))} blank="Any channel" defaultValue={channel} />
      <div className="filter-actions">
        <button type="submit" className="button-primary">Filter</button>
        <button type="button" onClick={() => setQuery({ day: null, status: null, channel: null })}>Today</button>
      </div>
    </form>
  );
}

/** The columns of a batch list; `close` adds a Close button to open batches. */
function batchColumns(close: ((b: BatchSummary) => void) | null): Column<BatchSummary>[] {
  const columns: Column<BatchSummary>[] = [
    { header: 'Batch', className: 'nowrap', cell: (b) => <Link to={`/payments/batches/${b.id}`} data-testid="batch-link">Batch {b.id}</Link> },
    { header: 'Day', className: 'nowrap', cell: (b) => b.businessDate },
    { header: 'Channel', cell: (b) => channelLabel(b.channel) },
    { header: 'What', cell: (b) => b.note ?? (b.importId ? <ImportFileLink importId={b.importId}>File of import {b.importId}</ImportFileLink> : <span className="muted">—</span>) },
    { header: 'Status', cell: (b) => <PaymentBadge status={b.status} testId="batch-status" /> },
    { header: 'Payments', className: 'num', cell: (b) => <span data-testid="batch-count">{b.count}</span> },
    { header: 'Cash', className: 'num nowrap', cell: (b) => formatCents(b.cashCents) },
    { header: 'Checks', className: 'num nowrap', cell: (b) => formatCents(b.checkCents) },
    { header: 'Total', className: 'num nowrap', cell: (b) => <strong data-testid="batch-total">{formatCents(b.totalCents)}</strong> },
    { header: 'Deposit', className: 'nowrap', cell: (b) => (b.depositId ? <Link to={`/payments/deposits?from=${b.businessDate}&to=${b.businessDate}`}>Deposit {b.depositId}</Link> : <span className="muted">—</span>) },
    { header: 'Closed', className: 'nowrap', cell: (b) => (b.closedAt ? formatTimestamp(b.closedAt) : <span className="muted">—</span>) },
  ];
  if (close) {
    columns.push({
      header: <span className="visually-hidden">Actions</span>,
      className: 'actions-cell',
      cell: (b) =>
        b.status === 'open' && (
          <button type="button" className="button-small" onClick={() => close(b)} aria-label={`Close batch ${b.id}`} data-testid="close-batch">
            Close
          </button>
        ),
    });
  }
  return columns;
}

/**
 * Payment batches: the cash drawers of the counter and the batch of each imported file, today's by
 * default, with what each holds. A batch closes once the count and total staff counted match it.
 */
export function PaymentBatchesPage() {
  const filters = useQueryFilters('day', 'status', 'channel');
  const today = utilityToday();
  const day = filters.day === allDays ? '' : filters.day || today;
  const canClose = useCan('csr1');
  const list = useApi(`payment-batches:${day}:${filters.status}:${filters.channel}`, (signal) =>
    api.get<{ items: BatchSummary[] }>('/payment-batches', { day, status: filters.status, channel: filters.channel }, signal),
  );
  const [closing, setClosing] = useState<BatchSummary | null>(null);
  const [done, setDone] = useState<string | null>(null);
  const items = list.data?.items ?? [];
  const total = items.reduce((a, b) => a + b.totalCents, 0);
  const count = items.reduce((a, b) => a + b.count, 0);

  return (
    <>
      <PageHeader
        title="Payment batches"
        subtitle="Each clerk's cash drawer for the day, and a batch per imported file. A batch closes when it balances; closed counter and mail batches go into the day's deposit."
        actions={<MyDrawerButton className="button-primary" />}
      />
      <SuccessBanner message={done} testId="batch-done" />
      <Card title={day ? (day === today ? `Batches of today, ${day}` : `Batches of ${day}`) : 'Batches of every day'} testId="batches-card">
        <BatchFilters day={filters.day === allDays ? '' : day} status={filters.status} channel={filters.channel} />
        {list.error ? (
          <LoadError error={list.error} retry={list.reload} />
        ) : !list.data ? (
          <Loading what="Loading the batches" />
        ) : items.length === 0 ? (
          <Empty>No batches{day ? ` on ${day}` : ''}.</Empty>
        ) : (
          <>
            <DataTable columns={batchColumns(canClose ? (b) => { setDone(null); setClosing(b); } : null)} rows={items} testId="batches-table" />
            <p className="small muted" data-testid="batches-summary">
              {items.length} batch{items.length === 1 ? '' : 'es'}, {count} payment{count === 1 ? '' : 's'}, {formatCents(total)}.
            </p>
          </>
        )}
      </Card>
      {canClose && (
        <CloseBatchDialog
          batch={closing}
          onClose={() => setClosing(null)}
          onSaved={(b) => {
            setClosing(null);
            setDone(`Batch ${b.id} balanced and closed: ${b.expectedCount} payments, ${formatCents(b.expectedCents ?? 0)}.`);
            list.reload();
          }}
        />
      )}
    </>
  );
}
