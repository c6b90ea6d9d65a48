/**
 * The demo district's rates and bills: the example tariffs (src/tariff/examples, one per rate
 * code the generator gives out), the billing schedule, and months of bills made by the real
 * billing run, cycle by cycle in read-date order, as the district's staff would have run them.
 * Bills held by the edits are approved, as staff would have, except in each cycle's latest run,
 * which stay in the billing-exceptions queue for a new user to work.
 */
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { billing, runBilling } from '../billing/index.ts';
import type { Actor } from '../platform/actor.ts';
import type { Clock } from '../platform/clock.ts';
import { addMonths } from '../platform/dates.ts';
import type { Db } from '../platform/db/database.ts';
import { tariffs } from '../tariff/index.ts';

const examples = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../tariff/examples');

/** A clock standing at 5 pm on a given day, so each run is stamped on its bill date. */
const clockOn = (date: string): Clock => ({ now: () => new Date(`${date}T17:00:00-08:00`), today: () => date });

export interface DemoBills {
  tariffs: number;
  runs: number;
  posted: number;
  held: number;
}

export async function loadDemoBills(db: Db, actor: Actor, clock: Clock, opts: { months: number; timeZone: string; onRun?: (done: number, total: number) => void }): Promise<DemoBills> {
  let loaded = 0;
  for (const file of fs.readdirSync(examples).filter((f) => f.endsWith('.json')).sort()) {
    const result = await tariffs.loadTariff(db, actor, clock, JSON.parse(fs.readFileSync(path.join(examples, file), 'utf8')), 'Demo district rate schedules');
    if (!result.unchanged) loaded++;
  }
  const today = clock.today();
  const firstYear = Number(addMonths(today, -opts.months).slice(0, 4));
  const thisYear = Number(today.slice(0, 4));
  const entries = [];
  for (let year = firstYear; year <= thisYear + 1; year++) {
    await billing.generateYear(db, actor, clock, { year }, 'Demo district billing schedule');
    entries.push(...(await billing.scheduleOfYear(db, year)));
  }
  const windowStart = addMonths(today, -opts.months);
  const due = entries.filter((e) => e.readDate > windowStart && e.billDate <= today && e.runId === null).sort((a, b) => a.readDate.localeCompare(b.readDate) || a.cycle - b.cycle);
  const latestOfCycle = new Map(due.map((e) => [e.cycle, e.id]));
  const out: DemoBills = { tariffs: loaded, runs: 0, posted: 0, held: 0 };
  for (const e of due) {
    const runClock = clockOn(e.billDate);
    const summary = await runBilling(db, actor, runClock, { cycle: e.cycle, date: e.billDate, timeZone: opts.timeZone });
    out.runs++;
    out.posted += summary.posted;
    if (latestOfCycle.get(e.cycle) !== e.id) {
      for (const held of await billing.heldBills(db, { after: 0, limit: 100_000, runId: summary.runId })) {
        await billing.approveBill(db, actor, runClock, held.id, 'Reviewed: use confirmed with the customer');
        out.posted++;
      }
    } else {
      out.held += summary.held;
    }
    opts.onRun?.(out.runs, due.length);
  }
  return out;
}
