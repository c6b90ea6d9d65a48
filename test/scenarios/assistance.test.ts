/**
 * Energy assistance with the clock moving (issue 6, item 4: done when a pledge holds collection,
 * the agency's payment is applied against it, and the program report shows it). A household on
 * electric service is billed in November 2026 and cannot pay; the community-action agency pledges
 * LIHEAP money on it: the pledge holds collection (what the collections work will ask) and the
 * account carries a pledge-pending alert. Two neighbours get winter-crisis pledges. In December the
 * agency's check pays the first pledge in full and the second in part: the ledger balances drop,
 * the first pledge is paid and its alert goes, and the report shows the money. After the expiry
 * dates the daily review expires the other two, flagged short and expired, and runs again to no
 * effect. At every step the ledger's balance is the bill less what was paid.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { assistanceEligible, pledgeHoldsCollection } from '../../src/assistance/index.ts';
import { createTestApi, type Client, type TestApi } from '../support/api.ts';
import { repoRoot } from '../support/cli.ts';
import { complete, newAccount, newPremise, order, read, setMeter } from '../support/district.ts';

let api: TestApi;
let c: Client;
const on = async (date: string) => {
  api.runtime.clock.advanceDays((Date.parse(`${date}T20:00:00Z`) - api.runtime.clock.now().getTime()) / 86_400_000);
  await api.signInAgain();
};
const balance = async (accountId: number) => (await c.get(`/api/v1/accounts/${accountId}/ledger?limit=200`)).json().balanceCents as number;
const pledgeAlert = async (accountId: number) =>
  ((await c.get(`/api/v1/accounts/${accountId}/alerts`)).json().items as { kind: string; active: boolean; note: string }[]).find((a) => a.kind === 'pledge_pending' && a.active) ?? null;
const pledgeOf = async (id: number) => (await c.get(`/api/v1/assistance/pledges/${id}`)).json();

beforeAll(async () => {
  api = await createTestApi();
  c = api.as.csr2;
  const tariff = JSON.parse(fs.readFileSync(path.join(repoRoot, 'src/tariff/examples/RES-E.json'), 'utf8'));
  expect((await api.as.supervisor.post('/api/v1/tariffs', { tariff, reason: 'Rates adopted' })).statusCode).toBe(201);
  expect((await api.as.supervisor.post('/api/v1/billing/schedule/generate', { year: 2026, reason: 'Yearly schedule' })).statusCode).toBe(200);
});
afterAll(() => api.close());

describe('a winter of energy assistance', () => {
  it('holds collection on a pledge, applies the agency check against it, shows it in the report, and expires the rest', async () => {
    const schedule = (await c.get('/api/v1/billing/schedule?year=2026')).json().items.filter((e: { cycle: number }) => e.cycle === 3) as { month: number; readDate: string; billDate: string; dueDate: string }[];
    const november = schedule.find((e) => e.month === 11)!;

    // October: a household moves in; November: its first bill, unpaid.
    const account = await newAccount(c, 'Hazel Winters', 'pending');
    const { points } = await newPremise(c, '14 Frost Hollow Road', ['electric']);
    await on('2026-10-01');
    const meter = await setMeter(c, points.electric!.id, '2026-10-01', '20000');
    const moveIn = await order(c, { type: 'move_in', servicePointId: points.electric!.id, accountId: account.id, effectiveDate: '2026-10-01', request: { rateCode: 'RES-E' } });
    expect((await complete(c, moveIn.id, { read: { reading: '20000' } })).statusCode).toBe(200);
    await on(november.readDate);
    const r = await read(c, meter.id, november.readDate, '21400');
    if (r.findings.length > 0) expect((await c.post(`/api/v1/meter-reads/${r.read.id}/accept`, { reason: 'Reading confirmed' })).statusCode).toBe(200);
    await on(november.billDate);
    expect((await c.post('/api/v1/billing/runs', { cycle: 3, date: november.billDate })).statusCode).toBe(200);
    const [bill] = (await c.get(`/api/v1/accounts/${account.id}/bills`)).json().items as { id: number; status: string; totalCents: number }[];
    if (bill!.status === 'held') expect((await api.as.supervisor.post(`/api/v1/bills/${bill!.id}/approve`, { reason: 'First bill checked' })).statusCode).toBe(200);
    const billCents = bill!.totalCents;
    expect(billCents).toBeGreaterThan(10000);
    expect(await balance(account.id)).toBe(billCents);

    // Two neighbours owing for the winter (old charges), helped by the crisis fund.
    const neighbours = [];
    for (const name of ['Ivy Short', 'Jack Lapse']) {
      const n = await newAccount(c, name);
      expect((await api.as.supervisor.post(`/api/v1/accounts/${n.id}/adjustments`, { amountCents: 20000, reasonCode: 'OTHER', reason: 'Balance brought over from the old system' })).statusCode, name).toBe(201);
      neighbours.push(n);
    }

    // The agency and its programs.
    const agency = (await api.as.supervisor.post('/api/v1/assistance/agencies', { code: 'CDCAC', name: 'Chelan-Douglas Community Action Council', reason: 'Agency agreement' })).json();
    const liheap = (await api.as.supervisor.post('/api/v1/assistance/programs', { agencyId: agency.id, code: 'LIHEAP', name: 'Low Income Home Energy Assistance Program', fundingYear: 2027 })).json();
    const crisis = (await api.as.supervisor.post('/api/v1/assistance/programs', { agencyId: agency.id, code: 'WINTER', name: 'Winter crisis fund' })).json();

    // After the due date the agency calls: a LIHEAP pledge of most of the bill, good for 30 days.
    await on('2026-12-01');
    const pledgeCents = Math.floor(billCents * 0.8);
    expect(await pledgeHoldsCollection(api.runtime.db, account.id, '2026-12-01')).toBeNull();
    const made = await api.as.csr1.post(`/api/v1/accounts/${account.id}/pledges`, { programId: liheap.id, amountCents: pledgeCents, reference: 'LI-27-0042', reason: 'Agency pledge by phone, letter to follow' });
    expect(made.statusCode, made.body).toBe(201);
    const pledge = made.json();
    expect(pledge).toMatchObject({ status: 'open', pledgedOn: '2026-12-01', expiresOn: '2026-12-31', holdsCollection: true });
    // It holds collection through its expiry date, and the account says so.
    expect(await pledgeHoldsCollection(api.runtime.db, account.id, '2026-12-01')).toEqual({ pledgeId: pledge.id, expiresOn: '2026-12-31', amountCents: pledgeCents, outstandingCents: pledgeCents });
    expect(await pledgeHoldsCollection(api.runtime.db, account.id, '2026-12-31')).toMatchObject({ pledgeId: pledge.id });
    expect(await pledgeHoldsCollection(api.runtime.db, account.id, '2027-01-01')).toBeNull();
    expect((await pledgeAlert(account.id))?.note).toMatch(/LIHEAP pledge LI-27-0042: \$[\d,]+\.\d\d, expires 2026-12-31/);
    expect(await assistanceEligible(api.runtime.db, account.id, '2026-12-01')).toBe(true);
    expect(await assistanceEligible(api.runtime.db, account.id, '2027-12-01')).toBe(false);
    const short = (await api.as.csr1.post(`/api/v1/accounts/${neighbours[0]!.id}/pledges`, { programId: crisis.id, amountCents: 15000, expiresOn: '2026-12-20', reason: 'Crisis pledge' })).json();
    const lapse = (await api.as.csr1.post(`/api/v1/accounts/${neighbours[1]!.id}/pledges`, { programId: crisis.id, amountCents: 12500, expiresOn: '2026-12-20', reason: 'Crisis pledge' })).json();
    expect(await balance(account.id)).toBe(billCents);

    // December 15: one check from the agency, for Hazel's pledge in full and part of Ivy's.
    await on('2026-12-15');
    const check = await api.as.csr1.post('/api/v1/assistance/agency-payments', {
      agencyId: agency.id, checkNumber: '104417', receivedOn: '2026-12-14', totalCents: pledgeCents + 6000,
      items: [{ accountNumber: account.accountNumber, amountCents: pledgeCents }, { accountId: neighbours[0]!.id, amountCents: 6000 }],
    });
    expect(check.statusCode, check.body).toBe(201);
    expect(check.json().items.map((i: { pledgeId: number; pledgeStatus: string }) => [i.pledgeId, i.pledgeStatus])).toEqual([[pledge.id, 'paid'], [short.id, 'partial']]);
    // The ledger: the bill less the agency's payment, dated the day the check came.
    expect(await balance(account.id)).toBe(billCents - pledgeCents);
    const entries = (await c.get(`/api/v1/accounts/${account.id}/ledger?limit=200`)).json().items as { kind: string; amountCents: number; entryDate: string }[];
    expect(entries.filter((e) => e.kind === 'payment').reduce((a, e) => a + e.amountCents, 0)).toBe(-pledgeCents);
    expect(entries.filter((e) => e.kind === 'payment').every((e) => e.entryDate === '2026-12-14')).toBe(true);
    expect(await balance(neighbours[0]!.id)).toBe(14000);
    expect(await pledgeOf(pledge.id)).toMatchObject({ status: 'paid', receivedCents: pledgeCents, outstandingCents: 0, closedOn: '2026-12-14', holdsCollection: false });
    expect(await pledgeAlert(account.id)).toBeNull();
    expect(await pledgeHoldsCollection(api.runtime.db, account.id, '2026-12-15')).toBeNull();
    // Ivy's partly paid pledge still holds collection, for what is still to come.
    expect(await pledgeHoldsCollection(api.runtime.db, neighbours[0]!.id, '2026-12-15')).toEqual({ pledgeId: short.id, expiresOn: '2026-12-20', amountCents: 15000, outstandingCents: 9000 });

    // The program report shows it.
    const report = (await c.get('/api/v1/assistance/report?from=2026-12-01&to=2026-12-31')).json();
    expect(report.programs.find((p: { programCode: string }) => p.programCode === 'LIHEAP')).toMatchObject({ pledgedCount: 1, pledgedCents: pledgeCents, receivedCents: pledgeCents, outstandingCents: 0, expiredCount: 0 });
    expect(report.programs.find((p: { programCode: string }) => p.programCode === 'WINTER')).toMatchObject({ pledgedCount: 2, pledgedCents: 27500, receivedCents: 6000, outstandingCents: 21500 });
    expect(report.total).toMatchObject({ pledgedCents: pledgeCents + 27500, receivedCents: pledgeCents + 6000 });

    // December 20 is the crisis pledges' last day: the review finds nothing to expire yet.
    await on('2026-12-20');
    expect((await api.as.csr2.post('/api/v1/assistance/review', {})).json()).toMatchObject({ date: '2026-12-20', expired: 0 });
    expect(await pledgeAlert(neighbours[1]!.id)).not.toBeNull();

    // December 21: both lapse, Ivy's short and Jack's with nothing; their alerts go. Again: nothing.
    await on('2026-12-21');
    const review = (await api.as.csr2.post('/api/v1/assistance/review', {})).json();
    expect(review).toMatchObject({ date: '2026-12-21', expired: 2, short: 1 });
    expect(review.pledges.map((p: { pledgeId: number; flag: string }) => [p.pledgeId, p.flag])).toEqual([[short.id, 'short'], [lapse.id, 'expired']]);
    expect((await api.as.csr2.post('/api/v1/assistance/review', {})).json()).toMatchObject({ expired: 0, short: 0 });
    expect(await pledgeAlert(neighbours[0]!.id)).toBeNull();
    expect(await pledgeAlert(neighbours[1]!.id)).toBeNull();
    expect(await pledgeHoldsCollection(api.runtime.db, neighbours[0]!.id, '2026-12-21')).toBeNull();
    const flagged = (await c.get('/api/v1/assistance/pledges?flagged=true')).json().items as { id: number; flag: string; status: string }[];
    expect(flagged.map((p) => [p.id, p.status, p.flag])).toEqual([[lapse.id, 'expired', 'expired'], [short.id, 'expired', 'short']]);
    expect(await balance(neighbours[0]!.id)).toBe(14000);
    expect(await balance(neighbours[1]!.id)).toBe(20000);

    const after = (await c.get('/api/v1/assistance/report?from=2026-12-01&to=2026-12-31')).json();
    expect(after.programs.find((p: { programCode: string }) => p.programCode === 'WINTER')).toMatchObject({ pledgedCount: 2, receivedCents: 6000, outstandingCents: 0, expiredCount: 2, expiredCents: 9000 + 12500, shortCount: 1 });
    const csv = (await c.get('/api/v1/assistance/report.csv?from=2026-12-01&to=2026-12-31')).body.split('\r\n');
    expect(csv).toContain(`CDCAC,Chelan-Douglas Community Action Council,WINTER,Winter crisis fund,2,275.00,60.00,0.00,2,215.00,1,0,2026-12-01,2026-12-31`);

    // The agency pays Jack's pledge late, in January: it is paid after all and the report says so.
    await on('2027-01-06');
    const late = await api.as.csr1.post('/api/v1/assistance/agency-payments', { agencyId: agency.id, checkNumber: '104502', receivedOn: '2027-01-05', totalCents: 12500, items: [{ accountId: neighbours[1]!.id, amountCents: 12500 }] });
    expect(late.json().items[0]).toMatchObject({ pledgeId: lapse.id, pledgeStatus: 'paid' });
    expect(await balance(neighbours[1]!.id)).toBe(7500);
  }, 240_000);
});
