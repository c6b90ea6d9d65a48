/**
 * Payments against a real database (embedded, or a server with DATABASE_URL): the counter and its
 * cash drawer, application to what an account owes, batches that must balance, imports (kept,
 * idempotent, refused whole when malformed), suspense, corrections, returns and their
 * consequences, autopay, the deposit and the ledger agreeing to the cent.
 */
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { customers } from '../src/customer/index.ts';
import { loadDemo } from '../src/demo/index.ts';
import { ledger } from '../src/ledger/index.ts';
import { centsToDecimal } from '../src/platform/money.ts';
import type { Actor } from '../src/platform/actor.ts';
import { systemActor } from '../src/platform/actor.ts';
import { autopay, deposits, paymentImports, payments, returns } from '../src/payment/index.ts';
import { createUser } from '../src/staff/index.ts';
import { createTestRuntime, type TestRuntime } from './support/runtime.ts';

let rt: TestRuntime;
let clerk: Actor;
/** Accounts of the demo district with a positive balance, and their numbers. */
let owing: { id: number; number: string; balance: number; name: string; line1: string }[];
const enc = (s: string) => new TextEncoder().encode(s);

beforeAll(async () => {
  rt = await createTestRuntime();
  await loadDemo(rt, { accounts: 40, seed: 5, readMonths: 3, billMonths: 2 });
  const user = await createUser(rt.db, systemActor('test'), { username: 'clerk', displayName: 'Counter Clerk', role: 'csr1', password: 'correct horse battery staple 1' });
  clerk = { userId: user.id, username: 'clerk', role: 'csr1' };
  const { rows } = await sql<{ id: number; account_number: string; balance: string; display_name: string; billing_line1: string }>`
    select a.id, a.account_number, sum(l.amount_cents)::text as balance, c.display_name, a.billing_line1
      from accounts a join customers c on c.id = a.customer_id join ledger_entries l on l.account_id = a.id
     group by a.id, c.display_name having sum(l.amount_cents) > 0 order by a.id`.execute(rt.db);
  owing = rows.map((r) => ({ id: Number(r.id), number: r.account_number, balance: Number(r.balance), name: r.display_name, line1: r.billing_line1 }));
  expect(owing.length).toBeGreaterThan(12);
}, 180_000);
afterAll(async () => rt?.close());

describe('the counter', () => {
  it('posts a payment into the clerk\'s drawer, applied to the oldest charges, once per idempotency key', async () => {
    const a = owing[0]!;
    const before = await ledger.balanceOf(rt.db, a.id);
    const first = await payments.postCounterPayment(rt.db, clerk, rt.clock, { accountId: a.id, amountCents: 2500, method: 'cash', idempotencyKey: 'counter-test-1' });
    expect(first.replayed).toBe(false);
    expect(first.shares.reduce((s, x) => s + x.amountCents, 0)).toBe(2500);
    expect(first.balanceCents).toBe(before - 2500);
    const again = await payments.postCounterPayment(rt.db, clerk, rt.clock, { accountId: a.id, amountCents: 2500, method: 'cash', idempotencyKey: 'counter-test-1' });
    expect(again).toMatchObject({ replayed: true, payment: { id: first.payment.id }, balanceCents: before - 2500 });
    await expect(payments.postCounterPayment(rt.db, clerk, rt.clock, { accountId: a.id, amountCents: 2600, method: 'cash', idempotencyKey: 'counter-test-1' })).rejects.toThrow(/different payment/);
    const drawer = await payments.drawer(rt.db, clerk, rt.clock);
    expect(first.payment.batchId).toBe(drawer.id);
  });

  it('keeps an overpayment as a credit and refuses a batch that does not balance, naming the difference', async () => {
    const a = owing[1]!;
    const r = await payments.postCounterPayment(rt.db, clerk, rt.clock, { accountId: a.id, amountCents: a.balance + 1000, method: 'check', reference: '1042', payerRouting: '091000019', payerAccount: '55501234' });
    expect(r.shares.at(-1)).toEqual({ service: null, amountCents: 1000 });
    expect(r.balanceCents).toBe(-1000);
    const drawer = await payments.batchDetail(rt.db, r.payment.batchId);
    await expect(payments.closeBatch(rt.db, clerk, rt.clock, drawer.id, { count: drawer.count, totalCents: drawer.totalCents + 100 })).rejects.toThrow(/does not balance.*difference \$1\.00/);
  });
});

describe('imports', () => {
  const lockboxCsv = () => {
    const rows = [
      { account: owing[2]!.number, cents: owing[2]!.balance, check: '2001', name: 'A PAYER' },
      { account: owing[3]!.number, cents: 1000, check: '2002', name: 'B PAYER' },
      { account: '123456789', cents: 4200, check: '2003', name: 'NOBODY' },
    ];
    const total = rows.reduce((a, r) => a + r.cents, 0);
    return [
      'Deposit Date,Batch,Item Sequence,Account Number,Remitter Name,Check Number,Payment Type,Payment Amount',
      ...rows.map((r, i) => `11/26/2026,1,261126-000${i + 1},${r.account},${r.name},${r.check},Check,${centsToDecimal(r.cents)}`),
      `TOTAL,,${rows.length},,,,,${centsToDecimal(total)}`,
    ].join('\r\n');
  };

  it('posts a lockbox file once, keeps it, and puts an unknown account in suspense', async () => {
    const layout = await paymentImports.layoutOf(rt.db, 'lockbox-csv');
    expect(layout).toBeDefined();
    const text = lockboxCsv();
    const r = await paymentImports.importFile(rt.db, clerk, rt.clock, 'lockbox-csv', 'lockbox-1126.csv', enc(text));
    expect(r).toMatchObject({ records: 3, posted: 2, unmatched: 1, rejected: 0, totalCents: owing[2]!.balance + 1000 + 4200, duplicate: false });
    expect(await ledger.balanceOf(rt.db, owing[2]!.id)).toBe(0);
    const twice = await paymentImports.importFile(rt.db, clerk, rt.clock, 'lockbox-csv', 'lockbox-1126-again.csv', enc(text));
    expect(twice).toMatchObject({ importId: r.importId, duplicate: true, posted: 2 });
    expect(await ledger.balanceOf(rt.db, owing[2]!.id)).toBe(0);
    const kept = await paymentImports.originalFile(rt.db, r.importId);
    expect(Buffer.from(kept.bytes).toString('utf8')).toBe(text);
    // The suspense item, matched by hand.
    const queue = await payments.suspenseQueue(rt.db, { after: 0, limit: 50 });
    const item = queue.items.find((p) => p.accountRef === '123456789')!;
    expect(item).toMatchObject({ amountCents: 4200, status: 'suspense' });
    const applied = await payments.applySuspense(rt.db, clerk, rt.clock, item.id, owing[4]!.id, 'Customer called: the stub was another account');
    expect(applied.payment).toMatchObject({ status: 'posted', accountId: owing[4]!.id });
  });

  it('refuses a malformed file whole, naming the record, and posts nothing', async () => {
    const bad = lockboxCsv().replace('10.00', 'ten dollars');
    const before = (await sql<{ n: number }>`select count(*)::int as n from payments`.execute(rt.db)).rows[0]!.n;
    await expect(paymentImports.importFile(rt.db, clerk, rt.clock, 'lockbox-csv', 'bad.csv', enc(bad))).rejects.toThrow(/refused, nothing was posted: record 3: amount "ten dollars"/);
    expect((await sql<{ n: number }>`select count(*)::int as n from payments`.execute(rt.db)).rows[0]!.n).toBe(before);
    expect((await sql<{ n: number }>`select count(*)::int as n from payment_imports where file_name = 'bad.csv'`.execute(rt.db)).rows[0]!.n).toBe(0);
  });

  it('matches an online bill-pay payment with a wrong account number by name and street', async () => {
    const a = owing[5]!;
    const layout = await paymentImports.layoutOf(rt.db, 'obi');
    const cols = (layout as unknown as { columns: Record<string, string | string[]> }).columns;
    expect(cols.payerAddress).toEqual(['Payer Address 1', 'Payer Address 2', 'Payer City', 'Payer State', 'Payer ZIP']);
    const header = 'Payee Account Number,Payer Name,Payer Address 1,Payer Address 2,Payer City,Payer State,Payer ZIP,Payment Amount,Payment Date,Trace Number';
    const row = (acct: string, amt: string, ref: string, name: string, line1: string) => [acct, `"${name}"`, `"${line1}"`, '', 'WENATCHEE', 'WA', '98801', amt, '11/26/2026', ref].join(',');
    const text = [header, row('99999', '15.00', 'OBI-1', a.name.toUpperCase(), a.line1.toUpperCase()), row('00000', '7.00', 'OBI-2', 'Nobody Known', '1 Nowhere Rd')].join('\n');
    const r = await paymentImports.importFile(rt.db, clerk, rt.clock, 'obi', 'obi-1126.csv', enc(text));
    expect(r).toMatchObject({ records: 2, posted: 1, unmatched: 1 });
    const posted = (await payments.paymentsOfAccount(rt.db, a.id)).find((p) => p.reference === 'OBI-1');
    expect(posted).toMatchObject({ amountCents: 1500, method: 'obi', status: 'posted' });
  });
});

describe('corrections and returns', () => {
  it('moves a misapplied payment to the right account with a reason; the first stays, reversed', async () => {
    const [from, to] = [owing[6]!, owing[7]!];
    const p = await payments.postCounterPayment(rt.db, clerk, rt.clock, { accountId: from.id, amountCents: 3000, method: 'cash' });
    const c = await payments.correctPayment(rt.db, clerk, rt.clock, p.payment.id, { accountId: to.id }, 'Keyed to the neighbour\'s account');
    expect(c.reversed).toMatchObject({ id: p.payment.id, status: 'reversed' });
    expect(c.corrected).toMatchObject({ accountId: to.id, amountCents: 3000, correctsPaymentId: p.payment.id });
    expect(await ledger.balanceOf(rt.db, from.id)).toBe(from.balance);
    expect(await ledger.balanceOf(rt.db, to.id)).toBe(to.balance - 3000);
    // The drawer still holds 30.00 once, not twice.
    const batch = await payments.batchDetail(rt.db, p.payment.batchId);
    expect(batch.payments.filter((x) => x.id === p.payment.id || x.correctsPaymentId === p.payment.id)).toHaveLength(2);
  });

  it('a returned check reverses the payment and charges the fee; two returns in 12 months make the account cash-only', async () => {
    const a = owing[8]!;
    const fee = (await payments.applicationSettings(rt.db)).returnedPaymentFeeCents;
    for (const [i, check] of ['3001', '3002'].entries()) {
      const p = await payments.postCounterPayment(rt.db, clerk, rt.clock, { accountId: a.id, amountCents: 1000, method: 'check', reference: check });
      const out = await returns.returnPayment(rt.db, clerk, rt.clock, p.payment.id, { source: 'keyed', reasonCode: 'NSF', returnedOn: rt.clock.today() });
      expect(out).toMatchObject({ feeCents: fee, cashOnly: i === 1 });
      await expect(returns.returnPayment(rt.db, clerk, rt.clock, p.payment.id, { source: 'keyed', reasonCode: 'NSF', returnedOn: rt.clock.today() })).rejects.toThrow(/already returned/);
    }
    expect(await ledger.balanceOf(rt.db, a.id)).toBe(a.balance + 2 * fee);
    await expect(payments.postCounterPayment(rt.db, clerk, rt.clock, { accountId: a.id, amountCents: 1000, method: 'check', reference: '3003' })).rejects.toThrow(/cash-only/);
    const queue = await returns.returnsQueue(rt.db, { status: 'open' });
    expect(queue.filter((r) => r.accountId === a.id)).toHaveLength(2);
  });
});

describe('autopay', () => {
  it('refuses a routing number with a wrong check digit, sends a prenote, then debits what is due', async () => {
    const a = owing[9]!;
    await expect(autopay.enrol(rt.db, clerk, rt.clock, { accountId: a.id, routingNumber: '091000018', bankAccountNumber: '12345678', bankAccountType: 'checking', holderName: a.name })).rejects.toThrow(/check digit/);
    const e = await autopay.enrol(rt.db, clerk, rt.clock, { accountId: a.id, routingNumber: '091000019', bankAccountNumber: '12345678', bankAccountType: 'checking', holderName: a.name });
    expect(e).toMatchObject({ status: 'prenote', bankAccountLast4: '5678' });
    // A due date with bills on it.
    const { rows } = await sql<{ due: string }>`select due_date::text as due from bills where account_id = ${a.id} and status = 'posted' order by due_date desc limit 1`.execute(rt.db);
    const due = rows[0]!.due;
    const first = await autopay.achFileFor(rt.db, clerk, rt.clock, '2026-01-05');
    expect(first).toMatchObject({ prenotes: 1, existing: false });
    const { parseNacha } = await import('../src/payment/formats/nacha.ts');
    expect(parseNacha(first.body).batches[0]!.entries.find((x) => x.prenote)?.dfiAccountNumber).toBe('12345678');
    const file = await autopay.achFileFor(rt.db, clerk, rt.clock, due);
    const parsed = parseNacha(file.body);
    const entry = parsed.batches[0]!.entries.find((x) => x.individualIdNumber === a.number)!;
    expect(entry.amountCents).toBe(await ledger.balanceOf(rt.db, a.id) + entry.amountCents);
    expect(parsed.totals.debitCents).toBe(file.totalCents);
    expect(await autopay.achFileFor(rt.db, clerk, rt.clock, due)).toMatchObject({ existing: true, body: file.body });
  });
});

describe('the deposit', () => {
  it('takes the closed counter batches; the deposit, the batches and the ledger agree to the cent', async () => {
    const drawer = await payments.drawer(rt.db, clerk, rt.clock);
    const held = await payments.batchDetail(rt.db, drawer.id);
    await payments.closeBatch(rt.db, clerk, rt.clock, drawer.id, { count: held.count, totalCents: held.totalCents });
    const d = await deposits.makeDeposit(rt.db, clerk, rt.clock, rt.clock.today());
    expect(d.batchIds).toContain(drawer.id);
    expect(d.totalCents).toBe(held.totalCents);
    expect(d.cashCents + d.checkCents).toBe(held.totalCents);
    const summary = await deposits.depositSummary(rt.db, rt.clock.today(), rt.clock.today());
    const counter = summary.filter((s) => s.channel === 'counter').reduce((a, s) => a + s.totalCents, 0);
    expect(counter).toBe(held.totalCents);
    // Every payment credit on the ledger is a payment's share; reversals net them off.
    const { rows } = await sql<{ ledger: string; payments: string }>`
      select (select coalesce(-sum(amount_cents), 0) from ledger_entries where payment_id is not null and kind in ('payment', 'reversal'))::text as ledger,
             (select coalesce(sum(amount_cents), 0) from payments where status = 'posted')::text as payments`.execute(rt.db);
    expect(Number(rows[0]!.ledger)).toBe(Number(rows[0]!.payments));
    await expect(customers.listAlerts(rt.db, rt.clock, owing[8]!.id)).resolves.toEqual(expect.arrayContaining([expect.objectContaining({ kind: 'cash_only', active: true })]));
  });
});
