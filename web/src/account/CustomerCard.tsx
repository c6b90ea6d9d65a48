import { useState } from 'react';
import { AddContactDialog } from '../customer/AddContactDialog.tsx';
import { ContactList } from '../customer/ContactList.tsx';
import { Card, StatusBadge } from '../components/ui.tsx';
import { humanize } from '../format.ts';
import { Link } from '../router.tsx';
import { useCan } from '../session.tsx';
import type { CustomerDetail } from '../types.ts';

/** The customer behind the account: how to reach them and their other accounts. */
export function CustomerCard({ customer, currentAccountId, onChange }: { customer: CustomerDetail; currentAccountId: number; onChange(): void }) {
  const canAdd = useCan('csr1');
  const [adding, setAdding] = useState(false);
  const others = customer.accounts.filter((a) => a.id !== currentAccountId);

  return (
    <Card
      title="Customer"
      testId="customer-card"
      actions={canAdd && <button type="button" className="button-small" onClick={() => setAdding(true)} data-testid="add-contact">Add contact</button>}
    >
      <p className="customer-name">
        <Link to={`/customers/${customer.id}`}>{customer.displayName}</Link>{' '}
        <span className="muted">
          {humanize(customer.kind)} · language {customer.preferredLanguage}
          {customer.dateOfBirth ? ` · born ${customer.dateOfBirth}` : ''}
        </span>
      </p>
      <ContactList contacts={customer.contacts} linked />
      {customer.identifiers.length > 0 && (
        <p className="muted small">
          ID on file: {customer.identifiers.map((i) => humanize(i.kind)).join(', ')}
        </p>
      )}
      {others.length > 0 && (
        <div className="other-accounts">
          <span className="muted small">Other accounts:</span>
          <ul>
            {others.map((a) => (
              <li key={a.id}>
                <Link to={`/accounts/${a.id}`}>{a.accountNumber}</Link> <StatusBadge status={a.status} />
              </li>
            ))}
          </ul>
        </div>
      )}
      <AddContactDialog customerId={customer.id} open={adding} onClose={() => setAdding(false)} onSaved={() => { setAdding(false); onChange(); }} />
    </Card>
  );
}
