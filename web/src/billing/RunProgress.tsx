import { useEffect, useId, useRef, useState } from 'react';
import { api, ApiError } from '../api.ts';
import { LoadError } from '../components/ui.tsx';
import type { RunProgress } from '../types.ts';
import { BillingBadge } from './badges.tsx';

/** How often a run under way is asked how far it got. */
export const pollMs = 500;

/**
 * Follows a run (GET /billing/runs/:id/progress every 500 ms) until it is no longer running;
 * `onFinished` is called once, with the last progress.
 */
export function useRunProgress(runId: number | null, onFinished?: (p: RunProgress) => void): { progress: RunProgress | null; error: ApiError | null } {
  const [progress, setProgress] = useState<RunProgress | null>(null);
  const [error, setError] = useState<ApiError | null>(null);
  const finished = useRef(onFinished);
  finished.current = onFinished;

  useEffect(() => {
    setProgress(null);
    setError(null);
    if (runId === null) return;
    const controller = new AbortController();
    let timer: ReturnType<typeof setTimeout> | undefined;
    const poll = async () => {
      try {
        const p = await api.get<RunProgress>(`/billing/runs/${runId}/progress`, undefined, controller.signal);
        if (controller.signal.aborted) return;
        setProgress(p);
        setError(null);
        if (p.status === 'running') timer = setTimeout(poll, pollMs);
        else finished.current?.(p);
      } catch (e) {
        if (controller.signal.aborted) return;
        setError(e instanceof ApiError ? e : new ApiError(0, 'client', (e as Error).message));
        // A dropped answer is asked again; the run goes on at the server either way.
        timer = setTimeout(poll, pollMs * 4);
      }
    };
    void poll();
    return () => {
      controller.abort();
      clearTimeout(timer);
    };
  }, [runId]);

  return { progress, error };
}

/** A run's progress as a bar (role=progressbar, agreements done of the total) with the counts so far. */
export function RunProgressBar({ progress, error }: { progress: RunProgress | null; error?: ApiError | null }) {
  const labelId = useId();
  const total = progress?.total ?? 0;
  const max = Math.max(total, 1);
  const done = progress?.status === 'completed' ? max : Math.min(progress?.done ?? 0, max);
  const percent = Math.round((done * 100) / max);
  const label = progress ? `${progress.done} of ${total} agreement${total === 1 ? '' : 's'}` : 'Starting';
  return (
    <div className="run-progress" data-testid="run-progress">
      <div className="run-progress-head">
        <span id={labelId}>{progress?.status === 'running' || !progress ? 'Billing…' : 'Billing run'}</span>
        {progress && <BillingBadge status={progress.status} testId="run-progress-status" />}
      </div>
      <div
        className="progress"
        role="progressbar"
        aria-labelledby={labelId}
        aria-valuemin={0}
        aria-valuemax={max}
        aria-valuenow={done}
        aria-valuetext={`${label} (${percent}%)`}
        data-testid="run-progress-bar"
      >
        <div className={`progress-fill${progress?.status === 'failed' ? ' progress-failed' : ''}`} style={{ width: `${percent}%` }} />
      </div>
      <p className="muted small run-progress-counts" aria-live="polite">
        {label} · {progress?.posted ?? 0} posted · {progress?.held ?? 0} held · {progress?.skipped ?? 0} skipped
      </p>
      {progress?.error && <div className="error-banner" role="alert">The run failed: {progress.error}</div>}
      {progress?.status === 'stopped' && <p className="notice">The run did not finish. Run the cycle again to finish it; no one is billed twice.</p>}
      {error && <LoadError error={error} />}
    </div>
  );
}
