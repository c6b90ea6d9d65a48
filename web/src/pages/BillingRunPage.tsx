import { api } from '../api.ts';
import { BillingBadge } from '../billing/badges.tsx';
import { RunProgressBar, useRunProgress } from '../billing/RunProgress.tsx';
import { ControlTotals, RegisterTable, RunCounts } from '../billing/RunSummaryView.tsx';
import { Card, Empty, Facts, LoadError, Loading, PageHeader } from '../components/ui.tsx';
import { formatTimestamp } from '../format.ts';
import { useApi, useTitle } from '../hooks.ts';
import { Link } from '../router.tsx';
import type { BillingRun, RunSummary } from '../types.ts';

/** A run under way: its progress, until it is done (then the page loads the run again). */
function RunUnderWay({ runId, onFinished }: { runId: number; onFinished(): void }) {
  const { progress, error } = useRunProgress(runId, onFinished);
  return (
    <Card title="Progress" testId="run-under-way">
      <RunProgressBar progress={progress} error={error} />
    </Card>
  );
}

/** One billing run: when and what it billed, what it skipped, the billing register and the control totals. */
export function BillingRunPage({ id }: { id: number }) {
  const run = useApi(`billing-run:${id}`, (signal) => api.get<BillingRun>(`/billing/runs/${id}`, undefined, signal));
  const r = run.data;
  useTitle(r ? `Billing run ${r.id}, cycle ${r.cycle}` : undefined);
  if (run.error) return <LoadError error={run.error} retry={run.reload} />;
  if (!r) return <Loading what="Loading the run" />;
  const summary = (r.summary ?? null) as RunSummary | null;

  return (
    <div data-testid="billing-run-page">
      <PageHeader
        title={<>Billing run {r.id} <span className="account-number">cycle {r.cycle}</span></>}
        subtitle={
          <ul className="inline-facts" aria-label="Run summary">
            <li data-testid="run-status"><BillingBadge status={r.status} /></li>
            <li>Read {r.readDate}</li>
            <li>Billed {r.billDate}</li>
            <li>Due {r.dueDate}</li>
            <li>Started {formatTimestamp(r.startedAt)}{r.finishedAt ? `, finished ${formatTimestamp(r.finishedAt)}` : ''}</li>
          </ul>
        }
        actions={<Link to="/billing/runs" className="button">All runs</Link>}
      />
      {r.status === 'running' && <RunUnderWay runId={r.id} onFinished={run.reload} />}
      {summary ? (
        <>
          <div className="card-row card-row-2">
            <RunCounts summary={summary} />
            <ControlTotals control={summary.control} />
          </div>
          <Card title="Billing register" testId="billing-register">
            <p className="muted small">Posted bill lines of this run by service, customer class and line. Held and cancelled bills are not in the register.</p>
            <RegisterTable register={summary.register} />
          </Card>
        </>
      ) : (
        r.status !== 'running' && (
          <Card title="Run summary">
            <Facts items={[['Cycle', r.cycle], ['Read date', r.readDate], ['Bill date', r.billDate], ['Due date', r.dueDate]]} />
            <Empty>The run has no summary: it did not finish. Run the cycle again to finish it; no one is billed twice.</Empty>
          </Card>
        )
      )}
    </div>
  );
}
