/**
 * `ratepayer collections ...` as staff run them, in child processes against a fresh database: a
 * fiber customer's October bill left unpaid; the daily run for today opens the case (twice: the
 * second does nothing and says so), the account's panel and the work queue show it, the notices'
 * print file and a notice PDF are written, and a disconnection without its notice is refused.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { billing, runBilling } from '../src/billing/index.ts';
import { systemActor } from '../src/platform/actor.ts';
import { createUser } from '../src/staff/index.ts';
import { cliAs, cliDatabase } from './support/cli.ts';
import { fiberCustomer, loadFiberRate } from './support/fiber.ts';

let cli: Awaited<ReturnType<typeof cliDatabase>>;
let env: Record<string, string | undefined>;
let accountId: number;
let today: string;
const { run, json } = cliAs('sup', () => env);

beforeAll(async () => {
  cli = await cliDatabase('rp-cli-collections-');
  ({ env } = cli);
  const rt = await cli.open();
  try {
    const actor = systemActor('test');
    today = rt.clock.today();
    await createUser(rt.db, actor, { username: 'sup', displayName: 'Sue Pervisor', role: 'supervisor', password: 'a long enough password' });
    await loadFiberRate(rt.db, actor, rt.clock);
    const year = Number(today.slice(0, 4));
    for (const y of [year - 1, year]) await billing.generateYear(rt.db, actor, rt.clock, { year: y }, 'Yearly schedule');
    const { account } = await fiberCustomer(rt.db, actor, rt.clock, { firstName: 'Cole', lastName: 'Lector', line1: '12 Arrears Lane' });
    accountId = account.id;
    // The last bill of cycle 4 whose due date is at least ten days ago.
    const entry = [...(await billing.scheduleOfYear(rt.db, year - 1)), ...(await billing.scheduleOfYear(rt.db, year))].filter((e) => e.cycle === 4 && e.dueDate <= new Date(Date.parse(today) - 10 * 86_400_000).toISOString().slice(0, 10)).pop()!;
    const summary = await runBilling(rt.db, actor, rt.clock, { cycle: 4, date: entry.billDate, timeZone: rt.config.timeZone });
    expect(summary.posted).toBeGreaterThan(0);
  } finally {
    await rt.close();
  }
}, 120_000);
afterAll(async () => cli?.dispose());

describe('ratepayer collections', () => {
  it('runs a date once, shows the account and the queue, writes the print file and a notice', () => {
    const first = json(['collections', 'run', '--date', today]);
    expect(first).toMatchObject({ date: today, alreadyRun: false, accountsReviewed: 1 });
    expect(first.actions.map((a: { action: string }) => a.action)).toContain('case_opened');
    expect(Array.isArray(first.skippedProtected)).toBe(true);
    const again = run(['collections', 'run', '--date', today]);
    expect(again.status).toBe(0);
    expect(again.stdout).toMatch(/made already: nothing done/);

    const panel = json(['collections', 'account', String(accountId)]);
    expect(panel).toMatchObject({ accountId, openCase: { status: 'open' } });
    expect(panel.pastDueCents).toBeGreaterThan(0);
    expect(run(['collections', 'queue']).stdout).toContain('Lector');

    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'rp-coll-'));
    const file = path.join(dir, 'notices.csv');
    expect(run(['collections', 'print-file', '--date', today, '--out', file]).status).toBe(0);
    const lines = fs.readFileSync(file, 'utf8').trim().split('\r\n');
    expect(lines[0]).toMatch(/^notice_id,kind,delivery,account_number/);
    // Ten days past due, $75.00: the case opens with the past-due notice (the disconnect notice comes on a later run).
    const notice = first.actions.find((a: { action: string }) => a.action === 'past_due_notice');
    expect(notice.noticeId).toBeGreaterThan(0);
    expect(lines).toHaveLength(2);
    expect(lines[1]).toContain(',past_due,mail,');
    const pdf = path.join(dir, 'n.pdf');
    expect(run(['collections', 'notice', String(notice.noticeId), '--out', pdf]).status).toBe(0);
    expect(fs.readFileSync(pdf).subarray(0, 5).toString()).toBe('%PDF-');

    const refused = run(['collections', 'disconnect', String(accountId), '--reason', 'Owes money']);
    expect(refused.status).not.toBe(0);
    expect(refused.stderr).toMatch(/has had no disconnect notice/);
    expect(run(['collections', 'run', '--date', 'soon']).stderr).toMatch(/--date must be YYYY-MM-DD/);
  }, 300_000);
});
