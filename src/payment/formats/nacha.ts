/**
 * NACHA ACH files: a strict parser for what banks send (returns, notifications of change, our own
 * debit files read back) and a generator for the one-batch PPD debit file that collects autopay.
 *
 * A file is 94-character records: 1 file header, then batches (5 batch header, 6 entries each
 * followed by its 7 addenda, 8 batch control), then 9 file control, then optional block fill
 * (records of all '9's). The parser refuses the whole file at the first fault, naming the record
 * (1-based line number): a bank file that does not add up must not be half-posted.
 *
 * Positions in comments and messages are the 1-based, inclusive ones of the NACHA record layouts.
 */
import { PaymentFileError } from './file-error.ts';
import { isValidRoutingNumber, routingCheckDigit } from './routing.ts';

export const NACHA_RECORD_LENGTH = 94;
const BLOCKING_FACTOR = 10;
const BLOCK_FILL = '9'.repeat(NACHA_RECORD_LENGTH);
const ENTRY_HASH_MODULUS = 10_000_000_000; // keep the rightmost ten digits
/*
 * Real files (two of the moov-io samples, one from Fiserv) strip the trailing blanks of the file
 * header and file control. Only those two records end in optional/blank fields, so only they may be
 * short, and only down to the end of their last mandatory field; they are padded back with spaces.
 */
const MIN_SHORT_LENGTH: Readonly<Record<string, number>> = { '1': 40, '9': 55 };

// ---------------------------------------------------------------------------------------------
// Parsed structure
// ---------------------------------------------------------------------------------------------

export interface NachaFileHeader {
  recordNumber: number;
  /** Trimmed, usually a routing number ('231380104'); the field is ' ' + nine digits. */
  immediateDestination: string;
  immediateOrigin: string;
  /** ISO date, or null when the YYMMDD field is not a date. */
  fileCreationDate: string | null;
  /** 'HHmm', or null when blank (the field is optional). */
  fileCreationTime: string | null;
  /** 'A'-'Z' or '0'-'9'; '' when blank, as in the Fiserv sample. */
  fileIdModifier: string;
  immediateDestinationName: string;
  immediateOriginName: string;
  referenceCode: string;
}

export type EntryDirection = 'debit' | 'credit';

export interface NocCorrection {
  routingNumber?: string;
  accountNumber?: string;
  transactionCode?: number;
  individualName?: string;
  individualId?: string;
}

interface AddendaBase {
  recordNumber: number;
  addendaTypeCode: string;
}

/** Type 05: free-form payment related information (PPD, CCD, WEB...). */
export interface NachaRemittanceAddenda extends AddendaBase {
  kind: 'remittance';
  paymentRelatedInformation: string;
  addendaSequenceNumber: string;
  entryDetailSequenceNumber: string;
}

/** Type 99: the entry is a return of one of ours. */
export interface NachaReturnAddenda extends AddendaBase {
  kind: 'return';
  /** R01, R02... see RETURN_REASON_CODES. */
  returnReasonCode: string;
  originalTraceNumber: string;
  /** ISO date for R14/R15 returns, else null. */
  dateOfDeath: string | null;
  originalReceivingDfi: string;
  addendaInformation: string;
  traceNumber: string;
}

/** Type 98: notification of change (the entry posted, but future entries must use new data). */
export interface NachaChangeAddenda extends AddendaBase {
  kind: 'change';
  /** C01, C02... see CHANGE_CODES. */
  changeCode: string;
  originalTraceNumber: string;
  originalReceivingDfi: string;
  /** The corrected data field (positions 36-64), trimmed. */
  correctedData: string;
  /** The corrected data split by the change code's layout; empty for codes without one. */
  correction: NocCorrection;
  traceNumber: string;
}

/** Any other addenda type (02 POS, 10-18 IAT...), kept as text. */
export interface NachaOtherAddenda extends AddendaBase {
  kind: 'other';
  /** Positions 4-94, trimmed. */
  text: string;
}

export type NachaAddenda = NachaRemittanceAddenda | NachaReturnAddenda | NachaChangeAddenda | NachaOtherAddenda;

export interface NachaEntry {
  recordNumber: number;
  transactionCode: number;
  direction: EntryDirection;
  /** Prenotification (x3/x8): a zero-amount test of the account details. */
  prenote: boolean;
  /** Nine digits: the eight-digit RDFI identification and its check digit. */
  rdfiRoutingNumber: string;
  dfiAccountNumber: string;
  amountCents: number;
  /** For our autopay debits this is the utility account number. */
  individualIdNumber: string;
  individualName: string;
  discretionaryData: string;
  addendaIndicator: 0 | 1;
  traceNumber: string;
  addenda: NachaAddenda[];
}

export interface NachaBatchControl {
  recordNumber: number;
  serviceClassCode: number;
  entryAddendaCount: number;
  entryHash: number;
  totalDebitCents: number;
  totalCreditCents: number;
}

export interface NachaBatch {
  recordNumber: number;
  /** 200 mixed, 220 credits only, 225 debits only. */
  serviceClassCode: number;
  companyName: string;
  companyDiscretionaryData: string;
  companyIdentification: string;
  /** Standard entry class: PPD, WEB, CCD, COR... */
  secCode: string;
  companyEntryDescription: string;
  companyDescriptiveDate: string;
  /** ISO date, or null when the YYMMDD field is not a date (return and COR batches often hold 000000). */
  effectiveEntryDate: string | null;
  originatorStatusCode: string;
  originatingDfi: string;
  batchNumber: number;
  entries: NachaEntry[];
  control: NachaBatchControl;
}

export interface NachaFileControl {
  recordNumber: number;
  batchCount: number;
  blockCount: number;
  entryAddendaCount: number;
  entryHash: number;
  totalDebitCents: number;
  totalCreditCents: number;
}

export interface NachaFileTotals {
  batchCount: number;
  entryCount: number;
  addendaCount: number;
  debitCents: number;
  creditCents: number;
  entryHash: number;
}

export interface NachaFile {
  header: NachaFileHeader;
  batches: NachaBatch[];
  control: NachaFileControl;
  totals: NachaFileTotals;
}

// ---------------------------------------------------------------------------------------------
// Code tables
// ---------------------------------------------------------------------------------------------

const CREDIT_CODES = new Set([21, 22, 23, 24, 31, 32, 33, 34, 41, 42, 43, 44, 51, 52, 53, 54]);
const DEBIT_CODES = new Set([26, 27, 28, 29, 36, 37, 38, 39, 46, 47, 48, 49, 55, 56]);
const PRENOTE_CODES = new Set([23, 28, 33, 38, 43, 48, 53]);

export const RETURN_REASON_CODES: Readonly<Record<string, string>> = {
  R01: 'Insufficient funds',
  R02: 'Account closed',
  R03: 'No account / unable to locate account',
  R04: 'Invalid account number',
  R05: 'Unauthorized debit to consumer account using corporate SEC code',
  R06: 'Returned per ODFI request',
  R07: 'Authorization revoked by customer',
  R08: 'Payment stopped',
  R09: 'Uncollected funds',
  R10: 'Customer advises not authorized, improper, ineligible or part of an incomplete transaction',
  R11: 'Customer advises entry not in accordance with the terms of the authorization',
  R12: 'Account sold to another DFI',
  R13: 'Invalid ACH routing number',
  R14: 'Representative payee deceased or unable to continue in that capacity',
  R15: 'Beneficiary or account holder (other than a representative payee) deceased',
  R16: 'Account frozen / entry returned per OFAC instruction',
  R17: 'File record edit criteria / entry with invalid account number initiated under questionable circumstances',
  R18: 'Improper effective entry date',
  R19: 'Amount field error',
  R20: 'Non-transaction account',
  R21: 'Invalid company identification',
  R22: 'Invalid individual ID number',
  R23: 'Credit entry refused by receiver',
  R24: 'Duplicate entry',
  R25: 'Addenda error',
  R26: 'Mandatory field error',
  R27: 'Trace number error',
  R28: 'Routing number check digit error',
  R29: 'Corporate customer advises not authorized',
  R30: 'RDFI not participant in check truncation program',
  R31: 'Permissible return entry (CCD and CTX only)',
  R32: 'RDFI non-settlement',
  R33: 'Return of XCK entry',
  R34: 'Limited participation DFI',
  R35: 'Return of improper debit entry',
  R36: 'Return of improper credit entry',
  R37: 'Source document presented for payment',
  R38: 'Stop payment on source document',
  R39: 'Improper source document / source document presented for payment',
  R61: 'Misrouted return',
  R62: 'Return of erroneous or reversing debit',
  R67: 'Duplicate return',
  R68: 'Untimely return',
  R69: 'Field error(s)',
  R70: 'Permissible return entry not accepted / return not requested by ODFI',
  R71: 'Misrouted dishonored return',
  R72: 'Untimely dishonored return',
  R73: 'Timely original return',
  R74: 'Corrected return',
  R75: 'Return not a duplicate',
  R76: 'No errors found',
  R77: 'Non-acceptance of R62 dishonored return',
};

/** Returns after which autopay must stop until the customer gives new bank details or a new authorization. */
export const AUTOPAY_STOPPING_RETURNS: ReadonlySet<string> = new Set([
  'R02', 'R03', 'R04', 'R05', 'R07', 'R10', 'R14', 'R15', 'R16', 'R20', 'R29',
]);

export interface ChangeCodeInfo {
  description: string;
  /** What the 29-character corrected data field holds, by position within the field. */
  correctedData: string;
}

/**
 * Notification of change codes (Nacha Operating Rules, Appendix Five). The refused-NOC codes
 * C61-C69 use a different addenda layout and are not interpreted (the addenda keeps the raw text).
 */
export const CHANGE_CODES: Readonly<Record<string, ChangeCodeInfo>> = {
  C01: { description: 'Incorrect DFI account number', correctedData: 'DFI account number in 1-17' },
  C02: { description: 'Incorrect routing number', correctedData: 'routing number with check digit in 1-9' },
  C03: {
    description: 'Incorrect routing number and DFI account number',
    correctedData: 'routing number in 1-9, three blanks, DFI account number in 13-29',
  },
  C04: { description: 'Incorrect individual name / receiving company name', correctedData: 'name in 1-22' },
  C05: { description: 'Incorrect transaction code', correctedData: 'transaction code in 1-2' },
  C06: {
    description: 'Incorrect DFI account number and transaction code',
    correctedData: 'DFI account number in 1-17, three blanks, transaction code in 21-22',
  },
  C07: {
    description: 'Incorrect routing number, DFI account number and transaction code',
    correctedData: 'routing number in 1-9, DFI account number in 10-26, transaction code in 27-28',
  },
  C08: { description: 'Incorrect receiving DFI identification (IAT only)', correctedData: 'foreign RDFI identification' },
  C09: { description: 'Incorrect individual identification number', correctedData: 'individual identification number in 1-22' },
  C13: { description: 'Addenda format error', correctedData: 'blank' },
  C14: { description: 'Incorrect SEC code for outbound international payment', correctedData: 'SEC code IAT in 1-3' },
};

// ---------------------------------------------------------------------------------------------
// Parser
// ---------------------------------------------------------------------------------------------

interface RawRecord {
  recordNumber: number;
  text: string;
}

/** 1-based, inclusive positions, as printed in the NACHA layouts. */
function field(record: string, from: number, to: number): string {
  return record.slice(from - 1, to);
}

function text(record: string, from: number, to: number): string {
  return field(record, from, to).trim();
}

function numeric(rec: RawRecord, from: number, to: number, what: string): number {
  const raw = field(rec.text, from, to);
  if (!/^\d+$/.test(raw)) throw new PaymentFileError(rec.recordNumber, `${what} '${raw}' (positions ${from}-${to}) is not numeric`);
  return Number(raw);
}

function yymmddToIso(raw: string): string | null {
  if (!/^\d{6}$/.test(raw)) return null;
  const year = 2000 + Number(raw.slice(0, 2));
  const month = Number(raw.slice(2, 4));
  const day = Number(raw.slice(4, 6));
  if (!isRealDate(year, month, day)) return null;
  return `${year}-${raw.slice(2, 4)}-${raw.slice(4, 6)}`;
}

function isRealDate(year: number, month: number, day: number): boolean {
  const t = new Date(Date.UTC(year, month - 1, day));
  return t.getUTCFullYear() === year && t.getUTCMonth() === month - 1 && t.getUTCDate() === day;
}

function splitRecords(input: string): RawRecord[] {
  const lines = input.replace(/^\uFEFF/, '').split('\n');
  const records = lines.map((line, i) => ({ recordNumber: i + 1, text: line.endsWith('\r') ? line.slice(0, -1) : line }));
  while (records.length > 0 && records[records.length - 1]?.text === '') records.pop();
  return records;
}

function toFullLength(rec: RawRecord): RawRecord {
  const length = rec.text.length;
  if (length === NACHA_RECORD_LENGTH) return rec;
  const minShort = MIN_SHORT_LENGTH[rec.text.charAt(0)];
  if (minShort !== undefined && length >= minShort && length < NACHA_RECORD_LENGTH) {
    return { recordNumber: rec.recordNumber, text: rec.text.padEnd(NACHA_RECORD_LENGTH, ' ') };
  }
  throw new PaymentFileError(rec.recordNumber, `record is ${length} characters long; NACHA records are ${NACHA_RECORD_LENGTH}`);
}

function parseFileHeader(rec: RawRecord): NachaFileHeader {
  const t = rec.text;
  return {
    recordNumber: rec.recordNumber,
    immediateDestination: text(t, 4, 13),
    immediateOrigin: text(t, 14, 23),
    fileCreationDate: yymmddToIso(field(t, 24, 29)),
    fileCreationTime: /^\d{4}$/.test(field(t, 30, 33)) ? field(t, 30, 33) : null,
    fileIdModifier: text(t, 34, 34),
    immediateDestinationName: text(t, 41, 63),
    immediateOriginName: text(t, 64, 86),
    referenceCode: text(t, 87, 94),
  };
}

type OpenBatch = Omit<NachaBatch, 'control'>;

function parseBatchHeader(rec: RawRecord): OpenBatch {
  const t = rec.text;
  return {
    recordNumber: rec.recordNumber,
    serviceClassCode: numeric(rec, 2, 4, 'service class code'),
    companyName: text(t, 5, 20),
    companyDiscretionaryData: text(t, 21, 40),
    companyIdentification: text(t, 41, 50),
    secCode: text(t, 51, 53),
    companyEntryDescription: text(t, 54, 63),
    companyDescriptiveDate: text(t, 64, 69),
    effectiveEntryDate: yymmddToIso(field(t, 70, 75)),
    originatorStatusCode: field(t, 79, 79),
    originatingDfi: text(t, 80, 87),
    batchNumber: numeric(rec, 88, 94, 'batch number'),
    entries: [],
  };
}

function directionOf(rec: RawRecord, transactionCode: number): EntryDirection {
  if (DEBIT_CODES.has(transactionCode)) return 'debit';
  if (CREDIT_CODES.has(transactionCode)) return 'credit';
  throw new PaymentFileError(rec.recordNumber, `unknown transaction code ${field(rec.text, 2, 3)}`);
}

function parseRdfiRouting(rec: RawRecord): string {
  const rdfi = field(rec.text, 4, 11);
  const check = field(rec.text, 12, 12);
  if (!/^\d{8}$/.test(rdfi)) throw new PaymentFileError(rec.recordNumber, `RDFI identification '${rdfi}' (positions 4-11) is not eight digits`);
  if (!/^\d$/.test(check)) throw new PaymentFileError(rec.recordNumber, `RDFI check digit '${check}' (position 12) is not a digit`);
  const routing = rdfi + check;
  if (!isValidRoutingNumber(routing)) {
    throw new PaymentFileError(rec.recordNumber, `RDFI routing number ${routing} has a wrong check digit (expected ${routingCheckDigit(rdfi)})`);
  }
  return routing;
}

function parseAddendaIndicator(rec: RawRecord): 0 | 1 {
  const raw = field(rec.text, 79, 79);
  if (raw === '0') return 0;
  if (raw === '1') return 1;
  throw new PaymentFileError(rec.recordNumber, `addenda record indicator '${raw}' (position 79) is not 0 or 1`);
}

function parseEntry(rec: RawRecord): NachaEntry {
  const t = rec.text;
  const transactionCode = numeric(rec, 2, 3, 'transaction code');
  return {
    recordNumber: rec.recordNumber,
    transactionCode,
    direction: directionOf(rec, transactionCode),
    prenote: PRENOTE_CODES.has(transactionCode),
    rdfiRoutingNumber: parseRdfiRouting(rec),
    dfiAccountNumber: text(t, 13, 29),
    amountCents: numeric(rec, 30, 39, 'amount'),
    individualIdNumber: text(t, 40, 54),
    individualName: text(t, 55, 76),
    discretionaryData: text(t, 77, 78),
    addendaIndicator: parseAddendaIndicator(rec),
    traceNumber: text(t, 80, 94),
    addenda: [],
  };
}

function twoDigitCode(raw: string): number | undefined {
  return /^\d{2}$/.test(raw) ? Number(raw) : undefined;
}

/** Splits a notification of change's corrected data (positions 36-64) by the layout of its change code. */
export function parseCorrectedData(changeCode: string, correctedData: string): NocCorrection {
  const d = correctedData.padEnd(29, ' ');
  const part = (from: number, to: number) => d.slice(from - 1, to).trim();
  const withCode = (c: NocCorrection, raw: string): NocCorrection => {
    const code = twoDigitCode(raw);
    return code === undefined ? c : { ...c, transactionCode: code };
  };
  switch (changeCode) {
    case 'C01': return { accountNumber: part(1, 17) };
    case 'C02': return { routingNumber: part(1, 9) };
    case 'C03': return { routingNumber: part(1, 9), accountNumber: part(13, 29) };
    case 'C04': return { individualName: part(1, 22) };
    case 'C05': return withCode({}, part(1, 2));
    case 'C06': return withCode({ accountNumber: part(1, 17) }, part(21, 22));
    case 'C07': return withCode({ routingNumber: part(1, 9), accountNumber: part(10, 26) }, part(27, 28));
    case 'C09': return { individualId: part(1, 22) };
    default: return {};
  }
}

function parseAddenda(rec: RawRecord): NachaAddenda {
  const t = rec.text;
  const base = { recordNumber: rec.recordNumber, addendaTypeCode: field(t, 2, 3) };
  switch (base.addendaTypeCode) {
    case '05':
      return {
        ...base,
        kind: 'remittance',
        paymentRelatedInformation: text(t, 4, 83),
        addendaSequenceNumber: text(t, 84, 87),
        entryDetailSequenceNumber: text(t, 88, 94),
      };
    case '99': {
      const returnReasonCode = text(t, 4, 6);
      return {
        ...base,
        kind: 'return',
        returnReasonCode,
        originalTraceNumber: text(t, 7, 21),
        dateOfDeath: yymmddToIso(field(t, 22, 27)),
        originalReceivingDfi: text(t, 28, 35),
        addendaInformation: text(t, 36, 79),
        traceNumber: text(t, 80, 94),
      };
    }
    case '98': {
      const changeCode = text(t, 4, 6);
      return {
        ...base,
        kind: 'change',
        changeCode,
        originalTraceNumber: text(t, 7, 21),
        originalReceivingDfi: text(t, 28, 35),
        correctedData: text(t, 36, 64),
        correction: parseCorrectedData(changeCode, field(t, 36, 64)),
        traceNumber: text(t, 80, 94),
      };
    }
    default:
      return { ...base, kind: 'other', text: text(t, 4, 94) };
  }
}

function parseBatchControl(rec: RawRecord): NachaBatchControl {
  return {
    recordNumber: rec.recordNumber,
    serviceClassCode: numeric(rec, 2, 4, 'service class code'),
    entryAddendaCount: numeric(rec, 5, 10, 'entry/addenda count'),
    entryHash: numeric(rec, 11, 20, 'entry hash'),
    totalDebitCents: numeric(rec, 21, 32, 'total debit amount'),
    totalCreditCents: numeric(rec, 33, 44, 'total credit amount'),
  };
}

function parseFileControl(rec: RawRecord): NachaFileControl {
  return {
    recordNumber: rec.recordNumber,
    batchCount: numeric(rec, 2, 7, 'batch count'),
    blockCount: numeric(rec, 8, 13, 'block count'),
    entryAddendaCount: numeric(rec, 14, 21, 'entry/addenda count'),
    entryHash: numeric(rec, 22, 31, 'entry hash'),
    totalDebitCents: numeric(rec, 32, 43, 'total debit amount'),
    totalCreditCents: numeric(rec, 44, 55, 'total credit amount'),
  };
}

interface Sums {
  entryCount: number;
  addendaCount: number;
  entryHash: number;
  debitCents: number;
  creditCents: number;
}

function sumEntries(entries: readonly NachaEntry[]): Sums {
  const sums: Sums = { entryCount: entries.length, addendaCount: 0, entryHash: 0, debitCents: 0, creditCents: 0 };
  for (const e of entries) {
    sums.addendaCount += e.addenda.length;
    sums.entryHash = (sums.entryHash + Number(e.rdfiRoutingNumber.slice(0, 8))) % ENTRY_HASH_MODULUS;
    if (e.direction === 'debit') sums.debitCents += e.amountCents;
    else sums.creditCents += e.amountCents;
  }
  return sums;
}

const hash10 = (n: number) => String(n).padStart(10, '0');

function checkControl(
  recordNumber: number,
  control: { entryAddendaCount: number; entryHash: number; totalDebitCents: number; totalCreditCents: number },
  sums: Sums,
  from: string,
): void {
  const fail = (reason: string) => {
    throw new PaymentFileError(recordNumber, reason);
  };
  const records = sums.entryCount + sums.addendaCount;
  if (control.entryAddendaCount !== records) {
    fail(`entry/addenda count ${control.entryAddendaCount} does not match the ${records} entry and addenda records in ${from}`);
  }
  if (control.entryHash !== sums.entryHash) {
    fail(`entry hash ${hash10(control.entryHash)} does not match ${hash10(sums.entryHash)} computed from ${from}`);
  }
  if (control.totalDebitCents !== sums.debitCents) {
    fail(`total debit ${control.totalDebitCents} cents does not match ${sums.debitCents} cents in ${from}`);
  }
  if (control.totalCreditCents !== sums.creditCents) {
    fail(`total credit ${control.totalCreditCents} cents does not match ${sums.creditCents} cents in ${from}`);
  }
}

const RECORD_NAMES: Readonly<Record<string, string>> = {
  '1': 'file header (type 1)',
  '5': 'batch header (type 5)',
  '6': 'entry detail (type 6)',
  '7': 'addenda (type 7)',
  '8': 'batch control (type 8)',
  '9': 'file control (type 9)',
};

/** Reads records in order, keeping the one open batch and its last entry. */
class NachaReader {
  private header: NachaFileHeader | null = null;
  private control: NachaFileControl | null = null;
  private readonly batches: NachaBatch[] = [];
  private open: OpenBatch | null = null;

  read(records: readonly RawRecord[]): NachaFile {
    for (const raw of records) {
      if (this.control) {
        if (raw.text === BLOCK_FILL) continue;
        throw new PaymentFileError(raw.recordNumber, 'only block fill records (all 9s) may follow the file control');
      }
      this.readRecord(toFullLength(raw));
    }
    return this.finish();
  }

  private readRecord(rec: RawRecord): void {
    const type = rec.text.charAt(0);
    const name = RECORD_NAMES[type];
    if (name === undefined) throw new PaymentFileError(rec.recordNumber, `unknown record type '${type}'`);
    if (rec.text === BLOCK_FILL) throw new PaymentFileError(rec.recordNumber, 'block fill record (all 9s) before the file control');
    if (type !== '1' && !this.header) throw new PaymentFileError(rec.recordNumber, `${name} before the file header (type 1)`);
    if (type === '1') this.fileHeader(rec);
    else if (type === '5') this.batchHeader(rec);
    else if (type === '6') this.entry(rec);
    else if (type === '7') this.addenda(rec);
    else if (type === '8') this.batchControl(rec);
    else this.fileControl(rec);
  }

  private fileHeader(rec: RawRecord): void {
    if (this.header) throw new PaymentFileError(rec.recordNumber, `second file header (the first is record ${this.header.recordNumber})`);
    this.header = parseFileHeader(rec);
  }

  private batchHeader(rec: RawRecord): void {
    if (this.open) {
      throw new PaymentFileError(rec.recordNumber, `batch header while the batch opened at record ${this.open.recordNumber} has no batch control (type 8)`);
    }
    this.open = parseBatchHeader(rec);
  }

  private openBatch(rec: RawRecord, name: string): OpenBatch {
    if (!this.open) throw new PaymentFileError(rec.recordNumber, `${name} outside a batch`);
    return this.open;
  }

  /** An entry flagged as having addenda must have at least one before the next entry or the batch control. */
  private closeLastEntry(rec: RawRecord, batch: OpenBatch): void {
    const last = batch.entries[batch.entries.length - 1];
    if (last && last.addendaIndicator === 1 && last.addenda.length === 0) {
      throw new PaymentFileError(rec.recordNumber, `entry detail at record ${last.recordNumber} has addenda indicator 1 but no addenda record follows it`);
    }
  }

  private entry(rec: RawRecord): void {
    const batch = this.openBatch(rec, 'entry detail (type 6)');
    this.closeLastEntry(rec, batch);
    batch.entries.push(parseEntry(rec));
  }

  private addenda(rec: RawRecord): void {
    const batch = this.openBatch(rec, 'addenda (type 7)');
    const entry = batch.entries[batch.entries.length - 1];
    if (!entry) throw new PaymentFileError(rec.recordNumber, 'addenda record without an entry detail before it');
    if (entry.addendaIndicator === 0) {
      throw new PaymentFileError(rec.recordNumber, `addenda record follows the entry detail at record ${entry.recordNumber}, whose addenda indicator is 0`);
    }
    entry.addenda.push(parseAddenda(rec));
  }

  private batchControl(rec: RawRecord): void {
    const batch = this.openBatch(rec, 'batch control (type 8)');
    this.closeLastEntry(rec, batch);
    const control = parseBatchControl(rec);
    checkControl(rec.recordNumber, control, sumEntries(batch.entries), `the batch opened at record ${batch.recordNumber}`);
    this.batches.push({ ...batch, control });
    this.open = null;
  }

  private fileControl(rec: RawRecord): void {
    if (this.open) {
      throw new PaymentFileError(rec.recordNumber, `file control while the batch opened at record ${this.open.recordNumber} has no batch control (type 8)`);
    }
    const control = parseFileControl(rec);
    if (control.batchCount !== this.batches.length) {
      throw new PaymentFileError(rec.recordNumber, `batch count ${control.batchCount} does not match the ${this.batches.length} batches in the file`);
    }
    checkControl(rec.recordNumber, control, sumEntries(this.batches.flatMap((b) => b.entries)), 'the file');
    // The file header is record 1, so this record's number is the count of records it closes.
    const blocks = Math.ceil(rec.recordNumber / BLOCKING_FACTOR);
    if (control.blockCount !== blocks) {
      throw new PaymentFileError(rec.recordNumber, `block count ${control.blockCount} does not match the ${blocks} block(s) needed for ${rec.recordNumber} records`);
    }
    this.control = control;
  }

  private finish(): NachaFile {
    if (!this.header) throw new PaymentFileError(null, 'the file is empty: no file header (type 1)');
    if (this.open) throw new PaymentFileError(null, `the batch opened at record ${this.open.recordNumber} has no batch control (type 8)`);
    if (!this.control) throw new PaymentFileError(null, 'the file ends without a file control (type 9)');
    const sums = sumEntries(this.batches.flatMap((b) => b.entries));
    return {
      header: this.header,
      batches: this.batches,
      control: this.control,
      totals: {
        batchCount: this.batches.length,
        entryCount: sums.entryCount,
        addendaCount: sums.addendaCount,
        debitCents: sums.debitCents,
        creditCents: sums.creditCents,
        entryHash: sums.entryHash,
      },
    };
  }
}

/** Parses a NACHA file; throws PaymentFileError naming the record at the first fault. */
export function parseNacha(input: string): NachaFile {
  return new NachaReader().read(splitRecords(input));
}

// ---------------------------------------------------------------------------------------------
// PPD debit file generator
// ---------------------------------------------------------------------------------------------

export interface PpdDebitEntryInput {
  /** Nine digits with a valid check digit. */
  routingNumber: string;
  /** Up to 17 characters: digits, letters, hyphens. */
  accountNumber: string;
  accountType: 'checking' | 'savings';
  /** Positive; must be 0 for a prenote. */
  amountCents: number;
  /** Our utility account number, up to 15 characters. */
  individualId: string;
  /** Truncated to 22 characters. */
  individualName: string;
  prenote?: boolean;
}

export interface PpdDebitFileInput {
  /** The bank's routing number (nine digits). */
  immediateDestination: string;
  immediateDestinationName: string;
  /** Ten characters as the bank assigned them, e.g. '1' + nine-digit tax id; nine are right-justified. */
  immediateOrigin: string;
  immediateOriginName: string;
  /** 'YYYY-MM-DD'. */
  fileCreationDate: string;
  /** 'HHmm'. */
  fileCreationTime: string;
  /** 'A'-'Z' or '0'-'9': distinguishes files created the same day. */
  fileIdModifier: string;
  company: {
    name: string;
    identification: string;
    /** Shown on the customer's bank statement, e.g. 'UTILITY'. */
    entryDescription: string;
    discretionaryData?: string;
  };
  /** 'YYYY-MM-DD': the day the debits are meant to settle. */
  effectiveEntryDate: string;
  /** Our bank's eight-digit routing prefix; it starts every trace number. */
  originatingDfi: string;
  entries: readonly PpdDebitEntryInput[];
  /**
   * The 7-digit sequence of each entry's trace number (after the originating DFI), in entry
   * order; defaults to 1, 2, 3... Give numbers that do not repeat across files, so that a return
   * names one debit.
   */
  traceSequences?: readonly number[];
  /** Defaults to LF. */
  lineEnding?: '\n' | '\r\n';
}

const MAX_AMOUNT_CENTS = 9_999_999_999; // ten digits
const MAX_TOTAL_CENTS = 999_999_999_999; // twelve digits
const MAX_BATCH_RECORDS = 999_999; // six-digit entry/addenda count

/** Upper-cases and keeps printable ASCII (0x20-0x7E), dropping accents first so 'José' becomes 'JOSE'. */
function nachaText(value: string): string {
  return value
    .normalize('NFD')
    .replace(/\p{M}/gu, '')
    .toUpperCase()
    .replace(/[^\x20-\x7E]/g, '')
    .trim();
}

/** Left-justified, blank-filled and truncated, as NACHA alphanumeric fields are. */
function alpha(value: string, width: number): string {
  return nachaText(value).slice(0, width).padEnd(width, ' ');
}

function digits(n: number, width: number): string {
  return String(n).padStart(width, '0');
}

function isoToYymmdd(iso: string, what: string): string {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(iso);
  const ok = m !== null && Number(m[1]) >= 2000 && Number(m[1]) <= 2099 && isRealDate(Number(m[1]), Number(m[2]), Number(m[3]));
  if (!ok) throw new Error(`${what} '${iso}' is not a date YYYY-MM-DD between 2000 and 2099`);
  return iso.slice(2, 4) + iso.slice(5, 7) + iso.slice(8, 10);
}

/** An identifier that must not be silently changed: refused rather than truncated. */
function identifier(value: string, maxLength: number, pattern: RegExp, what: string): string {
  const v = value.trim().toUpperCase();
  if (v.length === 0 || v.length > maxLength || !pattern.test(v)) {
    throw new Error(`${what} '${value}' must be 1-${maxLength} characters matching ${pattern.source}`);
  }
  return v;
}

function required(value: string, what: string): string {
  if (nachaText(value) === '') throw new Error(`${what} is blank`);
  return value;
}

function validateHeaderInput(input: PpdDebitFileInput): void {
  if (!isValidRoutingNumber(input.immediateDestination)) {
    throw new Error(`immediate destination '${input.immediateDestination}' is not a nine-digit routing number with a valid check digit`);
  }
  if (!/^([01]\d|2[0-3])[0-5]\d$/.test(input.fileCreationTime)) throw new Error(`file creation time '${input.fileCreationTime}' is not HHmm`);
  if (!/^[A-Z0-9]$/.test(input.fileIdModifier)) throw new Error(`file id modifier '${input.fileIdModifier}' is not A-Z or 0-9`);
  if (!/^\d{8}$/.test(input.originatingDfi)) throw new Error(`originating DFI '${input.originatingDfi}' is not eight digits`);
  if (input.entries.length === 0) throw new Error('a PPD debit file needs at least one entry');
  if (input.entries.length > MAX_BATCH_RECORDS) throw new Error(`${input.entries.length} entries exceed the ${MAX_BATCH_RECORDS} a batch can count`);
}

function fileHeaderRecord(input: PpdDebitFileInput): string {
  const origin = identifier(input.immediateOrigin, 10, /^[0-9A-Z]+$/, 'immediate origin');
  return [
    '1',
    '01', // priority code
    ' ' + input.immediateDestination,
    origin.padStart(10, ' '),
    isoToYymmdd(input.fileCreationDate, 'file creation date'),
    input.fileCreationTime,
    input.fileIdModifier,
    '094', // record size
    '10', // blocking factor
    '1', // format code
    alpha(input.immediateDestinationName, 23),
    alpha(input.immediateOriginName, 23),
    ' '.repeat(8), // reference code
  ].join('');
}

function batchHeaderRecord(input: PpdDebitFileInput, companyId: string): string {
  const c = input.company;
  return [
    '5',
    '225', // debits only
    alpha(required(c.name, 'company name'), 16),
    alpha(c.discretionaryData ?? '', 20),
    companyId.padEnd(10, ' '),
    'PPD',
    alpha(required(c.entryDescription, 'company entry description'), 10),
    ' '.repeat(6), // company descriptive date
    isoToYymmdd(input.effectiveEntryDate, 'effective entry date'),
    '   ', // settlement date: the ACH operator fills it in
    '1', // originator status code: a depository financial institution
    input.originatingDfi,
    digits(1, 7), // batch number
  ].join('');
}

function transactionCodeFor(entry: PpdDebitEntryInput): number {
  const base = entry.accountType === 'checking' ? 27 : 37;
  return entry.prenote ? base + 1 : base;
}

function validateEntry(entry: PpdDebitEntryInput, label: string): void {
  if (!isValidRoutingNumber(entry.routingNumber)) {
    throw new Error(`${label}: routing number '${entry.routingNumber}' is not nine digits with a valid check digit`);
  }
  if (entry.accountType !== 'checking' && entry.accountType !== 'savings') {
    throw new Error(`${label}: account type '${String(entry.accountType)}' is not checking or savings`);
  }
  const a = entry.amountCents;
  if (entry.prenote) {
    if (a !== 0) throw new Error(`${label}: a prenote must have amountCents 0, not ${a}`);
  } else if (!Number.isSafeInteger(a) || a <= 0 || a > MAX_AMOUNT_CENTS) {
    throw new Error(`${label}: amountCents ${a} is not a whole number of cents between 1 and ${MAX_AMOUNT_CENTS}`);
  }
  if (nachaText(entry.individualName) === '') throw new Error(`${label}: individual name is blank`);
}

function entryRecord(entry: PpdDebitEntryInput, index: number, originatingDfi: string): string {
  const label = `entry ${index + 1} (individual id '${entry.individualId}')`;
  validateEntry(entry, label);
  const account = identifier(entry.accountNumber.replace(/ /g, ''), 17, /^[0-9A-Z-]+$/, `${label}: account number`);
  const individualId = identifier(entry.individualId, 15, /^[\x20-\x7E]+$/, `${label}: individual id`);
  return [
    '6',
    digits(transactionCodeFor(entry), 2),
    entry.routingNumber,
    account.padEnd(17, ' '),
    digits(entry.amountCents, 10),
    individualId.padEnd(15, ' '),
    alpha(entry.individualName, 22),
    '  ', // discretionary data
    '0', // no addenda
    originatingDfi + digits(index + 1, 7),
  ].join('');
}

function controlTotals(input: PpdDebitFileInput): { entryHash: number; debitCents: number } {
  let entryHash = 0;
  let debitCents = 0;
  for (const e of input.entries) {
    entryHash = (entryHash + Number(e.routingNumber.slice(0, 8))) % ENTRY_HASH_MODULUS;
    debitCents += e.amountCents;
  }
  if (debitCents > MAX_TOTAL_CENTS) throw new Error(`total debits of ${debitCents} cents exceed the twelve-digit control field`);
  return { entryHash, debitCents };
}

function batchControlRecord(input: PpdDebitFileInput, companyId: string, totals: { entryHash: number; debitCents: number }): string {
  return [
    '8',
    '225',
    digits(input.entries.length, 6),
    digits(totals.entryHash, 10),
    digits(totals.debitCents, 12),
    digits(0, 12),
    companyId.padEnd(10, ' '),
    ' '.repeat(19), // message authentication code
    ' '.repeat(6), // reserved
    input.originatingDfi,
    digits(1, 7),
  ].join('');
}

function fileControlRecord(input: PpdDebitFileInput, recordCount: number, totals: { entryHash: number; debitCents: number }): string {
  return [
    '9',
    digits(1, 6), // batch count
    digits(Math.ceil(recordCount / BLOCKING_FACTOR), 6),
    digits(input.entries.length, 8),
    digits(totals.entryHash, 10),
    digits(totals.debitCents, 12),
    digits(0, 12),
    ' '.repeat(39), // reserved
  ].join('');
}

/**
 * Builds a NACHA file of one PPD batch of debits (autopay): checking 27, savings 37, prenotes 28/38
 * for zero. Throws an Error naming the entry when an input cannot go into a valid file. Free text
 * (names, descriptions) is upper-cased, stripped to printable ASCII and truncated; identifiers
 * (routing and account numbers, the individual id, company and origin ids) are only upper-cased
 * (and account numbers lose blanks): one that is too long or holds other characters is refused,
 * since truncating it would send the debit to someone else.
 */
export function buildPpdDebitFile(input: PpdDebitFileInput): string {
  validateHeaderInput(input);
  const companyId = identifier(input.company.identification, 10, /^[\x20-\x7E]+$/, 'company identification');
  if (input.traceSequences && (input.traceSequences.length !== input.entries.length || input.traceSequences.some((n) => !Number.isInteger(n) || n < 1 || n > 9_999_999))) {
    throw new Error('traceSequences must give each entry a whole number from 1 to 9999999');
  }
  const entries = input.entries.map((e, i) => entryRecord(e, input.traceSequences ? input.traceSequences[i]! - 1 : i, input.originatingDfi));
  const totals = controlTotals(input);
  const records = [fileHeaderRecord(input), batchHeaderRecord(input, companyId), ...entries, batchControlRecord(input, companyId, totals)];
  records.push(fileControlRecord(input, records.length + 1, totals));
  while (records.length % BLOCKING_FACTOR !== 0) records.push(BLOCK_FILL);
  const eol = input.lineEnding ?? '\n';
  return records.join(eol) + eol;
}
