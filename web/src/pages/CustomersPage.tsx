import { api } from '../api.ts';
import { FilterBar } from '../components/FilterBar.tsx';
import { TextField } from '../components/forms.tsx';
import { Card, Empty, LoadError, Loading, PageHeader, Pager } from '../components/ui.tsx';
import { formatTimestamp, humanize } from '../format.ts';
import { useApi, useCursorStack } from '../hooks.ts';
import { Link, useLocation } from '../router.tsx';
import { useCan } from '../session.tsx';
import type { Customer, Page } from '../types.ts';

export function CustomersPage() {
  const { query } = useLocation();
  const name = query.get('name') ?? '';
  const filterKey = `customers:${name}`;
  const pages = useCursorStack(filterKey);
  const list = useApi(`${filterKey}:${pages.cursor ?? ''}`, (signal) => api.get<Page<Customer>>('/customers', { name, limit: 25, after: pages.cursor }, signal));
  const canAdd = useCan('csr1');

  return (
    <>
      <PageHeader title="Customers" actions={canAdd && <Link to="/customers/new" className="button button-primary" data-testid="new-customer">New customer</Link>} />
      <Card title="Customer list">
        <FilterBar key={filterKey} label="Filter customers">
          <TextField label="Name contains" name="name" defaultValue={name} maxLength={100} />
        </FilterBar>
        {list.error ? (
          <LoadError error={list.error} retry={list.reload} />
        ) : !list.data ? (
          <Loading />
        ) : list.data.items.length === 0 ? (
          <Empty>No customers match.</Empty>
        ) : (
          <>
            <div className="table-wrap">
              <table className="table" data-testid="customers-table">
                <thead>
                  <tr>
                    <th scope="col">Name</th>
                    <th scope="col">Kind</th>
                    <th scope="col">Language</th>
                    <th scope="col">Added</th>
                  </tr>
                </thead>
                <tbody>
                  {list.data.items.map((c) => (
                    <tr key={c.id}>
                      <td><Link to={`/customers/${c.id}`}>{c.displayName}</Link></td>
                      <td>{humanize(c.kind)}</td>
                      <td>{c.preferredLanguage}</td>
                      <td className="nowrap">{formatTimestamp(c.createdAt)}</td>
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
