import { useState, type ReactNode } from 'react';
import { api, ApiError } from '../api.ts';
import { DataTable, type Column } from '../components/DataTable.tsx';
import { clientError, ErrorMessage, SelectField, TextField, useSubmit } from '../components/forms.tsx';
import { Card, Empty, Facts, LoadError, Loading, PageHeader } from '../components/ui.tsx';
import { formatCents, formatTimestamp, humanizeKey } from '../format.ts';
import { useApi } from '../hooks.ts';
import { Link } from '../router.tsx';
import { ImportFileLink } from '../payment/ImportFileLink.tsx';
import { importKindLabel, importKinds } from '../payment/labels.tsx';
import type { PaymentImport, PaymentImportKind, PaymentImportResult } from '../types.ts';

type Row = Record<string, unknown>;
const isRows = (value: unknown): value is Row[] => Array.isArray(value) && value.every((r) => r !== null && typeof r === 'object');

/** A value of a file's detail: cents as money, ids and numbers as they are, nothing as a dash. */
function detailValue(key: string, value: unknown): ReactNode {
  if (value === null || value === undefined || value === '') return <span className="muted">—</span>;
  if (typeof value === 'number' && /Cents$/.test(key)) return formatCents(value);
  if (key === 'paymentId' && typeof value === 'number') return <Link to={`/payments/${value}`}>Payment {value}</Link>;
  if (typeof value === 'object') return <span className="mono small">{JSON.stringify(value)}</span>;
  return /^(accountRef|traceNumber|checkNumber|reasonCode|changeCode|payorBank)$/.test(key) ? <span className="mono">{String(value)}</span> : String(value);
}

const detailHeaders: Record<string, string> = {
  paymentId: 'Payment',
  recordNo: 'Record',
  accountRef: 'Account as written',
  payerName: 'Payer',
  amountCents: 'Amount',
  why: 'Why',
  reasonCode: 'Reason',
  enrolmentId: 'Enrolment',
};

/** Rows of a file's detail (items in suspense, unmatched returns, changes) as a table of their fields. */
function DetailRows({ rows, testId }: { rows: Row[]; testId?: string }) {
  const keys = [...new Set(rows.flatMap((r) => Object.keys(r)))];
  const columns: Column<Row>[] = keys.map((k) => ({
    header: detailHeaders[k] ?? humanizeKey(k.replace(/Cents$/, '')),
    className: /Cents$|^recordNo$/.test(k) ? 'num nowrap' : undefined,
    cell: (r) => detailValue(k, r[k]),
  }));
  return <DataTable columns={columns} rows={rows} rowKey={(r) => JSON.stringify(r)} testId={testId} />;
}

const detailSections: { key: string; title: string; testId: string; note?: ReactNode }[] = [
  { key: 'suspense', title: 'In suspense: no account found', testId: 'import-suspense', note: <Link to="/payments/suspense">Apply them from the suspense queue →</Link> },
  { key: 'rejected', title: 'Not taken', testId: 'import-rejected-rows' },
  { key: 'unmatchedItems', title: 'Returns that match no payment of ours', testId: 'import-unmatched', note: 'Key them on the payment once found (Return / chargeback).' },
  { key: 'changes', title: 'Notifications of change', testId: 'import-changes' },
];

/** What an import did: the counts, a duplicate said plainly, and what needs staff. */
function ImportSummary({ result }: { result: PaymentImportResult }) {
  const detail = result.detail;
  const batchId = typeof detail.batchId === 'number' ? detail.batchId : null;
  const warnings = Array.isArray(detail.warnings) ? detail.warnings.map(String) : [];
  const extra = Object.entries(detail).filter(([k, v]) => k !== 'batchId' && (typeof v === 'number' || typeof v === 'string'));
  return (
    <Card title={`Imported ${result.fileName}`} testId="import-result">
      {result.duplicate ? (
        <p className="notice" role="status" data-testid="import-duplicate">
          This file was imported before (import {result.importId}); nothing was posted now. The counts are those of the first import.
        </p>
      ) : (
        <p className="success-banner" role="status" data-testid="import-done">
          {importKindLabel(result.kind)}: {result.posted} of {result.records} record{result.records === 1 ? '' : 's'} posted
          {result.unmatched ? `, ${result.unmatched} unmatched` : ''}{result.rejected ? `, ${result.rejected} not taken` : ''}.
        </p>
      )}
      <Facts
        items={[
          ['Records', <span data-testid="import-records">{result.records}</span>],
          ['Posted', <span data-testid="import-posted">{result.posted}</span>],
          ['Unmatched', <span data-testid="import-unmatched-count">{result.unmatched ? <Link to="/payments/suspense">{result.unmatched}</Link> : 0}</span>],
          ['Not taken', <span data-testid="import-rejected">{result.rejected}</span>],
          ['Total', <span data-testid="import-total">{formatCents(result.totalCents)}</span>],
          ['Batch', batchId ? <Link to={`/payments/batches/${batchId}`} data-testid="import-batch">Batch {batchId}</Link> : null],
          ...extra.map(([k, v]): [string, ReactNode] => [humanizeKey(k.replace(/Cents$/, '')), detailValue(k, v)]),
        ]}
      />
      {warnings.length > 0 && (
        <div className="notice import-warnings">
          <p className="notice-title">Warnings</p>
          <ul>{warnings.map((w) => <li key={w}>{w}</li>)}</ul>
        </div>
      )}
      {detailSections.map((s) => {
        const rows = detail[s.key];
        return isRows(rows) && rows.length > 0 ? (
          <section key={s.key} aria-label={s.title}>
            <h3 className="subheading">{s.title} ({rows.length})</h3>
            <DetailRows rows={rows} testId={s.testId} />
            {s.note && <p className="small">{s.note}</p>}
          </section>
        ) : null;
      })}
    </Card>
  );
}

const importColumns: Column<PaymentImport>[] = [
  { header: 'File', cell: (i) => <ImportFileLink importId={i.importId} testId="import-file-link">{i.fileName}</ImportFileLink> },
  { header: 'Kind', cell: (i) => importKindLabel(i.kind) },
  { header: 'Records', className: 'num', cell: (i) => i.records },
  { header: 'Posted', className: 'num', cell: (i) => i.posted },
  { header: 'Unmatched', className: 'num', cell: (i) => i.unmatched },
  { header: 'Not taken', className: 'num', cell: (i) => i.rejected },
  { header: 'Total', className: 'num nowrap', cell: (i) => formatCents(i.totalCents) },
  { header: 'Batch', className: 'nowrap', cell: (i) => (typeof i.detail.batchId === 'number' ? <Link to={`/payments/batches/${i.detail.batchId}`}>Batch {i.detail.batchId}</Link> : <span className="muted">—</span>) },
  { header: 'Imported', className: 'nowrap', cell: (i) => formatTimestamp(i.importedAt) },
];

/**
 * Import a bank or processor file: lockbox, card settlement, online bill-pay, the bank's BAI2
 * report, ACH returns and returned checks. The file is sent whole and kept as it came; the same
 * file again posts nothing; a file that does not read is refused whole with the record and reason.
 */
export function PaymentImportPage() {
  const [kind, setKind] = useState<PaymentImportKind>('lockbox-csv');
  const [result, setResult] = useState<PaymentImportResult | null>(null);
  const chosen = importKinds.find((k) => k.value === kind)!;
  const layouts = useApi('payment-file-layouts', (signal) => api.get<{ items: { kind: string; code: string }[] }>('/payment-file-layouts', undefined, signal));
  const imports = useApi('payment-imports', (signal) => api.get<{ items: PaymentImport[] }>('/payment-imports', undefined, signal));
  const layoutOptions = (layouts.data?.items ?? []).filter((l) => l.kind === kind && l.code !== 'built-in' && l.code !== 'standard').map((l) => l.code);

  const form = useSubmit(async (v, formElement) => {
    const input = formElement.elements.namedItem('file') as HTMLInputElement | null;
    const file = input?.files?.[0];
    if (!file) throw clientError('file', 'Choose the file to import');
    setResult(null);
    try {
      setResult(await api.upload<PaymentImportResult>('/payment-imports', { kind, fileName: file.name, layout: chosen.layouts ? v.layout : undefined }, file, 'application/octet-stream'));
    } catch (e) {
      // A file refused whole names the record and the reason: that is about the file.
      if (e instanceof ApiError && e.details.record !== undefined) throw new ApiError(e.status, e.code, e.message, { ...e.details, field: 'file' });
      throw e;
    } finally {
      imports.reload();
    }
  });
  const { error, busy, onSubmit } = form;

  return (
    <>
      <PageHeader title="Import a payment file" subtitle="Lockbox and card files, online bill-pay remittances, the bank's BAI2 report, ACH returns and returned checks. A file is imported once; a file that does not read is refused whole and nothing is posted." />
      <Card title="Import a file" testId="payment-import">
        <form onSubmit={onSubmit} className="form-grid form-page" noValidate data-testid="payment-import-form">
          <ErrorMessage error={error} />
          <SelectField label="Kind of file" name="kind" field="querystring.kind" error={error} options={importKinds} value={kind} onChange={(e) => setKind(e.target.value as PaymentImportKind)} wide />
          {chosen.layouts && (
            <SelectField
              label="Layout"
              name="layout"
              field={['querystring.layout', 'layout']}
              error={error}
              options={layoutOptions}
              blank="Standard"
              hint={layoutOptions.length ? 'The column layout of the file, if not the standard one' : 'The standard layout (no other layouts are set up)'}
            />
          )}
          <TextField label="File" name="file" type="file" field={['file', 'body', 'querystring.fileName']} error={error} accept={chosen.accept} required hint={kind === 'lockbox-csv' ? 'Deposit Date,Batch,Item Sequence,Account Number,Remitter Name,Check Number,Payment Type,Payment Amount; last row totals' : undefined} />
          <div className="form-actions">
            <button type="submit" className="button-primary" disabled={busy} data-testid="upload-payments">
              {busy ? 'Importing…' : 'Upload and import'}
            </button>
          </div>
        </form>
      </Card>
      {result && <ImportSummary result={result} />}
      <Card title="Files imported" testId="payment-imports">
        {imports.error ? (
          <LoadError error={imports.error} retry={imports.reload} />
        ) : !imports.data ? (
          <Loading what="Loading the files imported" />
        ) : imports.data.items.length === 0 ? (
          <Empty>No payment files imported yet.</Empty>
        ) : (
          <DataTable columns={importColumns} rows={imports.data.items} rowKey={(i) => i.importId} testId="payment-imports-table" />
        )}
      </Card>
    </>
  );
}
