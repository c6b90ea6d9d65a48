import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isValidAccountNumber } from '../../src/customer/index.ts';
import { createTestApi, type TestApi } from '../support/api.ts';

let api: TestApi;
beforeAll(async () => {
  api = await createTestApi();
});
afterAll(() => api.close());

const address = { line1: '410 Orondo Ave', city: 'Wenatchee', state: 'WA', postalCode: '98801' };

async function newAccount(lastName = 'Okafor') {
  const customer = (await api.as.csr1.post('/api/v1/customers', {
    kind: 'person',
    firstName: 'Ada',
    lastName,
    contacts: [{ kind: 'phone', value: '509-555-0142', isPrimary: true }, { kind: 'email', value: 'ada@example.org' }],
    identifiers: [{ kind: 'drivers_license', value: 'WDL123456789' }],
  })).json();
  const account = (await api.as.csr1.post('/api/v1/accounts', { customerId: customer.id, customerClass: 'residential', billingCycle: 7, billingAddress: address })).json();
  return { customer, account };
}

describe('customers and accounts', () => {
  it('creates a customer with contacts and an account with a check-digit number', async () => {
    const { customer, account } = await newAccount();
    expect(customer).toMatchObject({ kind: 'person', displayName: 'Ada Okafor' });
    expect(customer.contacts).toHaveLength(2);
    expect(isValidAccountNumber(account.accountNumber)).toBe(true);
    expect(account).toMatchObject({ status: 'active', billingCycle: 7, billingAddress: { ...address, line2: null }, openedOn: '2026-11-26' });
    const fetched = (await api.as.auditor.get(`/api/v1/customers/${customer.id}`)).json();
    expect(fetched.accounts.map((a: { id: number }) => a.id)).toEqual([account.id]);
    const byNumber = await api.as.csr1.get(`/api/v1/accounts/by-number/${account.accountNumber}`);
    expect(byNumber.json().id).toBe(account.id);
  });

  it('refuses an account number with a wrong check digit', async () => {
    const { account } = await newAccount();
    const n: string = account.accountNumber;
    const wrong = n.slice(0, 8) + ((Number(n[8]) + 1) % 10);
    const res = await api.as.csr1.get(`/api/v1/accounts/by-number/${wrong}`);
    expect(res.statusCode).toBe(400);
    expect(res.json().message).toContain('check digit');
  });

  it('records who changed what, from what to what, and why, readable per account', async () => {
    const { customer, account } = await newAccount('Baptiste');
    const patched = await api.as.csr2.patch(`/api/v1/accounts/${account.id}`, { billingCycle: 9, reason: 'Customer asked for a later due date' });
    expect(patched.statusCode).toBe(200);
    await api.as.csr1.patch(`/api/v1/customers/${customer.id}`, { lastName: 'Baptiste-Ng', reason: 'Name change on marriage' });
    const alert = (await api.as.csr1.post(`/api/v1/accounts/${account.id}/alerts`, { kind: 'medical_certificate', note: 'Oxygen concentrator', endsOn: '2027-01-25' })).json();
    expect(alert.active).toBe(true);
    expect((await api.as.csr1.post(`/api/v1/accounts/${account.id}/alerts/${alert.id}/clear`, { reason: 'Expired' })).statusCode).toBe(403);
    expect((await api.as.csr2.post(`/api/v1/accounts/${account.id}/alerts/${alert.id}/clear`, { reason: 'Certificate withdrawn' })).json().active).toBe(false);

    const trail = (await api.as.csr1.get(`/api/v1/accounts/${account.id}/audit`)).json().items;
    const summary = trail.map((e: { action: string; entityType: string; username: string }) => `${e.action} ${e.entityType} by ${e.username}`);
    expect(summary).toEqual([
      'clear account_alert by t-csr2',
      'create account_alert by t-csr1',
      'update customer by t-csr1',
      'update account by t-csr2',
      'create account by t-csr1',
    ]);
    const cycleChange = trail.find((e: { entityType: string; action: string }) => e.entityType === 'account' && e.action === 'update');
    expect(cycleChange).toMatchObject({ before: { billingCycle: 7 }, after: { billingCycle: 9 }, reason: 'Customer asked for a later due date' });
    expect(Object.keys(cycleChange.after)).toEqual(['billingCycle']);
    const nameChange = trail.find((e: { entityType: string }) => e.entityType === 'customer');
    expect(nameChange).toMatchObject({ before: { lastName: 'Baptiste', displayName: 'Ada Baptiste' }, after: { lastName: 'Baptiste-Ng' } });
  });

  it('requires a reason for an update', async () => {
    const { account } = await newAccount();
    const res = await api.as.csr1.patch(`/api/v1/accounts/${account.id}`, { billingCycle: 3 });
    expect(res.statusCode).toBe(400);
    expect(res.json().details.field).toBe('body.reason');
  });

  it('names the field at fault in a malformed body, and changes nothing', async () => {
    const before = (await api.as.csr1.get('/api/v1/customers?limit=200')).json().items.length;
    const cases: [unknown, string][] = [
      [{ kind: 'person', lastName: 7 }, 'body.lastName'],
      [{ kind: 'robot', lastName: 'X' }, 'body.kind'],
      [{ kind: 'person', lastName: 'X', colour: 'red' }, 'body.colour'],
      [{ kind: 'person', lastName: 'X', contacts: [{ kind: 'phone', value: '12' }] }, 'body.contacts.0.value'],
      [{ kind: 'person', lastName: 'X', contacts: [{ kind: 'phone', value: '555-1234' }] }, 'body.contacts.0.value'],
      [{ kind: 'business' }, 'body.businessName'],
      [{ kind: 'person', lastName: 'X', identifiers: [{ kind: 'ssn_last4', value: '123-45-6789' }] }, 'body.identifiers.0.value'],
    ];
    for (const [body, field] of cases) {
      const res = await api.as.csr1.post('/api/v1/customers', body);
      expect(res.statusCode, JSON.stringify(body)).toBe(400);
      expect(res.json()).toMatchObject({ code: 'validation', details: { field } });
      expect(res.json().message).toContain(field);
    }
    const bad = await api.as.csr1.post('/api/v1/accounts', { customerId: 1, customerClass: 'residential', billingCycle: 1, billingAddress: { ...address, postalCode: 'ABCDE' } });
    expect(bad.json().details.field).toBe('body.billingAddress.postalCode');
    const noCustomer = await api.as.csr1.post('/api/v1/accounts', { customerId: 987654, customerClass: 'residential', billingCycle: 1, billingAddress: address });
    expect(noCustomer.statusCode).toBe(400);
    expect(noCustomer.json().details.field).toBe('body.customerId');
    const query = await api.as.csr1.get('/api/v1/accounts?cycle=abc');
    expect(query.json().details.field).toBe('querystring.cycle');
    const notJson = await api.app.inject({ method: 'GET', url: '/api/v1/customers/abc', headers: { cookie: 'x=y' } });
    expect(notJson.statusCode).toBe(401);
    expect((await api.as.csr1.get('/api/v1/customers/abc')).json().details.field).toBe('params.id');
    expect((await api.as.csr1.get('/api/v1/customers?limit=200')).json().items.length).toBe(before);
  });

  it('gives 404 with a clear message for unknown ids', async () => {
    for (const url of ['/api/v1/customers/424242', '/api/v1/accounts/424242', '/api/v1/accounts/424242/overview', '/api/v1/accounts/424242/audit', '/api/v1/accounts/424242/alerts']) {
      const res = await api.as.csr1.get(url);
      expect(res.statusCode, url).toBe(404);
      expect(res.json()).toMatchObject({ code: 'not_found', message: expect.stringContaining('424242') });
    }
    const patch = await api.as.csr1.patch('/api/v1/accounts/424242', { billingCycle: 2, reason: 'testing unknown' });
    expect(patch.statusCode).toBe(404);
    expect((await api.as.csr1.get('/api/v1/no-such-route')).statusCode).toBe(404);
  });

  it('pages through lists with a cursor', async () => {
    for (let i = 0; i < 5; i++) await newAccount(`Pager${i}`);
    const seen: number[] = [];
    let after = 0;
    for (;;) {
      const page = (await api.as.csr1.get(`/api/v1/accounts?limit=2&after=${after}`)).json();
      seen.push(...page.items.map((a: { id: number }) => a.id));
      if (page.next === null) break;
      after = page.next;
    }
    expect(seen.length).toBeGreaterThanOrEqual(5);
    expect([...seen].sort((a, b) => a - b)).toEqual(seen);
    expect(new Set(seen).size).toBe(seen.length);
    expect((await api.as.csr1.get('/api/v1/accounts?limit=500')).statusCode).toBe(400);
  });

  it('removes a contact, keeping it in the audit trail', async () => {
    const { customer, account } = await newAccount('Contactless');
    const email = customer.contacts.find((c: { kind: string }) => c.kind === 'email');
    expect((await api.as.csr1.delete(`/api/v1/customers/${customer.id}/contacts/${email.id}`, { reason: 'Bounced' })).statusCode).toBe(204);
    expect((await api.as.csr1.get(`/api/v1/customers/${customer.id}`)).json().contacts).toHaveLength(1);
    const trail = (await api.as.csr1.get(`/api/v1/accounts/${account.id}/audit`)).json().items;
    expect(trail[0]).toMatchObject({ action: 'remove', entityType: 'customer_contact', before: { value: 'ada@example.org' }, reason: 'Bounced' });
  });
});
