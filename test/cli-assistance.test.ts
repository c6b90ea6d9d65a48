/**
 * `ratepayer assistance ...` as staff run it, in child processes against a fresh database: an
 * agency and its LIHEAP program set up, a pledge recorded on an account that owes, the agency's
 * check posted (one item for an account that is not ours, left in suspense), an agency file taken
 * once, the daily review and the program report as CSV; the refusals name what is wrong.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { customers } from '../src/customer/index.ts';
import { ledger } from '../src/ledger/index.ts';
import { systemActor } from '../src/platform/actor.ts';
import { createUser } from '../src/staff/index.ts';
import { cliDatabase, ratepayer } from './support/cli.ts';

let cli: Awaited<ReturnType<typeof cliDatabase>>;
let env: Record<string, string | undefined>;
let account: { id: number; accountNumber: string };
let neighbour: { id: number; accountNumber: string };
const run = (args: string[]) => ratepayer(['assistance', ...args, '--as', 'sup'], env);
const json = (args: string[]) => {
  const r = run([...args, '--json']);
  expect(r.status, r.stderr).toBe(0);
  return JSON.parse(r.stdout);
};

beforeAll(async () => {
  cli = await cliDatabase('rp-cli-assistance-');
  ({ env } = cli);
  const rt = await cli.open();
  try {
    const actor = systemActor('test');
    await createUser(rt.db, actor, { username: 'sup', displayName: 'Sue Pervisor', role: 'supervisor', password: 'a long enough password' });
    const made = [];
    for (const [first, last] of [['Opal', 'Owing'], ['Nell', 'Neighbour']] as const) {
      const customer = await customers.createCustomer(rt.db, actor, { kind: 'person', firstName: first, lastName: last });
      const a = await customers.createAccount(rt.db, actor, rt.clock, { customerId: customer.id, customerClass: 'residential', billingCycle: 4, billingAddress: { line1: '9 Cold Street', city: 'Wenatchee', state: 'WA', postalCode: '98801' } });
      await ledger.adjust(rt.db, actor, rt.clock, { accountId: a.id, amountCents: 30000, reasonCode: 'OTHER', reason: 'Winter bills', entryDate: rt.clock.today() });
      made.push(a);
    }
    account = made[0]!;
    neighbour = made[1]!;
  } finally {
    await rt.close();
  }
}, 120_000);
afterAll(async () => cli?.dispose());

describe('ratepayer assistance', () => {
  it('sets up an agency, records a pledge, posts the agency check, imports a file, reviews and reports', () => {
    expect(json(['agency', 'add', '--code', 'cdcac', '--name', 'Chelan-Douglas Community Action Council', '--phone', '(509) 555-0177'])).toMatchObject({ code: 'CDCAC', active: true });
    expect(json(['program', 'add', '--agency', 'CDCAC', '--code', 'LIHEAP', '--name', 'Low Income Home Energy Assistance Program', '--year', '2027'])).toMatchObject({ code: 'LIHEAP', lowIncome: true, fundingYear: 2027 });
    expect(run(['program', 'list']).stdout).toMatch(/CDCAC\s+LIHEAP\s+Low Income Home Energy Assistance Program \(FY 2027\)/);

    const noReason = run(['pledge', 'add', String(account.id), '--program', 'LIHEAP', '--amount', '200.00']);
    expect(noReason.status).not.toBe(0);
    expect(noReason.stderr).toMatch(/--reason is required/);
    const pledge = json(['pledge', 'add', String(account.id), '--program', 'liheap', '--amount', '200.00', '--reference', 'LI-9', '--reason', 'Agency pledge by fax']);
    expect(pledge).toMatchObject({ accountId: account.id, amountCents: 20000, status: 'open', holdsCollection: true, reference: 'LI-9' });
    expect(run(['pledge', 'list']).stdout).toMatch(new RegExp(`${account.accountNumber} Opal Owing .*CDCAC LIHEAP\\s+open\\s+\\$200\\.00 .*holds collection`));

    // The check: $200.00 for Opal's pledge and $42.00 for an account number that is not ours.
    const check = json(['check', '--agency', 'CDCAC', '--check', '8812', '--total', '242.00', '--item', `${account.accountNumber}=200.00`, '--item', '123456789=42']);
    expect(check).toMatchObject({ totalCents: 24200, applied: 1, suspense: 1, items: [{ pledgeId: pledge.id, pledgeStatus: 'paid', status: 'applied' }, { status: 'suspense', pledgeId: null }] });
    const wrong = run(['check', '--agency', 'CDCAC', '--check', '8813', '--total', '10.00', '--item', `${account.accountNumber}=9.99`]);
    expect(wrong.status).not.toBe(0);
    expect(wrong.stderr).toMatch(/The items come to \$9\.99 but the check is \$10\.00 \(short by \$0\.01\): nothing was posted/);

    // A file from the agency, for Nell (no pledge: the money is still hers); again: nothing.
    const file = path.join(cli.tmp, 'cdcac.csv');
    fs.writeFileSync(file, `Agency Code,Pledge Number,Account Number,Customer Name,Amount,Payment Date\nCDCAC,,${neighbour.accountNumber},Nell Neighbour,75.25,${check.receivedOn}\n`);
    expect(json(['import', file])).toMatchObject({ duplicate: false, records: 1, applied: 1, suspense: 0, totalCents: 7525 });
    expect(run(['import', file]).stdout).toMatch(/was imported before \(import \d+\): nothing posted now/);
    const bad = path.join(cli.tmp, 'bad.csv');
    fs.writeFileSync(bad, `Agency Code,Pledge Number,Account Number,Customer Name,Amount,Payment Date\nCDCAC,,${neighbour.accountNumber},Nell,75.25,${check.receivedOn}\nCDCAC,,${neighbour.accountNumber},Nell,ten,${check.receivedOn}\n`);
    const refused = run(['import', bad]);
    expect(refused.status).not.toBe(0);
    expect(refused.stderr).toMatch(/The agency file was refused, nothing was posted: line 3: amount "ten"/);

    expect(run(['review']).stdout).toMatch(/0 pledge\(s\) expired \(0 short\), 0 agency payment\(s\) matched from suspense; nothing was due/);
    const csv = run(['report', '--csv']);
    expect(csv.status, csv.stderr).toBe(0);
    expect(csv.stdout.split('\r\n')).toContain('CDCAC,Chelan-Douglas Community Action Council,LIHEAP,Low Income Home Energy Assistance Program,1,200.00,200.00,0.00,0,0.00,0,0,,');
    expect(run(['report']).stdout).toMatch(/CDCAC LIHEAP\s+1\s+\$200\.00\s+\$200\.00\s+\$0\.00/);
    expect(json(['pledge', 'list', '--status', 'paid']).items.map((p: { id: number }) => p.id)).toEqual([pledge.id]);
  }, 300_000);

  it('refuses bad input with the reason', () => {
    expect(run(['pledge', 'add', 'abc', '--program', 'LIHEAP', '--amount', '1', '--reason', 'x y z']).stderr).toMatch(/ACCOUNT_ID must be a number/);
    expect(run(['pledge', 'add', String(account.id), '--program', 'NOPE', '--amount', '1', '--reason', 'x y z']).stderr).toMatch(/Program NOPE was not found/);
    expect(run(['pledge', 'add', String(account.id), '--program', 'LIHEAP', '--amount=-1', '--reason', 'x y z']).stderr).toMatch(/--amount must be dollars and cents/);
    expect(run(['pledge', 'list', '--status', 'lost']).stderr).toMatch(/--status must be some of open, partial/);
    expect(run(['check', '--agency', 'NOPE', '--check', '1', '--total', '1', '--item', '1=1']).stderr).toMatch(/there is no agency NOPE/);
    expect(run(['frobnicate']).stderr).toMatch(/usage: ratepayer assistance/);
  }, 120_000);
});
