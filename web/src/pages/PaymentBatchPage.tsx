import { useState, type ReactNode } from 'react';
import { api } from '../api.ts';
import { DataTable } from '../components/DataTable.tsx';
import { Card, Empty, Facts, LoadError, Loading, PageHeader, SuccessBanner } from '../components/ui.tsx';
import { formatCents, formatTimestamp } from '../format.ts';
import { useApi, useTitle } from '../hooks.ts';
import { Link } from '../router.tsx';
import { useCan } from '../session.tsx';
import { channelLabel, PaymentBadge } from '../payment/labels.tsx';
import { ImportFileLink } from '../payment/ImportFileLink.tsx';
import { CloseBatchDialog } from '../payment/PaymentDialogs.tsx';
import { paymentColumns } from '../payment/paymentColumns.tsx';
import type { BatchDetail } from '../types.ts';

/** A batch and its payments: what it holds, and (once closed) the figures it balanced with. */
export function PaymentBatchPage({ id }: { id: number }) {
  const batch = useApi(`payment-batch:${id}`, (signal) => api.get<BatchDetail>(`/payment-batches/${id}`, undefined, signal));
  const canClose = useCan('csr1');
  const [closing, setClosing] = useState(false);
  const [done, setDone] = useState<string | null>(null);
  const b = batch.data;
  useTitle(b ? `Batch ${b.id}` : undefined);

  if (batch.error) return <LoadError error={batch.error} retry={batch.reload} />;
  if (!b) return <Loading what="Loading the batch" />;
  const corrected = b.payments.some((p) => p.correctsPaymentId !== null);

  return (
    <div data-testid="batch-page">
      <PageHeader
        title={<>Batch {b.id}</>}
        subtitle={
          <ul className="inline-facts" aria-label="Batch summary">
            <li><PaymentBadge status={b.status} testId="batch-status" /></li>
            <li>{channelLabel(b.channel)}</li>
            <li>{b.businessDate}</li>
            <li data-testid="batch-holds">{b.count} payment{b.count === 1 ? '' : 's'}, {formatCents(b.totalCents)}</li>
          </ul>
        }
        actions={
          <>
            <Link to={`/payments/batches?day=${b.businessDate}`} className="button">Batches of {b.businessDate}</Link>
            {canClose && b.status === 'open' && (
              <button type="button" className="button-primary" onClick={() => { setDone(null); setClosing(true); }} data-testid="close-batch">
                Close batch
              </button>
            )}
          </>
        }
      />
      <SuccessBanner message={done} testId="batch-done" />
      <Card title="Batch" testId="batch-facts">
        <Facts
          items={[
            ['What', b.note ?? channelLabel(b.channel)],
            ['Opened', formatTimestamp(b.openedAt)],
            ['Holds', `${b.count} payment${b.count === 1 ? '' : 's'}, ${formatCents(b.totalCents)}`],
            ['Counted at close', b.expectedCount === null ? null : `${b.expectedCount} payments, ${formatCents(b.expectedCents ?? 0)}`],
            ['Closed', b.closedAt ? formatTimestamp(b.closedAt) : null],
            ['Deposit', b.depositId ? <Link to={`/payments/deposits?from=${b.businessDate}&to=${b.businessDate}`}>Deposit {b.depositId}</Link> : b.status === 'closed' && (b.channel === 'counter' || b.channel === 'mail') ? 'Not deposited yet' : null],
            ['File', b.importId ? <ImportFileLink importId={b.importId}>Original file of import {b.importId}</ImportFileLink> : null],
          ].filter(([label, value]) => label !== 'File' || value !== null) as [string, ReactNode][]}
        />
      </Card>
      <Card title={`Payments (${b.payments.length})`} testId="batch-payments">
        {b.payments.length === 0 ? (
          <Empty>No payments in this batch yet.</Empty>
        ) : (
          <>
            <DataTable columns={paymentColumns({ channel: false, matchedBy: b.channel !== 'counter' })} rows={b.payments} testId="batch-payments-table" />
            {corrected && (
              <p className="small muted">A corrected payment is counted once, in its corrected form; the payment it replaced is shown struck through.</p>
            )}
          </>
        )}
      </Card>
      {canClose && (
        <CloseBatchDialog
          batch={closing ? b : null}
          onClose={() => setClosing(false)}
          onSaved={(closed) => {
            setClosing(false);
            setDone(`Batch ${closed.id} balanced and closed: ${closed.expectedCount} payments, ${formatCents(closed.expectedCents ?? 0)}.`);
            batch.reload();
          }}
        />
      )}
    </div>
  );
}
