/**
 * Security deposits and refunds with the clock moving (issue 6's done-when): a deposit taken in
 * three instalments, paid as billed, earning interest, and refunded after 12 months of good
 * payment through the accounts-payable export; another applied to a final bill, the credit left
 * refunded through the export. Along the way: a refund larger than the credit is refused, one
 * above the approval limit waits for a supervisor, and a check the post office returns puts the
 * credit back and flags the account.
 */
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { billing } from '../../src/billing/index.ts';
import { customers } from '../../src/customer/index.ts';
import { deposits } from '../../src/deposit/index.ts';
import { ledger } from '../../src/ledger/index.ts';
import { systemActor, type Actor } from '../../src/platform/actor.ts';
import { addDays } from '../../src/platform/dates.ts';
import { centsToDecimal } from '../../src/platform/money.ts';
import { payments } from '../../src/payment/index.ts';
import { premises } from '../../src/premise/index.ts';
import { refunds } from '../../src/refund/index.ts';
import { fiberCustomer, loadFiberRate } from '../support/fiber.ts';
import { createTestRuntime, type TestRuntime } from '../support/runtime.ts';

let rt: TestRuntime;
const system = systemActor('test');
const csr: Actor = { userId: null, username: 'casey', role: 'csr2' };
const supervisor: Actor = { userId: null, username: 'sam', role: 'supervisor' };

const fiberAccount = (name: string) => fiberCustomer(rt.db, system, rt.clock, { firstName: name, lastName: 'Depositor', line1: `${name.length} Refund Road` });
const pay = async (accountId: number, cents: number) => payments.postCounterPayment(rt.db, csr, rt.clock, { accountId, amountCents: cents, method: 'cash' });
const balance = (accountId: number) => ledger.balanceOf(rt.db, accountId);

beforeAll(async () => {
  rt = await createTestRuntime();
  await loadFiberRate(rt.db, system, rt.clock);
  await billing.generateYear(rt.db, system, rt.clock, { year: 2026 }, 'Schedule');
  await billing.generateYear(rt.db, system, rt.clock, { year: 2027 }, 'Schedule');
});
afterAll(() => rt?.close());

describe('security deposits and refunds', () => {
  it('takes a deposit in three instalments, pays interest on it, and refunds it after 12 months of good payment', async () => {
    await deposits.updateSettings(rt.db, system, rt.clock, { releaseBy: 'refund' }, 'The district refunds deposits by check');
    const { account } = await fiberAccount('Ida');
    // A customer new to the district: the rule calls for a deposit, at most 2/12 of $900.00.
    const evaluation = await deposits.evaluate(rt.db, rt.clock, account.id);
    expect(evaluation).toMatchObject({ decision: { required: true, rule: 'no_credit_history' }, annualCents: 90000, capCents: 15000 });
    await expect(deposits.requireDeposit(rt.db, csr, rt.clock, { accountId: account.id, amountCents: 15100, instalments: 3, reason: 'New service' })).rejects.toThrow(/at most \$150\.00/);
    await expect(deposits.requireDeposit(rt.db, csr, rt.clock, { accountId: account.id, instalments: 4, reason: 'New service' })).rejects.toThrow(/instalments: must be 1 to 3/);
    const d = await deposits.requireDeposit(rt.db, csr, rt.clock, { accountId: account.id, instalments: 3, reason: 'New service, no history with the district' });
    expect(d).toMatchObject({ status: 'billing', amountCents: 15000, heldCents: 0 });
    expect(d.instalments.map((i) => [i.amountCents, i.billedOn !== null])).toEqual([[5000, true], [5000, false], [5000, false]]);
    expect(await balance(account.id)).toBe(5000);

    // Paid as billed, month by month; the job notes each paid and bills the next.
    const paidOn: string[] = [];
    for (let month = 0; month < 3; month++) {
      await pay(account.id, 5000);
      const run = await deposits.run(rt.db, supervisor, rt.clock);
      expect(run.paid).toBe(1);
      paidOn.push(rt.clock.today());
      rt.clock.advanceDays(31);
      const next = await deposits.run(rt.db, supervisor, rt.clock);
      expect(next.billed).toBe(month < 2 ? 1 : 0);
      expect((await deposits.run(rt.db, supervisor, rt.clock))).toMatchObject({ billed: 0, paid: 0, returned: 0, applied: 0 });
    }
    let held = await deposits.getDeposit(rt.db, rt.clock, d.id);
    expect(held).toMatchObject({ status: 'held', heldCents: 15000, paidOn: paidOn[2] });
    // The deposit is the district's liability, not on the account's balance.
    expect(await balance(account.id)).toBe(0);

    // Eleven months on: not yet. Twelve months after it was paid in full: returned with interest, and refunded.
    rt.clock.advanceDays(334 - 31);
    expect((await deposits.run(rt.db, supervisor, rt.clock)).returned).toBe(0);
    const dueDay = addDays(paidOn[2]!, 365);
    rt.clock.advanceDays(Math.round((Date.parse(dueDay) - Date.parse(rt.clock.today())) / 86_400_000));
    const released = await deposits.run(rt.db, supervisor, rt.clock);
    expect(released.returned).toBe(1);
    // 0.5% a year, simple, each instalment from the day it was paid: cents x 0.5 x days / 36,500, rounded once.
    const today = rt.clock.today();
    const exact = paidOn.reduce((n, day) => n + (5000 * 0.5 * Math.round((Date.parse(today) - Date.parse(day)) / 86_400_000)) / 36500, 0);
    held = await deposits.getDeposit(rt.db, rt.clock, d.id);
    expect(held).toMatchObject({ status: 'returned', closedOn: today, interestCents: Math.round(exact) });
    expect(held.interestCents).toBeGreaterThan(0);
    const refund = (await refunds.refundsOfAccount(rt.db, account.id))[0]!;
    expect(refund).toMatchObject({ kind: 'deposit', status: 'approved', amountCents: 15000 + held.interestCents, depositId: d.id });
    expect(await balance(account.id)).toBe(0);
    expect((await deposits.run(rt.db, supervisor, rt.clock))).toMatchObject({ returned: 0, applied: 0 });

    // The accounts-payable export lists it once.
    const file = await refunds.exportRefunds(rt.db, supervisor, rt.clock, rt.config.timeZone);
    expect(file!.refunds).toBe(1);
    const [header, row] = file!.body.trimEnd().split('\r\n');
    expect(header!.split(',').slice(0, 3)).toEqual(['refund_id', 'vendor_id', 'payee_name']);
    expect(row).toContain(`${refund.id},CUSTREFUND,Ida Depositor,`);
    expect(row).toContain(`,${centsToDecimal(15000 + held.interestCents)},${account.accountNumber},deposit,`);
    expect(await refunds.exportRefunds(rt.db, supervisor, rt.clock, rt.config.timeZone)).toBeNull();

    // The check comes back from the post office: the credit is restored and the account flagged.
    const back = await refunds.returnRefund(rt.db, csr, rt.clock, refund.id, { returnedOn: today, reason: 'Return to sender: no such address' });
    expect(back.status).toBe('returned');
    expect(await balance(account.id)).toBe(-(15000 + held.interestCents));
    const alerts = await customers.listAlerts(rt.db, rt.clock, account.id);
    expect(alerts.some((a) => a.active && a.kind === 'other' && /returned by the post office/.test(a.note ?? ''))).toBe(true);
  });

  it('applies a deposit to the final bill and refunds the credit left through the export', async () => {
    const { account, agreement } = await fiberAccount('Otto');
    await deposits.requireDeposit(rt.db, csr, rt.clock, { accountId: account.id, reason: 'New service' });
    await pay(account.id, 15000);
    await deposits.run(rt.db, supervisor, rt.clock);
    const d = (await deposits.depositsOfAccount(rt.db, rt.clock, account.id))[0]!;
    expect(d).toMatchObject({ status: 'held', heldCents: 15000 });

    // A refund bigger than the credit is refused; the customer has none yet.
    await expect(refunds.requestRefund(rt.db, csr, rt.clock, { accountId: account.id, amountCents: 100, reason: 'Asked' })).rejects.toThrow(/no credit to refund|more than the \$0\.00 credit/);

    // Move-out a month later: the final bill, then the job applies the deposit and refunds the rest.
    rt.clock.advanceDays(30);
    await premises.endAgreement(rt.db, system, agreement.id, { endDate: rt.clock.today(), endReason: 'move_out' }, 'Moving away');
    const final = await billing.finalBill(rt.db, system, rt.clock, rt.config.timeZone, agreement.id);
    expect(final.status).toBe('posted');
    const owed = await balance(account.id);
    expect(owed).toBe(final.totalCents);
    const run = await deposits.run(rt.db, supervisor, rt.clock);
    expect(run.applied).toBe(1);
    const applied = await deposits.getDeposit(rt.db, rt.clock, d.id);
    expect(applied.status).toBe('applied');
    const credit = 15000 + applied.interestCents - owed;
    expect(credit).toBeGreaterThan(0);
    const refund = (await refunds.refundsOfAccount(rt.db, account.id))[0]!;
    expect(refund).toMatchObject({ kind: 'deposit', amountCents: credit, status: 'approved' });
    expect(await balance(account.id)).toBe(0);
    const file = await refunds.exportRefunds(rt.db, supervisor, rt.clock, rt.config.timeZone);
    expect(file!.body).toContain(`,${centsToDecimal(credit)},${account.accountNumber},deposit,`);
  });

  it('holds a refund above the approval limit for a supervisor, and pays out solar credit only under the policy', async () => {
    const { account } = await fiberAccount('Sol');
    await pay(account.id, 80000); // overpaid: $800.00 credit
    await expect(refunds.requestRefund(rt.db, csr, rt.clock, { accountId: account.id, amountCents: 80001, reason: 'Overpaid' })).rejects.toThrow(/more than the \$800\.00 credit available/);
    // Split into pieces under the limit, the second piece already counts with the first.
    expect(await refunds.requestRefund(rt.db, csr, rt.clock, { accountId: account.id, amountCents: 40000, reason: 'First half' })).toMatchObject({ status: 'approved' });
    const big = await refunds.requestRefund(rt.db, csr, rt.clock, { accountId: account.id, amountCents: 40000, reason: 'Second half' });
    expect(big).toMatchObject({ status: 'requested', amountCents: 40000 });
    // Asked for and waiting: the credit is spoken for.
    await expect(refunds.requestRefund(rt.db, csr, rt.clock, { accountId: account.id, amountCents: 100, reason: 'Again' })).rejects.toThrow(/more than the \$0\.00 credit available/);
    await expect(refunds.approveRefund(rt.db, csr, rt.clock, big.id, 'Looks right')).rejects.toThrow(/above the \$500\.00 approval limit; a supervisor must approve it/);
    expect(await refunds.approveRefund(rt.db, supervisor, rt.clock, big.id, 'Checked the payment')).toMatchObject({ status: 'approved' });
    expect(await balance(account.id)).toBe(0);

    await expect(refunds.requestSolarRefund(rt.db, csr, rt.clock, { accountId: account.id, kwh: '320', reason: 'True-up' })).rejects.toThrow(/policy pays no net-metering credit/);
    await refunds.updateSettings(rt.db, system, rt.clock, { solarCentsPerKwh: '4.25' }, 'Board policy: pay banked credit at avoided cost');
    await expect(refunds.requestSolarRefund(rt.db, csr, rt.clock, { accountId: account.id, kwh: '320', reason: 'True-up' })).rejects.toThrow(/more than the 0 kWh banked/);
    // The customer's latest electric bill carried 400 kWh of banked credit to the true-up.
    await sql`insert into bills (account_id, agreement_id, service, customer_class, rate_code, period_from, period_to, bill_date, due_date, status, total_cents, tax_cents, lines, banked_kwh, created_at, posted_at)
              values (${account.id}, 0, 'electric', 'residential', 'RES-E', '2026-03-31', '2026-04-30', '2026-05-04', '2026-05-25', 'posted', 1800, 0, '[]', 400, now(), now())`.execute(rt.db);
    await expect(refunds.requestSolarRefund(rt.db, csr, rt.clock, { accountId: account.id, kwh: '401', reason: 'True-up' })).rejects.toThrow(/more than the 400 kWh banked/);
    const solar = await refunds.requestSolarRefund(rt.db, csr, rt.clock, { accountId: account.id, kwh: '320', reason: 'Banked credit at the April 30 true-up' });
    // 320 kWh x 4.25 cents = $13.60, paid only when a supervisor approves it
    expect(solar).toMatchObject({ kind: 'solar', amountCents: 1360, status: 'requested' });
    expect(await balance(account.id)).toBe(0);
    await expect(refunds.requestSolarRefund(rt.db, csr, rt.clock, { accountId: account.id, kwh: '80', reason: 'Again' })).rejects.toThrow(/asked for already/);
    await expect(refunds.approveRefund(rt.db, csr, rt.clock, solar.id, 'OK by me')).rejects.toThrow(/a supervisor must approve it/);
    expect(await refunds.approveRefund(rt.db, supervisor, rt.clock, solar.id, 'Policy payout checked')).toMatchObject({ status: 'approved' });
    expect(await balance(account.id)).toBe(0);
  });
});
