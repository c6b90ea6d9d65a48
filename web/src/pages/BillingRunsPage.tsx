import { useState } from 'react';
import { api } from '../api.ts';
import { BillingBadge, TiedBadge } from '../billing/badges.tsx';
import { RunProgressBar, useRunProgress } from '../billing/RunProgress.tsx';
import { ControlTotals, RunCounts } from '../billing/RunSummaryView.tsx';
import { cycleOptions } from '../billing/schedule.ts';
import type { Column } from '../components/DataTable.tsx';
import { ErrorMessage, integerOrText, SelectField, TextField, useSubmit } from '../components/forms.tsx';
import { ListCard } from '../components/ListCard.tsx';
import { Card, LoadError, Loading, PageHeader } from '../components/ui.tsx';
import { formatCents, formatTimestamp, utilityToday } from '../format.ts';
import { useApi, usePagedQuery } from '../hooks.ts';
import { Link } from '../router.tsx';
import { useCan } from '../session.tsx';
import type { BillingRun, RunSummary } from '../types.ts';

const summaryOf = (run: BillingRun) => (run.summary ?? null) as RunSummary | null;
const dash = <span className="muted">—</span>;

const columns: Column<BillingRun>[] = [
  { header: 'Run', className: 'nowrap', cell: (r) => <Link to={`/billing/runs/${r.id}`} className="mono">Run {r.id}</Link> },
  { header: 'Cycle', className: 'num', cell: (r) => r.cycle },
  { header: 'Read date', className: 'nowrap', cell: (r) => r.readDate },
  { header: 'Bill date', className: 'nowrap', cell: (r) => r.billDate },
  { header: 'Due date', className: 'nowrap', cell: (r) => r.dueDate },
  { header: 'Status', cell: (r) => <BillingBadge status={r.status} /> },
  { header: 'Posted', className: 'num', cell: (r) => summaryOf(r)?.bills.posted ?? dash },
  { header: 'Held', className: 'num', cell: (r) => { const s = summaryOf(r); return s ? (s.bills.held > 0 ? <Link to="/billing/exceptions">{s.bills.held}</Link> : 0) : dash; } },
  { header: 'Posted $', className: 'num nowrap', cell: (r) => { const s = summaryOf(r); return s ? formatCents(s.bills.postedCents) : dash; } },
  { header: 'Control', cell: (r) => { const s = summaryOf(r); return s ? <TiedBadge tied={s.control.tied} /> : dash; } },
  { header: 'Finished', className: 'nowrap', cell: (r) => (r.finishedAt ? formatTimestamp(r.finishedAt) : dash) },
];

/** What the last "Run billing" did: a run under way (followed by its id), or the answer of a run completed before. */
type Started = { runId: number; total: number } | { summary: RunSummary };

/**
 * Starts a cycle's run without waiting (wait: false), follows it with a progress bar, and then
 * shows its summary and control totals.
 */
function RunBillingCard({ onFinished }: { onFinished(): void }) {
  const [started, setStarted] = useState<Started | null>(null);
  const runId = started && 'runId' in started ? started.runId : null;
  const [finishedRun, setFinishedRun] = useState<number | null>(null);
  const { progress, error: progressError } = useRunProgress(runId, () => {
    setFinishedRun(runId);
    onFinished();
  });
  const finished = useApi(`billing-run:${finishedRun ?? ''}`, (signal) => (finishedRun === null ? Promise.resolve(null) : api.get<BillingRun>(`/billing/runs/${finishedRun}`, undefined, signal)));
  const summary = started && 'summary' in started ? started.summary : finished.data ? summaryOf(finished.data) : null;

  const form = useSubmit(async (v) => {
    setStarted(null);
    setFinishedRun(null);
    const answer = await api.post<{ runId: number; total: number } | RunSummary>('/billing/runs', { cycle: integerOrText(v.cycle), date: v.date, wait: false });
    if ('control' in answer) {
      setStarted({ summary: answer });
      onFinished();
    } else setStarted({ runId: answer.runId, total: answer.total });
  });
  const running = progress?.status === 'running' || (runId !== null && !progress);

  return (
    <>
      <Card title="Run billing" testId="run-billing">
        <form onSubmit={form.onSubmit} noValidate data-testid="run-billing-form">
          <ErrorMessage error={form.error} />
          <div className="run-form-fields">
            <SelectField label="Cycle" name="cycle" field="body.cycle" error={form.error} options={cycleOptions} defaultValue="1" />
            <TextField label="Date" name="date" type="date" field="body.date" error={form.error} defaultValue={utilityToday()} required hint="Bills the cycle's schedule entry read on or before this day" />
            <div className="form-actions">
              <button type="submit" className="button-primary" disabled={form.busy || running} data-testid="start-run">
                {running ? 'Running…' : 'Run billing'}
              </button>
            </div>
          </div>
        </form>
        {runId !== null && <RunProgressBar progress={progress} error={progressError} />}
        {runId !== null && finishedRun !== null && (
          <p className="small">
            <Link to={`/billing/runs/${runId}`} data-testid="run-link">Open run {runId}: the billing register and control totals →</Link>
          </p>
        )}
        {finished.error && <LoadError error={finished.error} retry={finished.reload} />}
        {finishedRun !== null && !finished.data && !finished.error && <Loading what="Loading the run's summary" />}
      </Card>
      {summary && (
        <div className="card-row card-row-2" data-testid="run-result">
          <RunCounts summary={summary} />
          <ControlTotals control={summary.control} />
        </div>
      )}
    </>
  );
}

/** Billing runs: start a cycle's run (CSR II and up) and the runs so far, newest first. */
export function BillingRunsPage() {
  const canRun = useCan('csr2');
  const list = usePagedQuery<BillingRun>('/billing/runs', {}, { limit: 25 });
  return (
    <>
      <PageHeader title="Billing runs" subtitle="A run bills a read cycle for one schedule entry: it rates every agreement due, holds the bills that fail a check, and posts the rest to the ledger." />
      {canRun && <RunBillingCard onFinished={list.reload} />}
      <ListCard title="Runs" list={list} columns={columns} empty="No billing runs yet." testId="billing-runs-table" newerLabel="Newer" olderLabel="Older" />
    </>
  );
}
