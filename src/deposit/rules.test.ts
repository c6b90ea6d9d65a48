import { describe, expect, it } from 'vitest';
import { capCents, creditDecision, heldLongEnough, instalments, interestCents, type CreditFacts } from './rules.ts';

const settings = { requireWithoutHistory: true, returnedPaymentsInYear: 2, disconnectMonths: 24 };
const facts: CreditFacts = { priorAccounts: [], openedOn: '2020-01-01', returnedPaymentsInYear: 0, disconnects: 0, today: '2026-11-27' };

describe('the credit rule', () => {
  it('asks nothing of an account with a year of its own good history', () => {
    expect(creditDecision(facts, settings)).toMatchObject({ required: false, rule: 'good_history' });
  });
  it('names the first rule that calls for a deposit', () => {
    expect(creditDecision({ ...facts, priorAccounts: [{ accountNumber: '100000017', status: 'final', balanceCents: 4500, openedOn: '2019-01-01' }] }, settings)).toMatchObject({ required: true, rule: 'unpaid_prior_account', detail: expect.stringContaining('100000017') });
    expect(creditDecision({ ...facts, disconnects: 1 }, settings).rule).toBe('disconnect_history');
    expect(creditDecision({ ...facts, returnedPaymentsInYear: 2 }, settings).rule).toBe('returned_payments');
    expect(creditDecision({ ...facts, returnedPaymentsInYear: 1 }, settings).rule).toBe('good_history');
    expect(creditDecision({ ...facts, openedOn: '2026-11-27' }, settings).rule).toBe('no_credit_history');
    // A year with the district on another account is history too; a rule the district turned off asks nothing.
    expect(creditDecision({ ...facts, openedOn: '2026-11-27', priorAccounts: [{ accountNumber: '1', status: 'closed', balanceCents: 0, openedOn: '2018-03-01' }] }, settings).rule).toBe('good_history');
    expect(creditDecision({ ...facts, openedOn: '2026-11-27' }, { ...settings, requireWithoutHistory: false })).toMatchObject({ required: false });
  });
});

describe('the amount, instalments and interest', () => {
  it('caps a deposit at 2/12 of the annual bill, in whole dollars down', () => {
    expect(capCents(90000, 2)).toBe(15000);
    expect(capCents(123456, 2)).toBe(20500);
  });
  it('splits the deposit a month apart, the odd cents on the first', () => {
    expect(instalments(10000, 3, '2026-01-31')).toEqual([
      { n: 1, amountCents: 3334, dueOn: '2026-01-31' }, { n: 2, amountCents: 3333, dueOn: '2026-02-28' }, { n: 3, amountCents: 3333, dueOn: '2026-03-31' },
    ]);
  });
  it('earns simple interest day by day at the rate in force, rounded once', () => {
    // $150.00 for a year at 0.5%: $0.75
    expect(interestCents([{ cents: 15000, from: '2025-06-01' }], '2026-06-01', [{ effectiveFrom: '2000-01-01', percent: '0.5' }])).toBe(75);
    // Half the year at 0.5%, half at 1.5% (181 + 184 days): 15000 x (0.5 x 181 + 1.5 x 184) / 36,500 = 150.55... -> $1.51
    expect(interestCents([{ cents: 15000, from: '2026-01-01' }], '2027-01-01', [{ effectiveFrom: '2000-01-01', percent: '0.5' }, { effectiveFrom: '2026-07-01', percent: '1.5' }])).toBe(151);
    expect(interestCents([{ cents: 15000, from: '2027-01-01' }], '2027-01-01', [{ effectiveFrom: '2000-01-01', percent: '0.5' }])).toBe(0);
  });
  it('is held long enough twelve months after it was paid in full', () => {
    expect(heldLongEnough('2025-11-27', '2026-11-26', 12)).toBe(false);
    expect(heldLongEnough('2025-11-27', '2026-11-27', 12)).toBe(true);
  });
});
