/**
 * Customer protections with the clock moving (issue 7): households in Wenatchee on electric service
 * from October 2026, billed each month by the real billing run on cycle 3.
 *
 * - Two of them owe $300.00 from the old system and make the same arrangement after their November
 *   bill: three instalments of $100.00 from the bill's due date, the bills due as usual. Both keep
 *   the first month. In December one pays the bill and the instalment, the other only the bill: the
 *   day's review defaults the second (its alert ends and protectionsOf no longer lists it) and keeps
 *   the first, which is completed once the last instalment is paid. A second review the same day
 *   does nothing.
 * - A household heated by the district's electricity falls behind and asks for winter protection
 *   two business days after its notice: the plan (7% of income plus 1/12 of the arrears, paid in
 *   full by October 15; the estimated bill the average of its bills) is checked against a
 *   computation of the test's own, and holds disconnection in season.
 * - A medical certificate holds only through the 5-business-day notice hold until 10% of the
 *   delinquent balance is paid, then to 60 days from receipt.
 * - A July heat alert for the WEN area protects the residential accounts there on its days, not a
 *   residential account in another area nor a commercial one in WEN.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { schedules } from '../../src/billing/index.ts';
import { customers } from '../../src/customer/index.ts';
import { ledger } from '../../src/ledger/index.ts';
import { payments } from '../../src/payment/index.ts';
import { systemActor, type Actor } from '../../src/platform/actor.ts';
import { addDays, addMonths } from '../../src/platform/dates.ts';
import { formatCents } from '../../src/platform/money.ts';
import { premises } from '../../src/premise/index.ts';
import { arrangements, heatAlertOn, protections, protectionsOf, reviewArrangements, type Protection } from '../../src/protection/index.ts';
import { createTestApi, type Client, type TestApi } from '../support/api.ts';
import { repoRoot } from '../support/cli.ts';
import { complete, newAccount, newPremise, order, read, setMeter } from '../support/district.ts';

let api: TestApi;
let c: Client;
const system = systemActor('test');
const csr: Actor = { userId: null, username: 'casey', role: 'csr2' };
const db = () => api.runtime.db;
const clock = () => api.runtime.clock;
const on = async (date: string) => {
  api.runtime.clock.advanceDays((Date.parse(`${date}T20:00:00Z`) - api.runtime.clock.now().getTime()) / 86_400_000);
  expect(api.runtime.clock.today()).toBe(date);
  await api.signInAgain();
};
const pay = (accountId: number, cents: number) => payments.postCounterPayment(db(), csr, clock(), { accountId, amountCents: cents, method: 'cash' });
const kinds = async (accountId: number, date: string) => ((await protectionsOf(db(), [accountId], date)).get(accountId) ?? []).map((p) => p.kind);
const balance = (accountId: number) => ledger.balanceOf(db(), accountId);

type ScheduleItem = { month: number; year: number; readDate: string; billDate: string; dueDate: string };
let schedule: ScheduleItem[];
const entry = (year: number, month: number) => schedule.find((e) => e.year === year && e.month === month)!;

/** The three billed households: account and meter. */
const billed: Record<'kept' | 'lapse' | 'winter', { id: number; meterId: number; reading: number }> = {} as never;

/** Reads every billed meter on the month's read date and bills cycle 3 on its bill date; the bills by account. */
async function billMonth(year: number, month: number): Promise<Map<number, { totalCents: number; dueDate: string }>> {
  const e = entry(year, month);
  await on(e.readDate);
  for (const h of Object.values(billed)) {
    h.reading += 900 + (h.id % 3) * 150;
    const r = await read(c, h.meterId, e.readDate, String(h.reading));
    if (r.findings.length > 0) expect((await c.post(`/api/v1/meter-reads/${r.read.id}/accept`, { reason: 'Reading confirmed' })).statusCode).toBe(200);
  }
  await on(e.billDate);
  expect((await c.post('/api/v1/billing/runs', { cycle: 3, date: e.billDate })).statusCode).toBe(200);
  const out = new Map<number, { totalCents: number; dueDate: string }>();
  for (const h of Object.values(billed)) {
    const [bill] = (await c.get(`/api/v1/accounts/${h.id}/bills`)).json().items as { id: number; status: string; totalCents: number; dueDate: string; billDate: string }[];
    expect(bill!.billDate).toBe(e.billDate);
    if (bill!.status === 'held') expect((await api.as.supervisor.post(`/api/v1/bills/${bill!.id}/approve`, { reason: 'Checked' })).statusCode).toBe(200);
    out.set(h.id, { totalCents: bill!.totalCents, dueDate: bill!.dueDate });
  }
  return out;
}

/** A household on cycle 5 (never billed here) made through the services, in an area, of a class. */
async function unbilled(name: string, area: string, customerClass = 'residential', owes = 0) {
  const [firstName, lastName] = name.split(' ') as [string, string];
  const customer = await customers.createCustomer(db(), system, { kind: 'person', firstName, lastName });
  const address = { line1: `${name.length * 3} Canyon Rd`, city: 'Wenatchee', state: 'WA', postalCode: '98801' };
  const account = await customers.createAccount(db(), system, clock(), { customerId: customer.id, customerClass, billingCycle: 5, billingAddress: address } as Parameters<typeof customers.createAccount>[3]);
  const premise = await premises.createPremise(db(), system, { address, premiseType: 'single_family', area });
  const point = await premises.addServicePoint(db(), system, premise.id, { service: 'electric', status: 'active' });
  await premises.createAgreement(db(), system, { accountId: account.id, servicePointId: point.id, rateCode: 'RES-E', startDate: '2026-10-01' });
  if (owes) await ledger.adjust(db(), system, clock(), { accountId: account.id, amountCents: owes, reasonCode: 'OTHER', reason: 'Balance brought over from the old system', entryDate: '2026-10-01' });
  return account;
}

beforeAll(async () => {
  api = await createTestApi();
  c = api.as.csr2;
  const tariff = JSON.parse(fs.readFileSync(path.join(repoRoot, 'src/tariff/examples/RES-E.json'), 'utf8'));
  expect((await api.as.supervisor.post('/api/v1/tariffs', { tariff, reason: 'Rates adopted' })).statusCode).toBe(201);
  for (const year of [2026, 2027]) expect((await api.as.supervisor.post('/api/v1/billing/schedule/generate', { year, reason: 'Yearly schedule' })).statusCode).toBe(200);
  schedule = [];
  for (const year of [2026, 2027]) schedule.push(...((await c.get(`/api/v1/billing/schedule?year=${year}`)).json().items as (ScheduleItem & { cycle: number })[]).filter((e) => e.cycle === 3));

  // October 1: three households move in on cycle 3; two owe $300.00 and one $600.00 from the old system.
  await on('2026-10-01');
  for (const [key, name, line1, heated, owes] of [['kept', 'Kip Keeper', '12 Orchard Ave', false, 30000], ['lapse', 'Lars Lapse', '14 Orchard Ave', false, 30000], ['winter', 'Wanda Frost', '16 Orchard Ave', true, 60000]] as const) {
    const account = await newAccount(c, name, 'pending');
    const { premise, points } = await newPremise(c, line1, ['electric']);
    if (heated) expect((await c.patch(`/api/v1/premises/${premise.id}`, { spaceHeating: true, reason: 'Heat pump on the district\'s electricity' })).statusCode).toBe(200);
    const meter = await setMeter(c, points.electric!.id, '2026-10-01', '20000');
    const moveIn = await order(c, { type: 'move_in', servicePointId: points.electric!.id, accountId: account.id, effectiveDate: '2026-10-01', request: { rateCode: 'RES-E' } });
    expect((await complete(c, moveIn.id, { read: { reading: '20000' } })).statusCode).toBe(200);
    await ledger.adjust(db(), system, clock(), { accountId: account.id, amountCents: owes, reasonCode: 'OTHER', reason: 'Balance brought over from the old system', entryDate: '2026-10-01' });
    billed[key] = { id: account.id, meterId: meter.id, reading: 20000 };
  }
}, 240_000);
afterAll(() => api?.close());

describe('a winter of protections', () => {
  let december: Map<number, { totalCents: number; dueDate: string }>;
  let november: Map<number, { totalCents: number; dueDate: string }>;

  it('keeps an arrangement that is paid, defaults the one whose instalment is missed, and completes the first', async () => {
    const { kept, lapse } = billed;
    november = await billMonth(2026, 11);
    const b1 = (id: number) => november.get(id)!;
    const d1 = b1(kept.id).dueDate;

    // The day after the bill: the $300.00 past due in three instalments from the bill's due date.
    await on(addDays(entry(2026, 11).billDate, 1));
    const made: Record<number, number> = {};
    for (const h of [kept, lapse]) {
      const quote = await arrangements.quoteArrangement(db(), clock(), { accountId: h.id, instalments: 3, firstDueOn: d1 });
      // The November bill is not yet due: it is a current bill, not arrears.
      expect(quote).toMatchObject({ arrearsCents: 30000, delinquentCents: 30000 });
      const a = await arrangements.createArrangement(db(), csr, clock(), { accountId: h.id, instalments: 3, firstDueOn: d1, reason: 'Customer agreed three months' });
      expect(a.instalments.map((i) => [i.dueOn, i.amountCents])).toEqual([[d1, 10000], [addMonths(d1, 1), 10000], [addMonths(d1, 2), 10000]]);
      made[h.id] = a.id;
    }
    expect(await kinds(kept.id, clock().today())).toEqual(['arrangement']);

    // The first due date: both pay the bill and the first instalment.
    await on(d1);
    for (const h of [kept, lapse]) await pay(h.id, b1(h.id).totalCents + 10000);
    expect(await reviewArrangements(db(), csr, clock(), d1)).toEqual({ date: d1, defaulted: [], completed: [] });
    await on(addDays(d1, 1));
    expect(await reviewArrangements(db(), csr, clock(), clock().today())).toEqual({ date: clock().today(), defaulted: [], completed: [] });
    const both = await protectionsOf(db(), [kept.id, lapse.id], clock().today());
    expect([...both.keys()].sort()).toEqual([kept.id, lapse.id].sort());
    expect(both.get(lapse.id)![0]).toMatchObject({ kind: 'arrangement', id: made[lapse.id], holds: ['notice', 'disconnect', 'late_fee'], until: addMonths(d1, 2) });
    expect(both.get(lapse.id)![0]!.detail).toContain(`in good standing (${formatCents(b1(lapse.id).totalCents + 10000)} paid of ${formatCents(b1(lapse.id).totalCents + 10000)} due so far)`);

    // December: the bill comes; one household pays it and the instalment, the other only the bill.
    december = await billMonth(2026, 12);
    const b2 = (id: number) => december.get(id)!;
    const i2 = addMonths(d1, 1);
    const d2 = b2(kept.id).dueDate;
    const first = i2 < d2 ? i2 : d2;
    const last = i2 < d2 ? d2 : i2;
    await on(first);
    await pay(kept.id, b2(kept.id).totalCents + 10000);
    await pay(lapse.id, b2(lapse.id).totalCents);
    // The last of the two due dates is the last day to pay both: nothing is missed yet.
    await on(last);
    expect(await reviewArrangements(db(), csr, clock(), last)).toEqual({ date: last, defaulted: [], completed: [] });
    expect(await kinds(lapse.id, last)).toEqual(['arrangement']);
    const missed = addDays(last, 1);
    await on(missed);
    const review = await reviewArrangements(db(), csr, clock(), missed);
    expect(review).toEqual({ date: missed, defaulted: [made[lapse.id]], completed: [] });
    // Idempotent: a second review of the day changes nothing.
    expect(await reviewArrangements(db(), csr, clock(), missed)).toEqual({ date: missed, defaulted: [], completed: [] });
    const defaulted = await arrangements.getArrangement(db(), clock(), made[lapse.id]!);
    expect(defaulted).toMatchObject({ status: 'defaulted', endedOn: missed });
    expect(defaulted.endReason).toMatch(/Instalment missed: .* \(\$100\.00 short\); the account goes back to collections/);
    // The account goes back to collections: the run no longer sees a protection on it.
    const now = await protectionsOf(db(), [kept.id, lapse.id], missed);
    expect(now.has(lapse.id)).toBe(false);
    expect(now.get(kept.id)!.map((p: Protection) => p.kind)).toEqual(['arrangement']);
    const alerts = await customers.listAlerts(db(), clock(), lapse.id);
    expect(alerts.filter((a) => a.kind === 'payment_arrangement').map((a) => a.active)).toEqual([false]);
    expect(await balance(lapse.id)).toBe(20000);

    // The last $100.00 comes early: the next review completes the arrangement.
    await on(addDays(missed, 1));
    await pay(kept.id, 10000);
    expect(await reviewArrangements(db(), csr, clock(), clock().today())).toEqual({ date: clock().today(), defaulted: [], completed: [made[kept.id]] });
    expect(await kinds(kept.id, clock().today())).toEqual([]);
    expect(await balance(kept.id)).toBe(0);
  }, 240_000);

  it('makes a winter plan two business days after the notice, checked against its own computation, that holds disconnection in season', async () => {
    const { winter } = billed;
    const bills = [november.get(winter.id)!, december.get(winter.id)!];
    const notice = schedules.addBusinessDays(bills[1]!.dueDate, 5);
    const asked = schedules.addBusinessDays(notice, 2);
    await on(asked);
    const monthlyIncomeCents = 231_750;
    const quote = await arrangements.winterQuote(db(), clock(), { accountId: winter.id, noticeDate: notice, monthlyIncomeCents, incomeDocumentedTo: 'Chelan-Douglas Community Action Council', appliedEnergyAssistance: true, appliedWeatherization: true });
    expect(quote.problems).toEqual([]);

    // The test's own arithmetic: nothing paid, so everything is past due; the estimate is the two bills' average.
    const arrears = 60000 + bills[0]!.totalCents + bills[1]!.totalCents;
    const estimate = Math.round((bills[0]!.totalCents + bills[1]!.totalCents) / 2);
    const months = 10 - Number(asked.slice(5, 7)) + 1 + (asked.slice(0, 4) === '2026' ? 12 : 0);
    const cap = Math.floor((monthlyIncomeCents * 7) / 100) + Math.floor(arrears / 12);
    const needed = estimate + Math.ceil(arrears / months);
    expect(quote).toMatchObject({ arrearsCents: arrears, estimatedMonthlyBillCents: estimate, estimateFrom: 'history', inSeason: true, seasonLastDay: '2027-03-15' });
    expect(quote.plan).toEqual({ payInFullBy: '2027-10-15', months, capCents: cap, neededCents: needed, paymentCents: Math.min(cap, needed), clearsArrears: (Math.min(cap, needed) - estimate) * months >= arrears });

    const plan = await arrangements.requestWinterProtection(db(), csr, clock(), { accountId: winter.id, noticeDate: notice, monthlyIncomeCents, incomeDocumentedTo: 'Chelan-Douglas Community Action Council', appliedEnergyAssistance: true, appliedWeatherization: true, reason: 'Customer asked for winter protection at the counter' });
    expect(plan).toMatchObject({ kind: 'winter', status: 'active', arrearsCents: arrears, winter: { plan: quote.plan, estimatedMonthlyBillCents: estimate } });
    expect(plan.instalments.reduce((n, i) => n + i.amountCents, 0)).toBe(arrears);
    expect(plan.instalments.at(-1)!.dueOn <= '2027-10-15').toBe(true);
    const held = (await protectionsOf(db(), [winter.id], asked)).get(winter.id)!;
    expect(held.map((p) => [p.kind, p.holds.join(), p.until])).toEqual([['arrangement', 'notice,disconnect,late_fee', plan.instalments.at(-1)!.dueOn], ['winter', 'disconnect', '2027-03-15']]);
    expect(held[1]!.detail).toMatch(/Winter protection \(RCW 54\.16\.285\): plan \d+ of \$[\d,.]+ a month kept/);
  }, 120_000);

  it('holds a medical certificate only through the notice hold until 10% is paid, then 60 days from receipt', async () => {
    const received = clock().today();
    const m = await unbilled('Mina Medic', 'WEN', 'residential', 50000);
    const cert = await protections.recordMedicalCertificate(db(), csr, clock(), { accountId: m.id, professionalName: 'Dr. Ames, Wenatchee Valley Clinic', reason: 'Certificate faxed by the clinic' });
    expect(cert).toMatchObject({ delinquentCents: 50000, paymentDueCents: 5000, paid: false, holdsUntil: addDays(received, 60) });
    const noticeEnd = cert.noticeHoldsUntil;
    expect(noticeEnd).toBe(schedules.addBusinessDays(received, 5));
    const today = (await protectionsOf(db(), [m.id], received)).get(m.id)!;
    expect(today.map((p) => [p.kind, p.until])).toEqual([['medical_certificate', noticeEnd]]);
    expect(today[0]!.detail).toContain(`holds only to ${noticeEnd}`);

    // The notice hold runs out with nothing paid: no protection.
    await on(addDays(noticeEnd, 1));
    expect(await kinds(m.id, clock().today())).toEqual([]);
    await pay(m.id, 4999);
    expect(await kinds(m.id, clock().today())).toEqual([]);
    // One more cent: 10% of the delinquent balance is paid, and the certificate holds its full term.
    await pay(m.id, 1);
    const full = (await protectionsOf(db(), [m.id], clock().today())).get(m.id)!;
    expect(full.map((p) => [p.kind, p.until])).toEqual([['medical_certificate', addDays(received, 60)]]);
    expect(full[0]!.detail).toBe(`Medical certificate from Dr. Ames, Wenatchee Valley Clinic, holds to ${addDays(received, 60)} ($50.00, 10% of the delinquent balance, paid)`);
    expect((await protections.medicalOf(db(), clock(), m.id)).certificates[0]).toMatchObject({ paid: true, paidCents: 5000 });
    await on(addDays(received, 60));
    expect(await kinds(m.id, clock().today())).toEqual(['medical_certificate']);
    await on(addDays(received, 61));
    expect(await kinds(m.id, clock().today())).toEqual([]);
  }, 120_000);

  it('skips a heat-alert day for residential service in the area, not in another area nor for a commercial account', async () => {
    const east = await unbilled('Ezra East', 'EWN');
    const shop = await unbilled('Cass Commerce', 'WEN', 'commercial');
    const home = await unbilled('Hana Home', 'WEN');
    await on('2027-07-19');
    const alert = await protections.createHeatAlert(db(), csr, clock(), { area: 'WEN', fromDate: '2027-07-20', toDate: '2027-07-22', source: 'NWS Excessive Heat Warning', reason: 'Warning issued for the Wenatchee valley' });
    await on('2027-07-21');
    const day = await protectionsOf(db(), [home.id, east.id, shop.id, billed.kept.id], '2027-07-21');
    expect(day.get(home.id)!.map((p) => [p.kind, p.id, p.from, p.until, p.holds.join()])).toEqual([['heat_alert', alert.id, '2027-07-20', '2027-07-22', 'disconnect']]);
    expect(day.get(billed.kept.id)!.map((p) => p.kind)).toEqual(['heat_alert']);
    expect(day.has(east.id)).toBe(false);
    expect(day.has(shop.id)).toBe(false);
    expect(await heatAlertOn(db(), home.id, '2027-07-21')).toEqual({ area: 'WEN', alertId: alert.id, source: 'NWS Excessive Heat Warning' });
    expect(await heatAlertOn(db(), shop.id, '2027-07-21')).toBeNull();
    expect(await heatAlertOn(db(), east.id, '2027-07-21')).toBeNull();
    // Ended early: the last day is the day before it ended.
    await protections.endHeatAlert(db(), csr, clock(), alert.id, { endedOn: '2027-07-22', reason: 'Warning cancelled: temperatures dropped' });
    expect(await heatAlertOn(db(), home.id, '2027-07-21')).not.toBeNull();
    expect(await heatAlertOn(db(), home.id, '2027-07-22')).toBeNull();
    expect(await heatAlertOn(db(), home.id, '2027-07-19')).toBeNull();
  }, 120_000);
});
