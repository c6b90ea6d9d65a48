import { api } from '../api.ts';
import { FormDialog } from '../components/Dialog.tsx';
import { CheckboxField, optional, ReasonField, SelectField, TextField, useSubmit } from '../components/forms.tsx';

/** Add a phone number or email address to a customer. */
export function AddContactDialog({ customerId, open, onClose, onSaved }: { customerId: number; open: boolean; onClose(): void; onSaved(): void }) {
  const form = useSubmit(async (v) => {
    await api.post(`/customers/${customerId}/contacts`, {
      kind: v.kind,
      value: v.value,
      label: optional(v.label),
      isPrimary: v.isPrimary === 'on',
      reason: optional(v.reason),
    });
    onSaved();
  }, open);
  const { error } = form;
  return (
    <FormDialog title="Add a contact" open={open} onClose={onClose} testId="add-contact-dialog" form={form} submitLabel="Add contact">
      <SelectField label="Kind" name="kind" field="body.kind" error={error} options={['phone', 'mobile', 'email']} />
      <TextField label="Number or address" name="value" field="body.value" error={error} required autoFocus />
      <TextField label="Label" name="label" field="body.label" error={error} hint="e.g. home, work" maxLength={40} />
      <CheckboxField label="Primary contact" name="isPrimary" />
      <ReasonField error={error} />
    </FormDialog>
  );
}
