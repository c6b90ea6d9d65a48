/**
 * Deceased customers through the API: a CSR I records the notice; a CSR II records the estate,
 * makes and files claims, answers them and transfers the service to a survivor; a supervisor
 * writes off what the estate does not pay; an auditor only reads. Refusals name the record and the
 * reason (a claim filed after the deadline names the deadline); every change is audited.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ledger } from '../../src/ledger/index.ts';
import { systemActor } from '../../src/platform/actor.ts';
import { createTestApi, type TestApi } from '../support/api.ts';
import { newAccount, newPremise } from '../support/district.ts';

let api: TestApi;

async function customerOwing(name: string, owedCents: number) {
  const account = await newAccount(api.as.csr2, name);
  if (owedCents) await ledger.adjust(api.runtime.db, systemActor('test'), api.runtime.clock, { accountId: account.id, amountCents: owedCents, reasonCode: 'BILLING_ERROR', reason: 'Unbilled service', entryDate: '2026-11-01' });
  const customerId = (await api.as.auditor.get(`/api/v1/accounts/${account.id}`)).json().customerId as number;
  return { ...account, customerId };
}
const activeAlerts = async (accountId: number, kind: string) => {
  const body = (await api.as.auditor.get(`/api/v1/accounts/${accountId}/alerts`)).json();
  return (body.items ?? body).filter((x: { kind: string; active: boolean }) => x.kind === kind && x.active);
};

beforeAll(async () => {
  api = await createTestApi();
});
afterAll(() => api?.close());

describe('deceased customers API', () => {
  it('records the notice, the estate and a claim; refuses a late claim naming the deadline; a supervisor writes off the rest', async () => {
    const a = await customerOwing('Gus Gone', 8800);
    const notice = { customerId: a.customerId, dateOfDeath: '2026-06-01', notifiedBy: 'Gina Gone', relationship: 'daughter', reason: 'Daughter phoned the office' };
    expect((await api.as.auditor.post('/api/v1/deceased/cases', notice)).statusCode).toBe(403);
    expect((await api.as.csr1.post('/api/v1/deceased/cases', { ...notice, dateOfDeath: '2026-12-01' })).json()).toMatchObject({ code: 'validation', message: 'dateOfDeath: must be a date no later than the notice (2026-11-26)' });
    const made = await api.as.csr1.post('/api/v1/deceased/cases', notice);
    expect(made.statusCode, made.body).toBe(201);
    const c = made.json();
    expect(c).toMatchObject({ status: 'open', source: 'staff', dateOfDeath: '2026-06-01', notifiedBy: 'Gina Gone', relationship: 'daughter', accounts: [{ accountId: a.id, balanceCents: 8800 }] });
    expect(await activeAlerts(a.id, 'deceased')).toHaveLength(1);
    expect((await api.as.csr1.post('/api/v1/deceased/cases', notice)).json()).toMatchObject({ code: 'conflict', message: `Gus Gone has deceased case ${c.id} (open) already, notified 2026-11-26` });

    const estate = { representativeName: 'Gina Gone', probateCourt: 'Chelan County Superior Court', probateCaseNumber: '26-4-00100-04', firstPublicationOn: '2026-06-30', estateAttorney: 'Pat Probate', reason: 'Notice to creditors received' };
    expect((await api.as.csr1.patch(`/api/v1/deceased/cases/${c.id}/estate`, estate)).statusCode).toBe(403);
    const withEstate = await api.as.csr2.patch(`/api/v1/deceased/cases/${c.id}/estate`, estate);
    expect(withEstate.statusCode, withEstate.body).toBe(200);
    expect(withEstate.json().estate).toMatchObject({ representativeName: 'Gina Gone', firstPublicationOn: '2026-06-30', claimDeadline: '2026-10-30' });
    const claim = await api.as.csr2.post(`/api/v1/deceased/cases/${c.id}/claims`, { reason: 'The unpaid balance' });
    expect(claim.statusCode, claim.body).toBe(201);
    expect(claim.json()).toMatchObject({ status: 'draft', amountCents: 8800, deadline: '2026-10-30', dueSoon: false });
    const late = await api.as.csr2.post(`/api/v1/deceased/claims/${claim.json().id}/file`, { reason: 'Presenting it now' });
    expect(late.statusCode).toBe(409);
    expect(late.json()).toMatchObject({
      code: 'conflict', details: { deadline: '2026-10-30' },
      message: `Claim ${claim.json().id} against the estate of Gus Gone cannot be filed on 2026-11-26: the deadline to present a claim was 2026-10-30 (4 months after the probate notice was first published on 2026-06-30; RCW 11.40.051)`,
    });
    // It was presented in time after all (recorded late): filed, rejected, written off by a supervisor.
    expect((await api.as.csr2.post(`/api/v1/deceased/claims/${claim.json().id}/file`, { filedOn: '2026-10-15', reason: 'Presented by mail on Oct 15' })).json()).toMatchObject({ status: 'filed', filedOn: '2026-10-15' });
    expect((await api.as.csr2.post(`/api/v1/deceased/claims/${claim.json().id}/outcome`, { outcome: 'paid', reason: 'x x' })).json().message).toBe(`Claim ${claim.json().id} is filed: it can only be allowed or rejected`);
    expect((await api.as.csr2.post(`/api/v1/deceased/claims/${claim.json().id}/outcome`, { outcome: 'rejected', reason: 'Estate is insolvent' })).json()).toMatchObject({ status: 'rejected' });
    const byCsr = await api.as.csr2.post(`/api/v1/deceased/claims/${claim.json().id}/outcome`, { outcome: 'written_off', reason: 'Nothing will come' });
    expect(byCsr.statusCode).toBe(403);
    expect(byCsr.json().message).toMatch(/needs a supervisor/);
    const off = await api.as.supervisor.post(`/api/v1/deceased/claims/${claim.json().id}/outcome`, { outcome: 'written_off', reason: 'Estate insolvent: nothing will come' });
    expect(off.json()).toMatchObject({ status: 'written_off', settledOn: '2026-11-26' });
    const ledgerNow = (await api.as.auditor.get(`/api/v1/accounts/${a.id}/ledger?order=newest`)).json();
    expect(ledgerNow.balanceCents).toBe(0);
    expect(ledgerNow.items[0]).toMatchObject({ kind: 'writeoff', reasonCode: 'WRITE_OFF', amountCents: -8800, id: off.json().writeoffEntryId });

    const pdf = await api.as.auditor.get(`/api/v1/deceased/claims/${claim.json().id}/claim.pdf`);
    expect(pdf.headers['content-type']).toBe('application/pdf');
    expect(pdf.rawPayload.subarray(0, 5).toString()).toBe('%PDF-');

    const closed = await api.as.csr2.post(`/api/v1/deceased/cases/${c.id}/close`, { reason: 'Estate matter finished' });
    expect(closed.json()).toMatchObject({ status: 'closed', closedOn: '2026-11-26' });
    expect(await activeAlerts(a.id, 'deceased')).toHaveLength(0);
    const trail = (await api.as.auditor.get(`/api/v1/audit?accountId=${a.id}`)).json().items.filter((e: { entityType: string }) => e.entityType.startsWith('deceased'));
    expect(trail.map((e: { action: string }) => e.action)).toEqual(['close', 'write_off', 'rejected', 'file', 'claim', 'estate', 'notify']);
  });

  it('lists claims due within 14 days; refuses to close while a claim waits; moves the service to an existing customer', async () => {
    const a = await customerOwing('Hal Heir', 4200);
    const { points } = await newPremise(api.as.csr2, '12 Heir Avenue', ['fiber']);
    expect((await api.as.csr2.post('/api/v1/service-agreements', { accountId: a.id, servicePointId: points.fiber!.id, rateCode: 'FIB-100', startDate: '2025-01-01', reason: 'Service started' })).statusCode).toBe(201);
    const survivor = await customerOwing('Ida Heir', 0);
    const c = (await api.as.csr1.post('/api/v1/deceased/cases', { customerId: a.customerId, notifiedBy: 'Ida Heir', relationship: 'spouse', reason: 'Walked in with the death certificate' })).json();
    await api.as.csr2.patch(`/api/v1/deceased/cases/${c.id}/estate`, { firstPublicationOn: '2026-07-31', reason: 'Published in the Wenatchee World' });
    const zero = await customerOwing('Jo Nothing', 0);
    const zc = (await api.as.csr1.post('/api/v1/deceased/cases', { customerId: zero.customerId, notifiedBy: 'Neighbour', reason: 'Told at the counter' })).json();
    expect((await api.as.csr2.post(`/api/v1/deceased/cases/${zc.id}/claims`, { reason: 'Claim' })).json()).toMatchObject({ code: 'conflict', message: `Account ${zero.accountNumber} owes nothing (balance $0.00): there is no claim to make against the estate` });
    const claim = (await api.as.csr2.post(`/api/v1/deceased/cases/${c.id}/claims`, { amountCents: 4000, reason: 'Most of the balance' })).json();
    // Deadline Nov 30 (July 31 + 4 months, clamped): within 14 days of today.
    const due = (await api.as.auditor.get('/api/v1/deceased/claims?due=soon')).json();
    expect(due.items.map((k: { id: number; deadline: string; dueSoon: boolean }) => [k.id, k.deadline, k.dueSoon])).toEqual([[claim.id, '2026-11-30', true]]);
    expect((await api.as.csr2.post(`/api/v1/deceased/cases/${c.id}/close`, { reason: 'Done' })).json()).toMatchObject({ code: 'conflict', message: `Deceased case ${c.id} has claim ${claim.id} draft: settle it (or write it off) before closing the case` });
    const both = await api.as.csr2.post(`/api/v1/deceased/cases/${c.id}/transfer`, { survivorCustomerId: survivor.customerId, survivor: { lastName: 'X' }, lastDay: '2026-11-25', reason: 'Spouse keeps service' });
    expect(both.json()).toMatchObject({ code: 'validation' });
    expect((await api.as.csr1.post(`/api/v1/deceased/cases/${c.id}/transfer`, { survivorCustomerId: survivor.customerId, lastDay: '2026-11-25', reason: 'Spouse keeps service' })).statusCode).toBe(403);
    const moved = await api.as.csr2.post(`/api/v1/deceased/cases/${c.id}/transfer`, { survivorCustomerId: survivor.customerId, lastDay: '2026-11-25', reason: 'Spouse keeps service' });
    expect(moved.statusCode, moved.body).toBe(200);
    const t = moved.json().transfers[0];
    expect(moved.json().status).toBe('transferred');
    expect(t).toMatchObject({ survivorCustomerId: survivor.customerId, survivorName: 'Ida Heir', lastDay: '2026-11-25' });
    expect(t.orders.map((o: { type: string; effectiveDate: string }) => [o.type, o.effectiveDate])).toEqual([['move_out', '2026-11-25'], ['move_in', '2026-11-26']]);
    expect((await api.as.auditor.get(`/api/v1/accounts/${t.survivorAccountId}`)).json()).toMatchObject({ customerId: survivor.customerId, status: 'pending' });
    const none = await api.as.csr2.post(`/api/v1/deceased/cases/${c.id}/transfer`, { survivorCustomerId: survivor.customerId, lastDay: '2024-01-01', reason: 'Again' });
    expect(none.json()).toMatchObject({ code: 'validation', message: `accountId: deceased case ${c.id} has 0 accounts with service on 2024-01-01: name the account` });
    expect((await api.as.auditor.get(`/api/v1/accounts/${a.id}/deceased`)).json().items.map((x: { id: number }) => x.id)).toEqual([c.id]);
    expect((await api.as.auditor.get('/api/v1/deceased/cases?open=true')).json().items.map((x: { id: number }) => x.id)).toEqual(expect.arrayContaining([c.id, zc.id]));
    expect((await api.as.admin.patch('/api/v1/deceased/settings', { warnDays: 2, reason: 'Shorter warning' })).json()).toEqual({ claimMonths: 4, warnDays: 2 });
    expect((await api.as.auditor.get('/api/v1/deceased/claims?due=soon')).json().items).toEqual([]);
    await api.as.admin.patch('/api/v1/deceased/settings', { warnDays: 14, reason: 'Back' });
  });
});
