/**
 * Payments through the API: who may do what (a CSR I takes payments, a CSR II corrects and returns
 * them, an auditor only reads), a counter payment with its receipt, a file uploaded as the raw
 * body (kept, a duplicate posts nothing, a malformed one is refused with its record), the
 * suspense queue, autopay with the bank account masked, and the deposit with its slip.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApi, type TestApi } from '../support/api.ts';
import { newAccount } from '../support/district.ts';
import { ledger } from '../../src/ledger/index.ts';
import { systemActor } from '../../src/platform/actor.ts';

let api: TestApi;
let account: { id: number; accountNumber: string };

beforeAll(async () => {
  api = await createTestApi();
  account = await newAccount(api.as.csr2, 'Rita Remitter');
  await ledger.adjust(api.runtime.db, systemActor('test'), api.runtime.clock, { accountId: account.id, amountCents: 30000, service: 'electric', reasonCode: 'OTHER', reason: 'A charge to pay', entryDate: '2026-11-01' });
});
afterAll(() => api?.close());

describe('payments API', () => {
  it('refuses the anonymous, lets an auditor read but not post, and takes a counter payment once per key', async () => {
    expect((await api.anonymous.post('/api/v1/payments', { accountId: account.id, amountCents: 100, method: 'cash' })).statusCode).toBe(401);
    expect((await api.as.auditor.post('/api/v1/payments', { accountId: account.id, amountCents: 100, method: 'cash' })).statusCode).toBe(403);
    const body = { accountId: account.id, amountCents: 12500, method: 'cash', idempotencyKey: 'api-pay-000001' };
    const first = await api.as.csr1.post('/api/v1/payments', body);
    expect(first.statusCode, first.body).toBe(201);
    expect(first.json()).toMatchObject({ replayed: false, balanceCents: 17500, shares: [{ service: 'electric', amountCents: 12500 }] });
    const again = await api.as.csr1.post('/api/v1/payments', body);
    expect(again.json()).toMatchObject({ replayed: true, payment: { id: first.json().payment.id } });
    const receipt = await api.as.auditor.get(`/api/v1/payments/${first.json().payment.id}/receipt.pdf`);
    expect(receipt.statusCode).toBe(200);
    expect(receipt.headers['content-type']).toBe('application/pdf');
    expect(receipt.rawPayload.subarray(0, 5).toString()).toBe('%PDF-');
    expect((await api.as.csr1.post(`/api/v1/payments/${first.json().payment.id}/correct`, { amountCents: 12000, reason: 'Counted short' })).statusCode).toBe(403);
    const corrected = await api.as.csr2.post(`/api/v1/payments/${first.json().payment.id}/correct`, { amountCents: 12000, reason: 'Counted short' });
    expect(corrected.statusCode, corrected.body).toBe(200);
    expect(corrected.json().corrected).toMatchObject({ amountCents: 12000, correctsPaymentId: first.json().payment.id });
  });

  it('uploads a card settlement file as the raw body; the same file again is a duplicate; a malformed one names its line', async () => {
    const file = [
      'Transaction ID,Settlement Date,Customer Account,Cardholder Name,Card Type,Channel,Transaction Status,Amount,Fee',
      `W1,2026-11-26,${account.accountNumber},RITA REMITTER,Visa,Web,Settled Successfully,10.00,0.50`,
      'W2,2026-11-26,100000000,SOMEONE,Visa,IVR,Settled Successfully,5.00,0.50',
    ].join('\n');
    const url = '/api/v1/payment-imports?kind=card&fileName=card-1126.csv';
    expect((await api.as.csr1.upload(url, file, 'text/csv')).statusCode).toBe(403);
    const r = await api.as.csr2.upload(url, file, 'text/csv');
    expect(r.statusCode, r.body).toBe(200);
    expect(r.json()).toMatchObject({ records: 2, posted: 1, unmatched: 1, rejected: 0, totalCents: 1500, duplicate: false });
    expect((await api.as.csr2.upload(url, file, 'text/csv')).json()).toMatchObject({ duplicate: true, importId: r.json().importId });
    // The same records in another file (other line ends): nothing posted twice.
    const resent = await api.as.csr2.upload('/api/v1/payment-imports?kind=card&fileName=card-1126-resent.csv', file.replaceAll('\n', '\r\n'), 'text/csv');
    expect(resent.json()).toMatchObject({ duplicate: false, records: 2, posted: 0, unmatched: 0, rejected: 2, totalCents: 0 });
    expect((await api.as.auditor.get(`/api/v1/payment-imports/${r.json().importId}/file`)).statusCode).toBe(403);
    const original = await api.as.supervisor.get(`/api/v1/payment-imports/${r.json().importId}/file`);
    expect(original.body).toBe(file);
    const bad = await api.as.csr2.upload('/api/v1/payment-imports?kind=card&fileName=bad.csv', file.replace('5.00', '5.0.0'), 'text/csv');
    expect(bad.statusCode).toBe(400);
    expect(bad.json().message).toMatch(/nothing was posted: (record|line) 3/);
    const suspense = await api.as.csr1.get('/api/v1/payment-suspense');
    const waiting = suspense.json().items.find((p: { reference: string }) => p.reference === 'W2');
    const applied = await api.as.csr1.post(`/api/v1/payments/${waiting.id}/apply`, { accountId: account.id, reason: 'The cardholder is her daughter' });
    expect(applied.statusCode, applied.body).toBe(200);
    const report = await api.as.auditor.get('/api/v1/reports/web-payments?from=2026-11-26&to=2026-11-26');
    expect(report.json()).toMatchObject({ received: { count: 2, totalCents: 1500 }, matched: { count: 1 }, matchedByStaff: { count: 1 } });
  });

  it('lets a supervisor change how payments are applied, with a reason, and no one else', async () => {
    expect((await api.as.csr2.request('PATCH', '/api/v1/payment-settings', { application: 'proportional', reason: 'Board policy' })).statusCode).toBe(403);
    const changed = await api.as.supervisor.request('PATCH', '/api/v1/payment-settings', { serviceOrder: ['water', 'electric', 'fiber'], returnedPaymentFeeCents: 3000, reason: 'Board resolution 26-14' });
    expect(changed.statusCode, changed.body).toBe(200);
    expect(changed.json()).toMatchObject({ mode: 'oldest_first', serviceOrder: ['water', 'electric', 'fiber'], returnedPaymentFeeCents: 3000 });
    const back = await api.as.supervisor.request('PATCH', '/api/v1/payment-settings', { serviceOrder: ['electric', 'water', 'fiber'], returnedPaymentFeeCents: 2500, reason: 'Back to the default' });
    expect(back.statusCode).toBe(200);
  });

  it('enrols autopay with the bank account masked, and refuses a bad routing number', async () => {
    const bad = await api.as.csr1.post(`/api/v1/accounts/${account.id}/autopay`, { routingNumber: '123456789', bankAccountNumber: '99887766', bankAccountType: 'checking', holderName: 'Rita Remitter' });
    expect(bad.statusCode).toBe(400);
    expect(bad.json().message).toMatch(/check digit/);
    const ok = await api.as.csr1.post(`/api/v1/accounts/${account.id}/autopay`, { routingNumber: '091000019', bankAccountNumber: '99887766', bankAccountType: 'checking', holderName: 'Rita Remitter' });
    expect(ok.statusCode, ok.body).toBe(201);
    expect(ok.body).not.toContain('99887766');
    expect((await api.as.auditor.get(`/api/v1/accounts/${account.id}/autopay`)).json().enrolment).toMatchObject({ bankAccountLast4: '7766', status: 'prenote' });
  });

  it('closes the drawer only when it balances, makes the deposit, and prints the slip', async () => {
    const drawer = (await api.as.csr1.post('/api/v1/payment-batches/drawer')).json();
    const held = (await api.as.csr1.get(`/api/v1/payment-batches/${drawer.id}`)).json();
    const wrong = await api.as.csr1.post(`/api/v1/payment-batches/${drawer.id}/close`, { count: held.count, totalCents: held.totalCents + 1 });
    expect(wrong.statusCode).toBe(400);
    expect(wrong.json().message).toMatch(/does not balance/);
    expect((await api.as.csr1.post(`/api/v1/payment-batches/${drawer.id}/close`, { count: held.count, totalCents: held.totalCents })).statusCode).toBe(200);
    expect((await api.as.csr1.post('/api/v1/deposits', { date: '2026-11-26' })).statusCode).toBe(403);
    const deposit = await api.as.csr2.post('/api/v1/deposits', { date: '2026-11-26' });
    expect(deposit.statusCode, deposit.body).toBe(201);
    expect(deposit.json()).toMatchObject({ cashCents: held.totalCents, batchIds: [drawer.id] });
    const slip = await api.as.auditor.get(`/api/v1/deposits/${deposit.json().id}/slip.pdf`);
    expect(slip.rawPayload.subarray(0, 5).toString()).toBe('%PDF-');
    const summary = (await api.as.auditor.get('/api/v1/reports/deposit-summary?from=2026-11-26&to=2026-11-26')).json();
    expect(summary.items.find((i: { channel: string }) => i.channel === 'counter')).toMatchObject({ totalCents: 12000 });
  });
});
