/**
 * Bankruptcy cases through the API: who may do what (a CSR II records a case, dismisses or closes
 * it and waives the assurance deposit when none was asked; a supervisor discharges it and gives an
 * asked deposit back; an admin sets the days to pay; an auditor only reads), the refusals with the
 * record and the reason named, and the audit trail of each change with its reason.
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
const court = 'U.S. Bankruptcy Court, E.D. Wash.';

/** A fiber customer ($75.00 a month) owing `owedCents` from before the petition (Nov 1). */
async function debtor(name: string, owedCents: number) {
  const account = await newAccount(api.as.csr2, name);
  const { points } = await newPremise(api.as.csr2, `${name.length} Stay Street`, ['fiber']);
  expect((await api.as.csr2.post('/api/v1/service-agreements', { accountId: account.id, servicePointId: points.fiber!.id, rateCode: 'FIB-100', startDate: '2025-01-01', reason: 'Service started' })).statusCode).toBe(201);
  await ledger.adjust(api.runtime.db, systemActor('test'), api.runtime.clock, { accountId: account.id, amountCents: owedCents, reasonCode: 'BILLING_ERROR', reason: 'Unbilled service', entryDate: '2026-11-01' });
  const customerId = (await api.as.auditor.get(`/api/v1/accounts/${account.id}`)).json().customerId as number;
  return { ...account, customerId };
}

beforeAll(async () => {
  api = await createTestApi();
  const tariff = JSON.parse(fs.readFileSync(path.join(repoRoot, 'src/tariff/examples/FIB-100.json'), 'utf8'));
  expect((await api.as.supervisor.post('/api/v1/tariffs', { tariff, reason: 'Rates adopted' })).statusCode).toBe(201);
});
afterAll(() => api?.close());

describe('bankruptcy API', () => {
  it('lets a CSR II record a case, a supervisor discharge it, an auditor read; each change audited', async () => {
    const a = await debtor('Bea Bankrupt', 12345);
    const body = { customerId: a.customerId, chapter: 7, petitionDate: '2026-11-20', court, caseNumber: '26-00777', contact: { kind: 'attorney', name: 'Alex Attorney', phone: '509-555-0100' }, reason: 'Notice of filing by mail' };
    expect((await api.anonymous.post('/api/v1/bankruptcy/cases', body)).statusCode).toBe(401);
    expect((await api.as.csr1.post('/api/v1/bankruptcy/cases', body)).statusCode).toBe(403);
    expect((await api.as.auditor.post('/api/v1/bankruptcy/cases', body)).statusCode).toBe(403);
    const made = await api.as.csr2.post('/api/v1/bankruptcy/cases', body);
    expect(made.statusCode, made.body).toBe(201);
    const c = made.json();
    expect(c).toMatchObject({ status: 'open', chapter: 7, caseNumber: '26-00777', court, debtorName: 'Bea Bankrupt', assuranceDueOn: '2026-12-10', contact: { kind: 'attorney', name: 'Alex Attorney' } });
    expect(c.accounts[0]).toMatchObject({ accountId: a.id, filed: { balanceBeforeCents: 12345, prePetitionCents: 12345 }, split: { prePetitionCents: 12345, heldCents: 12345 }, assurance: { state: 'due', amountCents: 15000 } });
    expect(c.accounts[0].split.derivation).toBe('Balance at the end of 2026-11-19 (the day before the petition): $123.45; = pre-petition debt $123.45');
    // The alert the bad-debt placement looks for.
    const alerts = (await api.as.auditor.get(`/api/v1/accounts/${a.id}/alerts`)).json();
    expect((alerts.items ?? alerts).filter((x: { kind: string; active: boolean }) => x.kind === 'bankruptcy' && x.active)).toHaveLength(1);
    expect((await api.as.auditor.get(`/api/v1/accounts/${a.id}/bankruptcy`)).json().items.map((x: { id: number }) => x.id)).toEqual([c.id]);
    expect((await api.as.auditor.get(`/api/v1/bankruptcy/cases/${c.id}`)).json()).toMatchObject({ id: c.id, heldCents: 12345 });
    expect((await api.as.auditor.get('/api/v1/bankruptcy/cases?status=open')).json().items.map((x: { id: number }) => x.id)).toContain(c.id);

    expect((await api.as.csr2.post(`/api/v1/bankruptcy/cases/${c.id}/discharge`, { reason: 'Discharge order' })).statusCode).toBe(403);
    const future = await api.as.supervisor.post(`/api/v1/bankruptcy/cases/${c.id}/discharge`, { on: '2026-12-31', reason: 'Discharge order' });
    expect(future.statusCode).toBe(400);
    expect(future.json().message).toBe('on: 2026-12-31 must be from the petition (2026-11-20) to today (2026-11-26)');
    const done = await api.as.supervisor.post(`/api/v1/bankruptcy/cases/${c.id}/discharge`, { reason: 'Order of discharge entered' });
    expect(done.statusCode, done.body).toBe(200);
    expect(done.json().accounts[0]).toMatchObject({ dischargedCents: 12345 });
    // Left: the assurance instalment billed after the petition.
    expect((await api.as.auditor.get(`/api/v1/accounts/${a.id}/ledger`)).json().balanceCents).toBe(15000);
    const again = await api.as.supervisor.post(`/api/v1/bankruptcy/cases/${c.id}/discharge`, { reason: 'Again' });
    expect(again.statusCode).toBe(409);
    expect(again.json().message).toBe(`Bankruptcy case ${c.id} (26-00777, ${court}) was discharged on 2026-11-26: it cannot be discharged`);
    const trail = (await api.as.auditor.get(`/api/v1/audit?accountId=${a.id}&entityType=bankruptcy_case`)).json();
    expect(trail.items.map((e: { action: string; reason: string }) => [e.action, e.reason])).toEqual([['discharge', 'Order of discharge entered'], ['open', 'Notice of filing by mail']]);
    expect(trail.items[0].after).toMatchObject({ status: 'discharged', writtenOffCents: 12345 });
  });

  it('refuses what the rules forbid, naming the record and the reason', async () => {
    const a = await debtor('Cal Chapter', 5000);
    const other = await debtor('Dee Other', 100);
    const base = { customerId: a.customerId, chapter: 13, petitionDate: '2026-11-20', court, caseNumber: '26-00800', reason: 'Notice' };
    const nine = await api.as.csr2.post('/api/v1/bankruptcy/cases', { ...base, chapter: 9 });
    expect(nine.statusCode).toBe(400);
    expect(nine.json().message).toMatch(/chapter/);
    const future = await api.as.csr2.post('/api/v1/bankruptcy/cases', { ...base, petitionDate: '2026-12-01' });
    expect(future.json()).toMatchObject({ code: 'validation', message: 'petitionDate: 2026-12-01 is after today (2026-11-26)' });
    const foreign = await api.as.csr2.post('/api/v1/bankruptcy/cases', { ...base, accountIds: [other.id] });
    expect(foreign.json()).toMatchObject({ code: 'validation', message: `accountIds: account(s) ${other.id} are not Cal Chapter's` });
    expect((await api.as.csr2.post('/api/v1/bankruptcy/cases', { ...base, unknown: 1 })).statusCode).toBe(400);
    // Waived at filing: no deposit asked.
    const made = await api.as.csr2.post('/api/v1/bankruptcy/cases', { ...base, waiveAssurance: 'Chapter 13 plan pays the utility; trustee asked' });
    expect(made.statusCode, made.body).toBe(201);
    expect(made.json().accounts[0].assurance).toMatchObject({ state: 'waived', depositId: null, waivedReason: 'Chapter 13 plan pays the utility; trustee asked' });
    const same = await api.as.csr2.post('/api/v1/bankruptcy/cases', { ...base, customerId: other.customerId });
    expect(same.statusCode).toBe(409);
    expect(same.json().message).toBe(`Case 26-00800 of ${court} is recorded already as bankruptcy case ${made.json().id} (open)`);
    const twice = await api.as.csr2.post('/api/v1/bankruptcy/cases', { ...base, caseNumber: '26-00801' });
    expect(twice.json()).toMatchObject({ code: 'conflict', message: `Account ${a.accountNumber} is in open bankruptcy case ${made.json().id} (26-00800) already` });
    expect((await api.as.csr2.post(`/api/v1/bankruptcy/cases/${made.json().id}/waive-assurance`, { reason: 'Again' })).json().message).toMatch(/waived already/);
    // Dismissed: the stay ends, nothing is written off; a dismissed case cannot be dismissed again.
    const dismissed = await api.as.csr2.post(`/api/v1/bankruptcy/cases/${made.json().id}/dismiss`, { reason: 'Dismissed for failure to file schedules' });
    expect(dismissed.json()).toMatchObject({ status: 'dismissed', closedOn: '2026-11-26' });
    expect((await api.as.auditor.get(`/api/v1/accounts/${a.id}/ledger`)).json().balanceCents).toBe(5000);
    expect((await api.as.csr2.post(`/api/v1/bankruptcy/cases/${made.json().id}/dismiss`, { reason: 'Again' })).statusCode).toBe(409);
    expect((await api.as.auditor.get('/api/v1/bankruptcy/cases/999999')).json()).toMatchObject({ code: 'not_found', message: 'Bankruptcy case 999999 was not found' });
  });

  it('gives an asked assurance deposit back only on a supervisor\'s waiver; an admin sets the days to pay', async () => {
    const a = await debtor('Eve Assurance', 2000);
    expect((await api.as.csr2.patch('/api/v1/bankruptcy/settings', { assuranceDays: 30, reason: 'Policy' })).statusCode).toBe(403);
    expect((await api.as.admin.patch('/api/v1/bankruptcy/settings', { assuranceDays: 30, reason: 'Board policy: 30 days' })).json()).toEqual({ assuranceDays: 30, askAssurance: true });
    const c = (await api.as.csr2.post('/api/v1/bankruptcy/cases', { customerId: a.customerId, chapter: 11, petitionDate: '2026-11-25', court, caseNumber: '26-00900', assuranceCents: 9000, reason: 'Notice' })).json();
    expect(c).toMatchObject({ assuranceDueOn: '2026-12-25' });
    expect(c.accounts[0].assurance).toMatchObject({ state: 'due', amountCents: 9000 });
    const byCsr = await api.as.csr2.post(`/api/v1/bankruptcy/cases/${c.id}/waive-assurance`, { reason: 'Trustee objected' });
    expect(byCsr.statusCode).toBe(403);
    expect(byCsr.json().message).toMatch(/returning a deposit early needs a supervisor/);
    const waived = await api.as.supervisor.post(`/api/v1/bankruptcy/cases/${c.id}/waive-assurance`, { accountId: a.id, reason: 'Trustee objected; court order' });
    expect(waived.statusCode, waived.body).toBe(200);
    expect(waived.json().accounts[0].assurance).toMatchObject({ state: 'waived' });
    expect((await api.as.auditor.get(`/api/v1/security-deposits/${c.accounts[0].assurance.depositId}`)).json()).toMatchObject({ status: 'cancelled' });
    expect((await api.as.auditor.get(`/api/v1/accounts/${a.id}/ledger`)).json().balanceCents).toBe(2000);
    await api.as.admin.patch('/api/v1/bankruptcy/settings', { assuranceDays: 20, reason: 'Back to the statute' });
  });
});
