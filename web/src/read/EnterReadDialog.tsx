import { useEffect, useState } from 'react';
import { api } from '../api.ts';
import { FindingList } from '../components/checkExceptions.tsx';
import { Dialog, FormDialog } from '../components/Dialog.tsx';
import { CheckboxField, optional, ReasonField, SelectField, TextAreaField, TextField, useSubmit } from '../components/forms.tsx';
import { utilityToday } from '../format.ts';
import { useApi } from '../hooks.ts';
import { Link } from '../router.tsx';
import { enteredReadTypes, type MeterRead, type ReadFinding } from '../types.ts';

/** The meter a read is entered for. */
export interface ReadMeter {
  id: number;
  serial: string;
  dials: number;
  unit: string;
}

const purposes = [
  { value: 'cycle', label: 'Cycle read' },
  { value: 'off_cycle', label: 'Off-cycle read' },
  { value: 'check', label: 'Check read' },
];
const readTypeLabels: Record<(typeof enteredReadTypes)[number], string> = { actual: 'Meter reader (actual)', customer: 'Customer' };

/** The last read of a meter, as a hint beside a reading field. */
export function useLastRead(meterId: number | null | undefined) {
  const last = useApi(`last-read:${meterId ?? ''}`, (signal) => (meterId ? api.get<{ items: MeterRead[] }>(`/meters/${meterId}/reads`, { limit: 1 }, signal) : Promise.resolve({ items: [] })));
  return last.data?.items[0] ?? null;
}

export function readingHint(dials: number, last: MeterRead | null): string {
  return `${dials} dials${last ? `; last read ${last.reading} on ${last.readDate}` : '; no read yet'}`;
}

/**
 * Enter a read by hand (POST /meters/:id/reads). It is measured from the last read and validated;
 * a read that fails a check is kept and held in the read-exceptions queue, which the dialog says.
 */
export function EnterReadDialog({ meter, onClose, onSaved }: { meter: ReadMeter | null; onClose(): void; onSaved(): void }) {
  const [held, setHeld] = useState<{ read: MeterRead; findings: ReadFinding[] } | null>(null);
  useEffect(() => setHeld(null), [meter]);
  const last = useLastRead(meter?.id);
  const form = useSubmit(async (v) => {
    const result = await api.post<{ read: MeterRead; findings: ReadFinding[] }>(`/meters/${meter!.id}/reads`, {
      readDate: v.readDate,
      reading: v.reading,
      rollover: v.rollover === 'on' ? true : undefined,
      readType: v.readType,
      purpose: v.purpose,
      note: optional(v.note),
      reason: optional(v.reason),
    });
    if (result.findings.length > 0) setHeld(result);
    else onSaved();
  }, meter);
  const { error } = form;

  if (held) {
    return (
      <Dialog title={`Read of meter ${meter?.serial ?? ''} held for review`} open={meter !== null} onClose={onSaved} testId="enter-read-dialog">
        <div className="notice" role="status" data-testid="read-held">
          The read {held.read.reading} on {held.read.readDate} was recorded ({held.read.usage ?? '—'} {meter?.unit}) and is held in the read-exceptions queue:
          <FindingList findings={held.findings} />
        </div>
        <div className="form-actions">
          <button type="button" className="button-primary" onClick={onSaved} autoFocus data-autofocus>
            Done
          </button>
          <Link to={`/read-exceptions`} className="button" onClick={onSaved}>
            Open read exceptions
          </Link>
        </div>
      </Dialog>
    );
  }

  return (
    <FormDialog title={meter ? `Enter a read of meter ${meter.serial}` : 'Enter a read'} open={meter !== null} onClose={onClose} testId="enter-read-dialog" form={form} submitLabel="Record read" submitTestId="save-read">
      <TextField label="Read date" name="readDate" field="body.readDate" error={error} type="date" required defaultValue={utilityToday()} />
      <TextField
        label={`Reading${meter ? ` (${meter.unit} register)` : ''}`}
        name="reading"
        field={['body.reading', 'reading']}
        error={error}
        required
        inputMode="decimal"
        autoComplete="off"
        className="mono"
        hint={meter ? readingHint(meter.dials, last) : undefined}
        autoFocus
      />
      <SelectField label="Read by" name="readType" field="body.readType" error={error} options={enteredReadTypes.map((t) => ({ value: t, label: readTypeLabels[t] }))} />
      <SelectField label="Purpose" name="purpose" field="body.purpose" error={error} options={purposes} />
      <CheckboxField label="The register rolled over past zero" name="rollover" />
      <TextAreaField label="Note" name="note" field="body.note" error={error} maxLength={500} wide />
      <ReasonField error={error} />
    </FormDialog>
  );
}
