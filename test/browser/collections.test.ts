import { describe, expect, it } from 'vitest';
import { localDate } from '../../src/platform/clock.ts';
import { addStaff, baseUrl, call, expectNoHorizontalScroll, login, nav, page, shot, signIn, signOut, startStaffApp } from '../support/browser.ts';
import type { TestRuntime } from '../support/runtime.ts';

/**
 * The delinquency schedule in the staff web app, end to end: a real server (in-process, random
 * port) where a supervisor generated next year's billing schedule through the HTTP API (which makes
 * its delinquency schedule too), driven in Debian's Chromium at 1366x768. A CSR II opens the page
 * from the navigation, picks that year, sees a row's dates as the API gives them and filters by a
 * cycle; a supervisor makes the schedule again from the billing schedule with a reason.
 * Screenshots go to test-output/screenshots/ (dq-*.png).
 */

startStaffApp({ seed });

interface Entry { billingScheduleId: number; year: number; month: number; cycle: number; dueDate: string; pastDueDate: string; lateFeeDate: string; noticeDate: string; disconnectEligibleDate: string; disconnectEligibleOutOfStateDate: string }

const seeded = { year: 0, items: [] as Entry[] };

/** Next year's billing schedule (so the page's default year, this one, has none). */
async function seed(rt: TestRuntime): Promise<void> {
  await addStaff(rt);
  const supervisor = await login('pat.supervisor');
  const year = Number(localDate(new Date(), rt.config.timeZone).slice(0, 4)) + 1;
  await call(supervisor, 'POST', '/billing/schedule/generate', { year, reason: 'Yearly schedule' });
  const { items } = await call<{ items: Entry[] }>(supervisor, 'GET', `/collections/schedule?year=${year}`);
  expect(items.length).toBeGreaterThan(0);
  Object.assign(seeded, { year, items: items.slice().sort((a, b) => a.month - b.month || a.cycle - b.cycle) });
}

const rows = () => page.getByTestId('delinquency-table').locator('tbody tr');
const filterBar = () => page.getByRole('search', { name: 'Choose the delinquency schedule' });

async function expectRow(index: number, e: Entry) {
  const row = rows().nth(index);
  expect(await row.getByTestId('dq-cycle').textContent()).toBe(String(e.cycle));
  expect(await row.getByTestId('dq-due').textContent()).toBe(e.dueDate);
  expect(await row.getByTestId('dq-past-due').textContent()).toBe(e.pastDueDate);
  expect(await row.getByTestId('dq-late-fee').textContent()).toBe(e.lateFeeDate);
  expect(await row.getByTestId('dq-notice').textContent()).toBe(e.noticeDate);
  expect(await row.getByTestId('dq-disconnect').textContent()).toBe(e.disconnectEligibleDate);
  expect(await row.getByTestId('dq-disconnect-out-of-state').textContent()).toBe(e.disconnectEligibleOutOfStateDate);
}

describe('the delinquency schedule in the staff web app', () => {
  it('shows a year picked in the filter, with the dates the API gives, and filters by a cycle', async () => {
    await page.goto(`${baseUrl}/accounts`);
    await signIn('jordan.lee');
    await nav().getByRole('link', { name: 'Delinquency schedule' }).click();
    await page.getByTestId('delinquency-schedule').waitFor();
    expect(await nav().getByRole('link', { name: 'Delinquency schedule' }).getAttribute('aria-current')).toBe('page');
    expect(await page.getByTestId('delinquency-explained').textContent()).toContain('8 business days after a mailed notice, 11');
    // This year has no schedule yet; a CSR II does not make it.
    await page.getByText(`No delinquency schedule for ${seeded.year - 1}.`).waitFor();
    expect(await page.getByTestId('generate-delinquency').count()).toBe(0);

    await filterBar().getByLabel('Year').fill(String(seeded.year));
    await filterBar().getByRole('button', { name: 'Filter' }).click();
    await rows().first().waitFor();
    expect(new URL(page.url()).searchParams.get('year')).toBe(String(seeded.year));
    expect(await rows().count()).toBe(seeded.items.length);
    await expectRow(0, seeded.items[0]!);
    await shot('dq-01-year');
    await expectNoHorizontalScroll();

    const cycle = 3;
    const ofCycle = seeded.items.filter((e) => e.cycle === cycle);
    await filterBar().getByLabel('Cycle').selectOption(String(cycle));
    await filterBar().getByRole('button', { name: 'Filter' }).click();
    await expect.poll(() => rows().count()).toBe(ofCycle.length);
    expect(new URL(page.url()).searchParams.get('cycle')).toBe(String(cycle));
    for (const [i, e] of ofCycle.entries()) await expectRow(i, e);
    await shot('dq-02-cycle', true);
    await expectNoHorizontalScroll();
    await signOut();
  });

  it('lets a supervisor make it again from the billing schedule with a reason', async () => {
    await page.goto(`${baseUrl}/collections/schedule?year=${seeded.year}`);
    await signIn('pat.supervisor');
    await rows().first().waitFor();
    await page.getByTestId('generate-delinquency').click();
    const dialog = page.getByTestId('generate-delinquency-dialog');
    // A reason is required: too short, the server says so beside it.
    await dialog.getByLabel('Reason').fill('ok');
    await dialog.getByTestId('save-generate-delinquency').click();
    await expect.poll(() => dialog.getByLabel('Reason').getAttribute('aria-invalid')).toBe('true');
    await dialog.getByLabel('Reason').fill('District holiday calendar checked');
    await dialog.getByTestId('save-generate-delinquency').click();
    await expect.poll(() => page.getByTestId('delinquency-done').textContent()).toContain(`Made the ${seeded.year} delinquency schedule again: ${seeded.items.length} entries.`);
    expect(await dialog.isVisible()).toBe(false);
    await expectRow(0, seeded.items[0]!);

    const audit = await call<{ items: { action: string; reason: string | null }[] }>(await login('casey.morgan'), 'GET', `/audit?entityType=delinquency_schedule&entityId=${seeded.year}`);
    expect(audit.items.map((a) => a.reason)).toContain('District holiday calendar checked');
    await shot('dq-03-made-again');
    await expectNoHorizontalScroll();
  });
});
