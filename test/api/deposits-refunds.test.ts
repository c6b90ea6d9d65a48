/**
 * Security deposits and refunds through the API: who may do what (a CSR II asks for a deposit, a
 * supervisor returns one early and runs the daily job; a CSR I asks for a refund within the
 * approval limit, a supervisor approves one above it and makes the accounts-payable file; an
 * auditor only reads), and the audit trail of each change with its reason.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ledger } from '../../src/ledger/index.ts';
import { systemActor } from '../../src/platform/actor.ts';
import { createTestApi, type TestApi } from '../support/api.ts';
import { repoRoot } from '../support/cli.ts';
import { newAccount, newPremise } from '../support/district.ts';

let api: TestApi;

async function fiberAccount(name: string) {
  const account = await newAccount(api.as.csr2, name);
  const { points } = await newPremise(api.as.csr2, `${name.length} Deposit Drive`, ['fiber']);
  expect((await api.as.csr2.post('/api/v1/service-agreements', { accountId: account.id, servicePointId: points.fiber!.id, rateCode: 'FIB-100', startDate: '2025-01-01', reason: 'Service started' })).statusCode).toBe(201);
  return account;
}

beforeAll(async () => {
  api = await createTestApi();
  const tariff = JSON.parse(fs.readFileSync(path.join(repoRoot, 'src/tariff/examples/FIB-100.json'), 'utf8'));
  expect((await api.as.supervisor.post('/api/v1/tariffs', { tariff, reason: 'Rates adopted' })).statusCode).toBe(201);
});
afterAll(() => api?.close());

describe('security deposits API', () => {
  it('lets a CSR II ask for a deposit, a supervisor return it and run the job, an auditor read', async () => {
    const account = await fiberAccount('Dana Deposit');
    expect((await api.anonymous.get(`/api/v1/accounts/${account.id}/security-deposit/evaluation`)).statusCode).toBe(401);
    expect((await api.as.auditor.get(`/api/v1/accounts/${account.id}/security-deposit/evaluation`)).json()).toMatchObject({ decision: { required: true }, capCents: 15000, maxInstalments: 3 });
    expect((await api.as.csr1.post(`/api/v1/accounts/${account.id}/security-deposits`, { reason: 'New service' })).statusCode).toBe(403);
    const made = await api.as.csr2.post(`/api/v1/accounts/${account.id}/security-deposits`, { instalments: 2, reason: 'New service, no history' });
    expect(made.statusCode, made.body).toBe(201);
    expect(made.json()).toMatchObject({ amountCents: 15000, status: 'billing' });
    expect((await api.as.csr2.post(`/api/v1/accounts/${account.id}/security-deposits`, { reason: 'Again' })).json()).toMatchObject({ code: 'conflict' });
    const events = made.json().events as { id: number; kind: string }[];
    const letter = await api.as.auditor.get(`/api/v1/security-deposits/events/${events.find((e) => e.kind === 'required')!.id}/letter.pdf`);
    expect(letter.headers['content-type']).toBe('application/pdf');
    expect(letter.rawPayload.subarray(0, 5).toString()).toBe('%PDF-');
    expect((await api.as.auditor.get(`/api/v1/security-deposits/events/${events.find((e) => e.kind === 'billed')!.id}/letter.pdf`)).statusCode).toBe(409);
    expect((await api.as.csr2.post('/api/v1/security-deposits/run', {})).statusCode).toBe(403);
    expect((await api.as.supervisor.post('/api/v1/security-deposits/run', {})).statusCode).toBe(200);
    expect((await api.as.csr2.post(`/api/v1/security-deposits/${made.json().id}/return`, { reason: 'Customer asked' })).statusCode).toBe(403);
    const returned = await api.as.supervisor.post(`/api/v1/security-deposits/${made.json().id}/return`, { reason: 'Nothing paid yet: asked in error' });
    expect(returned.statusCode, returned.body).toBe(200);
    // Nothing had been paid: the deposit is cancelled and the unpaid instalment taken off.
    expect(returned.json()).toMatchObject({ status: 'cancelled' });
    expect((await api.as.auditor.get(`/api/v1/accounts/${account.id}/ledger`)).json().balanceCents).toBe(0);
    const trail = (await api.as.auditor.get(`/api/v1/audit?accountId=${account.id}&entityType=deposit`)).json();
    expect(trail.items.map((e: { action: string }) => e.action)).toEqual(['return', 'bill_instalment', 'require']);
  });
});

describe('refunds API', () => {
  it('approves within the limit at once, holds above it for a supervisor, and makes the accounts-payable file', async () => {
    const account = await newAccount(api.as.csr2, 'Rhea Refund');
    await ledger.adjust(api.runtime.db, systemActor('test'), api.runtime.clock, { accountId: account.id, amountCents: -70000, reasonCode: 'GOODWILL', reason: 'Overpaid', entryDate: api.runtime.clock.today() });
    expect((await api.as.auditor.post(`/api/v1/accounts/${account.id}/refunds`, { amountCents: 100, reason: 'Asked' })).statusCode).toBe(403);
    const small = await api.as.csr1.post(`/api/v1/accounts/${account.id}/refunds`, { amountCents: 19999, reason: 'Customer asked' });
    expect(small.statusCode, small.body).toBe(201);
    expect(small.json()).toMatchObject({ status: 'approved', amountCents: 19999 });
    const tooMuch = await api.as.csr1.post(`/api/v1/accounts/${account.id}/refunds`, { amountCents: 50002, reason: 'Customer asked' });
    expect(tooMuch.statusCode).toBe(409);
    expect(tooMuch.json().message).toMatch(/more than the \$500\.01 credit available/);
    const big = await api.as.csr1.post(`/api/v1/accounts/${account.id}/refunds`, { reason: 'The rest of the credit' });
    expect(big.json()).toMatchObject({ status: 'requested', amountCents: 50001 });
    expect((await api.as.csr1.post(`/api/v1/refunds/${big.json().id}/approve`, { reason: 'Looks right' })).statusCode).toBe(403);
    expect((await api.as.supervisor.post(`/api/v1/refunds/${big.json().id}/approve`, { reason: 'Checked the payments' })).json()).toMatchObject({ status: 'approved' });
    expect((await api.as.auditor.get(`/api/v1/accounts/${account.id}/refunds`)).json()).toMatchObject({ creditAvailableCents: 0 });
    expect((await api.as.csr2.post('/api/v1/refunds/exports', {})).statusCode).toBe(403);
    const file = (await api.as.supervisor.post('/api/v1/refunds/exports', {})).json().export;
    expect(file).toMatchObject({ refunds: 2, totalCents: 70000 });
    const download = await api.as.auditor.get(`/api/v1/refunds/exports/${file.id}/file`);
    expect(download.headers['content-type']).toMatch(/^text\/csv/);
    expect(download.body).toBe(file.body);
    expect((await api.as.auditor.get('/api/v1/refunds?status=exported')).json().items.length).toBeGreaterThanOrEqual(2);
    // The columns are the district's to choose; a field that does not exist is refused.
    expect((await api.as.admin.patch('/api/v1/refunds/settings', { exportColumns: ['refund_id', 'amount', 'shoe_size'], reason: 'AP layout' })).json().message).toMatch(/unknown field\(s\) shoe_size/);
  });
});
