import { useState } from 'react';
import { useCan } from '../session.tsx';
import { formatCents } from '../format.ts';
import type { CorrectionResult, Payment, ReturnOutcome } from '../types.ts';
import type { FoundAccount } from '../account/accountLookup.ts';
import { ApplySuspenseDialog, CorrectPaymentDialog, ReturnPaymentDialog, returnSourceOf } from './PaymentDialogs.tsx';

/** What a change to a payment did, in a sentence; `paymentId` is the payment to show next. */
export interface PaymentChange {
  message: string;
  paymentId: number;
}

export function returnMessage(o: ReturnOutcome): string {
  const parts = [`Payment ${o.payment.id} of ${formatCents(o.payment.amountCents)} returned (${o.paymentReturn.reasonCode}): reversed off the account`];
  if (o.feeCents > 0) parts.push(`a returned-payment fee of ${formatCents(o.feeCents)} charged`);
  if (o.autopayRemoved) parts.push('autopay removed');
  if (o.cashOnly) parts.push('the account is now cash-only');
  if (o.deceasedAlert) parts.push('a deceased alert raised');
  return `${parts.join('; ')}. It is in the returned-payments queue for follow-up.`;
}

export function correctionMessage(r: CorrectionResult, account: FoundAccount | null): string {
  const where = account ? ` to account ${account.account.accountNumber} (${account.customerName})` : '';
  return `Payment ${r.reversed.id} reversed and posted again as payment ${r.corrected.id}${where}, ${formatCents(r.corrected.amountCents)}.`;
}

type Action = 'return' | 'correct' | 'apply';

/**
 * Changing payments, for a payment's page and the account's list of payments: Return / chargeback
 * and Correct (CSR II and up) for a posted payment, Apply (CSR I and up) for one in suspense.
 * `buttons(payment)` gives a payment's buttons (none the role cannot use); `dialogs` is rendered
 * once, outside any table, and opens for the payment whose button was pressed.
 */
export function usePaymentActions(onChanged: (change: PaymentChange) => void) {
  const canCorrect = useCan('csr2');
  const canApply = useCan('csr1');
  const [open, setOpen] = useState<{ action: Action; payment: Payment } | null>(null);
  const close = () => setOpen(null);
  const of = (action: Action) => (open?.action === action ? open.payment : null);

  const buttons = (payment: Payment, compact = false) => {
    const canReturn = canCorrect && payment.status === 'posted' && payment.accountId !== null && returnSourceOf(payment.method) !== null;
    const correctable = canCorrect && payment.status !== 'reversed';
    const applicable = canApply && payment.status === 'suspense';
    if (!canReturn && !correctable && !applicable) return null;
    const small = compact ? 'button-small' : undefined;
    return (
      <>
        {applicable && (
          <button type="button" className={compact ? 'button-small' : 'button-primary'} onClick={() => setOpen({ action: 'apply', payment })} aria-label={compact ? `Apply payment ${payment.id} to an account` : undefined} data-testid="apply-payment">
            Apply to account
          </button>
        )}
        {canReturn && (
          <button type="button" className={small} onClick={() => setOpen({ action: 'return', payment })} aria-label={compact ? `Return or charge back payment ${payment.id}` : undefined} data-testid="return-payment">
            Return / chargeback
          </button>
        )}
        {correctable && (
          <button type="button" className={small} onClick={() => setOpen({ action: 'correct', payment })} aria-label={compact ? `Correct payment ${payment.id}` : undefined} data-testid="correct-payment">
            Correct
          </button>
        )}
      </>
    );
  };

  const dialogs = (
    <>
      {canCorrect && (
        <>
          <ReturnPaymentDialog
            payment={of('return')}
            onClose={close}
            onSaved={(o) => {
              close();
              onChanged({ message: returnMessage(o), paymentId: o.payment.id });
            }}
          />
          <CorrectPaymentDialog
            payment={of('correct')}
            onClose={close}
            onSaved={(r, account) => {
              close();
              onChanged({ message: correctionMessage(r, account), paymentId: r.corrected.id });
            }}
          />
        </>
      )}
      {canApply && (
        <ApplySuspenseDialog
          payment={of('apply')}
          onClose={close}
          onSaved={(r, account) => {
            close();
            onChanged({ message: `Payment ${r.payment.id} of ${formatCents(r.payment.amountCents)} applied to account ${account.account.accountNumber} (${account.customerName}).`, paymentId: r.payment.id });
          }}
        />
      )}
    </>
  );

  return { buttons, dialogs };
}
