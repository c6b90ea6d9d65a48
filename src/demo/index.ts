/**
 * The demo district: a deterministic, realistic made-up utility (customers, accounts, premises in
 * several towns, electric, water and fiber service points, meters, agreements, alerts) for the
 * training environment, the first start and the benchmarks. `ratepayer demo --accounts N --seed S`.
 */
import { recordChange } from '../audit/index.ts';
import { systemActor } from '../platform/actor.ts';
import type { Clock } from '../platform/clock.ts';
import type { Db } from '../platform/db/database.ts';
import { BLOCK_SIZE, generateBatch, idsNeeded, toRows } from './generate.ts';
import { idSequences, insertBatch, reserveIds, settleAfterLoad } from './repository.ts';

export { demoPassword, demoUsers, ensureDemoUsers } from './users.ts';

export interface DemoSummary {
  accounts: number;
  customers: number;
  premises: number;
  servicePoints: number;
  meters: number;
  agreements: number;
  seed: number;
}

export interface DemoOptions {
  accounts: number;
  seed: number;
  onProgress?: (done: number, total: number) => void;
}

/** Accounts per batch (whole blocks): each batch is one statement, about 25,000 rows. */
const BATCH_ACCOUNTS = BLOCK_SIZE * 48;
/**
 * Batches in flight at once. A server works on the next batch while this process generates the
 * one after; ids are still reserved in batch order, so the rows do not depend on timing.
 */
const IN_FLIGHT = 2;

/**
 * Loads a demo district of `accounts` accounts generated from `seed`, dated as of the clock's
 * today. Rows are generated and inserted batch by batch (memory stays flat at any size); ids and
 * account numbers come from the database's sequences, so loading twice, or into a database that
 * already has accounts, adds a second district beside the first.
 */
export async function loadDemo(deps: { db: Db; clock: Clock }, options: DemoOptions): Promise<DemoSummary> {
  const { db, clock } = deps;
  const total = options.accounts;
  if (!Number.isInteger(total) || total < 0) throw new Error(`accounts must be a whole number, got ${total}`);
  if (!Number.isInteger(options.seed)) throw new Error(`seed must be a whole number, got ${options.seed}`);
  const today = clock.today();
  const seqs = await idSequences(db);
  const summary: DemoSummary = { accounts: 0, customers: 0, premises: 0, servicePoints: 0, meters: 0, agreements: 0, seed: options.seed };

  const inFlight: Promise<number>[] = [];
  let done = 0;
  const settleOldest = async () => {
    done += await inFlight.shift()!;
    options.onProgress?.(done, total);
  };
  try {
    for (let start = 0; start < total; start += BATCH_ACCOUNTS) {
      const batch = generateBatch(options.seed, start, Math.min(BATCH_ACCOUNTS, total - start), today);
      const rows = toRows(batch, await reserveIds(db, seqs, idsNeeded(batch)));
      summary.accounts += batch.accounts.length;
      summary.customers += batch.customers.length;
      summary.premises += batch.premises.length;
      summary.servicePoints += batch.servicePoints.length;
      summary.meters += batch.meters.length;
      summary.agreements += batch.agreements.length;
      const inserted = insertBatch(db, rows).then(() => batch.accounts.length);
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
