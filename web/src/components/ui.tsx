import { useId, type ReactNode } from 'react';
import type { ApiError } from '../api.ts';
import { humanize } from '../format.ts';

/** Small presentational pieces shared by the pages. */

export function Card({ title, actions, children, className, testId, headingLevel = 2 }: { title: string; actions?: ReactNode; children: ReactNode; className?: string; testId?: string; headingLevel?: 2 | 3 }) {
  const Heading = headingLevel === 2 ? 'h2' : 'h3';
  const headingId = useId();
  return (
    <section className={`card${className ? ` ${className}` : ''}`} aria-labelledby={headingId} data-testid={testId}>
      <div className="card-head">
        <Heading id={headingId}>{title}</Heading>
        {actions && <div className="card-actions">{actions}</div>}
      </div>
      <div className="card-body">{children}</div>
    </section>
  );
}

const tone: Record<string, string> = {
  active: 'good',
  installed: 'good',
  pending: 'info',
  in_stock: 'info',
  testing: 'warn',
  inactive: 'muted',
  final: 'warn',
  disconnected: 'bad',
  closed: 'muted',
  removed: 'muted',
  retired: 'muted',
  // service orders
  created: 'info',
  scheduled: 'info',
  held: 'bad',
  completed: 'good',
  cancelled: 'muted',
  // reads and their exceptions
  valid: 'good',
  exception: 'bad',
  accepted: 'info',
  voided: 'muted',
  open: 'bad',
  overridden: 'warn',
  cleared: 'muted',
  urgent: 'bad',
};

export function StatusBadge({ status }: { status: string }) {
  return <span className={`badge badge-${tone[status] ?? 'muted'}`}>{humanize(status)}</span>;
}

export function Loading({ what = 'Loading' }: { what?: string }) {
  return (
    <p className="loading" role="status">
      {what}…
    </p>
  );
}

export function LoadError({ error, retry }: { error: ApiError; retry?: () => void }) {
  return (
    <div className="error-banner" role="alert">
      {error.message}
      {retry && (
        <button type="button" className="button-link" onClick={retry}>
          Try again
        </button>
      )}
    </div>
  );
}

/** What a change just did, in a sentence under the header (announced as a status); nothing while `message` is null. */
export function SuccessBanner({ message, testId, className }: { message: string | null; testId?: string; className?: string }) {
  if (!message) return null;
  return (
    <div className={`success-banner${className ? ` ${className}` : ''}`} role="status" data-testid={testId}>
      {message}
    </div>
  );
}

export function Empty({ children }: { children: ReactNode }) {
  return <p className="empty">{children}</p>;
}

/** Previous / next buttons for cursor-paged lists. */
export function Pager({ pageNumber, hasNext, onNewer, onOlder, newerLabel = 'Previous', olderLabel = 'Next', testId }: { pageNumber: number; hasNext: boolean; onNewer(): void; onOlder(): void; newerLabel?: string; olderLabel?: string; testId?: string }) {
  if (pageNumber === 1 && !hasNext) return null;
  return (
    <nav className="pager" aria-label="Pages" data-testid={testId}>
      <button type="button" onClick={onNewer} disabled={pageNumber === 1}>
        ← {newerLabel}
      </button>
      <span>Page {pageNumber}</span>
      <button type="button" onClick={onOlder} disabled={!hasNext}>
        {olderLabel} →
      </button>
    </nav>
  );
}

/** Label/value pairs in a compact grid. */
export function Facts({ items }: { items: [string, ReactNode][] }) {
  return (
    <dl className="facts">
      {items.map(([label, value]) => (
        <div key={label}>
          <dt>{label}</dt>
          <dd>{value === null || value === undefined || value === '' ? '—' : value}</dd>
        </div>
      ))}
    </dl>
  );
}

export function PageHeader({ title, subtitle, actions, children }: { title: ReactNode; subtitle?: ReactNode; actions?: ReactNode; children?: ReactNode }) {
  return (
    <header className="page-header">
      <div className="page-header-main">
        <h1 tabIndex={-1} data-page-heading>
          {title}
        </h1>
        {subtitle && <div className="page-subtitle">{subtitle}</div>}
        {children}
      </div>
      {actions && <div className="page-actions">{actions}</div>}
    </header>
  );
}
