import { api } from '../api.ts';
import { FormDialog } from '../components/Dialog.tsx';
import { integerOrText, optional, ReasonField, SelectField, TextField, useSubmit } from '../components/forms.tsx';
import { navigate } from '../router.tsx';
import { meterKinds, type Meter } from '../types.ts';

/** Receive a new meter into stock. Goes to the new meter. */
export function ReceiveMeterDialog({ open, onClose }: { open: boolean; onClose(): void }) {
  const form = useSubmit(async (v) => {
    const meter = await api.post<Meter>('/meters', {
      serial: v.serial,
      kind: v.kind,
      manufacturer: optional(v.manufacturer),
      model: optional(v.model),
      multiplier: optional(v.multiplier),
      dials: integerOrText(v.dials),
      size: optional(v.size),
      reason: optional(v.reason),
    });
    onClose();
    navigate(`/meters/${meter.id}`);
  }, open);
  const { error } = form;
  return (
    <FormDialog title="Receive a meter" open={open} onClose={onClose} testId="receive-meter-dialog" form={form} submitLabel="Receive meter" submitTestId="save-meter">
      <TextField label="Serial" name="serial" field="body.serial" error={error} required maxLength={40} autoComplete="off" spellCheck={false} className="mono" hint="Letters, digits and -; kept in capitals" autoFocus />
      <SelectField label="Kind" name="kind" field="body.kind" error={error} options={meterKinds} />
      <TextField label="Manufacturer" name="manufacturer" field="body.manufacturer" error={error} maxLength={60} />
      <TextField label="Model" name="model" field="body.model" error={error} maxLength={60} />
      <TextField label="Multiplier" name="multiplier" field="body.multiplier" error={error} inputMode="decimal" defaultValue="1" hint="Exact decimal, e.g. 1 or 40.5" />
      <TextField label="Dials" name="dials" field="body.dials" error={error} type="number" min={1} max={10} required defaultValue={5} />
      <TextField label="Size" name="size" field="body.size" error={error} maxLength={20} hint='Water meters, e.g. 5/8"' />
      <ReasonField error={error} />
    </FormDialog>
  );
}
