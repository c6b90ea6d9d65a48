import { api } from '../api.ts';
import { FilterBar } from '../components/FilterBar.tsx';
import { SelectField, TextField } from '../components/forms.tsx';
import { Card, Empty, LoadError, Loading, PageHeader, Pager, StatusBadge } from '../components/ui.tsx';
import { humanize } from '../format.ts';
import { useApi, useCursorStack } from '../hooks.ts';
import { Link, useLocation } from '../router.tsx';
import type { Meter, Page } from '../types.ts';

const meterStatuses = ['in_stock', 'installed', 'removed', 'testing', 'retired'] as const;

export function MetersPage() {
  const { query } = useLocation();
  const serial = query.get('serial') ?? '';
  const status = query.get('status') ?? '';
  const filterKey = `meters:${serial}:${status}`;
  const pages = useCursorStack(filterKey);
  const list = useApi(`${filterKey}:${pages.cursor ?? ''}`, (signal) => api.get<Page<Meter>>('/meters', { serial, status, limit: 25, after: pages.cursor }, signal));

  return (
    <>
      <PageHeader title="Meters" />
      <Card title="Meter list">
        <FilterBar key={filterKey} label="Filter meters">
          <TextField label="Serial starts with" name="serial" defaultValue={serial} maxLength={40} />
          <SelectField label="Status" name="status" options={meterStatuses} blank="Any status" defaultValue={status} />
        </FilterBar>
        {list.error ? (
          <LoadError error={list.error} retry={list.reload} />
        ) : !list.data ? (
          <Loading />
        ) : list.data.items.length === 0 ? (
          <Empty>No meters match.</Empty>
        ) : (
          <>
            <div className="table-wrap">
              <table className="table" data-testid="meters-table">
                <thead>
                  <tr>
                    <th scope="col">Serial</th>
                    <th scope="col">Kind</th>
                    <th scope="col">Status</th>
                    <th scope="col">Make and model</th>
                    <th scope="col">Size</th>
                    <th scope="col" className="num">Multiplier</th>
                    <th scope="col" className="num">Dials</th>
                  </tr>
                </thead>
                <tbody>
                  {list.data.items.map((m) => (
                    <tr key={m.id}>
                      <td><Link to={`/meters/${m.id}`} className="mono">{m.serial}</Link></td>
                      <td>{humanize(m.kind)}</td>
                      <td><StatusBadge status={m.status} /></td>
                      <td>{[m.manufacturer, m.model].filter(Boolean).join(' ') || '—'}</td>
                      <td>{m.size ?? '—'}</td>
                      <td className="num">{m.multiplier}</td>
                      <td className="num">{m.dials}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
            <Pager pageNumber={pages.pageNumber} hasNext={list.data.next !== null} onNewer={pages.newer} onOlder={() => list.data?.next && pages.older(list.data.next)} />
          </>
        )}
      </Card>
    </>
  );
}
