/**
 * `npm run bench -- payments`: posting a large payment file.
 *
 *   npm run bench -- payments [--entries 100000] [--seed S] [--json] [--keep] [--profile FILE]
 *
 * Builds a demo district with as many accounts as the file has entries (customers and accounts
 * only: no reads or bills), gives every account an electric and a water charge on the ledger (so
 * each payment is applied across services), writes a lockbox CSV file in the standard layout (most
 * payments pay in full, some in part, some overpay, one in fifty names no account of ours and goes
 * to suspense), and times `importFile` on it: parse, match, batch, payments by COPY, application
 * and ledger entries, all in one transaction. The last line printed is one JSON object with
 * `entries`, `seconds`, `entriesPerSecond`, `peakRssMb`, `backend` and the target.
 */
import { parseArgs } from 'node:util';
import { sql } from 'kysely';
import { openRuntime } from '../src/app/runtime.ts';
import { loadDemo } from '../src/demo/index.ts';
import { systemActor } from '../src/platform/actor.ts';
import { loadConfig } from '../src/platform/config.ts';
import { centsToDecimal, formatCents } from '../src/platform/money.ts';
import { paymentImports } from '../src/payment/index.ts';
import { benchDatabase } from './database.ts';
import { startProfile } from './profile.ts';
import { wholeNumberOption } from './stats.ts';

const TARGET_SECONDS = 10;
const { values } = parseArgs({
  args: process.argv.slice(3),
  options: {
    entries: { type: 'string', default: '100000' },
    seed: { type: 'string', default: '1' },
    json: { type: 'boolean', default: false },
    keep: { type: 'boolean', default: false },
    /** Write a V8 CPU profile of the timed import to this file (on the embedded database it holds the database's time too). */
    profile: { type: 'string' },
  },
});
const entries = wholeNumberOption('entries', values.entries, 1);
const seed = wholeNumberOption('seed', values.seed, 0);
const say = (line: string) => {
  if (!values.json) process.stdout.write(`${line}\n`);
};
const round2 = (x: number) => Math.round(x * 100) / 100;

const scratch = await benchDatabase(loadConfig(), 'ratepayer_bench_payments');
const runtime = await openRuntime({ config: scratch.config });
const { db, clock } = runtime;
const backend = runtime.handle.kind === 'server' ? 'server' : 'embedded';
let peakRss = process.memoryUsage().rss;
const sampler = setInterval(() => (peakRss = Math.max(peakRss, process.memoryUsage().rss)), 100);

try {
  say(`Ratepayer payments benchmark: ${backend} database at ${runtime.handle.location}`);
  let t = performance.now();
  await loadDemo(runtime, { accounts: entries, seed, readMonths: 0, billMonths: 0 });
  // Something to pay: an electric and a water charge on every account, a month apart.
  await sql`
    insert into ledger_entries (account_id, entry_date, kind, service, amount_cents, reason_code, reason, created_at)
    select a.id, d.day, 'adjustment', d.service, 2000 + (a.id * 7919 + d.n * 104729) % 15000, 'OTHER', 'Benchmark charge', now()
      from accounts a cross join (values (1, 'electric', date '2026-10-20'), (2, 'water', date '2026-11-20')) as d(n, service, day)`.execute(db);
  await sql`vacuum (analyze) accounts, ledger_entries`.execute(db);
  const { rows } = await sql<{ account_number: string; balance: string }>`
    select a.account_number, sum(l.amount_cents)::text as balance from accounts a join ledger_entries l on l.account_id = a.id group by a.id order by a.id`.execute(db);
  say(`District: ${rows.length} accounts with ${rows.length * 2} charges in ${round2((performance.now() - t) / 1000)} s`);

  // The file: full, partial and over-payments; one in fifty for an account that is not ours.
  const lines = ['Deposit Date,Batch,Item Sequence,Account Number,Remitter Name,Check Number,Payment Type,Payment Amount'];
  let total = 0;
  rows.slice(0, entries).forEach((r, i) => {
    const balance = Number(r.balance);
    const cents = i % 10 === 3 ? Math.floor(balance / 2) : i % 10 === 7 ? balance + 500 : balance;
    const account = i % 50 === 49 ? '123456789' : r.account_number;
    total += cents;
    lines.push(`11/27/2026,${1 + Math.floor(i / 1000)},L${String(i + 1).padStart(7, '0')},${account},PAYER ${i + 1},${1000 + (i % 9000)},Check,${centsToDecimal(cents)}`);
  });
  lines.push(`TOTAL,,${entries},,,,,${centsToDecimal(total)}`);
  const file = new TextEncoder().encode(`${lines.join('\r\n')}\r\n`);
  say(`File: ${entries} entries, ${(file.length / 1e6).toFixed(1)} MB, ${formatCents(total)}`);

  peakRss = process.memoryUsage().rss;
  const profiler = await startProfile(values.profile);
  t = performance.now();
  const result = await paymentImports.importFile(db, systemActor('bench'), clock, 'lockbox-csv', 'bench-lockbox.csv', file);
  const seconds = (performance.now() - t) / 1000;
  await profiler.stop();
  clearInterval(sampler);
  peakRss = Math.max(peakRss, process.memoryUsage().rss);
  const again = performance.now();
  const duplicate = await paymentImports.importFile(db, systemActor('bench'), clock, 'lockbox-csv', 'bench-lockbox.csv', file);
  const duplicateSeconds = (performance.now() - again) / 1000;
  const { rows: check } = await sql<{ payments: string; ledger: string }>`
    select (select coalesce(sum(amount_cents), 0) from payments where account_id is not null)::text as payments,
           (select coalesce(-sum(amount_cents), 0) from ledger_entries where kind = 'payment')::text as ledger`.execute(db);
  const tied = check[0]!.payments === check[0]!.ledger;
  say(`Posted: ${result.posted} to accounts, ${result.unmatched} to suspense, in ${round2(seconds)} s (${Math.round(entries / seconds)} entries/s); payments = ledger: ${tied ? 'tied' : 'NOT TIED'}`);
  say(`  where the time went: ${Object.entries((result.detail.seconds ?? {}) as Record<string, number>).map(([k, v]) => `${k} ${v} s`).join(', ')}`);
  say(`The same file again: duplicate ${duplicate.duplicate}, ${round2(duplicateSeconds)} s`);
  say(`Target: ${entries.toLocaleString('en-US')} entries in under ${TARGET_SECONDS} s`);
  process.stdout.write(`${JSON.stringify({
    entries, seconds: round2(seconds), entriesPerSecond: Math.round(entries / seconds), peakRssMb: Math.round(peakRss / 1e6),
    phaseSeconds: result.detail.seconds, posted: result.posted, unmatched: result.unmatched, totalCents: result.totalCents, tied, duplicateSeconds: round2(duplicateSeconds), backend, targetSeconds: TARGET_SECONDS,
  })}\n`);
} finally {
  clearInterval(sampler);
  await runtime.close();
  await scratch.cleanup(values.keep);
}
