import { addressLine, formatTimestamp, humanize, humanizeKey } from '../format.ts';
import { Link } from '../router.tsx';
import type { Address, AuditEvent } from '../types.ts';

/** Audit events (newest first) with what changed: `field: before → after`. */

function show(value: unknown): string {
  if (value === null || value === undefined) return '—';
  if (typeof value === 'object' && value !== null && 'line1' in value && 'city' in value) return addressLine(value as Address);
  if (Array.isArray(value)) return value.length ? value.map(show).join(', ') : 'none';
  if (typeof value === 'object') return JSON.stringify(value);
  return String(value);
}

const asRecord = (x: unknown): Record<string, unknown> | null => (x && typeof x === 'object' && !Array.isArray(x) ? (x as Record<string, unknown>) : null);

function Change({ event }: { event: AuditEvent }) {
  const before = asRecord(event.before);
  const after = asRecord(event.after);
  if (before && after) {
    const keys = [...new Set([...Object.keys(before), ...Object.keys(after)])];
    if (keys.length === 0) return <span className="muted">no field changed</span>;
    return (
      <ul className="change-list">
        {keys.map((key) => (
          <li key={key}>
            <span className="change-key">{humanizeKey(key)}</span> <del>{show(before[key])}</del> → <ins>{show(after[key])}</ins>
          </li>
        ))}
      </ul>
    );
  }
  const only = after ?? before;
  if (!only) return <span className="muted">—</span>;
  const entries = Object.entries(only).filter(([key]) => key !== 'id');
  // The summary line: the first few fields that say something (no empty values, no record ids).
  const telling = entries.filter(([key, value]) => value !== null && value !== '' && !(Array.isArray(value) && value.length === 0) && !/Id$/.test(key));
  const summary = telling.slice(0, 3).map(([key, value]) => `${humanizeKey(key)}: ${show(value)}`).join(' · ');
  return (
    <details className="change-details">
      <summary>{summary || (after ? 'Created' : 'Removed')}{telling.length > 3 ? ' · …' : ''}</summary>
      <ul className="change-list">
        {entries.map(([key, value]) => (
          <li key={key}>
            <span className="change-key">{humanizeKey(key)}</span> {show(value)}
          </li>
        ))}
      </ul>
    </details>
  );
}

export function AuditTable({ events, showAccount = false, testId }: { events: AuditEvent[]; showAccount?: boolean; testId?: string }) {
  return (
    <div className="table-wrap">
      <table className="table audit-table" data-testid={testId}>
        <thead>
          <tr>
            <th scope="col" className="col-when">When</th>
            <th scope="col">Who</th>
            <th scope="col">Action</th>
            <th scope="col">Record</th>
            {showAccount && <th scope="col">Acct id</th>}
            <th scope="col" className="col-change">Change</th>
            <th scope="col" className="col-reason">Reason</th>
          </tr>
        </thead>
        <tbody>
          {events.map((e) => (
            <tr key={e.id}>
              <td className="nowrap">{formatTimestamp(e.occurredAt)}</td>
              <td>{e.username}</td>
              <td>{humanize(e.action)}</td>
              <td className="nowrap">
                {humanize(e.entityType)} {e.entityId}
              </td>
              {showAccount && <td>{e.accountId ? <Link to={`/accounts/${e.accountId}`}>{e.accountId}</Link> : '—'}</td>}
              <td>
                <Change event={e} />
              </td>
              <td>{e.reason}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
