import { useState } from 'react';
import { api } from '../api.ts';
import { AddContactDialog } from '../customer/AddContactDialog.tsx';
import { ContactList } from '../customer/ContactList.tsx';
import { OpenAccountDialog } from '../customer/OpenAccountDialog.tsx';
import { accountColumns } from '../account/accountColumns.tsx';
import { DataTable, type Column } from '../components/DataTable.tsx';
import { Card, Empty, Facts, LoadError, Loading, PageHeader } from '../components/ui.tsx';
import { formatTimestamp, humanize } from '../format.ts';
import { useApi, useTitle } from '../hooks.ts';
import { useCan } from '../session.tsx';
import type { Account, CustomerDetail } from '../types.ts';

const columns: Column<Account>[] = [...accountColumns, { header: 'Closed', className: 'nowrap', cell: (a) => a.closedOn ?? '—' }];

export function CustomerPage({ id }: { id: number }) {
  const customer = useApi(`customer:${id}`, (signal) => api.get<CustomerDetail>(`/customers/${id}`, undefined, signal));
  const canEdit = useCan('csr1');
  const [adding, setAdding] = useState(false);
  const [opening, setOpening] = useState(false);
  const c = customer.data;
  useTitle(c?.displayName);

  if (customer.error) return <LoadError error={customer.error} retry={customer.reload} />;
  if (!c) return <Loading what="Loading the customer" />;

  return (
    <div data-testid="customer-page">
      <PageHeader
        title={c.displayName}
        subtitle={`${humanize(c.kind)} · customer ${c.id}`}
        actions={canEdit && <button type="button" className="button-primary" onClick={() => setOpening(true)} data-testid="open-account">Open account</button>}
      />
      <div className="card-row card-row-2">
        <Card title="Details">
          <Facts
            items={[
              ['First name', c.firstName],
              ['Last name', c.lastName],
              ['Business name', c.businessName],
              ['Date of birth', c.dateOfBirth],
              ['Language', c.preferredLanguage],
              ['Added', formatTimestamp(c.createdAt)],
              ['Changed', formatTimestamp(c.updatedAt)],
              ['ID on file', c.identifiers.map((i) => humanize(i.kind)).join(', ')],
            ]}
          />
        </Card>
        <Card title="Contacts" actions={canEdit && <button type="button" className="button-small" onClick={() => setAdding(true)} data-testid="add-contact">Add contact</button>}>
          <ContactList contacts={c.contacts} />
        </Card>
      </div>
      <Card title="Accounts">
        {c.accounts.length === 0 ? (
          <Empty>No accounts yet. Use “Open account” to start one.</Empty>
        ) : (
          <DataTable columns={columns} rows={c.accounts} />
        )}
      </Card>
      <AddContactDialog customerId={c.id} open={adding} onClose={() => setAdding(false)} onSaved={() => { setAdding(false); customer.reload(); }} />
      <OpenAccountDialog customerId={c.id} open={opening} onClose={() => setOpening(false)} />
    </div>
  );
}
