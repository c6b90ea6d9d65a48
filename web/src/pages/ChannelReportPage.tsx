import { api } from '../api.ts';
import { DataTable, type Column } from '../components/DataTable.tsx';
import { Card, Empty, LoadError, Loading, PageHeader } from '../components/ui.tsx';
import { formatCents } from '../format.ts';
import { useApi } from '../hooks.ts';
import { Link } from '../router.tsx';
import { PaymentBadge } from '../payment/labels.tsx';
import { AccountCell, MethodCell, PaymentAmount } from '../payment/paymentColumns.tsx';
import { RangeFilter, ReportTabs, useRange } from '../payment/RangeFilter.tsx';
import type { ChannelReport, Payment } from '../types.ts';

const kinds = {
  web: {
    title: 'Web payments',
    path: '/reports/web-payments',
    subtitle: 'Card payments made on the web and by phone (IVR), from the processor\'s settlement files: how each found its account.',
  },
  obi: {
    title: 'Online bill-pay',
    path: '/reports/obi',
    subtitle: 'Payments sent from customers\' own banks (OBI): matched on the account number, else on the payer\'s name and address, else by staff from suspense.',
  },
} as const;

type Figure = { count: number; totalCents: number };

const matchedBy = (p: Payment, corrected: Set<number>) =>
  corrected.has(p.id) ? <span className="badge badge-info">Corrected</span>
  : p.status === 'suspense' ? <span className="badge badge-warn">Unmatched</span>
  : p.matchedBy === 'account_number' ? 'Account number'
  : p.matchedBy === 'name_address' ? 'Name and address'
  : p.matchedBy === 'staff' ? 'Staff'
  : <span className="muted">—</span>;

function columns(corrected: Set<number>): Column<Payment>[] {
  return [
    { header: 'Payment', className: 'nowrap', cell: (p) => <Link to={`/payments/${p.id}`}>Payment {p.id}</Link> },
    { header: 'Received', className: 'nowrap', cell: (p) => p.receivedOn },
    { header: 'Account', className: 'nowrap', cell: (p) => <AccountCell payment={p} /> },
    {
      header: 'Payer',
      cell: (p) => (
        <>
          {p.payerName ?? <span className="muted">—</span>}
          {p.payerAddress && <div className="small muted">{p.payerAddress}</div>}
        </>
      ),
    },
    { header: 'Method', cell: (p) => <MethodCell payment={p} /> },
    { header: 'Amount', className: 'num nowrap', cell: (p) => <PaymentAmount payment={p} /> },
    {
      header: 'Status',
      cell: (p) => (
        <span className="badge-row">
          <PaymentBadge status={p.status} />
          {p.correctsPaymentId !== null && <span className="badge badge-info">Corrects {p.correctsPaymentId}</span>}
        </span>
      ),
    },
    { header: 'Matched by', cell: (p) => <span data-testid="matched-by">{matchedBy(p, corrected)}</span> },
  ];
}

/** A report's counts and totals: received, then how they were matched, and what came back. */
function Figures({ report }: { report: ChannelReport }) {
  const figures: [string, Figure, string][] = [
    ['Received', report.received, 'received'],
    ['Matched on the account number', report.matched, 'matched'],
    ['Matched on name and address', report.matchedByNameAndAddress, 'matched-name-address'],
    ['Matched by staff', report.matchedByStaff, 'matched-staff'],
    ['Unmatched (in suspense)', report.unmatched, 'unmatched'],
    ['Corrected', report.corrected, 'corrected'],
    ['Returned', report.returned, 'returned'],
  ];
  return (
    <dl className="facts report-figures" data-testid="report-figures">
      {figures.map(([label, f, id]) => (
        <div key={id} data-testid={`figure-${id}`}>
          <dt>{label}</dt>
          <dd>
            <strong>{f.count}</strong> <span className="muted">·</span> {formatCents(f.totalCents)}
            {id === 'unmatched' && f.count > 0 && <> <Link to="/payments/suspense" className="small">Apply →</Link></>}
          </dd>
        </div>
      ))}
    </dl>
  );
}

/** The web payments and online bill-pay reports: counts and totals of a range, and every payment. */
export function ChannelReportPage({ kind }: { kind: 'web' | 'obi' }) {
  const k = kinds[kind];
  const range = useRange(7);
  const report = useApi(`${kind}-report:${range.from}:${range.to}`, (signal) => api.get<ChannelReport>(k.path, range, signal));
  const r = report.data;
  const corrected = new Set((r?.items ?? []).map((p) => p.correctsPaymentId).filter((x): x is number => x !== null));
  return (
    <>
      <PageHeader title={k.title} subtitle={k.subtitle} />
      <ReportTabs />
      <Card title={`${k.title}, ${range.from} to ${range.to}`} testId="channel-report">
        <RangeFilter label={`Choose the days of the ${k.title.toLowerCase()} report`} range={range} />
        {report.error ? <LoadError error={report.error} retry={report.reload} /> : !r ? <Loading what="Loading the report" /> : <Figures report={r} />}
      </Card>
      {r && (
        <Card title={`Payments (${r.items.length})`} testId="channel-report-items">
          {r.items.length === 0 ? <Empty>No payments in these days.</Empty> : <DataTable columns={columns(corrected)} rows={r.items} testId="channel-report-table" />}
        </Card>
      )}
    </>
  );
}
