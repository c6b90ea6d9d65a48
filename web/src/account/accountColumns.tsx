import type { Column } from '../components/DataTable.tsx';
import { StatusBadge } from '../components/ui.tsx';
import { addressLine, humanize } from '../format.ts';
import { Link } from '../router.tsx';
import type { Account } from '../types.ts';

/** The columns every list of accounts shows (the accounts page, a customer's accounts). */
export const accountColumns: Column<Account>[] = [
  { header: 'Account', cell: (a) => <Link to={`/accounts/${a.id}`} className="mono">{a.accountNumber}</Link> },
  { header: 'Status', cell: (a) => <StatusBadge status={a.status} /> },
  { header: 'Class', cell: (a) => humanize(a.customerClass) },
  { header: 'Cycle', className: 'num', cell: (a) => a.billingCycle },
  { header: 'Billing address', cell: (a) => addressLine(a.billingAddress) },
  { header: 'Opened', className: 'nowrap', cell: (a) => a.openedOn },
];
