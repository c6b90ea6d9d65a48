/**
 * The billing run of one cycle (C5): select the agreements due, gather their use (estimating a
 * missing read), rate them with the one rating calculation, validate, hold the exceptions and post
 * the rest to the ledger.
 *
 * Work goes in chunks of agreements, each chunk one transaction: its bills, their ledger entries
 * and their exceptions commit together or not at all. Every bill is kept once by its key
 * bill:{agreement}:{period end} (the bills_once index), so a run that stopped part-way is finished
 * by running it again: the agreements already billed in this run are not selected, and a bill
 * that somehow is inserted twice is skipped by the index.
 */
import { sql } from 'kysely';
import { recordChange } from '../audit/index.ts';
import { budget } from '../budget/index.ts';
import { ledger } from '../ledger/index.ts';
import { meterReads, readFiles } from '../meter-read/index.ts';
import type { Actor } from '../platform/actor.ts';
import type { Clock } from '../platform/clock.ts';
import { addDays, addMonths, daysBetween } from '../platform/dates.ts';
import { transact, type Db } from '../platform/db/database.ts';
import { AppError } from '../platform/errors.ts';
import { premises } from '../premise/index.ts';
import { calculateBill, tariffs, type BillLine, type RatingInput, type TariffVersion } from '../tariff/index.ts';
import { packLines } from './lines.ts';
import { RegisterTally, sortRegister, type RegisterRow } from './register.ts';
export type { RegisterRow } from './register.ts';
import * as repo from './repository.ts';
import { checkBill, type BillFinding, type BillValidationSettings, type PastBill } from './validation.ts';

export interface RunOptions {
  cycle: number;
  /** Bills the cycle's schedule entry with the latest read date on or before this date. */
  date: string;
  timeZone: string;
  /** Accounts per chunk: each chunk's bills commit in one transaction. */
  chunkSize?: number;
  /** A read this many days before the scheduled read date still ends the period. */
  readWindowDays?: number;
  /** Called once the run is under way, with its id and how many agreements it will look at. */
  onStarted?: (runId: number, total: number) => void;
  onProgress?: (p: { done: number; posted: number; held: number; skipped: number }) => void;
  /** Test hook: called after each committed chunk (a test throws here to stop a run part-way). */
  afterChunk?: (chunk: number) => void | Promise<void>;
}

export type SkipReason = 'held_bill_open' | 'no_meter' | 'no_read' | 'nothing_to_bill';


export interface RunSummary {
  runId: number;
  cycle: number;
  readDate: string;
  billDate: string;
  dueDate: string;
  status: 'completed';
  /** This run had completed before: nothing was done now. */
  alreadyCompleted: boolean;
  /** Agreements handled by this invocation (a re-run counts only what was left). */
  selected: number;
  posted: number;
  held: number;
  skipped: Partial<Record<SkipReason, number>>;
  estimatedReads: number;
  /** Over the whole run (all invocations). */
  bills: { posted: number; held: number; postedCents: number; heldCents: number; taxCents: number };
  register: RegisterRow[];
  control: { lineCents: number; billCents: number; ledgerCents: number; postedBills: number; ledgerEntries: number; tied: boolean };
  /** Where this invocation's time went, in seconds: choosing agreements, finding periods (and estimating), reading use and history, rating and the edits, writing, and the register. */
  seconds: PhaseSeconds;
}

export interface PhaseSeconds { select: number; periods: number; gather: number; rate: number; store: number; summarize: number }
const newPhases = (): PhaseSeconds => ({ select: 0, periods: 0, gather: 0, rate: 0, store: 0, summarize: 0 });
/** Adds the time `work` takes to one phase. */
async function timed<T>(phases: PhaseSeconds, phase: keyof PhaseSeconds, work: () => Promise<T>): Promise<T> {
  const start = performance.now();
  try {
    return await work();
  } finally {
    phases[phase] += (performance.now() - start) / 1000;
  }
}

/** Accounts per chunk (about twice as many agreements). */
const CHUNK = 500;

export async function runBilling(db: Db, actor: Actor, clock: Clock, opts: RunOptions): Promise<RunSummary> {
  const entry = await repo.scheduleEntryOn(db, opts.cycle, opts.date);
  if (!entry) {
    throw new AppError('validation', `No billing schedule for cycle ${opts.cycle} on or before ${opts.date}: generate the year ${opts.date.slice(0, 4)} on the Billing schedule screen (or ratepayer schedule generate --year ${opts.date.slice(0, 4)})`, { cycle: opts.cycle, date: opts.date });
  }
  const created = await repo.insertRun(db, {
    schedule_id: entry.id, cycle: entry.cycle, read_date: entry.read_date, bill_date: entry.bill_date, due_date: entry.due_date,
    status: 'running', started_at: clock.now(), finished_at: null, started_by: actor.userId, summary: null,
  });
  let run = created ?? (await repo.runOfSchedule(db, entry.id))!;
  if (run.status === 'completed') return { ...(run.summary as RunSummary), alreadyCompleted: true, selected: 0, posted: 0, held: 0, skipped: {}, estimatedReads: 0, seconds: newPhases() };

  opts.onStarted?.(run.id, await repo.countDue(db, { cycle: run.cycle, readDate: run.read_date }));
  const versions = await tariffs.versionsByCode(db);
  const settings = await settingsByClass(db);
  const counts = { selected: 0, posted: 0, held: 0, estimatedReads: 0, skipped: {} as Partial<Record<SkipReason, number>> };
  const skip = (why: SkipReason) => { counts.skipped[why] = (counts.skipped[why] ?? 0) + 1; };
  // A run started now is tallied as it goes; a resumed one has bills from before, tallied in SQL at the end.
  const tally = created ? new RegisterTally() : null;

  const phases = newPhases();
  let chunkNo = 0;
  // Three chunks are in hand at once: the next one's agreements, periods and use are read while
  // this one is rated and the last one is written. At most one store is in flight, so a stop
  // loses at most the chunk being written (its transaction rolls back) and the ones behind it.
  let storing: Promise<void> = Promise.resolve();
  let reading: Promise<unknown> = Promise.resolve();
  try {
    await chunks();
  } finally {
    // Whatever stopped the chunks, the work in flight settles before the run returns or throws,
    // so nothing commits after the caller hears the run ended.
    await Promise.allSettled([storing, reading]);
  }
  async function prepare(afterAccount: number): Promise<{ last: number; gathered: Gathered | null } | null> {
    const limit = opts.chunkSize ?? CHUNK;
    const last = await timed(phases, 'select', () => repo.lastAccountOfChunk(db, { cycle: run.cycle, afterAccount, limit }));
    if (last === null) return null;
    const due = await timed(phases, 'select', () => repo.agreementsDue(db, { runId: run.id, cycle: run.cycle, readDate: run.read_date, afterAccount, upToAccount: last }));
    if (due.length === 0) return { last, gathered: null };
    counts.selected += due.length;
    const periods = await timed(phases, 'periods', () => periodsOf(db, actor, { ...run, final_cutoff: opts.date > run.read_date ? opts.date : run.read_date }, due, opts.readWindowDays ?? 5, skip, () => counts.estimatedReads++));
    return { last, gathered: await gatherChunk(db, opts.timeZone, { ...run, final_cutoff: run.read_date }, periods, versions, phases) };
  }
  async function chunks() {
    let next = prepare(0);
    for (;;) {
      reading = next;
      const ready = await next;
      if (ready === null) break;
      next = prepare(ready.last);
      reading = next;
      next.catch(() => undefined); // awaited at the top of the loop, or settled in finally
      if (ready.gathered === null) continue;
      const rows = rateGathered({ ...run, final_cutoff: run.read_date }, ready.gathered, versions, settings, clock.now(), phases);
      await storing;
      const n = ++chunkNo;
      storing = (async () => {
        const stored = await timed(phases, 'store', () => storeBills(db, actor, clock, rows, { durable: false }));
        const byAgreement = tally ? new Map(rows.map((r) => [r.row.agreement_id, r])) : null;
        for (const b of stored) {
          if (b.status === 'posted') {
            counts.posted++;
            const r = byAgreement?.get(b.agreement_id);
            if (r) tally!.add({ service: r.row.service, customerClass: r.row.customer_class, lines: r.lines });
          } else {
            counts.held++;
          }
        }
        opts.onProgress?.({ done: counts.selected, posted: counts.posted, held: counts.held, skipped: Object.values(counts.skipped).reduce((a, b) => a + b, 0) });
        await opts.afterChunk?.(n);
      })();
      storing.catch(() => undefined); // awaited before the next store, or after the loop
    }
    await storing;
  }

  const summary = await timed(phases, 'summarize', () => summarize(db, run, counts, phases, tally));
  run = await repo.updateRun(db, run.id, { status: 'completed', finished_at: clock.now(), summary: JSON.stringify(summary) });
  await recordChange(db, actor, {
    action: 'bill_run', entityType: 'bill_run', entityId: run.id,
    after: { cycle: summary.cycle, readDate: summary.readDate, posted: summary.bills.posted, held: summary.bills.held, postedCents: summary.bills.postedCents, tied: summary.control.tied },
    reason: `Billing run for cycle ${summary.cycle}, read date ${summary.readDate}`,
  });
  return summary;
}

/**
 * Writes rated bills in one transaction: the bills (one per agreement and period end; a bill
 * already there is skipped), the ledger entries of the posted ones, the exceptions of the held
 * ones, and the final-bill flags of the agreements whose final bill posted.
 */
export async function storeBills(db: Db, actor: Actor, clock: Clock, rows: RatedRow[], opts: { durable: boolean } = { durable: true }) {
  if (opts.durable || db.isTransaction) return transact(db, (trx) => writeBills(trx, actor, clock, rows, false));
  // A run's chunk is new bills, written by COPY. Should one already be there (two runs of one
  // cycle at once), the bills_once index refuses the COPY and the chunk is written again row by
  // row, skipping the bills that exist.
  try {
    return await transact(db, (trx) => writeBills(trx, actor, clock, rows, true));
  } catch (e) {
    if ((e as { code?: string }).code !== '23505') throw e;
    return transact(db, (trx) => writeBills(trx, actor, clock, rows, false));
  }
}

async function writeBills(trx: Db, actor: Actor, clock: Clock, rows: RatedRow[], bulk: boolean) {
  // A run's chunk need not wait for its commit to reach the disk: if the machine fails just
  // after, the chunk is lost whole (never half), and running the run again bills it. A bill
  // made on demand (final, rebill) is durable before the user is told it is done.
  if (bulk) await sql`set local synchronous_commit = off`.execute(trx);
  const inserted = bulk ? await repo.copyNewBills(trx, rows.map((r) => r.row)) : await repo.insertBills(trx, rows.map((r) => r.row));
  const byAgreement = new Map(rows.map((r) => [r.row.agreement_id, r]));
  const posted = inserted.filter((b) => b.status === 'posted');
  const entries = posted.map((b) => ({ accountId: b.account_id, billId: b.id, service: b.service, entryDate: b.bill_date, amountCents: Number(b.total_cents), taxCents: Number(b.tax_cents) }));
  await (bulk ? ledger.postNewBills : ledger.postBills)(trx, entries, clock.now(), actor.userId);
  await repo.insertExceptions(trx, inserted.filter((b) => b.status === 'held').flatMap((b) =>
    byAgreement.get(b.agreement_id)!.findings.map((f) => ({ bill_id: b.id, code: f.code, message: f.message, created_at: clock.now() }))));
  await premises.finalBillsIssued(trx, posted.filter((b) => byAgreement.get(b.agreement_id)!.row.final).map((b) => b.agreement_id));
  await budget.afterBillsPosted(trx, actor, clock, posted.map((b) => ({ id: b.id, accountId: b.account_id, service: b.service, billDate: b.bill_date, totalCents: Number(b.total_cents), final: byAgreement.get(b.agreement_id)!.row.final })));
  return inserted;
}

export async function settingsByClass(db: Db): Promise<Map<string, BillValidationSettings>> {
  return new Map((await repo.validationSettings(db)).map((s) => [s.customer_class, {
    highRatio: trimDecimal(s.high_ratio), lowRatio: trimDecimal(s.low_ratio), minDailyCents: s.min_daily_cents, minDays: s.min_days, maxDays: s.max_days,
    largeAmountCents: Number(s.large_amount_cents), maxEstimatesInRow: s.max_estimates_in_row,
  }]));
}
const trimDecimal = (v: string) => (v.includes('.') ? v.replace(/0+$/, '').replace(/\.$/, '') : v);

/** The dates a batch of bills is made for: a run's schedule entry, or today for a bill on demand. */
export interface BillingContext {
  id: number | null;
  read_date: string;
  /** An agreement that ended on or before this day gets its final bill, to its end date. */
  final_cutoff: string;
  bill_date: string;
  due_date: string;
}

export interface Period {
  due: repo.DueAgreement;
  from: string;
  to: string;
  final: boolean;
  firstBill: boolean;
}

/**
 * Where each agreement's bill period starts and ends. A metered period ends on the last read
 * within the read window before the scheduled read date; with none, a read is estimated on the
 * read date (and marked as an estimate by the meter-read context). A final bill ends on the day
 * service ended.
 */
export async function periodsOf(db: Db, actor: Actor, run: BillingContext, due: repo.DueAgreement[], windowDays: number, skip: (why: SkipReason) => void, estimated: () => void): Promise<Period[]> {
  const isFinal = (d: repo.DueAgreement) => d.end_date !== null && d.end_date <= run.final_cutoff;
  const live = due.filter((d) => {
    if (d.has_held) skip('held_bill_open');
    return !d.has_held;
  });
  // The last read on or before each period's planned end (the read date, or the end of service), in one query.
  const plannedEnd = (d: repo.DueAgreement) => (isFinal(d) ? d.end_date! : run.read_date);
  const metered = live.filter((d) => d.service !== 'fiber');
  const lastReads = await meterReads.lastReadDates(db, metered.map((d) => ({ servicePointId: d.service_point_id, onOrBefore: plannedEnd(d) })));
  const ends: { d: repo.DueAgreement; from: string; to: string; final: boolean }[] = [];
  for (const d of live) {
    const from = d.last_to ? addDays(d.last_to, 1) : d.start_date;
    const final = isFinal(d);
    let to = plannedEnd(d);
    if (d.service !== 'fiber') {
      const last = lastReads.get(`${d.service_point_id}:${to}`) ?? null;
      // A final period ends on its closing read; a cycle period on the last read within the window.
      const read = final ? last === to : last !== null && last >= from && daysBetween(last, to) <= windowDays;
      if (read) {
        to = last!;
      } else {
        if (!d.meter_id) { skip('no_meter'); continue; }
        if (!(await estimateRead(db, actor, d.meter_id, to))) { skip('no_read'); continue; }
        estimated();
      }
    }
    if (to < from) { skip('nothing_to_bill'); continue; }
    ends.push({ d, from, to, final });
  }
  // Never billed here: the period starts at the agreement's start, or, for service that began
  // before this system billed it, the day after the previous cycle's read (the latest read at
  // least 20 days back: a check read inside the period is no boundary); a month back for fiber.
  const firsts = ends.filter((e) => e.d.last_to === null && e.d.service !== 'fiber');
  const previous = await meterReads.lastReadDates(db, firsts.map((e) => ({ servicePointId: e.d.service_point_id, onOrBefore: addDays(e.to, -20) })), true);
  return ends.map(({ d, from, to, final }) => {
    if (d.last_to !== null) return { due: d, from, to, final, firstBill: false };
    const before = d.service === 'fiber' ? addMonths(to, -1) : previous.get(`${d.service_point_id}:${addDays(to, -20)}`) ?? null;
    // A read on or before the start (a move-in or installation read) opens the agreement's first period.
    return before !== null && before > d.start_date ? { due: d, from: addDays(before, 1), to, final, firstBill: false } : { due: d, from, to, final, firstBill: true };
  });
}

async function estimateRead(db: Db, actor: Actor, meterId: number, readDate: string): Promise<boolean> {
  try {
    await meterReads.estimate(db, actor, { meterId, readDate, purpose: 'cycle' }, 'No read by the billing run; estimated by the estimation rule');
    return true;
  } catch (e) {
    if (e instanceof AppError) return false;
    throw e;
  }
}

export interface RatedRow {
  row: Parameters<typeof repo.insertBills>[1][number] & { agreement_id: number; final: boolean };
  /** The rated lines (the row holds them packed). */
  lines: BillLine[];
  findings: BillFinding[];
}

export async function rateChunk(db: Db, timeZone: string, run: BillingContext, periods: Period[], versions: Map<string, TariffVersion[]>, settings: Map<string, BillValidationSettings>, now: Date, phases = newPhases()): Promise<RatedRow[]> {
  const gathered = await gatherChunk(db, timeZone, run, periods, versions, phases);
  return rateGathered(run, gathered, versions, settings, now, phases);
}

/** What rating a chunk needs from the database besides its periods: use, history, exemptions, interval data. */
export interface Gathered {
  periods: Period[];
  usage: Map<string, Awaited<ReturnType<typeof meterReads.usageOfPoints>>[number]>;
  history: Map<number, { periodFrom: string; periodTo: string; totalCents: number; demandKw: string | null }[]>;
  exemptions: Map<string, string[]>;
  received: Awaited<ReturnType<typeof meterReads.receivedKwhOfMeters>>;
  /** Demand and time-of-use determinants by agreement, for rates that need interval data. */
  determinants: Map<number, Awaited<ReturnType<typeof readFiles.determinantsFor>>>;
}

/** Reads, in queries that run side by side, everything rating the chunk needs. */
export async function gatherChunk(db: Db, timeZone: string, run: BillingContext, periods: Period[], versions: Map<string, TariffVersion[]>, phases = newPhases()): Promise<Gathered> {
  const gatherStart = performance.now();
  const netMetered = periods.filter((p) => p.due.meter_id !== null && (versions.get(p.due.rate_code) ?? []).some((v) => v.netMetering));
  const interval = periods.filter((p) => p.due.meter_id !== null && needsIntervals(versions.get(p.due.rate_code) ?? []));
  const [usageRows, recent, exemptions, received, determinants] = await Promise.all([
    // Keyed by point and period: two agreements at one point (a move-out's final and a move-in) each get their own days' use.
    meterReads.usageOfPoints(db, periods.filter((p) => p.due.service !== 'fiber').map((p) => ({ servicePointId: p.due.service_point_id, from: p.from, to: p.to }))),
    repo.recentBills(db, periods.map((p) => p.due.agreement_id), addDays(run.read_date, -400)),
    // Tax exemptions in force on each period's last day.
    repo.exemptionsOn(db, periods.map((p) => ({ accountId: p.due.account_id, day: p.to }))),
    // Net metering: what the customer's system sent to the grid, from the meter's interval data.
    meterReads.receivedKwhOfMeters(db, timeZone, netMetered.map((p) => ({ meterId: p.due.meter_id!, from: p.from, to: p.to }))),
    Promise.all(interval.map(async (p) => [p.due.agreement_id, await readFiles.determinantsFor(db, timeZone, p.due.meter_id!, { from: p.from, to: p.to })] as const)),
  ]);
  const usage = new Map(usageRows.map((u) => [`${u.servicePointId}:${u.from}:${u.to}`, u]));
  const history: Gathered['history'] = new Map();
  for (const b of recent) {
    const list = history.get(b.agreement_id) ?? [];
    list.push({ periodFrom: b.period_from, periodTo: b.period_to, totalCents: Number(b.total_cents), demandKw: b.demand_kw });
    history.set(b.agreement_id, list);
  }
  phases.gather += (performance.now() - gatherStart) / 1000;
  return { periods, usage, history, exemptions, received, determinants: new Map(determinants) };
}

/** Rates and checks a gathered chunk: no I/O. */
export function rateGathered(run: BillingContext, g: Gathered, versions: Map<string, TariffVersion[]>, settings: Map<string, BillValidationSettings>, now: Date, phases = newPhases()): RatedRow[] {
  const { periods, usage, history, exemptions, received } = g;
  const rateStart = performance.now();
  const rows: RatedRow[] = [];
  for (const p of periods) {
    const d = p.due;
    const use = usage.get(`${d.service_point_id}:${p.from}:${p.to}`);
    const past = history.get(d.agreement_id) ?? [];
    const tariffVersions = versions.get(d.rate_code) ?? [];
    const input: RatingInput = {
      versions: tariffVersions, periodFrom: p.from, periodTo: p.to, partial: p.firstBill || p.final, firstBill: p.firstBill,
      usage: use ? use.usage : undefined, usageUnit: (d.read_unit ?? undefined) as RatingInput['usageUnit'],
      meterSize: d.meter_size ?? undefined, bankedKwh: d.banked_kwh ?? undefined, receivedKwh: d.meter_id !== null ? received.get(`${d.meter_id}:${p.from}:${p.to}`) : undefined,
      taxExemptions: exemptions.get(`${d.account_id}:${p.to}`),
      priorDemandsKw: past.map((b) => b.demandKw).filter((k): k is string => k !== null),
    };
    const findings: BillFinding[] = [];
    if (use && use.exceptions > 0) findings.push({ code: 'read_exception', message: `${use.exceptions} read(s) in the period still have open read exceptions` });
    const det = g.determinants.get(d.agreement_id);
    if (det) {
      if (det.intervals === 0) findings.push({ code: 'missing_intervals', message: 'The rate needs interval data (demand or time of use) and the meter has none for the period' });
      else { input.demandKw = det.maxKw; input.tou = det.tou; }
    }
    let rated: ReturnType<typeof calculateBill> | null = null;
    try {
      rated = calculateBill(input);
    } catch (e) {
      if (!(e instanceof AppError)) throw e;
      findings.push({ code: 'rating_failed', message: e.message });
    }
    const days = daysBetween(p.from, p.to) + 1;
    const estimated = (use?.estimated ?? 0) > 0;
    const estimatesInRow = estimated ? (d.estimates_in_row ?? 0) + 1 : 0;
    const totalCents = rated?.totalCents ?? 0;
    const taxCents = rated ? rated.lines.filter((l) => l.kind === 'tax').reduce((n, l) => n + l.amountCents, 0) : 0;
    if (rated) {
      const pastBills: PastBill[] = past.map((b) => ({ periodTo: b.periodTo, days: daysBetween(b.periodFrom, b.periodTo) + 1, totalCents: b.totalCents }));
      findings.push(...checkBill({
        totalCents, days, usage: use ? use.usage : null, usageUnit: d.read_unit, fullPeriod: !p.firstBill && !p.final, estimatesInRow,
        lastYear: sameTimeLastYear(pastBills, p.to), lastThree: pastBills.slice(0, 3), settings: settings.get(d.customer_class) ?? settings.get('residential')!,
      }));
    }
    rows.push({
      findings,
      lines: rated?.lines ?? [],
      row: {
        run_id: run.id, account_id: d.account_id, agreement_id: d.agreement_id, service: d.service, customer_class: d.customer_class, rate_code: d.rate_code,
        period_from: p.from, period_to: p.to, bill_date: run.bill_date, due_date: run.due_date, status: findings.length > 0 ? 'held' : 'posted', final: p.final,
        usage: use ? use.usage : null, usage_unit: use ? d.read_unit : null, demand_kw: rated?.billingDemandKw ?? input.demandKw ?? null, estimated, estimates_in_row: estimatesInRow,
        total_cents: String(totalCents), tax_cents: String(taxCents), lines: packLines(rated?.lines ?? []), received_kwh: input.receivedKwh ?? null, banked_kwh: rated?.bankedKwh ?? null,
        rebill_of: null, cancelled_at: null, cancel_reason: null, created_at: now, posted_at: findings.length > 0 ? null : now,
      },
    });
  }
  phases.rate += (performance.now() - rateStart) / 1000;
  return rows;
}

/** The register of a run tallied in SQL from its posted bills (a resumed run; the test's cross-check). */
export async function registerFromDatabase(db: Db, runId: number): Promise<RegisterRow[]> {
  return sortRegister((await repo.registerOfRun(db, runId)).map((r) => ({
    service: r.service, customerClass: r.customer_class, kind: r.kind, code: r.code, unit: r.unit, lines: r.lines, quantity: r.quantity, amountCents: Number(r.amount_cents),
  })));
}

const needsIntervals = (versions: TariffVersion[]) => versions.some((v) => v.charges.some((c) => c.kind === 'tou' || c.kind === 'demand'));

/** The posted bill whose period ends closest to a year before this one's end (within 20 days). */
export function sameTimeLastYear(past: PastBill[], periodTo: string): PastBill | null {
  const target = addDays(periodTo, -365);
  let best: PastBill | null = null;
  for (const b of past) {
    const off = Math.abs(daysBetween(target, b.periodTo));
    if (off <= 20 && (!best || off < Math.abs(daysBetween(target, best.periodTo)))) best = b;
  }
  return best;
}

async function summarize(db: Db, run: repo.RunRow, counts: { selected: number; posted: number; held: number; estimatedReads: number; skipped: Partial<Record<SkipReason, number>> }, phases: PhaseSeconds, tally: RegisterTally | null): Promise<RunSummary> {
  const totals = await repo.controlTotals(db, run.id);
  const posted = totals.find((t) => t.status === 'posted');
  const held = totals.find((t) => t.status === 'held');
  const register = tally ? tally.rows() : await registerFromDatabase(db, run.id);
  const lineCents = register.reduce((n, r) => n + r.amountCents, 0);
  const billCents = Number(posted?.total ?? 0);
  const ledgerCents = Number(posted?.ledger_total ?? 0);
  const postedBills = posted?.bills ?? 0;
  const ledgerEntries = posted?.ledger_entries ?? 0;
  return {
    runId: run.id, cycle: run.cycle, readDate: run.read_date, billDate: run.bill_date, dueDate: run.due_date, status: 'completed', alreadyCompleted: false,
    ...counts,
    bills: { posted: postedBills, held: held?.bills ?? 0, postedCents: billCents, heldCents: Number(held?.total ?? 0), taxCents: Number(posted?.tax ?? 0) },
    register,
    control: { lineCents, billCents, ledgerCents, postedBills, ledgerEntries, tied: lineCents === billCents && billCents === ledgerCents && postedBills === ledgerEntries },
    seconds: phases,
  };
}
