/**
 * Meter-read CSV files from handhelds and AMR head-ends: the column layout is configuration
 * (`ReadCsvLayout`, stored as JSON), the parser is a pure function from text to records. A file
 * is rejected whole on its first malformed record, with the physical line number (a record with
 * quoted newlines is reported at the line it starts on). No I/O.
 */
import { CsvError, parse } from 'csv-parse/sync';
import { isDate } from '../platform/dates.ts';

export type ReadCsvDelimiter = ',' | ';' | '\t' | '|';
export type ReadCsvDateFormat = 'YYYY-MM-DD' | 'MM/DD/YYYY' | 'YYYYMMDD' | 'DD.MM.YYYY';
export type ReadType = 'actual' | 'customer' | 'estimated';
/** A header name (matched case-insensitively after trim) or a 1-based position. */
export type ReadCsvColumnRef = string | number;

export interface ReadCsvColumns {
  meterSerial: ReadCsvColumnRef;
  readDate: ReadCsvColumnRef;
  reading: ReadCsvColumnRef;
  readTime?: ReadCsvColumnRef;
  readType?: ReadCsvColumnRef;
  rollover?: ReadCsvColumnRef;
  note?: ReadCsvColumnRef;
}
export type ReadCsvField = keyof ReadCsvColumns;

export interface ReadCsvLayout {
  code: string;
  description?: string;
  delimiter: ReadCsvDelimiter;
  /** The first (non-skipped) line is a header row. */
  header: boolean;
  /** Lines to skip before the header or data (banners). */
  skipRows?: number;
  columns: ReadCsvColumns;
  dateFormat: ReadCsvDateFormat;
  /** The file's read-type codes to ours. Without it the file must use our codes. */
  readTypes?: Record<string, ReadType>;
}

export interface ReadCsvRecord {
  /** 1-based physical line in the file where the record starts. */
  line: number;
  /** Trimmed, upper-cased. */
  meterSerial: string;
  /** YYYY-MM-DD. */
  readDate: string;
  /** HH:mm. */
  readTime: string | null;
  /** Exact decimal as written, without a leading '+' or thousands separators. */
  reading: string;
  readType: ReadType;
  rollover: boolean;
  note: string | null;
}

export class ReadFileError extends Error {
  constructor(
    readonly line: number | null,
    readonly reason: string,
  ) {
    super(line === null ? reason : `line ${line}: ${reason}`);
    this.name = 'ReadFileError';
  }
}

const DELIMITERS: readonly ReadCsvDelimiter[] = [',', ';', '\t', '|'];
const DATE_FORMATS: readonly ReadCsvDateFormat[] = ['YYYY-MM-DD', 'MM/DD/YYYY', 'YYYYMMDD', 'DD.MM.YYYY'];
const READ_TYPES: readonly ReadType[] = ['actual', 'customer', 'estimated'];
const REQUIRED_FIELDS: readonly ReadCsvField[] = ['meterSerial', 'readDate', 'reading'];
const OPTIONAL_FIELDS: readonly ReadCsvField[] = ['readTime', 'readType', 'rollover', 'note'];
const ALL_FIELDS: readonly ReadCsvField[] = [...REQUIRED_FIELDS, ...OPTIONAL_FIELDS];
const LAYOUT_KEYS = ['code', 'description', 'delimiter', 'header', 'skipRows', 'columns', 'dateFormat', 'readTypes'];

export const standardReadCsvLayout: ReadCsvLayout = Object.freeze({
  code: 'standard',
  description: 'Ratepayer standard read file: meter_serial,read_date,reading[,read_time,read_type,rollover,note]',
  delimiter: ',',
  header: true,
  columns: Object.freeze({
    meterSerial: 'meter_serial',
    readDate: 'read_date',
    reading: 'reading',
    readTime: 'read_time',
    readType: 'read_type',
    rollover: 'rollover',
    note: 'note',
  }),
  dateFormat: 'YYYY-MM-DD',
});

// ---- layout validation ------------------------------------------------------------------------

const isPlainObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

function layoutError(field: string, message: string): Error {
  return new Error(`read CSV layout ${field === '' ? '' : `${field} `}${message}`);
}

function columnRef(field: ReadCsvField, value: unknown, header: boolean): ReadCsvColumnRef {
  if (typeof value === 'number') {
    if (!Number.isInteger(value) || value < 1) throw layoutError(`columns.${field}`, 'must be a 1-based column position');
    return value;
  }
  if (typeof value === 'string') {
    if (value.trim() === '') throw layoutError(`columns.${field}`, 'must not be an empty header name');
    if (!header) throw layoutError(`columns.${field}`, 'names a header column but the layout has no header; use a position');
    return value.trim();
  }
  throw layoutError(`columns.${field}`, 'must be a header name or a 1-based position');
}

function validateColumns(raw: unknown, header: boolean): ReadCsvColumns {
  if (!isPlainObject(raw)) throw layoutError('columns', 'must be an object');
  for (const key of Object.keys(raw)) {
    if (!(ALL_FIELDS as readonly string[]).includes(key)) throw layoutError(`columns.${key}`, 'is not a known column');
  }
  const refs: Partial<ReadCsvColumns> = {};
  for (const field of ALL_FIELDS) {
    if (raw[field] === undefined) continue;
    const ref = columnRef(field, raw[field], header);
    const clash = ALL_FIELDS.find((other) => refs[other] !== undefined && sameColumn(refs[other], ref));
    if (clash) throw layoutError(`columns.${field}`, `uses the same column as columns.${clash}`);
    refs[field] = ref;
  }
  const required = (field: ReadCsvField): ReadCsvColumnRef => {
    const ref = refs[field];
    if (ref === undefined) throw layoutError(`columns.${field}`, 'is required');
    return ref;
  };
  return { ...refs, meterSerial: required('meterSerial'), readDate: required('readDate'), reading: required('reading') };
}

const sameColumn = (a: ReadCsvColumnRef, b: ReadCsvColumnRef): boolean =>
  typeof a === 'string' && typeof b === 'string' ? a.toLowerCase() === b.toLowerCase() : a === b;

function validateReadTypes(raw: unknown): Record<string, ReadType> {
  if (!isPlainObject(raw)) throw layoutError('readTypes', 'must be an object of file code to read type');
  const seen = new Set<string>();
  for (const [code, type] of Object.entries(raw)) {
    if (!(READ_TYPES as readonly unknown[]).includes(type)) throw layoutError(`readTypes.${code}`, `must be one of ${READ_TYPES.join(', ')}`);
    const key = code.trim().toUpperCase();
    if (seen.has(key)) throw layoutError(`readTypes.${code}`, 'repeats a code (codes match case-insensitively)');
    seen.add(key);
  }
  return { ...(raw as Record<string, ReadType>) };
}

/** Checks a layout read from configuration; throws an Error naming the wrong field. */
export function validateReadCsvLayout(raw: unknown): ReadCsvLayout {
  if (!isPlainObject(raw)) throw layoutError('', 'must be an object');
  for (const key of Object.keys(raw)) {
    if (!LAYOUT_KEYS.includes(key)) throw layoutError(key, 'is not a known field');
  }
  const { code, description, delimiter, header, skipRows, columns, dateFormat, readTypes } = raw;
  if (typeof code !== 'string' || code.trim() === '') throw layoutError('code', 'must be a non-empty string');
  if (description !== undefined && typeof description !== 'string') throw layoutError('description', 'must be a string');
  if (!DELIMITERS.includes(delimiter as ReadCsvDelimiter)) throw layoutError('delimiter', `must be one of ${DELIMITERS.map((d) => JSON.stringify(d)).join(' ')}`);
  if (typeof header !== 'boolean') throw layoutError('header', 'must be true or false');
  if (skipRows !== undefined && !(typeof skipRows === 'number' && Number.isInteger(skipRows) && skipRows >= 0)) {
    throw layoutError('skipRows', 'must be a whole number of lines, 0 or more');
  }
  if (!DATE_FORMATS.includes(dateFormat as ReadCsvDateFormat)) throw layoutError('dateFormat', `must be one of ${DATE_FORMATS.join(', ')}`);
  return {
    code,
    ...(description === undefined ? {} : { description }),
    delimiter: delimiter as ReadCsvDelimiter,
    header,
    ...(skipRows === undefined ? {} : { skipRows }),
    columns: validateColumns(columns, header),
    dateFormat: dateFormat as ReadCsvDateFormat,
    ...(readTypes === undefined ? {} : { readTypes: validateReadTypes(readTypes) }),
  };
}

// ---- rows: CSV text to fields with physical line numbers ---------------------------------------

interface Row {
  /** Physical line the row starts on, counted in the whole file. */
  line: number;
  fields: string[];
}

const countLineBreaks = (s: string): number => s.split('\n').length - 1;

/**
 * Splits the text into rows. Line ends are normalised to LF first: csv-parse miscounts lines
 * when a quoted field holds a CRLF. Blank lines and rows whose every field is empty are dropped.
 */
function readRows(text: string, delimiter: ReadCsvDelimiter, skipRows: number): Row[] {
  const lines = text.replace(/^\uFEFF/, '').replace(/\r\n?/g, '\n').split('\n');
  const body = lines.slice(skipRows);
  const recordEnds: number[] = []; // line (within body) where each record ended
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
    // The broken record starts at the first non-blank line after the last good one.
    const lastEnd = recordEnds.at(-1) ?? 0;
    const offset = body.slice(lastEnd).findIndex((l) => l.trim() !== '');
    throw new ReadFileError(skipRows + lastEnd + Math.max(offset, 0) + 1, csvErrorReason(error));
  }
  return records.flatMap((fields, i) => {
    if (fields.every((f) => f.trim() === '')) return [];
    const end = recordEnds[i] ?? 0;
    return [{ line: skipRows + end - countLineBreaks(fields.join('')), fields }];
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

type ColumnIndexes = Partial<Record<ReadCsvField, number>>;

function resolveColumns(columns: ReadCsvColumns, header: Row | null, width: number, firstLine: number): ColumnIndexes {
  const names = header?.fields.map((f) => f.trim().toLowerCase()) ?? [];
  const indexes: ColumnIndexes = {};
  for (const field of ALL_FIELDS) {
    const ref = columns[field];
    if (ref === undefined) continue;
    const required = REQUIRED_FIELDS.includes(field);
    if (typeof ref === 'number') {
      if (ref <= width) indexes[field] = ref - 1;
      else if (required) throw new ReadFileError(firstLine, `${field} is column ${ref} but the file has ${width} columns`);
      continue;
    }
    const name = ref.trim().toLowerCase();
    const index = names.indexOf(name);
    if (index >= 0 && names.indexOf(name, index + 1) >= 0) throw new ReadFileError(firstLine, `header has column "${ref}" twice`);
    if (index >= 0) indexes[field] = index;
    else if (required) throw new ReadFileError(firstLine, `header has no "${ref}" column (${field})`);
  }
  return indexes;
}

// ---- values -----------------------------------------------------------------------------------

const DATE_PATTERNS: Record<ReadCsvDateFormat, RegExp> = {
  'YYYY-MM-DD': /^(?<y>\d{4})-(?<m>\d{2})-(?<d>\d{2})$/,
  'YYYYMMDD': /^(?<y>\d{4})(?<m>\d{2})(?<d>\d{2})$/,
  // Spreadsheets drop leading zeros of month and day; the format leaves no doubt which is which.
  'MM/DD/YYYY': /^(?<m>\d{1,2})\/(?<d>\d{1,2})\/(?<y>\d{4})$/,
  'DD.MM.YYYY': /^(?<d>\d{1,2})\.(?<m>\d{1,2})\.(?<y>\d{4})$/,
};

function parseDate(value: string, format: ReadCsvDateFormat): string | null {
  const groups = DATE_PATTERNS[format].exec(value)?.groups;
  if (!groups) return null;
  const iso = `${groups.y}-${(groups.m ?? '').padStart(2, '0')}-${(groups.d ?? '').padStart(2, '0')}`;
  return isDate(iso) ? iso : null;
}

const TIME = /^(?<h>[01]\d|2[0-3]):(?<m>[0-5]\d)(?::[0-5]\d)?$/;

function parseTime(value: string): string | null {
  const groups = TIME.exec(value)?.groups;
  return groups ? `${groups.h}:${groups.m}` : null;
}

const PLAIN_DECIMAL = /^\+?\d+(?:\.\d+)?$/;
const GROUPED_DECIMAL = /^\+?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?$/;

/** A non-negative decimal as written; thousands commas only when ',' is not the delimiter. */
function parseReading(value: string, delimiter: ReadCsvDelimiter): string | null {
  const pattern = delimiter === ',' ? PLAIN_DECIMAL : GROUPED_DECIMAL;
  return pattern.test(value) ? value.replace(/^\+/, '').replaceAll(',', '') : null;
}

const ROLLOVER = new Map<string, boolean>([
  ...['y', 'yes', 'true', '1'].map((v) => [v, true] as const),
  ...['n', 'no', 'false', '0', ''].map((v) => [v, false] as const),
]);

const OUR_READ_TYPES: Record<string, ReadType> = { actual: 'actual', customer: 'customer', estimated: 'estimated' };

function parseReadType(value: string, readTypes: Record<string, ReadType>): ReadType | null {
  const code = value.toUpperCase();
  const match = Object.entries(readTypes).find(([fileCode]) => fileCode.trim().toUpperCase() === code);
  if (match) return match[1];
  return value === '' ? 'actual' : null;
}

function toRecord(row: Row, indexes: ColumnIndexes, layout: ReadCsvLayout): ReadCsvRecord {
  const fail = (reason: string): never => {
    throw new ReadFileError(row.line, reason);
  };
  const value = (field: ReadCsvField): string | null => {
    const index = indexes[field];
    return index === undefined ? null : (row.fields[index] ?? '').trim();
  };
  const required = (field: ReadCsvField): string => value(field) || fail(`${field} is missing`);

  const meterSerial = required('meterSerial').toUpperCase();
  const rawDate = required('readDate');
  const readDate = parseDate(rawDate, layout.dateFormat) ?? fail(`readDate "${rawDate}" is not a valid ${layout.dateFormat} date`);
  const rawReading = required('reading');
  const reading = parseReading(rawReading, layout.delimiter) ?? fail(`reading "${rawReading}" is not a non-negative decimal`);
  const rawTime = value('readTime') ?? '';
  const readTime = rawTime === '' ? null : (parseTime(rawTime) ?? fail(`readTime "${rawTime}" is not HH:mm or HH:mm:ss`));
  const rawType = value('readType');
  const readType = rawType === null ? 'actual' : (parseReadType(rawType, layout.readTypes ?? OUR_READ_TYPES) ?? fail(`readType "${rawType}" is not a known read type code`));
  const rawRollover = value('rollover') ?? '';
  const rollover = ROLLOVER.get(rawRollover.toLowerCase()) ?? fail(`rollover "${rawRollover}" is not yes/no, y/n, true/false, 1/0 or empty`);
  const note = value('note') || null;
  return { line: row.line, meterSerial, readDate, readTime, reading, readType, rollover, note };
}

// ---- the parser -------------------------------------------------------------------------------

/** Parses a read file with a layout; throws ReadFileError on the first malformed record. */
export function parseReadCsv(text: string, layout: ReadCsvLayout): ReadCsvRecord[] {
  const rows = readRows(text, layout.delimiter, layout.skipRows ?? 0);
  const header = layout.header ? (rows[0] ?? null) : null;
  const dataRows = layout.header ? rows.slice(1) : rows;
  const shape = header ?? dataRows[0];
  if (!shape) return [];
  const width = shape.fields.length;
  const indexes = resolveColumns(layout.columns, header, width, shape.line);
  return dataRows.map((row) => {
    if (row.fields.length !== width) throw new ReadFileError(row.line, `expected ${width} columns, found ${row.fields.length}`);
    return toRecord(row, indexes, layout);
  });
}
