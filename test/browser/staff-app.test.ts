import { describe, expect, it } from 'vitest';
import { customers } from '../../src/customer/index.ts';
import { systemActor, type Actor } from '../../src/platform/actor.ts';
import { premises } from '../../src/premise/index.ts';
import { createUser } from '../../src/staff/index.ts';
import { testPassword as password } from '../support/api.ts';
import { baseUrl, expectNoHorizontalScroll, page, shot, signIn, signOut, startStaffApp } from '../support/browser.ts';
import type { TestRuntime } from '../support/runtime.ts';

/**
 * The staff web app end to end: a real server (in-process, random port) serving the built app,
 * driven in Debian's Chromium at 1366x768. Screenshots go to test-output/screenshots/.
 */

startStaffApp({ seed });

const seeded = { accountId: 0, accountNumber: '', businessAccountId: 0, businessAccountNumber: '' };
/** What the premise and meter tests make, for the tests after them. */
const made = { premisePath: '', meterPath: '' };

async function seed(rt: TestRuntime): Promise<void> {
  const admin = await createUser(rt.db, systemActor('test'), { username: 'casey.morgan', displayName: 'Casey Morgan', role: 'admin', password });
  await createUser(rt.db, systemActor('test'), { username: 'robin.auditor', displayName: 'Robin Auditor', role: 'auditor', password });
  await createUser(rt.db, systemActor('test'), { username: 'jordan.lee', displayName: 'Jordan Lee', role: 'csr2', password });
  await createUser(rt.db, systemActor('test'), { username: 'sam.okafor', displayName: 'Sam Okafor', role: 'csr1', password });
  const actor: Actor = { userId: admin.id, username: admin.username, role: admin.role };
  const { db, clock } = rt;

  const maria = await customers.createCustomer(db, actor, {
    kind: 'person',
    firstName: 'Maria',
    lastName: 'Gonzalez',
    contacts: [
      { kind: 'phone', value: '509-555-0142', label: 'home', isPrimary: true },
      { kind: 'email', value: 'maria.gonzalez@example.org' },
    ],
    identifiers: [{ kind: 'drivers_license', value: 'GONZAM*123KL' }],
  });
  const address = { line1: '1420 Orchard Ave', city: 'Wenatchee', state: 'WA', postalCode: '98801' };
  const account = await customers.createAccount(db, actor, clock, { customerId: maria.id, customerClass: 'residential', billingCycle: 3, billingAddress: address, openedOn: '2026-01-15' });
  await customers.updateAccount(db, actor, account.id, { billingCycle: 4 }, 'Moved to cycle 4 with the rest of route R-12');
  await customers.addAlert(db, actor, clock, account.id, { kind: 'medical_certificate', note: 'Oxygen concentrator; certificate on file', startsOn: '2026-11-01', endsOn: '2026-12-31' });

  const home = await premises.createPremise(db, actor, { address, premiseType: 'single_family', area: 'Wenatchee', spaceHeating: true });
  const electric = await premises.addServicePoint(db, actor, home.id, { service: 'electric', status: 'active', route: 'R-12' });
  const water = await premises.addServicePoint(db, actor, home.id, { service: 'water', status: 'active', route: 'W-03' });
  const eMeter = await premises.createMeter(db, actor, { serial: 'E1029384', kind: 'electric', manufacturer: 'Itron', model: 'Centron', multiplier: '1', dials: 5 });
  const wMeter = await premises.createMeter(db, actor, { serial: 'W55012', kind: 'water', manufacturer: 'Badger', dials: 6, size: '5/8"' });
  await premises.installMeter(db, actor, eMeter.id, { servicePointId: electric.id, installedOn: '2026-01-15' }, 'New service');
  await premises.installMeter(db, actor, wMeter.id, { servicePointId: water.id, installedOn: '2026-01-15' }, 'New service');
  await premises.createAgreement(db, actor, { accountId: account.id, servicePointId: electric.id, rateCode: 'RES-E', startDate: '2026-01-15' });
  await premises.createAgreement(db, actor, { accountId: account.id, servicePointId: water.id, rateCode: 'RES-W', startDate: '2026-01-15' });

  const orchard = await customers.createCustomer(db, actor, { kind: 'business', businessName: 'Gonzalez Orchards LLC', contacts: [{ kind: 'phone', value: '509-555-0199' }] });
  const business = await customers.createAccount(db, actor, clock, {
    customerId: orchard.id,
    customerClass: 'irrigation',
    billingCycle: 7,
    billingAddress: { line1: 'PO Box 311', city: 'Cashmere', state: 'WA', postalCode: '98815' },
  });

  Object.assign(seeded, { accountId: account.id, accountNumber: account.accountNumber, businessAccountId: business.id, businessAccountNumber: business.accountNumber });
}

/** The same number with its check digit (the last) changed. */
const wrongCheckDigit = (number: string) => number.slice(0, -1) + String((Number(number.slice(-1)) + 1) % 10);

/** The row of the service points table that holds `text`. */
const pointRow = (text: string) => page.getByTestId('service-points-table').locator('tbody tr').filter({ hasText: text });

describe('staff web app', () => {
  it('refuses a wrong password with the server message', async () => {
    await page.goto(`${baseUrl}/accounts`);
    await page.getByTestId('login-form').waitFor();
    await shot('01-sign-in');
    await page.getByLabel('Username').fill('casey.morgan');
    await page.getByLabel('Password').fill('not the password');
    await page.getByTestId('login-submit').click();
    await expect.poll(() => page.getByTestId('login-error').textContent()).toBe('Wrong username or password');
    await shot('02-sign-in-wrong-password');
  });

  it('signs in and shows the shell with the user, role and navigation', async () => {
    await page.getByLabel('Username').fill('casey.morgan');
    await page.getByLabel('Password').fill(password);
    await page.getByTestId('login-submit').click();
    await page.getByTestId('current-user').waitFor();
    expect(await page.getByTestId('current-user').textContent()).toContain('Casey Morgan');
    expect(await page.getByTestId('current-user').textContent()).toContain('Administrator');
    const nav = page.getByRole('navigation', { name: 'Main' });
    for (const entry of ['Search / Accounts', 'Customers', 'Premises', 'Meters', 'Staff users', 'Audit trail', 'API docs']) {
      await nav.getByRole('link', { name: entry }).waitFor();
    }
    await page.getByTestId('accounts-table').waitFor();
    await shot('03-accounts');
    await expectNoHorizontalScroll();
  });

  it('finds accounts as you type, moves with the arrow keys and opens one with Enter', async () => {
    await page.locator('body').click({ position: { x: 700, y: 700 } });
    await page.keyboard.press('/');
    const input = page.getByTestId('search-input');
    expect(await input.evaluate((el) => el === document.activeElement)).toBe(true);
    await page.keyboard.type('gonz');
    const options = page.getByTestId('search-option');
    await expect.poll(() => options.count()).toBe(2);
    expect(await options.nth(0).textContent()).toContain('Maria Gonzalez');
    expect(await options.nth(0).textContent()).toContain('Name: Maria Gonzalez');
    expect(await options.nth(1).textContent()).toContain('Gonzalez Orchards LLC');
    expect(await input.getAttribute('aria-expanded')).toBe('true');
    expect(await options.nth(0).getAttribute('aria-selected')).toBe('true');
    await page.keyboard.press('ArrowDown');
    expect(await options.nth(1).getAttribute('aria-selected')).toBe('true');
    expect(await input.getAttribute('aria-activedescendant')).toBe(await options.nth(1).getAttribute('id'));
    await shot('04-search-results');
    await page.keyboard.press('ArrowUp');
    expect(await options.nth(0).getAttribute('aria-selected')).toBe('true');
    await page.keyboard.press('Enter');

    await page.getByTestId('account-page').waitFor();
    expect(new URL(page.url()).pathname).toBe(`/accounts/${seeded.accountId}`);
    expect(await page.getByTestId('account-number').textContent()).toBe(seeded.accountNumber);
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toContain('Maria Gonzalez');
  });

  it('shows the account page: services with meters, balance, alerts, customer and activity', async () => {
    const services = page.getByTestId('services-list');
    const text = await services.textContent();
    for (const expected of ['Electric', 'Water', '1420 Orchard Ave', 'RES-E', 'RES-W', 'E1029384', 'W55012', 'R-12', '2026-01-15']) expect(text).toContain(expected);
    expect(await page.getByTestId('balance-none').textContent()).toContain('No charges or payments posted yet');
    expect(await page.getByTestId('active-alerts').textContent()).toContain('Medical certificate');
    expect(await page.getByTestId('customer-card').textContent()).toContain('509-555-0142');
    expect(await page.getByTestId('recent-activity').textContent()).toContain('casey.morgan');
    await shot('05-account');
    await expectNoHorizontalScroll();
  });

  it('adds an alert through the form (a change carrying the CSRF token)', async () => {
    await page.getByTestId('add-alert').click();
    const dialog = page.getByTestId('add-alert-dialog');
    await dialog.getByLabel('Kind').selectOption('cash_only');
    await dialog.getByLabel('Note').fill('Two returned checks in 2026');
    await dialog.getByRole('button', { name: 'Add alert' }).click();
    await expect.poll(() => page.getByTestId('active-alerts').textContent()).toContain('Cash only');
  });

  it('shows the server validation error next to the account form', async () => {
    await page.getByTestId('edit-account').click();
    const dialog = page.getByTestId('edit-account-dialog');
    await dialog.getByLabel('ZIP').fill('9880');
    await dialog.getByLabel('Reason for the change').fill('Customer asked for the new ZIP');
    await dialog.getByTestId('save-account').click();
    await expect.poll(() => dialog.getByTestId('form-error').textContent()).toContain('body.billingAddress.postalCode');
    expect(await dialog.getByLabel('ZIP').getAttribute('aria-invalid')).toBe('true');
    await shot('06-account-edit-validation');
    await dialog.getByRole('button', { name: 'Cancel' }).click();
  });

  it('pages through the audit history of the account', async () => {
    await page.getByTestId('tab-history').click();
    const table = page.getByTestId('audit-history-table');
    await table.waitFor();
    expect(new URL(page.url()).pathname).toBe(`/accounts/${seeded.accountId}/history`);
    const text = await table.textContent();
    expect(text).toContain('Moved to cycle 4 with the rest of route R-12');
    expect(text).toContain('Billing cycle 3 → 4');
    expect(text).toContain('Account alert');
    expect(await table.locator('tbody tr').count()).toBeGreaterThanOrEqual(4);
    await shot('07-account-audit-history');
    await expectNoHorizontalScroll();
  });

  it('opens an account by clicking a meter-serial match, and survives a reload', async () => {
    const input = page.getByTestId('search-input');
    await input.click();
    await input.fill('w5501');
    const option = page.getByTestId('search-option').first();
    await expect.poll(() => option.textContent()).toContain('Meter: W55012');
    await option.click();
    await expect.poll(() => page.getByTestId('tab-overview').getAttribute('aria-current')).toBe('page');
    await page.reload();
    await page.getByTestId('account-page').waitFor();
    expect(await page.getByTestId('account-number').textContent()).toBe(seeded.accountNumber);
  });

  it('shows the customers list, a customer and the audit trail', async () => {
    const nav = page.getByRole('navigation', { name: 'Main' });
    await nav.getByRole('link', { name: 'Customers' }).click();
    await page.getByTestId('customers-table').waitFor();
    await page.getByRole('link', { name: 'Maria Gonzalez' }).click();
    await page.getByTestId('customer-page').waitFor();
    expect(await page.getByTestId('customer-page').textContent()).toContain(seeded.accountNumber);
    await shot('08-customer');
    await nav.getByRole('link', { name: 'Audit trail' }).click();
    await page.getByTestId('audit-table').waitFor();
    await shot('09-audit-trail');
    await expectNoHorizontalScroll();
  });

  it('adds a customer and opens an account for them through the forms', async () => {
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Customers' }).click();
    await page.getByTestId('new-customer').click();
    const form = page.getByTestId('new-customer-form');
    await form.getByLabel('First name').fill('Dale');
    await form.getByLabel('Last name').fill('Whitaker');
    await form.getByLabel('Phone').fill('509-555-0177');
    await form.getByLabel('Email').fill('not-an-email');
    await page.getByTestId('save-customer').click();
    await expect.poll(() => form.getByTestId('form-error').textContent()).toMatch(/contacts\.1/);
    expect(await form.getByLabel('Email').getAttribute('aria-invalid')).toBe('true');
    await form.getByLabel('Email').fill('dale.whitaker@example.org');
    await page.getByTestId('save-customer').click();
    await page.getByTestId('customer-page').waitFor();
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('Dale Whitaker');

    await page.getByTestId('open-account').click();
    const dialog = page.getByTestId('open-account-dialog');
    await dialog.getByLabel('Billing cycle').fill('2');
    await dialog.getByLabel('Street').fill('88 Riverside Dr');
    await dialog.getByLabel('City').fill('Leavenworth');
    await dialog.getByLabel('ZIP').fill('98826');
    await shot('12-open-account');
    await dialog.getByTestId('save-account').click();
    await page.getByTestId('account-page').waitFor();
    expect(await page.getByTestId('account-number').textContent()).toMatch(/^\d{9}$/);
    expect(await page.getByTestId('account-page').textContent()).toContain('No service agreements on this account.');
  });

  it('shows premises, a premise with its service points, and the staff users', async () => {
    const nav = page.getByRole('navigation', { name: 'Main' });
    await nav.getByRole('link', { name: 'Premises' }).click();
    await page.getByTestId('premises-table').waitFor();
    await page.getByRole('link', { name: /1420 Orchard Ave/ }).click();
    await page.getByTestId('premise-page').waitFor();
    const text = await page.getByTestId('premise-page').textContent();
    for (const expected of ['E1029384', 'W55012', 'RES-E', 'R-12']) expect(text).toContain(expected);
    await shot('10-premise');
    await nav.getByRole('link', { name: 'Staff users' }).click();
    await page.getByTestId('users-table').waitFor();
    expect(await page.getByTestId('users-table').textContent()).toContain('casey.morgan');
    await shot('11-staff-users');
    await expectNoHorizontalScroll();
  });

  it('signs out', async () => {
    await signOut();
    await page.reload();
    await page.getByTestId('login-form').waitFor();
  });

  it('adds a premise as a CSR II, with the server\'s error beside the field', async () => {
    await signIn('jordan.lee');
    expect(await page.getByTestId('current-user').textContent()).toContain('CSR II');
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Premises' }).click();
    await page.getByTestId('new-premise').click();
    const dialog = page.getByTestId('new-premise-dialog');
    await dialog.getByLabel('Street').fill('77 Canyon View Rd');
    await dialog.getByLabel('City').fill('Chelan');
    await dialog.getByLabel('ZIP').fill('988');
    await dialog.getByLabel('Type').selectOption('commercial');
    await dialog.getByLabel('Area').fill('Chelan');
    await dialog.getByLabel('Space heating').check();
    await dialog.getByTestId('save-premise').click();
    await expect.poll(() => dialog.getByTestId('form-error').textContent()).toContain('body.address.postalCode');
    expect(await dialog.getByLabel('ZIP').getAttribute('aria-invalid')).toBe('true');
    await shot('13-new-premise-validation');
    await dialog.getByLabel('ZIP').fill('98816');
    await dialog.getByTestId('save-premise').click();
    await page.getByTestId('premise-page').waitFor();
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('77 Canyon View Rd, Chelan, WA 98816');
    expect(await page.getByTestId('premise-page').textContent()).toContain('Commercial');
    made.premisePath = new URL(page.url()).pathname;
    expect(made.premisePath).toMatch(/^\/premises\/\d+$/);
  });

  it('adds an electric service point to the premise', async () => {
    await page.getByTestId('add-service-point').click();
    const dialog = page.getByTestId('add-service-point-dialog');
    await dialog.getByLabel('Service').selectOption('electric');
    await dialog.getByLabel('Status').selectOption('active');
    await dialog.getByLabel('Route').fill('R-40');
    await dialog.getByLabel('Location').fill('East wall, beside the loading dock');
    await shot('14-add-service-point');
    await dialog.getByTestId('save-service-point').click();
    await pointRow('R-40').waitFor();
    const row = await pointRow('R-40').textContent();
    for (const expected of ['Electric', 'Active', 'East wall, beside the loading dock', 'none', 'Install meter', 'Start service']) expect(row).toContain(expected);
    await shot('15-premise-new-point');
    await expectNoHorizontalScroll();
  });

  it('receives a meter into stock, with the server\'s error beside the field', async () => {
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Meters' }).click();
    await page.getByTestId('meters-table').waitFor();
    await page.getByTestId('receive-meter').click();
    const dialog = page.getByTestId('receive-meter-dialog');
    await dialog.getByLabel('Serial').fill('e7781-01');
    await dialog.getByLabel('Kind').selectOption('electric');
    await dialog.getByLabel('Manufacturer').fill('Landis+Gyr');
    await dialog.getByLabel('Model').fill('Focus AXR');
    await dialog.getByLabel('Multiplier').fill('1.23456');
    await dialog.getByLabel('Dials').fill('5');
    await dialog.getByTestId('save-meter').click();
    await expect.poll(() => dialog.getByTestId('form-error').textContent()).toContain('body.multiplier');
    expect(await dialog.getByLabel('Multiplier').getAttribute('aria-invalid')).toBe('true');
    await shot('16-receive-meter-validation');
    await dialog.getByLabel('Multiplier').fill('1');
    await dialog.getByTestId('save-meter').click();
    await page.getByTestId('meter-page').waitFor();
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('Meter E7781-01');
    expect(await page.getByTestId('meter-page').textContent()).toContain('In stock');
    expect(await page.getByTestId('remove-meter').count()).toBe(0);
    made.meterPath = new URL(page.url()).pathname;
  });

  it('starts service for an account found by its number, refusing a wrong check digit', async () => {
    await page.goto(`${baseUrl}${made.premisePath}`);
    await pointRow('R-40').waitFor();
    await pointRow('R-40').getByRole('button', { name: /^Start service/ }).click();
    const dialog = page.getByTestId('start-service-dialog');
    const number = dialog.getByLabel('Account number');
    await number.fill(wrongCheckDigit(seeded.businessAccountNumber));
    // Looked up as typed: the server's answer stands beside the field before anything is sent.
    await expect.poll(() => number.getAttribute('aria-invalid')).toBe('true');
    const message = dialog.locator('.field-message');
    expect(await message.textContent()).toBe(`${wrongCheckDigit(seeded.businessAccountNumber)} has a wrong check digit`);
    await dialog.getByLabel('Rate code').fill('irr-e');
    await dialog.getByTestId('save-start-service').click();
    await expect.poll(() => dialog.getByTestId('form-error').textContent()).toBe(`params.accountNumber: ${wrongCheckDigit(seeded.businessAccountNumber)} has a wrong check digit`);
    await shot('17-start-service-wrong-check-digit');

    await number.fill(seeded.businessAccountNumber);
    await expect.poll(() => dialog.getByTestId('account-found').textContent()).toContain('Gonzalez Orchards LLC');
    expect(await number.getAttribute('aria-invalid')).toBeNull();
    await expect.poll(() => dialog.getByTestId('form-error').count()).toBe(0);
    await shot('18-start-service');
    await dialog.getByTestId('save-start-service').click();
    await expect.poll(() => pointRow('R-40').textContent()).toContain(`Account ${seeded.businessAccountNumber} · IRR-E`);
    expect(await pointRow('R-40').getByRole('button', { name: /^Start service/ }).count()).toBe(0);
    await pointRow('R-40').getByRole('button', { name: /^End service/ }).waitFor();
  });

  it('installs the meter, picked by the start of its serial', async () => {
    await pointRow('R-40').getByRole('button', { name: /^Install meter/ }).click();
    const dialog = page.getByTestId('install-meter-dialog');
    await dialog.getByLabel('Meter serial').fill('e778');
    const choice = dialog.getByRole('radio', { name: /E7781-01/ });
    await choice.waitFor();
    // The only electric meter in stock that matches is chosen already.
    await expect.poll(() => choice.isChecked()).toBe(true);
    await dialog.getByLabel('Reason').fill('New service');
    await shot('19-install-meter');
    await dialog.getByTestId('save-install-meter').click();
    await expect.poll(() => pointRow('R-40').textContent()).toContain('E7781-01');
    expect(await pointRow('R-40').getByRole('button', { name: /^Install meter/ }).count()).toBe(0);
    await shot('20-premise-in-service');
    await expectNoHorizontalScroll();
  });

  it('shows the new service and its meter on the account page', async () => {
    await pointRow('R-40').getByRole('link', { name: `Account ${seeded.businessAccountNumber}` }).click();
    await page.getByTestId('account-page').waitFor();
    expect(await page.getByTestId('account-number').textContent()).toBe(seeded.businessAccountNumber);
    const text = await page.getByTestId('services-list').textContent();
    for (const expected of ['Electric', '77 Canyon View Rd', 'Commercial · Chelan', 'R-40', 'IRR-E', 'open', 'E7781-01']) expect(text).toContain(expected);
    expect(await page.getByTestId('recent-activity').textContent()).toContain('jordan.lee');
    await shot('21-account-new-service');
    await expectNoHorizontalScroll();
  });

  it('corrects the meter record and removes the meter', async () => {
    await page.getByTestId('services-list').getByRole('link', { name: 'E7781-01' }).click();
    await page.getByTestId('meter-page').waitFor();
    expect(await page.getByTestId('meter-page').textContent()).toContain('Installed');
    expect(await page.getByTestId('installations-table').textContent()).toContain('in service');

    await page.getByTestId('correct-meter').click();
    const correct = page.getByTestId('correct-meter-dialog');
    expect(await correct.getByLabel('Status').isDisabled()).toBe(true);
    await correct.getByLabel('Dials').fill('6');
    await correct.getByLabel('Reason for the change').fill('Register has six dials, not five');
    await shot('22-correct-meter');
    await correct.getByTestId('save-correct-meter').click();
    await expect.poll(() => page.getByTestId('meter-page').locator('.facts').textContent()).toContain('Dials6');

    await page.getByTestId('remove-meter').click();
    const remove = page.getByTestId('remove-meter-dialog');
    await remove.getByLabel('Reason').fill('Failed field test');
    await shot('23-remove-meter');
    await remove.getByTestId('save-remove-meter').click();
    await expect.poll(() => page.getByTestId('installations-table').textContent()).not.toContain('in service');
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('Meter E7781-01');
    expect(await page.getByTestId('meter-page').textContent()).toContain('Removed');
    expect(await page.getByTestId('remove-meter').count()).toBe(0);
    await shot('24-meter-removed');
    await expectNoHorizontalScroll();
  });

  it('ends the service agreement', async () => {
    await page.goto(`${baseUrl}${made.premisePath}`);
    await pointRow('R-40').getByRole('button', { name: /^End service/ }).click();
    const dialog = page.getByTestId('end-service-dialog');
    await dialog.getByLabel('Reason').fill('Business closed the site');
    await shot('25-end-service');
    await dialog.getByTestId('save-end-service').click();
    await expect.poll(() => pointRow('R-40').getByRole('button', { name: /^End service/ }).count()).toBe(0);
    expect(await pointRow('R-40').textContent()).not.toContain('to open');
    await pointRow('R-40').getByRole('button', { name: /^Start service/ }).waitFor();
    await pointRow('R-40').getByRole('button', { name: /^Install meter/ }).waitFor();
    await signOut();
  });

  it('shows an auditor the audit trail but no staff admin and no change buttons', async () => {
    await page.getByLabel('Username').fill('robin.auditor');
    await page.getByLabel('Password').fill(password);
    await page.getByTestId('login-submit').click();
    await page.getByTestId('current-user').waitFor();
    const nav = page.getByRole('navigation', { name: 'Main' });
    await nav.getByRole('link', { name: 'Audit trail' }).waitFor();
    expect(await nav.getByRole('link', { name: 'Staff users' }).count()).toBe(0);
    await page.goto(`${baseUrl}/accounts/${seeded.accountId}`);
    await page.getByTestId('account-page').waitFor();
    expect(await page.getByTestId('edit-account').count()).toBe(0);
    expect(await page.getByTestId('add-alert').count()).toBe(0);
    await page.goto(`${baseUrl}/users`);
    await page.getByRole('heading', { name: 'Not available to your role' }).waitFor();
    await expectNoPremiseOrMeterChanges();
    await signOut();
  });

  it('shows a CSR I no premise, service or meter change buttons', async () => {
    await signIn('sam.okafor');
    expect(await page.getByTestId('current-user').textContent()).toContain('CSR I');
    await expectNoPremiseOrMeterChanges();
  });
});

/** Premises, service and meters change at CSR II and above: the buttons are not there below. */
async function expectNoPremiseOrMeterChanges() {
  await page.goto(`${baseUrl}/premises`);
  await page.getByTestId('premises-table').waitFor();
  expect(await page.getByTestId('new-premise').count()).toBe(0);
  await page.goto(`${baseUrl}${made.premisePath}`);
  await pointRow('R-40').waitFor();
  expect(await page.getByTestId('add-service-point').count()).toBe(0);
  expect(await page.getByRole('button', { name: /Start service|End service|Install meter/ }).count()).toBe(0);
  expect(await pointRow('R-40').textContent()).toContain('no meter');
  await page.goto(`${baseUrl}/meters`);
  await page.getByTestId('meters-table').waitFor();
  expect(await page.getByTestId('receive-meter').count()).toBe(0);
  await page.goto(`${baseUrl}${made.meterPath}`);
  await page.getByTestId('meter-page').waitFor();
  expect(await page.getByTestId('correct-meter').count()).toBe(0);
  expect(await page.getByTestId('remove-meter').count()).toBe(0);
}
