/**
 * Agency payment files: the CSV an energy-assistance agency sends with (or instead of) its check,
 * one row per customer it pays for. The column layout is configuration (`AgencyFileLayout`, kept
 * per agency as JSON); without one the documented default applies:
 *
 *   Agency Code,Pledge Number,Account Number,Customer Name,Amount,Payment Date[,Check Number]
 *   CDCAC,LI-2026-0042,100000017,Ada Lovelace,150.00,2026-11-20,88123
 *
 * (a header row; dates YYYY-MM-DD or MM/DD/YYYY; amounts in dollars, "$1,234.50" allowed; a row
 * names an account number, a pledge number, or both). The parser is a pure function from text to
 * records in integer cents. A file is refused whole at its first fault, naming the line (where the
 * record starts) and the reason. No I/O.
 */
import { CsvError, parse } from 'csv-parse/sync';
import { isDate } from '../platform/dates.ts';
import { decimalToCents } from '../platform/money.ts';

export type ColumnRef = string | number;
export type AgencyFileDelimiter = ',' | ';' | '\t' | '|';
/** 'auto': YYYY-MM-DD or MM/DD/YYYY, which cannot be taken for each other. */
export type AgencyFileDateFormat = 'auto' | 'YYYY-MM-DD' | 'MM/DD/YYYY' | 'YYYYMMDD';
export type AgencyFileAmountFormat = 'decimal' | 'cents';

export interface AgencyFileColumns {
  /** The agency's code in our books; without it, the agency the file is imported for. */
  agencyCode?: ColumnRef;
  /** The agency's pledge (authorisation) number. */
  pledgeRef?: ColumnRef;
  accountNumber?: ColumnRef;
  customerName?: ColumnRef;
  amount: ColumnRef;
  paymentDate: ColumnRef;
  checkNumber?: ColumnRef;
}
export type AgencyFileField = keyof AgencyFileColumns;

export interface AgencyFileLayout {
  code: string;
  description?: string;
  delimiter: AgencyFileDelimiter;
  /** The first (non-skipped) line names the columns. */
  header: boolean;
  /** Banner lines before the header or data. */
  skipRows?: number;
  columns: AgencyFileColumns;
  dateFormat: AgencyFileDateFormat;
  amountFormat: AgencyFileAmountFormat;
}

export interface AgencyFileRecord {
  /** 1-based line of the file where the record starts. */
  line: number;
  agencyCode: string | null;
  pledgeRef: string | null;
  /** As written, trimmed; not checked against our accounts here. */
  accountRef: string | null;
  customerName: string | null;
  amountCents: number;
  paymentDate: string;
  checkNumber: string | null;
}

export class AgencyFileError extends Error {
  constructor(
    /** 1-based line, or null for a fault of the file as a whole. */
    readonly line: number | null,
    readonly reason: string,
  ) {
    super(line === null ? reason : `line ${line}: ${reason}`);
    this.name = 'AgencyFileError';
  }
}

export const defaultAgencyFileLayout: AgencyFileLayout = Object.freeze({
  code: 'default',
  description: 'Agency Code,Pledge Number,Account Number,Customer Name,Amount,Payment Date[,Check Number]; header row; dates YYYY-MM-DD or MM/DD/YYYY; amounts in dollars',
  delimiter: ',',
  header: true,
  columns: Object.freeze({ agencyCode: 'Agency Code', pledgeRef: 'Pledge Number', accountNumber: 'Account Number', customerName: 'Customer Name', amount: 'Amount', paymentDate: 'Payment Date', checkNumber: 'Check Number' }),
  dateFormat: 'auto',
  amountFormat: 'decimal',
}) as AgencyFileLayout;

const FIELDS: readonly AgencyFileField[] = ['agencyCode', 'pledgeRef', 'accountNumber', 'customerName', 'amount', 'paymentDate', 'checkNumber'];
const REQUIRED: readonly AgencyFileField[] = ['amount', 'paymentDate'];
/** Columns the default layout reads only when the file has them. */
const OPTIONAL_IN_FILE: readonly AgencyFileField[] = ['agencyCode', 'pledgeRef', 'accountNumber', 'customerName', 'checkNumber'];
const LAYOUT_KEYS = ['code', 'description', 'delimiter', 'header', 'skipRows', 'columns', 'dateFormat', 'amountFormat'];
const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const layoutError = (field: string, message: string) => new Error(`agency file layout ${field} ${message}`);

/** Checks a layout read from configuration; throws an Error naming the wrong field. */
export function validateAgencyFileLayout(raw: unknown): AgencyFileLayout {
  if (!isObject(raw)) throw layoutError('', 'must be an object');
  for (const key of Object.keys(raw)) if (!LAYOUT_KEYS.includes(key)) throw layoutError(key, 'is not a known field');
  if (typeof raw.code !== 'string' || raw.code.trim() === '') throw layoutError('code', 'must be a non-empty string');
  if (raw.description !== undefined && typeof raw.description !== 'string') throw layoutError('description', 'must be a string');
  if (![',', ';', '\t', '|'].includes(raw.delimiter as string)) throw layoutError('delimiter', 'must be one of "," ";" "\\t" "|"');
  if (typeof raw.header !== 'boolean') throw layoutError('header', 'must be true or false');
  if (raw.skipRows !== undefined && !(Number.isInteger(raw.skipRows) && (raw.skipRows as number) >= 0)) throw layoutError('skipRows', 'must be a whole number of lines, 0 or more');
  if (!['auto', 'YYYY-MM-DD', 'MM/DD/YYYY', 'YYYYMMDD'].includes(raw.dateFormat as string)) throw layoutError('dateFormat', 'must be one of auto, YYYY-MM-DD, MM/DD/YYYY, YYYYMMDD');
  if (!['decimal', 'cents'].includes(raw.amountFormat as string)) throw layoutError('amountFormat', 'must be decimal or cents');
  if (!isObject(raw.columns)) throw layoutError('columns', 'must be an object');
  const columns: Partial<AgencyFileColumns> = {};
  const seen: string[] = [];
  for (const [key, ref] of Object.entries(raw.columns)) {
    if (!(FIELDS as readonly string[]).includes(key)) throw layoutError(`columns.${key}`, 'is not a known column');
    if (typeof ref === 'number') {
      if (!Number.isInteger(ref) || ref < 1) throw layoutError(`columns.${key}`, 'must be a 1-based column position');
    } else if (typeof ref === 'string') {
      if (ref.trim() === '') throw layoutError(`columns.${key}`, 'must not be an empty header name');
      if (!raw.header) throw layoutError(`columns.${key}`, 'names a header column but the layout has no header; use a position');
    } else throw layoutError(`columns.${key}`, 'must be a header name or a 1-based position');
    const id = typeof ref === 'string' ? ref.trim().toLowerCase() : `#${ref}`;
    if (seen.includes(id)) throw layoutError(`columns.${key}`, 'uses a column another field uses');
    seen.push(id);
    columns[key as AgencyFileField] = typeof ref === 'string' ? ref.trim() : ref;
  }
  for (const f of REQUIRED) if (columns[f] === undefined) throw layoutError(`columns.${f}`, 'is required');
  if (columns.accountNumber === undefined && columns.pledgeRef === undefined) throw layoutError('columns.accountNumber', 'or columns.pledgeRef is required');
  return {
    code: raw.code, ...(raw.description === undefined ? {} : { description: raw.description as string }), delimiter: raw.delimiter as AgencyFileDelimiter, header: raw.header,
    ...(raw.skipRows === undefined ? {} : { skipRows: raw.skipRows as number }), columns: columns as AgencyFileColumns,
    dateFormat: raw.dateFormat as AgencyFileDateFormat, amountFormat: raw.amountFormat as AgencyFileAmountFormat,
  };
}

function parseDate(text: string, format: AgencyFileDateFormat): string | null {
  const iso = /^(\d{4})-(\d{2})-(\d{2})$/.exec(text);
  const us = /^(\d{1,2})\/(\d{1,2})\/(\d{4})$/.exec(text);
  const compact = /^(\d{4})(\d{2})(\d{2})$/.exec(text);
  let out: string | null = null;
  if ((format === 'auto' || format === 'YYYY-MM-DD') && iso) out = `${iso[1]}-${iso[2]}-${iso[3]}`;
  else if ((format === 'auto' || format === 'MM/DD/YYYY') && us) out = `${us[3]}-${us[1]!.padStart(2, '0')}-${us[2]!.padStart(2, '0')}`;
  else if (format === 'YYYYMMDD' && compact) out = `${compact[1]}-${compact[2]}-${compact[3]}`;
  return out && isDate(out) ? out : null;
}

/** Exact cents of an amount as written ("150", "150.5", "$1,234.50"; or whole cents), or null. */
function parseAmount(text: string, format: AgencyFileAmountFormat): number | null {
  if (format === 'cents') return /^\d{1,13}$/.test(text) ? Number(text) : null;
  const plain = text.replace(/^\$/, '');
  if (!/^(\d{1,3}(,\d{3})+|\d+)(\.\d{1,2})?$/.test(plain)) return null;
  return decimalToCents(plain.replaceAll(',', ''));
}

/** Lines of the body (banners cut off, line ends normalised) and the csv-parse records with their start lines. */
function readRows(text: string, layout: AgencyFileLayout): { line: number; fields: string[] }[] {
  const skip = layout.skipRows ?? 0;
  const body = text.replace(/^\uFEFF/, '').replace(/\r\n?/g, '\n').split('\n').slice(skip);
  const ends: number[] = [];
  const startOf = (from: number) => {
    let i = from;
    while (i < body.length && (body[i] ?? '').trim() === '') i++;
    return skip + i + 1;
  };
  let records: string[][];
  try {
    records = parse(body.join('\n'), {
      delimiter: layout.delimiter, trim: true, skip_empty_lines: true, relax_column_count: true,
      on_record: (fields: string[], context) => {
        ends.push(context.lines);
        return fields;
      },
    });
  } catch (error) {
    if (!(error instanceof CsvError)) throw error;
    throw new AgencyFileError(startOf(ends.at(-1) ?? 0), error.code === 'CSV_QUOTE_NOT_CLOSED' ? 'quoted field is not closed' : 'misplaced quote in a field');
  }
  return records.flatMap((fields, i) => (fields.every((f) => f === '') ? [] : [{ line: startOf(ends[i - 1] ?? 0), fields }]));
}

/**
 * Reads an agency payment file through a layout. Refuses the whole file (AgencyFileError) at the
 * first fault: a missing column, a row of the wrong width, a bad amount or date, a row that names
 * neither an account nor a pledge, or a file with no payments at all.
 */
export function parseAgencyFile(text: string, layout: AgencyFileLayout = defaultAgencyFileLayout): { records: AgencyFileRecord[]; totalCents: number } {
  const rows = readRows(text, layout);
  const header = layout.header ? rows.shift() : undefined;
  if (layout.header && !header) throw new AgencyFileError(null, 'the file is empty: no header row');
  const width = header?.fields.length ?? rows[0]?.fields.length ?? 0;
  const names = header?.fields.map((f) => f.toLowerCase()) ?? null;
  const index: Partial<Record<AgencyFileField, number>> = {};
  for (const field of FIELDS) {
    const ref = layout.columns[field];
    if (ref === undefined) continue;
    const i = typeof ref === 'number' ? (ref <= width ? ref - 1 : -1) : (names?.indexOf(ref.toLowerCase()) ?? -1);
    if (i >= 0) index[field] = i;
    // The default layout's optional columns may be left out of a file; a layout's own may not.
    else if (REQUIRED.includes(field) || layout !== defaultAgencyFileLayout || !OPTIONAL_IN_FILE.includes(field)) {
      throw new AgencyFileError(header?.line ?? rows[0]?.line ?? 1, typeof ref === 'number' ? `${field} is column ${ref} but the file has ${width} columns` : `the header has no "${ref}" column (${field})`);
    }
  }
  if (index.accountNumber === undefined && index.pledgeRef === undefined) throw new AgencyFileError(header?.line ?? 1, 'the file has neither an account number nor a pledge number column');
  if (rows.length === 0) throw new AgencyFileError(null, 'the file holds no payments');
  const records: AgencyFileRecord[] = [];
  for (const row of rows) {
    const fail = (reason: string): never => {
      throw new AgencyFileError(row.line, reason);
    };
    if (row.fields.length !== width) fail(`expected ${width} columns, found ${row.fields.length}`);
    const at = (f: AgencyFileField) => (index[f] === undefined ? null : (row.fields[index[f]!] ?? '').trim() || null);
    const rawAmount = at('amount') ?? fail('amount is missing');
    const amountCents = parseAmount(rawAmount, layout.amountFormat);
    if (amountCents === null) fail(`amount "${rawAmount}" is not ${layout.amountFormat === 'cents' ? 'a whole number of cents' : 'an amount of dollars and cents'}`);
    if (amountCents === 0) fail(`amount "${rawAmount}" is zero`);
    const rawDate = at('paymentDate') ?? fail('payment date is missing');
    const paymentDate = parseDate(rawDate, layout.dateFormat) ?? fail(`payment date "${rawDate}" is not a date (${layout.dateFormat === 'auto' ? 'YYYY-MM-DD or MM/DD/YYYY' : layout.dateFormat})`);
    const accountRef = at('accountNumber');
    const pledgeRef = at('pledgeRef');
    if (accountRef === null && pledgeRef === null) fail('names neither an account number nor a pledge number');
    records.push({ line: row.line, agencyCode: at('agencyCode'), pledgeRef, accountRef, customerName: at('customerName'), amountCents: amountCents!, paymentDate, checkNumber: at('checkNumber') });
  }
  return { records, totalCents: records.reduce((a, r) => a + r.amountCents, 0) };
}
