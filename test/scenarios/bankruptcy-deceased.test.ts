/**
 * Bankruptcy and deceased customers with the clock moving (issue 7, C15). Three fiber customers
 * ($75.00 a month, cycle 4) stop paying. Ada files a chapter 7 petition mid-period: the split of her
 * debt is checked against an independent computation (the balance the day before the petition,
 * then the prorated days of the bill spanning it once that bill posts), `staysOf` reports the
 * pre-petition cents to the collections run, an adequate-assurance deposit is asked due 20 days
 * after the petition (and shows overdue once that day passes unpaid), a payment after the petition
 * leaves the held amount alone, and the discharge writes off exactly the pre-petition cents. Ben's
 * chapter 13 case is dismissed: the stay ends, nothing is written off. Dora's bank returns her
 * autopay debit R15 through the real ACH return import: a deceased case opens with the date of
 * death the bank gave, one alert; the estate is recorded (notice first published Oct 31, so claims
 * are due by Feb 28); a claim is due soon, filed in time; the service goes to a survivor through
 * move-out and move-in orders; a claim for the final bill filed on Mar 1 is refused.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bankruptcy, staysOf } from '../../src/bankruptcy/index.ts';
import { billing, runBilling } from '../../src/billing/index.ts';
import { customers } from '../../src/customer/index.ts';
import { deceased } from '../../src/deceased/index.ts';
import { deposits } from '../../src/deposit/index.ts';
import { ledger } from '../../src/ledger/index.ts';
import { systemActor, type Actor } from '../../src/platform/actor.ts';
import { addDays } from '../../src/platform/dates.ts';
import { paymentImports, payments } from '../../src/payment/index.ts';
import { premises } from '../../src/premise/index.ts';
import { completeOrder } from '../../src/service-order/index.ts';
import { auditTrail } from '../../src/audit/index.ts';
import { achReturnFile } from '../support/bank-files.ts';
import { fiberCustomer, loadFiberRate } from '../support/fiber.ts';
import { createTestRuntime, type TestRuntime } from '../support/runtime.ts';

let rt: TestRuntime;
const system = systemActor('test');
const csr: Actor = { userId: null, username: 'casey', role: 'csr2' };
const supervisor: Actor = { userId: null, username: 'sam', role: 'supervisor' };
const tz = 'America/Los_Angeles';
type Fiber = Awaited<ReturnType<typeof fiberCustomer>>;
let ada: Fiber;
let ben: Fiber;
let dora: Fiber;
const balance = (accountId: number) => ledger.balanceOf(rt.db, accountId);
/** Independent of the code under test: whole days by Date, inclusive periods. */
const days = (from: string, to: string) => Math.round((Date.parse(to) - Date.parse(from)) / 86_400_000);

/** Moves the clock to a day (never back). */
function moveTo(day: string) {
  const n = days(rt.clock.today(), day);
  expect(n).toBeGreaterThanOrEqual(0);
  rt.clock.advanceDays(n);
  expect(rt.clock.today()).toBe(day);
}
/** Runs cycle 4's billing for its next bill date after today's, moving the clock there. */
async function billNextMonth() {
  const entries = [...(await billing.scheduleOfYear(rt.db, 2026)), ...(await billing.scheduleOfYear(rt.db, 2027))].filter((e) => e.cycle === 4 && e.billDate > rt.clock.today());
  const next = entries.sort((a, b) => a.billDate.localeCompare(b.billDate))[0]!;
  moveTo(next.billDate);
  const run = await runBilling(rt.db, system, rt.clock, { cycle: 4, date: next.billDate, timeZone: tz });
  expect(run.held).toBe(0);
  return next;
}
const alertsOf = async (accountId: number, kind: string) => (await customers.listAlerts(rt.db, rt.clock, accountId)).filter((a) => a.kind === kind);

beforeAll(async () => {
  rt = await createTestRuntime();
  await loadFiberRate(rt.db, system, rt.clock);
  await billing.generateYear(rt.db, system, rt.clock, { year: 2026 }, 'Schedule');
  await billing.generateYear(rt.db, system, rt.clock, { year: 2027 }, 'Schedule');
  ada = await fiberCustomer(rt.db, system, rt.clock, { firstName: 'Ada', lastName: 'Petition', line1: '7 Chapter Lane' });
  ben = await fiberCustomer(rt.db, system, rt.clock, { firstName: 'Ben', lastName: 'Thirteen', line1: '13 Plan Street' });
  dora = await fiberCustomer(rt.db, system, rt.clock, { firstName: 'Dora', lastName: 'Estate', line1: '15 Probate Road' });
  // November's bills (dated Nov 9), then December's: nobody pays.
  expect((await runBilling(rt.db, system, rt.clock, { cycle: 4, date: rt.clock.today(), timeZone: tz })).posted).toBe(3);
  await billNextMonth();
  for (const a of [ada, ben, dora]) expect(await balance(a.account.id)).toBe(15000);
}, 120_000);
afterAll(() => rt?.close());

describe('bankruptcy', () => {
  const petition = '2026-12-15';
  let caseId: number;
  let benCaseId: number;
  let spanningShare: number;

  it('records a chapter 7 case: the split at filing, the stay, an alert, and an adequate-assurance deposit due 20 days after the petition', async () => {
    moveTo('2026-12-17');
    const before = await ledger.balanceAsOf(rt.db, ada.account.id, addDays(petition, -1));
    expect(before).toBe(15000);
    await expect(bankruptcy.openCase(rt.db, csr, rt.clock, { customerId: ada.customer.id, chapter: 9, petitionDate: petition, court: 'U.S. Bankruptcy Court, E.D. Wash.', caseNumber: '26-01234', reason: 'Notice of filing' })).rejects.toThrow(/chapter 7, 11, 12 or 13/);
    const c = await bankruptcy.openCase(rt.db, csr, rt.clock, {
      customerId: ada.customer.id, chapter: 7, petitionDate: petition, court: 'U.S. Bankruptcy Court, E.D. Wash.', caseNumber: '26-01234',
      contact: { kind: 'trustee', name: 'Terry Trustee', phone: '509-555-0101' }, noticeReceivedOn: '2026-12-16', reason: 'Notice of bankruptcy filing received by mail',
    });
    caseId = c.id;
    expect(c).toMatchObject({ status: 'open', chapter: 7, caseNumber: '26-01234', debtorName: 'Ada Petition', assuranceDueOn: '2027-01-04' });
    const acct = c.accounts[0]!;
    // No bill spans the petition yet: the pre-petition debt is the balance of Dec 14.
    expect(acct.filed).toMatchObject({ balanceBeforeCents: before, prePetitionCents: before });
    // The assurance deposit: 2/12 of $900.00 a year, in one instalment billed today (post-petition).
    const deposit = await deposits.getDeposit(rt.db, rt.clock, acct.assurance.depositId!);
    expect(deposit).toMatchObject({ amountCents: 15000, requestedOn: '2026-12-17', status: 'billing' });
    expect(acct.assurance).toMatchObject({ state: 'due', dueOn: '2027-01-04', amountCents: 15000 });
    expect(await balance(ada.account.id)).toBe(30000);
    expect(acct.split).toMatchObject({ prePetitionCents: 15000, heldCents: 15000, balanceCents: 30000, postPetitionCents: 15000 });
    const alerts = await alertsOf(ada.account.id, 'bankruptcy');
    expect(alerts).toHaveLength(1);
    expect(alerts[0]).toMatchObject({ active: true, startsOn: petition });
    // The collections run leaves the pre-petition cents alone; an account without a case is not listed.
    const stays = await staysOf(rt.db, [ada.account.id, ben.account.id, dora.account.id], rt.clock.today());
    expect([...stays.keys()]).toEqual([ada.account.id]);
    expect(stays.get(ada.account.id)).toEqual({ caseId, caseNumber: '26-01234', chapter: 7, petitionDate: petition, prePetitionCents: 15000 });
    // One case per account at a time; one record per court and case number.
    await expect(bankruptcy.openCase(rt.db, csr, rt.clock, { customerId: ada.customer.id, chapter: 13, petitionDate: petition, court: 'Another court', caseNumber: '26-09999', reason: 'Again' })).rejects.toThrow(`is in open bankruptcy case ${caseId} (26-01234) already`);

    const b = await bankruptcy.openCase(rt.db, csr, rt.clock, { customerId: ben.customer.id, chapter: 13, petitionDate: '2026-12-16', court: 'U.S. Bankruptcy Court, E.D. Wash.', caseNumber: '26-01250', assuranceCents: 10000, reason: 'Attorney faxed the notice' });
    benCaseId = b.id;
    expect(b.accounts[0]!.assurance).toMatchObject({ state: 'due', amountCents: 10000, dueOn: '2027-01-05' });
    // A case recorded on the wrong customer: its deposit waived (given back) and the case closed; nothing written off.
    await bankruptcy.openCase(rt.db, csr, rt.clock, { customerId: dora.customer.id, chapter: 7, petitionDate: petition, court: 'U.S. Bankruptcy Court, E.D. Wash.', caseNumber: '26-1250', reason: 'Notice filed on the wrong customer' });
    const mistaken = (await bankruptcy.casesOfAccount(rt.db, rt.clock, dora.account.id))[0]!;
    await bankruptcy.waiveAssurance(rt.db, supervisor, rt.clock, mistaken.id, { reason: 'Recorded on the wrong customer' });
    expect(await balance(dora.account.id)).toBe(15000);
    const closed = await bankruptcy.endCase(rt.db, csr, rt.clock, mistaken.id, 'closed', { reason: 'Recorded on the wrong customer' });
    expect(closed).toMatchObject({ status: 'closed', closedOn: '2026-12-17' });
    expect((await alertsOf(dora.account.id, 'bankruptcy'))[0]).toMatchObject({ active: false });
  });

  it('lists the cases whose assurance deposit is unpaid past its due date', async () => {
    moveTo('2027-01-04');
    expect((await bankruptcy.listCases(rt.db, rt.clock, { assurance: 'overdue', after: 0, limit: 50 })).items).toEqual([]);
    moveTo('2027-01-06');
    const overdue = await bankruptcy.listCases(rt.db, rt.clock, { assurance: 'overdue', after: 0, limit: 50 });
    expect(overdue.items.map((c) => c.id).sort()).toEqual([caseId, benCaseId].sort());
    expect(overdue.items.every((c) => c.assuranceOverdue && c.accounts[0]!.assurance.state === 'overdue')).toBe(true);
  });

  it('adds the prorated days of the bill spanning the petition once it posts', async () => {
    await billNextMonth();
    const bill = (await billing.billsOfAccount(rt.db, ada.account.id)).find((b) => b.periodFrom < petition && b.periodTo >= petition)!;
    expect(bill.billDate >= petition).toBe(true);
    // Independent computation: the days of the period before the petition, of all its days, half up.
    const before = days(bill.periodFrom, petition);
    const periodDays = days(bill.periodFrom, bill.periodTo) + 1;
    spanningShare = Math.floor((bill.totalCents * before * 2 + periodDays) / (periodDays * 2));
    expect(before).toBeGreaterThan(0);
    expect(spanningShare).toBeGreaterThan(0);
    expect(spanningShare).toBeLessThan(bill.totalCents);
    const pre = 15000 + spanningShare;
    const c = await bankruptcy.getCase(rt.db, rt.clock, caseId);
    expect(c.accounts[0]!.split).toMatchObject({ prePetitionCents: pre, heldCents: pre, bills: [{ billId: bill.id, daysBefore: before, periodDays, prePetitionCents: spanningShare }] });
    expect(c.accounts[0]!.split!.derivation).toContain(`+ bill ${bill.id} (fiber, ${bill.periodFrom} to ${bill.periodTo}, $75.00): ${before} of ${periodDays} days before the petition`);
    // What was kept at filing does not move.
    expect(c.accounts[0]!.filed.prePetitionCents).toBe(15000);
    expect((await staysOf(rt.db, [ada.account.id], rt.clock.today())).get(ada.account.id)!.prePetitionCents).toBe(pre);
    // A payment after the petition is applied as usual; the held amount does not change.
    await payments.postCounterPayment(rt.db, csr, rt.clock, { accountId: ada.account.id, amountCents: 5000, method: 'cash' });
    expect(await balance(ada.account.id)).toBe(15000 + 15000 + 7500 - 5000);
    expect((await staysOf(rt.db, [ada.account.id], rt.clock.today())).get(ada.account.id)!.prePetitionCents).toBe(pre);
  });

  it('ends the stay on a dismissal: nothing written off, the alert ended', async () => {
    const benBalance = await balance(ben.account.id);
    expect((await staysOf(rt.db, [ben.account.id], rt.clock.today())).has(ben.account.id)).toBe(true);
    const d = await bankruptcy.endCase(rt.db, csr, rt.clock, benCaseId, 'dismissed', { on: rt.clock.today(), reason: 'Court dismissed the case: plan payments not made' });
    expect(d).toMatchObject({ status: 'dismissed', closedOn: rt.clock.today() });
    expect(await staysOf(rt.db, [ben.account.id], rt.clock.today())).toEqual(new Map());
    expect(await balance(ben.account.id)).toBe(benBalance);
    expect((await alertsOf(ben.account.id, 'bankruptcy')).filter((a) => a.active)).toEqual([]);
    await expect(bankruptcy.dischargeCase(rt.db, supervisor, rt.clock, benCaseId, { reason: 'x' })).rejects.toThrow(/was dismissed on .*: it cannot be discharged/);
  });

  it('writes off exactly the pre-petition cents at discharge, once', async () => {
    const pre = 15000 + spanningShare;
    const owed = await balance(ada.account.id);
    await expect(bankruptcy.dischargeCase(rt.db, csr, rt.clock, caseId, { reason: 'Discharge order' })).rejects.toThrow(/needs a supervisor/);
    const d = await bankruptcy.dischargeCase(rt.db, supervisor, rt.clock, caseId, { on: addDays(rt.clock.today(), -1), reason: 'Order of discharge entered' });
    expect(d).toMatchObject({ status: 'discharged', closedOn: addDays(rt.clock.today(), -1) });
    expect(d.accounts[0]).toMatchObject({ dischargedCents: pre, split: null });
    expect(await balance(ada.account.id)).toBe(owed - pre);
    const entries = await ledger.entriesOf(rt.db, { accountId: ada.account.id, after: 0, limit: 100 });
    const writeoffs = entries.filter((e) => e.kind === 'writeoff');
    expect(writeoffs).toHaveLength(1);
    expect(writeoffs[0]).toMatchObject({ amountCents: -pre, reasonCode: 'BANKRUPTCY_DISCHARGE', entryDate: addDays(rt.clock.today(), -1), id: d.accounts[0]!.writeoffEntryId });
    await expect(bankruptcy.dischargeCase(rt.db, supervisor, rt.clock, caseId, { reason: 'Again' })).rejects.toThrow(/was discharged on/);
    expect(await staysOf(rt.db, [ada.account.id], rt.clock.today())).toEqual(new Map());
    expect((await alertsOf(ada.account.id, 'bankruptcy')).filter((a) => a.active)).toEqual([]);
    const trail = await auditTrail(rt.db, { accountId: ada.account.id, entityType: 'bankruptcy_case', limit: 20 });
    expect(trail.items.map((e) => e.action)).toEqual(['discharge', 'open']);
    expect(trail.items[0]!.reason).toBe('Order of discharge entered');
  });
});

describe('a deceased customer', () => {
  let caseId: number;
  let firstClaim: number;

  it('opens the deceased workflow from an ACH R15 return, with the date of death the bank gave', async () => {
    const trace = '091000010000777';
    const { paymentIds } = await payments.postBatch(rt.db, system, rt.clock, { channel: 'ach', method: 'ach', day: rt.clock.today(), note: 'Autopay debits', items: [{ accountId: dora.account.id, amountCents: 7500, reference: trace }] });
    const owedBefore = await balance(dora.account.id);
    const file = achReturnFile({
      createdOn: rt.clock.today(), effectiveDate: rt.clock.today(),
      returns: [{ originalTrace: trace, routingNumber: '091000019', accountNumber: '4455667788', amountCents: 7500, individualId: dora.account.accountNumber, individualName: 'DORA ESTATE', reasonCode: 'R15', dateOfDeath: '2026-10-20' }],
    });
    const r = await paymentImports.importFile(rt.db, system, rt.clock, 'ach-returns', 'returns-r15.ach', new TextEncoder().encode(file));
    expect(r).toMatchObject({ records: 1, posted: 1 });
    const fee = (await payments.applicationSettings(rt.db)).returnedPaymentFeeCents;
    expect(await balance(dora.account.id)).toBe(owedBefore + 7500 + fee);
    const cases = await deceased.casesOfAccount(rt.db, rt.clock, dora.account.id);
    expect(cases).toHaveLength(1);
    caseId = cases[0]!.id;
    expect(cases[0]).toMatchObject({ status: 'open', source: 'ach_r15', dateOfDeath: '2026-10-20', notifiedOn: rt.clock.today(), paymentId: paymentIds[0] });
    const alerts = (await alertsOf(dora.account.id, 'deceased')).filter((a) => a.active);
    expect(alerts).toHaveLength(1);
    expect(alerts[0]!.note).toContain('ACH return R15');
    expect(cases[0]!.accounts[0]).toMatchObject({ accountId: dora.account.id, alertId: alerts[0]!.id });
    // Staff then hear of it too: the case exists already.
    await expect(deceased.notify(rt.db, csr, rt.clock, { customerId: dora.customer.id, notifiedBy: 'Her son', reason: 'Phone call' })).rejects.toThrow(`has deceased case ${caseId} (open) already`);
  });

  it('records the estate: claims are due four months after the first publication, month end clamped', async () => {
    await expect(deceased.recordEstate(rt.db, csr, rt.clock, caseId, { firstPublicationOn: '2026-10-19' }, 'Notice')).rejects.toThrow(/before the date of death/);
    const c = await deceased.recordEstate(rt.db, csr, rt.clock, caseId, {
      representativeName: 'Evan Estate', representativeAddress: '15 Probate Road, Wenatchee WA 98801', representativePhone: '509-555-0199', probateCourt: 'Chelan County Superior Court',
      probateCaseNumber: '26-4-00321-04', firstPublicationOn: '2026-10-31', estateAttorney: 'Pat Probate',
    }, 'Probate notice received from the estate attorney');
    expect(c.estate).toMatchObject({ representativeName: 'Evan Estate', firstPublicationOn: '2026-10-31', claimDeadline: '2027-02-28' });
    const claim = await deceased.createClaim(rt.db, csr, rt.clock, caseId, { reason: 'Claim for the unpaid service' });
    firstClaim = claim.id;
    expect(claim).toMatchObject({ status: 'draft', amountCents: await balance(dora.account.id), deadline: '2027-02-28', dueSoon: false });
    expect((await deceased.getCase(rt.db, rt.clock, caseId)).status).toBe('estate_claim');
  });

  it('transfers the service to a survivor through move-out and move-in orders; the balance stays with the estate', async () => {
    const owed = await balance(dora.account.id);
    const lastDay = addDays(rt.clock.today(), -1);
    const c = await deceased.transferService(rt.db, csr, rt.clock, caseId, { survivor: { firstName: 'Sam', lastName: 'Survivor', phone: '509-555-0142' }, lastDay, reason: 'Her son keeps the service at the house' });
    expect(c.status).toBe('transferred');
    const t = c.transfers[0]!;
    expect(t).toMatchObject({ fromAccountId: dora.account.id, survivorName: 'Sam Survivor', lastDay });
    expect(t.orders.map((o) => [o.type, o.status, o.effectiveDate, o.accountId])).toEqual([['move_out', 'created', lastDay, dora.account.id], ['move_in', 'created', rt.clock.today(), t.survivorAccountId]]);
    expect(await customers.getAccount(rt.db, t.survivorAccountId)).toMatchObject({ status: 'pending', billingCycle: 4 });
    // The field completes them (fiber: no read).
    for (const o of t.orders) expect((await completeOrder(rt.db, system, o.id, {})).held).toBe(false);
    expect(await customers.getAccount(rt.db, t.survivorAccountId)).toMatchObject({ status: 'active' });
    expect(await customers.getAccount(rt.db, dora.account.id)).toMatchObject({ status: 'final' });
    const survivorService = await premises.servicesOfAccount(rt.db, t.survivorAccountId);
    expect(survivorService.map((s) => [s.servicePoint.id, s.agreement.startDate, s.agreement.rateCode])).toEqual([[dora.agreement.servicePointId, rt.clock.today(), 'FIB-100']]);
    expect(await balance(t.survivorAccountId)).toBe(0);
    expect(await balance(dora.account.id)).toBe(owed);
    // The estate's final bill goes on the estate account.
    const final = await billing.finalBill(rt.db, system, rt.clock, tz, dora.agreement.id);
    expect(final).toMatchObject({ status: 'posted', accountId: dora.account.id });
    expect(await balance(dora.account.id)).toBe(owed + final.totalCents);
  });

  it('lists a claim due within 14 days, files it in time, and refuses a claim filed after the deadline', async () => {
    moveTo('2027-02-13');
    expect((await deceased.listClaims(rt.db, rt.clock, { due: 'soon', after: 0, limit: 50 })).items).toEqual([]);
    moveTo('2027-02-20');
    const due = await deceased.listClaims(rt.db, rt.clock, { due: 'soon', after: 0, limit: 50 });
    expect(due.items.map((k) => [k.id, k.deadline, k.dueSoon])).toEqual([[firstClaim, '2027-02-28', true]]);
    expect(await deceased.fileClaim(rt.db, csr, rt.clock, firstClaim, { reason: 'Presented to the personal representative' })).toMatchObject({ status: 'filed', filedOn: '2027-02-20' });
    expect((await deceased.listClaims(rt.db, rt.clock, { due: 'soon', after: 0, limit: 50 })).items).toEqual([]);
    const final = (await billing.billsOfAccount(rt.db, dora.account.id)).find((b) => b.final)!;
    const late = await deceased.createClaim(rt.db, csr, rt.clock, caseId, { amountCents: final.totalCents, note: 'The final bill', reason: 'Claim for the final bill' });
    moveTo('2027-03-01');
    await expect(deceased.fileClaim(rt.db, csr, rt.clock, late.id, { reason: 'Presented late' })).rejects.toThrow(`Claim ${late.id} against the estate of Dora Estate cannot be filed on 2027-03-01: the deadline to present a claim was 2027-02-28 (4 months after the probate notice was first published on 2026-10-31; RCW 11.40.051)`);
    expect(await deceased.fileClaim(rt.db, csr, rt.clock, late.id, { filedOn: '2027-02-28', reason: 'It was presented on the last day; recorded late' })).toMatchObject({ status: 'filed' });
    // The estate allows the first and pays it.
    await deceased.stepClaim(rt.db, csr, rt.clock, firstClaim, { outcome: 'allowed', reason: 'Personal representative allowed the claim' });
    await expect(deceased.stepClaim(rt.db, csr, rt.clock, firstClaim, { outcome: 'written_off', reason: 'x' })).rejects.toThrow(/needs a supervisor/);
    expect(await deceased.stepClaim(rt.db, csr, rt.clock, firstClaim, { outcome: 'paid', reason: 'Estate check received' })).toMatchObject({ status: 'paid', settledOn: '2027-03-01' });
  });
});
