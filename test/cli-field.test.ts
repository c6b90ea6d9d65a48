/**
 * The field-work commands as a user runs them: `ratepayer reads import`, `ratepayer orders list`
 * and `ratepayer orders complete`, in child processes against a fresh database (embedded, or a
 * server database when DATABASE_URL is set).
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
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
let moveOutId: number;
let serial: string;
let intervalSerial: string;

beforeAll(async () => {
  cli = await cliDatabase('rp-cli-field-');
  ({ env, tmp } = cli);
  // A district with one occupied electric service, built in-process and closed again so the
  // command can open the data folder.
  const runtime = await cli.open();
  try {
    const { db, clock } = runtime;
    const actor = systemActor('test');
    await createUser(db, actor, { username: 'sup', displayName: 'Sue Pervisor', role: 'supervisor', password: 'a long enough password' });
    await createUser(db, actor, { username: 'clerk', displayName: 'Cal Clerk', role: 'csr1', password: 'a long enough password' });
    const customer = await customers.createCustomer(db, actor, { kind: 'person', firstName: 'Cli', lastName: 'Customer' });
    const account = await customers.createAccount(db, actor, clock, { customerId: customer.id, customerClass: 'residential', billingCycle: 2, billingAddress: { line1: '9 Shell Rd', city: 'Wenatchee', state: 'WA', postalCode: '98801' } });
    const premise = await premises.createPremise(db, actor, { address: { line1: '9 Shell Rd', city: 'Wenatchee', state: 'WA', postalCode: '98801' }, premiseType: 'single_family', area: 'WEN' });
    const sp = await premises.addServicePoint(db, actor, premise.id, { service: 'electric', route: 'R12' });
    const meter = await premises.createMeter(db, actor, { serial: 'CLI-0001', kind: 'electric', dials: 5 });
    serial = meter.serial;
    await premises.installMeter(db, actor, meter.id, { servicePointId: sp.id, installedOn: '2026-01-01' }, 'Set');
    await meterReads.recordRead(db, actor, { meterId: meter.id, readDate: '2026-01-01', reading: '1000', purpose: 'install', source: 'manual' });
    const moveIn = await serviceOrders.createOrder(db, actor, { type: 'move_in', servicePointId: sp.id, accountId: account.id, effectiveDate: '2026-01-01', reason: 'New customer', request: { rateCode: 'RES-E' } });
    await completeOrder(db, actor, moveIn.id, { read: { reading: '1000' } });
    const moveOut = await serviceOrders.createOrder(db, actor, { type: 'move_out', servicePointId: sp.id, accountId: account.id, effectiveDate: '2026-03-01', scheduledFor: '2026-03-02', reason: 'Moving away' });
    moveOutId = moveOut.id;
    const sp2 = await premises.addServicePoint(db, actor, premise.id, { service: 'electric', route: 'R12', locationNote: 'Shop' });
    const interval = await premises.createMeter(db, actor, { serial: 'AMI-0001', kind: 'electric', dials: 6 });
    intervalSerial = interval.serial;
    await premises.installMeter(db, actor, interval.id, { servicePointId: sp2.id, installedOn: '2010-01-01' }, 'Set');
  } finally {
    await runtime.close();
  }
});
afterAll(() => cli?.dispose());

const file = (name: string, text: string) => {
  const p = path.join(tmp, name);
  fs.writeFileSync(p, text);
  return p;
};

describe('ratepayer reads and orders', () => {
  it('imports a CSV read file once, printing {records, imported, rejected, duplicate}', () => {
    const csv = file('feb.csv', `meter_serial,read_date,reading\n${serial},2026-02-01,1500\nGHOST-9,2026-02-01,10\n`);
    const first = ratepayer(['reads', 'import', csv, '--format', 'csv', '--json'], env);
    expect(first.stderr).toBe('');
    expect(first.status).toBe(0);
    expect(JSON.parse(first.stdout)).toMatchObject({ records: 2, imported: 1, rejected: 1, duplicate: false, rejections: [{ line: 3, reason: 'no meter with serial GHOST-9' }] });
    const again = ratepayer(['reads', 'import', csv, '--format', 'csv', '--json'], env);
    expect(JSON.parse(again.stdout)).toMatchObject({ records: 2, imported: 0, rejected: 0, duplicate: true });
    const human = ratepayer(['reads', 'import', csv, '--format', 'csv'], env);
    expect(human.stdout).toContain('was imported before');
  });

  it('refuses a malformed file whole with a one-line reason naming the line', () => {
    const bad = file('bad.csv', `meter_serial,read_date,reading\n${serial},2026-02-15,1600\n${serial},15/02/2026,1700\n`);
    const res = ratepayer(['reads', 'import', bad, '--format', 'csv', '--json'], env);
    expect(res.status).not.toBe(0);
    expect(res.stdout).toBe('');
    expect(res.stderr.trim().split('\n')).toHaveLength(1);
    expect(res.stderr).toMatch(/^ratepayer: bad\.csv: line 3: .*nothing was imported\n$/);
    const missing = ratepayer(['reads', 'import', path.join(tmp, 'nope.csv'), '--format', 'csv'], env);
    expect(missing.stderr).toBe(`ratepayer: cannot read ${path.join(tmp, 'nope.csv')}: ENOENT\n`);
  });

  it('imports a Green Button file for a named meter', () => {
    const gb = path.join(repoRoot, '..', 'shared', 'data', 'greenbutton', 'electric_containerized.xml');
    const res = ratepayer(['reads', 'import', gb, '--format', 'greenbutton', '--meter', intervalSerial, '--json'], env);
    expect(res.stderr).toBe('');
    expect(JSON.parse(res.stdout)).toMatchObject({ records: 8, imported: 8, rejected: 0, duplicate: false });
  });

  it('lists open orders and completes one: held by a check, then overridden by a supervisor, then a no-op', () => {
    const list = JSON.parse(ratepayer(['orders', 'list', '--date', '2026-03-02', '--json'], env).stdout);
    expect(list.orders.map((o: { id: number; type: string; route: string }) => [o.id, o.type, o.route])).toEqual([[moveOutId, 'move_out', 'R12']]);

    const held = ratepayer(['orders', 'complete', String(moveOutId), '--read', '01400', '--json'], env);
    expect(held.status).toBe(3);
    expect(JSON.parse(held.stdout)).toMatchObject({ held: true, findings: [{ code: 'closing_read_below_last' }] });

    const clerk = ratepayer(['orders', 'complete', String(moveOutId), '--read', '01400', '--override', 'Meter was reset', '--as', 'clerk'], env);
    expect(clerk.status).not.toBe(0);
    expect(clerk.stderr).toContain('Only a supervisor may override');

    const over = ratepayer(['orders', 'complete', `SO-${String(moveOutId).padStart(6, '0')}`, '--read', '01400', '--override', 'Meter was reset by the shop', '--as', 'sup', '--json'], env);
    expect(over.stderr).toBe('');
    expect(over.status).toBe(0);
    const done = JSON.parse(over.stdout);
    expect(done).toMatchObject({ held: false, alreadyCompleted: false, order: { status: 'completed' } });

    const twice = ratepayer(['orders', 'complete', String(moveOutId), '--read', '01400', '--override', 'Meter was reset by the shop', '--as', 'sup'], env);
    expect(twice.status).toBe(0);
    expect(twice.stdout).toContain('was already completed with this field data: nothing changed');
    expect(JSON.parse(ratepayer(['orders', 'list', '--json'], env).stdout).orders).toEqual([]);
  });
});
