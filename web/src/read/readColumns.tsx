import type { Column } from '../components/DataTable.tsx';
import { StatusBadge } from '../components/ui.tsx';
import { humanize } from '../format.ts';
import { Link } from '../router.tsx';
import type { MeterRead } from '../types.ts';

/** The columns of a list of reads; `meterName` says which meter a read is of. */
export function readColumns(meterName: (read: MeterRead) => string, unit?: string): Column<MeterRead>[] {
  return [
    { header: 'Read date', className: 'nowrap', cell: (r) => r.readDate },
    { header: 'Meter', cell: (r) => <Link to={`/meters/${r.meterId}`} className="mono">{meterName(r)}</Link> },
    { header: 'Reading', className: 'num', cell: (r) => <span className="mono">{r.reading}</span> },
    { header: `Use${unit ? ` (${unit})` : ''}`, className: 'num', cell: (r) => (r.usage === null ? <span className="muted">opening</span> : r.usage) },
    {
      header: 'Read',
      cell: (r) => (
        <>
          {humanize(r.readType)} · {humanize(r.purpose)}
          {r.rollover && <div className="muted small">Rollover</div>}
          {r.estimateRule && <div className="muted small">{r.estimateRule}</div>}
        </>
      ),
    },
    { header: 'Status', cell: (r) => <StatusBadge status={r.status} /> },
    {
      header: 'Exceptions',
      cell: (r) =>
        r.exceptions.length === 0 ? (
          <span className="muted">none</span>
        ) : (
          <ul className="plain-list">
            {r.exceptions.map((e) => (
              <li key={e.id}>
                <strong>{humanize(e.code)}</strong> <StatusBadge status={e.status} />
                <div className="small">{e.message}</div>
              </li>
            ))}
          </ul>
        ),
    },
  ];
}
