import { spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { printVendorFile, scanLine, statementPdf, statementProblems, type Statement, type StatementService } from './statement.ts';

/** Poppler's pdftotext, when installed (Debian poppler-utils; CI installs it); the text checks skip without it. */
const hasPdftotext = spawnSync('pdftotext', ['-v']).error === undefined;
function pdfToText(pdf: Buffer): string {
  const result = spawnSync('pdftotext', ['-layout', '-', '-'], { input: pdf });
  if (result.status !== 0) throw new Error(`pdftotext failed: ${result.stderr.toString()}`);
  return result.stdout.toString('utf8');
}
/** Page objects in the file (pdfkit writes no object streams, so the dictionaries are plain text). */
const pageCount = (pdf: Buffer) => (pdf.toString('latin1').match(/\/Type \/Page\b(?!s)/g) ?? []).length;

type Line = StatementService['lines'][number];
const line = (code: string, description: string, kind: Line['kind'], quantity: string, unit: string, unitPrice: string, amountCents: number): Line =>
  ({ code, description, kind, quantity, unit, unitPrice, amountCents });

/** 13 months ending February 2025, oldest first. */
const months = (values: string[]) => values.map((usage, i) => ({ label: i < 11 ? `2024-${String(i + 2).padStart(2, '0')}` : `2025-${String(i - 10).padStart(2, '0')}`, usage }));

function service(fields: Omit<StatementService, 'totalCents'>): StatementService {
  return { ...fields, totalCents: fields.lines.reduce((t, l) => t + l.amountCents, 0) };
}

const electric = service({
  service: 'electric',
  rateCode: 'RS-1',
  periodFrom: '2025-02-01',
  periodTo: '2025-02-28',
  meterSerial: 'E7000013',
  previousRead: { date: '2025-01-31', reading: '45210' },
  currentRead: { date: '2025-02-28', reading: '46022', estimated: false },
  multiplier: '1',
  usage: '812',
  usageUnit: 'kWh',
  lines: [
    line('BASIC', 'Basic charge', 'charge', '1', 'month', '12.00', 1200),
    line('ENERGY', 'Energy charge, first 600 kWh', 'charge', '600', 'kWh', '0.0812', 4872),
    line('ENERGY', 'Energy charge, over 600 kWh', 'charge', '212', 'kWh', '0.0954', 2022),
    line('PCA', 'Power cost adjustment', 'rider', '812', 'kWh', '0.0035', 284),
    line('UTAX', 'City utility tax', 'tax', '83.78', '%', '6', 503),
    line('STAX', 'State public utility tax', 'tax', '83.78', '%', '3.873', 324),
  ],
  history: months(['702', '655', '590', '540', '610', '688', '701', '596', '640', '790', '905', '948', '812']),
});

const water = service({
  service: 'water',
  rateCode: 'W-RES',
  periodFrom: '2025-02-01',
  periodTo: '2025-02-28',
  meterSerial: 'W330918',
  previousRead: { date: '2025-01-31', reading: '18412.3' },
  currentRead: { date: '2025-02-28', reading: '18426.5', estimated: true },
  multiplier: '1',
  usage: '14.2',
  usageUnit: 'kgal',
  lines: [
    line('BASE', 'Base charge, 3/4" meter', 'charge', '1', 'month', '28.50', 2850),
    line('TIER1', 'Water, first 8 kgal', 'charge', '8', 'kgal', '3.12', 2496),
    line('TIER2', 'Water, over 8 kgal', 'charge', '6.2', 'kgal', '4.05', 2511),
  ],
  history: months(['9.8', '10.4', '12.2', '15.9', '21.4', '24.8', '22.1', '16.0', '11.3', '10.2', '11.0', '12.9', '14.2']),
});

const fiber = service({
  service: 'fiber',
  rateCode: 'F-300',
  periodFrom: '2025-03-01',
  periodTo: '2025-03-31',
  meterSerial: null,
  previousRead: null,
  currentRead: null,
  multiplier: null,
  usage: null,
  usageUnit: null,
  lines: [
    line('MONTHLY', 'Fiber internet 300 Mbps', 'charge', '1', 'month', '65.00', 6500),
    line('ROUTER', 'Wi-Fi router rental', 'charge', '1', 'month', '8.00', 800),
  ],
  history: [],
});

/** A statement whose summary ties: current charges are the services' totals and amount due the sum. */
function statement(overrides: Partial<Statement> = {}): Statement {
  const base: Statement = {
    utility: {
      name: 'Cascade Falls Public Utility District',
      address: ['410 Commerce Way', 'Cascade Falls, WA 98822'],
      phone: '(509) 555-0140',
      web: 'cascadefallspud.org',
      remitTo: ['PO Box 3300', 'Cascade Falls, WA 98822-3300'],
    },
    accountNumber: '100234567',
    customerName: 'Maria Peña',
    billingAddress: ['Maria Peña', '1180 Alder St Apt 2', 'Cascade Falls, WA 98822'].slice(1),
    serviceAddress: '1180 Alder St Apt 2, Cascade Falls',
    billDate: '2025-03-04',
    dueDate: '2025-03-25',
    previousBalanceCents: 21840,
    paymentsCents: -21840,
    adjustmentsCents: -500,
    currentChargesCents: 0,
    amountDueCents: 0,
    services: [electric, water, fiber],
    messages: [
      'Your water meter could not be read this month (locked gate), so your water use is estimated.',
      'Budget billing: ask us about spreading your winter bills evenly across the year.',
    ],
    billIds: [5101, 5102, 5103],
    ...overrides,
  };
  const current = base.services.reduce((t, v) => t + v.totalCents, 0);
  return { ...base, currentChargesCents: current, amountDueCents: base.previousBalanceCents + base.paymentsCents + base.adjustmentsCents + current, ...pick(overrides) };
}
/** Lets a test set the summary numbers outright (to check a statement that does not tie). */
const pick = (o: Partial<Statement>) => ({
  ...(o.currentChargesCents !== undefined ? { currentChargesCents: o.currentChargesCents } : {}),
  ...(o.amountDueCents !== undefined ? { amountDueCents: o.amountDueCents } : {}),
});

const netMetered = service({
  ...electric,
  usage: '812',
  netMetering: { deliveredKwh: '812', receivedKwh: '1046', bankedKwh: '234', trueUpDate: '2025-04-30', lapsedKwh: '57' },
  lines: [
    line('BASIC', 'Basic charge', 'charge', '1', 'month', '12.00', 1200),
    line('ENERGY', 'Energy charge, first 600 kWh', 'charge', '0', 'kWh', '0.0812', 0),
    line('UTAX', 'City utility tax', 'tax', '12.00', '%', '6', 72),
  ],
  history: months(['820', '640', '455', '300', '260', '240', '280', '390', '560', '790', '930', '960', '812']),
});

const meta = { generatedAt: new Date('2025-03-04T14:05:00Z'), timeZone: 'America/Los_Angeles' };
const records = (file: string) => file.split('\r\n').slice(0, -1).map((r) => r.split('|'));

describe('the test statement', () => {
  it('ties: $243.62 of current charges, $238.62 due', () => {
    const s = statement();
    expect(electric.totalCents).toBe(9205);
    expect(s.currentChargesCents).toBe(24362);
    expect(s.amountDueCents).toBe(23862);
    expect(statementProblems(s)).toEqual([]);
  });
});

describe('scanLine', () => {
  it('is the account digits, the amount due in 10 digits and a digit-sum check digit', () => {
    // 1+0+0+2+3+4+5+6+7 + 1+2+3+4+5 = 43
    expect(scanLine('100234567', 12345)).toBe('10023456700000123453');
    expect(scanLine('100234567', 23862)).toBe('1002345670000023862' + String((28 + 2 + 3 + 8 + 6 + 2) % 10));
    expect(scanLine('100-234-567', 12345)).toBe('10023456700000123453');
  });

  it('scans a credit or zero balance as nothing due', () => {
    expect(scanLine('100234567', -500)).toBe('10023456700000000008');
    expect(scanLine('100234567', 0)).toBe('10023456700000000008');
  });

  it('has a check digit that catches a changed digit', () => {
    const good = scanLine('100234567', 23862);
    const sum = [...good.slice(0, -1)].reduce((t, d) => t + Number(d), 0);
    expect(Number(good.slice(-1))).toBe(sum % 10);
    const tampered = good.slice(0, 12) + String((Number(good[12]) + 1) % 10) + good.slice(13, -1);
    expect(scanLine(tampered.slice(0, 9), Number(tampered.slice(9)))).not.toBe(good);
  });

  it('refuses amounts that do not fit or are not whole cents', () => {
    expect(() => scanLine('100234567', 10_000_000_000)).toThrow(/10 digits/);
    expect(() => scanLine('100234567', 12.5)).toThrow(/whole cents/);
    expect(() => scanLine('', 100)).toThrow(/no digits/);
  });
});

describe('printVendorFile', () => {
  const generatedAt = new Date('2025-03-04T14:05:00Z');

  it('writes header, statement, service, line, message and trailer records that tie', () => {
    const first = statement();
    const second = statement({ accountNumber: '100771236', customerName: 'Riverside Dental Group, LLC', billingAddress: ['Attn: Accounts Payable', 'Riverside Dental Group', 'Suite 200', '55 River Rd', 'Wenatchee, WA 98801'], services: [fiber], messages: [] });
    const file = printVendorFile([first, second], { runId: 42, generatedAt });
    const rows = records(file);

    expect(rows[0]).toEqual(['H', 'RATEPAYER', '42', '2025-03-04T14:05:00.000Z', '2']);
    const trailer = rows[rows.length - 1];
    expect(trailer).toEqual(['T', '2', String(first.amountDueCents + second.amountDueCents), String(rows.length)]);
    const lineCount = first.services.reduce((t, v) => t + v.lines.length, 0) + fiber.lines.length;
    expect(rows).toHaveLength(1 + 2 + (3 + 1) + lineCount + 2 + 1);
    expect(rows.filter((r) => r[0] === 'S').map((r) => Number(r[14])).reduce((a, b) => a + b, 0)).toBe(Number(trailer?.[2]));

    const s1 = rows[1];
    expect(s1).toEqual([
      'S', '1', '100234567', 'Maria Peña', '1180 Alder St Apt 2', '', 'Cascade Falls, WA 98822', '1180 Alder St Apt 2, Cascade Falls',
      '2025-03-04', '2025-03-25', '21840', '-21840', '-500', '24362', '23862', scanLine('100234567', 23862),
    ]);
    const s2 = rows.find((r) => r[0] === 'S' && r[1] === '2');
    expect(s2?.slice(4, 7)).toEqual(['Attn: Accounts Payable', 'Riverside Dental Group, Suite 200, 55 River Rd', 'Wenatchee, WA 98801']);

    expect(rows[2]).toEqual(['V', '1', 'electric', '2025-02-01', '2025-02-28', 'E7000013', '45210', '46022', '', '812', 'kWh', '9205']);
    expect(rows[3]).toEqual(['L', '1', 'electric', 'BASIC', 'Basic charge', '1', 'month', '12.00', '1200']);
    const waterRecord = rows.find((r) => r[0] === 'V' && r[2] === 'water');
    expect(waterRecord?.[8]).toBe('E');
    const fiberRecord = rows.find((r) => r[0] === 'V' && r[2] === 'fiber');
    expect(fiberRecord).toEqual(['V', '1', 'fiber', '2025-03-01', '2025-03-31', '', '', '', '', '', '', '7300']);
    expect(rows.filter((r) => r[0] === 'M').map((r) => r[1])).toEqual(['1', '1']);
    // Each service's lines follow its V record and add up to its total.
    let current: string[] | undefined;
    const sums = new Map<string[], number>();
    for (const r of rows) {
      if (r[0] === 'V') current = r;
      else if (r[0] === 'L' && current) sums.set(current, (sums.get(current) ?? 0) + Number(r[8]));
      else current = undefined;
    }
    for (const [v, total] of sums) expect(total).toBe(Number(v[11]));

    for (const r of rows) expect(r).toHaveLength({ H: 5, S: 16, V: 12, L: 9, M: 3, T: 4 }[r[0] as 'H'] ?? 0);
  });

  it('ends every record with CRLF and has no bare line breaks', () => {
    const file = printVendorFile([statement()], { runId: 1, generatedAt });
    expect(file.endsWith('\r\n')).toBe(true);
    expect(file.replace(/\r\n/g, '')).not.toMatch(/[\r\n]/);
  });

  it('cleans pipes and line breaks out of fields', () => {
    const s = statement({
      customerName: 'Ann | Bob\r\nSmith',
      billingAddress: ['12 Pipe|Way\nUnit 3', 'Cascade Falls, WA 98822'],
      messages: ['Line one\nline two | three\rfour'],
    });
    const file = printVendorFile([s], { runId: 7, generatedAt });
    const rows = records(file);
    const statementRecord = rows[1];
    expect(statementRecord).toHaveLength(16);
    expect(statementRecord?.[3]).toBe('Ann   Bob Smith');
    expect(statementRecord?.[4]).toBe('12 Pipe Way Unit 3');
    expect(rows.find((r) => r[0] === 'M')).toEqual(['M', '1', 'Line one line two   three four']);
    expect(rows[rows.length - 1]?.[3]).toBe(String(rows.length));
  });

  it('writes a credit as a negative amount due that scans as nothing due', () => {
    const credit = statement({ previousBalanceCents: -30000, paymentsCents: 0, adjustmentsCents: 0 });
    expect(credit.amountDueCents).toBe(-5638);
    const rows = records(printVendorFile([credit], { runId: 3, generatedAt }));
    expect(rows[1]?.[14]).toBe('-5638');
    expect(rows[1]?.[15]).toBe('10023456700000000008');
    expect(rows[rows.length - 1]).toEqual(['T', '1', '-5638', String(rows.length)]);
  });

  it('writes an empty run as a header and a trailer', () => {
    expect(printVendorFile([], { runId: 9, generatedAt })).toBe('H|RATEPAYER|9|2025-03-04T14:05:00.000Z|0\r\nT|0|0|2\r\n');
  });

  it('refuses a statement that does not add up', () => {
    const wrong = statement({ amountDueCents: 100 });
    expect(statementProblems(wrong)).toEqual([expect.stringMatching(/amount due 100 is not previous/)]);
    expect(() => printVendorFile([wrong], { runId: 1, generatedAt })).toThrow(/100234567 does not add up/);
    const badService = statement({ services: [{ ...fiber, totalCents: 7301 }] });
    expect(statementProblems(badService).join('; ')).toMatch(/fiber total 7301 is not the sum of its lines 7300/);
  });
});

describe('statementPdf', () => {
  it('renders a complete PDF of more than one Letter page, byte-identical for the same input', async () => {
    const pdf = await statementPdf(statement(), meta);
    const raw = pdf.toString('latin1');
    expect(raw.startsWith('%PDF-')).toBe(true);
    expect(raw.trimEnd().endsWith('%%EOF')).toBe(true);
    expect(raw).toContain('/MediaBox [0 0 612 792]');
    expect(raw).toContain('(D:20250304140500Z)');
    expect(pageCount(pdf)).toBeGreaterThanOrEqual(2);
    expect((await statementPdf(statement(), meta)).equals(pdf)).toBe(true);
    const later = await statementPdf(statement(), { ...meta, generatedAt: new Date('2025-03-04T14:06:00Z') });
    expect(later.equals(pdf)).toBe(false);
  });

  it('renders a one-service bill on one page', async () => {
    const pdf = await statementPdf(statement({ services: [fiber], messages: [] }), meta);
    expect(pageCount(pdf)).toBe(1);
  });

  it('refuses a statement that does not add up', async () => {
    await expect(statementPdf(statement({ currentChargesCents: 1 }), meta)).rejects.toThrow(/does not add up/);
  });

  it.skipIf(!hasPdftotext)('shows the account, amounts, reads, charges, taxes, messages and the stub', async () => {
    const s = statement();
    const pdf = await statementPdf(s, meta);
    const text = pdfToText(pdf);
    const pages = text.split('\f').filter((p) => p.trim() !== '');
    const total = pageCount(pdf);
    expect(pages).toHaveLength(total);
    const first = pages[0] ?? '';

    // Header, account and summary.
    expect(first).toContain('CASCADE FALLS PUBLIC UTILITY DISTRICT');
    expect(first).toContain('410 Commerce Way');
    expect(first).toContain('(509) 555-0140');
    expect(first).toContain('cascadefallspud.org');
    expect(first).toContain('100234567');
    expect(first).toContain('Maria Peña');
    expect(first).toContain('1180 Alder St Apt 2');
    expect(first).toContain('March 4, 2025');
    expect(first).toMatch(/Previous balance\s+\$218\.40/);
    expect(first).toMatch(/Payments received\s+-\$218\.40/);
    expect(first).toMatch(/Adjustments\s+-\$5\.00/);
    expect(first).toMatch(/Current charges\s+\$243\.62/);
    expect(first).toMatch(/Amount due\s+\$238\.62/);
    expect(first).toMatch(/Due date\s+March 25, 2025/);

    // The stub, on page 1.
    expect(first).toContain('Please return this portion with your payment');
    expect(first).toMatch(/Amount enclosed\s+\$/);
    expect(first).toContain('PO Box 3300');
    expect(first).toContain(scanLine('100234567', 23862));
    expect(first).toContain('Page 1 of ' + total);

    // Services: reads with the estimate mark and its footnote, lines, taxes and totals.
    expect(text).toContain('Electric service — rate RS-1');
    expect(text).toContain('E7000013');
    expect(text).toMatch(/45,210[\s\S]*46,022/);
    expect(text).toContain('812 kWh');
    expect(text).toMatch(/18,426\.5 E\b/);
    expect(text).toContain('E = estimated reading');
    expect(text).not.toMatch(/46,022 E\b/);
    expect(text).toMatch(/Energy charge, first 600 kWh\s+600 kWh x \$0\.0812\s+\$48\.72/);
    expect(text).toMatch(/Basic charge\s+1 month x \$12\.00\s+\$12\.00/);
    expect(text).toMatch(/City utility tax\s+6% of \$83\.78\s+\$5\.03/);
    expect(text).toMatch(/Charges before taxes\s+\$83\.78/);
    expect(text).toMatch(/Taxes\s+\$8\.27/);
    expect(text).toMatch(/Electric total\s+\$92\.05/);
    expect(text).toMatch(/Water total\s+\$78\.57/);
    expect(text).toMatch(/Fiber internet total\s+\$73\.00/);
    expect(text).toMatch(/Wi-Fi router rental\s+1 month x \$8\.00\s+\$8\.00/);

    // The use chart's title and month labels.
    expect(text).toContain('Your electric use, last 13 months (kWh)');
    expect(text).toMatch(/Feb[\s\S]*Mar[\s\S]*Jan[\s\S]*Feb/);

    expect(text).toContain('locked gate');
    expect(text).toContain('Budget billing');
    expect(pages[total - 1]).toContain(`Page ${total} of ${total}`);
  });

  it.skipIf(!hasPdftotext)('shows net metering: delivered, received, banked credit, lapsed credit and the true-up', async () => {
    const s = statement({ services: [netMetered, water] });
    const text = pdfToText(await statementPdf(s, meta));
    expect(text).toMatch(/Delivered to you\s+812 kWh/);
    expect(text).toMatch(/Received from you\s+1,046 kWh/);
    expect(text).toMatch(/Banked credit carried forward\s+234 kWh/);
    expect(text).toMatch(/Credit lapsed at true-up\s+57 kWh/);
    expect(text).toMatch(/Next true-up\s+Apr 30, 2025/);
    const withoutLapse = pdfToText(await statementPdf(statement({ services: [{ ...netMetered, netMetering: { deliveredKwh: '812', receivedKwh: '1046', bankedKwh: '234', trueUpDate: '2025-04-30' } }] }), meta));
    expect(withoutLapse).toContain('Banked credit carried forward');
    expect(withoutLapse).not.toContain('lapsed at true-up');
  });

  it.skipIf(!hasPdftotext)('prints a negative amount due as a credit with no payment due', async () => {
    const credit = statement({ previousBalanceCents: -30000, paymentsCents: 0, adjustmentsCents: 0 });
    const text = pdfToText(await statementPdf(credit, meta));
    expect(text).toMatch(/Credit balance\s+\$56\.38 credit/);
    expect(text).toContain('No payment due');
    expect(text).toMatch(/Previous balance\s+\$300\.00 credit/);
    expect(text).not.toContain('-$56.38');
    expect(text).not.toContain('-$300.00');
    expect(text).toContain('10023456700000000008');
  });

  it.skipIf(!hasPdftotext)('prints one-line fields given with line breaks on one line, and cuts what would not fit on the stub', async () => {
    const longAddress = '98765 Northeast Old Cascade Highway Frontage Road Space 114, Cascade Falls Unincorporated Area';
    const pdf = await statementPdf(statement({ customerName: 'Ann\r\nBob Smith', serviceAddress: longAddress, services: [fiber] }), meta);
    const first = pdfToText(pdf).split('\f')[0] ?? '';
    expect(first).toContain('Account 100234567 — Ann Bob Smith — bill date March 4, 2025');
    expect(first).toMatch(/Service address: 98765 Northeast Old Cascade Highway.*…/);
    expect(first).toContain('Please return this portion with your payment');
  });

  it('writes samples to test-output for a person to look at', async () => {
    const dir = path.resolve('test-output');
    mkdirSync(dir, { recursive: true });
    writeFileSync(path.join(dir, 'statement-sample.pdf'), await statementPdf(statement(), meta));
    writeFileSync(path.join(dir, 'statement-net-metered-sample.pdf'), await statementPdf(statement({ services: [netMetered, water] }), meta));
    writeFileSync(path.join(dir, 'print-vendor-sample.txt'), printVendorFile([statement(), statement({ services: [netMetered] })], { runId: 42, generatedAt: meta.generatedAt }));
  });
});
