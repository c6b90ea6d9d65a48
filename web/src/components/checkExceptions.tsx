import type { ComponentType } from 'react';
import { formatTimestamp, humanize } from '../format.ts';
import type { Column } from './DataTable.tsx';

/**
 * What a check found on a service order or a bill, as the API gives both: the check's code, what
 * it found, and (once settled) how and when it was resolved.
 */
export interface CheckException {
  id: number;
  code: string;
  status: string;
  message: string;
  resolvedAt: string | null;
  resolutionReason: string | null;
}

/** The columns of a table of check exceptions; `Badge` shows a status in its context's tones. */
export function checkExceptionColumns<E extends CheckException>(Badge: ComponentType<{ status: string }>): Column<E>[] {
  return [
    { header: 'Check', cell: (e) => <strong>{humanize(e.code)}</strong> },
    { header: 'Status', cell: (e) => <Badge status={e.status} /> },
    { header: 'Finding', cell: (e) => e.message },
    {
      header: 'Resolution',
      cell: (e) =>
        e.resolvedAt ? (
          <>
            {e.resolutionReason}
            <div className="muted small">{formatTimestamp(e.resolvedAt)}</div>
          </>
        ) : (
          <span className="muted">open</span>
        ),
    },
  ];
}

/** What checks found, one a line (why an order, a bill or a read is held). */
export function FindingList({ findings }: { findings: readonly { id?: number; code: string; message: string }[] }) {
  return (
    <ul>
      {findings.map((f) => (
        <li key={f.id ?? f.code}>
          <strong>{humanize(f.code)}</strong>: {f.message}
        </li>
      ))}
    </ul>
  );
}
