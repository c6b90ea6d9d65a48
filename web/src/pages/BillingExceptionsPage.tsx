import { useState } from 'react';
import { ServiceTag } from '../billing/badges.tsx';
import { BillReviewDialog } from '../billing/BillReview.tsx';
import { DataTable, type Column } from '../components/DataTable.tsx';
import { SelectField } from '../components/forms.tsx';
import { ListCard } from '../components/ListCard.tsx';
import { PageHeader, SuccessBanner } from '../components/ui.tsx';
import { formatCents, formatTimestamp, humanize } from '../format.ts';
import { usePagedQuery, useQueryFilters } from '../hooks.ts';
import { Link } from '../router.tsx';
import { billExceptionCodes, type HeldBill } from '../types.ts';

function columns(review: (bill: HeldBill) => void): Column<HeldBill>[] {
  return [
    {
      header: 'Bill',
      className: 'nowrap',
      cell: (b) => (
        <button type="button" className="button-link row-open" onClick={() => review(b)} aria-label={`Review held bill ${b.id} of account ${b.accountNumber}`} data-testid="review-bill">
          Review bill {b.id}
        </button>
      ),
    },
    { header: 'Account', cell: (b) => <Link to={`/accounts/${b.accountId}`} className="mono">{b.accountNumber}</Link> },
    { header: 'Service', cell: (b) => <ServiceTag service={b.service} /> },
    { header: 'Period', className: 'nowrap', cell: (b) => <>{b.periodFrom} to {b.periodTo}</> },
    { header: 'Amount', className: 'num nowrap', cell: (b) => formatCents(b.totalCents) },
    {
      header: 'Held because',
      cell: (b) => (
        <ul className="plain-list reason-list">
          {b.reasons.map((r) => (
            <li key={r.code}>
              <strong className="exception-code">{humanize(r.code)}</strong> <span className="small">{r.message}</span>
            </li>
          ))}
        </ul>
      ),
    },
    { header: 'Held since', className: 'nowrap', cell: (b) => formatTimestamp(b.createdAt) },
  ];
}

/**
 * The billing-exceptions queue: bills a run held instead of posting, oldest first. A bill opens in
 * a panel with its lines and the actions: approve, recalculate, keep holding, cancel.
 */
export function BillingExceptionsPage() {
  const filters = useQueryFilters('code');
  const list = usePagedQuery<HeldBill>('/billing/exceptions', filters, { limit: 25 });
  const [reviewing, setReviewing] = useState<HeldBill | null>(null);
  const [done, setDone] = useState<string | null>(null);
  const review = (bill: HeldBill) => {
    setDone(null);
    setReviewing(bill);
  };

  return (
    <>
      <PageHeader title="Billing exceptions" subtitle="Bills held by the billing checks: approve a bill that is right, recalculate it after a read was corrected, keep it held with a note, or cancel it." />
      <SuccessBanner message={done} testId="bill-exception-done" />
      <ListCard
        title="Held bills"
        filterLabel="Filter billing exceptions"
        filters={<SelectField label="Held because" name="code" options={billExceptionCodes} blank="Any reason" defaultValue={filters.code} />}
        list={list}
        empty="No held bills."
      >
        {(items) => <DataTable columns={columns(review)} rows={items} testId="billing-exceptions-table" className="clickable-rows" />}
      </ListCard>
      <BillReviewDialog
        held={reviewing}
        onClose={() => setReviewing(null)}
        onDone={(message) => {
          setReviewing(null);
          setDone(message);
          list.reload();
        }}
      />
    </>
  );
}
