import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { localDate } from '../../src/platform/clock.ts';
import { addDays } from '../../src/platform/dates.ts';
import { formatCents } from '../../src/platform/money.ts';
import { addStaff, baseUrl, call, expectNoHorizontalScroll, login, nav, page, shot, signIn, signOut, startStaffApp } from '../support/browser.ts';
import { repoRoot } from '../support/cli.ts';
import type { TestRuntime } from '../support/runtime.ts';

/**
 * Energy assistance in the staff web app, end to end: a real server (in-process, random port) with
 * the community-action agency and its LIHEAP and winter-crisis programs, and two households that
 * owe for the winter (old charges), made through the HTTP API, driven in Debian's Chromium at
 * 1366x768. A CSR I records a LIHEAP pledge on the account page (the pledge holds collection and
 * the pledge-pending alert shows), then on the Energy assistance page posts the agency's check with
 * a line for that account, a line for the neighbour and a line with an account number that is not
 * ours: first with lines that do not add up to the check (refused, nothing posted), then right.
 * The pledge is paid, its alert gone, the unknown account's money in the suspense queue, and the
 * program report shows the money (with its CSV). Screenshots go to test-output/screenshots/
 * (as-*.png).
 */

startStaffApp({ seed });

const seeded = {
  today: '',
  agency: { id: 0, code: 'CDCAC' },
  account: { id: 0, number: '', name: 'Rosa Ember' },
  neighbour: { id: 0, number: '', name: 'Milo Frost' },
};

async function seed(rt: TestRuntime): Promise<void> {
  const admin = await addStaff(rt);
  const supervisor = await login('pat.supervisor');
  const agency = await call<{ id: number }>(supervisor, 'POST', '/assistance/agencies', { code: 'CDCAC', name: 'Chelan-Douglas Community Action Council', contactName: 'Energy assistance desk', phone: '(509) 555-0177', reason: 'Agency agreement signed' });
  await call(supervisor, 'POST', '/assistance/programs', { agencyId: agency.id, code: 'LIHEAP', name: 'Low Income Home Energy Assistance Program', fundingYear: 2027 });
  await call(supervisor, 'POST', '/assistance/programs', { agencyId: agency.id, code: 'WINTER', name: 'Winter crisis fund' });
  const made = [];
  for (const [firstName, lastName, line1] of [['Rosa', 'Ember', '41 Cinder Lane'], ['Milo', 'Frost', '43 Cinder Lane']] as const) {
    const customer = await call<{ id: number; displayName: string }>(admin, 'POST', '/customers', { kind: 'person', firstName, lastName });
    const account = await call<{ id: number; accountNumber: string }>(admin, 'POST', '/accounts', { customerId: customer.id, customerClass: 'residential', billingCycle: 2, billingAddress: { line1, city: 'Wenatchee', state: 'WA', postalCode: '98801' } });
    await call(supervisor, 'POST', `/accounts/${account.id}/adjustments`, { amountCents: 31250, reasonCode: 'OTHER', reason: 'Winter balance brought over' });
    made.push({ id: account.id, number: account.accountNumber, name: customer.displayName });
  }
  Object.assign(seeded, { today: localDate(new Date(), rt.config.timeZone), agency: { id: agency.id, code: 'CDCAC' }, account: made[0], neighbour: made[1] });
}

describe('energy assistance in the staff web app', () => {
  it('records a pledge on the account page: it holds collection and the pledge-pending alert shows', async () => {
    await page.goto(`${baseUrl}/accounts/${seeded.account.id}`);
    await signIn('alex.field');
    const card = page.getByTestId('assistance-card');
    await card.getByText('No energy-assistance pledges.').waitFor();
    await card.getByTestId('record-pledge').click();
    const dialog = page.getByTestId('record-pledge-dialog');
    await dialog.getByLabel('Program').selectOption({ label: 'CDCAC LIHEAP: Low Income Home Energy Assistance Program' });
    await dialog.getByLabel('Amount pledged').fill('250.00');
    await dialog.getByLabel("Agency's pledge number").fill('LI-27-0311');
    // A reason is required.
    await dialog.getByTestId('save-pledge').click();
    await expect.poll(() => dialog.getByLabel('Reason').getAttribute('aria-invalid')).toBe('true');
    await dialog.getByLabel('Reason').fill('Agency faxed the pledge letter');
    await dialog.getByTestId('save-pledge').click();

    const expires = addDays(seeded.today, 30);
    await expect.poll(() => card.getByTestId('pledge-done').textContent()).toContain(`CDCAC LIHEAP $250.00, holding collection until ${expires}`);
    const row = card.getByTestId('pledges-table').locator('tbody tr');
    // The card reloads after the message: wait for the table to show the pledge.
    await expect.poll(() => row.count()).toBe(1);
    expect(await row.first().getByTestId('pledge-status').textContent()).toBe('Open');
    expect(await row.first().getByTestId('pledge-holds').textContent()).toBe('Holds collection');
    expect(await row.first().getByTestId('pledge-outstanding').textContent()).toBe('$250.00');
    await expect.poll(() => card.getByTestId('pledge-hold').textContent()).toContain(`open until ${expires}, with $250.00 of $250.00 still to come`);
    await expect.poll(() => card.getByTestId('assistance-eligible').count()).toBe(1);
    await expect.poll(() => page.getByTestId('active-alerts').textContent()).toContain('Pledge pending');
    // A CSR I does not cancel pledges.
    expect(await card.getByTestId('cancel-pledge').count()).toBe(0);
    await card.scrollIntoViewIfNeeded();
    await shot('as-01-pledge-recorded');
    await expectNoHorizontalScroll();
  });

  it('posts the agency check on the Energy assistance page: refused while the lines do not add up, then applied, the unknown account to suspense', async () => {
    await nav().getByRole('link', { name: 'Energy assistance' }).click();
    const pledges = page.getByTestId('pledges-list');
    await pledges.waitFor();
    expect(await nav().getByRole('link', { name: 'Energy assistance' }).getAttribute('aria-current')).toBe('page');
    await expect.poll(() => pledges.locator('tbody tr').filter({ hasText: seeded.account.number }).count()).toBe(1);

    const form = page.getByTestId('agency-check-form');
    await form.getByLabel('Agency').selectOption({ label: 'CDCAC: Chelan-Douglas Community Action Council' });
    await form.getByLabel('Check number').fill('104417');
    await form.getByLabel('Check amount').fill('400.00');
    await form.getByLabel('Line 1 account number').fill(seeded.account.number);
    await form.getByLabel('Line 1 amount').fill('250.00');
    await form.getByLabel('Line 2 account number').fill(seeded.neighbour.number);
    await form.getByLabel('Line 2 amount').fill('100.00');
    await form.getByTestId('add-check-line').click();
    await form.getByLabel('Line 3 account number').fill('123456789');
    await form.getByLabel('Line 3 amount').fill('40.00');
    expect(await form.getByTestId('check-sum').textContent()).toBe('Lines come to $390.00: $10.00 short of the check.');
    await form.getByTestId('post-agency-check').click();
    await expect.poll(() => form.getByTestId('form-error').textContent()).toBe('The items come to $390.00 but the check is $400.00 (short by $10.00): nothing was posted');
    const admin = await login('casey.morgan');
    expect((await call<{ balanceCents: number }>(admin, 'GET', `/accounts/${seeded.account.id}/ledger?limit=1`)).balanceCents).toBe(31250);
    await shot('as-02-check-refused', true);

    await form.getByLabel('Line 3 amount').fill('50.00');
    expect(await form.getByTestId('check-sum').textContent()).toBe('Lines come to $400.00: the check balances.');
    await form.getByTestId('post-agency-check').click();
    const result = page.getByTestId('agency-payment-result');
    await result.waitFor();
    expect(await result.getByTestId('agency-payment-done').textContent()).toContain('Check 104417 from CDCAC, $400.00: 2 applied, 1 in the suspense queue');
    const items = result.getByTestId('agency-payment-items').locator('tbody tr');
    expect(await items.count()).toBe(3);
    expect(await items.nth(0).getByTestId('item-pledge').textContent()).toMatch(/^Pledge \d+: paid$/);
    expect(await items.nth(1).textContent()).toContain('No open pledge');
    expect(await items.nth(2).getByTestId('item-suspense').textContent()).toBe('In suspense');
    expect((await call<{ balanceCents: number }>(admin, 'GET', `/accounts/${seeded.account.id}/ledger?limit=1`)).balanceCents).toBe(6250);
    expect((await call<{ balanceCents: number }>(admin, 'GET', `/accounts/${seeded.neighbour.id}/ledger?limit=1`)).balanceCents).toBe(21250);
    const suspense = await call<{ items: { amountCents: number; accountRef: string; channel: string }[] }>(admin, 'GET', '/payment-suspense');
    expect(suspense.items).toEqual([expect.objectContaining({ amountCents: 5000, accountRef: '123456789', channel: 'agency' })]);
    // The pledges list shows it paid.
    await expect.poll(() => pledges.locator('tbody tr').filter({ hasText: seeded.account.number }).getByTestId('pledge-status').textContent()).toBe('Paid');
    await shot('as-03-check-posted', true);
    await expectNoHorizontalScroll();
  });

  it('shows the money in the program report, with its CSV', async () => {
    const report = page.getByTestId('assistance-report');
    await report.scrollIntoViewIfNeeded();
    const table = report.getByTestId('assistance-report-table');
    const liheap = table.locator('tbody tr').filter({ hasText: 'CDCAC LIHEAP' });
    await expect.poll(() => liheap.getByTestId('report-received').textContent()).toBe(formatCents(25000));
    expect(await liheap.getByTestId('report-pledged').textContent()).toBe('$250.00');
    const href = await report.getByTestId('report-csv').getAttribute('href');
    expect(href).toBe('/api/v1/assistance/report.csv');
    const csv = await fetch(`${baseUrl}${href}`, { headers: { cookie: (await login('alex.field')).cookie } });
    expect(csv.status).toBe(200);
    expect((await csv.text()).split('\r\n')).toContain('CDCAC,Chelan-Douglas Community Action Council,LIHEAP,Low Income Home Energy Assistance Program,1,250.00,250.00,0.00,0,0.00,0,0,,');
    await report.screenshot({ path: path.join(repoRoot, 'test-output/screenshots/as-04-report.png') });
  });

  it("clears the paid pledge's alert on the account page and shows it paid", async () => {
    await page.goto(`${baseUrl}/accounts/${seeded.account.id}`);
    const card = page.getByTestId('assistance-card');
    await expect.poll(() => card.getByTestId('pledge-status').first().textContent()).toBe('Paid');
    expect(await card.getByTestId('pledge-received').first().textContent()).toBe('$250.00');
    await expect.poll(() => card.getByTestId('pledge-hold').count()).toBe(0);
    expect((await page.getByTestId('active-alerts').count()) === 0 || !(await page.getByTestId('active-alerts').textContent())!.includes('Pledge pending')).toBe(true);
    await card.scrollIntoViewIfNeeded();
    await shot('as-05-pledge-paid');
    await signOut();
  });

  it("lets a CSR II run today's review (nothing lapsed yet) and lists the agency's check", async () => {
    await page.goto(`${baseUrl}/assistance`);
    await signIn('jordan.lee');
    const payments = page.getByTestId('agency-payments-list');
    await payments.locator('tbody tr').first().waitFor();
    expect(await payments.locator('tbody tr').first().textContent()).toContain('Check 104417');
    await page.getByTestId('run-assistance-review').click();
    await expect.poll(() => page.getByTestId('assistance-review-done').textContent()).toBe(`Review of ${seeded.today}: 0 pledges expired (0 short), 0 agency payments matched from suspense.`);
    await page.getByTestId('assistance-review').scrollIntoViewIfNeeded();
    await shot('as-06-review');
    await expectNoHorizontalScroll();
  });
});
