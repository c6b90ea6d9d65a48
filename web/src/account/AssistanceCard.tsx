import { useState } from 'react';
import { api } from '../api.ts';
import { parseDollars } from '../billing/money.ts';
import { DataTable, type Column } from '../components/DataTable.tsx';
import { FormDialog } from '../components/Dialog.tsx';
import { clientError, optional, ReasonField, SelectField, TextField, useSubmit } from '../components/forms.tsx';
import { Card, Empty, LoadError, Loading, SuccessBanner } from '../components/ui.tsx';
import { formatCents, utilityToday } from '../format.ts';
import { useApi } from '../hooks.ts';
import { useCan } from '../session.tsx';
import type { AccountPledges, AssistanceProgram, Pledge } from '../types.ts';

/** Words and pieces of energy assistance shared by the account's card and the assistance page. */

const statusTone: Record<Pledge['status'], string> = { open: 'info', partial: 'warn', paid: 'good', expired: 'bad', cancelled: 'muted' };
const statusLabel: Record<Pledge['status'], string> = { open: 'Open', partial: 'Partly paid', paid: 'Paid', expired: 'Expired', cancelled: 'Cancelled' };

/** A pledge's status, and its flag once it lapsed: expired (nothing came) or short (part came). */
export function PledgeStatusBadges({ pledge }: { pledge: Pick<Pledge, 'status' | 'flag' | 'holdsCollection'> }) {
  return (
    <span className="badge-row">
      <span className={`badge badge-${statusTone[pledge.status]}`} data-testid="pledge-status">{statusLabel[pledge.status]}</span>
      {pledge.flag && (
        <span className="badge badge-bad" data-testid="pledge-flag" title={pledge.flag === 'short' ? 'Lapsed with less than pledged received' : 'Lapsed with nothing received'}>
          {pledge.flag === 'short' ? 'Short' : 'Expired unpaid'}
        </span>
      )}
      {pledge.holdsCollection && <span className="badge badge-good" data-testid="pledge-holds" title="Collection waits for this pledge">Holds collection</span>}
    </span>
  );
}

/** `CDCAC LIHEAP` with the program's name under it. */
export function ProgramCell({ pledge }: { pledge: Pick<Pledge, 'agencyCode' | 'programCode' | 'programName' | 'agencyName'> }) {
  return (
    <>
      <span className="mono">{pledge.agencyCode} {pledge.programCode}</span>
      <div className="small muted">{pledge.programName}</div>
    </>
  );
}

/**
 * Energy assistance on the account: the pledges agencies made on it (what was pledged, what has
 * come, what is still to come, until when), the pledge that holds collection today, and whether
 * the customer counts as an energy-assistance customer. A CSR records a pledge (with a reason); a
 * CSR II cancels an open one. `onChange` runs after a change (the pledge-pending alert).
 */
export function AssistanceCard({ accountId, onChange }: { accountId: number; onChange?(): void }) {
  const canRecord = useCan('csr1');
  const canCancel = useCan('csr2');
  const pledges = useApi(`pledges:${accountId}`, (signal) => api.get<AccountPledges>(`/accounts/${accountId}/pledges`, undefined, signal));
  const [recording, setRecording] = useState(false);
  const [cancelling, setCancelling] = useState<Pledge | null>(null);
  const [done, setDone] = useState<string | null>(null);
  const data = pledges.data;

  const changed = (text: string) => {
    setRecording(false);
    setCancelling(null);
    setDone(text);
    pledges.reload();
    onChange?.();
  };

  const columns: Column<Pledge>[] = [
    { header: 'Pledged', className: 'nowrap', cell: (p) => p.pledgedOn },
    { header: 'Agency and program', cell: (p) => <ProgramCell pledge={p} /> },
    { header: 'Pledge no.', className: 'nowrap', cell: (p) => (p.reference ? <span className="mono">{p.reference}</span> : <span className="muted">—</span>) },
    { header: 'Amount', className: 'num nowrap', cell: (p) => <span data-testid="pledge-amount">{formatCents(p.amountCents)}</span> },
    { header: 'Received', className: 'num nowrap', cell: (p) => <span data-testid="pledge-received">{formatCents(p.receivedCents)}</span> },
    { header: 'Still to come', className: 'num nowrap', cell: (p) => <span data-testid="pledge-outstanding">{formatCents(p.outstandingCents)}</span> },
    { header: 'Expires', className: 'nowrap', cell: (p) => p.expiresOn },
    { header: 'Status', cell: (p) => <PledgeStatusBadges pledge={p} /> },
  ];
  if (canCancel) {
    columns.push({
      header: <span className="visually-hidden">Actions</span>,
      className: 'actions-cell',
      cell: (p) =>
        (p.status === 'open' || p.status === 'partial') && (
          <button type="button" className="button-small" onClick={() => { setDone(null); setCancelling(p); }} aria-label={`Cancel pledge ${p.id} of ${formatCents(p.amountCents)}`} data-testid="cancel-pledge">
            Cancel
          </button>
        ),
    });
  }

  return (
    <Card
      title="Energy assistance"
      testId="assistance-card"
      actions={
        canRecord && (
          <button type="button" className="button-small" onClick={() => { setDone(null); setRecording(true); }} data-testid="record-pledge">
            Record a pledge
          </button>
        )
      }
    >
      <SuccessBanner message={done} testId="pledge-done" className="small" />
      {pledges.error ? (
        <LoadError error={pledges.error} retry={pledges.reload} />
      ) : !data ? (
        <Loading what="Loading the pledges" />
      ) : (
        <>
          {data.holding ? (
            <p className="notice small" data-testid="pledge-hold">
              Collection is held: pledge {data.holding.pledgeId} is open until {data.holding.expiresOn}, with {formatCents(data.holding.outstandingCents)} of {formatCents(data.holding.amountCents)} still to come from the agency.
            </p>
          ) : null}
          {data.assistanceEligible && <p className="small muted" data-testid="assistance-eligible">An energy-assistance customer: a low-income program pledged on the account in the last 12 months.</p>}
          {data.items.length === 0 ? <Empty>No energy-assistance pledges.</Empty> : <DataTable columns={columns} rows={data.items} testId="pledges-table" />}
        </>
      )}
      {canRecord && <RecordPledgeDialog accountId={accountId} open={recording} onClose={() => setRecording(false)} onSaved={(p) => changed(`Pledge ${p.id} recorded: ${p.agencyCode} ${p.programCode} ${formatCents(p.amountCents)}, holding collection until ${p.expiresOn}.`)} />}
      {canCancel && <CancelPledgeDialog pledge={cancelling} onClose={() => setCancelling(null)} onSaved={(p) => changed(`Pledge ${p.id} cancelled: collection is no longer held for it.`)} />}
    </Card>
  );
}

/** The active programs, as options `CDCAC LIHEAP: Low Income Home Energy Assistance Program`. */
export function useProgramOptions(enabled: boolean) {
  const programs = useApi(`assistance-programs:${enabled}`, (signal) => (enabled ? api.get<{ items: AssistanceProgram[] }>('/assistance/programs', undefined, signal) : Promise.resolve({ items: [] })));
  return (programs.data?.items ?? []).filter((p) => p.active).map((p) => ({ value: String(p.id), label: `${p.agencyCode} ${p.code}: ${p.name}` }));
}

function RecordPledgeDialog({ accountId, open, onClose, onSaved }: { accountId: number; open: boolean; onClose(): void; onSaved(p: Pledge): void }) {
  const options = useProgramOptions(open);
  const form = useSubmit(async (v) => {
    if (!v.programId) throw clientError('body.programId', 'Choose the program');
    const cents = parseDollars(v.amount ?? '');
    if (cents === null || cents === 0) throw clientError('body.amountCents', 'Write the amount pledged in dollars and cents, e.g. 150.00');
    onSaved(await api.post<Pledge>(`/accounts/${accountId}/pledges`, {
      programId: Number(v.programId), amountCents: cents, pledgedOn: v.pledgedOn || undefined, expiresOn: optional(v.expiresOn), reference: optional(v.reference), reason: v.reason ?? '',
    }));
  }, open);
  const { error } = form;
  return (
    <FormDialog title="Record an energy-assistance pledge" open={open} onClose={onClose} testId="record-pledge-dialog" form={form} submitLabel="Record pledge" submitTestId="save-pledge">
      <p className="field-wide small muted">The pledge holds collection until it expires, and the account shows a pledge-pending alert until the agency pays it.</p>
      <SelectField label="Program" name="programId" field={['body.programId', 'programId']} error={error} options={options} blank="Choose the agency's program" required autoFocus wide />
      <TextField label="Amount pledged" name="amount" field={['body.amountCents', 'amountCents']} error={error} inputMode="decimal" required placeholder="150.00" />
      <TextField label="Agency's pledge number" name="reference" field={['body.reference', 'reference']} error={error} autoComplete="off" maxLength={40} hint="Optional" />
      <TextField label="Pledged on" name="pledgedOn" type="date" field={['body.pledgedOn', 'pledgedOn']} error={error} defaultValue={utilityToday()} required />
      <TextField label="Expires on" name="expiresOn" type="date" field={['body.expiresOn', 'expiresOn']} error={error} hint="Blank: 30 days after the pledge date" />
      <ReasonField error={error} required placeholder="e.g. Agency faxed the pledge letter" />
    </FormDialog>
  );
}

function CancelPledgeDialog({ pledge, onClose, onSaved }: { pledge: Pledge | null; onClose(): void; onSaved(p: Pledge): void }) {
  const form = useSubmit(async (v) => {
    onSaved(await api.post<Pledge>(`/assistance/pledges/${pledge!.id}/cancel`, { reason: v.reason ?? '' }));
  }, pledge);
  const { error } = form;
  return (
    <FormDialog title={pledge ? `Cancel pledge ${pledge.id}` : 'Cancel a pledge'} open={pledge !== null} onClose={onClose} testId="cancel-pledge-dialog" form={form} submitLabel="Cancel the pledge" submitTestId="save-cancel-pledge">
      {pledge && (
        <p className="field-wide">
          {pledge.agencyCode} {pledge.programCode} pledged {formatCents(pledge.amountCents)} on {pledge.pledgedOn}; {formatCents(pledge.receivedCents)} has come. Once cancelled it no longer holds collection.
        </p>
      )}
      <ReasonField error={error} required autoFocus placeholder="e.g. Agency withdrew the pledge: household not eligible" />
    </FormDialog>
  );
}
