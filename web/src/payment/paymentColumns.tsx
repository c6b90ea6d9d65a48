import { apiUrl } from '../api.ts';
import { ServiceTag } from '../billing/badges.tsx';
import { DataTable, type Column } from '../components/DataTable.tsx';
import { formatCents } from '../format.ts';
import { Link } from '../router.tsx';
import type { Payment, PaymentShare } from '../types.ts';
import { channelLabel, matchedByLabels, methodLabel, PaymentBadge } from './labels.tsx';

/** Tables of payments and of how a payment was applied. */

/** The receipt PDF, in a new tab. */
export function ReceiptLink({ paymentId, label = 'Receipt', testId = 'receipt-link', className }: { paymentId: number; label?: string; testId?: string; className?: string }) {
  return (
    <a href={apiUrl(`/payments/${paymentId}/receipt.pdf`)} target="_blank" rel="noopener" className={className} data-testid={testId} aria-label={label === 'Receipt' ? `Receipt of payment ${paymentId} (PDF, opens in a new tab)` : undefined}>
      {label} <span aria-hidden="true">↗</span>
    </a>
  );
}

/** The amount, struck through once the payment was reversed (returned or corrected). */
export function PaymentAmount({ payment }: { payment: Pick<Payment, 'amountCents' | 'status'> }) {
  return <span className={payment.status === 'reversed' ? 'struck' : undefined}>{formatCents(payment.amountCents)}</span>;
}

export function MethodCell({ payment }: { payment: Pick<Payment, 'method' | 'reference'> }) {
  return (
    <>
      {methodLabel(payment.method)}
      {payment.reference && <span className="mono small muted"> {payment.reference}</span>}
    </>
  );
}

export function AccountCell({ payment }: { payment: Pick<Payment, 'accountId' | 'accountRef'> }) {
  if (payment.accountId === null) return <span className="muted">None (wrote <span className="mono">{payment.accountRef || '—'}</span>)</span>;
  return <Link to={`/accounts/${payment.accountId}`} className="mono">{payment.accountRef ?? `Account ${payment.accountId}`}</Link>;
}

/** The usual columns of a list of payments; `account` leaves the account column out (on the account page). */
export function paymentColumns(options: { account?: boolean; channel?: boolean; matchedBy?: boolean } = {}): Column<Payment>[] {
  const { account = true, channel = true, matchedBy = false } = options;
  const columns: (Column<Payment> | false)[] = [
    { header: 'Payment', className: 'nowrap', cell: (p) => <Link to={`/payments/${p.id}`} data-testid="payment-link">Payment {p.id}</Link> },
    { header: 'Received', className: 'nowrap', cell: (p) => p.receivedOn },
    account && { header: 'Account', className: 'nowrap', cell: (p) => <AccountCell payment={p} /> },
    channel && { header: 'Channel', cell: (p) => channelLabel(p.channel) },
    { header: 'Method', cell: (p) => <MethodCell payment={p} /> },
    { header: 'Payer', cell: (p) => p.payerName ?? <span className="muted">—</span> },
    { header: 'Amount', className: 'num nowrap', cell: (p) => <PaymentAmount payment={p} /> },
    {
      header: 'Status',
      cell: (p) => (
        <span className="badge-row">
          <PaymentBadge status={p.status} testId="payment-status" />
          {p.correctsPaymentId !== null && <span className="badge badge-info">Corrects {p.correctsPaymentId}</span>}
        </span>
      ),
    },
    matchedBy && { header: 'Matched by', cell: (p) => (p.matchedBy ? matchedByLabels[p.matchedBy] : <span className="muted">Not matched</span>) },
  ];
  return columns.filter((c): c is Column<Payment> => c !== false);
}

/** How a payment was applied: a share per service, or left as a credit. */
export function SharesTable({ shares, testId = 'payment-shares' }: { shares: readonly PaymentShare[]; testId?: string }) {
  const columns: Column<PaymentShare>[] = [
    { header: 'Service', cell: (s) => (s.service ? <ServiceTag service={s.service} /> : <span>Credit on the account</span>) },
    { header: 'Amount', className: 'num nowrap', cell: (s) => formatCents(s.amountCents) },
  ];
  if (shares.length === 0) return <p className="muted">Not applied to any account.</p>;
  return <DataTable columns={columns} rows={shares} rowKey={(s) => s.service ?? 'credit'} testId={testId} className="table-narrow" />;
}
