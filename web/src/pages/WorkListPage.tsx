import { apiUrl, api } from '../api.ts';
import { DataTable, type Column } from '../components/DataTable.tsx';
import { FilterBar } from '../components/FilterBar.tsx';
import { TextField } from '../components/forms.tsx';
import { Card, Empty, LoadError, Loading, PageHeader, StatusBadge } from '../components/ui.tsx';
import { humanize, utilityToday } from '../format.ts';
import { useApi, useQueryFilters } from '../hooks.ts';
import { orderTypeLabel } from '../order/labels.ts';
import { Link } from '../router.tsx';
import type { WorkListOrder } from '../types.ts';

/** The work list names orders by number (SO-000123); the order page is at its id. */
const orderIdOf = (number: string) => Number(number.replace(/^\D+/, ''));

const columns: Column<WorkListOrder>[] = [
  {
    header: 'Order',
    className: 'nowrap',
    cell: (o) => (
      <>
        <Link to={`/service-orders/${orderIdOf(o.orderNumber)}`} className="mono">{o.orderNumber}</Link>
        {o.priority === 'urgent' && <div><StatusBadge status="urgent" /></div>}
      </>
    ),
  },
  { header: 'Type', cell: (o) => orderTypeLabel(o.type) },
  { header: 'Route', className: 'nowrap', cell: (o) => o.route ?? <span className="muted">none</span> },
  {
    header: 'Where',
    cell: (o) => (
      <>
        <span className={`service-tag service-${o.service}`}>{humanize(o.service)}</span> {o.premiseAddress}
        {o.locationNote && <div className="muted small">{o.locationNote}</div>}
      </>
    ),
  },
  {
    header: 'Meter and last read',
    cell: (o) =>
      o.meterSerial ? (
        <>
          <span className="mono">{o.meterSerial}</span> <span className="muted small">{o.meterDials} dials</span>
          <div className="small">{o.lastRead ? <>Last <span className="mono">{o.lastRead.reading}</span> on {o.lastRead.date}</> : <span className="muted">no read yet</span>}</div>
        </>
      ) : (
        <span className="muted">no meter</span>
      ),
  },
  {
    header: 'Account',
    cell: (o) => (o.accountNumber ? (
      <>
        <span className="mono">{o.accountNumber}</span>
        <div className="muted small">{o.customerName}</div>
      </>
    ) : <span className="muted">none</span>),
  },
  { header: 'Instructions', cell: (o) => o.instructions ?? '' },
];

/** A day's field work list (by route): open orders in the order a crew drives, as CSV and PDF. */
export function WorkListPage() {
  const filters = useQueryFilters('date', 'route');
  const date = filters.date || utilityToday();
  const route = filters.route;
  const list = useApi(`work-list:${date}:${route}`, (signal) => api.get<{ date: string; route: string | null; orders: WorkListOrder[] }>('/work-list', { date, route, format: 'json' }, signal));
  const csvUrl = apiUrl('/work-list', { date, route, format: 'csv' });
  const pdfUrl = apiUrl('/work-list', { date, route, format: 'pdf' });
  const orders = list.data?.orders ?? [];

  return (
    <>
      <PageHeader
        title="Field work list"
        subtitle={`Open orders scheduled for ${date} (or effective that day when not scheduled)${route ? ` on route ${route}` : ', every route'}, sorted by route, street and house number.`}
        actions={
          <>
            <a href={csvUrl} className="button" download data-testid="work-list-csv">Download CSV</a>
            <a href={pdfUrl} className="button button-primary" target="_blank" rel="noopener" data-testid="work-list-pdf">Open PDF <span aria-hidden="true">↗</span></a>
          </>
        }
      />
      <Card title={`${date}${route ? ` · route ${route}` : ''}`} testId="work-list">
        <FilterBar key={`${date}:${route}`} label="Choose the work list">
          <TextField label="Day" name="date" type="date" defaultValue={date} required />
          <TextField label="Route" name="route" defaultValue={route} maxLength={20} className="input-short" hint="Blank: every route" />
        </FilterBar>
        {list.error ? (
          <LoadError error={list.error} retry={list.reload} />
        ) : !list.data ? (
          <Loading what="Loading the work list" />
        ) : orders.length === 0 ? (
          <Empty>No open orders for this day{route ? ' on this route' : ''}.</Empty>
        ) : (
          <>
            <p className="muted small" role="status">{orders.length === 1 ? '1 order' : `${orders.length} orders`}</p>
            <DataTable columns={columns} rows={orders} rowKey={(o) => o.orderNumber} testId="work-list-table" />
          </>
        )}
      </Card>
    </>
  );
}
