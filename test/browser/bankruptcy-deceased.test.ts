import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { customers } from '../../src/customer/index.ts';
import { ledger } from '../../src/ledger/index.ts';
import { systemActor } from '../../src/platform/actor.ts';
import { localDate } from '../../src/platform/clock.ts';
import { addDays, addMonths } from '../../src/platform/dates.ts';
import { formatCents } from '../../src/platform/money.ts';
import { premises } from '../../src/premise/index.ts';
import { addStaff, baseUrl, call, expectNoHorizontalScroll, login, nav, page, shot, signIn, signOut, startStaffApp } from '../support/browser.ts';
import { repoRoot } from '../support/cli.ts';
import type { TestRuntime } from '../support/runtime.ts';

/**
 * Bankruptcy cases and deceased accounts in the staff web app, end to end: a real server with
 * three fiber customers ($75.00 a month) who owe money from before today, driven in Chromium at
 * 1366x768. A CSR II records Ben's chapter 13 bankruptcy from his account page: the card shows the
 * debt held by the stay and the assurance deposit due 20 days after the petition; the Bankruptcy
 * cases page lists it and the case page shows the split with its arithmetic; the CSR II cannot
 * discharge, a supervisor does and the pre-petition debt is written off. A CSR I records Dora's
 * death from her account page; a CSR II records the estate (notice first published so that claims
 * are due within 14 days), makes a claim that the Deceased accounts page lists as due soon and
 * files it from there, and transfers the service to her son (move-out and move-in orders). Eli's
 * claim, whose deadline has passed, is refused with the deadline named. Screenshots go to
 * test-output/screenshots/ (bd-*.png).
 */

startStaffApp({ seed });

const seeded = {
  today: '',
  ben: { id: 0, number: '', owed: 23456 },
  dora: { id: 0, number: '', owed: 8800 },
  eli: { caseId: 0 },
};

async function fiber(rt: TestRuntime, first: string, last: string, line1: string, owedCents: number, owedOn: string) {
  const actor = systemActor('test');
  const customer = await customers.createCustomer(rt.db, actor, { kind: 'person', firstName: first, lastName: last });
  const address = { line1, city: 'Wenatchee', state: 'WA', postalCode: '98801' };
  const account = await customers.createAccount(rt.db, actor, rt.clock, { customerId: customer.id, customerClass: 'residential', billingCycle: 4, billingAddress: address });
  const premise = await premises.createPremise(rt.db, actor, { address, premiseType: 'single_family', area: 'WEN' });
  const point = await premises.addServicePoint(rt.db, actor, premise.id, { service: 'fiber', status: 'active' });
  await premises.createAgreement(rt.db, actor, { accountId: account.id, servicePointId: point.id, rateCode: 'FIB-100', startDate: '2025-01-01' });
  await ledger.adjust(rt.db, actor, rt.clock, { accountId: account.id, amountCents: owedCents, reasonCode: 'BILLING_ERROR', reason: 'Unbilled service', entryDate: owedOn });
  return { customer, account };
}

async function seed(rt: TestRuntime): Promise<void> {
  await addStaff(rt);
  const supervisor = await login('pat.supervisor');
  const tariff = JSON.parse(fs.readFileSync(path.join(repoRoot, 'src/tariff/examples/FIB-100.json'), 'utf8'));
  await call(supervisor, 'POST', '/tariffs', { tariff, reason: 'Fiber rates adopted' });
  const today = localDate(new Date(), rt.config.timeZone);
  const ben = await fiber(rt, 'Ben', 'Thirteen', '13 Plan Street', seeded.ben.owed, addDays(today, -30));
  const dora = await fiber(rt, 'Dora', 'Estate', '15 Probate Road', seeded.dora.owed, addDays(today, -30));
  const eli = await fiber(rt, 'Eli', 'Late', '5 Deadline Drive', 4100, addDays(today, -200));
  // Eli's estate: the notice was first published five months ago, so the claim period is over.
  const csr2 = await login('jordan.lee');
  const eliCase = await call<{ id: number }>(csr2, 'POST', '/deceased/cases', { customerId: eli.customer.id, notifiedBy: 'Estate attorney', dateOfDeath: addDays(today, -190), reason: 'Letter from the attorney' });
  await call(csr2, 'PATCH', `/deceased/cases/${eliCase.id}/estate`, { firstPublicationOn: addMonths(today, -5), representativeName: 'Ella Late', reason: 'Notice to creditors' });
  await call(csr2, 'POST', `/deceased/cases/${eliCase.id}/claims`, { reason: 'The unpaid balance' });
  Object.assign(seeded, { today, ben: { ...seeded.ben, id: ben.account.id, number: ben.account.accountNumber }, dora: { ...seeded.dora, id: dora.account.id, number: dora.account.accountNumber }, eli: { caseId: eliCase.id } });
}

const money = formatCents;

describe('bankruptcy cases in the staff web app', () => {
  it('records a chapter 13 case from the account page: the stay holds the debt, an assurance deposit is due in 20 days', async () => {
    await page.goto(`${baseUrl}/accounts/${seeded.ben.id}`);
    await signIn('jordan.lee');
    const card = page.getByTestId('bankruptcy-card');
    await card.getByTestId('bankruptcy-none').waitFor();
    await card.getByTestId('open-bankruptcy').click();
    const dialog = page.getByTestId('open-bankruptcy-dialog');
    await dialog.getByTestId('case-accounts-choice').getByLabel(new RegExp(seeded.ben.number)).waitFor();
    const petition = addDays(seeded.today, -7);
    await dialog.getByLabel('Chapter').selectOption('13');
    await dialog.getByLabel('Petition date').fill(addDays(seeded.today, 3));
    await dialog.getByLabel('Case number').fill('26-03131');
    await dialog.getByLabel('Contact name').fill('Alex Attorney');
    await dialog.getByLabel('Reason').fill('Notice of bankruptcy filing received by mail');
    await dialog.getByTestId('save-bankruptcy').click();
    // A petition in the future is refused by the server, its message shown.
    await expect.poll(() => dialog.getByTestId('form-error').textContent()).toContain(`petitionDate: ${addDays(seeded.today, 3)} is after today (${seeded.today})`);
    await dialog.getByLabel('Petition date').fill(petition);
    await dialog.getByTestId('save-bankruptcy').click();
    await expect.poll(() => card.getByTestId('bankruptcy-done').textContent()).toContain(`${money(seeded.ben.owed)} of pre-petition debt held out of collection`);
    const live = card.getByTestId('bankruptcy-open');
    await expect.poll(() => live.getByTestId('bankruptcy-held').textContent()).toBe(money(seeded.ben.owed));
    expect(await live.getByTestId('bankruptcy-status').textContent()).toBe('Open: stay in force');
    expect(await live.getByTestId('bankruptcy-case-link').textContent()).toBe('Chapter 13, case 26-03131');
    const row = live.getByTestId('case-accounts').locator('tbody tr');
    expect(await row.getByTestId('pre-petition').textContent()).toBe(money(seeded.ben.owed));
    expect(await row.getByTestId('assurance-state').getAttribute('data-state')).toBe('due');
    expect(await row.getByTestId('assurance-state').textContent()).toContain(`$150.00 (deposit`);
    expect(await row.getByTestId('assurance-state').textContent()).toContain(`due ${addDays(petition, 20)}`);
    // The account carries the bankruptcy alert; the assurance deposit's first instalment is billed today.
    await expect.poll(() => page.getByTestId('balance-amount').textContent()).toBe(`${money(seeded.ben.owed + 15000)} due`);
    await card.scrollIntoViewIfNeeded();
    await shot('bd-01-bankruptcy-card');
    await expectNoHorizontalScroll();
  });

  it('lists the case and shows the split; only a supervisor discharges it, writing off the pre-petition debt', async () => {
    await nav().getByRole('link', { name: 'Bankruptcy cases' }).click();
    const table = page.getByTestId('bankruptcy-cases');
    await table.waitFor();
    expect(await nav().getByRole('link', { name: 'Bankruptcy cases' }).getAttribute('aria-current')).toBe('page');
    const row = table.locator('tbody tr').filter({ hasText: '26-03131' });
    expect(await row.getByTestId('case-held').textContent()).toBe(money(seeded.ben.owed));
    expect(await row.textContent()).toContain('Ben Thirteen');
    await row.getByTestId('bankruptcy-case').click();
    const casePage = page.getByTestId('bankruptcy-case-page');
    await casePage.waitFor();
    expect(await page.getByTestId('case-number').textContent()).toBe('26-03131');
    expect(await page.getByTestId('split-derivation').textContent()).toContain(`(the day before the petition): ${money(seeded.ben.owed)}; = pre-petition debt ${money(seeded.ben.owed)}`);
    expect(await page.getByTestId('case-held-total').textContent()).toBe(money(seeded.ben.owed));
    // A CSR II may dismiss or close; the discharge is a supervisor's.
    await page.getByTestId('dismiss-case').waitFor();
    expect(await page.getByTestId('discharge-case').count()).toBe(0);
    await shot('bd-02-bankruptcy-case', true);
    await expectNoHorizontalScroll();
    await signOut();

    await page.goto(`${baseUrl}${new URL(page.url()).pathname}`);
    await signIn('pat.supervisor');
    await page.getByTestId('discharge-case').click();
    const dialog = page.getByTestId('bankruptcy-action-dialog');
    expect(await dialog.textContent()).toContain(`${money(seeded.ben.owed)} in all, is written off`);
    await dialog.getByLabel('Reason').fill('Order of discharge entered');
    await dialog.getByTestId('save-bankruptcy-action').click();
    await expect.poll(() => page.getByTestId('bankruptcy-case-done').textContent()).toBe(`Discharged: ${money(seeded.ben.owed)} of pre-petition debt written off.`);
    await expect.poll(() => page.getByTestId('case-status').textContent()).toBe('Discharged');
    expect(await page.getByTestId('written-off').textContent()).toBe(money(seeded.ben.owed));
    expect(await page.getByTestId('discharge-case').count()).toBe(0);
    await shot('bd-03-bankruptcy-discharged');
    // The ledger: the write-off leaves the assurance deposit's instalment owed.
    const ledgerNow = await call<{ balanceCents: number }>(await login('pat.supervisor'), 'GET', `/accounts/${seeded.ben.id}/ledger`);
    expect(ledgerNow.balanceCents).toBe(15000);
    await signOut();
  });
});

describe('deceased accounts in the staff web app', () => {
  const published = () => addDays(addMonths(seeded.today, -4), 5);

  it('records a death from the account page, then the estate and a claim on the case page', async () => {
    await page.goto(`${baseUrl}/accounts/${seeded.dora.id}`);
    await signIn('alex.field');
    const card = page.getByTestId('deceased-card');
    await card.getByTestId('deceased-none').waitFor();
    await card.getByTestId('notify-deceased').click();
    const dialog = page.getByTestId('notify-dialog');
    await dialog.getByLabel('Who told us').fill('Sam Estate');
    await dialog.getByLabel('Relationship').fill('son');
    await dialog.getByLabel('Date of death').fill(addDays(published(), -10));
    await dialog.getByLabel('Reason').fill('Her son phoned the office');
    await dialog.getByTestId('save-notify').click();
    await expect.poll(() => card.getByTestId('deceased-done').textContent()).toContain('the accounts carry a deceased alert');
    await expect.poll(() => card.getByTestId('deceased-date-of-death').textContent()).toBe(addDays(published(), -10));
    expect(await card.getByTestId('deceased-claim-deadline').textContent()).toBe('probate notice not yet published');
    await shot('bd-04-deceased-card');
    await signOut();

    await page.goto(`${baseUrl}/accounts/${seeded.dora.id}`);
    await signIn('jordan.lee');
    await page.getByTestId('deceased-card').getByTestId('deceased-case-link').click();
    await page.getByTestId('deceased-case-page').waitFor();
    await page.getByTestId('edit-estate').click();
    const estate = page.getByTestId('estate-dialog');
    await estate.getByLabel('Personal representative').fill('Sam Estate');
    await estate.getByLabel('Probate court').fill('Chelan County Superior Court');
    await estate.getByLabel('Probate case number').fill('26-4-00555-04');
    await estate.getByLabel('Probate notice first published').fill(published());
    await estate.getByLabel('Reason').fill('Notice to creditors received from the estate attorney');
    await estate.getByTestId('save-estate').click();
    const deadline = addMonths(published(), 4);
    await expect.poll(() => page.getByTestId('estate-claim-deadline').textContent()).toBe(deadline);
    await page.getByTestId('new-claim').click();
    const claim = page.getByTestId('claim-dialog');
    await claim.getByLabel('Reason').fill('Unpaid service to the date of death');
    await claim.getByTestId('save-claim').click();
    await expect.poll(() => page.getByTestId('deceased-case-done').textContent()).toContain(`made (draft); file it by ${deadline}`);
    const row = page.getByTestId('claims-table').locator('tbody tr');
    await expect.poll(() => row.count()).toBe(1);
    expect(await row.getByTestId('claim-amount').textContent()).toBe(money(seeded.dora.owed));
    expect(await row.getByTestId('claim-status').getAttribute('data-status')).toBe('draft');
    expect(await row.getByTestId('claim-due-soon').count()).toBe(1);
    await shot('bd-05-deceased-estate', true);
    await expectNoHorizontalScroll();
  });

  it('lists the claim due within 14 days and files it; refuses a claim after its deadline, naming it', async () => {
    await nav().getByRole('link', { name: 'Deceased accounts' }).click();
    const due = page.getByTestId('claims-due');
    const row = due.getByTestId('claims-table').locator('tbody tr');
    await expect.poll(() => row.count()).toBe(1);
    expect(await row.textContent()).toContain('Dora Estate');
    expect(await row.getByTestId('claim-deadline').textContent()).toBe(addMonths(published(), 4));
    // Eli's claim is past its deadline: not "due soon", and listed with its case.
    const cases = page.getByTestId('deceased-cases').locator('tbody tr');
    await expect.poll(() => cases.count()).toBe(2);
    await shot('bd-06-deceased-page', true);
    await expectNoHorizontalScroll();
    await row.getByTestId('claim-file').click();
    const dialog = page.getByTestId('claim-action-dialog');
    await dialog.getByLabel('Reason').fill('Presented to the personal representative');
    await dialog.getByTestId('save-claim-action').click();
    await expect.poll(() => due.textContent()).toContain('No claim waiting to be filed is due soon.');

    await page.goto(`${baseUrl}/deceased/${seeded.eli.caseId}`);
    await page.getByTestId('deceased-case-page').waitFor();
    const eliRow = page.getByTestId('claims-table').locator('tbody tr');
    await eliRow.getByTestId('claim-file').click();
    const file = page.getByTestId('claim-action-dialog');
    await file.getByLabel('Reason').fill('Presenting it now');
    await file.getByTestId('save-claim-action').click();
    const deadline = addMonths(addMonths(seeded.today, -5), 4);
    await expect.poll(() => file.getByTestId('form-error').textContent()).toContain(`cannot be filed on ${seeded.today}: the deadline to present a claim was ${deadline}`);
    await shot('bd-07-late-claim-refused');
    await file.getByRole('button', { name: 'Cancel' }).click();
  });

  it('transfers the service to a survivor: a new account and the move-out and move-in orders', async () => {
    await page.goto(`${baseUrl}/accounts/${seeded.dora.id}`);
    await page.getByTestId('deceased-card').getByTestId('deceased-case-link').click();
    await page.getByTestId('deceased-case-page').waitFor();
    await page.getByTestId('transfer-service').click();
    const dialog = page.getByTestId('transfer-dialog');
    await dialog.getByLabel("Deceased's last day of service").fill(addDays(seeded.today, -1));
    await dialog.getByLabel('First name').fill('Sam');
    await dialog.getByLabel('Last name').fill('Estate');
    await dialog.getByLabel('Reason').fill('Her son keeps the service at the house');
    await dialog.getByTestId('save-transfer').click();
    await expect.poll(() => page.getByTestId('deceased-case-done').textContent()).toContain('the move-out and move-in orders wait for the field');
    await expect.poll(() => page.getByTestId('deceased-case-status').textContent()).toBe('Service transferred');
    const orders = page.getByTestId('transfer-orders').locator('tbody tr');
    expect(await orders.count()).toBe(2);
    expect(await orders.nth(0).textContent()).toContain(`move-out${addDays(seeded.today, -1)}`);
    expect(await orders.nth(1).textContent()).toContain(`move-in${seeded.today}`);
    // The balance stays with the estate.
    expect(await page.getByTestId('deceased-account-balance').textContent()).toBe(money(seeded.dora.owed));
    await page.evaluate(() => window.scrollTo(0, 0));
    await shot('bd-08-survivor-transfer', true);
    await page.getByTestId('survivor-account').click();
    await page.getByTestId('account-page').waitFor();
    expect(await page.getByTestId('account-number').textContent()).not.toBe(seeded.dora.number);
    await expectNoHorizontalScroll();
  });
});
