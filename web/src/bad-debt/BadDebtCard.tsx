import { useState } from 'react';
import { api } from '../api.ts';
import { DataTable, type Column } from '../components/DataTable.tsx';
import { FormDialog } from '../components/Dialog.tsx';
import { ReasonField, SelectField, useSubmit } from '../components/forms.tsx';
import { Card, Facts, LoadError, Loading, SuccessBanner } from '../components/ui.tsx';
import { formatCents } from '../format.ts';
import { useApi } from '../hooks.ts';
import { Link } from '../router.tsx';
import { useCan } from '../session.tsx';
import type { AccountBadDebt, AgencyCollection, BalanceTransfer, WriteOff } from '../types.ts';
import { CollectionDialog, DecideWriteOffDialog, LetterLink, PlacementBadge, RecallDialog, StepText, WriteOffBadge } from './common.tsx';

type PlacementOfAccount = AccountBadDebt['placements'][number];

/**
 * The account's bad debt: once its service has ended with a final bill posted, the balance, what
 * the daily job does next, the pre-collection letter, the placements with an agency and what the
 * agency collected, write-offs (asked for by a CSR II, approved by another person, a supervisor)
 * and moving the balance to the customer's active account. `version` changes when something
 * elsewhere on the page moved money; `onChange` runs after a change here did.
 */
export function BadDebtCard({ accountId, version = 0, onChange }: { accountId: number; version?: number; onChange?(): void }) {
  const canAct = useCan('csr2');
  const canApprove = useCan('supervisor');
  const state = useApi(`bad-debt:${accountId}:${version}`, (signal) => api.get<AccountBadDebt>(`/accounts/${accountId}/bad-debt`, undefined, signal));
  const [dialog, setDialog] = useState<'write-off' | 'transfer' | null>(null);
  const [collecting, setCollecting] = useState<PlacementOfAccount | null>(null);
  const [recalling, setRecalling] = useState<PlacementOfAccount | null>(null);
  const [deciding, setDeciding] = useState<{ how: 'approve' | 'refuse'; w: WriteOff } | null>(null);
  const [done, setDone] = useState<string | null>(null);
  const d = state.data;

  const changed = (text: string) => {
    setDialog(null);
    setCollecting(null);
    setRecalling(null);
    setDeciding(null);
    setDone(text);
    state.reload();
    onChange?.();
  };
  const hasHistory = d ? d.letter || d.placements.length > 0 || d.writeOffs.length > 0 || d.transfers.length > 0 : false;
  const waiting = d?.writeOffs.find((w) => w.status === 'requested') ?? null;
  const owes = d !== undefined && d.final !== null && d.balanceCents > 0;
  const live = d?.placements.find((p) => p.status === 'placed') ?? null;

  const placementColumns: Column<PlacementOfAccount>[] = [
    { header: 'Agency', className: 'nowrap', cell: (p) => <span className="mono">{p.agencyCode}</span> },
    { header: 'Placed', className: 'nowrap', cell: (p) => p.placedOn },
    { header: 'Amount', className: 'num nowrap', cell: (p) => <span data-testid="placement-amount">{formatCents(p.amountCents)}</span> },
    { header: 'Where it stands', cell: (p) => <><PlacementBadge status={p.status} reason={p.recallReason} />{p.recalledOn && <div className="small muted">{p.recalledOn}{p.recallNote ? `: ${p.recallNote}` : ''}</div>}</> },
    {
      header: <span className="visually-hidden">Actions</span>, className: 'actions-cell',
      cell: (p) => canAct && (
        <div className="row-actions">
          <button type="button" className="button-small" onClick={() => { setDone(null); setCollecting(p); }} data-testid="record-collection" aria-label={`Record what ${p.agencyCode} collected on placement ${p.id}`}>Agency payment</button>
          {p.status === 'placed' && <button type="button" className="button-small" onClick={() => { setDone(null); setRecalling(p); }} data-testid="recall-placement" aria-label={`Recall placement ${p.id}`}>Recall</button>}
        </div>
      ),
    },
  ];
  const collectionColumns: Column<AgencyCollection>[] = [
    { header: 'Collected', className: 'nowrap', cell: (c) => c.collectedOn },
    { header: 'Gross', className: 'num nowrap', cell: (c) => <span data-testid="collection-gross">{formatCents(c.grossCents)}</span> },
    { header: 'Commission', className: 'num nowrap', cell: (c) => <span data-testid="collection-commission">{formatCents(c.commissionCents)}</span> },
    { header: 'Paid to us', className: 'num nowrap', cell: (c) => <span data-testid="collection-net">{formatCents(c.netCents)}</span> },
    { header: 'Payment', className: 'nowrap', cell: (c) => (c.paymentId ? <Link to={`/payments/${c.paymentId}`}>Payment {c.paymentId}</Link> : '—') },
  ];
  const writeOffColumns: Column<WriteOff>[] = [
    { header: 'Asked', className: 'nowrap', cell: (w) => `${w.requestedAt.slice(0, 10)} by ${w.requestedBy}` },
    { header: 'Amount', className: 'num nowrap', cell: (w) => <span data-testid="write-off-amount">{formatCents(w.amountCents ?? w.requestedCents)}</span> },
    { header: 'Reinstated', className: 'num nowrap', cell: (w) => <span data-testid="write-off-reinstated">{formatCents(w.reinstatedCents)}</span> },
    { header: 'Status', cell: (w) => <><WriteOffBadge status={w.status} />{w.decidedBy && <div className="small muted">{w.decidedBy}: {w.decisionReason}</div>}</> },
    { header: 'Why', cell: (w) => w.reason },
    {
      header: <span className="visually-hidden">Actions</span>, className: 'actions-cell',
      cell: (w) => canApprove && w.status === 'requested' && (
        <div className="row-actions">
          <button type="button" className="button-small" onClick={() => { setDone(null); setDeciding({ how: 'approve', w }); }} data-testid="approve-write-off">Approve</button>
          <button type="button" className="button-small" onClick={() => { setDone(null); setDeciding({ how: 'refuse', w }); }} data-testid="refuse-write-off">Refuse</button>
        </div>
      ),
    },
  ];

  return (
    <Card
      title="Bad debt"
      testId="bad-debt-card"
      actions={owes && canAct && (
        <>
          {!waiting && <button type="button" className="button-small" onClick={() => { setDone(null); setDialog('write-off'); }} data-testid="ask-write-off">Write off</button>}
          {d!.transferTargets.length > 0 && <button type="button" className="button-small" onClick={() => { setDone(null); setDialog('transfer'); }} data-testid="transfer-balance">Move balance</button>}
        </>
      )}
    >
      <SuccessBanner message={done} testId="bad-debt-done" className="small" />
      {state.error ? (
        <LoadError error={state.error} retry={state.reload} />
      ) : !d ? (
        <Loading what="Loading the bad-debt state" />
      ) : !d.final && !hasHistory ? (
        <p className="muted" data-testid="bad-debt-none">Service is live (or no final bill has been posted): nothing here until the service ends with money owed.</p>
      ) : (
        <>
          <Facts
            items={[
              ['Final bill', d.final ? `${d.final.finalBillDate}, due ${d.final.finalDueDate}` : '—'],
              ['Balance', <strong data-testid="bad-debt-balance">{formatCents(d.balanceCents)}</strong>],
              ['Next', live ? <span data-testid="next-step" data-action="placed">With {live.agencyName} since {live.placedOn}</span> : d.next ? <StepText step={d.next} /> : <span className="muted">Nothing owed</span>],
              ['Pre-collection letter', d.letter ? <span data-testid="bad-debt-letter"><LetterLink id={d.letter.id} date={d.letter.letterDate} /> for {formatCents(d.letter.balanceCents)}; may be placed from {d.letter.placeAfter}</span> : 'Not sent'],
              ['Ready to place', d.candidate ? <span data-testid="bad-debt-candidate">Since {d.candidate.since} ({d.candidate.source === 'run' ? 'the daily job' : 'staff'})</span> : '—'],
            ]}
          />
          {d.placements.length > 0 && (
            <>
              <h3 className="subheading">Placements</h3>
              <DataTable columns={placementColumns} rows={d.placements} testId="bad-debt-placements" />
            </>
          )}
          {d.collections.length > 0 && (
            <>
              <h3 className="subheading">Paid by the agency</h3>
              <DataTable columns={collectionColumns} rows={d.collections} testId="bad-debt-collections" />
            </>
          )}
          {d.writeOffs.length > 0 && (
            <>
              <h3 className="subheading">Write-offs</h3>
              <DataTable columns={writeOffColumns} rows={d.writeOffs} testId="bad-debt-write-offs" />
            </>
          )}
          {d.transfers.length > 0 && (
            <>
              <h3 className="subheading">Balance transfers</h3>
              <div data-testid="bad-debt-transfers">
                {d.transfers.map((t) => (
                  <p key={t.id} className="small">
                    <span className="mono">{t.transferKey}</span>, {t.transferredOn}: {formatCents(t.amountCents)}{' '}
                    {t.fromAccountId === accountId ? <>moved to account <Link to={`/accounts/${t.toAccountId}`} className="mono">{t.toAccountNumber}</Link></> : <>moved here from account <Link to={`/accounts/${t.fromAccountId}`} className="mono">{t.fromAccountNumber}</Link></>}. {t.reason}
                  </p>
                ))}
              </div>
            </>
          )}
        </>
      )}
      {d && canAct && <WriteOffRequestDialog accountId={accountId} balanceCents={d.balanceCents} open={dialog === 'write-off'} onClose={() => setDialog(null)} onSaved={(w) => changed(`Write-off ${w.id} of ${formatCents(w.requestedCents)} asked for; a supervisor other than you approves it.`)} />}
      {d && canAct && <TransferDialog d={d} open={dialog === 'transfer'} onClose={() => setDialog(null)} onSaved={(t) => changed(`${formatCents(t.amountCents)} moved to the customer's account ${d.transferTargets.find((x) => x.id === t.toAccountId)?.accountNumber ?? t.toAccountId} (${t.transferKey}).`)} />}
      <CollectionDialog placement={collecting} onClose={() => setCollecting(null)} onSaved={(c) => changed(`The agency collected ${formatCents(c.grossCents)}: ${formatCents(c.netCents)} posted as a payment, ${formatCents(c.commissionCents)} commission written off.`)} />
      <RecallDialog placement={recalling} onClose={() => setRecalling(null)} onSaved={() => changed(`Placement ${recalling?.id} recalled from ${recalling?.agencyCode}.`)} />
      <DecideWriteOffDialog acting={deciding} onClose={() => setDeciding(null)} onSaved={(w) => changed(w.status === 'approved' ? `Write-off ${w.id} approved: ${formatCents(w.amountCents ?? 0)} written off to bad debt.` : `Write-off ${w.id} refused.`)} />
    </Card>
  );
}

function WriteOffRequestDialog({ accountId, balanceCents, open, onClose, onSaved }: { accountId: number; balanceCents: number; open: boolean; onClose(): void; onSaved(w: WriteOff): void }) {
  const form = useSubmit(async (v) => {
    onSaved(await api.post<WriteOff>(`/accounts/${accountId}/bad-debt/write-off`, { reason: v.reason ?? '' }));
  }, open);
  return (
    <FormDialog title="Write the balance off to bad debt" open={open} onClose={onClose} testId="write-off-dialog" form={form} submitLabel="Ask for the write-off" submitTestId="save-write-off">
      <p className="field-wide">The balance ({formatCents(balanceCents)} now) is written off when a supervisor other than you approves it. Money that comes later is reinstated as recovered bad debt; a placement with the agency stays.</p>
      <ReasonField error={form.error} required autoFocus placeholder="e.g. Agency reports the customer cannot be found" />
    </FormDialog>
  );
}

function TransferDialog({ d, open, onClose, onSaved }: { d: AccountBadDebt; open: boolean; onClose(): void; onSaved(t: BalanceTransfer): void }) {
  const form = useSubmit(async (v) => {
    onSaved(await api.post<BalanceTransfer>(`/accounts/${d.accountId}/bad-debt/transfer`, { toAccountId: Number(v.toAccountId), reason: v.reason ?? '' }));
  }, open);
  const { error } = form;
  return (
    <FormDialog title="Move the balance to the customer's other account" open={open} onClose={onClose} testId="transfer-dialog" form={form} submitLabel="Move the balance" submitTestId="save-transfer">
      <p className="field-wide">All of the {formatCents(d.balanceCents)} owed here moves to the account chosen, in one step on both ledgers.{d.placements.some((p) => p.status === 'placed') ? ' The placement with the agency is recalled first.' : ''}</p>
      <SelectField label="To account" name="toAccountId" field={['body.toAccountId', 'toAccountId']} error={error} options={d.transferTargets.map((t) => ({ value: String(t.id), label: t.accountNumber }))} required />
      <ReasonField error={error} required placeholder="e.g. Prior balance moved to the customer's new home" />
    </FormDialog>
  );
}
