/**
 * Bank and processor files taken in (C7, C8, C9): `importFile(kind, name, bytes)`.
 *
 * Every file is kept as it came, once per kind and content (its SHA-256): the same file again
 * posts nothing and answers `duplicate: true`. A file that does not parse is refused whole with
 * the record number and the reason and nothing is stored. A file that parses is taken in one
 * transaction: its payments (a batch per file, closed at once when it balances with the file's
 * own totals), their ledger entries, the returns it carries and its bank lines commit together.
 *
 * Matching a payment to an account: the account number as given, if it is one of ours with a
 * right check digit; else (online bill-pay, wires) the payer's name and street line, when they fit
 * exactly one account; else the payment waits in suspense for staff.
 */
import { createHash } from 'node:crypto';
import { recordChange } from '../audit/index.ts';
import { isValidAccountNumber } from '../customer/index.ts';
import type { Actor } from '../platform/actor.ts';
import type { Clock } from '../platform/clock.ts';
import { transact, type Db } from '../platform/db/database.ts';
import { AppError, invalid } from '../platform/errors.ts';
import { classifyTypeCode, paymentCategory, parseBai2 } from './formats/bai2.ts';
import { parsePaymentCsv, standardCardSettlementLayout, standardLockboxCsvLayout, standardObiLayout, validatePaymentCsvLayout, type PaymentCsvLayout } from './formats/csv-layout.ts';
import { PaymentFileError } from './formats/file-error.ts';
import { parseLockbox, standardLockboxLayout, validateLockboxLayout, type LockboxLayout } from './formats/lockbox.ts';
import { parseNacha } from './formats/nacha.ts';
import { parseX937 } from './formats/x937.ts';
import * as repo from './repository.ts';
import { returnPayment } from './returns.ts';
import { applyToAccounts, normalizeCheckNumber } from './service.ts';
import { applyNotificationOfChange } from './autopay.ts';

export type ImportKind = repo.ImportKind;
export const IMPORT_KINDS: readonly ImportKind[] = ['lockbox', 'lockbox-csv', 'card', 'obi', 'bai2', 'ach-returns', 'x937-returns'];

export interface ImportResult {
  importId: number;
  kind: ImportKind;
  fileName: string;
  /** Records (payments, returns, bank lines) the file holds. */
  records: number;
  /** Payments posted to accounts, returns processed, notifications of change applied. */
  posted: number;
  /** Payments left in suspense; returns that match no payment of ours. */
  unmatched: number;
  /** Records not taken (declined card rows, refunds for staff, a return of a payment already reversed). */
  rejected: number;
  totalCents: number;
  duplicate: boolean;
  /** What else the file held: the items in suspense, unmatched returns, warnings. */
  detail: Record<string, unknown>;
}

/** A payment as a file gives it, before matching. */
interface Incoming {
  recordNo: number;
  /** A check's number, when the file gives it apart from the reference. */
  checkNumber?: string | null;
  /** A check split over several accounts: its parts, 0, 1, ... */
  part?: number;
  accountRef: string;
  amountCents: number;
  receivedOn: string;
  reference: string | null;
  payerName: string | null;
  payerAddress: string | null;
  payerRouting: string | null;
  payerAccount: string | null;
}

const CHANNEL: Record<string, { channel: repo.Channel; method: repo.Method }> = {
  lockbox: { channel: 'lockbox', method: 'check' },
  'lockbox-csv': { channel: 'lockbox', method: 'check' },
  card: { channel: 'card', method: 'card' },
  obi: { channel: 'obi', method: 'obi' },
  bai2: { channel: 'wire', method: 'wire' },
};

export async function importFile(db: Db, actor: Actor, clock: Clock, kind: ImportKind, fileName: string, bytes: Uint8Array, options: { layout?: string } = {}): Promise<ImportResult> {
  if (!IMPORT_KINDS.includes(kind)) throw invalid('kind', `${kind} is not a file kind (${IMPORT_KINDS.join(', ')})`);
  const sha256 = createHash('sha256').update(bytes).digest('hex');
  const seen = await repo.findImport(db, kind, sha256);
  if (seen) return resultOf(seen, true);
  const started = performance.now();
  const text = kind === 'x937-returns' ? '' : new TextDecoder('utf-8', { fatal: false }).decode(bytes);
  const parsed = await parse(db, kind, text, bytes, options.layout);
  const parseSeconds = (performance.now() - started) / 1000;
  try {
    return await transact(db, async (trx) => {
      const { id: importId } = await repo.insertImport(trx, {
        kind, file_name: fileName, sha256, bytes, records: 0, posted: 0, unmatched: 0, rejected: 0, total_cents: '0', detail: JSON.stringify({}), imported_at: clock.now(), imported_by: actor.userId,
      });
      const r = await take(trx, actor, clock, kind, importId, parsed);
      r.detail.seconds = { parse: round3(parseSeconds), ...(r.detail.seconds as object | undefined), total: round3((performance.now() - started) / 1000) };
      await repo.updateImport(trx, importId, { records: r.records, posted: r.posted, unmatched: r.unmatched, rejected: r.rejected, total_cents: String(r.totalCents), detail: JSON.stringify(r.detail) });
      await recordChange(trx, actor, { action: 'import', entityType: 'payment_import', entityId: importId, after: { kind, fileName, sha256, records: r.records, posted: r.posted, unmatched: r.unmatched, rejected: r.rejected, totalCents: r.totalCents }, reason: `Imported ${kind} file ${fileName}` });
      return { importId, kind, fileName, duplicate: false, ...r };
    });
  } catch (e) {
    // The same file sent twice at once: the second finds the first.
    if ((e as { code?: string }).code === '23505') {
      const first = await repo.findImport(db, kind, sha256);
      if (first) return resultOf(first, true);
    }
    throw e;
  }
}

const resultOf = (row: Awaited<ReturnType<typeof repo.findImport>> & object, duplicate: boolean): ImportResult => ({
  importId: Number(row.id), kind: row.kind, fileName: row.file_name, records: row.records, posted: row.posted, unmatched: row.unmatched, rejected: row.rejected,
  totalCents: Number(row.total_cents), duplicate, detail: (row.detail ?? {}) as Record<string, unknown>,
});

type Parsed =
  | { type: 'payments'; items: Incoming[]; rejected: { recordNo: number; why: string }[]; fileTotalCents: number }
  | { type: 'bai2'; file: ReturnType<typeof parseBai2> }
  | { type: 'ach'; file: ReturnType<typeof parseNacha> }
  | { type: 'x937'; file: ReturnType<typeof parseX937> };

async function parse(db: Db, kind: ImportKind, text: string, bytes: Uint8Array, layoutCode: string | undefined): Promise<Parsed> {
  try {
    switch (kind) {
      case 'lockbox': {
        const f = parseLockbox(text, (await layoutOf(db, kind, layoutCode)) as LockboxLayout);
        if (!sensibleDate(f.depositDate)) throw new PaymentFileError(null, `deposit date ${f.depositDate} is not a date this district could have received a payment on`);
        // A check paying several accounts is a payment per account: each reference its keyed
        // amount, and what is left to the first reference without one (or else to the first).
        const items: Incoming[] = [];
        for (const item of f.items) {
          const refs = item.references.length > 0 ? item.references : [{ accountRef: '', amountCents: null }];
          const shares = refs.map((r) => r.amountCents ?? 0);
          const rest = item.amountCents - shares.reduce((a, c) => a + c, 0);
          const open = refs.findIndex((r) => r.amountCents === null);
          shares[open === -1 ? 0 : open]! += rest;
          refs.forEach((r, part) => {
            if (shares[part]! > 0) items.push({ recordNo: item.record, part, checkNumber: item.checkNumber, accountRef: r.accountRef, amountCents: shares[part]!, receivedOn: f.depositDate, reference: item.checkNumber, payerName: null, payerAddress: null, payerRouting: item.remitterRouting, payerAccount: item.remitterAccount });
          });
        }
        return { type: 'payments', items: items.filter((i) => i.amountCents > 0), rejected: [], fileTotalCents: f.totals.totalCents };
      }
      case 'lockbox-csv': case 'card': case 'obi': {
        const f = parsePaymentCsv(text, (await layoutOf(db, kind, layoutCode)) as PaymentCsvLayout);
        const items: Incoming[] = [];
        const rejected: { recordNo: number; why: string }[] = [];
        for (const r of f.records) {
          if (!sensibleDate(r.paymentDate)) throw new PaymentFileError(r.line, `payment date ${r.paymentDate} is not a date this district could have received a payment on`);
          if (r.status !== 'settled' || r.amountCents <= 0) { rejected.push({ recordNo: r.line, why: `a ${r.status} row of ${r.amountCents} cents: for staff to review` }); continue; }
          items.push({ recordNo: r.line, accountRef: r.accountRef, amountCents: r.amountCents, receivedOn: r.paymentDate, reference: r.reference, payerName: r.payerName, payerAddress: r.payerAddress, payerRouting: null, payerAccount: null });
        }
        return { type: 'payments', items, rejected, fileTotalCents: f.totalCents };
      }
      case 'bai2': return { type: 'bai2', file: parseBai2(text) };
      case 'ach-returns': return { type: 'ach', file: parseNacha(text) };
      case 'x937-returns': return { type: 'x937', file: parseX937(bytes) };
    }
  } catch (e) {
    if (e instanceof PaymentFileError) throw new AppError('validation', `The ${kind} file was refused, nothing was posted: ${e.message}`, { record: e.record, reason: e.reason });
    throw e;
  }
}

/** The layout a file kind is read with: the named one, else the district's 'standard', else ours. */
export async function layoutOf(db: Db, kind: ImportKind, code?: string): Promise<PaymentCsvLayout | LockboxLayout> {
  const stored = await repo.findLayout(db, kind, code ?? 'standard');
  if (!stored && code && code !== 'standard') throw invalid('layout', `there is no ${kind} layout ${code}`);
  if (kind === 'lockbox') return stored ? validateLockboxLayout(stored.body) : standardLockboxLayout;
  if (stored) return validatePaymentCsvLayout(stored.body);
  return kind === 'card' ? standardCardSettlementLayout : kind === 'obi' ? standardObiLayout : standardLockboxCsvLayout;
}

async function take(trx: Db, actor: Actor, clock: Clock, kind: ImportKind, importId: number, parsed: Parsed): Promise<Omit<ImportResult, 'importId' | 'kind' | 'fileName' | 'duplicate'>> {
  switch (parsed.type) {
    case 'payments': {
      // A record another file already brought (the same reference, amount and day on this
      // channel: a file sent again with other line ends or a new header) is not posted twice.
      const { channel } = CHANNEL[kind]!;
      const taken = await repo.alreadyTaken(trx, channel, parsed.items.filter((i) => i.reference).map((i) => ({ reference: i.reference!, amountCents: i.amountCents, day: i.receivedOn })));
      const isTaken = (i: Incoming) => Boolean(i.reference && taken.has(`${i.reference}|${i.amountCents}|${i.receivedOn}`));
      const fresh = taken.size === 0 ? parsed.items : parsed.items.filter((i) => !isTaken(i));
      const rejected = [...parsed.rejected, ...(taken.size === 0 ? [] : parsed.items.filter(isTaken)).map((i) => ({ recordNo: i.recordNo, why: `reference ${i.reference} for ${i.amountCents} cents on ${i.receivedOn} was posted from an earlier file` }))];
      const r = await postIncoming(trx, actor, clock, kind, importId, fresh);
      return {
        records: parsed.items.length + parsed.rejected.length, posted: r.posted, unmatched: r.suspense.length, rejected: rejected.length,
        totalCents: fresh.reduce((a, i) => a + i.amountCents, 0), detail: { batchId: r.batchId, fileTotalCents: parsed.fileTotalCents, suspense: r.suspense, rejected, seconds: r.seconds },
      };
    }
    case 'bai2': return takeBai2(trx, actor, clock, importId, parsed.file);
    case 'ach': return takeAchReturns(trx, actor, clock, importId, parsed.file);
    case 'x937': return takeX937Returns(trx, actor, clock, importId, parsed.file);
  }
}

const round3 = (x: number) => Math.round(x * 1000) / 1000;

/** Matches, writes and applies a file's payments as one batch, closed at once (the file balanced). */
async function postIncoming(trx: Db, actor: Actor, clock: Clock, kind: ImportKind, importId: number, items: Incoming[]) {
  let t = performance.now();
  const seconds: Record<string, number> = {};
  const lap = (name: string) => {
    seconds[name] = round3((performance.now() - t) / 1000);
    t = performance.now();
  };
  const { channel, method } = CHANNEL[kind]!;
  const numbers = await repo.accountsByNumber(trx, [...new Set(items.map((i) => normalizeAccountRef(i.accountRef)).filter((n): n is string => n !== null))]);
  const byNumber = (i: Incoming) => {
    const n = normalizeAccountRef(i.accountRef);
    return n === null ? null : numbers.get(n)?.id ?? null;
  };
  // The second way: name and street line, for the channels whose payers type their own details.
  const byName = kind === 'obi' || kind === 'bai2'
    ? await repo.accountsByNameAndAddress(trx, items.filter((i) => byNumber(i) === null && i.payerName && i.payerAddress).map((i) => ({ key: `${i.recordNo}:${i.part ?? 0}`, name: i.payerName!, line1: firstLine(i.payerAddress!) })))
    : new Map<string, number[]>();
  if (items.length === 0) return { batchId: null, posted: 0, suspense: [], paymentIds: [] as number[], seconds };
  lap('match');
  const day = items[0]!.receivedOn;
  const batch = await repo.insertBatch(trx, {
    channel, business_date: day, status: 'closed', import_id: importId, opened_at: clock.now(), opened_by: actor.userId, expected_count: items.length,
    expected_cents: String(items.reduce((a, i) => a + i.amountCents, 0)), closed_at: clock.now(), closed_by: actor.userId, deposit_id: null, note: null,
  });
  const now = clock.now();
  const rows = items.map((i) => {
    const named = byName.get(`${i.recordNo}:${i.part ?? 0}`);
    const numbered = byNumber(i);
    const accountId = numbered ?? (named && named.length === 1 ? named[0]! : null);
    const matchedBy = numbered !== null ? 'account_number' as const : accountId !== null ? 'name_address' as const : null;
    return {
      batch_id: Number(batch.id), account_id: accountId, amount_cents: String(i.amountCents), method, channel, received_on: i.receivedOn, reference: i.reference,
      check_number: method === 'check' ? normalizeCheckNumber(i.checkNumber ?? null) : null, account_ref: i.accountRef || null,
      payer_name: i.payerName, payer_address: i.payerAddress, payer_routing: i.payerRouting, payer_account: i.payerAccount, status: (accountId === null ? 'suspense' : 'posted') as repo.PaymentStatus, matched_by: matchedBy,
      import_id: importId, record_no: i.recordNo, record_part: i.part ?? 0, corrects_payment_id: null, reversed_at: null, reversed_by: null, reversal_reason: null, idempotency_key: null, request_sha256: null, created_at: now, created_by: actor.userId,
    };
  });
  const written = await repo.copyPayments(trx, rows);
  lap('write');
  const posted = written.filter((p) => p.account_id !== null);
  await applyToAccounts(trx, actor, clock, posted.map((p) => ({ paymentId: p.id, accountId: p.account_id!, amountCents: Number(p.amount_cents), receivedOn: p.received_on })));
  lap('apply');
  const suspense = written.filter((p) => p.account_id === null).map((p) => ({ paymentId: p.id, recordNo: p.record_no, accountRef: p.account_ref, amountCents: Number(p.amount_cents), payerName: p.payer_name }));
  return { batchId: Number(batch.id), posted: posted.length, suspense, paymentIds: written.map((p) => p.id), seconds };
}

/** A payment date between 1990 and 2100 (a file's year 0000 or 9999 is a fault, not a date to post on). */
const sensibleDate = (d: string) => d >= '1990-01-01' && d <= '2100-12-31';

/** Our account number in what a payer wrote: nine digits with a right check digit (spaces and dashes ignored). */
export function normalizeAccountRef(ref: string | null | undefined): string | null {
  if (!ref) return null;
  const digits = ref.replace(/[\s-]/g, '');
  return isValidAccountNumber(digits) ? digits : null;
}
const firstLine = (address: string) => address.split(/\r?\n|,/)[0]!.trim();

/**
 * The bank's BAI2 report: every detail line kept for reconciliation; incoming wires become
 * payments, matched by an account number in the bank's text or customer reference, else suspense.
 */
async function takeBai2(trx: Db, actor: Actor, clock: Clock, importId: number, file: ReturnType<typeof parseBai2>) {
  const lines: Parameters<typeof repo.insertBankTransactions>[1] = [];
  const wires: Incoming[] = [];
  for (const g of file.groups) {
    for (const a of g.accounts) {
      for (const tx of a.transactions) {
        lines.push({ import_id: importId, record_no: tx.record, as_of_date: g.asOfDate, bank_account: a.accountNumber, type_code: tx.typeCode, amount_cents: String(classifyTypeCode(tx.typeCode) === 'debit' ? -tx.amountCents : tx.amountCents), bank_reference: tx.bankReference, customer_reference: tx.customerReference, text: tx.text || null, deposit_id: null, payment_id: null });
        if (paymentCategory(tx.typeCode) === 'incoming-wire') {
          const ref = [tx.customerReference ?? '', tx.text].join(' ').match(/\b\d{3}[\s-]?\d{3}[\s-]?\d{3}\b/g)?.map((m) => m.replace(/[\s-]/g, '')).find((m) => isValidAccountNumber(m)) ?? '';
          wires.push({ recordNo: tx.record, accountRef: ref, amountCents: tx.amountCents, receivedOn: g.asOfDate, reference: tx.bankReference, payerName: remitterOf(tx.text), payerAddress: null, payerRouting: null, payerAccount: null });
        }
      }
    }
  }
  const stored = await repo.insertBankTransactions(trx, lines);
  const r = wires.length > 0 ? await postIncoming(trx, actor, clock, 'bai2', importId, wires) : { posted: 0, suspense: [], paymentIds: [] as number[], batchId: null, seconds: {} };
  // Each wire's bank line points at the payment it became.
  for (let i = 0; i < wires.length; i++) {
    const line = stored.find((s) => s.record_no === wires[i]!.recordNo);
    if (line) await repo.matchBankTransaction(trx, Number(line.id), { payment_id: r.paymentIds[i]! });
  }
  return {
    records: lines.length, posted: r.posted, unmatched: r.suspense.length, rejected: 0, totalCents: wires.reduce((a, w) => a + w.amountCents, 0),
    detail: { batchId: r.batchId, fileTotalCents: file.controlTotalCents, bankLines: lines.length, wires: wires.length, suspense: r.suspense },
  };
}
const remitterOf = (text: string) => text.match(/(?:ORIG(?:INATOR)?|FROM|BY ORDER OF)[:\s]+([A-Z0-9 .,&'-]{3,40})/i)?.[1]?.trim() ?? null;

/**
 * A NACHA return file: each returned entry (addenda 99) is matched to the autopay debit it returns
 * by its trace number (else by amount and account number) and returned; each notification of
 * change (addenda 98) updates the customer's bank details.
 */
async function takeAchReturns(trx: Db, actor: Actor, clock: Clock, importId: number, file: ReturnType<typeof parseNacha>) {
  let records = 0;
  let posted = 0;
  let rejected = 0;
  let totalCents = 0;
  const unmatched: unknown[] = [];
  const changes: unknown[] = [];
  const today = clock.today();
  for (const batch of file.batches) {
    for (const entry of batch.entries) {
      for (const addenda of entry.addenda) {
        if (addenda.kind === 'return') {
          records++;
          // The trace number names the debit, returned or not: a return the bank sends again finds
          // its debit already returned and is not taken. Only a return without a usable trace falls
          // back to the amount and the account.
          const byTrace = /^\d{15}$/.test(addenda.originalTraceNumber) ? await repo.achPaymentByTrace(trx, addenda.originalTraceNumber) : undefined;
          const fallback = byTrace ? [byTrace] : /^\d{15}$/.test(addenda.originalTraceNumber) ? [] : await repo.achPaymentsOf(trx, entry.individualIdNumber, entry.amountCents);
          if (fallback.length !== 1 || Number(fallback[0]!.amount_cents) !== entry.amountCents) {
            unmatched.push({ recordNo: entry.recordNumber, traceNumber: addenda.originalTraceNumber, amountCents: entry.amountCents, accountRef: entry.individualIdNumber, reasonCode: addenda.returnReasonCode });
            continue;
          }
          const payment = fallback[0]!;
          if (payment.status !== 'posted' || (await repo.returnOfPayment(trx, Number(payment.id)))) { rejected++; continue; }
          await returnPayment(trx, actor, clock, Number(payment.id), { source: 'ach', reasonCode: addenda.returnReasonCode, returnedOn: batch.effectiveEntryDate ?? today, importId, recordNo: entry.recordNumber, dateOfDeath: addenda.dateOfDeath });
          posted++;
          totalCents += entry.amountCents;
        } else if (addenda.kind === 'change') {
          records++;
          const applied = await applyNotificationOfChange(trx, actor, clock, { routingNumber: entry.rdfiRoutingNumber, bankAccountNumber: entry.dfiAccountNumber, accountRef: entry.individualIdNumber, changeCode: addenda.changeCode, correction: addenda.correction });
          // The corrected bank details stay in the enrolment (masked everywhere else), not in the import's detail.
          changes.push({ recordNo: entry.recordNumber, changeCode: addenda.changeCode, enrolmentId: applied?.id ?? null });
          if (applied) posted++;
          else unmatched.push({ recordNo: entry.recordNumber, changeCode: addenda.changeCode, accountRef: entry.individualIdNumber });
        }
      }
    }
  }
  return { records, posted, unmatched: unmatched.length, rejected, totalCents, detail: { unmatchedItems: unmatched, changes, entries: file.totals.entryCount } };
}

/**
 * An X9.37 returned-items file: each returned check (type 31) is matched to a check payment of
 * ours by amount and check number (the serial in the on-us field), with the paying bank when we
 * have it; one clear match is returned, anything else waits for staff (a keyed return).
 */
async function takeX937Returns(trx: Db, actor: Actor, clock: Clock, importId: number, file: ReturnType<typeof parseX937>) {
  let posted = 0;
  let rejected = 0;
  let totalCents = 0;
  const unmatched: unknown[] = [];
  for (const item of file.returns) {
    const serial = checkSerial(item.onUs);
    // Checks of that number and amount received in the 180 days before, from that bank when we know it.
    const candidates = serial === null ? [] : (await repo.checksLike(trx, { checkNumber: serial, amountCents: item.amountCents, returnedOn: item.returnDate }))
      .filter((p) => !p.payer_routing || p.payer_routing.startsWith(item.payorBankRoutingNumber));
    if (candidates.length !== 1) {
      unmatched.push({ recordNo: item.record, amountCents: item.amountCents, checkNumber: serial, payorBank: item.payorBankRoutingNumber, reasonCode: item.returnReasonCode, candidates: candidates.length });
      continue;
    }
    const payment = candidates[0]!;
    if (payment.status !== 'posted' || (await repo.returnOfPayment(trx, Number(payment.id)))) { rejected++; continue; }
    await returnPayment(trx, actor, clock, Number(payment.id), { source: 'x937', reasonCode: item.returnReasonCode, reason: item.returnReason ?? undefined, returnedOn: item.returnDate, importId, recordNo: item.record });
    posted++;
    totalCents += item.amountCents;
  }
  return { records: file.returns.length, posted, unmatched: unmatched.length, rejected, totalCents, detail: { unmatchedItems: unmatched, fileTotalCents: file.totalAmountCents, warnings: file.warnings } };
}

/** The check number in an on-us field ("account/serial", or the digits after the last '/'). */
export function checkSerial(onUs: string): string | null {
  const parts = onUs.split('/').map((p) => p.replace(/\D/g, '')).filter((p) => p !== '');
  if (parts.length < 2) return null;
  return normalizeCheckNumber(parts.at(-1)!);
}

/** Saves a file layout (validated by the caller's parser rules), with the change in the audit trail. */
export async function saveLayout(db: Db, actor: Actor, clock: Clock, kind: 'lockbox' | 'lockbox-csv' | 'card' | 'obi', code: string, layout: unknown, reason: string) {
  return transact(db, async (trx) => {
    const before = await repo.findLayout(trx, kind, code);
    await repo.saveLayout(trx, { kind, code, body: JSON.stringify(layout), updated_at: clock.now(), updated_by: actor.userId });
    await recordChange(trx, actor, { action: before ? 'update' : 'create', entityType: 'payment_file_layout', entityId: `${kind}:${code}`, before: before ? { kind, code, layout: before.body } : null, after: { kind, code, layout }, reason });
    return { kind, code };
  });
}

export async function listImports(db: Db, limit = 100): Promise<(ImportResult & { importedAt: string })[]> {
  return (await repo.imports(db, limit)).map((r) => ({ ...resultOf(r, false), importedAt: r.imported_at.toISOString() }));
}

export async function originalFile(db: Db, id: number) {
  const row = await repo.importBytes(db, id);
  if (!row) throw new AppError('not_found', `Import ${id} was not found`);
  return { fileName: row.file_name, bytes: row.bytes };
}
