/**
 * Payments (C7, C8): posting at the counter into the user's cash drawer, applying payments to what
 * an account owes, the unapplied (suspense) queue, batches that balance before they close, and
 * corrections: a payment moved to the right account or re-posted at the right amount, with a reason.
 *
 * Money moves only through the ledger context (payment entries, reversals, fees); this context
 * keeps the payment records, their batches and where each came from.
 */
import { createHash } from 'node:crypto';
import { sql } from 'kysely';
import { recordChange } from '../audit/index.ts';
import { customers } from '../customer/index.ts';
import { ledger, type LedgerEntry } from '../ledger/index.ts';
import type { Actor } from '../platform/actor.ts';
import type { Clock } from '../platform/clock.ts';
import { isDate } from '../platform/dates.ts';
import { transact, type Db } from '../platform/db/database.ts';
import { AppError, invalid, notFound } from '../platform/errors.ts';
import { formatCents } from '../platform/money.ts';
import { applyPayment, type ApplicationSettings, type Service, type Share } from './application.ts';
import * as repo from './repository.ts';

export type { Channel, Method, PaymentStatus } from './repository.ts';

export interface Payment {
  id: number;
  batchId: number;
  accountId: number | null;
  amountCents: number;
  method: repo.Method;
  channel: repo.Channel;
  receivedOn: string;
  reference: string | null;
  accountRef: string | null;
  payerName: string | null;
  payerAddress: string | null;
  status: repo.PaymentStatus;
  matchedBy: 'account_number' | 'name_address' | 'staff' | null;
  importId: number | null;
  recordNo: number | null;
  correctsPaymentId: number | null;
  reversedAt: string | null;
  reversalReason: string | null;
  createdAt: string;
}

export const toPayment = (r: repo.PaymentRow): Payment => ({
  id: Number(r.id), batchId: Number(r.batch_id), accountId: r.account_id === null ? null : Number(r.account_id), amountCents: Number(r.amount_cents),
  method: r.method, channel: r.channel, receivedOn: r.received_on, reference: r.reference, accountRef: r.account_ref, payerName: r.payer_name, payerAddress: r.payer_address,
  status: r.status, matchedBy: r.matched_by, importId: r.import_id === null ? null : Number(r.import_id), recordNo: r.record_no, correctsPaymentId: r.corrects_payment_id === null ? null : Number(r.corrects_payment_id),
  reversedAt: r.reversed_at ? r.reversed_at.toISOString() : null, reversalReason: r.reversal_reason, createdAt: r.created_at.toISOString(),
});

export interface Batch {
  id: number;
  channel: repo.Channel;
  businessDate: string;
  status: 'open' | 'closed';
  importId: number | null;
  openedAt: string;
  openedBy: number | null;
  expectedCount: number | null;
  expectedCents: number | null;
  closedAt: string | null;
  depositId: number | null;
  note: string | null;
}
export const toBatch = (r: repo.BatchRow): Batch => ({
  id: Number(r.id), channel: r.channel, businessDate: r.business_date, status: r.status, importId: r.import_id === null ? null : Number(r.import_id),
  openedAt: r.opened_at.toISOString(), openedBy: r.opened_by === null ? null : Number(r.opened_by), expectedCount: r.expected_count,
  expectedCents: r.expected_cents === null ? null : Number(r.expected_cents), closedAt: r.closed_at ? r.closed_at.toISOString() : null,
  depositId: r.deposit_id === null ? null : Number(r.deposit_id), note: r.note,
});

export async function applicationSettings(db: Db): Promise<ApplicationSettings & { returnedPaymentFeeCents: number; cashOnlyReturns: number; cashOnlyWindowMonths: number }> {
  const s = await repo.settings(db);
  return {
    mode: s.application, serviceOrder: s.service_order as Service[], returnedPaymentFeeCents: Number(s.returned_payment_fee_cents),
    cashOnlyReturns: s.cash_only_returns, cashOnlyWindowMonths: s.cash_only_window_months,
  };
}

export interface SettingsPatch {
  application?: 'oldest_first' | 'proportional';
  serviceOrder?: Service[];
  returnedPaymentFeeCents?: number;
  cashOnlyReturns?: number;
  cashOnlyWindowMonths?: number;
}

/** Changes how payments are applied and returns are treated (a supervisor, with a reason). */
export async function updateSettings(db: Db, actor: Actor, clock: Clock, patch: SettingsPatch, reason: string) {
  if (patch.serviceOrder && (new Set(patch.serviceOrder).size !== patch.serviceOrder.length || patch.serviceOrder.some((s) => !['electric', 'water', 'fiber'].includes(s)))) {
    throw invalid('serviceOrder', 'list electric, water and fiber, each once, in the order they are paid');
  }
  return transact(db, async (trx) => {
    const before = await applicationSettings(trx);
    await repo.updateSettings(trx, {
      ...(patch.application ? { application: patch.application } : {}),
      ...(patch.serviceOrder ? { service_order: patch.serviceOrder } : {}),
      ...(patch.returnedPaymentFeeCents !== undefined ? { returned_payment_fee_cents: String(patch.returnedPaymentFeeCents) } : {}),
      ...(patch.cashOnlyReturns !== undefined ? { cash_only_returns: patch.cashOnlyReturns } : {}),
      ...(patch.cashOnlyWindowMonths !== undefined ? { cash_only_window_months: patch.cashOnlyWindowMonths } : {}),
      updated_at: clock.now(), updated_by: actor.userId,
    });
    const after = await applicationSettings(trx);
    await recordChange(trx, actor, { action: 'update', entityType: 'payment_settings', entityId: 1, before: { ...before }, after: { ...after }, reason });
    return after;
  });
}

/**
 * Applies posted payments to what their accounts owe and writes their ledger entries, in the
 * caller's transaction. Several payments to one account in a batch are applied in turn.
 */
export async function applyToAccounts(trx: Db, actor: Actor, clock: Clock, items: { paymentId: number; accountId: number; amountCents: number; receivedOn: string }[]): Promise<Map<number, Share[]>> {
  const out = new Map<number, Share[]>();
  if (items.length === 0) return out;
  // Many accounts at once (a file): every single-account payment waits until this commits.
  if (new Set(items.map((i) => i.accountId)).size > 1) await ledger.lockAllAccounts(trx);
  const settings = await applicationSettings(trx);
  const owed = new Map<number, { service: Service | null; balanceCents: number; charges: { date: string; unpaidCents: number }[] }[]>();
  for (const o of await ledger.owedByService(trx, [...new Set(items.map((i) => i.accountId))])) {
    owed.set(o.accountId, [...(owed.get(o.accountId) ?? []), { service: o.service as Service | null, balanceCents: o.balanceCents, charges: o.charges }]);
  }
  const entries: Parameters<typeof ledger.postPayments>[3] = [];
  for (const item of items) {
    const state = owed.get(item.accountId) ?? [];
    const shares = applyPayment(item.amountCents, state, settings);
    out.set(item.paymentId, shares);
    for (const share of shares) {
      entries.push({ accountId: item.accountId, paymentId: item.paymentId, service: share.service, entryDate: item.receivedOn, amountCents: -share.amountCents });
      // The next payment to this account finds these charges paid (oldest first).
      const o = state.find((x) => x.service === share.service);
      if (o && share.service !== null) {
        o.balanceCents -= share.amountCents;
        let paid = share.amountCents;
        for (const c of o.charges) {
          const take = Math.min(c.unpaidCents, paid);
          c.unpaidCents -= take;
          paid -= take;
        }
        o.charges = o.charges.filter((c) => c.unpaidCents > 0);
      }
    }
    owed.set(item.accountId, state);
  }
  await ledger.postPayments(trx, actor, clock, entries);
  return out;
}

/**
 * A closed batch of payments received on one day through one channel, posted and applied at once
 * (payments that reach the district outside a file: the demo district's history, an agency's
 * list). Every item names its account; the batch balances by construction.
 */
export async function postBatch(db: Db, actor: Actor, clock: Clock, input: { channel: repo.Channel; method: repo.Method; day: string; note: string; items: { accountId: number; amountCents: number; reference?: string | null }[] }): Promise<{ batchId: number; paymentIds: number[] }> {
  if (input.items.some((i) => !Number.isSafeInteger(i.amountCents) || i.amountCents <= 0)) throw invalid('items', 'every payment must be a positive whole number of cents');
  return transact(db, async (trx) => {
    const total = input.items.reduce((a, i) => a + i.amountCents, 0);
    const batch = await repo.insertBatch(trx, {
      channel: input.channel, business_date: input.day, status: 'closed', import_id: null, opened_at: clock.now(), opened_by: actor.userId,
      expected_count: input.items.length, expected_cents: String(total), closed_at: clock.now(), closed_by: actor.userId, deposit_id: null, note: input.note,
    });
    const written = await repo.copyPayments(trx, input.items.map((i) => ({
      batch_id: Number(batch.id), account_id: i.accountId, amount_cents: String(i.amountCents), method: input.method, channel: input.channel, received_on: input.day,
      reference: i.reference ?? null, account_ref: null, payer_name: null, payer_address: null, payer_routing: null, payer_account: null, status: 'posted' as const, matched_by: 'account_number' as const,
      import_id: null, record_no: null, corrects_payment_id: null, reversed_at: null, reversed_by: null, reversal_reason: null, idempotency_key: null, request_sha256: null,
      created_at: clock.now(), created_by: actor.userId,
    })));
    await applyToAccounts(trx, actor, clock, written.map((p) => ({ paymentId: p.id, accountId: p.account_id!, amountCents: Number(p.amount_cents), receivedOn: input.day })));
    await recordChange(trx, actor, { action: 'post_batch', entityType: 'payment_batch', entityId: Number(batch.id), after: { channel: input.channel, day: input.day, count: input.items.length, totalCents: total }, reason: input.note });
    return { batchId: Number(batch.id), paymentIds: written.map((p) => p.id) };
  });
}

// ---- the counter ----

async function drawerFor(trx: Db, actor: Actor, clock: Clock): Promise<repo.BatchRow> {
  const day = clock.today();
  // One drawer per user and day: the user's payments and their drawer's closing take turns.
  if (actor.userId !== null) await sql`select pg_advisory_xact_lock(hashtext('cash_drawer'), ${actor.userId}::int4)`.execute(trx);
  const open = actor.userId === null ? undefined : await repo.openDrawer(trx, actor.userId, day);
  if (open) return open;
  const batch = await repo.insertBatch(trx, { channel: 'counter', business_date: day, import_id: null, opened_at: clock.now(), opened_by: actor.userId, expected_count: null, expected_cents: null, closed_at: null, closed_by: null, deposit_id: null, note: `${actor.username}'s cash drawer` });
  await recordChange(trx, actor, { action: 'open', entityType: 'payment_batch', entityId: batch.id, after: { channel: 'counter', businessDate: day }, reason: 'Cash drawer opened' });
  return batch;
}

/** The user's open cash drawer for today (opened now if there is none). */
export async function drawer(db: Db, actor: Actor, clock: Clock): Promise<Batch> {
  return transact(db, async (trx) => toBatch(await drawerFor(trx, actor, clock)));
}

export interface CounterPaymentInput {
  accountId: number;
  amountCents: number;
  method: 'cash' | 'check' | 'card';
  /** Check number or card authorisation. */
  reference?: string | null;
  payerName?: string | null;
  /** The paying bank of a check. */
  payerRouting?: string | null;
  payerAccount?: string | null;
  idempotencyKey?: string | null;
}

/**
 * A payment taken at the counter, into the user's cash drawer for today, applied and on the
 * ledger at once. With an idempotency key, the same request again returns the first payment and a
 * different one under the same key is a conflict.
 */
export async function postCounterPayment(db: Db, actor: Actor, clock: Clock, input: CounterPaymentInput): Promise<{ payment: Payment; shares: Share[]; balanceCents: number; replayed: boolean }> {
  if (!Number.isSafeInteger(input.amountCents) || input.amountCents <= 0) throw invalid('amountCents', 'must be a positive whole number of cents');
  if (!['cash', 'check', 'card'].includes(input.method)) throw invalid('method', `${input.method} is not taken at the counter (cash, check or card)`);
  const requestHash = createHash('sha256').update(JSON.stringify([input.accountId, input.amountCents, input.method, input.reference ?? null, input.payerRouting ?? null, input.payerAccount ?? null])).digest('hex');
  return transact(db, async (trx) => {
    await ledger.lockAccount(trx, input.accountId);
    if (input.idempotencyKey) {
      const first = await repo.findPaymentByKey(trx, input.idempotencyKey);
      if (first) {
        if (first.request_sha256 !== requestHash) throw new AppError('conflict', `Idempotency key ${input.idempotencyKey} was used for a different payment (payment ${first.id})`, { paymentId: Number(first.id) });
        return { payment: toPayment(first), shares: sharesOf(await ledger.entriesOfPayments(trx, [Number(first.id)])), balanceCents: await ledger.balanceOf(trx, input.accountId), replayed: true };
      }
    }
    const account = await repo.accountById(trx, input.accountId);
    if (!account) throw notFound('Account', input.accountId);
    if (input.method === 'check' && (await isCashOnly(trx, clock, input.accountId))) {
      throw new AppError('conflict', `Account ${account.account_number} is cash-only after returned payments: take cash, a money order or a card`, { accountId: input.accountId });
    }
    const batch = await drawerFor(trx, actor, clock);
    const row = await repo.insertPayment(trx, {
      batch_id: batch.id, account_id: input.accountId, amount_cents: String(input.amountCents), method: input.method, channel: 'counter', received_on: clock.today(),
      reference: input.reference?.trim() || null, check_number: input.method === 'check' ? normalizeCheckNumber(input.reference ?? null) : null, account_ref: account.account_number, payer_name: input.payerName?.trim() || account.display_name, payer_address: null,
      payer_routing: input.payerRouting ?? null, payer_account: input.payerAccount ?? null, status: 'posted', matched_by: 'staff', import_id: null, record_no: null, corrects_payment_id: null,
      reversed_at: null, reversed_by: null, reversal_reason: null, idempotency_key: input.idempotencyKey ?? null, request_sha256: requestHash, created_at: clock.now(), created_by: actor.userId,
    }).catch((e: unknown) => {
      if ((e as { code?: string }).code === '23505') throw new AppError('conflict', `Idempotency key ${input.idempotencyKey} is already in use`);
      throw e;
    });
    const payment = toPayment(row);
    const shares = (await applyToAccounts(trx, actor, clock, [{ paymentId: payment.id, accountId: input.accountId, amountCents: input.amountCents, receivedOn: payment.receivedOn }])).get(payment.id)!;
    await recordChange(trx, actor, { action: 'post', entityType: 'payment', entityId: payment.id, accountId: input.accountId, after: { ...payment, shares }, reason: `Counter payment, ${input.method}` });
    return { payment, shares, balanceCents: await ledger.balanceOf(trx, input.accountId), replayed: false };
  });
}

const sharesOf = (entries: LedgerEntry[]): Share[] =>
  entries.filter((e) => e.kind === 'payment').map((e) => ({ service: e.service, amountCents: -e.amountCents }));

/** A check number as compared with a returned item's: digits only, leading zeros dropped. */
export function normalizeCheckNumber(raw: string | null): string | null {
  const digits = raw?.replace(/\D/g, '').replace(/^0+/, '') ?? '';
  return digits === '' ? null : digits;
}

/** An account is cash-only while it has an active cash_only alert. */
export async function isCashOnly(db: Db, clock: Clock, accountId: number): Promise<boolean> {
  return (await customers.listAlerts(db, clock, accountId)).some((a) => a.kind === 'cash_only' && a.active);
}

export async function getPayment(db: Db, id: number): Promise<Payment & { shares: Share[]; entries: Awaited<ReturnType<typeof ledger.entriesOfPayments>> }> {
  const row = await repo.findPayment(db, id);
  if (!row) throw notFound('Payment', id);
  const entries = await ledger.entriesOfPayments(db, [id]);
  return { ...toPayment(row), shares: sharesOf(entries), entries };
}

export async function paymentsOfAccount(db: Db, accountId: number, limit = 50): Promise<Payment[]> {
  return (await repo.paymentsOfAccount(db, accountId, limit)).map(toPayment);
}

// ---- batches ----

export async function listBatches(db: Db, q: { day?: string; from?: string; to?: string; ids?: number[]; status?: 'open' | 'closed'; channel?: repo.Channel; depositId?: number; limit?: number }) {
  return (await repo.batches(db, { ...q, limit: q.limit ?? (q.ids ? q.ids.length : 100) })).map((r) => ({ ...toBatch(r), count: r.count, totalCents: Number(r.total_cents), cashCents: Number(r.cash_cents), checkCents: Number(r.check_cents) }));
}

export async function batchDetail(db: Db, id: number) {
  const row = await repo.findBatch(db, id);
  if (!row) throw notFound('Batch', id);
  const payments = (await repo.paymentsOfBatch(db, id)).map(toPayment);
  // What the batch holds: each payment received, in its corrected form where one replaced it.
  const superseded = new Set(payments.map((p) => p.correctsPaymentId).filter((x) => x !== null));
  const counted = payments.filter((p) => !superseded.has(p.id));
  return { ...toBatch(row), payments, count: counted.length, totalCents: counted.reduce((a, p) => a + p.amountCents, 0) };
}

/**
 * Closes a batch once it balances: the count and total staff counted (the adding-machine tape, or
 * a file's control record) must equal what the batch holds. A batch that does not balance stays
 * open and the refusal gives both figures and the difference.
 */
export async function closeBatch(db: Db, actor: Actor, clock: Clock, batchId: number, counted: { count: number; totalCents: number }): Promise<Batch> {
  return transact(db, async (trx) => {
    const found = await repo.findBatch(trx, batchId);
    if (!found) throw notFound('Batch', batchId);
    if (found.channel === 'counter' && found.opened_by !== null) await sql`select pg_advisory_xact_lock(hashtext('cash_drawer'), ${Number(found.opened_by)}::int4)`.execute(trx);
    const batch = (await repo.findBatchForUpdate(trx, batchId))!;
    if (batch.status === 'closed') throw new AppError('conflict', `Batch ${batchId} is already closed`);
    const detail = await batchDetail(trx, batchId);
    if (detail.count !== counted.count || detail.totalCents !== counted.totalCents) {
      throw new AppError('validation', `Batch ${batchId} does not balance: it holds ${detail.count} payments for ${formatCents(detail.totalCents)}, counted ${counted.count} for ${formatCents(counted.totalCents)} (difference ${formatCents(counted.totalCents - detail.totalCents)})`,
        { holds: { count: detail.count, totalCents: detail.totalCents }, counted });
    }
    const row = await repo.updateBatch(trx, batchId, { status: 'closed', expected_count: counted.count, expected_cents: String(counted.totalCents), closed_at: clock.now(), closed_by: actor.userId });
    await recordChange(trx, actor, { action: 'close', entityType: 'payment_batch', entityId: batchId, after: { count: counted.count, totalCents: counted.totalCents }, reason: 'Batch balanced and closed' });
    return toBatch(row);
  });
}

// ---- reports ----

/**
 * Payments of the web/IVR card and online bill-pay channels between two days, with how each was
 * matched: received, matched on the file's account number, matched by name and street, matched by
 * staff from suspense, still unmatched, corrected (moved or re-posted) and returned.
 */
export async function channelReport(db: Db, channel: 'card' | 'obi', from: string, to: string) {
  if (!isDate(from) || !isDate(to)) throw invalid('from', 'from and to must be dates (YYYY-MM-DD)');
  const rows = (await repo.paymentsOfChannel(db, [channel], from, to)).map(toPayment);
  const corrected = new Set(rows.map((p) => p.correctsPaymentId).filter((x): x is number => x !== null));
  const received = rows.filter((p) => p.correctsPaymentId === null);
  const sum = (ps: Payment[]) => ({ count: ps.length, totalCents: ps.reduce((a, p) => a + p.amountCents, 0) });
  return {
    channel, from, to,
    received: sum(received),
    matched: sum(received.filter((p) => p.matchedBy === 'account_number' && !corrected.has(p.id))),
    matchedByNameAndAddress: sum(received.filter((p) => p.matchedBy === 'name_address' && !corrected.has(p.id))),
    matchedByStaff: sum(received.filter((p) => p.matchedBy === 'staff' && !corrected.has(p.id))),
    unmatched: sum(received.filter((p) => p.status === 'suspense')),
    corrected: sum(received.filter((p) => corrected.has(p.id))),
    returned: sum(received.filter((p) => p.status === 'reversed' && !corrected.has(p.id))),
    items: rows,
  };
}

// ---- suspense and corrections ----

export async function suspenseQueue(db: Db, q: { after: number; limit: number }) {
  const rows = await repo.suspense(db, q);
  return { items: rows.slice(0, q.limit).map(toPayment), next: rows.length > q.limit ? Number(rows[q.limit - 1]!.id) : null };
}

/** Applies a payment waiting in suspense to the account staff found for it. */
export async function applySuspense(db: Db, actor: Actor, clock: Clock, paymentId: number, accountId: number, reason: string): Promise<{ payment: Payment; shares: Share[] }> {
  if (!reason?.trim()) throw invalid('reason', 'say how the account was found');
  return transact(db, async (trx) => {
    const row = await repo.findPaymentForUpdate(trx, paymentId);
    if (!row) throw notFound('Payment', paymentId);
    if (row.status !== 'suspense') throw new AppError('conflict', `Payment ${paymentId} is not in suspense (it is ${row.status})`);
    if (!(await repo.accountById(trx, accountId))) throw notFound('Account', accountId);
    await ledger.lockAccount(trx, accountId);
    const updated = await repo.updatePayment(trx, paymentId, { account_id: accountId, status: 'posted', matched_by: 'staff' });
    const shares = (await applyToAccounts(trx, actor, clock, [{ paymentId, accountId, amountCents: Number(row.amount_cents), receivedOn: clock.today() }])).get(paymentId)!;
    const payment = toPayment(updated);
    await recordChange(trx, actor, { action: 'apply_suspense', entityType: 'payment', entityId: paymentId, accountId, before: { status: 'suspense', accountRef: row.account_ref }, after: { status: 'posted', accountId, shares }, reason });
    return { payment, shares };
  });
}

/**
 * A deposit correction: the payment is reversed off its account (if it was on one) and posted
 * again to the right account, or at the right amount (what the bank actually credited), as a new
 * payment in the same batch that names the one it corrects. The first stays, marked reversed.
 */
export async function correctPayment(db: Db, actor: Actor, clock: Clock, paymentId: number, change: { accountId?: number; amountCents?: number }, reason: string): Promise<{ reversed: Payment; corrected: Payment; shares: Share[] }> {
  if (!reason?.trim()) throw invalid('reason', 'a correction needs a reason');
  if (change.accountId === undefined && change.amountCents === undefined) throw invalid('body', 'name the right account (accountId) or the right amount (amountCents)');
  if (change.amountCents !== undefined && (!Number.isSafeInteger(change.amountCents) || change.amountCents <= 0)) throw invalid('amountCents', 'must be a positive whole number of cents');
  return transact(db, async (trx) => {
    const row = await repo.findPaymentForUpdate(trx, paymentId);
    if (!row) throw notFound('Payment', paymentId);
    if (row.status === 'reversed') throw new AppError('conflict', `Payment ${paymentId} was already reversed (${row.reversal_reason})`);
    const accountId = change.accountId ?? (row.account_id === null ? null : Number(row.account_id));
    if (accountId === null) throw invalid('accountId', `payment ${paymentId} is in suspense: name the account to post it to`);
    if (!(await repo.accountById(trx, accountId))) throw notFound('Account', accountId);
    const amountCents = change.amountCents ?? Number(row.amount_cents);
    if (accountId === (row.account_id === null ? null : Number(row.account_id)) && amountCents === Number(row.amount_cents)) throw invalid('body', 'the correction changes neither the account nor the amount');
    // Both accounts, in id order (two corrections between the same accounts at once cannot deadlock).
    for (const id of [...new Set([row.account_id === null ? null : Number(row.account_id), accountId].filter((x): x is number => x !== null))].sort((a, b) => a - b)) await ledger.lockAccount(trx, id);
    const today = clock.today();
    await ledger.reversePayment(trx, actor, clock, paymentId, `Corrected: ${reason}`, today);
    const reversed = toPayment(await repo.updatePayment(trx, paymentId, { status: 'reversed', reversed_at: clock.now(), reversed_by: actor.userId, reversal_reason: `Corrected: ${reason}` }));
    const account = (await repo.accountById(trx, accountId))!;
    const newRow = await repo.insertPayment(trx, {
      batch_id: Number(row.batch_id), account_id: accountId, amount_cents: String(amountCents), method: row.method, channel: row.channel, received_on: row.received_on,
      reference: row.reference, check_number: row.check_number, account_ref: account.account_number, payer_name: row.payer_name, payer_address: row.payer_address, payer_routing: row.payer_routing, payer_account: row.payer_account,
      status: 'posted', matched_by: 'staff', import_id: row.import_id, record_no: row.record_no, corrects_payment_id: paymentId, reversed_at: null, reversed_by: null, reversal_reason: null,
      idempotency_key: null, request_sha256: null, created_at: clock.now(), created_by: actor.userId,
    });
    const corrected = toPayment(newRow);
    const shares = (await applyToAccounts(trx, actor, clock, [{ paymentId: corrected.id, accountId, amountCents, receivedOn: today }])).get(corrected.id)!;
    await recordChange(trx, actor, {
      action: 'correct', entityType: 'payment', entityId: paymentId, accountId,
      before: { accountId: reversed.accountId, amountCents: reversed.amountCents }, after: { correctedBy: corrected.id, accountId, amountCents, shares }, reason,
    });
    return { reversed, corrected, shares };
  });
}
