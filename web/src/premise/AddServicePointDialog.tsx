import { api } from '../api.ts';
import { FormDialog } from '../components/Dialog.tsx';
import { optional, ReasonField, SelectField, TextAreaField, TextField, useSubmit } from '../components/forms.tsx';
import { servicePointStatuses, services } from '../types.ts';

/** Add an electric, water or fiber service point at a premise. */
export function AddServicePointDialog({ premiseId, open, onClose, onSaved }: { premiseId: number; open: boolean; onClose(): void; onSaved(): void }) {
  const form = useSubmit(async (v) => {
    await api.post(`/premises/${premiseId}/service-points`, {
      service: v.service,
      status: v.status,
      route: optional(v.route),
      locationNote: optional(v.locationNote),
      reason: optional(v.reason),
    });
    onSaved();
  }, open);
  const { error } = form;
  return (
    <FormDialog title="Add a service point" open={open} onClose={onClose} testId="add-service-point-dialog" form={form} submitLabel="Add service point" submitTestId="save-service-point">
      <SelectField label="Service" name="service" field="body.service" error={error} options={services} autoFocus />
      <SelectField label="Status" name="status" field="body.status" error={error} options={servicePointStatuses} defaultValue="inactive" hint="Inactive until service starts" />
      <TextField label="Route" name="route" field="body.route" error={error} maxLength={20} hint="Meter-reading route, e.g. R-12" />
      <TextAreaField label="Location" name="locationNote" field="body.locationNote" error={error} maxLength={200} wide placeholder="Where the meter or point is, e.g. north wall by the gate" />
      <ReasonField error={error} />
    </FormDialog>
  );
}
