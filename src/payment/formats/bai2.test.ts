import { readFileSync } from 'node:fs';
import path from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { BAI2_TYPE_CODES, classifyTypeCode, isCredit, isDebit, parseBai2, paymentCategory } from './bai2.ts';
import { PaymentFileError } from './file-error.ts';

const DATA = path.resolve(import.meta.dirname, '../../../../shared/data/bai2');
const sample1 = readFileSync(path.join(DATA, 'sample1.txt'), 'utf8');
const sample2 = readFileSync(path.join(DATA, 'sample2.txt'), 'utf8');
const sampleParseError = readFileSync(path.join(DATA, 'sample-parseError.txt'), 'utf8');

/** The PaymentFileError parseBai2 throws, or fails the test. */
function rejection(text: string): PaymentFileError {
  try {
    parseBai2(text);
  } catch (e) {
    if (e instanceof PaymentFileError) return e;
    throw e;
  }
  throw new Error('expected the file to be rejected');
}

function lines(text: string): string[] {
  return text.split('\n');
}

/** sample1 with line n (1-based) replaced. */
function withLine(text: string, n: number, line: string): string {
  const ls = lines(text);
  ls[n - 1] = line;
  return ls.join('\n');
}

describe('BAI2 sample1 (returned cheques, 88 continuations)', () => {
  const file = parseBai2(sample1);

  it('reads the file header and the one group', () => {
    expect(file.header).toEqual({
      senderId: '0004',
      receiverId: '12345',
      creationDate: '2006-03-21',
      creationTime: '0829',
      fileId: '001',
      physicalRecordLength: 80,
      blockSize: 1,
      versionNumber: 2,
    });
    expect(file.groups).toHaveLength(1);
    const group = file.groups[0]!;
    expect(group).toMatchObject({ ultimateReceiverId: '12345', originatorId: '0004', status: 1, asOfDate: '2006-03-17', asOfTime: null, currency: 'CAD', asOfDateModifier: null, record: 2 });
  });

  it('ties the control totals and record counts the README gives', () => {
    const [a1, a2] = file.groups[0]!.accounts;
    expect([a1!.controlTotalCents, a1!.recordCount]).toEqual([834000, 14]);
    expect([a2!.controlTotalCents, a2!.recordCount]).toEqual([446000, 9]);
    expect(file.groups[0]).toMatchObject({ controlTotalCents: 1280000, accountCount: 2, recordCount: 25 });
    expect(file).toMatchObject({ controlTotalCents: 1280000, groupCount: 1, recordCount: 27 });
  });

  it('continues the 03 summaries on the 88 record, value-dated', () => {
    const account = file.groups[0]!.accounts[0]!;
    expect(account.accountNumber).toBe('10200123456');
    expect(account.currency).toBe('CAD');
    expect(account.summaries).toEqual([
      { typeCode: '040', amountCents: 0, itemCount: null, fundsType: { code: 'Z' } },
      { typeCode: '045', amountCents: 0, itemCount: null, fundsType: { code: 'Z' } },
      { typeCode: '100', amountCents: 208500, itemCount: 3, fundsType: { code: 'V', valueDate: '2006-03-16', valueTime: null } },
      { typeCode: '400', amountCents: 208500, itemCount: 8, fundsType: { code: 'V', valueDate: '2006-03-16', valueTime: null } },
    ]);
  });

  it('reads the type-409 returned cheque lines with their text and line numbers', () => {
    const account = file.groups[0]!.accounts[0]!;
    expect(account.transactions).toHaveLength(11);
    expect(account.transactions[0]).toEqual({
      typeCode: '409',
      amountCents: 2500,
      fundsType: { code: 'V', valueDate: '2006-03-16', valueTime: null },
      bankReference: null,
      customerReference: null,
      text: 'RETURNED CHEQUE',
      record: 5,
    });
    expect(account.transactions.map((t) => [t.typeCode, t.amountCents, t.text, t.record])).toEqual([
      ['409', 2500, 'RETURNED CHEQUE', 5],
      ['409', 90000, 'RTN-UNKNOWN', 6],
      ['409', 500, 'RTD CHQ SERVICE CHRG', 7],
      ['108', 203500, 'TFR 1020 0345678', 8],
      ['108', 2500, 'MACLEOD MALL', 9],
      ['108', 2500, 'MASCOUCHE QUE', 10],
      ['409', 20000, '1000 ISLANDS MALL', 11],
      ['409', 90000, 'PENHORA MALL', 12],
      ['409', 2000, 'CAPILANO MALL', 13],
      ['409', 2500, 'GALERIES LA CAPITALE', 14],
      ['409', 1000, 'PLAZA ROCK FOREST', 15],
    ]);
    // The 03 summaries agree with the details: 100 total credits = the 108s, 400 total debits = the 409s.
    const sum = (code: string) => account.transactions.filter((t) => t.typeCode === code).reduce((s, t) => s + t.amountCents, 0);
    expect(sum('108')).toBe(208500);
    expect(sum('409')).toBe(208500);
    const second = file.groups[0]!.accounts[1]!;
    expect(second.transactions.filter((t) => t.typeCode === '409').map((t) => t.text)).toEqual(['GRANDFALL NB', 'HAMILTON ON', 'WOODSTOCK NB', 'GALERIES RICHELIEU']);
  });

  it('reads the same with CRLF line ends, a final newline or trailing blank lines', () => {
    expect(parseBai2(sample1.replace(/\n/g, '\r\n'))).toEqual(file);
    expect(parseBai2(`${sample1}\n`)).toEqual(file);
    expect(parseBai2(`${sample1}\r\n\r\n  \n`)).toEqual(file);
    expect(parseBai2(`\uFEFF${sample1}`)).toEqual(file);
  });
});

describe('BAI2 sample2 (several groups, lockbox deposit, funds distributions)', () => {
  const file = parseBai2(sample2);

  it('has the file total 345450000 in 31 records over 4 groups', () => {
    expect(file).toMatchObject({ controlTotalCents: 345450000, recordCount: 31, groupCount: 4 });
    expect(file.groups.map((g) => [g.record, g.controlTotalCents, g.accountCount, g.recordCount])).toEqual([
      [2, 13150000, 2, 11],
      [13, 180000000, 1, 8],
      [21, 140500000, 1, 5],
      [26, 11800000, 1, 5],
    ]);
    expect(file.groups.map((g) => g.status)).toEqual([1, 1, 1, 3]);
    expect(file.groups[0]).toMatchObject({ originatorId: '122099999', ultimateReceiverId: '031001234', asOfDate: '2004-06-20', asOfTime: '2359', currency: 'USD', asOfDateModifier: 2 });
    expect(file.header).toMatchObject({ senderId: '122099999', receiverId: '123456789', creationDate: '2004-06-21', creationTime: '0200', fileId: '1', physicalRecordLength: 65, blockSize: null });
  });

  it('reads the lockbox deposits (type 115) with their availability split', () => {
    const lockbox = file.groups.flatMap((g) => g.accounts.flatMap((a) => a.transactions)).filter((t) => t.typeCode === '115');
    expect(lockbox).toEqual([
      {
        typeCode: '115',
        amountCents: 450000,
        fundsType: { code: 'S', immediateCents: 100000, oneDayCents: 200000, twoOrMoreDaysCents: 150000 },
        bankReference: null,
        customerReference: null,
        text: '',
        record: 5,
      },
      {
        typeCode: '115',
        amountCents: 500000,
        fundsType: { code: 'S', immediateCents: 0, oneDayCents: 200000, twoOrMoreDaysCents: 300000 },
        bankReference: null,
        customerReference: null,
        text: 'LOCK BOX NO.68751',
        record: 10,
      },
    ]);
    expect(lockbox.map((t) => paymentCategory(t.typeCode))).toEqual(['lockbox-deposit', 'lockbox-deposit']);
  });

  it('continues an 03 mid-summary across two 88s, signed amounts included', () => {
    const account = file.groups[0]!.accounts[1]!;
    expect(account.summaries.map((s) => [s.typeCode, s.amountCents])).toEqual([
      ['010', -500000],
      ['100', 1000000],
      ['400', 2000000],
      ['190', 500000],
      ['110', 1000000],
      ['072', 500000],
      ['074', 500000],
      ['040', -1500000],
    ]);
    expect([account.controlTotalCents, account.recordCount]).toEqual([4000000, 5]);
  });

  it('takes a 16 text that starts on its 88, after the bank and customer references', () => {
    const [credit, wire] = file.groups[1]!.accounts[0]!.transactions;
    expect(credit).toEqual({
      typeCode: '218',
      amountCents: 20000000,
      fundsType: { code: 'V', valueDate: '2004-06-22', valueTime: null },
      bankReference: 'SP4738',
      customerReference: 'YRC065321',
      text: 'PROCEEDS OF LETTER OF CREDIT FROM THE ARAMCO OIL CO',
      record: 16,
    });
    expect(wire).toMatchObject({ typeCode: '195', amountCents: 10000000, fundsType: { code: '1' }, text: '', record: 18 });
    expect(paymentCategory('195')).toBe('incoming-wire');
  });

  it('reads a D distribution without counting its parts in the control total', () => {
    const account = file.groups[2]!.accounts[0]!;
    expect(account.summaries).toEqual([
      { typeCode: '010', amountCents: 500000, itemCount: null, fundsType: { code: 'Z' } },
      { typeCode: '190', amountCents: 70000000, itemCount: 4, fundsType: { code: '0' } },
      {
        typeCode: '110',
        amountCents: 70000000,
        itemCount: 15,
        fundsType: {
          code: 'D',
          distributions: [
            { days: 0, amountCents: 20000000 },
            { days: 1, amountCents: 30000000 },
            { days: 3, amountCents: 20000000 },
          ],
        },
      },
    ]);
    expect(account.controlTotalCents).toBe(140500000);
    // An item count alone on an 88 ("88,4,/") finishes the 110 summary begun on the 03.
    expect(file.groups[3]!.accounts[0]!.summaries[2]).toEqual({ typeCode: '110', amountCents: 5000000, itemCount: 4, fundsType: { code: 'Z' } });
  });
});

describe('BAI2 free text and funds types', () => {
  // Hand-made: 100000 + 12345 + 500 + 30000 + 7000 = 149845; 03..49 is 7 records, 02..98 9, 01..99 11.
  const text = [
    '01,BANK,UTILITY,250101,0800,7,,,2/',
    '02,UTILITY,BANK,1,241231,,USD,2/',
    '03,123456,,010,100000,,/',
    '16,115,12345,0,LBX1,,PAYMENT FROM J. SMITH, ACCT 1001/2/',
    '88,INVOICE 77/',
    '16,409,500,Z,,CUST9,RETURNED ITEM NSF',
    '16,301,30000,D,2,0,10000,1,20000,BR1,CR1,DEPOSIT/',
    '16,195,7000,V,250102,1230,FED123,,WIRE FROM ACME/',
    '49,149845,7/',
    '98,149845,1,9/',
    '99,149845,1,11/',
  ].join('\n');

  it('keeps commas and inner slashes in the text, joins its 88 with a space and takes a missing final slash', () => {
    const file = parseBai2(text);
    const [lockbox, returned, deposit, wire] = file.groups[0]!.accounts[0]!.transactions;
    expect(lockbox).toMatchObject({ bankReference: 'LBX1', customerReference: null, text: 'PAYMENT FROM J. SMITH, ACCT 1001/2 INVOICE 77', record: 4 });
    expect(returned).toMatchObject({ fundsType: { code: 'Z' }, bankReference: null, customerReference: 'CUST9', text: 'RETURNED ITEM NSF', record: 6 });
    expect(deposit).toMatchObject({
      fundsType: { code: 'D', distributions: [{ days: 0, amountCents: 10000 }, { days: 1, amountCents: 20000 }] },
      bankReference: 'BR1',
      customerReference: 'CR1',
      text: 'DEPOSIT',
    });
    expect(wire).toMatchObject({ fundsType: { code: 'V', valueDate: '2025-01-02', valueTime: '1230' }, bankReference: 'FED123', text: 'WIRE FROM ACME' });
    expect(file.groups[0]!.accounts[0]!.currency).toBe('USD');
    expect(file.controlTotalCents).toBe(149845);
  });

  it('refuses an unknown funds type and a D distribution that runs out of fields', () => {
    expect(rejection(withLine(text, 6, '16,409,500,Q,,CUST9,RETURNED ITEM NSF'))).toMatchObject({ record: 6, reason: "unknown funds type 'Q'" });
    expect(rejection(withLine(text, 7, '16,301,30000,D,3,0,10000,1,20000/'))).toMatchObject({ record: 7, reason: 'missing availability days' });
  });
});

describe('BAI2 rejections name the record and the reason', () => {
  it('rejects the invalid header of sample-parseError.txt', () => {
    expect(rejection(sampleParseError)).toMatchObject({ record: 1, reason: "the file must begin with a file header (01), not '00'" });
    // Even with the record code mended the header is broken: slashes inside, then data after the first.
    expect(rejection(sampleParseError.replace(/^00/, '01')).record).toBe(1);
  });

  it('rejects headers with a bad version, date, time or a missing sender', () => {
    const header = (line: string) => rejection(withLine(sample1, 1, line));
    expect(header('01,0004,12345,060321,0829,001,80,1,3/')).toMatchObject({ record: 1, reason: expect.stringMatching(/version number '3'/) });
    expect(header('01,0004,12345,060231,0829,001,80,1,2/')).toMatchObject({ record: 1, reason: expect.stringMatching(/file creation date '060231'/) });
    expect(header('01,0004,12345,060321,2561,001,80,1,2/')).toMatchObject({ record: 1, reason: expect.stringMatching(/file creation time/) });
    expect(header('01,,12345,060321,0829,001,80,1,2/')).toMatchObject({ record: 1, reason: 'missing sender identification' });
    expect(header('01,0004,12345,060321,0829,001,80,1,2,X/')).toMatchObject({ record: 1, reason: expect.stringMatching(/unexpected field 'X'/) });
    expect(rejection(withLine(sample1, 2, '02,12345,0004,7,060317,,CAD,/'))).toMatchObject({ record: 2, reason: expect.stringMatching(/group status '7'/) });
  });

  it('rejects every control total and count that does not tie', () => {
    const cases: [number, string, RegExp | null][] = [
      [16, '49,+00000000000834001,14/', /account control total is 834001 but the records give 834000/],
      [16, '49,+00000000000834000,13/', /account record count is 13 but the records give 14/],
      [25, '49,+00000000000446000,9,/', null],
      [26, '98,+00000000001280001,2,25/', /group control total/],
      [26, '98,+00000000001280000,3,25/', /group number of accounts is 3 but the records give 2/],
      [26, '98,+00000000001280000,2,24/', /group record count is 24 but the records give 25/],
      [27, '99,+00000000001280001,1,27/', /file control total/],
      [27, '99,+00000000001280000,2,27/', /file number of groups/],
      [27, '99,+00000000001280000,1,28/', /file record count is 28 but the records give 27/],
    ];
    for (const [record, line, reason] of cases) {
      if (reason === null) expect(() => parseBai2(withLine(sample1, record, line))).not.toThrow(); // a trailing empty field is fine
      else expect(rejection(withLine(sample1, record, line))).toMatchObject({ record, reason: expect.stringMatching(reason) });
    }
  });

  it('catches any one changed digit of a detail amount at the account trailer', () => {
    const ls = lines(sample1);
    const details = ls.map((l, i) => [l, i + 1] as const).filter(([l]) => l.startsWith('16,'));
    fc.assert(
      fc.property(fc.constantFrom(...details), fc.integer({ min: 0, max: 14 }), fc.integer({ min: 1, max: 9 }), ([line, n], pos, delta) => {
        const amount = line.split(',')[2]!;
        const digit = (Number(amount[pos]) + delta) % 10;
        const changed = line.replace(amount, amount.slice(0, pos) + digit + amount.slice(pos + 1));
        const e = rejection(withLine(sample1, n, changed));
        expect(e.reason).toMatch(/account control total/);
        expect(e.record === 16 || e.record === 25).toBe(true);
      }),
      { numRuns: 200 },
    );
  });

  it('rejects a missing trailer, a record out of order and anything after the file trailer', () => {
    const without = (n: number) => lines(sample1).filter((_, i) => i !== n - 1).join('\n');
    expect(rejection(without(16))).toMatchObject({ record: 16, reason: 'expected account trailer (49) to close account 10200123456, found account identifier (03)' });
    expect(rejection(without(26))).toMatchObject({ record: 26, reason: expect.stringMatching(/expected file trailer \(99\)|group trailer \(98\)/) });
    expect(rejection(without(27))).toMatchObject({ record: null, reason: 'file ends before the file trailer (99) to end the file (or a group header (02))' });
    const swapped = lines(sample1);
    [swapped[2], swapped[4]] = [swapped[4]!, swapped[2]!];
    expect(rejection(swapped.join('\n'))).toMatchObject({ record: 3, reason: 'expected group trailer (98) to close the group (or an account identifier (03)), found transaction detail (16)' });
    expect(rejection(`${sample1}\n01,0004,12345,060321,0829,001,80,1,2/`)).toMatchObject({ record: 28, reason: 'file header (01) after the file trailer' });
  });

  it('rejects a bad record code, a non-numeric amount, a blank line and data after the slash', () => {
    expect(rejection(withLine(sample1, 5, '17,409,000000000002500,V,060316,,,,RETURNED CHEQUE     /'))).toMatchObject({ record: 5, reason: "unknown record code '17'" });
    expect(rejection(withLine(sample1, 5, '16,409,00000000000250O,V,060316,,,,RETURNED CHEQUE     /'))).toMatchObject({
      record: 5,
      reason: "amount '00000000000250O' is not a whole number of cents",
    });
    expect(rejection(withLine(sample1, 4, '88,100,000000000208500,0000X,V,060316,,400,000000000208500,00008,V,060316,/'))).toMatchObject({ record: 4, reason: expect.stringMatching(/item count '0000X'/) });
    expect(rejection(withLine(sample1, 10, ''))).toMatchObject({ record: 10, reason: 'blank line' });
    expect(rejection(withLine(sample1, 16, '49,+00000000000834000,14/ 15'))).toMatchObject({ record: 16, reason: "data after the record delimiter '/'" });
    expect(rejection(withLine(sample1, 5, '16,010,000000000002500,V,060316,,,,RETURNED CHEQUE     /'))).toMatchObject({ record: 5, reason: expect.stringMatching(/status code/) });
    expect(rejection('')).toMatchObject({ record: null, reason: 'empty file' });
  });
});

describe('BAI2 type codes', () => {
  it('classifies by the spec ranges', () => {
    expect(['010', '045', '072'].map(classifyTypeCode)).toEqual(['status', 'status', 'status']);
    expect(['100', '108', '115', '195', '301', '399'].every(isCredit)).toBe(true);
    expect(['400', '409', '475', '555', '699'].every(isDebit)).toBe(true);
    expect(['409', '475', '010'].some(isCredit)).toBe(false);
    expect([classifyTypeCode('905'), classifyTypeCode('925'), classifyTypeCode('975')]).toEqual(['status', 'credit', 'debit']);
    expect([classifyTypeCode('701'), classifyTypeCode('721'), classifyTypeCode('760'), classifyTypeCode('890')]).toEqual(['status', 'credit', 'debit', 'non-monetary']);
    expect([classifyTypeCode('800'), classifyTypeCode('12'), classifyTypeCode('abc')]).toEqual(['unknown', 'unknown', 'unknown']);
  });

  it('names the payment meaning of the codes a utility posts from', () => {
    expect(['115', '195', '191', '301', '475', '555', '409', '108'].map(paymentCategory)).toEqual([
      'lockbox-deposit',
      'incoming-wire',
      'incoming-internal-transfer',
      'commercial-deposit',
      'check-paid',
      'deposited-item-returned',
      null, // 409 is "Debit (Any Type)": returned cheques and fees alike
      null,
    ]);
    expect(BAI2_TYPE_CODES['409']).toBe('Debit (Any Type)');
    expect(BAI2_TYPE_CODES['555']).toBe('Deposited Item Returned');
  });
});

describe('BAI2 fuzzing: nothing but PaymentFileError ever escapes', () => {
  function onlyPaymentFileErrors(text: string): void {
    try {
      parseBai2(text);
    } catch (e) {
      if (!(e instanceof PaymentFileError)) throw e;
      const lineCount = text.split('\n').length;
      if (e.record !== null && (e.record < 1 || e.record > lineCount)) throw new Error(`record ${e.record} outside 1..${lineCount}`);
    }
  }

  const samples = [sample1, sample2, sampleParseError];
  const alphabet = fc.constantFrom(...'0123456789,/+-VSDZ \n\r'.split(''));
  const recordCode = fc.constantFrom('01', '02', '03', '16', '49', '88', '98', '99');
  const field = fc.oneof(fc.string({ unit: alphabet, maxLength: 6 }), fc.constantFrom('', '0', '1', 'V', 'S', 'D', '060316', '2', '+100', '-5'));
  const bai2Lines = fc.array(
    fc.tuple(recordCode, fc.array(field, { maxLength: 12 }), fc.boolean()).map(([code, fields, slash]) => `${code},${fields.join(',')}${slash ? '/' : ''}`),
    { maxLength: 20 },
  );

  it('survives arbitrary strings and arbitrary records', () => {
    fc.assert(fc.property(fc.string({ unit: 'binary', maxLength: 400 }), onlyPaymentFileErrors), { numRuns: 1000 });
    fc.assert(fc.property(fc.string({ unit: alphabet, maxLength: 400 }), onlyPaymentFileErrors), { numRuns: 1000 });
    fc.assert(fc.property(bai2Lines, (ls) => onlyPaymentFileErrors(['01,A,B,060321,0829,1,,,2/', ...ls].join('\n'))), { numRuns: 2000 });
  });

  it('survives truncated, flipped, deleted, duplicated and shuffled lines of the real samples', () => {
    const mutation = fc.oneof(
      fc.record({ kind: fc.constant('truncate' as const), at: fc.nat() }),
      fc.record({ kind: fc.constant('flip' as const), at: fc.nat(), char: fc.string({ unit: alphabet, minLength: 1, maxLength: 1 }) }),
      fc.record({ kind: fc.constant('delete' as const), at: fc.nat() }),
      fc.record({ kind: fc.constant('duplicate' as const), at: fc.nat() }),
      fc.record({ kind: fc.constant('swap' as const), at: fc.nat(), to: fc.nat() }),
    );
    type Mutation = typeof mutation extends fc.Arbitrary<infer M> ? M : never;
    const apply = (text: string, m: Mutation): string => {
      const ls = text.split('\n');
      const i = m.at % ls.length;
      switch (m.kind) {
        case 'truncate':
          return text.slice(0, m.at % (text.length + 1));
        case 'flip': {
          const at = m.at % Math.max(text.length, 1);
          return text.slice(0, at) + m.char + text.slice(at + 1);
        }
        case 'delete':
          return ls.filter((_, k) => k !== i).join('\n');
        case 'duplicate':
          return [...ls.slice(0, i + 1), ...ls.slice(i)].join('\n');
        case 'swap': {
          const j = m.to % ls.length;
          [ls[i], ls[j]] = [ls[j]!, ls[i]!];
          return ls.join('\n');
        }
      }
    };
    fc.assert(
      fc.property(fc.constantFrom(...samples), fc.array(mutation, { minLength: 1, maxLength: 4 }), (sample, mutations) => {
        onlyPaymentFileErrors(mutations.reduce(apply, sample));
      }),
      { numRuns: 3000 },
    );
  });
});
