/**
 * Budget billing through the API: who may do what (a CSR I quotes and enrols, a CSR II re-levels,
 * a supervisor runs the review, an administrator changes the rules, an auditor only reads), the
 * refusals that name the rule, and the audit trail of every change with its reason.
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

/** An account with fiber service since 2025 (a plan price: a budget needs no history). */
async function fiberAccount(name: string) {
  const account = await newAccount(api.as.csr2, name);
  const { points } = await newPremise(api.as.csr2, `${name.length} Level Lane`, ['fiber']);
  const res = await api.as.csr2.post('/api/v1/service-agreements', { accountId: account.id, servicePointId: points.fiber!.id, rateCode: 'FIB-100', startDate: '2025-01-01', reason: 'Service started' });
  expect(res.statusCode, res.body).toBe(201);
  return account;
}

beforeAll(async () => {
  api = await createTestApi();
  for (const code of ['FIB-100', 'RES-E']) {
    const tariff = JSON.parse(fs.readFileSync(path.join(repoRoot, `src/tariff/examples/${code}.json`), 'utf8'));
    expect((await api.as.supervisor.post('/api/v1/tariffs', { tariff, reason: 'Rates adopted' })).statusCode).toBe(201);
  }
});
afterAll(() => api?.close());

describe('budget billing API', () => {
  it('lets each role do its part, and keeps every change in the audit trail', async () => {
    const account = await fiberAccount('Level Lucy');
    expect((await api.anonymous.get(`/api/v1/accounts/${account.id}/budget/quote`)).statusCode).toBe(401);
    const quote = await api.as.auditor.get(`/api/v1/accounts/${account.id}/budget/quote`);
    expect(quote.statusCode, quote.body).toBe(200);
    expect(quote.json()).toMatchObject({ eligible: true, annualCents: 90000, monthlyCents: 7500 });
    expect((await api.as.auditor.post(`/api/v1/accounts/${account.id}/budget`, { reason: 'Customer asked' })).statusCode).toBe(403);
    const enrolled = await api.as.csr1.post(`/api/v1/accounts/${account.id}/budget`, { reason: 'Customer asked for level payments' });
    expect(enrolled.statusCode, enrolled.body).toBe(201);
    const planId = enrolled.json().id;
    expect((await api.as.csr1.post(`/api/v1/budget/plans/${planId}/relevel`, { reason: 'Rates changed' })).statusCode).toBe(403);
    const relevelled = await api.as.csr2.post(`/api/v1/budget/plans/${planId}/relevel`, { reason: 'Rates changed' });
    expect(relevelled.statusCode, relevelled.body).toBe(200);
    expect(relevelled.json().events.map((e: { kind: string }) => e.kind)).toEqual(['enrolled', 'relevelled']);
    expect((await api.as.csr2.post('/api/v1/budget/review', {})).statusCode).toBe(403);
    expect((await api.as.supervisor.post('/api/v1/budget/review', {})).statusCode).toBe(200);
    const list = (await api.as.auditor.get('/api/v1/budget/plans?status=active')).json();
    expect(list.items.map((p: { accountId: number }) => p.accountId)).toContain(account.id);
    const ended = await api.as.csr1.post(`/api/v1/budget/plans/${planId}/end`, { reason: 'Customer asked to stop' });
    expect(ended.json()).toMatchObject({ status: 'ended', endReason: 'request' });
    const letter = await api.as.auditor.get(`/api/v1/budget/events/${ended.json().events.at(-1).id}/letter.pdf`);
    expect(letter.rawPayload.subarray(0, 5).toString()).toBe('%PDF-');
    const trail = (await api.as.auditor.get(`/api/v1/audit?accountId=${account.id}&entityType=budget_plan`)).json();
    expect(trail.items.map((e: { action: string; reason: string }) => [e.action, e.reason])).toEqual([
      ['end', 'Customer asked to stop'], ['relevel', 'Rates changed'], ['enrol', 'Customer asked for level payments'],
    ]);
  });

  it('refuses an account in arrears with the rule, unless it has a payment arrangement; energy-assistance customers skip the month rule', async () => {
    const account = await fiberAccount('Arrears Arnie');
    const today = api.runtime.clock.today();
    const twoMonthsAgo = new Date(Date.parse(`${today}T12:00:00Z`) - 60 * 86_400_000).toISOString().slice(0, 10);
    await ledger.adjust(api.runtime.db, systemActor('test'), api.runtime.clock, { accountId: account.id, amountCents: 4250, reasonCode: 'OTHER', reason: 'An old charge', entryDate: twoMonthsAgo });
    const refused = await api.as.csr1.post(`/api/v1/accounts/${account.id}/budget`, { reason: 'Customer asked' });
    expect(refused.statusCode).toBe(409);
    expect(refused.json()).toMatchObject({ code: 'conflict', details: { rule: 'arrears' } });
    expect(refused.json().message).toMatch(/\$42\.50 past due/);
    expect((await api.as.csr1.post(`/api/v1/accounts/${account.id}/alerts`, { kind: 'payment_arrangement', note: '6 instalments' })).statusCode).toBe(201);
    expect((await api.as.auditor.get(`/api/v1/accounts/${account.id}/budget/quote`)).json()).toMatchObject({ eligible: true });

    // New plans only in January, by the district's rule; an energy-assistance customer any month.
    expect((await api.as.supervisor.patch('/api/v1/budget/settings', { enrolMonths: [1], reason: 'Budget season' })).statusCode).toBe(403);
    const rules = await api.as.admin.patch('/api/v1/budget/settings', { enrolMonths: [1], reason: 'Budget season' });
    expect(rules.statusCode, rules.body).toBe(200);
    const other = await fiberAccount('Monthly Mo');
    const notNow = await api.as.csr1.post(`/api/v1/accounts/${other.id}/budget`, { reason: 'Customer asked' });
    expect(notNow.json()).toMatchObject({ details: { rule: 'enrolment_month' } });
    const assisted = await api.as.csr1.post(`/api/v1/accounts/${other.id}/budget`, { assistanceEligible: true, reason: 'LIHEAP approved household' });
    expect(assisted.statusCode, assisted.body).toBe(201);
    expect(assisted.json()).toMatchObject({ assistanceEligible: true });
    // A LIHEAP pledge in the last 12 months shows the household eligible without staff saying so.
    const pledged = await fiberAccount('Pledged Pat');
    const agency = (await api.as.supervisor.post('/api/v1/assistance/agencies', { code: 'cdcac', name: 'Chelan-Douglas Community Action Council', reason: 'Agency agreement signed' })).json();
    const program = (await api.as.supervisor.post('/api/v1/assistance/programs', { agencyId: agency.id, code: 'LIHEAP', name: 'Low Income Home Energy Assistance Program', reason: 'Program year' })).json();
    expect((await api.as.csr1.post(`/api/v1/accounts/${pledged.id}/budget`, { reason: 'Customer asked' })).json()).toMatchObject({ details: { rule: 'enrolment_month' } });
    const p = await api.as.csr1.post(`/api/v1/accounts/${pledged.id}/pledges`, { programId: program.id, amountCents: 25000, reason: 'Agency faxed the pledge' });
    expect(p.statusCode, p.body).toBe(201);
    expect((await api.as.csr1.get(`/api/v1/accounts/${pledged.id}/budget/quote`)).json()).toMatchObject({ eligible: true, assistanceEligible: true });
    expect((await api.as.csr1.post(`/api/v1/accounts/${pledged.id}/budget`, { reason: 'Customer asked' })).json()).toMatchObject({ assistanceEligible: true, status: 'active' });
    expect((await api.as.admin.patch('/api/v1/budget/settings', { enrolMonths: [], reason: 'Any month again' })).statusCode).toBe(200);
  });

  it('quotes an account it cannot budget with the reason, not an error: no service, or no use to estimate from', async () => {
    const bare = await newAccount(api.as.csr2, 'Bare Bill');
    expect((await api.as.csr1.get(`/api/v1/accounts/${bare.id}/budget/quote`)).json()).toMatchObject({ eligible: false, failure: { rule: 'no_service' }, monthlyCents: 0 });
    const account = await newAccount(api.as.csr2, 'New Nora');
    const { points } = await newPremise(api.as.csr2, '1 First Street', ['electric']);
    expect((await api.as.csr2.post('/api/v1/service-agreements', { accountId: account.id, servicePointId: points.electric!.id, rateCode: 'RES-E', startDate: '2025-01-01', reason: 'Service started' })).statusCode).toBe(201);
    const quote = (await api.as.csr1.get(`/api/v1/accounts/${account.id}/budget/quote`)).json();
    expect(quote).toMatchObject({ eligible: false, failure: { rule: 'cannot_estimate' } });
    expect(quote.failure.message).toMatch(/no similar premises or own history/);
    const refused = await api.as.csr1.post(`/api/v1/accounts/${account.id}/budget`, { reason: 'Customer asked' });
    expect(refused.json()).toMatchObject({ code: 'conflict', details: { rule: 'cannot_estimate' } });
  });
});
