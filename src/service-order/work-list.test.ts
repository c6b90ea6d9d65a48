import { spawnSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { csvField, labelOfOrderType, orderTypeLabel, sortWorkList, workListCsv, workListPdf, workListSummary, type WorkListOrder } from './work-list.ts';

const hasPdftotext = spawnSync('pdftotext', ['-v']).error === undefined;
const pdfToText = (pdf: Buffer) => spawnSync('pdftotext', ['-layout', '-', '-'], { input: pdf }).stdout.toString('utf8');
const pageCount = (pdf: Buffer) => (pdf.toString('latin1').match(/\/Type \/Page\b(?!s)/g) ?? []).length;

const TYPES = Object.keys(orderTypeLabel);
const STREETS = ['Alder St', 'Birch Ave', 'Cedar Ln', 'Douglas Fir Rd', 'Evergreen Way'];
const NAMES = ['Maria Peña', 'Oksana Kovalenko-Łukasiewicz', 'Riverside Dental Group, LLC', 'Tran Van Minh'];

function order(i: number, overrides: Partial<WorkListOrder> = {}): WorkListOrder {
  const metered = i % 5 !== 4;
  return {
    orderId: 40 + i,
    orderNumber: `SO-${10040 + i}`,
    type: TYPES[i % TYPES.length] ?? 'check_read',
    scheduledFor: i === 3 ? '2025-03-03' : '2025-03-04',
    route: i % 11 === 10 ? null : i % 2 === 0 ? '12' : '7',
    premiseAddress: `${100 + ((i * 37) % 900)} ${STREETS[i % STREETS.length]}${i % 4 === 0 ? ' Apt 2' : ''}, Cascade Falls`,
    service: (['electric', 'water', 'fiber'] as const)[i % 3] ?? 'electric',
    meterSerial: metered ? `E${7000000 + i * 13}` : null,
    meterDials: metered ? 5 : null,
    lastRead: i % 6 === 5 ? null : { date: '2025-02-03', reading: String(10000 + i * 911) },
    accountNumber: metered ? `10${2300 + i}-7` : null,
    customerName: metered ? (NAMES[i % NAMES.length] ?? null) : null,
    instructions: i % 2 === 0 ? 'Dog in yard; call customer 30 min before arrival. Key in lockbox at side gate, code 4471.' : null,
    locationNote: i % 3 === 0 ? 'Meter on north wall behind fence' : null,
    priority: i % 9 === 2 ? 'urgent' : 'normal',
    ...overrides,
  };
}
const orders = (n: number) => Array.from({ length: n }, (_, i) => order(i));
const meta = { route: null, date: '2025-03-04', utilityName: 'Cascade Falls Public Utility District', generatedAt: new Date('2025-03-04T14:05:00Z'), timeZone: 'America/Los_Angeles' };

/** A minimal RFC 4180 reader, to check the CSV round-trips. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') (field += '"'), i++;
      else if (ch === '"') quoted = false;
      else field += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ',') row.push(field), (field = '');
    else if (ch === '\r' && text[i + 1] === '\n') row.push(field), rows.push(row), (row = []), (field = ''), i++;
    else field += ch;
  }
  return rows;
}

describe('workListCsv', () => {
  it('has a header row, CRLF line ends and blank columns for the crew', () => {
    const csv = workListCsv(orders(3));
    const lines = csv.split('\r\n');
    expect(lines[0]).toBe(
      'route,scheduled_for,order_number,order_type,order_type_label,priority,premise_address,location_note,service,meter_serial,meter_dials,' +
        'last_read_date,last_read,account_number,customer_name,instructions,read_value,read_date,seal_number,notes',
    );
    expect(lines).toHaveLength(5); // header, 3 rows, and the empty string after the last CRLF
    expect(csv.replace(/\r\n/g, '')).not.toMatch(/\n/);
    const rows = parseCsv(csv);
    for (const row of rows.slice(1)) expect(row.slice(-4)).toEqual(['', '', '', '']);
  });

  it('quotes commas, quotes and line breaks', () => {
    const csv = workListCsv([order(0, { customerName: 'Riverside Dental Group, LLC', instructions: 'Ask for "Bud"\nat the back door', locationNote: null })]);
    expect(csv).toContain(',"Riverside Dental Group, LLC",');
    expect(csv).toContain(',"Ask for ""Bud""\nat the back door",');
    const [header, row] = parseCsv(csv);
    expect(row).toHaveLength(header?.length ?? 0);
    expect(row?.[header?.indexOf('instructions') ?? -1]).toBe('Ask for "Bud"\nat the back door');
  });

  it('guards cells a spreadsheet would run as formulas', () => {
    expect(csvField('=HYPERLINK("http://x")')).toBe(`"'=HYPERLINK(""http://x"")"`);
    expect(csvField('+1 555')).toBe("'+1 555");
    expect(csvField('-2+3')).toBe("'-2+3");
    expect(csvField('@SUM(A1)')).toBe("'@SUM(A1)");
    expect(csvField('\t=1')).toBe("'\t=1");
    expect(csvField('a=b')).toBe('a=b');
    const [, row] = parseCsv(workListCsv([order(1, { customerName: '=cmd|calc', instructions: '@now' })]));
    expect(row).toContain("'=cmd|calc");
    expect(row).toContain("'@now");
  });

  it('lists orders by route, then street, then house number', () => {
    const list = [
      order(0, { route: null, premiseAddress: '1 Alder St, Town' }),
      order(1, { route: '12', premiseAddress: '20 Birch Ave, Town' }),
      order(2, { route: '12', premiseAddress: '9 Birch Ave Apt 2, Town' }),
      order(3, { route: '7', premiseAddress: '300 Cedar Ln, Town' }),
      order(4, { route: '12', premiseAddress: '500 Alder St, Town' }),
    ];
    expect(sortWorkList(list).map((o) => o.premiseAddress)).toEqual([
      '300 Cedar Ln, Town', '500 Alder St, Town', '9 Birch Ave Apt 2, Town', '20 Birch Ave, Town', '1 Alder St, Town',
    ]);
    expect(parseCsv(workListCsv(list)).slice(1).map((r) => r[0])).toEqual(['7', '12', '12', '12', '']);
  });
});

describe('order type labels and summary', () => {
  it('labels every order type and falls back for new ones', () => {
    expect(labelOfOrderType('meter_exchange')).toBe('Meter exchange');
    expect(labelOfOrderType('tamper_investigation')).toBe('Tamper investigation');
    expect(labelOfOrderType('pole_inspection')).toBe('Pole inspection');
  });

  it('counts orders by type, most first', () => {
    const list = [order(0, { type: 'move_in' }), order(1, { type: 'disconnect', priority: 'urgent' }), order(2, { type: 'move_in', priority: 'normal' })];
    expect(workListSummary(list)).toBe('3 orders: 2 Move in, 1 Disconnect; 1 urgent');
    expect(workListSummary([])).toBe('0 orders');
  });
});

describe('workListPdf', () => {
  it('renders a landscape PDF that grows with the orders and is deterministic', async () => {
    const small = await workListPdf(orders(3), meta);
    const raw = small.toString('latin1');
    expect(raw.startsWith('%PDF-')).toBe(true);
    expect(raw.trimEnd().endsWith('%%EOF')).toBe(true);
    expect(raw).toContain('/MediaBox [0 0 792 612]');
    expect(pageCount(small)).toBe(1);
    const large = await workListPdf(orders(200), meta);
    expect(pageCount(large)).toBeGreaterThan(1);
    expect((await workListPdf(orders(200), meta)).equals(large)).toBe(true);
  });

  it('renders an empty list', async () => {
    const pdf = await workListPdf([], { ...meta, route: '12' });
    expect(pageCount(pdf)).toBe(1);
    if (hasPdftotext) expect(pdfToText(pdf)).toContain('No service orders are scheduled');
  });

  it.skipIf(!hasPdftotext)('shows every address, route groups, the summary and page numbers', async () => {
    const list = orders(200);
    const pdf = await workListPdf(list, meta);
    const text = pdfToText(pdf);
    const total = pageCount(pdf);
    for (const o of list) expect(text).toContain(o.orderNumber);
    for (const o of list.slice(0, 20)) expect(text).toContain(o.premiseAddress.split(',')[0]);
    expect(text).toContain('Page 1 of ' + total);
    expect(text).toContain(`Page ${total} of ${total}`);
    expect(text).toContain('All routes — Tuesday, March 4, 2025');
    expect(text).toContain(workListSummary(list));
    expect(text).toMatch(/Route 7: \d+ orders[\s\S]*Route 12: \d+ orders[\s\S]*No route: \d+ orders/);
    expect(text).toContain('Kovalenko-');
    expect(text).toContain('Due 2025-03-03');
  });

  it('writes a sample to test-output for a person to look at', async () => {
    const dir = path.resolve('test-output');
    mkdirSync(dir, { recursive: true });
    writeFileSync(path.join(dir, 'work-list-sample.pdf'), await workListPdf(orders(24), meta));
  });
});
