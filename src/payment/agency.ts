/**
 * Agency payments (C7, C12): money an energy-assistance agency sends for several customers at once,
 * one check (or one day of its payment file) covering many accounts. The assistance context decides
 * which account and pledge each item is for; here the items become payments like any other: one
 * closed batch on the day the money arrived (it balances by construction: the items are the check),
 * each item a payment of channel 'agency', applied to its account's oldest charges, or left in the
 * suspense queue (no account) when the agency named an account that is not ours.
 */
import { recordChange } from '../audit/index.ts';
import { ledger } from '../ledger/index.ts';
import type { Actor } from '../platform/actor.ts';
import type { Clock } from '../platform/clock.ts';
import { isDate } from '../platform/dates.ts';
import { transact, type Db } from '../platform/db/database.ts';
import { invalid } from '../platform/errors.ts';
import type { Share } from './application.ts';
import * as repo from './repository.ts';
import { applyToAccounts, normalizeCheckNumber } from './service.ts';

export interface AgencyPaymentItem {
  /** The account the item is for, or null: the agency named no account of ours (suspense). */
  accountId: number | null;
  /** The account as the agency wrote it (kept for staff working the suspense queue). */
  accountRef: string | null;
  amountCents: number;
  /** Who the money is from, as staff should see it (the agency, and the customer it names). */
  payerName: string | null;
  /** The item's line in the agency's file, when it came in one. */
  recordNo?: number | null;
  /** How the account was found: the number the agency gave (default), or staff keying the check. */
  matchedBy?: 'account_number' | 'staff';
}

export interface AgencyBatchResult {
  batchId: number;
  /** The items' payments, in the order given. */
  payments: { paymentId: number; accountId: number | null; status: 'posted' | 'suspense'; amountCents: number; shares: Share[] }[];
}

/**
 * Posts an agency's payment as one closed batch dated the day it arrived, in the caller's
 * transaction (or one of its own): a payment per item, applied to its account like any payment;
 * an item without an account waits in suspense, unapplied.
 */
export async function postAgencyBatch(db: Db, actor: Actor, clock: Clock, input: { day: string; checkNumber: string | null; note: string; items: AgencyPaymentItem[] }): Promise<AgencyBatchResult> {
  if (!isDate(input.day)) throw invalid('day', `${input.day} is not a date (YYYY-MM-DD)`);
  if (input.items.length === 0) throw invalid('items', 'an agency payment needs at least one item');
  if (input.items.some((i) => !Number.isSafeInteger(i.amountCents) || i.amountCents <= 0)) throw invalid('items', 'every item must be a positive whole number of cents');
  return transact(db, async (trx) => {
    const accounts = [...new Set(input.items.map((i) => i.accountId).filter((id): id is number => id !== null))];
    // One account: take its lock as the counter does (several: applyToAccounts takes them all).
    if (accounts.length === 1) await ledger.lockAccount(trx, accounts[0]!);
    const total = input.items.reduce((a, i) => a + i.amountCents, 0);
    const now = clock.now();
    const batch = await repo.insertBatch(trx, {
      channel: 'agency', business_date: input.day, status: 'closed', import_id: null, opened_at: now, opened_by: actor.userId,
      expected_count: input.items.length, expected_cents: String(total), closed_at: now, closed_by: actor.userId, deposit_id: null, note: input.note,
    });
    const checkNumber = normalizeCheckNumber(input.checkNumber);
    const written = await repo.copyPayments(trx, input.items.map((i) => ({
      batch_id: Number(batch.id), account_id: i.accountId, amount_cents: String(i.amountCents), method: 'check' as const, channel: 'agency' as const, received_on: input.day,
      reference: input.checkNumber, check_number: checkNumber, account_ref: i.accountRef, payer_name: i.payerName, payer_address: null, payer_routing: null, payer_account: null,
      status: (i.accountId === null ? 'suspense' : 'posted') as repo.PaymentStatus, matched_by: i.accountId === null ? null : (i.matchedBy ?? 'account_number'),
      import_id: null, record_no: i.recordNo ?? null, corrects_payment_id: null, reversed_at: null, reversed_by: null, reversal_reason: null, idempotency_key: null, request_sha256: null,
      created_at: now, created_by: actor.userId,
    })));
    const posted = written.filter((p) => p.account_id != null);
    const shares = await applyToAccounts(trx, actor, clock, posted.map((p) => ({ paymentId: p.id, accountId: p.account_id!, amountCents: Number(p.amount_cents), receivedOn: input.day })));
    await recordChange(trx, actor, {
      action: 'post_batch', entityType: 'payment_batch', entityId: Number(batch.id),
      after: { channel: 'agency', day: input.day, checkNumber: input.checkNumber, count: input.items.length, totalCents: total, suspense: written.length - posted.length },
      reason: input.note,
    });
    return {
      batchId: Number(batch.id),
      payments: written.map((p) => ({ paymentId: p.id, accountId: p.account_id ?? null, status: p.account_id == null ? 'suspense' as const : 'posted' as const, amountCents: Number(p.amount_cents), shares: shares.get(p.id) ?? [] })),
    };
  });
}

/** Where some payments stand now (a suspense payment may have been applied by staff since). */
export async function paymentStates(db: Db, paymentIds: number[]): Promise<Map<number, { accountId: number | null; status: repo.PaymentStatus }>> {
  const out = new Map<number, { accountId: number | null; status: repo.PaymentStatus }>();
  for (const id of paymentIds) {
    const row = await repo.findPayment(db, id);
    if (row) out.set(id, { accountId: row.account_id === null ? null : Number(row.account_id), status: row.status });
  }
  return out;
}
