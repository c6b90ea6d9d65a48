import { useEffect, useState } from 'react';
import { api } from '../api.ts';
import { FormDialog } from '../components/Dialog.tsx';
import { clientError, ReasonField, TextField, useSubmit } from '../components/forms.tsx';
import { utilityToday } from '../format.ts';
import { MeterPicker } from '../meter/MeterPicker.tsx';
import type { Meter, ServicePoint } from '../types.ts';

/**
 * Set a meter from stock at an electric or water service point. Staff type the first characters of
 * the serial and choose among the meters in stock of the point's kind.
 */
export function InstallMeterDialog({ point, onClose, onSaved }: { point: ServicePoint | null; onClose(): void; onSaved(): void }) {
  const [chosen, setChosen] = useState<Meter | null>(null);
  useEffect(() => setChosen(null), [point]);
  const form = useSubmit(async (v) => {
    if (!chosen) throw clientError('meterId', 'Choose a meter from the list');
    await api.post(`/meters/${chosen.id}/install`, { servicePointId: point!.id, installedOn: v.installedOn, reason: v.reason });
    onSaved();
  }, point);
  const { error } = form;

  return (
    <FormDialog
      title={point ? `Install a meter at ${point.service} point ${point.id}` : 'Install a meter'}
      open={point !== null}
      onClose={onClose}
      testId="install-meter-dialog"
      form={form}
      submitLabel="Install meter"
      submitTestId="save-install-meter"
    >
      <TextField label="Installed on" name="installedOn" field="body.installedOn" error={error} type="date" required defaultValue={utilityToday()} />
      <MeterPicker kind={point?.service} value={chosen} onChange={setChosen} error={error} autoFocus />
      <ReasonField error={error} required placeholder="e.g. New service" />
    </FormDialog>
  );
}
