import { DataTable, type Column } from '../components/DataTable.tsx';
import { Facts } from '../components/ui.tsx';
import { formatCents } from '../format.ts';
import { Link } from '../router.tsx';
import type { CollectionsRunAction, CollectionsRunResult, CollectionsRunSkipped } from '../types.ts';
import { ActionBadge, dash, HoldList, NoticeLink, OrderLinks, PrintFileLink } from './labels.tsx';

const accountCell = (r: { accountId: number; accountNumber: string }) => (
  <Link to={`/accounts/${r.accountId}`} className="mono" data-testid="run-account">
    {r.accountNumber}
  </Link>
);

export const runActionColumns: Column<CollectionsRunAction>[] = [
  { header: 'Account', className: 'nowrap', cell: accountCell },
  { header: 'What', className: 'nowrap', cell: (a) => <ActionBadge action={a.action} /> },
  { header: 'Detail', cell: (a) => <span data-testid="run-action-detail">{a.detail}</span> },
  { header: 'Past due', className: 'num nowrap', cell: (a) => formatCents(a.pastDueCents) },
  { header: 'Fee', className: 'num nowrap', cell: (a) => (a.feeCents ? formatCents(a.feeCents) : dash) },
  { header: 'Notice', className: 'nowrap', cell: (a) => (a.noticeId ? <NoticeLink id={a.noticeId} kind={a.action.replace(/_notice$/, '')} /> : dash) },
  { header: 'Orders', cell: (a) => <OrderLinks ids={a.orderIds} /> },
];

export const runSkippedColumns: Column<CollectionsRunSkipped>[] = [
  { header: 'Account', className: 'nowrap', cell: accountCell },
  { header: 'Step held', className: 'nowrap', cell: (s) => <span data-testid="run-skipped-step">{s.step}</span> },
  { header: 'What held it', cell: (s) => <HoldList holds={s.protections} testId="run-skipped-protections" /> },
];

/** In a sentence: what a run did, or that the date had run already and nothing was done. */
export function runSentence(r: CollectionsRunResult, today = true): string {
  if (r.alreadyRun) return today ? `Collections already run today (${r.date}): nothing done.` : `Collections already run for ${r.date}: nothing done.`;
  const n = (count: number, one: string, many = `${one}s`) => `${count} ${count === 1 ? one : many}`;
  return `Collections run of ${r.date}: ${n(r.accountsReviewed, 'account')} reviewed, ${n(r.actions.length, 'action')}, ${n(r.skippedProtected.length, 'account')} passed over by a protection, ${n(r.errors.length, 'error')}.`;
}

/**
 * What a collections run did: its counts, every action (with its notice and orders), every
 * account it passed over with the protection that held it, and any errors (an account whose work
 * failed is left for the next run; the others are done).
 */
export function RunResultView({ result, today = true, testId = 'collections-run-result' }: { result: CollectionsRunResult; today?: boolean; testId?: string }) {
  const r = result;
  return (
    <div data-testid={testId} data-already-run={r.alreadyRun}>
      {r.alreadyRun ? (
        <p className="notice deposit-made" role="status" data-testid="collections-run-already">
          {runSentence(r, today)}
        </p>
      ) : (
        <p className={`${r.errors.length ? 'notice' : 'success-banner'} deposit-made`} role="status" data-testid="collections-run-done">
          {runSentence(r, today)}
        </p>
      )}
      {!r.alreadyRun && (
        <>
          <Facts
            items={[
              ['Accounts reviewed', <span data-testid="run-reviewed">{r.accountsReviewed}</span>],
              ['Actions', <span data-testid="run-actions">{r.actions.length}</span>],
              ['Notices', <span data-testid="run-notices">{r.notices}</span>],
              ['Disconnect orders', <span data-testid="run-disconnect-orders">{r.disconnectOrders}</span>],
              ['Reconnect orders', <span data-testid="run-reconnect-orders">{r.reconnectOrders}</span>],
              ['Fees charged', <span data-testid="run-fees">{formatCents(r.feesCents)}</span>],
              ['Passed over (protected)', <span data-testid="run-skipped">{r.skippedProtected.length}</span>],
              ['Errors', <span data-testid="run-errors">{r.errors.length}</span>],
            ]}
          />
          <p className="small">
            <Link to={`/collections/runs?date=${r.date}`} data-testid="run-detail-link">The run of {r.date} →</Link>
            {r.notices > 0 && (
              <>
                {' '}· Print batch: <PrintFileLink date={r.date} />
              </>
            )}
          </p>
          <h3 className="subheading">Actions</h3>
          {r.actions.length === 0 ? <p className="muted small" data-testid="run-no-actions">No account was due for a step.</p> : <DataTable columns={runActionColumns} rows={r.actions} rowKey={(a) => `${a.accountId}:${a.action}:${a.step ?? ''}:${a.noticeId ?? ''}:${a.orderIds.join(',')}`} testId="run-actions-table" />}
          <h3 className="subheading">Passed over</h3>
          {r.skippedProtected.length === 0 ? (
            <p className="muted small">No account was held back by a protection.</p>
          ) : (
            <DataTable columns={runSkippedColumns} rows={r.skippedProtected} rowKey={(s) => `${s.accountId}:${s.step}`} testId="run-skipped-table" />
          )}
          {r.errors.length > 0 && (
            <>
              <h3 className="subheading">Errors</h3>
              <ul className="alert-list" data-testid="run-errors-list">
                {r.errors.map((e) => (
                  <li key={e.accountId} className="alert-item">
                    <span>
                      <Link to={`/accounts/${e.accountId}`}>Account {e.accountId}</Link>: {e.message}
                    </span>
                  </li>
                ))}
              </ul>
            </>
          )}
        </>
      )}
    </div>
  );
}
