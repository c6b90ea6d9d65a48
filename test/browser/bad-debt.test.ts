import { describe, expect, it } from 'vitest';
import { badDebt } from '../../src/bad-debt/index.ts';
import { billing } from '../../src/billing/index.ts';
import { customers } from '../../src/customer/index.ts';
import { ledger } from '../../src/ledger/index.ts';
import { systemActor } from '../../src/platform/actor.ts';
import { FixedClock, localDate } from '../../src/platform/clock.ts';
import { addDays, daysBetween } from '../../src/platform/dates.ts';
import { centsToDecimal, formatCents } from '../../src/platform/money.ts';
import { premises } from '../../src/premise/index.ts';
import { addStaff, baseUrl, expectNoHorizontalScroll, login, nav, page, shot, signIn, signOut, startStaffApp } from '../support/browser.ts';
import { fiberCustomer, loadFiberRate } from '../support/fiber.ts';
import type { TestRuntime } from '../support/runtime.ts';

/**
 * Final accounts in the staff web app, end to end: a real server (in-process, random port) with
 * two customers whose fiber service ended with the final bill unpaid, made through the services
 * on the days they happened. Rita's account had its pre-collection letter and waited the 30 days:
 * it is ready to place. Tom's final bill fell due lately; he has a new account. A supervisor runs
 * today's job on the Agency placements page (Tom's letter goes); a CSR II places Rita with
 * Northwest Collections by file (the CSV served as made), records what the agency collected ($40.00
 * at 30%: $28.00 paid, $12.00 commission) and asks to write the rest off from the account page; a
 * supervisor approves it on the Write-offs page, whose totals show it; the CSR II moves Tom's
 * balance to his new account. Screenshots go to test-output/screenshots/ (baddebt-*.png).
 */

startStaffApp({ seed });

const seeded = {
  today: '',
  rita: { id: 0, number: '', owed: 0 },
  tom: { id: 0, number: '', owed: 0, newId: 0, newNumber: '' },
};
const at = (date: string) => new FixedClock(`${date}T20:00:00Z`);

async function seed(rt: TestRuntime): Promise<void> {
  await addStaff(rt);
  const system = systemActor('test');
  const today = localDate(new Date(), rt.config.timeZone);
  await loadFiberRate(rt.db, system, rt.clock);
  await badDebt.createAgency(rt.db, system, rt.clock, { code: 'NWCOLL', name: 'Northwest Collections', commissionPercent: '30.00', vendorId: 'CBPUD01' }, 'Contract signed');

  // Rita moved out 75 days ago; the job sent her letter 15 days after the due date, and made her ready to place 30 days on.
  const ended = addDays(today, -75);
  const rita = await fiberCustomer(rt.db, system, at(ended), { firstName: 'Rita', lastName: 'Remiss', line1: '12 Vacant Lot Lane' });
  await premises.endAgreement(rt.db, system, rita.agreement.id, { endDate: ended, endReason: 'move_out' }, 'Moved away');
  const bill = await billing.finalBill(rt.db, system, at(ended), rt.config.timeZone, rita.agreement.id);
  const letterDay = addDays(bill.dueDate, 15);
  expect((await badDebt.run(rt.db, system, at(letterDay), rt.config, {})).letters).toBe(1);
  expect((await badDebt.run(rt.db, system, at(addDays(letterDay, 30)), rt.config, {})).candidates).toBe(1);

  // Tom moved out a month ago; today his letter is due (the district letters N days after the due date).
  const tomEnded = addDays(today, -30);
  const tom = await fiberCustomer(rt.db, system, at(tomEnded), { firstName: 'Tom', lastName: 'Tardy', line1: '9 Moving Day Road' });
  await premises.endAgreement(rt.db, system, tom.agreement.id, { endDate: tomEnded, endReason: 'move_out' }, 'Moved across town');
  const tomBill = await billing.finalBill(rt.db, system, at(tomEnded), rt.config.timeZone, tom.agreement.id);
  await badDebt.updateSettings(rt.db, system, rt.clock, { letterAfterDueDays: daysBetween(tomBill.dueDate, today) }, 'Letters this many days after the due date');
  const tomNew = await customers.createAccount(rt.db, system, rt.clock, { customerId: tom.customer.id, customerClass: 'residential', billingCycle: 4, billingAddress: { line1: '77 New Start Street', city: 'Wenatchee', state: 'WA', postalCode: '98801' } });

  Object.assign(seeded, {
    today,
    rita: { id: rita.account.id, number: rita.account.accountNumber, owed: await ledger.balanceOf(rt.db, rita.account.id) },
    tom: { id: tom.account.id, number: tom.account.accountNumber, owed: await ledger.balanceOf(rt.db, tom.account.id), newId: tomNew.id, newNumber: tomNew.accountNumber },
  });
}

describe('final accounts in the staff web app', () => {
  it("lets a supervisor run today's job: Tom's pre-collection letter goes, once", async () => {
    await page.goto(`${baseUrl}/bad-debt/placements`);
    await signIn('pat.supervisor');
    expect(await nav().getByRole('link', { name: 'Agency placements' }).getAttribute('aria-current')).toBe('page');
    await page.getByTestId('run-bad-debt-job').click();
    await expect.poll(() => page.getByTestId('bad-debt-run-done').textContent()).toContain(`Job of ${seeded.today}: 2 final accounts reviewed, 1 letter sent, 0 ready to place`);
    // The final accounts: Tom lettered today, Rita ready to place.
    const finals = page.getByTestId('final-accounts-table');
    const tomRow = finals.locator('tbody tr').filter({ has: page.getByRole('link', { name: seeded.tom.number }) });
    await expect.poll(() => tomRow.getByTestId('letter-link').textContent()).toBe(`Letter ${seeded.today} ↗`);
    const href = await tomRow.getByTestId('letter-link').getAttribute('href');
    const pdf = await fetch(`${baseUrl}${href}`, { headers: { cookie: (await login('alex.field')).cookie } });
    expect(pdf.headers.get('content-type')).toBe('application/pdf');
    expect(Buffer.from(await pdf.arrayBuffer()).subarray(0, 5).toString()).toBe('%PDF-');
    await page.getByTestId('run-bad-debt-job').click();
    await expect.poll(() => page.getByTestId('bad-debt-run-done').textContent()).toContain('ran already');
    await shot('baddebt-01-job-run', true);
    await expectNoHorizontalScroll();
    await signOut();
  });

  it('lets a CSR II place Rita with the agency by file, served as the CSV made', async () => {
    await page.goto(`${baseUrl}/bad-debt/placements`);
    await signIn('jordan.lee');
    // A CSR II does not run the job.
    await page.getByTestId('placement-candidates').waitFor();
    expect(await page.getByTestId('run-bad-debt-job').count()).toBe(0);
    const row = page.getByTestId('candidates-table').locator('tbody tr');
    await expect.poll(() => row.count()).toBe(1);
    expect(await row.getByTestId('candidate-account').textContent()).toBe(seeded.rita.number);
    expect(await row.getByTestId('candidate-balance').textContent()).toBe(formatCents(seeded.rita.owed));
    await page.getByTestId('make-placement-file').click();
    await expect.poll(() => page.getByTestId('placement-candidates').getByTestId('form-error').textContent()).toContain('Choose the agency');
    await page.getByTestId('placement-form').getByLabel('Agency').selectOption({ label: 'NWCOLL: Northwest Collections (30.00%)' });
    await page.getByTestId('make-placement-file').click();
    const made = page.getByTestId('placement-file-done');
    await expect.poll(() => made.textContent()).toContain(`1 account placed with NWCOLL, ${formatCents(seeded.rita.owed)} in all`);
    const href = await made.getByTestId('placement-file-link').getAttribute('href');
    const csv = await (await fetch(`${baseUrl}${href}`, { headers: { cookie: (await login('alex.field')).cookie } })).text();
    const [header, line] = csv.split('\r\n');
    expect(header).toBe('placement_id,account_number,customer_name,address_line1,address_line2,city,state,postal_code,phone,last_payment_date,final_bill_date,balance_placed,placement_date');
    expect(line).toContain(`,${seeded.rita.number},Rita Remiss,12 Vacant Lot Lane,,Wenatchee,WA,98801,`);
    expect(line!.endsWith(`,${centsToDecimal(seeded.rita.owed)},${seeded.today}`)).toBe(true);
    // No one is left to place; the placement is listed with the agency.
    await expect.poll(() => page.getByTestId('placement-candidates').getByText('No account is waiting to be placed.').count()).toBe(1);
    const placed = page.getByTestId('placements-table').locator('tbody tr').filter({ has: page.getByRole('link', { name: seeded.rita.number }) });
    await expect.poll(() => placed.getByTestId('placement-status').textContent()).toBe('With the agency');
    await shot('baddebt-02-placed', true);
    await expectNoHorizontalScroll();
  });

  it("records the agency's $40.00 at 30% and asks to write off the rest from the account page", async () => {
    const row = page.getByTestId('placements-table').locator('tbody tr').filter({ has: page.getByRole('link', { name: seeded.rita.number }) });
    await row.getByTestId('record-collection').click();
    const dialog = page.getByTestId('collection-dialog');
    expect(await dialog.textContent()).toContain("Leave empty for the agency's 30.00%");
    await dialog.getByLabel('Collected ($)').fill('40.00');
    await dialog.getByLabel('Agency reference').fill('NW-5501');
    await dialog.getByTestId('save-collection').click();
    await expect.poll(() => page.getByTestId('placements-done').textContent()).toContain('NWCOLL collected $40.00 on account');
    expect(await page.getByTestId('placements-done').textContent()).toContain('$28.00 posted as a payment, $12.00 commission written off');
    await expect.poll(() => row.getByTestId('placement-collected').textContent()).toBe('$40.00');

    await row.getByTestId('placement-account').click();
    await page.getByTestId('account-page').waitFor();
    const card = page.getByTestId('bad-debt-card');
    const rest = seeded.rita.owed - 4000;
    await expect.poll(() => card.getByTestId('bad-debt-balance').textContent()).toBe(formatCents(rest));
    expect(await card.getByTestId('bad-debt-placements').getByTestId('placement-status').textContent()).toBe('With the agency');
    expect(await card.getByTestId('bad-debt-collections').getByTestId('collection-net').textContent()).toBe('$28.00');
    expect(await card.getByTestId('bad-debt-collections').getByTestId('collection-commission').textContent()).toBe('$12.00');
    expect(await card.getByTestId('bad-debt-letter').textContent()).toContain('may be placed from');
    await card.getByTestId('ask-write-off').click();
    const ask = page.getByTestId('write-off-dialog');
    await ask.getByLabel('Reason').fill('Agency reports the customer left the state');
    await ask.getByTestId('save-write-off').click();
    await expect.poll(() => card.getByTestId('bad-debt-done').textContent()).toContain(`of ${formatCents(rest)} asked for; a supervisor other than you approves it`);
    await expect.poll(() => card.getByTestId('bad-debt-write-offs').getByTestId('write-off-status').textContent()).toBe('Waiting for approval');
    expect(await card.getByTestId('approve-write-off').count()).toBe(0);
    await card.scrollIntoViewIfNeeded();
    await shot('baddebt-03-account-card');
    await expectNoHorizontalScroll();
    await signOut();
  });

  it('lets a supervisor approve the write-off on the Write-offs page; the totals show it', async () => {
    await page.goto(`${baseUrl}/bad-debt/write-offs`);
    await signIn('pat.supervisor');
    expect(await nav().getByRole('link', { name: 'Write-offs' }).getAttribute('aria-current')).toBe('page');
    const rest = seeded.rita.owed - 4000;
    const waiting = page.getByTestId('write-offs-waiting-table').locator('tbody tr');
    await expect.poll(() => waiting.count()).toBe(1);
    expect(await waiting.getByTestId('write-off-account').textContent()).toBe(seeded.rita.number);
    await waiting.getByTestId('approve-write-off').click();
    const dialog = page.getByTestId('decide-write-off-dialog');
    await dialog.getByLabel('Reason').fill('Agency notes reviewed: uncollectable');
    await dialog.getByTestId('save-decide-write-off').click();
    await expect.poll(() => page.getByTestId('write-off-done').textContent()).toContain(`${formatCents(rest)} written off to bad debt`);
    await page.getByText('No write-off is waiting.').waitFor();
    await expect.poll(() => page.getByTestId('total-written-off').textContent()).toBe(formatCents(rest));
    expect(await page.getByTestId('total-commission').textContent()).toBe('$12.00');
    expect(await page.getByTestId('total-net').textContent()).toBe(formatCents(rest + 1200));
    const row = page.getByTestId('write-offs-table').locator('tbody tr');
    expect(await row.getByTestId('write-off-status').textContent()).toBe('Written off');
    await shot('baddebt-04-write-offs', true);
    await expectNoHorizontalScroll();

    await row.getByTestId('write-off-account').click();
    await expect.poll(() => page.getByTestId('bad-debt-card').getByTestId('bad-debt-balance').textContent()).toBe('$0.00');
    await signOut();
  });

  it("lets a CSR II move Tom's balance to his new account", async () => {
    await page.goto(`${baseUrl}/accounts/${seeded.tom.id}`);
    await signIn('jordan.lee');
    const card = page.getByTestId('bad-debt-card');
    await expect.poll(() => card.getByTestId('bad-debt-balance').textContent()).toBe(formatCents(seeded.tom.owed));
    await card.getByTestId('transfer-balance').click();
    const dialog = page.getByTestId('transfer-dialog');
    await dialog.getByLabel('To account').selectOption({ label: seeded.tom.newNumber });
    await dialog.getByLabel('Reason').fill("Prior balance moved to the customer's new home");
    await dialog.getByTestId('save-transfer').click();
    await expect.poll(() => card.getByTestId('bad-debt-done').textContent()).toContain(`${formatCents(seeded.tom.owed)} moved to the customer's account ${seeded.tom.newNumber}`);
    await expect.poll(() => card.getByTestId('bad-debt-balance').textContent()).toBe('$0.00');
    expect(await card.getByTestId('bad-debt-transfers').textContent()).toContain(`moved to account ${seeded.tom.newNumber}`);
    await card.scrollIntoViewIfNeeded();
    await shot('baddebt-05-transfer');
    await page.goto(`${baseUrl}/accounts/${seeded.tom.newId}`);
    await expect.poll(() => page.getByTestId('bad-debt-card').getByTestId('bad-debt-transfers').textContent()).toContain(`moved here from account ${seeded.tom.number}`);
    await expectNoHorizontalScroll();
    await signOut();
  });
});
