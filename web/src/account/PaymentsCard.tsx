import { useState } from 'react';
import { api } from '../api.ts';
import { DataTable, type Column } from '../components/DataTable.tsx';
import { Card, Empty, LoadError, Loading, SuccessBanner } from '../components/ui.tsx';
import { useApi } from '../hooks.ts';
import { Link } from '../router.tsx';
import { useCan } from '../session.tsx';
import { usePaymentActions } from '../payment/PaymentActions.tsx';
import { paymentColumns, ReceiptLink } from '../payment/paymentColumns.tsx';
import type { Payment } from '../types.ts';

/** How many payments the card shows before "Show all". */
const shownPayments = 8;

/**
 * The account's payments, newest first: when, how, how much and where each stands, with its
 * receipt. "Take a payment" opens the counter with the account filled in; a CSR II returns or
 * corrects a payment from its row. `onChange` runs after a change moved money (the balance).
 */
export function PaymentsCard({ accountId, version = 0, onChange }: { accountId: number; version?: number; onChange?(): void }) {
  const canTake = useCan('csr1');
  const payments = useApi(`account-payments:${accountId}:${version}`, (signal) => api.get<{ items: Payment[] }>(`/accounts/${accountId}/payments`, undefined, signal));
  const [all, setAll] = useState(false);
  const [done, setDone] = useState<string | null>(null);
  const items = payments.data?.items ?? [];
  const shown = all ? items : items.slice(0, shownPayments);
  const actions = usePaymentActions((change) => {
    setDone(change.message);
    payments.reload();
    onChange?.();
  });

  const columns: Column<Payment>[] = [
    ...paymentColumns({ account: false }),
    {
      header: <span className="visually-hidden">Receipt and actions</span>,
      className: 'actions-cell',
      cell: (p) => (
        <div className="row-actions">
          <ReceiptLink paymentId={p.id} />
          {actions.buttons(p, true)}
        </div>
      ),
    },
  ];

  return (
    <Card
      title="Payments"
      testId="payments-card"
      actions={
        canTake && (
          <Link to={`/payments/new?accountId=${accountId}`} className="button button-small" data-testid="take-payment-link">
            Take a payment
          </Link>
        )
      }
    >
      <SuccessBanner message={done} testId="account-payment-done" className="small" />
      {payments.error ? (
        <LoadError error={payments.error} retry={payments.reload} />
      ) : !payments.data ? (
        <Loading what="Loading the payments" />
      ) : items.length === 0 ? (
        <Empty>No payments yet.</Empty>
      ) : (
        <>
          <DataTable columns={columns} rows={shown} testId="account-payments-table" />
          {items.length > shownPayments && (
            <button type="button" className="button-link small" onClick={() => setAll(!all)} aria-expanded={all}>
              {all ? `Show the ${shownPayments} newest` : `Show all ${items.length} payments`}
            </button>
          )}
        </>
      )}
      {actions.dialogs}
    </Card>
  );
}
