import { api } from '../api.ts';
import { DataTable, type Column } from '../components/DataTable.tsx';
import { Card, Empty, Facts, LoadError, Loading, PageHeader } from '../components/ui.tsx';
import { formatCents } from '../format.ts';
import { useApi } from '../hooks.ts';
import { Link } from '../router.tsx';
import { channelLabel } from '../payment/labels.tsx';
import { RangeFilter, ReportTabs, useRange } from '../payment/RangeFilter.tsx';
import type { Reconciliation } from '../types.ts';

type Expected = Reconciliation['missing'][number];
type BankLine = Reconciliation['unexpected'][number];
type Matched = Reconciliation['matched'][number];
type Difference = Reconciliation['differences'][number];

/** What we expect the bank to credit: a deposit, or a file batch of electronic money. */
function ExpectedCell({ e }: { e: Expected }) {
  return e.kind === 'deposit' ? (
    <Link to={`/payments/deposits?from=${e.day}&to=${e.day}`}>Deposit {e.id}</Link>
  ) : (
    <Link to={`/payments/batches/${e.id}`}>Batch {e.id} ({channelLabel(e.channel).toLowerCase()})</Link>
  );
}

function BankCell({ t }: { t: BankLine }) {
  return (
    <>
      <span className="mono">{t.typeCode}</span> {t.text ?? ''}
      {t.bankReference && <div className="small muted mono">{t.bankReference}</div>}
    </>
  );
}

const expectedColumns: Column<Expected>[] = [
  { header: 'Ours', cell: (e) => <ExpectedCell e={e} /> },
  { header: 'Day', className: 'nowrap', cell: (e) => e.day },
  { header: 'Amount', className: 'num nowrap', cell: (e) => formatCents(e.amountCents) },
];
const bankColumns: Column<BankLine>[] = [
  { header: 'Bank credit', cell: (t) => <BankCell t={t} /> },
  { header: 'Day', className: 'nowrap', cell: (t) => t.day },
  { header: 'Amount', className: 'num nowrap', cell: (t) => formatCents(t.amountCents) },
];
const matchedColumns: Column<Matched>[] = [
  { header: 'Ours', cell: (m) => <ExpectedCell e={m.expected} /> },
  { header: 'Our day', className: 'nowrap', cell: (m) => m.expected.day },
  { header: 'Bank credit', cell: (m) => <BankCell t={m.bank} /> },
  { header: 'Bank day', className: 'nowrap', cell: (m) => m.bank.day },
  { header: 'Amount', className: 'num nowrap', cell: (m) => formatCents(m.expected.amountCents) },
];
const differenceColumns: Column<Difference>[] = [
  { header: 'Ours', cell: (d) => <ExpectedCell e={d.expected} /> },
  { header: 'Day', className: 'nowrap', cell: (d) => d.expected.day },
  { header: 'We expect', className: 'num nowrap', cell: (d) => formatCents(d.expected.amountCents) },
  { header: 'Bank credited', className: 'num nowrap', cell: (d) => formatCents(d.bank.amountCents) },
  { header: 'Difference', className: 'num nowrap', cell: (d) => <strong className={d.differenceCents < 0 ? 'control-broken' : undefined}>{formatCents(d.differenceCents)}</strong> },
];

function Section<T>({ title, rows, columns, empty, testId, rowKey }: { title: string; rows: readonly T[]; columns: Column<T>[]; empty: string; testId: string; rowKey: (row: T) => string }) {
  return (
    <Card title={`${title} (${rows.length})`} testId={testId}>
      {rows.length === 0 ? <Empty>{empty}</Empty> : <DataTable columns={columns} rows={rows} rowKey={rowKey} testId={`${testId}-table`} />}
    </Card>
  );
}

const expectedKey = (e: Expected) => `${e.kind}:${e.id}`;

/**
 * Reconciliation: what we expect the bank to credit (each deposit, each file batch of card, lockbox,
 * online bill-pay and ACH money) set against the credits on the bank's BAI2 reports: matched, ours
 * not on the bank's report, the bank's not ours, and same-day differences to chase.
 */
export function ReconciliationPage() {
  const range = useRange(7);
  const report = useApi(`reconciliation:${range.from}:${range.to}`, (signal) => api.get<Reconciliation>('/reports/reconciliation', range, signal));
  const r = report.data;
  return (
    <>
      <PageHeader title="Reconciliation" subtitle="Our deposits and file batches against the bank's credits (BAI2): a credit of the same amount within 3 days after is a match." />
      <ReportTabs />
      <Card title={`Reconciliation, ${range.from} to ${range.to}`} testId="reconciliation">
        <RangeFilter label="Choose the days to reconcile" range={range} />
        {report.error ? (
          <LoadError error={report.error} retry={report.reload} />
        ) : !r ? (
          <Loading what="Reconciling" />
        ) : (
          <Facts
            items={[
              ['We expect', <span data-testid="recon-expected">{formatCents(r.totals.expectedCents)}</span>],
              ['Matched', <span data-testid="recon-matched">{formatCents(r.totals.matchedCents)}</span>],
              ['The bank credited', <span data-testid="recon-bank">{formatCents(r.totals.bankCents)}</span>],
              ['Ours missing', `${r.missing.length}, ${formatCents(r.missing.reduce((a, e) => a + e.amountCents, 0))}`],
              ["Bank's unexpected", `${r.unexpected.length}, ${formatCents(r.unexpected.reduce((a, t) => a + t.amountCents, 0))}`],
              ['Differences', r.differences.length],
            ]}
          />
        )}
      </Card>
      {r && (
        <>
          <Section title="Differences" rows={r.differences} columns={differenceColumns} empty="No same-day differences." testId="recon-differences" rowKey={(d) => expectedKey(d.expected)} />
          <Section title="Ours, not on the bank's report" rows={r.missing} columns={expectedColumns} empty="Every deposit and batch is on the bank's report." testId="recon-missing" rowKey={expectedKey} />
          <Section title="The bank's, not ours" rows={r.unexpected} columns={bankColumns} empty="No credits we did not expect." testId="recon-unexpected" rowKey={(t) => String(t.id)} />
          <Section title="Matched" rows={r.matched} columns={matchedColumns} empty="Nothing matched yet: import the bank's BAI2 report." testId="recon-matched-list" rowKey={(m) => expectedKey(m.expected)} />
        </>
      )}
    </>
  );
}
