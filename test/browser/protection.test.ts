import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { localDate } from '../../src/platform/clock.ts';
import { addDays, addMonths } from '../../src/platform/dates.ts';
import { addStaff, baseUrl, call, expectNoHorizontalScroll, login, nav, page, shot, signIn, signOut, startStaffApp } from '../support/browser.ts';
import { repoRoot } from '../support/cli.ts';
import type { TestRuntime } from '../support/runtime.ts';

/**
 * Customer protections in the staff web app, end to end: a real server with two Wenatchee
 * households on electric service (one heated by it) that owe from the old system, made through
 * the HTTP API, driven in Debian's Chromium at 1366x768. A CSR I records medical certificates on
 * the account page (the third in 120 days is refused with the limit named), works out a winter
 * protection plan (shown before it is saved) and records it, and opens a dispute; a CSR II
 * resolves the dispute, makes a payment arrangement for the other household on the Arrangements
 * page with its schedule shown first, runs today's review, and enters a heat alert for the area
 * that then shows on the account. Screenshots go to test-output/screenshots/ (pr-*.png).
 */

startStaffApp({ seed });

const seeded = { today: '', warm: { id: 0, number: '' }, range: { id: 0, number: '' } };

async function seed(rt: TestRuntime): Promise<void> {
  const admin = await addStaff(rt);
  const supervisor = await login('pat.supervisor');
  const tariff = JSON.parse(fs.readFileSync(path.join(repoRoot, 'src/tariff/examples/RES-E.json'), 'utf8'));
  await call(supervisor, 'POST', '/tariffs', { tariff, reason: 'Rates adopted' });
  const made = [];
  for (const [firstName, lastName, line1, heated, owes] of [['Rosa', 'Warm', '41 Cinder Lane', true, 60000], ['Milo', 'Range', '43 Cinder Lane', false, 36000]] as const) {
    const customer = await call<{ id: number }>(admin, 'POST', '/customers', { kind: 'person', firstName, lastName });
    const address = { line1, city: 'Wenatchee', state: 'WA', postalCode: '98801' };
    const account = await call<{ id: number; accountNumber: string }>(admin, 'POST', '/accounts', { customerId: customer.id, customerClass: 'residential', billingCycle: 2, billingAddress: address });
    const premise = await call<{ id: number }>(admin, 'POST', '/premises', { address, premiseType: 'single_family', area: 'WEN', spaceHeating: heated });
    const point = await call<{ id: number }>(admin, 'POST', `/premises/${premise.id}/service-points`, { service: 'electric', status: 'active', route: 'R07' });
    await call(admin, 'POST', '/service-agreements', { accountId: account.id, servicePointId: point.id, rateCode: 'RES-E', startDate: '2025-01-01', reason: 'Service started' });
    await call(supervisor, 'POST', `/accounts/${account.id}/adjustments`, { amountCents: owes, reasonCode: 'OTHER', reason: 'Winter balance brought over' });
    made.push({ id: account.id, number: account.accountNumber });
  }
  Object.assign(seeded, { today: localDate(new Date(), rt.config.timeZone), warm: made[0], range: made[1] });
}

describe('customer protections in the staff web app', () => {
  it('records medical certificates on the account page; the third in 120 days is refused with the limit named', async () => {
    await page.goto(`${baseUrl}/accounts/${seeded.warm.id}`);
    await signIn('alex.field');
    const card = page.getByTestId('protections-card');
    await card.getByTestId('protections-none').waitFor();

    await card.getByTestId('record-certificate').click();
    const dialog = page.getByTestId('certificate-dialog');
    await dialog.getByLabel('Certifying professional').fill('Dr. Ames, Wenatchee Valley Clinic');
    await dialog.getByLabel('Received on').fill(addDays(seeded.today, -100));
    await dialog.getByLabel('Reason').fill('Certificate faxed by the clinic');
    await dialog.getByTestId('save-certificate').click();
    // Nothing was owed 100 days ago: nothing to pay, and its 60 days are over.
    await expect.poll(() => card.getByTestId('protection-done').textContent()).toContain(`holds disconnection to ${addDays(seeded.today, -40)} once $0.00 is paid (paid)`);

    // A second one today: 10% of the $600.00 past due, not yet paid, so only the 5-business-day hold.
    await card.getByTestId('record-certificate').click();
    await dialog.getByLabel('Certifying professional').fill('Dr. Ames, Wenatchee Valley Clinic');
    await dialog.getByLabel('Reason').fill('Renewed certificate');
    await dialog.getByTestId('save-certificate').click();
    await expect.poll(() => card.getByTestId('protection-done').textContent()).toContain(`to ${addDays(seeded.today, 60)} once $60.00 is paid; until then to`);
    const rows = card.getByTestId('protections-table').locator('tbody tr');
    await expect.poll(() => rows.count()).toBe(1);
    expect(await rows.first().getByTestId('protection-kind').textContent()).toBe('Medical certificate');
    expect(await rows.first().getByTestId('protection-detail').textContent()).toMatch(/holds only to \d{4}-\d\d-\d\d \(the 5-business-day notice hold\) until \$60\.00 \(10% of the delinquent balance\) is paid/);
    expect(await rows.first().getByTestId('protection-holds').textContent()).toBe('No disconnection');
    await card.scrollIntoViewIfNeeded();
    await shot('pr-01-certificate-recorded');

    await card.getByTestId('record-certificate').click();
    await dialog.getByLabel('Certifying professional').fill('Dr. Brook');
    await dialog.getByLabel('Reason').fill('A third certificate');
    await dialog.getByTestId('save-certificate').click();
    await expect.poll(() => dialog.getByTestId('form-error').textContent()).toMatch(new RegExp(`Medical certificate refused for account ${seeded.warm.number}: At most 2 medical certificates in 120 days: this account had 2 \\(${addDays(seeded.today, -100)}, ${seeded.today}\\)`));
    await shot('pr-02-third-certificate-refused');
    await page.keyboard.press('Escape');
    await expect.poll(() => dialog.isVisible()).toBe(false);
  });

  it('works out a winter protection plan before saving it, then records it; and opens a dispute', async () => {
    const card = page.getByTestId('protections-card');
    await card.getByTestId('record-winter').click();
    const dialog = page.getByTestId('winter-dialog');
    await dialog.getByLabel('Delinquency notice of').fill(addDays(seeded.today, -1));
    await dialog.getByLabel('Household monthly income ($)').fill('2000.00');
    await dialog.getByLabel('Income documented to (grantee)').fill('Chelan-Douglas Community Action Council');
    await dialog.getByLabel('Applied for energy assistance').check();
    await dialog.getByLabel('Estimated monthly bill ($)').fill('150.00');
    // Nothing is saved before the plan is shown.
    expect(await dialog.getByTestId('save-winter').isDisabled()).toBe(true);
    await dialog.getByTestId('quote-winter').click();
    const quote = dialog.getByTestId('winter-quote');
    await quote.waitFor();
    // 7% of $2,000.00 plus 1/12 of $600.00: $190.00, below the $150.00 bill plus the arrears over the months to October 15.
    expect(await quote.getByTestId('winter-cap').textContent()).toBe('$190.00');
    expect(await quote.getByTestId('winter-payment').textContent()).toBe('$190.00');
    expect(await quote.getByTestId('winter-problems').textContent()).toContain('applied for low-income weatherization assistance');
    expect(await dialog.getByTestId('save-winter').isDisabled()).toBe(true);
    await dialog.getByLabel('Applied for weatherization').check();
    await dialog.getByTestId('quote-winter').click();
    await dialog.getByTestId('winter-ok').waitFor();
    const instalments = dialog.getByTestId('winter-instalments').locator('tbody tr');
    expect(await instalments.count()).toBeGreaterThan(0);
    expect(await instalments.first().getByTestId('instalment-amount').textContent()).toBe('$40.00');
    await dialog.getByTestId('winter-ok').scrollIntoViewIfNeeded();
    await shot('pr-03-winter-plan-shown');
    await dialog.getByLabel('Reason').fill('Customer asked for winter protection at the counter');
    await dialog.getByTestId('save-winter').click();
    await expect.poll(() => card.getByTestId('protection-done').textContent()).toMatch(/Winter protection recorded: plan \d+, \$190\.00 a month, paid in full by \d{4}-10-15/);
    const kinds = () => card.getByTestId('protections-table').getByTestId('protection-kind').allTextContents();
    const inSeason = seeded.today.slice(5) >= '11-15' || seeded.today.slice(5) <= '03-15';
    await expect.poll(kinds).toEqual(['Payment arrangement', ...(inSeason ? ['Winter protection'] : []), 'Medical certificate']);
    await expect.poll(() => page.getByTestId('active-alerts').textContent()).toContain('Payment arrangement');

    await card.getByTestId('open-dispute').click();
    const dispute = page.getByTestId('dispute-dialog');
    await dispute.getByLabel('Amount in dispute ($)').fill('45.00');
    await dispute.getByLabel('What it is about').fill('Estimated September bill');
    await dispute.getByLabel('Reason').fill('Customer disputes the estimate');
    await dispute.getByTestId('save-dispute').click();
    await expect.poll(kinds).toContain('Dispute');
    expect(await card.getByTestId('protections-table').locator('tbody tr').filter({ hasText: 'Dispute' }).getByTestId('protection-holds').textContent()).toBe('$45.00 not collected');
    // A CSR I opens disputes; resolving them is a CSR II's.
    expect(await card.getByTestId('resolve-dispute').count()).toBe(0);
    await card.scrollIntoViewIfNeeded();
    await shot('pr-04-protections-in-force');
    await expectNoHorizontalScroll();
    await signOut();
  });

  it('lets a CSR II resolve the dispute, make an arrangement with its schedule shown first, and run the review', async () => {
    await signIn('jordan.lee');
    await page.goto(`${baseUrl}/accounts/${seeded.warm.id}`);
    const card = page.getByTestId('protections-card');
    await card.getByTestId('resolve-dispute').click();
    const resolve = page.getByTestId('resolve-dispute-dialog');
    await resolve.getByLabel('Outcome').fill('Actual read taken: the bill stands');
    await resolve.getByLabel('Reason').fill('Read checked in the field');
    await resolve.getByTestId('save-resolve-dispute').click();
    await expect.poll(() => card.getByTestId('protection-done').textContent()).toBe('Dispute 1 resolved: Actual read taken: the bill stands');
    await expect.poll(() => card.getByTestId('disputes-table').count()).toBe(0);

    await nav().getByRole('link', { name: 'Arrangements' }).click();
    const make = page.getByTestId('make-arrangement');
    await make.waitFor();
    expect(await nav().getByRole('link', { name: 'Arrangements' }).getAttribute('aria-current')).toBe('page');
    await make.getByLabel('Account number').fill(seeded.range.number);
    await make.getByTestId('account-found').waitFor();
    await make.getByLabel('Monthly instalments').fill('3');
    await make.getByTestId('quote-arrangement').click();
    const quote = make.getByTestId('arrangement-quote');
    await quote.waitFor();
    expect(await quote.getByTestId('quote-arrears').textContent()).toBe('$360.00');
    expect(await quote.getByTestId('quote-instalments').getByTestId('instalment-amount').allTextContents()).toEqual(['$120.00', '$120.00', '$120.00']);
    expect(await quote.getByTestId('quote-instalments').getByTestId('instalment-due').allTextContents()).toEqual([0, 1, 2].map((n) => addMonths(addMonths(seeded.today, 1), n)));
    await shot('pr-05-arrangement-schedule', true);
    await make.getByLabel('Reason').fill('Customer agreed three months by phone');
    await make.getByTestId('save-arrangement').click();
    await expect.poll(() => page.getByTestId('arrangement-done').textContent()).toMatch(/Arrangement \d+ made: \$360\.00 in 3 instalments/);
    const rows = page.getByTestId('arrangements-table').locator('tbody tr');
    await expect.poll(() => rows.count()).toBe(2);
    const range = rows.filter({ hasText: seeded.range.number });
    expect(await range.getByTestId('arrangement-status').textContent()).toBe('Active');
    expect(await range.getByTestId('arrangement-standing').textContent()).toBe('In good standing');

    await page.getByTestId('run-arrangement-review').click();
    await expect.poll(() => page.getByTestId('arrangement-review-done').textContent()).toBe(`Review of ${seeded.today}: nothing to do.`);
    await shot('pr-06-arrangements', true);
    await expectNoHorizontalScroll();
  });

  it('enters a heat alert for the area on the calendar; the account shows it and it is ended early', async () => {
    await nav().getByRole('link', { name: 'Heat alerts' }).click();
    const form = page.getByTestId('heat-alert-form');
    await form.waitFor();
    await form.getByLabel('Area').selectOption('WEN');
    await form.getByLabel('Last day').fill(addDays(seeded.today, 2));
    await form.getByLabel('Declared by').fill('NWS Excessive Heat Warning');
    await form.getByLabel('Reason').fill('Warning issued for the Wenatchee valley');
    await form.getByTestId('save-heat-alert').click();
    await expect.poll(() => page.getByTestId('heat-alert-done').textContent()).toBe(`Heat alert entered for WEN, ${seeded.today} to ${addDays(seeded.today, 2)}: no residential disconnections there on those days.`);
    const area = page.getByTestId('heat-area').filter({ hasText: 'WEN' });
    await expect.poll(() => area.getByTestId('heat-state').allTextContents()).toEqual(['In force today']);
    await shot('pr-07-heat-calendar', true);

    await page.goto(`${baseUrl}/accounts/${seeded.range.id}`);
    const card = page.getByTestId('protections-card');
    await expect.poll(() => card.getByTestId('protections-table').getByTestId('protection-kind').allTextContents()).toEqual(['Payment arrangement', 'Heat alert']);
    expect(await card.getByTestId('protections-table').locator('tbody tr').nth(1).getByTestId('protection-detail').textContent()).toBe(`NWS Excessive Heat Warning in area WEN, ${seeded.today} to ${addDays(seeded.today, 2)}: no disconnection of residential service; reconnect on request`);
    await card.scrollIntoViewIfNeeded();
    await shot('pr-08-account-heat-alert');

    await page.goBack();
    await page.getByTestId('end-heat-alert').click();
    const end = page.getByTestId('end-heat-alert-dialog');
    await end.getByLabel('Reason').fill('Warning cancelled: temperatures dropped');
    await end.getByTestId('save-end-heat-alert').click();
    await expect.poll(() => page.getByTestId('heat-alert-done').textContent()).toBe(`The WEN alert is ended: its last day is ${addDays(seeded.today, -1)}.`);
    await expect.poll(() => page.getByTestId('heat-area').getByTestId('heat-state').allTextContents()).toEqual(['Called off']);
    const admin = await login('casey.morgan');
    const now = await call<{ items: { kind: string }[] }>(admin, 'GET', `/accounts/${seeded.range.id}/protections`);
    expect(now.items.map((p) => p.kind)).toEqual(['arrangement']);
  });
});
