/**
 * Every check on orders that affect billing (issue 3, item 3) has a test that trips it and a test
 * that passes clean data; overrides need a supervisor and a reason, and are audited; completing
 * an order twice changes nothing the second time.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApi, type Client, type TestApi } from '../support/api.ts';
import { complete, newAccount, newMeter, newPremise, order, read, setMeter } from '../support/district.ts';

let api: TestApi;
let c: Client;
beforeAll(async () => {
  api = await createTestApi();
  c = api.as.csr1;
});
afterAll(() => api.close());

/** An account with electric service since Jan 1 and a read of 01000 on Feb 1. */
async function occupied(name: string) {
  const account = await newAccount(c, name);
  const { premise, points } = await newPremise(api.as.csr2, `${Math.floor(Math.random() * 9000) + 100} Check St`);
  const sp = points.electric!.id;
  const meter = await setMeter(api.as.csr2, sp, '2026-01-01', '00500');
  const mi = await order(c, { type: 'move_in', servicePointId: sp, accountId: account.id, effectiveDate: '2026-01-01', request: { rateCode: 'RES-E' } });
  expect((await complete(c, mi.id, { read: { reading: '00500' } })).json().held).toBe(false);
  await read(c, meter.id, '2026-02-01', '01000');
  return { account, premise, sp, meter };
}

const codes = (res: { json(): { findings: { code: string }[] } }) => res.json().findings.map((f) => f.code);

describe('checks on a move-out', () => {
  it('holds a closing read below the last read with no rollover, and completes with a right one', async () => {
    const s = await occupied('Below Last');
    const o = await order(c, { type: 'move_out', servicePointId: s.sp, accountId: s.account.id, effectiveDate: '2026-02-20' });
    const held = await complete(c, o.id, { read: { reading: '00900' } });
    expect(held.statusCode).toBe(200);
    expect(held.json()).toMatchObject({ held: true, order: { status: 'held' } });
    expect(codes(held)).toEqual(['closing_read_below_last']);
    expect(held.json().findings[0].message).toContain('below its last read 1000');
    // Nothing changed: the agreement is still open and no read was taken.
    expect((await c.get(`/api/v1/service-agreements?accountId=${s.account.id}`)).json().items[0].endDate).toBeNull();
    expect((await c.get(`/api/v1/meters/${s.meter.id}/reads`)).json().items.map((r: { reading: string }) => r.reading)).toEqual(['1000', '500', '500']);
    const queue = (await c.get('/api/v1/order-exceptions?limit=200')).json().items.filter((e: { orderId: number }) => e.orderId === o.id);
    expect(queue.map((e: { code: string }) => e.code)).toEqual(['closing_read_below_last']);

    // The field rechecks: 01090. Completing with the right read clears the exception.
    const done = await complete(c, o.id, { read: { reading: '01090' } });
    expect(done.json()).toMatchObject({ held: false, order: { status: 'completed' } });
    expect(done.json().reads[0]).toMatchObject({ usage: '90', purpose: 'move_out' });
    expect((await c.get(`/api/v1/service-orders/${o.id}`)).json().exceptions).toMatchObject([{ code: 'closing_read_below_last', status: 'cleared' }]);
  });

  it('takes a register that wrapped past its dials as a rollover, not a read below the last', async () => {
    const account = await newAccount(c, 'Roll Over');
    const { points } = await newPremise(api.as.csr2, '99999 Wrap Rd');
    await setMeter(api.as.csr2, points.electric!.id, '2026-01-01', '99800');
    const mi = await order(c, { type: 'move_in', servicePointId: points.electric!.id, accountId: account.id, effectiveDate: '2026-01-01', request: { rateCode: 'RES-E' } });
    await complete(c, mi.id, { read: { reading: '99800' } });
    const o = await order(c, { type: 'move_out', servicePointId: points.electric!.id, accountId: account.id, effectiveDate: '2026-01-31' });
    const done = await complete(c, o.id, { read: { reading: '00350' } });
    expect(done.json().held).toBe(false);
    expect(done.json().reads[0]).toMatchObject({ usage: '550', rollover: true });
  });

  it('holds a move-out with no closing read; a supervisor override completes it with an estimate, audited', async () => {
    const s = await occupied('No Read');
    const o = await order(c, { type: 'move_out', servicePointId: s.sp, accountId: s.account.id, effectiveDate: '2026-03-01' });
    const held = await complete(c, o.id, { notes: 'Dog in yard, could not read' });
    expect(codes(held)).toEqual(['closing_read_missing']);

    const csrTry = await c.post(`/api/v1/service-orders/${o.id}/override`, { reason: 'Let it through' });
    expect(csrTry.statusCode).toBe(403);
    const csrInline = await complete(c, o.id, { notes: 'Dog in yard, could not read' }, 'I say so');
    expect(csrInline.statusCode).toBe(403);

    const over = await api.as.supervisor.post(`/api/v1/service-orders/${o.id}/override`, { reason: 'Customer moved; estimate the final read' });
    expect(over.statusCode, over.body).toBe(200);
    expect(over.json()).toMatchObject({ held: false, order: { status: 'completed' } });
    expect(over.json().reads[0]).toMatchObject({ readType: 'estimated', source: 'estimate', purpose: 'move_out' });
    expect(over.json().reads[0].estimateRule).toMatch(/average of the last read period: 500 kWh over 31 days = [\d.]+ kWh\/day; x 28 days = \d+ kWh/);
    const detail = (await c.get(`/api/v1/service-orders/${o.id}`)).json();
    expect(detail.exceptions).toMatchObject([{ code: 'closing_read_missing', status: 'overridden', resolutionReason: 'Customer moved; estimate the final read' }]);
    const trail = (await api.as.auditor.get(`/api/v1/accounts/${s.account.id}/audit`)).json().items;
    expect(trail.find((e: { action: string }) => e.action === 'override')).toMatchObject({ username: 't-supervisor', reason: 'Customer moved; estimate the final read', after: { overriddenChecks: ['closing_read_missing'] } });
  });

  it('completes a clean move-out once: the same field data again changes nothing, different data is refused', async () => {
    const s = await occupied('Twice Done');
    const o = await order(c, { type: 'move_out', servicePointId: s.sp, accountId: s.account.id, effectiveDate: '2026-02-15' });
    const first = await complete(c, o.id, { read: { reading: '01200' }, sealNumber: 'S-1' });
    expect(first.json()).toMatchObject({ held: false, alreadyCompleted: false });
    const auditCount = (await api.as.auditor.get(`/api/v1/accounts/${s.account.id}/audit?limit=200`)).json().items.length;
    const again = await complete(c, o.id, { sealNumber: 'S-1', read: { reading: '01200' } });
    expect(again.statusCode).toBe(200);
    expect(again.json()).toMatchObject({ alreadyCompleted: true, order: { status: 'completed' } });
    expect(again.json().reads.map((r: { id: number }) => r.id)).toEqual(first.json().reads.map((r: { id: number }) => r.id));
    expect((await api.as.auditor.get(`/api/v1/accounts/${s.account.id}/audit?limit=200`)).json().items.length).toBe(auditCount);
    expect((await c.get(`/api/v1/meters/${s.meter.id}/reads`)).json().items).toHaveLength(4);
    const different = await complete(c, o.id, { read: { reading: '01300' } });
    expect(different.statusCode).toBe(409);
    expect(different.json().message).toContain('already completed with different field data');
  });

  it('holds a move-out that would leave the service with nobody responsible where a landlord agreement says otherwise', async () => {
    const s = await occupied('Tenant Gone');
    const owner = await newAccount(c, 'Closed Owner', 'closed');
    await api.as.csr2.post('/api/v1/landlord-agreements', { premiseId: s.premise.id, accountId: owner.id, services: ['electric'], startDate: '2025-01-01' });
    const o = await order(c, { type: 'move_out', servicePointId: s.sp, accountId: s.account.id, effectiveDate: '2026-02-10' });
    const held = await complete(c, o.id, { read: { reading: '01100' } });
    expect(codes(held)).toEqual(['no_responsible_party']);
    expect(held.json().findings[0].message).toContain('closed');

    // Clean: an active owner takes the service back; vacating against the agreement is held too.
    const s2 = await occupied('Tenant Two');
    const owner2 = await newAccount(c, 'Active Owner');
    await api.as.csr2.post('/api/v1/landlord-agreements', { premiseId: s2.premise.id, accountId: owner2.id, services: ['electric'], startDate: '2025-01-01' });
    const vacate = await order(c, { type: 'move_out', servicePointId: s2.sp, accountId: s2.account.id, effectiveDate: '2026-02-10', request: { vacate: true } });
    expect(codes(await complete(c, vacate.id, { read: { reading: '01100' } }))).toEqual(['no_responsible_party']);
    await c.post(`/api/v1/service-orders/${vacate.id}/cancel`, { reason: 'Made in error' });
    const clean = await order(c, { type: 'move_out', servicePointId: s2.sp, accountId: s2.account.id, effectiveDate: '2026-02-10' });
    const done = await complete(c, clean.id, { read: { reading: '01100' } });
    expect(done.json().held).toBe(false);
    expect(done.json().order.result.reversionAgreementId).toEqual(expect.any(Number));
  });
});

describe('checks on a move-in', () => {
  it('refuses a move-in that would overlap another account\'s open agreement, and starts clean service', async () => {
    const s = await occupied('Still Here');
    const newcomer = await newAccount(c, 'New Comer');
    const o = await order(c, { type: 'move_in', servicePointId: s.sp, accountId: newcomer.id, effectiveDate: '2026-02-15', request: { rateCode: 'RES-E' } });
    const blocked = await complete(c, o.id, { read: { reading: '01100' } });
    expect(blocked.statusCode).toBe(409);
    expect(blocked.json().details.checks).toEqual(['overlapping_agreements']);
    expect(blocked.json().message).toContain(`account ${s.account.id}`);
    expect((await c.get(`/api/v1/service-orders/${o.id}`)).json().status).toBe('created');
    // Once the old customer moves out the day before, the same order completes.
    const out = await order(c, { type: 'move_out', servicePointId: s.sp, accountId: s.account.id, effectiveDate: '2026-02-14' });
    expect((await complete(c, out.id, { read: { reading: '01090' } })).json().held).toBe(false);
    const done = await complete(c, o.id, { read: { reading: '01100' } });
    expect(done.statusCode, done.body).toBe(200);
    expect(done.json().held).toBe(false);
  });

  it('holds a move-in at a metered service point with no meter installed', async () => {
    const account = await newAccount(c, 'No Meter');
    const { points } = await newPremise(api.as.csr2, '1 Empty Socket Rd');
    const o = await order(c, { type: 'move_in', servicePointId: points.electric!.id, accountId: account.id, effectiveDate: '2026-02-01', request: { rateCode: 'RES-E' } });
    const held = await complete(c, o.id, { read: { reading: '00000' } });
    expect(codes(held)).toEqual(['meter_not_installed']);
  });
});

describe('checks on a meter exchange', () => {
  it('refuses a new meter that is installed somewhere else', async () => {
    const s = await occupied('Exchange One');
    const elsewhere = await occupied('Exchange Other');
    const o = await order(c, { type: 'meter_exchange', servicePointId: s.sp, effectiveDate: '2026-02-15', request: { newMeterId: elsewhere.meter.id } });
    const res = await complete(c, o.id, { read: { reading: '01100' }, newMeterRead: { reading: '00000' } });
    expect(res.statusCode).toBe(409);
    expect(res.json().details.checks).toEqual(['meter_installed_elsewhere']);
    expect(res.json().message).toContain('one meter cannot be in two places');
  });

  it('holds an exchange whose new meter disagrees with its record, and completes one that agrees', async () => {
    const s = await occupied('Exchange Mismatch');
    const fresh = await newMeter(api.as.csr2, { dials: 5, multiplier: '40' });
    const o = await order(c, { type: 'meter_exchange', servicePointId: s.sp, effectiveDate: '2026-02-15', request: { newMeterId: fresh.id } });
    const held = await complete(c, o.id, { read: { reading: '01100' }, newMeterRead: { reading: '00000' }, newMeter: { multiplier: '80', dials: 6 } });
    expect(codes(held)).toEqual(['exchange_meter_mismatch']);
    expect(held.json().findings[0].message).toContain('multiplier 80 in the field, 40 on record; 6 dials in the field, 5 on record');
    const done = await complete(c, o.id, { read: { reading: '01100' }, newMeterRead: { reading: '00000' }, newMeter: { multiplier: '40.0', dials: 5 } });
    expect(done.json()).toMatchObject({ held: false, order: { status: 'completed' } });
    const sp = (await c.get(`/api/v1/service-points/${s.sp}`)).json();
    expect(sp.meter.id).toBe(fresh.id);
  });

  it('holds an exchange with no closing read of the old meter', async () => {
    const s = await occupied('Exchange No Read');
    const fresh = await newMeter(api.as.csr2);
    const o = await order(c, { type: 'meter_exchange', servicePointId: s.sp, effectiveDate: '2026-02-15', request: { newMeterId: fresh.id } });
    expect(codes(await complete(c, o.id, { newMeterRead: { reading: '00000' } }))).toEqual(['closing_read_missing']);
  });
});

describe('reads on meters that are not installed', () => {
  it('refuses a read on a meter in stock, and takes one on an installed meter', async () => {
    const inStock = await newMeter(api.as.csr2);
    const res = await c.post(`/api/v1/meters/${inStock.id}/reads`, { readDate: '2026-02-01', reading: '00100' });
    expect(res.statusCode).toBe(409);
    expect(res.json()).toMatchObject({ code: 'conflict', details: { check: 'meter_not_installed' } });
    expect(res.json().message).toContain('is not installed on 2026-02-01');
    const s = await occupied('Installed Fine');
    expect((await read(c, s.meter.id, '2026-03-01', '01500')).read.status).toBe('valid');
  });

  it('refuses to make a check-read order where no meter is installed', async () => {
    const { points } = await newPremise(api.as.csr2, '2 Empty Socket Rd');
    const res = await c.post('/api/v1/service-orders', { type: 'check_read', servicePointId: points.electric!.id, effectiveDate: '2026-02-01', reason: 'High bill complaint' });
    expect(res.statusCode).toBe(409);
    expect(res.json().details.check).toBe('meter_not_installed');
  });
});

describe('order workflow', () => {
  it('schedules, lists on the work list, and cancels with a reason', async () => {
    const s = await occupied('Work List');
    const o = await order(c, { type: 'check_read', servicePointId: s.sp, effectiveDate: '2026-03-03', instructions: 'Customer disputes the Feb read' });
    const sched = await c.post(`/api/v1/service-orders/${o.id}/schedule`, { scheduledFor: '2026-03-04', crew: 'Crew 2' });
    expect(sched.json()).toMatchObject({ status: 'scheduled', scheduledFor: '2026-03-04', crew: 'Crew 2' });
    const list = (await c.get('/api/v1/work-list?date=2026-03-04&route=R07')).json();
    expect(list.orders.map((x: { orderNumber: string }) => x.orderNumber)).toContain(o.number);
    expect(list.orders.find((x: { orderNumber: string }) => x.orderNumber === o.number)).toMatchObject({ lastRead: { date: '2026-02-01', reading: '1000' }, meterSerial: s.meter.serial });
    const csv = await c.get('/api/v1/work-list?date=2026-03-04&format=csv');
    expect(csv.headers['content-type']).toContain('text/csv');
    expect(csv.body).toContain(o.number);
    const pdf = await c.get('/api/v1/work-list?date=2026-03-04&format=pdf');
    expect(pdf.headers['content-type']).toBe('application/pdf');
    expect(pdf.rawPayload.subarray(0, 5).toString()).toBe('%PDF-');
    const cancelled = await c.post(`/api/v1/service-orders/${o.id}/cancel`, { reason: 'Customer withdrew the dispute' });
    expect(cancelled.json()).toMatchObject({ status: 'cancelled', cancelReason: 'Customer withdrew the dispute' });
    const late = await complete(c, o.id, { read: { reading: '01100' } });
    expect(late.statusCode).toBe(409);
    expect((await c.get('/api/v1/work-list?date=2026-03-04')).json().orders.map((x: { orderNumber: string }) => x.orderNumber)).not.toContain(o.number);
  });

  it('disconnects and reconnects a service point, with the reads and seal', async () => {
    const s = await occupied('Disco Reco');
    const d = await order(c, { type: 'disconnect', servicePointId: s.sp, effectiveDate: '2026-02-20', request: { forNonPayment: true } });
    const dd = await complete(c, d.id, { read: { reading: '01150' }, sealNumber: 'LOCK-77' });
    expect(dd.json().order.result).toMatchObject({ servicePointStatus: 'disconnected', sealNumber: 'LOCK-77' });
    // Use on a disconnected meter is flagged as possible unauthorized use.
    const sneaky = await read(c, s.meter.id, '2026-02-25', '01180');
    expect(sneaky.findings.map((f) => f.code)).toContain('use_on_inactive');
    expect(sneaky.findings.find((f) => f.code === 'use_on_inactive')).toMatchObject({ message: expect.stringContaining('possible unauthorized use') });
    const r = await order(c, { type: 'reconnect', servicePointId: s.sp, effectiveDate: '2026-02-26' });
    const rr = await complete(c, r.id, { read: { reading: '01180' }, sealRemoved: 'LOCK-77' });
    expect(rr.json().order.result.servicePointStatus).toBe('active');
  });

  it('makes an order once per idempotency key', async () => {
    const s = await occupied('Key Holder');
    const body = { type: 'disconnect', servicePointId: s.sp, effectiveDate: '2026-03-10', reason: 'Non-payment', request: { forNonPayment: true }, idempotencyKey: `dnp:${s.account.id}:2026-03-10` };
    const first = await c.post('/api/v1/service-orders', body);
    const second = await c.post('/api/v1/service-orders', body);
    expect(second.json().id).toBe(first.json().id);
    expect((await c.get(`/api/v1/service-orders?servicePointId=${s.sp}&type=disconnect`)).json().items).toHaveLength(1);
  });

  it('lists an account\'s orders newest first, page by page', async () => {
    const s = await occupied('Many Orders');
    const made = [];
    for (const d of ['2026-03-01', '2026-03-02', '2026-03-03']) made.push((await order(c, { type: 'check_read', servicePointId: s.sp, effectiveDate: d })).id);
    const page1 = (await c.get(`/api/v1/service-orders?accountId=${s.account.id}&order=newest&limit=2`)).json();
    expect(page1.items.map((o: { id: number }) => o.id)).toEqual([made[2], made[1]]);
    const page2 = (await c.get(`/api/v1/service-orders?accountId=${s.account.id}&order=newest&limit=2&after=${page1.next}`)).json();
    expect(page2.items.map((o: { id: number }) => o.id)).toEqual([made[0], expect.any(Number)]);
    expect(page2.items[1].type).toBe('move_in');
  });

  it('refuses bad orders with the field that is wrong', async () => {
    const s = await occupied('Bad Orders');
    const noRate = await c.post('/api/v1/service-orders', { type: 'move_in', servicePointId: s.sp, accountId: s.account.id, effectiveDate: '2026-02-01', reason: 'x'.repeat(5) });
    expect(noRate.statusCode).toBe(400);
    expect(noRate.json().details.field).toBe('body.request.rateCode');
    const wrongAccount = await c.post('/api/v1/service-orders', { type: 'move_out', servicePointId: s.sp, accountId: (await newAccount(c, 'Not Here')).id, effectiveDate: '2026-02-01', reason: 'Moving' });
    expect(wrongAccount.statusCode).toBe(400);
    expect(wrongAccount.json().details.field).toBe('body.accountId');
    const badType = await c.post('/api/v1/service-orders', { type: 'teleport', servicePointId: s.sp, effectiveDate: '2026-02-01', reason: 'Moving' });
    expect(badType.statusCode).toBe(400);
    expect(badType.json().details.field).toBe('body.type');
    expect((await c.get('/api/v1/service-orders/999999')).statusCode).toBe(404);
    expect((await api.as.auditor.post(`/api/v1/service-orders`, { type: 'check_read', servicePointId: s.sp, effectiveDate: '2026-02-01', reason: 'Auditors do not' })).statusCode).toBe(403);
  });
});
