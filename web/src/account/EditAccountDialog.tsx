import { ApiError, api } from '../api.ts';
import { AddressFields, addressFrom } from '../components/AddressFields.tsx';
import { FormDialog } from '../components/Dialog.tsx';
import { integerOrText, ReasonField, SelectField, TextField, useSubmit } from '../components/forms.tsx';
import { accountStatuses, customerClasses, type Account } from '../types.ts';

/** Change an account's status, class, cycle or billing address. Only changed fields are sent. */
export function EditAccountDialog({ account, open, onClose, onSaved }: { account: Account; open: boolean; onClose(): void; onSaved(): void }) {
  const form = useSubmit(async (v) => {
    const patch: Record<string, unknown> = {};
    if (v.status !== account.status) patch.status = v.status;
    if (v.customerClass !== account.customerClass) patch.customerClass = v.customerClass;
    const cycle = integerOrText(v.billingCycle);
    if (cycle !== account.billingCycle) patch.billingCycle = cycle;
    const address = addressFrom(v);
    if (JSON.stringify(address) !== JSON.stringify(account.billingAddress)) patch.billingAddress = address;
    const closedOn = v.closedOn ? v.closedOn : null;
    if (closedOn !== account.closedOn) patch.closedOn = closedOn;
    if (Object.keys(patch).length === 0) throw new ApiError(0, 'client', 'Nothing was changed.');
    await api.patch(`/accounts/${account.id}`, { ...patch, reason: v.reason });
    onSaved();
  }, open);
  const { error } = form;
  return (
    <FormDialog title={`Edit account ${account.accountNumber}`} open={open} onClose={onClose} testId="edit-account-dialog" form={form} submitLabel="Save changes" submitTestId="save-account">
      <SelectField label="Status" name="status" field="body.status" error={error} options={accountStatuses} defaultValue={account.status} />
      <SelectField label="Class" name="customerClass" field="body.customerClass" error={error} options={customerClasses} defaultValue={account.customerClass} />
      <TextField label="Billing cycle" name="billingCycle" field="body.billingCycle" error={error} type="number" min={1} max={99} defaultValue={account.billingCycle} />
      <TextField label="Closed on" name="closedOn" field="body.closedOn" error={error} type="date" defaultValue={account.closedOn ?? ''} />
      <AddressFields field="body.billingAddress" error={error} value={account.billingAddress} />
      <ReasonField error={error} required label="Reason for the change" />
    </FormDialog>
  );
}
