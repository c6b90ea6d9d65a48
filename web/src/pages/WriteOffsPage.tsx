import { useState } from 'react';
import { api } from '../api.ts';
import { DecideWriteOffDialog, WriteOffBadge } from '../bad-debt/common.tsx';
import { DataTable, type Column } from '../components/DataTable.tsx';
import { FilterBar } from '../components/FilterBar.tsx';
import { SelectField, TextField } from '../components/forms.tsx';
import { Card, Empty, Facts, LoadError, Loading, PageHeader, Pager, SuccessBanner } from '../components/ui.tsx';
import { formatCents, formatTimestamp } from '../format.ts';
import { useApi, useCursorStack, useQueryFilters } from '../hooks.ts';
import { Link } from '../router.tsx';
import { useCan } from '../session.tsx';
import { writeOffStatuses, type WriteOff, type WriteOffList, type WriteOffListItem } from '../types.ts';

const statusLabels: Record<string, string> = { requested: 'Waiting for approval', approved: 'Written off', refused: 'Refused', cancelled: 'Withdrawn' };

/**
 * Write-offs: the requests waiting for a supervisor (who approves or refuses; never the one who
 * asked, the server says so), then every write-off with the bad-debt totals of the days chosen
 * (written off, reinstated when money came later, kept by the agencies as commission).
 */
export function WriteOffsPage() {
  const filters = useQueryFilters('status', 'from', 'to');
  const canDecide = useCan('supervisor');
  const [version, setVersion] = useState(0);
  const waiting = useApi(`write-offs-waiting:${version}`, (signal) => api.get<WriteOffList>('/bad-debt/write-offs', { status: 'requested', limit: 100 }, signal));
  const query = { status: filters.status || undefined, from: filters.from || undefined, to: filters.to || undefined };
  const key = JSON.stringify(query);
  const pages = useCursorStack(key);
  const list = useApi(`write-offs:${key}:${pages.cursor ?? ''}:${version}`, (signal) => api.get<WriteOffList>('/bad-debt/write-offs', { ...query, limit: 25, after: pages.cursor }, signal));
  const [acting, setActing] = useState<{ how: 'approve' | 'refuse'; w: WriteOffListItem } | null>(null);
  const [done, setDone] = useState<string | null>(null);

  const columns = (decide: boolean): Column<WriteOffListItem>[] => [
    { header: 'Write-off', className: 'nowrap', cell: (w) => <span className="mono">{w.id}</span> },
    { header: 'Account', cell: (w) => <><Link to={`/accounts/${w.accountId}`} className="mono" data-testid="write-off-account">{w.accountNumber}</Link><div className="small">{w.customerName}</div></> },
    { header: 'Amount', className: 'num nowrap', cell: (w) => <span data-testid="write-off-amount">{formatCents(w.amountCents ?? w.requestedCents)}</span> },
    { header: 'Reinstated', className: 'num nowrap', cell: (w) => formatCents(w.reinstatedCents) },
    { header: 'Asked', className: 'nowrap', cell: (w) => <>{formatTimestamp(w.requestedAt)}<div className="small muted">by {w.requestedBy}</div></> },
    { header: 'Why', cell: (w) => w.reason },
    { header: 'Status', cell: (w) => <><WriteOffBadge status={w.status} />{w.decidedBy && <div className="small muted">{w.decidedBy}{w.writtenOffOn ? `, ${w.writtenOffOn}` : ''}: {w.decisionReason}</div>}</> },
    ...(decide ? [{
      header: <span className="visually-hidden">Actions</span>, className: 'actions-cell',
      cell: (w: WriteOffListItem) => (
        <div className="row-actions">
          <button type="button" className="button-small" onClick={() => { setDone(null); setActing({ how: 'approve', w }); }} data-testid="approve-write-off" aria-label={`Approve write-off ${w.id}`}>Approve</button>
          <button type="button" className="button-small" onClick={() => { setDone(null); setActing({ how: 'refuse', w }); }} data-testid="refuse-write-off" aria-label={`Refuse write-off ${w.id}`}>Refuse</button>
        </div>
      ),
    }] : []),
  ];
  const t = list.data?.totals;

  return (
    <>
      <PageHeader
        title="Write-offs"
        subtitle="Final accounts' balances written off to bad debt: a CSR II asks from the account page; a supervisor other than the one who asked approves. Money that comes later is reinstated as recovered bad debt."
        actions={<Link to="/bad-debt/placements">Agency placements →</Link>}
      />
      <SuccessBanner message={done} testId="write-off-done" />
      <Card title="Waiting for approval" testId="write-offs-waiting">
        {waiting.error ? <LoadError error={waiting.error} retry={waiting.reload} /> : !waiting.data ? <Loading /> : waiting.data.items.length === 0 ? <Empty>No write-off is waiting.</Empty> : (
          <DataTable columns={columns(canDecide)} rows={waiting.data.items} testId="write-offs-waiting-table" />
        )}
      </Card>
      <Card title="Write-offs" testId="write-offs">
        <FilterBar key={key} label="Filter write-offs">
          <SelectField label="Status" name="status" options={writeOffStatuses.map((s) => ({ value: s, label: statusLabels[s] ?? s }))} blank="Any" defaultValue={filters.status} />
          <TextField label="From" name="from" type="date" defaultValue={filters.from} />
          <TextField label="To" name="to" type="date" defaultValue={filters.to} />
        </FilterBar>
        {t && (
          <div data-testid="write-off-totals">
            <Facts
              items={[
                ['Written off', <strong data-testid="total-written-off">{formatCents(t.writtenOffCents)}</strong>],
                ['Write-offs', String(t.writeOffs)],
                ['Reinstated (recovered)', <span data-testid="total-reinstated">{formatCents(t.reinstatedCents)}</span>],
                ['Collected by agencies', formatCents(t.agencyCollectedCents)],
                ['Agency commission', <span data-testid="total-commission">{formatCents(t.agencyCommissionCents)}</span>],
                ['Net bad debt', <strong data-testid="total-net">{formatCents(t.netBadDebtCents)}</strong>],
              ]}
            />
          </div>
        )}
        {list.error ? <LoadError error={list.error} retry={list.reload} /> : !list.data ? <Loading /> : list.data.items.length === 0 ? <Empty>No write-offs{filters.status ? ` ${statusLabels[filters.status]?.toLowerCase() ?? filters.status}` : ''}.</Empty> : (
          <>
            <DataTable columns={columns(false)} rows={list.data.items} testId="write-offs-table" />
            <Pager pageNumber={pages.pageNumber} hasNext={list.data.next !== null} onNewer={pages.newer} onOlder={() => list.data?.next != null && pages.older(list.data.next)} newerLabel="Newer" olderLabel="Older" />
          </>
        )}
      </Card>
      {canDecide && (
        <DecideWriteOffDialog
          acting={acting}
          onClose={() => setActing(null)}
          onSaved={(w: WriteOff) => {
            setActing(null);
            setDone(w.status === 'approved' ? `Write-off ${w.id} approved: ${formatCents(w.amountCents ?? 0)} written off to bad debt.` : `Write-off ${w.id} refused: the balance stays to collect.`);
            setVersion((v) => v + 1);
          }}
        />
      )}
    </>
  );
}
