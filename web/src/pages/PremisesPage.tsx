import { api } from '../api.ts';
import { FilterBar } from '../components/FilterBar.tsx';
import { TextField } from '../components/forms.tsx';
import { Card, Empty, LoadError, Loading, PageHeader, Pager } from '../components/ui.tsx';
import { addressLine, humanize } from '../format.ts';
import { useApi, useCursorStack } from '../hooks.ts';
import { Link, useLocation } from '../router.tsx';
import type { Page, Premise } from '../types.ts';

export function PremisesPage() {
  const { query } = useLocation();
  const address = query.get('address') ?? '';
  const filterKey = `premises:${address}`;
  const pages = useCursorStack(filterKey);
  const list = useApi(`${filterKey}:${pages.cursor ?? ''}`, (signal) => api.get<Page<Premise>>('/premises', { address, limit: 25, after: pages.cursor }, signal));

  return (
    <>
      <PageHeader title="Premises" subtitle="Service addresses, with their electric, water and fiber service points." />
      <Card title="Premise list">
        <FilterBar key={filterKey} label="Filter premises">
          <TextField label="Address contains" name="address" defaultValue={address} maxLength={100} />
        </FilterBar>
        {list.error ? (
          <LoadError error={list.error} retry={list.reload} />
        ) : !list.data ? (
          <Loading />
        ) : list.data.items.length === 0 ? (
          <Empty>No premises match.</Empty>
        ) : (
          <>
            <div className="table-wrap">
              <table className="table" data-testid="premises-table">
                <thead>
                  <tr>
                    <th scope="col">Address</th>
                    <th scope="col">Type</th>
                    <th scope="col">Area</th>
                    <th scope="col">Space heating</th>
                  </tr>
                </thead>
                <tbody>
                  {list.data.items.map((p) => (
                    <tr key={p.id}>
                      <td><Link to={`/premises/${p.id}`}>{addressLine(p.address)}</Link></td>
                      <td>{humanize(p.premiseType)}</td>
                      <td>{p.area}</td>
                      <td>{p.spaceHeating ? 'Yes' : 'No'}</td>
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
