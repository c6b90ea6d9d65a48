/**
 * The customer's bill (statement) as a printable PDF, and the print vendor's batch file of many
 * statements. Pure functions of the statements given: gathering the bills, balances and messages
 * of an account is the caller's job. Both refuse a statement whose numbers do not add up (see
 * `statementProblems`): a bill that does not tie must be held, not mailed.
 *
 * ---------------------------------------------------------------------------------------------
 * PRINT VENDOR BATCH FILE LAYOUT (RATEPAYER, version 1)
 *
 * Encoding: UTF-8, no byte-order mark. Records end with CR LF (the last record too). Fields are
 * separated by "|" and are never quoted; a "|", CR, LF (a CR LF pair counts as one) or any other
 * control character inside a field is replaced by a single space. Money is integer cents
 * (US dollars x 100), negative with a leading "-" (a negative amount due is a credit: nothing to
 * pay). Dates are YYYY-MM-DD. Quantities, readings and prices are plain decimals ("812",
 * "0.0812"). An absent value is an empty field. Statements are numbered 1..n in file order (seq);
 * every record after a statement's S record carries that statement's seq.
 *
 *   H|RATEPAYER|run id|generated at (ISO 8601 UTC, e.g. 2025-03-04T14:05:00.000Z)|statement count
 *   per statement, in this order:
 *     S|seq|account number|customer name|billing address line 1|billing address line 2|
 *       city state ZIP line|service address|bill date|due date|previous balance cents|
 *       payments cents|adjustments cents|current charges cents|amount due cents|scan line
 *     per service on the statement:
 *       V|seq|service (electric, water, fiber)|period from|period to|meter serial|
 *         previous reading|current reading|E when the current reading is estimated, else empty|
 *         usage|usage unit|service total cents
 *       per line of that service, right after its V record:
 *         L|seq|service|charge code|description|quantity|unit|unit price|amount cents
 *     on a budget-billed statement (after the V and L records):
 *       B|seq|budget amount cents|charges this month cents|budget entries cents (within the
 *         S record's adjustments)|deferred balance cents after this bill
 *     per message on the statement:
 *       M|seq|text
 *   T|statement count|sum of amount due cents (signed, credits included)|record count
 *     (every record in the file, H and T included)
 *
 * (The S record is one line; it is wrapped above only to fit.) Billing address: the last line of
 * the address is the city-state-ZIP field; the first of the lines before it is line 1, and any
 * others are joined with ", " into line 2. A one-line address fills only the city-state-ZIP field.
 * Payments cents is zero or negative (money received lowers the balance).
 *
 * SCAN LINE (printed on the remittance stub in Courier, and the last field of the S record):
 *   the account number's digits, then the amount due in cents zero-padded to 10 digits (0 when
 *   the amount due is a credit or zero), then one check digit: the sum of all the digits before
 *   it, mod 10. Account 100234567 owing $123.45: "100234567" + "0000012345" + "3", as
 *   1+0+0+2+3+4+5+6+7 + 0+0+0+0+0+1+2+3+4+5 = 43 and 43 mod 10 = 3, so "10023456700000123453".
 *   A credit of $5.00 on the same account: "100234567" + "0000000000" + "8".
 * ---------------------------------------------------------------------------------------------
 */
import { assert } from '../platform/errors.ts';
import { Dec } from '../platform/decimal.ts';
import { daysBetween, MONTH_NAMES } from '../platform/dates.ts';
import { formatCents } from '../platform/money.ts';
import { pdfText, renderPdf, type PdfColumn, type PdfWriter } from '../platform/pdf.ts';

export interface StatementService {
  service: 'electric' | 'water' | 'fiber';
  rateCode: string;
  periodFrom: string; periodTo: string;   // YYYY-MM-DD inclusive
  meterSerial: string | null;
  previousRead: { date: string; reading: string } | null;
  currentRead: { date: string; reading: string; estimated: boolean } | null;
  multiplier: string | null;
  usage: string | null; usageUnit: string | null;
  lines: { code: string; description: string; kind: 'charge' | 'rider' | 'minimum' | 'tax' | 'credit'; quantity: string; unit: string; unitPrice: string; amountCents: number }[];
  totalCents: number;
  /** 13 months of use for the chart, oldest first: label like '2025-11', usage as decimal string. */
  history: { label: string; usage: string }[];
  /** Net metering: delivered and received kWh this period, banked credit carried, next true-up date. */
  netMetering?: { deliveredKwh: string; receivedKwh: string; bankedKwh: string; trueUpDate: string; lapsedKwh?: string };
}
export interface Statement {
  /** `remitTo`: where payments are mailed, when not the office address (the stub shows it). */
  utility: { name: string; address: string[]; phone: string; web: string; remitTo?: string[] };
  accountNumber: string;
  customerName: string;
  billingAddress: string[];      // lines
  serviceAddress: string;
  billDate: string; dueDate: string;
  previousBalanceCents: number;
  paymentsCents: number;         // negative or zero (payments received since last bill)
  adjustmentsCents: number;      // since last bill
  currentChargesCents: number;   // sum of services' totals
  amountDueCents: number;        // previous + payments + adjustments + current
  services: StatementService[];
  /**
   * Budget billing: the month's budget amount, the charges it stands in for, the budget entries
   * since the last bill (part of the adjustments: deferrals, the amount, a settle-up) and the
   * deferred balance after this bill.
   */
  budget?: { monthlyCents: number; billedCents: number; entriesCents: number; deferredCents: number };
  messages: string[];            // e.g. estimated read notice, budget billing notes
  /** The bill ids covered, for the stub's scan line. */
  billIds: number[];
}

// --- checks and the scan line ---

/** What does not add up on a statement; empty when it ties. */
export function statementProblems(s: Statement): string[] {
  const problems: string[] = [];
  const cents = (label: string, value: number) => {
    if (!Number.isSafeInteger(value)) problems.push(`${label} is not whole cents: ${value}`);
  };
  cents('previous balance', s.previousBalanceCents);
  cents('payments', s.paymentsCents);
  cents('adjustments', s.adjustmentsCents);
  cents('current charges', s.currentChargesCents);
  cents('amount due', s.amountDueCents);
  if (s.paymentsCents > 0) problems.push(`payments must be zero or negative, got ${s.paymentsCents}`);
  const due = s.previousBalanceCents + s.paymentsCents + s.adjustmentsCents + s.currentChargesCents;
  if (due !== s.amountDueCents) problems.push(`amount due ${s.amountDueCents} is not previous + payments + adjustments + current = ${due}`);
  const services = s.services.reduce((t, v) => t + v.totalCents, 0);
  if (services !== s.currentChargesCents) problems.push(`current charges ${s.currentChargesCents} are not the services' totals ${services}`);
  for (const v of s.services) {
    cents(`${v.service} total`, v.totalCents);
    for (const l of v.lines) cents(`${v.service} line ${l.code}`, l.amountCents);
    const lines = v.lines.reduce((t, l) => t + l.amountCents, 0);
    if (lines !== v.totalCents) problems.push(`${v.service} total ${v.totalCents} is not the sum of its lines ${lines}`);
  }
  return problems;
}

function assertTies(s: Statement): void {
  const problems = statementProblems(s);
  assert(problems.length === 0, `statement for account ${s.accountNumber} does not add up: ${problems.join('; ')}`);
}

const AMOUNT_DIGITS = 10;

/**
 * The stub's OCR scan line: account number digits + amount due in cents zero-padded to 10 digits
 * (a credit or zero balance scans as 0: nothing to collect) + a check digit, the digit sum of
 * everything before it mod 10. No separators. See the layout comment at the top of this file.
 */
export function scanLine(accountNumber: string, amountDueCents: number): string {
  assert(Number.isSafeInteger(amountDueCents), `amount due ${amountDueCents} is not whole cents`);
  const account = accountNumber.replace(/\D/g, '');
  assert(account !== '', `account number "${accountNumber}" has no digits`);
  const amount = String(Math.max(0, amountDueCents)).padStart(AMOUNT_DIGITS, '0');
  assert(amount.length === AMOUNT_DIGITS, `amount due ${amountDueCents} does not fit in ${AMOUNT_DIGITS} digits`);
  const body = account + amount;
  let sum = 0;
  for (const digit of body) sum += Number(digit);
  return body + String(sum % 10);
}

// --- the print vendor file ---

/** One field: "|", line breaks and other control characters become a space. */
function field(value: string | number | null | undefined): string {
  if (value === null || value === undefined) return '';
  // eslint-disable-next-line no-control-regex
  return String(value).replace(/\r\n|[|\u0000-\u001f\u007f]/g, ' ');
}

/** [line 1, line 2, city-state-ZIP line] of a billing address. */
function addressFields(lines: string[]): [string, string, string] {
  const kept = lines.filter((l) => l.trim() !== '');
  if (kept.length === 0) return ['', '', ''];
  const last = kept[kept.length - 1] ?? '';
  const before = kept.slice(0, -1);
  return [before[0] ?? '', before.slice(1).join(', '), last];
}

/** The print vendor's batch file (layout at the top of this file), CRLF line ends. */
export function printVendorFile(statements: Statement[], meta: { runId: number; generatedAt: Date }): string {
  const records: (string | number | null)[][] = [['H', 'RATEPAYER', meta.runId, meta.generatedAt.toISOString(), statements.length]];
  let dueSum = 0;
  statements.forEach((s, index) => {
    assertTies(s);
    const seq = index + 1;
    dueSum += s.amountDueCents;
    records.push([
      'S', seq, s.accountNumber, s.customerName, ...addressFields(s.billingAddress), s.serviceAddress, s.billDate, s.dueDate,
      s.previousBalanceCents, s.paymentsCents, s.adjustmentsCents, s.currentChargesCents, s.amountDueCents, scanLine(s.accountNumber, s.amountDueCents),
    ]);
    for (const v of s.services) {
      records.push([
        'V', seq, v.service, v.periodFrom, v.periodTo, v.meterSerial, v.previousRead?.reading ?? null, v.currentRead?.reading ?? null,
        v.currentRead?.estimated ? 'E' : '', v.usage, v.usageUnit, v.totalCents,
      ]);
      for (const l of v.lines) records.push(['L', seq, v.service, l.code, l.description, l.quantity, l.unit, l.unitPrice, l.amountCents]);
    }
    if (s.budget) records.push(['B', seq, s.budget.monthlyCents, s.budget.billedCents, s.budget.entriesCents, s.budget.deferredCents]);
    for (const m of s.messages) records.push(['M', seq, m]);
  });
  records.push(['T', statements.length, dueSum, records.length + 1]);
  return records.map((r) => r.map(field).join('|') + '\r\n').join('');
}

// --- formatting ---

const SERVICE_LABEL = { electric: 'Electric', water: 'Water', fiber: 'Fiber internet' } as const;

/** "2025-03-24" -> "March 24, 2025" (anything else is shown as given). */
function longDate(date: string): string {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date);
  const month = m ? MONTH_NAMES[Number(m[2]) - 1] : undefined;
  return m && month ? `${month} ${Number(m[3])}, ${m[1]}` : date;
}
/** "2025-03-24" -> "Mar 24, 2025". */
function shortDate(date: string): string {
  const long = longDate(date);
  return long === date ? date : long.replace(/^(\w{3})\w*/, '$1');
}
function periodText(from: string, to: string): string {
  const days = /^\d{4}-\d{2}-\d{2}$/.test(from) && /^\d{4}-\d{2}-\d{2}$/.test(to) ? daysBetween(from, to) + 1 : null;
  return `${shortDate(from)} \u2013 ${shortDate(to)}${days !== null ? ` (${days} days)` : ''}`;
}

const withCommas = (digits: string) => digits.replace(/\B(?=(\d{3})+(?!\d))/g, ',');

/** An exact decimal for people: "1234.5" -> "1,234.5"; text that is not a number is shown as given. */
function quantity(value: string): string {
  try {
    const text = Dec.of(value).toString();
    const [whole = '0', frac] = text.replace('-', '').split('.');
    return `${text.startsWith('-') ? '-' : ''}${withCommas(whole)}${frac ? `.${frac}` : ''}`;
  } catch {
    return value;
  }
}
/** A unit price as the tariff writes it, with at least two decimals: "0.0812" -> "$0.0812", "12" -> "$12.00". */
function unitPrice(value: string): string {
  try {
    const d = Dec.of(value);
    const [whole = '0', frac = ''] = d.abs().toString().split('.');
    return `${d.isNegative() ? '-' : ''}$${withCommas(whole)}.${frac.padEnd(2, '0')}`;
  } catch {
    return value;
  }
}
/** Dollars given as a decimal string (a tax's base): "84.1" -> "$84.10". */
function dollars(value: string): string {
  try {
    const d = Dec.of(value);
    const [whole = '0', frac = '00'] = d.abs().toFixed(2).split('.');
    return `${d.isNegative() ? '-' : ''}$${withCommas(whole)}.${frac}`;
  } catch {
    return value;
  }
}
/** A balance: a negative one is a credit, "$12.34 credit", never "-$12.34". */
function balance(cents: number): string {
  return cents < 0 ? `${formatCents(-cents)} credit` : formatCents(cents);
}
const use = (amount: string | null, unit: string | null) => (amount === null ? '\u2014' : `${quantity(amount)}${unit ? ` ${unit}` : ''}`);

type Line = StatementService['lines'][number];
/** "812 kWh x $0.0812", or for a percent (tax or rider) "6.5% of $84.12". */
function lineQuantity(line: Line): string {
  if (line.quantity.trim() === '') return '';
  if (line.unit === '%') return `${quantity(line.unitPrice)}% of ${dollars(line.quantity)}`;
  return `${quantity(line.quantity)}${line.unit ? ` ${line.unit}` : ''} x ${unitPrice(line.unitPrice)}`;
}

// --- the PDF ---

const FONT = 'Helvetica';
const BOLD = 'Helvetica-Bold';
const OBLIQUE = 'Helvetica-Oblique';
const MONO = 'Courier';
const INK = '#000000';
const MUTED = '#555555';
const RULE = '#999999';
const BAND = '#dcdcdc';
const BAR = '#a6a6a6';
const BAR_CURRENT = '#333333';
const BODY_SIZE = 9.5;

/** The stub's height, from the cut line to the bottom margin of page 1. */
const STUB_HEIGHT = 176;
/** Space kept between the bill's text and the cut line. */
const STUB_GAP = 10;
const CHART_HEIGHT = 118;
const ESTIMATE_NOTE = 'E = estimated reading. We could not read the meter this period, so this use is estimated from your past use; the next actual reading corrects it.';

type Doc = PDFKit.PDFDocument;

interface Box { left: number; right: number; width: number; top: number; bottom: number }
const pageBox = (doc: Doc): Box => {
  const { margins, width, height } = doc.page;
  return { left: margins.left, right: width - margins.right, width: width - margins.left - margins.right, top: margins.top, bottom: height - margins.bottom };
};
/** Start a new page unless `height` more points fit on this one (or we are at its top already). */
function ensureSpace(doc: Doc, height: number): void {
  const box = pageBox(doc);
  if (doc.y + height > box.bottom && doc.y > box.top) doc.addPage();
}
/** A field printed on one line: its line breaks become spaces. */
const oneLine = (text: string) => text.replace(/\s*[\r\n]+\s*/g, ' ');
/**
 * One line of text at a place, never wrapping or starting a page; returns the line's height. With
 * `maxWidth`, text too wide for it is cut short with an ellipsis.
 */
function put(doc: Doc, text: string, x: number, y: number, font = FONT, size = BODY_SIZE, color = INK, maxWidth?: number): number {
  let t = pdfText(oneLine(text));
  doc.font(font).fontSize(size).fillColor(color);
  if (maxWidth !== undefined && doc.widthOfString(t) > maxWidth) {
    while (t.length > 1 && doc.widthOfString(`${t}\u2026`) > maxWidth) t = t.slice(0, -1);
    t = `${t.trimEnd()}\u2026`;
  }
  doc.text(t, x, y, { lineBreak: false });
  return doc.currentLineHeight(true);
}
/** Like `put`, with the text's right edge at `right`. */
function putRight(doc: Doc, text: string, right: number, y: number, font = FONT, size = BODY_SIZE, color = INK): number {
  const t = pdfText(oneLine(text));
  doc.font(font).fontSize(size);
  return put(doc, t, right - doc.widthOfString(t), y, font, size, color);
}
/** A one-line field wrapped in a column if it must; returns its height. */
function wrapped(doc: Doc, text: string, x: number, y: number, width: number, font = FONT, size = BODY_SIZE, color = INK): number {
  const t = pdfText(oneLine(text));
  doc.font(font).fontSize(size).fillColor(color);
  const height = doc.heightOfString(t, { width });
  doc.text(t, x, y, { width });
  return height;
}

/** The top of page 1: the utility, the account, who the bill is for, and the account summary. */
function drawTop(doc: Doc, s: Statement): void {
  const box = pageBox(doc);
  const gutter = 24;
  const leftWidth = 250;
  const rightX = box.left + leftWidth + gutter;
  const rightWidth = box.right - rightX;
  const top = doc.y;

  // Left: the utility, then the customer's mailing block.
  let y = top;
  y += wrapped(doc, s.utility.name, box.left, y, leftWidth, BOLD, 11) + 1;
  for (const line of s.utility.address) y += wrapped(doc, line, box.left, y, leftWidth, FONT, 9);
  y += wrapped(doc, `Phone ${s.utility.phone}`, box.left, y, leftWidth, FONT, 9);
  y += wrapped(doc, s.utility.web, box.left, y, leftWidth, FONT, 9);
  y += 16;
  y += put(doc, 'Bill to', box.left, y, BOLD, 8, MUTED) + 1;
  y += wrapped(doc, s.customerName, box.left, y, leftWidth, BOLD, 10);
  for (const line of s.billingAddress) y += wrapped(doc, line, box.left, y, leftWidth, FONT, 10);
  const leftBottom = y;

  // Right: the account, then the summary box.
  y = top;
  const keyWidth = 92;
  const pairs: [string, string, string?][] = [
    ['Account number', s.accountNumber, BOLD],
    ['Service address', s.serviceAddress],
    ['Bill date', longDate(s.billDate)],
    ['Due date', s.amountDueCents > 0 ? longDate(s.dueDate) : 'No payment due', BOLD],
  ];
  for (const [key, value, font] of pairs) {
    put(doc, key, rightX, y + 1, FONT, 8.5, MUTED);
    y += Math.max(12, wrapped(doc, value, rightX + keyWidth, y, rightWidth - keyWidth, font ?? FONT, 9.5)) + 2;
  }
  y += 10;
  y = drawSummary(doc, s, rightX, y, rightWidth);

  doc.x = box.left;
  doc.y = Math.max(leftBottom, y) + 14;
}

/** The account summary box; returns the y below it. */
function drawSummary(doc: Doc, s: Statement, x: number, top: number, width: number): number {
  const pad = 7;
  const titleHeight = 17;
  const rows: [string, string][] = [
    ['Previous balance', balance(s.previousBalanceCents)],
    ['Payments received', formatCents(s.paymentsCents)],
    ...(s.budget
      ? [['Adjustments', formatCents(s.adjustmentsCents - s.budget.entriesCents)], ['Budget billing', formatCents(s.budget.entriesCents)]] as [string, string][]
      : [['Adjustments', formatCents(s.adjustmentsCents)]] as [string, string][]),
    ['Current charges', formatCents(s.currentChargesCents)],
  ];
  const rowHeight = 13.5;
  const dueHeight = 18;
  const height = titleHeight + pad / 2 + rows.length * rowHeight + 6 + dueHeight + rowHeight + pad / 2;
  doc.rect(x, top, width, titleHeight).fill(BAND);
  doc.rect(x, top, width, height).lineWidth(0.75).strokeColor('#666666').stroke();
  put(doc, 'Account summary', x + pad, top + 4.5, BOLD, 9.5);
  let y = top + titleHeight + pad / 2;
  for (const [label, value] of rows) {
    put(doc, label, x + pad, y + 2, FONT, 9.5);
    putRight(doc, value, x + width - pad, y + 2, FONT, 9.5);
    y += rowHeight;
  }
  y += 3;
  doc.moveTo(x + pad, y).lineTo(x + width - pad, y).lineWidth(0.75).strokeColor(INK).stroke();
  y += 3;
  const credit = s.amountDueCents < 0;
  put(doc, credit ? 'Credit balance' : 'Amount due', x + pad, y + 3, BOLD, 11.5);
  putRight(doc, balance(s.amountDueCents), x + width - pad, y + 3, BOLD, 11.5);
  y += dueHeight;
  put(doc, s.amountDueCents > 0 ? 'Due date' : 'No payment due', x + pad, y + 2, FONT, 9.5);
  if (s.amountDueCents > 0) putRight(doc, longDate(s.dueDate), x + width - pad, y + 2, BOLD, 9.5);
  return top + height;
}

/**
 * The detachable remittance stub at the bottom of page 1, below a dashed cut line. Drawn first,
 * then page 1's bottom margin is raised above it so the bill's text flows to page 2 instead.
 */
function drawStub(doc: Doc, s: Statement): void {
  const page = doc.page;
  const savedBottom = page.margins.bottom;
  const box = pageBox(doc);
  const cutY = box.bottom - STUB_HEIGHT;
  const [savedX, savedY] = [doc.x, doc.y];
  page.margins.bottom = 0; // nothing drawn here may start a page

  doc.moveTo(box.left, cutY).lineTo(box.right, cutY).lineWidth(0.75).strokeColor(INK).dash(4, { space: 3 }).stroke().undash();
  const notice = 'Please return this portion with your payment';
  doc.font(OBLIQUE).fontSize(8);
  put(doc, notice, box.left + (box.width - doc.widthOfString(notice)) / 2, cutY + 5, OBLIQUE, 8, MUTED);

  // Left: who it is from and for, and where to mail it.
  const top = cutY + 22;
  const x = box.left + 290;
  const leftWidth = x - box.left - 14;
  let y = top;
  y += put(doc, s.utility.name, box.left, y, BOLD, 10.5, INK, leftWidth) + 1;
  y += put(doc, s.customerName, box.left, y, FONT, 9, INK, leftWidth);
  y += put(doc, `Service address: ${s.serviceAddress}`, box.left, y, FONT, 8, MUTED, leftWidth) + 8;
  y += put(doc, `Make checks payable to ${s.utility.name} and mail to:`, box.left, y, FONT, 8, MUTED, leftWidth) + 2;
  for (const line of [s.utility.name, ...(s.utility.remitTo ?? s.utility.address)]) y += put(doc, line, box.left + 12, y, FONT, 10, INK, leftWidth - 12);

  // Right: the account, what is due, and a place to write what is enclosed.
  const width = box.right - x;
  const rowHeight = 21;
  const labelWidth = 100;
  const due = balance(s.amountDueCents);
  const rows: [string, string, string, number][] = [
    ['Account number', s.accountNumber, BOLD, 10.5],
    ['Due date', s.amountDueCents > 0 ? longDate(s.dueDate) : 'No payment due', FONT, 10],
    ['Amount due', due, BOLD, 11.5],
    ['Amount enclosed', '', BOLD, 10],
  ];
  rows.forEach(([label, value, font, size], i) => {
    const rowY = top + i * rowHeight;
    if (i === rows.length - 1) doc.rect(x, rowY, width, rowHeight).fill('#f0f0f0');
    put(doc, label, x + 6, rowY + 6.5, FONT, 8.5, MUTED);
    if (value) put(doc, value, x + labelWidth, rowY + (rowHeight - size) / 2 + 0.5, font, size, INK, width - labelWidth - 6);
    if (i > 0) doc.moveTo(x, rowY).lineTo(x + width, rowY).lineWidth(0.5).strokeColor(RULE).stroke();
  });
  // "Amount enclosed $____": a dollar sign and a line to write on.
  const enclosedY = top + (rows.length - 1) * rowHeight;
  put(doc, '$', x + labelWidth, enclosedY + 5.5, BOLD, 11);
  doc.moveTo(x + labelWidth + 9, enclosedY + rowHeight - 5).lineTo(x + width - 8, enclosedY + rowHeight - 5).lineWidth(0.6).strokeColor('#333333').stroke();
  doc.rect(x, top, width, rows.length * rowHeight).lineWidth(0.75).strokeColor('#666666').stroke();

  // The scan line, in a fixed-pitch font along the stub's bottom edge.
  const scan = scanLine(s.accountNumber, s.amountDueCents);
  const scanY = box.bottom - 18;
  putRight(doc, scan, box.right, scanY, MONO, 12);

  page.margins.bottom = Math.max(savedBottom, page.height - cutY + STUB_GAP);
  doc.fillColor(INK).strokeColor(INK);
  doc.x = savedX;
  doc.y = savedY;
}

const READ_COLUMNS: PdfColumn[] = [
  { header: 'Service period', width: 125 },
  { header: 'Meter', width: 75 },
  { header: 'Previous read', width: 85, align: 'right' },
  { header: 'Current read', width: 85, align: 'right' },
  { header: 'Multiplier', width: 60, align: 'right' },
  { header: 'Use', width: 95, align: 'right' },
];
const LINE_COLUMNS: PdfColumn[] = [
  { header: 'Description', width: 265 },
  { header: 'Quantity', width: 165, align: 'right' },
  { header: 'Amount', width: 95, align: 'right' },
];
const CHARGES = 'Charges';
const TAXES = 'Taxes';

function readCell(read: { date: string; reading: string; estimated?: boolean } | null): string {
  if (!read) return '\u2014';
  return `${quantity(read.reading)}${read.estimated ? ' E' : ''}\n${shortDate(read.date)}`;
}

/** Total lines right-aligned under a table (the tables are LINE_COLUMNS wide). */
function drawTotals(doc: Doc, rows: [label: string, cents: number, bold: boolean][]): void {
  const box = pageBox(doc);
  const tableRight = box.left + Math.min(box.width, LINE_COLUMNS.reduce((t, c) => t + c.width, 0));
  ensureSpace(doc, rows.length * 14 + 4);
  doc.y -= 4;
  for (const [label, cents, bold] of rows) {
    const font = bold ? BOLD : FONT;
    const size = bold ? 10 : 9;
    putRight(doc, formatCents(cents), tableRight - 5, doc.y, font, size);
    putRight(doc, label, tableRight - 5 - 100, doc.y, font, size);
    doc.y += size + 5;
  }
  doc.x = box.left;
  doc.y += 6;
}

/** A table's text height, measured as `renderPdf` lays it out (8.5pt cells, 3pt above and below). */
function tableHeight(doc: Doc, columns: PdfColumn[], rows: string[][], bands: number): number {
  doc.font(FONT).fontSize(8.5);
  const rowHeight = (cells: string[]) => Math.max(...cells.map((cell, i) => doc.heightOfString(pdfText(cell) || ' ', { width: (columns[i]?.width ?? 0) - 10 }))) + 6;
  const header = rowHeight(columns.map((c) => c.header));
  return header + bands * (8.5 + 6 + 4) + rows.reduce((t, row) => t + rowHeight(row), 0) + 8;
}

/** `fullPage`: the room on a page after page 1 (no stub), for keeping a service on one page. */
function drawService(pdf: PdfWriter, v: StatementService, fullPage: number): void {
  const doc = pdf.raw;
  const label = SERVICE_LABEL[v.service];
  const metered = v.meterSerial !== null || v.previousRead !== null || v.currentRead !== null;
  const readRow = [
    periodText(v.periodFrom, v.periodTo),
    v.meterSerial ?? '\u2014',
    readCell(v.previousRead),
    readCell(v.currentRead),
    v.multiplier === null ? '\u2014' : quantity(v.multiplier),
    use(v.usage, v.usageUnit),
  ];
  const facts: [string, string][] = [
    ['Service period', periodText(v.periodFrom, v.periodTo)],
    ...(v.usage !== null ? [['Use', use(v.usage, v.usageUnit)] as [string, string]] : []),
  ];

  // Charges, then taxes in a band of their own, then the service's total.
  const group = new Map<string[], string>();
  const rowOf = (line: Line, name: string) => {
    const row = [line.description, lineQuantity(line), formatCents(line.amountCents)];
    group.set(row, name);
    return row;
  };
  const charges = v.lines.filter((l) => l.kind !== 'tax');
  const taxes = v.lines.filter((l) => l.kind === 'tax');
  const rows = [...charges.map((l) => rowOf(l, CHARGES)), ...taxes.map((l) => rowOf(l, TAXES))];
  const taxCents = taxes.reduce((t, l) => t + l.amountCents, 0);
  const totals: [string, number, boolean][] = [
    ...(taxes.length > 0 ? [['Charges before taxes', v.totalCents - taxCents, false], [TAXES, taxCents, false]] as [string, number, boolean][] : []),
    [`${label} total`, v.totalCents, true],
  ];

  // The section stays on one page when it fits on one; if not, at least the heading to the total.
  const box = pageBox(doc);
  doc.font(OBLIQUE).fontSize(8);
  const note = v.currentRead?.estimated ? doc.heightOfString(pdfText(ESTIMATE_NOTE), { width: box.width }) + 2 : 0;
  const block = 32
    + (metered ? tableHeight(doc, READ_COLUMNS, [readRow], 0) + note : facts.length * 15 + 6)
    + (rows.length > 0 ? tableHeight(doc, LINE_COLUMNS, rows, (charges.length > 0 ? 1 : 0) + (taxes.length > 0 ? 1 : 0)) : 0)
    + totals.length * 14 + 2;
  const hasChart = metered && v.history.length > 0;
  const chart = hasChart || v.netMetering ? CHART_HEIGHT + 10 : 0;
  if (block + chart <= fullPage) ensureSpace(doc, block + chart);
  else if (block <= fullPage) ensureSpace(doc, block);
  doc.font(FONT).fontSize(BODY_SIZE);

  pdf.heading(`${label} service \u2014 rate ${v.rateCode}`);
  if (metered) {
    pdf.table(READ_COLUMNS, [readRow], { repeatHeader: false });
    if (v.currentRead?.estimated) {
      doc.y -= 4;
      doc.font(OBLIQUE).fontSize(8).fillColor(MUTED).text(pdfText(ESTIMATE_NOTE), pageBox(doc).left, doc.y, { width: pageBox(doc).width });
      doc.y += 6;
      doc.font(FONT).fontSize(BODY_SIZE).fillColor(INK);
    }
  } else {
    pdf.keyValues(facts);
  }
  if (rows.length > 0) pdf.table(LINE_COLUMNS, rows, { groupBy: (row) => group.get(row) ?? CHARGES });
  drawTotals(doc, totals);

  if (hasChart || v.netMetering) {
    ensureSpace(doc, CHART_HEIGHT + 8);
    const box = pageBox(doc);
    const top = doc.y;
    const netWidth = 200;
    const gutter = 18;
    const chartWidth = v.netMetering ? box.width - netWidth - gutter : Math.min(box.width, 380);
    if (hasChart) drawUseChart(doc, v, box.left, top, chartWidth, CHART_HEIGHT);
    if (v.netMetering) drawNetMetering(doc, v.netMetering, hasChart ? box.right - netWidth : box.left, top, netWidth);
    else drawUseFacts(doc, v, box.left + chartWidth + gutter, top + 16, box.right - box.left - chartWidth - gutter);
    doc.x = box.left;
    doc.y = top + CHART_HEIGHT + 10;
  }
}

/** "2025-11" -> ["Nov", "2025"]. */
function monthLabel(label: string): [string, string] {
  const m = /^(\d{4})-(\d{2})/.exec(label);
  const month = m ? MONTH_NAMES[Number(m[2]) - 1] : undefined;
  return m && month ? [month.slice(0, 3), m[1] ?? ''] : [label.slice(0, 7), ''];
}
/** Use as a number, for drawing only (never for money); a negative or unreadable value draws as 0. */
const amountOf = (usage: string) => {
  const n = Number(usage);
  return Number.isFinite(n) && n > 0 ? n : 0;
};
/** The smallest 1, 2, 2.5 or 5 x 10^n that is at least `value`. */
function niceCeiling(value: number): number {
  if (value <= 0) return 1;
  const power = 10 ** Math.floor(Math.log10(value));
  for (const step of [1, 2, 2.5, 5, 10]) if (step * power >= value) return step * power;
  return 10 * power;
}
const axisNumber = (n: number) => (Number.isInteger(n) ? withCommas(String(n)) : String(n));

/** A bar chart of the months' use, oldest first, the current month dark; vector shapes only. */
function drawUseChart(doc: Doc, v: StatementService, x: number, top: number, width: number, height: number): void {
  const unit = v.usageUnit ?? '';
  put(doc, `Your ${SERVICE_LABEL[v.service].toLowerCase()} use, last ${v.history.length} months${unit ? ` (${unit})` : ''}`, x, top, BOLD, 9);
  const axisWidth = 40;
  const plotLeft = x + axisWidth;
  const plotWidth = width - axisWidth;
  const plotTop = top + 22;
  const plotBottom = top + height - 20;
  const plotHeight = plotBottom - plotTop;
  const values = v.history.map((h) => amountOf(h.usage));
  const scaleMax = niceCeiling(Math.max(0, ...values));

  // Grid lines with their values at 0, half and full scale.
  for (const fraction of [0, 0.5, 1]) {
    const y = plotBottom - fraction * plotHeight;
    doc.moveTo(plotLeft, y).lineTo(plotLeft + plotWidth, y).lineWidth(fraction === 0 ? 0.75 : 0.4).strokeColor(fraction === 0 ? '#666666' : '#cccccc').stroke();
    putRight(doc, axisNumber(scaleMax * fraction), plotLeft - 4, y - 3, FONT, 6.5, MUTED);
  }
  const slot = plotWidth / Math.max(1, values.length);
  const barWidth = Math.max(2, slot * 0.62);
  v.history.forEach((h, i) => {
    const value = values[i] ?? 0;
    const barHeight = (value / scaleMax) * plotHeight;
    const center = plotLeft + slot * i + slot / 2;
    const current = i === values.length - 1;
    if (barHeight > 0) doc.rect(center - barWidth / 2, plotBottom - barHeight, barWidth, barHeight).fill(current ? BAR_CURRENT : BAR);
    if (current) {
      doc.font(BOLD).fontSize(6.5);
      const text = pdfText(quantity(h.usage));
      put(doc, text, center - doc.widthOfString(text) / 2, plotBottom - barHeight - 8, BOLD, 6.5);
    }
    const [month, year] = monthLabel(h.label);
    doc.font(FONT).fontSize(6.5);
    put(doc, month, center - doc.widthOfString(month) / 2, plotBottom + 3, current ? BOLD : FONT, 6.5, current ? INK : MUTED);
    if (year && (i === 0 || month === 'Jan')) {
      doc.font(FONT).fontSize(6);
      put(doc, year, center - doc.widthOfString(year) / 2, plotBottom + 10.5, FONT, 6, MUTED);
    }
  });
  doc.fillColor(INK).strokeColor(INK);
}

/** Beside the chart of a service without net metering: this period's use, per day, and a year ago. */
function drawUseFacts(doc: Doc, v: StatementService, x: number, top: number, width: number): void {
  if (width < 80 || v.usage === null) return;
  const facts: [string, string][] = [['This period', use(v.usage, v.usageUnit)]];
  if (/^\d{4}-\d{2}-\d{2}$/.test(v.periodFrom) && /^\d{4}-\d{2}-\d{2}$/.test(v.periodTo)) {
    const days = daysBetween(v.periodFrom, v.periodTo) + 1;
    try {
      if (days > 0) facts.push(['Average per day', use(Dec.of(v.usage).div(days, 1).toString(), v.usageUnit)]);
    } catch { /* a use that is not a number has no average */ }
  }
  const last = v.history[v.history.length - 1];
  const m = last ? /^(\d{4})-(\d{2})$/.exec(last.label) : null;
  const yearAgo = m ? v.history.find((h) => h.label === `${Number(m[1]) - 1}-${m[2]}`) : undefined;
  if (yearAgo) facts.push([`${monthLabel(yearAgo.label).join(' ')}`, use(yearAgo.usage, v.usageUnit)]);
  let y = top;
  for (const [label, value] of facts) {
    put(doc, label, x, y, FONT, 8.5, MUTED);
    y += put(doc, value, x, y + 10, BOLD, 10) + 14;
  }
}

/** The net-metering box: this period's flows both ways, the banked credit and the true-up. */
function drawNetMetering(doc: Doc, nm: NonNullable<StatementService['netMetering']>, x: number, top: number, width: number): void {
  const pad = 7;
  const rows: [string, string][] = [
    ['Delivered to you', `${quantity(nm.deliveredKwh)} kWh`],
    ['Received from you', `${quantity(nm.receivedKwh)} kWh`],
    ['Banked credit carried forward', `${quantity(nm.bankedKwh)} kWh`],
  ];
  if (nm.lapsedKwh !== undefined) rows.push(['Credit lapsed at true-up', `${quantity(nm.lapsedKwh)} kWh`]);
  rows.push(['Next true-up', shortDate(nm.trueUpDate)]);
  const titleHeight = 17;
  const rowHeight = 14;
  const height = titleHeight + pad + rows.length * rowHeight;
  doc.rect(x, top, width, titleHeight).fill(BAND);
  doc.rect(x, top, width, height).lineWidth(0.75).strokeColor('#666666').stroke();
  put(doc, 'Net metering', x + pad, top + 4.5, BOLD, 9.5);
  let y = top + titleHeight + pad / 2 + 1;
  for (const [label, value] of rows) {
    put(doc, label, x + pad, y, FONT, 8.5);
    putRight(doc, value, x + width - pad, y, BOLD, 8.5);
    y += rowHeight;
  }
  if (height + 22 < CHART_HEIGHT) {
    wrapped(doc, 'Credit you bank is used on later bills; any left at the true-up lapses.', x, top + height + 4, width, OBLIQUE, 7, MUTED);
  }
  doc.fillColor(INK).strokeColor(INK);
}

/**
 * The customer's bill: Letter pages in the one look of `renderPdf` (its header names the account on
 * every page), page 1 with the utility, account, addresses, account summary and messages on top and
 * the remittance stub at the bottom; then a section per service (reads, charges, taxes, total, use
 * chart, net metering), each kept on one page when it fits on one. Byte-identical for the same
 * statement and `generatedAt`.
 */
export function statementPdf(s: Statement, meta: { generatedAt: Date; timeZone: string }): Promise<Buffer> {
  try {
    assertTies(s);
  } catch (error) {
    return Promise.reject(error instanceof Error ? error : new Error(String(error)));
  }
  const subtitle = oneLine(`Account ${s.accountNumber} \u2014 ${s.customerName} \u2014 bill date ${longDate(s.billDate)}`);
  return renderPdf({ title: 'Your utility bill', subtitle, utilityName: s.utility.name, generatedAt: meta.generatedAt, timeZone: meta.timeZone }, (pdf) => {
    const doc = pdf.raw;
    const fullPage = pageBox(doc).bottom - pageBox(doc).top;
    drawStub(doc, s);
    drawTop(doc, s);
    // Messages (an estimated read, budget billing) go on page 1, where they are read.
    if (s.messages.length > 0) {
      pdf.heading('Messages');
      for (const message of s.messages) pdf.paragraph(`\u2022  ${message}`);
    }
    for (const v of s.services) drawService(pdf, v, fullPage);
  });
}
