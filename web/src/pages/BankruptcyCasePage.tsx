import { useState } from 'react';
import { api } from '../api.ts';
import { BankruptcyBadge, CaseAccountsTable, CaseActionDialog } from '../bankruptcy/parts.tsx';
import { Card, Facts, LoadError, Loading, PageHeader, SuccessBanner } from '../components/ui.tsx';
import { formatCents, formatTimestamp } from '../format.ts';
import { useApi, useTitle } from '../hooks.ts';
import { Link } from '../router.tsx';
import { useCan } from '../session.tsx';
import type { BankruptcyCase } from '../types.ts';

type Action = 'discharge' | 'dismiss' | 'close' | 'waive-assurance';

/**
 * A bankruptcy case: the court's details, whom to deal with, and per account the split of its debt
 * (pre-petition, held by the stay, post-petition, worked out again from the ledger and the bills
 * each time) with its arithmetic, and the adequate-assurance deposit. A supervisor records the
 * discharge (the pre-petition debt written off); a CSR II the dismissal, closing or a waiver.
 */
export function BankruptcyCasePage({ id }: { id: number }) {
  const loaded = useApi(`bankruptcy-case:${id}`, (signal) => api.get<BankruptcyCase>(`/bankruptcy/cases/${id}`, undefined, signal));
  const canAct = useCan('csr2');
  const canDischarge = useCan('supervisor');
  const [action, setAction] = useState<Action | null>(null);
  const [done, setDone] = useState<string | null>(null);
  const c = loaded.data;
  useTitle(c ? `Bankruptcy ${c.caseNumber}` : undefined);
  if (loaded.error) return <LoadError error={loaded.error} retry={loaded.reload} />;
  if (!c) return <Loading what="Loading the case" />;
  const open = c.status === 'open';
  const start = (a: Action) => { setDone(null); setAction(a); };
  return (
    <div data-testid="bankruptcy-case-page">
      <PageHeader
        title={<>Bankruptcy case <span className="account-number" data-testid="case-number">{c.caseNumber}</span></>}
        subtitle={
          <ul className="inline-facts" aria-label="Case summary">
            <li><BankruptcyBadge status={c.status} testId="case-status" /></li>
            <li>Chapter {c.chapter}</li>
            <li>{c.court}</li>
            <li>Petition {c.petitionDate}</li>
          </ul>
        }
        actions={open && (
          <>
            {canDischarge && <button type="button" onClick={() => start('discharge')} data-testid="discharge-case">Discharge</button>}
            {canAct && <button type="button" onClick={() => start('dismiss')} data-testid="dismiss-case">Dismissal</button>}
            {canAct && <button type="button" onClick={() => start('close')} data-testid="close-case">Close</button>}
            {canAct && c.accounts.some((a) => a.assurance.state !== 'waived') && <button type="button" onClick={() => start('waive-assurance')} data-testid="waive-case-assurance">Waive deposit</button>}
          </>
        )}
      />
      <SuccessBanner message={done} testId="bankruptcy-case-done" />
      <Card title="Case" testId="case-facts">
        <Facts
          items={[
            ['Debtor', <Link to={`/customers/${c.customerId}`}>{c.debtorName}</Link>],
            ['Contact', `${c.contact.name ?? '—'} (${c.contact.kind})${c.contact.phone ? `, ${c.contact.phone}` : ''}${c.contact.email ? `, ${c.contact.email}` : ''}`],
            ['Notice received', c.noticeReceivedOn],
            ['Adequate assurance due', <span data-testid="assurance-due">{c.assuranceDueOn}{c.assuranceOverdue ? ' (overdue)' : ''}</span>],
            ['Held out of collection now', <strong data-testid="case-held-total">{open ? formatCents(c.heldCents) : '—'}</strong>],
            ['Recorded', formatTimestamp(c.createdAt)],
            ...(c.closedOn ? [[c.status === 'discharged' ? 'Discharged' : c.status === 'dismissed' ? 'Dismissed' : 'Closed', `${c.closedOn}: ${c.closeReason ?? ''}`] as [string, string]] : []),
          ]}
        />
      </Card>
      <Card title="Accounts: pre- and post-petition" testId="case-split">
        <p className="small muted">
          Pre-petition debt is the balance at the end of the day before the petition plus, for each bill dated after it whose period began before it, the share of its days before the petition (half up to the cent).
          The stay holds it out of collection, never more than the account owes now; everything else is post-petition and collected as usual.
        </p>
        <CaseAccountsTable c={c} />
      </Card>
      <CaseActionDialog
        c={c}
        action={action}
        onClose={() => setAction(null)}
        onSaved={(updated, a) => {
          setAction(null);
          setDone(a === 'discharge'
            ? `Discharged: ${formatCents(updated.accounts.reduce((n, x) => n + (x.dischargedCents ?? 0), 0))} of pre-petition debt written off.`
            : a === 'waive-assurance' ? 'The adequate-assurance deposit is waived.' : `Case ${a === 'dismiss' ? 'dismissed' : 'closed'}: the stay has ended.`);
          loaded.reload();
        }}
      />
    </div>
  );
}
