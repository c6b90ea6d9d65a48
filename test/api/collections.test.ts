/**
 * The delinquency schedule through the API: made with the billing schedule, following a due date
 * that moves, readable by anyone signed in and made again only by a supervisor.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addBusinessDays } from '../../src/billing/schedule.ts';
import { delinquencySchedule } from '../../src/collections/rules.ts';
import { createTestApi, type TestApi } from '../support/api.ts';

let api: TestApi;
beforeAll(async () => {
  api = await createTestApi();
});
afterAll(() => api?.close());

describe('delinquency schedule API', () => {
  it('is made with the billing schedule, and follows a due date that moves', async () => {
    expect((await api.as.supervisor.post('/api/v1/billing/schedule/generate', { year: 2027, reason: 'Yearly schedule' })).statusCode).toBe(200);
    const res = await api.as.auditor.get('/api/v1/collections/schedule?year=2027');
    expect(res.statusCode, res.body).toBe(200);
    const items = res.json().items as { billingScheduleId: number; cycle: number; month: number; dueDate: string; noticeDate: string; disconnectEligibleDate: string }[];
    expect(items).toHaveLength(240);
    const march = items.find((e) => e.cycle === 4 && e.month === 3)!;
    expect(march).toMatchObject(delinquencySchedule([{ year: 2027, month: 3, cycle: 4, dueDate: march.dueDate }])[0]!);

    // The billing schedule's due date moves two business days later: the delinquency dates follow.
    const billingEntry = (await api.as.auditor.get('/api/v1/billing/schedule?year=2027')).json().items.find((e: { id: number }) => e.id === march.billingScheduleId);
    const later = addBusinessDays(billingEntry.dueDate, 2);
    const moved = await api.as.supervisor.patch(`/api/v1/billing/schedule/${march.billingScheduleId}`, { dueDate: later, reason: 'Print vendor late' });
    expect(moved.statusCode, moved.body).toBe(200);
    const after = (await api.as.auditor.get('/api/v1/collections/schedule?year=2027')).json().items.find((e: { billingScheduleId: number }) => e.billingScheduleId === march.billingScheduleId);
    expect(after).toMatchObject(delinquencySchedule([{ year: 2027, month: 3, cycle: 4, dueDate: later }])[0]!);
    expect(after.noticeDate > march.noticeDate).toBe(true);

    expect((await api.as.csr2.post('/api/v1/collections/schedule/generate', { year: 2027, reason: 'Again' })).statusCode).toBe(403);
    expect((await api.as.supervisor.post('/api/v1/collections/schedule/generate', { year: 2027, reason: 'Again' })).json().items).toHaveLength(240);
    expect((await api.anonymous.get('/api/v1/collections/schedule?year=2027')).statusCode).toBe(401);
  });
});

describe('collections path API', () => {
  it('shows the path as data; a supervisor changes it within the law, with the change in the audit trail', async () => {
    const s = (await api.as.auditor.get('/api/v1/collections/settings')).json();
    expect(s).toMatchObject({ minimumPastDueCents: 2500, reconnectFeeCents: 3500, afterHoursFeeCents: 7500, mailedNoticeBusinessDays: 8, outOfStateNoticeBusinessDays: 11, homeState: 'WA' });
    expect(s.steps.map((x: { code: string }) => x.code)).toEqual(['late_fee', 'past_due_notice', 'disconnect_notice', 'final_notice', 'disconnect_order', 'final_bill']);
    expect(s.steps[0]).toMatchObject({ action: 'late_fee', anchor: 'due_date', days: 3, dayKind: 'business', fee: { kind: 'percent', percent: '1.000', minBalanceCents: 1000, reasonCode: 'LATE_FEE' } });

    expect((await api.as.csr2.patch('/api/v1/collections/settings', { minimumPastDueCents: 5000, reason: 'Board policy' })).statusCode).toBe(403);
    const tooSoon = await api.as.supervisor.patch('/api/v1/collections/settings', { mailedNoticeBusinessDays: 5, reason: 'Faster' });
    expect(tooSoon.statusCode).toBe(400);
    expect(tooSoon.json().message).toMatch(/at least 8 business days/);
    const changed = await api.as.supervisor.patch('/api/v1/collections/settings', { minimumPastDueCents: 5000, businessHoursTo: '16:30', reason: 'Board policy 2026-14' });
    expect(changed.statusCode, changed.body).toBe(200);
    expect(changed.json()).toMatchObject({ minimumPastDueCents: 5000, businessHoursTo: '16:30' });
    const step = await api.as.supervisor.patch('/api/v1/collections/steps/final_notice', { feeCents: 2000, customerClasses: ['residential'], reason: 'Field visit cost study' });
    expect(step.statusCode, step.body).toBe(200);
    expect(step.json()).toMatchObject({ code: 'final_notice', customerClasses: ['residential'], fee: { kind: 'flat', cents: 2000 } });
    expect((await api.as.supervisor.patch('/api/v1/collections/steps/final_notice', { feePercent: '2', reason: 'Wrong kind' })).statusCode).toBe(400);
    expect((await api.as.supervisor.patch('/api/v1/collections/steps/nope', { days: 2, reason: 'No such step' })).statusCode).toBe(404);
    const trail = (await api.as.auditor.get('/api/v1/audit?entityType=collection_step')).json();
    expect(trail.items[0]).toMatchObject({ action: 'update', entityId: 'final_notice', reason: 'Field visit cost study', username: 't-supervisor' });
  });

  it('runs a date once, refuses a future date, and keeps the run to CSR II and up', async () => {
    const today = api.runtime.clock.today();
    expect((await api.as.csr1.post('/api/v1/collections/runs', { date: today })).statusCode).toBe(403);
    expect((await api.as.auditor.post('/api/v1/collections/runs', { date: today })).statusCode).toBe(403);
    const future = await api.as.csr2.post('/api/v1/collections/runs', { date: '2099-01-01' });
    expect(future.statusCode).toBe(400);
    const first = await api.as.csr2.post('/api/v1/collections/runs', { date: today });
    expect(first.statusCode, first.body).toBe(200);
    expect(first.json()).toMatchObject({ date: today, alreadyRun: false, accountsReviewed: 0, actions: [], skippedProtected: [] });
    expect((await api.as.csr2.post('/api/v1/collections/runs', { date: today })).json()).toMatchObject({ alreadyRun: true });
    const runs = (await api.as.auditor.get('/api/v1/collections/runs')).json().items;
    expect(runs[0]).toMatchObject({ date: today, result: { accountsReviewed: 0 } });
    expect((await api.as.auditor.get(`/api/v1/collections/runs/${today}/print-file`)).body.split('\r\n')[0]).toMatch(/^notice_id,kind,delivery/);
    expect((await api.as.auditor.get('/api/v1/collections/runs/2001-01-01')).statusCode).toBe(404);
  });

  it('refuses a disconnection for non-payment without a case and its notice, naming the reason', async () => {
    const customer = (await api.as.csr2.post('/api/v1/customers', { kind: 'person', firstName: 'Noel', lastName: 'Owing' })).json();
    const account = (await api.as.csr2.post('/api/v1/accounts', { customerId: customer.id, customerClass: 'residential', billingCycle: 3, billingAddress: { line1: '1 Main St', city: 'Wenatchee', state: 'WA', postalCode: '98801' } })).json();
    const refused = await api.as.csr2.post(`/api/v1/accounts/${account.id}/collections/disconnect`, { reason: 'Owes money' });
    expect(refused.statusCode).toBe(409);
    expect(refused.json().message).toMatch(/no open collections case/);
    expect((await api.as.csr1.post(`/api/v1/accounts/${account.id}/collections/disconnect`, { reason: 'Owes money' })).statusCode).toBe(403);
    const reconnect = await api.as.csr1.post(`/api/v1/accounts/${account.id}/collections/reconnect`, { reason: 'Paid' });
    expect(reconnect.statusCode).toBe(409);
    expect(reconnect.json().message).toMatch(/no disconnected service/);
    expect((await api.as.csr1.post(`/api/v1/accounts/${account.id}/collections/reconnect`, { reason: 'Paid', waiveFee: true })).statusCode).toBe(403);
    const panel = (await api.as.auditor.get(`/api/v1/accounts/${account.id}/collections`)).json();
    expect(panel).toMatchObject({ balanceCents: 0, pastDueCents: 0, openCase: null, holds: [], cases: [] });
  });
});
