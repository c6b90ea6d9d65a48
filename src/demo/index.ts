/**
 * The demo district: a deterministic, realistic made-up utility (customers, accounts, premises in
 * several towns, electric, water and fiber service points, meters, agreements, alerts, and months
 * of meter reads with their exceptions) for the training environment, the first start and the
 * benchmarks. `ratepayer demo --accounts N --seed S`.
 */
import { recordChange } from '../audit/index.ts';
import { systemActor } from '../platform/actor.ts';
import type { Clock } from '../platform/clock.ts';
import type { Config } from '../platform/config.ts';
import type { Db } from '../platform/db/database.ts';
import { loadDemoBills, type DemoBills } from './bills.ts';
import { loadDemoAssistance, type DemoAssistance } from './assistance.ts';
import { loadDemoProtection, type DemoProtection } from './protection.ts';
import { loadDemoBankruptcyDeceased, type DemoBankruptcyDeceased } from './bankruptcy-deceased.ts';
import { loadDemoBadDebt, type DemoBadDebt } from './bad-debt.ts';
import { loadDemoCollections, type DemoCollections } from './collections.ts';
import { BLOCK_SIZE, generateBatch, idsNeeded, toRows } from './generate.ts';
import { anomalyOdds, calendarRows, curveTable, cycleCalendar, DEFAULT_READ_MONTHS, planReads } from './reads.ts';
import { idSequences, insertBatch, insertReads, readValidationSettings, reserveIds, reserveReadIds, settleAfterLoad } from './repository.ts';

export { demoPassword, demoUsers, ensureDemoUsers } from './users.ts';
export { DEFAULT_READ_MONTHS } from './reads.ts';

export interface DemoSummary {
  accounts: number;
  customers: number;
  premises: number;
  servicePoints: number;
  meters: number;
  agreements: number;
  /** Meter reads, and the read exceptions the rules found among them. */
  reads: number;
  readExceptions: number;
  /** Tariffs loaded, billing runs made, bills posted, bills left held for review, and the payments customers made for them. */
  bills: DemoBills;
  /** Energy assistance: the agency, its programs and the pledges on some accounts (made with the bills). */
  assistance?: DemoAssistance;
  /** Customer protections: a medical certificate, a winter plan, a dispute, payment arrangements (one defaulted), a past heat alert. */
  protection?: DemoProtection;
  /** Bankruptcy cases (open, discharged, dismissed) and deceased customers (a claim filed, a service transferred). */
  bankruptcyDeceased?: DemoBankruptcyDeceased;
  /** Final accounts: the collection agency, letters, placements, agency collections and write-offs. */
  badDebt?: DemoBadDebt;
  /** The collections run made for each business day of the last 30 days: notices, disconnect orders, disconnections and reconnections. */
  collections?: DemoCollections;
  seed: number;
}

export interface DemoOptions {
  accounts: number;
  seed: number;
  /**
   * Months of monthly cycle reads per meter, ending at today (default 24; 0 for none). See
   * reads.ts for the schedule, the use and the exceptions.
   */
  readMonths?: number;
  /** Months of billing runs, ending at today (default: as many as there are read months, up to 24). */
  billMonths?: number;
  onProgress?: (done: number, total: number) => void;
  /** After each batch, when its statements ran (the benchmark reports rows and reads apart). */
  onBatch?: (batch: DemoBatchTiming) => void;
}

/** One batch's statements: what they inserted and when they ran (performance.now() values). */
export interface DemoBatchTiming {
  accounts: number;
  /** Rows inserted into the customer and premise tables, in one statement. */
  rows: number;
  rowsStart: number;
  rowsEnd: number;
  /** Meter reads and read exceptions, in the next statement. */
  reads: number;
  readExceptions: number;
  readsStart: number;
  readsEnd: number;
}

/**
 * Accounts per batch (whole blocks): each batch is two statements, about 25,000 rows into the
 * customer and premise tables, then about 115,000 meter reads (at 24 months) made from them.
 */
const BATCH_ACCOUNTS = BLOCK_SIZE * 48;
/**
 * Batches in flight at once. A server works on the next batch (or on one batch's reads and the
 * next one's rows at once) while this process generates the one after; ids are still reserved
 * in batch order, so the rows do not depend on timing.
 */
const IN_FLIGHT = 2;

/**
 * Loads a demo district of `accounts` accounts generated from `seed`, dated as of the clock's
 * today, with `readMonths` of meter reads (timed in the configured time zone, when given). Rows are generated and inserted batch by batch (memory stays flat at any size); ids and
 * account numbers come from the database's sequences, so loading twice, or into a database that
 * already has accounts, adds a second district beside the first.
 */
export async function loadDemo(deps: { db: Db; clock: Clock; config?: Pick<Config, 'timeZone'> }, options: DemoOptions): Promise<DemoSummary> {
  const { db, clock } = deps;
  const total = options.accounts;
  if (!Number.isInteger(total) || total < 0) throw new Error(`accounts must be a whole number, got ${total}`);
  if (!Number.isInteger(options.seed)) throw new Error(`seed must be a whole number, got ${options.seed}`);
  const readMonths = options.readMonths ?? DEFAULT_READ_MONTHS;
  if (!Number.isInteger(readMonths) || readMonths < 0) throw new Error(`readMonths must be a whole number, got ${readMonths}`);
  const today = clock.today();
  const seqs = await idSequences(db);
  const summary: DemoSummary = { accounts: 0, customers: 0, premises: 0, servicePoints: 0, meters: 0, agreements: 0, reads: 0, readExceptions: 0, bills: { tariffs: 0, runs: 0, posted: 0, held: 0, payments: 0, budgetPlans: 0, deposits: 0 }, seed: options.seed };
  const billMonths = options.billMonths ?? Math.min(readMonths, 24);
  if (!Number.isInteger(billMonths) || billMonths < 0 || billMonths > readMonths) throw new Error(`billMonths must be a whole number up to readMonths (${readMonths}), got ${billMonths}`);
  const calendar = cycleCalendar(today, readMonths);
  const calendarColumns = calendarRows(calendar);
  const readSettings = {
    months: readMonths, curves: curveTable, odds: anomalyOdds, timeZone: deps.config?.timeZone ?? 'America/Los_Angeles',
    validation: readMonths > 0 ? await readValidationSettings(db) : [],
  };
  let meterOrdinal = 0;

  const inFlight: Promise<number>[] = [];
  let done = 0;
  const settleOldest = async () => {
    done += await inFlight.shift()!;
    options.onProgress?.(done, total);
  };
  try {
    for (let start = 0; start < total; start += BATCH_ACCOUNTS) {
      const batch = generateBatch(options.seed, start, Math.min(BATCH_ACCOUNTS, total - start), today);
      const ids = await reserveIds(db, seqs, idsNeeded(batch));
      const rows = toRows(batch, ids);
      const plan = planReads(batch, { seed: options.seed, today, months: readMonths, calendar, firstMeterOrdinal: meterOrdinal, meterIds: ids.meters, servicePointIds: ids.servicePoints });
      const firstReadId = plan.reads > 0 ? await reserveReadIds(db, plan.reads) : 0;
      meterOrdinal += batch.meters.length;
      summary.accounts += batch.accounts.length;
      summary.customers += batch.customers.length;
      summary.premises += batch.premises.length;
      summary.servicePoints += batch.servicePoints.length;
      summary.meters += batch.meters.length;
      summary.agreements += batch.agreements.length;
      const rowCount = Object.values(rows).reduce((n, table) => n + (Object.values(table)[0] as unknown[]).length, 0);
      const inserted = (async () => {
        const rowsStart = performance.now();
        await insertBatch(db, rows);
        const rowsEnd = performance.now();
        // The reads need their meters in, so they follow the batch's rows.
        const counts = plan.reads > 0 ? await insertReads(db, plan.rows, calendarColumns, firstReadId, readSettings) : { reads: 0, exceptions: 0 };
        if (counts.reads !== plan.reads) throw new Error(`Planned ${plan.reads} reads, inserted ${counts.reads}`);
        summary.reads += counts.reads;
        summary.readExceptions += counts.exceptions;
        options.onBatch?.({
          accounts: batch.accounts.length, rows: rowCount, rowsStart, rowsEnd,
          reads: counts.reads, readExceptions: counts.exceptions, readsStart: rowsEnd, readsEnd: performance.now(),
        });
        return batch.accounts.length;
      })();
      inserted.catch(() => {}); // awaited below; this only keeps an early failure from counting as unhandled
      inFlight.push(inserted);
      if (inFlight.length >= IN_FLIGHT) await settleOldest();
    }
    while (inFlight.length) await settleOldest();
  } catch (error) {
    // Let the other batch in flight finish (or fail) before reporting, so nothing runs on after.
    await Promise.allSettled(inFlight);
    throw error;
  }

  if (billMonths > 0) {
    await settleAfterLoad(db);
    summary.bills = await loadDemoBills(db, systemActor('demo'), clock, { months: billMonths, timeZone: readSettings.timeZone });
    summary.assistance = await loadDemoAssistance(db, systemActor('demo'), clock);
    summary.protection = await loadDemoProtection(db, systemActor('demo'), clock);
    summary.bankruptcyDeceased = await loadDemoBankruptcyDeceased(db, systemActor('demo'), clock);
    summary.badDebt = await loadDemoBadDebt(db, systemActor('demo'), clock, { timeZone: readSettings.timeZone });
    summary.collections = await loadDemoCollections(db, systemActor('demo'), clock, readSettings.timeZone);
  }

  await recordChange(db, systemActor('demo'), {
    action: 'demo_load',
    entityType: 'district',
    entityId: options.seed,
    after: { ...summary },
    reason: 'Demo district loaded',
  });
  await settleAfterLoad(db);
  return summary;
}
