import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../src/app/build-app.ts';
import { ensureWebBuilt } from '../../src/app/web-build.ts';
import { customers } from '../../src/customer/index.ts';
import { systemActor, type Actor } from '../../src/platform/actor.ts';
import { FixedClock } from '../../src/platform/clock.ts';
import type { App } from '../../src/platform/http/app-types.ts';
import { premises } from '../../src/premise/index.ts';
import { createUser } from '../../src/staff/index.ts';
import { createTestRuntime, type TestRuntime } from '../support/runtime.ts';

/**
 * The staff web app end to end: a real server (in-process, random port) serving the built app,
 * driven in Debian's Chromium at 1366x768. Screenshots go to test-output/screenshots/.
 */

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const shots = path.join(root, 'test-output/screenshots');
const password = 'correct horse battery';

let runtime: TestRuntime;
let app: App;
let browser: Browser;
let page: Page;
let baseUrl: string;
const seeded = { accountId: 0, accountNumber: '', businessAccountNumber: '' };

async function seed(rt: TestRuntime): Promise<void> {
  const admin = await createUser(rt.db, systemActor('test'), { username: 'casey.morgan', displayName: 'Casey Morgan', role: 'admin', password });
  await createUser(rt.db, systemActor('test'), { username: 'robin.auditor', displayName: 'Robin Auditor', role: 'auditor', password });
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

  Object.assign(seeded, { accountId: account.id, accountNumber: account.accountNumber, businessAccountNumber: business.accountNumber });
}

const shot = (name: string, fullPage = false) => page.screenshot({ path: path.join(shots, `${name}.png`), fullPage });

beforeAll(async () => {
  fs.mkdirSync(shots, { recursive: true });
  await ensureWebBuilt();
  // The clock stands at the real time, so the session cookie's expiry is in the browser's future.
  runtime = await createTestRuntime({ clock: new FixedClock(new Date()) });
  await seed(runtime);
  app = await buildApp(runtime);
  await app.listen({ port: 0, host: '127.0.0.1' });
  const address = app.server.address();
  if (!address || typeof address === 'string') throw new Error('no server address');
  baseUrl = `http://127.0.0.1:${address.port}`;
  browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  const context = await browser.newContext({ viewport: { width: 1366, height: 768 }, timezoneId: 'UTC', locale: 'en-US' });
  page = await context.newPage();
  page.setDefaultTimeout(15_000);
});

afterAll(async () => {
  await browser?.close();
  await app?.close();
  await runtime?.close();
});

/** No horizontal scroll bar at 1366 wide. */
async function expectNoHorizontalScroll() {
  const widths = await page.evaluate(() => ({ scroll: document.documentElement.scrollWidth, client: document.documentElement.clientWidth }));
  expect(widths.scroll).toBeLessThanOrEqual(widths.client);
}

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
    const services = page.getByTestId('services-table');
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
    await page.getByTestId('sign-out').click();
    await page.getByTestId('login-form').waitFor();
    await page.reload();
    await page.getByTestId('login-form').waitFor();
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
  });
});
