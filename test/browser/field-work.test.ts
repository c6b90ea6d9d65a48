import { describe, expect, it } from 'vitest';
import { localDate } from '../../src/platform/clock.ts';
import { addDays } from '../../src/platform/dates.ts';
import { addStaff, baseUrl, call, expectNoHorizontalScroll, nav, page, shot, signIn, signOut, startStaffApp } from '../support/browser.ts';
import type { TestRuntime } from '../support/runtime.ts';

/**
 * Field work in the staff web app, end to end: a real server (in-process, random port) with a
 * district made through its HTTP API, driven in Debian's Chromium at 1366x768. A CSR opens an
 * account, sees its services and read chart, makes a move-out and completes it with a closing read
 * below the last one, so it is held; a supervisor overrides it; a CSR II accepts the read
 * exception it left, finds an order on the field work list (and its PDF), and imports a CSV read
 * file. Screenshots go to test-output/screenshots/ (fw-*.png).
 */

startStaffApp({ seed });

/** What the seeding made, for the tests. */
const seeded = {
  today: '',
  accountId: 0,
  accountNumber: '',
  premiseId: 0,
  electricPointId: 0,
  electricSerial: '',
  waterSerial: '',
  lastElectricReading: 0,
  lastWaterReading: 0,
  periods: 0,
};
/** What the tests make, for the tests after them. */
const made = { orderPath: '', checkReadNumber: '' };

/**
 * A household with electric and water service since 20 months ago: meters set with an install
 * read, a move-in, and a read every 30 days since (one estimated, one far too high so that it is
 * held as an exception).
 */
async function seed(rt: TestRuntime): Promise<void> {
  const admin = await addStaff(rt);

  const today = localDate(new Date(), rt.config.timeZone);
  const start = addDays(today, -600);
  const address = { line1: '2215 Canal Way', city: 'Wenatchee', state: 'WA', postalCode: '98801' };
  const customer = await call<{ id: number }>(admin, 'POST', '/customers', { kind: 'person', firstName: 'Lena', lastName: 'Marsh', contacts: [{ kind: 'phone', value: '509-555-0163', isPrimary: true }] });
  const account = await call<{ id: number; accountNumber: string }>(admin, 'POST', '/accounts', { customerId: customer.id, customerClass: 'residential', billingCycle: 5, billingAddress: address, openedOn: start });
  const premise = await call<{ id: number }>(admin, 'POST', '/premises', { address, premiseType: 'single_family', area: 'Wenatchee' });

  const services = [
    { service: 'electric', route: 'R-21', serial: 'E4410-77', dials: 5, first: 10_000, use: (k: number) => 620 + Math.round(140 * Math.sin(k / 2)), rate: 'RES-E' },
    { service: 'water', route: 'W-08', serial: 'W77120', dials: 6, first: 300_000, use: (k: number) => 5200 + Math.round(900 * Math.cos(k / 3)), rate: 'RES-W' },
  ] as const;
  for (const s of services) {
    const point = await call<{ id: number }>(admin, 'POST', `/premises/${premise.id}/service-points`, { service: s.service, status: 'inactive', route: s.route });
    const meter = await call<{ id: number; serial: string }>(admin, 'POST', '/meters', { serial: s.serial, kind: s.service, dials: s.dials, multiplier: '1', manufacturer: 'Itron' });
    await call(admin, 'POST', `/meters/${meter.id}/install`, { servicePointId: point.id, installedOn: start, reason: 'New service' });
    await call(admin, 'POST', `/meters/${meter.id}/reads`, { readDate: start, reading: String(s.first), purpose: 'install' });
    const moveIn = await call<{ id: number }>(admin, 'POST', '/service-orders', { type: 'move_in', servicePointId: point.id, accountId: account.id, effectiveDate: start, request: { rateCode: s.rate }, reason: 'New customer' });
    const done = await call<{ held: boolean }>(admin, 'POST', `/service-orders/${moveIn.id}/complete`, { fieldData: { read: { reading: String(s.first) } } });
    expect(done.held).toBe(false);

    let reading: number = s.first;
    let periods = 0;
    for (let k = 1; addDays(start, 30 * k) < addDays(today, -3); k++) {
      const readDate = addDays(start, 30 * k);
      if (s.service === 'electric' && k === 8) {
        const estimated = await call<{ read: { reading: string } }>(admin, 'POST', `/meters/${meter.id}/reads/estimate`, { readDate, reason: 'Gate locked; read estimated' });
        reading = Number(estimated.read.reading);
      } else {
        reading += s.service === 'electric' && k === 14 ? 3 * s.use(k) : s.use(k);
        await call(admin, 'POST', `/meters/${meter.id}/reads`, { readDate, reading: String(reading).padStart(s.dials, '0') });
      }
      periods++;
    }
    if (s.service === 'electric') Object.assign(seeded, { electricPointId: point.id, electricSerial: meter.serial, lastElectricReading: reading, periods });
    else Object.assign(seeded, { waterSerial: meter.serial, lastWaterReading: reading });
  }
  // In stock, for an exchange.
  await call(admin, 'POST', '/meters', { serial: 'W88-001', kind: 'water', dials: 6, multiplier: '1', manufacturer: 'Badger' });
  Object.assign(seeded, { today, accountId: account.id, accountNumber: account.accountNumber, premiseId: premise.id });
}

const electric = () => page.getByTestId('service').filter({ hasText: seeded.electricSerial });

describe('field work in the staff web app', () => {
  it('shows the account\'s services with their meters and a read chart', async () => {
    await page.goto(`${baseUrl}/accounts`);
    await signIn('alex.field');
    await nav().getByRole('link', { name: 'Service orders' }).waitFor();
    // A CSR I does not import read files.
    expect(await nav().getByRole('link', { name: 'Read import' }).count()).toBe(0);
    await page.getByTestId('search-input').fill('Lena Marsh');
    await expect.poll(() => page.getByTestId('search-option').count()).toBe(1);
    await page.keyboard.press('Enter');
    await page.getByTestId('account-page').waitFor();
    expect(await page.getByTestId('account-number').textContent()).toBe(seeded.accountNumber);

    const services = page.getByTestId('services-list');
    const text = await services.textContent();
    for (const expected of ['Electric', 'Water', '2215 Canal Way', 'RES-E', 'RES-W', seeded.electricSerial, seeded.waterSerial, 'kWh', 'gal', 'Route R-21', 'to open']) expect(text).toContain(expected);
    const facts = await electric().locator('.service-facts').textContent();
    expect(facts).toMatch(/Multiplier1/);
    expect(facts).toMatch(/Dials5/);

    const chart = electric().getByTestId('read-chart');
    await chart.locator('svg').waitFor();
    expect(await chart.getByRole('img').getAttribute('aria-labelledby')).toBeTruthy();
    expect(await chart.locator('svg title').first().textContent()).toBe('Use per read period, electric point ' + seeded.electricPointId + ' (kWh)');
    expect(await chart.locator('.chart-bar').count()).toBe(seeded.periods);
    expect(await chart.locator('[data-kind="estimated"]').count()).toBe(1);
    expect(await chart.locator('[data-kind="exception"]').count()).toBe(1);
    expect(await chart.locator('[data-flagged]').count()).toBe(1);
    // The figures are there as a table too, for keyboard and screen-reader users.
    await chart.getByText('Reads as a table').click();
    expect(await chart.locator('table tbody tr').count()).toBe(seeded.periods);
    expect(await chart.locator('table').textContent()).toContain('High vs average (open)');
    await chart.getByText('Reads as a table').click();
    await page.getByTestId('account-orders-table').waitFor();
    expect(await page.getByTestId('account-orders-table').locator('tbody tr').count()).toBe(2);
    await shot('fw-01-account-services');
    await expectNoHorizontalScroll();
  });

  it('makes a move-out order from the account page', async () => {
    await electric().getByRole('link', { name: `Move-out at electric point ${seeded.electricPointId}` }).click();
    const form = page.getByTestId('new-order-form');
    await form.waitFor();
    expect(await form.getByLabel('Order type').inputValue()).toBe('move_out');
    await expect.poll(() => form.getByLabel('Service point').inputValue()).toBe(String(seeded.electricPointId));
    expect(await form.getByLabel('Effective date').inputValue()).toBe(seeded.today);
    // The reason is required: the server's message stands beside the field.
    await page.getByTestId('save-order').click();
    await expect.poll(() => form.getByLabel('Reason').getAttribute('aria-invalid')).toBe('true');
    expect(await form.getByTestId('form-error').textContent()).toContain('body.reason');
    await form.getByLabel('Crew').fill('North 2');
    await form.getByLabel('Instructions for the field').fill('Meter on the north wall; dog in the yard');
    await form.getByLabel('Reason').fill('Customer moving out of the district');
    await shot('fw-02-new-move-out');
    await expectNoHorizontalScroll();
    await form.getByLabel('Reason').press('Enter');

    await page.getByTestId('order-page').waitFor();
    made.orderPath = new URL(page.url()).pathname;
    expect(made.orderPath).toMatch(/^\/service-orders\/\d+$/);
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toMatch(/^SO-\d{6} Move-out$/);
    expect(await page.getByTestId('order-status').textContent()).toBe('Created');
    expect(await page.getByTestId('order-facts').textContent()).toContain('North 2');
  });

  it('completes the move-out with a closing read below the last read, which holds it', async () => {
    await page.getByTestId('complete-order').click();
    const dialog = page.getByTestId('complete-order-dialog');
    const reading = dialog.getByLabel('Closing read');
    await expect.poll(() => dialog.locator('.field-hint').first().textContent()).toContain(`last read ${seeded.lastElectricReading}`);
    expect(await reading.evaluate((el) => el === document.activeElement)).toBe(true);
    await reading.fill(String(seeded.lastElectricReading - 150));
    await dialog.getByLabel('Seal number').fill('S-88112');
    await dialog.getByLabel('Notes').fill('Customer read the meter with the crew');
    await shot('fw-03-complete-move-out');
    await dialog.getByTestId('save-complete').click();

    const held = page.getByTestId('held-findings');
    await held.waitFor();
    expect(await held.textContent()).toContain('Closing read below last');
    expect(await held.textContent()).toContain(`is below its last read ${seeded.lastElectricReading}`);
    expect(await page.getByTestId('order-status').textContent()).toBe('Held');
    expect(await page.getByTestId('order-field-data').textContent()).toContain('S-88112');
    expect(await page.getByTestId('order-exceptions-table').textContent()).toContain('Open');
    // Only a supervisor overrides.
    expect(await page.getByTestId('override-order').count()).toBe(0);
    await page.getByTestId('complete-order').waitFor();
    await shot('fw-04-order-held');
    await expectNoHorizontalScroll();
    await signOut();
  });

  it('lets a supervisor override the held order with a reason', async () => {
    await signIn('pat.supervisor');
    await page.goto(`${baseUrl}${made.orderPath}`);
    await page.getByTestId('held-findings').waitFor();
    await page.getByTestId('override-order').click();
    const dialog = page.getByTestId('override-order-dialog');
    expect(await dialog.textContent()).toContain('is below its last read');
    await dialog.getByLabel('Reason for the override').fill('Meter register was replaced in the field last month; read confirmed');
    await shot('fw-05-override');
    await dialog.getByTestId('save-override').click();
    await expect.poll(() => page.getByTestId('order-status').textContent()).toBe('Completed');
    const notice = await page.getByTestId('completion-notice').textContent();
    expect(notice).toContain('checks overridden: closing read below last');
    expect(notice).toContain('read exceptions');
    expect(await page.getByTestId('held-findings').count()).toBe(0);
    expect(await page.getByTestId('order-exceptions-table').textContent()).toContain('Overridden');
    expect(await page.getByTestId('order-reads-table').textContent()).toContain('Negative use');
    expect(await page.getByTestId('complete-order').count()).toBe(0);
    await shot('fw-06-order-overridden');
    await expectNoHorizontalScroll();
    await signOut();
  });

  it('shows the read exception to a CSR II, who accepts it with a reason', async () => {
    await signIn('jordan.lee');
    await nav().getByRole('link', { name: 'Read exceptions' }).click();
    const table = page.getByTestId('read-exceptions-table');
    await table.waitFor();
    const rows = () => table.locator('tbody tr');
    const negative = rows().filter({ hasText: 'Negative use' });
    await negative.waitFor();
    // The seeded high read (high against the average and against last year) and the closing read.
    expect(await rows().count()).toBe(3);
    expect(await negative.textContent()).toContain(seeded.electricSerial);
    expect(await negative.textContent()).toContain(seeded.accountNumber);
    expect(await negative.getByRole('link', { name: seeded.electricSerial }).getAttribute('href')).toMatch(/^\/meters\/\d+$/);
    expect(await negative.getByRole('link', { name: seeded.accountNumber }).getAttribute('href')).toBe(`/accounts/${seeded.accountId}`);
    await shot('fw-07-read-exceptions');
    await expectNoHorizontalScroll();

    // The code filter.
    await page.getByLabel('Exception', { exact: true }).selectOption('negative_use');
    await page.getByRole('search', { name: 'Filter read exceptions' }).getByRole('button', { name: 'Filter' }).click();
    await expect.poll(() => rows().count()).toBe(1);
    expect(new URL(page.url()).search).toBe('?code=negative_use');

    await negative.getByRole('button', { name: /^Accept the read of meter/ }).click();
    const dialog = page.getByTestId('accept-read-dialog');
    await dialog.getByLabel('Reason').fill('Register replaced last month; the use is right');
    await shot('fw-08-accept-read');
    await dialog.getByTestId('save-accept-read').click();
    await expect.poll(() => page.getByTestId('read-exception-done').textContent()).toContain('the read is accepted');
    await expect.poll(() => page.getByTestId('read-exceptions-table').count()).toBe(0);
    expect(await page.getByText('No open read exceptions.').count()).toBe(1);
  });

  it('makes a check-read order from the queue, for a premise found by its address', async () => {
    await nav().getByRole('link', { name: 'Service orders' }).click();
    // Every order so far is completed: the open queue is empty.
    await page.getByText('No service orders match.').waitFor();
    await page.getByTestId('new-order').click();
    const form = page.getByTestId('new-order-form');
    await form.getByLabel('Order type').selectOption('check_read');
    await form.getByLabel('Address of the premise').fill('2215 canal');
    await form.getByRole('radio', { name: /2215 Canal Way/ }).check();
    await expect.poll(() => form.getByLabel('Service point').locator('option').count()).toBe(3);
    await form.getByLabel('Service point').selectOption(String(seeded.electricPointId));
    await form.getByLabel('Priority').selectOption('urgent');
    await form.getByLabel('Reason').fill('Confirm the register after the move-out');
    await shot('fw-09-new-check-read');
    await page.getByTestId('save-order').click();
    await page.getByTestId('order-page').waitFor();
    expect(await page.getByTestId('order-status').textContent()).toBe('Created');
    made.checkReadNumber = (await page.getByRole('heading', { level: 1 }).textContent())!.slice(0, 9);

    // Scheduled for tomorrow's crew.
    await page.getByTestId('schedule-order').click();
    const dialog = page.getByTestId('schedule-order-dialog');
    expect(await dialog.getByLabel('Scheduled for').evaluate((el) => el === document.activeElement)).toBe(true);
    await dialog.getByLabel('Scheduled for').fill(addDays(seeded.today, 1));
    await dialog.getByLabel('Crew').fill('North 2');
    await dialog.getByLabel('Crew').press('Enter');
    await expect.poll(() => page.getByTestId('order-status').textContent()).toBe('Scheduled');
    expect(await page.getByTestId('order-facts').textContent()).toContain(addDays(seeded.today, 1));
    expect(await page.getByTestId('schedule-order').textContent()).toBe('Reschedule');

    await nav().getByRole('link', { name: 'Service orders' }).click();
    const queue = page.getByTestId('orders-table');
    await queue.waitFor();
    expect(await queue.textContent()).toContain(made.checkReadNumber);
    // The completed move-out is not in the open queue, but is among all orders.
    expect(await queue.textContent()).not.toContain('Move-out');
    await page.getByLabel('Status', { exact: true }).selectOption('all');
    await page.getByRole('search', { name: 'Filter service orders' }).getByRole('button', { name: 'Filter' }).click();
    await expect.poll(() => page.getByTestId('orders-table').textContent()).toContain('Move-out');
    await shot('fw-10-orders-queue');
    await expectNoHorizontalScroll();
  });

  it('shows the field work list with the order, and its PDF and CSV', async () => {
    await nav().getByRole('link', { name: 'Field work list' }).click();
    await page.getByTestId('work-list').waitFor();
    await page.getByLabel('Day', { exact: true }).fill(addDays(seeded.today, 1));
    await page.getByLabel('Route', { exact: true }).fill('R-21');
    await page.getByRole('search', { name: 'Choose the work list' }).getByRole('button', { name: 'Filter' }).click();
    const table = page.getByTestId('work-list-table');
    await table.waitFor();
    const row = table.locator('tbody tr').filter({ hasText: made.checkReadNumber });
    expect(await row.textContent()).toContain('Check read');
    expect(await row.textContent()).toContain(seeded.electricSerial);
    expect(await row.textContent()).toContain('2215 Canal Way');
    await shot('fw-11-work-list');
    await expectNoHorizontalScroll();

    const pdfHref = await page.getByTestId('work-list-pdf').getAttribute('href');
    expect(pdfHref).toBe(`/api/v1/work-list?date=${addDays(seeded.today, 1)}&route=R-21&format=pdf`);
    const pdf = await page.request.get(`${baseUrl}${pdfHref}`);
    expect(pdf.status()).toBe(200);
    expect(pdf.headers()['content-type']).toBe('application/pdf');
    expect((await pdf.body()).subarray(0, 5).toString()).toBe('%PDF-');
    const csv = await page.request.get(`${baseUrl}${await page.getByTestId('work-list-csv').getAttribute('href')}`);
    expect(csv.status()).toBe(200);
    expect(csv.headers()['content-type']).toContain('text/csv');
    expect(await csv.text()).toContain(made.checkReadNumber);
  });

  it('imports a CSV read file and shows the counts and the rejected records', async () => {
    await nav().getByRole('link', { name: 'Read import' }).click();
    const form = page.getByTestId('read-import-form');
    await form.waitFor();
    expect(await form.getByLabel('Layout').inputValue()).toBe('standard');
    // Nothing chosen: said beside the file input.
    await page.getByTestId('upload-reads').click();
    await expect.poll(() => form.getByLabel('File', { exact: true }).getAttribute('aria-invalid')).toBe('true');
    const waterReading = String(seeded.lastWaterReading + 4800).padStart(6, '0');
    const csv = ['meter_serial,read_date,reading', `${seeded.waterSerial},${seeded.today},${waterReading}`, `NOSUCH-1,${seeded.today},00100`, ''].join('\n');
    await form.getByLabel('File', { exact: true }).setInputFiles({ name: 'route-w08.csv', mimeType: 'text/csv', buffer: Buffer.from(csv) });
    await page.getByTestId('upload-reads').click();
    const result = page.getByTestId('import-result');
    await result.waitFor();
    expect(await result.getByTestId('import-records').textContent()).toBe('2');
    expect(await result.getByTestId('import-imported').textContent()).toBe('1');
    expect(await result.getByTestId('import-rejected').textContent()).toBe('1');
    const rejections = page.getByTestId('import-rejections');
    expect(await rejections.textContent()).toContain('NOSUCH-1');
    expect(await rejections.textContent()).toContain('no meter with serial NOSUCH-1');
    expect(await rejections.locator('tbody tr').first().locator('td').first().textContent()).toBe('3');
    await page.getByTestId('read-imports-table').getByText('route-w08.csv').waitFor();
    await shot('fw-12-read-import', true);
    await expectNoHorizontalScroll();
  });

  it('exchanges the water meter for one found by its serial, and completes the exchange', async () => {
    await page.goto(`${baseUrl}/accounts/${seeded.accountId}`);
    const water = page.getByTestId('service').filter({ hasText: seeded.waterSerial });
    await water.getByRole('link', { name: /^Meter exchange at water point/ }).click();
    const form = page.getByTestId('new-order-form');
    await expect.poll(() => form.getByLabel('Service point').inputValue()).not.toBe('');
    expect(await form.getByLabel('Order type').inputValue()).toBe('meter_exchange');
    await form.getByLabel('New meter serial').fill('w88');
    const choice = form.getByRole('radio', { name: /W88-001/ });
    await expect.poll(() => choice.isChecked()).toBe(true);
    await form.getByLabel('Old meter goes to').selectOption('testing');
    await form.getByLabel('Reason').fill('Meter due for its periodic test');
    await shot('fw-13-new-exchange');
    await page.getByTestId('save-order').click();
    await page.getByTestId('order-page').waitFor();
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toMatch(/Meter exchange$/);
    expect(await page.getByTestId('order-facts').textContent()).toContain('Testing');

    await page.getByTestId('complete-order').click();
    const dialog = page.getByTestId('complete-order-dialog');
    const closing = String(seeded.lastWaterReading + 4820).padStart(6, '0');
    await dialog.getByLabel('Closing read of the old meter').fill(closing);
    await dialog.getByLabel('Opening read').fill('000012');
    await expect.poll(() => dialog.getByRole('group', { name: /New meter W88-001 as found/ }).count()).toBe(1);
    await dialog.getByRole('group', { name: /New meter/ }).getByLabel('Dials').fill('6');
    await dialog.getByLabel('Seal number').fill('S-90001');
    await shot('fw-14-complete-exchange');
    await dialog.getByTestId('save-complete').click();
    await expect.poll(() => page.getByTestId('order-status').textContent()).toBe('Completed');
    const reads = await page.getByTestId('order-reads-table').textContent();
    expect(reads).toContain(seeded.waterSerial);
    expect(reads).toContain('Exchange out');
    expect(reads).toContain('Exchange in');
    expect(await page.getByTestId('order-field-data').textContent()).toContain('6 dials');
    await shot('fw-15-exchange-completed');
    await expectNoHorizontalScroll();
  });

  it('shows the ended service with its final bill due and the new reads on the account page', async () => {
    await page.goto(`${baseUrl}/accounts/${seeded.accountId}`);
    await page.getByTestId('services-list').waitFor();
    await electric().getByTestId('final-bill-due').waitFor();
    expect(await electric().textContent()).toContain(`to ${seeded.today}`);
    expect(await electric().textContent()).toContain('Ended: Move out');
    // The ended service starts no orders; the water service does.
    expect(await electric().getByRole('link', { name: /^Move-out/ }).count()).toBe(0);
    // The water service goes on, through its new meter.
    const water = page.getByTestId('service').filter({ hasText: 'W88-001' });
    await water.getByRole('link', { name: /^Move-out/ }).waitFor();
    const chart = electric().getByTestId('read-chart');
    await chart.locator('svg').waitFor();
    // The closing read below the last is a bar below zero, marked as having had an exception.
    expect(await chart.locator('.chart-bar').count()).toBe(seeded.periods + 1);
    expect(await chart.locator('[data-flagged]').count()).toBe(2);
    expect(await water.getByTestId('read-chart').locator('.chart-bar').count()).toBeGreaterThan(seeded.periods);
    expect(await page.getByTestId('account-orders-table').textContent()).toContain(made.checkReadNumber);
    await shot('fw-16-account-after-move-out', true);
    await expectNoHorizontalScroll();
  });

  it('opens the transfer form with the account\'s services and a premise found by address', async () => {
    await page.getByTestId('transfer-service').click();
    const dialog = page.getByTestId('transfer-dialog');
    await dialog.getByRole('checkbox', { name: /Water.*2215 Canal Way/ }).waitFor();
    // The electric service ended with the move-out: there is nothing to stop.
    expect(await dialog.getByRole('checkbox', { name: /Electric/ }).count()).toBe(0);
    expect(await dialog.getByRole('checkbox', { name: /Water/ }).isChecked()).toBe(true);
    await dialog.getByLabel('New premise address').fill('2215');
    await dialog.getByRole('radio', { name: /2215 Canal Way/ }).check();
    await dialog.getByTestId('transfer-start').getByLabel(/Rate code, water point/).waitFor();
    expect(await dialog.getByTestId('transfer-start').getByLabel(/Rate code, water point/).inputValue()).toBe('RES-W');
    await shot('fw-17-transfer');
    await dialog.getByRole('button', { name: 'Cancel' }).click();
  });

  it('enters a read by hand; one below the last is recorded and held for review', async () => {
    const water = page.getByTestId('service').filter({ hasText: 'W88-001' });
    const bars = await water.locator('.chart-bar').count();
    await water.getByRole('button', { name: 'Enter a read of meter W88-001' }).click();
    const dialog = page.getByTestId('enter-read-dialog');
    const reading = dialog.getByLabel(/^Reading/);
    expect(await reading.evaluate((el) => el === document.activeElement)).toBe(true);
    await expect.poll(() => dialog.locator('.field-hint').first().textContent()).toContain('last read 12 on');
    await reading.fill('000005');
    await dialog.getByLabel('Note').fill('Read from the street');
    await shot('fw-18-enter-read');
    await reading.press('Enter');
    const held = page.getByTestId('read-held');
    await held.waitFor();
    expect(await held.textContent()).toContain('Negative use');
    await shot('fw-19-read-held');
    await page.getByRole('button', { name: 'Done' }).click();
    await expect.poll(() => water.locator('[data-kind="exception"]').count()).toBe(1);
    expect(await water.locator('.chart-bar').count()).toBe(bars + 1);
  });
});
