/**
 * Payment CSV files: a bank's lockbox export, card/web/IVR settlement reports and online bill-pay
 * ("OBI") remittances from customers' banks. The column layout is configuration
 * (`PaymentCsvLayout`, stored as JSON), following the meter-read CSV layouts; the parser is a pure
 * function from text to payment records in integer cents. A file is rejected whole on its first
 * fault, with the physical line number (a record with quoted newlines is reported at the line it
 * starts on). Account references are returned as written (trimmed): matching happens later. No I/O.
 */
import { CsvError, parse } from 'csv-parse/sync';
import { centsToDecimal } from '../../platform/money.ts';
import { isDate } from '../../platform/dates.ts';
import { PaymentFileError } from './file-error.ts';

export type PaymentCsvKind = 'lockbox' | 'card' | 'obi';
export type PaymentCsvDelimiter = ',' | ';' | '\t' | '|';
/** Two-digit years (MM/DD/YY) 00-69 are 20xx, 70-99 are 19xx. */
export type PaymentCsvDateFormat = 'YYYY-MM-DD' | 'MM/DD/YYYY' | 'YYYYMMDD' | 'DD.MM.YYYY' | 'MM/DD/YY';
/** 'decimal': dollars as "123.45", "$1,234.50", "123", "-5.00" or "(5.00)"; 'cents': "12345". */
export type PaymentCsvAmountFormat = 'decimal' | 'cents';
export type PaymentStatus = 'settled' | 'refunded';
/** Declined rows (declines, voids) are skipped and counted. */
export type PaymentFileStatus = PaymentStatus | 'declined';
/** A header name (matched case-insensitively after trim) or a 1-based position. */
export type PaymentCsvColumnRef = string | number;

export interface PaymentCsvColumns {
  accountRef: PaymentCsvColumnRef;
  amount: PaymentCsvColumnRef;
  paymentDate: PaymentCsvColumnRef;
  /** Processor transaction id, bank item sequence or OBI trace number: unique per payment. */
  reference?: PaymentCsvColumnRef;
  payerName?: PaymentCsvColumnRef;
  /** One column, or several (address lines, city, state, ZIP) joined with ", ". */
  payerAddress?: PaymentCsvColumnRef | PaymentCsvColumnRef[];
  method?: PaymentCsvColumnRef;
  /** Processor fee, in the amount format; kept with the sign the file gives it. */
  fee?: PaymentCsvColumnRef;
  status?: PaymentCsvColumnRef;
}
export type PaymentCsvField = keyof PaymentCsvColumns;

/** The file's last row (after skipTrailerRows are dropped) holds its totals, not a payment. */
export interface PaymentCsvControlTotal {
  row: 'last';
  amountColumn: PaymentCsvColumnRef;
  countColumn?: PaymentCsvColumnRef;
}

export interface PaymentCsvLayout {
  code: string;
  description?: string;
  /** What the file is: importers post by it; the parser reads every kind alike. */
  kind: PaymentCsvKind;
  delimiter: PaymentCsvDelimiter;
  /** The first (non-skipped) line is a header row. */
  header: boolean;
  /** Lines to skip before the header or data (banners). */
  skipRows?: number;
  /** Lines to drop at the end of the file (after trailing blank lines), e.g. a report footer. */
  skipTrailerRows?: number;
  columns: PaymentCsvColumns;
  dateFormat: PaymentCsvDateFormat;
  amountFormat: PaymentCsvAmountFormat;
  /**
   * The file's status values to ours, matched case-insensitively. Without it a status column
   * must hold settled, refunded or declined. A blank status is refused unless mapped ("").
   */
  statuses?: Record<string, PaymentFileStatus>;
  controlTotal?: PaymentCsvControlTotal;
}

export interface PaymentCsvRecord {
  /** 1-based physical line in the file where the record starts. */
  line: number;
  /** As written, trimmed; not checked against our account numbers here. */
  accountRef: string;
  /** Positive for a payment, negative for a refund. */
  amountCents: number;
  /** YYYY-MM-DD. */
  paymentDate: string;
  reference: string | null;
  payerName: string | null;
  payerAddress: string | null;
  method: string | null;
  feeCents: number | null;
  status: PaymentStatus;
}

export interface PaymentCsvResult {
  records: PaymentCsvRecord[];
  /** Sum of the records' amounts: refunds net off. */
  totalCents: number;
  /** Declined rows left out. */
  skipped: number;
}

const DELIMITERS: readonly PaymentCsvDelimiter[] = [',', ';', '\t', '|'];
const KINDS: readonly PaymentCsvKind[] = ['lockbox', 'card', 'obi'];
const DATE_FORMATS: readonly PaymentCsvDateFormat[] = ['YYYY-MM-DD', 'MM/DD/YYYY', 'YYYYMMDD', 'DD.MM.YYYY', 'MM/DD/YY'];
const AMOUNT_FORMATS: readonly PaymentCsvAmountFormat[] = ['decimal', 'cents'];
const FILE_STATUSES: readonly PaymentFileStatus[] = ['settled', 'refunded', 'declined'];
const REQUIRED_FIELDS = ['accountRef', 'amount', 'paymentDate'] as const;
const SINGLE_FIELDS = [...REQUIRED_FIELDS, 'reference', 'payerName', 'method', 'fee', 'status'] as const;
type SingleField = (typeof SINGLE_FIELDS)[number];
const ALL_FIELDS: readonly PaymentCsvField[] = [...SINGLE_FIELDS, 'payerAddress'];
const LAYOUT_KEYS = ['code', 'description', 'kind', 'delimiter', 'header', 'skipRows', 'skipTrailerRows', 'columns', 'dateFormat', 'amountFormat', 'statuses', 'controlTotal'];
const MAX_ADDRESS_COLUMNS = 10;

function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null) Object.values(value).forEach(deepFreeze);
  return Object.freeze(value);
}

/** A bank's lockbox export with a totals row at the end. */
export const standardLockboxCsvLayout: PaymentCsvLayout = deepFreeze({
  code: 'lockbox-csv',
  description: 'Bank lockbox export: Deposit Date,Batch,Item Sequence,Account Number,Remitter Name,Check Number,Payment Type,Payment Amount; last row totals',
  kind: 'lockbox',
  delimiter: ',',
  header: true,
  columns: {
    accountRef: 'Account Number',
    amount: 'Payment Amount',
    paymentDate: 'Deposit Date',
    reference: 'Item Sequence',
    payerName: 'Remitter Name',
    method: 'Payment Type',
  },
  dateFormat: 'MM/DD/YYYY',
  amountFormat: 'decimal',
  controlTotal: { row: 'last', amountColumn: 'Payment Amount', countColumn: 'Item Sequence' },
});

/** A card/web/IVR processor's settlement report. */
export const standardCardSettlementLayout: PaymentCsvLayout = deepFreeze({
  code: 'card-settlement',
  description: 'Processor settlement report: Transaction ID,Settlement Date,Customer Account,Cardholder Name,Card Type,Channel,Transaction Status,Amount,Fee',
  kind: 'card',
  delimiter: ',',
  header: true,
  columns: {
    accountRef: 'Customer Account',
    amount: 'Amount',
    paymentDate: 'Settlement Date',
    reference: 'Transaction ID',
    payerName: 'Cardholder Name',
    method: 'Card Type',
    fee: 'Fee',
    status: 'Transaction Status',
  },
  dateFormat: 'YYYY-MM-DD',
  amountFormat: 'decimal',
  statuses: { 'Settled Successfully': 'settled', Refund: 'refunded', Declined: 'declined', Voided: 'declined' },
});

/** An online bill-pay remittance from a customer's bank's bill-pay service. */
export const standardObiLayout: PaymentCsvLayout = deepFreeze({
  code: 'obi',
  description: 'Bill-pay remittance: Payee Account Number,Payer Name,Payer Address 1,Payer Address 2,Payer City,Payer State,Payer ZIP,Payment Amount,Payment Date,Trace Number',
  kind: 'obi',
  delimiter: ',',
  header: true,
  columns: {
    accountRef: 'Payee Account Number',
    amount: 'Payment Amount',
    paymentDate: 'Payment Date',
    reference: 'Trace Number',
    payerName: 'Payer Name',
    payerAddress: ['Payer Address 1', 'Payer Address 2', 'Payer City', 'Payer State', 'Payer ZIP'],
  },
  dateFormat: 'MM/DD/YYYY',
  amountFormat: 'decimal',
});

// ---- layout validation ------------------------------------------------------------------------

const isPlainObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const isCount = (v: unknown): v is number => typeof v === 'number' && Number.isInteger(v) && v >= 0;

function layoutError(field: string, message: string): Error {
  return new Error(`payment CSV layout ${field === '' ? '' : `${field} `}${message}`);
}

function columnRef(field: string, value: unknown, header: boolean): PaymentCsvColumnRef {
  if (typeof value === 'number') {
    if (!Number.isInteger(value) || value < 1) throw layoutError(field, 'must be a 1-based column position');
    return value;
  }
  if (typeof value === 'string') {
    if (value.trim() === '') throw layoutError(field, 'must not be an empty header name');
    if (!header) throw layoutError(field, 'names a header column but the layout has no header; use a position');
    return value.trim();
  }
  throw layoutError(field, 'must be a header name or a 1-based position');
}

const sameColumn = (a: PaymentCsvColumnRef, b: PaymentCsvColumnRef): boolean =>
  typeof a === 'string' && typeof b === 'string' ? a.toLowerCase() === b.toLowerCase() : a === b;

function addressRefs(value: unknown, header: boolean): PaymentCsvColumnRef | PaymentCsvColumnRef[] {
  if (!Array.isArray(value)) return columnRef('columns.payerAddress', value, header);
  if (value.length === 0 || value.length > MAX_ADDRESS_COLUMNS) throw layoutError('columns.payerAddress', `must list 1 to ${MAX_ADDRESS_COLUMNS} columns`);
  // Array.from visits holes of a sparse array, which map would skip.
  return Array.from(value as unknown[], (v, i) => columnRef(`columns.payerAddress.${i}`, v, header));
}

function validateColumns(raw: unknown, header: boolean): PaymentCsvColumns {
  if (!isPlainObject(raw)) throw layoutError('columns', 'must be an object');
  for (const key of Object.keys(raw)) {
    if (!(ALL_FIELDS as readonly string[]).includes(key)) throw layoutError(`columns.${key}`, 'is not a known column');
  }
  const refs: Partial<Record<PaymentCsvField, PaymentCsvColumnRef | PaymentCsvColumnRef[]>> = {};
  const used: [field: string, ref: PaymentCsvColumnRef][] = [];
  for (const field of ALL_FIELDS) {
    if (raw[field] === undefined) continue;
    const ref = field === 'payerAddress' ? addressRefs(raw[field], header) : columnRef(`columns.${field}`, raw[field], header);
    for (const one of Array.isArray(ref) ? ref : [ref]) {
      const clash = used.find(([, other]) => sameColumn(other, one));
      if (clash) throw layoutError(`columns.${field}`, `uses the same column as columns.${clash[0]}`);
      used.push([field, one]);
    }
    refs[field] = ref;
  }
  const required = (field: (typeof REQUIRED_FIELDS)[number]): PaymentCsvColumnRef => {
    const ref = refs[field];
    if (ref === undefined || Array.isArray(ref)) throw layoutError(`columns.${field}`, 'is required');
    return ref;
  };
  return { ...(refs as Partial<PaymentCsvColumns>), accountRef: required('accountRef'), amount: required('amount'), paymentDate: required('paymentDate') };
}

function validateStatuses(raw: unknown, columns: PaymentCsvColumns): Record<string, PaymentFileStatus> {
  if (!isPlainObject(raw)) throw layoutError('statuses', 'must be an object of file status to settled, refunded or declined');
  if (columns.status === undefined) throw layoutError('statuses', 'needs columns.status');
  const seen = new Set<string>();
  for (const [value, status] of Object.entries(raw)) {
    if (!(FILE_STATUSES as readonly unknown[]).includes(status)) throw layoutError(`statuses.${value}`, `must be one of ${FILE_STATUSES.join(', ')}`);
    const key = value.trim().toUpperCase();
    if (seen.has(key)) throw layoutError(`statuses.${value}`, 'repeats a status (statuses match case-insensitively)');
    seen.add(key);
  }
  return { ...(raw as Record<string, PaymentFileStatus>) };
}

function validateControlTotal(raw: unknown, header: boolean): PaymentCsvControlTotal {
  if (!isPlainObject(raw)) throw layoutError('controlTotal', 'must be an object { row, amountColumn, countColumn? }');
  for (const key of Object.keys(raw)) {
    if (!['row', 'amountColumn', 'countColumn'].includes(key)) throw layoutError(`controlTotal.${key}`, 'is not a known field');
  }
  if (raw.row !== 'last') throw layoutError('controlTotal.row', 'must be "last"');
  const amountColumn = columnRef('controlTotal.amountColumn', raw.amountColumn, header);
  if (raw.countColumn === undefined) return { row: 'last', amountColumn };
  const countColumn = columnRef('controlTotal.countColumn', raw.countColumn, header);
  if (sameColumn(amountColumn, countColumn)) throw layoutError('controlTotal.countColumn', 'uses the same column as controlTotal.amountColumn');
  return { row: 'last', amountColumn, countColumn };
}

function checkScalars(raw: Record<string, unknown>): void {
  const { code, description, kind, delimiter, header, skipRows, skipTrailerRows, dateFormat, amountFormat } = raw;
  if (typeof code !== 'string' || code.trim() === '') throw layoutError('code', 'must be a non-empty string');
  if (description !== undefined && typeof description !== 'string') throw layoutError('description', 'must be a string');
  if (!KINDS.includes(kind as PaymentCsvKind)) throw layoutError('kind', `must be one of ${KINDS.join(', ')}`);
  if (!DELIMITERS.includes(delimiter as PaymentCsvDelimiter)) throw layoutError('delimiter', `must be one of ${DELIMITERS.map((d) => JSON.stringify(d)).join(' ')}`);
  if (typeof header !== 'boolean') throw layoutError('header', 'must be true or false');
  if (skipRows !== undefined && !isCount(skipRows)) throw layoutError('skipRows', 'must be a whole number of lines, 0 or more');
  if (skipTrailerRows !== undefined && !isCount(skipTrailerRows)) throw layoutError('skipTrailerRows', 'must be a whole number of lines, 0 or more');
  if (!DATE_FORMATS.includes(dateFormat as PaymentCsvDateFormat)) throw layoutError('dateFormat', `must be one of ${DATE_FORMATS.join(', ')}`);
  if (!AMOUNT_FORMATS.includes(amountFormat as PaymentCsvAmountFormat)) throw layoutError('amountFormat', `must be one of ${AMOUNT_FORMATS.join(', ')}`);
}

/** Checks a layout read from configuration; throws an Error naming the wrong field. */
export function validatePaymentCsvLayout(raw: unknown): PaymentCsvLayout {
  if (!isPlainObject(raw)) throw layoutError('', 'must be an object');
  for (const key of Object.keys(raw)) {
    if (!LAYOUT_KEYS.includes(key)) throw layoutError(key, 'is not a known field');
  }
  checkScalars(raw);
  const header = raw.header as boolean;
  const columns = validateColumns(raw.columns, header);
  const { code, description, skipRows, skipTrailerRows, statuses, controlTotal } = raw;
  return {
    code: code as string,
    ...(description === undefined ? {} : { description: description as string }),
    kind: raw.kind as PaymentCsvKind,
    delimiter: raw.delimiter as PaymentCsvDelimiter,
    header,
    ...(skipRows === undefined ? {} : { skipRows: skipRows as number }),
    ...(skipTrailerRows === undefined ? {} : { skipTrailerRows: skipTrailerRows as number }),
    columns,
    dateFormat: raw.dateFormat as PaymentCsvDateFormat,
    amountFormat: raw.amountFormat as PaymentCsvAmountFormat,
    ...(statuses === undefined ? {} : { statuses: validateStatuses(statuses, columns) }),
    ...(controlTotal === undefined ? {} : { controlTotal: validateControlTotal(controlTotal, header) }),
  };
}

// ---- rows: CSV text to fields with physical line numbers ---------------------------------------

interface Row {
  /** Physical line the row starts on, counted in the whole file. */
  line: number;
  fields: string[];
}

function fail(line: number | null, reason: string): never {
  throw new PaymentFileError(line, reason);
}

/** Index of the first non-blank line at or after `from`: where the next record starts. */
function nextRecordStart(lines: readonly string[], from: number): number {
  let i = from;
  while (i < lines.length && (lines[i] ?? '').trim() === '') i++;
  return i;
}

/** The lines the layout reads: banners and footers cut off, line ends normalised to LF. */
function bodyLines(text: string, skipRows: number, skipTrailerRows: number): string[] {
  const body = text.replace(/^\uFEFF/, '').replace(/\r\n?/g, '\n').split('\n').slice(skipRows);
  while (body.length > 0 && (body.at(-1) ?? '').trim() === '') body.pop();
  body.splice(Math.max(0, body.length - skipTrailerRows));
  return body;
}

/**
 * Splits the text into rows. Each row's line is where its record starts: the first non-blank
 * line after the previous record's end (csv-parse reports only where records end). Rows whose
 * every field is empty are dropped.
 */
function readRows(text: string, delimiter: PaymentCsvDelimiter, skipRows: number, skipTrailerRows: number): Row[] {
  const body = bodyLines(text, skipRows, skipTrailerRows);
  const recordEnds: number[] = []; // line (within body, 1-based) where each record ended
  let records: string[][];
  try {
    records = parse(body.join('\n'), {
      delimiter,
      trim: true,
      skip_empty_lines: true,
      relax_column_count: true,
      on_record: (fields: string[], context) => {
        recordEnds.push(context.lines);
        return fields;
      },
    });
  } catch (error) {
    if (!(error instanceof CsvError)) throw error;
    fail(skipRows + nextRecordStart(body, recordEnds.at(-1) ?? 0) + 1, csvErrorReason(error));
  }
  return records.flatMap((fields, i) => {
    if (fields.every((field) => field === '')) return [];
    return [{ line: skipRows + nextRecordStart(body, recordEnds[i - 1] ?? 0) + 1, fields }];
  });
}

function csvErrorReason(error: CsvError): string {
  switch (error.code) {
    case 'CSV_QUOTE_NOT_CLOSED':
      return 'quoted field is not closed';
    case 'CSV_INVALID_CLOSING_QUOTE':
    case 'INVALID_OPENING_QUOTE':
      return 'misplaced quote in a field';
    default:
      return error.message;
  }
}

// ---- columns: layout references to field indexes -------------------------------------------------

interface ColumnIndexes {
  fields: Partial<Record<SingleField, number>>;
  address: number[];
  controlAmount?: number;
  controlCount?: number;
}

/** Index of a column, or null when an optional one is absent; a missing required one rejects the file. */
function resolveRef(ref: PaymentCsvColumnRef, what: string, required: boolean, names: string[] | null, width: number, line: number): number | null {
  if (typeof ref === 'number') {
    if (ref <= width) return ref - 1;
    return required ? fail(line, `${what} is column ${ref} but the file has ${width} columns`) : null;
  }
  const name = ref.toLowerCase();
  const index = names?.indexOf(name) ?? -1;
  if (index >= 0 && names?.indexOf(name, index + 1) !== -1) fail(line, `header has column "${ref}" twice`);
  if (index >= 0) return index;
  return required ? fail(line, `header has no "${ref}" column (${what})`) : null;
}

function resolveColumns(layout: PaymentCsvLayout, header: Row | null, width: number, line: number): ColumnIndexes {
  const names = header ? header.fields.map((f) => f.toLowerCase()) : null;
  const resolve = (ref: PaymentCsvColumnRef, what: string, required: boolean): number | null => resolveRef(ref, what, required, names, width, line);
  const indexes: ColumnIndexes = { fields: {}, address: [] };
  for (const field of SINGLE_FIELDS) {
    const ref = layout.columns[field];
    const index = ref === undefined ? null : resolve(ref, field, (REQUIRED_FIELDS as readonly string[]).includes(field));
    if (index !== null) indexes.fields[field] = index;
  }
  const address = layout.columns.payerAddress;
  for (const ref of address === undefined ? [] : Array.isArray(address) ? address : [address]) {
    const index = resolve(ref, 'payerAddress', false);
    if (index !== null) indexes.address.push(index);
  }
  const control = layout.controlTotal;
  if (control) {
    // The totals row may be narrower or wider than the payments: positions are not held to the width.
    const controlIndex = (ref: PaymentCsvColumnRef, what: string): number => (typeof ref === 'number' ? ref - 1 : (resolve(ref, what, true) ?? -1));
    indexes.controlAmount = controlIndex(control.amountColumn, 'controlTotal.amountColumn');
    if (control.countColumn !== undefined) indexes.controlCount = controlIndex(control.countColumn, 'controlTotal.countColumn');
  }
  return indexes;
}

// ---- values -----------------------------------------------------------------------------------

const DATE_PATTERNS: Record<PaymentCsvDateFormat, RegExp> = {
  'YYYY-MM-DD': /^(?<y>\d{4})-(?<m>\d{2})-(?<d>\d{2})$/,
  'YYYYMMDD': /^(?<y>\d{4})(?<m>\d{2})(?<d>\d{2})$/,
  // Spreadsheets drop leading zeros of month and day; the format leaves no doubt which is which.
  'MM/DD/YYYY': /^(?<m>\d{1,2})\/(?<d>\d{1,2})\/(?<y>\d{4})$/,
  'DD.MM.YYYY': /^(?<d>\d{1,2})\.(?<m>\d{1,2})\.(?<y>\d{4})$/,
  'MM/DD/YY': /^(?<m>\d{1,2})\/(?<d>\d{1,2})\/(?<y>\d{2})$/,
};

function parseDate(value: string, format: PaymentCsvDateFormat): string | null {
  const groups = DATE_PATTERNS[format].exec(value)?.groups;
  if (!groups?.y || !groups.m || !groups.d) return null;
  const year = groups.y.length === 4 ? groups.y : `${Number(groups.y) < 70 ? '20' : '19'}${groups.y}`;
  const iso = `${year}-${groups.m.padStart(2, '0')}-${groups.d.padStart(2, '0')}`;
  return isDate(iso) ? iso : null;
}

/** Dollars: a sign before or after "$", thousands commas in threes, at most two decimals. */
const DECIMAL = /^(?<sign>[-+]?)\$?(?<sign2>[-+]?)(?<whole>\d{1,3}(?:,\d{3})+|\d*)(?:\.(?<fraction>\d{1,2}))?$/;
const CENTS = /^(?<sign>[-+]?)(?<whole>\d+)$/;
/** Up to $99,999,999,999.99: well inside exact integer arithmetic in a double. */
const MAX_WHOLE_DIGITS = { decimal: 11, cents: 13 } as const;

/** Exact cents of an amount as written, or null if it is not one. */
function parseCents(text: string, format: PaymentCsvAmountFormat): number | null {
  const bracketed = /^\((.*)\)$/.exec(text);
  const groups = (format === 'decimal' ? DECIMAL : CENTS).exec(bracketed ? (bracketed[1] ?? '').trim() : text)?.groups;
  if (!groups) return null;
  const { sign = '', sign2 = '', fraction } = groups;
  const whole = (groups.whole ?? '').replaceAll(',', '');
  if ((sign !== '' && sign2 !== '') || (bracketed && sign + sign2 !== '')) return null;
  if ((whole === '' && fraction === undefined) || whole.length > MAX_WHOLE_DIGITS[format]) return null;
  const cents = format === 'cents' ? Number(whole) : Number(whole || '0') * 100 + Number((fraction ?? '').padEnd(2, '0'));
  const negative = bracketed !== null || sign === '-' || sign2 === '-';
  return negative && cents !== 0 ? -cents : cents;
}

const OUR_STATUSES: Record<string, PaymentFileStatus> = { settled: 'settled', refunded: 'refunded', declined: 'declined' };

function lookupStatus(value: string, statuses: Record<string, PaymentFileStatus>): PaymentFileStatus | null {
  const code = value.toUpperCase();
  const match = Object.entries(statuses).find(([fileValue]) => fileValue.trim().toUpperCase() === code);
  return match ? match[1] : null;
}

// ---- rows to records --------------------------------------------------------------------------

/** A data row read through the layout's columns. */
class RowReader {
  constructor(
    readonly row: Row,
    readonly indexes: ColumnIndexes,
    readonly layout: PaymentCsvLayout,
  ) {}

  fail(reason: string): never {
    return fail(this.row.line, reason);
  }

  at(index: number | undefined): string | null {
    return index === undefined ? null : (this.row.fields[index] ?? '').trim();
  }

  value(field: SingleField): string | null {
    return this.at(this.indexes.fields[field]);
  }

  required(field: SingleField): string {
    return this.value(field) || this.fail(`${field} is missing`);
  }

  cents(field: 'amount' | 'fee', raw: string): number {
    const unit = this.layout.amountFormat === 'decimal' ? 'an amount of dollars and cents' : 'a whole number of cents';
    return parseCents(raw, this.layout.amountFormat) ?? this.fail(`${field} "${raw}" is not ${unit}`);
  }

  status(): PaymentFileStatus {
    const raw = this.value('status');
    if (raw === null) return 'settled';
    const status = lookupStatus(raw, this.layout.statuses ?? OUR_STATUSES);
    if (status) return status;
    return raw === '' ? this.fail('status is missing') : this.fail(`status "${raw}" is not a known status`);
  }

  /** Refunds are negative whether the file writes them so or marks them with a status. */
  amount(fileStatus: PaymentStatus): { status: PaymentStatus; amountCents: number } {
    const raw = this.required('amount');
    const cents = this.cents('amount', raw);
    if (cents === 0) this.fail(`amount "${raw}" is zero`);
    // Without a status column, the sign is how the file tells a refund.
    const status = this.indexes.fields.status === undefined && cents < 0 ? 'refunded' : fileStatus;
    if (status === 'refunded') return { status, amountCents: -Math.abs(cents) };
    if (cents < 0) this.fail(`amount "${raw}" is negative for a settled payment`);
    return { status, amountCents: cents };
  }

  payerAddress(): string | null {
    const parts = this.indexes.address.map((i) => this.at(i) ?? '').filter((part) => part !== '');
    return parts.length === 0 ? null : parts.join(', ');
  }
}

/** A settled row, or null for a declined one. */
function toRecord(reader: RowReader): PaymentCsvRecord | null {
  const fileStatus = reader.status();
  if (fileStatus === 'declined') return null;
  const accountRef = reader.required('accountRef');
  const { status, amountCents } = reader.amount(fileStatus);
  const rawDate = reader.required('paymentDate');
  const format = reader.layout.dateFormat;
  const paymentDate = parseDate(rawDate, format) ?? reader.fail(`paymentDate "${rawDate}" is not a valid ${format} date`);
  const rawFee = reader.value('fee') || null;
  return {
    line: reader.row.line,
    accountRef,
    amountCents,
    paymentDate,
    reference: reader.value('reference') || null,
    payerName: reader.value('payerName') || null,
    payerAddress: reader.payerAddress(),
    method: reader.value('method') || null,
    feeCents: rawFee === null ? null : reader.cents('fee', rawFee),
    status,
  };
}

function takeRecords(rows: Row[], width: number, indexes: ColumnIndexes, layout: PaymentCsvLayout): { records: PaymentCsvRecord[]; skipped: number } {
  const records: PaymentCsvRecord[] = [];
  // A refund may carry the reference of the payment it refunds; within one status it is unique.
  const referenceLines = new Map<string, number>();
  let skipped = 0;
  for (const row of rows) {
    if (row.fields.length !== width) fail(row.line, `expected ${width} columns, found ${row.fields.length}`);
    const record = toRecord(new RowReader(row, indexes, layout));
    if (!record) {
      skipped++;
      continue;
    }
    if (record.reference !== null) {
      const key = `${record.status}:${record.reference}`;
      const first = referenceLines.get(key);
      if (first !== undefined) fail(row.line, `reference "${record.reference}" repeats line ${first}`);
      referenceLines.set(key, row.line);
    }
    records.push(record);
  }
  return { records, skipped };
}

function checkControlTotal(row: Row, indexes: ColumnIndexes, layout: PaymentCsvLayout, records: PaymentCsvRecord[], totalCents: number): void {
  const at = (index: number | undefined): string => (index === undefined ? '' : (row.fields[index] ?? '').trim());
  const rawAmount = at(indexes.controlAmount);
  if (rawAmount === '') fail(row.line, 'control total row has no total amount');
  const controlCents = parseCents(rawAmount, layout.amountFormat) ?? fail(row.line, `control total "${rawAmount}" is not an amount`);
  if (controlCents !== totalCents) fail(row.line, `control total ${centsToDecimal(controlCents)} does not tie to the payments' total ${centsToDecimal(totalCents)}`);
  if (indexes.controlCount === undefined) return;
  const rawCount = at(indexes.controlCount);
  if (!/^\d{1,3}(?:,\d{3})*$|^\d+$/.test(rawCount)) fail(row.line, `control count "${rawCount}" is not a number`);
  const count = Number(rawCount.replaceAll(',', ''));
  if (count !== records.length) fail(row.line, `control count ${count} does not tie to the ${records.length} payments read`);
}

// ---- the parser -------------------------------------------------------------------------------

/** Parses a payment file with a layout; throws PaymentFileError on the first fault. */
export function parsePaymentCsv(text: string, layout: PaymentCsvLayout): PaymentCsvResult {
  const rows = readRows(text, layout.delimiter, layout.skipRows ?? 0, layout.skipTrailerRows ?? 0);
  const header = layout.header ? (rows.shift() ?? null) : null;
  const controlRow = layout.controlTotal ? (rows.pop() ?? fail(null, 'the file has no control total row')) : null;
  const shape = header ?? rows[0] ?? controlRow;
  if (!shape) return { records: [], totalCents: 0, skipped: 0 };
  const width = shape.fields.length;
  const indexes = resolveColumns(layout, header, width, shape.line);
  const { records, skipped } = takeRecords(rows, width, indexes, layout);
  const totalCents = records.reduce((sum, r) => sum + r.amountCents, 0);
  if (controlRow) checkControlTotal(controlRow, indexes, layout, records, totalCents);
  return { records, totalCents, skipped };
}
