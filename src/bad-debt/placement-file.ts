/**
 * The files the district exchanges with a collection agency (documented in
 * docs/collection-agency-files.md), pure: the placement file in the agency's column layout, the
 * recall file, and the agency's remittance file of what it collected (parsed to integer cents, a
 * file refused whole at its first fault with the line and the reason). CSV is RFC 4180 and
 * formula-safe (platform/csv.ts). No I/O.
 */
import { CsvError, parse } from 'csv-parse/sync';
import { csvText } from '../platform/csv.ts';
import { isDate } from '../platform/dates.ts';
import { centsToDecimal, decimalToCents } from '../platform/money.ts';

/** One account placed, as the placement file describes it. */
export interface PlacementRow {
  placementId: number;
  accountNumber: string;
  customerName: string;
  firstName: string | null;
  lastName: string | null;
  businessName: string | null;
  addressLine1: string;
  addressLine2: string | null;
  city: string;
  state: string;
  postalCode: string;
  phone: string | null;
  email: string | null;
  lastPaymentDate: string | null;
  finalBillDate: string;
  letterDate: string | null;
  balancePlacedCents: number;
  placementDate: string;
}

/**
 * The fields a placement file may carry, in no particular order; an agency's layout lists the
 * ones it wants in the order it wants them. Identity numbers (SSN or its last four, date of birth,
 * tax id) are never sent: the district does not give them to agencies.
 */
export const PLACEMENT_FIELDS: Record<string, { label: string; value(r: PlacementRow, vendorId: string): string }> = {
  vendor_id: { label: "The district's customer number at the agency", value: (_r, v) => v },
  placement_id: { label: 'Our placement number (quote it in remittances and recalls)', value: (r) => String(r.placementId) },
  account_number: { label: 'Account number (nine digits with the check digit)', value: (r) => r.accountNumber },
  customer_name: { label: 'Customer name as on the account', value: (r) => r.customerName },
  first_name: { label: "A person's first name", value: (r) => r.firstName ?? '' },
  last_name: { label: "A person's last name", value: (r) => r.lastName ?? '' },
  business_name: { label: "A business's name", value: (r) => r.businessName ?? '' },
  address_line1: { label: 'Mailing address, first line', value: (r) => r.addressLine1 },
  address_line2: { label: 'Mailing address, second line', value: (r) => r.addressLine2 ?? '' },
  city: { label: 'City', value: (r) => r.city },
  state: { label: 'State', value: (r) => r.state },
  postal_code: { label: 'ZIP code', value: (r) => r.postalCode },
  phone: { label: "The customer's primary phone", value: (r) => r.phone ?? '' },
  email: { label: "The customer's email", value: (r) => r.email ?? '' },
  last_payment_date: { label: 'Date of the last payment (YYYY-MM-DD; empty if none)', value: (r) => r.lastPaymentDate ?? '' },
  final_bill_date: { label: "The final bill's date", value: (r) => r.finalBillDate },
  letter_date: { label: "The pre-collection letter's date", value: (r) => r.letterDate ?? '' },
  balance_placed: { label: 'Balance placed, dollars and cents (125.40)', value: (r) => centsToDecimal(r.balancePlacedCents) },
  balance_placed_cents: { label: 'Balance placed in cents (12540)', value: (r) => String(r.balancePlacedCents) },
  placement_date: { label: 'Date of placement', value: (r) => r.placementDate },
};

export const DEFAULT_PLACEMENT_COLUMNS = ['placement_id', 'account_number', 'customer_name', 'address_line1', 'address_line2', 'city', 'state', 'postal_code', 'phone', 'last_payment_date', 'final_bill_date', 'balance_placed', 'placement_date'];

/** Names an agency might ask for that the district never sends. */
const NEVER_SENT = /ssn|social|tax_?id|tin$|birth|dob/i;

/** Why a layout cannot be used, or null when it can. */
export function layoutFault(columns: string[]): string | null {
  if (columns.length === 0) return 'needs at least one field';
  const secret = columns.filter((c) => NEVER_SENT.test(c));
  if (secret.length > 0) return `${secret.join(', ')}: identity numbers (SSN or its last four, date of birth, tax id) are never sent to a collection agency`;
  const unknown = columns.filter((c) => !(c in PLACEMENT_FIELDS));
  if (unknown.length > 0) return `unknown field(s) ${unknown.join(', ')}; the fields are ${Object.keys(PLACEMENT_FIELDS).join(', ')}`;
  const twice = columns.filter((c, i) => columns.indexOf(c) !== i);
  if (twice.length > 0) return `${[...new Set(twice)].join(', ')} listed twice`;
  return null;
}

/** The placement file: a header row (when the layout has one), then a row per placement. */
export function placementCsv(rows: PlacementRow[], layout: { columns: string[]; header: boolean }, vendorId: string): string {
  const fault = layoutFault(layout.columns);
  if (fault) throw new Error(`Invariant broken: placement layout ${fault}`);
  const lines: string[][] = layout.header ? [layout.columns] : [];
  for (const r of rows) lines.push(layout.columns.map((c) => PLACEMENT_FIELDS[c]!.value(r, vendorId)));
  return csvText(lines);
}

export interface RecallRow {
  placementId: number;
  accountNumber: string;
  customerName: string;
  placedOn: string;
  amountPlacedCents: number;
  recalledOn: string;
  reason: string;
  note: string | null;
}

export const RECALL_COLUMNS = ['vendor_id', 'placement_id', 'account_number', 'customer_name', 'placement_date', 'balance_placed', 'recall_date', 'recall_reason', 'note'];

/** The recall file: the accounts the agency must stop working, with why. */
export function recallCsv(rows: RecallRow[], vendorId: string): string {
  return csvText([RECALL_COLUMNS, ...rows.map((r) => [vendorId, String(r.placementId), r.accountNumber, r.customerName, r.placedOn, centsToDecimal(r.amountPlacedCents), r.recalledOn, r.reason, r.note ?? ''])]);
}

// ---- the agency's remittance file ----

export interface RemittanceRecord {
  /** 1-based line where the record starts. */
  line: number;
  accountNumber: string;
  grossCents: number;
  commissionCents: number;
  netCents: number;
  collectedOn: string;
  /** The agency's own reference for the payment, if the file gives one. */
  reference: string | null;
}

export class RemittanceFileError extends Error {
  constructor(readonly line: number | null, readonly reason: string) {
    super(line === null ? reason : `line ${line}: ${reason}`);
    this.name = 'RemittanceFileError';
  }
}

/** The columns of a remittance file; a header row names them in any order (case, spaces and dashes ignored). */
const REMITTANCE_COLUMNS: Record<string, keyof Omit<RemittanceRecord, 'line'>> = {
  account_number: 'accountNumber', account: 'accountNumber',
  gross: 'grossCents', gross_collected: 'grossCents', collected: 'grossCents',
  commission: 'commissionCents', fee: 'commissionCents',
  net: 'netCents', net_remitted: 'netCents', remitted: 'netCents',
  date: 'collectedOn', collected_on: 'collectedOn', payment_date: 'collectedOn', collection_date: 'collectedOn',
  reference: 'reference', payment_reference: 'reference',
};
const REQUIRED: (keyof Omit<RemittanceRecord, 'line'>)[] = ['accountNumber', 'grossCents', 'commissionCents', 'netCents', 'collectedOn'];

const headerKey = (h: string) => h.trim().toLowerCase().replace(/[\s-]+/g, '_');

function amountOf(raw: string, what: string, line: number): number {
  const cents = decimalToCents(raw.replace(/[$,]/g, '').trim());
  if (cents === null) throw new RemittanceFileError(line, `${what} "${raw}" is not an amount of dollars and cents`);
  return cents;
}

function dateOf(raw: string, line: number): string {
  const t = raw.trim();
  const us = /^(\d{1,2})\/(\d{1,2})\/(\d{4})$/.exec(t);
  const date = us ? `${us[3]}-${us[1]!.padStart(2, '0')}-${us[2]!.padStart(2, '0')}` : t;
  if (!isDate(date)) throw new RemittanceFileError(line, `date "${raw}" is not a date (YYYY-MM-DD or MM/DD/YYYY)`);
  return date;
}

/**
 * Reads a remittance file: a header row naming at least account_number, gross, commission, net
 * and date, then a record per collection. Refused whole at its first fault.
 */
export function parseRemittance(text: string): RemittanceRecord[] {
  const body = text.replace(/^\uFEFF/, '').replace(/\r\n?/g, '\n').split('\n');
  const ends: number[] = [];
  // A record starts on the first non-blank line after the previous record's end.
  const startOf = (from: number) => {
    let i = from;
    while (i < body.length && (body[i] ?? '').trim() === '') i++;
    return i + 1;
  };
  let records: string[][];
  try {
    records = parse(body.join('\n'), {
      trim: true, skip_empty_lines: true, relax_column_count: true,
      on_record: (fields: string[], context) => {
        ends.push(context.lines);
        return fields;
      },
    });
  } catch (error) {
    if (!(error instanceof CsvError)) throw error;
    throw new RemittanceFileError(startOf(ends.at(-1) ?? 0), error.code === 'CSV_QUOTE_NOT_CLOSED' ? 'quoted field is not closed' : 'misplaced quote in a field');
  }
  const rows = records.flatMap((record, i) => (record.every((f) => f === '') ? [] : [{ record, line: startOf(ends[i - 1] ?? 0) }]));
  if (rows.length === 0) throw new RemittanceFileError(null, 'the file is empty');
  const header = rows[0]!.record.map(headerKey);
  const at = new Map<keyof Omit<RemittanceRecord, 'line'>, number>();
  header.forEach((h, i) => {
    const field = REMITTANCE_COLUMNS[h];
    if (field && !at.has(field)) at.set(field, i);
  });
  const missing = REQUIRED.filter((f) => !at.has(f));
  if (missing.length > 0) {
    const names: Record<string, string> = { accountNumber: 'account_number', grossCents: 'gross', commissionCents: 'commission', netCents: 'net', collectedOn: 'date' };
    throw new RemittanceFileError(rows[0]!.line, `the header row has no ${missing.map((m) => names[m]).join(', ')} column (the header must name account_number, gross, commission, net and date)`);
  }
  const out: RemittanceRecord[] = [];
  for (const { record, line } of rows.slice(1)) {
    const cell = (f: keyof Omit<RemittanceRecord, 'line'>) => record[at.get(f)!] ?? '';
    const accountNumber = cell('accountNumber').replace(/[\s-]/g, '');
    if (!/^\d{6,12}$/.test(accountNumber)) throw new RemittanceFileError(line, `account number "${cell('accountNumber')}" is not an account number`);
    const rec: RemittanceRecord = {
      line, accountNumber,
      grossCents: amountOf(cell('grossCents'), 'gross', line),
      commissionCents: amountOf(cell('commissionCents'), 'commission', line),
      netCents: amountOf(cell('netCents'), 'net', line),
      collectedOn: dateOf(cell('collectedOn'), line),
      reference: at.has('reference') ? cell('reference') || null : null,
    };
    if (rec.grossCents <= 0) throw new RemittanceFileError(line, 'the gross collected must be more than zero');
    if (rec.commissionCents + rec.netCents !== rec.grossCents) throw new RemittanceFileError(line, `commission ${centsToDecimal(rec.commissionCents)} and net ${centsToDecimal(rec.netCents)} do not add up to the gross ${centsToDecimal(rec.grossCents)}`);
    out.push(rec);
  }
  if (out.length === 0) throw new RemittanceFileError(null, 'the file has a header row and no records');
  return out;
}
