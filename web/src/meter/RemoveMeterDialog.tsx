import { api } from '../api.ts';
import { FormDialog } from '../components/Dialog.tsx';
import { ReasonField, TextField, useSubmit } from '../components/forms.tsx';
import { utilityToday } from '../format.ts';
import type { Installation, Meter } from '../types.ts';

/** Take an installed meter out of service; it goes to status "removed". */
export function RemoveMeterDialog({ meter, installation, open, onClose, onSaved }: { meter: Meter; installation: Installation | undefined; open: boolean; onClose(): void; onSaved(): void }) {
  const form = useSubmit(async (v) => {
    await api.post(`/meters/${meter.id}/remove`, { removedOn: v.removedOn, reason: v.reason });
    onSaved();
  }, open);
  const { error } = form;
  return (
    <FormDialog title={`Remove meter ${meter.serial}`} open={open} onClose={onClose} testId="remove-meter-dialog" form={form} submitLabel="Remove meter" submitTestId="save-remove-meter">
      <TextField label="Removed on" name="removedOn" field="body.removedOn" error={error} type="date" required defaultValue={utilityToday()} hint={installation ? `Installed ${installation.installedOn} at service point ${installation.servicePointId}` : undefined} />
      <ReasonField error={error} required autoFocus placeholder="e.g. Failed test, exchanged" />
    </FormDialog>
  );
}
