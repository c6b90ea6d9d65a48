/**
 * A final account with the clock moving (issue 7, C14): fiber service that ends with the final
 * bill unpaid; the security deposit applied to it first (the bad-debt job waits for it); the
 * pre-collection letter on the right day and not before; after the 30-day wait the account is a
 * placement candidate and goes into the agency's placement file (the CSV checked); the agency
 * collects $100.00 at 30%: a $70.00 payment and a $30.00 commission entry, the balance down by
 * $100.00; a supervisor (not the one who asked) writes the rest off; a later payment is
 * reinstated as recovered bad debt by the job, and an agency collection on the written-off
 * balance reinstates its gross first. The job run twice for a date acts once.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { badDebt } from '../../src/bad-debt/index.ts';
import { billing, runBilling } from '../../src/billing/index.ts';
import { customers } from '../../src/customer/index.ts';
import { deposits } from '../../src/deposit/index.ts';
import { ledger } from '../../src/ledger/index.ts';
import { systemActor, type Actor } from '../../src/platform/actor.ts';
import { FixedClock } from '../../src/platform/clock.ts';
import { addDays, daysBetween } from '../../src/platform/dates.ts';
import { centsToDecimal } from '../../src/platform/money.ts';
import { payments } from '../../src/payment/index.ts';
import { premises } from '../../src/premise/index.ts';
import { loadFiberRate } from '../support/fiber.ts';
import { createTestRuntime, type TestRuntime } from '../support/runtime.ts';

let rt: TestRuntime;
const system = systemActor('test');
const csr: Actor = { userId: null, username: 'casey', role: 'csr2' };
const supervisor: Actor = { userId: null, username: 'sam', role: 'supervisor' };
const otherSupervisor: Actor = { userId: null, username: 'sue', role: 'supervisor' };

const balance = (accountId: number) => ledger.balanceOf(rt.db, accountId);
const job = (date?: string) => badDebt.run(rt.db, supervisor, rt.clock, rt.config, { date });
const entries = async (accountId: number) => ledger.entriesOf(rt.db, { accountId, after: 0, limit: 500 });

/** A customer on fiber (FIB-100: $75.00 a month and $99.00 to install) since a day. */
async function fiberAccount(first: string, startDate: string) {
  const customer = await customers.createCustomer(rt.db, system, { kind: 'person', firstName: first, lastName: 'Finale' });
  await customers.addContact(rt.db, system, customer.id, { kind: 'phone', value: '(509) 555-0142', isPrimary: true });
  const address = { line1: `${first.length * 100 + 7} Last Call Lane`, city: 'Wenatchee', state: 'WA', postalCode: '98801' };
  const account = await customers.createAccount(rt.db, system, rt.clock, { customerId: customer.id, customerClass: 'residential', billingCycle: 4, billingAddress: address });
  const premise = await premises.createPremise(rt.db, system, { address, premiseType: 'single_family', area: 'WEN' });
  const point = await premises.addServicePoint(rt.db, system, premise.id, { service: 'fiber', status: 'active' });
  const agreement = await premises.createAgreement(rt.db, system, { accountId: account.id, servicePointId: point.id, rateCode: 'FIB-100', startDate });
  return { customer, account, agreement };
}

/** Moves the clock forward to a day (5 pm in the utility's time zone, as the clock started). */
const moveTo = (date: string) => rt.clock.advanceDays(daysBetween(rt.clock.today(), date));

beforeAll(async () => {
  rt = await createTestRuntime({ clock: new FixedClock('2026-07-01T00:00:00Z') });
  await loadFiberRate(rt.db, system, rt.clock);
  await billing.generateYear(rt.db, system, rt.clock, { year: 2026 }, 'Schedule');
  await billing.generateYear(rt.db, system, rt.clock, { year: 2027 }, 'Schedule');
});
afterAll(() => rt?.close());

describe('a final account through letter, agency, write-off and reinstatement', () => {
  it('goes from an unpaid final bill to bad debt, and back when money comes later', async () => {
    const { account, agreement } = await fiberAccount('Fay', '2026-06-29');
    // A $150.00 deposit, paid: the deposit job holds it.
    await deposits.requireDeposit(rt.db, csr, rt.clock, { accountId: account.id, amountCents: 15000, instalments: 1, reason: 'New service, no history' });
    await payments.postCounterPayment(rt.db, csr, rt.clock, { accountId: account.id, amountCents: 15000, method: 'cash' });
    const lastPaid = rt.clock.today();
    await deposits.run(rt.db, supervisor, rt.clock);
    expect((await deposits.depositsOfAccount(rt.db, rt.clock, account.id))[0]).toMatchObject({ status: 'held', heldCents: 15000 });

    // Three monthly bills that are never paid.
    const cycle = (await billing.scheduleOfYear(rt.db, 2026)).filter((e) => e.cycle === 4 && e.month >= 7 && e.month <= 9);
    expect(cycle).toHaveLength(3);
    for (const e of cycle) {
      moveTo(e.billDate);
      const run = await runBilling(rt.db, system, rt.clock, { cycle: 4, date: e.billDate, timeZone: rt.config.timeZone });
      expect(run.bills.posted + run.bills.held).toBe(1);
      // A bill the edits hold (a first bill's short period) is approved, as staff would.
      for (const b of (await billing.billsOfAccount(rt.db, account.id)).filter((x) => x.status === 'held')) await billing.approveBill(rt.db, supervisor, rt.clock, b.id, 'Checked');
    }
    const billed = await balance(account.id);
    expect(billed).toBeGreaterThan(20000);

    // Service ends; the final bill posts and is left unpaid.
    rt.clock.advanceDays(10);
    const endDay = rt.clock.today();
    await premises.endAgreement(rt.db, system, agreement.id, { endDate: endDay, endReason: 'move_out' }, 'Moving away');
    const final = await billing.finalBill(rt.db, system, rt.clock, rt.config.timeZone, agreement.id);
    expect(final).toMatchObject({ status: 'posted', final: true });
    expect(await balance(account.id)).toBe(billed + final.totalCents);

    // The bad-debt job waits for the deposit to be applied first.
    const waiting = await job();
    expect(waiting).toMatchObject({ alreadyRun: false, accountsReviewed: 1, letters: 0, candidates: 0 });
    expect(waiting.skipped).toEqual([expect.objectContaining({ accountId: account.id, why: expect.stringMatching(/deposit is still held/) })]);
    await deposits.run(rt.db, supervisor, rt.clock);
    const applied = (await deposits.depositsOfAccount(rt.db, rt.clock, account.id))[0]!;
    expect(applied.status).toBe('applied');
    const owed = billed + final.totalCents - 15000 - applied.interestCents;
    expect(await balance(account.id)).toBe(owed);
    expect(owed).toBeGreaterThan(10000);

    // The letter: 15 days after the final bill's due date, not a day before.
    const letterDay = addDays(final.dueDate, 15);
    let letters = 0;
    while (rt.clock.today() < letterDay) {
      rt.clock.advanceDays(1);
      const r = await job();
      letters += r.letters;
      if (rt.clock.today() < letterDay) {
        expect(r.letters, rt.clock.today()).toBe(0);
      }
    }
    expect(rt.clock.today()).toBe(letterDay);
    expect(letters).toBe(1);
    // Run again the same day: nothing, and it says so.
    const again = await job();
    expect(again).toMatchObject({ date: letterDay, alreadyRun: true, letters: 0, candidates: 0, reinstated: 0 });
    expect(again.firstRunAt).not.toBeNull();
    const state = await badDebt.accountBadDebt(rt.db, rt.clock, account.id);
    expect(state.letter).toMatchObject({ letterDate: letterDay, balanceCents: owed, finalDueDate: final.dueDate, placeAfter: addDays(letterDay, 30) });
    const pdf = await badDebt.letterPdf(rt.db, state.letter!.id);
    expect(pdf.pdf.subarray(0, 5).toString()).toBe('%PDF-');

    // Thirty days on: a placement candidate, not before.
    const placeDay = addDays(letterDay, 30);
    let candidates = 0;
    while (rt.clock.today() < placeDay) {
      rt.clock.advanceDays(1);
      const r = await job();
      candidates += r.candidates;
      if (rt.clock.today() < placeDay) expect(r.candidates, rt.clock.today()).toBe(0);
    }
    expect(candidates).toBe(1);
    expect((await badDebt.candidates(rt.db)).map((c) => [c.accountId, c.letterDate, c.balanceCents])).toEqual([[account.id, letterDay, owed]]);

    // The agency's placement file.
    const agency = await badDebt.createAgency(rt.db, supervisor, rt.clock, { code: 'NWCOLL', name: 'Northwest Collections', commissionPercent: '30', vendorId: 'CBPUD01' }, 'Contract signed');
    expect(agency.commissionPercent).toBe('30.00');
    const placed = await badDebt.makePlacementFile(rt.db, csr, rt.clock, { agencyId: agency.id });
    expect(placed.placed).toHaveLength(1);
    const [header, row, ...rest] = placed.file!.body.split('\r\n');
    expect(rest).toEqual(['']);
    const cells = Object.fromEntries(header!.split(',').map((h, i) => [h, row!.split(',')[i]]));
    expect(header).not.toMatch(/ssn/i);
    expect(cells).toMatchObject({
      placement_id: String(placed.placed[0]!.id), account_number: account.accountNumber, customer_name: 'Fay Finale', address_line1: '307 Last Call Lane', city: 'Wenatchee', state: 'WA', postal_code: '98801',
      phone: '(509) 555-0142', last_payment_date: lastPaid, final_bill_date: final.billDate, balance_placed: centsToDecimal(owed), placement_date: placeDay,
    });
    expect((await badDebt.placementFile(rt.db, placed.file!.id)).body).toBe(placed.file!.body);
    const flagged = await customers.listAlerts(rt.db, rt.clock, account.id);
    expect(flagged.some((a) => a.active && a.kind === 'other' && /Northwest Collections/.test(a.note ?? ''))).toBe(true);
    // Placed once: the next file has nothing.
    expect((await badDebt.makePlacementFile(rt.db, csr, rt.clock, { agencyId: agency.id })).file).toBeNull();

    // The agency collects $100.00 at 30%: a $70.00 payment and a $30.00 commission; the balance falls by $100.00.
    rt.clock.advanceDays(20);
    const collection = await badDebt.recordCollection(rt.db, csr, rt.clock, { placementId: placed.placed[0]!.id, grossCents: 10000, collectedOn: addDays(rt.clock.today(), -3), reference: 'NW-1' });
    expect(collection).toMatchObject({ grossCents: 10000, commissionCents: 3000, netCents: 7000 });
    expect(await balance(account.id)).toBe(owed - 10000);
    const payment = await payments.getPayment(rt.db, collection.paymentId!);
    expect(payment).toMatchObject({ amountCents: 7000, channel: 'agency', accountId: account.id });
    const commission = (await entries(account.id)).find((e) => e.id === collection.commissionEntryId)!;
    expect(commission).toMatchObject({ kind: 'writeoff', reasonCode: 'AGENCY_COMMISSION', amountCents: -3000 });
    await expect(badDebt.recordCollection(rt.db, csr, rt.clock, { placementId: placed.placed[0]!.id, grossCents: 10000, collectedOn: rt.clock.today(), reference: 'NW-1' })).rejects.toThrow(/recorded already/);

    // A write-off of the rest: a supervisor other than the one who asked approves it.
    const rest_ = owed - 10000;
    const asked = await badDebt.requestWriteOff(rt.db, supervisor, rt.clock, account.id, 'Agency reports the customer cannot be found');
    expect(asked).toMatchObject({ status: 'requested', requestedCents: rest_ });
    await expect(badDebt.approveWriteOff(rt.db, csr, rt.clock, asked.id, 'OK')).rejects.toThrow(/a supervisor must approve/);
    await expect(badDebt.approveWriteOff(rt.db, supervisor, rt.clock, asked.id, 'OK')).rejects.toThrow(/asked for by sam; another person must approve it/);
    const approved = await badDebt.approveWriteOff(rt.db, otherSupervisor, rt.clock, asked.id, 'Uncollectable: checked the agency notes');
    expect(approved).toMatchObject({ status: 'approved', amountCents: rest_, decidedBy: 'sue', writtenOffOn: rt.clock.today() });
    expect(await balance(account.id)).toBe(0);
    expect((await entries(account.id)).find((e) => e.id === approved.ledgerEntryId)).toMatchObject({ kind: 'writeoff', reasonCode: 'WRITE_OFF', amountCents: -rest_ });

    // Weeks later the customer pays $20.00: the job puts that much of the write-off back, as recovered bad debt.
    rt.clock.advanceDays(25);
    await payments.postCounterPayment(rt.db, csr, rt.clock, { accountId: account.id, amountCents: 2000, method: 'cash' });
    expect(await balance(account.id)).toBe(-2000);
    const recovered = await job();
    expect(recovered).toMatchObject({ reinstated: 1, reinstatedCents: 2000 });
    expect(await balance(account.id)).toBe(0);
    expect((await job())).toMatchObject({ alreadyRun: true, reinstated: 0 });
    rt.clock.advanceDays(1);
    expect((await job())).toMatchObject({ alreadyRun: false, reinstated: 0 });

    // The agency collects $30.00 more on the written-off balance: its gross is reinstated first.
    expect(rest_ - 2000).toBeGreaterThan(3000);
    const late = await badDebt.recordCollection(rt.db, csr, rt.clock, { placementId: placed.placed[0]!.id, grossCents: 3000, collectedOn: rt.clock.today() });
    expect(late).toMatchObject({ commissionCents: 900, netCents: 2100 });
    expect(await balance(account.id)).toBe(0);
    const w = await badDebt.getWriteOff(rt.db, asked.id);
    expect(w.reinstatedCents).toBe(5000);
    const reasons = (await entries(account.id)).filter((e) => e.kind === 'writeoff').map((e) => [e.reasonCode, e.amountCents]);
    expect(reasons).toEqual([['AGENCY_COMMISSION', -3000], ['WRITE_OFF', -rest_], ['WRITE_OFF_REINSTATED', 2000], ['WRITE_OFF_REINSTATED', 3000], ['AGENCY_COMMISSION', -900]]);
    const report = await badDebt.listWriteOffs(rt.db, { after: 0, limit: 10 });
    expect(report.totals).toMatchObject({ writtenOffCents: rest_, reinstatedCents: 5000, agencyCollectedCents: 13000, agencyCommissionCents: 3900 });
  });
});
