import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  parsePaymentCsv,
  standardCardSettlementLayout,
  standardLockboxCsvLayout,
  standardObiLayout,
  validatePaymentCsvLayout,
  type PaymentCsvAmountFormat,
  type PaymentCsvDateFormat,
  type PaymentCsvDelimiter,
  type PaymentCsvLayout,
  type PaymentCsvRecord,
  type PaymentStatus,
} from './csv-layout.ts';
import { PaymentFileError } from './file-error.ts';

const crlf = (...lines: string[]): string => lines.join('\r\n') + '\r\n';

/** A bank's lockbox export of one deposit, its totals on the last row. */
const LOCKBOX_CSV = crlf(
  'Deposit Date,Batch,Item Sequence,Account Number,Remitter Name,Check Number,Payment Type,Payment Amount',
  '03/05/2026,1,260305-0001,100000017,"SMITH, JOHN A",1234,Check,125.50',
  '03/05/2026,1,260305-0002,100000025,"O\'NEIL HARDWARE, LLC",5512,Check,"$1,300.00"',
  '03/05/2026,1,260305-0003, 100000033 ,Mary Jones,,Money Order,45.99',
  '3/5/2026,2,260305-0004,1000 4217 5,"GARCIA, M ""MANNY""",20019,Check,1000',
  'TOTAL,,4,,,,,"2,471.49"',
);

/** A card processor's settlement report: declines and voids, a refund of an earlier payment. */
const CARD_CSV = crlf(
  'Transaction ID,Settlement Date,Customer Account,Cardholder Name,Card Type,Channel,Transaction Status,Amount,Fee',
  '40012345601,2026-03-04,100000017,JANE DOE,Visa,Web,Settled Successfully,85.20,1.95',
  '40012345602,2026-03-04,100000025,"LEE, KIM",Mastercard,IVR,Settled Successfully,"1,020.00",1.95',
  '40012345603,2026-03-04,100000033,PAT ROE,Discover,Web,Declined,60.00,0.00',
  '40012345604,2026-03-04,100042175,AL POE,Amex,Kiosk,voided,12.00,',
  '40012345601,2026-03-04,100000017,JANE DOE,Visa,Web,Refund,20.00,-1.95',
);

/** Bill-pay remittances from two customers' banks; one address runs over two lines. */
const OBI_CSV = crlf(
  'Payee Account Number,Payer Name,Payer Address 1,Payer Address 2,Payer City,Payer State,Payer ZIP,Payment Amount,Payment Date,Trace Number',
  '100000017,JOHN Q PUBLIC,"1200 MAIN ST, APT 4B",,SPRINGFIELD,IL,62704,142.18,03/04/2026,021000020001234',
  '1000-0002-5,MARIA GARCIA,PO BOX 77,"ATTN: ""RENT""\r\nBLDG C",SHELBYVILLE,IL,62565-0077,64.00,3/4/2026,021000020001235',
  '100000033,ACME PROPERTY MGMT LLC,,,,,,"$2,000.00",03/05/2026,021000020001236',
);

const payment = (fields: Partial<PaymentCsvRecord> & Pick<PaymentCsvRecord, 'line' | 'accountRef' | 'amountCents' | 'paymentDate'>): PaymentCsvRecord => ({
  reference: null,
  payerName: null,
  payerAddress: null,
  method: null,
  feeCents: null,
  status: 'settled',
  ...fields,
});

/** Parses and returns the PaymentFileError it must throw. */
function rejection(text: string, layout: PaymentCsvLayout): PaymentFileError {
  try {
    parsePaymentCsv(text, layout);
  } catch (error) {
    if (error instanceof PaymentFileError) return error;
    throw error;
  }
  throw new Error('expected the file to be rejected');
}

function expectRejected(text: string, layout: PaymentCsvLayout, line: number | null, reason: RegExp): void {
  const error = rejection(text, layout);
  expect(error.record).toBe(line);
  expect(error.reason).toMatch(reason);
  expect(error.message).toBe(line === null ? error.reason : `record ${line}: ${error.reason}`);
}

describe('the standard layouts', () => {
  it('read a lockbox export and tie its totals row', () => {
    expect(parsePaymentCsv(LOCKBOX_CSV, standardLockboxCsvLayout)).toEqual({
      records: [
        payment({ line: 2, accountRef: '100000017', amountCents: 12550, paymentDate: '2026-03-05', reference: '260305-0001', payerName: 'SMITH, JOHN A', method: 'Check' }),
        payment({ line: 3, accountRef: '100000025', amountCents: 130000, paymentDate: '2026-03-05', reference: '260305-0002', payerName: "O'NEIL HARDWARE, LLC", method: 'Check' }),
        payment({ line: 4, accountRef: '100000033', amountCents: 4599, paymentDate: '2026-03-05', reference: '260305-0003', payerName: 'Mary Jones', method: 'Money Order' }),
        payment({ line: 5, accountRef: '1000 4217 5', amountCents: 100000, paymentDate: '2026-03-05', reference: '260305-0004', payerName: 'GARCIA, M "MANNY"', method: 'Check' }),
      ],
      totalCents: 247149,
      skipped: 0,
    });
  });

  it('read a card settlement: declines and voids skipped, a refund negative', () => {
    expect(parsePaymentCsv(CARD_CSV, standardCardSettlementLayout)).toEqual({
      records: [
        payment({ line: 2, accountRef: '100000017', amountCents: 8520, paymentDate: '2026-03-04', reference: '40012345601', payerName: 'JANE DOE', method: 'Visa', feeCents: 195 }),
        payment({ line: 3, accountRef: '100000025', amountCents: 102000, paymentDate: '2026-03-04', reference: '40012345602', payerName: 'LEE, KIM', method: 'Mastercard', feeCents: 195 }),
        payment({ line: 6, accountRef: '100000017', amountCents: -2000, paymentDate: '2026-03-04', reference: '40012345601', payerName: 'JANE DOE', method: 'Visa', feeCents: -195, status: 'refunded' }),
      ],
      totalCents: 108520,
      skipped: 2,
    });
  });

  it('read a bill-pay remittance, joining the address columns, at physical lines', () => {
    expect(parsePaymentCsv(OBI_CSV, standardObiLayout)).toEqual({
      records: [
        payment({ line: 2, accountRef: '100000017', amountCents: 14218, paymentDate: '2026-03-04', reference: '021000020001234', payerName: 'JOHN Q PUBLIC', payerAddress: '1200 MAIN ST, APT 4B, SPRINGFIELD, IL, 62704' }),
        payment({ line: 3, accountRef: '1000-0002-5', amountCents: 6400, paymentDate: '2026-03-04', reference: '021000020001235', payerName: 'MARIA GARCIA', payerAddress: 'PO BOX 77, ATTN: "RENT"\nBLDG C, SHELBYVILLE, IL, 62565-0077' }),
        payment({ line: 5, accountRef: '100000033', amountCents: 200000, paymentDate: '2026-03-05', reference: '021000020001236', payerName: 'ACME PROPERTY MGMT LLC' }),
      ],
      totalCents: 220618,
      skipped: 0,
    });
  });

  it('return nothing for an empty or header-only file without a control total', () => {
    expect(parsePaymentCsv('', standardObiLayout)).toEqual({ records: [], totalCents: 0, skipped: 0 });
    expect(parsePaymentCsv('\uFEFF\r\n\r\n', standardCardSettlementLayout)).toEqual({ records: [], totalCents: 0, skipped: 0 });
    expect(parsePaymentCsv(CARD_CSV.split('\r\n')[0] ?? '', standardCardSettlementLayout)).toEqual({ records: [], totalCents: 0, skipped: 0 });
  });

  it('are valid layouts', () => {
    for (const layout of [standardLockboxCsvLayout, standardCardSettlementLayout, standardObiLayout]) {
      expect(validatePaymentCsvLayout(JSON.parse(JSON.stringify(layout)))).toEqual(layout);
    }
  });
});

describe('a positional layout without a header', () => {
  // An IVR vendor's file: a banner, ';'-separated, amounts in cents, two-digit years, a footer.
  const layout = validatePaymentCsvLayout({
    code: 'ivr',
    kind: 'card',
    delimiter: ';',
    header: false,
    skipRows: 1,
    skipTrailerRows: 1,
    columns: { paymentDate: 1, accountRef: 2, amount: 3, reference: 4, method: 5 },
    dateFormat: 'MM/DD/YY',
    amountFormat: 'cents',
  });
  const file = (...rows: string[]): string => ['IVR PAYMENTS "daily"; run 7', ...rows, 'END; 2 rows', '', ''].join('\n');

  it('parses, reading a negative amount as a refund', () => {
    expect(parsePaymentCsv(file('03/02/26;100000017;+012550;IVR-1;"VISA;DEBIT"', '12/31/99;100000025;-500;IVR-2;'), layout)).toEqual({
      records: [
        payment({ line: 2, accountRef: '100000017', amountCents: 12550, paymentDate: '2026-03-02', reference: 'IVR-1', method: 'VISA;DEBIT' }),
        payment({ line: 3, accountRef: '100000025', amountCents: -500, paymentDate: '1999-12-31', reference: 'IVR-2', status: 'refunded' }),
      ],
      totalCents: 12050,
      skipped: 0,
    });
  });

  it('refuses a decimal point in a cents amount and a row that is too short', () => {
    expectRejected(file('03/02/26;100000017;125.50;IVR-1;V'), layout, 2, /amount "125\.50" is not a whole number of cents/);
    expectRejected(file('03/02/26;100000017;12550;IVR-1;V', '03/02/26;100000025;500;IVR-2'), layout, 3, /expected 5 columns, found 4/);
    expectRejected(file('03/02/26;100000017'), layout, 2, /amount is column 3 but the file has 2 columns/);
  });
});

describe('amounts are exact cents', () => {
  const layout = (amountFormat: PaymentCsvAmountFormat): PaymentCsvLayout => ({
    code: 'amounts',
    kind: 'obi',
    delimiter: '|',
    header: false,
    columns: { accountRef: 1, amount: 2, paymentDate: 3 },
    dateFormat: 'YYYYMMDD',
    amountFormat,
  });
  const amountOf = (written: string, format: PaymentCsvAmountFormat = 'decimal'): number | undefined =>
    parsePaymentCsv(`A1|${written}|20260301`, layout(format)).records[0]?.amountCents;

  it.each([
    ['123.45', 12345],
    ['$1,234.50', 123450],
    ['123', 12300],
    ['0.07', 7],
    ['.5', 50],
    ['12.5', 1250],
    ['+19.99', 1999],
    ['$19.99', 1999],
    ['1,000,000.01', 100000001],
    ['99999999999.99', 9999999999999],
    ['-12.34', -1234],
    ['-$12.34', -1234],
    ['$-12.34', -1234],
    ['(1,234.50)', -123450],
    ['($5)', -500],
    ['0000042.10', 4210],
  ])('decimal %s is %i cents', (written, cents) => {
    expect(amountOf(written)).toBe(cents);
  });

  it.each([['12.345'], ['12.'], ['1,23.00'], ['1,2345'], ['12,34'], ['$'], ['.'], ['--1'], ['-$-1'], ['(-1.00)'], ['1e3'], ['0x10'], ['12 34'], ['€12'], ['Infinity'], ['NaN'], ['100000000000.00'], ['abc']])(
    'decimal %s is refused',
    (written) => {
      expect(() => amountOf(written)).toThrow(/^record 1: amount ".*" is not an amount of dollars and cents$/);
    },
  );

  it('cents are digits with an optional sign', () => {
    expect(amountOf('12345', 'cents')).toBe(12345);
    expect(amountOf('-00500', 'cents')).toBe(-500);
    for (const written of ['12.34', '$123', '1,234', '12345678901234']) {
      expect(() => amountOf(written, 'cents')).toThrow(/amount ".*" is not a whole number of cents/);
    }
  });

  it('zero is refused whatever its spelling', () => {
    for (const written of ['0', '0.00', '-0.00', '$0', '(0.00)']) expect(() => amountOf(written)).toThrow(/^record 1: amount ".*" is zero$/);
  });
});

describe('dates', () => {
  const dateOf = (dateFormat: PaymentCsvDateFormat, written: string): string | undefined =>
    parsePaymentCsv(`A1,1.00,${written}`, { code: 'd', kind: 'obi', delimiter: ',', header: false, columns: { accountRef: 1, amount: 2, paymentDate: 3 }, dateFormat, amountFormat: 'decimal' }).records[0]?.paymentDate;

  it('read every format, including spreadsheet dates without leading zeros', () => {
    expect(dateOf('YYYY-MM-DD', '2024-02-29')).toBe('2024-02-29');
    expect(dateOf('YYYYMMDD', '20240229')).toBe('2024-02-29');
    expect(dateOf('MM/DD/YYYY', '2/9/2024')).toBe('2024-02-09');
    expect(dateOf('DD.MM.YYYY', '09.02.2024')).toBe('2024-02-09');
    expect(dateOf('MM/DD/YY', '2/9/24')).toBe('2024-02-09');
    expect(dateOf('MM/DD/YY', '02/09/69')).toBe('2069-02-09');
    expect(dateOf('MM/DD/YY', '02/09/70')).toBe('1970-02-09');
  });

  it('refuse impossible dates and other formats', () => {
    expect(() => dateOf('YYYYMMDD', '20230229')).toThrow(/^record 1: paymentDate "20230229" is not a valid YYYYMMDD date$/);
    expect(() => dateOf('MM/DD/YYYY', '13/01/2024')).toThrow(PaymentFileError);
    expect(() => dateOf('MM/DD/YY', '01/13/2024')).toThrow(/paymentDate "01\/13\/2024"/);
    expect(() => dateOf('YYYY-MM-DD', '2024-2-9')).toThrow(PaymentFileError);
  });
});

describe('a malformed file is rejected whole, with the line and the reason', () => {
  const cardFile = (...rows: string[]): string => crlf((CARD_CSV.split('\r\n')[0] ?? ''), '40012345601,2026-03-04,100000017,JANE DOE,Visa,Web,Settled Successfully,85.20,1.95', ...rows, '40012345699,2026-03-04,100000017,JANE DOE,Visa,Web,Settled Successfully,1.00,');
  const cases: [name: string, row: string, reason: RegExp][] = [
    ['a non-numeric amount', '40012345602,2026-03-04,100000025,KIM,Visa,Web,Settled Successfully,12.3.4,', /amount "12\.3\.4" is not an amount of dollars and cents/],
    ['a fraction of a cent', '40012345602,2026-03-04,100000025,KIM,Visa,Web,Settled Successfully,12.345,', /amount "12\.345"/],
    ['a zero amount', '40012345602,2026-03-04,100000025,KIM,Visa,Web,Settled Successfully,0.00,', /amount "0\.00" is zero/],
    ['a negative settled amount', '40012345602,2026-03-04,100000025,KIM,Visa,Web,Settled Successfully,-5.00,', /amount "-5\.00" is negative for a settled payment/],
    ['a missing amount', '40012345602,2026-03-04,100000025,KIM,Visa,Web,Settled Successfully,,', /amount is missing/],
    ['a missing account', '40012345602,2026-03-04, ,KIM,Visa,Web,Settled Successfully,5.00,', /accountRef is missing/],
    ['an impossible date', '40012345602,2026-02-30,100000025,KIM,Visa,Web,Settled Successfully,5.00,', /paymentDate "2026-02-30" is not a valid YYYY-MM-DD date/],
    ['a date in another format', '40012345602,03/04/2026,100000025,KIM,Visa,Web,Settled Successfully,5.00,', /paymentDate "03\/04\/2026"/],
    ['a bad fee', '40012345602,2026-03-04,100000025,KIM,Visa,Web,Settled Successfully,5.00,1.9.5', /fee "1\.9\.5" is not an amount/],
    ['an unknown status', '40012345602,2026-03-04,100000025,KIM,Visa,Web,Pending Settlement,5.00,', /status "Pending Settlement" is not a known status/],
    ['a blank status', '40012345602,2026-03-04,100000025,KIM,Visa,Web,,5.00,', /status is missing/],
    ['a status that is an Object key', '40012345602,2026-03-04,100000025,KIM,Visa,Web,constructor,5.00,', /status "constructor"/],
    ['a duplicate reference', '40012345601,2026-03-05,100000025,KIM,Visa,Web,Settled Successfully,5.00,', /reference "40012345601" repeats line 2/],
    ['too few columns', '40012345602,2026-03-04,100000025,KIM,Visa,Web,Settled Successfully,5.00', /expected 9 columns, found 8/],
    ['too many columns', '40012345602,2026-03-04,100000025,"KIM",Visa,Web,Settled Successfully,5.00,,', /expected 9 columns, found 10/],
    ['a stray quote', '40012345602,2026-03-04,100000025,KIM "K" LEE,Visa,Web,Settled Successfully,5.00,', /misplaced quote/],
  ];
  it.each(cases)('%s', (_name, row, reason) => expectRejected(cardFile(row), standardCardSettlementLayout, 3, reason));

  it('a duplicate reference on a declined row is no fault', () => {
    const file = cardFile('40012345601,2026-03-04,100000017,JANE DOE,Visa,Web,Declined,85.20,');
    expect(parsePaymentCsv(file, standardCardSettlementLayout)).toMatchObject({ skipped: 1, totalCents: 8620 });
  });

  it('an unclosed quote, at the line its record starts', () => {
    expectRejected(cardFile('', '40012345602,2026-03-04,100000025,"KIM,Visa,Web,Settled Successfully,5.00,'), standardCardSettlementLayout, 4, /quoted field is not closed/);
  });

  it('a fault after a multi-line field, at its own line', () => {
    const file = crlf(...(OBI_CSV.trimEnd().split('\r\n').slice(0, 4)), '100000041,X,,,,,,1.00,02/30/2026,021000020001237');
    expectRejected(file, standardObiLayout, 5, /paymentDate "02\/30\/2026"/);
  });

  it('a header without a required column, naming it', () => {
    expectRejected(CARD_CSV.replace(',Amount,', ',Amt,'), standardCardSettlementLayout, 1, /header has no "Amount" column \(amount\)/);
    expectRejected(`banner\n${OBI_CSV.replace('Payment Date', 'Date')}`, { ...standardObiLayout, skipRows: 1 }, 2, /header has no "Payment Date" column \(paymentDate\)/);
  });

  it('a header naming a layout column twice', () => {
    expectRejected(CARD_CSV.replace(',Fee', ',AMOUNT'), standardCardSettlementLayout, 1, /header has column "Amount" twice/);
  });

  it('optional columns absent from the header are none', () => {
    const text = crlf('Customer Account,Amount,Settlement Date', '100000017,10.00,2026-03-04', '100000025,-4.00,2026-03-04');
    expect(parsePaymentCsv(text, standardCardSettlementLayout)).toEqual({
      records: [
        payment({ line: 2, accountRef: '100000017', amountCents: 1000, paymentDate: '2026-03-04' }),
        payment({ line: 3, accountRef: '100000025', amountCents: -400, paymentDate: '2026-03-04', status: 'refunded' }),
      ],
      totalCents: 600,
      skipped: 0,
    });
  });
});

describe('control totals', () => {
  const lines = LOCKBOX_CSV.trimEnd().split('\r\n');
  const withTotals = (totals: string): string => crlf(...lines.slice(0, -1), totals);

  it('must tie in amount and count', () => {
    expectRejected(withTotals('TOTAL,,4,,,,,"2,471.50"'), standardLockboxCsvLayout, 6, /control total 2471\.50 does not tie to the payments' total 2471\.49/);
    expectRejected(withTotals('TOTAL,,5,,,,,"2,471.49"'), standardLockboxCsvLayout, 6, /control count 5 does not tie to the 4 payments read/);
    expectRejected(withTotals('TOTAL,,four,,,,,"2,471.49"'), standardLockboxCsvLayout, 6, /control count "four" is not a number/);
    expectRejected(withTotals('TOTAL,,4,,,,,'), standardLockboxCsvLayout, 6, /control total row has no total amount/);
    expectRejected(withTotals('TOTAL,,4,,,,,2471.49.0'), standardLockboxCsvLayout, 6, /control total "2471\.49\.0" is not an amount/);
  });

  it('are read from the last row left after the footer lines', () => {
    const text = crlf(...lines, '', 'Report generated 03/05/2026 06:15 "final"', '');
    expect(parsePaymentCsv(text, { ...standardLockboxCsvLayout, skipTrailerRows: 1 }).totalCents).toBe(247149);
    expectRejected(text, standardLockboxCsvLayout, 8, /misplaced quote|control total/);
  });

  it('are required when the layout has them', () => {
    expectRejected('', standardLockboxCsvLayout, null, /the file has no control total row/);
    expectRejected(lines[0] ?? '', standardLockboxCsvLayout, null, /the file has no control total row/);
    expect(parsePaymentCsv(crlf(lines[0] ?? '', 'TOTAL,,0,,,,,0.00'), standardLockboxCsvLayout)).toEqual({ records: [], totalCents: 0, skipped: 0 });
  });

  it('net refunds off the total and leave declined rows out', () => {
    const layout = validatePaymentCsvLayout({ ...JSON.parse(JSON.stringify(standardCardSettlementLayout)), controlTotal: { row: 'last', amountColumn: 'Amount', countColumn: 1 } });
    expect(parsePaymentCsv(CARD_CSV + '3,,,,,,,"1,085.20",\r\n', layout)).toMatchObject({ totalCents: 108520, skipped: 2 });
  });
});

describe('validatePaymentCsvLayout', () => {
  const valid = {
    code: 'bank-obi',
    kind: 'obi',
    delimiter: '\t',
    header: true,
    columns: { accountRef: 'Acct', amount: 'Amt', paymentDate: 4, payerAddress: ['Addr1', 'City'], status: 'St' },
    dateFormat: 'YYYYMMDD',
    amountFormat: 'cents',
    statuses: { OK: 'settled', REV: 'refunded', '': 'settled' },
    controlTotal: { row: 'last', amountColumn: 'Amt' },
  };

  it('accepts a valid layout', () => {
    expect(validatePaymentCsvLayout(valid)).toEqual(valid);
  });

  const wrong: [field: string, change: Record<string, unknown>][] = [
    ['code', { code: '' }],
    ['description', { description: ['x'] }],
    ['kind', { kind: 'ach' }],
    ['delimiter', { delimiter: ':' }],
    ['header', { header: 'yes' }],
    ['skipRows', { skipRows: -1 }],
    ['skipTrailerRows', { skipTrailerRows: 0.5 }],
    ['dateFormat', { dateFormat: 'DD/MM/YYYY' }],
    ['amountFormat', { amountFormat: 'float' }],
    ['columns', { columns: [] }],
    ['columns.amount', { columns: { accountRef: 1, paymentDate: 2 } }],
    ['columns.accountRef', { columns: { accountRef: 0, amount: 2, paymentDate: 3 } }],
    ['columns.amount', { columns: { accountRef: 1, amount: '  ', paymentDate: 3 } }],
    ['columns.paymentDate', { columns: { accountRef: 1, amount: 2, paymentDate: 1 } }],
    ['columns.fee', { columns: { accountRef: 1, amount: 'Amt', paymentDate: 3, fee: 'AMT ' } }],
    ['columns.payerAddress', { columns: { accountRef: 1, amount: 2, paymentDate: 3, payerAddress: [] } }],
    ['columns.payerAddress.1', { columns: { accountRef: 1, amount: 2, paymentDate: 3, payerAddress: [4, 1.5] } }],
    ['columns.payerAddress', { columns: { accountRef: 1, amount: 2, paymentDate: 3, payerAddress: [4, 2] } }],
    ['columns.checkNumber', { columns: { accountRef: 1, amount: 2, paymentDate: 3, checkNumber: 4 } }],
    ['columns.accountRef', { header: false, statuses: undefined, controlTotal: undefined }],
    ['statuses', { statuses: ['settled'] }],
    ['statuses.OK', { statuses: { OK: 'paid' } }],
    ['statuses.ok', { statuses: { OK: 'settled', ok: 'refunded' } }],
    ['statuses', { columns: { accountRef: 1, amount: 2, paymentDate: 3 } }],
    ['controlTotal', { controlTotal: 'last' }],
    ['controlTotal.row', { controlTotal: { row: 'first', amountColumn: 2 } }],
    ['controlTotal.amountColumn', { controlTotal: { row: 'last' } }],
    ['controlTotal.countColumn', { controlTotal: { row: 'last', amountColumn: 'Amt', countColumn: 'amt' } }],
    ['controlTotal.countRow', { controlTotal: { row: 'last', amountColumn: 'Amt', countRow: 1 } }],
    ['skiprows', { skiprows: 1 }],
  ];
  it.each(wrong)('names %s when it is wrong', (field, change) => {
    expect(() => validatePaymentCsvLayout({ ...valid, ...change })).toThrow(new RegExp(`^payment CSV layout ${field.replaceAll('.', '\\.')} `));
  });

  it('rejects a layout that is not an object', () => {
    expect(() => validatePaymentCsvLayout([valid])).toThrow(/^payment CSV layout must be an object$/);
  });
});

// ---- fuzz: nothing but a PaymentFileError, whatever the bytes ------------------------------------

const STANDARD_LAYOUTS = [standardLockboxCsvLayout, standardCardSettlementLayout, standardObiLayout] as const;
const SAMPLES = [LOCKBOX_CSV, CARD_CSV, OBI_CSV] as const;

function onlyPaymentFileErrors(run: () => unknown): void {
  try {
    run();
  } catch (error) {
    if (!(error instanceof PaymentFileError)) throw error;
    expect(error.reason).not.toBe('');
  }
}

type Mutation = { kind: 'char'; at: number; ch: string } | { kind: 'drop'; at: number; length: number } | { kind: 'copy'; at: number; length: number; to: number };

const csvChars = fc.constantFrom(...'0123456789.,;|\t"\r\n -$()AZaz'.split(''));
const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  fc.record({ kind: fc.constant('char' as const), at: fc.nat(), ch: csvChars }),
  fc.record({ kind: fc.constant('drop' as const), at: fc.nat(), length: fc.integer({ min: 1, max: 40 }) }),
  fc.record({ kind: fc.constant('copy' as const), at: fc.nat(), length: fc.integer({ min: 1, max: 120 }), to: fc.nat() }),
);

/** Overwrites a character, cuts or copies a stretch of the text. */
function mutate(text: string, changes: readonly Mutation[]): string {
  let out = text;
  for (const change of changes) {
    const at = change.at % (out.length + 1);
    if (change.kind === 'char') out = out.slice(0, at) + change.ch + out.slice(at + 1);
    if (change.kind === 'drop') out = out.slice(0, at) + out.slice(at + change.length);
    if (change.kind === 'copy') {
      const to = change.to % (out.length + 1);
      out = out.slice(0, to) + out.slice(at, at + change.length) + out.slice(to);
    }
  }
  return out;
}

function jsonPaths(value: unknown, prefix: string[] = []): string[][] {
  if (typeof value !== 'object' || value === null) return [prefix];
  return [prefix, ...Object.entries(value).flatMap(([key, child]) => jsonPaths(child, [...prefix, key]))];
}

function setPath(root: unknown, path: string[], value: unknown): unknown {
  if (path.length === 0) return value;
  let node = root as Record<string, unknown>;
  for (const key of path.slice(0, -1)) node = node[key] as Record<string, unknown>;
  const last = path.at(-1) ?? '';
  if (value === undefined) delete node[last];
  else node[last] = value;
  return root;
}

describe('fuzz', () => {
  it('arbitrary text is parsed or refused with a PaymentFileError', () => {
    const csvish = fc.array(fc.array(fc.stringMatching(/^[0-9$.,"A-Z -]{0,12}$/), { maxLength: 10 }).map((cells) => cells.join(',')), { maxLength: 8 }).map((rows) => rows.join('\r\n'));
    fc.assert(
      fc.property(fc.oneof(fc.string({ maxLength: 300 }), fc.string({ unit: csvChars, maxLength: 300 }), csvish), fc.constantFrom(...STANDARD_LAYOUTS), (text, layout) => {
        onlyPaymentFileErrors(() => parsePaymentCsv(text, layout));
      }),
      { numRuns: 3000 },
    );
  });

  it('mutations of valid files are parsed or refused with a PaymentFileError', () => {
    fc.assert(
      fc.property(fc.nat({ max: 2 }), fc.array(mutation, { minLength: 1, maxLength: 4 }), (which, changes) => {
        const layout = STANDARD_LAYOUTS[which] ?? standardObiLayout;
        onlyPaymentFileErrors(() => parsePaymentCsv(mutate(SAMPLES[which] ?? '', changes), layout));
      }),
      { numRuns: 3000 },
    );
  });

  it('layouts from arbitrary JSON are accepted or refused with a plain Error, and never break the parser', () => {
    const mutated = fc.nat({ max: 2 }).chain((which) => {
      const base = JSON.parse(JSON.stringify(STANDARD_LAYOUTS[which])) as unknown;
      return fc.record({ which: fc.constant(which), path: fc.constantFrom(...jsonPaths(base)), value: fc.oneof(fc.jsonValue({ maxDepth: 2 }), fc.constant(undefined)) });
    });
    fc.assert(
      fc.property(fc.oneof(fc.jsonValue({ maxDepth: 3 }).map((whole) => ({ whole })), mutated), (input) => {
        const which = 'which' in input ? input.which : 0;
        const raw = 'whole' in input ? input.whole : setPath(JSON.parse(JSON.stringify(STANDARD_LAYOUTS[which])), input.path, input.value);
        let layout: PaymentCsvLayout;
        try {
          layout = validatePaymentCsvLayout(raw);
        } catch (error) {
          expect(error).toBeInstanceOf(Error);
          expect((error as Error).constructor).toBe(Error);
          expect((error as Error).message).toMatch(/^payment CSV layout ./);
          return;
        }
        onlyPaymentFileErrors(() => parsePaymentCsv(SAMPLES[which] ?? '', layout));
      }),
      { numRuns: 3000 },
    );
  });
});

// ---- property: payments written out in a layout parse back equal --------------------------------

type Written = Omit<PaymentCsvRecord, 'line'> & { payerAddressParts: string[]; declined: boolean };

const FIELDS = ['accountRef', 'amount', 'paymentDate', 'reference', 'payerName', 'address1', 'address2', 'method', 'fee', 'status'] as const;
type Column = (typeof FIELDS)[number];

const text = (pattern: RegExp): fc.Arbitrary<string | null> => fc.option(fc.stringMatching(pattern), { nil: null });

const writtenPayment: fc.Arbitrary<Omit<Written, 'reference'>> = fc
  .record({
    accountRef: fc.oneof(fc.stringMatching(/^\d{9}$/), fc.stringMatching(/^[0-9A-Z][0-9A-Z -]{0,10}[0-9A-Z]$/)),
    cents: fc.integer({ min: 1, max: 99_999_999_999 }),
    refunded: fc.boolean(),
    declined: fc.boolean(),
    paymentDate: fc.date({ min: new Date('1970-01-01T00:00:00Z'), max: new Date('2069-12-31T00:00:00Z'), noInvalidDate: true }).map((d) => d.toISOString().slice(0, 10)),
    // Names and addresses may hold delimiters, quotes and line breaks.
    payerName: text(/^[A-Za-z][A-Za-z ,;|'"\n.-]{0,16}[A-Za-z.]$/),
    payerAddressParts: fc.array(fc.oneof(fc.constant(''), fc.stringMatching(/^[0-9A-Z][0-9A-Z ,#\n]{0,12}[0-9A-Z]$/)), { minLength: 2, maxLength: 2 }),
    method: text(/^[A-Z][a-z]{1,9}$/),
    feeCents: fc.option(fc.integer({ min: -999, max: 999 }), { nil: null }),
  })
  .map(({ cents, refunded, ...rest }) => ({
    ...rest,
    amountCents: refunded ? -cents : cents,
    status: (refunded ? 'refunded' : 'settled') as PaymentStatus,
    payerAddress: rest.payerAddressParts.filter((p) => p !== '').join(', ') || null,
  }));

const layoutChoice = fc.record({
  delimiter: fc.constantFrom<PaymentCsvDelimiter>(',', ';', '\t', '|'),
  dateFormat: fc.constantFrom<PaymentCsvDateFormat>('YYYY-MM-DD', 'MM/DD/YYYY', 'YYYYMMDD', 'DD.MM.YYYY', 'MM/DD/YY'),
  amountFormat: fc.constantFrom<PaymentCsvAmountFormat>('decimal', 'cents'),
  header: fc.boolean(),
  skipRows: fc.nat({ max: 2 }),
  skipTrailerRows: fc.nat({ max: 2 }),
  order: fc.shuffledSubarray([...FIELDS], { minLength: FIELDS.length, maxLength: FIELDS.length }),
  withStatus: fc.boolean(),
  withControlTotal: fc.boolean(),
  refundsWrittenPositive: fc.boolean(),
  dollarStyle: fc.constantFrom('plain', 'grouped', 'accounting'),
  quoteAll: fc.boolean(),
  lineEnd: fc.constantFrom('\n', '\r\n'),
});
type Choice = typeof layoutChoice extends fc.Arbitrary<infer T> ? T : never;

function formatDate(iso: string, format: PaymentCsvDateFormat): string {
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
    case 'MM/DD/YY':
      return `${Number(m)}/${Number(d)}/${y.slice(2)}`;
  }
}

function formatAmount(cents: number, choice: Choice): string {
  if (choice.amountFormat === 'cents') return String(cents);
  const abs = Math.abs(cents);
  const dollars = String(Math.floor(abs / 100));
  const fraction = String(abs % 100).padStart(2, '0');
  if (choice.dollarStyle === 'plain') return `${cents < 0 ? '-' : ''}${dollars}.${fraction}`;
  const grouped = `$${dollars.replace(/\B(?=(\d{3})+(?!\d))/g, ',')}.${fraction}`;
  if (cents >= 0) return grouped;
  return choice.dollarStyle === 'accounting' ? `(${grouped})` : `-${grouped}`;
}

const quote = (value: string): string => `"${value.replaceAll('"', '""')}"`;

function layoutFor(choice: Choice): PaymentCsvLayout {
  const ref = (column: Column): string | number => (choice.header ? `${column} col` : choice.order.indexOf(column) + 1);
  return validatePaymentCsvLayout({
    code: 'prop',
    kind: 'card',
    delimiter: choice.delimiter,
    header: choice.header,
    skipRows: choice.skipRows,
    skipTrailerRows: choice.skipTrailerRows,
    columns: {
      accountRef: ref('accountRef'),
      amount: ref('amount'),
      paymentDate: ref('paymentDate'),
      reference: ref('reference'),
      payerName: ref('payerName'),
      payerAddress: [ref('address1'), ref('address2')],
      method: ref('method'),
      fee: ref('fee'),
      ...(choice.withStatus ? { status: ref('status') } : {}),
    },
    dateFormat: choice.dateFormat,
    amountFormat: choice.amountFormat,
    ...(choice.withStatus ? { statuses: { ok: 'settled', rfnd: 'refunded', dcl: 'declined' } } : {}),
    ...(choice.withControlTotal ? { controlTotal: { row: 'last', amountColumn: ref('amount'), countColumn: ref('reference') } } : {}),
  });
}

/** Writes payments the way a processor might; returns the file and the records it must parse to. */
function writePaymentCsv(payments: Omit<Written, 'reference'>[], choice: Choice): { text: string; expected: PaymentCsvRecord[] } {
  const cellsOf = (p: Written): Record<Column, string> => ({
    accountRef: p.accountRef,
    amount: formatAmount(choice.withStatus && choice.refundsWrittenPositive ? Math.abs(p.amountCents) : p.amountCents, choice),
    paymentDate: formatDate(p.paymentDate, choice.dateFormat),
    reference: p.reference ?? '',
    payerName: p.payerName ?? '',
    address1: p.payerAddressParts[0] ?? '',
    address2: p.payerAddressParts[1] ?? '',
    method: p.method ?? '',
    fee: p.feeCents === null ? '' : formatAmount(p.feeCents, { ...choice, dollarStyle: 'plain' }),
    status: p.declined ? 'DCL' : p.status === 'refunded' ? 'Rfnd' : 'OK',
  });
  const row = (cells: Record<Column, string>): string =>
    choice.order.map((c) => (choice.quoteAll || /[,;|\t"\n]/.test(cells[c]) ? quote(cells[c]) : cells[c])).join(choice.delimiter);
  // Without a status column there is no declined row to write.
  const rows = payments.filter((p) => choice.withStatus || !p.declined).map((p, i): Written => ({ ...p, reference: `TX${i}` }));
  const lines = [
    ...Array.from({ length: choice.skipRows }, (_, i) => `banner ${i} "${choice.delimiter}`),
    ...(choice.header ? [choice.order.map((c) => ` ${c.toUpperCase()} COL `).join(choice.delimiter)] : []),
  ];
  const expected: PaymentCsvRecord[] = [];
  for (const p of rows) {
    const cells = cellsOf(p);
    if (!p.declined) {
      const { payerAddressParts: _, declined: __, ...record } = p;
      expected.push({ line: lines.length + 1, ...record });
    }
    lines.push(...row(cells).split('\n'));
  }
  if (choice.withControlTotal) {
    const totalCents = expected.reduce((sum, r) => sum + r.amountCents, 0);
    const blank = Object.fromEntries(FIELDS.map((f) => [f, ''])) as Record<Column, string>;
    lines.push(row({ ...blank, amount: formatAmount(totalCents, choice), reference: String(expected.length) }));
  }
  lines.push(...Array.from({ length: choice.skipTrailerRows }, (_, i) => `footer ${i} "`));
  return { text: lines.join(choice.lineEnd) + choice.lineEnd, expected };
}

describe('round trip', () => {
  it('any payments written in any layout parse back to the same records and total', () => {
    fc.assert(
      fc.property(fc.array(writtenPayment, { maxLength: 8 }), layoutChoice, (payments, choice) => {
        const { text: file, expected } = writePaymentCsv(payments, choice);
        const parsed = parsePaymentCsv(file, layoutFor(choice));
        expect(parsed.records).toEqual(expected);
        expect(parsed.totalCents).toBe(expected.reduce((sum, r) => sum + r.amountCents, 0));
        expect(parsed.skipped).toBe(choice.withStatus ? payments.filter((p) => p.declined).length : 0);
      }),
      { numRuns: 1000 },
    );
  });
});
