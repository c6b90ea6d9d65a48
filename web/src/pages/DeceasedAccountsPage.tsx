import { useState } from 'react';
import { api } from '../api.ts';
import { findAccount, type FoundAccount } from '../account/accountLookup.ts';
import type { Column } from '../components/DataTable.tsx';
import { ErrorMessage, SelectField, TextField, useSubmit } from '../components/forms.tsx';
import { ListCard } from '../components/ListCard.tsx';
import { Card, Empty, LoadError, Loading, PageHeader } from '../components/ui.tsx';
import { ClaimActionDialog, ClaimsTable, DeceasedBadge, NotifyDialog, sourceLabel, type ClaimAction } from '../deceased/parts.tsx';
import { formatCents } from '../format.ts';
import { useApi, usePagedQuery, useQueryFilters } from '../hooks.ts';
import { Link, navigate } from '../router.tsx';
import { useCan } from '../session.tsx';
import { deceasedStatuses, type CreditorClaim, type DeceasedCase, type Page } from '../types.ts';

const columns: Column<DeceasedCase>[] = [
  { header: 'Case', className: 'nowrap', cell: (c) => <Link to={`/deceased/${c.id}`} data-testid="deceased-case">Case {c.id}</Link> },
  { header: 'Deceased', cell: (c) => <><span>{c.customerName}</span><div className="small muted">{c.accounts.map((a) => a.accountNumber).join(', ')}</div></> },
  { header: 'Date of death', className: 'nowrap', cell: (c) => c.dateOfDeath ?? <span className="muted">—</span> },
  { header: 'How we heard', cell: (c) => `${sourceLabel(c.source)}, ${c.notifiedOn}` },
  { header: 'Status', cell: (c) => <DeceasedBadge status={c.status} /> },
  { header: 'Claims due by', className: 'nowrap', cell: (c) => c.estate.claimDeadline ?? <span className="muted">—</span> },
  { header: 'Owed', className: 'num nowrap', cell: (c) => formatCents(c.accounts.reduce((n, a) => n + a.balanceCents, 0)) },
];

/**
 * Deceased accounts: the claims against estates due within the warning days and not yet filed
 * (filed from here), then the cases by status. A CSR I records a death from an account number.
 */
export function DeceasedAccountsPage() {
  const filters = useQueryFilters('status');
  const canNotify = useCan('csr1');
  const canAct = useCan('csr2');
  const canWriteOff = useCan('supervisor');
  const list = usePagedQuery<DeceasedCase>('/deceased/cases', { status: filters.status }, { limit: 25 });
  const due = useApi('deceased-claims-due', (signal) => api.get<Page<CreditorClaim>>('/deceased/claims', { due: 'soon' }, signal));
  const [acting, setActing] = useState<ClaimAction | null>(null);
  const [found, setFound] = useState<FoundAccount | null>(null);
  const find = useSubmit(async (v) => setFound(await findAccount(v.accountNumber ?? '')));
  return (
    <>
      <PageHeader
        title="Deceased accounts"
        subtitle="Customers who have died: the estate, creditor claims (presented within 4 months of the first publication of the probate notice, RCW 11.40.051) and service transferred to a survivor. An ACH R15 or R14 return opens a case on its own."
      />
      <Card title="Claims due within 14 days" testId="claims-due">
        {due.error ? <LoadError error={due.error} retry={due.reload} /> : !due.data ? <Loading what="Loading the claims" /> : due.data.items.length === 0 ? (
          <Empty>No claim waiting to be filed is due soon.</Empty>
        ) : (
          <ClaimsTable claims={due.data.items} showCase canAct={canAct} canWriteOff={canWriteOff} onAct={setActing} />
        )}
      </Card>
      {canNotify && (
        <Card title="Record a death" testId="record-death">
          <form onSubmit={find.onSubmit} className="form-grid" noValidate data-testid="record-death-form">
            <ErrorMessage error={find.error} />
            <TextField label="Account number" name="accountNumber" field="params.accountNumber" error={find.error} inputMode="numeric" className="mono" placeholder="9 digits" />
            <div className="form-actions">
              <button type="submit" className="button-primary" disabled={find.busy} data-testid="find-deceased">Record a death for this customer</button>
            </div>
          </form>
        </Card>
      )}
      <ListCard
        title="Cases"
        filterLabel="Filter deceased cases"
        filters={<SelectField label="Status" name="status" options={deceasedStatuses} blank="Any status" defaultValue={filters.status} />}
        list={list}
        columns={columns}
        empty={filters.status ? `No ${filters.status.replace('_', ' ')} cases.` : 'No deceased cases yet.'}
        testId="deceased-cases"
        newerLabel="Newer"
        olderLabel="Older"
      />
      <ClaimActionDialog action={acting} onClose={() => setActing(null)} onSaved={() => { setActing(null); due.reload(); list.reload(); }} />
      {canNotify && (
        <NotifyDialog
          customerId={found?.account.customerId ?? null}
          customerName={found?.customerName ?? ''}
          open={found !== null}
          onClose={() => setFound(null)}
          onSaved={(c) => { setFound(null); navigate(`/deceased/${c.id}`); }}
        />
      )}
    </>
  );
}
