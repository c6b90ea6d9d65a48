/**
 * `ratepayer security-deposit ...` and `ratepayer refunds ...` as staff run them, in child
 * processes against a fresh database: a deposit checked, asked for and shown; a credit refunded
 * and sent to accounts payable in a file; refusals name the reason.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { customers } from '../src/customer/index.ts';
import { ledger } from '../src/ledger/index.ts';
import { systemActor } from '../src/platform/actor.ts';
import { createUser } from '../src/staff/index.ts';
import { cliAs, cliDatabase } from './support/cli.ts';
import { fiberCustomer, loadFiberRate } from './support/fiber.ts';

let cli: Awaited<ReturnType<typeof cliDatabase>>;
let env: Record<string, string | undefined>;
let accountId: number;
let creditAccountId: number;
const { run, json } = cliAs('sup', () => env);

beforeAll(async () => {
  cli = await cliDatabase('rp-cli-deposits-');
  ({ env } = cli);
  const rt = await cli.open();
  try {
    const actor = systemActor('test');
    await createUser(rt.db, actor, { username: 'sup', displayName: 'Sue Pervisor', role: 'supervisor', password: 'a long enough password' });
    await loadFiberRate(rt.db, actor, rt.clock);
    const { customer, account, address } = await fiberCustomer(rt.db, actor, rt.clock, { firstName: 'Dee', lastName: 'Posit', line1: '9 Surety Street' });
    accountId = account.id;
    const other = await customers.createAccount(rt.db, actor, rt.clock, { customerId: customer.id, customerClass: 'residential', billingCycle: 4, billingAddress: address });
    await ledger.adjust(rt.db, actor, rt.clock, { accountId: other.id, amountCents: -4321, reasonCode: 'GOODWILL', reason: 'A credit to refund', entryDate: rt.clock.today() });
    creditAccountId = other.id;
  } finally {
    await rt.close();
  }
}, 120_000);
afterAll(async () => cli?.dispose());

describe('ratepayer security-deposit and refunds', () => {
  it('checks, asks for and shows a deposit; the job runs once a day', () => {
    expect(json(['security-deposit', 'check', String(accountId)])).toMatchObject({ decision: { required: true, rule: 'no_credit_history' }, capCents: 15000 });
    const tooBig = run(['security-deposit', 'require', String(accountId), '--amount', '151.00', '--reason', 'New service']);
    expect(tooBig.status).not.toBe(0);
    expect(tooBig.stderr).toMatch(/at most \$150\.00/);
    const d = json(['security-deposit', 'require', String(accountId), '--instalments', '3', '--reason', 'New service']);
    expect(d).toMatchObject({ status: 'billing', amountCents: 15000 });
    expect(run(['security-deposit', 'show', String(accountId)]).stdout).toMatch(/1\. \$50\.00 due .*, billed/);
    expect(json(['security-deposit', 'run'])).toMatchObject({ billed: 0, returned: 0 });
  });

  it('refunds a credit and sends it to accounts payable in a file', () => {
    const tooMuch = run(['refunds', 'request', String(creditAccountId), '--amount', '50.00', '--reason', 'Asked']);
    expect(tooMuch.stderr).toMatch(/more than the \$43\.21 credit available/);
    expect(json(['refunds', 'request', String(creditAccountId), '--reason', 'Customer asked for the credit'])).toMatchObject({ status: 'approved', amountCents: 4321 });
    const out = path.join(cli.tmp, 'ap.csv');
    const file = json(['refunds', 'export', '--out', out]);
    expect(file).toMatchObject({ refunds: 1, totalCents: 4321 });
    expect(fs.readFileSync(out, 'utf8')).toMatch(/^refund_id,vendor_id,payee_name,/);
    expect(fs.readFileSync(out, 'utf8')).toContain(',43.21,');
    expect(run(['refunds', 'export']).stdout).toMatch(/No approved refunds/);
    expect(run(['refunds', 'frob']).stderr).toMatch(/usage: ratepayer refunds/);
  });
});
