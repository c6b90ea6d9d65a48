/**
 * `ratepayer budget ...` as staff run it, in child processes against a fresh database: a fiber
 * customer (a plan price, so no history is needed) quoted, enrolled, reviewed, sent a letter and
 * taken off budget billing; the refusals name the rule or the missing option.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { systemActor } from '../src/platform/actor.ts';
import { createUser } from '../src/staff/index.ts';
import { cliAs, cliDatabase } from './support/cli.ts';
import { fiberCustomer, loadFiberRate } from './support/fiber.ts';

let cli: Awaited<ReturnType<typeof cliDatabase>>;
let env: Record<string, string | undefined>;
let accountId: number;
const { run, json } = cliAs('sup', () => env, ['budget']);

beforeAll(async () => {
  cli = await cliDatabase('rp-cli-budget-');
  ({ env } = cli);
  const rt = await cli.open();
  try {
    const actor = systemActor('test');
    await createUser(rt.db, actor, { username: 'sup', displayName: 'Sue Pervisor', role: 'supervisor', password: 'a long enough password' });
    await loadFiberRate(rt.db, actor, rt.clock);
    const { account } = await fiberCustomer(rt.db, actor, rt.clock, { firstName: 'Ada', lastName: 'Level', line1: '5 Even Street' });
    accountId = account.id;
  } finally {
    await rt.close();
  }
}, 120_000);
afterAll(async () => cli?.dispose());

describe('ratepayer budget', () => {
  it('quotes, enrols, shows, reviews, writes a letter and ends a plan', () => {
    // Fiber at $65.00 + $10.00 a month: $900.00 a year, $75.00 a month.
    expect(json(['quote', String(accountId)])).toMatchObject({ eligible: true, annualCents: 90000, monthlyCents: 7500, estimatedMonths: 0 });
    const noReason = run(['enrol', String(accountId)]);
    expect(noReason.status).not.toBe(0);
    expect(noReason.stderr).toMatch(/--reason is required/);
    const plan = json(['enrol', String(accountId), '--settle-month', '6', '--reason', 'Customer asked for level payments']);
    expect(plan).toMatchObject({ accountId, status: 'active', monthlyCents: 7500, settleMonth: 6, deferredCents: 0 });
    const again = run(['enrol', String(accountId), '--reason', 'Again']);
    expect(again.status).not.toBe(0);
    expect(again.stderr).toMatch(/on budget billing already/);
    const shown = json(['show', String(accountId)]);
    expect(shown.events.map((e: { kind: string }) => e.kind)).toEqual(['enrolled']);
    // The first review is three months out: today nothing is due, and again nothing.
    expect(json(['review'])).toMatchObject({ reviewed: 0, endedForDelinquency: 0 });
    expect(run(['review']).stdout).toMatch(/nothing was due/);
    const out = path.join(cli.tmp, 'letter.pdf');
    expect(json(['letter', String(shown.events[0].id), '--out', out])).toMatchObject({ out });
    expect(fs.readFileSync(out).subarray(0, 5).toString()).toBe('%PDF-');
    expect(json(['list', '--status', 'active']).items.map((p: { accountId: number }) => p.accountId)).toEqual([accountId]);
    expect(json(['end', String(plan.id), '--reason', 'Customer asked to stop'])).toMatchObject({ status: 'ended', endReason: 'request' });
    expect(run(['show', String(accountId)]).stdout).toMatch(/not on budget billing \(1 ended plan/);
  });

  it('refuses bad input with the reason', () => {
    expect(run(['quote', 'abc']).stderr).toMatch(/ACCOUNT_ID must be a number/);
    expect(run(['enrol', String(accountId), '--settle-month', '13', '--reason', 'x y z']).stderr).toMatch(/--settle-month must be a month 1-12/);
    expect(run(['frobnicate']).stderr).toMatch(/usage: ratepayer budget/);
  });
});
