/**
 * Refunds (C11): a credit balance (an overpaid or final account), a deposit, or a net-metering
 * credit the district's policy pays, sent to the customer by accounts payable. A refund at or
 * below the approval limit is approved as it is asked for; above it, a supervisor approves it.
 * Approval takes the credit off the ledger (a 'refund' entry); the accounts-payable export file
 * lists the approved refunds once; a check the post office returns puts the credit back and
 * flags the account for a new address.
 */
import { createHash } from 'node:crypto';
import { recordChange } from '../audit/index.ts';
import { customers } from '../customer/index.ts';
import { ledger } from '../ledger/index.ts';
import type { Actor } from '../platform/actor.ts';
import { localDate, type Clock } from '../platform/clock.ts';
import { csvText } from '../platform/csv.ts';
import { transact, type Db } from '../platform/db/database.ts';
import { Dec } from '../platform/decimal.ts';
import { AppError, invalid, notFound } from '../platform/errors.ts';
import { centsToDecimal, formatCents } from '../platform/money.ts';
import * as repo from './repository.ts';
import type { Row } from './repository.ts';

export type RefundKind = 'credit_balance' | 'deposit' | 'solar';
export type RefundStatus = 'requested' | 'approved' | 'exported' | 'returned' | 'cancelled';

export interface Refund {
  id: number;
  accountId: number;
  kind: RefundKind;
  amountCents: number;
  status: RefundStatus;
  payeeName: string;
  payeeAddress: { line1: string; line2: string | null; city: string; state: string; postalCode: string };
  reason: string;
  depositId: number | null;
  requestedAt: string;
  approvedAt: string | null;
  exportId: number | null;
  returnedOn: string | null;
  closedReason: string | null;
}

export interface RefundSettings {
  approvalLimitCents: number;
  solarCentsPerKwh: string | null;
  exportColumns: string[];
  exportHeader: boolean;
  vendorId: string;
}

/** The fields an accounts-payable export may carry, in the order the settings list them. */
export const EXPORT_FIELDS: Record<string, (r: Refund & { accountNumber: string; approvedOn: string }) => string> = {
  refund_id: (r) => String(r.id),
  vendor_id: () => '',
  payee_name: (r) => r.payeeName,
  address_line1: (r) => r.payeeAddress.line1,
  address_line2: (r) => r.payeeAddress.line2 ?? '',
  city: (r) => r.payeeAddress.city,
  state: (r) => r.payeeAddress.state,
  postal_code: (r) => r.payeeAddress.postalCode,
  amount: (r) => centsToDecimal(r.amountCents),
  amount_cents: (r) => String(r.amountCents),
  account_number: (r) => r.accountNumber,
  kind: (r) => r.kind,
  approved_on: (r) => r.approvedOn,
  memo: (r) => `${r.kind === 'deposit' ? 'Deposit refund' : r.kind === 'solar' ? 'Net-metering credit' : 'Credit balance refund'}, account ${r.accountNumber}`,
};

const toRefund = (r: Row): Refund => ({
  id: Number(r.id), accountId: Number(r.account_id), kind: r.kind as RefundKind, amountCents: Number(r.amount_cents), status: r.status as RefundStatus,
  payeeName: r.payee_name as string, payeeAddress: r.payee_address as Refund['payeeAddress'], reason: r.reason as string, depositId: r.deposit_id === null ? null : Number(r.deposit_id),
  requestedAt: (r.requested_at as Date).toISOString(), approvedAt: r.approved_at ? (r.approved_at as Date).toISOString() : null, exportId: r.export_id === null ? null : Number(r.export_id),
  returnedOn: (r.returned_on as string | null) ?? null, closedReason: (r.closed_reason as string | null) ?? null,
});

export async function getSettings(db: Db): Promise<RefundSettings> {
  const s = await repo.settings(db);
  return { approvalLimitCents: Number(s.approval_limit_cents), solarCentsPerKwh: (s.solar_cents_per_kwh as string | null) ?? null, exportColumns: s.export_columns as string[], exportHeader: s.export_header as boolean, vendorId: s.vendor_id as string };
}
export async function updateSettings(db: Db, actor: Actor, clock: Clock, patch: Partial<RefundSettings>, reason: string): Promise<RefundSettings> {
  const unknown = (patch.exportColumns ?? []).filter((c) => !(c in EXPORT_FIELDS));
  if (unknown.length > 0) throw invalid('exportColumns', `unknown field(s) ${unknown.join(', ')}; the fields are ${Object.keys(EXPORT_FIELDS).join(', ')}`);
  if (patch.exportColumns && patch.exportColumns.length === 0) throw invalid('exportColumns', 'needs at least one field');
  if (patch.solarCentsPerKwh !== undefined && patch.solarCentsPerKwh !== null && !/^\d+(\.\d+)?$/.test(patch.solarCentsPerKwh)) throw invalid('solarCentsPerKwh', 'must be cents per kWh such as 4.5, or null');
  return transact(db, async (trx) => {
    const before = await getSettings(trx);
    const after = { ...before, ...patch };
    await repo.updateSettings(trx, after, clock.now(), actor.userId);
    await recordChange(trx, actor, { action: 'update', entityType: 'refund_settings', entityId: 'refunds', before: { ...before }, after: { ...after }, reason });
    return after;
  });
}

export async function getRefund(db: Db, id: number): Promise<Refund> {
  const r = await repo.findRefund(db, id);
  if (!r) throw notFound('Refund', id);
  return toRefund(r);
}
export async function refundsOfAccount(db: Db, accountId: number): Promise<Refund[]> {
  return (await repo.refundsOfAccount(db, accountId)).map(toRefund);
}
export async function listRefunds(db: Db, q: { status?: RefundStatus; after: number; limit: number }) {
  const rows = await repo.listRefunds(db, q);
  return { items: rows.slice(0, q.limit).map((r) => ({ ...toRefund(r), accountNumber: r.account_number as string })), next: rows.length > q.limit ? Number(rows[q.limit - 1]!.id) : null };
}

/** The credit an account has to refund: its credit balance less refunds asked for and not yet approved. */
export async function creditAvailable(db: Db, accountId: number): Promise<number> {
  const balance = await ledger.balanceOf(db, accountId);
  return Math.max(0, -balance - (await repo.pendingCents(db, accountId)));
}

const canApproveAny = (actor: Actor) => actor.role === 'supervisor' || actor.role === 'admin' || actor.role === 'system';

/**
 * Asks for a refund of an account's credit (all of it by default). Refused when it is more than
 * the credit available. At or below the approval limit it is approved at once; above, it waits
 * for a supervisor (unless one is asking).
 */
export async function requestRefund(db: Db, actor: Actor, clock: Clock, input: { accountId: number; kind?: RefundKind; amountCents?: number; depositId?: number | null; reason: string }): Promise<Refund> {
  if (input.amountCents !== undefined && !(Number.isSafeInteger(input.amountCents) && input.amountCents > 0)) throw invalid('amountCents', 'must be a positive whole number of cents');
  return transact(db, async (trx) => {
    await ledger.lockAccount(trx, input.accountId);
    const account = await customers.getAccount(trx, input.accountId);
    const customer = await customers.getCustomer(trx, account.customerId);
    const available = await creditAvailable(trx, input.accountId);
    const amount = input.amountCents ?? available;
    if (amount <= 0) throw new AppError('conflict', `Account ${account.accountNumber} has no credit to refund (balance ${formatCents(await ledger.balanceOf(trx, input.accountId))})`);
    if (amount > available) throw new AppError('conflict', `A refund of ${formatCents(amount)} is more than the ${formatCents(available)} credit available on account ${account.accountNumber}`, { availableCents: available });
    const a = account.billingAddress;
    const refund = toRefund(await repo.insertRefund(trx, {
      accountId: input.accountId, kind: input.kind ?? 'credit_balance', amountCents: amount, payeeName: customer.displayName,
      payeeAddress: { line1: a.line1, line2: a.line2 ?? null, city: a.city, state: a.state, postalCode: a.postalCode }, reason: input.reason, depositId: input.depositId ?? null, at: clock.now(), by: actor.userId,
    }));
    await recordChange(trx, actor, { action: 'request', entityType: 'refund', entityId: refund.id, accountId: refund.accountId, after: { kind: refund.kind, amountCents: amount }, reason: input.reason });
    // The limit holds for the account's refunds of the last 30 days together, so it cannot be split.
    const { approvalLimitCents } = await getSettings(trx);
    const within = (await repo.refundedSince(trx, input.accountId, new Date(clock.now().getTime() - 30 * 86_400_000))) <= approvalLimitCents;
    if (refund.kind !== 'solar' && (within || canApproveAny(actor))) return approveIn(trx, actor, clock, refund, within ? 'Within the approval limit' : input.reason);
    return refund;
  });
}

/** A supervisor's approval of a refund above the limit (or anyone's within it). */
export async function approveRefund(db: Db, actor: Actor, clock: Clock, id: number, reason: string): Promise<Refund> {
  return transact(db, async (trx) => {
    const refund = await lockRefund(trx, id);
    if (refund.status !== 'requested') throw new AppError('conflict', `Refund ${id} is ${refund.status}, not waiting for approval`);
    const { approvalLimitCents } = await getSettings(trx);
    if (refund.kind === 'solar' && !canApproveAny(actor)) throw new AppError('forbidden', `Refund ${id} pays out net-metering credit; a supervisor must approve it`);
    const recent = await repo.refundedSince(trx, refund.accountId, new Date(clock.now().getTime() - 30 * 86_400_000));
    if (recent > approvalLimitCents && !canApproveAny(actor)) {
      throw new AppError('forbidden', `A refund of ${formatCents(refund.amountCents)} (with the account's other refunds of the last 30 days, ${formatCents(recent)}) is above the ${formatCents(approvalLimitCents)} approval limit; a supervisor must approve it`, { limitCents: approvalLimitCents });
    }
    return approveIn(trx, actor, clock, refund, reason);
  });
}

async function lockRefund(trx: Db, id: number): Promise<Refund> {
  const r = await repo.findRefund(trx, id, true);
  if (!r) throw notFound('Refund', id);
  return toRefund(r);
}

async function approveIn(trx: Db, actor: Actor, clock: Clock, refund: Refund, reason: string): Promise<Refund> {
  await ledger.lockAccount(trx, refund.accountId);
  // A solar payout's credit exists only once approved: it goes on the account and straight out again.
  if (refund.kind === 'solar') {
    await ledger.postSystemEntry(trx, actor, clock, { accountId: refund.accountId, kind: 'adjustment', amountCents: -refund.amountCents, reasonCode: 'SOLAR_CREDIT', reason: `Net-metering credit paid out: ${refund.reason}`, entryDate: clock.today(), key: `solar:${refund.id}` });
  }
  // The credit must still be there (a bill may have used it since the request).
  const balance = await ledger.balanceOf(trx, refund.accountId);
  if (refund.amountCents > -balance) throw new AppError('conflict', `Refund ${refund.id} of ${formatCents(refund.amountCents)} is more than the account's credit now (${formatCents(Math.max(0, -balance))})`);
  const entry = await ledger.postSystemEntry(trx, actor, clock, { accountId: refund.accountId, kind: 'refund', amountCents: refund.amountCents, reasonCode: 'REFUND', reason: `Refund ${refund.id} (${refund.kind.replace('_', ' ')})`, entryDate: clock.today(), key: `refund:${refund.id}` });
  await repo.markApproved(trx, refund.id, clock.now(), actor.userId, entry.id);
  await recordChange(trx, actor, { action: 'approve', entityType: 'refund', entityId: refund.id, accountId: refund.accountId, before: { status: refund.status }, after: { status: 'approved', amountCents: refund.amountCents, ledgerEntryId: entry.id }, reason });
  return getRefund(trx, refund.id);
}

/** Cancels a refund not yet sent to accounts payable; an approved one gives the credit back. */
export async function cancelRefund(db: Db, actor: Actor, clock: Clock, id: number, reason: string): Promise<Refund> {
  return transact(db, async (trx) => {
    const refund = await lockRefund(trx, id);
    if (refund.status !== 'requested' && refund.status !== 'approved') throw new AppError('conflict', `Refund ${id} is ${refund.status}; only one not yet exported can be cancelled`);
    if (refund.status === 'approved') {
      await undoEntry(trx, actor, clock, id, `Refund ${id} cancelled: ${reason}`);
      // A solar payout's credit was made for the refund: it goes with it.
      const credit = refund.kind === 'solar' ? await ledger.entryByKey(trx, `solar:${id}`) : null;
      if (credit) await ledger.reverse(trx, actor, clock, credit.id, `Refund ${id} cancelled: ${reason}`, clock.today(), { forOwner: true });
    }
    await repo.markClosed(trx, id, 'cancelled', reason);
    await recordChange(trx, actor, { action: 'cancel', entityType: 'refund', entityId: id, accountId: refund.accountId, before: { status: refund.status }, after: { status: 'cancelled' }, reason });
    return getRefund(trx, id);
  });
}

async function undoEntry(trx: Db, actor: Actor, clock: Clock, refundId: number, reason: string) {
  await ledger.reverse(trx, actor, clock, await repo.ledgerEntryOf(trx, refundId), reason, clock.today(), { forOwner: true });
}

/**
 * A refund check the post office returned: the credit goes back on the account, and the account
 * is flagged so staff confirm the address before refunding again.
 */
export async function returnRefund(db: Db, actor: Actor, clock: Clock, id: number, input: { returnedOn: string; reason: string }): Promise<Refund> {
  return transact(db, async (trx) => {
    const refund = await lockRefund(trx, id);
    if (refund.status !== 'exported') throw new AppError('conflict', `Refund ${id} is ${refund.status}; only a refund sent to accounts payable can come back`);
    await undoEntry(trx, actor, clock, id, `Refund ${id} check returned by the post office: ${input.reason}`);
    await repo.markClosed(trx, id, 'returned', input.reason, input.returnedOn);
    await customers.addAlert(trx, actor, clock, refund.accountId, { kind: 'other', note: `Refund check ${id} for ${formatCents(refund.amountCents)} returned by the post office on ${input.returnedOn}: confirm the mailing address before refunding again` }, 'Refund returned by the post office');
    await recordChange(trx, actor, { action: 'return', entityType: 'refund', entityId: id, accountId: refund.accountId, before: { status: 'exported' }, after: { status: 'returned', returnedOn: input.returnedOn }, reason: input.reason });
    return getRefund(trx, id);
  });
}

/**
 * A net-metering credit paid out under the district's policy: kWh at the set cents per kWh put
 * on the account as a credit, and a refund of it asked for. Refused when the policy pays none.
 */
export async function requestSolarRefund(db: Db, actor: Actor, clock: Clock, input: { accountId: number; kwh: string; reason: string }): Promise<Refund> {
  if (!/^\d+(\.\d+)?$/.test(input.kwh) || Number(input.kwh) <= 0) throw invalid('kwh', 'must be a positive number of kWh');
  return transact(db, async (trx) => {
    await ledger.lockAccount(trx, input.accountId);
    const { solarCentsPerKwh } = await getSettings(trx);
    if (solarCentsPerKwh === null) throw new AppError('conflict', "The district's policy pays no net-metering credit (set a rate per kWh in the refund settings to pay one)");
    // No more than the credit banked on the latest electric bill, and once for that bill.
    const banked = await repo.bankedCredit(trx, input.accountId);
    const bankedKwh = banked?.banked_kwh ?? '0';
    if (Dec.of(input.kwh).minus(bankedKwh).units > 0n) throw new AppError('conflict', `${input.kwh} kWh is more than the ${Dec.of(bankedKwh).toString()} kWh banked on the account's latest electric bill`);
    if (banked && (await repo.solarSince(trx, input.accountId, banked.period_to)) > 0) throw new AppError('conflict', `The credit banked on the bill to ${banked.period_to} has been asked for already`);
    const cents = Number(Dec.of(input.kwh).times(solarCentsPerKwh).div(1, 0, 'half_up').toString());
    if (cents <= 0) throw invalid('kwh', `${input.kwh} kWh at ${solarCentsPerKwh} cents is less than a cent`);
    const account = await customers.getAccount(trx, input.accountId);
    const customer = await customers.getCustomer(trx, account.customerId);
    const a = account.billingAddress;
    const refund = toRefund(await repo.insertRefund(trx, {
      accountId: input.accountId, kind: 'solar', amountCents: cents, payeeName: customer.displayName,
      payeeAddress: { line1: a.line1, line2: a.line2 ?? null, city: a.city, state: a.state, postalCode: a.postalCode },
      reason: `${input.kwh} kWh of net-metering credit at ${solarCentsPerKwh} cents a kWh: ${input.reason}`, depositId: null, at: clock.now(), by: actor.userId,
    }));
    await recordChange(trx, actor, { action: 'request', entityType: 'refund', entityId: refund.id, accountId: refund.accountId, after: { kind: 'solar', kwh: input.kwh, amountCents: cents }, reason: input.reason });
    // Paid only when a supervisor approves it (the credit is made then).
    return canApproveAny(actor) ? approveIn(trx, actor, clock, refund, input.reason) : refund;
  });
}

export interface RefundExport { id: number; fileName: string; body: string; refunds: number; totalCents: number; createdAt: string }

/** The accounts-payable file of every approved refund not yet sent (none: null). Each refund is in one file only; dates are the utility's. */
export async function exportRefunds(db: Db, actor: Actor, clock: Clock, timeZone: string): Promise<RefundExport | null> {
  return transact(db, async (trx) => {
    // One export at a time: two at once would list the same refunds.
    await repo.lockExports(trx);
    const rows = await repo.approvedForExport(trx);
    if (rows.length === 0) return null;
    const s = await getSettings(trx);
    const lines: string[][] = s.exportHeader ? [s.exportColumns] : [];
    let total = 0;
    for (const r of rows) {
      const refund = { ...toRefund(r), accountNumber: r.account_number as string, approvedOn: localDate(r.approved_at as Date, timeZone) };
      total += refund.amountCents;
      lines.push(s.exportColumns.map((c) => (c === 'vendor_id' ? s.vendorId : EXPORT_FIELDS[c]!(refund))));
    }
    const body = csvText(lines);
    const fileName = `refunds-${clock.today()}-${rows.length}.csv`;
    const exportId = await repo.insertExport(trx, { fileName, body, sha256: createHash('sha256').update(body).digest('hex'), refunds: rows.length, totalCents: total, at: clock.now(), by: actor.userId });
    await repo.markExported(trx, rows.map((r) => Number(r.id)), exportId);
    await recordChange(trx, actor, { action: 'export', entityType: 'refund_export', entityId: exportId, after: { refunds: rows.length, totalCents: total, fileName }, reason: 'Approved refunds sent to accounts payable' });
    return { id: exportId, fileName, body, refunds: rows.length, totalCents: total, createdAt: clock.now().toISOString() };
  });
}

export async function getExport(db: Db, id: number): Promise<RefundExport> {
  const r = await repo.findExport(db, id);
  if (!r) throw notFound('Refund export', id);
  return { id: Number(r.id), fileName: r.file_name as string, body: r.body as string, refunds: r.refunds as number, totalCents: Number(r.total_cents), createdAt: (r.created_at as Date).toISOString() };
}

export async function listExports(db: Db) {
  return (await repo.listExports(db)).map((r) => ({ id: Number(r.id), fileName: r.file_name as string, refunds: r.refunds as number, totalCents: Number(r.total_cents), createdAt: (r.created_at as Date).toISOString() }));
}
