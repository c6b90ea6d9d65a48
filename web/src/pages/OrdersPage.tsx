import { SelectField, TextField } from '../components/forms.tsx';
import { ListCard } from '../components/ListCard.tsx';
import { PageHeader } from '../components/ui.tsx';
import { humanize } from '../format.ts';
import { usePagedQuery, useQueryFilters } from '../hooks.ts';
import { orderTypeOptions } from '../order/labels.ts';
import { orderColumns } from '../order/orderColumns.tsx';
import { Link } from '../router.tsx';
import { useCan } from '../session.tsx';
import { orderStatuses, type ServiceOrderListItem } from '../types.ts';

const columns = orderColumns();

/** The orders still to be worked, unless the status filter says otherwise. */
const openStatuses = ['created', 'scheduled', 'held'];
const statusOptions = [
  { value: '', label: 'Open (created, scheduled, held)' },
  ...orderStatuses.map((s) => ({ value: s, label: humanize(s) })),
  { value: 'all', label: 'Any status' },
];

/** The service-order queue: open orders (oldest first) by status, type, route, day or account. */
export function OrdersPage() {
  const filters = useQueryFilters('status', 'type', 'route', 'date', 'accountId');
  const status = filters.status === '' ? openStatuses : filters.status === 'all' ? undefined : [filters.status];
  const list = usePagedQuery<ServiceOrderListItem>('/service-orders', { ...filters, status }, { limit: 25 });
  const canOrder = useCan('csr1');

  return (
    <>
      <PageHeader
        title="Service orders"
        subtitle="Move-ins and move-outs, meter exchanges and tests, check reads, disconnects and reconnects, tamper investigations. Oldest first."
        actions={
          <>
            <Link to="/work-list" className="button">Field work list</Link>
            {canOrder && <Link to="/service-orders/new" className="button button-primary" data-testid="new-order">New order</Link>}
          </>
        }
      />
      <ListCard
        title="Queue"
        filterLabel="Filter service orders"
        filters={
          <>
            <SelectField label="Status" name="status" options={statusOptions} defaultValue={filters.status} />
            <SelectField label="Type" name="type" options={orderTypeOptions} blank="Any type" defaultValue={filters.type} />
            <TextField label="Route" name="route" defaultValue={filters.route} maxLength={20} className="input-short" />
            <TextField label="Day" name="date" type="date" defaultValue={filters.date} hint="Scheduled, else effective" />
            <TextField label="Account id" name="accountId" type="number" min={1} defaultValue={filters.accountId} className="input-short" />
          </>
        }
        list={list}
        columns={columns}
        empty="No service orders match."
        testId="orders-table"
      />
    </>
  );
}
