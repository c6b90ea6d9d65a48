import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  parseReadCsv,
  ReadFileError,
  standardReadCsvLayout,
  validateReadCsvLayout,
  type ReadCsvDateFormat,
  type ReadCsvDelimiter,
  type ReadCsvField,
  type ReadCsvLayout,
  type ReadCsvRecord,
  type ReadType,
} from './csv-layout.ts';

const STANDARD_HEADER = 'meter_serial,read_date,reading,read_time,read_type,rollover,note';

/** Parses and returns the ReadFileError it must throw. */
function rejection(text: string, layout: ReadCsvLayout = standardReadCsvLayout): ReadFileError {
  try {
    parseReadCsv(text, layout);
  } catch (error) {
    if (error instanceof ReadFileError) return error;
    throw error;
  }
  throw new Error('expected the file to be rejected');
}

describe('standard layout', () => {
  it('parses a small file', () => {
    const text = [
      STANDARD_HEADER,
      'e-1001 ,2026-03-01,12345,08:15,actual,,',
      'W-2002,2026-03-02,+00420.50,14:05:59,estimated,yes,"gate locked, estimated"',
      'F-3003,2026-03-03,7,,customer,N,',
    ].join('\n');
    expect(parseReadCsv(text, standardReadCsvLayout)).toEqual<ReadCsvRecord[]>([
      { line: 2, meterSerial: 'E-1001', readDate: '2026-03-01', readTime: '08:15', reading: '12345', readType: 'actual', rollover: false, note: null },
      { line: 3, meterSerial: 'W-2002', readDate: '2026-03-02', readTime: '14:05', reading: '00420.50', readType: 'estimated', rollover: true, note: 'gate locked, estimated' },
      { line: 4, meterSerial: 'F-3003', readDate: '2026-03-03', readTime: null, reading: '7', readType: 'customer', rollover: false, note: null },
    ]);
  });

  it('needs only the three required columns, in any order and case', () => {
    const text = ' Reading ,METER_SERIAL,read_date\n99,m1,2026-01-31\n';
    expect(parseReadCsv(text, standardReadCsvLayout)).toEqual([
      { line: 2, meterSerial: 'M1', readDate: '2026-01-31', readTime: null, reading: '99', readType: 'actual', rollover: false, note: null },
    ]);
  });

  it('handles a BOM, CRLF, blank lines and quoted newlines with physical line numbers', () => {
    const text = '\uFEFFmeter_serial,read_date,reading,note\r\n\r\nA1,2026-01-01,1,"two\r\nlines"\r\nA2,2026-01-02,2,\r\n,,,\r\n\r\n';
    const records = parseReadCsv(text, standardReadCsvLayout);
    expect(records.map((r) => [r.line, r.meterSerial, r.note])).toEqual([
      [3, 'A1', 'two\nlines'],
      [5, 'A2', null],
    ]);
  });

  it('returns no records for an empty or header-only file', () => {
    expect(parseReadCsv('', standardReadCsvLayout)).toEqual([]);
    expect(parseReadCsv('\uFEFF\r\n\r\n', standardReadCsvLayout)).toEqual([]);
    expect(parseReadCsv(`${STANDARD_HEADER}\r\n`, standardReadCsvLayout)).toEqual([]);
  });
});

describe('a positional layout without header', () => {
  const layout = validateReadCsvLayout({
    code: 'amr-eu',
    delimiter: ';',
    header: false,
    skipRows: 2,
    columns: { meterSerial: 2, readDate: 1, reading: 3, readType: 4, readTime: 5 },
    dateFormat: 'DD.MM.YYYY',
    readTypes: { A: 'actual', S: 'estimated', K: 'customer' },
  });

  it('parses with banner rows, ; delimiter, DD.MM.YYYY and mapped read types', () => {
    const text = ['HEAD-END EXPORT v2', 'generated "today"', '28.02.2026;ab-1;1.234.5;A;23:59', '1.3.2026;ab-2;12,345,678.25;s;00:00', '01.03.2026;"ab;3";0;K;'].join('\n');
    // '1.234.5' is not a decimal: fix the first row and check the rest parses.
    expect(rejection(text, layout).line).toBe(3);
    const fixed = text.replace('1.234.5', '1234.5');
    expect(parseReadCsv(fixed, layout)).toEqual<ReadCsvRecord[]>([
      { line: 3, meterSerial: 'AB-1', readDate: '2026-02-28', readTime: '23:59', reading: '1234.5', readType: 'actual', rollover: false, note: null },
      { line: 4, meterSerial: 'AB-2', readDate: '2026-03-01', readTime: '00:00', reading: '12345678.25', readType: 'estimated', rollover: false, note: null },
      { line: 5, meterSerial: 'AB;3', readDate: '2026-03-01', readTime: null, reading: '0', readType: 'customer', rollover: false, note: null },
    ]);
  });

  it('rejects an unknown read-type code and a short record', () => {
    expect(rejection('x\ny\n01.01.2026;m;1;A;\n02.01.2026;m;2;Z;\n', layout)).toMatchObject({ line: 4, reason: expect.stringContaining('"Z"') });
    expect(rejection('x\ny\n01.01.2026;m;1;A;\n02.01.2026;m;2;A\n', layout)).toMatchObject({ line: 4, reason: 'expected 5 columns, found 4' });
    expect(rejection('x\ny\n01.01.2026;m\n', layout)).toMatchObject({ line: 3, reason: expect.stringContaining('reading is column 3') });
  });
});

describe('a malformed file is rejected with the physical line and the reason', () => {
  const file = (...rows: string[]): string => [STANDARD_HEADER, 'OK-1,2026-01-01,1,,,,', ...rows].join('\r\n') + '\r\n';
  const cases: [name: string, row: string, reason: RegExp][] = [
    ['too few columns', 'M,2026-01-02,5', /expected 7 columns, found 3/],
    ['too many columns', 'M,2026-01-02,5,,,,,extra', /expected 7 columns, found 8/],
    ['missing serial', ' ,2026-01-02,5,,,,', /meterSerial is missing/],
    ['missing date', 'M,,5,,,,', /readDate is missing/],
    ['missing reading', 'M,2026-01-02,,,,,', /reading is missing/],
    ['impossible date', 'M,2026-02-30,5,,,,', /readDate "2026-02-30" is not a valid YYYY-MM-DD/],
    ['date in another format', 'M,01/02/2026,5,,,,', /readDate/],
    ['reading with letters', 'M,2026-01-02,12a,,,,', /reading "12a"/],
    ['negative reading', 'M,2026-01-02,-5,,,,', /reading "-5"/],
    ['NaN reading', 'M,2026-01-02,NaN,,,,', /reading "NaN"/],
    ['thousands commas with a comma delimiter', 'M,2026-01-02,"1,234",,,,', /reading "1,234"/],
    ['dangling decimal point', 'M,2026-01-02,12.,,,,', /reading "12\."/],
    ['time out of range', 'M,2026-01-02,5,24:00,,,', /readTime "24:00"/],
    ['time without minutes', 'M,2026-01-02,5,8,,,', /readTime "8"/],
    ['time with one-digit hour', 'M,2026-01-02,5,8:15,,,', /readTime "8:15"/],
    ['unknown read type', 'M,2026-01-02,5,,guessed,,', /readType "guessed"/],
    ['bad rollover', 'M,2026-01-02,5,,,maybe,', /rollover "maybe"/],
    ['rollover that is an Object key', 'M,2026-01-02,5,,,constructor,', /rollover "constructor"/],
    ['stray quote', 'M,2026-01-02,5,,,,a "quoted" word', /misplaced quote/],
  ];
  it.each(cases)('%s', (_name, row, reason) => {
    const error = rejection(file(row, 'OK-2,2026-01-03,2,,,,'));
    expect(error.line).toBe(3);
    expect(error.reason).toMatch(reason);
    expect(error.message).toBe(`line 3: ${error.reason}`);
  });

  it('an unclosed quote, at the line its record starts', () => {
    const error = rejection(file('', 'M,2026-01-02,5,,,,"never closed', 'OK-2,2026-01-03,2,,,,'));
    expect(error).toMatchObject({ line: 4, reason: 'quoted field is not closed' });
  });

  it('a record after a multi-line note, at its own line', () => {
    const error = rejection(file('M,2026-01-02,5,,,,"one\ntwo\r\nthree"', 'M,2026-01-03,x,,,,'));
    expect(error).toMatchObject({ line: 6, reason: expect.stringContaining('reading "x"') });
  });

  it('a header without a required column, naming it', () => {
    const error = rejection('meter_serial,read_date,read_time\r\nM,2026-01-01,10:00\r\n');
    expect(error).toMatchObject({ line: 1, reason: expect.stringContaining('"reading"') });
    expect(rejection('banner\nmeter_serial,reading\n', { ...standardReadCsvLayout, skipRows: 1 })).toMatchObject({ line: 2, reason: expect.stringContaining('"read_date"') });
  });

  it('a header naming a layout column twice', () => {
    expect(rejection('meter_serial,read_date,reading,READING\n')).toMatchObject({ line: 1, reason: expect.stringContaining('twice') });
  });

  it('counts skipped banner lines', () => {
    const layout: ReadCsvLayout = { ...standardReadCsvLayout, skipRows: 3 };
    const text = ['Utility "export', '', 'run 7', STANDARD_HEADER, 'M,2026-01-01,1,,,,', 'M,2026-01-32,1,,,,'].join('\n');
    expect(rejection(text, layout)).toMatchObject({ line: 6 });
  });
});

describe('readings and values', () => {
  const pipeLayout: ReadCsvLayout = { ...standardReadCsvLayout, code: 'pipe', delimiter: '|' };
  it('normalise a leading + and thousands separators when the delimiter allows them', () => {
    const text = 'meter_serial|read_date|reading\nm|2026-01-01|+1,234,567.000\nm|2026-01-01|0012\n';
    expect(parseReadCsv(text, pipeLayout).map((r) => r.reading)).toEqual(['1234567.000', '0012']);
    expect(rejection('meter_serial|read_date|reading\nm|2026-01-01|12,34\n', pipeLayout)).toMatchObject({ line: 2 });
  });

  it('read every rollover spelling', () => {
    const values = ['y', 'YES', 'True', '1', 'n', 'No', 'FALSE', '0', ''];
    const text = ['meter_serial,read_date,reading,rollover', ...values.map((v) => `m,2026-01-01,1,${v}`)].join('\n');
    expect(parseReadCsv(text, standardReadCsvLayout).map((r) => r.rollover)).toEqual([true, true, true, true, false, false, false, false, false]);
  });

  it('read every date format, including spreadsheet dates without leading zeros', () => {
    const dateOf = (dateFormat: ReadCsvDateFormat, written: string): string =>
      parseReadCsv(`m,${written},1`, { ...standardReadCsvLayout, header: false, columns: { meterSerial: 1, readDate: 2, reading: 3 }, dateFormat })[0]?.readDate ?? '';
    expect(dateOf('YYYY-MM-DD', '2024-02-29')).toBe('2024-02-29');
    expect(dateOf('YYYYMMDD', '20240229')).toBe('2024-02-29');
    expect(dateOf('MM/DD/YYYY', '2/9/2024')).toBe('2024-02-09');
    expect(dateOf('DD.MM.YYYY', '09.02.2024')).toBe('2024-02-09');
    expect(() => dateOf('YYYYMMDD', '20230229')).toThrow(/line 1: readDate "20230229"/);
    expect(() => dateOf('MM/DD/YYYY', '13/01/2024')).toThrow(ReadFileError);
  });
});

describe('validateReadCsvLayout', () => {
  const valid = { code: 'hh', delimiter: '\t', header: true, columns: { meterSerial: 'Meter', readDate: 'Date', reading: 4 }, dateFormat: 'YYYYMMDD' };

  it('accepts a valid layout and the standard one', () => {
    expect(validateReadCsvLayout(valid)).toEqual(valid);
    expect(validateReadCsvLayout(JSON.parse(JSON.stringify(standardReadCsvLayout)))).toEqual(standardReadCsvLayout);
  });

  const wrong: [field: string, change: Record<string, unknown>][] = [
    ['code', { code: '' }],
    ['delimiter', { delimiter: ':' }],
    ['header', { header: 'yes' }],
    ['skipRows', { skipRows: -1 }],
    ['skipRows', { skipRows: 1.5 }],
    ['dateFormat', { dateFormat: 'DD/MM/YYYY' }],
    ['columns', { columns: null }],
    ['columns.reading', { columns: { meterSerial: 1, readDate: 2 } }],
    ['columns.reading', { columns: { meterSerial: 1, readDate: 2, reading: 0 } }],
    ['columns.reading', { columns: { meterSerial: 1, readDate: 2, reading: ' ' } }],
    ['columns.reading', { columns: { meterSerial: 1, readDate: 2, reading: 2 } }],
    ['columns.meter', { columns: { meterSerial: 1, readDate: 2, reading: 3, meter: 4 } }],
    ['columns.meterSerial', { header: false }],
    ['readTypes.X', { readTypes: { X: 'guess' } }],
    ['readTypes.a', { readTypes: { A: 'actual', a: 'estimated' } }],
    ['skiprows', { skiprows: 1 }],
  ];
  it.each(wrong)('names %s when it is wrong', (field, change) => {
    expect(() => validateReadCsvLayout({ ...valid, ...change })).toThrow(new RegExp(`layout ${field.replace('.', '\\.')} `));
  });

  it('rejects a layout that is not an object', () => {
    expect(() => validateReadCsvLayout('standard')).toThrow(/must be an object/);
  });
});

// ---- property: valid records written out in a layout parse back equal --------------------------

const FIELDS: readonly ReadCsvField[] = ['meterSerial', 'readDate', 'reading', 'readTime', 'readType', 'rollover', 'note'];

function formatDate(iso: string, format: ReadCsvDateFormat): string {
  const [y, m, d] = iso.split('-') as [string, string, string];
  switch (format) {
    case 'YYYY-MM-DD':
      return iso;
    case 'YYYYMMDD':
      return `${y}${m}${d}`;
    case 'MM/DD/YYYY':
      return `${m}/${d}/${y}`;
    case 'DD.MM.YYYY':
      return `${d}.${m}.${y}`;
  }
}

const quote = (value: string): string => `"${value.replaceAll('"', '""')}"`;

/** Writes records the way a head-end might: every field quoted, header names shouted. */
function writeReadCsv(records: Omit<ReadCsvRecord, 'line'>[], layout: ReadCsvLayout, order: readonly ReadCsvField[], banner: string[], lineEnd: string): string {
  const cell = (r: Omit<ReadCsvRecord, 'line'>, field: ReadCsvField): string => {
    switch (field) {
      case 'meterSerial':
        return r.meterSerial.toLowerCase();
      case 'readDate':
        return formatDate(r.readDate, layout.dateFormat);
      case 'reading':
        return r.reading;
      case 'readTime':
        return r.readTime ?? '';
      case 'readType':
        return r.readType;
      case 'rollover':
        return r.rollover ? 'Y' : 'N';
      case 'note':
        return r.note ?? '';
    }
  };
  const header = layout.header ? [order.map((f) => ` ${f.toUpperCase()} `).join(layout.delimiter)] : [];
  const rows = records.map((r) => order.map((f) => quote(cell(r, f))).join(layout.delimiter));
  return [...banner, ...header, ...rows].join(lineEnd) + lineEnd;
}

const readRecord = fc.record({
  meterSerial: fc.stringMatching(/^[A-Z0-9][A-Z0-9-]{0,11}$/),
  readDate: fc.date({ min: new Date('1990-01-01T00:00:00Z'), max: new Date('2099-12-31T00:00:00Z'), noInvalidDate: true }).map((d) => d.toISOString().slice(0, 10)),
  readTime: fc.option(fc.stringMatching(/^([01]\d|2[0-3]):[0-5]\d$/), { nil: null }),
  reading: fc.stringMatching(/^\d{1,9}(\.\d{1,4})?$/),
  readType: fc.constantFrom<ReadType>('actual', 'customer', 'estimated'),
  rollover: fc.boolean(),
  // Notes may hold delimiters, quotes and newlines; the parser trims them and reads '' as none.
  note: fc.option(fc.stringMatching(/^[a-z ,;|\t"\n]{0,12}$/), { nil: null }).map((n) => (n === null || n.trim() === '' ? null : n.trim())),
});

const layoutChoice = fc.record({
  delimiter: fc.constantFrom<ReadCsvDelimiter>(',', ';', '\t', '|'),
  dateFormat: fc.constantFrom<ReadCsvDateFormat>('YYYY-MM-DD', 'MM/DD/YYYY', 'YYYYMMDD', 'DD.MM.YYYY'),
  header: fc.boolean(),
  skipRows: fc.nat({ max: 2 }),
  order: fc.shuffledSubarray([...FIELDS], { minLength: FIELDS.length, maxLength: FIELDS.length }),
  lineEnd: fc.constantFrom('\n', '\r\n'),
});

describe('round trip', () => {
  it('any valid records written in any layout parse back equal, at their physical lines', () => {
    fc.assert(
      fc.property(fc.array(readRecord, { maxLength: 8 }), layoutChoice, (records, choice) => {
        const columns = Object.fromEntries(FIELDS.map((f) => [f, choice.header ? f.toUpperCase() : choice.order.indexOf(f) + 1]));
        const layout = validateReadCsvLayout({ code: 'prop', delimiter: choice.delimiter, header: choice.header, skipRows: choice.skipRows, columns, dateFormat: choice.dateFormat });
        const banner = Array.from({ length: choice.skipRows }, (_, i) => `banner ${i} "${choice.delimiter}`);
        const text = writeReadCsv(records, layout, choice.order, banner, choice.lineEnd);
        // Each record starts after the banner, the header and the lines of earlier notes.
        let line = choice.skipRows + (choice.header ? 1 : 0) + 1;
        const expected = records.map((r) => {
          const withLine = { ...r, line };
          line += r.note?.split('\n').length ?? 1;
          return withLine;
        });
        expect(parseReadCsv(text, layout)).toEqual(expected);
      }),
    );
  });
});
