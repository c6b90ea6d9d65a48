import { api } from '../api.ts';
import { FormDialog } from '../components/Dialog.tsx';
import { CheckboxField, ReasonField, TextField, useSubmit } from '../components/forms.tsx';
import { humanize } from '../format.ts';
import type { MeterRead, ReadException } from '../types.ts';

const readName = (x: ReadException) => `${x.reading} of meter ${x.serial} on ${x.readDate}`;

/** Accept a held read as right (e.g. a confirmed high use), with the reason. */
export function AcceptReadDialog({ exception, onClose, onSaved }: { exception: ReadException | null; onClose(): void; onSaved(message: string): void }) {
  const form = useSubmit(async (v) => {
    const read = await api.post<MeterRead>(`/read-exceptions/${exception!.id}/accept`, { reason: v.reason });
    onSaved(`Accepted the read ${readName(exception!)} (${humanize(exception!.code).toLowerCase()}); the read is ${read.status === 'accepted' ? 'accepted' : `still held by ${read.exceptions.filter((e) => e.status === 'open').length} other exception(s)`}.`);
  }, exception);
  return (
    <FormDialog title={exception ? `Accept the read ${readName(exception)}` : 'Accept the read'} open={exception !== null} onClose={onClose} testId="accept-read-dialog" form={form} submitLabel="Accept read" submitTestId="save-accept-read">
      {exception && <p className="field-wide notice">{exception.message}</p>}
      <ReasonField error={form.error} required autoFocus placeholder="e.g. Customer confirmed the pool heater ran all month" />
    </FormDialog>
  );
}

/** Replace a wrong read with the right value; the wrong one is voided and the new one validated. */
export function CorrectReadDialog({ exception, onClose, onSaved }: { exception: ReadException | null; onClose(): void; onSaved(message: string): void }) {
  const form = useSubmit(async (v) => {
    const result = await api.post<{ read: MeterRead; findings: { code: string; message: string }[] }>(`/meter-reads/${exception!.readId}/correct`, {
      reading: v.reading,
      rollover: v.rollover === 'on' ? true : undefined,
      readDate: v.readDate && v.readDate !== exception!.readDate ? v.readDate : undefined,
      reason: v.reason,
    });
    const held = result.findings.length ? ` It is held again: ${result.findings.map((f) => f.message).join('; ')}.` : '';
    onSaved(`Corrected the read of meter ${exception!.serial} on ${result.read.readDate} to ${result.read.reading} (use ${result.read.usage ?? '—'} ${exception!.unit}).${held}`);
  }, exception);
  const { error } = form;
  return (
    <FormDialog title={exception ? `Correct the read ${readName(exception)}` : 'Correct the read'} open={exception !== null} onClose={onClose} testId="correct-read-dialog" form={form} submitLabel="Correct read" submitTestId="save-correct-read">
      {exception && <p className="field-wide notice">{exception.message}</p>}
      <TextField label="Right reading" name="reading" field={['body.reading', 'reading']} error={error} required inputMode="decimal" autoComplete="off" className="mono" autoFocus hint={exception ? `Was ${exception.reading}` : undefined} />
      <TextField label="Read date" name="readDate" field={['body.readDate', 'readDate']} error={error} type="date" defaultValue={exception?.readDate} />
      <CheckboxField label="The register rolled over past zero" name="rollover" />
      <ReasonField error={error} required placeholder="e.g. Reader transposed two digits" />
    </FormDialog>
  );
}

/** Take a wrong read out of use; the next read is measured from the one before it. */
export function VoidReadDialog({ exception, onClose, onSaved }: { exception: ReadException | null; onClose(): void; onSaved(message: string): void }) {
  const form = useSubmit(async (v) => {
    await api.post<MeterRead>(`/meter-reads/${exception!.readId}/void`, { reason: v.reason });
    onSaved(`Voided the read ${readName(exception!)}.`);
  }, exception);
  return (
    <FormDialog title={exception ? `Void the read ${readName(exception)}` : 'Void the read'} open={exception !== null} onClose={onClose} testId="void-read-dialog" form={form} submitLabel="Void read" submitTestId="save-void-read">
      {exception && <p className="field-wide notice">{exception.message}</p>}
      <ReasonField error={form.error} required autoFocus placeholder="e.g. Read of the wrong meter" />
    </FormDialog>
  );
}
