/**
 * The rates and billing commands as a user runs them, in child processes against a fresh database
 * (embedded, or a server database with DATABASE_URL): `tariff load|list|schema`, `quote`,
 * `schedule generate|show`, `bill run|show|pdf|print`, `tax-exemption`.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateSchedule } from '../src/billing/schedule.ts';
import { customers } from '../src/customer/index.ts';
import { meterReads } from '../src/meter-read/index.ts';
import { systemActor } from '../src/platform/actor.ts';
import { premises } from '../src/premise/index.ts';
import { completeOrder, serviceOrders } from '../src/service-order/index.ts';
import { createUser } from '../src/staff/index.ts';
import { cliDatabase, ratepayer, repoRoot } from './support/cli.ts';

let cli: Awaited<ReturnType<typeof cliDatabase>>;
let env: Record<string, string | undefined>;
let tmp: string;
let accountId: number;
const tariffFile = path.join(repoRoot, 'src/tariff/examples/RES-E.json');
// Cycle 2's February and March 2026 reads.
const entry = (month: number) => generateSchedule({ year: 2026, cycles: 20 }).find((e) => e.cycle === 2 && e.month === month)!;
const run = (args: string[]) => {
  const r = ratepayer(args, env);
  expect(r.status, `${args.join(' ')}: ${r.stderr}`).toBe(0);
  return r;
};

beforeAll(async () => {
  cli = await cliDatabase('rp-cli-billing-');
  ({ env, tmp } = cli);
  const runtime = await cli.open();
  try {
    const { db, clock } = runtime;
    const actor = systemActor('test');
    await createUser(db, actor, { username: 'sup', displayName: 'Sue Pervisor', role: 'supervisor', password: 'a long enough password' });
    const customer = await customers.createCustomer(db, actor, { kind: 'person', firstName: 'Bill', lastName: 'Payer' });
    const account = await customers.createAccount(db, actor, clock, { customerId: customer.id, customerClass: 'residential', billingCycle: 2, billingAddress: { line1: '7 Meter Way', city: 'Wenatchee', state: 'WA', postalCode: '98801' } });
    accountId = account.id;
    const premise = await premises.createPremise(db, actor, { address: { line1: '7 Meter Way', city: 'Wenatchee', state: 'WA', postalCode: '98801' }, premiseType: 'single_family', area: 'WEN' });
    const sp = await premises.addServicePoint(db, actor, premise.id, { service: 'electric', route: 'R02' });
    const meter = await premises.createMeter(db, actor, { serial: 'CLI-B-01', kind: 'electric', dials: 5 });
    await premises.installMeter(db, actor, meter.id, { servicePointId: sp.id, installedOn: '2026-01-02' }, 'Set');
    await meterReads.recordRead(db, actor, { meterId: meter.id, readDate: '2026-01-02', reading: '1000', purpose: 'install', source: 'manual' });
    const moveIn = await serviceOrders.createOrder(db, actor, { type: 'move_in', servicePointId: sp.id, accountId: account.id, effectiveDate: '2026-01-02', reason: 'New customer', request: { rateCode: 'RES-E' } });
    await completeOrder(db, actor, moveIn.id, { read: { reading: '1000' } });
    await meterReads.recordRead(db, actor, { meterId: meter.id, readDate: entry(2).readDate, reading: '1700', source: 'manual' });
  } finally {
    await runtime.close();
  }
});
afterAll(() => cli?.dispose());

describe('rates and billing commands', () => {
  it('loads a tariff once, refuses a broken one naming the field, and prints the schema', () => {
    expect(JSON.parse(run(['tariff', 'load', tariffFile, '--reason', 'Adopted', '--as', 'sup', '--json']).stdout)).toMatchObject({ unchanged: false, version: { code: 'RES-E', version: 1 } });
    expect(JSON.parse(run(['tariff', 'load', tariffFile, '--json']).stdout)).toMatchObject({ unchanged: true });
    const broken = path.join(tmp, 'broken.json');
    const t = JSON.parse(fs.readFileSync(tariffFile, 'utf8'));
    t.taxes[0].percent = 'three';
    fs.writeFileSync(broken, JSON.stringify(t));
    const refused = ratepayer(['tariff', 'load', broken], env);
    expect(refused.status).toBe(1);
    expect(refused.stderr).toContain('/taxes/0/percent');
    expect(run(['tariff', 'list']).stdout).toContain('RES-E');
    expect(JSON.parse(run(['tariff', 'schema']).stdout)).toHaveProperty('properties.charges');
  });

  it('quotes a loaded tariff and a file: every line and the total', () => {
    const q = JSON.parse(run(['quote', '--tariff', 'RES-E', '--from', '2026-01-01', '--to', '2026-01-30', '--usage', '800', '--json']).stdout);
    expect(Object.keys(q).sort()).toEqual(expect.arrayContaining(['lines', 'totalCents']));
    for (const l of q.lines) expect(Object.keys(l)).toEqual(expect.arrayContaining(['code', 'description', 'quantity', 'unit', 'unitPrice', 'amountCents']));
    expect(q.totalCents).toBe(q.lines.reduce((n: number, l: { amountCents: number }) => n + l.amountCents, 0));
    expect(JSON.parse(run(['quote', '--tariff', tariffFile, '--from', '2026-01-01', '--to', '2026-01-30', '--usage', '800', '--json']).stdout).totalCents).toBe(q.totalCents);
    expect(run(['quote', '--tariff', 'RES-E', '--from', '2026-01-01', '--to', '2026-01-30', '--usage', '800']).stdout).toMatch(/BASIC .* Total/s);
    const none = ratepayer(['quote', '--tariff', 'RES-E', '--from', '2023-01-01', '--to', '2023-01-30', '--usage', '800'], env);
    expect(none.status).toBe(1);
    expect(none.stderr).toMatch(/no version of tariff RES-E is in force on 2023-01-01/i);
  });

  it('generates the schedule, bills the cycle once, and prints the bill, its PDF and the print file', () => {
    const noSchedule = ratepayer(['bill', 'run', '--cycle', '2', '--date', entry(2).billDate, '--json'], env);
    expect(noSchedule.status).toBe(1);
    expect(noSchedule.stderr).toContain('No billing schedule for cycle 2');
    expect(JSON.parse(run(['schedule', 'generate', '--year', '2026', '--as', 'sup', '--json']).stdout).generated).toBe(240);
    expect(run(['schedule', 'show', '--year', '2026']).stdout).toContain(entry(2).readDate);
    // The delinquency schedule was made with it.
    const delinquency = JSON.parse(run(['collections', 'schedule', 'show', '--year', '2026', '--json']).stdout);
    expect(delinquency.items).toHaveLength(240);
    expect(run(['collections', 'schedule', 'show', '--year', '2026']).stdout).toMatch(/month cycle {2}due {9}past due/);
    expect(ratepayer(['collections', 'schedule', 'list'], env).stderr).toMatch(/usage: ratepayer collections schedule/);

    const first = JSON.parse(run(['bill', 'run', '--cycle', '2', '--date', entry(2).billDate, '--json']).stdout);
    expect(first).toMatchObject({ cycle: 2, posted: 1, held: 0, alreadyCompleted: false, control: { tied: true } });
    const again = JSON.parse(run(['bill', 'run', '--cycle', '2', '--date', entry(2).billDate, '--json']).stdout);
    expect(again).toMatchObject({ alreadyCompleted: true, posted: 0, bills: { posted: 1 } });

    const human = run(['bill', 'run', '--cycle', '2', '--date', entry(2).billDate]).stdout;
    expect(human).toContain('was completed before');
    const pdf = path.join(tmp, 'bill.pdf');
    const billId = JSON.parse(run(['bill', 'show', '1', '--json']).stdout).id;
    run(['bill', 'pdf', String(billId), '--out', pdf]);
    expect(fs.readFileSync(pdf).subarray(0, 5).toString()).toBe('%PDF-');
    const printFile = path.join(tmp, 'print.txt');
    expect(JSON.parse(run(['bill', 'print', '--run', String(first.runId), '--out', printFile, '--json']).stdout)).toMatchObject({ statements: 1 });
    expect(fs.readFileSync(printFile, 'utf8')).toMatch(/^H\|RATEPAYER\|/);
  });

  it('exempts an account from a tax', () => {
    const added = JSON.parse(run(['tax-exemption', 'add', String(accountId), '--tax', 'PRIV', '--from', '2026-03-01', '--reason', 'Exempt body', '--as', 'sup', '--json']).stdout);
    expect(added).toMatchObject({ taxCode: 'PRIV', startsOn: '2026-03-01', endsOn: null });
    expect(JSON.parse(run(['tax-exemption', 'list', String(accountId), '--json']).stdout).exemptions).toHaveLength(1);
  });
});
