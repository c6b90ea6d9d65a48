/**
 * Bank files for scenario tests: what a bank sends back for payments a test made. Each builder
 * writes a file that our own parsers take (parseNacha, parseX937, parseBai2) with every control
 * total, count and hash right, and throws an Error naming the item when an input could not go
 * into such a file (rather than truncating an identifier or writing a field the parser refuses).
 *
 * - achReturnFile: a NACHA file of returned autopay debits (addenda 99) and notifications of
 *   change (addenda 98).
 * - x937ReturnFile: an ASCII X9.37 (X9.100-187) returned-checks file, type 31 records.
 * - bai2Report: a BAI2 prior-day report for one account with credit and debit details.
 *
 * The bank side is fixed: our bank is the settings' defaults (FIRST NATIONAL BANK, 091000019,
 * company RATEPAYER PUD 1910000001, entry description UTIL BILL), the sender is the Federal
 * Reserve (011000015). Pure: no I/O.
 */
import { NACHA_RECORD_LENGTH } from '../../src/payment/formats/nacha.ts';
import { isValidRoutingNumber, routingCheckDigit } from '../../src/payment/formats/routing.ts';
import { classifyTypeCode } from '../../src/payment/formats/bai2.ts';

const OUR_ROUTING = '091000019';
const OUR_BANK_NAME = 'FIRST NATIONAL BANK';
const COMPANY_NAME = 'RATEPAYER PUD';
const COMPANY_ID = '1910000001';
const ENTRY_DESCRIPTION = 'UTIL BILL';
const FED_ROUTING = '011000015';
const FED_NAME = 'FEDERAL RESERVE BANK';
const OUR_CUSTOMER_ID = 'RATEPAYER';

// ---------------------------------------------------------------------------------------------
// Shared field helpers

function isoParts(iso: string, what: string): [string, string, string] {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(iso);
  const [y, mo, d] = [Number(m?.[1]), Number(m?.[2]), Number(m?.[3])];
  const t = new Date(Date.UTC(y, mo - 1, d));
  if (!m || y < 2000 || y > 2099 || t.getUTCFullYear() !== y || t.getUTCMonth() !== mo - 1 || t.getUTCDate() !== d) {
    throw new Error(`${what} '${iso}' is not a date YYYY-MM-DD between 2000 and 2099`);
  }
  return [m[1]!, m[2]!, m[3]!];
}

const yymmdd = (iso: string, what: string) => isoParts(iso, what).join('').slice(2);
const yyyymmdd = (iso: string, what: string) => isoParts(iso, what).join('');

function zeros(n: number, width: number, what: string): string {
  const s = String(n);
  if (!Number.isSafeInteger(n) || n < 0 || s.length > width) throw new Error(`${what} ${n} does not fit ${width} digits`);
  return s.padStart(width, '0');
}

function cents(n: number, max: number, what: string): number {
  if (!Number.isSafeInteger(n) || n < 1 || n > max) throw new Error(`${what} ${n} is not a whole number of cents from 1 to ${max}`);
  return n;
}

function fixed(parts: string[], length: number, what: string): string {
  const record = parts.join('');
  if (record.length !== length) throw new Error(`bank-files: the ${what} record came out ${record.length} characters, not ${length}`);
  return record;
}

// ---------------------------------------------------------------------------------------------
// NACHA returns and notifications of change

export type AchAccountType = 'checking' | 'savings';

export interface AchReturnItem {
  /** The 15-digit trace number of our debit being returned: our ODFI's 8 digits + 7-digit sequence. */
  originalTrace: string;
  /** The customer's bank (the RDFI of the debit), nine digits with a valid check digit. */
  routingNumber: string;
  accountNumber: string;
  amountCents: number;
  /** Our utility account number, as in the debit (up to 15 characters). */
  individualId: string;
  individualName: string;
  /** 'R01'... */
  reasonCode: string;
  /** 'YYYY-MM-DD', for R14/R15 only. */
  dateOfDeath?: string;
  /** Of the debit: checking gives transaction code 26, savings 36. Defaults to checking. */
  accountType?: AchAccountType;
  /** Addenda information (positions 36-79), up to 44 characters; blank by default. */
  addendaInformation?: string;
}

export type AchChangeCode = 'C01' | 'C02' | 'C03' | 'C05' | 'C06' | 'C07';

export interface AchChangeItem {
  originalTrace: string;
  routingNumber: string;
  accountNumber: string;
  individualId: string;
  individualName: string;
  changeCode: AchChangeCode;
  /**
   * The corrected data field (positions 36-64) as the change code lays it out, e.g. for C03
   * routing in 1-9, three blanks, account in 13-29: '091000019   1234567'. Up to 29 characters.
   */
  correctedData: string;
  /** Of the debit: checking gives transaction code 26, savings 36. Defaults to checking. */
  accountType?: AchAccountType;
}

export interface AchReturnFileOptions {
  /** 'YYYY-MM-DD': the file creation date. */
  createdOn: string;
  /** 'YYYY-MM-DD': the effective entry date of both batches. */
  effectiveDate: string;
  returns: readonly AchReturnItem[];
  changes?: readonly AchChangeItem[];
}

const ACH_BLOCKING_FACTOR = 10;
const ACH_MAX_AMOUNT = 9_999_999_999;
const ENTRY_HASH_MODULUS = 10_000_000_000;
const CHANGE_CODES: ReadonlySet<string> = new Set(['C01', 'C02', 'C03', 'C05', 'C06', 'C07']);

/** Upper-case printable ASCII, accents dropped, as our debit file writes free text. */
function nachaText(value: string): string {
  return value.normalize('NFD').replace(/\p{M}/gu, '').toUpperCase().replace(/[^\x20-\x7E]/g, '').trim();
}

const alpha = (value: string, width: number) => nachaText(value).slice(0, width).padEnd(width, ' ');

/** An identifier that must come back as it went out: refused rather than truncated. */
function identifier(value: string, maxLength: number, pattern: RegExp, what: string): string {
  const v = value.trim().toUpperCase();
  if (v.length === 0 || v.length > maxLength || !pattern.test(v)) throw new Error(`${what} '${value}' must be 1-${maxLength} characters matching ${pattern.source}`);
  return v;
}

interface AchEntryCommon {
  originalTrace: string;
  routingNumber: string;
  accountNumber: string;
  individualId: string;
  individualName: string;
  accountType?: AchAccountType;
}

interface AchEntryFields {
  transactionCode: string;
  /** The entry's receiving DFI field: the ODFI of the original debit (first 8 of its trace + check digit). */
  odfiRouting: string;
  /** The customer's bank, first 8 digits: the original entry's RDFI. */
  originalRdfi: string;
  account: string;
  individualId: string;
  individualName: string;
}

function entryFields(item: AchEntryCommon, label: string): AchEntryFields {
  if (!/^\d{15}$/.test(item.originalTrace)) throw new Error(`${label}: original trace '${item.originalTrace}' is not 15 digits`);
  if (!isValidRoutingNumber(item.routingNumber)) throw new Error(`${label}: routing number '${item.routingNumber}' is not nine digits with a valid check digit`);
  const type = item.accountType ?? 'checking';
  if (type !== 'checking' && type !== 'savings') throw new Error(`${label}: account type '${String(type)}' is not checking or savings`);
  if (nachaText(item.individualName) === '') throw new Error(`${label}: individual name is blank`);
  const odfi8 = item.originalTrace.slice(0, 8);
  return {
    transactionCode: type === 'checking' ? '26' : '36',
    odfiRouting: odfi8 + routingCheckDigit(odfi8),
    originalRdfi: item.routingNumber.slice(0, 8),
    account: identifier(item.accountNumber.replace(/ /g, ''), 17, /^[0-9A-Z-]+$/, `${label}: account number`),
    individualId: identifier(item.individualId, 15, /^[\x20-\x7E]+$/, `${label}: individual id`),
    individualName: alpha(item.individualName, 22),
  };
}

function entryRecord(f: AchEntryFields, amountCents: number, trace: string): string {
  return fixed(
    ['6', f.transactionCode, f.odfiRouting, f.account.padEnd(17, ' '), zeros(amountCents, 10, 'amount'), f.individualId.padEnd(15, ' '), f.individualName, '  ', '1', trace],
    NACHA_RECORD_LENGTH,
    'entry detail',
  );
}

interface AchBatch {
  secCode: 'PPD' | 'COR';
  /** The returning bank's 8 digits (the batch header's originating DFI field). */
  dfi: string;
  records: string[];
  entries: number;
  addenda: number;
  entryHash: number;
  debitCents: number;
}

function returnBatch(items: readonly AchReturnItem[], traceOf: (rdfi8: string) => string): AchBatch {
  const batch: AchBatch = { secCode: 'PPD', dfi: items[0]!.routingNumber.slice(0, 8), records: [], entries: 0, addenda: 0, entryHash: 0, debitCents: 0 };
  items.forEach((item, i) => {
    const label = `return ${i + 1} (trace ${item.originalTrace})`;
    const f = entryFields(item, label);
    const amount = cents(item.amountCents, ACH_MAX_AMOUNT, `${label}: amountCents`);
    if (!/^R\d\d$/.test(item.reasonCode)) throw new Error(`${label}: reason code '${item.reasonCode}' is not R and two digits`);
    let death = ' '.repeat(6);
    if (item.dateOfDeath !== undefined) {
      if (item.reasonCode !== 'R14' && item.reasonCode !== 'R15') throw new Error(`${label}: a date of death belongs only on an R14 or R15 return, not ${item.reasonCode}`);
      death = yymmdd(item.dateOfDeath, `${label}: date of death`);
    }
    const trace = traceOf(f.originalRdfi);
    batch.records.push(
      entryRecord(f, amount, trace),
      fixed(['7', '99', item.reasonCode, item.originalTrace, death, f.originalRdfi, alpha(item.addendaInformation ?? '', 44), trace], NACHA_RECORD_LENGTH, 'return addenda'),
    );
    batch.entries++;
    batch.addenda++;
    batch.entryHash = (batch.entryHash + Number(f.odfiRouting.slice(0, 8))) % ENTRY_HASH_MODULUS;
    batch.debitCents += amount;
  });
  return batch;
}

function changeBatch(items: readonly AchChangeItem[], traceOf: (rdfi8: string) => string): AchBatch {
  const batch: AchBatch = { secCode: 'COR', dfi: items[0]!.routingNumber.slice(0, 8), records: [], entries: 0, addenda: 0, entryHash: 0, debitCents: 0 };
  items.forEach((item, i) => {
    const label = `change ${i + 1} (trace ${item.originalTrace})`;
    const f = entryFields(item, label);
    if (!CHANGE_CODES.has(item.changeCode)) throw new Error(`${label}: change code '${item.changeCode}' is not one of ${[...CHANGE_CODES].join(', ')}`);
    if (!/^[\x21-\x7E][\x20-\x7E]{0,28}$/.test(item.correctedData)) {
      throw new Error(`${label}: corrected data '${item.correctedData}' must be 1-29 printable characters starting with a non-blank`);
    }
    const trace = traceOf(f.originalRdfi);
    batch.records.push(
      entryRecord(f, 0, trace),
      fixed(['7', '98', item.changeCode, item.originalTrace, ' '.repeat(6), f.originalRdfi, item.correctedData.padEnd(29, ' '), ' '.repeat(15), trace], NACHA_RECORD_LENGTH, 'change addenda'),
    );
    batch.entries++;
    batch.addenda++;
    batch.entryHash = (batch.entryHash + Number(f.odfiRouting.slice(0, 8))) % ENTRY_HASH_MODULUS;
  });
  return batch;
}

/**
 * A NACHA file as the ACH operator delivers returns to us: a file header, a PPD batch of returned
 * debits (each entry followed by its 99 addenda) when `returns` is not empty, a COR batch of
 * notifications of change (98 addenda) when `changes` is not empty, the batch and file controls,
 * and block fill to a multiple of ten records. Both batches are service class 225: returned debits
 * and the NOCs for them carry transaction code 26 (checking) or 36 (savings), the codes NACHA
 * gives returns and NOCs of debits 27/37; NOCs have zero amounts.
 *
 * As in real return files, each entry's receiving DFI field is the ODFI of the original debit (the
 * first 8 digits of its trace plus their check digit), the addenda's original receiving DFI is
 * the first 8 digits of `routingNumber`, and the return's own trace (entry and addenda) is that
 * RDFI's 8 digits and a sequence 1, 2, 3... over the file. The account number, individual id and
 * name echo the original debit; names are upper-cased and cut to 22 characters like ours are.
 */
export function achReturnFile(opts: AchReturnFileOptions): string {
  const created = yymmdd(opts.createdOn, 'createdOn');
  const effective = yymmdd(opts.effectiveDate, 'effectiveDate');
  let sequence = 0;
  const traceOf = (rdfi8: string) => rdfi8 + zeros(++sequence, 7, 'trace sequence');
  const batches: AchBatch[] = [];
  if (opts.returns.length > 0) batches.push(returnBatch(opts.returns, traceOf));
  if (opts.changes && opts.changes.length > 0) batches.push(changeBatch(opts.changes, traceOf));

  const firstTrace = opts.returns[0]?.originalTrace ?? opts.changes?.[0]?.originalTrace;
  const destination = firstTrace && /^\d{15}$/.test(firstTrace) ? firstTrace.slice(0, 8) + routingCheckDigit(firstTrace.slice(0, 8)) : OUR_ROUTING;
  const records = [
    fixed(['1', '01', ' ' + destination, ' ' + FED_ROUTING, created, '0000', 'A', '094', '10', '1', alpha(OUR_BANK_NAME, 23), alpha(FED_NAME, 23), ' '.repeat(8)], NACHA_RECORD_LENGTH, 'file header'),
  ];
  const file = { entryAddenda: 0, entryHash: 0, debitCents: 0 };
  batches.forEach((b, i) => {
    const batchNumber = zeros(i + 1, 7, 'batch number');
    const count = zeros(b.entries + b.addenda, 6, 'batch entry/addenda count');
    records.push(
      fixed(['5', '225', alpha(COMPANY_NAME, 16), ' '.repeat(20), COMPANY_ID, b.secCode, alpha(ENTRY_DESCRIPTION, 10), ' '.repeat(6), effective, '   ', '1', b.dfi, batchNumber], NACHA_RECORD_LENGTH, 'batch header'),
      ...b.records,
      fixed(['8', '225', count, zeros(b.entryHash, 10, 'entry hash'), zeros(b.debitCents, 12, 'batch total debit'), zeros(0, 12, 'credit'), COMPANY_ID, ' '.repeat(19), ' '.repeat(6), b.dfi, batchNumber], NACHA_RECORD_LENGTH, 'batch control'),
    );
    file.entryAddenda += b.entries + b.addenda;
    file.entryHash = (file.entryHash + b.entryHash) % ENTRY_HASH_MODULUS;
    file.debitCents += b.debitCents;
  });
  const blocks = Math.ceil((records.length + 1) / ACH_BLOCKING_FACTOR);
  records.push(
    fixed(
      ['9', zeros(batches.length, 6, 'batch count'), zeros(blocks, 6, 'block count'), zeros(file.entryAddenda, 8, 'file entry/addenda count'), zeros(file.entryHash, 10, 'entry hash'), zeros(file.debitCents, 12, 'file total debit'), zeros(0, 12, 'credit'), ' '.repeat(39)],
      NACHA_RECORD_LENGTH,
      'file control',
    ),
  );
  while (records.length % ACH_BLOCKING_FACTOR !== 0) records.push('9'.repeat(NACHA_RECORD_LENGTH));
  return records.join('\n') + '\n';
}

// ---------------------------------------------------------------------------------------------
// X9.37 returned checks

export interface X937ReturnItem {
  /** The paying bank's routing number, nine digits with a valid check digit. */
  payorRouting: string;
  /** The on-us field, e.g. '123456789/1042' (account / check serial): digits, blanks, '/', '-', '*'; up to 20. */
  onUs: string;
  amountCents: number;
  /** One character, 'A' (NSF)... see X9_RETURN_REASONS. */
  reasonCode: string;
  /** The ECE institution item sequence number, 1-15 digits. */
  sequence: string;
}

export interface X937ReturnFileOptions {
  /** 'YYYY-MM-DD': the business date (and creation date) of the file, cash letter and bundle. */
  businessDate: string;
  returns: readonly X937ReturnItem[];
}

const X9_LENGTH = 80;
const X9_MAX_AMOUNT = 9_999_999_999;
const blanks = (n: number) => ' '.repeat(n);
const left = (s: string, n: number) => s.slice(0, n).padEnd(n, ' ');

function x9Frame(records: readonly string[]): Uint8Array {
  const out = new Uint8Array(records.reduce((n, r) => n + 4 + r.length, 0));
  const view = new DataView(out.buffer);
  let at = 0;
  for (const r of records) {
    view.setUint32(at, r.length);
    at += 4;
    for (let i = 0; i < r.length; i++) out[at + i] = r.charCodeAt(i);
    at += r.length;
  }
  return out;
}

/**
 * An ASCII X9.37 return cash letter (standard level 35, X9.100-187), as the Fed sends our bank
 * the checks it could not collect: 01 file header, 10 cash letter header (collection type 03,
 * returns), one 20 bundle with a 31 return record per item, 70 bundle control, 90 cash letter
 * control, 99 file control; every count and total is exact, so parseX937 gives no warnings.
 * parseX937 needs no addenda (32-35) and no image views (50/52), so there are none: each 31
 * says 0 addenda and the controls 0 images. With no returns there is no bundle.
 */
export function x937ReturnFile(opts: X937ReturnFileOptions): Uint8Array {
  const date = yyyymmdd(opts.businessDate, 'businessDate');
  if (opts.returns.length > 9999) throw new Error(`${opts.returns.length} returns are more than a bundle can count (9999)`);
  let total = 0;
  const items = opts.returns.map((item, i) => {
    const label = `return ${i + 1} (sequence ${item.sequence})`;
    if (!isValidRoutingNumber(item.payorRouting)) throw new Error(`${label}: payor routing '${item.payorRouting}' is not nine digits with a valid check digit`);
    if (!/^[0-9/*-]([0-9 /*-]{0,18}[0-9/*-])?$/.test(item.onUs)) throw new Error(`${label}: on-us '${item.onUs}' must be 1-20 of digits, blanks, '/', '-', '*', not starting or ending with a blank`);
    if (!/^[0-9A-Z]$/.test(item.reasonCode)) throw new Error(`${label}: return reason '${item.reasonCode}' is not one character A-Z or 0-9`);
    if (!/^\d{1,15}$/.test(item.sequence)) throw new Error(`${label}: sequence '${item.sequence}' is not 1-15 digits`);
    const amount = cents(item.amountCents, X9_MAX_AMOUNT, `${label}: amountCents`);
    total += amount;
    return fixed(
      ['31', item.payorRouting.slice(0, 8), item.payorRouting.slice(8), item.onUs.padStart(20, ' '), zeros(amount, 10, 'amount'), item.reasonCode, '00', 'K', blanks(8), left(item.sequence, 15), ' ', ' ', ' ', '1', blanks(8)],
      X9_LENGTH,
      'return (31)',
    );
  });
  const records = [
    fixed(['01', '35', 'P', OUR_ROUTING, FED_ROUTING, date, '0000', 'N', left(OUR_BANK_NAME, 18), left(FED_NAME, 18), 'A', 'US', blanks(4), ' '], X9_LENGTH, 'file header (01)'),
    fixed(['10', '03', OUR_ROUTING, FED_ROUTING, date, date, '0000', 'N', 'K', left('R' + date.slice(2), 8), blanks(14), blanks(10), ' ', ' ', ' ', ' '], X9_LENGTH, 'cash letter header (10)'),
  ];
  if (items.length > 0) {
    records.push(
      fixed(['20', '03', OUR_ROUTING, FED_ROUTING, date, date, left('1', 10), left('1', 4), '01', OUR_ROUTING, blanks(5), blanks(12)], X9_LENGTH, 'bundle header (20)'),
      ...items,
      fixed(['70', zeros(items.length, 4, 'items'), zeros(total, 12, 'bundle total'), zeros(total, 12, 'MICR valid total'), zeros(0, 5, 'images'), blanks(20), ' ', blanks(24)], X9_LENGTH, 'bundle control (70)'),
    );
  }
  records.push(
    fixed(['90', zeros(items.length > 0 ? 1 : 0, 6, 'bundles'), zeros(items.length, 8, 'items'), zeros(total, 14, 'cash letter total'), zeros(0, 9, 'images'), left(FED_NAME, 18), date, ' ', blanks(14)], X9_LENGTH, 'cash letter control (90)'),
  );
  records.push(
    fixed(['99', zeros(1, 6, 'cash letters'), zeros(records.length + 1, 8, 'records'), zeros(items.length, 8, 'items'), zeros(total, 16, 'file total'), blanks(14), blanks(10), ' ', blanks(15)], X9_LENGTH, 'file control (99)'),
  );
  return x9Frame(records);
}

// ---------------------------------------------------------------------------------------------
// BAI2 balance and transaction report

export interface Bai2Item {
  /** Three digits: credits 100-399 ('301' deposit, '115' lockbox, '195' incoming wire, '165'...), debits 400-699 ('555'...). */
  typeCode: string;
  amountCents: number;
  bankReference?: string;
  customerReference?: string;
  /** Free text; trimmed, and continued on 88 records past 60 characters. */
  text?: string;
}

export interface Bai2ReportOptions {
  /** 'YYYY-MM-DD': the as-of date of the group, also the file's creation date. */
  asOfDate: string;
  bankAccount: string;
  credits: readonly Bai2Item[];
  debits?: readonly Bai2Item[];
  /** The 010 opening ledger summary; defaults to 0. The 015 closing ledger follows from it. */
  openingLedgerCents?: number;
}

const BAI2_TEXT_WIDTH = 60;

/**
 * Splits free text for a 16 and its 88s. parseBai2 trims each piece and joins them with one
 * space, so a break may only replace a single blank between two non-blanks; a run with no such
 * blank stays on one (longer) line rather than gaining a space.
 */
function textPieces(text: string): string[] {
  const pieces: string[] = [];
  let rest = text;
  while (rest.length > BAI2_TEXT_WIDTH) {
    const breaks: number[] = [];
    for (let i = 1; i < rest.length - 1; i++) if (rest[i] === ' ' && rest[i - 1] !== ' ' && rest[i + 1] !== ' ') breaks.push(i);
    const at = breaks.filter((i) => i <= BAI2_TEXT_WIDTH).at(-1) ?? breaks[0];
    if (at === undefined) break;
    pieces.push(rest.slice(0, at));
    rest = rest.slice(at + 1);
  }
  pieces.push(rest);
  return pieces;
}

function reference(value: string | undefined, what: string): string {
  const v = (value ?? '').trim();
  if (!/^[\x20-\x7E]*$/.test(v) || v.includes(',')) throw new Error(`${what} '${value}' must be printable ASCII without commas`);
  return v;
}

const signed = (n: number) => (n < 0 ? String(n) : `+${n}`);

/**
 * A BAI2 file for one account on one day: 01 file header, 02 group header, 03 account identifier
 * with its 010 opening ledger, 015 closing ledger, 100 total credits and 400 total debits
 * (with item counts), a 16 per credit then per debit (funds type Z, text continued on 88s), 49,
 * 98 and 99 with control totals and record counts that parseBai2 checks.
 */
export function bai2Report(opts: Bai2ReportOptions): string {
  const date = yymmdd(opts.asOfDate, 'asOfDate');
  if (!/^[0-9A-Za-z-]{1,35}$/.test(opts.bankAccount)) throw new Error(`bank account '${opts.bankAccount}' must be 1-35 letters, digits or dashes`);
  const opening = opts.openingLedgerCents ?? 0;
  if (!Number.isSafeInteger(opening)) throw new Error(`openingLedgerCents ${opening} is not a whole number of cents`);
  const details = [
    ...opts.credits.map((item, i) => ({ item, label: `credit ${i + 1}`, side: 'credit' as const })),
    ...(opts.debits ?? []).map((item, i) => ({ item, label: `debit ${i + 1}`, side: 'debit' as const })),
  ];
  let credits = 0;
  let debits = 0;
  const detailLines: string[] = [];
  for (const { item, label, side } of details) {
    if (classifyTypeCode(item.typeCode) !== side) throw new Error(`${label}: type code '${item.typeCode}' is not a BAI2 ${side} code`);
    const amount = cents(item.amountCents, Number.MAX_SAFE_INTEGER, `${label}: amountCents`);
    if (side === 'credit') credits += amount;
    else debits += amount;
    const text = (item.text ?? '').trim();
    if (!/^[\x20-\x7E]*$/.test(text)) throw new Error(`${label}: text must be printable ASCII on one line`);
    const [first, ...more] = textPieces(text);
    detailLines.push(`16,${item.typeCode},${amount},Z,${reference(item.bankReference, `${label}: bank reference`)},${reference(item.customerReference, `${label}: customer reference`)},${first}/`);
    for (const piece of more) detailLines.push(`88,${piece}/`);
  }
  const closing = opening + credits - debits;
  const accountTotal = opening + closing + credits + debits + credits + debits;
  const summaries = ['010', signed(opening), '', '', '015', signed(closing), '', '', '100', String(credits), String(opts.credits.length), '', '400', String(debits), String(opts.debits?.length ?? 0), ''];
  const accountLines = [`03,${opts.bankAccount},USD,${summaries.join(',')}/`, ...detailLines];
  accountLines.push(`49,${signed(accountTotal)},${accountLines.length + 1}/`);
  const groupLines = [`02,${OUR_CUSTOMER_ID},${OUR_ROUTING},1,${date},,USD,/`, ...accountLines];
  groupLines.push(`98,${signed(accountTotal)},1,${groupLines.length + 1}/`);
  const lines = [`01,${OUR_ROUTING},${OUR_CUSTOMER_ID},${date},0600,1,,,2/`, ...groupLines];
  lines.push(`99,${signed(accountTotal)},1,${lines.length + 1}/`);
  return lines.join('\n') + '\n';
}
