import { api, apiUrl } from '../api.ts';
import { parseDollars } from '../billing/money.ts';
import { FormDialog } from '../components/Dialog.tsx';
import { clientError, optional, ReasonField, SelectField, TextField, useSubmit } from '../components/forms.tsx';
import { formatCents, humanize, utilityToday } from '../format.ts';
import { recallReasons, type AgencyCollection, type FinalAccountStep, type WriteOff } from '../types.ts';

/** Words and pieces of bad debt shared by the account's card, the Agency placements page and the Write-offs page. */

const placementTone: Record<string, string> = { placed: 'warn', recalled: 'muted' };
export function PlacementBadge({ status, reason }: { status: string; reason?: string | null }) {
  return (
    <span className={`badge badge-${placementTone[status] ?? 'muted'}`} data-testid="placement-status" data-status={status}>
      {status === 'placed' ? 'With the agency' : `Recalled${reason ? `: ${recallLabel(reason)}` : ''}`}
    </span>
  );
}

const recallLabels: Record<string, string> = { paid: 'Paid', dispute: 'Disputed', bankruptcy: 'Bankruptcy', deceased: 'Deceased', error: 'Placed in error', other: 'Other', transferred: 'Balance transferred' };
export const recallLabel = (reason: string) => recallLabels[reason] ?? humanize(reason);

const writeOffTone: Record<string, string> = { requested: 'warn', approved: 'bad', refused: 'muted', cancelled: 'muted' };
const writeOffLabels: Record<string, string> = { requested: 'Waiting for approval', approved: 'Written off', refused: 'Refused', cancelled: 'Withdrawn' };
export function WriteOffBadge({ status }: { status: string }) {
  return <span className={`badge badge-${writeOffTone[status] ?? 'muted'}`} data-testid="write-off-status" data-status={status}>{writeOffLabels[status] ?? humanize(status)}</span>;
}

/** What the daily job does next with a final account, in words. */
export function StepText({ step }: { step: FinalAccountStep }) {
  if (step.action === 'letter') return <span className="badge badge-info" data-testid="next-step" data-action="letter">Pre-collection letter due</span>;
  if (step.action === 'candidate') return <span className="badge badge-info" data-testid="next-step" data-action="candidate">Ready to place after the next run</span>;
  return (
    <span data-testid="next-step" data-action={step.action}>
      <span className={`badge badge-${step.action === 'skip' ? 'bad' : 'muted'}`}>{step.action === 'skip' ? 'Not collected' : 'Waiting'}</span> <span className="small">{step.why}</span>
    </span>
  );
}

export function LetterLink({ id, date }: { id: number; date: string }) {
  return (
    <a href={apiUrl(`/bad-debt/letters/${id}/letter.pdf`)} target="_blank" rel="noopener" data-testid="letter-link" aria-label={`Pre-collection letter of ${date} (PDF, opens in a new tab)`}>
      Letter {date} ↗
    </a>
  );
}

/** What the agency collected on a placement: gross, the commission (the agency's percentage by default), the day; the net is posted as a payment. */
export function CollectionDialog({ placement, onClose, onSaved }: {
  placement: { id: number; accountNumber?: string; agencyCode: string; commissionPercent?: string } | null;
  onClose(): void;
  onSaved(c: AgencyCollection): void;
}) {
  const form = useSubmit(async (v) => {
    const grossCents = parseDollars(v.gross ?? '');
    if (grossCents === null || grossCents === 0) throw clientError('body.grossCents', 'Write the amount collected in dollars and cents, e.g. 100.00');
    let commissionCents: number | undefined;
    if (v.commission) {
      const c = parseDollars(v.commission);
      if (c === null) throw clientError('body.commissionCents', 'Write the commission in dollars and cents, e.g. 30.00');
      commissionCents = c;
    }
    onSaved(await api.post<AgencyCollection>(`/bad-debt/placements/${placement!.id}/collections`, { grossCents, commissionCents, collectedOn: v.collectedOn, reference: optional(v.reference) }));
  }, placement);
  const { error } = form;
  return (
    <FormDialog title="Record what the agency collected" open={placement !== null} onClose={onClose} testId="collection-dialog" form={form} submitLabel="Post collection" submitTestId="save-collection">
      {placement && (
        <p className="field-wide">
          Placement {placement.id}{placement.accountNumber ? ` (account ${placement.accountNumber})` : ''} with {placement.agencyCode}. The net (what was collected less the agency's commission) is posted as a payment; the commission is written off, so the balance falls by all that was collected.
        </p>
      )}
      <TextField label="Collected ($)" name="gross" field={['body.grossCents', 'grossCents']} error={error} inputMode="decimal" autoComplete="off" required autoFocus className="mono" />
      <TextField label="Commission kept ($)" name="commission" field={['body.commissionCents', 'commissionCents']} error={error} inputMode="decimal" autoComplete="off" className="mono" hint={placement?.commissionPercent ? `Leave empty for the agency's ${placement.commissionPercent}%` : "Leave empty for the agency's percentage"} />
      <TextField label="Collected on" name="collectedOn" type="date" field={['body.collectedOn', 'collectedOn']} error={error} defaultValue={utilityToday()} required />
      <TextField label="Agency reference" name="reference" field={['body.reference', 'reference']} error={error} hint="Optional; the same reference twice is refused" />
    </FormDialog>
  );
}

/** Recall a placement: why, and a note. */
export function RecallDialog({ placement, onClose, onSaved }: { placement: { id: number; accountNumber?: string; agencyCode: string } | null; onClose(): void; onSaved(): void }) {
  const form = useSubmit(async (v) => {
    await api.post(`/bad-debt/placements/${placement!.id}/recall`, { reason: v.why, note: optional(v.note) });
    onSaved();
  }, placement);
  const { error } = form;
  return (
    <FormDialog title="Recall from the agency" open={placement !== null} onClose={onClose} testId="recall-dialog" form={form} submitLabel="Recall" submitTestId="save-recall">
      {placement && <p className="field-wide">Placement {placement.id}{placement.accountNumber ? ` (account ${placement.accountNumber})` : ''} goes in {placement.agencyCode}'s next recall file; the account is not placed again unless staff place it.</p>}
      <SelectField label="Why" name="why" field={['body.reason', 'reason']} error={error} options={recallReasons.map((r) => ({ value: r, label: recallLabel(r) }))} required autoFocus />
      <TextField label="Note" name="note" field={['body.note', 'note']} error={error} wide hint="Needed when the reason is Other" />
    </FormDialog>
  );
}

/** Approve or refuse a write-off waiting (supervisors; not the one who asked). */
export function DecideWriteOffDialog({ acting, onClose, onSaved }: { acting: { how: 'approve' | 'refuse'; w: WriteOff & { accountNumber?: string } } | null; onClose(): void; onSaved(w: WriteOff): void }) {
  const form = useSubmit(async (v) => {
    onSaved(await api.post<WriteOff>(`/bad-debt/write-offs/${acting!.w.id}/${acting!.how}`, { reason: v.reason ?? '' }));
  }, acting);
  const { error } = form;
  const approve = acting?.how === 'approve';
  return (
    <FormDialog title={approve ? 'Approve the write-off' : 'Refuse the write-off'} open={acting !== null} onClose={onClose} testId="decide-write-off-dialog" form={form} submitLabel={approve ? 'Write off' : 'Refuse'} submitTestId="save-decide-write-off">
      {acting && (
        <p className="field-wide">
          Write-off {acting.w.id}{acting.w.accountNumber ? ` of account ${acting.w.accountNumber}` : ''}, asked by {acting.w.requestedBy} for {formatCents(acting.w.requestedCents)}: {acting.w.reason}.{' '}
          {approve ? 'The balance owed now goes to bad debt; money that comes later is reinstated.' : 'The balance stays on the account to collect.'}
        </p>
      )}
      <ReasonField error={error} required autoFocus placeholder={approve ? 'e.g. Agency notes reviewed: uncollectable' : 'e.g. The customer has a new account: move the balance instead'} />
    </FormDialog>
  );
}
