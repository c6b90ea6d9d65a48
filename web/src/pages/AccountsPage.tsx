import { accountColumns } from '../account/accountColumns.tsx';
import type { Column } from '../components/DataTable.tsx';
import { SelectField, TextField } from '../components/forms.tsx';
import { ListCard } from '../components/ListCard.tsx';
import { PageHeader } from '../components/ui.tsx';
import { usePagedQuery, useQueryFilters } from '../hooks.ts';
import { Link } from '../router.tsx';
import { accountStatuses, type Account } from '../types.ts';

type Row = Account & { customerName: string };

const columns: Column<Row>[] = [...accountColumns, { header: 'Customer', cell: (a) => <Link to={`/customers/${a.customerId}`}>{a.customerName}</Link> }];

/** The start page: how to find an account, and a browsable list of accounts by status and cycle. */
export function AccountsPage() {
  const filters = useQueryFilters('status', 'cycle');
  const list = usePagedQuery<Row>('/accounts', filters, { limit: 25 });

  return (
    <>
      <PageHeader title="Accounts" subtitle="Find an account with the search box at the top: type a name, account number, address, phone number or meter serial. Press / to jump to it from anywhere." />
      <ListCard
        title="Browse accounts"
        filterLabel="Filter accounts"
        filters={
          <>
            <SelectField label="Status" name="status" options={accountStatuses} blank="Any status" defaultValue={filters.status} />
            <TextField label="Billing cycle" name="cycle" type="number" min={1} max={99} defaultValue={filters.cycle} className="input-short" />
          </>
        }
        list={list}
        columns={columns}
        empty="No accounts match."
        testId="accounts-table"
      />
    </>
  );
}
