import { api } from '../api.ts';
import { AddressFields, addressFrom } from '../components/AddressFields.tsx';
import { FormDialog } from '../components/Dialog.tsx';
import { integerOrText, optional, ReasonField, SelectField, TextField, useSubmit } from '../components/forms.tsx';
import { navigate } from '../router.tsx';
import { customerClasses, type Account } from '../types.ts';

/** Open an account for a customer; the server assigns the number. Goes to the new account. */
export function OpenAccountDialog({ customerId, open, onClose }: { customerId: number; open: boolean; onClose(): void }) {
  const form = useSubmit(async (v) => {
    const account = await api.post<Account>('/accounts', {
      customerId,
      customerClass: v.customerClass,
      billingCycle: integerOrText(v.billingCycle),
      billingAddress: addressFrom(v),
      openedOn: optional(v.openedOn),
      reason: optional(v.reason),
    });
    onClose();
    navigate(`/accounts/${account.id}`);
  }, open);
  const { error } = form;
  return (
    <FormDialog title="Open an account" open={open} onClose={onClose} testId="open-account-dialog" form={form} submitLabel="Open account" submitTestId="save-account">
      <SelectField label="Class" name="customerClass" field="body.customerClass" error={error} options={customerClasses} />
      <TextField label="Billing cycle" name="billingCycle" field="body.billingCycle" error={error} type="number" min={1} max={99} defaultValue={1} />
      <TextField label="Opened on" name="openedOn" field="body.openedOn" error={error} type="date" hint="Blank: today" />
      <AddressFields field="body.billingAddress" error={error} />
      <ReasonField error={error} />
    </FormDialog>
  );
}
