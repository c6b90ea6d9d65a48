/**
 * X9.37 image cash letters (DSTU X9.37-2003 and its successor X9.100-187): each record is a
 * 4-byte big-endian length followed by that many bytes; the record text is EBCDIC (code page 037)
 * or ASCII, told apart by the first record's type '01' (F0 F1 or 30 31). Records: 01 file header,
 * 10 cash letter header, 20 bundle header, 25 check detail with addenda 26/27/28, 31 return with
 * addenda 32/33/34/35, 50/52/54 image view detail/data/analysis, 68 user record, 70 bundle control,
 * 85 routing number summary, 90 cash letter control, 99 file control.
 *
 * This turns the bytes into cash letters, bundles, checks and returns with amounts in cents. It
 * checks the framing, the order of records and that every control total amount ties to its items
 * (checks and returns alike); it rejects the whole file with a PaymentFileError naming the record
 * (1-based, counted in the file) on the first fault. Control counts (items, bundles, images,
 * records, addenda) are not trusted: some generators count records instead of items, so a
 * mismatch is only a warning on the result. Image data in 52 records is skipped, not decoded:
 * the result gives its byte offset and length in the input instead. Pure: no I/O.
 */
import { PaymentFileError } from './file-error.ts';

export type X937Encoding = 'ebcdic' | 'ascii';

export interface X937Warning {
  record: number;
  message: string;
}

/** Where a 52 record's image bytes are in the input, undecoded. */
export interface X937Image {
  record: number;
  offset: number;
  length: number;
}

interface X937ItemBase {
  /** 1-based record number of the 25 or 31 */
  record: number;
  /** the eight-digit payor bank routing number field (Federal Reserve symbol and ABA institution) */
  payorBankRoutingNumber: string;
  /** the separate check digit field, null when blank */
  payorBankCheckDigit: string | null;
  onUs: string;
  amountCents: number;
  eceInstitutionItemSequenceNumber: string;
  images: X937Image[];
}

export interface X937Check extends X937ItemBase {
  kind: 'check';
  auxiliaryOnUs: string;
}

export interface X937Return extends X937ItemBase {
  kind: 'return';
  /** one character, e.g. 'A' (NSF); see X9_RETURN_REASONS */
  returnReasonCode: string;
  returnReason: string | null;
  /** the business date of the bundle that carries the return, YYYY-MM-DD */
  returnDate: string;
  /** the business date of the forward bundle the item was first presented in, when given */
  forwardBundleDate: string | null;
}

export type X937Item = X937Check | X937Return;

export interface X937Bundle {
  record: number;
  collectionTypeIndicator: string;
  destinationRoutingNumber: string;
  eceInstitutionRoutingNumber: string;
  businessDate: string;
  creationDate: string;
  bundleId: string;
  sequenceNumber: string;
  items: X937Item[];
  totalAmountCents: number;
}

export interface X937CashLetter {
  record: number;
  collectionTypeIndicator: string;
  destinationRoutingNumber: string;
  eceInstitutionRoutingNumber: string;
  businessDate: string;
  creationDate: string;
  creationTime: string;
  recordTypeIndicator: string;
  cashLetterId: string;
  bundles: X937Bundle[];
  totalAmountCents: number;
  settlementDate: string | null;
}

export interface X937FileHeader {
  standardLevel: string;
  testFile: boolean;
  immediateDestinationRoutingNumber: string;
  immediateOriginRoutingNumber: string;
  creationDate: string;
  creationTime: string;
  resend: boolean;
  immediateDestinationName: string;
  immediateOriginName: string;
  fileIdModifier: string;
  countryCode: string;
}

export interface X937File {
  encoding: X937Encoding;
  header: X937FileHeader;
  cashLetters: X937CashLetter[];
  /** the file control's total amount, equal to the sum of every item */
  totalAmountCents: number;
  recordCount: number;
  /** every check and return in file order, for convenience */
  checks: X937Check[];
  returns: X937Return[];
  /** control counts that do not match what the file holds */
  warnings: X937Warning[];
}

/**
 * Return reason codes of X9.100-187 (the successor of DSTU X9.37-2003, which called T "stop
 * payment suspect" and P "item exceeds dollar limit" and had no X-Z or digits). 7-9 and 0 are
 * reserved.
 */
export const X9_RETURN_REASONS: Readonly<Record<string, string>> = {
  A: 'Not sufficient funds (NSF)',
  B: 'Uncollected funds hold',
  C: 'Stop payment',
  D: 'Closed account',
  E: 'Unable to locate account',
  F: 'Frozen/blocked account',
  G: 'Stale dated',
  H: 'Post dated',
  I: 'Endorsement missing',
  J: 'Endorsement irregular',
  K: 'Signature(s) missing',
  L: 'Signature(s) irregular, suspected forgery',
  M: 'Non-cash item (non-negotiable)',
  N: 'Altered/fictitious item, suspected counterfeit or counterfeit',
  O: 'Unable to process (e.g. mutilated item)',
  P: 'Item exceeds stated maximum value',
  Q: 'Not authorized',
  R: 'Branch/account sold (wrong bank)',
  S: 'Refer to maker',
  T: 'Item cannot be re-presented (exceeds the allowed number of presentments)',
  U: 'Unusable image',
  V: 'Image fails security check',
  W: 'Cannot determine amount',
  X: 'Refer to image (the reason is in the image of the item)',
  Y: 'Duplicate presentment',
  Z: 'Forgery (an affidavit is available on request)',
  '1': 'Does not conform with ANS X9.100-181 (substitute check)',
  '2': 'Does not conform to the industry universal companion document',
  '3': 'Warranty breach (includes Rule 8 and Rule 9 claims)',
  '4': 'RCC warranty breach (Rule 8)',
  '5': 'Forged and counterfeit warranty breach (Rule 9)',
  '6': 'Retired/ineligible routing number',
};

// ---------------------------------------------------------------------------------------------
// Framing and text

/** IBM code page 037, byte to character. */
const CP037 =
  '\x00\x01\x02\x03\x9c\x09\x86\x7f\x97\x8d\x8e\x0b\x0c\x0d\x0e\x0f\x10\x11\x12\x13\x9d\x85\x08\x87\x18\x19\x92\x8f\x1c\x1d\x1e\x1f' +
  '\x80\x81\x82\x83\x84\x0a\x17\x1b\x88\x89\x8a\x8b\x8c\x05\x06\x07\x90\x91\x16\x93\x94\x95\x96\x04\x98\x99\x9a\x9b\x14\x15\x9e\x1a' +
  ' \xa0\xe2\xe4\xe0\xe1\xe3\xe5\xe7\xf1\xa2.<(+|&\xe9\xea\xeb\xe8\xed\xee\xef\xec\xdf!$*);\xac' +
  '-/\xc2\xc4\xc0\xc1\xc3\xc5\xc7\xd1\xa6,%_>?\xf8\xc9\xca\xcb\xc8\xcd\xce\xcf\xcc`:#@\x27="' +
  '\xd8abcdefghi\xab\xbb\xf0\xfd\xfe\xb1\xb0jklmnopqr\xaa\xba\xe6\xb8\xc6\xa4' +
  '\xb5~stuvwxyz\xa1\xbf\xd0\xdd\xde\xae^\xa3\xa5\xb7\xa9\xa7\xb6\xbc\xbd\xbe[]\xaf\xa8\xb4\xd7' +
  '{ABCDEFGHI\xad\xf4\xf6\xf2\xf3\xf5}JKLMNOPQR\xb9\xfb\xfc\xf9\xfa\xff' +
  '\x5c\xf7STUVWXYZ\xb2\xd4\xd6\xd2\xd3\xd50123456789\xb3\xdb\xdc\xd9\xda\x9f';

const KNOWN_TYPES = new Set(['01', '10', '20', '25', '26', '27', '28', '31', '32', '33', '34', '35', '50', '52', '54', '68', '70', '85', '90', '99']);

function fail(record: number | null, reason: string): never {
  throw new PaymentFileError(record, reason);
}

/** One framed record: a view of the input bytes with 1-based field access. */
class X9Record {
  readonly type: string;

  constructor(
    private readonly bytes: Uint8Array,
    /** offset of the record's first byte (after its length prefix) in the input */
    readonly start: number,
    readonly length: number,
    readonly number: number,
    private readonly encoding: X937Encoding,
  ) {
    this.type = this.raw(1, 2, 'record type');
  }

  /** The characters at 1-based positions from..to, as they are. */
  raw(from: number, to: number, name: string): string {
    if (to > this.length) fail(this.number, `record type ${this.type} is ${this.length} bytes, too short for the ${name} (positions ${from}-${to})`);
    let s = '';
    for (let i = this.start + from - 1; i < this.start + to; i++) {
      const b = this.bytes[i]!;
      s += this.encoding === 'ebcdic' ? CP037[b] : String.fromCharCode(b);
    }
    return s;
  }

  text(from: number, to: number, name: string): string {
    return this.raw(from, to, name).trim();
  }
}

function frame(bytes: Uint8Array): { start: number; length: number }[] {
  const frames: { start: number; length: number }[] = [];
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let offset = 0;
  while (offset < bytes.length) {
    const number = frames.length + 1;
    const left = bytes.length - offset;
    if (left < 4) fail(number, `the 4-byte record length is cut off (${left} bytes left)`);
    const length = view.getUint32(offset);
    if (length < 2) fail(number, `record length ${length} is too short to hold a record type`);
    if (length > left - 4) fail(number, `record length ${length} runs past the end of the file (${left - 4} bytes left)`);
    frames.push({ start: offset + 4, length });
    offset += 4 + length;
  }
  return frames;
}

function detectEncoding(bytes: Uint8Array, first: { start: number }): X937Encoding {
  const [a, b] = [bytes[first.start], bytes[first.start + 1]];
  if (a === 0xf0 && b === 0xf1) return 'ebcdic';
  if (a === 0x30 && b === 0x31) return 'ascii';
  return fail(1, "the file must begin with a file header (01) in EBCDIC or ASCII");
}

// ---------------------------------------------------------------------------------------------
// Field values

function digits(r: X9Record, from: number, to: number, name: string): string {
  const raw = r.raw(from, to, name);
  if (!/^\d+$/.test(raw)) fail(r.number, `${name} '${raw}' is not all digits`);
  return raw;
}

function amountCents(r: X9Record, from: number, to: number, name: string): number {
  const cents = Number(digits(r, from, to, name));
  if (!Number.isSafeInteger(cents)) fail(r.number, `${name} is too large`);
  return cents;
}

/** A count field, or null when it is not a number: counts only ever give warnings. */
function count(r: X9Record, from: number, to: number, name: string): number | null {
  const raw = r.raw(from, to, name).trim();
  return /^\d+$/.test(raw) ? Number(raw) : null;
}

function daysInMonth(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

function date(r: X9Record, from: number, to: number, name: string): string {
  const raw = r.raw(from, to, name);
  const m = /^(\d{4})(\d\d)(\d\d)$/.exec(raw);
  const [year, month, day] = [Number(m?.[1]), Number(m?.[2]), Number(m?.[3])];
  if (!m || month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) {
    fail(r.number, `${name} '${raw}' is not a date (YYYYMMDD)`);
  }
  return `${m[1]}-${m[2]}-${m[3]}`;
}

function optionalDate(r: X9Record, from: number, to: number, name: string): string | null {
  return r.text(from, to, name) === '' ? null : date(r, from, to, name);
}

function time(r: X9Record, from: number, to: number, name: string): string {
  const raw = r.raw(from, to, name);
  const m = /^(\d\d)(\d\d)$/.exec(raw);
  if (!m || Number(m[1]) > 23 || Number(m[2]) > 59) fail(r.number, `${name} '${raw}' is not a time (HHMM)`);
  return raw;
}

function oneOf(r: X9Record, at: number, allowed: string, name: string): string {
  const raw = r.raw(at, at, name);
  if (!allowed.includes(raw)) fail(r.number, `${name} '${raw}' is not one of ${allowed.split('').join(', ')}`);
  return raw;
}

function checkDigit(r: X9Record, at: number): string | null {
  const raw = r.raw(at, at, 'payor bank routing number check digit');
  if (raw === ' ') return null;
  if (!/^\d$/.test(raw)) fail(r.number, `payor bank routing number check digit '${raw}' is not a digit`);
  return raw;
}

function addCents(a: number, b: number, record: number): number {
  const sum = a + b;
  if (!Number.isSafeInteger(sum)) fail(record, 'amounts add up beyond the largest exact number');
  return sum;
}

// ---------------------------------------------------------------------------------------------
// Records

function parseFileHeader(r: X9Record): X937FileHeader {
  const standardLevel = digits(r, 3, 4, 'standard level');
  const testFile = oneOf(r, 5, 'TP', 'test file indicator') === 'T';
  return {
    standardLevel,
    testFile,
    immediateDestinationRoutingNumber: digits(r, 6, 14, 'immediate destination routing number'),
    immediateOriginRoutingNumber: digits(r, 15, 23, 'immediate origin routing number'),
    creationDate: date(r, 24, 31, 'file creation date'),
    creationTime: time(r, 32, 35, 'file creation time'),
    resend: oneOf(r, 36, 'YN', 'resend indicator') === 'Y',
    immediateDestinationName: r.text(37, 54, 'immediate destination name'),
    immediateOriginName: r.text(55, 72, 'immediate origin name'),
    fileIdModifier: r.text(73, 73, 'file ID modifier'),
    countryCode: r.text(74, 75, 'country code'),
  };
}

function parseCashLetterHeader(r: X9Record): X937CashLetter {
  return {
    record: r.number,
    collectionTypeIndicator: digits(r, 3, 4, 'collection type indicator'),
    destinationRoutingNumber: digits(r, 5, 13, 'destination routing number'),
    eceInstitutionRoutingNumber: digits(r, 14, 22, 'ECE institution routing number'),
    businessDate: date(r, 23, 30, 'cash letter business date'),
    creationDate: date(r, 31, 38, 'cash letter creation date'),
    creationTime: time(r, 39, 42, 'cash letter creation time'),
    recordTypeIndicator: r.text(43, 43, 'cash letter record type indicator'),
    cashLetterId: r.text(45, 52, 'cash letter ID'),
    bundles: [],
    totalAmountCents: 0,
    settlementDate: null,
  };
}

function parseBundleHeader(r: X9Record): X937Bundle {
  return {
    record: r.number,
    collectionTypeIndicator: digits(r, 3, 4, 'collection type indicator'),
    destinationRoutingNumber: digits(r, 5, 13, 'destination routing number'),
    eceInstitutionRoutingNumber: digits(r, 14, 22, 'ECE institution routing number'),
    businessDate: date(r, 23, 30, 'bundle business date'),
    creationDate: date(r, 31, 38, 'bundle creation date'),
    bundleId: r.text(39, 48, 'bundle ID'),
    sequenceNumber: r.text(49, 52, 'bundle sequence number'),
    items: [],
    totalAmountCents: 0,
  };
}

function parseCheck(r: X9Record): X937Check {
  return {
    kind: 'check',
    record: r.number,
    auxiliaryOnUs: r.text(3, 17, 'auxiliary on-us'),
    payorBankRoutingNumber: digits(r, 19, 26, 'payor bank routing number'),
    payorBankCheckDigit: checkDigit(r, 27),
    onUs: r.text(28, 47, 'on-us'),
    amountCents: amountCents(r, 48, 57, 'item amount'),
    eceInstitutionItemSequenceNumber: r.text(58, 72, 'ECE institution item sequence number'),
    images: [],
  };
}

function parseReturn(r: X9Record, bundle: X937Bundle): X937Return {
  const returnReasonCode = r.raw(42, 42, 'return reason');
  if (returnReasonCode.trim() === '') fail(r.number, 'missing return reason');
  return {
    kind: 'return',
    record: r.number,
    payorBankRoutingNumber: digits(r, 3, 10, 'payor bank routing number'),
    payorBankCheckDigit: checkDigit(r, 11),
    onUs: r.text(12, 31, 'on-us'),
    amountCents: amountCents(r, 32, 41, 'item amount'),
    returnReasonCode,
    returnReason: X9_RETURN_REASONS[returnReasonCode] ?? null,
    returnDate: bundle.businessDate,
    forwardBundleDate: optionalDate(r, 46, 53, 'forward bundle date'),
    eceInstitutionItemSequenceNumber: r.text(54, 68, 'ECE institution item sequence number'),
    images: [],
  };
}

/**
 * A length inside a 52 record. Padding spaces are allowed around the digits and a blank field
 * is zero: the real sample writes the digital signature length as '0    '.
 */
function partLength(r: X9Record, from: number, to: number, name: string): number {
  const raw = r.raw(from, to, name).trim();
  if (raw === '') return 0;
  if (!/^\d+$/.test(raw)) fail(r.number, `${name} '${raw}' is not a number`);
  return Number(raw);
}

/**
 * A 52 record: fixed fields to position 105, then three length-prefixed parts (image reference
 * key, digital signature, image data) that must fill the record exactly.
 */
function parseImageData(r: X9Record): X937Image {
  let at = 106;
  at += partLength(r, 102, 105, 'length of image reference key');
  const signatureLength = partLength(r, at, at + 4, 'length of digital signature');
  at += 5 + signatureLength;
  const imageLength = partLength(r, at, at + 6, 'length of image data');
  at += 7;
  if (at - 1 + imageLength !== r.length) {
    fail(r.number, `image view data parts end at byte ${at - 1 + imageLength} but the record is ${r.length} bytes`);
  }
  return { record: r.number, offset: r.start + at - 1, length: imageLength };
}

// ---------------------------------------------------------------------------------------------
// Structure, control totals and counts

interface OpenItem {
  item: X937Item;
  addenda: number;
  declaredAddenda: number | null;
  imageViews: number;
  lastImageType: string | null;
}

class X937Reader {
  private state: 'start' | 'file' | 'cash-letter' | 'bundle' | 'end' = 'start';
  private header: X937FileHeader | null = null;
  private readonly cashLetters: X937CashLetter[] = [];
  private letter: X937CashLetter | null = null;
  private bundle: X937Bundle | null = null;
  private item: OpenItem | null = null;
  private bundleImageViews = 0;
  private letterImageViews = 0;
  private totalAmountCents = 0;
  private recordCount = 0;
  readonly warnings: X937Warning[] = [];

  read(r: X9Record): void {
    this.recordCount++;
    if (!/^\d\d$/.test(r.type) || !KNOWN_TYPES.has(r.type)) fail(r.number, `unknown record type '${r.type}'`);
    if (this.state === 'end') fail(r.number, `record type ${r.type} after the file control (99)`);
    if (this.state === 'start') return this.readFileHeader(r);
    if (r.type === '68') return; // user records may sit anywhere inside the file
    if (this.state === 'file') return this.readInFile(r);
    if (this.state === 'cash-letter') return this.readInCashLetter(r);
    return this.readInBundle(r);
  }

  finish(encoding: X937Encoding): X937File {
    if (this.state !== 'end' || !this.header) fail(null, `the file ends ${this.whereOpen()} without a file control record (99)`);
    const all = this.cashLetters.flatMap((l) => l.bundles.flatMap((b) => b.items));
    return {
      encoding,
      header: this.header,
      cashLetters: this.cashLetters,
      totalAmountCents: this.totalAmountCents,
      recordCount: this.recordCount,
      checks: all.filter((i): i is X937Check => i.kind === 'check'),
      returns: all.filter((i): i is X937Return => i.kind === 'return'),
      warnings: this.warnings,
    };
  }

  private whereOpen(): string {
    if (this.bundle) return `inside the bundle opened at record ${this.bundle.record}`;
    if (this.letter) return `inside the cash letter opened at record ${this.letter.record}`;
    return this.cashLetters.length > 0 ? 'after its last cash letter' : 'after its file header';
  }

  private warnCount(r: X9Record, what: string, declared: number | null, actual: number): void {
    if (declared !== actual) this.warnings.push({ record: r.number, message: `${what}: the control says ${declared ?? 'no number'}, the file holds ${actual}` });
  }

  private readFileHeader(r: X9Record): void {
    if (r.type !== '01') fail(r.number, `the file must begin with a file header (01), not type ${r.type}`);
    this.header = parseFileHeader(r);
    this.state = 'file';
  }

  private readInFile(r: X9Record): void {
    if (r.type === '10') {
      this.letter = parseCashLetterHeader(r);
      this.letterImageViews = 0;
      this.state = 'cash-letter';
    } else if (r.type === '99') {
      this.closeFile(r);
    } else {
      fail(r.number, `expected a cash letter header (10) or the file control (99), found type ${r.type}`);
    }
  }

  private readInCashLetter(r: X9Record): void {
    if (r.type === '20') {
      this.bundle = parseBundleHeader(r);
      this.bundleImageViews = 0;
      this.state = 'bundle';
    } else if (r.type === '90') {
      this.closeCashLetter(r);
    } else if (r.type !== '85') {
      fail(r.number, `expected a bundle header (20), routing number summary (85) or cash letter control (90), found type ${r.type}`);
    }
  }

  private readInBundle(r: X9Record): void {
    const bundle = this.bundle!;
    switch (r.type) {
      case '25':
      case '31':
        this.openItem(r, bundle);
        return;
      case '26':
      case '27':
      case '28':
        return this.readAddendum(r, 'check');
      case '32':
      case '33':
      case '34':
      case '35':
        return this.readAddendum(r, 'return');
      case '50':
      case '52':
      case '54':
        return this.readImageView(r);
      case '70':
        return this.closeBundle(r);
      default:
        fail(r.number, `expected an item, addendum, image view or bundle control (70) in the bundle, found type ${r.type}`);
    }
  }

  private openItem(r: X9Record, bundle: X937Bundle): void {
    this.closeItem();
    const item = r.type === '25' ? parseCheck(r) : parseReturn(r, bundle);
    const declaredAddenda = r.type === '25' ? count(r, 77, 78, 'check detail addendum count') : count(r, 43, 44, 'return addendum count');
    bundle.items.push(item);
    this.item = { item, addenda: 0, declaredAddenda, imageViews: 0, lastImageType: null };
  }

  private closeItem(): void {
    const open = this.item;
    if (!open) return;
    const what = open.item.kind === 'check' ? 'check detail addendum count' : 'return addendum count';
    if (open.declaredAddenda !== open.addenda) {
      this.warnings.push({ record: open.item.record, message: `${what}: the item says ${open.declaredAddenda ?? 'no number'}, the file holds ${open.addenda}` });
    }
    this.item = null;
  }

  private readAddendum(r: X9Record, kind: X937Item['kind']): void {
    const open = this.item;
    const itemType = kind === 'check' ? 'check detail (25)' : 'return (31)';
    if (!open || open.item.kind !== kind) fail(r.number, `addendum type ${r.type} must follow a ${itemType}`);
    if (open.imageViews > 0) fail(r.number, `addendum type ${r.type} after the item's image views`);
    open.addenda++;
  }

  private readImageView(r: X9Record): void {
    const open = this.item;
    if (!open) fail(r.number, `image view type ${r.type} must follow a check detail (25) or return (31)`);
    if (r.type === '50') {
      open.imageViews++;
      this.bundleImageViews++;
      this.letterImageViews++;
    } else if (r.type === '52') {
      if (open.lastImageType !== '50') fail(r.number, 'image view data (52) must follow an image view detail (50)');
      open.item.images.push(parseImageData(r));
    } else if (open.lastImageType === null || open.lastImageType === '54') {
      fail(r.number, 'image view analysis (54) must follow an image view detail (50) or data (52)');
    }
    open.lastImageType = r.type;
  }

  private closeBundle(r: X9Record): void {
    this.closeItem();
    const bundle = this.bundle!;
    bundle.totalAmountCents = amountCents(r, 7, 18, 'bundle total amount');
    const sum = bundle.items.reduce((s, i) => addCents(s, i.amountCents, r.number), 0);
    if (sum !== bundle.totalAmountCents) fail(r.number, `bundle total amount ${bundle.totalAmountCents} does not equal the sum of its items ${sum}`);
    this.warnCount(r, 'items within bundle', count(r, 3, 6, 'items within bundle count'), bundle.items.length);
    this.warnCount(r, 'images within bundle', count(r, 31, 35, 'images within bundle count'), this.bundleImageViews);
    this.letter!.bundles.push(bundle);
    this.bundle = null;
    this.state = 'cash-letter';
  }

  private closeCashLetter(r: X9Record): void {
    const letter = this.letter!;
    letter.totalAmountCents = amountCents(r, 17, 30, 'cash letter total amount');
    const sum = letter.bundles.reduce((s, b) => addCents(s, b.totalAmountCents, r.number), 0);
    if (sum !== letter.totalAmountCents) fail(r.number, `cash letter total amount ${letter.totalAmountCents} does not equal the sum of its items ${sum}`);
    letter.settlementDate = optionalDate(r, 58, 65, 'settlement date');
    this.warnCount(r, 'bundles in cash letter', count(r, 3, 8, 'bundle count'), letter.bundles.length);
    this.warnCount(r, 'items within cash letter', count(r, 9, 16, 'items within cash letter count'), letter.bundles.reduce((n, b) => n + b.items.length, 0));
    this.warnCount(r, 'images within cash letter', count(r, 31, 39, 'images within cash letter count'), this.letterImageViews);
    this.cashLetters.push(letter);
    this.letter = null;
    this.state = 'file';
  }

  private closeFile(r: X9Record): void {
    this.totalAmountCents = amountCents(r, 25, 40, 'file total amount');
    const sum = this.cashLetters.reduce((s, l) => addCents(s, l.totalAmountCents, r.number), 0);
    if (sum !== this.totalAmountCents) fail(r.number, `file total amount ${this.totalAmountCents} does not equal the sum of its items ${sum}`);
    const items = this.cashLetters.reduce((n, l) => n + l.bundles.reduce((m, b) => m + b.items.length, 0), 0);
    this.warnCount(r, 'cash letters in file', count(r, 3, 8, 'cash letter count'), this.cashLetters.length);
    this.warnCount(r, 'records in file', count(r, 9, 16, 'total record count'), this.recordCount);
    this.warnCount(r, 'items in file', count(r, 17, 24, 'total item count'), items);
    this.state = 'end';
  }
}

export function parseX937(bytes: Uint8Array): X937File {
  if (bytes.length === 0) fail(null, 'empty file');
  const frames = frame(bytes);
  const encoding = detectEncoding(bytes, frames[0]!);
  const reader = new X937Reader();
  frames.forEach((f, i) => reader.read(new X9Record(bytes, f.start, f.length, i + 1, encoding)));
  return reader.finish(encoding);
}
