import { useState } from 'react';
import { api, apiUrl } from '../api.ts';
import { RefundButtons, RefundDialogs, refundDoneText, refundKindLabel, RefundState, type RefundActions } from '../account/RefundsCard.tsx';
import { DataTable, type Column } from '../components/DataTable.tsx';
import { ErrorMessage, SelectField, useSubmit } from '../components/forms.tsx';
import { ListCard } from '../components/ListCard.tsx';
import { Card, Empty, LoadError, Loading, PageHeader, SuccessBanner } from '../components/ui.tsx';
import { formatCents, formatTimestamp } from '../format.ts';
import { useApi, usePagedQuery, useQueryFilters } from '../hooks.ts';
import { Link } from '../router.tsx';
import { useCan } from '../session.tsx';
import { refundStatuses, type Refund, type RefundExport, type RefundExportListItem, type RefundListItem } from '../types.ts';

/** An accounts-payable file as it was made (CSV), downloaded. */
function ExportFileLink({ file }: { file: Pick<RefundExportListItem, 'id' | 'fileName'> }) {
  return (
    <a href={apiUrl(`/refunds/exports/${file.id}/file`)} download={file.fileName} className="mono" data-testid="refund-export-link" aria-label={`Download the accounts-payable file ${file.fileName} (CSV)`}>
      {file.fileName}
    </a>
  );
}

const exportColumns: Column<RefundExportListItem>[] = [
  { header: 'File', cell: (e) => <ExportFileLink file={e} /> },
  { header: 'Made', className: 'nowrap', cell: (e) => formatTimestamp(e.createdAt) },
  { header: 'Refunds', className: 'num', cell: (e) => e.refunds },
  { header: 'Total', className: 'num nowrap', cell: (e) => formatCents(e.totalCents) },
];

/**
 * The accounts-payable file (supervisors make it): every approved refund not yet sent, each in one
 * file only; then the files made so far, newest first, each as it was made.
 */
function ExportsCard({ canExport, onMade }: { canExport: boolean; onMade(): void }) {
  const exports = useApi('refund-exports', (signal) => api.get<{ items: RefundExportListItem[] }>('/refunds/exports', undefined, signal));
  const [made, setMade] = useState<{ file: RefundExport | null } | null>(null);
  const form = useSubmit(async () => {
    setMade(null);
    const result = await api.post<{ export: RefundExport | null }>('/refunds/exports', {});
    setMade({ file: result.export });
    exports.reload();
    onMade();
  });
  return (
    <Card title="Accounts-payable files" testId="refund-exports">
      {canExport && (
        <form onSubmit={form.onSubmit} noValidate data-testid="refund-export-form">
          <ErrorMessage error={form.error} />
          <p className="small muted">Puts every approved refund not yet sent into one CSV file for accounts payable, which cuts the checks. Each refund goes in one file only.</p>
          <div className="form-actions">
            <button type="submit" className="button-primary" disabled={form.busy} data-testid="make-refund-export">
              {form.busy ? 'Making the file…' : 'Make accounts-payable file'}
            </button>
          </div>
        </form>
      )}
      {made && (
        made.file ? (
          <p className="success-banner deposit-made" role="status" data-testid="refund-export-done">
            Made <ExportFileLink file={made.file} />: {made.file.refunds} refund{made.file.refunds === 1 ? '' : 's'}, {formatCents(made.file.totalCents)} in all.
          </p>
        ) : (
          <p className="notice deposit-made" role="status" data-testid="refund-export-none">No approved refunds are waiting: no file was made.</p>
        )
      )}
      <h3 className="subheading">Files made</h3>
      {exports.error ? (
        <LoadError error={exports.error} retry={exports.reload} />
      ) : !exports.data ? (
        <Loading what="Loading the files" />
      ) : exports.data.items.length === 0 ? (
        <Empty>No accounts-payable files yet.</Empty>
      ) : (
        <DataTable columns={exportColumns} rows={exports.data.items} testId="refund-exports-table" />
      )}
    </Card>
  );
}

/**
 * Refunds: every refund, newest first, with its account and where it stands; staff approve the
 * ones waiting (above the approval limit, supervisors only: the server says so), and supervisors
 * make the accounts-payable file of the approved ones.
 */
export function RefundsPage() {
  const filters = useQueryFilters('status');
  const canApprove = useCan('csr1');
  const canExport = useCan('supervisor');
  const list = usePagedQuery<RefundListItem>('/refunds', { status: filters.status }, { limit: 25 });
  const [acting, setActing] = useState<{ how: 'approve' | 'cancel' | 'returned'; refund: Refund } | null>(null);
  const [done, setDone] = useState<string | null>(null);
  const actions: RefundActions = canApprove ? { approve: (refund) => { setDone(null); setActing({ how: 'approve', refund }); } } : {};

  const columns: Column<RefundListItem>[] = [
    { header: 'Refund', className: 'nowrap', cell: (r) => <span className="mono">Refund {r.id}</span> },
    {
      header: 'Account',
      cell: (r) => (
        <>
          <Link to={`/accounts/${r.accountId}`} className="mono" data-testid="refund-account">{r.accountNumber}</Link>
          <div className="small">{r.payeeName}</div>
        </>
      ),
    },
    { header: 'Kind', className: 'nowrap', cell: (r) => refundKindLabel(r.kind) },
    { header: 'Amount', className: 'num nowrap', cell: (r) => <span data-testid="refund-amount">{formatCents(r.amountCents)}</span> },
    { header: 'Status', cell: (r) => <RefundState r={r} /> },
    { header: 'Asked', className: 'nowrap', cell: (r) => formatTimestamp(r.requestedAt) },
    { header: 'Reason', cell: (r) => r.reason },
    { header: <span className="visually-hidden">Actions</span>, className: 'actions-cell', cell: (r) => <RefundButtons r={r} actions={actions} /> },
  ];

  return (
    <>
      <PageHeader
        title="Refunds"
        subtitle="Credit balances, deposits and net-metering credits paid back to customers by check through accounts payable. Refund an account's credit from its page; refunds above the approval limit wait here for a supervisor."
      />
      <SuccessBanner message={done} testId="refund-done" />
      <ExportsCard canExport={canExport} onMade={list.reload} />
      <ListCard
        title="Refunds"
        filterLabel="Filter refunds"
        filters={<SelectField label="Status" name="status" options={refundStatuses} blank="Any status" defaultValue={filters.status} />}
        list={list}
        columns={columns}
        empty={filters.status ? `No ${filters.status} refunds.` : 'No refunds yet.'}
        testId="refunds-table"
        newerLabel="Newer"
        olderLabel="Older"
      />
      {canApprove && (
        <RefundDialogs
          acting={acting}
          onClose={() => setActing(null)}
          onSaved={(how, r) => {
            setActing(null);
            setDone(refundDoneText(how, r));
            list.reload();
          }}
        />
      )}
    </>
  );
}
