import { useState } from 'react';
import { api, apiUrl } from '../api.ts';
import { DataTable, type Column } from '../components/DataTable.tsx';
import { SelectField, TextField } from '../components/forms.tsx';
import { FilterBar } from '../components/FilterBar.tsx';
import { Card, Empty, LoadError, Loading, PageHeader, SuccessBanner } from '../components/ui.tsx';
import { formatCents, formatTimestamp } from '../format.ts';
import { useApi, useQueryFilters } from '../hooks.ts';
import { Link } from '../router.tsx';
import { useCan } from '../session.tsx';
import { methodLabel, ReturnBadge, returnSourceLabels } from '../payment/labels.tsx';
import { FollowUpDialog } from '../payment/PaymentDialogs.tsx';
import type { ReturnedPayment } from '../types.ts';

/** The letter to the customer, in a new tab. */
function LetterLink({ item }: { item: ReturnedPayment }) {
  return (
    <a href={apiUrl(`/payment-returns/${item.id}/letter.pdf`)} target="_blank" rel="noopener" data-testid="return-letter" aria-label={`Letter about the returned payment ${item.paymentId} (PDF, opens in a new tab)`}>
      Letter <span aria-hidden="true">↗</span>
    </a>
  );
}

function columns(followUp: ((r: ReturnedPayment) => void) | null): Column<ReturnedPayment>[] {
  const list: Column<ReturnedPayment>[] = [
    { header: 'Returned', className: 'nowrap', cell: (r) => r.returnedOn },
    { header: 'Account', className: 'nowrap', cell: (r) => (r.accountId ? <Link to={`/accounts/${r.accountId}`} className="mono" data-testid="return-account">{r.accountNumber}</Link> : <span className="muted">—</span>) },
    {
      header: 'Payment',
      cell: (r) => (
        <>
          <Link to={`/payments/${r.paymentId}`}>Payment {r.paymentId}</Link>
          <div className="small muted">{methodLabel(r.method)}{r.reference ? <span className="mono"> {r.reference}</span> : null}</div>
        </>
      ),
    },
    { header: 'Amount', className: 'num nowrap', cell: (r) => <span data-testid="return-amount">{formatCents(r.amountCents)}</span> },
    {
      header: 'Reason',
      cell: (r) => (
        <>
          <strong className="mono" data-testid="return-reason-code">{r.reasonCode}</strong> {r.reason}
          <div className="small muted">{returnSourceLabels[r.source] ?? r.source}</div>
        </>
      ),
    },
    { header: 'Fee', className: 'num nowrap', cell: (r) => (r.feeCents ? formatCents(r.feeCents) : <span className="muted">None</span>) },
    {
      header: 'Follow-up',
      cell: (r) => (
        <>
          <ReturnBadge status={r.status} testId="return-status" />
          {r.followUpNote && <div className="small">{r.followUpNote}</div>}
          {r.resolvedAt && <div className="small muted">{formatTimestamp(r.resolvedAt)}</div>}
        </>
      ),
    },
    {
      header: <span className="visually-hidden">Actions</span>,
      className: 'actions-cell',
      cell: (r) => (
        <div className="row-actions">
          <LetterLink item={r} />
          {followUp && r.status === 'open' && (
            <button type="button" className="button-small" onClick={() => followUp(r)} aria-label={`Record the follow-up of the returned payment ${r.paymentId}`} data-testid="record-follow-up">
              Record follow-up
            </button>
          )}
        </div>
      ),
    },
  ];
  return list;
}

/** `status` in the URL: absent is the open queue, `all` is every return. */
const anyStatus = 'all';

/**
 * Returned payments: the daily follow-up queue (open, oldest first) by default, or every return of
 * a range. Each has its account, amount, reason, fee and the letter to the customer; staff record
 * what they did, which closes it.
 */
export function ReturnsPage() {
  const filters = useQueryFilters('status', 'from', 'to');
  const status = filters.status === anyStatus ? '' : filters.status || 'open';
  const canFollowUp = useCan('csr1');
  const list = useApi(`payment-returns:${status}:${filters.from}:${filters.to}`, (signal) =>
    api.get<{ items: ReturnedPayment[] }>('/payment-returns', { status, from: filters.from, to: filters.to }, signal),
  );
  const [following, setFollowing] = useState<ReturnedPayment | null>(null);
  const [done, setDone] = useState<string | null>(null);
  const items = list.data?.items ?? [];
  return (
    <>
      <PageHeader title="Returned payments" subtitle="Checks that bounced, ACH debits returned and card chargebacks: reversed off the account with the fee charged. Reach the customer, send the letter, and record what was done." />
      <SuccessBanner message={done} testId="return-done" />
      <Card title={status === 'open' ? 'To follow up' : status === 'resolved' ? 'Followed up' : 'Every return'} testId="returns-card">
        <FilterBar key={`${filters.status}|${filters.from}|${filters.to}`} label="Filter returned payments">
          <SelectField
            label="Status"
            name="status"
            options={[{ value: 'open', label: 'To follow up' }, { value: 'resolved', label: 'Followed up' }, { value: anyStatus, label: 'Any' }]}
            defaultValue={filters.status || 'open'}
          />
          <TextField label="Returned from" name="from" type="date" defaultValue={filters.from} />
          <TextField label="Returned to" name="to" type="date" defaultValue={filters.to} />
        </FilterBar>
        {list.error ? (
          <LoadError error={list.error} retry={list.reload} />
        ) : !list.data ? (
          <Loading what="Loading the returned payments" />
        ) : items.length === 0 ? (
          <Empty>{status === 'open' ? 'Nothing to follow up.' : 'No returned payments.'}</Empty>
        ) : (
          <DataTable columns={columns(canFollowUp ? (r) => { setDone(null); setFollowing(r); } : null)} rows={items} testId="returns-table" />
        )}
      </Card>
      {canFollowUp && (
        <FollowUpDialog
          item={following}
          onClose={() => setFollowing(null)}
          onSaved={(r) => {
            setFollowing(null);
            setDone(`Follow-up of the returned payment ${r.paymentId} (account ${r.accountNumber ?? '—'}) recorded.`);
            list.reload();
          }}
        />
      )}
    </>
  );
}
