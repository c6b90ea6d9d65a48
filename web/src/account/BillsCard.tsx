import { useState } from 'react';
import { api } from '../api.ts';
import { BillingBadge, ServiceTag } from '../billing/badges.tsx';
import { DataTable, type Column } from '../components/DataTable.tsx';
import { Card, Empty, LoadError, Loading } from '../components/ui.tsx';
import { formatCents } from '../format.ts';
import { useApi } from '../hooks.ts';
import { Link } from '../router.tsx';
import type { Bill } from '../types.ts';

/** How many bills the card shows before "Show all". */
const shownBills = 8;

const columns: Column<Bill>[] = [
  { header: 'Bill', className: 'nowrap', cell: (b) => <Link to={`/bills/${b.id}`} data-testid="bill-link">Bill {b.id}</Link> },
  { header: 'Period', className: 'nowrap', cell: (b) => <>{b.periodFrom} to {b.periodTo}</> },
  { header: 'Service', cell: (b) => <ServiceTag service={b.service} /> },
  {
    header: 'Status',
    cell: (b) => (
      <span className="badge-row">
        <BillingBadge status={b.status} testId="bill-status" />
        {b.estimated && <span className="badge badge-warn">Estimated</span>}
        {b.final && <span className="badge badge-info">Final</span>}
      </span>
    ),
  },
  { header: 'Amount', className: 'num nowrap', cell: (b) => <span className={b.status === 'cancelled' ? 'struck' : undefined}>{formatCents(b.totalCents)}</span> },
  { header: 'Due', className: 'nowrap', cell: (b) => b.dueDate },
];

/** The account's bills, newest first: period, service, state, amount and due date, each linking to the bill. */
export function BillsCard({ accountId, version = 0 }: { accountId: number; version?: number }) {
  const bills = useApi(`account-bills:${accountId}:${version}`, (signal) => api.get<{ items: Bill[] }>(`/accounts/${accountId}/bills`, undefined, signal));
  const [all, setAll] = useState(false);
  const items = bills.data?.items ?? [];
  const shown = all ? items : items.slice(0, shownBills);
  const held = items.filter((b) => b.status === 'held').length;

  return (
    <Card
      title="Bills"
      testId="bills-card"
      actions={held > 0 && <Link to="/billing/exceptions" className="badge badge-bad">{held} held for review</Link>}
    >
      {bills.error ? (
        <LoadError error={bills.error} retry={bills.reload} />
      ) : !bills.data ? (
        <Loading what="Loading the bills" />
      ) : items.length === 0 ? (
        <Empty>No bills yet.</Empty>
      ) : (
        <>
          <DataTable columns={columns} rows={shown} testId="account-bills-table" />
          {items.length > shownBills && (
            <button type="button" className="button-link small" onClick={() => setAll(!all)} aria-expanded={all}>
              {all ? `Show the ${shownBills} newest` : `Show all ${items.length} bills`}
            </button>
          )}
        </>
      )}
    </Card>
  );
}
