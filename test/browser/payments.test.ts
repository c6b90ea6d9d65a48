import { describe, expect, it } from 'vitest';
import { localDate } from '../../src/platform/clock.ts';
import { centsToDecimal, decimalToCents } from '../../src/platform/money.ts';
import { addStaff, baseUrl, call, expectNoHorizontalScroll, login, nav, page, shot, signIn, signOut, startStaffApp } from '../support/browser.ts';
import type { TestRuntime } from '../support/runtime.ts';

/**
 * Payments in the staff web app, end to end: a real server (in-process, random port) with seven
 * households owing money, made through its HTTP API, driven in Debian's Chromium at 1366x768. A CSR II
 * takes a cash and a check payment at the counter and sees the new balance; closes the drawer with
 * a wrong total (and is told the difference), then with the right one; imports a lockbox CSV file
 * (a bad one is refused whole, the same one again is a duplicate) with one unknown account number,
 * which waits in suspense until applied; makes the day's deposit and looks at the reports (an
 * online bill-pay file matched on the account number and on the payer's name and street); enrols
 * an account in autopay; records a returned check, which shows in the returns queue for follow-up;
 * and corrects a payment keyed at the wrong amount. A CSR I sees no import, return or correction.
 * Screenshots go to test-output/screenshots/ (pm-*.png).
 */

startStaffApp({ seed });

interface Owing {
  id: number;
  number: string;
  name: string;
  line1: string;
}

/** What the seeding made, for the tests. */
const seeded = {
  today: '',
  /** Pays cash at the counter and enrols in autopay. */
  cash: { id: 0, number: '', name: '', line1: '' } as Owing,
  /** Pays by check at the counter; the check comes back. */
  check: { id: 0, number: '', name: '', line1: '' } as Owing,
  /** Two payments of the lockbox file. */
  lockbox: [] as Owing[],
  /** Where the payment in suspense belongs. */
  suspense: { id: 0, number: '', name: '', line1: '' } as Owing,
  /** Online bill-pay: one payer writes the account number, one a wrong number (found by name and street). */
  obi: [] as Owing[],
};

/** What the tests make, for the tests after them. */
const made = { checkPaymentId: 0, drawerId: 0 };

/**
 * Seven households made through the API, each owing an opening balance on electric and water
 * (charged by adjustment), so that a payment has charges to pay. The API, not the demo district:
 * the test's counts and totals are then the payments it makes and nothing else.
 */
async function seed(rt: TestRuntime): Promise<void> {
  const admin = await addStaff(rt);
  seeded.today = localDate(new Date(), rt.config.timeZone);
  const households = [
    ['Lena', 'Marsh', '2215 Canal Way'],
    ['Victor', 'Osei', '31 Mill Race Rd'],
    ['Ruth', 'Abara', '88 Orchard St'],
    ['Tomas', 'Reyes', '412 Pine Ave'],
    ['Mei', 'Chen', '9 Ridge Loop'],
    ['Ada', 'Nilsen', '1500 River Rd'],
    ['Omar', 'Haddad', '73 Cherry Ln'],
  ] as const;
  const owing: Owing[] = [];
  for (const [i, [firstName, lastName, line1]] of households.entries()) {
    const customer = await call<{ id: number; displayName: string }>(admin, 'POST', '/customers', { kind: 'person', firstName, lastName });
    const billingAddress = { line1, city: 'Wenatchee', state: 'WA', postalCode: '98801' };
    const account = await call<{ id: number; accountNumber: string }>(admin, 'POST', '/accounts', { customerId: customer.id, customerClass: 'residential', billingCycle: 1, billingAddress });
    for (const [service, amountCents] of [['electric', 12_345 + 100 * i], ['water', 4_567]] as const) {
      await call(admin, 'POST', `/accounts/${account.id}/adjustments`, { amountCents, service, reasonCode: 'OTHER', reason: 'Opening balance carried over from the old system' });
    }
    owing.push({ id: account.id, number: account.accountNumber, name: customer.displayName, line1 });
  }
  Object.assign(seeded, { cash: owing[0]!, check: owing[1]!, lockbox: [owing[2]!, owing[3]!], suspense: owing[4]!, obi: [owing[5]!, owing[6]!] });
}

const cents = (n: number) => `${n < 0 ? '-' : ''}$${Math.trunc(Math.abs(n) / 100).toLocaleString('en-US')}.${String(Math.abs(n) % 100).padStart(2, '0')}`;
const balanceOf = async (accountId: number) => (await call<{ balanceCents: number }>(await login('casey.morgan'), 'GET', `/accounts/${accountId}/ledger?limit=1`)).balanceCents;

/** The same number with its check digit (the last) changed. */
const wrongCheckDigit = (number: string) => number.slice(0, -1) + String((Number(number.slice(-1)) + 1) % 10);

/** Today as the lockbox file writes it (MM/DD/YYYY). */
const lockboxDate = (day: string) => `${day.slice(5, 7)}/${day.slice(8, 10)}/${day.slice(0, 4)}`;

/** A bank lockbox export in the standard CSV layout, the totals row last. */
function lockboxCsv(items: { account: string; name: string; check: string; amount: string }[], count = items.length) {
  const date = lockboxDate(seeded.today);
  const seq = seeded.today.slice(2).replace(/-/g, '');
  const total = items.reduce((a, i) => a + decimalToCents(i.amount)!, 0);
  return [
    'Deposit Date,Batch,Item Sequence,Account Number,Remitter Name,Check Number,Payment Type,Payment Amount',
    ...items.map((i, n) => `${date},1,${seq}-${String(n + 1).padStart(4, '0')},${i.account},${i.name},${i.check},Check,${i.amount}`),
    `TOTAL,,${count},,,,,${centsToDecimal(total)}`,
    '',
  ].join('\n');
}

describe('payments in the staff web app', () => {
  it('takes a cash payment from the account page and shows the receipt and the new balance', async () => {
    const before = await balanceOf(seeded.cash.id);
    await page.goto(`${baseUrl}/accounts/${seeded.cash.id}`);
    await signIn('jordan.lee');
    for (const entry of ['Take a payment', 'Batches', 'Suspense queue', 'Import a file', 'Deposits', 'Returns', 'Payment reports']) await nav().getByRole('link', { name: entry }).waitFor();
    const card = page.getByTestId('payments-card');
    await card.getByText('No payments yet.').waitFor();
    await page.getByTestId('autopay-none').waitFor();
    await card.getByTestId('take-payment-link').click();

    // The account is filled in and found; the balance owed is shown.
    const form = page.getByTestId('take-payment-form');
    await form.getByTestId('account-found').waitFor();
    expect(await form.getByLabel('Account number').inputValue()).toBe(seeded.cash.number);
    expect(await form.getByTestId('account-found').textContent()).toContain(seeded.cash.name);
    await expect.poll(() => form.getByTestId('balance-before').getAttribute('data-cents')).toBe(String(before));
    // Not an amount: said beside the field before asking the server.
    await form.getByLabel('Amount ($)').fill('twenty');
    await page.getByTestId('post-payment').click();
    await expect.poll(() => form.getByLabel('Amount ($)').getAttribute('aria-invalid')).toBe('true');
    await shot('pm-01-take-payment');
    await form.getByLabel('Amount ($)').fill('25');
    // A double click posts once (one idempotency key per filling of the form).
    await page.getByTestId('post-payment').dblclick();

    const receipt = page.getByTestId('payment-receipt');
    await receipt.waitFor();
    expect(await receipt.getByTestId('payment-done').textContent()).toContain(`$25.00 cash from ${seeded.cash.name}`);
    expect(await receipt.getByTestId('receipt-balance').getAttribute('data-cents')).toBe(String(before - 2500));
    expect(await receipt.getByTestId('payment-shares').locator('tbody tr').count()).toBeGreaterThan(0);
    const pdf = receipt.getByTestId('receipt-pdf');
    expect(await pdf.getAttribute('href')).toMatch(/^\/api\/v1\/payments\/\d+\/receipt\.pdf$/);
    expect(await pdf.getAttribute('target')).toBe('_blank');
    expect(await balanceOf(seeded.cash.id)).toBe(before - 2500);
    await shot('pm-02-receipt');
    await expectNoHorizontalScroll();
    const pdfAnswer = await fetch(`${baseUrl}${await pdf.getAttribute('href')}`, { headers: { cookie: (await login('jordan.lee')).cookie } });
    expect(pdfAnswer.headers.get('content-type')).toBe('application/pdf');

    // Take another: a check, for another account typed in.
    await page.getByTestId('take-another').click();
    await form.waitFor();
    expect(await form.getByLabel('Account number').inputValue()).toBe('');
    await form.getByLabel('Account number').fill(seeded.check.number);
    await form.getByTestId('account-found').waitFor();
    await form.getByLabel('Amount ($)').fill('60.00');
    await form.getByLabel('Check', { exact: true }).check();
    await form.getByLabel('Check number').fill('2001');
    await form.getByLabel('Bank routing number').fill('091000019');
    await form.getByLabel('Payer name').fill('A PAYER');
    await page.getByTestId('post-payment').click();
    await expect.poll(() => page.getByTestId('payment-done').textContent()).toContain('$60.00 check from A PAYER');
    const [checkPayment] = (await call<{ items: { id: number; reference: string; batchId: number }[] }>(await login('casey.morgan'), 'GET', `/accounts/${seeded.check.id}/payments`)).items;
    expect(checkPayment).toMatchObject({ reference: '2001' });
    made.checkPaymentId = checkPayment!.id;
    made.drawerId = checkPayment!.batchId;

    // The account page lists the payment with its receipt.
    await page.goto(`${baseUrl}/accounts/${seeded.cash.id}`);
    const rows = page.getByTestId('account-payments-table').locator('tbody tr');
    await expect.poll(() => rows.count()).toBe(1);
    expect(await rows.first().textContent()).toContain('$25.00');
    expect(await rows.first().getByTestId('payment-status').textContent()).toBe('Posted');
    await expect.poll(() => page.getByTestId('balance-amount').getAttribute('data-cents')).toBe(String(before - 2500));
  });

  it('closes the drawer: a wrong total is refused with the difference, the right one closes it', async () => {
    await nav().getByRole('link', { name: 'Batches' }).click();
    const table = page.getByTestId('batches-table');
    await table.waitFor();
    const row = table.locator('tbody tr').filter({ has: page.getByRole('link', { name: `Batch ${made.drawerId}`, exact: true }) });
    expect(await row.getByTestId('batch-count').textContent()).toBe('2');
    expect(await row.getByTestId('batch-total').textContent()).toBe('$85.00');
    expect(await row.textContent()).toContain("jordan.lee's cash drawer");
    await shot('pm-03-batches');
    await expectNoHorizontalScroll();

    await page.getByTestId('my-drawer').click();
    await page.getByTestId('batch-page').waitFor();
    expect(new URL(page.url()).pathname).toBe(`/payments/batches/${made.drawerId}`);
    expect(await page.getByTestId('batch-payments-table').locator('tbody tr').count()).toBe(2);
    await page.getByTestId('close-batch').click();
    const dialog = page.getByTestId('close-batch-dialog');
    await dialog.getByLabel('Payments counted').fill('2');
    await dialog.getByLabel('Total counted ($)').fill('80.00');
    await dialog.getByTestId('save-close-batch').click();
    await expect.poll(() => dialog.getByTestId('form-error').textContent()).toContain(
      `Batch ${made.drawerId} does not balance: it holds 2 payments for $85.00, counted 2 for $80.00 (difference -$5.00)`,
    );
    expect(await dialog.getByLabel('Total counted ($)').getAttribute('aria-invalid')).toBe('true');
    await shot('pm-04-close-refused');
    await dialog.getByLabel('Total counted ($)').fill('85.00');
    await dialog.getByTestId('save-close-batch').click();
    await expect.poll(() => page.getByTestId('batch-done').textContent()).toBe(`Batch ${made.drawerId} balanced and closed: 2 payments, $85.00.`);
    await expect.poll(() => page.getByTestId('batch-status').textContent()).toBe('Closed');
    expect(await page.getByTestId('close-batch').count()).toBe(0);
    await shot('pm-05-batch-closed');
  });

  it('imports a lockbox CSV file: a bad one is refused whole, one unknown account goes to suspense, the same file again is a duplicate', async () => {
    const [first, second] = seeded.lockbox;
    const items = [
      { account: first!.number, name: 'A PAYER', check: '3101', amount: '40.00' },
      { account: second!.number, name: 'B PAYER', check: '3102', amount: '35.50' },
      { account: '123456789', name: 'C NOBODY', check: '3103', amount: '15.25' },
    ];
    const before = await balanceOf(first!.id);
    await nav().getByRole('link', { name: 'Import a file' }).click();
    const form = page.getByTestId('payment-import-form');
    await form.waitFor();
    expect(await form.getByLabel('Kind of file').inputValue()).toBe('lockbox-csv');

    // The totals row says 4 payments: refused whole, with the record and why.
    await form.getByLabel('File', { exact: true }).setInputFiles({ name: 'lockbox-bad.csv', mimeType: 'text/csv', buffer: Buffer.from(lockboxCsv(items, 4)) });
    await page.getByTestId('upload-payments').click();
    await expect.poll(() => form.getByTestId('form-error').textContent()).toMatch(/The lockbox-csv file was refused, nothing was posted: .*control count 4 does not tie to the 3 payments read/);
    expect(await form.getByLabel('File', { exact: true }).getAttribute('aria-invalid')).toBe('true');
    await shot('pm-06-import-refused');
    expect(await balanceOf(first!.id)).toBe(before);

    const text = lockboxCsv(items);
    await form.getByLabel('File', { exact: true }).setInputFiles({ name: 'lockbox-today.csv', mimeType: 'text/csv', buffer: Buffer.from(text) });
    await page.getByTestId('upload-payments').click();
    const result = page.getByTestId('import-result');
    await result.getByTestId('import-done').waitFor();
    expect(await result.getByTestId('import-records').textContent()).toBe('3');
    expect(await result.getByTestId('import-posted').textContent()).toBe('2');
    expect(await result.getByTestId('import-unmatched-count').textContent()).toBe('1');
    expect(await result.getByTestId('import-total').textContent()).toBe('$90.75');
    expect(await result.getByTestId('import-suspense').textContent()).toContain('123456789');
    expect(await balanceOf(first!.id)).toBe(before - 4000);
    const imported = page.getByTestId('payment-imports-table').locator('tbody tr').first();
    await expect.poll(() => imported.textContent()).toContain('lockbox-today.csv');
    // The original file holds full bank account numbers: a supervisor's to download, not a CSR's.
    expect(await imported.getByTestId('import-file-link-name').textContent()).toBe('lockbox-today.csv');
    expect(await imported.getByTestId('import-file-link').count()).toBe(0);
    await shot('pm-07-import-result', true);
    await expectNoHorizontalScroll();

    // The same file again posts nothing.
    await form.getByLabel('File', { exact: true }).setInputFiles({ name: 'lockbox-today-again.csv', mimeType: 'text/csv', buffer: Buffer.from(text) });
    await page.getByTestId('upload-payments').click();
    await expect.poll(() => page.getByTestId('import-duplicate').textContent()).toContain('imported before');
    expect(await balanceOf(first!.id)).toBe(before - 4000);
  });

  it('applies the payment waiting in suspense to the account it belongs to', async () => {
    const before = await balanceOf(seeded.suspense.id);
    await nav().getByRole('link', { name: 'Suspense queue' }).click();
    const table = page.getByTestId('suspense-table');
    await table.waitFor();
    const row = table.locator('tbody tr').filter({ hasText: '123456789' });
    expect(await row.textContent()).toContain('C NOBODY');
    expect(await row.textContent()).toContain('$15.25');
    await shot('pm-08-suspense');
    await expectNoHorizontalScroll();
    await row.getByTestId('apply-payment').click();
    const dialog = page.getByTestId('apply-suspense-dialog');
    expect(await dialog.getByTestId('apply-what-payer-wrote').textContent()).toContain('123456789');
    await dialog.getByLabel('Account to apply it to').fill(seeded.suspense.number);
    await dialog.getByTestId('account-found').waitFor();
    expect(await dialog.getByTestId('account-found').textContent()).toContain(seeded.suspense.name);
    await dialog.getByLabel('Reason').fill('Stub in the envelope names the account');
    await shot('pm-09-apply-suspense');
    await dialog.getByTestId('save-apply').click();
    await expect.poll(() => page.getByTestId('suspense-done').textContent()).toMatch(new RegExp(`^Payment \\d+ of \\$15\\.25 applied to account ${seeded.suspense.number}`));
    await page.getByText('No payments waiting').waitFor();
    expect(await balanceOf(seeded.suspense.id)).toBe(before - 1525);
  });

  it('makes the deposit and shows it with its slip, the deposit summary and the reconciliation', async () => {
    await nav().getByRole('link', { name: 'Deposits' }).click();
    const form = page.getByTestId('make-deposit-form');
    expect(await form.getByLabel('Date').inputValue()).toBe(seeded.today);
    await page.getByTestId('save-deposit').click();
    await expect.poll(() => page.getByTestId('deposit-done').textContent()).toMatch(new RegExp(`^Deposit \\d+ for ${seeded.today}: \\$85\\.00 \\(\\$25\\.00 cash, \\$60\\.00 checks\\), 2 items from batch ${made.drawerId}\\.`));
    const rows = page.getByTestId('deposits-table').locator('tbody tr');
    await expect.poll(() => rows.count()).toBe(1);
    expect(await rows.first().getByTestId('deposit-total').textContent()).toBe('$85.00');
    expect(await rows.first().getByRole('link', { name: `Batch ${made.drawerId}` }).count()).toBe(1);
    expect(await rows.first().getByTestId('deposit-slip').getAttribute('href')).toMatch(/^\/api\/v1\/deposits\/\d+\/slip\.pdf$/);
    await shot('pm-10-deposits');
    await expectNoHorizontalScroll();
    // Nothing closed is left to deposit: the server says so.
    await page.getByTestId('save-deposit').click();
    await expect.poll(() => form.getByTestId('form-error').textContent()).toContain(`No closed counter or mail batches to deposit on or before ${seeded.today}`);

    await nav().getByRole('link', { name: 'Payment reports' }).click();
    const summary = page.getByTestId('deposit-summary-table');
    await summary.waitFor();
    expect(await page.getByTestId('tab-deposit-summary').getAttribute('aria-current')).toBe('page');
    expect(await summary.getByTestId('deposit-summary-row').count()).toBe(3);
    // 25.00 cash + 60.00 check at the counter, 90.75 of lockbox checks.
    expect(await page.getByTestId('deposit-summary-total').textContent()).toContain('$175.75');
    await shot('pm-11-deposit-summary');
    await expectNoHorizontalScroll();

    await page.getByTestId('tab-reconciliation').click();
    await page.getByTestId('recon-missing-table').waitFor();
    // No bank report yet: the deposit and the lockbox batch are ours, not on the bank's.
    expect(await page.getByTestId('recon-missing-table').locator('tbody tr').count()).toBe(2);
    expect(await page.getByTestId('recon-expected').textContent()).toBe('$175.75');
    await shot('pm-12-reconciliation', true);

    await page.getByTestId('tab-web-payments').click();
    await page.getByTestId('report-figures').waitFor();
    expect(await page.getByTestId('figure-received').textContent()).toBe('Received0 · $0.00');

    // An online bill-pay file comes in (through the API, as the bank's integration sends it): one
    // payer wrote the account number, the other a wrong one (found by their name and street).
    const [byNumber, byName] = seeded.obi;
    const date = lockboxDate(seeded.today);
    const obi = [
      'Payee Account Number,Payer Name,Payer Address 1,Payer Address 2,Payer City,Payer State,Payer ZIP,Payment Amount,Payment Date,Trace Number',
      `${byNumber!.number},${byNumber!.name.toUpperCase()},PO BOX 1,,Wenatchee,WA,98801,20.00,${date},OBI-0001`,
      `${wrongCheckDigit(byName!.number)},${byName!.name},${byName!.line1},,Wenatchee,WA,98801,12.00,${date},OBI-0002`,
      '',
    ].join('\n');
    const s = await login('jordan.lee');
    const res = await fetch(`${baseUrl}/api/v1/payment-imports?kind=obi&fileName=obi-today.csv`, { method: 'POST', headers: { cookie: s.cookie, 'x-csrf-token': s.csrf, 'content-type': 'application/octet-stream' }, body: obi });
    expect(res.status, await res.clone().text()).toBe(200);
    expect(await res.json()).toMatchObject({ records: 2, posted: 2, unmatched: 0 });

    await page.getByTestId('tab-obi').click();
    await expect.poll(() => page.getByRole('heading', { level: 1 }).textContent()).toBe('Online bill-pay');
    await expect.poll(() => page.getByTestId('figure-received').textContent()).toBe('Received2 · $32.00');
    expect(await page.getByTestId('figure-matched').textContent()).toContain('1 · $20.00');
    expect(await page.getByTestId('figure-matched-name-address').textContent()).toContain('1 · $12.00');
    expect(await page.getByTestId('channel-report-table').getByTestId('matched-by').allTextContents()).toEqual(['Account number', 'Name and address']);
    await shot('pm-13-obi-report');
    await expectNoHorizontalScroll();
  });

  it('enrols an account in autopay, showing only the last four digits', async () => {
    await page.goto(`${baseUrl}/accounts/${seeded.cash.id}`);
    const card = page.getByTestId('autopay-card');
    await card.getByTestId('enrol-autopay').click();
    const dialog = page.getByTestId('enrol-autopay-dialog');
    expect(await dialog.getByLabel('Name on the bank account').inputValue()).toBe(seeded.cash.name);
    // A routing number with a wrong check digit: the server says so beside it.
    await dialog.getByLabel('Routing number').fill('091000018');
    await dialog.getByLabel('Bank account number').fill('55501234');
    await dialog.getByTestId('save-autopay').click();
    await expect.poll(() => dialog.getByLabel('Routing number').getAttribute('aria-invalid')).toBe('true');
    expect(await dialog.getByTestId('form-error').textContent()).toContain('091000018 is not a routing number');
    await dialog.getByLabel('Routing number').fill('091000019');
    await dialog.getByTestId('save-autopay').click();
    await expect.poll(() => card.getByTestId('autopay-done').textContent()).toContain('ending 1234');
    expect(await card.getByTestId('autopay-account').textContent()).toBe('Checking ending 1234');
    expect(await card.getByTestId('autopay-status').textContent()).toContain('Prenote');
    await shot('pm-14-account-payments-autopay', true);
    await expectNoHorizontalScroll();
  });

  it('records a returned check from the account, and shows it in the returns queue for follow-up', async () => {
    const before = await balanceOf(seeded.check.id);
    await page.goto(`${baseUrl}/accounts/${seeded.check.id}`);
    const row = page.getByTestId('account-payments-table').locator('tbody tr').first();
    await row.getByRole('button', { name: `Return or charge back payment ${made.checkPaymentId}` }).click();
    const dialog = page.getByTestId('return-payment-dialog');
    expect(await dialog.getByTestId('return-source').textContent()).toBe('What came back: Returned check (keyed)');
    await dialog.getByLabel('Reason code').selectOption('NSF');
    await shot('pm-15-return-check');
    await dialog.getByTestId('save-return').click();
    await expect.poll(() => page.getByTestId('account-payment-done').textContent()).toMatch(new RegExp(`^Payment ${made.checkPaymentId} of \\$60\\.00 returned \\(NSF\\): reversed off the account`));
    await expect.poll(() => row.getByTestId('payment-status').textContent()).toBe('Reversed');
    const fee = (await call<{ items: { feeCents: number; paymentId: number }[] }>(await login('casey.morgan'), 'GET', '/payment-returns?status=open')).items.find((r) => r.paymentId === made.checkPaymentId)!.feeCents;
    expect(await balanceOf(seeded.check.id)).toBe(before + 6000 + fee);
    await expect.poll(() => page.getByTestId('balance-amount').getAttribute('data-cents')).toBe(String(before + 6000 + fee));

    await nav().getByRole('link', { name: 'Returns' }).click();
    const queue = page.getByTestId('returns-table');
    await queue.waitFor();
    const item = queue.locator('tbody tr').filter({ hasText: `Payment ${made.checkPaymentId}` });
    expect(await item.getByTestId('return-account').textContent()).toBe(seeded.check.number);
    expect(await item.getByTestId('return-account').getAttribute('href')).toBe(`/accounts/${seeded.check.id}`);
    expect(await item.getByTestId('return-amount').textContent()).toBe('$60.00');
    expect(await item.getByTestId('return-reason-code').textContent()).toBe('NSF');
    expect(await item.textContent()).toContain(fee ? cents(fee) : 'None');
    expect(await item.getByTestId('return-letter').getAttribute('href')).toMatch(/^\/api\/v1\/payment-returns\/\d+\/letter\.pdf$/);
    await shot('pm-16-returns-queue');
    await expectNoHorizontalScroll();

    await item.getByTestId('record-follow-up').click();
    const followUp = page.getByTestId('follow-up-dialog');
    await followUp.getByLabel('What was done').fill('Called the customer; paid cash at the counter');
    await followUp.getByTestId('save-follow-up').click();
    await expect.poll(() => page.getByTestId('return-done').textContent()).toContain(`returned payment ${made.checkPaymentId}`);
    await page.getByText('Nothing to follow up.').waitFor();
  });

  it('corrects a lockbox payment keyed at the wrong amount, from its page', async () => {
    const second = seeded.lockbox[1]!;
    const before = await balanceOf(second.id);
    const [paid] = (await call<{ items: { id: number; amountCents: number }[] }>(await login('casey.morgan'), 'GET', `/accounts/${second.id}/payments`)).items;
    expect(paid!.amountCents).toBe(3550);
    await page.goto(`${baseUrl}/payments/${paid!.id}`);
    await page.getByTestId('payment-page').waitFor();
    expect(await page.getByTestId('payment-status').textContent()).toBe('Posted');
    expect(await page.getByTestId('payment-receipt-pdf').getAttribute('href')).toBe(`/api/v1/payments/${paid!.id}/receipt.pdf`);
    await page.getByTestId('correct-payment').click();
    const dialog = page.getByTestId('correct-payment-dialog');
    // Neither the account nor the amount: said before asking the server.
    await dialog.getByLabel('Reason').fill('The bank credited less than the check was keyed at');
    await dialog.getByTestId('save-correction').click();
    await expect.poll(() => dialog.getByTestId('form-error').textContent()).toContain('Give the right account number, the right amount, or both');
    await dialog.getByLabel('Right amount ($)').fill('35.05');
    await shot('pm-17-correct-payment');
    await dialog.getByTestId('save-correction').click();
    await expect.poll(() => page.getByTestId('payment-action-done').textContent()).toMatch(new RegExp(`^Payment ${paid!.id} reversed and posted again as payment \\d+, \\$35\\.05\\.`));
    await expect.poll(() => page.getByTestId('payment-status').textContent()).toBe('Reversed');
    await expect.poll(() => page.getByTestId('payment-reversed').textContent()).toContain('Replaced by payment');
    expect(await balanceOf(second.id)).toBe(before + 45);
    await page.getByTestId('payment-action-done').getByRole('link').click();
    await expect.poll(() => page.getByTestId('payment-facts').textContent()).toContain(`Payment ${paid!.id}`);
    expect(await page.getByTestId('payment-status').textContent()).toBe('Posted');
    await shot('pm-18-corrected-payment');
    await expectNoHorizontalScroll();
    await signOut();
  });

  it('shows a CSR I the payments but no import, return or correction; a supervisor the original files', async () => {
    await page.goto(`${baseUrl}/accounts/${seeded.check.id}`);
    await signIn('alex.field');
    await nav().getByRole('link', { name: 'Take a payment' }).waitFor();
    expect(await nav().getByRole('link', { name: 'Import a file' }).count()).toBe(0);
    await page.getByTestId('account-payments-table').waitFor();
    await page.getByTestId('take-payment-link').waitFor();
    expect(await page.getByTestId('return-payment').count()).toBe(0);
    expect(await page.getByTestId('correct-payment').count()).toBe(0);
    await page.goto(`${baseUrl}/payments/import`);
    await page.getByRole('heading', { level: 1, name: 'Not available to your role' }).waitFor();
    expect(await page.getByTestId('payment-import-form').count()).toBe(0);
    await signOut();

    // A supervisor downloads the original file.
    await signIn('pat.supervisor');
    const link = page.getByTestId('payment-imports-table').getByTestId('import-file-link').first();
    await link.waitFor();
    expect(await link.getAttribute('href')).toMatch(/^\/api\/v1\/payment-imports\/\d+\/file$/);
  });
});
