import { useState } from 'react';
import { DataTable, type Column } from '../components/DataTable.tsx';
import { ListCard } from '../components/ListCard.tsx';
import { PageHeader, SuccessBanner } from '../components/ui.tsx';
import { formatCents } from '../format.ts';
import { usePagedQuery } from '../hooks.ts';
import { Link } from '../router.tsx';
import { useCan } from '../session.tsx';
import { channelLabel } from '../payment/labels.tsx';
import { ApplySuspenseDialog } from '../payment/PaymentDialogs.tsx';
import { MethodCell } from '../payment/paymentColumns.tsx';
import type { Payment } from '../types.ts';

function columns(apply: ((p: Payment) => void) | null): Column<Payment>[] {
  const list: Column<Payment>[] = [
    { header: 'Payment', className: 'nowrap', cell: (p) => <Link to={`/payments/${p.id}`}>Payment {p.id}</Link> },
    { header: 'Received', className: 'nowrap', cell: (p) => p.receivedOn },
    { header: 'Channel', cell: (p) => channelLabel(p.channel) },
    { header: 'Method', cell: (p) => <MethodCell payment={p} /> },
    { header: 'Account as written', className: 'nowrap', cell: (p) => (p.accountRef ? <span className="mono" data-testid="suspense-account-ref">{p.accountRef}</span> : <span className="muted">None</span>) },
    {
      header: 'Payer',
      cell: (p) => (
        <>
          {p.payerName ?? <span className="muted">—</span>}
          {p.payerAddress && <div className="small muted">{p.payerAddress}</div>}
        </>
      ),
    },
    { header: 'Amount', className: 'num nowrap', cell: (p) => formatCents(p.amountCents) },
  ];
  if (apply) {
    list.push({
      header: <span className="visually-hidden">Actions</span>,
      className: 'actions-cell',
      cell: (p) => (
        <button type="button" className="button-small" onClick={() => apply(p)} aria-label={`Apply payment ${p.id} of ${formatCents(p.amountCents)} to an account`} data-testid="apply-payment">
          Apply to account
        </button>
      ),
    });
  }
  return list;
}

/**
 * The suspense queue: payments a file brought in whose account could not be found (a wrong or
 * missing account number, a name and address that fit no account), oldest first. Staff find the
 * account and apply the payment with a reason.
 */
export function SuspensePage() {
  const list = usePagedQuery<Payment>('/payment-suspense', {}, { limit: 25 });
  const canApply = useCan('csr1');
  const [applying, setApplying] = useState<Payment | null>(null);
  const [done, setDone] = useState<string | null>(null);
  return (
    <>
      <PageHeader title="Suspense queue" subtitle="Payments received for no account we could find, oldest first. Find the account (the payer's name, address, or the stub) and apply the payment to it." />
      <SuccessBanner message={done} testId="suspense-done" />
      <ListCard title="Unapplied payments" list={list} empty="No payments waiting: every payment received is on an account.">
        {(items) => <DataTable columns={columns(canApply ? (p) => { setDone(null); setApplying(p); } : null)} rows={items} testId="suspense-table" />}
      </ListCard>
      {canApply && (
        <ApplySuspenseDialog
          payment={applying}
          onClose={() => setApplying(null)}
          onSaved={(result, account) => {
            setApplying(null);
            setDone(`Payment ${result.payment.id} of ${formatCents(result.payment.amountCents)} applied to account ${account.account.accountNumber} (${account.customerName}).`);
            list.reload();
          }}
        />
      )}
    </>
  );
}
