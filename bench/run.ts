/**
 * `npm run bench`: loads a demo district (with its meter reads) and measures account search and
 * the account page.
 *
 *   npm run bench -- [--accounts N] [--seed S] [--read-months N] [--searches N] [--pages N] [--skip-load] [--json]
 *
 * The load is reported as a whole and by kind of statement: the customer and premise rows, and
 * the meter reads (24 months by default; `--read-months 0` loads none). Both run in batches, two
 * at a time, so a batch's reads overlap the next batch's rows: each kind's "wall" time is how
 * long any statement of that kind was running, and its rate is per second of that.
 *
 * Uses DATABASE_URL when set (loading into that database), else an embedded database in a
 * temporary folder. Prints p50/p95/p99 per kind beside the GUIDE's target (50 ms at the 99th
 * percentile with 1,000,000 accounts) and the floors to compare with: a bare `select 1` round trip
 * and a primary-key lookup of one account.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { sql } from 'kysely';
import { accountOverview } from '../src/account-view/index.ts';
import { openRuntime } from '../src/app/runtime.ts';
import { DEFAULT_READ_MONTHS, loadDemo, type DemoBatchTiming, type DemoSummary } from '../src/demo/index.ts';
import { Rng } from '../src/demo/generate.ts';
import { loadConfig } from '../src/platform/config.ts';
import { findAccounts } from '../src/search/index.ts';
import { buildQueries, sampleAccountIds, sampleAccounts, type QueryKind } from './queries.ts';
import { fmt, summarize, table, timeEach, wholeNumberOption, type Summary } from './stats.ts';

const TARGET_P99_MS = 50;

const { values } = parseArgs({
  options: {
    accounts: { type: 'string', default: '1000000' },
    seed: { type: 'string', default: '1' },
    'read-months': { type: 'string', default: String(DEFAULT_READ_MONTHS) },
    searches: { type: 'string', default: '1200' },
    pages: { type: 'string', default: '1000' },
    'skip-load': { type: 'boolean', default: false },
    json: { type: 'boolean', default: false },
  },
});
const wholeNumber = wholeNumberOption;
const accounts = wholeNumber('accounts', values.accounts, 1);
const seed = wholeNumber('seed', values.seed, 0);
const readMonths = wholeNumber('read-months', values['read-months'], 0);
const searches = wholeNumber('searches', values.searches, 6);
const pages = wholeNumber('pages', values.pages, 1);
const json = values.json;
const say = (line: string) => {
  if (!json) process.stdout.write(`${line}\n`);
};

const baseConfig = loadConfig();
const tmp = baseConfig.databaseUrl ? null : fs.mkdtempSync(path.join(os.tmpdir(), 'ratepayer-bench-'));
const runtime = await openRuntime({ config: { ...baseConfig, dataDir: tmp ? path.join(tmp, 'data') : baseConfig.dataDir } });
const { db, clock } = runtime;

try {
  const { rows: info } = await sql<{ version: string }>`select version() as version`.execute(db);
  const version = info[0]!.version.split(',')[0]!.split(' on ')[0]!;
  say(`Ratepayer benchmark: ${runtime.handle.kind} database (${version}) at ${runtime.handle.location}`);

  // ---- load ----
  let load: (DemoSummary & {
    seconds: number; accountsPerSecond: number; rowsPerSecond: number; peakRssMb: number;
    rows: { count: number; wallSeconds: number; perSecond: number };
    readLoad: { count: number; exceptions: number; wallSeconds: number; perSecond: number; statementSeconds: number };
    settleSeconds: number;
  }) | null = null;
  if (!values['skip-load']) {
    say(`Loading a demo district of ${accounts.toLocaleString('en-US')} accounts (seed ${seed}) with ${readMonths} months of meter reads...`);
    let peakRss = process.memoryUsage().rss;
    let lastPrint = 0;
    const batches: DemoBatchTiming[] = [];
    const t0 = performance.now();
    const summary = await loadDemo({ db, clock }, {
      accounts,
      seed,
      readMonths,
      // The search and account-page figures need no bills; the billing benchmark makes its own.
      billMonths: 0,
      onBatch: (b) => batches.push(b),
      onProgress: (done, total) => {
        peakRss = Math.max(peakRss, process.memoryUsage().rss);
        const now = performance.now();
        if (!json && process.stderr.isTTY && (now - lastPrint > 1000 || done === total)) {
          lastPrint = now;
          process.stderr.write(`\r  ${done.toLocaleString('en-US')} / ${total.toLocaleString('en-US')} accounts, ${((now - t0) / 1000).toFixed(0)} s`);
        }
      },
    });
    if (!json && process.stderr.isTTY) process.stderr.write('\n');
    const seconds = (performance.now() - t0) / 1000;
    const lastStatement = Math.max(t0, ...batches.map((b) => b.readsEnd));
    const rows = batches.reduce((n, b) => n + b.rows, 0);
    const rowsWall = wallSeconds(batches.map((b) => [b.rowsStart, b.rowsEnd]));
    const readsWall = wallSeconds(batches.filter((b) => b.reads > 0).map((b) => [b.readsStart, b.readsEnd]));
    const round1 = (x: number) => Math.round(x * 10) / 10;
    load = {
      ...summary,
      seconds: round1(seconds),
      accountsPerSecond: Math.round(summary.accounts / seconds),
      rowsPerSecond: Math.round(rows / seconds),
      peakRssMb: Math.round(peakRss / 1e6),
      rows: { count: rows, wallSeconds: round1(rowsWall), perSecond: Math.round(rows / Math.max(rowsWall, 1e-3)) },
      readLoad: {
        count: summary.reads,
        exceptions: summary.readExceptions,
        wallSeconds: round1(readsWall),
        perSecond: Math.round(summary.reads / Math.max(readsWall, 1e-3)),
        statementSeconds: round1(batches.reduce((n, b) => n + b.readsEnd - b.readsStart, 0) / 1000),
      },
      // The audit event and VACUUM (ANALYZE) after the last statement.
      settleSeconds: round1((t0 + seconds * 1000 - lastStatement) / 1000),
    };
    const n = (x: number) => x.toLocaleString('en-US');
    say(`Loaded ${n(summary.accounts)} accounts in ${load.seconds} s: ${n(load.accountsPerSecond)} accounts/s, peak RSS ${load.peakRssMb} MB`);
    say(`  rows:  ${n(rows)} (${n(summary.customers)} customers, ${n(summary.premises)} premises, ${n(summary.servicePoints)} service points, ` +
      `${n(summary.meters)} meters, ${n(summary.agreements)} agreements, ...) in ${load.rows.wallSeconds} s: ${n(load.rows.perSecond)} rows/s`);
    say(`  reads: ${n(summary.reads)} meter reads (${readMonths} months; ${n(summary.readExceptions)} read exceptions) in ${load.readLoad.wallSeconds} s: ` +
      `${n(load.readLoad.perSecond)} reads/s (${load.readLoad.statementSeconds} s of statement time)`);
    say(`  then VACUUM (ANALYZE): ${load.settleSeconds} s`);
  }

  const { rows: sizes } = await sql<{ accounts: number; reads: number; bytes: number }>`
    select (select count(*)::int from accounts) as accounts, (select count(*)::int from meter_reads) as reads,
           pg_database_size(current_database())::int8 as bytes`.execute(db);
  const database = { kind: runtime.handle.kind, location: runtime.handle.location, version, accounts: sizes[0]!.accounts, reads: sizes[0]!.reads, sizeMb: Math.round(sizes[0]!.bytes / 1e6) };
  say(`Database holds ${database.accounts.toLocaleString('en-US')} accounts and ${database.reads.toLocaleString('en-US')} meter reads, ${database.sizeMb.toLocaleString('en-US')} MB.`);

  // ---- what to ask ----
  const rng = new Rng(seed + 1_000_003);
  // Each query from its own account (some have no phone or meter: take a few more than needed).
  const samples = await sampleAccounts(db, rng, Math.ceil(searches * 1.3));
  const queries = buildQueries(rng, samples, searches);
  const pageIds = await sampleAccountIds(db, rng, pages);
  const floorIds = await sampleAccountIds(db, rng, 500);

  // Each measurement starts with a short warm-up (not counted): it opens the pool's connections
  // (the pool closes connections idle for 10 s, and the account page runs 4 queries at once) and
  // warms the code paths.
  const warmUp = async (f: () => Promise<unknown>) => {
    for (let i = 0; i < 20; i++) await f();
  };
  await warmUp(() => sql`select 1`.execute(db));

  // ---- floors ----
  const select1 = summarize(await timeEach(floorIds, () => sql`select 1`.execute(db), () => 'select 1'));
  const pkLookup = summarize(await timeEach(floorIds, (id) => sql`select * from accounts where id = ${id}`.execute(db), (id) => `account ${id}`));

  // ---- search ----
  await warmUp(() => findAccounts(db, rng.pick(queries).q));
  const searchSamples = await timeEach(queries, (q) => findAccounts(db, q.q), (q) => `${q.kind}: ${JSON.stringify(q.q)}`);
  const byKind = new Map<QueryKind, typeof searchSamples>();
  queries.forEach((q, i) => byKind.set(q.kind, [...(byKind.get(q.kind) ?? []), searchSamples[i]!]));
  const search = {
    all: summarize(searchSamples),
    byKind: Object.fromEntries([...byKind].map(([k, s]) => [k, summarize(s)])) as Record<QueryKind, Summary>,
  };

  // ---- account page ----
  await warmUp(() => accountOverview(db, clock, rng.pick(pageIds)));
  const accountPage = summarize(await timeEach(pageIds, (id) => accountOverview(db, clock, id), (id) => `account ${id}`));

  const passes = (s: Summary) => s.p99 <= TARGET_P99_MS;
  const pass = passes(search.all) && Object.values(search.byKind).every(passes) && passes(accountPage);

  if (json) {
    process.stdout.write(`${JSON.stringify({ database, load, targetP99Ms: TARGET_P99_MS, floors: { select1, pkLookup }, search, accountPage, pass })}\n`);
  } else {
    const row = (name: string, s: Summary, target: boolean) =>
      [name, s.n, fmt(s.p50), fmt(s.p95), fmt(s.p99), fmt(s.max), target ? `< ${TARGET_P99_MS}` : 'floor', target ? (passes(s) ? 'ok' : 'MISS') : ''];
    say('');
    say(table(['ms', 'n', 'p50', 'p95', 'p99', 'max', 'p99 target', ''], [
      row('floor: select 1', select1, false),
      row('floor: account by id', pkLookup, false),
      row('account page', accountPage, true),
      row('search (all kinds)', search.all, true),
      ...Object.entries(search.byKind).map(([k, s]) => row(`  search: ${k}`, s, true)),
    ]));
    say('');
    say('Slowest searches:');
    for (const s of search.all.slowest) say(`  ${fmt(s.ms)} ms  ${s.label}`);
    say(`Slowest account page: ${accountPage.slowest.map((s) => `${fmt(s.ms)} ms (${s.label})`).join(', ')}`);
    say(pass ? `All p99 targets met (${TARGET_P99_MS} ms).` : `Some p99 targets missed (${TARGET_P99_MS} ms): see MISS above.`);
  }
} finally {
  await runtime.close();
  if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
}

/** Seconds during which at least one of the intervals [start, end] (milliseconds) was open. */
function wallSeconds(intervals: [number, number][]): number {
  const sorted = [...intervals].sort((a, b) => a[0] - b[0]);
  let total = 0;
  let end = -Infinity;
  for (const [s, e] of sorted) {
    if (e <= end) continue;
    total += e - Math.max(s, end);
    end = e;
  }
  return total / 1000;
}
