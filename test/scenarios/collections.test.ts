/**
 * Collections with the clock moving (issue 7, C13): residential electric customers billed in May
 * and June 2026 who leave June's bill unpaid. The daily collections run is made every day from
 * the due date on. One account goes through the late fee, the past-due notice, the disconnect
 * notice, the 48-hour notice with its field fee, a disconnect order on the first day the notice
 * allows, is disconnected, pays, and is reconnected with the fee. The same bill on other
 * accounts, each under one protection, produces no disconnect order and the run records why.
 * Every date's run is made twice and acts once.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addBusinessDays } from '../../src/billing/schedule.ts';
import { addDays } from '../../src/platform/dates.ts';
import { createTestApi, type Client, type TestApi } from '../support/api.ts';
import { repoRoot } from '../support/cli.ts';
import { complete, newAccount, newPremise, order, read, setMeter } from '../support/district.ts';

let api: TestApi;
let c: Client;
const on = async (date: string) => {
  api.runtime.clock.advanceDays((Date.parse(`${date}T20:00:00Z`) - api.runtime.clock.now().getTime()) / 86_400_000);
  await api.signInAgain();
};

interface Customer { name: string; accountId: number; customerId: number; premiseId: number; pointId: number; meterId: number; kwh: number }
interface Entry { kind: string; reasonCode: string | null; amountCents: number; entryDate: string }
interface RunResult {
  date: string; alreadyRun: boolean; accountsReviewed: number;
  actions: { accountId: number; action: string; step: string | null; feeCents: number; noticeId: number | null; orderIds: number[]; detail: string }[];
  skippedProtected: { accountId: number; step: string; protections: { kind: string; detail: string }[] }[];
  errors: unknown[];
}

const schedule: { year: number; month: number; cycle: number; readDate: string; billDate: string; dueDate: string }[] = [];
const entry = (year: number, month: number) => schedule.find((e) => e.year === year && e.month === month && e.cycle === 3)!;

beforeAll(async () => {
  api = await createTestApi();
  c = api.as.csr2;
  const tariff = JSON.parse(fs.readFileSync(path.join(repoRoot, 'src/tariff/examples/RES-E.json'), 'utf8'));
  expect((await api.as.supervisor.post('/api/v1/tariffs', { tariff, reason: 'Rates adopted' })).statusCode).toBe(201);
  for (const year of [2026, 2027]) {
    expect((await api.as.supervisor.post('/api/v1/billing/schedule/generate', { year, reason: 'Yearly schedule' })).statusCode).toBe(200);
    schedule.push(...(await c.get(`/api/v1/billing/schedule?year=${year}`)).json().items);
  }
});
afterAll(() => api.close());

async function newCustomer(name: string, street: string, startOn: string): Promise<Customer> {
  const account = await newAccount(c, name, 'pending');
  const { premise, points } = await newPremise(c, street, ['electric']);
  const meter = await setMeter(c, points.electric!.id, startOn, '10000');
  const moveIn = await order(c, { type: 'move_in', servicePointId: points.electric!.id, accountId: account.id, effectiveDate: startOn, request: { rateCode: 'RES-E' } });
  expect((await complete(c, moveIn.id, { read: { reading: '10000' } })).statusCode).toBe(200);
  return { name, accountId: account.id, customerId: account.customerId, premiseId: premise.id, pointId: points.electric!.id, meterId: meter.id, kwh: 10000 };
}

/** Reads every customer's meter on the cycle's read date and bills them on its bill date. */
async function billMonth(year: number, month: number, people: Customer[], use: number) {
  const e = entry(year, month);
  await on(e.readDate);
  for (const p of people) {
    p.kwh += use;
    const r = await read(c, p.meterId, e.readDate, String(p.kwh % 100000).padStart(5, '0'));
    if (r.findings.length > 0) expect((await c.post(`/api/v1/meter-reads/${r.read.id}/accept`, { reason: 'Reading confirmed' })).statusCode).toBe(200);
  }
  await on(e.billDate);
  const run = await c.post('/api/v1/billing/runs', { cycle: 3, date: e.billDate });
  expect(run.statusCode, run.body).toBe(200);
  for (const p of people) {
    const bills = (await c.get(`/api/v1/accounts/${p.accountId}/bills`)).json().items as { id: number; status: string; billDate: string }[];
    const bill = bills.find((b) => b.billDate === e.billDate)!;
    if (bill.status === 'held') expect((await api.as.supervisor.post(`/api/v1/bills/${bill.id}/approve`, { reason: 'Use confirmed' })).statusCode).toBe(200);
  }
}

const ledgerOf = async (p: Customer) => (await c.get(`/api/v1/accounts/${p.accountId}/ledger?limit=200`)).json() as { items: Entry[]; balanceCents: number };
const pay = async (p: Customer, cents: number) => expect((await c.post('/api/v1/payments', { accountId: p.accountId, amountCents: cents, method: 'cash' })).statusCode).toBe(201);

/** Runs collections for a date twice: the second run does nothing and says so. */
async function runDay(date: string): Promise<RunResult> {
  await on(date);
  const first = await c.post('/api/v1/collections/runs', { date });
  expect(first.statusCode, first.body).toBe(200);
  const again = (await c.post('/api/v1/collections/runs', { date })).json() as RunResult;
  expect(again).toMatchObject({ date, alreadyRun: true, accountsReviewed: 0, actions: [], skippedProtected: [] });
  const r = first.json() as RunResult;
  expect(r.errors).toEqual([]);
  return r;
}

describe('the collections path', () => {
  it('takes an unpaid account through fees and notices to a disconnect order and reconnects it with fees after payment; each protection holds the disconnection with its reason', async () => {
    await on('2026-04-20');
    const names = ['Ada Delinquent', 'Ben Medical', 'Cy Pledge', 'Di Arrangement', 'Ed Dispute', 'Flo Heat', 'Gil Bankrupt', 'Hy Deceased'];
    const people: Customer[] = [];
    for (const [i, n] of names.entries()) people.push(await newCustomer(n, `${200 + i} Collection Ave`, '2026-04-20'));
    const [ada, ben, cy, di, ed, flo, gil, hy] = people as [Customer, Customer, Customer, Customer, Customer, Customer, Customer, Customer];

    // May's bill paid by everyone; June's by no one.
    await billMonth(2026, 5, people, 900);
    for (const p of people) await pay(p, (await ledgerOf(p)).balanceCents);
    await billMonth(2026, 6, people, 900);
    const june = entry(2026, 6);
    const juneBill = (await ledgerOf(ada)).balanceCents;
    expect(juneBill).toBeGreaterThan(5000);

    // Protections recorded before the run gets to them.
    await on(june.dueDate);
    // Ben: a medical emergency told, then a certificate with 10% of the delinquent balance paid.
    expect((await c.post(`/api/v1/accounts/${ben.accountId}/medical-certificates`, { receivedOn: june.dueDate, professionalName: 'Dr. Ames, MD', reason: 'Certificate received by fax' })).statusCode).toBeLessThan(300);
    await pay(ben, Math.ceil(juneBill / 10));
    // Cy: an energy-assistance pledge on its way.
    const agency = (await api.as.supervisor.post('/api/v1/assistance/agencies', { code: 'CDCAC', name: 'Chelan-Douglas Community Action', reason: 'Agency we work with' })).json();
    const program = (await api.as.supervisor.post('/api/v1/assistance/programs', { agencyId: agency.id, code: 'LIHEAP', name: 'LIHEAP', lowIncome: true })).json();
    const pledge = await c.post(`/api/v1/accounts/${cy.accountId}/pledges`, { programId: program.id, amountCents: juneBill, pledgedOn: june.dueDate, expiresOn: addDays(june.dueDate, 60), reason: 'Agency phoned in the pledge' });
    expect(pledge.statusCode, pledge.body).toBeLessThan(300);
    // Di: a payment arrangement on the arrears, instalments monthly.
    const arr = await c.post(`/api/v1/accounts/${di.accountId}/arrangements`, { arrearsCents: juneBill, instalments: 3, firstDueOn: addDays(june.dueDate, 14), reason: 'Customer asked for time' });
    expect(arr.statusCode, arr.body).toBeLessThan(300);
    const instalments = arr.json().instalments as { dueOn: string; amountCents: number }[];
    await pay(di, instalments[0]!.amountCents);
    // Ed disputes the whole bill.
    expect((await c.post(`/api/v1/accounts/${ed.accountId}/disputes`, { amountCents: juneBill, about: 'Customer says the June read is wrong', openedOn: june.dueDate, reason: 'Dispute taken by phone' })).statusCode).toBeLessThan(300);

    // Gil files for bankruptcy the day before the due date: June's bill is pre-petition debt.
    const petition = await c.post('/api/v1/bankruptcy/cases', { customerId: gil.customerId, chapter: 13, petitionDate: addDays(june.dueDate, -1), court: 'U.S. Bankruptcy Court, E.D. Wash.', caseNumber: '26-01234-WLH13', waiveAssurance: 'Chapter 13 plan pays current bills', reason: 'Notice of filing received' });
    expect(petition.statusCode, petition.body).toBe(201);
    // Hy has died; the family told us.
    const death = await c.post('/api/v1/deceased/cases', { customerId: hy.customerId, dateOfDeath: addDays(june.dueDate, -3), notifiedBy: 'Daughter, by phone', reason: 'Family called' });
    expect(death.statusCode, death.body).toBe(201);

    const lateFeeDay = addBusinessDays(june.dueDate, 3);
    const noticeDay = addBusinessDays(june.dueDate, 5);
    const disconnectFrom = addBusinessDays(noticeDay, 8);
    const finalNoticeDay = addBusinessDays(noticeDay, 6);
    const orderDay = addBusinessDays(finalNoticeDay, 2) > disconnectFrom ? addBusinessDays(finalNoticeDay, 2) : disconnectFrom;
    // Flo's area (Malaga, MAL) is under a heat alert on the day the disconnect order would be made.
    expect((await c.patch(`/api/v1/premises/${flo.premiseId}`, { area: 'MAL', reason: 'Premise is in Malaga' })).statusCode).toBe(200);
    const heat = await c.post('/api/v1/heat-alerts', { area: 'MAL', fromDate: orderDay, toDate: orderDay, source: 'NWS Excessive Heat Warning', reason: 'Alert issued' });
    expect(heat.statusCode, heat.body).toBeLessThan(300);

    const runs: RunResult[] = [];
    for (let d = addDays(june.dueDate, 1); d <= orderDay; d = addDays(d, 1)) runs.push(await runDay(d));
    const all = runs.flatMap((r) => r.actions);
    const of = (p: Customer) => all.filter((a) => a.accountId === p.accountId);

    // Ada: every step on its day.
    const adaSteps = of(ada).map((a) => [a.action, runs.find((r) => r.actions.includes(a))!.date]);
    expect(adaSteps).toEqual([
      ['case_opened', addDays(june.dueDate, 1)],
      ['past_due_notice', addBusinessDays(june.dueDate, 1)],
      ['late_fee', lateFeeDay],
      ['disconnect_notice', noticeDay],
      ['final_notice', finalNoticeDay],
      ['disconnect_order', orderDay],
    ].filter(([, d]) => d! >= addDays(june.dueDate, 1)).sort((a, b) => (a[1]! < b[1]! ? -1 : a[1]! > b[1]! ? 1 : 0)));
    const fees = (await ledgerOf(ada)).items.filter((e) => e.kind === 'fee');
    expect(fees.map((f) => [f.reasonCode, f.amountCents])).toEqual([['LATE_FEE', Math.round(juneBill / 100)], ['FIELD_COLLECTION_FEE', 1500]]);
    const notice = of(ada).find((a) => a.action === 'disconnect_notice')!;
    expect(notice.detail).toContain(disconnectFrom);
    const pdf = await c.get(`/api/v1/collections/notices/${notice.noticeId}/pdf`);
    expect(pdf.statusCode).toBe(200);
    expect(pdf.headers['content-type']).toContain('application/pdf');
    const printFile = (await c.get(`/api/v1/collections/runs/${noticeDay}/print-file`)).body;
    expect(printFile.split('\r\n')[0]).toContain('notice_id,kind,delivery,account_number');
    expect(printFile).toContain(`,disconnect,mail,`);
    expect(printFile).toContain(disconnectFrom);
    const adaOrder = of(ada).find((a) => a.action === 'disconnect_order')!;
    expect(adaOrder.orderIds).toHaveLength(1);
    const so = (await c.get(`/api/v1/service-orders/${adaOrder.orderIds[0]}`)).json();
    expect(so).toMatchObject({ type: 'disconnect', source: 'collections', servicePointId: ada.pointId });

    // The protected: no disconnect order, and each run that passed them over says why.
    for (const p of [ben, cy, di, flo]) expect(of(p).some((a) => a.action === 'disconnect_order'), p.name).toBe(false);
    const skipped = runs.flatMap((r) => r.skippedProtected);
    const why = (p: Customer) => new Set(skipped.filter((s) => s.accountId === p.accountId).flatMap((s) => s.protections.map((x) => x.kind)));
    expect(why(ben).has('medical_certificate')).toBe(true);
    expect(why(cy).has('pledge')).toBe(true);
    expect(why(di).has('arrangement')).toBe(true);
    expect(why(flo)).toEqual(new Set(['heat_alert']));
    // An arrangement holds the notices too; the others get their notices.
    expect(of(di).filter((a) => a.action.endsWith('notice'))).toEqual([]);
    expect(of(ben).some((a) => a.action === 'disconnect_notice')).toBe(true);
    // The disputed amount is not collected: no fee, no case, no notice for Ed.
    expect(of(ed)).toEqual([]);
    expect(skipped.some((s) => s.accountId === ed.accountId && s.protections.some((x) => x.kind === 'dispute'))).toBe(true);

    // The pre-petition debt is not collected: no fee, no case, and the run says why.
    expect(of(gil)).toEqual([]);
    expect(skipped.find((x) => x.accountId === gil.accountId)!.protections.map((x) => x.kind)).toEqual(['bankruptcy_stay']);
    // Nothing is collected from a deceased customer's account while the estate is settled.
    expect(of(hy).filter((a) => a.action !== 'case_opened')).toEqual([]);
    expect(why(hy)).toEqual(new Set(['deceased']));

    // The heat alert is over the next day: Flo's order comes then.
    const next = await runDay(addBusinessDays(orderDay, 1));
    const floOrder = next.actions.find((a) => a.accountId === flo.accountId && a.action === 'disconnect_order')!;
    expect(floOrder.orderIds).toHaveLength(1);
    // Flo pays that morning: the crew may no longer work the order, and the next run cancels it and closes the case.
    await pay(flo, (await ledgerOf(flo)).balanceCents);
    const stale = await complete(c, floOrder.orderIds[0]!, { read: { reading: String(flo.kwh % 100000).padStart(5, '0') } });
    expect(stale.statusCode).toBe(409);
    expect(stale.json().message).toMatch(/must not be worked: .*below the minimum/);

    // Di misses the second instalment: the arrangement defaults and the account is back on the path.
    const missed = await runDay(addDays(instalments[1]!.dueOn, 1));
    expect(missed.actions.filter((a) => a.accountId === di.accountId).map((a) => a.action)).toContain('past_due_notice');
    expect((await c.get(`/api/v1/arrangements/${arr.json().id}`)).json().status).toBe('defaulted');
    expect(missed.actions.filter((a) => a.accountId === flo.accountId).map((a) => a.action)).toEqual(['order_cancelled', 'case_closed']);

    // Staff cannot order Ben's disconnection either: the refusal names the certificate.
    const refused = await c.post(`/api/v1/accounts/${ben.accountId}/collections/disconnect`, { reason: 'Trying anyway' });
    expect(refused.statusCode).toBe(409);
    expect(refused.json().message).toMatch(/protected from disconnection: .*medical/i);

    // Ada is disconnected in the field, pays everything, and is reconnected with the fee.
    const dayOff = addBusinessDays(orderDay, 1);
    await on(dayOff);
    ada.kwh += 200;
    const done = await complete(c, adaOrder.orderIds[0]!, { read: { reading: String(ada.kwh % 100000).padStart(5, '0') } });
    expect(done.statusCode, done.body).toBe(200);
    await on(addBusinessDays(dayOff, 1));
    await pay(ada, (await ledgerOf(ada)).balanceCents);
    const back = await runDay(addBusinessDays(dayOff, 1));
    expect((await c.get(`/api/v1/service-orders/${floOrder.orderIds[0]}`)).json().status).toBe('cancelled');
    const adaBack = back.actions.filter((a) => a.accountId === ada.accountId);
    expect(adaBack.map((a) => a.action)).toEqual(['case_closed', 'reconnect_order']);
    const reconnect = adaBack[1]!;
    expect(reconnect.feeCents).toBe(3500);
    expect((await c.get(`/api/v1/service-orders/${reconnect.orderIds[0]}`)).json()).toMatchObject({ type: 'reconnect', priority: 'urgent', source: 'collections' });
    expect((await ledgerOf(ada)).items.filter((e) => e.kind === 'fee').map((f) => f.reasonCode)).toEqual(['LATE_FEE', 'FIELD_COLLECTION_FEE', 'RECONNECT_FEE']);
    const panel = (await c.get(`/api/v1/accounts/${ada.accountId}/collections`)).json();
    expect(panel).toMatchObject({ openCase: null, balanceCents: 3500 });
    expect(panel.cases[0]).toMatchObject({ status: 'closed', disconnectedOn: orderDay }); // the order's effective date, when its read is dated
  });

  it('holds a winter-protected household through December, disconnects one without space heating, final-bills it after 30 days off, and keeps medical certificates to 2 in 120 days', async () => {
    await on('2026-09-01');
    const gus = await newCustomer('Gus Winter', '300 Frost Rd', '2026-09-01');
    const ida = await newCustomer('Ida Nowinter', '301 Frost Rd', '2026-09-01');
    expect((await c.patch(`/api/v1/premises/${gus.premiseId}`, { spaceHeating: true, reason: 'Electric baseboard heat' })).statusCode).toBe(200);
    await billMonth(2026, 10, [gus, ida], 1100);
    for (const p of [gus, ida]) await pay(p, (await ledgerOf(p)).balanceCents);
    await billMonth(2026, 11, [gus, ida], 1400);
    const nov = entry(2026, 11);
    const noticeDay = addBusinessDays(nov.dueDate, 5);
    const disconnectFrom = addBusinessDays(noticeDay, 8);
    const orderDay = addBusinessDays(addBusinessDays(noticeDay, 6), 2) > disconnectFrom ? addBusinessDays(addBusinessDays(noticeDay, 6), 2) : disconnectFrom;
    const runs: RunResult[] = [];
    for (let d = addDays(nov.dueDate, 1); d <= noticeDay; d = addDays(d, 1)) runs.push(await runDay(d));

    // Gus asks for winter protection two business days after the disconnect notice, with every condition met.
    await on(addBusinessDays(noticeDay, 2));
    const arrears = (await ledgerOf(gus)).balanceCents;
    const income = 210000;
    const bill = 12000;
    const winter = await c.post(`/api/v1/accounts/${gus.accountId}/winter-protection`, {
      noticeDate: noticeDay, monthlyIncomeCents: income, incomeDocumentedTo: 'Chelan-Douglas Community Action', appliedEnergyAssistance: true, appliedWeatherization: true,
      arrearsCents: arrears, estimatedMonthlyBillCents: bill, reason: 'Customer asked for winter protection at the counter',
    });
    expect(winter.statusCode, winter.body).toBe(201);
    // The plan, computed here on its own: December to October is 11 payments; at most 7% of income plus 1/12 of the arrears.
    const months = 11;
    const needed = bill + Math.ceil(arrears / months);
    const cap = Math.floor(income * 7 / 100) + Math.floor(arrears / 12);
    expect(winter.json().winter.plan).toMatchObject({ payInFullBy: '2027-10-15', months, capCents: cap, neededCents: needed, paymentCents: Math.min(needed, cap) });
    // The plan is kept: its first payment (the arrears' share) is made that day.
    await pay(gus, winter.json().instalments[0].amountCents);
    // Asked too late, it is refused with the reason.
    const late = await c.post(`/api/v1/accounts/${ida.accountId}/winter-protection`, {
      noticeDate: addBusinessDays(noticeDay, -6), monthlyIncomeCents: income, incomeDocumentedTo: 'CDCAC', appliedEnergyAssistance: true, appliedWeatherization: true, reason: 'Asked late',
    });
    expect(late.statusCode).toBeGreaterThanOrEqual(400);

    for (let d = addDays(noticeDay, 1); d <= orderDay; d = addDays(d, 1)) runs.push(await runDay(d));
    const all = runs.flatMap((r) => r.actions);
    expect(all.some((a) => a.accountId === gus.accountId && a.action === 'disconnect_order')).toBe(false);
    expect(runs.flatMap((r) => r.skippedProtected).some((x) => x.accountId === gus.accountId && x.protections.some((p) => p.kind === 'winter' || p.kind === 'arrangement'))).toBe(true);
    // Ida's premise is not heated by our service: winter protection does not reach her.
    const idaOrder = all.find((a) => a.accountId === ida.accountId && a.action === 'disconnect_order')!;
    expect(idaOrder.orderIds).toHaveLength(1);

    // Ida is disconnected and does not pay: thirty days later her service is closed and final billed.
    await on(orderDay);
    ida.kwh += 150;
    expect((await complete(c, idaOrder.orderIds[0]!, { read: { reading: String(ida.kwh % 100000).padStart(5, '0') } })).statusCode).toBe(200);
    await runDay(addDays(orderDay, 1));
    const finalDay = addDays(orderDay, 30);
    const closing = await runDay(finalDay);
    expect(closing.actions.filter((a) => a.accountId === ida.accountId).map((a) => a.action)).toEqual(['final_bill']);
    // (A final bill is made only for an agreement that has ended.)
    const bills = (await c.get(`/api/v1/accounts/${ida.accountId}/bills`)).json().items as { billDate: string; status: string; final: boolean; periodTo: string }[];
    // The final bill runs to the day service was disconnected (it waits in the exceptions queue like any final bill made on demand).
    expect(bills.find((b) => b.final)).toMatchObject({ billDate: finalDay, periodTo: orderDay });

    // Medical certificates: two in 120 days, the third refused with the limit named.
    for (const received of [addDays(finalDay, -100), addDays(finalDay, -40)]) {
      expect((await c.post(`/api/v1/accounts/${gus.accountId}/medical-certificates`, { receivedOn: received, professionalName: 'Dr. Ames, MD', reason: 'Certificate received' })).statusCode).toBe(201);
    }
    const third = await c.post(`/api/v1/accounts/${gus.accountId}/medical-certificates`, { receivedOn: finalDay, professionalName: 'Dr. Ames, MD', reason: 'Third certificate' });
    expect(third.statusCode).toBe(409);
    expect(third.json().message).toMatch(/At most 2 medical certificates in 120 days/);
  });

  it('cancels a disconnect order when a protection comes, orders again when it lapses, and does not close service that an arrangement brought back', async () => {
    const start = addDays(api.runtime.clock.today(), 1);
    await on(start);
    const jo = await newCustomer('Jo Again', '400 Second Chance Way', start);
    const first = schedule.find((e) => e.cycle === 3 && e.readDate > addDays(start, 25))!;
    const second = schedule.find((e) => e.cycle === 3 && e.readDate > addDays(first.readDate, 20))!;
    await billMonth(first.year, first.month, [jo], 900);
    await pay(jo, (await ledgerOf(jo)).balanceCents);
    await billMonth(second.year, second.month, [jo], 900);
    const noticeDay = addBusinessDays(second.dueDate, 5);
    const orderDay = addBusinessDays(noticeDay, 8);
    const orders: number[][] = [];
    const run = async (d: string) => {
      const r = await runDay(d);
      orders.push(...r.actions.filter((a) => a.accountId === jo.accountId && a.action === 'disconnect_order').map((a) => a.orderIds));
      return r.actions.filter((a) => a.accountId === jo.accountId).map((a) => a.action);
    };
    for (let d = addDays(second.dueDate, 1); d <= orderDay; d = addDays(d, 1)) await run(d);
    expect(orders).toHaveLength(1);

    // A medical emergency is told the next day: the order is cancelled and the case waits.
    const told = addBusinessDays(orderDay, 1);
    await on(told);
    expect((await c.post(`/api/v1/accounts/${jo.accountId}/medical-notices`, { toldOn: told, toldBy: 'Jo, by phone', reason: 'Oxygen concentrator at home' })).statusCode).toBe(201);
    expect(await run(told)).toEqual(['order_cancelled']);
    expect((await c.get(`/api/v1/service-orders/${orders[0]![0]}`)).json().status).toBe('cancelled');
    // Five business days later the hold is over: the order is made again, and the crew disconnects.
    let d = addDays(told, 1);
    for (; orders.length < 2 && d <= addDays(told, 14); d = addDays(d, 1)) await run(d);
    expect(orders).toHaveLength(2);
    expect(d > addBusinessDays(told, 5)).toBe(true);
    const offDay = addDays(d, -1);
    jo.kwh += 100;
    expect((await complete(c, orders[1]![0]!, { read: { reading: String(jo.kwh % 100000).padStart(5, '0') } })).statusCode).toBe(200);
    await run(addDays(offDay, 1));
    expect((await c.get(`/api/v1/accounts/${jo.accountId}/collections`)).json().openCase).toMatchObject({ disconnectedOn: offDay });

    // Jo makes an arrangement and pays its first instalment; staff reconnect (with the fee); the crew turns service back on.
    await on(addDays(offDay, 2));
    const arr = await c.post(`/api/v1/accounts/${jo.accountId}/arrangements`, { instalments: 4, firstDueOn: addDays(offDay, 2), reason: 'Arrangement to be reconnected' });
    expect(arr.statusCode, arr.body).toBe(201);
    await pay(jo, arr.json().instalments[0].amountCents);
    const back = await c.post(`/api/v1/accounts/${jo.accountId}/collections/reconnect`, { afterHours: false, reason: 'Arrangement made' });
    expect(back.statusCode, back.body).toBe(200);
    expect(back.json()).toMatchObject({ feeCents: 3500, afterHours: false });
    expect((await complete(c, back.json().orderIds[0], { read: { reading: String(jo.kwh % 100000).padStart(5, '0') } })).statusCode).toBe(200);
    await run(addDays(offDay, 3));
    expect((await c.get(`/api/v1/accounts/${jo.accountId}/collections`)).json().openCase).toMatchObject({ disconnectedOn: null, step: 'final_notice' });
    // Thirty days after the disconnection nothing is closed: service is on and the arrangement is kept.
    await pay(jo, arr.json().instalments[1].amountCents);
    expect(await run(addDays(offDay, 30))).not.toContain('final_bill');
  });
});
