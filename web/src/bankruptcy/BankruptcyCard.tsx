import { useState } from 'react';
import { api } from '../api.ts';
import { Card, Facts, LoadError, Loading, SuccessBanner } from '../components/ui.tsx';
import { formatCents } from '../format.ts';
import { useApi } from '../hooks.ts';
import { Link } from '../router.tsx';
import { useCan } from '../session.tsx';
import type { BankruptcyCase } from '../types.ts';
import { BankruptcyBadge, CaseAccountsTable, OpenCaseDialog } from './parts.tsx';

/**
 * The account's bankruptcy: the open case (chapter, petition, court and case number, the split of
 * each account's debt into pre- and post-petition, the adequate-assurance deposit) with a link to
 * the case; earlier cases in brief. A CSR II records a case for the customer's accounts.
 */
export function BankruptcyCard({ accountId, customerId, onChange }: { accountId: number; customerId: number; onChange?(): void }) {
  const canOpen = useCan('csr2');
  const cases = useApi(`account-bankruptcy:${accountId}`, (signal) => api.get<{ items: BankruptcyCase[] }>(`/accounts/${accountId}/bankruptcy`, undefined, signal));
  const [opening, setOpening] = useState(false);
  const [done, setDone] = useState<string | null>(null);
  const items = cases.data?.items ?? [];
  const open = items.find((c) => c.status === 'open') ?? null;
  const past = items.filter((c) => c.status !== 'open');
  return (
    <Card
      title="Bankruptcy"
      testId="bankruptcy-card"
      actions={canOpen && cases.data && !open && (
        <button type="button" className="button-small" onClick={() => { setDone(null); setOpening(true); }} data-testid="open-bankruptcy">
          Record bankruptcy
        </button>
      )}
    >
      <SuccessBanner message={done} testId="bankruptcy-done" className="small" />
      {cases.error ? (
        <LoadError error={cases.error} retry={cases.reload} />
      ) : !cases.data ? (
        <Loading what="Loading the bankruptcy cases" />
      ) : open ? (
        <div data-testid="bankruptcy-open" data-case-id={open.id}>
          <p className="small">
            <BankruptcyBadge status={open.status} testId="bankruptcy-status" />{' '}
            <Link to={`/bankruptcy/${open.id}`} data-testid="bankruptcy-case-link">Chapter {open.chapter}, case {open.caseNumber}</Link>, {open.court}
          </p>
          <Facts
            items={[
              ['Petition', open.petitionDate],
              ['Held out of collection', <strong data-testid="bankruptcy-held">{formatCents(open.heldCents)}</strong>],
              ['Assurance deposit due', open.assuranceDueOn],
              ['Contact', `${open.contact.name ?? '—'} (${open.contact.kind})`],
            ]}
          />
          <CaseAccountsTable c={open} />
        </div>
      ) : (
        <p className="muted" data-testid="bankruptcy-none">No open bankruptcy case.</p>
      )}
      {past.length > 0 && (
        <details className="alert-older" data-testid="bankruptcy-history">
          <summary>{past.length} earlier case{past.length === 1 ? '' : 's'}</summary>
          <ul className="alert-list">
            {past.map((c) => (
              <li key={c.id} className="alert-item">
                <Link to={`/bankruptcy/${c.id}`}>Chapter {c.chapter}, case {c.caseNumber}</Link> <BankruptcyBadge status={c.status} />{' '}
                <span className="muted">petition {c.petitionDate}{c.closedOn ? `, ${c.status} ${c.closedOn}` : ''}</span>
              </li>
            ))}
          </ul>
        </details>
      )}
      {canOpen && (
        <OpenCaseDialog
          customerId={opening ? customerId : null}
          open={opening}
          onClose={() => setOpening(false)}
          onSaved={(c) => {
            setOpening(false);
            setDone(`Bankruptcy case ${c.id} recorded: ${formatCents(c.heldCents)} of pre-petition debt held out of collection.`);
            cases.reload();
            onChange?.();
          }}
        />
      )}
    </Card>
  );
}
