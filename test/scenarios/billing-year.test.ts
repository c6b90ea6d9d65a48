/**
 * A year of bills with the clock moving: one account with electric, water and fiber through 13
 * billing months, with a rate change inside a period, a meter exchange inside a period, a high
 * bill held and released by a supervisor, a cancel and rebill, and the move-out final bills. At
 * every step the ledger balance equals the posted bills, and every bill equals its lines.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApi, type Client, type TestApi } from '../support/api.ts';
import { repoRoot } from '../support/cli.ts';
import { complete, newAccount, newMeter, newPremise, order, read, setMeter } from '../support/district.ts';

let api: TestApi;
let c: Client;
const example = (code: string) => JSON.parse(fs.readFileSync(path.join(repoRoot, 'src/tariff/examples', `${code}.json`), 'utf8'));
/** Moves the test clock to noon Pacific of a date, and signs the staff in again on that day. */
const on = async (date: string) => {
  api.runtime.clock.advanceDays((Date.parse(`${date}T20:00:00Z`) - api.runtime.clock.now().getTime()) / 86_400_000);
  await api.signInAgain();
};

interface Bill { id: number; service: string; status: string; periodFrom: string; periodTo: string; totalCents: number; usage: string | null; final: boolean; lines: { code: string; amountCents: number; tariffVersion: string; quantity: string; from: string; to: string }[] }

beforeAll(async () => {
  api = await createTestApi();
  c = api.as.csr2;
  for (const code of ['RES-E', 'RES-W', 'FIB-100']) {
    const res = await api.as.supervisor.post('/api/v1/tariffs', { tariff: example(code), reason: 'Rates adopted' });
    expect(res.statusCode, res.body).toBe(201);
  }
  for (const year of [2026, 2027]) expect((await api.as.supervisor.post('/api/v1/billing/schedule/generate', { year, reason: 'Yearly schedule' })).statusCode).toBe(200);
});
afterAll(() => api.close());

describe('a year of billing', () => {
  it('bills electric, water and fiber for 13 months through a rate change, an exchange, a hold, a rebill and a move-out', async () => {
    const schedule = [
      ...(await c.get('/api/v1/billing/schedule?year=2026')).json().items,
      ...(await c.get('/api/v1/billing/schedule?year=2027')).json().items,
    ].filter((e: { cycle: number }) => e.cycle === 3) as { year: number; month: number; readDate: string; billDate: string }[];
    const entry = (year: number, month: number) => schedule.find((e) => e.year === year && e.month === month)!;

    const account = await newAccount(c, 'Katherine Johnson', 'pending');
    const { points } = await newPremise(c, '1918 Orbit Rd', ['electric', 'water', 'fiber']);
    await on('2026-01-02');
    let electric = await setMeter(c, points.electric!.id, '2026-01-02', '10000');
    const waterMeter = (await c.post('/api/v1/meters', { serial: `WS${Date.now() % 100000}`, kind: 'water', dials: 7, multiplier: '1', size: '5/8"' })).json();
    expect((await c.post(`/api/v1/meters/${waterMeter.id}/install`, { servicePointId: points.water!.id, installedOn: '2026-01-02', reason: 'Meter set' })).statusCode).toBe(201);
    await read(c, waterMeter.id, '2026-01-02', '0100000', { purpose: 'install' });
    await on('2026-01-05');
    const moveIns: Record<string, number> = {};
    for (const [service, rateCode, reading] of [['electric', 'RES-E', '10000'], ['water', 'RES-W', '0100000'], ['fiber', 'FIB-100', null]] as const) {
      const o = await order(c, { type: 'move_in', servicePointId: points[service]!.id, accountId: account.id, effectiveDate: '2026-01-05', request: { rateCode } });
      const done = await complete(c, o.id, reading ? { read: { reading } } : {});
      expect(done.statusCode, done.body).toBe(200);
      moveIns[service] = o.id;
    }

    let kwh = 10000;
    let gal = 100000;
    const bills = async () => (await c.get(`/api/v1/accounts/${account.id}/bills`)).json().items as Bill[];
    /** The ledger balance is the posted bills, and every bill is the sum of its lines. */
    const checkLedger = async () => {
      const all = await bills();
      for (const b of all) expect(b.totalCents, `bill ${b.id}`).toBe(b.lines.reduce((n, l) => n + l.amountCents, 0));
      const posted = all.filter((b) => b.status === 'posted').reduce((n, b) => n + b.totalCents, 0);
      expect((await c.get(`/api/v1/accounts/${account.id}/ledger`)).json().balanceCents).toBe(posted);
      return all;
    };
    const runMonth = async (year: number, month: number) => {
      const e = entry(year, month);
      await on(e.billDate);
      const res = await c.post('/api/v1/billing/runs', { cycle: 3, date: e.billDate });
      expect(res.statusCode, res.body).toBe(200);
      expect(res.json().control.tied).toBe(true);
      return res.json();
    };
    const readMonth = async (year: number, month: number, addKwh: number, addGal: number) => {
      const e = entry(year, month);
      await on(e.readDate);
      kwh += addKwh;
      gal += addGal;
      // Staff confirm any read the validation flags (a spike, and the ordinary month after it).
      for (const r of [await read(c, electric.id, e.readDate, String(kwh % 100000).padStart(5, '0')), await read(c, waterMeter.id, e.readDate, String(gal).padStart(7, '0'))]) {
        if (r.findings.length > 0) expect((await c.post(`/api/v1/meter-reads/${r.read.id}/accept`, { reason: 'Reading confirmed with the customer' })).statusCode).toBe(200);
      }
    };

    // Feb 2026: the first bills, from move-in; fiber's installation charge is on it.
    await readMonth(2026, 2, 640, 4200);
    expect(await runMonth(2026, 2)).toMatchObject({ posted: 3, held: 0 });
    let all = await checkLedger();
    expect(all.map((b) => b.service).sort()).toEqual(['electric', 'fiber', 'water']);
    expect(all.find((b) => b.service === 'fiber')!.lines.map((l) => l.code)).toContain('INSTALL');
    expect(all.find((b) => b.service === 'electric')).toMatchObject({ periodFrom: '2026-01-05', usage: '640' });

    for (const month of [3, 4]) {
      await readMonth(2026, month, 600 + month * 10, 4000 + month * 100);
      expect(await runMonth(2026, month)).toMatchObject({ posted: 3, held: 0 });
      await checkLedger();
    }

    // A rate change on May 15: the May bill's energy is split by days between the versions.
    const v2 = { ...example('RES-E'), effectiveFrom: '2026-05-15' };
    v2.charges[0].price = '0.60';
    expect((await api.as.supervisor.post('/api/v1/tariffs', { tariff: v2, reason: 'Rate increase adopted by the board' })).statusCode).toBe(201);
    await readMonth(2026, 5, 700, 4600);
    await runMonth(2026, 5);
    await readMonth(2026, 6, 720, 5200);
    await runMonth(2026, 6);
    all = await checkLedger();
    const split = all.find((b) => b.service === 'electric' && b.periodFrom < '2026-05-15' && b.periodTo >= '2026-05-15')!;
    const basic = split.lines.filter((l) => l.code === 'BASIC');
    expect(basic.map((l) => l.tariffVersion)).toEqual(['RES-E v1', 'RES-E v2']);
    expect(basic[1]!.from).toBe('2026-05-15');
    expect(basic.reduce((n, l) => n + Number(l.quantity), 0)).toBe(Number(split.periodTo.slice(8)) + 31 - Number(split.periodFrom.slice(8)) + 1);

    // A meter exchange inside the July period: the use on both meters is counted once.
    await on('2026-06-20');
    const newElectric = await newMeter(c, { dials: 5 });
    const ex = await order(c, { type: 'meter_exchange', servicePointId: points.electric!.id, effectiveDate: '2026-06-20', request: { newMeterId: newElectric.id, oldMeterTo: 'testing' } });
    kwh += 300;
    expect((await complete(c, ex.id, { read: { reading: String(kwh).padStart(5, '0') }, newMeterRead: { reading: '00000' }, newMeter: { multiplier: '1', dials: 5 }, sealNumber: 'S-1' })).statusCode).toBe(200);
    electric = newElectric;
    kwh = 0;
    await readMonth(2026, 7, 450, 5400);
    await runMonth(2026, 7);
    all = await checkLedger();
    expect(all.find((b) => b.service === 'electric' && b.periodTo === entry(2026, 7).readDate)!.usage).toBe('750');

    // A very high August: held, then released by a supervisor with the reason.
    await readMonth(2026, 8, 4000, 5600);
    const aug = await runMonth(2026, 8);
    expect(aug).toMatchObject({ held: 1, posted: 2 });
    const heldBill = (await bills()).find((b) => b.status === 'held')!;
    await checkLedger();
    const released = await api.as.supervisor.post(`/api/v1/bills/${heldBill.id}/approve`, { reason: 'New electric vehicle charger; customer confirmed' });
    expect(released.statusCode, released.body).toBe(200);
    await checkLedger();

    for (const month of [9, 10]) {
      await readMonth(2026, month, 650, 4800);
      expect(await runMonth(2026, month)).toMatchObject({ held: 0 });
      await checkLedger();
    }

    // Cancel and rebill October's water bill: reversed, billed again for the same period.
    const oct = (await bills()).find((b) => b.service === 'water' && b.periodTo === entry(2026, 10).readDate)!;
    const rebilled = await c.post(`/api/v1/bills/${oct.id}/rebill`, { reason: 'Customer asked for a review; recalculated' });
    expect(rebilled.statusCode, rebilled.body).toBe(200);
    expect(rebilled.json()).toMatchObject({ rebillOf: oct.id, periodFrom: oct.periodFrom, periodTo: oct.periodTo, totalCents: oct.totalCents, status: 'posted' });
    const entries = (await c.get(`/api/v1/accounts/${account.id}/ledger?limit=200`)).json().items as { kind: string; billId: number; amountCents: number }[];
    expect(entries.filter((e) => e.billId === oct.id).map((e) => [e.kind, e.amountCents])).toEqual([['bill', oct.totalCents], ['reversal', -oct.totalCents]]);
    await checkLedger();

    for (const [year, month] of [[2026, 11], [2026, 12], [2027, 1]] as const) {
      await readMonth(year, month, 700, 4500);
      await runMonth(year, month);
      await checkLedger();
    }

    // Move out on Feb 10, 2027: final bills from the last read to the move-out day.
    await on('2027-02-10');
    kwh += 780;
    gal += 5200;
    for (const [service, reading] of [['electric', String(kwh).padStart(5, '0')], ['water', String(gal).padStart(7, '0')], ['fiber', null]] as const) {
      const o = await order(c, { type: 'move_out', servicePointId: points[service]!.id, accountId: account.id, effectiveDate: '2027-02-10' });
      expect((await complete(c, o.id, reading ? { read: { reading } } : {})).statusCode).toBe(200);
    }
    const agreements = (await c.get(`/api/v1/service-agreements?accountId=${account.id}`)).json().items as { id: number; servicePointId: number; finalBillDue: boolean }[];
    const fiberAgreement = agreements.find((a) => a.servicePointId === points.fiber!.id)!;
    const finalFiber = await c.post(`/api/v1/service-agreements/${fiberAgreement.id}/final-bill`);
    expect(finalFiber.statusCode, finalFiber.body).toBe(200);
    expect(finalFiber.json()).toMatchObject({ final: true, periodTo: '2027-02-10', status: 'posted' });
    await on('2027-02-11');
    const feb = (await c.post('/api/v1/billing/runs', { cycle: 3, date: '2027-02-11' })).json();
    expect(feb).toMatchObject({ posted: 2, held: 0 });
    all = await checkLedger();
    const finals = all.filter((b) => b.final);
    expect(finals.map((b) => [b.service, b.periodTo]).sort()).toEqual([['electric', '2027-02-10'], ['fiber', '2027-02-10'], ['water', '2027-02-10']]);
    expect(finals.find((b) => b.service === 'electric')!.usage).toBe('780');
    expect((await c.get(`/api/v1/service-agreements?accountId=${account.id}`)).json().items.every((a: { finalBillDue: boolean }) => !a.finalBillDue)).toBe(true);
    // 13 billing months of three services, one rebill: 13 x 3 + 1 bills in all.
    expect(all).toHaveLength(40);
    // Every day from move-in to move-out is billed exactly once per service.
    for (const service of ['electric', 'water', 'fiber']) {
      const live = all.filter((b) => b.service === service && b.status === 'posted').sort((a, b) => a.periodFrom.localeCompare(b.periodFrom));
      expect(live[0]!.periodFrom).toBe('2026-01-05');
      expect(live.at(-1)!.periodTo).toBe('2027-02-10');
      for (let i = 1; i < live.length; i++) {
        const next = new Date(Date.parse(`${live[i - 1]!.periodTo}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10);
        expect(live[i]!.periodFrom, `${service} bill ${i}`).toBe(next);
      }
    }
  });
});
