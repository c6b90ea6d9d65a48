import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApi, type TestApi } from '../support/api.ts';

let api: TestApi;
beforeAll(async () => {
  api = await createTestApi();
});
afterAll(() => api.close());

const at = { line1: '77 Cottage Ave', city: 'Cashmere', state: 'WA', postalCode: '98815' };

async function setUp(serial: string) {
  const c = api.as.csr2;
  const customer = (await c.post('/api/v1/customers', { kind: 'person', firstName: 'Lena', lastName: 'Marsh', contacts: [{ kind: 'mobile', value: '+1 509 555 0177' }] })).json();
  const account = (await c.post('/api/v1/accounts', { customerId: customer.id, customerClass: 'residential', billingCycle: 4, billingAddress: at })).json();
  const premise = (await c.post('/api/v1/premises', { address: at, premiseType: 'single_family', area: 'CSH', spaceHeating: true })).json();
  const electric = (await c.post(`/api/v1/premises/${premise.id}/service-points`, { service: 'electric', status: 'active', route: 'C04' })).json();
  const fiber = (await c.post(`/api/v1/premises/${premise.id}/service-points`, { service: 'fiber', status: 'active' })).json();
  const meter = (await c.post('/api/v1/meters', { serial, kind: 'electric', dials: 5, multiplier: '40.5', manufacturer: 'Itron' })).json();
  return { customer, account, premise, electric, fiber, meter };
}

describe('premises, meters and service agreements', () => {
  it('builds the account page: services with premise and meter, and the history of the changes', async () => {
    const s = await setUp('E90000001');
    expect(s.meter).toMatchObject({ serial: 'E90000001', multiplier: '40.5000', status: 'in_stock' });
    const agreement = await api.as.csr2.post('/api/v1/service-agreements', { accountId: s.account.id, servicePointId: s.electric.id, rateCode: 'RES-E', startDate: '2026-03-01' });
    expect(agreement.statusCode).toBe(201);
    await api.as.csr2.post('/api/v1/service-agreements', { accountId: s.account.id, servicePointId: s.fiber.id, rateCode: 'FIB-1G', startDate: '2026-03-01' });
    expect((await api.as.csr2.post(`/api/v1/meters/${s.meter.id}/install`, { servicePointId: s.electric.id, installedOn: '2026-03-01', reason: 'New service' })).statusCode).toBe(201);

    const view = (await api.as.auditor.get(`/api/v1/accounts/${s.account.id}/overview`)).json();
    expect(view.account.accountNumber).toBe(s.account.accountNumber);
    expect(view.customer.displayName).toBe('Lena Marsh');
    expect(view.balance.amountCents).toBe(0);
    const services = view.services.map((x: { servicePoint: { service: string }; meter: { serial: string } | null; agreement: { rateCode: string } }) => [x.servicePoint.service, x.agreement.rateCode, x.meter?.serial ?? null]);
    expect(services).toEqual([['electric', 'RES-E', 'E90000001'], ['fiber', 'FIB-1G', null]]);
    expect(view.recentActivity.map((e: { action: string; entityType: string }) => `${e.action} ${e.entityType}`)).toEqual([
      'install meter',
      'create service_agreement',
      'create service_agreement',
      'create account',
    ]);
  });

  it('refuses overlapping agreements, a meter in two places, and a meter of the wrong kind', async () => {
    const s = await setUp('E90000002');
    const other = await setUp('E90000003');
    await api.as.csr2.post('/api/v1/service-agreements', { accountId: s.account.id, servicePointId: s.electric.id, rateCode: 'RES-E', startDate: '2026-01-01' });
    const overlap = await api.as.csr2.post('/api/v1/service-agreements', { accountId: other.account.id, servicePointId: s.electric.id, rateCode: 'RES-E', startDate: '2026-06-01' });
    expect(overlap.statusCode).toBe(409);
    expect(overlap.json().message).toContain('overlaps');

    await api.as.csr2.post(`/api/v1/meters/${s.meter.id}/install`, { servicePointId: s.electric.id, installedOn: '2026-01-01', reason: 'Set meter' });
    const twice = await api.as.csr2.post(`/api/v1/meters/${s.meter.id}/install`, { servicePointId: other.electric.id, installedOn: '2026-02-01', reason: 'Set meter' });
    expect(twice.statusCode).toBe(409);
    expect(twice.json().message).toContain('already installed');
    const onFiber = await api.as.csr2.post(`/api/v1/meters/${other.meter.id}/install`, { servicePointId: other.fiber.id, installedOn: '2026-02-01', reason: 'Set meter' });
    expect(onFiber.statusCode).toBe(400);
    expect(onFiber.json().details.field).toBe('body.servicePointId');

    const removed = await api.as.csr2.post(`/api/v1/meters/${s.meter.id}/remove`, { removedOn: '2026-05-31', reason: 'Meter failed test' });
    expect(removed.json()).toMatchObject({ removedOn: '2026-05-31' });
    const meter = (await api.as.csr1.get(`/api/v1/meters/${s.meter.id}`)).json();
    expect(meter.status).toBe('removed');
    expect(meter.installations).toHaveLength(1);

    // Ending the first agreement makes room for the next customer.
    await api.as.csr2.patch(`/api/v1/service-agreements/${(await api.as.csr1.get(`/api/v1/service-agreements?servicePointId=${s.electric.id}`)).json().items[0].id}`, { endDate: '2026-05-31', reason: 'Moved out' });
    const next = await api.as.csr2.post('/api/v1/service-agreements', { accountId: other.account.id, servicePointId: s.electric.id, rateCode: 'RES-E', startDate: '2026-06-01' });
    expect(next.statusCode).toBe(201);
  });

  it('refuses a meter serial that exists, and an agreement for an unknown account', async () => {
    await setUp('E90000004');
    const dup = await api.as.csr2.post('/api/v1/meters', { serial: 'e90000004', kind: 'electric', dials: 5 });
    expect(dup.statusCode).toBe(409);
    const s = await setUp('E90000005');
    const res = await api.as.csr2.post('/api/v1/service-agreements', { accountId: 999999, servicePointId: s.electric.id, rateCode: 'RES-E', startDate: '2026-01-01' });
    expect(res.statusCode).toBe(400);
    expect(res.json().details.field).toBe('body.accountId');
  });
});

describe('account search', () => {
  it('finds an account by number, name, address, phone and meter serial', async () => {
    const s = await setUp('W77001234');
    await api.as.csr2.post('/api/v1/service-agreements', { accountId: s.account.id, servicePointId: s.electric.id, rateCode: 'RES-E', startDate: '2026-01-01' });
    await api.as.csr2.post(`/api/v1/meters/${s.meter.id}/install`, { servicePointId: s.electric.id, installedOn: '2026-01-01', reason: 'Set meter' });
    const search = async (q: string) => (await api.as.csr1.get(`/api/v1/search/accounts?q=${encodeURIComponent(q)}`)).json().items as { accountId: number; matchedOn: string }[];
    for (const [q, kind] of [[s.account.accountNumber, 'number'], [s.account.accountNumber.slice(0, 6), 'number'], ['marsh', 'name'], ['Lena M', 'name'], ['cottage', 'address'], ['(509) 555-0177', 'phone'], ['w7700', 'meter']] as const) {
      const hits = await search(q);
      expect(hits.some((h) => h.accountId === s.account.id && h.matchedOn === kind), `${q} -> ${kind}: ${JSON.stringify(hits)}`).toBe(true);
    }
    expect(await search('zzzzqqq')).toEqual([]);
    expect((await api.as.csr1.get('/api/v1/search/accounts?q=')).statusCode).toBe(400);
  });
});
