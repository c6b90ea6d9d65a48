import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { localDate } from '../../src/platform/clock.ts';
import { formatCents } from '../../src/platform/money.ts';
import { addStaff, baseUrl, call, expectNoHorizontalScroll, login, nav, page, shot, signIn, signOut, startStaffApp } from '../support/browser.ts';
import { repoRoot } from '../support/cli.ts';
import type { TestRuntime } from '../support/runtime.ts';

/**
 * Security deposits and refunds in the staff web app, end to end: a real server (in-process,
 * random port) with a customer new to the district on fiber service (FIB-100, $75.00 a month since
 * 2025), made through its HTTP API, driven in Debian's Chromium at 1366x768. A CSR II sees that the
 * credit rule calls for a deposit of at most $150.00 and requires it in three instalments (the
 * first billed today); a cash payment larger than the first instalment leaves a credit; a
 * supervisor runs today's deposit job from the Security deposit page, which notes the instalment
 * paid. The CSR II refunds the credit from the account page: above the approval limit (set to
 * $20.00 here) it waits, and the server refuses the CSR's approval with its message; a supervisor
 * approves it on the Refunds page and makes the accounts-payable file, whose link serves the CSV;
 * the check comes back from the post office and the credit is back on the account. Screenshots go
 * to test-output/screenshots/ (dr-*.png).
 */

startStaffApp({ seed });

/** What the seeding made, for the tests. */
const seeded = {
  today: '',
  account: { id: 0, number: '', name: 'Ida Ledger' },
};

/** The first instalment of a $150.00 deposit in three, and the cash paid: $30.00 is left as a credit. */
const instalmentCents = 5000;
const paidCents = 8000;
const creditCents = paidCents - instalmentCents;

async function seed(rt: TestRuntime): Promise<void> {
  const admin = await addStaff(rt);
  const supervisor = await login('pat.supervisor');
  const csr2 = await login('jordan.lee');
  const tariff = JSON.parse(fs.readFileSync(path.join(repoRoot, 'src/tariff/examples/FIB-100.json'), 'utf8'));
  await call(supervisor, 'POST', '/tariffs', { tariff, reason: 'Fiber rates adopted' });
  const address = { line1: '418 Refund Road', city: 'Wenatchee', state: 'WA', postalCode: '98801' };
  const customer = await call<{ id: number; displayName: string }>(csr2, 'POST', '/customers', { kind: 'person', firstName: 'Ida', lastName: 'Ledger' });
  const account = await call<{ id: number; accountNumber: string }>(csr2, 'POST', '/accounts', { customerId: customer.id, customerClass: 'residential', billingCycle: 3, billingAddress: address });
  const premise = await call<{ id: number }>(csr2, 'POST', '/premises', { address, premiseType: 'single_family', area: 'WEN' });
  const point = await call<{ id: number }>(csr2, 'POST', `/premises/${premise.id}/service-points`, { service: 'fiber', status: 'inactive', route: 'R07' });
  await call(csr2, 'POST', '/service-agreements', { accountId: account.id, servicePointId: point.id, rateCode: 'FIB-100', startDate: '2025-01-01', reason: 'Service started' });
  // A small approval limit, so the $30.00 refund waits for a supervisor.
  await call(admin, 'PATCH', '/refunds/settings', { approvalLimitCents: 2000, reason: 'Refunds above $20.00 need a supervisor' });
  Object.assign(seeded, { today: localDate(new Date(), rt.config.timeZone), account: { id: account.id, number: account.accountNumber, name: customer.displayName } });
}

describe('security deposits and refunds in the staff web app', () => {
  it('shows the credit check on the account page and requires a deposit in three instalments', async () => {
    await page.goto(`${baseUrl}/accounts/${seeded.account.id}`);
    await signIn('jordan.lee');
    const card = page.getByTestId('deposit-card');
    const evaluation = card.getByTestId('deposit-evaluation');
    await evaluation.waitFor();
    // New to the district: the rule calls for a deposit, at most 2/12 of $900.00 a year.
    expect(await evaluation.getAttribute('data-rule')).toBe('no_credit_history');
    expect(await evaluation.getAttribute('data-required')).toBe('true');
    expect(await card.getByTestId('deposit-rule').textContent()).toBe('No payment history');
    expect(await card.getByTestId('deposit-cap').textContent()).toBe('$150.00');
    await card.getByTestId('deposit-none').waitFor();
    // No credit yet: nothing to refund.
    const refunds = page.getByTestId('refunds-card');
    await expect.poll(() => refunds.getByTestId('refund-credit-available').textContent()).toBe('$0.00');
    expect(await refunds.getByTestId('refund-credit').count()).toBe(0);

    await card.getByTestId('require-deposit').click();
    const dialog = page.getByTestId('require-deposit-dialog');
    // The amount defaults to the cap; more than the cap is refused by the server.
    expect(await dialog.getByLabel('Amount ($)').inputValue()).toBe('150.00');
    await dialog.getByLabel('Amount ($)').fill('151');
    await dialog.getByLabel('Instalments').selectOption('3');
    await dialog.getByLabel('Reason').fill('New service, no payment history with the district');
    await dialog.getByTestId('save-require-deposit').click();
    await expect.poll(() => dialog.getByTestId('form-error').textContent()).toContain('at most $150.00');
    await dialog.getByLabel('Amount ($)').fill('150.00');
    await dialog.getByTestId('save-require-deposit').click();

    await expect.poll(() => card.getByTestId('deposit-done').textContent()).toContain(`Deposit of $150.00 required in 3 instalments; the first (${formatCents(instalmentCents)}) is billed today.`);
    const live = card.getByTestId('deposit-live');
    expect(await live.getByTestId('deposit-amount').textContent()).toBe('$150.00');
    expect(await live.getByTestId('deposit-held').textContent()).toBe('$0.00');
    expect(await live.getByTestId('deposit-status').textContent()).toContain('0 of 3 instalments paid');
    const instalments = live.getByTestId('deposit-instalments').locator('tbody tr');
    expect(await instalments.count()).toBe(3);
    expect(await instalments.nth(0).getByTestId('instalment-amount').textContent()).toBe(formatCents(instalmentCents));
    expect(await instalments.nth(0).getByTestId('instalment-state').textContent()).toBe(`Billed ${seeded.today}, unpaid`);
    expect(await instalments.nth(1).getByTestId('instalment-state').textContent()).toBe('Not yet billed');
    expect(await instalments.nth(2).getByTestId('instalment-state').textContent()).toBe('Not yet billed');
    // Newest first: the first instalment billed, then the requirement with its reason.
    const events = live.getByTestId('deposit-events').locator('tbody tr');
    expect(await events.count()).toBe(2);
    expect(await events.nth(0).getByTestId('deposit-event-kind').textContent()).toBe('Instalment billed');
    expect(await events.nth(1).getByTestId('deposit-event-kind').textContent()).toBe('Required');
    expect(await events.nth(1).textContent()).toContain('New service, no payment history');
    // The letter asking the deposit opens as a PDF.
    const letterHref = await events.nth(1).getByTestId('deposit-letter').getAttribute('href');
    const letter = await fetch(`${baseUrl}${letterHref}`, { headers: { cookie: (await login('pat.supervisor')).cookie } });
    expect(letter.headers.get('content-type')).toBe('application/pdf');
    expect(Buffer.from(await letter.arrayBuffer()).subarray(0, 5).toString()).toBe('%PDF-');
    // The instalment is owed on the account.
    await expect.poll(() => page.getByTestId('balance-amount').textContent()).toBe(`${formatCents(instalmentCents)} due`);
    // A CSR II applies a deposit; only a supervisor returns one.
    await card.getByTestId('apply-deposit').waitFor();
    expect(await card.getByTestId('return-deposit').count()).toBe(0);
    await card.scrollIntoViewIfNeeded();
    await shot('dr-01-deposit-required');
    await expectNoHorizontalScroll();
  });

  it("lets a supervisor run today's deposit job, which notes the first instalment paid", async () => {
    // The customer pays $80.00 cash: the $50.00 instalment and $30.00 more, left as a credit.
    await call(await login('jordan.lee'), 'POST', '/payments', { accountId: seeded.account.id, amountCents: paidCents, method: 'cash' });

    // A CSR II sees the list but does not run the job.
    await nav().getByRole('link', { name: 'Security deposit' }).click();
    const table = page.getByTestId('security-deposits-table');
    await table.waitFor();
    expect(await nav().getByRole('link', { name: 'Security deposit' }).getAttribute('aria-current')).toBe('page');
    expect(await page.getByTestId('run-deposit-job').count()).toBe(0);
    await signOut();

    await page.goto(`${baseUrl}/security-deposits`);
    await signIn('pat.supervisor');
    const row = page.getByTestId('security-deposits-table').locator('tbody tr').filter({ has: page.getByRole('link', { name: seeded.account.number }) });
    await row.waitFor();
    expect(await row.textContent()).toContain(seeded.account.name);
    expect(await row.getByTestId('deposit-list-status').textContent()).toBe('Being billed');
    expect(await row.getByTestId('deposit-list-amount').textContent()).toBe('$150.00');

    await page.getByTestId('run-deposit-job').click();
    const result = page.getByTestId('deposit-job-result');
    await result.waitFor();
    expect(await result.getByTestId('deposit-job-done').textContent()).toContain(`Deposit job of ${seeded.today}: 0 instalments billed, 1 paid`);
    expect(await result.getByTestId('job-billed').textContent()).toBe('0');
    expect(await result.getByTestId('job-paid').textContent()).toBe('1');
    expect(await result.getByTestId('job-returned').textContent()).toBe('0');
    expect(await result.getByTestId('job-applied').textContent()).toBe('0');
    await shot('dr-02-deposit-job', true);
    await expectNoHorizontalScroll();

    // Filtered by status, the deposit is still being billed (two instalments to come).
    await page.getByLabel('Status').selectOption('held');
    await page.getByRole('search', { name: 'Filter security deposits' }).getByRole('button', { name: 'Filter' }).click();
    await page.getByText('No held security deposits.').waitFor();
    expect(new URL(page.url()).searchParams.get('status')).toBe('held');
    await page.getByLabel('Status').selectOption('billing');
    await page.getByRole('search', { name: 'Filter security deposits' }).getByRole('button', { name: 'Filter' }).click();
    await page.getByTestId('security-deposits-table').getByRole('link', { name: seeded.account.number }).click();
    await page.getByTestId('account-page').waitFor();
    expect(new URL(page.url()).pathname).toBe(`/accounts/${seeded.account.id}`);

    const live = page.getByTestId('deposit-live');
    await live.waitFor();
    const instalments = live.getByTestId('deposit-instalments').locator('tbody tr');
    expect(await instalments.nth(0).getByTestId('instalment-state').textContent()).toBe(`Paid ${seeded.today}`);
    expect(await instalments.nth(1).getByTestId('instalment-state').textContent()).toBe('Not yet billed');
    expect(await live.getByTestId('deposit-held').textContent()).toBe(formatCents(instalmentCents));
    expect(await live.getByTestId('deposit-status').textContent()).toContain('1 of 3 instalments paid');
    expect(await live.getByTestId('deposit-events').locator('tbody tr').first().getByTestId('deposit-event-kind').textContent()).toBe('Instalment paid');
    // A supervisor may also return the deposit now.
    await page.getByTestId('deposit-card').getByTestId('return-deposit').waitFor();
    await signOut();
  });

  it('refunds the credit from the account page: above the approval limit it waits, and a CSR cannot approve it', async () => {
    await page.goto(`${baseUrl}/accounts/${seeded.account.id}`);
    await signIn('jordan.lee');
    const card = page.getByTestId('refunds-card');
    await expect.poll(() => card.getByTestId('refund-credit-available').textContent()).toBe(formatCents(creditCents));
    await card.getByTestId('refund-credit').click();
    const dialog = page.getByTestId('refund-credit-dialog');
    // All the credit by default.
    expect(await dialog.getByLabel('Amount ($)').inputValue()).toBe('30.00');
    await dialog.getByLabel('Reason').fill('Customer paid more than the instalment and asked for the rest back');
    await dialog.getByTestId('save-refund-credit').click();
    await expect.poll(() => card.getByTestId('refund-done').textContent()).toContain("waits for a supervisor's approval");
    // The card loads its refunds again after the change.
    const row = card.getByTestId('account-refunds-table').locator('tbody tr');
    await expect.poll(() => row.count()).toBe(1);
    expect(await row.getByTestId('refund-status').textContent()).toBe('Waiting for approval');
    expect(await row.getByTestId('refund-amount').textContent()).toBe(formatCents(creditCents));
    expect(await row.textContent()).toContain('418 Refund Road');
    // Asked for, the credit is no longer available to refund again.
    await expect.poll(() => card.getByTestId('refund-credit-available').textContent()).toBe('$0.00');

    // The CSR's approval is refused above the limit: the server's message is shown.
    await row.getByTestId('approve-refund').click();
    const approve = page.getByTestId('approve-refund-dialog');
    await approve.getByLabel('Reason').fill('Overpayment confirmed on the ledger');
    await approve.getByTestId('save-approve-refund').click();
    await expect.poll(() => approve.getByTestId('form-error').textContent()).toContain('above the $20.00 approval limit; a supervisor must approve it');
    await shot('dr-03-refund-refused');
    await approve.getByRole('button', { name: 'Cancel' }).click();
    expect(await row.getByTestId('refund-status').textContent()).toBe('Waiting for approval');
    await expectNoHorizontalScroll();
    await signOut();
  });

  it('lets a supervisor approve the refund on the Refunds page and make the accounts-payable file, served as CSV', async () => {
    await page.goto(`${baseUrl}/refunds`);
    await signIn('pat.supervisor');
    expect(await nav().getByRole('link', { name: 'Refunds' }).getAttribute('aria-current')).toBe('page');
    const rows = page.getByTestId('refunds-table').locator('tbody tr');
    const row = rows.filter({ has: page.getByRole('link', { name: seeded.account.number }) });
    await row.waitFor();
    expect(await row.getByTestId('refund-status').textContent()).toBe('Waiting for approval');
    await row.getByTestId('approve-refund').click();
    const approve = page.getByTestId('approve-refund-dialog');
    await approve.getByLabel('Reason').fill('Overpayment confirmed on the ledger');
    await approve.getByTestId('save-approve-refund').click();
    await expect.poll(() => page.getByTestId('refund-done').textContent()).toContain('approved');
    await expect.poll(() => row.getByTestId('refund-status').textContent()).toBe('Approved');
    expect(await row.getByTestId('approve-refund').count()).toBe(0);

    await page.getByTestId('make-refund-export').click();
    const made = page.getByTestId('refund-export-done');
    await made.waitFor();
    expect(await made.textContent()).toContain(`1 refund, ${formatCents(creditCents)} in all`);
    const link = made.getByTestId('refund-export-link');
    const href = await link.getAttribute('href');
    expect(href).toMatch(/^\/api\/v1\/refunds\/exports\/\d+\/file$/);
    const fileName = (await link.textContent())!;
    expect(fileName).toBe(`refunds-${seeded.today}-1.csv`);
    const csv = await fetch(`${baseUrl}${href}`, { headers: { cookie: (await login('pat.supervisor')).cookie } });
    expect(csv.status).toBe(200);
    expect(csv.headers.get('content-type')).toMatch(/^text\/csv/);
    expect(csv.headers.get('content-disposition')).toContain(fileName);
    const lines = (await csv.text()).trim().split(/\r?\n/);
    expect(lines[0]).toBe('refund_id,vendor_id,payee_name,address_line1,address_line2,city,state,postal_code,amount,account_number,kind,approved_on,memo');
    expect(lines).toHaveLength(2);
    expect(lines[1]).toContain('Ida Ledger,418 Refund Road');
    // approved_on is the approval's date in UTC (src/refund/service.ts), which is the next day in
    // the utility's evenings: only its form is checked.
    expect(lines[1]).toMatch(new RegExp(`,30\\.00,${seeded.account.number},credit_balance,\\d{4}-\\d{2}-\\d{2},"Credit balance refund, account ${seeded.account.number}"$`));
    // The file is listed with the files made, and the refund was sent.
    const files = page.getByTestId('refund-exports-table').locator('tbody tr');
    await expect.poll(() => files.count()).toBe(1);
    expect(await files.first().getByTestId('refund-export-link').getAttribute('href')).toBe(href);
    await expect.poll(() => row.getByTestId('refund-status').textContent()).toBe('Sent to accounts payable');
    await shot('dr-04-refund-export', true);
    await expectNoHorizontalScroll();

    // Nothing approved is left: a second file is not made.
    await page.getByTestId('make-refund-export').click();
    await page.getByTestId('refund-export-none').waitFor();
    await expect.poll(() => files.count()).toBe(1);
  });

  it('records the check the post office returned: the credit is back on the account, which is flagged', async () => {
    await page.getByTestId('refunds-table').getByRole('link', { name: seeded.account.number }).click();
    await page.getByTestId('account-page').waitFor();
    const card = page.getByTestId('refunds-card');
    const row = card.getByTestId('account-refunds-table').locator('tbody tr');
    await expect.poll(() => row.getByTestId('refund-status').textContent()).toBe('Sent to accounts payable');
    await row.getByTestId('refund-check-returned').click();
    const dialog = page.getByTestId('returned-refund-dialog');
    expect(await dialog.getByLabel('Returned on').inputValue()).toBe(seeded.today);
    await dialog.getByLabel('Reason').fill('Moved, no forwarding address');
    await dialog.getByTestId('save-returned-refund').click();
    await expect.poll(() => card.getByTestId('refund-done').textContent()).toContain('the check came back');
    await expect.poll(() => row.getByTestId('refund-status').textContent()).toBe('Check returned');
    await expect.poll(() => card.getByTestId('refund-credit-available').textContent()).toBe(formatCents(creditCents));
    await expect.poll(() => page.getByTestId('active-alerts').textContent()).toContain('returned by the post office');
    await card.scrollIntoViewIfNeeded();
    await shot('dr-05-refund-returned');
  });
});
