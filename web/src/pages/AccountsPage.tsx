import { api } from '../api.ts';
import { FilterBar } from '../components/FilterBar.tsx';
import { SelectField, TextField } from '../components/forms.tsx';
import { Card, Empty, LoadError, Loading, PageHeader, Pager, StatusBadge } from '../components/ui.tsx';
import { addressLine, humanize } from '../format.ts';
import { useApi, useCursorStack } from '../hooks.ts';
import { Link, useLocation } from '../router.tsx';
import { accountStatuses, type Account, type Page } from '../types.ts';

/** The start page: how to find an account, and a browsable list of accounts by status and cycle. */
export function AccountsPage() {
  const { query } = useLocation();
  const status = query.get('status') ?? '';
  const cycle = query.get('cycle') ?? '';
  const filterKey = `accounts:${status}:${cycle}`;
  const pages = useCursorStack(filterKey);
  const list = useApi(`${filterKey}:${pages.cursor ?? ''}`, (signal) =>
    api.get<Page<Account & { customerName: string }>>('/accounts', { status, cycle, limit: 25, after: pages.cursor }, signal),
  );

  return (
    <>
      <PageHeader title="Accounts" subtitle="Find an account with the search box at the top: type a name, account number, address, phone number or meter serial. Press / to jump to it from anywhere." />
      <Card title="Browse accounts">
        <FilterBar key={filterKey} label="Filter accounts">
          <SelectField label="Status" name="status" options={accountStatuses} blank="Any status" defaultValue={status} />
          <TextField label="Billing cycle" name="cycle" type="number" min={1} max={99} defaultValue={cycle} className="input-short" />
        </FilterBar>
        {list.error ? (
          <LoadError error={list.error} retry={list.reload} />
        ) : !list.data ? (
          <Loading />
        ) : list.data.items.length === 0 ? (
          <Empty>No accounts match.</Empty>
        ) : (
          <>
            <div className="table-wrap">
              <table className="table" data-testid="accounts-table">
                <thead>
                  <tr>
                    <th scope="col">Account</th>
                    <th scope="col">Status</th>
                    <th scope="col">Class</th>
                    <th scope="col" className="num">Cycle</th>
                    <th scope="col">Billing address</th>
                    <th scope="col">Opened</th>
                    <th scope="col">Customer</th>
                  </tr>
                </thead>
                <tbody>
                  {list.data.items.map((a) => (
                    <tr key={a.id}>
                      <td><Link to={`/accounts/${a.id}`} className="mono">{a.accountNumber}</Link></td>
                      <td><StatusBadge status={a.status} /></td>
                      <td>{humanize(a.customerClass)}</td>
                      <td className="num">{a.billingCycle}</td>
                      <td>{addressLine(a.billingAddress)}</td>
                      <td className="nowrap">{a.openedOn}</td>
                      <td><Link to={`/customers/${a.customerId}`}>{a.customerName}</Link></td>
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
