import { humanize } from '../format.ts';

/** Badges of billing states, in the look of StatusBadge (components/ui.tsx). */

const tone: Record<string, string> = {
  // bills
  posted: 'good',
  held: 'bad',
  cancelled: 'muted',
  // runs
  running: 'info',
  completed: 'good',
  failed: 'bad',
  stopped: 'warn',
  // ledger entries
  bill: 'info',
  adjustment: 'warn',
  reversal: 'muted',
  // bill exceptions
  open: 'bad',
  approved: 'good',
  recalculated: 'info',
};

export function BillingBadge({ status, testId }: { status: string; testId?: string }) {
  return (
    <span className={`badge badge-${tone[status] ?? 'muted'}`} data-testid={testId}>
      {humanize(status)}
    </span>
  );
}

/** Whether a run's control totals tie: line amounts = bill totals = ledger entries. */
export function TiedBadge({ tied, testId }: { tied: boolean; testId?: string }) {
  return (
    <span className={`badge badge-${tied ? 'good' : 'bad'}`} data-testid={testId} data-tied={tied}>
      <span aria-hidden="true">{tied ? '✓ ' : '✗ '}</span>
      {tied ? 'Tied' : 'Not tied'}
    </span>
  );
}

export function ServiceTag({ service }: { service: string }) {
  return <span className={`service-tag service-${service}`}>{humanize(service)}</span>;
}
