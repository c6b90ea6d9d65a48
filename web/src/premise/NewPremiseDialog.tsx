import { api } from '../api.ts';
import { AddressFields, addressFrom } from '../components/AddressFields.tsx';
import { FormDialog } from '../components/Dialog.tsx';
import { CheckboxField, optional, ReasonField, SelectField, TextField, useSubmit } from '../components/forms.tsx';
import { navigate } from '../router.tsx';
import { premiseTypes, type Premise } from '../types.ts';

/** Add a service address. Goes to the new premise, where its service points are added. */
export function NewPremiseDialog({ open, onClose }: { open: boolean; onClose(): void }) {
  const form = useSubmit(async (v) => {
    const premise = await api.post<Premise>('/premises', {
      address: addressFrom(v),
      premiseType: v.premiseType,
      area: v.area,
      spaceHeating: v.spaceHeating === 'on',
      reason: optional(v.reason),
    });
    onClose();
    navigate(`/premises/${premise.id}`);
  }, open);
  const { error } = form;
  return (
    <FormDialog title="New premise" open={open} onClose={onClose} testId="new-premise-dialog" form={form} submitLabel="Add premise" submitTestId="save-premise">
      <AddressFields field="body.address" error={error} />
      <SelectField label="Type" name="premiseType" field="body.premiseType" error={error} options={premiseTypes} />
      <TextField label="Area" name="area" field="body.area" error={error} required maxLength={40} hint="Service area or town, e.g. Wenatchee" />
      <CheckboxField label="Space heating" name="spaceHeating" />
      <ReasonField error={error} />
    </FormDialog>
  );
}
