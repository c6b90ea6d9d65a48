import { useState } from 'react';
import { api } from '../api.ts';
import { ActionBadge, dash, HoldList } from '../collections/labels.tsx';
import { RunResultView } from '../collections/RunResultView.tsx';
import { DataTable, type Column } from '../components/DataTable.tsx';
import { FilterBar } from '../components/FilterBar.tsx';
import { ErrorMessage, SelectField, useSubmit } from '../components/forms.tsx';
import { Card, Empty, LoadError, Loading, PageHeader, Pager } from '../components/ui.tsx';
import { formatCents, humanize } from '../format.ts';
import { useApi, useCursorStack, useQueryFilters } from '../hooks.ts';
import { Link } from '../router.tsx';
import { useCan } from '../session.tsx';
import type { CollectionsQueueItem, CollectionsRunResult, Page } from '../types.ts';

/** Open cases per page: the filters below apply to the cases of the page shown. */
const pageSize = 200;

const dueOptions = [
  { value: 'today', label: 'Due today' },
  { value: 'all', label: 'All open cases' },
];
const heldOptions = [
  { value: 'held', label: 'Held by a protection' },
  { value: 'not_held', label: 'Not held' },
];

const columns: Column<CollectionsQueueItem>[] = [
  {
    header: 'Account',
    cell: (q) => (
      <>
        <Link to={`/accounts/${q.case.accountId}`} className="mono" data-testid="queue-account">{q.accountNumber}</Link>
        <div className="small">{q.customerName}</div>
      </>
    ),
  },
  { header: 'Class', className: 'nowrap', cell: (q) => (q.customerClass ? humanize(q.customerClass) : dash) },
  {
    header: 'Collectable past due',
    className: 'num nowrap',
    cell: (q) => (
      <>
        <span data-testid="queue-collectable">{formatCents(q.collectableCents)}</span>
        {q.collectableCents !== q.pastDueCents && <div className="small muted">of {formatCents(q.pastDueCents)} past due</div>}
      </>
    ),
  },
  { header: 'Past due since', className: 'nowrap', cell: (q) => <>{q.case.dueDate}<div className="small muted">case {q.case.id} opened {q.case.openedOn}</div></> },
  {
    header: 'Last step',
    className: 'nowrap',
    cell: (q) => (q.case.step ? <><span data-testid="queue-last-step">{humanize(q.case.step)}</span><div className="small muted">{q.case.stepOn}</div></> : <span className="muted">None yet</span>),
  },
  {
    header: 'Next step',
    cell: (q) =>
      q.nextStep ? (
        <div data-testid="queue-next-step" data-due={q.nextStep.due}>
          <span data-testid="queue-next-label">{q.nextStep.label}</span> <span className="small muted nowrap">on {q.nextStep.on}</span>{' '}
          {q.nextStep.due ? <span className="badge badge-warn" data-testid="queue-due-today">Due today</span> : <span className="badge badge-muted">Not yet</span>}
        </div>
      ) : (
        <span className="muted" data-testid="queue-next-step">No step left on the path</span>
      ),
  },
  { header: 'What holds it', cell: (q) => <HoldList holds={q.holds} testId="queue-holds" /> },
  {
    header: 'Disconnection',
    className: 'nowrap',
    cell: (q) => (q.case.disconnectedOn ? <ActionBadge action="disconnect_order" testId="queue-disconnected" /> : q.case.disconnectFrom ? <span className="small">from {q.case.disconnectFrom}</span> : dash),
  },
];

/**
 * Today's collections run by hand (CSR II and up): the date is the server's today. It answers what
 * it did, or that the date had run already and nothing was done.
 */
function RunTodayCard({ onDone }: { onDone(): void }) {
  const [result, setResult] = useState<CollectionsRunResult | null>(null);
  const form = useSubmit(async () => {
    setResult(null);
    // No date: the server runs its today (the district's calendar day, whatever the browser's clock says).
    setResult(await api.post<CollectionsRunResult>('/collections/runs', {}));
    onDone();
  });
  return (
    <Card title="Today's collections run" testId="collections-run">
      <form onSubmit={form.onSubmit} noValidate data-testid="collections-run-form">
        <ErrorMessage error={form.error} />
        <p className="small muted">
          Charges late fees on bills past their late-fee date, opens a case for each account whose past-due amount reaches the minimum, and takes each case's next step whose day has come: notices (PDF letters and the print batch file), the 48-hour notice with its field fee, disconnect orders for the field, final bills. Every protection is checked first; an account passed over is listed with what held it. A date runs once: run again, it does nothing and says so.
        </p>
        <div className="form-actions">
          <button type="submit" className="button-primary" disabled={form.busy} data-testid="run-collections">
            {form.busy ? 'Running…' : "Run today's collections"}
          </button>
        </div>
      </form>
      {result && <RunResultView result={result} />}
    </Card>
  );
}

/**
 * The collections work queue: every open case with its account, what may be collected (past due
 * less what a dispute or a bankruptcy stay holds back), its last and next step with the next
 * step's day and whether it is due today, and what holds it. CSR IIs run today's collections here.
 */
export function CollectionsQueuePage() {
  const filters = useQueryFilters('due', 'held');
  const canRun = useCan('csr2');
  const pages = useCursorStack('collections-queue');
  const queue = useApi(`collections-queue:${pages.cursor ?? ''}`, (signal) => api.get<Page<CollectionsQueueItem>>('/collections/queue', { limit: pageSize, after: pages.cursor }, signal));
  const due = filters.due === 'all' ? 'all' : 'today';
  const items = (queue.data?.items ?? []).filter((q) => (due === 'all' || q.nextStep?.due === true) && (filters.held === 'held' ? q.holds.length > 0 : filters.held === 'not_held' ? q.holds.length === 0 : true));
  const next = queue.data?.next ?? null;

  return (
    <>
      <PageHeader
        title="Collections queue"
        subtitle="Who is due for what today, and why: accounts on the collections path with their next step and anything that holds it."
        actions={
          <>
            <Link to="/collections/runs" className="button">Runs</Link>
            <Link to="/collections/settings" className="button">Settings</Link>
          </>
        }
      />
      {canRun && <RunTodayCard onDone={queue.reload} />}
      <Card title="Open cases" testId="collections-queue">
        <FilterBar key={`${filters.due}:${filters.held}`} label="Filter the collections queue">
          <SelectField label="Next step" name="due" options={dueOptions} defaultValue={due} />
          <SelectField label="Protections" name="held" options={heldOptions} blank="Held or not" defaultValue={filters.held} />
        </FilterBar>
        {queue.error ? (
          <LoadError error={queue.error} retry={queue.reload} />
        ) : !queue.data ? (
          <Loading what="Loading the collections queue" />
        ) : items.length === 0 ? (
          <Empty>
            {queue.data.items.length === 0
              ? 'No account is on the collections path.'
              : due === 'today'
                ? 'No open case has a step due today. Choose "All open cases" to see the others.'
                : 'No open case matches the filters.'}
          </Empty>
        ) : (
          <DataTable columns={columns} rows={items} rowKey={(q) => q.case.id} testId="collections-queue-table" />
        )}
        {queue.data && (
          <Pager pageNumber={pages.pageNumber} hasNext={next !== null} onNewer={pages.newer} onOlder={() => next !== null && pages.older(next)} newerLabel="Earlier cases" olderLabel="Later cases" />
        )}
      </Card>
    </>
  );
}
