import { api } from '../api.ts';
import { Dialog } from '../components/Dialog.tsx';
import { CheckboxField, ErrorMessage, optional, SelectField, TextField, useSubmit } from '../components/forms.tsx';

/** Add a phone number or email address to a customer. */
export function AddContactDialog({ customerId, open, onClose, onSaved }: { customerId: number; open: boolean; onClose(): void; onSaved(): void }) {
  const { error, busy, onSubmit } = useSubmit(async (v) => {
    await api.post(`/customers/${customerId}/contacts`, {
      kind: v.kind,
      value: v.value,
      label: optional(v.label),
      isPrimary: v.isPrimary === 'on',
      reason: optional(v.reason),
    });
    onSaved();
  }, open);
  return (
    <Dialog title="Add a contact" open={open} onClose={onClose} testId="add-contact-dialog">
      <form onSubmit={onSubmit} className="form-grid" noValidate>
        <ErrorMessage error={error} />
        <SelectField label="Kind" name="kind" field="body.kind" error={error} options={['phone', 'mobile', 'email']} />
        <TextField label="Number or address" name="value" field="body.value" error={error} required autoFocus />
        <TextField label="Label" name="label" field="body.label" error={error} hint="e.g. home, work" maxLength={40} />
        <CheckboxField label="Primary contact" name="isPrimary" />
        <TextField label="Reason" name="reason" field="body.reason" error={error} wide hint="Optional; kept in the audit trail" />
        <div className="form-actions">
          <button type="submit" className="button-primary" disabled={busy}>Add contact</button>
          <button type="button" onClick={onClose}>Cancel</button>
        </div>
      </form>
    </Dialog>
  );
}
