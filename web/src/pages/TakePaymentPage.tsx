import { useEffect, useRef, useState } from 'react';
import { api } from '../api.ts';
import { BalanceAmount } from '../account/BalanceCard.tsx';
import { parseDollars } from '../billing/money.ts';
import { clientError, ErrorMessage, TextField, useSubmit } from '../components/forms.tsx';
import { Card, Facts, PageHeader } from '../components/ui.tsx';
import { formatCents } from '../format.ts';
import { useApi } from '../hooks.ts';
import { Link, navigate, useLocation } from '../router.tsx';
import { AccountNumberField, useAccountPick } from '../payment/AccountPick.tsx';
import { newIdempotencyKey } from '../payment/idempotency.ts';
import { MyDrawerButton } from '../payment/MyDrawerButton.tsx';
import { methodLabel } from '../payment/labels.tsx';
import { ReceiptLink, SharesTable } from '../payment/paymentColumns.tsx';
import { counterMethods, type Account, type CounterPaymentResult, type LedgerEntry, type Page } from '../types.ts';

type Method = (typeof counterMethods)[number];

/** What the counter gave back: the payment, how it was applied, the new balance, and who paid. */
function ReceiptSummary({ result, customerName, onAnother }: { result: CounterPaymentResult; customerName: string | null; onAnother(): void }) {
  const { payment, shares, balanceCents, replayed } = result;
  const another = useRef<HTMLButtonElement>(null);
  useEffect(() => another.current?.focus(), []);
  return (
    <Card
      title={`Payment ${payment.id} received`}
      testId="payment-receipt"
      actions={<ReceiptLink paymentId={payment.id} label="Receipt PDF" testId="receipt-pdf" className="button button-small" />}
    >
      {replayed ? (
        <p className="notice" role="status" data-testid="payment-replayed">
          This payment had been taken already (payment {payment.id}); it was not posted a second time.
        </p>
      ) : (
        <p className="success-banner" role="status" data-testid="payment-done">
          {formatCents(payment.amountCents)} {methodLabel(payment.method).toLowerCase()} from {payment.payerName ?? customerName ?? 'the customer'} posted to account {payment.accountRef}.
        </p>
      )}
      <Facts
        items={[
          ['Account', payment.accountId ? <Link to={`/accounts/${payment.accountId}`} className="mono">{payment.accountRef}</Link> : payment.accountRef],
          ['Customer', customerName],
          ['Amount', <span data-testid="receipt-amount">{formatCents(payment.amountCents)}</span>],
          ['Method', <>{methodLabel(payment.method)}{payment.reference ? <span className="mono"> {payment.reference}</span> : null}</>],
          ['Received', payment.receivedOn],
          ['Batch', <Link to={`/payments/batches/${payment.batchId}`}>Batch {payment.batchId} (your drawer)</Link>],
          ['New balance', <BalanceAmount cents={balanceCents} testId="receipt-balance" />],
        ]}
      />
      <h3 className="subheading">Applied to</h3>
      <SharesTable shares={shares} />
      <div className="form-actions receipt-actions">
        <button ref={another} type="button" className="button-primary" onClick={onAnother} data-testid="take-another">
          Take another
        </button>
        <Link to={`/payments/${payment.id}`} className="button">Open the payment</Link>
        {payment.accountId && <Link to={`/accounts/${payment.accountId}`} className="button">Back to the account</Link>}
      </div>
    </Card>
  );
}

/**
 * Take a payment at the counter: the account (filled in when coming from the account page), the
 * amount, how it is paid (a check's number and bank), and who paid. It goes into the clerk's cash
 * drawer for today and is applied to the account's oldest charges at once. One key per filling of
 * the form: a double click posts once.
 */
export function TakePaymentPage() {
  const { query } = useLocation();
  const accountId = Number(query.get('accountId')) || null;
  const given = useApi(`take-payment-account:${accountId ?? ''}`, (signal) => (accountId ? api.get<Account>(`/accounts/${accountId}`, undefined, signal) : Promise.resolve(null)));
  const [round, setRound] = useState(0);
  const pick = useAccountPick(round, given.data?.accountNumber ?? '');
  const [method, setMethod] = useState<Method>('cash');
  const [key, setKey] = useState(newIdempotencyKey);
  const [result, setResult] = useState<{ result: CounterPaymentResult; customerName: string | null } | null>(null);
  const found = pick.found;
  const balance = useApi(`take-payment-balance:${found?.account.id ?? ''}:${round}`, (signal) =>
    found ? api.get<Page<LedgerEntry> & { balanceCents: number }>(`/accounts/${found.account.id}/ledger`, { limit: 1 }, signal) : Promise.resolve(null),
  );

  const form = useSubmit(async (v) => {
    const account = await pick.resolve();
    const amountCents = parseDollars(v.amount ?? '');
    if (amountCents === null) throw clientError('body.amountCents', 'Write the amount in dollars and cents, e.g. 40.00');
    if (amountCents === 0) throw clientError('body.amountCents', 'The amount cannot be zero');
    if (method === 'check' && !v.reference) throw clientError('body.reference', 'Write the check number');
    const answer = await api.post<CounterPaymentResult>('/payments', {
      accountId: account.account.id,
      amountCents,
      method,
      reference: v.reference || undefined,
      payerName: v.payerName || undefined,
      payerRouting: method === 'check' && v.payerRouting ? v.payerRouting : undefined,
      payerAccount: method === 'check' && v.payerAccount ? v.payerAccount : undefined,
      idempotencyKey: key,
    });
    // A second answer for the same payment (a double click replayed) keeps the first on screen.
    setResult((shown) => (shown && shown.result.payment.id === answer.payment.id ? shown : { result: answer, customerName: account.customerName }));
  }, round);
  const { error, busy, onSubmit } = form;

  const another = () => {
    setResult(null);
    setKey(newIdempotencyKey());
    setMethod('cash');
    setRound((r) => r + 1);
    if (accountId) navigate('/payments/new', { replace: true });
  };

  return (
    <>
      <PageHeader
        title="Take a payment"
        subtitle="Cash, check or card at the counter. It goes into your cash drawer for today and pays the account's oldest charges first; what is left stays as a credit."
        actions={<MyDrawerButton />}
      />
      {result ? (
        <ReceiptSummary result={result.result} customerName={result.customerName} onAnother={another} />
      ) : (
        <Card title="Payment" testId="take-payment">
          <form key={round} onSubmit={onSubmit} className="form-grid form-page" noValidate data-testid="take-payment-form">
            <ErrorMessage error={error} />
            <AccountNumberField
              pick={pick}
              error={error}
              required
              autoFocus={!accountId}
              hint={accountId && given.loading ? 'Loading the account…' : undefined}
            />
            <div className="field" data-testid="payment-balance">
              <span className="field-label">Balance now</span>
              {found && balance.data ? (
                <span>
                  <BalanceAmount cents={balance.data.balanceCents} testId="balance-before" />
                </span>
              ) : (
                <span className="muted">{found ? 'Loading…' : 'Once the account is found'}</span>
              )}
            </div>
            <TextField label="Amount ($)" name="amount" field={['body.amountCents', 'amountCents']} error={error} required inputMode="decimal" autoComplete="off" className="mono" autoFocus={Boolean(accountId)} hint="Dollars and cents, e.g. 40.00" />
            <TextField label="Payer name" name="payerName" field="body.payerName" error={error} maxLength={120} autoComplete="off" hint={found ? `Blank: ${found.customerName}` : 'Blank: the account holder'} />
            <fieldset className="radio-row field-wide" data-testid="payment-method">
              <legend>Method</legend>
              {counterMethods.map((m) => (
                <label key={m}>
                  <input type="radio" name="method" value={m} checked={method === m} onChange={() => setMethod(m)} /> {methodLabel(m)}
                </label>
              ))}
            </fieldset>
            {method === 'check' && (
              <>
                <TextField label="Check number" name="reference" field={['body.reference', 'reference']} error={error} required maxLength={40} inputMode="numeric" autoComplete="off" className="mono" />
                <TextField label="Bank routing number" name="payerRouting" field={['body.payerRouting', 'payerRouting']} error={error} maxLength={9} inputMode="numeric" autoComplete="off" className="mono" hint="Nine digits, bottom left of the check; finds the check again if it is returned" />
                <TextField label="Bank account number" name="payerAccount" field={['body.payerAccount', 'payerAccount']} error={error} maxLength={20} autoComplete="off" className="mono" hint="Optional" />
              </>
            )}
            {method === 'card' && (
              <TextField label="Authorisation code" name="reference" field={['body.reference', 'reference']} error={error} maxLength={40} autoComplete="off" className="mono" hint="Optional: the terminal's approval code" />
            )}
            <div className="form-actions">
              <button type="submit" className="button-primary" disabled={busy} data-testid="post-payment">
                {busy ? 'Posting…' : 'Take payment'}
              </button>
            </div>
          </form>
        </Card>
      )}
    </>
  );
}
