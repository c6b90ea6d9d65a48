import { useState } from 'react';
import { api } from '../api.ts';
import { Card, Facts, LoadError, Loading, SuccessBanner } from '../components/ui.tsx';
import { formatCents } from '../format.ts';
import { useApi } from '../hooks.ts';
import { Link } from '../router.tsx';
import { useCan } from '../session.tsx';
import type { DeceasedCase } from '../types.ts';
import { ClaimsTable, DeceasedBadge, NotifyDialog, sourceLabel } from './parts.tsx';

/**
 * The account's deceased case, if any: how the district heard (staff, or an ACH R15/R14 return),
 * the date of death, the estate and the claim deadline, the claims and a service transfer, with a
 * link to the case. A CSR I records a death notice for the customer.
 */
export function DeceasedCard({ accountId, customerId, customerName, onChange }: { accountId: number; customerId: number; customerName: string; onChange?(): void }) {
  const canNotify = useCan('csr1');
  const cases = useApi(`account-deceased:${accountId}`, (signal) => api.get<{ items: DeceasedCase[] }>(`/accounts/${accountId}/deceased`, undefined, signal));
  const [notifying, setNotifying] = useState(false);
  const [done, setDone] = useState<string | null>(null);
  const items = cases.data?.items ?? [];
  const live = items.find((c) => c.status !== 'closed') ?? null;
  const past = items.filter((c) => c.status === 'closed');
  return (
    <Card
      title="Deceased"
      testId="deceased-card"
      actions={canNotify && cases.data && !live && (
        <button type="button" className="button-small" onClick={() => { setDone(null); setNotifying(true); }} data-testid="notify-deceased">
          Record a death
        </button>
      )}
    >
      <SuccessBanner message={done} testId="deceased-done" className="small" />
      {cases.error ? (
        <LoadError error={cases.error} retry={cases.reload} />
      ) : !cases.data ? (
        <Loading what="Loading" />
      ) : live ? (
        <div data-testid="deceased-live" data-case-id={live.id}>
          <p className="small">
            <DeceasedBadge status={live.status} testId="deceased-status" /> <Link to={`/deceased/${live.id}`} data-testid="deceased-case-link">Deceased case {live.id}</Link>: {sourceLabel(live.source)}
          </p>
          <Facts
            items={[
              ['Date of death', <span data-testid="deceased-date-of-death">{live.dateOfDeath ?? '—'}</span>],
              ['Notified', `${live.notifiedOn}${live.notifiedBy ? ` by ${live.notifiedBy}` : ''}${live.relationship ? ` (${live.relationship})` : ''}`],
              ['Personal representative', live.estate.representativeName ?? '—'],
              ['Claims due by', <span data-testid="deceased-claim-deadline">{live.estate.claimDeadline ?? 'probate notice not yet published'}</span>],
              ['Balance for the estate', formatCents(live.accounts.find((a) => a.accountId === accountId)?.balanceCents ?? 0)],
            ]}
          />
          {live.claims.length > 0 && <ClaimsTable claims={live.claims.filter((k) => k.accountId === accountId)} canAct={false} canWriteOff={false} />}
          {live.transfers.map((t) => (
            <p key={t.id} className="small" data-testid="deceased-transfer">
              Service to <Link to={`/accounts/${t.survivorAccountId}`}>{t.survivorName} ({t.survivorAccountNumber})</Link> after {t.lastDay}: {t.orders.map((o) => <span key={o.id}><Link to={`/service-orders/${o.id}`}>{o.number}</Link> {o.type.replace('_', '-')} ({o.status}) </span>)}
            </p>
          ))}
        </div>
      ) : (
        <p className="muted" data-testid="deceased-none">No deceased notice.</p>
      )}
      {past.length > 0 && (
        <p className="small muted">Earlier: {past.map((c) => <Link key={c.id} to={`/deceased/${c.id}`}>case {c.id} (closed {c.closedOn})</Link>)}</p>
      )}
      {canNotify && (
        <NotifyDialog
          customerId={customerId}
          customerName={customerName}
          open={notifying}
          onClose={() => setNotifying(false)}
          onSaved={(c) => {
            setNotifying(false);
            setDone(`Deceased case ${c.id} opened; the accounts carry a deceased alert.`);
            cases.reload();
            onChange?.();
          }}
        />
      )}
    </Card>
  );
}
