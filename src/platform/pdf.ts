/**
 * The one PDF look shared by letters, bills, deposit slips and work lists: US Letter, 0.6in
 * margins, built-in Helvetica (no font files), a header (utility, title, subtitle) and a footer
 * ("Page N of M", generation time) on every page. Pages are buffered so the footer can count them.
 *
 * Output is byte-identical for the same input: pdfkit's file ID is an MD5 of the info dictionary,
 * so fixing CreationDate (to `generatedAt`) fixes the ID, and nothing else in a document that uses
 * only the standard fonts depends on the clock or on randomness.
 */
import PDFDocument from 'pdfkit';

export interface PdfDocumentOptions {
  title: string;
  subtitle?: string;
  utilityName: string;
  generatedAt: Date;
  timeZone: string;
  landscape?: boolean;
}

export interface PdfColumn {
  header: string;
  /** Points (1/72 in); columns are scaled down together when they are wider than the page. */
  width: number;
  align?: 'left' | 'right' | 'center';
  /** A space for a field person to write in: a ruled line along the bottom of each cell. */
  writeIn?: boolean;
}

export interface PdfTableOptions {
  /** Rows are given in order; a band with the group's name starts each run of the same group. */
  groupBy?: (row: string[]) => string;
  /** Draw the header row again at the top of every page the table continues on (default true). */
  repeatHeader?: boolean;
  /** Points; make rows taller than their text, e.g. to leave room to write. */
  minRowHeight?: number;
}

export interface PdfWriter {
  heading(text: string): void;
  paragraph(text: string): void;
  keyValues(pairs: [string, string][]): void;
  table(columns: PdfColumn[], rows: string[][], options?: PdfTableOptions): void;
  pageBreak(): void;
  /** A label and `count` ruled lines for a field person to write on. */
  blankLines(label: string, count: number): void;
  raw: PDFKit.PDFDocument;
}

export const PAGE_MARGIN = 0.6 * 72;
const HEADER_HEIGHT = 52;
const FOOTER_HEIGHT = 24;
const FONT = 'Helvetica';
const BOLD = 'Helvetica-Bold';
const BODY_SIZE = 9.5;
const TABLE_SIZE = 8.5;
const CELL_PAD = 3;
const CELL_PAD_X = 5;
const WRITE_LINE_GAP = 22;
const INK = '#000000';
const MUTED = '#555555';
const RULE = '#999999';
const BAND = '#dcdcdc';
const STRIPE = '#f4f4f4';

export function renderPdf(options: PdfDocumentOptions, draw: (doc: PdfWriter) => void): Promise<Buffer> {
  const info: PDFKit.DocumentInfo = {
    Title: options.title,
    Author: options.utilityName,
    Creator: 'Ratepayer',
    Producer: 'Ratepayer (PDFKit)',
    CreationDate: options.generatedAt,
  };
  if (options.subtitle) info.Subject = options.subtitle;
  const doc = new PDFDocument({
    size: 'LETTER',
    layout: options.landscape ? 'landscape' : 'portrait',
    margins: { top: PAGE_MARGIN + HEADER_HEIGHT, bottom: PAGE_MARGIN + FOOTER_HEIGHT, left: PAGE_MARGIN, right: PAGE_MARGIN },
    bufferPages: true,
    displayTitle: true,
    info,
  });
  return new Promise<Buffer>((resolve, reject) => {
    const chunks: Buffer[] = [];
    doc.on('data', (chunk: Buffer) => chunks.push(chunk));
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
    try {
      doc.font(FONT).fontSize(BODY_SIZE).fillColor(INK);
      draw(createWriter(doc));
      stampPages(doc, options);
      doc.end();
    } catch (error) {
      reject(error instanceof Error ? error : new Error(String(error)));
    }
  });
}

/**
 * The standard fonts only encode Windows-1252; other characters would print as garbage. A letter
 * outside it loses its accent (Ő becomes O) and anything else that will not fit becomes "?".
 */
const WIN_ANSI_EXTRA = new Set('€‚ƒ„…†‡ˆ‰Š‹ŒŽ‘’“”•–—˜™š›œžŸ');
/** Letters whose accent is not a combining mark, so NFKD leaves them alone. */
const PLAIN_LETTER: Record<string, string> = { Ł: 'L', ł: 'l', Đ: 'D', đ: 'd', Ħ: 'H', ħ: 'h', ı: 'i', Ŧ: 'T', ŧ: 't' };
const encodable = (ch: string) => {
  const code = ch.codePointAt(0) ?? 0;
  return ch === '\n' || (code >= 0x20 && code <= 0x7e) || (code >= 0xa0 && code <= 0xff) || WIN_ANSI_EXTRA.has(ch);
};
export function pdfText(text: string): string {
  let out = '';
  for (const ch of text.replace(/\r\n?/g, '\n').replace(/\t/g, ' ')) {
    if (encodable(ch)) out += ch;
    else {
      const bare = PLAIN_LETTER[ch] ?? ch.normalize('NFKD').replace(/\p{M}/gu, '');
      out += bare !== '' && [...bare].every(encodable) ? bare : '?';
    }
  }
  return out;
}

export function formatGeneratedAt(at: Date, timeZone: string): string {
  const parts = new Intl.DateTimeFormat('en-US', {
    timeZone, year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', hourCycle: 'h23', timeZoneName: 'short',
  }).formatToParts(at);
  const part = (type: Intl.DateTimeFormatPartTypes) => parts.find((p) => p.type === type)?.value ?? '';
  return `${part('year')}-${part('month')}-${part('day')} ${part('hour')}:${part('minute')} ${part('timeZoneName')}`;
}

function stampPages(doc: PDFKit.PDFDocument, options: PdfDocumentOptions): void {
  const { start, count } = doc.bufferedPageRange();
  const generated = `Generated ${formatGeneratedAt(options.generatedAt, options.timeZone)}`;
  for (let i = 0; i < count; i++) {
    doc.switchToPage(start + i);
    const page = doc.page;
    const savedBottom = page.margins.bottom;
    page.margins.bottom = 0; // text in the footer area must not start a new page
    const left = PAGE_MARGIN;
    const right = page.width - PAGE_MARGIN;
    const line = (text: string, y: number, font: string, size: number, color: string) =>
      doc.font(font).fontSize(size).fillColor(color).text(pdfText(text), left, y, { lineBreak: false });
    line(options.utilityName.toUpperCase(), PAGE_MARGIN, BOLD, 8, MUTED);
    line(options.title, PAGE_MARGIN + 11, BOLD, 14, INK);
    if (options.subtitle) line(options.subtitle, PAGE_MARGIN + 29, FONT, 9, MUTED);
    const ruleY = PAGE_MARGIN + HEADER_HEIGHT - 10;
    doc.moveTo(left, ruleY).lineTo(right, ruleY).lineWidth(0.75).strokeColor(RULE).stroke();

    const footerY = page.height - PAGE_MARGIN - 9;
    doc.moveTo(left, footerY - 6).lineTo(right, footerY - 6).lineWidth(0.5).strokeColor(RULE).stroke();
    line(generated, footerY, FONT, 8, MUTED);
    const pageLabel = `Page ${i + 1} of ${count}`;
    doc.text(pageLabel, right - doc.widthOfString(pageLabel), footerY, { lineBreak: false });
    page.margins.bottom = savedBottom;
  }
  doc.fillColor(INK);
}

function createWriter(doc: PDFKit.PDFDocument): PdfWriter {
  const left = () => doc.page.margins.left;
  const top = () => doc.page.margins.top;
  const width = () => doc.page.width - doc.page.margins.left - doc.page.margins.right;
  const bottom = () => doc.page.height - doc.page.margins.bottom;
  const body = () => doc.font(FONT).fontSize(BODY_SIZE).fillColor(INK);
  /** Start a new page unless `height` more points fit on this one (or we are at its top already). */
  const ensureSpace = (height: number) => {
    if (doc.y + height > bottom() && doc.y > top()) doc.addPage();
  };
  const flow = (text: string, font: string, size: number, gapAfter: number) => {
    doc.font(font).fontSize(size).fillColor(INK).text(pdfText(text), left(), doc.y, { width: width(), lineGap: 1.5 });
    doc.y += gapAfter;
    body();
  };

  return {
    raw: doc,
    heading(text) {
      ensureSpace(48); // a heading never sits alone at the bottom of a page
      if (doc.y > top()) doc.y += 6;
      flow(text, BOLD, 12, 4);
    },
    paragraph(text) {
      flow(text, FONT, BODY_SIZE, 6);
    },
    keyValues(pairs) {
      doc.font(BOLD).fontSize(BODY_SIZE);
      const keyWidth = Math.min(width() * 0.4, Math.max(0, ...pairs.map(([k]) => doc.widthOfString(pdfText(k)))) + 12);
      const valueWidth = width() - keyWidth;
      for (const [key, value] of pairs) {
        const k = pdfText(key);
        const v = pdfText(value);
        const height = Math.max(doc.font(BOLD).heightOfString(k, { width: keyWidth - 8 }), doc.font(FONT).heightOfString(v || ' ', { width: valueWidth })) + 3;
        ensureSpace(height);
        const y = doc.y;
        doc.font(BOLD).fillColor(INK).text(k, left(), y, { width: keyWidth - 8 });
        doc.font(FONT).text(v, left() + keyWidth, y, { width: valueWidth });
        doc.y = y + height;
      }
      doc.y += 6;
      body();
    },
    table(columns, rows, options = {}) {
      drawTable(doc, { left, top, width, bottom }, columns, rows, options);
      doc.x = left();
      body();
    },
    pageBreak() {
      doc.addPage();
    },
    blankLines(label, count) {
      ensureSpace(16 + Math.min(count, 3) * WRITE_LINE_GAP);
      flow(label, BOLD, BODY_SIZE, 0);
      for (let i = 0; i < count; i++) {
        ensureSpace(WRITE_LINE_GAP);
        const y = doc.y + WRITE_LINE_GAP - 4;
        doc.moveTo(left(), y).lineTo(left() + width(), y).lineWidth(0.5).strokeColor(RULE).stroke();
        doc.y += WRITE_LINE_GAP;
      }
      doc.y += 6;
      doc.x = left();
    },
  };
}

interface PageBox { left(): number; top(): number; width(): number; bottom(): number }

function drawTable(doc: PDFKit.PDFDocument, box: PageBox, columns: PdfColumn[], rawRows: string[][], options: PdfTableOptions): void {
  const repeatHeader = options.repeatHeader ?? true;
  const scale = Math.min(1, box.width() / columns.reduce((sum, c) => sum + c.width, 0));
  const widths = columns.map((c) => c.width * scale);
  const tableWidth = widths.reduce((sum, w) => sum + w, 0);
  const rows = rawRows.map((row) => columns.map((_, i) => pdfText(row[i] ?? '')));
  const groupBy = options.groupBy;
  const groups = groupBy ? rawRows.map((row) => groupBy(row)) : [];
  const textWidth = (i: number) => (widths[i] ?? 0) - 2 * CELL_PAD_X;
  const maxRowHeight = () => box.bottom() - box.top() - 60;

  const measure = (cells: string[], font: string, min: number) => {
    doc.font(font).fontSize(TABLE_SIZE);
    const text = Math.max(...cells.map((cell, i) => doc.heightOfString(cell || ' ', { width: textWidth(i) })));
    return Math.min(maxRowHeight(), Math.max(min, text + 2 * CELL_PAD));
  };
  const drawCells = (cells: string[], y: number, height: number, font: string) => {
    doc.font(font).fontSize(TABLE_SIZE).fillColor(INK);
    let x = box.left();
    cells.forEach((cell, i) => {
      const w = widths[i] ?? 0;
      if (cell) doc.text(cell, x + CELL_PAD_X, y + CELL_PAD, { width: textWidth(i), height: height - 2 * CELL_PAD, ellipsis: true, align: columns[i]?.align ?? 'left' });
      if (font === FONT && columns[i]?.writeIn) {
        const lineY = y + height - CELL_PAD - 1;
        doc.moveTo(x + CELL_PAD_X, lineY).lineTo(x + w - CELL_PAD_X, lineY).lineWidth(0.6).strokeColor('#333333').stroke();
      }
      x += w;
    });
  };
  const rule = (y: number, color: string, weight: number) =>
    doc.moveTo(box.left(), y).lineTo(box.left() + tableWidth, y).lineWidth(weight).strokeColor(color).stroke();

  const headerCells = columns.map((c) => pdfText(c.header));
  const headerHeight = measure(headerCells, BOLD, 0);
  const bandHeight = TABLE_SIZE + 2 * CELL_PAD + 4;
  const drawHeader = () => {
    const y = doc.y;
    doc.rect(box.left(), y, tableWidth, headerHeight).fill(BAND);
    drawCells(headerCells, y, headerHeight, BOLD);
    rule(y + headerHeight, '#666666', 0.75);
    doc.y = y + headerHeight;
  };
  const drawBand = (label: string) => {
    const y = doc.y;
    doc.rect(box.left(), y, tableWidth, bandHeight).fill('#eeeeee');
    doc.font(BOLD).fontSize(TABLE_SIZE + 1).fillColor(INK).text(pdfText(label), box.left() + CELL_PAD_X, y + CELL_PAD + 1, { width: tableWidth - 2 * CELL_PAD_X, lineBreak: false });
    rule(y + bandHeight, RULE, 0.5);
    doc.y = y + bandHeight;
  };
  const newPage = (continuedGroup: string | undefined) => {
    doc.addPage();
    if (repeatHeader) drawHeader();
    if (continuedGroup !== undefined) drawBand(`${continuedGroup} (continued)`);
  };

  const firstHeight = rows[0] ? measure(rows[0], FONT, options.minRowHeight ?? 0) : 0;
  if (doc.y + headerHeight + bandHeight + firstHeight > box.bottom() && doc.y > box.top()) doc.addPage();
  drawHeader();
  let group: string | undefined;
  let stripe = false;
  rows.forEach((cells, index) => {
    const height = measure(cells, FONT, options.minRowHeight ?? 0);
    const rowGroup = groups[index];
    if (rowGroup !== undefined && rowGroup !== group) {
      if (doc.y + bandHeight + height > box.bottom()) newPage(undefined);
      drawBand(rowGroup);
      group = rowGroup;
      stripe = false;
    } else if (doc.y + height > box.bottom()) {
      newPage(group);
    }
    const y = doc.y;
    if (stripe) doc.rect(box.left(), y, tableWidth, height).fill(STRIPE);
    stripe = !stripe;
    drawCells(cells, y, height, FONT);
    rule(y + height, '#cccccc', 0.5);
    doc.y = y + height;
  });
  doc.y += 8;
}
