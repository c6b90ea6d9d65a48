import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { localDate } from '../../src/platform/clock.ts';
import { addDays, dayOfWeek } from '../../src/platform/dates.ts';
import { addStaff, baseUrl, call, expectNoHorizontalScroll, login, nav, page, shot, signIn, signOut, startStaffApp, type ApiSession } from '../support/browser.ts';
import { repoRoot } from '../support/cli.ts';
import type { TestRuntime } from '../support/runtime.ts';

/**
 * Billing in the staff web app, end to end: a real server (in-process, random port) with rates,
 * a schedule and two households made through its HTTP API, driven in Debian's Chromium at
 * 1366x768. A supervisor looks over the schedule (and is told why a Saturday read date is refused)
 * and loads tariff files; a CSR II runs billing for a cycle from the screen and watches it to the
 * end and to tied control totals; the account page shows the posted bill and the balance; the
 * held bill of the second household is approved from the exceptions queue; a CSR I adjusts a
 * balance within (and not above) the approval limit; and a quote is made. Screenshots go to
 * test-output/screenshots/ (bl-*.png).
 */

startStaffApp({ seed });

/** What the seeding made, for the tests. */
const seeded = {
  today: '',
  year: 0,
  /** The schedule entry the run bills: cycle 1's latest read date on or before today. */
  readDate: '',
  cycle: 1,
  posted: { accountId: 0, accountNumber: '' },
  held: { accountId: 0, accountNumber: '' },
  /** A schedule entry the run does not bill, and a Saturday in its month. */
  later: { id: 0, cycle: 0, month: 0, readDate: '', saturday: '' },
};

const example = (code: string) => JSON.parse(fs.readFileSync(path.join(repoRoot, 'src/tariff/examples', `${code}.json`), 'utf8')) as Record<string, unknown>;

interface ScheduleItem { id: number; year: number; cycle: number; month: number; readDate: string; billDate: string; dueDate: string; runId: number | null }
interface Bill { id: number; status: string; totalCents: number; periodFrom: string; periodTo: string }

/**
 * A household on cycle 1 with electric service since 32 days before the read date: a meter set
 * with its install read, a move-in on RES-E, and a read on the read date `use` kWh later.
 */
async function household(s: ApiSession, name: string, street: string, serial: string, use: number) {
  const [firstName, lastName] = name.split(' ');
  const start = addDays(seeded.readDate, -32);
  const address = { line1: street, city: 'Wenatchee', state: 'WA', postalCode: '98801' };
  const customer = await call<{ id: number }>(s, 'POST', '/customers', { kind: 'person', firstName, lastName });
  const account = await call<{ id: number; accountNumber: string }>(s, 'POST', '/accounts', { customerId: customer.id, customerClass: 'residential', billingCycle: seeded.cycle, billingAddress: address, openedOn: start });
  const premise = await call<{ id: number }>(s, 'POST', '/premises', { address, premiseType: 'single_family', area: 'Wenatchee' });
  const point = await call<{ id: number }>(s, 'POST', `/premises/${premise.id}/service-points`, { service: 'electric', status: 'inactive', route: 'R-30' });
  const meter = await call<{ id: number }>(s, 'POST', '/meters', { serial, kind: 'electric', dials: 6, multiplier: '1', manufacturer: 'Itron' });
  await call(s, 'POST', `/meters/${meter.id}/install`, { servicePointId: point.id, installedOn: start, reason: 'New service' });
  await call(s, 'POST', `/meters/${meter.id}/reads`, { readDate: start, reading: '010000', purpose: 'install' });
  const moveIn = await call<{ id: number }>(s, 'POST', '/service-orders', { type: 'move_in', servicePointId: point.id, accountId: account.id, effectiveDate: start, request: { rateCode: 'RES-E' }, reason: 'New customer' });
  const done = await call<{ held: boolean }>(s, 'POST', `/service-orders/${moveIn.id}/complete`, { fieldData: { read: { reading: '010000' } } });
  expect(done.held).toBe(false);
  await call(s, 'POST', `/meters/${meter.id}/reads`, { readDate: seeded.readDate, reading: String(10_000 + use).padStart(6, '0') });
  return { accountId: account.id, accountNumber: account.accountNumber };
}

/** Rates, this year's and last year's schedule, and two households due on cycle 1: one ordinary, one with a far too high read. */
async function seed(rt: TestRuntime): Promise<void> {
  const admin = await addStaff(rt);
  const supervisor = await login('pat.supervisor');
  await call(supervisor, 'POST', '/tariffs', { tariff: example('RES-E'), reason: 'Schedule 1 adopted' });

  const today = localDate(new Date(), rt.config.timeZone);
  const year = Number(today.slice(0, 4));
  // Last year's too, so that early in January cycle 1 still has a read date on or before today.
  for (const y of [year - 1, year]) await call(supervisor, 'POST', '/billing/schedule/generate', { year: y, reason: 'Yearly schedule' });
  const entries = [
    ...(await call<{ items: ScheduleItem[] }>(supervisor, 'GET', `/billing/schedule?year=${year - 1}`)).items,
    ...(await call<{ items: ScheduleItem[] }>(supervisor, 'GET', `/billing/schedule?year=${year}`)).items,
  ];
  const due = entries.filter((e) => e.cycle === 1 && e.readDate <= today).sort((a, b) => b.readDate.localeCompare(a.readDate))[0]!;
  Object.assign(seeded, { today, year, readDate: due.readDate });

  // An entry of this year the run leaves alone (cycle 2 of the last month), and a Saturday in its month.
  const later = entries.find((e) => e.year === year && e.cycle === 2 && e.month === 12)!;
  let saturday = `${year}-12-01`;
  while (dayOfWeek(saturday) !== 6) saturday = addDays(saturday, 1);
  seeded.later = { id: later.id, cycle: later.cycle, month: later.month, readDate: later.readDate, saturday };

  seeded.posted = await household(admin, 'Lena Marsh', '2215 Canal Way', 'E5510-01', 700);
  // 25,000 kWh in a month: far above the review limit for a residential bill, so the bill is held.
  seeded.held = await household(admin, 'Victor Osei', '31 Mill Race Rd', 'E5510-02', 25_000);
}

const billsOf = async (accountId: number) => (await call<{ items: Bill[] }>(await login('casey.morgan'), 'GET', `/accounts/${accountId}/bills`)).items;
const cents = (n: number) => `$${Math.trunc(n / 100).toLocaleString('en-US')}.${String(n % 100).padStart(2, '0')}`;

describe('billing in the staff web app', () => {
  it('shows a supervisor the schedule, and why a read date on a Saturday is refused', async () => {
    await page.goto(`${baseUrl}/billing/schedule`);
    await signIn('pat.supervisor');
    for (const entry of ['Billing runs', 'Billing exceptions', 'Billing schedule', 'Rates', 'Quote']) await nav().getByRole('link', { name: entry }).waitFor();
    const grid = page.getByTestId('schedule-grid');
    await grid.waitFor();
    expect(await grid.locator('tbody tr').count()).toBe(12);
    expect(await grid.locator('thead th').count()).toBe(21);
    expect(await nav().getByRole('link', { name: 'Billing schedule' }).getAttribute('aria-current')).toBe('page');
    await shot('bl-01-schedule-grid');
    await expectNoHorizontalScroll();

    // One cycle as a list of months, with the dates to change.
    await page.getByLabel('Cycle', { exact: true }).selectOption(String(seeded.later.cycle));
    await page.getByRole('search', { name: 'Choose the schedule' }).getByRole('button', { name: 'Filter' }).click();
    const table = page.getByTestId('schedule-table');
    await table.waitFor();
    expect(await table.locator('tbody tr').count()).toBe(12);
    await page.getByRole('button', { name: `Change the dates of cycle ${seeded.later.cycle}, December ${seeded.year}` }).click();
    const dialog = page.getByTestId('edit-schedule-dialog');
    expect(await dialog.getByLabel('Read date').inputValue()).toBe(seeded.later.readDate);
    await dialog.getByLabel('Read date').fill(seeded.later.saturday);
    await dialog.getByLabel('Reason').fill('Crew moved to the weekend');
    await dialog.getByTestId('save-schedule-entry').click();
    // The server's reason, beside the date and on top of the form.
    await expect.poll(() => dialog.getByLabel('Read date').getAttribute('aria-invalid')).toBe('true');
    expect(await dialog.getByTestId('form-error').textContent()).toContain(`${seeded.later.saturday} is a Saturday, not a business day`);
    expect(await dialog.locator('.field-message').first().textContent()).toContain('not a business day');
    await shot('bl-02-schedule-refused');
    await dialog.getByRole('button', { name: 'Cancel' }).click();
  });

  it('lets a supervisor load tariff files: a broken one is refused with the path of the bad field', async () => {
    await nav().getByRole('link', { name: 'Rates' }).click();
    const table = page.getByTestId('tariffs-table');
    await table.waitFor();
    expect(await table.textContent()).toContain('RES-E');
    expect(await table.textContent()).toContain('In force');

    const broken = example('RES-W');
    (broken.charges as { blocks: { price: string }[] }[])[1]!.blocks[0]!.price = 'cheap';
    await page.getByTestId('load-tariff').click();
    const dialog = page.getByTestId('load-tariff-dialog');
    await dialog.getByLabel('Tariff file').setInputFiles({ name: 'RES-W.json', mimeType: 'application/json', buffer: Buffer.from(JSON.stringify(broken)) });
    await dialog.getByLabel('Reason').fill('Water rates adopted');
    await dialog.getByTestId('save-load-tariff').click();
    await expect.poll(() => dialog.getByTestId('form-error').textContent()).toContain('/charges/1/blocks/0/price');
    expect(await dialog.getByLabel('Tariff file').getAttribute('aria-invalid')).toBe('true');
    await shot('bl-03-tariff-refused');

    await dialog.getByLabel('Tariff file').setInputFiles({ name: 'RES-W.json', mimeType: 'application/json', buffer: Buffer.from(JSON.stringify(example('RES-W'))) });
    await dialog.getByTestId('save-load-tariff').click();
    await expect.poll(() => page.getByTestId('tariff-loaded').textContent()).toContain('Loaded RES-W v1, effective 2024-01-01');
    await expect.poll(() => page.getByTestId('tariffs-table').textContent()).toContain('RES-W');

    await page.getByTestId('tariffs-table').getByRole('link', { name: 'RES-E' }).click();
    await page.getByTestId('tariff-page').waitFor();
    const charges = page.getByTestId('tariff-charges');
    for (const expected of ['BASIC', 'ENERGY', 'PCA', '$0.55 per day', 'First 600 kWh', 'Over 1,000 kWh', '$0.0934 per kWh']) expect(await charges.textContent()).toContain(expected);
    expect(await page.getByTestId('tariff-taxes').textContent()).toContain('3.873%');
    expect(await page.getByTestId('tariff-version').textContent()).toContain('Minimum bill$18.00 per month');
    expect(await page.getByTestId('tariff-json').isVisible()).toBe(false);
    await page.getByText('Tariff file as loaded (JSON)').click();
    expect(await page.getByTestId('tariff-json').textContent()).toContain('"code": "RES-E"');
    await shot('bl-04-tariff', true);
    await expectNoHorizontalScroll();
    await signOut();
  });

  it('runs billing for a cycle from the screen, with a progress bar to the end and tied control totals', async () => {
    await signIn('jordan.lee');
    await nav().getByRole('link', { name: 'Billing runs' }).click();
    const form = page.getByTestId('run-billing-form');
    await form.waitFor();
    expect(await form.getByLabel('Date').inputValue()).toBe(seeded.today);
    await form.getByLabel('Cycle').selectOption(String(seeded.cycle));
    await page.getByTestId('start-run').click();

    const bar = page.getByRole('progressbar');
    await bar.waitFor();
    await expect.poll(() => page.getByTestId('run-progress-status').textContent(), { timeout: 30_000 }).toBe('Completed');
    expect(await bar.getAttribute('aria-valuemax')).toBe('2');
    expect(await bar.getAttribute('aria-valuenow')).toBe('2');
    expect(await bar.getAttribute('aria-valuetext')).toContain('2 of 2 agreements (100%)');
    const tied = page.getByTestId('control-tied');
    await tied.waitFor();
    expect(await tied.textContent()).toContain('Tied');
    expect(await page.getByTestId('run-posted').textContent()).toMatch(/^1 · \$/);
    expect(await page.getByTestId('run-held').textContent()).toMatch(/^1 · \$/);
    expect(await page.getByTestId('run-summary').textContent()).toContain(seeded.readDate);
    // The runs list has it too.
    const runs = page.getByTestId('billing-runs-table');
    await expect.poll(() => runs.locator('tbody tr').count()).toBe(1);
    await expect.poll(() => runs.textContent()).toContain('Tied');
    await shot('bl-05-run-completed', true);
    await expectNoHorizontalScroll();

    // The run's own page: the register by service, class and line, and the control totals.
    await page.getByTestId('run-link').click();
    await page.getByTestId('billing-run-page').waitFor();
    const register = page.getByTestId('register-table');
    for (const expected of ['Electric', 'Residential', 'BASIC', 'ENERGY', 'PCA', 'PUT', 'PRIV']) expect(await register.textContent()).toContain(expected);
    const [posted] = (await billsOf(seeded.posted.accountId)).filter((b) => b.status === 'posted');
    expect(await page.getByTestId('register-total').textContent()).toBe(cents(posted!.totalCents));
    expect(await page.getByTestId('control-tied').textContent()).toContain('Tied');
    await shot('bl-06-run-register', true);
    await expectNoHorizontalScroll();
  });

  it('shows the posted bill and the balance on the account page, and the bill with its lines', async () => {
    const [bill] = await billsOf(seeded.posted.accountId);
    expect(bill!.status).toBe('posted');
    await page.goto(`${baseUrl}/accounts/${seeded.posted.accountId}`);
    const bills = page.getByTestId('account-bills-table');
    await bills.waitFor();
    const row = bills.locator('tbody tr').first();
    expect(await row.textContent()).toContain(`${bill!.periodFrom} to ${bill!.periodTo}`);
    expect(await row.getByTestId('bill-status').textContent()).toBe('Posted');
    expect(await row.textContent()).toContain(cents(bill!.totalCents));
    await expect.poll(() => page.getByTestId('balance-amount').textContent()).toBe(`${cents(bill!.totalCents)} due`);
    await shot('bl-07-account-bills');
    await expectNoHorizontalScroll();

    await page.getByTestId('ledger-link').click();
    const ledger = page.getByTestId('ledger-table');
    await ledger.waitFor();
    expect(await ledger.locator('tbody tr').count()).toBe(1);
    expect(await ledger.textContent()).toContain(`Bill ${bill!.id}`);
    expect(await page.getByTestId('tab-ledger').getAttribute('aria-current')).toBe('page');

    await ledger.getByRole('link', { name: `Bill ${bill!.id}` }).click();
    await page.getByTestId('bill-page').waitFor();
    expect(await page.getByTestId('bill-status').textContent()).toBe('Posted');
    expect(await page.getByTestId('bill-total').textContent()).toBe(cents(bill!.totalCents));
    const derivations = await page.getByTestId('line-derivation').allTextContents();
    expect(derivations.some((d) => /days x \$0\.55 per day/.test(d))).toBe(true);
    expect(await page.getByTestId('bill-pdf').getAttribute('href')).toBe(`/api/v1/bills/${bill!.id}/pdf`);
    expect(await page.getByTestId('bill-pdf').getAttribute('target')).toBe('_blank');
    // A CSR II may rebill a posted bill; only a supervisor cancels one.
    await page.getByTestId('bill-rebill').waitFor();
    expect(await page.getByTestId('bill-cancel').count()).toBe(0);
    await shot('bl-08-bill', true);
    await expectNoHorizontalScroll();

    // Rebill: the bill is cancelled (reversed on the ledger) and the period billed again.
    await page.getByTestId('bill-rebill').click();
    const dialog = page.getByTestId('bill-action-dialog');
    await dialog.getByLabel('Reason').fill('Customer disputed the read; read confirmed, period rebilled');
    await dialog.getByTestId('save-bill-rebill').click();
    await expect.poll(() => new URL(page.url()).pathname).not.toBe(`/bills/${bill!.id}`);
    await page.getByTestId('bill-facts').getByRole('link', { name: `Bill ${bill!.id}` }).waitFor();
    const [rebilled, cancelled] = await billsOf(seeded.posted.accountId);
    expect(cancelled).toMatchObject({ id: bill!.id, status: 'cancelled' });
    expect(new URL(page.url()).pathname).toBe(`/bills/${rebilled!.id}`);
    expect(await page.getByTestId('bill-status').textContent()).toBe(rebilled!.status === 'posted' ? 'Posted' : 'Held');
    await page.getByTestId('bill-account').click();
    await page.getByTestId('tab-ledger').click();
    await expect.poll(() => page.getByTestId('ledger-table').locator('tbody tr').count()).toBe(rebilled!.status === 'posted' ? 3 : 2);
    expect(await page.getByTestId('ledger-table').textContent()).toContain('Reverses #');
    expect(await page.getByTestId('reversed-by').count()).toBe(1);
  });

  it('approves the held bill from the billing-exceptions queue with a reason', async () => {
    await nav().getByRole('link', { name: 'Billing exceptions' }).click();
    const table = page.getByTestId('billing-exceptions-table');
    await table.waitFor();
    const row = table.locator('tbody tr').filter({ hasText: seeded.held.accountNumber });
    expect(await row.textContent()).toContain('Large amount');
    expect(await row.getByRole('link', { name: seeded.held.accountNumber }).getAttribute('href')).toBe(`/accounts/${seeded.held.accountId}`);
    await shot('bl-09-exceptions');
    await expectNoHorizontalScroll();

    // The code filter.
    await page.getByLabel('Held because').selectOption('zero_use');
    await page.getByRole('search', { name: 'Filter billing exceptions' }).getByRole('button', { name: 'Filter' }).click();
    await page.getByText('No held bills.').waitFor();
    await page.getByLabel('Held because').selectOption('large_amount');
    await page.getByRole('search', { name: 'Filter billing exceptions' }).getByRole('button', { name: 'Filter' }).click();
    await expect.poll(() => page.getByTestId('billing-exceptions-table').locator('tbody tr').count()).toBe(1);

    await page.getByRole('button', { name: new RegExp(`^Review held bill \\d+ of account ${seeded.held.accountNumber}$`) }).waitFor();
    // The whole row opens the bill.
    await page.getByTestId('billing-exceptions-table').locator('tbody tr').first().click();
    const dialog = page.getByTestId('bill-review-dialog');
    await dialog.getByTestId('review-bill-lines').waitFor();
    expect(await dialog.getByTestId('bill-review-reasons').textContent()).toContain('Large amount');
    expect(await dialog.getByTestId('review-bill-lines').textContent()).toContain('Energy');
    // A CSR II approves, recalculates and keeps holding; cancelling is a supervisor's.
    expect(await dialog.getByTestId('bill-cancel').count()).toBe(0);
    await shot('bl-10-review-bill');
    await dialog.getByTestId('bill-approve').click();
    const reason = dialog.getByLabel('Reason');
    expect(await reason.evaluate((el) => el === document.activeElement)).toBe(true);
    // The reason is required: the server says so beside it.
    await dialog.getByTestId('save-bill-approve').click();
    await expect.poll(() => reason.getAttribute('aria-invalid')).toBe('true');
    await reason.fill('Customer confirmed: the shop heaters ran all month');
    await shot('bl-11-approve-bill');
    await dialog.getByTestId('save-bill-approve').click();
    await expect.poll(() => page.getByTestId('bill-exception-done').textContent()).toMatch(/^Bill \d+ approved and posted: \$/);
    await page.getByText('No held bills.').waitFor();
    const [approved] = await billsOf(seeded.held.accountId);
    expect(approved!.status).toBe('posted');
    await signOut();
  });

  it('lets a CSR I adjust a balance within the approval limit, and says the limit above it', async () => {
    const before = await call<{ items: unknown[]; balanceCents: number }>(await login('casey.morgan'), 'GET', `/accounts/${seeded.posted.accountId}/ledger`);
    await page.goto(`${baseUrl}/accounts/${seeded.posted.accountId}`);
    await signIn('alex.field');
    await page.getByTestId('balance-amount').waitFor();
    await page.getByTestId('adjust-balance').click();
    const dialog = page.getByTestId('adjust-dialog');
    await expect.poll(() => dialog.getByLabel('Reason code').locator('option').count()).toBeGreaterThan(1);
    expect(await dialog.locator('.field-hint').first().textContent()).toContain('Up to $25.00 for CSR I');
    await dialog.getByLabel('Amount ($)').fill('50');
    await dialog.getByLabel('Reason code').selectOption('GOODWILL');
    await dialog.getByLabel('Service').selectOption('electric');
    await dialog.getByLabel('Explanation').fill('Outage on the 3rd; goodwill credit');
    await dialog.getByTestId('save-adjustment').click();
    await expect.poll(() => dialog.getByTestId('form-error').textContent()).toContain('above the CSR I approval limit of $25.00');
    expect(await dialog.getByLabel('Amount ($)').getAttribute('aria-invalid')).toBe('true');
    await shot('bl-12-adjust-above-limit');

    // Dollars and cents typed are sent as whole cents.
    await dialog.getByLabel('Amount ($)').fill('$10.5');
    await dialog.getByTestId('save-adjustment').click();
    await expect.poll(() => page.getByTestId('adjust-done').textContent()).toContain('Credited $10.50 (GOODWILL)');
    await expect.poll(() => page.getByTestId('balance-amount').textContent()).toBe(`${cents(before.balanceCents - 1050)} due`);
    const ledger = await call<{ items: { kind: string; amountCents: number; service: string | null }[] }>(await login('casey.morgan'), 'GET', `/accounts/${seeded.posted.accountId}/ledger`);
    expect(ledger.items.at(-1)).toMatchObject({ kind: 'adjustment', amountCents: -1050, service: 'electric' });
    await page.getByTestId('tab-ledger').click();
    await expect.poll(() => page.getByTestId('ledger-table').locator('tbody tr').count()).toBe(before.items.length + 1);
    expect(await page.getByTestId('ledger-table').textContent()).toContain('GOODWILL');
    // A CSR I reverses nothing.
    expect(await page.getByTestId('reverse-entry').count()).toBe(0);
    await shot('bl-13-ledger');
    await expectNoHorizontalScroll();
  });

  it('quotes a month of use with a loaded tariff, line by line', async () => {
    await nav().getByRole('link', { name: 'Quote' }).click();
    const form = page.getByTestId('quote-form');
    await expect.poll(() => form.getByLabel('Rate code').locator('option').count()).toBe(3);
    await form.getByLabel('Rate code').selectOption('RES-E');
    await form.getByLabel('From', { exact: true }).fill('2026-01-01');
    await form.getByLabel('To', { exact: true }).fill('2026-01-30');
    await form.getByLabel('Use', { exact: true }).fill('800');
    await page.getByTestId('get-quote').click();
    const result = page.getByTestId('quote-result');
    await result.waitFor();
    const expected = await call<{ totalCents: number; lines: unknown[] }>(await login('casey.morgan'), 'POST', '/quotes', { code: 'RES-E', from: '2026-01-01', to: '2026-01-30', usage: '800' });
    expect(await page.getByTestId('quote-total').textContent()).toBe(cents(expected.totalCents));
    expect(await result.getByTestId('bill-line').count()).toBe(expected.lines.length);
    expect(await result.textContent()).toContain('30 days x $0.55 per day = $16.50');
    await shot('bl-14-quote', true);
    await expectNoHorizontalScroll();

    // A TOU bucket that is not name=kWh is said beside the field, before asking the server.
    await form.getByLabel('Time-of-use kWh').fill('on_peak 300');
    await page.getByTestId('get-quote').click();
    await expect.poll(() => form.getByLabel('Time-of-use kWh').getAttribute('aria-invalid')).toBe('true');
  });

  it('lets a supervisor add and end a tax exemption on the account page; a CSR I only sees them', async () => {
    const from = addDays(seeded.today, -30);
    const lastDay = addDays(seeded.today, -1);
    await page.context().clearCookies();
    await page.goto(`${baseUrl}/accounts/${seeded.posted.accountId}`);
    await signIn('pat.supervisor');
    const card = page.getByTestId('tax-exemptions-card');
    await card.getByText('No tax exemptions').waitFor();

    await card.getByTestId('add-exemption').click();
    const dialog = page.getByTestId('add-exemption-dialog');
    expect(await dialog.getByLabel('From').inputValue()).toBe(seeded.today);
    // The loaded rates' tax codes are offered.
    await expect.poll(() => dialog.locator('datalist option').evaluateAll((os) => os.map((o) => (o as HTMLOptionElement).value))).toEqual(['PRIV', 'PUT']);
    // Not a tax code: the server's 400, beside the field and on top of the form.
    await dialog.getByLabel('Tax code').fill('PRIV TAX');
    await dialog.getByLabel('Certificate').fill('WA-EX-2231');
    await dialog.getByLabel('From').fill(from);
    await dialog.getByLabel('Reason').fill('Nonprofit housing; certificate on file');
    await dialog.getByTestId('save-exemption').click();
    await expect.poll(() => dialog.getByLabel('Tax code').getAttribute('aria-invalid')).toBe('true');
    expect(await dialog.getByTestId('form-error').textContent()).toContain('body.taxCode');
    await dialog.getByLabel('Tax code').fill('PRIV');
    await shot('bl-15-add-exemption');
    await dialog.getByTestId('save-exemption').click();
    await expect.poll(() => card.getByTestId('exemption-done').textContent()).toBe(`PRIV exemption added, from ${from}.`);
    const table = card.getByTestId('tax-exemptions-table');
    await expect.poll(() => table.locator('tbody tr').count()).toBe(1);
    const row = table.locator('tbody tr').first();
    expect(await row.getByTestId('exemption-tax').textContent()).toBe('PRIV');
    expect(await row.textContent()).toContain('WA-EX-2231');
    expect(await row.getByTestId('exemption-period').textContent()).toBe(`${from} to open`);
    expect(await row.getByTestId('exemption-state').textContent()).toBe('In force');
    expect(await row.textContent()).toContain('Nonprofit housing; certificate on file');
    await expectNoHorizontalScroll();

    // End it yesterday: a date and a reason.
    await row.getByRole('button', { name: `End the PRIV exemption from ${from}` }).click();
    const end = page.getByTestId('end-exemption-dialog');
    expect(await end.getByLabel('Last day').inputValue()).toBe(seeded.today);
    await end.getByLabel('Last day').fill(lastDay);
    await end.getByLabel('Reason').fill('Certificate expired');
    await end.getByTestId('save-end-exemption').click();
    await expect.poll(() => card.getByTestId('exemption-done').textContent()).toBe(`PRIV exemption ends on ${lastDay}.`);
    await expect.poll(() => row.getByTestId('exemption-period').textContent()).toBe(`${from} to ${lastDay}`);
    expect(await row.getByTestId('exemption-state').textContent()).toBe('Ended');
    expect(await row.getByTestId('end-exemption').count()).toBe(0);
    await shot('bl-16-tax-exemptions', true);
    const [stored] = (await call<{ items: { taxCode: string; certificate: string; startsOn: string; endsOn: string }[] }>(await login('casey.morgan'), 'GET', `/accounts/${seeded.posted.accountId}/tax-exemptions`)).items;
    expect(stored).toMatchObject({ taxCode: 'PRIV', certificate: 'WA-EX-2231', startsOn: from, endsOn: lastDay });
    await signOut();

    // A CSR I sees the exemptions and may change none.
    await signIn('alex.field');
    await expect.poll(() => page.getByTestId('tax-exemptions-table').locator('tbody tr').count()).toBe(1);
    expect(await page.getByTestId('add-exemption').count()).toBe(0);
    expect(await page.getByTestId('end-exemption').count()).toBe(0);
  });
});
