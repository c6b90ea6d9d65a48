/**
 * Budget billing with the clock moving: an electric customer billed for three months, enrolled in
 * April, then through a year of bills paid at the budget amount: a summer of high use that the
 * quarterly review re-levels, the March settle-up that puts the deferred balance on the bill, and
 * then unpaid budget amounts that end the plan for delinquency, the deferred balance falling due.
 * At every step the deferred balance is the bills since enrolment less the budget amounts charged,
 * and the account's balance is what it was charged less what it paid.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApi, type Client, type TestApi } from '../support/api.ts';
import { repoRoot } from '../support/cli.ts';
import { complete, newAccount, newPremise, order, read, setMeter } from '../support/district.ts';

let api: TestApi;
let c: Client;
const on = async (date: string) => {
  api.runtime.clock.advanceDays((Date.parse(`${date}T20:00:00Z`) - api.runtime.clock.now().getTime()) / 86_400_000);
  await api.signInAgain();
};

interface Entry { kind: string; reasonCode: string | null; amountCents: number; billId: number | null; entryDate: string }
interface Plan { id: number; status: string; monthlyCents: number; deferredCents: number; settleMonth: number; nextReviewOn: string; endReason: string | null }

beforeAll(async () => {
  api = await createTestApi();
  c = api.as.csr2;
  const tariff = JSON.parse(fs.readFileSync(path.join(repoRoot, 'src/tariff/examples/RES-E.json'), 'utf8'));
  expect((await api.as.supervisor.post('/api/v1/tariffs', { tariff, reason: 'Rates adopted' })).statusCode).toBe(201);
  for (const year of [2026, 2027]) expect((await api.as.supervisor.post('/api/v1/billing/schedule/generate', { year, reason: 'Yearly schedule' })).statusCode).toBe(200);
});
afterAll(() => api.close());

describe('a year on budget billing', () => {
  it('defers the bills, charges the budget amount, re-levels, settles up in March and ends on delinquency', async () => {
    const schedule = [
      ...(await c.get('/api/v1/billing/schedule?year=2026')).json().items,
      ...(await c.get('/api/v1/billing/schedule?year=2027')).json().items,
    ].filter((e: { cycle: number }) => e.cycle === 3) as { year: number; month: number; readDate: string; billDate: string; dueDate: string }[];
    const entry = (year: number, month: number) => schedule.find((e) => e.year === year && e.month === month)!;

    const account = await newAccount(c, 'Grace Hopper', 'pending');
    const { points } = await newPremise(c, '1906 Compiler Way', ['electric']);
    await on('2026-01-02');
    const meter = await setMeter(c, points.electric!.id, '2026-01-02', '10000');
    await on('2026-01-05');
    const moveIn = await order(c, { type: 'move_in', servicePointId: points.electric!.id, accountId: account.id, effectiveDate: '2026-01-05', request: { rateCode: 'RES-E' } });
    expect((await complete(c, moveIn.id, { read: { reading: '10000' } })).statusCode).toBe(200);

    let kwh = 10000;
    let lastRunId = 0;
    const ledger = async () => (await c.get(`/api/v1/accounts/${account.id}/ledger?limit=200`)).json() as { items: Entry[]; balanceCents: number };
    const plan = async () => (await c.get(`/api/v1/accounts/${account.id}/budget`)).json() as { plan: Plan | null; events: { id: number; kind: string; monthlyAfterCents: number | null; deferredCents: number }[]; history: Plan[] };
    const pay = async (cents: number) => {
      if (cents <= 0) return;
      const res = await c.post('/api/v1/payments', { accountId: account.id, amountCents: cents, method: 'cash' });
      expect(res.statusCode, res.body).toBe(201);
    };
    /** Reads and bills a month; returns the posted bill's total. */
    const billMonth = async (year: number, month: number, use: number) => {
      const e = entry(year, month);
      await on(e.readDate);
      kwh += use;
      const r = await read(c, meter.id, e.readDate, String(kwh % 100000).padStart(5, '0'));
      if (r.findings.length > 0) expect((await c.post(`/api/v1/meter-reads/${r.read.id}/accept`, { reason: 'Reading confirmed' })).statusCode).toBe(200);
      await on(e.billDate);
      const run = await c.post('/api/v1/billing/runs', { cycle: 3, date: e.billDate });
      expect(run.statusCode, run.body).toBe(200);
      lastRunId = run.json().runId;
      const bills = (await c.get(`/api/v1/accounts/${account.id}/bills`)).json().items as { id: number; status: string; totalCents: number; billDate: string }[];
      const bill = bills.find((b) => b.billDate === e.billDate)!;
      if (bill.status === 'held') expect((await api.as.supervisor.post(`/api/v1/bills/${bill.id}/approve`, { reason: 'Summer use confirmed with the customer' })).statusCode).toBe(200);
      return bill.totalCents;
    };

    // Three months billed as they come, each paid in full.
    for (const [month, use] of [[2, 640], [3, 700], [4, 610]] as const) {
      await billMonth(2026, month, use);
      await pay((await ledger()).balanceCents);
    }
    expect((await ledger()).balanceCents).toBe(0);

    // April: the quote, then the enrolment (the settle-up in March, eleven months on).
    await on('2026-04-20');
    const quote = (await c.get(`/api/v1/accounts/${account.id}/budget/quote`)).json();
    expect(quote).toMatchObject({ eligible: true, failure: null, settleMonth: 3 });
    // The twelve months before April: its February and March bills, ten months estimated (no
    // similar premises here, so from its own average use per day).
    expect(quote.estimatedMonths).toBe(10);
    expect(quote.monthlyCents % 100).toBe(0);
    expect(quote.monthlyCents).toBeGreaterThanOrEqual(quote.annualCents / 12);
    const enrolled = await c.post(`/api/v1/accounts/${account.id}/budget`, { reason: 'Customer asked for level payments' });
    expect(enrolled.statusCode, enrolled.body).toBe(201);
    expect(enrolled.json()).toMatchObject({ status: 'active', monthlyCents: quote.monthlyCents, deferredCents: 0, settleMonth: 3, nextReviewOn: '2026-07-20' });
    expect((await c.post(`/api/v1/accounts/${account.id}/budget`, { reason: 'Again' })).json()).toMatchObject({ code: 'conflict', details: { rule: 'already_enrolled' } });
    const alerts = (await c.get(`/api/v1/accounts/${account.id}/alerts`)).json();
    expect((alerts.items ?? alerts).some((a: { kind: string; active: boolean }) => a.kind === 'budget_billing' && a.active)).toBe(true);

    // May 2026 to February 2027: each bill deferred, the budget amount charged and paid.
    let deferred = 0;
    let monthly = quote.monthlyCents as number;
    const months: [number, number, number][] = [[2026, 5, 900], [2026, 6, 1300], [2026, 7, 1400], [2026, 8, 1350], [2026, 9, 900], [2026, 10, 650], [2026, 11, 600], [2026, 12, 700], [2027, 1, 720], [2027, 2, 680]];
    let relevelled = false;
    for (const [year, month, use] of months) {
      const total = await billMonth(year, month, use);
      deferred += total - monthly;
      const now = await plan();
      expect(now.plan!.deferredCents, `deferred after ${year}-${month}`).toBe(deferred);
      const l = await ledger();
      // Paid each month: what is owed now is this month's budget amount.
      expect(l.balanceCents, `balance after ${year}-${month}`).toBe(monthly);
      const budgetEntries = l.items.filter((x) => x.kind === 'budget' && x.entryDate === entry(year, month).billDate);
      expect(budgetEntries.map((x) => [x.reasonCode, x.amountCents]).sort()).toEqual([['BUDGET_DEFER', -total], ['BUDGET_INSTALMENT', monthly]].sort());
      // The statement says so: the budget box in the print file, and the summary still ties.
      if (year === 2026 && month === 5) {
        const file = (await c.get(`/api/v1/billing/runs/${lastRunId}/print-file`)).body.split('\r\n');
        const s = file.find((r) => r.startsWith('S|') && r.includes(account.accountNumber))!.split('|');
        const b = file.find((r) => r.startsWith(`B|${s[1]}|`))!.split('|');
        expect(b.slice(2).map(Number)).toEqual([monthly, total, monthly - total, deferred]);
        const [previous, payments, adjustments, current, due] = s.slice(10, 15).map(Number);
        expect(previous! + payments! + adjustments! + current!).toBe(due);
        expect(due).toBe(monthly);
        expect(file.some((r) => r.startsWith(`M|${s[1]}|Budget billing: you pay`))).toBe(true);
      }
      await pay(l.balanceCents);
      // The quarterly review after the summer: the deferred balance drifted, so the amount goes up.
      if (year === 2026 && month === 7) {
        await on('2026-07-21');
        const review = await api.as.supervisor.post('/api/v1/budget/review', {});
        expect(review.statusCode, review.body).toBe(200);
        expect(review.json()).toMatchObject({ reviewed: 1, relevelled: 1, endedForDelinquency: 0 });
        const after = await plan();
        expect(after.plan!.monthlyCents).toBeGreaterThan(monthly);
        expect(after.plan!.deferredCents).toBe(deferred);
        expect(after.events.at(-1)).toMatchObject({ kind: 'relevelled', monthlyAfterCents: after.plan!.monthlyCents, deferredCents: deferred });
        monthly = after.plan!.monthlyCents;
        relevelled = true;
        // The same day again: nothing to do.
        expect((await api.as.supervisor.post('/api/v1/budget/review', {})).json()).toMatchObject({ reviewed: 0, relevelled: 0, endedForDelinquency: 0 });
      }
    }
    expect(relevelled).toBe(true);

    // March 2027, the settle-up: the deferred balance goes on this bill and the amount is set again.
    const march = await billMonth(2027, 3, 640);
    deferred += march - monthly;
    const settled = await plan();
    expect(settled.plan!.deferredCents).toBe(0);
    const marchEntries = (await ledger()).items.filter((x) => x.kind === 'budget' && x.entryDate === entry(2027, 3).billDate);
    expect(marchEntries.find((x) => x.reasonCode === 'BUDGET_SETTLE_UP')!.amountCents).toBe(deferred);
    expect(settled.events.at(-1)).toMatchObject({ kind: 'settled', deferredCents: deferred });
    expect((await ledger()).balanceCents).toBe(monthly + deferred);
    const settleLetter = await c.get(`/api/v1/budget/events/${settled.events.at(-1)!.id}/letter.pdf`);
    expect(settleLetter.statusCode).toBe(200);
    expect(settleLetter.headers['content-type']).toBe('application/pdf');
    await pay((await ledger()).balanceCents);
    monthly = settled.plan!.monthlyCents;
    deferred = 0;

    // April and May 2027 billed and not paid: 30 days past the April due date the plan ends and the deferred balance falls due.
    const april = await billMonth(2027, 4, 600);
    deferred += april - monthly;
    const may = await billMonth(2027, 5, 800);
    deferred += may - monthly;
    const before = await ledger();
    expect(before.balanceCents).toBe(2 * monthly);
    await on('2027-06-01');
    expect(entry(2027, 4).dueDate < '2027-05-02').toBe(true);
    const review = await api.as.supervisor.post('/api/v1/budget/review', {});
    expect(review.json()).toMatchObject({ endedForDelinquency: 1 });
    const ended = await plan();
    expect(ended.plan).toBeNull();
    expect(ended.history[0]).toMatchObject({ status: 'ended', endReason: 'delinquency' });
    const after = await ledger();
    expect(after.items.filter((x) => x.reasonCode === 'BUDGET_ENDED').map((x) => x.amountCents)).toEqual([deferred]);
    expect(after.balanceCents).toBe(2 * monthly + deferred);
    const alertsAfter = (await c.get(`/api/v1/accounts/${account.id}/alerts`)).json();
    expect((alertsAfter.items ?? alertsAfter).some((a: { kind: string; active: boolean }) => a.kind === 'budget_billing' && a.active)).toBe(false);
  }, 240_000);
});
