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
import { budget } from '../budget/index.ts';
import { deposits as securityDeposits } from '../deposit/index.ts';
import { AppError } from '../platform/errors.ts';
import type { Actor } from '../platform/actor.ts';
import type { Clock } from '../platform/clock.ts';
import { addDays, addMonths } from '../platform/dates.ts';
import type { Db } from '../platform/db/database.ts';
import { sql } from 'kysely';
import { deposits, payments } from '../payment/index.ts';
import { tariffs } from '../tariff/index.ts';

const examples = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../tariff/examples');

/** A clock standing at 5 pm on a given day, so each run is stamped on its bill date. */
const clockOn = (date: string): Clock => ({ now: () => new Date(`${date}T17:00:00-08:00`), today: () => date });

export interface DemoBills {
  tariffs: number;
  runs: number;
  posted: number;
  held: number;
  /** Payments made by the district's customers for the bills, by channel. */
  payments: number;
  /** Accounts put on budget billing (about one residential account in 40, ten months ago). */
  budgetPlans: number;
  /** Security deposits asked of accounts whose history calls for one (one account in 50 looked at, today). */
  deposits: number;
}

/**
 * How a customer pays a bill, fixed by the bill (deterministic): most pay in full by the due date,
 * by check in the mail (lockbox), card on the web, online bill-pay or cash at the counter; some
 * pay late, some pay part, a few do not pay at all (the accounts collections will work).
 */
function habitOf(billId: number) {
  const h = Math.imul(billId ^ 0x5bd1e995, 2654435761) >>> 0;
  const pay = h % 100;
  const channel = (['lockbox', 'lockbox', 'lockbox', 'card', 'card', 'obi', 'counter'] as const)[(h >>> 8) % 7]!;
  const part: 'full' | 'half' | 'none' = pay < 86 ? 'full' : pay < 95 ? 'half' : 'none';
  return { channel, part, lateDays: pay >= 72 && pay < 86 ? 12 : 0 };
}
const METHOD = { lockbox: 'check', card: 'card', obi: 'obi', counter: 'cash' } as const;

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
  const out: DemoBills = { tariffs: loaded, runs: 0, posted: 0, held: 0, payments: 0, budgetPlans: 0, deposits: 0 };
  const budgetFrom = addMonths(today, -10);
  let budgetDone = false;
  let reviewedMonth = '';
  for (const e of due) {
    const runClock = clockOn(e.billDate);
    // Ten months ago some customers asked for budget billing; the budget job runs each month since.
    if (!budgetDone && e.billDate >= budgetFrom) {
      out.budgetPlans = await enrolSome(db, actor, runClock);
      budgetDone = true;
    }
    if (budgetDone && e.billDate.slice(0, 7) !== reviewedMonth) {
      reviewedMonth = e.billDate.slice(0, 7);
      await budget.review(db, actor, runClock);
    }
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
    out.payments += await payBills(db, actor, summary.runId, today);
    opts.onRun?.(out.runs, due.length);
  }
  if (due.length > 0) out.deposits = await askDeposits(db, actor, clock);
  return out;
}

/**
 * Deposits asked today of about one active account in 50 whose credit history calls for one
 * (in two instalments, the first billed today), so the deposit screens have work in them.
 */
async function askDeposits(db: Db, actor: Actor, clock: Clock): Promise<number> {
  const { rows } = await sql<{ id: string }>`select id::text from accounts where status = 'active' and id % 50 = 11 order by id`.execute(db);
  let n = 0;
  for (const r of rows) {
    const evaluation = await securityDeposits.evaluate(db, clock, Number(r.id));
    if (!evaluation.decision.required || !evaluation.capCents) continue;
    await securityDeposits.requireDeposit(db, actor, clock, { accountId: Number(r.id), instalments: 2, reason: `Credit rule: ${evaluation.decision.detail}` });
    n++;
  }
  return n;
}

/**
 * Budget billing for about one active residential account in 40 that has a bill and may enrol
 * (no arrears): the amount from its year at today's rates, as staff would quote it.
 */
async function enrolSome(db: Db, actor: Actor, clock: Clock): Promise<number> {
  const { rows } = await sql<{ id: string }>`
    select a.id::text from accounts a
     where a.status = 'active' and a.customer_class = 'residential' and a.id % 40 = 7
       and exists (select 1 from bills b where b.account_id = a.id and b.status = 'posted')
     order by a.id`.execute(db);
  let n = 0;
  for (const r of rows) {
    try {
      await budget.enrol(db, actor, clock, { accountId: Number(r.id) }, 'Customer asked for level monthly payments');
      n++;
    } catch (e) {
      if (!(e instanceof AppError)) throw e; // in arrears, say: not enrolled, as staff would refuse it
    }
  }
  return n;
}

/** The customers' payments for one run's posted bills, one closed batch per channel and day. */
async function payBills(db: Db, actor: Actor, runId: number, today: string): Promise<number> {
  const groups = new Map<string, { channel: keyof typeof METHOD; day: string; items: { accountId: number; amountCents: number; reference: string }[] }>();
  const posted = await billing.postedBillsOfRun(db, runId);
  // A budget-billed customer pays the month's budget amount once, with the first of its bills, in full.
  const monthly = await budget.monthlyAmounts(db, [...new Set(posted.map((b) => b.accountId))]);
  const budgetPaid = new Set<number>();
  for (const b of posted) {
    const habit = habitOf(b.id);
    if (monthly.has(b.accountId)) {
      if (budgetPaid.has(b.accountId)) continue;
      budgetPaid.add(b.accountId);
      habit.part = 'full';
      habit.lateDays = 0;
    }
    const bill = monthly.get(b.accountId) ?? b.totalCents;
    const amountCents = habit.part === 'full' ? bill : habit.part === 'half' ? Math.floor(bill / 2) : 0;
    const day = addDays(b.dueDate, habit.lateDays - 3);
    if (amountCents <= 0 || day > today) continue;
    const key = `${habit.channel}:${day}`;
    const group = groups.get(key) ?? { channel: habit.channel, day, items: [] };
    group.items.push({ accountId: b.accountId, amountCents, reference: `D${b.id}` });
    groups.set(key, group);
  }
  let n = 0;
  for (const g of groups.values()) {
    await payments.postBatch(db, actor, clockOn(g.day), { channel: g.channel, method: METHOD[g.channel], day: g.day, note: `Demo district: ${g.channel} payments of ${g.day}`, items: g.items });
    // The counter's cash went to the bank that day.
    if (g.channel === 'counter') await deposits.makeDeposit(db, actor, clockOn(g.day), g.day);
    n += g.items.length;
  }
  return n;
}
