import { ApiError, api } from '../api.ts';
import { FormDialog } from '../components/Dialog.tsx';
import { integerOrText, orNull, ReasonField, SelectField, TextField, useSubmit } from '../components/forms.tsx';
import { humanize } from '../format.ts';
import { settableMeterStatuses, type Meter } from '../types.ts';

/**
 * Correct a meter's record (multiplier, dials, size, make and model) or set it to stock, testing or
 * retired. Only changed fields are sent. An installed meter's status changes by removing it.
 */
export function CorrectMeterDialog({ meter, open, onClose, onSaved }: { meter: Meter; open: boolean; onClose(): void; onSaved(): void }) {
  const installed = meter.status === 'installed';
  const form = useSubmit(async (v) => {
    const patch: Record<string, unknown> = {};
    for (const key of ['manufacturer', 'model', 'size'] as const) if (orNull(v[key]) !== meter[key]) patch[key] = orNull(v[key]);
    if (v.multiplier !== meter.multiplier) patch.multiplier = v.multiplier;
    const dials = integerOrText(v.dials);
    if (dials !== meter.dials) patch.dials = dials;
    if (v.status && v.status !== meter.status) patch.status = v.status;
    if (Object.keys(patch).length === 0) throw new ApiError(0, 'client', 'Nothing was changed.');
    await api.patch(`/meters/${meter.id}`, { ...patch, reason: v.reason });
    onSaved();
  }, open);
  const { error } = form;
  return (
    <FormDialog title={`Correct the record of meter ${meter.serial}`} open={open} onClose={onClose} testId="correct-meter-dialog" form={form} submitLabel="Save changes" submitTestId="save-correct-meter">
      <TextField label="Manufacturer" name="manufacturer" field="body.manufacturer" error={error} maxLength={60} defaultValue={meter.manufacturer ?? ''} />
      <TextField label="Model" name="model" field="body.model" error={error} maxLength={60} defaultValue={meter.model ?? ''} />
      <TextField label="Multiplier" name="multiplier" field="body.multiplier" error={error} inputMode="decimal" defaultValue={meter.multiplier} hint="Exact decimal, e.g. 1 or 40.5" />
      <TextField label="Dials" name="dials" field="body.dials" error={error} type="number" min={1} max={10} defaultValue={meter.dials} />
      <TextField label="Size" name="size" field="body.size" error={error} maxLength={20} defaultValue={meter.size ?? ''} />
      {installed ? (
        <TextField label="Status" value="Installed" readOnly disabled hint="Remove the meter to change its status" />
      ) : (
        <SelectField label="Status" name="status" field="body.status" error={error} options={settableMeterStatuses} blank={`No change (${humanize(meter.status)})`} defaultValue="" />
      )}
      <ReasonField error={error} required label="Reason for the change" />
    </FormDialog>
  );
}
