import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { addBusinessDays } from '../../src/billing/schedule.ts';
import { addDays } from '../../src/platform/dates.ts';
import { formatCents } from '../../src/platform/money.ts';
import { addStaff, baseUrl, call, expectNoHorizontalScroll, login, nav, page, shot, signIn, signOut, startStaffApp, type ApiSession } from '../support/browser.ts';
import { repoRoot } from '../support/cli.ts';
import type { TestRuntime } from '../support/runtime.ts';

/**
 * The daily collections run in the staff web app, end to end: a real server (in-process, random
 * port) with two households on fiber service (FIB-100) whose bill of a recent cycle, due at least
 * five days ago, was billed by the billing run and left unpaid, made through its HTTP API, driven
 * in Debian's Chromium at 1366x768. One of them is a deceased customer's account (an alert that
 * holds every notice). A CSR II runs today's collections from the work queue: the first account's
 * case opens and gets its past-due notice, the second is passed over with the protection named;
 * the queue lists both cases and filters them. The account's collections card shows the open case,
 * the notice with its PDF, and the server's refusal of a disconnect order without a disconnect
 * notice. A second run says it already ran today and did nothing. The runs page shows the date's
 * notices and its print batch file. The settings page shows the path's steps; a supervisor
 * changes one, and the server refuses a notice period below the law with its message. A third
 * household, disconnected and owing nothing, is reconnected from its card after hours with both
 * fees; only a supervisor is offered to waive them.
 * Screenshots go to test-output/screenshots/ (cr-*.png).
 */

startStaffApp({ seed });

interface ScheduleItem { cycle: number; readDate: string; billDate: string; dueDate: string }
interface Bill { id: number; status: string; totalCents: number; dueDate: string }

/** What the seeding made, for the tests. */
const seeded = {
  today: '',
  dueDate: '',
  billCents: 0,
  ada: { id: 0, number: '' },
  dora: { id: 0, number: '' },
  rex: { id: 0, number: '' },
};

const example = (code: string) => JSON.parse(fs.readFileSync(path.join(repoRoot, 'src/tariff/examples', `${code}.json`), 'utf8')) as Record<string, unknown>;

async function fiberHousehold(csr2: ApiSession, supervisor: ApiSession, who: { firstName: string; lastName: string; line1: string }, cycle: number, start: string, pointStatus: 'active' | 'disconnected' = 'active') {
  const address = { line1: who.line1, city: 'Wenatchee', state: 'WA', postalCode: '98801' };
  const customer = await call<{ id: number }>(csr2, 'POST', '/customers', { kind: 'person', firstName: who.firstName, lastName: who.lastName });
  const account = await call<{ id: number; accountNumber: string }>(csr2, 'POST', '/accounts', { customerId: customer.id, customerClass: 'residential', billingCycle: cycle, billingAddress: address, openedOn: start });
  const premise = await call<{ id: number }>(csr2, 'POST', '/premises', { address, premiseType: 'single_family', area: 'WEN' });
  const point = await call<{ id: number }>(supervisor, 'POST', `/premises/${premise.id}/service-points`, { service: 'fiber', status: pointStatus, route: 'R09' });
  await call(csr2, 'POST', '/service-agreements', { accountId: account.id, servicePointId: point.id, rateCode: 'FIB-100', startDate: start, reason: 'Service started' });
  return { id: account.id, number: account.accountNumber };
}

/**
 * FIB-100, this year's and last year's billing schedule, and two households on the cycle whose
 * due date is the latest at least five days before today, billed by that cycle's run and not paid.
 * Dora Estate's account has a deceased alert.
 */
async function seed(rt: TestRuntime): Promise<void> {
  const admin = await addStaff(rt);
  const supervisor = await login('pat.supervisor');
  const csr2 = await login('jordan.lee');
  await call(supervisor, 'POST', '/tariffs', { tariff: example('FIB-100'), reason: 'Fiber rates adopted' });
  const today = rt.clock.today();
  const year = Number(today.slice(0, 4));
  const entries: ScheduleItem[] = [];
  for (const y of [year - 1, year]) {
    await call(supervisor, 'POST', '/billing/schedule/generate', { year: y, reason: 'Yearly schedule' });
    entries.push(...(await call<{ items: ScheduleItem[] }>(supervisor, 'GET', `/billing/schedule?year=${y}`)).items);
  }
  // Due at least five days ago: the past-due notice's day (one business day after) has come.
  const entry = entries.filter((e) => e.dueDate <= addDays(today, -5)).sort((a, b) => b.dueDate.localeCompare(a.dueDate) || a.cycle - b.cycle)[0]!;
  expect(addBusinessDays(entry.dueDate, 1) <= today).toBe(true);
  const start = addDays(entry.readDate, -45);
  const ada = await fiberHousehold(csr2, supervisor, { firstName: 'Ada', lastName: 'Overdue', line1: '711 Arrears Lane' }, entry.cycle, start);
  const dora = await fiberHousehold(csr2, supervisor, { firstName: 'Dora', lastName: 'Estate', line1: '713 Arrears Lane' }, entry.cycle, start);
  await call(csr2, 'POST', '/billing/runs', { cycle: entry.cycle, date: entry.readDate });
  let billCents = 0;
  for (const a of [ada, dora]) {
    const [bill] = (await call<{ items: Bill[] }>(admin, 'GET', `/accounts/${a.id}/bills`)).items;
    expect(bill, `a bill for ${a.number}`).toBeDefined();
    expect(bill!.dueDate).toBe(entry.dueDate);
    if (bill!.status === 'held') await call(supervisor, 'POST', `/bills/${bill!.id}/approve`, { reason: 'First bill checked' });
    billCents = bill!.totalCents;
  }
  expect(billCents).toBeGreaterThanOrEqual(5000);
  // Rex owes nothing (his cycle is not billed) and his service was disconnected: he may be reconnected.
  const rex = await fiberHousehold(csr2, supervisor, { firstName: 'Rex', lastName: 'Reconnect', line1: '715 Arrears Lane' }, entry.cycle === 1 ? 2 : 1, start, 'disconnected');
  await call(csr2, 'POST', `/accounts/${dora.id}/alerts`, { kind: 'deceased', note: 'Estate of Dora Estate, executor notified', startsOn: start, reason: 'Death notice from the family' });
  Object.assign(seeded, { today, dueDate: entry.dueDate, billCents, ada, dora, rex });
}

interface AccountCollections {
  today: string;
  openCase: { id: number; step: string | null; stepOn: string | null; dueDate: string } | null;
  notices: { id: number; kind: string }[];
  actions: { action: string }[];
}
const panelOf = async (accountId: number) => call<AccountCollections>(await login('casey.morgan'), 'GET', `/accounts/${accountId}/collections`);

const queueRows = () => page.getByTestId('collections-queue-table').locator('tbody tr');
const queueFilter = () => page.getByRole('search', { name: 'Filter the collections queue' });
const rowOf = (number: string) => queueRows().filter({ has: page.getByRole('link', { name: number }) });

describe('the daily collections run in the staff web app', () => {
  it("runs today's collections from the work queue: the unpaid account gets its past-due notice, the protected one is passed over with its reason", async () => {
    await page.goto(`${baseUrl}/accounts`);
    await signIn('jordan.lee');
    await nav().getByRole('link', { name: 'Collections queue' }).click();
    await page.getByTestId('collections-queue').waitFor();
    expect(new URL(page.url()).pathname).toBe('/collections/queue');
    expect(await nav().getByRole('link', { name: 'Collections queue' }).getAttribute('aria-current')).toBe('page');
    expect(await nav().getByRole('link', { name: 'Collections runs' }).getAttribute('aria-current')).toBeNull();
    // Nothing has run yet: no account is on the path.
    await page.getByText('No account is on the collections path.').waitFor();
    await shot('cr-01-queue-empty');

    await page.getByTestId('run-collections').click();
    const result = page.getByTestId('collections-run-result');
    await result.waitFor();
    expect(await result.getAttribute('data-already-run')).toBe('false');
    expect(await result.getByTestId('collections-run-done').textContent()).toContain(`Collections run of ${seeded.today}: 2 accounts reviewed`);
    expect(await result.getByTestId('run-reviewed').textContent()).toBe('2');
    expect(await result.getByTestId('run-errors').textContent()).toBe('0');
    expect(await result.getByTestId('run-notices').textContent()).toBe('1');
    // Ada: her case opened and the past-due notice went out, with its PDF.
    const adaActions = result.getByTestId('run-actions-table').locator('tbody tr').filter({ has: page.getByRole('link', { name: seeded.ada.number }) });
    const kinds = await adaActions.getByTestId('collections-action').evaluateAll((els) => els.map((e) => e.getAttribute('data-action')));
    expect(kinds).toContain('case_opened');
    expect(kinds).toContain('past_due_notice');
    const noticeRow = adaActions.filter({ has: page.locator('[data-action="past_due_notice"]') });
    expect(await noticeRow.textContent()).toContain(formatCents(seeded.billCents));
    const adaPanel = await panelOf(seeded.ada.id);
    expect(adaPanel.notices.map((n) => n.kind)).toEqual(['past_due']);
    expect(await noticeRow.getByTestId('notice-pdf').getAttribute('href')).toBe(`/api/v1/collections/notices/${adaPanel.notices[0]!.id}/pdf`);
    // Dora: passed over, and the deceased alert is named as what held her notice.
    const doraSkipped = result.getByTestId('run-skipped-table').locator('tbody tr').filter({ has: page.getByRole('link', { name: seeded.dora.number }) });
    expect(await doraSkipped.getByTestId('run-skipped-step').textContent()).toBe('past_due_notice');
    expect(await doraSkipped.getByTestId('collections-hold').getAttribute('data-kind')).toBe('deceased');
    expect(await doraSkipped.textContent()).toContain('Deceased customer');
    expect(await result.getByTestId('run-skipped').textContent()).toBe('1');
    await result.scrollIntoViewIfNeeded();
    await shot('cr-02-run-result', true);
    await expectNoHorizontalScroll();

    // The queue is loaded again: both cases, Dora's with the hold on it.
    await queueFilter().getByLabel('Next step').selectOption('all');
    await queueFilter().getByRole('button', { name: 'Filter' }).click();
    await expect.poll(() => queueRows().count()).toBe(2);
    expect(new URL(page.url()).searchParams.get('due')).toBe('all');
    expect(await rowOf(seeded.ada.number).textContent()).toContain('Ada Overdue');
    expect(await rowOf(seeded.ada.number).getByTestId('queue-collectable').textContent()).toBe(formatCents(seeded.billCents));
    expect(await rowOf(seeded.ada.number).getByTestId('queue-last-step').textContent()).toBe('Past due notice');
    expect(await rowOf(seeded.ada.number).getByTestId('queue-holds').count()).toBe(0);
    expect(await rowOf(seeded.dora.number).getByTestId('queue-next-label').textContent()).toBe('Past-due notice');
    expect(await rowOf(seeded.dora.number).getByTestId('queue-next-step').getAttribute('data-due')).toBe('true');
    expect(await rowOf(seeded.dora.number).getByTestId('collections-hold-detail').textContent()).toContain('Deceased customer');
    // Held / not held.
    await queueFilter().getByLabel('Protections').selectOption('held');
    await queueFilter().getByRole('button', { name: 'Filter' }).click();
    await expect.poll(() => queueRows().count()).toBe(1);
    expect(await rowOf(seeded.dora.number).count()).toBe(1);
    await shot('cr-03-queue-held');
    await queueFilter().getByLabel('Protections').selectOption('not_held');
    await queueFilter().getByRole('button', { name: 'Filter' }).click();
    await expect.poll(() => rowOf(seeded.ada.number).count()).toBe(1);
    expect(await queueRows().count()).toBe(1);
    await expectNoHorizontalScroll();
  });

  it('shows the open case and the notice on the account card, and the refusal of a disconnect order without a disconnect notice', async () => {
    await rowOf(seeded.ada.number).getByRole('link', { name: seeded.ada.number }).click();
    await page.getByTestId('account-page').waitFor();
    const card = page.getByTestId('collections-card');
    const panel = await panelOf(seeded.ada.id);
    const openCase = card.getByTestId('collections-open-case');
    await openCase.waitFor();
    expect(await openCase.getAttribute('data-case-id')).toBe(String(panel.openCase!.id));
    expect(await card.getByTestId('collections-collectable').textContent()).toBe(formatCents(seeded.billCents));
    expect(await card.getByTestId('collections-case-due').textContent()).toBe(seeded.dueDate);
    expect(await card.getByTestId('collections-last-step').textContent()).toBe(`Past due notice on ${seeded.today}`);
    expect(await card.getByTestId('collections-no-holds').count()).toBe(1);
    const notices = card.getByTestId('collections-notices').locator('tbody tr');
    expect(await notices.count()).toBe(1);
    expect(await notices.first().getByTestId('collections-notice-kind').textContent()).toBe('Past-due notice');
    const href = await notices.first().getByTestId('collections-notice-pdf').getAttribute('href');
    expect(href).toBe(`/api/v1/collections/notices/${panel.notices[0]!.id}/pdf`);
    const pdf = await fetch(`${baseUrl}${href}`, { headers: { cookie: (await login('jordan.lee')).cookie } });
    expect(pdf.status).toBe(200);
    expect(pdf.headers.get('content-type')).toBe('application/pdf');
    expect(Buffer.from(await pdf.arrayBuffer()).subarray(0, 5).toString()).toBe('%PDF-');
    const actions = card.getByTestId('collections-actions').locator('tbody tr');
    expect(await actions.count()).toBe(panel.actions.length);
    // Not disconnected: no Reconnect button.
    expect(await card.getByTestId('reconnect').count()).toBe(0);
    await card.scrollIntoViewIfNeeded();
    await shot('cr-04-account-card');

    // No disconnect notice yet: the server refuses the order and says why.
    await card.getByTestId('order-disconnect').click();
    const dialog = page.getByTestId('order-disconnect-dialog');
    await dialog.getByLabel('Reason').fill('Customer refused payment at the door');
    await dialog.getByTestId('save-order-disconnect').click();
    await expect.poll(() => dialog.getByTestId('form-error').textContent()).toContain('has had no disconnect notice');
    await shot('cr-05-disconnect-refused');
    await dialog.getByRole('button', { name: 'Cancel' }).click();
    expect((await panelOf(seeded.ada.id)).actions.length).toBe(panel.actions.length);
    await expectNoHorizontalScroll();
  });

  it('says a second run today did nothing, and shows the run with its notices and print batch file', async () => {
    await page.goto(`${baseUrl}/collections`);
    await page.getByTestId('collections-queue').waitFor();
    await page.getByTestId('run-collections').click();
    const already = page.getByTestId('collections-run-already');
    await already.waitFor();
    expect(await already.textContent()).toBe(`Collections already run today (${seeded.today}): nothing done.`);
    expect(await page.getByTestId('run-actions-table').count()).toBe(0);
    await shot('cr-06-already-run');
    // Nothing was done twice.
    expect((await panelOf(seeded.ada.id)).notices).toHaveLength(1);

    await nav().getByRole('link', { name: 'Collections runs' }).click();
    const runs = page.getByTestId('collections-runs-table').locator('tbody tr');
    await expect.poll(() => runs.count()).toBe(1);
    expect(await runs.first().getByTestId('run-date').textContent()).toBe(seeded.today);
    const detail = page.getByTestId('collections-run-detail');
    await detail.getByTestId('run-detail-actions').waitFor();
    expect(await detail.getByTestId('run-detail-summary').textContent()).toContain('2 accounts reviewed');
    const skipped = detail.getByTestId('run-detail-skipped').locator('tbody tr');
    expect(await skipped.count()).toBe(1);
    expect(await skipped.first().getByRole('link', { name: seeded.dora.number }).count()).toBe(1);
    expect(await skipped.first().getByTestId('collections-hold').getAttribute('data-kind')).toBe('deceased');
    const notices = detail.getByTestId('run-detail-notice-list').locator('tbody tr');
    expect(await notices.count()).toBe(1);
    expect(await notices.first().getByRole('link', { name: seeded.ada.number }).count()).toBe(1);
    const file = detail.getByTestId('print-file-link');
    const href = await file.getAttribute('href');
    expect(href).toBe(`/api/v1/collections/runs/${seeded.today}/print-file`);
    const csv = await fetch(`${baseUrl}${href}`, { headers: { cookie: (await login('jordan.lee')).cookie } });
    expect(csv.status).toBe(200);
    expect(csv.headers.get('content-type')).toMatch(/^text\/csv/);
    const lines = (await csv.text()).trim().split(/\r?\n/);
    expect(lines[0]).toContain('notice_id,kind,delivery,account_number');
    expect(lines).toHaveLength(2);
    expect(lines[1]).toContain(`,past_due,mail,${seeded.ada.number}`);
    await shot('cr-07-runs', true);
    await expectNoHorizontalScroll();
    await signOut();
  });

  it('shows the path on the settings page; a supervisor changes a step, and a notice period below the law is refused with the reason', async () => {
    await page.goto(`${baseUrl}/collections/settings`);
    await signIn('pat.supervisor');
    const settings = await call<{ mailedNoticeBusinessDays: number; minimumPastDueCents: number; steps: { code: string; label: string; days: number }[] }>(await login('casey.morgan'), 'GET', '/collections/settings');
    const steps = page.getByTestId('collections-steps-table').locator('tbody tr');
    await expect.poll(() => steps.count()).toBe(settings.steps.length);
    expect(await steps.getByTestId('step-label').allTextContents()).toEqual(settings.steps.map((s) => s.label));
    expect(await page.getByTestId('setting-minimum').textContent()).toBe(formatCents(settings.minimumPastDueCents));
    expect(await page.getByTestId('setting-mailed-days').textContent()).toBe(`${settings.mailedNoticeBusinessDays} business days`);
    const pastDue = steps.filter({ has: page.getByText('past_due_notice', { exact: true }) });
    expect(await pastDue.getByTestId('step-day').textContent()).toBe('1 business day after the due date');
    await shot('cr-08-settings', true);

    // A step: the past-due notice two business days after the due date.
    await pastDue.getByTestId('edit-step').click();
    const dialog = page.getByTestId('step-dialog');
    await dialog.getByLabel('Days (business)').fill('2');
    await dialog.getByLabel('Reason').fill('Board resolution: a day more before the past-due notice');
    await dialog.getByTestId('save-step').click();
    await expect.poll(() => page.getByTestId('collections-settings-done').textContent()).toContain('Step "Past-due notice" saved: 2 business days after the due date');
    await expect.poll(() => pastDue.getByTestId('step-day').textContent()).toBe('2 business days after the due date');
    const changed = await call<{ steps: { code: string; days: number }[] }>(await login('casey.morgan'), 'GET', '/collections/settings');
    expect(changed.steps.find((s) => s.code === 'past_due_notice')!.days).toBe(2);

    // The settings: a mailed notice period below the law's 8 business days is refused.
    await page.getByTestId('edit-collections-settings').click();
    const form = page.getByTestId('collections-settings-dialog');
    await form.getByLabel('Disconnection after a mailed notice (business days)').fill('7');
    await form.getByLabel('Reason').fill('Trying a shorter period');
    await form.getByTestId('save-collections-settings').click();
    await expect.poll(() => form.getByTestId('form-error').textContent()).toContain('the law asks at least 8 business days after a mailed notice');
    expect(await form.getByLabel('Disconnection after a mailed notice (business days)').getAttribute('aria-invalid')).toBe('true');
    await shot('cr-09-settings-refused');
    // Within the law it is saved.
    await form.getByLabel('Disconnection after a mailed notice (business days)').fill('9');
    await form.getByTestId('save-collections-settings').click();
    await expect.poll(() => page.getByTestId('setting-mailed-days').textContent()).toBe('9 business days');
    await expectNoHorizontalScroll();
    await signOut();

    // A CSR II sees the path but changes nothing.
    await signIn('jordan.lee');
    await steps.first().waitFor();
    expect(await page.getByTestId('edit-step').count()).toBe(0);
    expect(await page.getByTestId('edit-collections-settings').count()).toBe(0);
  });

  it('reconnects disconnected service from the account card with the reconnection and after-hours fees; only a supervisor may waive them', async () => {
    await page.goto(`${baseUrl}/accounts/${seeded.rex.id}`);
    const card = page.getByTestId('collections-card');
    await card.getByTestId('collections-no-case').waitFor();
    expect(await card.getByTestId('order-disconnect').count()).toBe(0);
    await card.getByTestId('reconnect').click();
    const dialog = page.getByTestId('reconnect-dialog');
    // A CSR II is not offered to waive the fees.
    expect(await dialog.getByLabel('Waive the fees').count()).toBe(0);
    await dialog.getByLabel('After hours (charge the after-hours fee)').check();
    await dialog.getByLabel('Reason').fill('Customer called after 5 pm, service needed tonight');
    await dialog.getByTestId('save-reconnect').click();
    const settings = await call<{ reconnectFeeCents: number; afterHoursFeeCents: number }>(await login('casey.morgan'), 'GET', '/collections/settings');
    const fees = settings.reconnectFeeCents + settings.afterHoursFeeCents;
    await expect.poll(() => card.getByTestId('collections-done').textContent()).toContain(`made, ${formatCents(fees)} in fees charged (after hours).`);
    const admin = await login('casey.morgan');
    const orders = (await call<{ items: { id: number; type: string; priority: string; source: string }[] }>(admin, 'GET', `/service-orders?accountId=${seeded.rex.id}`)).items;
    expect(orders).toHaveLength(1);
    expect(orders[0]).toMatchObject({ type: 'reconnect', priority: 'urgent', source: 'collections' });
    expect(await card.getByTestId('collections-done').textContent()).toBe(`Reconnect order ${orders[0]!.id} made, ${formatCents(fees)} in fees charged (after hours).`);
    const ledger = await call<{ items: { kind: string; reasonCode: string | null; amountCents: number }[]; balanceCents: number }>(admin, 'GET', `/accounts/${seeded.rex.id}/ledger?limit=50`);
    expect(ledger.items.filter((e) => e.kind === 'fee').map((e) => [e.reasonCode, e.amountCents]).sort()).toEqual([['RECONNECT_AFTER_HOURS_FEE', settings.afterHoursFeeCents], ['RECONNECT_FEE', settings.reconnectFeeCents]]);
    // The card loads again: the reconnect order with its link, and the fees owed.
    const actions = card.getByTestId('collections-actions').locator('tbody tr');
    await expect.poll(() => actions.count()).toBe(1);
    expect(await actions.first().getByTestId('collections-action').getAttribute('data-action')).toBe('reconnect_order');
    expect(await actions.first().getByTestId('collections-order').getAttribute('href')).toBe(`/service-orders/${orders[0]!.id}`);
    await expect.poll(() => card.getByTestId('collections-balance').textContent()).toBe(formatCents(fees));
    await card.scrollIntoViewIfNeeded();
    await shot('cr-10-reconnected');
    await expectNoHorizontalScroll();
    await signOut();

    // A supervisor may waive them.
    await signIn('pat.supervisor');
    await card.getByTestId('reconnect').click();
    await dialog.getByLabel('Waive the fees').waitFor();
    await dialog.getByRole('button', { name: 'Cancel' }).click();
  });
});
