import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { localDate } from '../../src/platform/clock.ts';
import { addDays, addMonths } from '../../src/platform/dates.ts';
import { formatCents } from '../../src/platform/money.ts';
import { addStaff, baseUrl, call, expectNoHorizontalScroll, login, nav, page, shot, signIn, signOut, startStaffApp } from '../support/browser.ts';
import { repoRoot } from '../support/cli.ts';
import type { TestRuntime } from '../support/runtime.ts';

/**
 * Budget billing in the staff web app, end to end: a real server (in-process, random port) with a
 * household on electric service (RES-E) billed once last month and paid, made through its HTTP
 * API, driven in Debian's Chromium at 1366x768. New plans are allowed only in other months than
 * this one, so the quote first says the account cannot enrol; a CSR II ticks "eligible for
 * energy assistance" (exempt from that rule), picks the settle-up month, enrols with a reason and
 * sees the plan, its enrolment event and the letter (a PDF); the Budget plans page lists the
 * account; a supervisor runs today's review (nothing due yet); the CSR II re-levels and then ends
 * the plan. Screenshots go to test-output/screenshots/ (bb-*.png).
 */

startStaffApp({ seed });

const monthNames = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];

/** What the seeding made, for the tests. */
const seeded = {
  today: '',
  /** This month (1-12): plans may not start in it, except for energy-assistance customers. */
  month: 0,
  account: { id: 0, number: '', name: 'Lena Marsh' },
  billCents: 0,
};

interface ScheduleItem { cycle: number; readDate: string; billDate: string }
interface Quote { eligible: boolean; failure: { rule: string; message: string } | null; annualCents: number; monthlyCents: number; settleMonth: number; estimatedMonths: number; agreements: { rateCode: string; annualCents: number }[] }

const example = (code: string) => JSON.parse(fs.readFileSync(path.join(repoRoot, 'src/tariff/examples', `${code}.json`), 'utf8')) as Record<string, unknown>;

/**
 * RES-E, last year's and this year's schedule, and a household on cycle 1 with electric service
 * from 32 days before the latest cycle-1 read date of an earlier month: read, billed by a run and
 * paid in full, so it owes nothing past due and the quote has a month of its own use. Budget
 * settings allow new plans in every month but this one.
 */
async function seed(rt: TestRuntime): Promise<void> {
  const admin = await addStaff(rt);
  const supervisor = await login('pat.supervisor');
  const csr2 = await login('jordan.lee');
  await call(supervisor, 'POST', '/tariffs', { tariff: example('RES-E'), reason: 'Schedule 1 adopted' });
  const today = localDate(new Date(), rt.config.timeZone);
  const year = Number(today.slice(0, 4));
  for (const y of [year - 1, year]) await call(supervisor, 'POST', '/billing/schedule/generate', { year: y, reason: 'Yearly schedule' });
  const entries = [
    ...(await call<{ items: ScheduleItem[] }>(supervisor, 'GET', `/billing/schedule?year=${year - 1}`)).items,
    ...(await call<{ items: ScheduleItem[] }>(supervisor, 'GET', `/billing/schedule?year=${year}`)).items,
  ];
  // A month the quote's year holds (the twelve before this one), billed by now.
  const firstOfMonth = `${today.slice(0, 7)}-01`;
  const due = entries.filter((e) => e.cycle === 1 && e.readDate < firstOfMonth && e.billDate <= today).sort((a, b) => b.readDate.localeCompare(a.readDate))[0]!;

  const start = addDays(due.readDate, -32);
  const address = { line1: '2215 Canal Way', city: 'Wenatchee', state: 'WA', postalCode: '98801' };
  const customer = await call<{ id: number; displayName: string }>(admin, 'POST', '/customers', { kind: 'person', firstName: 'Lena', lastName: 'Marsh' });
  const account = await call<{ id: number; accountNumber: string }>(admin, 'POST', '/accounts', { customerId: customer.id, customerClass: 'residential', billingCycle: 1, billingAddress: address, openedOn: start });
  const premise = await call<{ id: number }>(admin, 'POST', '/premises', { address, premiseType: 'single_family', area: 'Wenatchee' });
  const point = await call<{ id: number }>(admin, 'POST', `/premises/${premise.id}/service-points`, { service: 'electric', status: 'inactive', route: 'R-30' });
  const meter = await call<{ id: number }>(admin, 'POST', '/meters', { serial: 'E7710-01', kind: 'electric', dials: 6, multiplier: '1', manufacturer: 'Itron' });
  await call(admin, 'POST', `/meters/${meter.id}/install`, { servicePointId: point.id, installedOn: start, reason: 'New service' });
  await call(admin, 'POST', `/meters/${meter.id}/reads`, { readDate: start, reading: '010000', purpose: 'install' });
  const moveIn = await call<{ id: number }>(admin, 'POST', '/service-orders', { type: 'move_in', servicePointId: point.id, accountId: account.id, effectiveDate: start, request: { rateCode: 'RES-E' }, reason: 'New customer' });
  const done = await call<{ held: boolean }>(admin, 'POST', `/service-orders/${moveIn.id}/complete`, { fieldData: { read: { reading: '010000' } } });
  expect(done.held).toBe(false);
  await call(admin, 'POST', `/meters/${meter.id}/reads`, { readDate: due.readDate, reading: '010800' });
  await call(csr2, 'POST', '/billing/runs', { cycle: 1, date: due.readDate });
  const [bill] = (await call<{ items: { id: number; status: string; totalCents: number }[] }>(admin, 'GET', `/accounts/${account.id}/bills`)).items;
  expect(bill).toBeDefined();
  if (bill!.status === 'held') await call(supervisor, 'POST', `/bills/${bill!.id}/approve`, { reason: 'Use confirmed with the customer' });
  const { balanceCents } = await call<{ balanceCents: number }>(admin, 'GET', `/accounts/${account.id}/ledger?limit=1`);
  expect(balanceCents).toBeGreaterThan(0);
  await call(csr2, 'POST', '/payments', { accountId: account.id, amountCents: balanceCents, method: 'cash' });

  const month = Number(today.slice(5, 7));
  await call(admin, 'PATCH', '/budget/settings', { enrolMonths: [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12].filter((m) => m !== month), reason: 'New plans start outside the heating-season rush' });
  Object.assign(seeded, { today, month, account: { id: account.id, number: account.accountNumber, name: customer.displayName }, billCents: bill!.totalCents });
}

const quoteOf = async (query: string) => call<Quote>(await login('casey.morgan'), 'GET', `/accounts/${seeded.account.id}/budget/quote?${query}`);

describe('budget billing in the staff web app', () => {
  it('quotes budget billing on the account page: refused by the enrolment-month rule, eligible for an energy-assistance customer', async () => {
    await page.goto(`${baseUrl}/accounts/${seeded.account.id}`);
    await signIn('jordan.lee');
    await nav().getByRole('link', { name: 'Budget plans' }).waitFor();
    const card = page.getByTestId('budget-card');
    await card.getByTestId('budget-none').waitFor();
    await card.getByTestId('quote-budget').click();

    // This month is not an enrolment month: the rule's message, and no Enrol button.
    const quote = card.getByTestId('budget-quote');
    const refused = quote.getByTestId('budget-ineligible');
    await refused.waitFor();
    expect(await refused.getAttribute('data-rule')).toBe('enrolment_month');
    expect(await refused.textContent()).toContain('New plans start in months');
    expect(await quote.getByTestId('enrol-budget').count()).toBe(0);
    // The default settle-up: the plan's twelfth month, the month before this one.
    const plain = await quoteOf('');
    expect(await quote.getByTestId('budget-quote-settle-month').textContent()).toBe(monthNames[plain.settleMonth - 1]);
    expect(plain.settleMonth).toBe(((seeded.month + 10) % 12) + 1);
    await card.scrollIntoViewIfNeeded();
    await shot('bb-01-quote-refused');

    // Eligible for energy assistance: exempt from the month rule.
    await quote.getByLabel('Eligible for low-income energy assistance').check();
    await quote.getByTestId('enrol-budget').waitFor();
    expect(await quote.getByTestId('budget-ineligible').count()).toBe(0);
    // The settle-up moved to this month's bill.
    await quote.getByLabel('Settle-up month').selectOption(String(seeded.month));
    await expect.poll(() => quote.getByTestId('budget-quote-settle-month').textContent()).toBe(monthNames[seeded.month - 1]);
    const expected = await quoteOf(`assistanceEligible=true&settleMonth=${seeded.month}`);
    expect(expected).toMatchObject({ eligible: true, failure: null, settleMonth: seeded.month });
    expect(await quote.getByTestId('budget-quote-monthly').textContent()).toBe(formatCents(expected.monthlyCents));
    expect(await quote.getByTestId('budget-quote-annual').textContent()).toBe(formatCents(expected.annualCents));
    // One month billed, eleven estimated from its own average.
    expect(await quote.getByTestId('budget-quote-estimated').textContent()).toBe(`${expected.estimatedMonths} of 12`);
    expect(expected.estimatedMonths).toBe(11);
    const services = quote.getByTestId('budget-quote-services').locator('tbody tr');
    expect(await services.count()).toBe(1);
    expect(await services.first().textContent()).toContain('RES-E');
    expect(await quote.getByTestId('enrol-budget').textContent()).toBe(`Enrol at ${formatCents(expected.monthlyCents)} a month`);
    await shot('bb-02-quote-eligible', true);
    await expectNoHorizontalScroll();
  });

  it('enrols the account with a reason and shows the plan, its event and the enrolment letter', async () => {
    const expected = await quoteOf(`assistanceEligible=true&settleMonth=${seeded.month}`);
    const card = page.getByTestId('budget-card');
    await card.getByTestId('enrol-budget').click();
    const dialog = page.getByTestId('enrol-budget-dialog');
    // A reason is required: too short, the server says so beside it.
    await dialog.getByLabel('Reason').fill('ok');
    await dialog.getByTestId('save-enrol-budget').click();
    await expect.poll(() => dialog.getByLabel('Reason').getAttribute('aria-invalid')).toBe('true');
    await dialog.getByLabel('Reason').fill('Customer asked for level payments; energy assistance letter on file');
    await dialog.getByTestId('save-enrol-budget').click();

    await expect.poll(() => card.getByTestId('budget-done').textContent()).toContain(`Enrolled in budget billing at ${formatCents(expected.monthlyCents)} a month; the settle-up is with the ${monthNames[seeded.month - 1]} bill.`);
    expect(await card.getByTestId('budget-monthly').textContent()).toBe(formatCents(expected.monthlyCents));
    // The bill before the plan is due as billed (and paid): nothing deferred yet.
    expect(await card.getByTestId('budget-deferred').textContent()).toBe('Even');
    expect(await card.getByTestId('budget-settle-month').textContent()).toBe(monthNames[seeded.month - 1]);
    expect(await card.getByTestId('budget-next-review').textContent()).toBe(addMonths(seeded.today, 3));
    expect(await card.getByTestId('budget-assistance').textContent()).toBe('Eligible for low-income energy assistance');
    // The budget-billing alert is on the account.
    await expect.poll(() => page.getByTestId('active-alerts').textContent()).toContain('Budget billing');

    const events = card.getByTestId('budget-events-table').locator('tbody tr');
    expect(await events.count()).toBe(1);
    expect(await events.first().getByTestId('budget-event-kind').textContent()).toBe('Enrolled');
    expect(await events.first().textContent()).toContain('Customer asked for level payments');
    const letter = events.first().getByTestId('budget-letter');
    const href = await letter.getAttribute('href');
    expect(href).toMatch(/^\/api\/v1\/budget\/events\/\d+\/letter\.pdf$/);
    expect(await letter.getAttribute('target')).toBe('_blank');
    expect(await card.getByTestId('budget-done').getByTestId('budget-letter').getAttribute('href')).toBe(href);
    const pdf = await fetch(`${baseUrl}${href}`, { headers: { cookie: (await login('jordan.lee')).cookie } });
    expect(pdf.status).toBe(200);
    expect(pdf.headers.get('content-type')).toBe('application/pdf');
    expect(Buffer.from(await pdf.arrayBuffer()).subarray(0, 5).toString('latin1')).toBe('%PDF-');
    await shot('bb-03-enrolled', true);
    await expectNoHorizontalScroll();
  });

  it('lists the plan on the Budget plans page, by status, linking to the account', async () => {
    await nav().getByRole('link', { name: 'Budget plans' }).click();
    const table = page.getByTestId('budget-plans-table');
    await table.waitFor();
    expect(await nav().getByRole('link', { name: 'Budget plans' }).getAttribute('aria-current')).toBe('page');
    const row = table.locator('tbody tr').filter({ has: page.getByRole('link', { name: seeded.account.number }) });
    expect(await row.count()).toBe(1);
    expect(await row.textContent()).toContain(seeded.account.name);
    expect(await row.textContent()).toContain('Active');
    // A CSR II does not run the daily review.
    expect(await page.getByTestId('run-budget-review').count()).toBe(0);
    await shot('bb-04-plans');
    await expectNoHorizontalScroll();

    await page.getByLabel('Status').selectOption('ended');
    await page.getByRole('search', { name: 'Filter budget plans' }).getByRole('button', { name: 'Filter' }).click();
    await page.getByText('No ended budget plans.').waitFor();
    expect(new URL(page.url()).searchParams.get('status')).toBe('ended');
    await page.getByLabel('Status').selectOption('active');
    await page.getByRole('search', { name: 'Filter budget plans' }).getByRole('button', { name: 'Filter' }).click();
    await table.getByTestId('budget-plan-account').first().waitFor();
    await table.getByRole('link', { name: seeded.account.number }).click();
    await page.getByTestId('account-page').waitFor();
    expect(new URL(page.url()).pathname).toBe(`/accounts/${seeded.account.id}`);
    await page.getByTestId('budget-monthly').waitFor();
  });

  it("lets a supervisor run today's review: nothing is due yet", async () => {
    await signOut();
    await page.goto(`${baseUrl}/budget/plans`);
    await signIn('pat.supervisor');
    await page.getByTestId('run-budget-review').click();
    const result = page.getByTestId('budget-review-result');
    await result.waitFor();
    expect(await result.getByTestId('budget-review-done').textContent()).toContain(`Review of ${seeded.today}: 0 plans reviewed`);
    expect(await result.getByTestId('review-reviewed').textContent()).toBe('0');
    expect(await result.getByTestId('review-relevelled').textContent()).toBe('0');
    expect(await result.getByTestId('review-ended').textContent()).toBe('0');
    await shot('bb-05-review');
    await signOut();
  });

  it('re-levels and then ends the plan with reasons; the ended plan is listed briefly', async () => {
    await page.goto(`${baseUrl}/accounts/${seeded.account.id}`);
    await signIn('jordan.lee');
    const card = page.getByTestId('budget-card');
    await card.getByTestId('relevel-budget').click();
    const relevel = page.getByTestId('relevel-budget-dialog');
    await relevel.getByLabel('Reason').fill('Customer asked for the amount to be checked');
    await relevel.getByTestId('save-relevel-budget').click();
    await expect.poll(() => card.getByTestId('budget-done').textContent()).toContain('Re-levelled');
    const events = card.getByTestId('budget-events-table').locator('tbody tr');
    await expect.poll(() => events.count()).toBe(2);
    // Newest first.
    expect(await events.first().getByTestId('budget-event-kind').textContent()).toBe('New amount');

    await card.getByTestId('end-budget').click();
    const end = page.getByTestId('end-budget-dialog');
    await end.getByLabel('Reason').fill('Customer asked to stop budget billing');
    await end.getByTestId('save-end-budget').click();
    await expect.poll(() => card.getByTestId('budget-done').textContent()).toContain('Budget billing ended.');
    const endLetter = await card.getByTestId('budget-done').getByTestId('budget-letter').getAttribute('href');
    expect(endLetter).toMatch(/^\/api\/v1\/budget\/events\/\d+\/letter\.pdf$/);
    await card.getByTestId('budget-none').waitFor();
    const history = card.getByTestId('budget-history');
    expect(await history.locator('summary').textContent()).toBe('1 ended plan');
    await history.locator('summary').click();
    expect(await history.textContent()).toContain("ended at the customer's request");
    await expect.poll(async () => (await page.getByTestId('active-alerts').count()) === 0 || !(await page.getByTestId('active-alerts').textContent())!.includes('Budget billing')).toBe(true);
    await shot('bb-06-ended', true);
  });
});
