import { api } from '../api.ts';
import { FormDialog } from '../components/Dialog.tsx';
import { ReasonField, TextField, useSubmit } from '../components/forms.tsx';
import { utilityToday } from '../format.ts';
import type { Agreement } from '../types.ts';

/** End an open service agreement on a date (the last day of service). */
export function EndServiceDialog({ agreement, onClose, onSaved }: { agreement: Agreement | null; onClose(): void; onSaved(): void }) {
  const form = useSubmit(async (v) => {
    await api.patch(`/service-agreements/${agreement!.id}`, { endDate: v.endDate, reason: v.reason });
    onSaved();
  }, agreement);
  const { error } = form;
  return (
    <FormDialog
      title={agreement ? `End service for account ${agreement.accountId} (${agreement.rateCode})` : 'End service'}
      open={agreement !== null}
      onClose={onClose}
      testId="end-service-dialog"
      form={form}
      submitLabel="End service"
      submitTestId="save-end-service"
    >
      <TextField label="Last day of service" name="endDate" field="body.endDate" error={error} type="date" required defaultValue={utilityToday()} hint={agreement ? `Service started ${agreement.startDate}` : undefined} />
      <ReasonField error={error} required autoFocus />
    </FormDialog>
  );
}
