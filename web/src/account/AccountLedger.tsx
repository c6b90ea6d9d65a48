import { useState } from 'react';
import { api } from '../api.ts';
import { BillingBadge, ServiceTag } from '../billing/badges.tsx';
import { AdjustBalanceButton } from '../billing/AdjustDialog.tsx';
import { PagedTable, type Column } from '../components/DataTable.tsx';
import { FormDialog } from '../components/Dialog.tsx';
import { ReasonField, useSubmit } from '../components/forms.tsx';
import { Card, SuccessBanner } from '../components/ui.tsx';
import { formatCents, formatTimestamp } from '../format.ts';
import { usePagedQuery } from '../hooks.ts';
import { Link } from '../router.tsx';
import { useCan } from '../session.tsx';
import type { LedgerEntry } from '../types.ts';
import { BalanceAmount } from './BalanceCard.tsx';

type Ledger = { balanceCents?: number };

function columns(reversedBy: Map<number, number>, reverse: ((e: LedgerEntry) => void) | null): Column<LedgerEntry>[] {
  const cols: Column<LedgerEntry>[] = [
    { header: 'Entry', className: 'num', cell: (e) => <span className="mono" id={`entry-${e.id}`}>#{e.id}</span> },
    { header: 'Date', className: 'nowrap', cell: (e) => <span title={`Recorded ${formatTimestamp(e.createdAt)}`}>{e.entryDate}</span> },
    { header: 'Kind', cell: (e) => <BillingBadge status={e.kind} /> },
    { header: 'Service', cell: (e) => (e.service ? <ServiceTag service={e.service} /> : <span className="muted">account</span>) },
    { header: 'Amount', className: 'num nowrap', cell: (e) => <span className={e.amountCents < 0 ? 'credit' : undefined}>{formatCents(e.amountCents)}</span> },
    { header: 'Incl. tax', className: 'num nowrap', cell: (e) => (e.taxCents ? formatCents(e.taxCents) : <span className="muted">—</span>) },
    {
      header: 'Reference',
      cell: (e) => (
        <div className="cell-stack">
          {e.billId && <Link to={`/bills/${e.billId}`}>Bill {e.billId}</Link>}
          {e.reversesId && <span>Reverses <a href={`#entry-${e.reversesId}`}>#{e.reversesId}</a></span>}
          {reversedBy.has(e.id) && <span className="muted small" data-testid="reversed-by">Reversed by <a href={`#entry-${reversedBy.get(e.id)}`}>#{reversedBy.get(e.id)}</a></span>}
        </div>
      ),
    },
    {
      header: 'Reason',
      cell: (e) => (
        <>
          {e.reasonCode && <span className="mono small">{e.reasonCode}</span>} {e.reason ?? (e.kind === 'bill' ? <span className="muted">Billed</span> : '')}
        </>
      ),
    },
  ];
  if (reverse) {
    cols.push({
      header: <span className="visually-hidden">Actions</span>,
      className: 'actions-cell',
      cell: (e) =>
        e.kind === 'reversal' || reversedBy.has(e.id) ? null : (
          <button type="button" className="button-small" onClick={() => reverse(e)} aria-label={`Reverse entry ${e.id}`} data-testid="reverse-entry">
            Reverse
          </button>
        ),
    });
  }
  return cols;
}

function ReverseDialog({ entry, onClose, onSaved }: { entry: LedgerEntry | null; onClose(): void; onSaved(reversal: LedgerEntry): void }) {
  const form = useSubmit(async (v) => {
    onSaved(await api.post<LedgerEntry>(`/ledger-entries/${entry!.id}/reverse`, { reason: v.reason }));
  }, entry);
  return (
    <FormDialog title={entry ? `Reverse entry #${entry.id} (${formatCents(entry.amountCents)})` : 'Reverse the entry'} open={entry !== null} onClose={onClose} testId="reverse-entry-dialog" form={form} submitLabel="Reverse entry" submitTestId="save-reverse-entry">
      <p className="field-wide muted">An equal and opposite entry is added that points at this one. Entries are never changed or removed. To undo a bill, cancel or rebill the bill instead.</p>
      <ReasonField error={form.error} required autoFocus placeholder="e.g. Adjustment posted to the wrong account" />
    </FormDialog>
  );
}

/** The account's ledger, oldest first (as the API keeps it): every bill, adjustment and reversal, and the balance. */
export function AccountLedger({ accountId, services }: { accountId: number; services: readonly string[] }) {
  const list = usePagedQuery<LedgerEntry>(`/accounts/${accountId}/ledger`, {}, { limit: 50 });
  const canAdjust = useCan('csr1');
  const canReverse = useCan('supervisor');
  const [reversing, setReversing] = useState<LedgerEntry | null>(null);
  const [done, setDone] = useState<string | null>(null);
  const items = list.data?.items ?? [];
  const reversedBy = new Map(items.filter((e) => e.reversesId !== null).map((e) => [e.reversesId!, e.id]));
  const balance = (list.data as Ledger | undefined)?.balanceCents;

  return (
    <>
      <SuccessBanner message={done} testId="ledger-done" />
      <Card
        title="Ledger"
        testId="account-ledger"
        actions={
          <>
            {balance !== undefined && <span className="ledger-balance">Balance <BalanceAmount cents={balance} testId="ledger-balance" /></span>}
            {canAdjust && (
              <AdjustBalanceButton
                accountId={accountId}
                services={services}
                onOpen={() => setDone(null)}
                onSaved={(entry, balanceCents) => {
                  setDone(`Entry #${entry.id}: ${formatCents(entry.amountCents)} (${entry.reasonCode}). The balance is now ${formatCents(balanceCents)}.`);
                  list.reload();
                }}
              />
            )}
          </>
        }
      >
        <PagedTable
          list={list}
          columns={columns(reversedBy, canReverse ? (e) => { setDone(null); setReversing(e); } : null)}
          empty="Nothing is on the ledger yet."
          testId="ledger-table"
          newerLabel="Earlier entries"
          olderLabel="Later entries"
        />
      </Card>
      <ReverseDialog
        entry={reversing}
        onClose={() => setReversing(null)}
        onSaved={(reversal) => {
          setReversing(null);
          setDone(`Entry #${reversal.reversesId} reversed by entry #${reversal.id} (${formatCents(reversal.amountCents)}).`);
          list.reload();
        }}
      />
    </>
  );
}
