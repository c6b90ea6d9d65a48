import { useState } from 'react';
import { api } from '../api.ts';
import { BillingBadge, ServiceTag } from '../billing/badges.tsx';
import { DataTable, type Column } from '../components/DataTable.tsx';
import { Card, Empty, Facts, LoadError, Loading, PageHeader } from '../components/ui.tsx';
import { formatCents, formatTimestamp } from '../format.ts';
import { useApi, useTitle } from '../hooks.ts';
import { Link } from '../router.tsx';
import { channelLabel, matchedByLabels, methodLabel, PaymentBadge } from '../payment/labels.tsx';
import { ImportFileLink } from '../payment/ImportFileLink.tsx';
import { usePaymentActions, type PaymentChange } from '../payment/PaymentActions.tsx';
import { AccountCell, ReceiptLink, SharesTable } from '../payment/paymentColumns.tsx';
import type { BatchDetail, LedgerEntry, PaymentDetail } from '../types.ts';

const entryColumns: Column<LedgerEntry>[] = [
  { header: 'Entry', className: 'num', cell: (e) => e.id },
  { header: 'Date', className: 'nowrap', cell: (e) => e.entryDate },
  { header: 'Kind', cell: (e) => <BillingBadge status={e.kind} /> },
  { header: 'Service', cell: (e) => (e.service ? <ServiceTag service={e.service} /> : <span className="muted">Account</span>) },
  { header: 'Amount', className: 'num nowrap', cell: (e) => <span className={e.amountCents < 0 ? 'credit' : undefined}>{formatCents(e.amountCents)}</span> },
  { header: 'Note', cell: (e) => <>{e.reasonCode && <span className="mono small">{e.reasonCode}</span>} {e.reason ?? ''}{e.reversesId ? <span className="muted small"> reverses #{e.reversesId}</span> : null}</> },
];

/**
 * A payment: where it came from, which account it is on and how it was applied, its ledger
 * entries, and the receipt. CSR IIs return it (a returned check, a card chargeback) or correct it
 * (the right account or amount); a payment in suspense is applied to its account.
 */
export function PaymentPage({ id }: { id: number }) {
  const payment = useApi(`payment:${id}`, (signal) => api.get<PaymentDetail>(`/payments/${id}`, undefined, signal));
  const [done, setDone] = useState<PaymentChange | null>(null);
  const p = payment.data;
  useTitle(p ? `Payment ${p.id}` : undefined);
  const actions = usePaymentActions((change) => {
    setDone(change);
    payment.reload();
  });
  // A reversed payment may have been corrected: its batch holds the payment that replaced it.
  const reversed = p?.status === 'reversed' ? p.batchId : null;
  const batch = useApi(`payment-batch-of:${id}:${reversed ?? ''}:${p?.reversedAt ?? ''}`, (signal) => (reversed ? api.get<BatchDetail>(`/payment-batches/${reversed}`, undefined, signal) : Promise.resolve(null)));
  const correctedBy = batch.data?.payments.find((x) => x.correctsPaymentId === id) ?? null;

  if (payment.error) return <LoadError error={payment.error} retry={payment.reload} />;
  if (!p) return <Loading what="Loading the payment" />;

  return (
    <div data-testid="payment-page">
      <PageHeader
        title={<>Payment {p.id} <span className="account-number">{formatCents(p.amountCents)}</span></>}
        subtitle={
          <ul className="inline-facts" aria-label="Payment summary">
            <li><PaymentBadge status={p.status} testId="payment-status" /></li>
            <li><span>{methodLabel(p.method)}{p.reference ? <> <span className="mono">{p.reference}</span></> : null}</span></li>
            <li>{channelLabel(p.channel)}</li>
            <li>Received {p.receivedOn}</li>
          </ul>
        }
        actions={
          <>
            <ReceiptLink paymentId={p.id} label="Receipt PDF" testId="payment-receipt-pdf" className="button" />
            {actions.buttons(p)}
          </>
        }
      />
      {done && (
        <div className="success-banner" role="status" data-testid="payment-action-done">
          {done.message}
          {done.paymentId !== id && <> <Link to={`/payments/${done.paymentId}`}>Open payment {done.paymentId} →</Link></>}
        </div>
      )}
      {p.status === 'reversed' && (
        <p className="notice" data-testid="payment-reversed">
          Reversed {formatTimestamp(p.reversedAt)}: {p.reversalReason}
          {correctedBy && <> Replaced by <Link to={`/payments/${correctedBy.id}`}>payment {correctedBy.id}</Link> ({formatCents(correctedBy.amountCents)} to account <span className="mono">{correctedBy.accountRef}</span>).</>}
        </p>
      )}
      <Card title="Payment" testId="payment-facts">
        <Facts
          items={[
            ['Account', <AccountCell payment={p} />],
            ['Account as given', p.accountRef ? <span className="mono">{p.accountRef}</span> : null],
            ['Matched by', p.matchedBy ? matchedByLabels[p.matchedBy] : p.status === 'suspense' ? 'Not yet: in suspense' : null],
            ['Payer', p.payerName],
            ['Payer address', p.payerAddress],
            ['Batch', <Link to={`/payments/batches/${p.batchId}`}>Batch {p.batchId}</Link>],
            ['File', p.importId ? <><ImportFileLink importId={p.importId}>Import {p.importId}</ImportFileLink>{p.recordNo ? `, record ${p.recordNo}` : ''}</> : null],
            ['Corrects', p.correctsPaymentId ? <Link to={`/payments/${p.correctsPaymentId}`}>Payment {p.correctsPaymentId}</Link> : null],
            ['Taken', formatTimestamp(p.createdAt)],
          ]}
        />
      </Card>
      <div className="card-row card-row-2">
        <Card title="Applied to" testId="payment-applied">
          <SharesTable shares={p.shares} />
        </Card>
        <Card title="Ledger entries" testId="payment-entries">
          {p.entries.length === 0 ? <Empty>No ledger entries: the payment is on no account.</Empty> : <DataTable columns={entryColumns} rows={p.entries} testId="payment-entries-table" />}
        </Card>
      </div>
      {actions.dialogs}
    </div>
  );
}
