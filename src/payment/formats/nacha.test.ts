import { readFileSync } from 'node:fs';
import path from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { PaymentFileError } from './file-error.ts';
import {
  AUTOPAY_STOPPING_RETURNS,
  CHANGE_CODES,
  NACHA_RECORD_LENGTH,
  RETURN_REASON_CODES,
  buildPpdDebitFile,
  parseCorrectedData,
  parseNacha,
  type NachaChangeAddenda,
  type NachaEntry,
  type NachaReturnAddenda,
  type PpdDebitEntryInput,
  type PpdDebitFileInput,
} from './nacha.ts';
import { routingCheckDigit } from './routing.ts';

const ACH_DIR = path.resolve(import.meta.dirname, '../../../../shared/data/ach');
const sample = (name: string) => readFileSync(path.join(ACH_DIR, name), 'utf8');

const PPD_DEBIT = sample('ppd-debit.ach');
const MIXED = sample('ppd-mixedDebitCredit.ach');
const RETURN_WEB = sample('return-WEB.ach');
const COR = sample('cor-example.ach');
const BAD_CHECK_DIGIT = sample('ppd-debit-invalid-entryDetail-checkDigit.ach');
const BAD_LENGTH = sample('ppd-debit-fixedLengthInvalid.ach');
const NO_BATCH_CONTROLS = sample('return-no-batch-controls.ach');
const FISERV_ZERO = sample('FISERV-ZEROFILE-PIMRET825324_032720_110221.ach');
const ALL_SAMPLES = [PPD_DEBIT, MIXED, RETURN_WEB, COR, BAD_CHECK_DIGIT, BAD_LENGTH, NO_BATCH_CONTROLS, FISERV_ZERO];

/** Runs the parser and returns the PaymentFileError it must throw. */
function refusal(text: string): PaymentFileError {
  try {
    parseNacha(text);
  } catch (e) {
    if (e instanceof PaymentFileError) return e;
    throw e;
  }
  throw new Error('the file was accepted');
}

function expectRefused(text: string, record: number | null, message: string | RegExp): void {
  const e = refusal(text);
  expect(e.record).toBe(record);
  if (typeof message === 'string') expect(e.message).toBe(message);
  else expect(e.message).toMatch(message);
}

const linesOf = (text: string) => text.split('\n').map((l) => l.replace(/\r$/, ''));
const joinLines = (lines: readonly string[]) => lines.join('\n');

/** Replaces 1-based inclusive positions from..to of line n (1-based) with value. */
function edit(text: string, n: number, from: number, value: string): string {
  const lines = linesOf(text);
  const line = (lines[n - 1] ?? '').padEnd(NACHA_RECORD_LENGTH, ' ');
  lines[n - 1] = line.slice(0, from - 1) + value + line.slice(from - 1 + value.length);
  return joinLines(lines);
}

function withoutLine(text: string, n: number): string {
  return joinLines(linesOf(text).filter((_, i) => i !== n - 1));
}

function withLineAt(text: string, n: number, line: string): string {
  const lines = linesOf(text);
  lines.splice(n - 1, 0, line);
  return joinLines(lines);
}

function returnOf(entry: NachaEntry | undefined): NachaReturnAddenda {
  const a = entry?.addenda[0];
  if (a?.kind !== 'return') throw new Error('the entry has no return addenda');
  return a;
}

function changeOf(entry: NachaEntry | undefined): NachaChangeAddenda {
  const a = entry?.addenda[0];
  if (a?.kind !== 'change') throw new Error('the entry has no notification of change addenda');
  return a;
}

describe('parseNacha on the moov-io sample files', () => {
  it('reads ppd-debit.ach: one PPD debit of $1,000,000.00, trailing blanks of its header and file control stripped', () => {
    const file = parseNacha(PPD_DEBIT);
    expect(file.header).toEqual({
      recordNumber: 1,
      immediateDestination: '231380104',
      immediateOrigin: '0121042882',
      fileCreationDate: '2019-06-24',
      fileCreationTime: '0000',
      fileIdModifier: 'A',
      immediateDestinationName: 'Federal Reserve Bank',
      immediateOriginName: 'My Bank Name',
      referenceCode: '',
    });
    expect(file.batches).toHaveLength(1);
    const batch = file.batches[0]!;
    expect(batch).toMatchObject({
      recordNumber: 2,
      serviceClassCode: 225,
      companyName: 'Name on Account',
      companyIdentification: '121042882',
      secCode: 'PPD',
      companyEntryDescription: 'REG.SALARY',
      effectiveEntryDate: '2019-06-25',
      originatingDfi: '12104288',
      batchNumber: 1,
    });
    expect(batch.entries).toEqual([
      {
        recordNumber: 3,
        transactionCode: 27,
        direction: 'debit',
        prenote: false,
        rdfiRoutingNumber: '231380104',
        dfiAccountNumber: '12345678',
        amountCents: 100_000_000,
        individualIdNumber: '',
        individualName: 'Receiver Account Name',
        discretionaryData: '',
        addendaIndicator: 0,
        traceNumber: '121042880000001',
        addenda: [],
      },
    ]);
    expect(batch.control).toEqual({
      recordNumber: 4,
      serviceClassCode: 225,
      entryAddendaCount: 1,
      entryHash: 23138010,
      totalDebitCents: 100_000_000,
      totalCreditCents: 0,
    });
    expect(file.control).toEqual({
      recordNumber: 5,
      batchCount: 1,
      blockCount: 1,
      entryAddendaCount: 1,
      entryHash: 23138010,
      totalDebitCents: 100_000_000,
      totalCreditCents: 0,
    });
    expect(String(file.control.entryHash).padStart(10, '0')).toBe('0023138010');
    expect(file.totals).toEqual({ batchCount: 1, entryCount: 1, addendaCount: 0, debitCents: 100_000_000, creditCents: 0, entryHash: 23138010 });
  });

  it('reads ppd-mixedDebitCredit.ach: one $2,000,000.00 debit and two $1,000,000.00 credits', () => {
    const file = parseNacha(MIXED);
    const entries = file.batches.flatMap((b) => b.entries);
    expect(entries.map((e) => [e.transactionCode, e.direction, e.amountCents, e.individualName])).toEqual([
      [27, 'debit', 200_000_000, 'Debit Account'],
      [22, 'credit', 100_000_000, 'Credit Account 1'],
      [22, 'credit', 100_000_000, 'Credit Account 2'],
    ]);
    expect(entries.map((e) => e.dfiAccountNumber)).toEqual(['123456789', '987654321', '837098765']);
    expect(file.batches[0]!.serviceClassCode).toBe(200);
    expect(file.batches[0]!.control).toMatchObject({ entryAddendaCount: 3, entryHash: 69414030, totalDebitCents: 200_000_000, totalCreditCents: 200_000_000 });
    expect(file.totals).toMatchObject({ entryCount: 3, debitCents: 200_000_000, creditCents: 200_000_000, entryHash: 69414030 });
  });

  it('reads return-WEB.ach: an R01 return of a $123.54 debit and an R03 return of a $45.65 credit', () => {
    const file = parseNacha(RETURN_WEB);
    expect(file.batches.map((b) => [b.secCode, b.batchNumber, b.originatingDfi])).toEqual([
      ['WEB', 1, '09100001'],
      ['WEB', 2, '02100002'],
    ]);
    const [first, second] = file.batches.flatMap((b) => b.entries);
    expect(first).toMatchObject({ recordNumber: 3, transactionCode: 26, direction: 'debit', amountCents: 12354, individualName: 'Paul Jones', addendaIndicator: 1 });
    expect(second).toMatchObject({ recordNumber: 7, transactionCode: 21, direction: 'credit', amountCents: 4565, individualName: 'Bob Marley', addendaIndicator: 1 });
    expect(first!.addenda).toEqual([
      {
        recordNumber: 4,
        addendaTypeCode: '99',
        kind: 'return',
        returnReasonCode: 'R01',
        originalTraceNumber: '091400600000001',
        dateOfDeath: null,
        originalReceivingDfi: '09100001',
        addendaInformation: '',
        traceNumber: '091000017611242',
      },
    ]);
    const r03 = returnOf(second);
    expect([r03.recordNumber, r03.kind, r03.returnReasonCode, r03.originalTraceNumber]).toEqual([8, 'return', 'R03', '091400600000003']);
    expect(RETURN_REASON_CODES['R01']).toBe('Insufficient funds');
    expect(RETURN_REASON_CODES['R03']).toBe('No account / unable to locate account');
    expect(AUTOPAY_STOPPING_RETURNS.has('R01')).toBe(false);
    expect(AUTOPAY_STOPPING_RETURNS.has('R03')).toBe(true);
    expect(file.control).toEqual({
      recordNumber: 10,
      batchCount: 2,
      blockCount: 1,
      entryAddendaCount: 4,
      entryHash: 18280120,
      totalDebitCents: 12354,
      totalCreditCents: 4565,
    });
    expect(String(file.control.entryHash).padStart(10, '0')).toBe('0018280120');
    expect(file.totals).toEqual({ batchCount: 2, entryCount: 2, addendaCount: 2, debitCents: 12354, creditCents: 4565, entryHash: 18280120 });
  });

  it('reads cor-example.ach: a C01 notification of change with corrected account number 1918171614', () => {
    const file = parseNacha(COR);
    const batch = file.batches[0]!;
    expect([batch.secCode, batch.serviceClassCode, batch.effectiveEntryDate]).toEqual(['COR', 220, null]);
    const entry = batch.entries[0]!;
    expect(entry).toMatchObject({ transactionCode: 21, amountCents: 0, dfiAccountNumber: '744-5678-99', individualIdNumber: 'location #23' });
    expect(entry.addenda).toEqual([
      {
        recordNumber: 4,
        addendaTypeCode: '98',
        kind: 'change',
        changeCode: 'C01',
        originalTraceNumber: '121042880000001',
        originalReceivingDfi: '12104288',
        correctedData: '1918171614',
        correction: { accountNumber: '1918171614' },
        traceNumber: '091012980000088',
      },
    ]);
    expect(CHANGE_CODES['C01']?.description).toBe('Incorrect DFI account number');
  });

  it('accepts the Fiserv empty return file with CRLF line ends: zero batches, zero entries', () => {
    expect(FISERV_ZERO).toContain('\r\n');
    const file = parseNacha(FISERV_ZERO);
    expect(file.batches).toEqual([]);
    expect(file.totals).toEqual({ batchCount: 0, entryCount: 0, addendaCount: 0, debitCents: 0, creditCents: 0, entryHash: 0 });
    expect(file.control).toEqual({ recordNumber: 2, batchCount: 0, blockCount: 1, entryAddendaCount: 0, entryHash: 0, totalDebitCents: 0, totalCreditCents: 0 });
    expect(file.header).toMatchObject({
      immediateDestination: '100067554',
      immediateOrigin: '182327390',
      fileCreationDate: '2020-03-27',
      fileCreationTime: '1043',
      fileIdModifier: '',
      immediateDestinationName: 'PIMRET825324',
      immediateOriginName: 'FISERV',
    });
  });

  it('refuses the entry whose routing number has a wrong check digit', () => {
    expectRefused(BAD_CHECK_DIGIT, 3, 'record 3: RDFI routing number 231380105 has a wrong check digit (expected 4)');
  });

  it('refuses the file whose records are not 94 characters', () => {
    expectRefused(BAD_LENGTH, 1, 'record 1: record is 471 characters long; NACHA records are 94');
  });

  it('refuses the file without batch controls (and without a file header)', () => {
    expectRefused(NO_BATCH_CONTROLS, 1, 'record 1: batch header (type 5) before the file header (type 1)');
    // Given a file header, the first fault is the second batch opening while the first is still open.
    const withHeader = withLineAt(NO_BATCH_CONTROLS, 1, linesOf(RETURN_WEB)[0]!);
    expectRefused(withHeader, 5, 'record 5: batch header while the batch opened at record 2 has no batch control (type 8)');
  });
});

describe('parseNacha line handling', () => {
  it('reads CRLF, LF, no final newline and extra trailing empty lines alike', () => {
    const lf = parseNacha(RETURN_WEB);
    expect(parseNacha(RETURN_WEB.replace(/\n/g, '\r\n'))).toEqual(lf);
    expect(parseNacha(RETURN_WEB + '\n')).toEqual(lf);
    expect(parseNacha(RETURN_WEB + '\r\n\r\n')).toEqual(lf);
    expect(parseNacha('\uFEFF' + RETURN_WEB)).toEqual(lf);
  });

  it('ignores block fill after the file control but nothing else', () => {
    const fill = '9'.repeat(94);
    expect(parseNacha(RETURN_WEB + '\n' + fill + '\n').totals.entryCount).toBe(2);
    expectRefused(RETURN_WEB + '\n' + fill + '\nhello', 12, 'record 12: only block fill records (all 9s) may follow the file control');
    expectRefused(RETURN_WEB + '\n' + '9'.repeat(93), 11, 'record 11: only block fill records (all 9s) may follow the file control');
    expectRefused(withLineAt(RETURN_WEB, 10, fill), 10, 'record 10: block fill record (all 9s) before the file control');
  });

  it('lets only the file header and file control be short (trailing blanks stripped), never other records', () => {
    const shortEntry = joinLines(linesOf(RETURN_WEB).map((l, i) => (i === 2 ? l.slice(0, 80) : l)));
    expectRefused(shortEntry, 3, 'record 3: record is 80 characters long; NACHA records are 94');
    const longEntry = joinLines(linesOf(RETURN_WEB).map((l, i) => (i === 2 ? l + ' ' : l)));
    expectRefused(longEntry, 3, 'record 3: record is 95 characters long; NACHA records are 94');
    const truncatedControl = joinLines(linesOf(PPD_DEBIT).map((l, i) => (i === 4 ? l.slice(0, 50) : l)));
    expectRefused(truncatedControl, 5, 'record 5: record is 50 characters long; NACHA records are 94');
    expectRefused(withLineAt(RETURN_WEB, 5, ''), 5, 'record 5: record is 0 characters long; NACHA records are 94');
  });

  it('refuses an empty file and a file without a file control', () => {
    expectRefused('', null, 'the file is empty: no file header (type 1)');
    expectRefused('\n\n', null, 'the file is empty: no file header (type 1)');
    expectRefused(joinLines(linesOf(RETURN_WEB).slice(0, 9)), null, 'the file ends without a file control (type 9)');
    expectRefused(joinLines(linesOf(RETURN_WEB).slice(0, 7)), null, 'the batch opened at record 6 has no batch control (type 8)');
  });
});

describe('parseNacha record order', () => {
  it('refuses unknown record types and records out of order', () => {
    expectRefused(edit(RETURN_WEB, 3, 1, '3'), 3, "record 3: unknown record type '3'");
    expectRefused(withoutLine(RETURN_WEB, 1), 1, 'record 1: batch header (type 5) before the file header (type 1)');
    expectRefused(withoutLine(RETURN_WEB, 2), 2, 'record 2: entry detail (type 6) outside a batch');
    expectRefused(withoutLine(RETURN_WEB, 5), 5, 'record 5: batch header while the batch opened at record 2 has no batch control (type 8)');
    expectRefused(withoutLine(RETURN_WEB, 9), 9, 'record 9: file control while the batch opened at record 6 has no batch control (type 8)');
    expectRefused(withLineAt(RETURN_WEB, 2, linesOf(RETURN_WEB)[0]!), 2, 'record 2: second file header (the first is record 1)');
    expectRefused(withLineAt(RETURN_WEB, 6, linesOf(RETURN_WEB)[4]!), 6, 'record 6: batch control (type 8) outside a batch');
    expectRefused(withLineAt(RETURN_WEB, 6, linesOf(RETURN_WEB)[3]!), 6, 'record 6: addenda (type 7) outside a batch');
    expectRefused(withLineAt(RETURN_WEB, 3, linesOf(RETURN_WEB)[3]!), 3, 'record 3: addenda record without an entry detail before it');
  });

  it('ties addenda to the addenda indicator of their entry', () => {
    // ppd-debit's entry says it has no addenda; return-WEB's say they have one.
    const addenda = '705' + 'PAYMENT'.padEnd(80, ' ') + '00010000001';
    expectRefused(withLineAt(PPD_DEBIT, 4, addenda), 4, 'record 4: addenda record follows the entry detail at record 3, whose addenda indicator is 0');
    expectRefused(withoutLine(RETURN_WEB, 4), 4, 'record 4: entry detail at record 3 has addenda indicator 1 but no addenda record follows it');
    expectRefused(edit(RETURN_WEB, 3, 79, '2'), 3, "record 3: addenda record indicator '2' (position 79) is not 0 or 1");
  });

  it('parses type 05 remittance addenda', () => {
    const withIndicator = edit(PPD_DEBIT, 3, 79, '1');
    const addenda = '705' + 'UTILITY BILL 2024-05'.padEnd(80, ' ') + '00010000001';
    const text = edit(withLineAt(withIndicator, 4, addenda), 5, 5, '000002');
    const fixed = edit(text, 6, 14, '00000002');
    const entry = parseNacha(fixed).batches[0]!.entries[0]!;
    expect(entry.addenda).toEqual([
      {
        recordNumber: 4,
        addendaTypeCode: '05',
        kind: 'remittance',
        paymentRelatedInformation: 'UTILITY BILL 2024-05',
        addendaSequenceNumber: '0001',
        entryDetailSequenceNumber: '0000001',
      },
    ]);
  });
});

describe('parseNacha field checks', () => {
  it('refuses non-numeric amounts and unknown transaction codes', () => {
    expectRefused(edit(RETURN_WEB, 3, 30, '00000x2354'), 3, "record 3: amount '00000x2354' (positions 30-39) is not numeric");
    expectRefused(edit(RETURN_WEB, 3, 30, '     12354'), 3, "record 3: amount '     12354' (positions 30-39) is not numeric");
    expectRefused(edit(RETURN_WEB, 3, 2, '25'), 3, 'record 3: unknown transaction code 25');
    expectRefused(edit(RETURN_WEB, 3, 2, '2 '), 3, "record 3: transaction code '2 ' (positions 2-3) is not numeric");
    expectRefused(edit(RETURN_WEB, 3, 4, '0914006X'), 3, "record 3: RDFI identification '0914006X' (positions 4-11) is not eight digits");
    expectRefused(edit(RETURN_WEB, 5, 21, '00000001235x'), 5, "record 5: total debit amount '00000001235x' (positions 21-32) is not numeric");
    expectRefused(edit(RETURN_WEB, 10, 44, '00000000456 '), 10, "record 10: total credit amount '00000000456 ' (positions 44-55) is not numeric");
  });

  it('refuses batch controls that do not match their entries', () => {
    const from = 'the batch opened at record 2';
    expectRefused(edit(RETURN_WEB, 5, 5, '000003'), 5, `record 5: entry/addenda count 3 does not match the 2 entry and addenda records in ${from}`);
    expectRefused(edit(RETURN_WEB, 5, 11, '0009140061'), 5, `record 5: entry hash 0009140061 does not match 0009140060 computed from ${from}`);
    expectRefused(edit(RETURN_WEB, 5, 21, '000000012355'), 5, `record 5: total debit 12355 cents does not match 12354 cents in ${from}`);
    expectRefused(edit(RETURN_WEB, 5, 33, '000000000001'), 5, `record 5: total credit 1 cents does not match 0 cents in ${from}`);
    // An amount changed in the entry is caught by the same check.
    expectRefused(edit(RETURN_WEB, 3, 30, '0000012355'), 5, `record 5: total debit 12354 cents does not match 12355 cents in ${from}`);
  });

  it('refuses a file control that does not match the batches', () => {
    expectRefused(edit(RETURN_WEB, 10, 2, '000003'), 10, 'record 10: batch count 3 does not match the 2 batches in the file');
    expectRefused(edit(RETURN_WEB, 10, 8, '000002'), 10, 'record 10: block count 2 does not match the 1 block(s) needed for 10 records');
    expectRefused(edit(RETURN_WEB, 10, 14, '00000005'), 10, 'record 10: entry/addenda count 5 does not match the 4 entry and addenda records in the file');
    expectRefused(edit(RETURN_WEB, 10, 22, '0018280121'), 10, 'record 10: entry hash 0018280121 does not match 0018280120 computed from the file');
    expectRefused(edit(RETURN_WEB, 10, 32, '000000012353'), 10, 'record 10: total debit 12353 cents does not match 12354 cents in the file');
    expectRefused(edit(RETURN_WEB, 10, 44, '000000004566'), 10, 'record 10: total credit 4566 cents does not match 4565 cents in the file');
  });

  it('classifies x1-x4 transaction codes as credits and x6-x9 (and 55, 56) as debits', () => {
    const credits = [21, 22, 23, 24, 31, 32, 33, 34, 41, 42, 43, 44, 51, 52, 53, 54];
    const debits = [26, 27, 28, 29, 36, 37, 38, 39, 46, 47, 48, 49, 55, 56];
    for (const code of [...credits, ...debits]) {
      // ppd-debit's single entry, recoded: the debit total must move to the credit side for credits.
      let text = edit(PPD_DEBIT, 3, 2, String(code));
      if (credits.includes(code)) text = edit(edit(text, 4, 21, '000000000000' + '000100000000'), 5, 32, '000000000000' + '000100000000');
      const entry = parseNacha(text).batches[0]!.entries[0]!;
      expect(entry.direction).toBe(credits.includes(code) ? 'credit' : 'debit');
      expect(entry.prenote).toBe(code % 10 === 3 || code % 10 === 8);
    }
  });

  it('reads dates of death and refuses nothing for unknown addenda types', () => {
    const r14 = edit(edit(RETURN_WEB, 4, 4, 'R14'), 4, 22, '240229');
    const a = returnOf(parseNacha(r14).batches[0]!.entries[0]);
    expect([a.returnReasonCode, a.dateOfDeath]).toEqual(['R14', '2024-02-29']);
    const other = parseNacha(edit(RETURN_WEB, 4, 2, '02')).batches[0]!.entries[0]!.addenda[0]!;
    expect(other.kind).toBe('other');
    expect(other.addendaTypeCode).toBe('02');
  });
});

describe('notifications of change', () => {
  const corWith = (changeCode: string, correctedData: string) => {
    const text = edit(edit(COR, 4, 4, changeCode), 4, 36, correctedData.padEnd(29, ' '));
    return changeOf(parseNacha(text).batches[0]!.entries[0]);
  };

  it('splits corrected data by the NACHA layout of each change code', () => {
    expect(corWith('C02', '231380104').correction).toEqual({ routingNumber: '231380104' });
    expect(corWith('C03', '231380104   1918171614').correction).toEqual({ routingNumber: '231380104', accountNumber: '1918171614' });
    expect(corWith('C04', 'JANE Q PUBLIC').correction).toEqual({ individualName: 'JANE Q PUBLIC' });
    expect(corWith('C05', '37').correction).toEqual({ transactionCode: 37 });
    expect(corWith('C06', '1918171614'.padEnd(17, ' ') + '   ' + '37').correction).toEqual({ accountNumber: '1918171614', transactionCode: 37 });
    expect(corWith('C07', '231380104' + '1918171614'.padEnd(17, ' ') + '32').correction).toEqual({
      routingNumber: '231380104',
      accountNumber: '1918171614',
      transactionCode: 32,
    });
    expect(corWith('C09', '100000009').correction).toEqual({ individualId: '100000009' });
    expect(corWith('C13', '').correction).toEqual({});
    const c07 = corWith('C07', '231380104' + '1918171614'.padEnd(17, ' ') + '32');
    expect(c07.correctedData).toBe('2313801041918171614       32');
  });

  it('leaves out a transaction code that is not two digits', () => {
    expect(parseCorrectedData('C05', 'X7')).toEqual({});
    expect(parseCorrectedData('C06', '12345')).toEqual({ accountNumber: '12345' });
  });
});

describe('code tables', () => {
  it('describes the return reasons autopay handles', () => {
    const expected: Record<string, RegExp> = {
      R01: /insufficient funds/i,
      R02: /account closed/i,
      R03: /no account.*unable to locate/i,
      R04: /invalid account number/i,
      R05: /unauthorized debit to consumer account using corporate SEC code/i,
      R07: /authorization revoked by customer/i,
      R08: /payment stopped/i,
      R09: /uncollected funds/i,
      R10: /customer advises not authorized/i,
      R14: /representative payee deceased/i,
      R15: /beneficiary or account holder .*deceased/i,
      R16: /account frozen/i,
      R20: /non-transaction account/i,
      R29: /corporate customer advises not authorized/i,
    };
    for (const [code, description] of Object.entries(expected)) expect(RETURN_REASON_CODES[code]).toMatch(description);
    for (const code of ['R06', 'R11', 'R12', 'R17']) expect(RETURN_REASON_CODES[code]).toBeTruthy();
  });

  it('stops autopay for exactly the returns that need new bank details or authorization', () => {
    expect([...AUTOPAY_STOPPING_RETURNS].sort()).toEqual(['R02', 'R03', 'R04', 'R05', 'R07', 'R10', 'R14', 'R15', 'R16', 'R20', 'R29']);
    for (const code of AUTOPAY_STOPPING_RETURNS) expect(RETURN_REASON_CODES[code]).toBeTruthy();
  });

  it('says what each change code corrects', () => {
    for (const code of ['C01', 'C02', 'C03', 'C05', 'C06', 'C07']) expect(CHANGE_CODES[code]?.correctedData).toBeTruthy();
    expect(CHANGE_CODES['C03']?.correctedData).toMatch(/1-9.*13-29/);
    expect(CHANGE_CODES['C06']?.correctedData).toMatch(/1-17.*21-22/);
    expect(CHANGE_CODES['C07']?.correctedData).toMatch(/1-9.*10-26.*27-28/);
  });
});

// ---------------------------------------------------------------------------------------------
// Generator
// ---------------------------------------------------------------------------------------------

const BASE_INPUT: PpdDebitFileInput = {
  immediateDestination: '231380104',
  immediateDestinationName: 'Federal Reserve Bank',
  immediateOrigin: '1123456789',
  immediateOriginName: 'City of Ratepayer Utilities',
  fileCreationDate: '2024-05-31',
  fileCreationTime: '1705',
  fileIdModifier: 'A',
  company: { name: 'Ratepayer Utilities', identification: '1123456789', entryDescription: 'UTILITY' },
  effectiveEntryDate: '2024-06-03',
  originatingDfi: '12104288',
  entries: [
    { routingNumber: '231380104', accountNumber: '12345678', accountType: 'checking', amountCents: 12_345, individualId: '100000009', individualName: 'José Café-Núñez' },
    { routingNumber: '091400606', accountNumber: '99-8877', accountType: 'savings', amountCents: 6_789, individualId: '100000017', individualName: 'A Very Long Customer Name Indeed' },
    { routingNumber: '021000021', accountNumber: '5550001', accountType: 'checking', amountCents: 0, individualId: '100000025', individualName: 'Pre Note', prenote: true },
    { routingNumber: '021000021', accountNumber: '5550002', accountType: 'savings', amountCents: 0, individualId: '100000033', individualName: 'Pre Note Savings', prenote: true },
  ],
};

describe('buildPpdDebitFile', () => {
  it('writes one PPD batch of debits with correct records, controls and block fill', () => {
    const text = buildPpdDebitFile(BASE_INPUT);
    expect(text.endsWith('\n')).toBe(true);
    const lines = text.slice(0, -1).split('\n');
    expect(lines).toHaveLength(10);
    for (const l of lines) expect(l).toHaveLength(94);
    expect(lines[0]).toBe('101 2313801041123456789' + '2405311705A094101' + 'FEDERAL RESERVE BANK   ' + 'CITY OF RATEPAYER UTILI' + '        ');
    expect(lines[1]).toBe('5225RATEPAYER UTILIT' + ' '.repeat(20) + '1123456789PPDUTILITY   ' + '      240603   1121042880000001');
    expect(lines[2]).toBe('627231380104' + '12345678         ' + '0000012345' + '100000009      ' + 'JOSE CAFE-NUNEZ       ' + '  0' + '121042880000001');
    expect(lines[3]!.slice(0, 39)).toBe('637091400606' + '99-8877          ' + '0000006789');
    expect(lines[3]!.slice(54, 76)).toBe('A VERY LONG CUSTOMER N');
    expect(lines[4]!.slice(0, 39)).toBe('628021000021' + '5550001          ' + '0000000000');
    expect(lines[5]!.slice(0, 3)).toBe('638');
    expect(lines[5]!.slice(79)).toBe('121042880000004');
    // Hash: 23138010 + 09140060 + 02100002 + 02100002.
    expect(lines[6]).toBe('8225000004' + '0036478074' + '000000019134' + '000000000000' + '1123456789' + ' '.repeat(25) + '121042880000001');
    expect(lines[7]).toBe('9000001000001' + '00000004' + '0036478074' + '000000019134' + '000000000000' + ' '.repeat(39));
    expect(lines.slice(8)).toEqual(['9'.repeat(94), '9'.repeat(94)]);

    const file = parseNacha(text);
    expect(file.batches[0]).toMatchObject({ serviceClassCode: 225, secCode: 'PPD', companyEntryDescription: 'UTILITY', effectiveEntryDate: '2024-06-03' });
    expect(file.batches[0]!.entries.map((e) => [e.transactionCode, e.prenote, e.amountCents])).toEqual([
      [27, false, 12_345],
      [37, false, 6_789],
      [28, true, 0],
      [38, true, 0],
    ]);
    expect(file.totals).toEqual({ batchCount: 1, entryCount: 4, addendaCount: 0, debitCents: 19_134, creditCents: 0, entryHash: 36_478_074 });
  });

  it('writes CRLF when asked and adds a block when the records pass ten', () => {
    const twelve = { ...BASE_INPUT, entries: Array.from({ length: 8 }, () => BASE_INPUT.entries[0]!), lineEnding: '\r\n' as const };
    const text = buildPpdDebitFile(twelve);
    const lines = text.split('\r\n');
    expect(lines.pop()).toBe('');
    expect(lines).toHaveLength(20);
    const file = parseNacha(text);
    expect(file.control.blockCount).toBe(2);
    expect(file.batches[0]!.entries.map((e) => e.traceNumber.slice(8))).toEqual(['0000001', '0000002', '0000003', '0000004', '0000005', '0000006', '0000007', '0000008']);
  });

  it('refuses entries that cannot go into a valid file, naming the entry', () => {
    const entry = BASE_INPUT.entries[0]!;
    const withEntry = (e: Partial<PpdDebitEntryInput>) => buildPpdDebitFile({ ...BASE_INPUT, entries: [entry, { ...entry, ...e }] });
    expect(() => withEntry({ routingNumber: '231380105' })).toThrow("entry 2 (individual id '100000009'): routing number '231380105' is not nine digits with a valid check digit");
    expect(() => withEntry({ routingNumber: '23138010' })).toThrow(/entry 2 .*routing number '23138010'/);
    expect(() => withEntry({ accountNumber: '123456789012345678' })).toThrow(/entry 2 .*account number '123456789012345678' must be 1-17 characters/);
    expect(() => withEntry({ accountNumber: '12#45' })).toThrow(/entry 2 .*account number/);
    expect(() => withEntry({ accountNumber: '   ' })).toThrow(/entry 2 .*account number/);
    expect(() => withEntry({ amountCents: 0 })).toThrow(/entry 2 .*amountCents 0 is not a whole number of cents/);
    expect(() => withEntry({ amountCents: -5 })).toThrow(/entry 2 .*amountCents -5/);
    expect(() => withEntry({ amountCents: 12.5 })).toThrow(/entry 2 .*amountCents 12.5/);
    expect(() => withEntry({ amountCents: 10_000_000_000 })).toThrow(/entry 2 .*amountCents 10000000000/);
    expect(() => withEntry({ prenote: true })).toThrow(/entry 2 .*a prenote must have amountCents 0/);
    expect(() => withEntry({ individualId: '1234567890123456' })).toThrow(/entry 2 .*individual id '1234567890123456' must be 1-15 characters/);
    expect(() => withEntry({ individualName: '✓✓' })).toThrow(/entry 2 .*individual name is blank/);
    expect(() => withEntry({ accountType: 'loan' as 'checking' })).toThrow(/entry 2 .*account type 'loan'/);
  });

  it('refuses bad file and batch data', () => {
    const build = (p: Partial<PpdDebitFileInput>) => buildPpdDebitFile({ ...BASE_INPUT, ...p });
    expect(() => build({ immediateDestination: '231380105' })).toThrow(/immediate destination '231380105'/);
    expect(() => build({ immediateOrigin: '11234567890' })).toThrow(/immediate origin/);
    expect(() => build({ fileCreationDate: '2024-02-30' })).toThrow(/file creation date '2024-02-30'/);
    expect(() => build({ effectiveEntryDate: '1999-12-31' })).toThrow(/effective entry date '1999-12-31'/);
    expect(() => build({ fileCreationTime: '2460' })).toThrow(/file creation time/);
    expect(() => build({ fileIdModifier: 'a' })).toThrow(/file id modifier/);
    expect(() => build({ originatingDfi: '1210428' })).toThrow(/originating DFI/);
    expect(() => build({ entries: [] })).toThrow(/at least one entry/);
    expect(() => build({ company: { ...BASE_INPUT.company, identification: '12345678901' } })).toThrow(/company identification/);
    expect(() => build({ company: { ...BASE_INPUT.company, name: ' ' } })).toThrow(/company name is blank/);
    const big = { ...BASE_INPUT.entries[0]!, amountCents: 9_999_999_999 };
    expect(() => build({ entries: Array.from({ length: 101 }, () => big) })).toThrow(/exceed the twelve-digit control field/);
  });

  const routingArb = fc.stringMatching(/^\d{8}$/).map((p) => p + routingCheckDigit(p));
  const entryArb: fc.Arbitrary<PpdDebitEntryInput> = fc
    .record({
      routingNumber: routingArb,
      accountNumber: fc.stringMatching(/^[0-9A-Z-]{1,17}$/),
      accountType: fc.constantFrom('checking' as const, 'savings' as const),
      amountCents: fc.integer({ min: 1, max: 9_999_999_999 }),
      individualId: fc.stringMatching(/^\d{1,15}$/),
      individualName: fc.stringMatching(/^[A-Za-z][A-Za-z .,'&-]{0,30}$/),
      prenote: fc.boolean(),
    })
    .map((e) => (e.prenote ? { ...e, amountCents: 0 } : e));
  const inputArb = fc.record({
    entries: fc.array(entryArb, { minLength: 1, maxLength: 25 }),
    originatingDfi: fc.stringMatching(/^\d{8}$/),
    fileIdModifier: fc.constantFrom(...'ABCXYZ0189'),
    lineEnding: fc.constantFrom('\n' as const, '\r\n' as const),
  });

  it('writes files that parse back to the same entries and totals', () => {
    fc.assert(
      fc.property(inputArb, (generated) => {
        const input = { ...BASE_INPUT, ...generated };
        const text = buildPpdDebitFile(input);
        const file = parseNacha(text);
        const records = text.split(input.lineEnding).slice(0, -1);
        expect(records.length % 10).toBe(0);
        expect(file.batches).toHaveLength(1);
        expect(file.batches[0]!.entries.map((e) => ({
          routingNumber: e.rdfiRoutingNumber,
          accountNumber: e.dfiAccountNumber,
          transactionCode: e.transactionCode,
          amountCents: e.amountCents,
          individualId: e.individualIdNumber,
          individualName: e.individualName,
          traceNumber: e.traceNumber,
        }))).toEqual(input.entries.map((e, i) => ({
          routingNumber: e.routingNumber,
          accountNumber: e.accountNumber,
          transactionCode: (e.accountType === 'checking' ? 27 : 37) + (e.prenote ? 1 : 0),
          amountCents: e.amountCents,
          individualId: e.individualId,
          individualName: e.individualName.toUpperCase().trim().slice(0, 22).trim(),
          traceNumber: input.originatingDfi + String(i + 1).padStart(7, '0'),
        })));
        const debitCents = input.entries.reduce((sum, e) => sum + e.amountCents, 0);
        expect(file.totals).toMatchObject({ entryCount: input.entries.length, debitCents, creditCents: 0 });
        expect(file.control.blockCount).toBe(records.length / 10);
      }),
      { numRuns: 200 },
    );
  });

  it('produces files that are refused after any amount digit is flipped or any record removed', () => {
    fc.assert(
      fc.property(inputArb, fc.nat(), fc.integer({ min: 0, max: 9 }), fc.integer({ min: 1, max: 9 }), (generated, pick, digit, delta) => {
        const input = { ...BASE_INPUT, ...generated, lineEnding: '\n' as const };
        const lines = linesOf(buildPpdDebitFile(input)).slice(0, -1);
        const entryLine = 3 + (pick % input.entries.length);
        const pos = 30 + digit;
        const old = Number(lines[entryLine - 1]![pos - 1]);
        const flipped = edit(joinLines(lines), entryLine, pos, String((old + delta) % 10));
        const controlLine = input.entries.length + 3;
        expectRefused(flipped, controlLine, new RegExp(`^record ${controlLine}: total debit \\d+ cents does not match \\d+ cents`));

        const nonFill = lines.filter((l) => l !== '9'.repeat(94)).length;
        const removed = withoutLine(joinLines(lines), 1 + (pick % nonFill));
        expect(refusal(removed)).toBeInstanceOf(PaymentFileError);
      }),
      { numRuns: 200 },
    );
  });
});

// ---------------------------------------------------------------------------------------------
// Fuzz: whatever comes in, the parser either returns or refuses with a PaymentFileError
// ---------------------------------------------------------------------------------------------

function parsesOrRefuses(text: string): void {
  try {
    parseNacha(text);
  } catch (e) {
    if (!(e instanceof PaymentFileError)) throw e;
    const lineCount = text.split('\n').length;
    if (e.record !== null) expect(e.record).toBeGreaterThanOrEqual(1);
    if (e.record !== null) expect(e.record).toBeLessThanOrEqual(lineCount);
    expect(e.message.length).toBeGreaterThan(10);
  }
}

type Mutation =
  | { kind: 'truncate'; at: number }
  | { kind: 'flip'; at: number; char: string }
  | { kind: 'delete'; line: number }
  | { kind: 'duplicate'; line: number }
  | { kind: 'swap'; line: number };

function mutate(text: string, m: Mutation): string {
  const lines = text.split('\n');
  const line = lines.length === 0 ? 0 : m.kind === 'truncate' || m.kind === 'flip' ? 0 : m.line % lines.length;
  switch (m.kind) {
    case 'truncate':
      return text.slice(0, m.at % (text.length + 1));
    case 'flip': {
      const at = m.at % Math.max(text.length, 1);
      return text.slice(0, at) + m.char + text.slice(at + 1);
    }
    case 'delete':
      return lines.filter((_, i) => i !== line).join('\n');
    case 'duplicate':
      lines.splice(line, 0, lines[line] ?? '');
      return lines.join('\n');
    case 'swap': {
      const next = (line + 1) % lines.length;
      [lines[line], lines[next]] = [lines[next] ?? '', lines[line] ?? ''];
      return lines.join('\n');
    }
  }
}

const mutationArb: fc.Arbitrary<Mutation> = fc.oneof(
  fc.record({ kind: fc.constant('truncate' as const), at: fc.nat() }),
  fc.record({ kind: fc.constant('flip' as const), at: fc.nat(), char: fc.oneof(fc.constantFrom('0', '1', '5', '6', '7', '8', '9', ' ', 'x', '\r', '\n'), fc.string({ unit: 'binary', minLength: 1, maxLength: 1 })) }),
  fc.record({ kind: fc.constant('delete' as const), line: fc.nat() }),
  fc.record({ kind: fc.constant('duplicate' as const), line: fc.nat() }),
  fc.record({ kind: fc.constant('swap' as const), line: fc.nat() }),
);

describe('parseNacha fuzz', () => {
  it('throws nothing but PaymentFileError for arbitrary text', () => {
    const recordish = fc
      .array(fc.oneof(fc.constantFrom(...ALL_SAMPLES.flatMap(linesOf)), fc.string({ unit: 'binary', maxLength: 120 })), { maxLength: 14 })
      .map((lines) => lines.join('\n'));
    fc.assert(fc.property(fc.oneof(fc.string({ unit: 'binary', maxLength: 300 }), recordish), parsesOrRefuses), { numRuns: 1500 });
  });

  it('throws nothing but PaymentFileError for mutated sample files', () => {
    fc.assert(
      fc.property(fc.constantFrom(...ALL_SAMPLES), fc.array(mutationArb, { minLength: 1, maxLength: 4 }), (text, mutations) => {
        parsesOrRefuses(mutations.reduce(mutate, text));
      }),
      { numRuns: 3000 },
    );
  });
});
