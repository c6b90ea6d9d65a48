/**
 * ACH autopay (C7): enrolment with the customer's bank details (routing check digit verified), a
 * prenote (a zero-dollar test entry) in the next file, and on each due date a NACHA PPD debit file
 * for what the enrolled accounts owe on the bills due that day. Each debit is a payment at once
 * (method 'ach', its trace number as reference) so that a return finds it. Notifications of
 * change from the bank correct the bank details.
 */
import { sql } from 'kysely';
import { recordChange } from '../audit/index.ts';
import type { Actor } from '../platform/actor.ts';
import type { Clock } from '../platform/clock.ts';
import { addDays, isDate } from '../platform/dates.ts';
import { drawIds } from '../platform/db/copy.ts';
import { transact, type Db } from '../platform/db/database.ts';
import { AppError, invalid, notFound } from '../platform/errors.ts';
import { buildPpdDebitFile, type NocCorrection } from './formats/nacha.ts';
import { isValidRoutingNumber } from './formats/routing.ts';
import * as repo from './repository.ts';
import { applyToAccounts, isCashOnly } from './service.ts';

/** Days after its prenote an enrolment's first debit may go (the receiving bank's time to object). */
const PRENOTE_DAYS = 6;

export interface Enrolment {
  id: number;
  accountId: number;
  routingNumber: string;
  /** Only the last four digits leave this context. */
  bankAccountLast4: string;
  bankAccountType: 'checking' | 'savings';
  holderName: string;
  status: 'prenote' | 'active' | 'removed';
  prenoteSentOn: string | null;
  activeFrom: string | null;
  enrolledAt: string;
  removedAt: string | null;
  removedReason: string | null;
}
const toEnrolment = (r: repo.EnrolmentRow): Enrolment => ({
  id: Number(r.id), accountId: Number(r.account_id), routingNumber: r.routing_number, bankAccountLast4: r.bank_account_number.slice(-4), bankAccountType: r.bank_account_type,
  holderName: r.holder_name, status: r.status, prenoteSentOn: r.prenote_sent_on, activeFrom: r.active_from, enrolledAt: r.enrolled_at.toISOString(),
  removedAt: r.removed_at ? r.removed_at.toISOString() : null, removedReason: r.removed_reason,
});
const masked = (r: { routing_number: string; bank_account_number: string; bank_account_type: string }) => ({ routingNumber: r.routing_number, bankAccount: `****${r.bank_account_number.slice(-4)}`, type: r.bank_account_type });

export async function enrol(db: Db, actor: Actor, clock: Clock, input: { accountId: number; routingNumber: string; bankAccountNumber: string; bankAccountType: 'checking' | 'savings'; holderName: string }): Promise<Enrolment> {
  const routing = input.routingNumber.trim();
  const account = input.bankAccountNumber.replace(/\s/g, '');
  if (!isValidRoutingNumber(routing)) throw invalid('routingNumber', `${routing} is not a routing number (nine digits with a right check digit)`);
  if (!/^[0-9A-Za-z-]{1,17}$/.test(account)) throw invalid('bankAccountNumber', 'must be 1 to 17 letters, digits or hyphens');
  if (!['checking', 'savings'].includes(input.bankAccountType)) throw invalid('bankAccountType', 'must be checking or savings');
  if (!input.holderName?.trim()) throw invalid('holderName', 'the name on the bank account is required');
  return transact(db, async (trx) => {
    if (!(await repo.accountById(trx, input.accountId))) throw notFound('Account', input.accountId);
    if (await isCashOnly(trx, clock, input.accountId)) throw new AppError('conflict', `Account ${input.accountId} is cash-only after returned payments: it cannot pay by ACH`);
    const live = await repo.liveEnrolment(trx, input.accountId);
    if (live) throw new AppError('conflict', `Account ${input.accountId} is already enrolled in autopay (enrolment ${live.id}); remove it first to change the bank details`);
    const row = await repo.insertEnrolment(trx, {
      account_id: input.accountId, routing_number: routing, bank_account_number: account, bank_account_type: input.bankAccountType, holder_name: input.holderName.trim(),
      status: 'prenote', prenote_sent_on: null, active_from: null, enrolled_at: clock.now(), enrolled_by: actor.userId, removed_at: null, removed_reason: null,
    });
    await recordChange(trx, actor, { action: 'enrol', entityType: 'autopay_enrolment', entityId: Number(row.id), accountId: input.accountId, after: { ...masked(row), holderName: row.holder_name, status: 'prenote' }, reason: 'Autopay enrolment' });
    return toEnrolment(row);
  });
}

export async function removeEnrolment(db: Db, actor: Actor, clock: Clock, accountId: number, reason: string): Promise<Enrolment> {
  if (!reason?.trim()) throw invalid('reason', 'say why autopay ends');
  return transact(db, async (trx) => {
    const live = await repo.liveEnrolment(trx, accountId);
    if (!live) throw new AppError('not_found', `Account ${accountId} has no autopay enrolment`);
    const row = await repo.updateEnrolment(trx, Number(live.id), { status: 'removed', removed_at: clock.now(), removed_reason: reason.trim() });
    await recordChange(trx, actor, { action: 'remove', entityType: 'autopay_enrolment', entityId: Number(live.id), accountId, before: { status: live.status }, after: { status: 'removed' }, reason });
    return toEnrolment(row);
  });
}

export async function enrolmentOf(db: Db, accountId: number): Promise<Enrolment | null> {
  const live = await repo.liveEnrolment(db, accountId);
  return live ? toEnrolment(live) : null;
}

/**
 * A notification of change: the enrolment with the old bank details (or of the account named)
 * gets the corrected routing number, account number or account type. Returns the enrolment, or
 * null when none fits (left for staff).
 */
export async function applyNotificationOfChange(db: Db, actor: Actor, clock: Clock, noc: { routingNumber: string; bankAccountNumber: string; accountRef: string; changeCode: string; correction: NocCorrection }): Promise<Enrolment | null> {
  // In a return file the entry's routing number is the originator's bank, not the customer's:
  // the customer's bank account number (with the utility account number to break a tie) finds it.
  const byBank = await repo.enrolmentsByBankAccount(db, noc.bankAccountNumber.trim());
  let target = byBank.length === 1 ? byBank[0]! : undefined;
  if (!target) {
    const accounts = await repo.accountsByNumber(db, [noc.accountRef.trim()]);
    const id = accounts.get(noc.accountRef.trim())?.id;
    target = id ? await repo.liveEnrolment(db, id) : undefined;
  }
  if (!target) return null;
  const patch: Parameters<typeof repo.updateEnrolment>[2] = {};
  if (noc.correction.routingNumber && isValidRoutingNumber(noc.correction.routingNumber)) patch.routing_number = noc.correction.routingNumber;
  if (noc.correction.accountNumber) patch.bank_account_number = noc.correction.accountNumber.replace(/\s/g, '');
  const code = noc.correction.transactionCode;
  if (code !== undefined) patch.bank_account_type = String(code).startsWith('3') ? 'savings' : 'checking';
  if (Object.keys(patch).length === 0) return null;
  const row = await repo.updateEnrolment(db, Number(target.id), patch);
  await recordChange(db, actor, {
    action: 'notification_of_change', entityType: 'autopay_enrolment', entityId: Number(target.id), accountId: Number(target.account_id),
    before: masked(target), after: masked(row), reason: `NACHA notification of change ${noc.changeCode}`,
  });
  return toEnrolment(row);
}

export interface AchFileResult {
  fileId: number;
  dueDate: string;
  effectiveDate: string;
  entries: number;
  debits: number;
  prenotes: number;
  totalCents: number;
  body: string;
  /** This due date's file had been made before: it is returned as it was. */
  existing: boolean;
}

/**
 * The NACHA PPD file for a due date: a debit for each active enrolment whose account has a bill
 * due that day and owes money, and a prenote for each new enrolment. Made once per due date.
 */
export async function achFileFor(db: Db, actor: Actor, clock: Clock, dueDate: string): Promise<AchFileResult> {
  if (!isDate(dueDate)) throw invalid('dueDate', `${dueDate} is not a date (YYYY-MM-DD)`);
  return transact(db, async (trx) => {
    await sql`select pg_advisory_xact_lock(hashtext('ach_file'), 0)`.execute(trx);
    const made = await repo.achFileOf(trx, dueDate);
    if (made) return { fileId: Number(made.id), dueDate, effectiveDate: made.effective_date, entries: made.entries, debits: made.entries, prenotes: 0, totalCents: Number(made.total_cents), body: made.body, existing: true };
    const settings = await repo.settings(trx);
    const due = (await repo.autopayDue(trx, dueDate)).filter((d) => d.balanceCents > 0);
    const prenotes = (await repo.enrolmentsByStatus(trx, 'prenote')).filter((e) => e.prenote_sent_on === null);
    const prenoteAccounts = new Map<number, string>();
    for (const e of prenotes) prenoteAccounts.set(Number(e.account_id), (await repo.accountById(trx, Number(e.account_id)))!.account_number);
    const count = due.length + prenotes.length;
    const sequences = await drawIds(trx, { sequence: 'ach_trace_seq' }, count);
    const fileNumber = (await repo.achFileCount(trx)) + 1;
    const modifier = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ'[(fileNumber - 1) % 26]!;
    const body = buildPpdDebitFile({
      immediateDestination: settings.ach_destination_routing, immediateDestinationName: settings.ach_destination_name,
      immediateOrigin: settings.ach_origin, immediateOriginName: settings.ach_origin_name,
      fileCreationDate: clock.today(), fileCreationTime: '0000', fileIdModifier: modifier,
      company: { name: settings.ach_origin_name, identification: settings.ach_company_id, entryDescription: 'UTIL BILL' },
      effectiveEntryDate: dueDate, originatingDfi: settings.ach_originating_dfi,
      entries: [
        ...due.map((d) => ({ routingNumber: d.routing_number, accountNumber: d.bank_account_number, accountType: d.bank_account_type, amountCents: d.balanceCents, individualId: d.account_number, individualName: d.holder_name })),
        ...prenotes.map((e) => ({ routingNumber: e.routing_number, accountNumber: e.bank_account_number, accountType: e.bank_account_type, amountCents: 0, individualId: prenoteAccounts.get(Number(e.account_id))!, individualName: e.holder_name, prenote: true })),
      ],
      traceSequences: sequences,
    });
    const totalCents = due.reduce((a, d) => a + d.balanceCents, 0);
    const file = await repo.insertAchFile(trx, { due_date: dueDate, effective_date: dueDate, file_id_modifier: modifier, body, entries: count, total_cents: String(totalCents), created_at: clock.now(), created_by: actor.userId });
    if (due.length > 0) {
      const batch = await repo.insertBatch(trx, {
        channel: 'ach', business_date: dueDate, status: 'closed', import_id: null, opened_at: clock.now(), opened_by: actor.userId, expected_count: due.length, expected_cents: String(totalCents),
        closed_at: clock.now(), closed_by: actor.userId, deposit_id: null, note: `ACH autopay file ${file.id} for ${dueDate}`,
      });
      const trace = (i: number) => settings.ach_originating_dfi + String(sequences[i]!).padStart(7, '0');
      const written = await repo.copyPayments(trx, due.map((d, i) => ({
        batch_id: Number(batch.id), account_id: d.account_id, amount_cents: String(d.balanceCents), method: 'ach' as const, channel: 'ach' as const, received_on: dueDate, reference: trace(i),
        account_ref: d.account_number, payer_name: d.holder_name, payer_address: null, payer_routing: d.routing_number, payer_account: d.bank_account_number, status: 'posted' as const,
        import_id: null, record_no: null, corrects_payment_id: null, reversed_at: null, reversed_by: null, reversal_reason: null, idempotency_key: `ach:${dueDate}:${d.account_id}`, request_sha256: null,
        created_at: clock.now(), created_by: actor.userId,
      })));
      await applyToAccounts(trx, actor, clock, written.map((p) => ({ paymentId: p.id, accountId: p.account_id!, amountCents: Number(p.amount_cents), receivedOn: dueDate })));
    }
    for (const e of prenotes) await repo.updateEnrolment(trx, Number(e.id), { prenote_sent_on: dueDate, active_from: addDays(dueDate, PRENOTE_DAYS), status: 'active' });
    await recordChange(trx, actor, { action: 'generate', entityType: 'ach_file', entityId: Number(file.id), after: { dueDate, debits: due.length, prenotes: prenotes.length, totalCents }, reason: `ACH autopay file for bills due ${dueDate}` });
    return { fileId: Number(file.id), dueDate, effectiveDate: dueDate, entries: count, debits: due.length, prenotes: prenotes.length, totalCents, body, existing: false };
  });
}
