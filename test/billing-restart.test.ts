/**
 * A billing run that stops part-way is finished by running it again, and nobody is billed twice:
 * a run made to fail after a few chunks (embedded and server), a run killed with SIGKILL in the
 * middle (server), and, as a property, any chunk size and failure point.
 */
import fs from 'node:fs';
import path from 'node:path';
import fc from 'fast-check';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Runtime } from '../src/app/runtime.ts';
import { billing, runBilling } from '../src/billing/index.ts';
import { registerFromDatabase, storeBills } from '../src/billing/run.ts';
import { loadDemo } from '../src/demo/index.ts';
import { systemActor } from '../src/platform/actor.ts';
import { FixedClock } from '../src/platform/clock.ts';
import { tariffs } from '../src/tariff/index.ts';
import { cliDatabase, ratepayer, repoRoot } from './support/cli.ts';
import { usingServer } from './support/runtime.ts';

const actor = systemActor('test');
const timeZone = 'America/Los_Angeles';
let rt: Runtime;
let cli: Awaited<ReturnType<typeof cliDatabase>>;
let env: Record<string, string | undefined>;
/** Schedule entries of October 2026, by cycle. */
let october: Map<number, { billDate: string; readDate: string }>;

beforeAll(async () => {
  cli = await cliDatabase('ratepayer-restart-');
  env = cli.env;
  rt = await cli.open({ clock: new FixedClock('2026-11-26T17:00:00Z') });
  await loadDemo(rt, { accounts: 600, seed: 11, readMonths: 3, billMonths: 0 });
  const examples = path.join(repoRoot, 'src/tariff/examples');
  for (const f of fs.readdirSync(examples)) await tariffs.loadTariff(rt.db, actor, rt.clock, JSON.parse(fs.readFileSync(path.join(examples, f), 'utf8')), 'Rates');
  await billing.generateYear(rt.db, actor, rt.clock, { year: 2026 }, 'Schedule');
  october = new Map((await billing.scheduleOfYear(rt.db, 2026)).filter((e) => e.month === 10).map((e) => [e.cycle, e]));
}, 120_000);
afterAll(async () => {
  await rt?.close();
  await cli?.dispose();
});

/** Bills per agreement in a run, and the run's ledger and control totals. */
async function billedOnce(runId: number) {
  const { rows } = await sql<{ twice: number; bills: number; posted_cents: string; ledger_cents: string; ledger_entries: number; posted: number }>`
    select (select count(*) from (select agreement_id from bills where run_id = ${runId} group by agreement_id having count(*) > 1) t)::int as twice,
           (select count(*) from bills where run_id = ${runId})::int as bills,
           (select count(*) from bills where run_id = ${runId} and status = 'posted')::int as posted,
           (select coalesce(sum(total_cents), 0) from bills where run_id = ${runId} and status = 'posted')::text as posted_cents,
           (select coalesce(sum(e.amount_cents), 0) from ledger_entries e join bills b on b.id = e.bill_id where b.run_id = ${runId} and e.kind = 'bill')::text as ledger_cents,
           (select count(*) from ledger_entries e join bills b on b.id = e.bill_id where b.run_id = ${runId} and e.kind = 'bill')::int as ledger_entries`.execute(rt.db);
  return rows[0]!;
}

const dueCount = async (cycle: number, readDate: string) =>
  (await sql<{ n: number }>`select count(*)::int as n from service_agreements sa join accounts a on a.id = sa.account_id
     where a.billing_cycle = ${cycle} and sa.start_date <= ${readDate}::date and sa.end_date is null`.execute(rt.db)).rows[0]!.n;

describe('a billing run that stops part-way', () => {
  it('is finished by running it again: every agreement billed once, lines = bills = ledger; a third run does nothing', async () => {
    const cycle = 4;
    const e = october.get(cycle)!;
    const stop = new Error('power cut');
    await expect(runBilling(rt.db, actor, rt.clock, { cycle, date: e.billDate, timeZone, chunkSize: 5, afterChunk: (n) => { if (n === 2) throw stop; } })).rejects.toBe(stop);
    const partial = (await sql<{ id: number; status: string }>`select id, status from bill_runs where read_date = ${e.readDate} and cycle = ${cycle}`.execute(rt.db)).rows[0]!;
    expect(partial.status).toBe('running');
    // Two chunks of 5 accounts committed; the third, being rated when the stop came, did not.
    const partialBills = (await billedOnce(partial.id)).bills;
    const firstTenAccounts = (await sql<{ n: number }>`select count(*)::int as n from bills where run_id = ${partial.id} and account_id > (
      select max(id) from (select id from accounts where billing_cycle = ${cycle} order by id limit 10) a)`.execute(rt.db)).rows[0]!.n;
    expect(partialBills).toBeGreaterThan(5);
    expect(firstTenAccounts).toBe(0);

    const finished = await runBilling(rt.db, actor, rt.clock, { cycle, date: e.billDate, timeZone, chunkSize: 7 });
    expect(finished.runId).toBe(partial.id);
    expect(finished.control.tied).toBe(true);
    const once = await billedOnce(partial.id);
    expect(once.twice).toBe(0);
    expect(once.bills).toBe(partialBills + finished.selected - Object.values(finished.skipped).reduce((a, b) => a + b, 0));
    expect(once.bills).toBeGreaterThanOrEqual(await dueCount(cycle, e.readDate) - 2);
    expect([once.ledger_cents, once.ledger_entries]).toEqual([once.posted_cents, once.posted]);

    const again = await runBilling(rt.db, actor, rt.clock, { cycle, date: e.billDate, timeZone });
    expect(again).toMatchObject({ alreadyCompleted: true, posted: 0, held: 0 });
    expect(await billedOnce(partial.id)).toEqual(once);
  });

  it('tallies the register as bills post exactly as SQL tallies it from the stored bills', async () => {
    const e = october.get(13)!;
    const summary = await runBilling(rt.db, actor, rt.clock, { cycle: 13, date: e.billDate, timeZone, chunkSize: 9 });
    expect(summary.register.length).toBeGreaterThan(5);
    expect(summary.register).toEqual(await registerFromDatabase(rt.db, summary.runId));
    expect(summary.control).toMatchObject({ tied: true, lineCents: summary.bills.postedCents });
  });

  it('writes a chunk whose bills partly exist (two runs of one cycle at once) row by row: the new bills post, the old are skipped', async () => {
    const e = october.get(13)!;
    const run = (await sql<{ id: number }>`select id from bill_runs where cycle = 13 and read_date = ${e.readDate}`.execute(rt.db)).rows[0]!;
    const existing = (await sql<Record<string, unknown>>`select * from bills where run_id = ${run.id} and status = 'posted' order by id limit 2`.execute(rt.db)).rows;
    const rowOf = (b: Record<string, unknown>, periodTo: string) => ({
      findings: [], lines: [],
      row: { ...Object.fromEntries(Object.entries(b).filter(([k]) => k !== 'id')), period_to: periodTo, period_from: periodTo, lines: [] } as never,
    });
    const before = await billedOnce(run.id);
    // The first row is a bill already there (its agreement and period end); the second a new one.
    const stored = await storeBills(rt.db, actor, rt.clock, [rowOf(existing[0]!, existing[0]!.period_to as string), rowOf(existing[1]!, '2026-12-31')], { durable: false });
    expect(stored.map((b) => b.agreement_id)).toEqual([Number(existing[1]!.agreement_id)]);
    const after = await billedOnce(run.id);
    expect(after).toMatchObject({ twice: 1, bills: before.bills + 1, ledger_entries: before.ledger_entries + 1 });
  });

  it('property: whatever the chunk size and wherever it stops, the second run leaves each agreement billed once and the totals tied', async () => {
    const cycles = [6, 7, 8, 9, 10, 11];
    await fc.assert(fc.asyncProperty(fc.integer({ min: 1, max: 12 }), fc.integer({ min: 1, max: 4 }), async (chunkSize, stopAfter) => {
      const cycle = cycles.shift()!;
      const e = october.get(cycle)!;
      await runBilling(rt.db, actor, rt.clock, { cycle, date: e.billDate, timeZone, chunkSize, afterChunk: (n) => { if (n === stopAfter) throw new Error('stop'); } }).catch(() => undefined);
      const done = await runBilling(rt.db, actor, rt.clock, { cycle, date: e.billDate, timeZone, chunkSize: 50 });
      const once = await billedOnce(done.runId);
      return once.twice === 0 && done.control.tied && once.ledger_cents === once.posted_cents && once.ledger_entries === once.posted;
    }), { numRuns: 6 });
  });

  it.skipIf(!usingServer())('is finished after the process is killed with SIGKILL in the middle (server)', async () => {
    const cycle = 12;
    const e = october.get(cycle)!;
    const child = (await import('node:child_process')).spawn(process.execPath, [path.join(repoRoot, 'bin/ratepayer.js'), 'bill', 'run', '--cycle', String(cycle), '--date', e.billDate, '--chunk', '1', '--json'], { env: { ...process.env, ...env } });
    const exited = new Promise((resolve) => child.on('exit', resolve));
    // Kill it once some bills are committed.
    for (let i = 0; i < 600; i++) {
      const n = (await sql<{ n: number }>`select count(*)::int as n from bills b join bill_runs r on r.id = b.run_id where r.cycle = ${cycle} and r.read_date = ${e.readDate}`.execute(rt.db)).rows[0]!.n;
      if (n >= 3) break;
      await new Promise((r) => setTimeout(r, 50));
    }
    child.kill('SIGKILL');
    await exited;
    const run = (await sql<{ id: number; status: string }>`select id, status from bill_runs where cycle = ${cycle} and read_date = ${e.readDate}`.execute(rt.db)).rows[0]!;
    expect(run.status).toBe('running');
    const second = ratepayer(['bill', 'run', '--cycle', String(cycle), '--date', e.billDate, '--json'], env);
    expect(second.status, second.stderr).toBe(0);
    const summary = JSON.parse(second.stdout);
    expect(summary).toMatchObject({ runId: run.id, control: { tied: true } });
    expect((await billedOnce(run.id)).twice).toBe(0);
  });
});
