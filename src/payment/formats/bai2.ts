/**
 * BAI2 bank balance and transaction reports (BAI Cash Management Balance Reporting
 * Specifications, version 2): comma-separated records, each ending with '/', one per line:
 * 01 file header, 02 group header, 03 account identifier with its status and summary amounts,
 * 16 transaction detail, 88 continuation, 49 account trailer, 98 group trailer, 99 file trailer.
 * This turns the text into groups, accounts, summaries and transactions in integer cents, and
 * checks every control total and record count. A file with any fault is rejected whole with a
 * PaymentFileError naming the line (record) and the reason. Pure: no I/O.
 *
 * Reading rules (the spec leaves some to the bank, so these are ours, written down):
 * - An 88 continues the record before it: its first field is the next field of that record (no
 *   field is split across lines), except a 16's free text, whose pieces are joined with a space.
 * - A 16's text is its last field and runs to the end of the line, commas and slashes included;
 *   one '/' at the very end is the record delimiter and is dropped, and may be absent.
 * - In other records the first '/' ends the record; only blanks may follow it. A missing '/' at
 *   the end of a line is accepted.
 * - Record numbers are 1-based lines. Blank lines are refused except at the very end.
 * - Control totals: a 49 total is the algebraic sum of every amount in the account's 03 (and its
 *   88s) and 16 records, but not the parts of an S or D funds distribution, which only split an
 *   amount already counted; a 98 total sums its 49 totals and a 99 total its 98 totals. Record
 *   counts include the opening and closing records and every 88 between them (the real sample
 *   files confirm all of this, e.g. sample1's `49,+834000,14` counts 03, 88, eleven 16s and 49).
 * - Dates YYMMDD are read as 20YY. An absent currency is USD for a group and the group's for an
 *   account. An absent funds type is Z (unknown availability).
 */
import { PaymentFileError } from './file-error.ts';

export type Bai2FundsType =
  | { code: '0' | '1' | '2' | 'Z' }
  | { code: 'V'; valueDate: string; valueTime: string | null }
  | { code: 'S'; immediateCents: number; oneDayCents: number; twoOrMoreDaysCents: number }
  | { code: 'D'; distributions: { days: number; amountCents: number }[] };

/** A status (001-099) or summary amount of an 03 record. Status codes carry no count or funds type. */
export interface Bai2Summary {
  typeCode: string;
  /** null when the bank left the amount out */
  amountCents: number | null;
  itemCount: number | null;
  fundsType: Bai2FundsType;
}

export interface Bai2Transaction {
  typeCode: string;
  /** unsigned in the file: credit or debit follows from the type code (see isCredit) */
  amountCents: number;
  fundsType: Bai2FundsType;
  bankReference: string | null;
  customerReference: string | null;
  /** free text with its 88 continuations, trimmed; '' when none */
  text: string;
  /** 1-based line of the 16 record */
  record: number;
}

export interface Bai2Account {
  accountNumber: string;
  currency: string;
  summaries: Bai2Summary[];
  transactions: Bai2Transaction[];
  controlTotalCents: number;
  recordCount: number;
  record: number;
}

export interface Bai2Group {
  ultimateReceiverId: string | null;
  originatorId: string;
  /** 1 update, 2 deletion, 3 correction, 4 test only */
  status: 1 | 2 | 3 | 4;
  asOfDate: string;
  /** HHMM as in the file (2400 and 9999 mean end of day) */
  asOfTime: string | null;
  currency: string;
  /** 1 interim previous-day, 2 final previous-day, 3 interim same-day, 4 final same-day */
  asOfDateModifier: 1 | 2 | 3 | 4 | null;
  accounts: Bai2Account[];
  controlTotalCents: number;
  accountCount: number;
  recordCount: number;
  record: number;
}

export interface Bai2FileHeader {
  senderId: string;
  receiverId: string;
  /** YYYY-MM-DD */
  creationDate: string;
  /** HHMM as in the file */
  creationTime: string;
  fileId: string;
  physicalRecordLength: number | null;
  blockSize: number | null;
  versionNumber: 2;
}

export interface Bai2File {
  header: Bai2FileHeader;
  groups: Bai2Group[];
  controlTotalCents: number;
  groupCount: number;
  recordCount: number;
}

// ---------------------------------------------------------------------------------------------
// Type codes

/** Descriptions of the type codes a utility meets most (BAI2 Appendix A wording). */
export const BAI2_TYPE_CODES: Readonly<Record<string, string>> = {
  '010': 'Opening Ledger',
  '015': 'Closing Ledger',
  '040': 'Opening Available',
  '045': 'Closing Available',
  '072': 'One-Day Float',
  '074': 'Two or More Days Float',
  '100': 'Total Credits',
  '108': 'Credit (Any Type)',
  '110': 'Total Lockbox Deposits',
  '115': 'Lockbox Deposit',
  '116': 'Item in Lockbox Deposit',
  '142': 'ACH Credit Received',
  '165': 'Preauthorized ACH Credit',
  '169': 'Miscellaneous ACH Credit',
  '190': 'Total Incoming Money Transfers',
  '191': 'Individual Incoming Internal Money Transfer',
  '195': 'Incoming Money Transfer',
  '206': 'Book Transfer Credit',
  '218': 'Foreign Collection Credit',
  '301': 'Commercial Deposit',
  '400': 'Total Debits',
  '409': 'Debit (Any Type)',
  '451': 'ACH Debit Received',
  '475': 'Check Paid',
  '495': 'Outgoing Money Transfer',
  '555': 'Deposited Item Returned',
  '566': 'Return Item',
  '567': 'Return Item Fee',
  '698': 'Miscellaneous Fees',
  '699': 'Miscellaneous Debit',
  '890': 'Contains Non-monetary Information',
};

export type Bai2TypeClass = 'status' | 'credit' | 'debit' | 'non-monetary' | 'unknown';

/**
 * Where a type code falls in the spec's ranges: 001-099 status, 100-399 credits, 400-699 debits,
 * the lending codes added in 2001 (701-709 status, 720-728 credits, 760 debit), 890 non-monetary,
 * and the customer-defined 900-919 status, 920-959 credits, 960-999 debits.
 */
export function classifyTypeCode(typeCode: string): Bai2TypeClass {
  if (!/^\d{3}$/.test(typeCode)) return 'unknown';
  const n = Number(typeCode);
  if (n >= 1 && n <= 99) return 'status';
  if (n >= 100 && n <= 399) return 'credit';
  if (n >= 400 && n <= 699) return 'debit';
  if ([701, 703, 705, 707, 709].includes(n)) return 'status';
  if (n >= 720 && n <= 728) return 'credit';
  if (n === 760) return 'debit';
  if (n === 890) return 'non-monetary';
  if (n >= 900 && n <= 919) return 'status';
  if (n >= 920 && n <= 959) return 'credit';
  if (n >= 960) return 'debit';
  return 'unknown';
}

export function isCredit(typeCode: string): boolean {
  return classifyTypeCode(typeCode) === 'credit';
}

export function isDebit(typeCode: string): boolean {
  return classifyTypeCode(typeCode) === 'debit';
}

export type Bai2PaymentCategory =
  | 'lockbox-deposit'
  | 'incoming-wire'
  | 'incoming-internal-transfer'
  | 'commercial-deposit'
  | 'check-paid'
  | 'deposited-item-returned';

const PAYMENT_CATEGORIES: Readonly<Record<string, Bai2PaymentCategory>> = {
  '115': 'lockbox-deposit',
  '195': 'incoming-wire',
  // 191 is a transfer from another account at the same bank, not a wire from outside.
  '191': 'incoming-internal-transfer',
  '301': 'commercial-deposit',
  '475': 'check-paid',
  '555': 'deposited-item-returned',
};

/**
 * What a detail type code means for payment posting, or null when the code alone does not say.
 * 409 is deliberately absent: the spec defines it as "Debit (Any Type)", and banks use it for
 * returned cheques and for fees alike (sample1 has "RETURNED CHEQUE" and "RTD CHQ SERVICE CHRG"
 * under 409), so only its text can tell.
 */
export function paymentCategory(typeCode: string): Bai2PaymentCategory | null {
  return PAYMENT_CATEGORIES[typeCode] ?? null;
}

// ---------------------------------------------------------------------------------------------
// Lines and logical records

const RECORD_NAMES: Readonly<Record<string, string>> = {
  '01': 'file header (01)',
  '02': 'group header (02)',
  '03': 'account identifier (03)',
  '16': 'transaction detail (16)',
  '49': 'account trailer (49)',
  '88': 'continuation (88)',
  '98': 'group trailer (98)',
  '99': 'file trailer (99)',
};

interface Piece {
  record: number;
  body: string;
}

/** A record with its 88 continuations. */
interface LogicalRecord {
  code: string;
  first: number;
  last: number;
  pieces: Piece[];
}

function fail(record: number | null, reason: string): never {
  throw new PaymentFileError(record, reason);
}

function splitLines(text: string): string[] {
  const lines = text.replace(/^\uFEFF/, '').split(/\r?\n/);
  while (lines.length > 0 && (lines[lines.length - 1] ?? '').trim() === '') lines.pop();
  return lines;
}

/** The record body after "NN,", without its delimiter; a 16's text keeps its inner slashes. */
function recordBody(line: string, textRecord: boolean, record: number): string {
  const rest = line.slice(3).trimEnd();
  if (textRecord) return rest.endsWith('/') ? rest.slice(0, -1) : rest;
  const slash = rest.indexOf('/');
  if (slash === -1) return rest;
  if (rest.slice(slash + 1).trim() !== '') fail(record, "data after the record delimiter '/'");
  return rest.slice(0, slash);
}

function toLogicalRecords(text: string): LogicalRecord[] {
  const records: LogicalRecord[] = [];
  splitLines(text).forEach((line, i) => {
    const record = i + 1;
    if (line.trim() === '') fail(record, 'blank line');
    const code = line.slice(0, 2);
    if (record === 1 && code !== '01') fail(record, `the file must begin with a file header (01), not '${code}'`);
    if (!(code in RECORD_NAMES)) fail(record, `unknown record code '${code}'`);
    if (line[2] !== ',') fail(record, `record code ${code} is not followed by a comma`);
    const previous = records[records.length - 1];
    if (code === '88') {
      if (!previous) fail(record, 'continuation (88) with no record before it');
      previous.pieces.push({ record, body: recordBody(line, previous.code === '16', record) });
      previous.last = record;
      return;
    }
    records.push({ code, first: record, last: record, pieces: [{ record, body: recordBody(line, code === '16', record) }] });
  });
  return records;
}

/** Reads the comma-separated fields of a record and its continuations, in order. */
class FieldCursor {
  private piece = 0;
  private offset = 0;
  /** line of the field read last, for error messages */
  record: number;

  constructor(private readonly pieces: Piece[]) {
    this.record = pieces[0]?.record ?? 0;
  }

  next(): string | undefined {
    while (this.piece < this.pieces.length) {
      const p = this.pieces[this.piece]!;
      if (this.offset <= p.body.length) {
        const comma = p.body.indexOf(',', this.offset);
        const end = comma === -1 ? p.body.length : comma;
        const field = p.body.slice(this.offset, end);
        this.offset = end + 1; // past the body's end once its last field is read
        this.record = p.record;
        return field;
      }
      this.piece++;
      this.offset = 0;
    }
    return undefined;
  }

  atEnd(): boolean {
    const current = this.pieces[this.piece];
    if (current && this.offset <= current.body.length) return false;
    return this.piece + 1 >= this.pieces.length;
  }

  /** The rest as free text: this line's remainder, then each continuation, joined with a space. */
  text(): string {
    const parts: string[] = [];
    const current = this.pieces[this.piece];
    if (current && this.offset <= current.body.length) parts.push(current.body.slice(this.offset));
    for (let i = this.piece + 1; i < this.pieces.length; i++) parts.push(this.pieces[i]!.body);
    this.piece = this.pieces.length;
    return parts
      .map((s) => s.trim())
      .filter((s) => s !== '')
      .join(' ');
  }

  /** Only empty fields may remain (trailing delimiters). */
  expectEnd(what: string): void {
    while (!this.atEnd()) {
      const field = this.next();
      if (field !== undefined && field.trim() !== '') fail(this.record, `unexpected field '${field}' after the ${what}`);
    }
  }
}

// ---------------------------------------------------------------------------------------------
// Field values

function required(c: FieldCursor, name: string): string {
  const value = c.next();
  if (value === undefined || value.trim() === '') fail(c.record, `missing ${name}`);
  return value.trim();
}

function optional(c: FieldCursor): string | null {
  const value = c.next()?.trim();
  return value === undefined || value === '' ? null : value;
}

function parseCents(raw: string, name: string, record: number): number {
  if (!/^[+-]?\d+$/.test(raw)) fail(record, `${name} '${raw}' is not a whole number of cents`);
  const cents = Number(raw);
  if (!Number.isSafeInteger(cents)) fail(record, `${name} '${raw}' is too large`);
  return cents === 0 ? 0 : cents; // no -0
}

function parseCount(raw: string, name: string, record: number): number {
  if (!/^\d+$/.test(raw)) fail(record, `${name} '${raw}' is not a count`);
  const count = Number(raw);
  if (!Number.isSafeInteger(count)) fail(record, `${name} '${raw}' is too large`);
  return count;
}

function requiredCents(c: FieldCursor, name: string): number {
  return parseCents(required(c, name), name, c.record);
}

function requiredCount(c: FieldCursor, name: string): number {
  return parseCount(required(c, name), name, c.record);
}

function optionalCents(c: FieldCursor, name: string): number | null {
  const raw = optional(c);
  return raw === null ? null : parseCents(raw, name, c.record);
}

function optionalCount(c: FieldCursor, name: string): number | null {
  const raw = optional(c);
  return raw === null ? null : parseCount(raw, name, c.record);
}

function daysInMonth(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

function parseDate(raw: string, name: string, record: number): string {
  const m = /^(\d\d)(\d\d)(\d\d)$/.exec(raw);
  const year = 2000 + Number(m?.[1]);
  const month = Number(m?.[2]);
  const day = Number(m?.[3]);
  if (!m || month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) {
    fail(record, `${name} '${raw}' is not a date (YYMMDD)`);
  }
  return `${year}-${m[2]}-${m[3]}`;
}

function parseTime(raw: string, name: string, record: number): string {
  const m = /^(\d\d)(\d\d)$/.exec(raw);
  const valid = m && ((Number(m[1]) <= 23 && Number(m[2]) <= 59) || raw === '2400' || raw === '9999');
  if (!valid) fail(record, `${name} '${raw}' is not a time (HHMM)`);
  return raw;
}

function requiredDate(c: FieldCursor, name: string): string {
  return parseDate(required(c, name), name, c.record);
}

function optionalTime(c: FieldCursor, name: string): string | null {
  const raw = optional(c);
  return raw === null ? null : parseTime(raw, name, c.record);
}

function parseCurrency(raw: string | null, record: number): string | null {
  if (raw === null) return null;
  if (!/^[A-Z]{3}$/.test(raw)) fail(record, `currency code '${raw}' is not three capital letters`);
  return raw;
}

function parseTypeCode(raw: string, record: number): string {
  if (!/^\d{3}$/.test(raw) || raw === '000') fail(record, `type code '${raw}' is not a three-digit code`);
  return raw;
}

function parseFundsType(c: FieldCursor): Bai2FundsType {
  const code = c.next()?.trim() ?? '';
  switch (code) {
    case '':
    case 'Z':
      return { code: 'Z' };
    case '0':
    case '1':
    case '2':
      return { code };
    case 'V':
      return { code: 'V', valueDate: requiredDate(c, 'value date'), valueTime: optionalTime(c, 'value time') };
    case 'S':
      return {
        code: 'S',
        immediateCents: optionalCents(c, 'immediate availability amount') ?? 0,
        oneDayCents: optionalCents(c, 'one-day availability amount') ?? 0,
        twoOrMoreDaysCents: optionalCents(c, 'two-or-more-day availability amount') ?? 0,
      };
    case 'D':
      return { code: 'D', distributions: parseDistributions(c) };
    default:
      return fail(c.record, `unknown funds type '${code}'`);
  }
}

function parseDistributions(c: FieldCursor): { days: number; amountCents: number }[] {
  const count = parseCount(required(c, 'distribution count'), 'distribution count', c.record);
  const distributions: { days: number; amountCents: number }[] = [];
  for (let i = 0; i < count; i++) {
    const days = parseCount(required(c, 'availability days'), 'availability days', c.record);
    distributions.push({ days, amountCents: requiredCents(c, 'distribution amount') });
  }
  return distributions;
}

function addCents(a: number, b: number, record: number): number {
  const sum = a + b;
  if (!Number.isSafeInteger(sum)) fail(record, 'amounts add up beyond the largest exact number');
  return sum;
}

// ---------------------------------------------------------------------------------------------
// Records

function parseFileHeader(r: LogicalRecord): Bai2FileHeader {
  const c = new FieldCursor(r.pieces);
  const senderId = required(c, 'sender identification');
  const receiverId = required(c, 'receiver identification');
  const creationDate = requiredDate(c, 'file creation date');
  const creationTime = parseTime(required(c, 'file creation time'), 'file creation time', c.record);
  const fileId = required(c, 'file identification number');
  const physicalRecordLength = optionalCount(c, 'physical record length');
  const blockSize = optionalCount(c, 'block size');
  const version = required(c, 'version number');
  if (version !== '2') fail(c.record, `version number '${version}' is not 2 (only BAI2 is read)`);
  c.expectEnd('file header');
  return { senderId, receiverId, creationDate, creationTime, fileId, physicalRecordLength, blockSize, versionNumber: 2 };
}

type GroupHeader = Omit<Bai2Group, 'accounts' | 'controlTotalCents' | 'accountCount' | 'recordCount'>;

function parseGroupHeader(r: LogicalRecord): GroupHeader {
  const c = new FieldCursor(r.pieces);
  const ultimateReceiverId = optional(c);
  const originatorId = required(c, 'originator identification');
  const status = required(c, 'group status');
  if (!/^[1-4]$/.test(status)) fail(c.record, `group status '${status}' is not 1, 2, 3 or 4`);
  const asOfDate = requiredDate(c, 'as-of date');
  const asOfTime = optionalTime(c, 'as-of time');
  const currency = parseCurrency(optional(c), c.record) ?? 'USD';
  const modifier = optional(c);
  if (modifier !== null && !/^[1-4]$/.test(modifier)) fail(c.record, `as-of-date modifier '${modifier}' is not 1, 2, 3 or 4`);
  c.expectEnd('group header');
  return {
    ultimateReceiverId,
    originatorId,
    status: Number(status) as 1 | 2 | 3 | 4,
    asOfDate,
    asOfTime,
    currency,
    asOfDateModifier: modifier === null ? null : (Number(modifier) as 1 | 2 | 3 | 4),
    record: r.first,
  };
}

function parseAccountIdentifier(r: LogicalRecord, groupCurrency: string) {
  const c = new FieldCursor(r.pieces);
  const accountNumber = required(c, 'customer account number');
  const currency = parseCurrency(optional(c), c.record) ?? groupCurrency;
  const summaries: Bai2Summary[] = [];
  while (!c.atEnd()) {
    const typeCode = c.next()?.trim() ?? '';
    if (typeCode === '') {
      c.expectEnd('account identifier'); // trailing empty fields only
      break;
    }
    summaries.push({
      typeCode: parseTypeCode(typeCode, c.record),
      amountCents: optionalCents(c, 'amount'),
      itemCount: optionalCount(c, 'item count'),
      fundsType: parseFundsType(c),
    });
  }
  return { accountNumber, currency, summaries };
}

function parseTransaction(r: LogicalRecord): Bai2Transaction {
  const c = new FieldCursor(r.pieces);
  const typeCode = parseTypeCode(required(c, 'type code'), c.record);
  if (classifyTypeCode(typeCode) === 'status') fail(c.record, `type code ${typeCode} is an account status code, not a transaction`);
  const amountCents = requiredCents(c, 'amount');
  const fundsType = parseFundsType(c);
  const bankReference = optional(c);
  const customerReference = optional(c);
  return { typeCode, amountCents, fundsType, bankReference, customerReference, text: c.text(), record: r.first };
}

// ---------------------------------------------------------------------------------------------
// Structure and control totals

class RecordStream {
  private i = 0;
  constructor(private readonly records: LogicalRecord[]) {}

  peek(): LogicalRecord | undefined {
    return this.records[this.i];
  }

  take(code: string, context: string): LogicalRecord {
    const r = this.records[this.i];
    if (!r) fail(null, `file ends before the ${RECORD_NAMES[code]} ${context}`);
    if (r.code !== code) fail(r.first, `expected ${RECORD_NAMES[code]} ${context}, found ${RECORD_NAMES[r.code]}`);
    this.i++;
    return r;
  }

  expectNothingMore(): void {
    const r = this.records[this.i];
    if (r) fail(r.first, `${RECORD_NAMES[r.code]} after the file trailer`);
  }
}

function checkEqual(declared: number, actual: number, record: number, what: string): void {
  if (declared !== actual) fail(record, `${what} is ${declared} but the records give ${actual}`);
}

function readAccount(s: RecordStream, groupCurrency: string): Bai2Account {
  const header = s.take('03', 'to open the account');
  const { accountNumber, currency, summaries } = parseAccountIdentifier(header, groupCurrency);
  let sumCents = 0;
  for (const summary of summaries) if (summary.amountCents !== null) sumCents = addCents(sumCents, summary.amountCents, header.first);
  const transactions: Bai2Transaction[] = [];
  while (s.peek()?.code === '16') {
    const transaction = parseTransaction(s.take('16', 'in the account'));
    transactions.push(transaction);
    sumCents = addCents(sumCents, transaction.amountCents, transaction.record);
  }
  const trailer = s.take('49', `to close account ${accountNumber}`);
  const c = new FieldCursor(trailer.pieces);
  const controlTotalCents = requiredCents(c, 'account control total');
  const recordCount = requiredCount(c, 'number of records');
  c.expectEnd('account trailer');
  checkEqual(controlTotalCents, sumCents, trailer.first, 'account control total');
  checkEqual(recordCount, trailer.last - header.first + 1, trailer.first, 'account record count');
  return { accountNumber, currency, summaries, transactions, controlTotalCents, recordCount: recordCount, record: header.first };
}

function readGroup(s: RecordStream): Bai2Group {
  const header = s.take('02', 'to open the group');
  const group = parseGroupHeader(header);
  const accounts: Bai2Account[] = [];
  let sumCents = 0;
  while (s.peek()?.code === '03') {
    const account = readAccount(s, group.currency);
    accounts.push(account);
    sumCents = addCents(sumCents, account.controlTotalCents, account.record);
  }
  const trailer = s.take('98', 'to close the group (or an account identifier (03))');
  const c = new FieldCursor(trailer.pieces);
  const controlTotalCents = requiredCents(c, 'group control total');
  const accountCount = requiredCount(c, 'number of accounts');
  const recordCount = requiredCount(c, 'number of records');
  c.expectEnd('group trailer');
  checkEqual(controlTotalCents, sumCents, trailer.first, 'group control total');
  checkEqual(accountCount, accounts.length, trailer.first, 'group number of accounts');
  checkEqual(recordCount, trailer.last - header.first + 1, trailer.first, 'group record count');
  return { ...group, accounts, controlTotalCents, accountCount: accountCount, recordCount: recordCount };
}

export function parseBai2(text: string): Bai2File {
  const records = toLogicalRecords(text);
  if (records.length === 0) fail(null, 'empty file');
  const s = new RecordStream(records);
  const headerRecord = s.take('01', 'to begin the file');
  const header = parseFileHeader(headerRecord);
  const groups: Bai2Group[] = [];
  let sumCents = 0;
  while (s.peek()?.code === '02') {
    const group = readGroup(s);
    groups.push(group);
    sumCents = addCents(sumCents, group.controlTotalCents, group.record);
  }
  const trailer = s.take('99', 'to end the file (or a group header (02))');
  s.expectNothingMore();
  const c = new FieldCursor(trailer.pieces);
  const controlTotalCents = requiredCents(c, 'file control total');
  const groupCount = requiredCount(c, 'number of groups');
  const recordCount = requiredCount(c, 'number of records');
  c.expectEnd('file trailer');
  checkEqual(controlTotalCents, sumCents, trailer.first, 'file control total');
  checkEqual(groupCount, groups.length, trailer.first, 'file number of groups');
  checkEqual(recordCount, trailer.last - headerRecord.first + 1, trailer.first, 'file record count');
  return { header, groups, controlTotalCents, groupCount: groupCount, recordCount: recordCount };
}
