/**
 * The daily bank deposit and its reconciliation (C8): the day's closed counter and mail batches
 * become one deposit (cash and checks, with a deposit slip); the deposit summary shows the money
 * received per day and channel; reconciliation sets what we expect the bank to credit (each
 * deposit, each file batch of card, lockbox, online bill-pay and ACH money) against the credits
 * on the bank's BAI2 report: matched, ours not on the bank's report, the bank's not ours, and
 * same-day differences.
 */
import { sql } from 'kysely';
import { recordChange } from '../audit/index.ts';
import type { Actor } from '../platform/actor.ts';
import type { Clock } from '../platform/clock.ts';
import { addDays, isDate } from '../platform/dates.ts';
import { transact, type Db } from '../platform/db/database.ts';
import { AppError, invalid, notFound } from '../platform/errors.ts';
import * as repo from './repository.ts';
import { listBatches } from './service.ts';

export interface Deposit {
  id: number;
  businessDate: string;
  cashCents: number;
  checkCents: number;
  electronicCents: number;
  totalCents: number;
  itemCount: number;
  batchIds: number[];
  createdAt: string;
}

const PHYSICAL: readonly repo.Channel[] = ['counter', 'mail'];

/** Makes the day's deposit from every closed counter and mail batch not yet deposited (up to the day). */
export async function makeDeposit(db: Db, actor: Actor, clock: Clock, day: string): Promise<Deposit> {
  if (!isDate(day)) throw invalid('date', `${day} is not a date (YYYY-MM-DD)`);
  return transact(db, async (trx) => {
    // One deposit at a time: two clicks cannot deposit the same batches twice.
    await sql`select pg_advisory_xact_lock(hashtext('bank_deposit'), 0)`.execute(trx);
    const ready = (await repo.closedUndepositedBatches(trx, day)).filter((b) => PHYSICAL.includes(b.channel));
    if (ready.length === 0) {
      const open = (await listBatches(trx, { status: 'open' })).filter((b) => PHYSICAL.includes(b.channel) && b.businessDate <= day);
      throw new AppError('validation', `No closed counter or mail batches to deposit on or before ${day}${open.length > 0 ? `; ${open.length} batch(es) still open: ${open.map((b) => b.id).join(', ')}` : ''}`);
    }
    const held = await listBatches(trx, { ids: ready.map((r) => Number(r.id)) });
    const cash = held.reduce((a, b) => a + b.cashCents, 0);
    const checks = held.reduce((a, b) => a + b.checkCents, 0);
    const total = held.reduce((a, b) => a + b.totalCents, 0);
    const row = await repo.insertDeposit(trx, {
      business_date: day, cash_cents: String(cash), check_cents: String(checks), electronic_cents: String(total - cash - checks),
      item_count: held.reduce((a, b) => a + b.count, 0), created_at: clock.now(), created_by: actor.userId,
    });
    await repo.setBatchDeposit(trx, held.map((b) => b.id), Number(row.id));
    const deposit = toDeposit(row, held.map((b) => b.id));
    await recordChange(trx, actor, { action: 'deposit', entityType: 'bank_deposit', entityId: deposit.id, after: { ...deposit }, reason: `Bank deposit for ${day}` });
    return deposit;
  });
}

const toDeposit = (r: Awaited<ReturnType<typeof repo.insertDeposit>>, batchIds: number[]): Deposit => ({
  id: Number(r.id), businessDate: r.business_date, cashCents: Number(r.cash_cents), checkCents: Number(r.check_cents), electronicCents: Number(r.electronic_cents),
  totalCents: Number(r.cash_cents) + Number(r.check_cents) + Number(r.electronic_cents), itemCount: r.item_count, batchIds, createdAt: r.created_at.toISOString(),
});

export async function getDeposit(db: Db, id: number) {
  const row = await repo.findDeposit(db, id);
  if (!row) throw notFound('Deposit', id);
  const batches = await listBatches(db, { depositId: id, limit: 10_000 });
  // The cash and checks the batches hold now, after any corrections since the deposit was made:
  // what the bank should credit (card money taken at the counter comes from the card processor).
  const nowCents = batches.reduce((a, b) => a + b.cashCents + b.checkCents, 0);
  const deposit = toDeposit(row, batches.map((b) => b.id));
  const slipCents = deposit.cashCents + deposit.checkCents;
  return { ...deposit, batches, slipCents, correctedTotalCents: nowCents, correctionCents: nowCents - slipCents };
}

export async function depositsBetween(db: Db, from: string, to: string) {
  const out = [];
  for (const r of await repo.deposits(db, { from, to })) out.push(await getDeposit(db, Number(r.id)));
  return out;
}

/** Money received per day and channel: counts, totals, and what was reversed since. */
export async function depositSummary(db: Db, from: string, to: string) {
  if (!isDate(from) || !isDate(to)) throw invalid('from', 'from and to must be dates (YYYY-MM-DD)');
  const rows = await repo.depositSummary(db, { from, to });
  return rows.map((r) => ({ day: r.day, channel: r.channel, method: r.method, count: r.count, totalCents: Number(r.total_cents), reversedCount: r.reversed_count, reversedCents: Number(r.reversed_cents) }));
}

export interface Expected {
  kind: 'deposit' | 'batch';
  id: number;
  day: string;
  channel: string;
  amountCents: number;
}

/**
 * Sets what we expect the bank to credit between two days against the bank's credits on its BAI2
 * reports: a credit of the same amount within 3 days after is a match (the nearest first).
 */
export async function reconcile(db: Db, from: string, to: string) {
  if (!isDate(from) || !isDate(to)) throw invalid('from', 'from and to must be dates (YYYY-MM-DD)');
  const expected: Expected[] = [];
  for (const d of await depositsBetween(db, from, to)) expected.push({ kind: 'deposit', id: d.id, day: d.businessDate, channel: 'deposit', amountCents: d.correctedTotalCents });
  for (const b of await listBatches(db, { status: 'closed', from, to, limit: 1_000_000 })) {
    if (PHYSICAL.includes(b.channel) || b.channel === 'wire') continue;
    expected.push({ kind: 'batch', id: b.id, day: b.businessDate, channel: b.channel, amountCents: b.totalCents });
  }
  const bank = (await repo.bankTransactions(db, { from, to: addDays(to, 3) })).filter((t) => Number(t.amount_cents) > 0 && t.payment_id === null)
    .map((t) => ({ id: Number(t.id), day: t.as_of_date, typeCode: t.type_code, amountCents: Number(t.amount_cents), text: t.text, bankReference: t.bank_reference }));
  const taken = new Set<number>();
  const matched: { expected: Expected; bank: (typeof bank)[number] }[] = [];
  const missing: Expected[] = [];
  for (const e of expected.sort((a, b) => a.day.localeCompare(b.day))) {
    const hit = bank.filter((t) => !taken.has(t.id) && t.amountCents === e.amountCents && t.day >= e.day && t.day <= addDays(e.day, 3)).sort((a, b) => a.day.localeCompare(b.day))[0];
    if (hit) { taken.add(hit.id); matched.push({ expected: e, bank: hit }); } else missing.push(e);
  }
  const unexpected = bank.filter((t) => !taken.has(t.id) && t.day <= to);
  // A deposit and a bank credit on the same day that did not match: the difference to chase.
  const differences = missing.filter((e) => e.kind === 'deposit').flatMap((e) => {
    const t = unexpected.find((u) => u.day === e.day);
    return t ? [{ expected: e, bank: t, differenceCents: t.amountCents - e.amountCents }] : [];
  });
  return {
    from, to, matched, missing, unexpected, differences,
    totals: { expectedCents: expected.reduce((a, e) => a + e.amountCents, 0), matchedCents: matched.reduce((a, m) => a + m.expected.amountCents, 0), bankCents: bank.filter((t) => t.day <= to).reduce((a, t) => a + t.amountCents, 0) },
  };
}
