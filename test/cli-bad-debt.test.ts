/**
 * `ratepayer bad-debt ...` as staff run it, in child processes against a fresh database (the
 * commands' clock is the real one): the daily job once per date, an agency added and a placement
 * file written, the agency's collection posted net of its commission, a write-off asked by a CSR
 * and approved by a supervisor, and refusals naming the reason.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { badDebt } from '../src/bad-debt/index.ts';
import { billing } from '../src/billing/index.ts';
import { ledger } from '../src/ledger/index.ts';
import { systemActor } from '../src/platform/actor.ts';
import { FixedClock, localDate } from '../src/platform/clock.ts';
import { addDays } from '../src/platform/dates.ts';
import { centsToDecimal } from '../src/platform/money.ts';
import { premises } from '../src/premise/index.ts';
import { createUser } from '../src/staff/index.ts';
import { cliAs, cliDatabase } from './support/cli.ts';
import { fiberCustomer, loadFiberRate } from './support/fiber.ts';

let cli: Awaited<ReturnType<typeof cliDatabase>>;
let env: Record<string, string | undefined>;
let account: { id: number; accountNumber: string };
let owed = 0;
const sup = cliAs('sup', () => env);
const csr = cliAs('csr', () => env);
const today = localDate(new Date(), 'America/Los_Angeles');

beforeAll(async () => {
  cli = await cliDatabase('rp-cli-bad-debt-');
  ({ env } = cli);
  // Service ended forty days ago with the final bill unpaid.
  const rt = await cli.open({ clock: new FixedClock(new Date(Date.now() - 40 * 86_400_000)) });
  try {
    const actor = systemActor('test');
    await createUser(rt.db, actor, { username: 'sup', displayName: 'Sue Pervisor', role: 'supervisor', password: 'a long enough password' });
    await createUser(rt.db, actor, { username: 'csr', displayName: 'Cass Err', role: 'csr2', password: 'a long enough password' });
    await loadFiberRate(rt.db, actor, rt.clock);
    const made = await fiberCustomer(rt.db, actor, rt.clock, { firstName: 'Lou', lastName: 'Ledger', line1: '40 Faraway Street' });
    await premises.endAgreement(rt.db, actor, made.agreement.id, { endDate: rt.clock.today(), endReason: 'move_out' }, 'Moved away');
    await billing.finalBill(rt.db, actor, rt.clock, rt.config.timeZone, made.agreement.id);
    account = made.account;
    owed = await ledger.balanceOf(rt.db, account.id);
    // Letter the day after the due date passes; placeable the day after the letter.
    await badDebt.updateSettings(rt.db, actor, rt.clock, { letterAfterDueDays: 0, placementWaitDays: 1 }, 'Test district policy');
  } finally {
    await rt.close();
  }
}, 120_000);
afterAll(async () => cli?.dispose());

describe('ratepayer bad-debt', () => {
  it('runs the daily job once per date: a letter, then a candidate', () => {
    expect(owed).toBeGreaterThan(3000);
    const yesterday = addDays(today, -1);
    const first = sup.json(['bad-debt', 'run', '--date', yesterday]);
    expect(first).toMatchObject({ date: yesterday, alreadyRun: false, letters: 1, candidates: 0 });
    expect(sup.json(['bad-debt', 'run', '--date', yesterday])).toMatchObject({ alreadyRun: true, letters: 0 });
  }, 150_000);

  it('runs today, and never a day to come; the letter is kept as a PDF', () => {
    const yesterday = addDays(today, -1);
    const second = sup.json(['bad-debt', 'run']);
    expect(second).toMatchObject({ date: today, letters: 0, candidates: 1 });
    const future = sup.run(['bad-debt', 'run', '--date', addDays(today, 1)]);
    expect(future.status).not.toBe(0);
    expect(future.stderr).toMatch(/is after today/);
    const letters = sup.json(['bad-debt', 'letters']).items;
    expect(letters).toEqual([expect.objectContaining({ accountNumber: account.accountNumber, letterDate: yesterday, balanceCents: owed })]);
    const out = path.join(cli.tmp, 'letter.pdf');
    expect(sup.run(['bad-debt', 'letters', String(letters[0].id), '--out', out]).status).toBe(0);
    expect(fs.readFileSync(out).subarray(0, 5).toString()).toBe('%PDF-');
  }, 150_000);

  it('adds an agency and places the candidate by file', () => {
    const refused = sup.run(['bad-debt', 'agencies', 'add', '--code', 'NWCOLL', '--name', 'Northwest Collections', '--commission', '30.00', '--columns', 'account_number,ssn_last4']);
    expect(refused.status).not.toBe(0);
    expect(refused.stderr).toMatch(/identity numbers .* are never sent/);
    expect(sup.json(['bad-debt', 'agencies', 'add', '--code', 'NWCOLL', '--name', 'Northwest Collections', '--commission', '30.00', '--vendor', 'CBPUD01', '--columns', 'vendor_id,account_number,customer_name,balance_placed,placement_date'])).toMatchObject({ code: 'NWCOLL', commissionPercent: '30.00' });
    const file = path.join(cli.tmp, 'placement.csv');
    const placed = csr.json(['bad-debt', 'place', '--agency', 'NWCOLL', '--out', file]);
    expect(placed.file).toMatchObject({ placements: 1, totalCents: owed });
    expect(fs.readFileSync(file, 'utf8')).toBe(`vendor_id,account_number,customer_name,balance_placed,placement_date\r\nCBPUD01,${account.accountNumber},Lou Ledger,${centsToDecimal(owed)},${today}\r\n`);
    expect(csr.run(['bad-debt', 'place', '--agency', 'NWCOLL']).stdout).toMatch(/No placement candidates/);
    const list = sup.json(['bad-debt', 'placements', '--status', 'placed']).items;
    expect(list).toEqual([expect.objectContaining({ accountNumber: account.accountNumber, agencyCode: 'NWCOLL', status: 'placed' })]);
  }, 150_000);

  it('posts the agency payment net of commission', () => {
    const placementId = String(sup.json(['bad-debt', 'placements']).items[0].id);
    const paid = csr.json(['bad-debt', 'agency-payment', placementId, '--gross', '20.00', '--reference', 'NW-77']);
    expect(paid).toMatchObject({ grossCents: 2000, commissionCents: 600, netCents: 1400, collectedOn: today });
    expect(csr.run(['bad-debt', 'agency-payment', placementId, '--gross', '20.00', '--reference', 'NW-77']).stderr).toMatch(/recorded already/);
  }, 150_000);

  it('writes off the rest only with a second person, a supervisor', () => {
    const asked = csr.json(['bad-debt', 'write-off', account.accountNumber, '--reason', 'Agency cannot collect the rest']);
    expect(asked).toMatchObject({ status: 'requested', requestedCents: owed - 2000, requestedBy: 'csr' });
    const own = csr.run(['bad-debt', 'approve', String(asked.id), '--reason', 'Approve my own']);
    expect(own.status).not.toBe(0);
    expect(own.stderr).toMatch(/a supervisor must approve a write-off/);
    expect(sup.json(['bad-debt', 'approve', String(asked.id), '--reason', 'Reviewed the agency notes'])).toMatchObject({ status: 'approved', amountCents: owed - 2000, decidedBy: 'sup' });
  }, 150_000);

  it('reports the write-offs and names its usage', () => {
    expect(sup.run(['bad-debt', 'write-off', 'list', '--status', 'approved']).stdout).toMatch(new RegExp(`Written off \\$${centsToDecimal(owed - 2000).replace('.', '\\.')} in 1`));
    expect(sup.run(['bad-debt', 'frob']).stderr).toMatch(/usage: ratepayer bad-debt run/);
  }, 150_000);
});
