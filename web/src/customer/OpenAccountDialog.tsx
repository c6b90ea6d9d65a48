import { api } from '../api.ts';
import { AddressFields, addressFrom } from '../components/AddressFields.tsx';
import { Dialog } from '../components/Dialog.tsx';
import { ErrorMessage, optional, SelectField, TextField, useSubmit } from '../components/forms.tsx';
import { navigate } from '../router.tsx';
import { customerClasses, type Account } from '../types.ts';

/** Open an account for a customer; the server assigns the number. Goes to the new account. */
export function OpenAccountDialog({ customerId, open, onClose }: { customerId: number; open: boolean; onClose(): void }) {
  const { error, busy, onSubmit } = useSubmit(async (v) => {
    const cycle = Number(v.billingCycle);
    const account = await api.post<Account>('/accounts', {
      customerId,
      customerClass: v.customerClass,
      billingCycle: v.billingCycle !== '' && Number.isInteger(cycle) ? cycle : v.billingCycle,
      billingAddress: addressFrom(v),
      openedOn: optional(v.openedOn),
      reason: optional(v.reason),
    });
    onClose();
    navigate(`/accounts/${account.id}`);
  }, open);
  return (
    <Dialog title="Open an account" open={open} onClose={onClose} testId="open-account-dialog">
      <form onSubmit={onSubmit} className="form-grid" noValidate>
        <ErrorMessage error={error} />
        <SelectField label="Class" name="customerClass" field="body.customerClass" error={error} options={customerClasses} />
        <TextField label="Billing cycle" name="billingCycle" field="body.billingCycle" error={error} type="number" min={1} max={99} defaultValue={1} />
        <TextField label="Opened on" name="openedOn" field="body.openedOn" error={error} type="date" hint="Blank: today" />
        <AddressFields field="body.billingAddress" error={error} />
        <TextField label="Reason" name="reason" field="body.reason" error={error} wide hint="Optional; kept in the audit trail" />
        <div className="form-actions">
          <button type="submit" className="button-primary" disabled={busy} data-testid="save-account">Open account</button>
          <button type="button" onClick={onClose}>Cancel</button>
        </div>
      </form>
    </Dialog>
  );
}
