/**
 * Scenario tests with the clock moving: an account's service from move-in through monthly reads,
 * a meter exchange inside a period and a move-out, with use right to the unit; a transfer of
 * service within the district; a reversion of service to the owner between tenants.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApi, type Client, type TestApi } from '../support/api.ts';
import { complete, newAccount, newMeter, newPremise, order, read, setMeter, usage } from '../support/district.ts';

let api: TestApi;
let c: Client;
beforeAll(async () => {
  api = await createTestApi();
  c = api.as.csr2;
});
afterAll(() => api.close());

/** Moves the test clock to a local date (noon Pacific) so every step happens "on" its day. */
const on = (date: string) => api.runtime.clock.advanceDays((Date.parse(`${date}T20:00:00Z`) - api.runtime.clock.now().getTime()) / 86_400_000);

describe('service lifecycle', () => {
  it('moves in, reads monthly, exchanges the meter mid-period and moves out, counting use once to the unit', async () => {
    const account = await newAccount(c, 'Ada Lovelace', 'pending');
    const { points } = await newPremise(c, '1815 Analytical Way');
    const sp = points.electric!.id;
    on('2025-12-01');
    const m1 = await setMeter(c, sp, '2025-12-01', '01000');

    on('2026-01-05');
    const moveIn = await order(c, { type: 'move_in', servicePointId: sp, accountId: account.id, effectiveDate: '2026-01-05', request: { rateCode: 'RES-E' } });
    const mi = await complete(c, moveIn.id, { read: { reading: '01100' } });
    expect(mi.statusCode, mi.body).toBe(200);
    expect(mi.json()).toMatchObject({ held: false, alreadyCompleted: false, order: { status: 'completed' } });
    // 100 kWh used while nobody had the service: flagged for the tamper work, billed to nobody.
    expect(mi.json().reads[0]).toMatchObject({ purpose: 'move_in', usage: '100', usageOn: '2026-01-04', status: 'exception' });
    expect(mi.json().reads[0].exceptions.map((e: { code: string }) => e.code)).toEqual(['use_on_inactive']);
    expect((await c.get(`/api/v1/accounts/${account.id}`)).json().status).toBe('active');

    on('2026-02-05');
    expect((await read(c, m1.id, '2026-02-05', '01600')).read.usage).toBe('500');
    on('2026-03-05');
    expect((await read(c, m1.id, '2026-03-05', '02150')).read.usage).toBe('550');

    // Exchange on Mar 20: the new meter is a CT meter with a multiplier of 40.
    on('2026-03-20');
    const m2 = await newMeter(c, { dials: 5, multiplier: '40' });
    const exchange = await order(c, { type: 'meter_exchange', servicePointId: sp, effectiveDate: '2026-03-20', request: { newMeterId: m2.id, oldMeterTo: 'testing' } });
    const ex = await complete(c, exchange.id, { read: { reading: '02400' }, newMeterRead: { reading: '00000' }, newMeter: { multiplier: '40', dials: 5 }, sealNumber: 'S-99812' });
    expect(ex.statusCode, ex.body).toBe(200);
    expect(ex.json().reads.map((r: { purpose: string; usage: string | null }) => [r.purpose, r.usage])).toEqual([['exchange_out', '250'], ['exchange_in', null]]);
    expect((await c.get(`/api/v1/meters/${m1.id}`)).json().status).toBe('testing');

    on('2026-04-05');
    expect((await read(c, m2.id, '2026-04-05', '00008')).read.usage).toBe('320');

    on('2026-04-20');
    const moveOut = await order(c, { type: 'move_out', servicePointId: sp, accountId: account.id, effectiveDate: '2026-04-20' });
    const mo = await complete(c, moveOut.id, { read: { reading: '00012' } });
    expect(mo.statusCode, mo.body).toBe(200);
    expect(mo.json().order.result).toMatchObject({ finalBillDue: true, servicePointStatus: 'inactive', accountStatus: 'final' });
    expect(mo.json().reads[0]).toMatchObject({ purpose: 'move_out', usage: '160' });

    // Use to the unit: the bill period with the exchange counts both meters once.
    expect(await usage(c, sp, '2026-03-06', '2026-04-05')).toBe('570');
    expect(await usage(c, sp, '2026-01-05', '2026-04-20')).toBe('1780');
    expect(await usage(c, sp, '2025-12-02', '2026-01-04')).toBe('100');
    const agreements = (await c.get(`/api/v1/service-agreements?accountId=${account.id}`)).json().items;
    expect(agreements).toMatchObject([{ startDate: '2026-01-05', endDate: '2026-04-20', endReason: 'move_out', finalBillDue: true, rateCode: 'RES-E' }]);
    expect((await c.get(`/api/v1/accounts/${account.id}`)).json().status).toBe('final');
    expect((await c.get(`/api/v1/service-points/${sp}`)).json().status).toBe('inactive');

    // The history of the account tells the story, each step with who and why.
    const trail = (await api.as.auditor.get(`/api/v1/accounts/${account.id}/audit`)).json().items.map((e: { action: string; entityType: string }) => `${e.action} ${e.entityType}`);
    expect(trail).toEqual(expect.arrayContaining(['complete service_order', 'end service_agreement', 'create meter_read', 'create service_agreement']));
  });

  it('transfers service when a customer moves within the district', async () => {
    const account = await newAccount(c, 'Grace Hopper');
    const from = await newPremise(c, '12 Cobol Ct', ['electric', 'water']);
    const to = await newPremise(c, '88 Compiler Rd', ['electric', 'water']);
    on('2026-01-01');
    await setMeter(c, from.points.electric!.id, '2026-01-01', '10000');
    await setMeter(c, from.points.water!.id, '2026-01-01', '000500', { kind: 'water', dials: 6 });
    await setMeter(c, to.points.electric!.id, '2026-01-01', '00300');
    await setMeter(c, to.points.water!.id, '2026-01-01', '001000', { kind: 'water', dials: 6 });
    for (const [service, rate] of [['electric', 'RES-E'], ['water', 'RES-W']] as const) {
      const o = await order(c, { type: 'move_in', servicePointId: from.points[service]!.id, accountId: account.id, effectiveDate: '2026-01-01', request: { rateCode: rate } });
      expect((await complete(c, o.id, { read: { reading: service === 'electric' ? '10000' : '000500' } })).json().held).toBe(false);
    }

    on('2026-05-31');
    const t = await c.post('/api/v1/service-orders/transfer', {
      accountId: account.id, effectiveDate: '2026-05-31', reason: 'Moving across town',
      stop: [{ servicePointId: from.points.electric!.id }, { servicePointId: from.points.water!.id }],
      start: [{ servicePointId: to.points.electric!.id, rateCode: 'RES-E' }, { servicePointId: to.points.water!.id, rateCode: 'RES-W' }],
    });
    expect(t.statusCode, t.body).toBe(201);
    const orders = t.json().orders as { id: number; type: string; groupId: number; groupKind: string }[];
    expect(orders.map((o) => o.type)).toEqual(['move_out', 'move_out', 'move_in', 'move_in']);
    expect(new Set(orders.map((o) => o.groupId)).size).toBe(1);
    expect(orders.every((o) => o.groupKind === 'transfer')).toBe(true);

    const reads: Record<number, string> = { [orders[0]!.id]: '12500', [orders[1]!.id]: '009500', [orders[2]!.id]: '00300', [orders[3]!.id]: '001000' };
    for (const o of orders) {
      const done = await complete(c, o.id, { read: { reading: reads[o.id]! } });
      expect(done.statusCode, done.body).toBe(200);
      expect(done.json().held).toBe(false);
    }
    const agreements = (await c.get(`/api/v1/service-agreements?accountId=${account.id}`)).json().items as { servicePointId: number; endDate: string | null; endReason: string | null; startDate: string }[];
    const old = agreements.filter((a) => a.endDate !== null);
    expect(old.map((a) => [a.endDate, a.endReason])).toEqual([['2026-05-31', 'transfer'], ['2026-05-31', 'transfer']]);
    expect(agreements.filter((a) => a.endDate === null).map((a) => [a.servicePointId, a.startDate]).sort()).toEqual([[to.points.electric!.id, '2026-05-31'], [to.points.water!.id, '2026-05-31']].sort());
    expect((await c.get(`/api/v1/accounts/${account.id}`)).json().status).toBe('active');
    expect(await usage(c, from.points.electric!.id, '2026-01-01', '2026-05-31')).toBe('2500');
    expect(await usage(c, from.points.water!.id, '2026-01-01', '2026-05-31')).toBe('9000');
    expect((await c.get(`/api/v1/service-points/${from.points.electric!.id}`)).json().status).toBe('inactive');
  });

  it('reverts service to the owner when a tenant moves out, and ends it when the next tenant moves in', async () => {
    const owner = await newAccount(c, 'Rental Holdings');
    const tenant = await newAccount(c, 'Tom Tenant');
    const next = await newAccount(c, 'Nora Next');
    const { premise, points } = await newPremise(c, '5 Landlord Ln');
    const sp = points.electric!.id;
    on('2026-02-01');
    const meter = await setMeter(c, sp, '2026-02-01', '00000');
    const la = await c.post('/api/v1/landlord-agreements', { premiseId: premise.id, accountId: owner.id, services: ['electric'], rateCode: 'RES-E', startDate: '2026-01-01' });
    expect(la.statusCode, la.body).toBe(201);
    const moveIn = await order(c, { type: 'move_in', servicePointId: sp, accountId: tenant.id, effectiveDate: '2026-02-01', request: { rateCode: 'RES-E' } });
    await complete(c, moveIn.id, { read: { reading: '00000' } });

    on('2026-07-31');
    const moveOut = await order(c, { type: 'move_out', servicePointId: sp, accountId: tenant.id, effectiveDate: '2026-07-31' });
    const mo = (await complete(c, moveOut.id, { read: { reading: '04000' } })).json();
    expect(mo.held).toBe(false);
    expect(mo.order.result.reversionAgreementId).toEqual(expect.any(Number));
    expect((await c.get(`/api/v1/service-points/${sp}`)).json().status).toBe('active');

    on('2026-08-15');
    const vacantRead = await read(c, meter.id, '2026-08-15', '04100');
    // The owner has the service: no unauthorized use (low use in an empty house is flagged as low).
    expect(vacantRead.findings.map((f) => f.code)).toEqual(['low_vs_average']);

    on('2026-09-01');
    const second = await order(c, { type: 'move_in', servicePointId: sp, accountId: next.id, effectiveDate: '2026-09-01', request: { rateCode: 'RES-E' } });
    const mi = (await complete(c, second.id, { read: { reading: '04250' } })).json();
    expect(mi.held).toBe(false);
    expect(mi.order.result.endedReversionAgreementId).toBe(mo.order.result.reversionAgreementId);

    const ownerAgreements = (await c.get(`/api/v1/service-agreements?accountId=${owner.id}`)).json().items;
    expect(ownerAgreements).toMatchObject([{ startDate: '2026-08-01', endDate: '2026-08-31', endReason: 'reversion_ended', finalBillDue: false }]);
    // The owner pays for the vacant month: the mid-month read and the new tenant's opening read.
    expect(await usage(c, sp, '2026-08-01', '2026-08-31')).toBe('250');
    expect(await usage(c, sp, '2026-02-01', '2026-07-31')).toBe('4000');
  });
});
