import { useState } from 'react';
import { api } from '../api.ts';
import { AddContactDialog } from '../customer/AddContactDialog.tsx';
import { OpenAccountDialog } from '../customer/OpenAccountDialog.tsx';
import { Card, Empty, Facts, LoadError, Loading, PageHeader, StatusBadge } from '../components/ui.tsx';
import { addressLine, formatTimestamp, humanize } from '../format.ts';
import { useApi, useTitle } from '../hooks.ts';
import { Link } from '../router.tsx';
import { useCan } from '../session.tsx';
import type { CustomerDetail } from '../types.ts';

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
          {c.contacts.length === 0 ? (
            <Empty>No phone or email on file.</Empty>
          ) : (
            <ul className="contact-list" aria-label="Contacts">
              {c.contacts.map((x) => (
                <li key={x.id}>
                  <span className="contact-kind">{humanize(x.kind)}{x.label ? ` (${x.label})` : ''}</span>
                  <span>{x.value}</span>
                  {x.isPrimary && <span className="badge badge-info">Primary</span>}
                </li>
              ))}
            </ul>
          )}
        </Card>
      </div>
      <Card title="Accounts">
        {c.accounts.length === 0 ? (
          <Empty>No accounts yet. Use “Open account” to start one.</Empty>
        ) : (
          <div className="table-wrap">
            <table className="table">
              <thead>
                <tr>
                  <th scope="col">Account</th>
                  <th scope="col">Status</th>
                  <th scope="col">Class</th>
                  <th scope="col" className="num">Cycle</th>
                  <th scope="col">Billing address</th>
                  <th scope="col">Opened</th>
                  <th scope="col">Closed</th>
                </tr>
              </thead>
              <tbody>
                {c.accounts.map((a) => (
                  <tr key={a.id}>
                    <td><Link to={`/accounts/${a.id}`} className="mono">{a.accountNumber}</Link></td>
                    <td><StatusBadge status={a.status} /></td>
                    <td>{humanize(a.customerClass)}</td>
                    <td className="num">{a.billingCycle}</td>
                    <td>{addressLine(a.billingAddress)}</td>
                    <td className="nowrap">{a.openedOn}</td>
                    <td className="nowrap">{a.closedOn ?? '—'}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </Card>
      <AddContactDialog customerId={c.id} open={adding} onClose={() => setAdding(false)} onSaved={() => { setAdding(false); customer.reload(); }} />
      <OpenAccountDialog customerId={c.id} open={opening} onClose={() => setOpening(false)} />
    </div>
  );
}
