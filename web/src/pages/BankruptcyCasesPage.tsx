import { useState } from 'react';
import { findAccount } from '../account/accountLookup.ts';
import { BankruptcyBadge, OpenCaseDialog } from '../bankruptcy/parts.tsx';
import type { Column } from '../components/DataTable.tsx';
import { ErrorMessage, SelectField, TextField, useSubmit } from '../components/forms.tsx';
import { ListCard } from '../components/ListCard.tsx';
import { Card, PageHeader, SuccessBanner } from '../components/ui.tsx';
import { formatCents } from '../format.ts';
import { usePagedQuery, useQueryFilters } from '../hooks.ts';
import { Link, navigate } from '../router.tsx';
import { useCan } from '../session.tsx';
import { bankruptcyStatuses, type BankruptcyCase } from '../types.ts';

const assuranceSummary = (c: BankruptcyCase) => {
  const states = [...new Set(c.accounts.map((a) => a.assurance.state))];
  return states.map((s) => s.replace('_', ' ')).join(', ');
};

const columns: Column<BankruptcyCase>[] = [
  { header: 'Case', className: 'nowrap', cell: (c) => <Link to={`/bankruptcy/${c.id}`} className="mono" data-testid="bankruptcy-case">{c.caseNumber}</Link> },
  { header: 'Debtor', cell: (c) => <><span>{c.debtorName}</span><div className="small muted">{c.accounts.map((a) => a.accountNumber).join(', ')}</div></> },
  { header: 'Chapter', className: 'num', cell: (c) => c.chapter },
  { header: 'Petition', className: 'nowrap', cell: (c) => c.petitionDate },
  { header: 'Status', cell: (c) => <BankruptcyBadge status={c.status} /> },
  { header: 'Held', className: 'num nowrap', cell: (c) => (c.status === 'open' ? <span data-testid="case-held">{formatCents(c.heldCents)}</span> : <span className="muted">—</span>) },
  {
    header: 'Adequate assurance', cell: (c) => (
      <span className="small" data-testid="case-assurance">
        {c.assuranceOverdue ? <span className="badge badge-bad">Overdue</span> : null} due {c.assuranceDueOn} ({assuranceSummary(c)})
      </span>
    ),
  },
];

/**
 * Bankruptcy cases by status, or those whose adequate-assurance deposit is unpaid past its due
 * date. A CSR II records a case from an account number (the case covers the customer's accounts).
 */
export function BankruptcyCasesPage() {
  const filters = useQueryFilters('status', 'assurance');
  const canOpen = useCan('csr2');
  const list = usePagedQuery<BankruptcyCase>('/bankruptcy/cases', { status: filters.status, assurance: filters.assurance }, { limit: 25 });
  const [customerId, setCustomerId] = useState<number | null>(null);
  const [done, setDone] = useState<string | null>(null);
  const find = useSubmit(async (v) => {
    const found = await findAccount(v.accountNumber ?? '');
    setDone(null);
    setCustomerId(found.account.customerId);
  });
  return (
    <>
      <PageHeader
        title="Bankruptcy cases"
        subtitle="The automatic stay holds each account's pre-petition debt out of collection; the adequate-assurance deposit is due 20 days after the petition; a discharge writes the pre-petition debt off, a dismissal ends the stay."
      />
      <SuccessBanner message={done} testId="bankruptcy-page-done" />
      {canOpen && (
        <Card title="Record a case" testId="record-bankruptcy">
          <form onSubmit={find.onSubmit} className="form-grid" noValidate data-testid="record-bankruptcy-form">
            <ErrorMessage error={find.error} />
            <TextField label="Account number" name="accountNumber" field="params.accountNumber" error={find.error} inputMode="numeric" className="mono" placeholder="9 digits" />
            <div className="form-actions">
              <button type="submit" className="button-primary" disabled={find.busy} data-testid="find-debtor">Record a case for this customer</button>
            </div>
          </form>
        </Card>
      )}
      <ListCard
        title="Cases"
        filterLabel="Filter bankruptcy cases"
        filters={
          <>
            <SelectField label="Status" name="status" options={bankruptcyStatuses} blank="Any status" defaultValue={filters.status} />
            <SelectField label="Adequate assurance" name="assurance" options={[{ value: 'overdue', label: 'Deposit overdue' }]} blank="Any" defaultValue={filters.assurance} />
          </>
        }
        list={list}
        columns={columns}
        empty={filters.assurance ? 'No case has an assurance deposit unpaid past its due date.' : filters.status ? `No ${filters.status} cases.` : 'No bankruptcy cases yet.'}
        testId="bankruptcy-cases"
        newerLabel="Newer"
        olderLabel="Older"
      />
      {canOpen && (
        <OpenCaseDialog
          customerId={customerId}
          open={customerId !== null}
          onClose={() => setCustomerId(null)}
          onSaved={(c) => {
            setCustomerId(null);
            navigate(`/bankruptcy/${c.id}`);
          }}
        />
      )}
    </>
  );
}
