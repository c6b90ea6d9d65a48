import { useState } from 'react';
import { api } from '../api.ts';
import { AdjustBalanceButton } from '../billing/AdjustDialog.tsx';
import { Card, LoadError, Loading, SuccessBanner } from '../components/ui.tsx';
import { formatCents, utilityToday } from '../format.ts';
import { useApi } from '../hooks.ts';
import { Link } from '../router.tsx';
import { useCan } from '../session.tsx';
import type { LedgerEntry, Page } from '../types.ts';

/** The amount owed (positive) or in credit (negative), as the card and the ledger show it. */
export function BalanceAmount({ cents, testId }: { cents: number; testId?: string }) {
  return (
    <span className={`balance-amount${cents < 0 ? ' credit' : ''}`} data-testid={testId} data-cents={cents}>
      {formatCents(Math.abs(cents))}
      {cents < 0 ? ' credit' : cents === 0 ? '' : ' due'}
    </span>
  );
}

/**
 * What the account owes (positive) or has in credit (negative): the sum of its ledger entries.
 * Links to the full ledger; a CSR adjusts the balance from here. `version` changes when something
 * elsewhere on the page moved money (a bill cancelled), to load the balance again.
 */
export function BalanceCard({ accountId, services, version = 0, onChange }: { accountId: number; services: readonly string[]; version?: number; onChange?(): void }) {
  const canAdjust = useCan('csr1');
  const [done, setDone] = useState<string | null>(null);
  const ledger = useApi(`account-balance:${accountId}:${version}`, (signal) => api.get<Page<LedgerEntry> & { balanceCents: number }>(`/accounts/${accountId}/ledger`, { limit: 1 }, signal));
  const data = ledger.data;

  return (
    <Card
      title="Balance"
      testId="balance-card"
      actions={
        canAdjust && (
          <AdjustBalanceButton
            accountId={accountId}
            services={services}
            onOpen={() => setDone(null)}
            onSaved={(entry, balanceCents) => {
              setDone(`${entry.amountCents < 0 ? 'Credited' : 'Charged'} ${formatCents(Math.abs(entry.amountCents))} (${entry.reasonCode}). The balance is now ${formatCents(balanceCents)}.`);
              ledger.reload();
              onChange?.();
            }}
          />
        )
      }
    >
      {ledger.error ? (
        <LoadError error={ledger.error} retry={ledger.reload} />
      ) : !data ? (
        <Loading what="Loading the balance" />
      ) : data.items.length === 0 ? (
        <p className="muted" data-testid="balance-none">No charges or payments posted yet.</p>
      ) : (
        <div className="balance">
          <BalanceAmount cents={data.balanceCents} testId="balance-amount" />
          <span className="muted">as of {utilityToday()}</span>
        </div>
      )}
      <SuccessBanner message={done} testId="adjust-done" className="small" />
      <p className="small balance-links">
        <Link to={`/accounts/${accountId}/ledger`} data-testid="ledger-link">Full ledger →</Link>
      </p>
    </Card>
  );
}
