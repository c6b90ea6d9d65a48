/**
 * Tariffs, the schedule and the billing run through the API: load and version a tariff, quote,
 * generate the schedule, bill a cycle twice (the second time does nothing), hold a high bill and
 * release it, estimate a missing read, and keep the ledger equal to the posted bills.
 */
import fs from 'node:fs';
import path from 'node:path';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApi, type Client, type TestApi } from '../support/api.ts';
import { repoRoot } from '../support/cli.ts';
import { complete, newAccount, newPremise, order, read, setMeter } from '../support/district.ts';

let api: TestApi;
let c: Client;
const example = (code: string) => JSON.parse(fs.readFileSync(path.join(repoRoot, 'src/tariff/examples', `${code}.json`), 'utf8'));
const on = (date: string) => api.runtime.clock.advanceDays((Date.parse(`${date}T20:00:00Z`) - api.runtime.clock.now().getTime()) / 86_400_000);

beforeAll(async () => {
  api = await createTestApi();
  c = api.as.csr2;
});
afterAll(() => api.close());

describe('tariffs', () => {
  it('loads a tariff file as a version, refuses a broken one with the path of the bad field, and quotes', async () => {
    expect((await api.as.csr2.post('/api/v1/tariffs', { tariff: example('RES-E'), reason: 'Rate schedule adopted' })).statusCode).toBe(403);
    const loaded = await api.as.supervisor.post('/api/v1/tariffs', { tariff: example('RES-E'), reason: 'Rate schedule adopted' });
    expect(loaded.statusCode, loaded.body).toBe(201);
    expect(loaded.json()).toMatchObject({ unchanged: false, version: { code: 'RES-E', version: 1, effectiveFrom: '2024-01-01' } });
    const again = await api.as.supervisor.post('/api/v1/tariffs', { tariff: example('RES-E'), reason: 'Loaded twice' });
    expect(again.statusCode).toBe(200);
    expect(again.json()).toMatchObject({ unchanged: true, version: { version: 1 } });

    const broken = example('RES-E');
    broken.charges[1].blocks.bySeason.summer[0].price = 'cheap';
    const refused = await api.as.supervisor.post('/api/v1/tariffs', { tariff: broken, reason: 'Typo' });
    expect(refused.statusCode).toBe(400);
    expect(refused.json().message).toContain('/charges/1/blocks/bySeason/summer/0/price');

    const quote = await c.post('/api/v1/quotes', { code: 'RES-E', from: '2026-01-01', to: '2026-01-30', usage: '800' });
    expect(quote.statusCode, quote.body).toBe(200);
    const q = quote.json();
    expect(q.totalCents).toBe(q.lines.reduce((n: number, l: { amountCents: number }) => n + l.amountCents, 0));
    expect(q.lines.find((l: { code: string }) => l.code === 'BASIC')).toMatchObject({ quantity: '30', unitPrice: '0.55', amountCents: 1650, tariffVersion: 'RES-E v1' });

    const none = await c.post('/api/v1/quotes', { code: 'RES-E', from: '2023-12-01', to: '2023-12-30', usage: '800' });
    expect(none.statusCode).toBe(400);
    expect(none.json().message).toMatch(/no version of tariff RES-E is in force on 2023-12-01/i);
  });
});

describe('billing run', () => {
  it('bills a cycle once, holds a high bill for review, estimates a missing read, and ties lines = bills = ledger', async () => {
    const generated = await api.as.supervisor.post('/api/v1/billing/schedule/generate', { year: 2026, reason: 'Yearly schedule' });
    expect(generated.statusCode, generated.body).toBe(200);
    expect(generated.json().generated).toBe(240);
    const schedule = (await c.get('/api/v1/billing/schedule?year=2026')).json().items as { cycle: number; month: number; readDate: string; billDate: string; dueDate: string }[];
    const cycle3 = (month: number) => schedule.find((e) => e.cycle === 3 && e.month === month)!;

    const noSchedule = await c.post('/api/v1/billing/runs', { cycle: 3, date: '2025-06-01' });
    expect(noSchedule.statusCode).toBe(400);
    expect(noSchedule.json().message).toContain('No billing schedule for cycle 3');

    const account = await newAccount(c, 'Grace Hopper', 'pending');
    const { points } = await newPremise(c, '1906 Compiler Ct');
    const sp = points.electric!.id;
    on('2026-01-02');
    const meter = await setMeter(c, sp, '2026-01-02', '01000');
    on('2026-01-05');
    const moveIn = await order(c, { type: 'move_in', servicePointId: sp, accountId: account.id, effectiveDate: '2026-01-05', request: { rateCode: 'RES-E' } });
    expect((await complete(c, moveIn.id, { read: { reading: '01000' } })).statusCode).toBe(200);

    // February: the first bill, from move-in to the cycle's read.
    const feb = cycle3(2);
    on(feb.readDate);
    await read(c, meter.id, feb.readDate, '01600');
    const first = await c.post('/api/v1/billing/runs', { cycle: 3, date: feb.billDate });
    expect(first.statusCode, first.body).toBe(200);
    expect(first.json()).toMatchObject({ cycle: 3, readDate: feb.readDate, posted: 1, held: 0, control: { tied: true, postedBills: 1, ledgerEntries: 1 } });
    const again = await c.post('/api/v1/billing/runs', { cycle: 3, date: feb.billDate });
    expect(again.json()).toMatchObject({ alreadyCompleted: true, posted: 0, bills: { posted: 1 } });

    let bills = (await c.get(`/api/v1/accounts/${account.id}/bills`)).json().items;
    expect(bills).toHaveLength(1);
    expect(bills[0]).toMatchObject({ status: 'posted', periodFrom: '2026-01-05', periodTo: feb.readDate, usage: '600', dueDate: feb.dueDate });
    let ledger = (await c.get(`/api/v1/accounts/${account.id}/ledger`)).json();
    expect(ledger.balanceCents).toBe(bills[0].totalCents);

    // March and April: normal use, then four times as much: held for review.
    const mar = cycle3(3);
    on(mar.readDate);
    await read(c, meter.id, mar.readDate, '02250');
    expect((await c.post('/api/v1/billing/runs', { cycle: 3, date: mar.billDate })).json()).toMatchObject({ posted: 1, held: 0 });
    const apr = cycle3(4);
    on(apr.readDate);
    await read(c, meter.id, apr.readDate, '05250', { reason: 'Confirmed with the customer' });
    const held = (await c.post('/api/v1/billing/runs', { cycle: 3, date: apr.billDate })).json();
    expect(held).toMatchObject({ posted: 0, held: 1, control: { tied: true } });
    const queue = (await c.get('/api/v1/billing/exceptions')).json().items;
    const mine = queue.find((b: { accountId: number }) => b.accountId === account.id);
    expect(mine.reasons.map((r: { code: string }) => r.code)).toContain('high_vs_average');
    const balanceBefore = (await c.get(`/api/v1/accounts/${account.id}/ledger`)).json().balanceCents;
    expect((await api.as.csr1.post(`/api/v1/bills/${mine.id}/approve`, { reason: 'Pool heater' })).statusCode).toBe(403);
    const approved = await c.post(`/api/v1/bills/${mine.id}/approve`, { reason: 'New pool heater, confirmed with the customer' });
    expect(approved.statusCode, approved.body).toBe(200);
    expect(approved.json().status).toBe('posted');
    expect(approved.json().exceptions.map((e: { code: string; status: string }) => [e.code, e.status])).toEqual([['read_exception', 'approved'], ['high_vs_average', 'approved']]);
    ledger = (await c.get(`/api/v1/accounts/${account.id}/ledger`)).json();
    expect(ledger.balanceCents).toBe(balanceBefore + approved.json().totalCents);

    // May: no read came in: the run estimates one and the bill says so.
    const may = cycle3(5);
    on(may.readDate);
    const estimated = (await c.post('/api/v1/billing/runs', { cycle: 3, date: may.billDate })).json();
    expect(estimated).toMatchObject({ estimatedReads: 1, control: { tied: true } });
    bills = (await c.get(`/api/v1/accounts/${account.id}/bills`)).json().items;
    expect(bills[0]).toMatchObject({ periodTo: may.readDate, estimated: true });

    // The statement PDF and the run's print-vendor file.
    const pdf = await c.get(`/api/v1/bills/${bills[0].id}/pdf`);
    expect(pdf.statusCode, pdf.body).toBe(200);
    expect(pdf.headers['content-type']).toBe('application/pdf');
    expect(pdf.rawPayload.subarray(0, 5).toString()).toBe('%PDF-');
    const printFile = await c.get(`/api/v1/billing/runs/${estimated.runId}/print-file`);
    expect(printFile.statusCode, printFile.body).toBe(200);
    const records = printFile.body.split('\r\n').filter(Boolean);
    expect(records[0]).toMatch(/^H\|RATEPAYER\|/);
    expect(records.filter((r) => r.startsWith('S|'))).toHaveLength(1);
    expect(records.find((r) => r.startsWith('S|'))).toContain(account.accountNumber);
    expect(records.at(-1)).toMatch(/^T\|1\|/);

    // A tax exemption from the privilege tax (supervisors only): June's bill leaves PRIV off.
    expect((await c.post(`/api/v1/accounts/${account.id}/tax-exemptions`, { taxCode: 'PRIV', startsOn: '2026-05-10', reason: 'Exempt public body' })).statusCode).toBe(403);
    const exempt = await api.as.supervisor.post(`/api/v1/accounts/${account.id}/tax-exemptions`, { taxCode: 'PRIV', certificate: 'WA-EX-1001', startsOn: '2026-05-10', reason: 'Exempt public body' });
    expect(exempt.statusCode, exempt.body).toBe(201);
    const jun = cycle3(6);
    on(jun.readDate);
    await read(c, meter.id, jun.readDate, String(Number('05250') + 3000 + 700).padStart(5, '0'));
    expect((await c.post('/api/v1/billing/runs', { cycle: 3, date: jun.billDate })).json().control.tied).toBe(true);
    const juneBill = (await c.get(`/api/v1/accounts/${account.id}/bills`)).json().items[0];
    expect(juneBill.periodTo).toBe(jun.readDate);
    expect(juneBill.lines.map((l: { code: string }) => l.code)).toContain('PUT');
    expect(juneBill.lines.map((l: { code: string }) => l.code)).not.toContain('PRIV');
    expect(bills.find((b: { periodTo: string }) => b.periodTo === mar.readDate).lines.map((l: { code: string }) => l.code)).toContain('PRIV');

    // Cancel and rebill the March bill: the ledger nets the reversal and the new bill.
    const march = bills.find((b: { periodTo: string }) => b.periodTo === mar.readDate);
    const balance = (await c.get(`/api/v1/accounts/${account.id}/ledger`)).json().balanceCents;
    const rebilled = await c.post(`/api/v1/bills/${march.id}/rebill`, { reason: 'Customer disputed; recalculated' });
    expect(rebilled.statusCode, rebilled.body).toBe(200);
    expect(rebilled.json()).toMatchObject({ rebillOf: march.id, totalCents: march.totalCents, periodFrom: march.periodFrom, periodTo: march.periodTo });
    expect((await c.get(`/api/v1/bills/${march.id}`)).json().status).toBe('cancelled');
    expect((await c.get(`/api/v1/accounts/${account.id}/ledger`)).json().balanceCents).toBe(balance);
  });
});

describe('net metering', () => {
  it("nets what the customer's panels sent to the grid (interval data) against the energy, banks the excess, and uses the bank next month", async () => {
    const schedule = (await c.get('/api/v1/billing/schedule?year=2026')).json().items as { cycle: number; month: number; readDate: string; billDate: string }[];
    const cycle5 = (month: number) => schedule.find((e) => e.cycle === 5 && e.month === month)!;
    const customer = (await c.post('/api/v1/customers', { kind: 'person', firstName: 'Ada', lastName: 'Solar' })).json();
    const account = (await c.post('/api/v1/accounts', { customerId: customer.id, customerClass: 'residential', billingCycle: 5, billingAddress: { line1: '9 Sunny Ln', city: 'Wenatchee', state: 'WA', postalCode: '98801' }, status: 'pending' })).json();
    const { points } = await newPremise(c, '9 Sunny Ln');
    const june = cycle5(6);
    const july = cycle5(7);
    const august = cycle5(8);
    on('2026-05-01');
    const meter = await setMeter(c, points.electric!.id, '2026-05-01', '20000');
    const moveIn = await order(c, { type: 'move_in', servicePointId: points.electric!.id, accountId: account.id, effectiveDate: '2026-05-01', request: { rateCode: 'RES-E' } });
    expect((await complete(c, moveIn.id, { read: { reading: '20000' } })).statusCode).toBe(200);
    on(july.readDate);
    // June's bill period ends on June's read: 300 kWh delivered; the panels sent 500 kWh in July's period.
    await read(c, meter.id, june.readDate, '20300');
    await read(c, meter.id, july.readDate, '20700');
    const db = api.runtime.db;
    const imp = (await sql<{ id: number }>`insert into read_imports (format, file_name, sha256, content, records, imported, rejected, duplicates) values ('greenbutton', 'solar.xml', 'solar-test', '\\x00', 1, 1, 0, 0) returning id`.execute(db)).rows[0]!.id;
    // 500 kWh received over July's period: 10 kWh an hour for 50 midday hours, inside the period.
    const start = Date.parse(`${june.readDate}T19:00:00Z`) + 86_400_000 * 2;
    for (let h = 0; h < 50; h++) {
      await sql`insert into interval_reads (meter_id, flow, start_at, duration_seconds, kwh, import_id) values (${meter.id}, 'received', ${new Date(start + Math.floor(h / 5) * 86_400_000 + (h % 5) * 3_600_000).toISOString()}, 3600, 10, ${imp})`.execute(db);
    }
    on(june.billDate);
    expect((await c.post('/api/v1/billing/runs', { cycle: 5, date: june.billDate })).json().control.tied).toBe(true);
    on(july.billDate);
    expect((await c.post('/api/v1/billing/runs', { cycle: 5, date: july.billDate })).json().control.tied).toBe(true);
    const bills = (await c.get(`/api/v1/accounts/${account.id}/bills`)).json().items as { id: number; periodTo: string; usage: string; receivedKwh: string | null; bankedKwh: string | null; lines: { code: string; quantity: string }[] }[];
    const julyBill = bills.find((b) => b.periodTo === july.readDate)!;
    // 400 kWh delivered, 500 received: no energy billed, 100 kWh banked.
    expect(julyBill).toMatchObject({ usage: '400', receivedKwh: '500', bankedKwh: '100' });
    expect(julyBill.lines.filter((l) => l.code === 'ENERGY').reduce((n, l) => n + Number(l.quantity), 0)).toBe(0);
    // August: 350 kWh delivered, nothing received: the 100 kWh bank is used first.
    on(august.readDate);
    await read(c, meter.id, august.readDate, '21050');
    on(august.billDate);
    expect((await c.post('/api/v1/billing/runs', { cycle: 5, date: august.billDate })).json().control.tied).toBe(true);
    const aug = (await c.get(`/api/v1/accounts/${account.id}/bills`)).json().items.find((b: { periodTo: string }) => b.periodTo === august.readDate);
    expect(aug).toMatchObject({ usage: '350', bankedKwh: '0' });
    expect(aug.lines.filter((l: { code: string }) => l.code === 'ENERGY').reduce((n: number, l: { quantity: string }) => n + Number(l.quantity), 0)).toBe(250);
  });
});

describe('two agreements at one service point in one run', () => {
  it("bills a move-out's final and the next tenant's first bill each on its own days' use", async () => {
    const schedule = (await c.get('/api/v1/billing/schedule?year=2026')).json().items as { cycle: number; month: number; readDate: string; billDate: string }[];
    const cycle7 = (month: number) => schedule.find((e) => e.cycle === 7 && e.month === month)!;
    const accountIn = async (name: string) => {
      const customer = (await c.post('/api/v1/customers', { kind: 'person', firstName: name, lastName: 'Tenant' })).json();
      return (await c.post('/api/v1/accounts', { customerId: customer.id, customerClass: 'residential', billingCycle: 7, billingAddress: { line1: '12 Elm St', city: 'Wenatchee', state: 'WA', postalCode: '98801' }, status: 'pending' })).json() as { id: number };
    };
    const first = await accountIn('First');
    const second = await accountIn('Second');
    const { points } = await newPremise(c, '12 Elm St');
    const sp = points.electric!.id;
    const sep = cycle7(9);
    const oct = cycle7(10);
    on('2026-08-20');
    const meter = await setMeter(c, sp, '2026-08-20', '30000');
    const moveIn = await order(c, { type: 'move_in', servicePointId: sp, accountId: first.id, effectiveDate: '2026-08-20', request: { rateCode: 'RES-E' } });
    expect((await complete(c, moveIn.id, { read: { reading: '30000' } })).statusCode).toBe(200);
    on(sep.readDate);
    await read(c, meter.id, sep.readDate, '30500');
    on(sep.billDate);
    expect((await c.post('/api/v1/billing/runs', { cycle: 7, date: sep.billDate })).json()).toMatchObject({ posted: 1 });
    // The first tenant's last day is Sep 25 (closing read 30800); the second moves in on Sep 26.
    on('2026-09-25');
    const out = await order(c, { type: 'move_out', servicePointId: sp, accountId: first.id, effectiveDate: '2026-09-25' });
    expect((await complete(c, out.id, { read: { reading: '30800' } })).statusCode).toBe(200);
    on('2026-09-26');
    const moveIn2 = await order(c, { type: 'move_in', servicePointId: sp, accountId: second.id, effectiveDate: '2026-09-26', request: { rateCode: 'RES-E' } });
    const mi2 = await complete(c, moveIn2.id, { read: { reading: "30800" } });
    expect(mi2.statusCode, mi2.body).toBe(200);
    on(oct.readDate);
    await read(c, meter.id, oct.readDate, '31000');
    on(oct.billDate);
    expect((await c.post('/api/v1/billing/runs', { cycle: 7, date: oct.billDate })).json()).toMatchObject({ control: { tied: true } });
    const finalBill = (await c.get(`/api/v1/accounts/${first.id}/bills`)).json().items[0];
    const firstBill = (await c.get(`/api/v1/accounts/${second.id}/bills`)).json().items[0];
    expect(finalBill).toMatchObject({ final: true, periodTo: '2026-09-25', usage: '300' });
    expect(firstBill).toMatchObject({ periodFrom: '2026-09-26', periodTo: oct.readDate, usage: '200' });
  });
});
