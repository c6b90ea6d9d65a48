/**
 * Returned payments (C9): an ACH return, a returned check (X9.37 or keyed) or a card chargeback
 * reverses the payment on the ledger, charges the returned-payment fee, and is followed up from a
 * daily queue with a letter to the customer. Autopay ends where the reason calls for it, the
 * account becomes cash-only after repeated returns, and R14/R15 (deceased) open the deceased workflow
 * (src/deceased: a case and its alert).
 */
import { recordChange } from '../audit/index.ts';
import { customers } from '../customer/index.ts';
import { deceased } from '../deceased/index.ts';
import { ledger } from '../ledger/index.ts';
import type { Actor } from '../platform/actor.ts';
import type { Clock } from '../platform/clock.ts';
import { addMonths } from '../platform/dates.ts';
import { transact, type Db } from '../platform/db/database.ts';
import { AppError, invalid, notFound } from '../platform/errors.ts';
import { formatCents } from '../platform/money.ts';
import { AUTOPAY_STOPPING_RETURNS, RETURN_REASON_CODES } from './formats/nacha.ts';
import { X9_RETURN_REASONS } from './formats/x937.ts';
import * as repo from './repository.ts';
import { applicationSettings, isCashOnly, toPayment, type Payment } from './service.ts';

export type ReturnSource = 'ach' | 'x937' | 'keyed' | 'chargeback';

export interface PaymentReturn {
  id: number;
  paymentId: number;
  source: ReturnSource;
  reasonCode: string;
  reason: string;
  returnedOn: string;
  importId: number | null;
  recordNo: number | null;
  feeCents: number;
  status: 'open' | 'resolved';
  followUpNote: string | null;
  resolvedAt: string | null;
  createdAt: string;
}
const toReturn = (r: repo.ReturnRow): PaymentReturn => ({
  id: Number(r.id), paymentId: Number(r.payment_id), source: r.source, reasonCode: r.reason_code, reason: r.reason, returnedOn: r.returned_on,
  importId: r.import_id === null ? null : Number(r.import_id), recordNo: r.record_no, feeCents: Number(r.fee_cents), status: r.status,
  followUpNote: r.follow_up_note, resolvedAt: r.resolved_at ? r.resolved_at.toISOString() : null, createdAt: r.created_at.toISOString(),
});

/** Reason codes for returns keyed by staff and card chargebacks (ACH and X9 codes come from their tables). */
export const KEYED_RETURN_REASONS: Readonly<Record<string, string>> = {
  NSF: 'Insufficient funds',
  CLOSED: 'Account closed',
  STOP: 'Payment stopped',
  FORGERY: 'Forged or unauthorized',
  OTHER: 'Other (explain in the reason)',
};
export const CHARGEBACK_REASONS: Readonly<Record<string, string>> = {
  FRAUD: 'Cardholder says the payment was not authorized',
  DISPUTE: 'Cardholder disputes the payment',
  PROCESSING: 'Processing error',
};

export function describeReturnReason(source: ReturnSource, code: string): string | null {
  const table = source === 'ach' ? RETURN_REASON_CODES : source === 'x937' ? X9_RETURN_REASONS : source === 'keyed' ? KEYED_RETURN_REASONS : CHARGEBACK_REASONS;
  return table[code] ?? null;
}

export interface ReturnInput {
  source: ReturnSource;
  reasonCode: string;
  /** Defaults to the reason code's description. */
  reason?: string;
  returnedOn: string;
  importId?: number | null;
  recordNo?: number | null;
  /** R14/R15: the date of death the bank gave. */
  dateOfDeath?: string | null;
}

export interface ReturnOutcome {
  paymentReturn: PaymentReturn;
  payment: Payment;
  feeCents: number;
  autopayRemoved: boolean;
  cashOnly: boolean;
  deceasedAlert: boolean;
}

/**
 * Processes one returned payment in the caller's transaction (or its own): the payment's ledger
 * entries reversed, the fee charged, the return recorded (open in the follow-up queue), autopay
 * removed for the reasons that call for it, cash-only after too many returns, a deceased alert.
 * A payment is returned once.
 */
export async function returnPayment(db: Db, actor: Actor, clock: Clock, paymentId: number, input: ReturnInput): Promise<ReturnOutcome> {
  const reason = input.reason?.trim() || describeReturnReason(input.source, input.reasonCode);
  if (!reason) throw invalid('reasonCode', `${input.reasonCode} is not a ${input.source} return reason; give the reason in words`);
  return transact(db, async (trx) => {
    const row = await repo.findPaymentForUpdate(trx, paymentId);
    if (!row) throw notFound('Payment', paymentId);
    const existing = await repo.returnOfPayment(trx, paymentId);
    if (existing) throw new AppError('conflict', `Payment ${paymentId} was already returned on ${existing.returned_on} (${existing.reason_code})`, { returnId: Number(existing.id) });
    if (row.status !== 'posted' || row.account_id === null) throw new AppError('conflict', `Payment ${paymentId} is ${row.status === 'suspense' ? 'in suspense, on no account' : 'already reversed'}: it cannot be returned`);
    // What can come back depends on how it was paid: a check (returned item), a card (chargeback), an ACH debit.
    const returnable: Record<ReturnSource, string[]> = { keyed: ['check', 'obi'], x937: ['check'], chargeback: ['card'], ach: ['ach'] };
    if (!returnable[input.source].includes(row.method)) throw new AppError('validation', `Payment ${paymentId} was paid by ${row.method}: a ${input.source === 'chargeback' ? 'chargeback is for card payments' : input.source === 'keyed' ? 'returned item is for checks and bill-pay checks' : `${input.source} return does not fit it`}`);
    const accountId = Number(row.account_id);
    await ledger.lockAccount(trx, accountId);
    const settings = await applicationSettings(trx);
    const why = `Returned payment (${input.source} ${input.reasonCode}: ${reason})`;
    await ledger.reversePayment(trx, actor, clock, paymentId, why, input.returnedOn);
    const payment = toPayment(await repo.updatePayment(trx, paymentId, { status: 'reversed', reversed_at: clock.now(), reversed_by: actor.userId, reversal_reason: why }));
    const feeCents = settings.returnedPaymentFeeCents;
    if (feeCents > 0) {
      await ledger.chargeFee(trx, actor, clock, { accountId, amountCents: feeCents, reasonCode: 'RETURNED_PAYMENT_FEE', reason: `Returned payment fee: payment ${paymentId} of ${formatCents(payment.amountCents)}`, entryDate: input.returnedOn, paymentId });
    }
    const ret = toReturn(await repo.insertReturn(trx, {
      payment_id: paymentId, source: input.source, reason_code: input.reasonCode, reason, returned_on: input.returnedOn, import_id: input.importId ?? null, record_no: input.recordNo ?? null,
      fee_cents: String(feeCents), follow_up_note: null, resolved_at: null, resolved_by: null, created_at: clock.now(), created_by: actor.userId,
    }));
    await recordChange(trx, actor, { action: 'return', entityType: 'payment', entityId: paymentId, accountId, before: { status: 'posted' }, after: { status: 'reversed', returnId: ret.id, reasonCode: input.reasonCode, feeCents }, reason: why });

    let autopayRemoved = false;
    if (input.source === 'ach' && AUTOPAY_STOPPING_RETURNS.has(input.reasonCode)) {
      const enrolment = await repo.liveEnrolment(trx, accountId);
      if (enrolment) {
        await repo.updateEnrolment(trx, Number(enrolment.id), { status: 'removed', removed_at: clock.now(), removed_reason: `ACH return ${input.reasonCode}: ${reason}` });
        await recordChange(trx, actor, { action: 'remove', entityType: 'autopay_enrolment', entityId: Number(enrolment.id), accountId, before: { status: enrolment.status }, after: { status: 'removed' }, reason: `ACH return ${input.reasonCode}` });
        autopayRemoved = true;
      }
    }
    let cashOnly = false;
    const since = addMonths(input.returnedOn, -settings.cashOnlyWindowMonths);
    const returns = await repo.returnsOfAccountSince(trx, accountId, since);
    if (returns >= settings.cashOnlyReturns && !(await isCashOnly(trx, clock, accountId))) {
      await customers.addAlert(trx, actor, clock, accountId, { kind: 'cash_only', note: `${returns} returned payments since ${since}`, startsOn: input.returnedOn },
        `${returns} returned payments within ${settings.cashOnlyWindowMonths} months`);
      cashOnly = true;
    }
    let deceasedAlert = false;
    if (input.source === 'ach' && (input.reasonCode === 'R14' || input.reasonCode === 'R15')) {
      // The deceased workflow: a case with the bank's date of death and this payment, and its one 'deceased' alert.
      await deceased.openFromAchReturn(trx, actor, clock, { accountId, paymentId, reasonCode: input.reasonCode, dateOfDeath: input.dateOfDeath ?? null, returnedOn: input.returnedOn });
      deceasedAlert = true;
    }
    return { paymentReturn: ret, payment, feeCents, autopayRemoved, cashOnly, deceasedAlert };
  });
}

/** The daily follow-up queue: open returns, oldest first (or every return in a date range). */
export async function returnsQueue(db: Db, q: { status?: 'open' | 'resolved'; from?: string; to?: string; limit?: number }) {
  return (await repo.returnsList(db, { ...q, limit: q.limit ?? 200 })).map((r) => ({
    ...toReturn(r), accountId: r.account_id === null ? null : Number(r.account_id), accountNumber: r.account_number, amountCents: Number(r.amount_cents), method: r.method, reference: r.reference,
  }));
}

/** Records the follow-up of a return (the customer reached, paid, or written to) and closes it. */
export async function resolveReturn(db: Db, actor: Actor, clock: Clock, returnId: number, note: string): Promise<PaymentReturn> {
  if (!note?.trim()) throw invalid('note', 'say what was done');
  return transact(db, async (trx) => {
    const r = await repo.findReturn(trx, returnId);
    if (!r) throw notFound('Returned payment', returnId);
    if (r.status === 'resolved') throw new AppError('conflict', `Returned payment ${returnId} was already followed up`);
    const updated = toReturn(await repo.updateReturn(trx, returnId, { status: 'resolved', follow_up_note: note.trim(), resolved_at: clock.now(), resolved_by: actor.userId }));
    await recordChange(trx, actor, { action: 'follow_up', entityType: 'payment_return', entityId: returnId, before: { status: 'open' }, after: { status: 'resolved' }, reason: note.trim() });
    return updated;
  });
}

export async function getReturn(db: Db, id: number): Promise<PaymentReturn> {
  const r = await repo.findReturn(db, id);
  if (!r) throw notFound('Returned payment', id);
  return toReturn(r);
}
