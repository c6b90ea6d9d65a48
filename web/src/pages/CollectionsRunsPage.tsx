import { api } from '../api.ts';
import { ActionBadge, dash, deliveryLabel, HoldList, NoticeLink, noticeLabel, OrderLinks, PrintFileLink } from '../collections/labels.tsx';
import { runSentence } from '../collections/RunResultView.tsx';
import { DataTable, type Column } from '../components/DataTable.tsx';
import { Card, Empty, Facts, LoadError, Loading, PageHeader } from '../components/ui.tsx';
import { formatCents, formatTimestamp, humanize } from '../format.ts';
import { useApi, useQueryFilters } from '../hooks.ts';
import { Link, setQuery } from '../router.tsx';
import type { CollectionAction, CollectionNotice, CollectionsRunDetail, CollectionsRunRecord } from '../types.ts';

const isDate = (s: string) => /^\d{4}-\d{2}-\d{2}$/.test(s);

function runColumns(selected: string | null): Column<CollectionsRunRecord>[] {
  return [
    {
      header: 'Date',
      className: 'nowrap',
      cell: (r) => (
        <button type="button" className="button-link" onClick={() => setQuery({ date: r.date })} aria-current={r.date === selected ? 'true' : undefined} data-testid="run-date">
          {r.date}
        </button>
      ),
    },
    { header: 'Run', className: 'nowrap', cell: (r) => (r.finishedAt ? formatTimestamp(r.finishedAt) : <span className="badge badge-warn">Stopped part way: run the date again</span>) },
    { header: 'Reviewed', className: 'num', cell: (r) => r.result?.accountsReviewed ?? dash },
    { header: 'Actions', className: 'num', cell: (r) => <span data-testid="run-list-actions">{r.result?.actions.length ?? '—'}</span> },
    { header: 'Notices', className: 'num', cell: (r) => r.result?.notices ?? dash },
    { header: 'Disconnect orders', className: 'num', cell: (r) => r.result?.disconnectOrders ?? dash },
    { header: 'Reconnect orders', className: 'num', cell: (r) => r.result?.reconnectOrders ?? dash },
    { header: 'Fees', className: 'num nowrap', cell: (r) => (r.result ? formatCents(r.result.feesCents) : dash) },
    { header: 'Passed over', className: 'num', cell: (r) => r.result?.skippedProtected.length ?? dash },
    { header: 'Errors', className: 'num', cell: (r) => (r.result?.errors.length ? <span className="badge badge-bad">{r.result.errors.length}</span> : r.result ? '0' : dash) },
  ];
}

/** Actions are recorded with the account's id; the run's result names each account's number. */
function actionColumns(numbers: Map<number, string>): Column<CollectionAction>[] {
  return [
    {
      header: 'Account',
      className: 'nowrap',
      cell: (a) => (
        <Link to={`/accounts/${a.accountId}`} className="mono" data-testid="run-account">
          {numbers.get(a.accountId) ?? `Account ${a.accountId}`}
        </Link>
      ),
    },
    { header: 'What', className: 'nowrap', cell: (a) => <ActionBadge action={a.action} /> },
    { header: 'Step', className: 'nowrap', cell: (a) => (a.step ? humanize(a.step) : dash) },
    {
      header: 'Detail',
      cell: (a) => (
        <>
          {/* A step passed over: its detail repeats the protections' own, listed instead. */}
          {a.action === 'skipped' && a.protections && a.protections.length > 0 ? null : <span data-testid="run-action-detail">{a.detail}</span>}
          {a.protections && a.protections.length > 0 && <HoldList holds={a.protections} testId="run-action-protections" />}
        </>
      ),
    },
    { header: 'Past due', className: 'num nowrap', cell: (a) => formatCents(a.pastDueCents) },
    { header: 'Fee', className: 'num nowrap', cell: (a) => (a.feeCents ? formatCents(a.feeCents) : dash) },
    { header: 'Notice', className: 'nowrap', cell: (a) => (a.noticeId ? <NoticeLink id={a.noticeId} kind={a.action.replace(/_notice$/, '')} /> : dash) },
    { header: 'Orders', cell: (a) => <OrderLinks ids={a.orderIds} /> },
    { header: 'When', className: 'nowrap small', cell: (a) => formatTimestamp(a.createdAt) },
  ];
}

function noticeColumns(numbers: Map<number, string>): Column<CollectionNotice>[] {
  return [
    { header: 'Notice', className: 'nowrap', cell: (n) => <NoticeLink id={n.id} kind={n.kind} /> },
    { header: 'Kind', className: 'nowrap', cell: (n) => noticeLabel(n.kind) },
    { header: 'How', className: 'nowrap', cell: (n) => deliveryLabel(n.delivery) },
    { header: 'Account', className: 'nowrap', cell: (n) => <Link to={`/accounts/${n.accountId}`} className="mono">{numbers.get(n.accountId) ?? `Account ${n.accountId}`}</Link> },
    { header: 'Amount', className: 'num nowrap', cell: (n) => formatCents(n.amountCents) },
    { header: 'Disconnection from', className: 'nowrap', cell: (n) => n.disconnectFrom ?? dash },
  ];
}

/** One date's run: what it did (every action recorded that day, staff's too), the accounts passed over, the notices and the print batch. */
function RunDetail({ date }: { date: string }) {
  const run = useApi(`collections-run:${date}`, (signal) => api.get<CollectionsRunDetail>(`/collections/runs/${date}`, undefined, signal));
  const r = run.data;
  const numbers = new Map<number, string>();
  for (const x of [...(r?.result?.actions ?? []), ...(r?.result?.skippedProtected ?? [])]) numbers.set(x.accountId, x.accountNumber);
  const done = r ? r.actions.filter((a) => a.action !== 'skipped') : [];
  const skipped = r ? r.actions.filter((a) => a.action === 'skipped') : [];
  return (
    <Card title={`The run of ${date}`} testId="collections-run-detail">
      {run.error ? (
        <LoadError error={run.error} retry={run.reload} />
      ) : !r ? (
        <Loading what="Loading the run" />
      ) : (
        <>
          {r.result ? (
            <p className={r.result.errors.length ? 'notice' : 'small'} data-testid="run-detail-summary">{runSentence(r.result, false)}</p>
          ) : (
            <p className="notice" data-testid="run-detail-summary">This run stopped part way (started {formatTimestamp(r.startedAt)}): run the date again to finish it. Nothing is done twice.</p>
          )}
          <Facts
            items={[
              ['Started', formatTimestamp(r.startedAt)],
              ['Finished', r.finishedAt ? formatTimestamp(r.finishedAt) : 'Not finished'],
              ['Notices', <span data-testid="run-detail-notices">{r.notices.length}</span>],
              ['Print batch', r.finishedAt ? <PrintFileLink date={date} /> : 'When the run finishes'],
            ]}
          />
          <h3 className="subheading">Actions</h3>
          {done.length === 0 ? <Empty>No actions that day.</Empty> : <DataTable columns={actionColumns(numbers)} rows={done} testId="run-detail-actions" />}
          <h3 className="subheading">Passed over, and what held them</h3>
          {skipped.length === 0 ? <Empty>No account was held back by a protection.</Empty> : <DataTable columns={actionColumns(numbers)} rows={skipped} testId="run-detail-skipped" />}
          <h3 className="subheading">Notices</h3>
          {r.notices.length === 0 ? <Empty>No notices that day.</Empty> : <DataTable columns={noticeColumns(numbers)} rows={r.notices} testId="run-detail-notice-list" />}
          {r.result && r.result.errors.length > 0 && (
            <>
              <h3 className="subheading">Errors</h3>
              <ul className="alert-list" data-testid="run-detail-errors">
                {r.result.errors.map((e) => (
                  <li key={e.accountId} className="alert-item">
                    <span><Link to={`/accounts/${e.accountId}`}>Account {e.accountId}</Link>: {e.message}</span>
                  </li>
                ))}
              </ul>
            </>
          )}
        </>
      )}
    </Card>
  );
}

/** The collections runs: the recent dates and what each did; a date's detail with its notices and the print batch file. */
export function CollectionsRunsPage() {
  const filters = useQueryFilters('date');
  const runs = useApi('collections-runs', (signal) => api.get<{ items: CollectionsRunRecord[] }>('/collections/runs', undefined, signal));
  const items = runs.data?.items ?? [];
  const selected = isDate(filters.date) ? filters.date : (items[0]?.date ?? null);
  return (
    <>
      <PageHeader
        title="Collections runs"
        subtitle="The daily collections run of each date: fees, notices, disconnect and reconnect orders, and the accounts passed over with the protection that held them."
        actions={
          <>
            <Link to="/collections" className="button">Work queue</Link>
            <Link to="/collections/settings" className="button">Settings</Link>
          </>
        }
      />
      <Card title="Recent runs" testId="collections-runs">
        {runs.error ? (
          <LoadError error={runs.error} retry={runs.reload} />
        ) : !runs.data ? (
          <Loading what="Loading the runs" />
        ) : items.length === 0 ? (
          <Empty>No collections run yet. Run today's from the <Link to="/collections">work queue</Link>.</Empty>
        ) : (
          <DataTable columns={runColumns(selected)} rows={items} rowKey={(r) => r.date} testId="collections-runs-table" />
        )}
      </Card>
      {selected && <RunDetail key={selected} date={selected} />}
    </>
  );
}
