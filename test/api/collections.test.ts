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
