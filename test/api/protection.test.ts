/**
 * Customer protections and payment arrangements through the API: who may do what (a CSR I records
 * medical notices and certificates, winter requests, disputes and arrangements; a CSR II ends
 * certificates, resolves disputes, enters heat alerts, cancels arrangements and runs the review; a
 * supervisor gives more instalments and changes the rules; an auditor only reads), the refusals
 * with their reasons (a third certificate in 120 days naming the limit, a winter request after the
 * 5 business days, a commercial account, an unknown area, too many instalments), what the account's
 * protections say, and the audit rows of each change with its reason. Today is 2026-11-26.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ledger } from '../../src/ledger/index.ts';
import { systemActor } from '../../src/platform/actor.ts';
import { createTestApi, type TestApi } from '../support/api.ts';
import { repoRoot } from '../support/cli.ts';
import { newAccount } from '../support/district.ts';

let api: TestApi;
const town = { city: 'Wenatchee', state: 'WA', postalCode: '98801' };

/** A residential account with electric service since 2025 at a premise in an area, owing `owes` cents (old charges). */
async function household(name: string, opts: { area?: string; spaceHeating?: boolean; owes?: number; customerClass?: string } = {}) {
  const c = api.as.csr2;
  const [firstName, lastName] = name.split(' ');
  const customer = (await c.post('/api/v1/customers', { kind: 'person', firstName, lastName })).json();
  const made = await c.post('/api/v1/accounts', { customerId: customer.id, customerClass: opts.customerClass ?? 'residential', billingCycle: 3, billingAddress: { line1: `${name.length} Ember Way`, ...town } });
  expect(made.statusCode, made.body).toBe(201);
  const account = made.json() as { id: number; accountNumber: string };
  const premise = (await c.post('/api/v1/premises', { address: { line1: `${name.length} Ember Way`, ...town }, premiseType: 'single_family', area: opts.area ?? 'WEN', spaceHeating: opts.spaceHeating ?? false })).json();
  const point = (await c.post(`/api/v1/premises/${premise.id}/service-points`, { service: 'electric', status: 'active', route: 'R07' })).json();
  const agreement = await c.post('/api/v1/service-agreements', { accountId: account.id, servicePointId: point.id, rateCode: 'RES-E', startDate: '2025-01-01', reason: 'Service started' });
  expect(agreement.statusCode, agreement.body).toBe(201);
  if (opts.owes) await ledger.adjust(api.runtime.db, systemActor('test'), api.runtime.clock, { accountId: account.id, amountCents: opts.owes, reasonCode: 'OTHER', reason: 'Balance brought over from the old system', entryDate: '2026-10-01' });
  return account;
}

const trail = async (accountId: number, entityType: string) =>
  ((await api.as.auditor.get(`/api/v1/audit?accountId=${accountId}&entityType=${entityType}`)).json().items as { action: string; reason: string; after: Record<string, unknown> | null }[]);

beforeAll(async () => {
  api = await createTestApi();
  const tariff = JSON.parse(fs.readFileSync(path.join(repoRoot, 'src/tariff/examples/RES-E.json'), 'utf8'));
  expect((await api.as.supervisor.post('/api/v1/tariffs', { tariff, reason: 'Rates adopted' })).statusCode).toBe(201);
});
afterAll(() => api?.close());

describe('medical notices and certificates', () => {
  it('records a notice (5 business days) and certificates up to the limit; the third in 120 days is refused naming the limit', async () => {
    const a = await household('Mona Medic', { owes: 40000 });
    expect((await api.anonymous.get(`/api/v1/accounts/${a.id}/medical`)).statusCode).toBe(401);
    expect((await api.as.auditor.post(`/api/v1/accounts/${a.id}/medical-notices`, { toldBy: 'Mona Medic', reason: 'Called in' })).statusCode).toBe(403);
    const notice = await api.as.csr1.post(`/api/v1/accounts/${a.id}/medical-notices`, { toldOn: '2026-11-24', toldBy: 'Mona Medic (customer)', reason: 'Customer called: oxygen concentrator at home' });
    expect(notice.statusCode, notice.body).toBe(201);
    // Tuesday 24th + 5 business days, Thanksgiving and the day after closed.
    expect(notice.json()).toMatchObject({ toldOn: '2026-11-24', holdsUntil: '2026-12-03' });
    expect((await api.as.csr1.post(`/api/v1/accounts/${a.id}/medical-notices`, { toldOn: '2026-12-01', toldBy: 'Someone', reason: 'Future' })).json().message).toMatch(/toldOn: 2026-12-01 is after today/);

    const first = await api.as.csr1.post(`/api/v1/accounts/${a.id}/medical-certificates`, { receivedOn: '2026-08-10', professionalName: 'Dr. Ames', reason: 'Certificate faxed by the clinic' });
    expect(first.statusCode, first.body).toBe(201);
    expect(first.json()).toMatchObject({ holdsUntil: '2026-10-09', delinquentCents: 0, paymentDueCents: 0, paid: true });
    const second = await api.as.csr1.post(`/api/v1/accounts/${a.id}/medical-certificates`, { receivedOn: '2026-11-20', professionalName: 'Dr. Ames', reason: 'Second certificate from the clinic' });
    expect(second.statusCode, second.body).toBe(201);
    // 10% of the $400.00 owed on the day it came, not yet paid.
    expect(second.json()).toMatchObject({ delinquentCents: 40000, paymentDueCents: 4000, paid: false, holdsUntil: '2027-01-19', noticeHoldsUntil: '2026-12-01' });
    const third = await api.as.csr1.post(`/api/v1/accounts/${a.id}/medical-certificates`, { receivedOn: '2026-11-25', professionalName: 'Dr. Brook', reason: 'Another certificate' });
    expect(third.statusCode).toBe(409);
    expect(third.json().message).toMatch(/At most 2 medical certificates in 120 days: this account had 2 \(2026-08-10, 2026-11-20\)/);
    expect(third.json().details).toMatchObject({ maxCertificates: 2, withinDays: 120 });

    const medical = (await api.as.auditor.get(`/api/v1/accounts/${a.id}/medical`)).json();
    expect(medical.certificates).toHaveLength(2);
    expect(medical.notices).toHaveLength(1);
    expect(medical.limit).toEqual({ maxCertificates: 2, withinDays: 120 });
    // The certificate's alert is on the account.
    const alerts = (await api.as.auditor.get(`/api/v1/accounts/${a.id}/alerts`)).json().items as { kind: string; active: boolean; note: string }[];
    expect(alerts.filter((x) => x.kind === 'medical_certificate' && x.active).map((x) => x.note)).toEqual([expect.stringContaining('holds disconnection to 2027-01-19 once $40.00')]);

    // Today the unpaid certificate holds only through its notice hold; the notice holds too.
    const today = (await api.as.auditor.get(`/api/v1/accounts/${a.id}/protections`)).json();
    expect(today.date).toBe('2026-11-26');
    expect(today.items.map((p: { kind: string; until: string }) => [p.kind, p.until])).toEqual([['medical_certificate', '2026-12-01'], ['medical_notice', '2026-12-03']]);
    expect(today.items[0].detail).toMatch(/holds only to 2026-12-01 .* until \$40\.00 \(10% of the delinquent balance\) is paid, then to 2027-01-19/);
    expect(today.items.every((p: { holds: string[] }) => p.holds.join() === 'disconnect')).toBe(true);

    // Ending a certificate is a CSR II's; its alert ends with it.
    expect((await api.as.csr1.post(`/api/v1/medical-certificates/${second.json().id}/end`, { reason: 'Emergency over' })).statusCode).toBe(403);
    const ended = await api.as.csr2.post(`/api/v1/medical-certificates/${second.json().id}/end`, { reason: 'Clinic says the equipment went back' });
    expect(ended.json()).toMatchObject({ endedOn: '2026-11-26' });
    const after = (await api.as.auditor.get(`/api/v1/accounts/${a.id}/alerts`)).json().items as { kind: string; active: boolean }[];
    expect(after.some((x) => x.kind === 'medical_certificate' && x.active)).toBe(false);

    const rows = await trail(a.id, 'medical_certificate');
    expect(rows.map((r) => [r.action, r.reason])).toEqual([['end', 'Clinic says the equipment went back'], ['create', 'Second certificate from the clinic'], ['create', 'Certificate faxed by the clinic']]);
    expect(rows[1]!.after).toMatchObject({ professionalName: 'Dr. Ames', paymentDueCents: 4000, holdsUntil: '2027-01-19' });
    expect((await trail(a.id, 'medical_notice')).map((r) => r.action)).toEqual(['create']);
  });

  it('refuses medical protection on a commercial account', async () => {
    const shop = await household('Cora Commerce', { customerClass: 'commercial' });
    const res = await api.as.csr1.post(`/api/v1/accounts/${shop.id}/medical-certificates`, { professionalName: 'Dr. Ames', reason: 'Certificate' });
    expect(res.statusCode).toBe(409);
    expect(res.json().message).toMatch(/A medical certificate protects residential service only: account \d{9} is commercial/);
  });
});

describe('winter protection', () => {
  it('quotes the plan without saving, refuses a request after 5 business days, and takes one in time as a winter arrangement', async () => {
    const a = await household('Wynn Terr', { spaceHeating: true, owes: 60000 });
    const q = await api.as.auditor.get(`/api/v1/accounts/${a.id}/winter-protection/quote?noticeDate=2026-11-20&monthlyIncomeCents=200000&incomeDocumentedTo=CDCAC&appliedEnergyAssistance=true&appliedWeatherization=true&estimatedMonthlyBillCents=15000`);
    expect(q.statusCode, q.body).toBe(200);
    // 12 months to October 15; 7% of $2,000.00 + 1/12 of $600.00 = $190.00 a month.
    expect(q.json()).toMatchObject({ requestedOn: '2026-11-26', requestDeadline: '2026-12-01', arrearsCents: 60000, inSeason: true, seasonLastDay: '2027-03-15', problems: [], plan: { months: 12, capCents: 19000, paymentCents: 19000, payInFullBy: '2027-10-15' } });
    expect((await api.as.auditor.get(`/api/v1/accounts/${a.id}/arrangements`)).json().items).toEqual([]);

    const late = await api.as.csr1.post(`/api/v1/accounts/${a.id}/winter-protection`, { noticeDate: '2026-11-13', monthlyIncomeCents: 200000, incomeDocumentedTo: 'CDCAC', appliedEnergyAssistance: true, appliedWeatherization: true, estimatedMonthlyBillCents: 15000, reason: 'Customer asked' });
    expect(late.statusCode).toBe(409);
    expect(late.json().message).toBe('Winter protection must be asked for within 5 business days of the delinquency notice of 2026-11-13 (by 2026-11-20); it was asked for on 2026-11-26');
    const noWeatherization = await api.as.csr1.post(`/api/v1/accounts/${a.id}/winter-protection`, { noticeDate: '2026-11-20', monthlyIncomeCents: 200000, incomeDocumentedTo: 'CDCAC', appliedEnergyAssistance: true, appliedWeatherization: false, estimatedMonthlyBillCents: 15000, reason: 'Customer asked' });
    expect(noWeatherization.statusCode).toBe(400);
    expect(noWeatherization.json()).toMatchObject({ details: { field: 'appliedWeatherization' } });

    const made = await api.as.csr1.post(`/api/v1/accounts/${a.id}/winter-protection`, { noticeDate: '2026-11-20', monthlyIncomeCents: 200000, incomeDocumentedTo: 'Chelan-Douglas CAC', appliedEnergyAssistance: true, appliedWeatherization: true, estimatedMonthlyBillCents: 15000, firstDueOn: '2026-12-15', reason: 'Customer asked for winter protection by phone' });
    expect(made.statusCode, made.body).toBe(201);
    expect(made.json()).toMatchObject({ kind: 'winter', status: 'active', arrearsCents: 60000, winter: { monthlyIncomeCents: 200000, plan: { paymentCents: 19000 } } });
    expect(made.json().instalments).toHaveLength(12);
    expect(made.json().instalments.at(-1)).toMatchObject({ dueOn: '2027-10-15' });
    const inForce = (await api.as.auditor.get(`/api/v1/accounts/${a.id}/protections`)).json().items as { kind: string; holds: string[] }[];
    expect(inForce.map((p) => [p.kind, p.holds.join()])).toEqual([['arrangement', 'notice,disconnect,late_fee'], ['winter', 'disconnect']]);
    expect((await trail(a.id, 'winter_protection'))[0]).toMatchObject({ action: 'create', reason: 'Customer asked for winter protection by phone', after: { noticeDate: '2026-11-20', paymentCents: 19000 } });
  });

  it('refuses a household whose premise is not heated by the service', async () => {
    const a = await household('Cole Dwelling', { spaceHeating: false, owes: 30000 });
    const res = await api.as.csr1.post(`/api/v1/accounts/${a.id}/winter-protection`, { noticeDate: '2026-11-24', monthlyIncomeCents: 150000, incomeDocumentedTo: 'CDCAC', appliedEnergyAssistance: true, appliedWeatherization: true, estimatedMonthlyBillCents: 9000, reason: 'Asked' });
    expect(res.statusCode).toBe(409);
    expect(res.json().message).toMatch(/covers space-heating service: the premise served \(\d+ Ember Way\) is not recorded as heated/);
  });
});

describe('heat alerts', () => {
  it('lets a CSR II enter, change, list and end an alert for an area; an area with no premises is refused', async () => {
    const body = { area: 'wen', fromDate: '2026-07-08', toDate: '2026-07-12', source: 'NWS Heat Advisory', note: 'Highs of 104', reason: 'Advisory issued for the Wenatchee valley' };
    expect((await api.as.csr1.post('/api/v1/heat-alerts', body)).statusCode).toBe(403);
    const made = await api.as.csr2.post('/api/v1/heat-alerts', body);
    expect(made.statusCode, made.body).toBe(201);
    expect(made.json()).toMatchObject({ area: 'WEN', fromDate: '2026-07-08', toDate: '2026-07-12', lastDay: '2026-07-12' });
    const unknown = await api.as.csr2.post('/api/v1/heat-alerts', { ...body, area: 'MARS' });
    expect(unknown.statusCode).toBe(400);
    expect(unknown.json().message).toMatch(/area: no premises are in area MARS \(areas: WEN\)/);
    expect((await api.as.csr2.post('/api/v1/heat-alerts', { ...body, toDate: '2026-07-01' })).json().message).toMatch(/toDate: is before fromDate/);

    const id = made.json().id;
    const longer = await api.as.csr2.patch(`/api/v1/heat-alerts/${id}`, { toDate: '2026-07-14', source: 'NWS Excessive Heat Warning', reason: 'Upgraded and extended' });
    expect(longer.json()).toMatchObject({ toDate: '2026-07-14', source: 'NWS Excessive Heat Warning' });
    expect((await api.as.auditor.get('/api/v1/heat-alerts?from=2026-07-13&to=2026-07-31&area=WEN')).json().items.map((h: { id: number }) => h.id)).toEqual([id]);
    expect((await api.as.auditor.get('/api/v1/heat-alerts?from=2026-07-15')).json().items).toEqual([]);
    const ended = await api.as.csr2.post(`/api/v1/heat-alerts/${id}/end`, { endedOn: '2026-07-13', reason: 'Advisory cancelled early' });
    expect(ended.json()).toMatchObject({ endedOn: '2026-07-13', lastDay: '2026-07-12' });
    expect((await api.as.csr2.post(`/api/v1/heat-alerts/${id}/end`, { reason: 'Again' })).statusCode).toBe(409);
    expect((await api.as.auditor.get('/api/v1/heat-alerts/areas')).json().items).toEqual([{ area: 'WEN', premises: expect.any(Number) }]);
    const rows = (await api.as.auditor.get(`/api/v1/audit?entityType=heat_alert&entityId=${id}`)).json().items as { action: string; reason: string }[];
    expect(rows.map((r) => r.action)).toEqual(['end', 'update', 'create']);
  });
});

describe('disputes', () => {
  it('opens a dispute (the amount shows as disputed) and a CSR II resolves it', async () => {
    const a = await household('Dee Spute', { owes: 25000 });
    const opened = await api.as.csr1.post(`/api/v1/accounts/${a.id}/disputes`, { amountCents: 12000, about: 'October bill: meter read thought wrong', reason: 'Customer disputes the October read' });
    expect(opened.statusCode, opened.body).toBe(201);
    const p = (await api.as.auditor.get(`/api/v1/accounts/${a.id}/protections`)).json().items;
    expect(p).toEqual([expect.objectContaining({ kind: 'dispute', holds: [], disputedCents: 12000, until: null })]);
    expect((await api.as.csr1.post(`/api/v1/disputes/${opened.json().id}/resolve`, { outcome: 'Read confirmed', reason: 'Checked' })).statusCode).toBe(403);
    const resolved = await api.as.csr2.post(`/api/v1/disputes/${opened.json().id}/resolve`, { outcome: 'Meter re-read: the October read stands', reason: 'Field check done' });
    expect(resolved.json()).toMatchObject({ open: false, resolvedOn: '2026-11-26', outcome: 'Meter re-read: the October read stands' });
    expect((await api.as.auditor.get(`/api/v1/accounts/${a.id}/protections`)).json().items).toEqual([]);
    expect((await trail(a.id, 'dispute')).map((r) => r.action)).toEqual(['resolve', 'open']);
  });
});

describe('a pending energy-assistance pledge', () => {
  it('is reported as a protection that holds disconnection, whatever the customer class', async () => {
    const shop = await household('Gus Grocer', { customerClass: 'commercial', owes: 20000 });
    const agency = (await api.as.supervisor.post('/api/v1/assistance/agencies', { code: 'CDCAC', name: 'Chelan-Douglas Community Action Council', reason: 'Agency agreement' })).json();
    const program = (await api.as.supervisor.post('/api/v1/assistance/programs', { agencyId: agency.id, code: 'WINTER', name: 'Winter crisis fund' })).json();
    const pledge = await api.as.csr1.post(`/api/v1/accounts/${shop.id}/pledges`, { programId: program.id, amountCents: 15000, expiresOn: '2026-12-20', reason: 'Agency pledge by phone' });
    expect(pledge.statusCode, pledge.body).toBe(201);
    const items = (await api.as.auditor.get(`/api/v1/accounts/${shop.id}/protections`)).json().items;
    expect(items).toEqual([{ kind: 'pledge', id: pledge.json().id, from: '2026-11-26', until: '2026-12-20', holds: ['disconnect'], detail: `Energy-assistance pledge ${pledge.json().id} (CDCAC WINTER) of $150.00: $150.00 still to come, holds to 2026-12-20` }]);
    expect((await api.as.auditor.get(`/api/v1/accounts/${shop.id}/protections?date=2026-12-21`)).json()).toEqual({ accountId: shop.id, date: '2026-12-21', items: [] });
  });
});

describe('payment arrangements', () => {
  it('quotes, makes (more instalments than a CSR may give needs a supervisor), lists by status, cancels and reviews', async () => {
    const a = await household('Arnie Range', { owes: 36000 });
    const quote = (await api.as.auditor.get(`/api/v1/accounts/${a.id}/arrangements/quote?instalments=6`)).json();
    expect(quote).toMatchObject({ arrearsCents: 36000, delinquentCents: 36000, maxInstalments: 12 });
    expect(quote.instalments.map((i: { dueOn: string; amountCents: number }) => [i.dueOn, i.amountCents])[0]).toEqual(['2026-12-26', 6000]);
    expect((await api.as.auditor.post(`/api/v1/accounts/${a.id}/arrangements`, { instalments: 6, reason: 'x' })).statusCode).toBe(403);
    const tooMany = await api.as.csr1.post(`/api/v1/accounts/${a.id}/arrangements`, { instalments: 18, reason: 'Customer asked for 18 months' });
    expect(tooMany.statusCode).toBe(403);
    expect(tooMany.json().message).toBe('More than 12 instalments (this one has 18) needs a supervisor');
    expect((await api.as.supervisor.post(`/api/v1/accounts/${a.id}/arrangements`, { instalments: 30, reason: 'Long' })).json().message).toMatch(/at most 24 instalments; this one would have 30/);
    expect((await api.as.csr1.post(`/api/v1/accounts/${a.id}/arrangements`, { reason: 'Nothing said' })).json()).toMatchObject({ code: 'validation', details: { field: 'instalments' } });

    const made = await api.as.csr1.post(`/api/v1/accounts/${a.id}/arrangements`, { instalmentCents: 5000, firstDueOn: '2026-12-10', reason: 'Customer agreed $50.00 a month' });
    expect(made.statusCode, made.body).toBe(201);
    expect(made.json()).toMatchObject({ kind: 'standard', status: 'active', arrearsCents: 36000, standing: { goodStanding: true, owedCents: 0, nextDueOn: '2026-12-10' } });
    expect(made.json().instalments.map((i: { amountCents: number }) => i.amountCents)).toEqual([5000, 5000, 5000, 5000, 5000, 5000, 5000, 1000]);
    expect((await api.as.csr1.post(`/api/v1/accounts/${a.id}/arrangements`, { instalments: 2, reason: 'Again' })).statusCode).toBe(409);
    const alerts = (await api.as.auditor.get(`/api/v1/accounts/${a.id}/alerts`)).json().items as { kind: string; active: boolean }[];
    expect(alerts.some((x) => x.kind === 'payment_arrangement' && x.active)).toBe(true);
    const inForce = (await api.as.auditor.get(`/api/v1/accounts/${a.id}/protections`)).json().items;
    expect(inForce[0]).toMatchObject({ kind: 'arrangement', id: made.json().id, from: '2026-11-26', until: '2027-07-10', holds: ['notice', 'disconnect', 'late_fee'] });

    // A supervisor gives more instalments.
    const b = await household('Bea Longview', { owes: 90000 });
    const long = await api.as.supervisor.post(`/api/v1/accounts/${b.id}/arrangements`, { instalments: 18, reason: 'Hardship: 18 months agreed' });
    expect(long.statusCode, long.body).toBe(201);

    const active = (await api.as.auditor.get('/api/v1/arrangements?status=active')).json().items as { id: number; accountNumber: string }[];
    expect(active.map((x) => x.id)).toEqual(expect.arrayContaining([made.json().id, long.json().id]));
    expect(active.find((x) => x.id === made.json().id)!.accountNumber).toBe(a.accountNumber);

    expect((await api.as.csr1.post(`/api/v1/arrangements/${made.json().id}/cancel`, { reason: 'Customer moving' })).statusCode).toBe(403);
    const cancelled = await api.as.csr2.post(`/api/v1/arrangements/${made.json().id}/cancel`, { reason: 'Customer paid in full elsewhere' });
    expect(cancelled.json()).toMatchObject({ status: 'cancelled', endedOn: '2026-11-26' });
    expect((await api.as.auditor.get('/api/v1/arrangements?status=cancelled')).json().items.map((x: { id: number }) => x.id)).toContain(made.json().id);
    expect((await api.as.auditor.get(`/api/v1/accounts/${a.id}/protections`)).json().items).toEqual([]);

    expect((await api.as.csr1.post('/api/v1/arrangements/review', {})).statusCode).toBe(403);
    expect((await api.as.csr2.post('/api/v1/arrangements/review', { date: '2026-12-01' })).json().message).toMatch(/date: 2026-12-01 is after today/);
    const review = await api.as.csr2.post('/api/v1/arrangements/review', {});
    expect(review.json()).toEqual({ date: '2026-11-26', defaulted: [], completed: [] });
    expect((await trail(a.id, 'payment_arrangement')).map((r) => [r.action, r.reason])).toEqual([['cancel', 'Customer paid in full elsewhere'], ['create', 'Customer agreed $50.00 a month']]);
  });

  it('lets a supervisor change the rules, with the reason audited', async () => {
    expect((await api.as.csr2.patch('/api/v1/protections/settings', { graceDays: 3, reason: 'Policy' })).statusCode).toBe(403);
    const s = await api.as.supervisor.patch('/api/v1/protections/settings', { graceDays: 3, reason: 'Board policy: 3 days of grace' });
    expect(s.json()).toMatchObject({ graceDays: 3, maxInstalments: 12, medicalMaxCertificates: 2, winterFrom: '11-15' });
    expect((await api.as.supervisor.patch('/api/v1/protections/settings', { supervisorMaxInstalments: 6, reason: 'x y z' })).json().message).toMatch(/supervisorMaxInstalments: must be at least maxInstalments \(12\)/);
    const rows = (await api.as.auditor.get('/api/v1/audit?entityType=protection_settings')).json().items as { reason: string; after: Record<string, unknown> }[];
    expect(rows[0]).toMatchObject({ reason: 'Board policy: 3 days of grace', after: { graceDays: 3 } });
    await api.as.supervisor.patch('/api/v1/protections/settings', { graceDays: 0, reason: 'Back to none' });
  });
});
