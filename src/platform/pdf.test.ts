import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { formatGeneratedAt, pdfText, renderPdf, type PdfDocumentOptions, type PdfWriter } from './pdf.ts';

/** Poppler's pdftotext, when installed (Debian poppler-utils); the text checks skip without it. */
const hasPdftotext = spawnSync('pdftotext', ['-v']).error === undefined;
function pdfToText(pdf: Buffer): string {
  const result = spawnSync('pdftotext', ['-layout', '-', '-'], { input: pdf });
  if (result.status !== 0) throw new Error(`pdftotext failed: ${result.stderr.toString()}`);
  return result.stdout.toString('utf8');
}
/** Page objects in the file (pdfkit writes no object streams, so the dictionaries are plain text). */
const pageCount = (pdf: Buffer) => (pdf.toString('latin1').match(/\/Type \/Page\b(?!s)/g) ?? []).length;

const options: PdfDocumentOptions = {
  title: 'Test report',
  subtitle: 'Route 12',
  utilityName: 'Cascade Falls PUD',
  generatedAt: new Date('2025-03-04T14:05:00Z'),
  timeZone: 'America/Los_Angeles',
};

function drawSample(rowCount: number) {
  return (pdf: PdfWriter) => {
    pdf.heading('Summary');
    pdf.paragraph('A paragraph long enough to wrap across the page width. '.repeat(4));
    pdf.keyValues([['Account', '100234-5'], ['Customer', 'Maria Peña'], ['Note', 'Line one\nline two']]);
    const rows = Array.from({ length: rowCount }, (_, i) => [`Row ${i + 1}`, i % 7 === 0 ? 'A long cell that has to wrap onto several lines inside its narrow column' : 'short', String(i * 3)]);
    pdf.table([{ header: 'Name', width: 120 }, { header: 'Detail', width: 150 }, { header: 'Amount', width: 80, align: 'right' }], rows, {
      groupBy: (row) => (Number(row[2]) < 150 ? 'Group A' : 'Group B'),
    });
    pdf.blankLines('Signature', 2);
  };
}

describe('renderPdf', () => {
  it('writes a complete PDF with the document metadata', async () => {
    const pdf = await renderPdf(options, drawSample(5));
    const raw = pdf.toString('latin1');
    expect(raw.startsWith('%PDF-')).toBe(true);
    expect(raw.trimEnd().endsWith('%%EOF')).toBe(true);
    expect(raw).toContain('(Test report)');
    expect(raw).toContain('(Cascade Falls PUD)');
    expect(raw).toContain('(D:20250304140500Z)');
    expect(pageCount(pdf)).toBe(1);
  });

  it('is byte-identical for the same input and generation time', async () => {
    const first = await renderPdf(options, drawSample(60));
    const second = await renderPdf(options, drawSample(60));
    expect(first.equals(second)).toBe(true);
    const later = await renderPdf({ ...options, generatedAt: new Date('2025-03-04T14:06:00Z') }, drawSample(60));
    expect(later.equals(first)).toBe(false);
  });

  it('adds pages as a table grows', async () => {
    const small = pageCount(await renderPdf(options, drawSample(5)));
    const large = pageCount(await renderPdf({ ...options, landscape: true }, drawSample(150)));
    expect(large).toBeGreaterThan(small);
  });

  it.skipIf(!hasPdftotext)('stamps every page with the header, page numbers and generation time, and repeats the table header', async () => {
    const pdf = await renderPdf(options, drawSample(150));
    const pages = pdfToText(pdf).split('\f').filter((page) => page.trim() !== '');
    const total = pageCount(pdf);
    expect(total).toBeGreaterThan(2);
    expect(pages).toHaveLength(total);
    pages.forEach((page, i) => {
      expect(page).toContain('CASCADE FALLS PUD');
      expect(page).toContain('Test report');
      expect(page).toContain(`Page ${i + 1} of ${total}`);
      expect(page).toContain('Generated 2025-03-04 06:05 PST');
      if (/Row \d+/.test(page)) expect(page).toMatch(/Name\s+Detail\s+Amount/);
    });
    expect(pages[1]).toMatch(/Group [AB] \(continued\)/);
    expect(pages.join('')).toContain('Row 150');
    expect(pages[0]).toContain('Maria Peña');
  });

  it.skipIf(!hasPdftotext)('starts a new page on request', async () => {
    const pdf = await renderPdf(options, (p) => {
      p.paragraph('first');
      p.pageBreak();
      p.paragraph('second');
    });
    expect(pdfToText(pdf)).toMatch(/first[\s\S]*Page 1 of 2[\s\S]*\f[\s\S]*second[\s\S]*Page 2 of 2/);
  });
});

describe('pdfText', () => {
  it('keeps Windows-1252 text and replaces what the standard fonts cannot show', () => {
    expect(pdfText('Peña — “quoted” €5')).toBe('Peña — “quoted” €5');
    expect(pdfText('Łukasiewicz Őrs')).toBe('Lukasiewicz Ors');
    expect(pdfText('日本 \u{1F600}\ta\r\nb')).toBe('?? ? a\nb');
  });
});

describe('formatGeneratedAt', () => {
  it('shows the time in the utility time zone', () => {
    expect(formatGeneratedAt(new Date('2025-03-04T14:05:00Z'), 'America/Los_Angeles')).toBe('2025-03-04 06:05 PST');
    expect(formatGeneratedAt(new Date('2025-07-01T00:30:00Z'), 'America/Los_Angeles')).toBe('2025-06-30 17:30 PDT');
  });
});
