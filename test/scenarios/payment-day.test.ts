/**
 * One business day of payments, end to end (issue 5's scenario): counter cash and a check, a
 * lockbox file, a card settlement file (with a decline), an online bill-pay file with one item
 * matched by hand, the autopay debits, a wire on the bank's BAI2 report; the drawer closed; the
 * deposit made, then corrected when the bank counts the cash short; the bank's report reconciled;
 * a returned check (X9.37) and an ACH R01 return reversed with their fees. At the end the ledger,
 * the batches, the deposit summary and the reconciliation agree to the cent.
 */
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadDemo } from '../../src/demo/index.ts';
import { ledger } from '../../src/ledger/index.ts';
import { centsToDecimal } from '../../src/platform/money.ts';
import { systemActor, type Actor } from '../../src/platform/actor.ts';
import { autopay, deposits, paymentImports, payments, returns } from '../../src/payment/index.ts';
import { createUser } from '../../src/staff/index.ts';
import { achReturnFile, bai2Report, x937ReturnFile } from '../support/bank-files.ts';
import { createTestRuntime, type TestRuntime } from '../support/runtime.ts';

let rt: TestRuntime;
let clerk: Actor;
let sup: Actor;
let acct: { id: number; number: string; balance: number; name: string; line1: string }[];
/** The day after the demo district's history ends: its own batches are all of earlier days. */
const today = '2026-11-27';
const enc = (s: string) => new TextEncoder().encode(s);
const balance = (id: number) => ledger.balanceOf(rt.db, id);

beforeAll(async () => {
  rt = await createTestRuntime();
  await loadDemo(rt, { accounts: 40, seed: 21, readMonths: 3, billMonths: 2 });
  rt.clock.advanceDays(1);
  expect(rt.clock.today()).toBe(today);
  const actor = systemActor('test');
  const c = await createUser(rt.db, actor, { username: 'clerk', displayName: 'Counter Clerk', role: 'csr1', password: 'a long enough password' });
  const s = await createUser(rt.db, actor, { username: 'sup', displayName: 'Sue Pervisor', role: 'supervisor', password: 'a long enough password' });
  clerk = { userId: c.id, username: 'clerk', role: 'csr1' };
  sup = { userId: s.id, username: 'sup', role: 'supervisor' };
  const { rows } = await sql<{ id: number; account_number: string; balance: string; display_name: string; billing_line1: string }>`
    select a.id, a.account_number, sum(l.amount_cents)::text as balance, c.display_name, a.billing_line1
      from accounts a join customers c on c.id = a.customer_id join ledger_entries l on l.account_id = a.id
     group by a.id, c.display_name having sum(l.amount_cents) > 5000 order by a.id`.execute(rt.db);
  acct = rows.map((r) => ({ id: Number(r.id), number: r.account_number, balance: Number(r.balance), name: r.display_name, line1: r.billing_line1 }));
  expect(acct.length).toBeGreaterThanOrEqual(14);
}, 180_000);
afterAll(async () => rt?.close());

describe('a business day of payments', () => {
  const ids: Record<string, number> = {};
  let drawerId: number;
  let depositId: number;
  const batchTotals: Record<string, number> = {};
  let achDay: string;
  /** The days to reconcile: today's and the autopay debits' (their due date, before or after today). */
  const span = () => [achDay, today].sort() as [string, string];

  it('takes counter cash and a check into the clerk\'s drawer', async () => {
    const cash1 = await payments.postCounterPayment(rt.db, clerk, rt.clock, { accountId: acct[0]!.id, amountCents: 5000, method: 'cash' });
    const cash2 = await payments.postCounterPayment(rt.db, clerk, rt.clock, { accountId: acct[1]!.id, amountCents: acct[1]!.balance, method: 'cash' });
    const check = await payments.postCounterPayment(rt.db, clerk, rt.clock, { accountId: acct[2]!.id, amountCents: 6543, method: 'check', reference: '2207', payerRouting: '091000019' });
    Object.assign(ids, { cash1: cash1.payment.id, cash2: cash2.payment.id, check: check.payment.id });
    drawerId = check.payment.batchId;
    expect(cash2.balanceCents).toBe(0);
    expect(new Set([cash1.payment.batchId, cash2.payment.batchId, check.payment.batchId])).toEqual(new Set([drawerId]));
  });

  it('posts the lockbox, card and online bill-pay files; the OBI item with a wrong account waits, then staff match it', async () => {
    const lockbox = [
      'Deposit Date,Batch,Item Sequence,Account Number,Remitter Name,Check Number,Payment Type,Payment Amount',
      `11/27/2026,1,L1,${acct[3]!.number},R ONE,501,Check,${centsToDecimal(acct[3]!.balance)}`,
      `11/27/2026,1,L2,${acct[4]!.number},R TWO,502,Check,25.00`,
      `TOTAL,,2,,,,,${centsToDecimal(acct[3]!.balance + 2500)}`,
    ].join('\r\n');
    const lb = await paymentImports.importFile(rt.db, clerk, rt.clock, 'lockbox-csv', 'lockbox.csv', enc(lockbox));
    expect(lb).toMatchObject({ records: 2, posted: 2, unmatched: 0 });
    batchTotals.lockbox = lb.totalCents;

    const card = [
      'Transaction ID,Settlement Date,Customer Account,Cardholder Name,Card Type,Channel,Transaction Status,Amount,Fee',
      `T1,${today},${acct[5]!.number},C FIVE,Visa,Web,Settled Successfully,40.00,1.95`,
      `T2,${today},${acct[6]!.number},C SIX,Mastercard,IVR,Settled Successfully,31.15,1.95`,
      `T3,${today},${acct[7]!.number},C SEVEN,Visa,Web,Declined,99.00,0.00`,
    ].join('\n');
    const cd = await paymentImports.importFile(rt.db, clerk, rt.clock, 'card', 'card.csv', enc(card));
    expect(cd).toMatchObject({ records: 2, posted: 2, totalCents: 7115 });
    batchTotals.card = cd.totalCents;

    const obiRow = (acctRef: string, name: string, line1: string, amount: string, trace: string) => [acctRef, `"${name}"`, `"${line1}"`, '', 'WENATCHEE', 'WA', '98801', amount, '11/27/2026', trace].join(',');
    const obi = [
      'Payee Account Number,Payer Name,Payer Address 1,Payer Address 2,Payer City,Payer State,Payer ZIP,Payment Amount,Payment Date,Trace Number',
      obiRow(acct[8]!.number, acct[8]!.name, acct[8]!.line1, '20.00', 'OBI1'),
      obiRow('55-0000', 'Someone Else', '9 Unknown Rd', '33.00', 'OBI2'),
    ].join('\n');
    const ob = await paymentImports.importFile(rt.db, clerk, rt.clock, 'obi', 'obi.csv', enc(obi));
    expect(ob).toMatchObject({ records: 2, posted: 1, unmatched: 1 });
    batchTotals.obi = ob.totalCents;
    const waiting = (await payments.suspenseQueue(rt.db, { after: 0, limit: 20 })).items.find((p) => p.reference === 'OBI2')!;
    await payments.applySuspense(rt.db, clerk, rt.clock, waiting.id, acct[9]!.id, 'Customer called: paid from her bank with an old account number');
    const report = await payments.channelReport(rt.db, 'obi', today, today);
    expect(report).toMatchObject({ received: { count: 2, totalCents: 5300 }, matched: { count: 1 }, matchedByStaff: { count: 1 }, unmatched: { count: 0 } });
  });

  it('debits the autopay accounts on their due date', async () => {
    const a = acct[10]!;
    await autopay.enrol(rt.db, sup, rt.clock, { accountId: a.id, routingNumber: '091000019', bankAccountNumber: '7788990', bankAccountType: 'checking', holderName: a.name });
    await autopay.achFileFor(rt.db, sup, rt.clock, '2026-10-01'); // the prenote
    const { rows } = await sql<{ due: string }>`select max(due_date)::text as due from bills where account_id = ${a.id} and status = 'posted'`.execute(rt.db);
    const file = await autopay.achFileFor(rt.db, sup, rt.clock, rows[0]!.due);
    expect(file.debits).toBeGreaterThanOrEqual(1);
    const debit = (await payments.paymentsOfAccount(rt.db, a.id)).find((p) => p.method === 'ach')!;
    ids.ach = debit.id;
    batchTotals.ach = file.totalCents;
    achDay = rows[0]!.due;
    // The bank credits the debits on their effective date: its report of that day.
    const report = bai2Report({ asOfDate: achDay, bankAccount: '1234567890', credits: [{ typeCode: '169', amountCents: file.totalCents, bankReference: 'ACH' }] });
    expect(await paymentImports.importFile(rt.db, clerk, rt.clock, 'bai2', `bank-${achDay}.bai`, enc(report))).toMatchObject({ records: 1, posted: 0 });
    expect(await balance(a.id)).toBe(0);
  });

  it('closes the drawer once it balances and makes the deposit', async () => {
    const held = await payments.batchDetail(rt.db, drawerId);
    expect(held.totalCents).toBe(5000 + acct[1]!.balance + 6543);
    await expect(payments.closeBatch(rt.db, clerk, rt.clock, drawerId, { count: 3, totalCents: held.totalCents - 100 })).rejects.toThrow(/does not balance/);
    await payments.closeBatch(rt.db, clerk, rt.clock, drawerId, { count: 3, totalCents: held.totalCents });
    const d = await deposits.makeDeposit(rt.db, clerk, rt.clock, today);
    depositId = d.id;
    expect(d).toMatchObject({ cashCents: 5000 + acct[1]!.balance, checkCents: 6543, itemCount: 3 });
  });

  it('corrects the deposit when the bank counts the first cash payment as $45.00, not $50.00', async () => {
    const c = await payments.correctPayment(rt.db, sup, rt.clock, ids.cash1!, { amountCents: 4500 }, 'Bank deposit correction: cash counted $5.00 short');
    expect(c.corrected).toMatchObject({ amountCents: 4500, accountId: acct[0]!.id });
    expect(await balance(acct[0]!.id)).toBe(acct[0]!.balance - 4500);
    const d = await deposits.getDeposit(rt.db, depositId);
    expect(d.correctionCents).toBe(-500);
  });

  it("takes the bank's BAI2 report: the wire posts; every credit we expected is matched", async () => {
    const d = await deposits.getDeposit(rt.db, depositId);
    const wire = 12000;
    const report = bai2Report({ asOfDate: today, bankAccount: '1234567890', credits: [
      { typeCode: '301', amountCents: d.correctedTotalCents, bankReference: 'DEP' },
      { typeCode: '115', amountCents: batchTotals.lockbox!, bankReference: 'LBX' },
      { typeCode: '169', amountCents: batchTotals.card!, bankReference: 'CARD' },
      { typeCode: '169', amountCents: batchTotals.obi!, bankReference: 'OBI' },
      { typeCode: '195', amountCents: wire, bankReference: 'FW77', text: `INCOMING WIRE ORIG ACME FARMS FOR ACCT ${acct[11]!.number}` },
    ] });
    const r = await paymentImports.importFile(rt.db, clerk, rt.clock, 'bai2', 'bank-1126.bai', enc(report));
    expect(r).toMatchObject({ records: 5, posted: 1, unmatched: 0, totalCents: wire });
    expect(await balance(acct[11]!.id)).toBe(acct[11]!.balance - wire);
    const rec = await deposits.reconcile(rt.db, ...span());
    expect(rec.missing).toEqual([]);
    expect(rec.unexpected).toEqual([]);
    expect(rec.matched.map((m) => m.expected.channel).sort()).toEqual(['ach', 'card', 'deposit', 'lockbox', 'obi']);
  });

  it('reverses a returned check (X9.37) and an ACH R01 with their fees', async () => {
    const fee = (await payments.applicationSettings(rt.db)).returnedPaymentFeeCents;
    const checkBefore = await balance(acct[2]!.id);
    const x = await paymentImports.importFile(rt.db, clerk, rt.clock, 'x937-returns', 'returns.icl',
      x937ReturnFile({ businessDate: '2026-11-30', returns: [{ payorRouting: '091000019', onUs: '44401234/2207', amountCents: 6543, reasonCode: 'A', sequence: '9' }] }));
    expect(x).toMatchObject({ records: 1, posted: 1 });
    expect(await balance(acct[2]!.id)).toBe(checkBefore + 6543 + fee);

    const ach = await payments.getPayment(rt.db, ids.ach!);
    const achBefore = await balance(acct[10]!.id);
    const r = await paymentImports.importFile(rt.db, clerk, rt.clock, 'ach-returns', 'returns.ach', enc(achReturnFile({
      createdOn: '2026-11-30', effectiveDate: '2026-11-30',
      returns: [{ originalTrace: ach.reference!, routingNumber: '091000019', accountNumber: '7788990', amountCents: ach.amountCents, individualId: acct[10]!.number, individualName: 'PAYER', reasonCode: 'R01' }],
    })));
    expect(r).toMatchObject({ records: 1, posted: 1 });
    expect(await balance(acct[10]!.id)).toBe(achBefore + ach.amountCents + fee);
    const queue = await returns.returnsQueue(rt.db, { status: 'open' });
    expect(queue.map((q) => [q.source, q.reasonCode]).sort()).toEqual([['ach', 'R01'], ['x937', 'A']]);
  });

  it('the ledger, the batches, the deposit summary and the reconciliation agree to the cent', async () => {
    // Every payment on an account has its credits on the ledger; every reversal nets one off.
    const { rows } = await sql<{ payments: string; ledger: string; reversed: string; reversals: string }>`
      select (select coalesce(sum(amount_cents), 0) from payments where status = 'posted')::text as payments,
             (select coalesce(-sum(amount_cents), 0) from ledger_entries where payment_id is not null and kind in ('payment', 'reversal'))::text as ledger,
             (select coalesce(sum(amount_cents), 0) from payments where status = 'reversed')::text as reversed,
             (select coalesce(sum(amount_cents), 0) from ledger_entries where kind = 'reversal' and payment_id is not null)::text as reversals`.execute(rt.db);
    expect(rows[0]!.ledger).toBe(rows[0]!.payments);
    expect(rows[0]!.reversals).toBe(rows[0]!.reversed);
    // The deposit summary's channels are the batches' totals (the drawer after its correction).
    const summary = await deposits.depositSummary(rt.db, today, today);
    const byChannel = (ch: string) => summary.filter((s) => s.channel === ch).reduce((a, s) => a + s.totalCents, 0);
    expect(byChannel('counter')).toBe((await payments.batchDetail(rt.db, drawerId)).totalCents);
    expect(byChannel('lockbox')).toBe(batchTotals.lockbox);
    expect(byChannel('card')).toBe(batchTotals.card);
    expect(byChannel('obi')).toBe(batchTotals.obi);
    expect(byChannel('wire')).toBe(12000);
    // Reconciled: what we expected the bank to credit equals what it credited (the wire is a payment itself).
    const rec = await deposits.reconcile(rt.db, ...span());
    expect(rec.totals.matchedCents).toBe(rec.totals.expectedCents);
    expect(rec.totals.bankCents).toBe(rec.totals.expectedCents);
  });
});
