import type { Column } from '../components/DataTable.tsx';
import { TextField } from '../components/forms.tsx';
import { ListCard } from '../components/ListCard.tsx';
import { PageHeader } from '../components/ui.tsx';
import { formatTimestamp, humanize } from '../format.ts';
import { usePagedQuery, useQueryFilters } from '../hooks.ts';
import { Link } from '../router.tsx';
import { useCan } from '../session.tsx';
import type { Customer } from '../types.ts';

const columns: Column<Customer>[] = [
  { header: 'Name', cell: (c) => <Link to={`/customers/${c.id}`}>{c.displayName}</Link> },
  { header: 'Kind', cell: (c) => humanize(c.kind) },
  { header: 'Language', cell: (c) => c.preferredLanguage },
  { header: 'Added', className: 'nowrap', cell: (c) => formatTimestamp(c.createdAt) },
];

export function CustomersPage() {
  const filters = useQueryFilters('name');
  const list = usePagedQuery<Customer>('/customers', filters, { limit: 25 });
  const canAdd = useCan('csr1');

  return (
    <>
      <PageHeader title="Customers" actions={canAdd && <Link to="/customers/new" className="button button-primary" data-testid="new-customer">New customer</Link>} />
      <ListCard
        title="Customer list"
        filterLabel="Filter customers"
        filters={<TextField label="Name contains" name="name" defaultValue={filters.name} maxLength={100} />}
        list={list}
        columns={columns}
        empty="No customers match."
        testId="customers-table"
      />
    </>
  );
}
