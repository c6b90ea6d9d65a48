/**
 * The account ledger: entries are only added; a balance is their sum. Bills post here (one entry
 * per bill), staff adjust with a reason code within their role's approval limit, and a wrong
 * entry is undone by a reversing entry that points at it.
 */
import { createHash } from 'node:crypto';
import { recordChange } from '../audit/index.ts';
import type { Actor } from '../platform/actor.ts';
import type { Clock } from '../platform/clock.ts';
import { transact, type Db } from '../platform/db/database.ts';
import { AppError, invalid, notFound } from '../platform/errors.ts';
import { formatCents } from '../platform/money.ts';
import * as repo from './repository.ts';

export type Service = 'electric' | 'water' | 'fiber';

const roleNames: Record<string, string> = { csr1: 'CSR I', csr2: 'CSR II', supervisor: 'supervisor', admin: 'administrator', auditor: 'auditor' };

export interface LedgerEntry {
  id: number;
  accountId: number;
  entryDate: string;
  kind: repo.EntryKind;
  service: Service | null;
  amountCents: number;
  taxCents: number;
  billId: number | null;
  paymentId: number | null;
  reversesId: number | null;
  reasonCode: string | null;
  reason: string | null;
  createdAt: string;
}

export const toEntry = (r: repo.EntryRow): LedgerEntry => ({
  id: r.id, accountId: r.account_id, entryDate: r.entry_date, kind: r.kind, service: r.service, amountCents: Number(r.amount_cents), taxCents: Number(r.tax_cents),
  billId: r.bill_id, paymentId: r.payment_id === null ? null : Number(r.payment_id), reversesId: r.reverses_id, reasonCode: r.reason_code, reason: r.reason, createdAt: r.created_at.toISOString(),
});

export async function balanceOf(db: Db, accountId: number): Promise<number> {
  return Number(await repo.balanceOf(db, accountId));
}

export async function entriesOf(db: Db, q: { accountId: number; after: number; limit: number; newestFirst?: boolean }): Promise<LedgerEntry[]> {
  return (await repo.entriesOf(db, q)).map(toEntry);
}

export const adjustmentReasons = async (db: Db) => (await repo.reasons(db)).map((r) => ({ code: r.code, description: r.description }));
export const approvalLimits = async (db: Db) => (await repo.limits(db)).map((r) => ({ role: r.role, limitCents: Number(r.limit_cents) }));

/** Posts one bill's entry (held bills released one by one, rebills). Already posted: the first entry. */
export async function postBill(db: Db, actor: Actor, clock: Clock, bill: { id: number; accountId: number; service: Service; billDate: string; totalCents: number; taxCents: number }): Promise<LedgerEntry> {
  const existing = await repo.billEntry(db, bill.id);
  if (existing) return toEntry(existing);
  return toEntry(await repo.insertEntry(db, {
    account_id: bill.accountId, entry_date: bill.billDate, kind: 'bill', service: bill.service, amount_cents: String(bill.totalCents), tax_cents: String(bill.taxCents),
    bill_id: bill.id, reverses_id: null, reason_code: null, reason: null, idempotency_key: null, request_sha256: null, created_at: clock.now(), created_by: actor.userId,
  }));
}

/** Bill entries for a batch of posted bills (the billing run); bills already on the ledger are skipped. */
export const postBills = repo.insertBillEntries;
/** Bill entries for bills new in this transaction (the billing run's chunks), written by COPY; an entry already there fails the batch. */
export const postNewBills = repo.copyBillEntries;

export interface AdjustInput {
  accountId: number;
  amountCents: number;
  service?: Service | null;
  reasonCode: string;
  reason: string;
  entryDate: string;
  idempotencyKey?: string;
}

/**
 * A manual adjustment (positive charges the customer, negative credits). Refused above the
 * actor's approval limit. With an idempotency key, the same request again returns the first
 * entry and a different one under the same key is a conflict.
 */
export async function adjust(db: Db, actor: Actor, clock: Clock, input: AdjustInput): Promise<{ entry: LedgerEntry; balanceCents: number; replayed: boolean }> {
  if (!Number.isSafeInteger(input.amountCents) || input.amountCents === 0) throw invalid('amountCents', 'must be a whole number of cents, not zero');
  const requestHash = createHash('sha256').update(JSON.stringify([input.accountId, input.amountCents, input.service ?? null, input.reasonCode, input.reason, input.entryDate])).digest('hex');
  return transact(db, async (trx) => {
    await repo.lockAccount(trx, input.accountId);
    if (input.idempotencyKey) {
      const first = await repo.findByKey(trx, input.idempotencyKey);
      if (first) {
        if (first.request_sha256 !== requestHash) throw new AppError('conflict', `Idempotency key ${input.idempotencyKey} was used for a different adjustment (entry ${first.id})`, { entryId: first.id });
        return { entry: toEntry(first), balanceCents: Number(await repo.balanceOf(trx, input.accountId)), replayed: true };
      }
    }
    if (!(await repo.findReason(trx, input.reasonCode))) throw invalid('reasonCode', `${input.reasonCode} is not an adjustment reason code`);
    if (actor.role !== 'system') {
      const limit = await repo.limitOf(trx, actor.role);
      if (limit === null || Math.abs(input.amountCents) > limit) {
        const what = input.amountCents < 0 ? `A credit of ${formatCents(-input.amountCents)}` : `A charge of ${formatCents(input.amountCents)}`;
        throw new AppError('forbidden', `${what} is above the ${roleNames[actor.role]} approval limit of ${formatCents(limit ?? 0)}; a supervisor must make it`, { limitCents: limit ?? 0 });
      }
    }
    const row = await repo.insertEntry(trx, {
      account_id: input.accountId, entry_date: input.entryDate, kind: 'adjustment', service: input.service ?? null, amount_cents: String(input.amountCents),
      bill_id: null, reverses_id: null, reason_code: input.reasonCode, reason: input.reason, idempotency_key: input.idempotencyKey ?? null, request_sha256: requestHash,
      created_at: clock.now(), created_by: actor.userId,
    }).catch((e: unknown) => {
      if ((e as { code?: string }).code === '23503') throw notFound('Account', input.accountId);
      // The same key used at the same moment for another account's adjustment.
      if ((e as { code?: string }).code === '23505') throw new AppError('conflict', `Idempotency key ${input.idempotencyKey} is already in use`);
      throw e;
    });
    const entry = toEntry(row);
    await recordChange(trx, actor, { action: 'adjust', entityType: 'ledger_entry', entityId: entry.id, accountId: entry.accountId, after: { ...entry }, reason: `${input.reasonCode}: ${input.reason}` });
    return { entry, balanceCents: Number(await repo.balanceOf(trx, input.accountId)), replayed: false };
  });
}

const OWNED_KINDS = new Set(['budget', 'deposit', 'refund', 'writeoff', 'transfer']);

/** Reverses an entry with an equal and opposite one that points at it. An entry is reversed once. */
export async function reverse(db: Db, actor: Actor, clock: Clock, entryId: number, reason: string, entryDate: string, options: { forBill?: boolean; forOwner?: boolean } = {}): Promise<LedgerEntry> {
  return transact(db, async (trx) => {
    const entry = await repo.findEntry(trx, entryId);
    if (!entry) throw notFound('Ledger entry', entryId);
    await repo.lockAccount(trx, entry.account_id);
    if (entry.kind === 'reversal') throw new AppError('conflict', `Ledger entry ${entryId} is itself a reversal; make a new entry instead`);
    // A bill's entry is undone by cancelling the bill (which reverses it), never on its own.
    if (entry.kind === 'bill' && !options.forBill) throw new AppError('conflict', `Ledger entry ${entryId} is bill ${entry.bill_id}'s charge: cancel or rebill the bill instead`, { billId: entry.bill_id });
    if (entry.kind === 'payment') throw new AppError('conflict', `Ledger entry ${entryId} is payment ${entry.payment_id}'s credit: correct or return the payment instead`, { paymentId: entry.payment_id });
    // Budget billing's, deposits', refunds', write-offs' and transfers' entries are undone by their own contexts (which keep their records in step).
    if (OWNED_KINDS.has(entry.kind) && !options.forOwner) throw new AppError('conflict', `Ledger entry ${entryId} is a ${entry.kind} entry: undo it from its ${entry.kind === 'budget' ? 'budget plan' : entry.kind === 'writeoff' ? 'write-off' : entry.kind}`);
    const already = await repo.reversalOf(trx, entryId);
    if (already) throw new AppError('conflict', `Ledger entry ${entryId} was reversed already (entry ${already.id})`, { reversalId: already.id });
    const row = await repo.insertEntry(trx, {
      account_id: entry.account_id, entry_date: entryDate, kind: 'reversal', service: entry.service, amount_cents: String(-Number(entry.amount_cents)), tax_cents: String(-Number(entry.tax_cents)),
      bill_id: entry.bill_id, reverses_id: entry.id, reason_code: entry.reason_code, reason, idempotency_key: null, request_sha256: null, created_at: clock.now(), created_by: actor.userId,
    });
    const reversal = toEntry(row);
    await recordChange(trx, actor, { action: 'reverse', entityType: 'ledger_entry', entityId: reversal.id, accountId: reversal.accountId, after: { ...reversal }, reason });
    return reversal;
  });
}

// ---- payments and fees (the payment context posts through these) ----

/** What accounts owe, by service, with the dates of the unpaid charges (for applying payments). */
export const owedByService = repo.owedByService;

/**
 * An entry another context makes for its own reason (a deposit instalment or its return, a
 * refund, a net-metering payout): a reason code of the system's, not a staff adjustment, so no
 * approval limit applies here (the calling context checks its own). With a key, the same key
 * again returns the first entry.
 */
export async function postSystemEntry(db: Db, actor: Actor, clock: Clock, input: { accountId: number; kind: 'deposit' | 'refund' | 'adjustment' | 'fee' | 'writeoff' | 'transfer'; amountCents: number; reasonCode: string; reason: string; entryDate: string; key?: string }): Promise<LedgerEntry> {
  if (!Number.isSafeInteger(input.amountCents) || input.amountCents === 0) throw new Error(`Invariant broken: a ${input.kind} entry of ${input.amountCents} for account ${input.accountId}`);
  return transact(db, async (trx) => {
    if (input.key) {
      const first = await repo.findByKey(trx, input.key);
      if (first) return toEntry(first);
    }
    return toEntry(await repo.insertEntry(trx, {
      account_id: input.accountId, entry_date: input.entryDate, kind: input.kind, service: null, amount_cents: String(input.amountCents), tax_cents: '0',
      bill_id: null, reverses_id: null, reason_code: input.reasonCode, reason: input.reason, idempotency_key: input.key ?? null, request_sha256: null, created_at: clock.now(), created_by: actor.userId,
    }));
  });
}

/** The entry made under an idempotency key, if any. */
export async function entryByKey(db: Db, key: string): Promise<LedgerEntry | null> {
  const r = await repo.findByKey(db, key);
  return r ? toEntry(r) : null;
}

/** Budget billing's entries (see repository.insertBudgetEntries); never zero. */
export async function postBudgetEntries(db: Db, actor: Actor, clock: Clock, rows: Parameters<typeof repo.insertBudgetEntries>[1]): Promise<number> {
  for (const r of rows) if (!Number.isSafeInteger(r.amountCents) || r.amountCents === 0) throw new Error(`Invariant broken: a budget entry of ${r.amountCents} for account ${r.accountId}`);
  return repo.insertBudgetEntries(db, rows, clock.now(), actor.userId);
}

/** Payment entries: one per service a payment pays (negative: the customer owes less). */
export async function postPayments(db: Db, actor: Actor, clock: Clock, rows: { accountId: number; paymentId: number; service: Service | null; entryDate: string; amountCents: number }[]): Promise<void> {
  for (const r of rows) if (!(r.amountCents < 0)) throw new Error(`Invariant broken: payment ${r.paymentId}'s entry must be a credit, not ${r.amountCents}`);
  await repo.insertPaymentEntries(db, rows, clock.now(), actor.userId);
}

/** Reverses every entry of a payment not yet reversed (a returned or misapplied payment). */
export async function reversePayment(db: Db, actor: Actor, clock: Clock, paymentId: number, reason: string, entryDate: string): Promise<LedgerEntry[]> {
  return transact(db, async (trx) => {
    const entries = await repo.entriesOfPayments(trx, [paymentId]);
    const reversed = new Set(entries.filter((e) => e.reverses_id !== null).map((e) => Number(e.reverses_id)));
    const out: LedgerEntry[] = [];
    for (const e of entries.filter((x) => x.kind === 'payment' && !reversed.has(Number(x.id)))) {
      await repo.lockAccount(trx, e.account_id);
      const row = await repo.insertEntry(trx, {
        account_id: e.account_id, entry_date: entryDate, kind: 'reversal', service: e.service, amount_cents: String(-Number(e.amount_cents)), tax_cents: '0',
        bill_id: null, payment_id: paymentId, reverses_id: e.id, reason_code: null, reason, idempotency_key: null, request_sha256: null, created_at: clock.now(), created_by: actor.userId,
      });
      out.push(toEntry(row));
    }
    return out;
  });
}

/** A fee (a returned-payment fee): a charge with a reason code, tied to the payment it is for. */
export async function chargeFee(db: Db, actor: Actor, clock: Clock, input: { accountId: number; amountCents: number; reasonCode: string; reason: string; entryDate: string; paymentId?: number | null }): Promise<LedgerEntry> {
  if (!Number.isSafeInteger(input.amountCents) || input.amountCents <= 0) throw invalid('amountCents', 'a fee must be a positive whole number of cents');
  const row = await repo.insertEntry(db, {
    account_id: input.accountId, entry_date: input.entryDate, kind: 'fee', service: null, amount_cents: String(input.amountCents), tax_cents: '0',
    bill_id: null, payment_id: input.paymentId ?? null, reverses_id: null, reason_code: input.reasonCode, reason: input.reason, idempotency_key: null, request_sha256: null,
    created_at: clock.now(), created_by: actor.userId,
  });
  return toEntry(row);
}

/** The entries of payments, oldest first. */
export async function entriesOfPayments(db: Db, paymentIds: number[]): Promise<LedgerEntry[]> {
  return (await repo.entriesOfPayments(db, paymentIds)).map(toEntry);
}

/** Serialises money-moving commands on one account (within the caller's transaction). */
export const lockAccount = repo.lockAccount;
/** Serialises a command on many accounts (a payment file) with every one-account command. */
export const lockAllAccounts = repo.lockAllAccounts;

/** The bill entry of a bill, if it is on the ledger. */
export async function billEntryOf(db: Db, billId: number): Promise<LedgerEntry | null> {
  const row = await repo.billEntry(db, billId);
  return row ? toEntry(row) : null;
}

/** The balance of an account at the end of a day (entries dated on or before it). */
export async function balanceAsOf(db: Db, accountId: number, date: string): Promise<number> {
  return Number(await repo.balanceAsOf(db, accountId, date));
}

/** An account's entries dated after `afterDate`, up to and including `upToDate`. */
export async function entriesBetween(db: Db, accountId: number, afterDate: string, upToDate: string): Promise<LedgerEntry[]> {
  return (await repo.entriesBetween(db, accountId, afterDate, upToDate)).map(toEntry);
}
