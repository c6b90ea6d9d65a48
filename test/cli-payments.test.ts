/**
 * `ratepayer import KIND FILE --json` as a user runs it, in child processes against a fresh
 * database, on the real bank files in ../shared/data (their README gives the facts) and on files
 * a bank would send back for payments the test made: an ACH return (R01), a notification of
 * change, an X9.37 returned check and a BAI2 report with a wire.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { customers } from '../src/customer/index.ts';
import { ledger } from '../src/ledger/index.ts';
import { systemActor } from '../src/platform/actor.ts';
import { autopay, payments, returns } from '../src/payment/index.ts';
import { createUser } from '../src/staff/index.ts';
import { achReturnFile, bai2Report, x937ReturnFile } from './support/bank-files.ts';
import { cliDatabase, ratepayer, repoRoot } from './support/cli.ts';

const data = path.resolve(repoRoot, '../shared/data');
let cli: Awaited<ReturnType<typeof cliDatabase>>;
let env: Record<string, string | undefined>;
let tmp: string;
let account: { id: number; accountNumber: string };
const importJson = (kind: string, file: string) => {
  const r = ratepayer(['import', kind, file, '--json', '--as', 'sup'], env);
  return { status: r.status, stderr: r.stderr, out: r.status === 0 ? JSON.parse(r.stdout) : null };
};

beforeAll(async () => {
  cli = await cliDatabase('rp-cli-payments-');
  ({ env, tmp } = cli);
  const rt = await cli.open();
  try {
    const actor = systemActor('test');
    await createUser(rt.db, actor, { username: 'sup', displayName: 'Sue Pervisor', role: 'supervisor', password: 'a long enough password' });
    const customer = await customers.createCustomer(rt.db, actor, { kind: 'person', firstName: 'Pat', lastName: 'Payer' });
    account = await customers.createAccount(rt.db, actor, rt.clock, { customerId: customer.id, customerClass: 'residential', billingCycle: 2, billingAddress: { line1: '12 Check Lane', city: 'Wenatchee', state: 'WA', postalCode: '98801' } });
    await ledger.adjust(rt.db, actor, rt.clock, { accountId: account.id, amountCents: 20000, reasonCode: 'OTHER', reason: 'Opening balance for the test', entryDate: rt.clock.today() });
  } finally {
    await rt.close();
  }
}, 120_000);
afterAll(async () => cli?.dispose());

describe('the real files in ../shared/data', () => {
  it('a return file whose items are not ours: 2 records, both unmatched, nothing posted; a second import is a duplicate', () => {
    const first = importJson('ach-returns', path.join(data, 'ach/return-WEB.ach'));
    expect(first.status, first.stderr).toBe(0);
    expect(first.out).toMatchObject({ records: 2, posted: 0, unmatched: 2, rejected: 0, totalCents: 0, duplicate: false });
    expect(first.out.detail.unmatchedItems.map((i: { reasonCode: string; amountCents: number }) => [i.reasonCode, i.amountCents])).toEqual([['R01', 12354], ['R03', 4565]]);
    expect(importJson('ach-returns', path.join(data, 'ach/return-WEB.ach')).out).toMatchObject({ duplicate: true, records: 2 });
  });

  it('refuses the malformed ACH files whole, with the record number and reason', () => {
    const bad = [
      ['ppd-debit-invalid-entryDetail-checkDigit.ach', /record 3: .*check digit/],
      ['ppd-debit-fixedLengthInvalid.ach', /record 1: .*94/],
      ['return-no-batch-controls.ach', /record \d+: /],
    ] as const;
    for (const [file, why] of bad) {
      const r = importJson('ach-returns', path.join(data, 'ach', file));
      expect(r.status, file).not.toBe(0);
      expect(r.stderr, file).toMatch(why);
      expect(r.stderr).toMatch(/nothing was posted/);
    }
  });

  it('takes the empty Fiserv return file (CRLF) and the notification of change (no enrolment of ours: unmatched)', () => {
    expect(importJson('ach-returns', path.join(data, 'ach/FISERV-ZEROFILE-PIMRET825324_032720_110221.ach')).out).toMatchObject({ records: 0, posted: 0 });
    expect(importJson('ach-returns', path.join(data, 'ach/cor-example.ach')).out).toMatchObject({ records: 1, posted: 0, unmatched: 1 });
  });

  it('keeps every BAI2 detail line; refuses the broken header', () => {
    const s1 = importJson('bai2', path.join(data, 'bai2/sample1.txt'));
    expect(s1.status, s1.stderr).toBe(0);
    expect(s1.out.detail).toMatchObject({ fileTotalCents: 1280000 });
    const s2 = importJson('bai2', path.join(data, 'bai2/sample2.txt'));
    expect(s2.out.detail).toMatchObject({ fileTotalCents: 345450000 });
    const bad = importJson('bai2', path.join(data, 'bai2/sample-parseError.txt'));
    expect(bad.status).not.toBe(0);
    expect(bad.stderr).toMatch(/record 1: /);
  });

  it('reads the X9.37 returns file: 4 returned items of $1,000.00, none ours', () => {
    const r = importJson('x937-returns', path.join(data, 'x937/BNK20180905121042882-A.icl'));
    expect(r.status, r.stderr).toBe(0);
    expect(r.out).toMatchObject({ records: 4, posted: 0, unmatched: 4 });
    expect(r.out.detail.fileTotalCents).toBe(800000);
    expect(r.out.detail.unmatchedItems.every((i: { amountCents: number; reasonCode: string }) => i.amountCents === 100000 && i.reasonCode === 'A')).toBe(true);
  });
});

describe('files a bank sends back for our payments', () => {
  it('an ACH return R01 reverses the autopay debit with the fee; a notification of change corrects the bank account', async () => {
    const rt = await cli.open();
    let trace: string;
    let paymentId: number;
    try {
      const actor = systemActor('test');
      await autopay.enrol(rt.db, actor, rt.clock, { accountId: account.id, routingNumber: '091000019', bankAccountNumber: '4400123', bankAccountType: 'checking', holderName: 'Pat Payer' });
      // Activate it as the prenote would, then take a debit as the file would.
      await autopay.achFileFor(rt.db, actor, rt.clock, '2026-01-02');
      const counter = await payments.postCounterPayment(rt.db, { userId: null, username: 'test', role: 'system' }, rt.clock, { accountId: account.id, amountCents: 5000, method: 'cash' });
      expect(counter.payment.status).toBe('posted');
      const { sql } = await import('kysely');
      // An ACH debit as the autopay file records it: method ach, its trace number as reference.
      await sql`insert into bills (run_id, account_id, agreement_id, service, customer_class, rate_code, period_from, period_to, bill_date, due_date, status, total_cents, tax_cents, lines, created_at, posted_at)
                values (null, ${account.id}, 999999, 'electric', 'residential', 'RES-E', '2026-10-01', '2026-10-31', '2026-11-02', '2026-11-20', 'posted', 15000, 0, '[]', now(), now())`.execute(rt.db);
      const file = await autopay.achFileFor(rt.db, actor, rt.clock, '2026-11-20');
      expect(file.debits).toBe(1);
      const debit = (await payments.paymentsOfAccount(rt.db, account.id)).find((p) => p.method === 'ach')!;
      trace = debit.reference!;
      paymentId = debit.id;
      expect(debit.amountCents).toBe(15000);
    } finally {
      await rt.close();
    }
    const returnFile = path.join(tmp, 'returns.ach');
    fs.writeFileSync(returnFile, achReturnFile({
      createdOn: '2026-11-24', effectiveDate: '2026-11-24',
      returns: [{ originalTrace: trace, routingNumber: '091000019', accountNumber: '4400123', amountCents: 15000, individualId: account.accountNumber, individualName: 'PAT PAYER', reasonCode: 'R01' }],
      changes: [{ originalTrace: trace, routingNumber: '091000019', accountNumber: '4400123', individualId: account.accountNumber, individualName: 'PAT PAYER', changeCode: 'C01', correctedData: '4400999' }],
    }));
    const r = importJson('ach-returns', returnFile);
    expect(r.status, r.stderr).toBe(0);
    expect(r.out).toMatchObject({ records: 2, posted: 2, unmatched: 0, totalCents: 15000 });
    const after = await cli.open();
    try {
      const p = await payments.getPayment(after.db, paymentId);
      expect(p.status).toBe('reversed');
      const open = await returns.returnsQueue(after.db, { status: 'open' });
      expect(open.find((x) => x.paymentId === paymentId)).toMatchObject({ source: 'ach', reasonCode: 'R01', feeCents: 2500 });
      // R01 is not a reason to stop autopay; the bank account is corrected.
      expect(await autopay.enrolmentOf(after.db, account.id)).toMatchObject({ status: 'active', bankAccountLast4: '0999' });
    } finally {
      await after.close();
    }
  });

  it('an X9.37 returned check is matched by amount and check number and reversed', async () => {
    const rt = await cli.open();
    let paymentId: number;
    try {
      const p = await payments.postCounterPayment(rt.db, { userId: null, username: 'test', role: 'system' }, rt.clock, { accountId: account.id, amountCents: 4321, method: 'check', reference: '1042', payerRouting: '091000019' });
      paymentId = p.payment.id;
    } finally {
      await rt.close();
    }
    const file = path.join(tmp, 'returns.icl');
    fs.writeFileSync(file, x937ReturnFile({ businessDate: '2026-11-30', returns: [{ payorRouting: '091000019', onUs: '55501234/1042', amountCents: 4321, reasonCode: 'A', sequence: '1' }] }));
    const r = importJson('x937-returns', file);
    expect(r.status, r.stderr).toBe(0);
    expect(r.out).toMatchObject({ records: 1, posted: 1, unmatched: 0, totalCents: 4321 });
    const after = await cli.open();
    try {
      expect((await payments.getPayment(after.db, paymentId)).status).toBe('reversed');
    } finally {
      await after.close();
    }
  });

  it('a BAI2 report: an incoming wire naming the account is posted; the deposit credit stays for reconciliation', () => {
    const file = path.join(tmp, 'bank.bai');
    fs.writeFileSync(file, bai2Report({ asOfDate: '2026-11-26', bankAccount: '987654321', credits: [
      { typeCode: '195', amountCents: 75000, bankReference: 'FW1234', text: `WIRE FROM ACME ORCHARDS INC REF ACCT ${account.accountNumber}` },
      { typeCode: '301', amountCents: 12345, bankReference: 'DEP1' },
    ] }));
    const r = importJson('bai2', file);
    expect(r.status, r.stderr).toBe(0);
    expect(r.out).toMatchObject({ records: 2, posted: 1, unmatched: 0, totalCents: 75000 });
    const text = ratepayer(['import', 'bai2', file], env);
    expect(text.stdout).toMatch(/imported before/);
  });

  it('prints the usage for a kind it does not know', () => {
    const r = ratepayer(['import', 'paypal', path.join(repoRoot, 'package.json')], env);
    expect(r.status).not.toBe(0);
    expect(r.stderr).toMatch(/usage: ratepayer import lockbox\|/);
  });
});
