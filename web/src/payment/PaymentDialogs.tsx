import { api, ApiError } from '../api.ts';
import { parseDollars } from '../billing/money.ts';
import { FormDialog } from '../components/Dialog.tsx';
import { clientError, integerOrText, ReasonField, SelectField, TextField, useSubmit } from '../components/forms.tsx';
import { formatCents, utilityToday } from '../format.ts';
import type { FoundAccount } from '../account/accountLookup.ts';
import type { Batch, CorrectionResult, Payment, PaymentShare, ReturnOutcome, ReturnedPayment } from '../types.ts';
import { AccountNumberField, useAccountPick } from './AccountPick.tsx';
import { chargebackReasons, channelLabel, keyedReturnReasons, methodLabel } from './labels.tsx';

/**
 * The dialogs that change a payment or a batch: return (a returned check keyed by staff, or a card
 * chargeback), correct (the right account or amount), apply from suspense, close a batch, and the
 * follow-up of a returned payment. Each shows the server's refusal on top and beside the field.
 */

/** `Payment 12 of $40.00 (check 2001)` */
export function paymentTitle(p: Pick<Payment, 'id' | 'amountCents' | 'method' | 'reference'>): string {
  return `Payment ${p.id} of ${formatCents(p.amountCents)} (${methodLabel(p.method).toLowerCase()}${p.reference ? ` ${p.reference}` : ''})`;
}

/** Dollars typed, as cents for `field`; a clear message beside it when it is not an amount. */
function dollars(text: string | undefined, field: string): number {
  const cents = parseDollars(text ?? '');
  if (cents === null) throw clientError(field, 'Write the amount in dollars and cents, e.g. 40.00');
  if (cents === 0) throw clientError(field, 'The amount cannot be zero');
  return cents;
}

/** What can come back for a payment, by how it was paid: a check (or bill-pay check) is a returned item, a card a chargeback. */
export function returnSourceOf(method: string): 'keyed' | 'chargeback' | null {
  return method === 'check' || method === 'obi' ? 'keyed' : method === 'card' ? 'chargeback' : null;
}

/**
 * A returned check keyed by staff, or a card chargeback: which one follows from how the payment
 * was made (ACH returns and X9.37 returned items come in their files).
 */
export function ReturnPaymentDialog({ payment, onClose, onSaved }: { payment: Payment | null; onClose(): void; onSaved(outcome: ReturnOutcome): void }) {
  const source = payment ? returnSourceOf(payment.method) ?? 'keyed' : 'keyed';
  const form = useSubmit(async (v) => {
    if (!v.reasonCode) throw clientError('body.reasonCode', 'Choose the reason code');
    onSaved(await api.post<ReturnOutcome>(`/payments/${payment!.id}/return`, {
      source,
      reasonCode: v.reasonCode,
      reason: v.reason ? v.reason : undefined,
      returnedOn: v.returnedOn || undefined,
    }));
  }, payment);
  const { error } = form;
  const reasons = source === 'keyed' ? keyedReturnReasons : chargebackReasons;
  const what = source === 'keyed' ? 'Returned check (keyed)' : 'Card chargeback';
  return (
    <FormDialog title={payment ? `Return ${paymentTitle(payment)}` : 'Return a payment'} open={payment !== null} onClose={onClose} testId="return-payment-dialog" form={form} submitLabel={source === 'keyed' ? 'Record the returned check' : 'Record the chargeback'} submitTestId="save-return">
      <p className="notice field-wide">The payment is reversed off the account and the returned-payment fee is charged. The return waits in the returned-payments queue for follow-up.</p>
      <p className="field-wide" data-testid="return-source">
        <span className="field-label">What came back:</span> {what}
      </p>
      <SelectField label="Reason code" name="reasonCode" field={['body.reasonCode', 'reasonCode']} error={error} options={reasons} blank="Choose a reason" required autoFocus />
      <TextField label="Returned on" name="returnedOn" type="date" field="body.returnedOn" error={error} defaultValue={utilityToday()} required />
      <ReasonField error={error} label="Reason" placeholder="Optional: the bank's words; required in words for OTHER" />
    </FormDialog>
  );
}

export function CorrectPaymentDialog({ payment, onClose, onSaved }: { payment: Payment | null; onClose(): void; onSaved(result: CorrectionResult, account: FoundAccount | null): void }) {
  const pick = useAccountPick(payment);
  const inSuspense = payment?.status === 'suspense';
  const form = useSubmit(async (v) => {
    const found = pick.typed.trim() ? await pick.resolve() : null;
    const amountCents = v.amount ? dollars(v.amount, 'body.amountCents') : undefined;
    if (!found && amountCents === undefined) throw clientError('body', 'Give the right account number, the right amount, or both');
    const result = await api.post<CorrectionResult>(`/payments/${payment!.id}/correct`, { accountId: found?.account.id, amountCents, reason: v.reason });
    onSaved(result, found);
  }, payment);
  const { error } = form;
  return (
    <FormDialog title={payment ? `Correct ${paymentTitle(payment)}` : 'Correct a payment'} open={payment !== null} onClose={onClose} testId="correct-payment-dialog" form={form} submitLabel="Correct the payment" submitTestId="save-correction">
      <p className="notice field-wide">
        The payment is reversed{payment?.accountId ? ' off its account' : ''} and posted again as a new payment in the same batch, to the right account or at the right amount. Leave a field blank to keep it as it is.
      </p>
      <AccountNumberField pick={pick} error={error} label="Right account number" required={inSuspense} autoFocus hint={payment?.accountRef ? `Now ${payment.accountRef}; blank: keep the account` : 'Blank: keep the account'} />
      <TextField label="Right amount ($)" name="amount" field={['body.amountCents', 'amountCents']} error={error} inputMode="decimal" autoComplete="off" className="mono" hint={payment ? `Now ${formatCents(payment.amountCents)}; e.g. what the bank credited` : undefined} />
      <ReasonField error={error} required placeholder="e.g. Keyed to the wrong account; customer's stub says 100000066" />
    </FormDialog>
  );
}

export function ApplySuspenseDialog({ payment, onClose, onSaved }: { payment: Payment | null; onClose(): void; onSaved(result: { payment: Payment; shares: PaymentShare[] }, account: FoundAccount): void }) {
  const pick = useAccountPick(payment);
  const form = useSubmit(async (v) => {
    const found = await pick.resolve();
    const result = await api.post<{ payment: Payment; shares: PaymentShare[] }>(`/payments/${payment!.id}/apply`, { accountId: found.account.id, reason: v.reason });
    onSaved(result, found);
  }, payment);
  const { error } = form;
  return (
    <FormDialog title={payment ? `Apply ${paymentTitle(payment)}` : 'Apply a payment'} open={payment !== null} onClose={onClose} testId="apply-suspense-dialog" form={form} submitLabel="Apply to the account" submitTestId="save-apply">
      {payment && (
        <p className="field-wide small" data-testid="apply-what-payer-wrote">
          {channelLabel(payment.channel)} payment received {payment.receivedOn}
          {payment.payerName ? <> from <strong>{payment.payerName}</strong></> : null}
          {payment.payerAddress ? <>, {payment.payerAddress}</> : null}. The payer wrote account <span className="mono">{payment.accountRef || '(none)'}</span>.
        </p>
      )}
      <AccountNumberField pick={pick} error={error} required autoFocus label="Account to apply it to" />
      <ReasonField error={error} required placeholder="e.g. Found by the payer's name and address; customer confirmed by phone" />
    </FormDialog>
  );
}

/**
 * Closing a batch: the count and total staff counted (the adding-machine tape), not what the batch
 * says it holds. A batch that does not balance stays open; the server's message gives both figures
 * and the difference, shown on top and beside the figure that is off.
 */
export function CloseBatchDialog({ batch, onClose, onSaved }: { batch: Pick<Batch, 'id' | 'channel' | 'businessDate'> | null; onClose(): void; onSaved(batch: Batch): void }) {
  const form = useSubmit(async (v) => {
    const totalCents = parseDollars(v.total ?? '');
    if (totalCents === null) throw clientError('body.totalCents', 'Write the total in dollars and cents, e.g. 1,234.56');
    try {
      onSaved(await api.post<Batch>(`/payment-batches/${batch!.id}/close`, { count: integerOrText(v.count), totalCents }));
    } catch (e) {
      const holds = e instanceof ApiError ? (e.details.holds as { count: number; totalCents: number } | undefined) : undefined;
      if (e instanceof ApiError && holds) {
        const field = holds.count !== Number(v.count) ? 'body.count' : 'body.totalCents';
        throw new ApiError(e.status, e.code, e.message, { ...e.details, field });
      }
      throw e;
    }
  }, batch);
  const { error } = form;
  return (
    <FormDialog
      title={batch ? `Close batch ${batch.id}` : 'Close the batch'}
      open={batch !== null}
      onClose={onClose}
      testId="close-batch-dialog"
      form={form}
      submitLabel="Close the batch"
      submitTestId="save-close-batch"
    >
      {batch && (
        <p className="field-wide small muted">
          {channelLabel(batch.channel)} batch of {batch.businessDate}. Count the checks and cash slips and add them up; the batch closes when your figures match what it holds.
        </p>
      )}
      <TextField label="Payments counted" name="count" type="number" min={0} step={1} field={['body.count', 'count']} error={error} required autoFocus inputMode="numeric" className="mono" />
      <TextField label="Total counted ($)" name="total" field={['body.totalCents', 'totalCents']} error={error} required inputMode="decimal" autoComplete="off" className="mono" hint="The adding-machine tape's total" />
    </FormDialog>
  );
}

/** Record the follow-up of a returned payment (the customer reached, paid, written to), which closes it. */
export function FollowUpDialog({ item, onClose, onSaved }: { item: ReturnedPayment | null; onClose(): void; onSaved(item: ReturnedPayment): void }) {
  const form = useSubmit(async (v) => {
    await api.post(`/payment-returns/${item!.id}/resolve`, { note: v.note });
    onSaved(item!);
  }, item);
  const { error } = form;
  return (
    <FormDialog
      title={item ? `Follow-up of the returned payment ${item.paymentId}` : 'Record the follow-up'}
      open={item !== null}
      onClose={onClose}
      testId="follow-up-dialog"
      form={form}
      submitLabel="Record the follow-up"
      submitTestId="save-follow-up"
    >
      {item && (
        <p className="field-wide small muted">
          {formatCents(item.amountCents)} {methodLabel(item.method).toLowerCase()}{item.reference ? ` ${item.reference}` : ''} returned {item.returnedOn}: {item.reasonCode}, {item.reason}.
        </p>
      )}
      <TextField label="What was done" name="note" field={['body.note', 'note']} error={error} required minLength={3} maxLength={500} wide autoFocus placeholder="e.g. Called the customer; paid cash at the counter" />
    </FormDialog>
  );
}
