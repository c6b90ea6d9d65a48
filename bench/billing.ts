/**
 * `npm run bench -- billing`: the billing run at scale.
 *
 *   npm run bench -- billing [--accounts N] [--seed S] [--history-months 12] [--json] [--keep] [--reuse] [--profile FILE]
 *
 * Builds a demo district of N accounts (electric, water and fiber, as the demo mixes them) with
 * 15 months of meter reads, bills 12 months of history with the billing run itself (every cycle,
 * month by month; held bills approved as staff would), then times one full month of billing: the
 * 20 cycles' runs of the latest month, every edit on, bills, lines and ledger entries committed.
 *
 * Beside it, the floor it is compared with, measured in the same process on the same rows: rating
 * alone (calculateBill over the timed month's inputs, rebuilt from its bills), and writing the
 * same bill and ledger rows by COPY (5,000 rows at a time, into empty copies of the tables, logged
 * like the real ones but without their indexes). The last line printed is one JSON object.
 *
 * With DATABASE_URL, a new database `ratepayer_bench_billing` on that server (dropped first if a
 * stopped benchmark left it, and dropped at the end); else an embedded database in a temporary folder.
 * For working on the run's speed: `--keep` leaves the server database in place, and `--reuse` then
 * times the month again on it, without building the district and its history: the timed month's
 * runs, bills, their ledger entries and exceptions are deleted first (in this scratch database
 * only; the estimates and final-bill flags the first timing left stay, so figures differ a little).
 */
import fs from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { sql } from 'kysely';
import { openRuntime } from '../src/app/runtime.ts';
import { billing, runBilling } from '../src/billing/index.ts';
import { loadDemo } from '../src/demo/index.ts';
import { systemActor } from '../src/platform/actor.ts';
import type { Clock } from '../src/platform/clock.ts';
import { loadConfig } from '../src/platform/config.ts';
import { addMonths } from '../src/platform/dates.ts';
import { unpackLines } from '../src/billing/lines.ts';
import { copyRows } from '../src/platform/db/copy.ts';
import { benchDatabase } from './database.ts';
import { cpuMeter } from './cpu.ts';
import { startProfile } from './profile.ts';
import { wholeNumberOption } from './stats.ts';
import { calculateBill, tariffs, type RatingInput } from '../src/tariff/index.ts';

const TARGET = { server: 60, embedded: 90 };

const { values } = parseArgs({
  args: process.argv.slice(3),
  options: {
    accounts: { type: 'string', default: '1000000' },
    seed: { type: 'string', default: '1' },
    'history-months': { type: 'string', default: '12' },
    json: { type: 'boolean', default: false },
    /** Leave the server database in place afterwards, to look into it. */
    keep: { type: 'boolean', default: false },
    /** Time the month again on a database left by --keep (server only). */
    reuse: { type: 'boolean', default: false },
    /** Write a V8 CPU profile of the timed month to this file (open it in Chrome's DevTools). */
    profile: { type: 'string' },
  },
});
const whole = wholeNumberOption;
const accounts = whole('accounts', values.accounts, 1);
const seed = whole('seed', values.seed, 0);
const historyMonths = whole('history-months', values['history-months'], 0);
const say = (line: string) => {
  if (!values.json) process.stdout.write(`${line}\n`);
};
const round1 = (x: number) => Math.round(x * 10) / 10;

let peakRss = process.memoryUsage().rss;
const sampler = setInterval(() => (peakRss = Math.max(peakRss, process.memoryUsage().rss)), 200);

const baseConfig = loadConfig();
const scratch = await benchDatabase(baseConfig, 'ratepayer_bench_billing', { reuse: values.reuse });
const runtime = await openRuntime({ config: scratch.config });
const { db, clock } = runtime;
const actor = systemActor('bench');
const backend = runtime.handle.kind === 'server' ? 'server' : 'embedded';

try {
  say(`Ratepayer billing benchmark: ${backend} database at ${runtime.handle.location}`);
  let t = performance.now();
  if (scratch.reused) say('Reusing the district and history of the kept database');
  const demo = scratch.reused ? null : await loadDemo({ db, clock, config: runtime.config }, { accounts, seed, readMonths: historyMonths + 3, billMonths: 0 });
  if (demo) say(`District: ${demo.accounts} accounts, ${demo.agreements} agreements, ${demo.reads} meter reads in ${round1((performance.now() - t) / 1000)} s`);

  const examples = path.resolve(import.meta.dirname, '../src/tariff/examples');
  for (const f of scratch.reused ? [] : fs.readdirSync(examples).filter((x) => x.endsWith('.json'))) {
    await tariffs.loadTariff(db, actor, clock, JSON.parse(fs.readFileSync(path.join(examples, f), 'utf8')), 'Benchmark rates');
  }
  const today = clock.today();
  const entries = [];
  for (let year = Number(addMonths(today, -historyMonths - 2).slice(0, 4)); year <= Number(today.slice(0, 4)); year++) {
    if (!scratch.reused) await billing.generateYear(db, actor, clock, { year }, 'Benchmark schedule');
    entries.push(...(await billing.scheduleOfYear(db, year)));
  }
  // The latest month every cycle has read and billed by today is the month timed; the
  // history-months before it are billed first. The reads start a month earlier still, so that
  // the first history bills have a read to start from.
  const key = (e: { year: number; month: number }) => `${e.year}-${String(e.month).padStart(2, '0')}`;
  const due = entries.filter((e) => e.billDate <= today).sort((a, b) => a.readDate.localeCompare(b.readDate) || a.cycle - b.cycle);
  const months = [...new Set(due.map(key))].sort();
  const timedMonth = months.filter((m) => due.filter((e) => key(e) === m).length === 20).at(-1)!;
  const historyKeys = new Set(months.filter((m) => m < timedMonth).slice(-historyMonths));
  const timed = due.filter((e) => key(e) === timedMonth);
  const history = historyMonths === 0 || scratch.reused ? [] : due.filter((e) => historyKeys.has(key(e)));
  if (scratch.reused) {
    const ids = sql`(select r.id from bill_runs r where r.schedule_id = any(${timed.map((e) => e.id)}::int8[]))`;
    await db.transaction().execute(async (trx) => {
      // The ledger refuses deletes (its append-only trigger); a scratch database's owner may switch triggers off.
      await sql`set local session_replication_role = replica`.execute(trx);
      await sql`delete from bill_exceptions where bill_id in (select id from bills where run_id in ${ids})`.execute(trx);
      await sql`delete from ledger_entries where kind = 'bill' and bill_id in (select id from bills where run_id in ${ids})`.execute(trx);
      await sql`delete from bills where run_id in ${ids}`.execute(trx);
      await sql`delete from bill_runs where id in ${ids}`.execute(trx);
    });
  }

  const clockOn = (date: string): Clock => ({ now: () => new Date(`${date}T17:00:00-08:00`), today: () => date });
  t = performance.now();
  let historyBills = 0;
  for (const e of history) {
    const s = await runBilling(db, actor, clockOn(e.billDate), { cycle: e.cycle, date: e.billDate, timeZone: runtime.config.timeZone });
    historyBills += s.posted;
    for (const held of await billing.heldBills(db, { after: 0, limit: 1_000_000, runId: s.runId })) await billing.approveBill(db, actor, clockOn(e.billDate), held.id, 'Benchmark: reviewed');
    if (!values.json && process.stderr.isTTY) process.stderr.write(`\r  history: ${e.year}-${String(e.month).padStart(2, '0')} cycle ${e.cycle}, ${historyBills} bills`);
  }
  if (!values.json && process.stderr.isTTY) process.stderr.write('\n');
  if (!scratch.reused) say(`History: ${historyBills} bills over ${historyMonths} months in ${round1((performance.now() - t) / 1000)} s`);
  await sql`vacuum (analyze) bills, ledger_entries, meter_reads`.execute(db);

  // ---- the timed month ----
  peakRss = process.memoryUsage().rss;
  const profiler = await startProfile(values.profile);
  const runIds: number[] = [];
  let posted = 0;
  let held = 0;
  let billed = 0;
  let tied = true;
  const phases: Record<string, number> = {};
  const cpu = cpuMeter();
  t = performance.now();
  for (const e of timed) {
    const s = await runBilling(db, actor, clockOn(e.billDate), { cycle: e.cycle, date: e.billDate, timeZone: runtime.config.timeZone });
    runIds.push(s.runId);
    posted += s.posted;
    held += s.held;
    billed += s.posted + s.held;
    tied &&= s.control.tied;
    for (const [k, v] of Object.entries(s.seconds)) phases[k] = (phases[k] ?? 0) + v;
  }
  const seconds = (performance.now() - t) / 1000;
  const cpuSeconds = cpu.stop();
  await profiler.stop();
  // The run's own memory; the floor below holds the month's rows in memory and would add to it.
  const runPeakRss = Math.max(peakRss, process.memoryUsage().rss);
  const billedAccounts = (await sql<{ n: number }>`select count(distinct account_id)::int as n from bills where run_id = any(${runIds}::int8[])`.execute(db)).rows[0]!.n;
  say(`  where the time went: ${Object.entries(phases).map(([k, v]) => `${k} ${round1(v)} s`).join(', ')}`);
  say(`  CPU: Node.js ${cpuSeconds.nodeCpuSeconds} s, the database server's processes ${cpuSeconds.serverCpuSeconds} s${backend === 'embedded' ? ' (embedded: its time is in Node.js\'s)' : ''}`);
  say(`Billing month ${timedMonth}: ${timed.length} cycle runs, ${billedAccounts} accounts, ${billed} bills (${posted} posted, ${held} held) in ${round1(seconds)} s, control totals ${tied ? 'tied' : 'NOT TIED'}`);

  // ---- the floor: rating alone, and the same rows written in bulk ----
  // Page by page (5,000 bills), so that a million bills are never all in memory at once: each page
  // is rated (timed), then copied with its ledger entries (timed); the reading is not timed.
  const versions = await tariffs.versionsByCode(db);
  await sql`create table floor_bills (like bills including defaults)`.execute(db);
  await sql`create table floor_ledger (like ledger_entries including defaults)`.execute(db);
  let ratingSeconds = 0;
  let copySeconds = 0;
  let rated = 0;
  let floorBills = 0;
  let floorEntries = 0;
  for (let after = 0; ;) {
    const page = (await sql<Record<string, unknown>>`select * from bills where run_id = any(${runIds}::int8[]) and id > ${after} order by id limit 5000`.execute(db)).rows;
    if (page.length === 0) break;
    const ids = page.map((r) => Number(r.id));
    after = ids.at(-1)!;
    const entries = (await sql<Record<string, unknown>>`select * from ledger_entries where bill_id = any(${ids}::int8[]) and kind = 'bill'`.execute(db)).rows;
    // The meter size each bill was rated with (water base charges), from its agreement's meter.
    const sizes = new Map((await sql<{ id: number; size: string | null }>`
      select b.id, m.size from bills b
        join service_agreements sa on sa.id = b.agreement_id
        join meter_installations mi on mi.service_point_id = sa.service_point_id and mi.removed_on is null
        join meters m on m.id = mi.meter_id
       where b.id = any(${ids}::int8[])`.execute(db)).rows.map((r) => [Number(r.id), r.size]));
    const inputs: RatingInput[] = page.filter((r) => unpackLines(r.lines).length > 0).map((r) => ({
      versions: versions.get(r.rate_code as string) ?? [], periodFrom: r.period_from as string, periodTo: r.period_to as string, partial: Boolean(r.final),
      usage: (r.usage as string | null) ?? undefined, usageUnit: (r.usage_unit as RatingInput['usageUnit']) ?? undefined,
      meterSize: sizes.get(Number(r.id)) ?? undefined, bankedKwh: undefined,
    }));
    t = performance.now();
    for (const input of inputs) {
      try {
        calculateBill(input);
        rated++;
      } catch {
        // A few inputs cannot be rebuilt from the bill alone (a demand, interval data): not counted.
      }
    }
    ratingSeconds += (performance.now() - t) / 1000;
    t = performance.now();
    // The same rows by COPY into empty copies of the tables (no indexes).
    for (const [table, rows] of [['floor_bills', page], ['floor_ledger', entries]] as const) {
      const columns = Object.keys(rows[0] ?? {});
      await copyRows(db, table, columns, rows.map((r) => columns.map((c) => r[c])));
    }
    copySeconds += (performance.now() - t) / 1000;
    floorBills += page.length;
    floorEntries += entries.length;
  }
  await sql`drop table floor_bills, floor_ledger`.execute(db);
  const floorSeconds = ratingSeconds + copySeconds;
  say(`Floor: rating alone ${round1(ratingSeconds)} s (${rated} bills), the same ${floorBills} bills and ${floorEntries} ledger entries copied in bulk ${round1(copySeconds)} s: ${round1(floorSeconds)} s`);
  const target = TARGET[backend];
  const perMillion = (seconds * 1_000_000) / Math.max(billedAccounts, 1);
  say(`Target: 1,000,000 accounts in ${target} s (${backend}); at this rate 1,000,000 accounts would take ${Math.round(perMillion)} s`);
  clearInterval(sampler);
  peakRss = Math.max(peakRss, process.memoryUsage().rss);
  process.stdout.write(`${JSON.stringify({
    accounts: billedAccounts, bills: billed, posted, held, cycles: timed.length, month: timedMonth, seconds: round1(seconds),
    accountsPerSecond: Math.round(billedAccounts / seconds), peakRssMb: Math.round(runPeakRss / 1e6), floorPeakRssMb: Math.round(peakRss / 1e6),
    floorSeconds: round1(floorSeconds), ratingSeconds: round1(ratingSeconds), copySeconds: round1(copySeconds),
    backend, reused: scratch.reused, targetSeconds: target, phaseSeconds: Object.fromEntries(Object.entries(phases).map(([k, v]) => [k, round1(v)])), ...cpuSeconds, projectedSecondsPerMillion: Math.round(perMillion), tied,
  })}\n`);
} finally {
  clearInterval(sampler);
  await runtime.close();
  await scratch.cleanup(values.keep);
}
