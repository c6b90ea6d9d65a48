/**
 * The bank's BAI lockbox transmission: fixed-width records, one lockbox deposit of checks in
 * batches, each check (type 6) with the account references from its remittance stub, more of
 * them in overflow records (type 4) when one check pays several accounts. Banks move fields
 * around, so the positions are configuration (`LockboxLayout`, stored as JSON). The parser is a
 * pure function from text to a deposit; every total in the file must tie, and the file is
 * rejected whole on its first fault with the record (line) number. Account references are
 * returned as written (trimmed): matching them to accounts happens later. No I/O.
 */
import { isDate } from '../../platform/dates.ts';
import { centsToDecimal } from '../../platform/money.ts';
import { PaymentFileError } from './file-error.ts';

/** 1-based start column and length in characters, as bank specifications list them. */
export interface LockboxField {
  start: number;
  length: number;
}

export type LockboxDateFormat = 'YYMMDD' | 'YYYYMMDD' | 'MMDDYY';

export interface LockboxLayout {
  code: string;
  description?: string;
  /** Records shorter than this are refused; every field must lie within it. */
  recordLength: number;
  /** How every date in the file is written. Two-digit years 00-69 are 20xx, 70-99 are 19xx. */
  dateFormat: LockboxDateFormat;
  /** Type 1. */
  addressHeader: { destination: LockboxField; origin: LockboxField; date: LockboxField; time?: LockboxField };
  /** Type 5; some banks send one before every batch, all for the same lockbox and date. */
  lockboxHeader: { lockboxNumber: LockboxField; depositDate: LockboxField };
  /** Type 6: one check. */
  detail: {
    batch: LockboxField;
    item: LockboxField;
    amount: LockboxField;
    remitterRouting?: LockboxField;
    remitterAccount?: LockboxField;
    checkNumber?: LockboxField;
    reference?: LockboxField;
    referenceAmount?: LockboxField;
  };
  /** Type 4; without it the file may have no overflow records. */
  overflow?: {
    batch: LockboxField;
    item: LockboxField;
    /** 1, 2, ... for one check's overflow records; wraps to 1 after the field's largest value. */
    sequence?: LockboxField;
    /** '9' on a check's last overflow record. */
    last?: LockboxField;
    references: { reference: LockboxField; amount?: LockboxField }[];
  };
  /** Type 7. */
  batchTotal: { batch: LockboxField; itemCount: LockboxField; amount: LockboxField };
  /** Type 8. */
  serviceTotal: { lockboxNumber?: LockboxField; itemCount: LockboxField; amount: LockboxField };
  /** Type 9. */
  trailer: { recordCount: LockboxField };
}

export interface LockboxReference {
  /** As written on the stub, trimmed; not checked against our account numbers here. */
  accountRef: string;
  /** Null when the bank keyed no amount (blank or zero-filled): the reference takes the rest. */
  amountCents: number | null;
}

export interface LockboxItem {
  /** 1-based record (line) number of the detail record. */
  record: number;
  batch: number;
  item: number;
  amountCents: number;
  checkNumber: string | null;
  remitterRouting: string | null;
  remitterAccount: string | null;
  references: LockboxReference[];
}

export interface LockboxBatch {
  /** Record number of the batch total. */
  record: number;
  batch: number;
  itemCount: number;
  totalCents: number;
}

export interface LockboxFile {
  transmission: { destination: string; origin: string; date: string; time: string | null };
  lockboxNumber: string;
  /** YYYY-MM-DD. */
  depositDate: string;
  batches: LockboxBatch[];
  items: LockboxItem[];
  totals: { itemCount: number; totalCents: number; recordCount: number };
}

const f = (start: number, length: number): LockboxField => ({ start, length });

function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null) Object.values(value).forEach(deepFreeze);
  return Object.freeze(value);
}

/**
 * The common BAI lockbox layout, 80-character records (positions are 1-based and inclusive;
 * "-" marks fields read by no one here):
 *
 * | type | positions | field                                                  |
 * |------|-----------|--------------------------------------------------------|
 * | 1    | 2-3       | - priority code                                        |
 * | 1    | 4-13      | immediate destination                                  |
 * | 1    | 14-23     | immediate origin                                       |
 * | 1    | 24-29     | transmission date YYMMDD                               |
 * | 1    | 30-33     | transmission time HHMM                                 |
 * | 2    | 2-80      | - service record (reference code, record size, ...)   |
 * | 5    | 2-4       | - batch number                                         |
 * | 5    | 5-11      | lockbox number                                         |
 * | 5    | 12-17     | deposit date YYMMDD                                    |
 * | 6    | 2-4       | batch number                                           |
 * | 6    | 5-7       | item number                                            |
 * | 6    | 8-17      | check amount, cents                                    |
 * | 6    | 18-26     | remitter routing/transit                               |
 * | 6    | 27-36     | remitter account                                       |
 * | 6    | 37-46     | check number                                           |
 * | 6    | 47-62     | account reference from the stub                        |
 * | 6    | 63-72     | amount for that reference, cents (blank: whole check)  |
 * | 4    | 2-4       | batch number                                           |
 * | 4    | 5-7       | item number                                            |
 * | 4    | 8         | - overflowed record type                               |
 * | 4    | 9-10      | overflow sequence 01, 02, ...                          |
 * | 4    | 11        | last overflow flag: 9 on the last                      |
 * | 4    | 12-27     | account reference                                      |
 * | 4    | 28-37     | amount, cents                                          |
 * | 4    | 38-53     | account reference                                      |
 * | 4    | 54-63     | amount, cents                                          |
 * | 7    | 2-4       | batch number                                           |
 * | 7    | 8-14      | - lockbox number                                       |
 * | 7    | 21-23     | item count                                             |
 * | 7    | 24-33     | batch total, cents                                     |
 * | 8    | 8-14      | lockbox number                                         |
 * | 8    | 21-24     | item count                                             |
 * | 8    | 25-34     | lockbox total, cents                                   |
 * | 9    | 2-7       | records in the transmission, this one included        |
 */
export const standardLockboxLayout: LockboxLayout = deepFreeze({
  code: 'bai-lockbox',
  description: 'BAI lockbox transmission, 80-character records, references in 6 and 4 records',
  recordLength: 80,
  dateFormat: 'YYMMDD',
  addressHeader: { destination: f(4, 10), origin: f(14, 10), date: f(24, 6), time: f(30, 4) },
  lockboxHeader: { lockboxNumber: f(5, 7), depositDate: f(12, 6) },
  detail: {
    batch: f(2, 3),
    item: f(5, 3),
    amount: f(8, 10),
    remitterRouting: f(18, 9),
    remitterAccount: f(27, 10),
    checkNumber: f(37, 10),
    reference: f(47, 16),
    referenceAmount: f(63, 10),
  },
  overflow: {
    batch: f(2, 3),
    item: f(5, 3),
    sequence: f(9, 2),
    last: f(11, 1),
    references: [
      { reference: f(12, 16), amount: f(28, 10) },
      { reference: f(38, 16), amount: f(54, 10) },
    ],
  },
  batchTotal: { batch: f(2, 3), itemCount: f(21, 3), amount: f(24, 10) },
  serviceTotal: { lockboxNumber: f(8, 7), itemCount: f(21, 4), amount: f(25, 10) },
  trailer: { recordCount: f(2, 6) },
});

// ---- layout validation ------------------------------------------------------------------------

type FieldKind = 'text' | 'count' | 'amount' | 'date' | 'time' | 'flag';
/** Field name to [kind, required]. */
type SectionSpec = Record<string, readonly [FieldKind, boolean]>;

const SECTIONS = {
  addressHeader: { destination: ['text', true], origin: ['text', true], date: ['date', true], time: ['time', false] },
  lockboxHeader: { lockboxNumber: ['text', true], depositDate: ['date', true] },
  detail: {
    batch: ['count', true],
    item: ['count', true],
    amount: ['amount', true],
    remitterRouting: ['text', false],
    remitterAccount: ['text', false],
    checkNumber: ['text', false],
    reference: ['text', false],
    referenceAmount: ['amount', false],
  },
  overflow: { batch: ['count', true], item: ['count', true], sequence: ['count', false], last: ['flag', false] },
  batchTotal: { batch: ['count', true], itemCount: ['count', true], amount: ['amount', true] },
  serviceTotal: { lockboxNumber: ['text', false], itemCount: ['count', true], amount: ['amount', true] },
  trailer: { recordCount: ['count', true] },
} as const satisfies Record<string, SectionSpec>;

const LAYOUT_KEYS = ['code', 'description', 'recordLength', 'dateFormat', ...Object.keys(SECTIONS)];
const DATE_FORMATS: readonly LockboxDateFormat[] = ['YYMMDD', 'YYYYMMDD', 'MMDDYY'];
/** Digits that still add up exactly in a double. */
const MAX_AMOUNT_DIGITS = 15;
const MAX_COUNT_DIGITS = 9;
const MAX_RECORD_LENGTH = 1000;
const MAX_OVERFLOW_REFERENCES = 20;

const isPlainObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

function layoutError(field: string, message: string): Error {
  return new Error(`lockbox layout ${field === '' ? '' : `${field} `}${message}`);
}

interface FieldContext {
  recordLength: number;
  dateFormat: LockboxDateFormat;
}

function lengthRule(kind: FieldKind, ctx: FieldContext): [min: number, max: number, text: string] {
  switch (kind) {
    case 'text':
      return [1, ctx.recordLength, 'at least 1'];
    case 'count':
      return [1, MAX_COUNT_DIGITS, `1 to ${MAX_COUNT_DIGITS}`];
    case 'amount':
      return [1, MAX_AMOUNT_DIGITS, `1 to ${MAX_AMOUNT_DIGITS}`];
    case 'date':
      return [ctx.dateFormat.length, ctx.dateFormat.length, `${ctx.dateFormat.length} (${ctx.dateFormat})`];
    case 'time':
      return [4, 4, '4 (HHMM)'];
    case 'flag':
      return [1, 1, '1'];
  }
}

function validateField(name: string, raw: unknown, kind: FieldKind, ctx: FieldContext): LockboxField {
  if (!isPlainObject(raw)) throw layoutError(name, 'must be an object { start, length }');
  for (const key of Object.keys(raw)) {
    if (key !== 'start' && key !== 'length') throw layoutError(`${name}.${key}`, 'is not a known field');
  }
  const { start, length } = raw;
  if (typeof start !== 'number' || !Number.isInteger(start) || start < 2) {
    throw layoutError(`${name}.start`, 'must be a whole column number, 2 or more (column 1 is the record type)');
  }
  const [min, max, text] = lengthRule(kind, ctx);
  if (typeof length !== 'number' || !Number.isInteger(length) || length < min || length > max) {
    throw layoutError(`${name}.length`, `must be ${text} characters`);
  }
  if (start + length - 1 > ctx.recordLength) throw layoutError(name, `ends at column ${start + length - 1}, past recordLength ${ctx.recordLength}`);
  return { start, length };
}

/** Fields of one record type must not share a column. */
function checkOverlaps(fields: [name: string, field: LockboxField][]): void {
  fields.forEach(([name, a], i) => {
    const clash = fields.slice(0, i).find(([, b]) => a.start < b.start + b.length && b.start < a.start + a.length);
    if (clash) throw layoutError(name, `overlaps ${clash[0]}`);
  });
}

function validateSection(section: string, raw: unknown, spec: SectionSpec, ctx: FieldContext, extraKeys: string[] = []): Record<string, LockboxField> {
  if (!isPlainObject(raw)) throw layoutError(section, 'must be an object');
  for (const key of Object.keys(raw)) {
    if (!Object.hasOwn(spec, key) && !extraKeys.includes(key)) throw layoutError(`${section}.${key}`, 'is not a known field');
  }
  const fields: Record<string, LockboxField> = {};
  for (const [name, [kind, required]] of Object.entries(spec)) {
    if (raw[name] === undefined) {
      if (required) throw layoutError(`${section}.${name}`, 'is required');
      continue;
    }
    fields[name] = validateField(`${section}.${name}`, raw[name], kind, ctx);
  }
  return fields;
}

function validateOverflow(raw: unknown, ctx: FieldContext): NonNullable<LockboxLayout['overflow']> {
  const fields = validateSection('overflow', raw, SECTIONS.overflow, ctx, ['references']);
  const refs = (raw as Record<string, unknown>).references;
  if (!Array.isArray(refs) || refs.length === 0 || refs.length > MAX_OVERFLOW_REFERENCES) {
    throw layoutError('overflow.references', `must be a list of 1 to ${MAX_OVERFLOW_REFERENCES} { reference, amount? } slots`);
  }
  // Array.from visits holes of a sparse array, which map would skip.
  const references = Array.from(refs as unknown[], (slot, i) => {
    const name = `overflow.references.${i}`;
    const { reference, amount } = validateSection(name, slot, { reference: ['text', true], amount: ['amount', false] }, ctx);
    return { reference: reference as LockboxField, ...(amount === undefined ? {} : { amount }) };
  });
  checkOverlaps([
    ...Object.entries(fields).map(([n, v]): [string, LockboxField] => [`overflow.${n}`, v]),
    ...references.flatMap((slot, i) => Object.entries(slot).map(([n, v]): [string, LockboxField] => [`overflow.references.${i}.${n}`, v])),
  ]);
  return { ...(fields as Omit<NonNullable<LockboxLayout['overflow']>, 'references'>), references };
}

/** Checks a layout read from configuration; throws an Error naming the wrong field. */
export function validateLockboxLayout(raw: unknown): LockboxLayout {
  if (!isPlainObject(raw)) throw layoutError('', 'must be an object');
  for (const key of Object.keys(raw)) {
    if (!LAYOUT_KEYS.includes(key)) throw layoutError(key, 'is not a known field');
  }
  const { code, description, recordLength, dateFormat } = raw;
  if (typeof code !== 'string' || code.trim() === '') throw layoutError('code', 'must be a non-empty string');
  if (description !== undefined && typeof description !== 'string') throw layoutError('description', 'must be a string');
  if (typeof recordLength !== 'number' || !Number.isInteger(recordLength) || recordLength < 2 || recordLength > MAX_RECORD_LENGTH) {
    throw layoutError('recordLength', `must be a whole number of characters, 2 to ${MAX_RECORD_LENGTH}`);
  }
  if (!DATE_FORMATS.includes(dateFormat as LockboxDateFormat)) throw layoutError('dateFormat', `must be one of ${DATE_FORMATS.join(', ')}`);
  const ctx: FieldContext = { recordLength, dateFormat: dateFormat as LockboxDateFormat };
  const section = (name: Exclude<keyof typeof SECTIONS, 'overflow'>): Record<string, LockboxField> => {
    const fields = validateSection(name, raw[name], SECTIONS[name], ctx);
    checkOverlaps(Object.entries(fields).map(([n, v]) => [`${name}.${n}`, v]));
    return fields;
  };
  return {
    code,
    ...(description === undefined ? {} : { description }),
    recordLength,
    dateFormat: ctx.dateFormat,
    addressHeader: section('addressHeader') as LockboxLayout['addressHeader'],
    lockboxHeader: section('lockboxHeader') as LockboxLayout['lockboxHeader'],
    detail: section('detail') as LockboxLayout['detail'],
    ...(raw.overflow === undefined ? {} : { overflow: validateOverflow(raw.overflow, ctx) }),
    batchTotal: section('batchTotal') as LockboxLayout['batchTotal'],
    serviceTotal: section('serviceTotal') as LockboxLayout['serviceTotal'],
    trailer: section('trailer') as LockboxLayout['trailer'],
  };
}

// ---- field values -----------------------------------------------------------------------------

function fail(record: number, reason: string): never {
  throw new PaymentFileError(record, reason);
}


/** One record's text with its number, read by layout fields. */
class FixedRecord {
  constructor(
    readonly record: number,
    readonly line: string,
  ) {}

  text(field: LockboxField): string {
    return this.line.slice(field.start - 1, field.start - 1 + field.length).trim();
  }

  optionalText(field: LockboxField | undefined): string | null {
    return field === undefined ? null : this.text(field) || null;
  }

  /** A right-justified unsigned number; leading blanks or zeros are both usual. */
  numeric(field: LockboxField, name: string): number {
    const raw = this.text(field);
    return /^\d+$/.test(raw) ? Number(raw) : fail(this.record, `${name} "${raw}" is not numeric`);
  }

  /** An amount that may be left blank: blank or zero-filled is none. */
  optionalCents(field: LockboxField | undefined, name: string): number | null {
    if (field === undefined || this.text(field) === '') return null;
    return this.numeric(field, name) || null;
  }

  date(field: LockboxField, name: string, format: LockboxDateFormat): string {
    const raw = this.text(field);
    return parseDate(raw, format) ?? fail(this.record, `${name} "${raw}" is not a valid ${format} date`);
  }
}

const DATE_PATTERNS: Record<LockboxDateFormat, RegExp> = {
  YYMMDD: /^(?<y>\d{2})(?<m>\d{2})(?<d>\d{2})$/,
  YYYYMMDD: /^(?<y>\d{4})(?<m>\d{2})(?<d>\d{2})$/,
  MMDDYY: /^(?<m>\d{2})(?<d>\d{2})(?<y>\d{2})$/,
};

function parseDate(value: string, format: LockboxDateFormat): string | null {
  const groups = DATE_PATTERNS[format].exec(value)?.groups;
  if (!groups?.y || !groups.m || !groups.d) return null;
  const year = groups.y.length === 4 ? groups.y : `${Number(groups.y) < 70 ? '20' : '19'}${groups.y}`;
  const iso = `${year}-${groups.m}-${groups.d}`;
  return isDate(iso) ? iso : null;
}

function parseTime(rec: FixedRecord, field: LockboxField | undefined): string | null {
  const raw = field === undefined ? '' : rec.text(field);
  if (raw === '') return null;
  const match = /^([01]\d|2[0-3])([0-5]\d)$/.exec(raw);
  return match ? `${match[1]}:${match[2]}` : fail(rec.record, `transmission time "${raw}" is not HHMM`);
}

// ---- the parser: one pass, a record at a time -------------------------------------------------

interface OpenBatch {
  batch: number;
  items: LockboxItem[];
  itemNumbers: Set<number>;
}

/** The last check read, while overflow records may still add references to it. */
interface OpenCheck {
  item: LockboxItem;
  referencedCents: number;
  overflowRecords: number;
  lastSequence: number;
  ended: boolean;
}

interface State {
  layout: LockboxLayout;
  transmission: LockboxFile['transmission'] | null;
  lockbox: { lockboxNumber: string; depositDate: string } | null;
  lockboxClosed: boolean;
  batch: OpenBatch | null;
  check: OpenCheck | null;
  batches: LockboxBatch[];
  items: LockboxItem[];
  trailerRecord: number | null;
}

const RECORD_NAMES: Record<string, string> = {
  '1': 'immediate address header (type 1)',
  '2': 'service record (type 2)',
  '5': 'lockbox header (type 5)',
  '6': 'detail record (type 6)',
  '4': 'overflow record (type 4)',
  '7': 'batch total (type 7)',
  '8': 'lockbox service total (type 8)',
  '9': 'destination trailer (type 9)',
};

function addressHeader(state: State, rec: FixedRecord): void {
  if (rec.record !== 1) fail(rec.record, `${RECORD_NAMES['1']} after the start of the file`);
  const fields = state.layout.addressHeader;
  state.transmission = {
    destination: rec.text(fields.destination),
    origin: rec.text(fields.origin),
    date: rec.date(fields.date, 'transmission date', state.layout.dateFormat),
    time: parseTime(rec, fields.time),
  };
}

function serviceRecord(state: State, rec: FixedRecord): void {
  if (rec.record !== 2) fail(rec.record, `${RECORD_NAMES['2']} must directly follow the immediate address header`);
}

function lockboxHeader(state: State, rec: FixedRecord): void {
  if (state.lockboxClosed) fail(rec.record, 'a second lockbox: a transmission may hold only one lockbox deposit');
  if (state.batch) fail(rec.record, `${RECORD_NAMES['5']} inside batch ${state.batch.batch}, which has no batch total (type 7)`);
  const fields = state.layout.lockboxHeader;
  const lockboxNumber = rec.text(fields.lockboxNumber) || fail(rec.record, 'lockbox number is blank');
  const depositDate = rec.date(fields.depositDate, 'deposit date', state.layout.dateFormat);
  const open = state.lockbox;
  if (open && open.lockboxNumber !== lockboxNumber) fail(rec.record, `lockbox ${lockboxNumber} follows lockbox ${open.lockboxNumber}: a transmission may hold only one lockbox deposit`);
  if (open && open.depositDate !== depositDate) fail(rec.record, `deposit date ${depositDate} differs from ${open.depositDate} earlier in the lockbox`);
  state.lockbox = { lockboxNumber, depositDate };
}

function openBatch(state: State, rec: FixedRecord, batch: number): OpenBatch {
  if (state.batch) {
    if (state.batch.batch === batch) return state.batch;
    return fail(rec.record, `detail for batch ${batch} inside batch ${state.batch.batch}, which has no batch total (type 7)`);
  }
  if (state.batches.some((b) => b.batch === batch)) fail(rec.record, `batch ${batch} appears twice`);
  state.batch = { batch, items: [], itemNumbers: new Set() };
  return state.batch;
}

function detail(state: State, rec: FixedRecord): void {
  if (!state.lockbox || state.lockboxClosed) fail(rec.record, `${RECORD_NAMES['6']} outside a lockbox: no lockbox header (type 5) before it`);
  const fields = state.layout.detail;
  const batch = openBatch(state, rec, rec.numeric(fields.batch, 'batch number'));
  const itemNumber = rec.numeric(fields.item, 'item number');
  if (batch.itemNumbers.has(itemNumber)) fail(rec.record, `item ${itemNumber} appears twice in batch ${batch.batch}`);
  const amountCents = rec.numeric(fields.amount, 'check amount');
  if (amountCents === 0) fail(rec.record, 'check amount is zero');
  const item: LockboxItem = {
    record: rec.record,
    batch: batch.batch,
    item: itemNumber,
    amountCents,
    checkNumber: rec.optionalText(fields.checkNumber),
    remitterRouting: rec.optionalText(fields.remitterRouting),
    remitterAccount: rec.optionalText(fields.remitterAccount),
    references: [],
  };
  batch.items.push(item);
  batch.itemNumbers.add(itemNumber);
  state.items.push(item);
  state.check = { item, referencedCents: 0, overflowRecords: 0, lastSequence: 0, ended: false };
  addReference(state.check, rec, fields.reference, fields.referenceAmount, 'reference amount');
}

/** Adds one reference slot to the check; blank slots are unused. */
function addReference(check: OpenCheck, rec: FixedRecord, refField: LockboxField | undefined, amountField: LockboxField | undefined, name: string): void {
  const accountRef = refField === undefined ? '' : rec.text(refField);
  const amountCents = rec.optionalCents(amountField, name);
  if (accountRef === '') {
    if (amountCents !== null) fail(rec.record, `${name} ${centsToDecimal(amountCents)} has no account reference`);
    return;
  }
  check.item.references.push({ accountRef, amountCents });
  check.referencedCents += amountCents ?? 0;
  if (check.referencedCents > check.item.amountCents) {
    const { batch, item, amountCents: checkCents } = check.item;
    fail(rec.record, `references of batch ${batch} item ${item} add up to ${centsToDecimal(check.referencedCents)}, more than the check's ${centsToDecimal(checkCents)}`);
  }
}

function overflow(state: State, rec: FixedRecord): void {
  const fields = state.layout.overflow ?? fail(rec.record, `${RECORD_NAMES['4']} but the layout has no overflow section`);
  const check = state.check ?? fail(rec.record, `${RECORD_NAMES['4']} does not follow a detail record (type 6)`);
  const batch = rec.numeric(fields.batch, 'batch number');
  const item = rec.numeric(fields.item, 'item number');
  if (batch !== check.item.batch || item !== check.item.item) {
    fail(rec.record, `overflow for batch ${batch} item ${item} follows the detail of batch ${check.item.batch} item ${check.item.item}`);
  }
  if (check.ended) fail(rec.record, `overflow for batch ${batch} item ${item} after its last overflow record (flag 9)`);
  if (fields.sequence) {
    const sequence = rec.numeric(fields.sequence, 'overflow sequence');
    const max = 10 ** fields.sequence.length - 1;
    const expected = check.lastSequence >= max ? 1 : check.lastSequence + 1;
    if (sequence !== expected) fail(rec.record, `overflow sequence ${sequence} where ${expected} was due`);
    check.lastSequence = sequence;
  }
  if (fields.last) check.ended = rec.text(fields.last) === '9';
  check.overflowRecords++;
  fields.references.forEach((slot) => addReference(check, rec, slot.reference, slot.amount, 'overflow amount'));
}

/** A check's overflow run ends at the next record that is not a type 4. */
function closeCheck(state: State, rec: FixedRecord): void {
  const check = state.check;
  if (!check) return;
  state.check = null;
  if (state.layout.overflow?.last && check.overflowRecords > 0 && !check.ended) {
    fail(rec.record, `overflow of batch ${check.item.batch} item ${check.item.item} ended without its last-record flag 9`);
  }
}

const sumCents = (items: readonly { amountCents: number }[]): number => items.reduce((sum, i) => sum + i.amountCents, 0);

function tie(rec: FixedRecord, what: string, count: number, expectedCount: number, cents: number, expectedCents: number): void {
  if (count !== expectedCount) fail(rec.record, `${what} counts ${count} items but ${expectedCount} were read`);
  if (cents !== expectedCents) fail(rec.record, `${what} is ${centsToDecimal(cents)} but its items add up to ${centsToDecimal(expectedCents)}`);
}

function batchTotal(state: State, rec: FixedRecord): void {
  const fields = state.layout.batchTotal;
  const batchNumber = rec.numeric(fields.batch, 'batch number');
  const open = state.batch ?? fail(rec.record, `batch total for batch ${batchNumber} without detail records before it`);
  if (open.batch !== batchNumber) fail(rec.record, `batch total for batch ${batchNumber} closes batch ${open.batch}`);
  const itemCount = rec.numeric(fields.itemCount, 'item count');
  const totalCents = rec.numeric(fields.amount, 'batch total');
  tie(rec, `batch ${batchNumber} total`, itemCount, open.items.length, totalCents, sumCents(open.items));
  state.batches.push({ record: rec.record, batch: batchNumber, itemCount, totalCents });
  state.batch = null;
}

function serviceTotal(state: State, rec: FixedRecord): void {
  const lockbox = state.lockbox;
  if (!lockbox || state.lockboxClosed) fail(rec.record, `${RECORD_NAMES['8']} without a lockbox header (type 5) before it`);
  if (state.batch) fail(rec.record, `batch ${state.batch.batch} has no batch total (type 7)`);
  const fields = state.layout.serviceTotal;
  const lockboxNumber = fields.lockboxNumber === undefined ? null : rec.text(fields.lockboxNumber);
  if (lockboxNumber !== null && lockboxNumber !== lockbox.lockboxNumber) fail(rec.record, `service total for lockbox ${lockboxNumber}, but the lockbox is ${lockbox.lockboxNumber}`);
  const itemCount = rec.numeric(fields.itemCount, 'item count');
  const totalCents = rec.numeric(fields.amount, 'lockbox total');
  const batchItems = state.batches.reduce((sum, b) => sum + b.itemCount, 0);
  const batchCents = state.batches.reduce((sum, b) => sum + b.totalCents, 0);
  tie(rec, 'lockbox total', itemCount, batchItems, totalCents, batchCents);
  state.lockboxClosed = true;
}

function trailer(state: State, rec: FixedRecord): void {
  if (!state.lockbox) fail(rec.record, 'the transmission holds no lockbox deposit');
  if (!state.lockboxClosed) fail(rec.record, `${RECORD_NAMES['9']} before the lockbox service total (type 8)`);
  const recordCount = rec.numeric(state.layout.trailer.recordCount, 'record count');
  if (recordCount !== rec.record) fail(rec.record, `trailer counts ${recordCount} records but the transmission has ${rec.record}`);
  state.trailerRecord = rec.record;
}

const HANDLERS: Record<string, (state: State, rec: FixedRecord) => void> = {
  '1': addressHeader,
  '2': serviceRecord,
  '5': lockboxHeader,
  '6': detail,
  '4': overflow,
  '7': batchTotal,
  '8': serviceTotal,
  '9': trailer,
};

function readRecord(state: State, rec: FixedRecord): void {
  const { line } = rec;
  if (state.trailerRecord !== null) {
    // BAI fills out the last block with records of nines.
    if (/^9+ *$/.test(line)) return;
    fail(rec.record, `record after the ${RECORD_NAMES['9']}`);
  }
  if (line.trim() === '') fail(rec.record, 'record is blank');
  if (line.length < state.layout.recordLength) fail(rec.record, `short record: ${line.length} characters, ${state.layout.recordLength} expected`);
  const type = line[0] ?? '';
  const handler = Object.hasOwn(HANDLERS, type) ? HANDLERS[type] : undefined;
  if (!handler) fail(rec.record, `record type "${type}" is not one of 1, 2, 5, 6, 4, 7, 8, 9`);
  if (rec.record === 1 && type !== '1') fail(1, `the file does not start with an ${RECORD_NAMES['1']}`);
  if (type !== '4') closeCheck(state, rec);
  handler?.(state, rec);
}

function splitRecords(text: string): string[] {
  const lines = text.replace(/^\uFEFF/, '').split(/\r\n|\r|\n/);
  while (lines.length > 0 && (lines.at(-1) ?? '').trim() === '') lines.pop();
  return lines;
}

/** Parses a lockbox transmission; throws PaymentFileError on its first fault. */
export function parseLockbox(text: string, layout: LockboxLayout): LockboxFile {
  const lines = splitRecords(text);
  if (lines.length === 0) throw new PaymentFileError(null, 'the file is empty');
  const state: State = { layout, transmission: null, lockbox: null, lockboxClosed: false, batch: null, check: null, batches: [], items: [], trailerRecord: null };
  lines.forEach((line, i) => readRecord(state, new FixedRecord(i + 1, line)));
  const { transmission, lockbox, trailerRecord } = state;
  if (trailerRecord === null || !transmission || !lockbox) {
    throw new PaymentFileError(null, `the file ends at record ${lines.length} without a ${RECORD_NAMES['9']}`);
  }
  return {
    transmission,
    lockboxNumber: lockbox.lockboxNumber,
    depositDate: lockbox.depositDate,
    batches: state.batches,
    items: state.items,
    totals: { itemCount: state.items.length, totalCents: sumCents(state.items), recordCount: trailerRecord },
  };
}
