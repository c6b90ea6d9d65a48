import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { PaymentFileError } from './file-error.ts';
import {
  parseLockbox,
  standardLockboxLayout,
  validateLockboxLayout,
  type LockboxField,
  type LockboxFile,
  type LockboxItem,
  type LockboxLayout,
} from './lockbox.ts';

/** A record of `width` columns: the type in column 1, each value at its 1-based start column. */
function rec(type: string, fields: Record<number, string>, width = 80): string {
  const chars = Array.from(type.padEnd(width));
  for (const [start, value] of Object.entries(fields)) chars.splice(Number(start) - 1, value.length, ...value);
  return chars.join('');
}

/**
 * One deposit at lockbox 0012345 on 5 March 2026, two batches. Batch 1 item 2 is one check for
 * three accounts (the stub's, and two on an overflow record); item 3's stub was not returned.
 * Batch 2 item 2 carries its references over two overflow records. Columns as in the standard
 * layout's table.
 */
const SAMPLE: readonly string[] = [
  rec('1', { 2: '00', 4: 'CITYUTIL01', 14: '0210000210', 24: '260305', 30: '0615' }),
  rec('2', { 2: 'CITYUTIL01', 12: '0210000210', 22: '001', 25: '080', 28: '0001', 32: '2' }),
  rec('5', { 2: '001', 5: '0012345', 12: '260305', 18: 'CITYUTIL01', 28: '0210000210' }),
  rec('6', { 2: '001', 5: '001', 8: '0000012550', 18: '021000021', 27: '0012345678', 37: '0000001234', 47: '100000017' }),
  rec('6', { 2: '001', 5: '002', 8: '0000030000', 18: '011000138', 27: '  99887766', 37: '      5512', 47: '100000025', 63: '0000010000' }),
  rec('4', { 2: '001', 5: '002', 8: '6', 9: '01', 11: '9', 12: '100000033', 28: '0000015000', 38: '100042175' }),
  rec('6', { 2: '001', 5: '003', 8: '0000004599', 18: '091000019', 27: '4400021987', 37: '0000000318' }),
  rec('7', { 2: '001', 5: '003', 8: '0012345', 15: '260305', 21: '003', 24: '0000047149' }),
  rec('5', { 2: '002', 5: '0012345', 12: '260305', 18: 'CITYUTIL01', 28: '0210000210' }),
  rec('6', { 2: '002', 5: '001', 8: '0000100000', 18: '021000021', 27: '0007766554', 37: '0000020019', 47: '100207356' }),
  rec('6', { 2: '002', 5: '002', 8: '0000002500', 18: '026009593', 27: '0000112233', 37: '0000000777', 47: '103118428', 63: '0000000500' }),
  rec('4', { 2: '002', 5: '002', 8: '6', 9: '01', 11: '0', 12: '100004506', 28: '0000000750', 38: 'acct 100000017', 54: '0000000750' }),
  rec('4', { 2: '002', 5: '002', 8: '4', 9: '02', 11: '9', 12: '100000025', 28: '0000000500' }),
  rec('7', { 2: '002', 5: '002', 8: '0012345', 15: '260305', 21: '002', 24: '0000102500' }),
  rec('8', { 2: '002', 5: '002', 8: '0012345', 15: '260305', 21: '0005', 25: '0000149649' }),
  rec('9', { 2: '000016' }),
  '9'.repeat(80),
];

const item = (record: number, batch: number, itemNumber: number, amountCents: number, micr: [string, string, string], references: LockboxItem['references']): LockboxItem => ({
  record,
  batch,
  item: itemNumber,
  amountCents,
  remitterRouting: micr[0],
  remitterAccount: micr[1],
  checkNumber: micr[2],
  references,
});

const SAMPLE_PARSED: LockboxFile = {
  transmission: { destination: 'CITYUTIL01', origin: '0210000210', date: '2026-03-05', time: '06:15' },
  lockboxNumber: '0012345',
  depositDate: '2026-03-05',
  batches: [
    { record: 8, batch: 1, itemCount: 3, totalCents: 47149 },
    { record: 14, batch: 2, itemCount: 2, totalCents: 102500 },
  ],
  items: [
    item(4, 1, 1, 12550, ['021000021', '0012345678', '0000001234'], [{ accountRef: '100000017', amountCents: null }]),
    item(5, 1, 2, 30000, ['011000138', '99887766', '5512'], [
      { accountRef: '100000025', amountCents: 10000 },
      { accountRef: '100000033', amountCents: 15000 },
      { accountRef: '100042175', amountCents: null },
    ]),
    item(7, 1, 3, 4599, ['091000019', '4400021987', '0000000318'], []),
    item(10, 2, 1, 100000, ['021000021', '0007766554', '0000020019'], [{ accountRef: '100207356', amountCents: null }]),
    item(11, 2, 2, 2500, ['026009593', '0000112233', '0000000777'], [
      { accountRef: '103118428', amountCents: 500 },
      { accountRef: '100004506', amountCents: 750 },
      { accountRef: 'acct 100000017', amountCents: 750 },
      { accountRef: '100000025', amountCents: 500 },
    ]),
  ],
  totals: { itemCount: 5, totalCents: 149649, recordCount: 16 },
};

/** The sample with record `n` (1-based) overwritten at the given columns. */
function patched(n: number, fields: Record<number, string>, lines: readonly string[] = SAMPLE): string[] {
  return lines.map((line, i) => {
    if (i !== n - 1) return line;
    const chars = Array.from(line);
    for (const [start, value] of Object.entries(fields)) chars.splice(Number(start) - 1, value.length, ...value);
    return chars.join('');
  });
}

const text = (lines: readonly string[], end = '\n'): string => lines.join(end) + end;

/** Parses and returns the PaymentFileError it must throw. */
function rejection(lines: readonly string[] | string, layout: LockboxLayout = standardLockboxLayout): PaymentFileError {
  try {
    parseLockbox(typeof lines === 'string' ? lines : text(lines), layout);
  } catch (error) {
    if (error instanceof PaymentFileError) return error;
    throw error;
  }
  throw new Error('expected the file to be rejected');
}

function expectRejected(lines: readonly string[] | string, record: number | null, reason: RegExp, layout?: LockboxLayout): void {
  const error = rejection(lines, layout);
  expect(error.record).toBe(record);
  expect(error.reason).toMatch(reason);
  expect(error.message).toBe(record === null ? error.reason : `record ${record}: ${error.reason}`);
}

describe('the standard BAI layout', () => {
  it('parses a deposit with overflow references, unidentified stubs and block padding', () => {
    expect(parseLockbox(text(SAMPLE), standardLockboxLayout)).toEqual(SAMPLE_PARSED);
  });

  it('takes CRLF, a BOM, records longer than 80 characters, trailing blanks and no final newline', () => {
    const lines = SAMPLE.map((line, i) => (i % 2 === 0 ? `${line}      ` : line));
    expect(parseLockbox(`\uFEFF${lines.join('\r\n')}\r\n\r\n  \r\n`, standardLockboxLayout)).toEqual(SAMPLE_PARSED);
    expect(parseLockbox(SAMPLE.slice(0, 16).join('\n'), standardLockboxLayout)).toEqual(SAMPLE_PARSED);
  });

  it('takes a file without a service record and with one lockbox header for all batches', () => {
    const lines = SAMPLE.filter((_, i) => i !== 1 && i !== 8);
    const fixed = patched(lines.length - 1, { 2: '000014' }, lines);
    const parsed = parseLockbox(text(fixed), standardLockboxLayout);
    expect(parsed.totals).toEqual({ itemCount: 5, totalCents: 149649, recordCount: 14 });
    expect(parsed.items.map((i) => i.record)).toEqual([3, 4, 6, 8, 9]);
  });

  it('reads a zero-filled reference amount as none keyed', () => {
    const parsed = parseLockbox(text(patched(4, { 63: '0000000000' })), standardLockboxLayout);
    expect(parsed.items[0]?.references).toEqual([{ accountRef: '100000017', amountCents: null }]);
  });
});

describe('a file is rejected whole on its first fault, with the record and the reason', () => {
  const cases: [name: string, lines: readonly string[], record: number | null, reason: RegExp][] = [
    ['an empty file', [], null, /the file is empty/],
    ['a file not starting with a type 1', SAMPLE.slice(1), 1, /does not start with an immediate address header/],
    ['an unknown record type', patched(4, { 1: '3' }), 4, /record type "3" is not one of/],
    ['a lower-case record type', patched(9, { 1: 'x' }), 9, /record type "x"/],
    ['a short record', SAMPLE.map((l, i) => (i === 4 ? l.slice(0, 72) : l)), 5, /short record: 72 characters, 80 expected/],
    ['a blank record', [...SAMPLE.slice(0, 6), '', ...SAMPLE.slice(6)], 7, /record is blank/],
    ['a non-numeric amount', patched(4, { 8: '00000125.5' }), 4, /check amount "00000125.5" is not numeric/],
    ['a blank amount', patched(7, { 8: '          ' }), 7, /check amount "" is not numeric/],
    ['a zero amount', patched(7, { 8: '0000000000' }), 7, /check amount is zero/],
    ['a non-numeric batch number', patched(4, { 2: '0A1' }), 4, /batch number "0A1"/],
    ['an impossible transmission date', patched(1, { 24: '260230' }), 1, /transmission date "260230" is not a valid YYMMDD date/],
    ['a transmission time out of range', patched(1, { 30: '2460' }), 1, /transmission time "2460" is not HHMM/],
    ['an impossible deposit date', patched(3, { 12: '261305' }), 3, /deposit date "261305"/],
    ['a blank lockbox number', patched(3, { 5: '       ' }), 3, /lockbox number is blank/],
    ['a second lockbox header for another lockbox', patched(9, { 5: '0099999' }), 9, /lockbox 0099999 follows lockbox 0012345/],
    ['a second lockbox header for another date', patched(9, { 12: '260306' }), 9, /deposit date 2026-03-06 differs from 2026-03-05/],
    ['a detail record before any lockbox header', SAMPLE.filter((_, i) => i !== 2), 3, /no lockbox header \(type 5\) before it/],
    ['a service record out of place', [...SAMPLE.slice(0, 3), SAMPLE[1] ?? '', ...SAMPLE.slice(3)], 4, /service record \(type 2\) must directly follow/],
    ['a second address header', [...SAMPLE.slice(0, 3), SAMPLE[0] ?? '', ...SAMPLE.slice(3)], 4, /immediate address header \(type 1\) after the start/],
    ['an item twice in a batch', patched(7, { 5: '001' }), 7, /item 1 appears twice in batch 1/],
    ['a detail of another batch before the batch total', patched(7, { 2: '002' }), 7, /detail for batch 2 inside batch 1, which has no batch total/],
    ['a batch number used twice', [...SAMPLE.slice(0, 9), SAMPLE[3] ?? ''], 10, /batch 1 appears twice/],
    ['a batch total for another batch', patched(8, { 2: '002' }), 8, /batch total for batch 2 closes batch 1/],
    ['a batch total whose count does not tie', patched(8, { 21: '004' }), 8, /batch 1 total counts 4 items but 3 were read/],
    ['a batch total whose amount does not tie', patched(8, { 24: '0000047150' }), 8, /batch 1 total is 471\.50 but its items add up to 471\.49/],
    ['a batch total without details', [...SAMPLE.slice(0, 8), SAMPLE[7] ?? '', ...SAMPLE.slice(8)], 9, /batch total for batch 1 without detail records/],
    ['a lockbox header inside an open batch', SAMPLE.filter((_, i) => i !== 7), 8, /lockbox header \(type 5\) inside batch 1, which has no batch total/],
    ['a service total with a batch left open', SAMPLE.filter((_, i) => i !== 13), 14, /batch 2 has no batch total \(type 7\)/],
    ['a service total whose count does not tie', patched(15, { 21: '0006' }), 15, /lockbox total counts 6 items but 5 were read/],
    ['a service total whose amount does not tie', patched(15, { 25: '0000149648' }), 15, /lockbox total is 1496\.48 but its items add up to 1496\.49/],
    ['a service total for another lockbox', patched(15, { 8: '0012346' }), 15, /service total for lockbox 0012346, but the lockbox is 0012345/],
    ['a second lockbox after the service total', [...SAMPLE.slice(0, 15), SAMPLE[2] ?? '', ...SAMPLE.slice(15)], 16, /a second lockbox/],
    ['a trailer before the service total', SAMPLE.filter((_, i) => i !== 14), 15, /destination trailer \(type 9\) before the lockbox service total/],
    ['a trailer whose record count does not tie', patched(16, { 2: '000017' }), 16, /trailer counts 17 records but the transmission has 16/],
    ['a trailer of a file without a lockbox', [SAMPLE[0] ?? '', rec('9', { 2: '000002' })], 2, /holds no lockbox deposit/],
    ['a missing trailer', SAMPLE.slice(0, 15), null, /the file ends at record 15 without a destination trailer \(type 9\)/],
    ['a record after the trailer', [...SAMPLE, SAMPLE[3] ?? ''], 18, /record after the destination trailer/],
    ['stub amounts above the check on the detail record', patched(5, { 63: '0000030001' }), 5, /references of batch 1 item 2 add up to 300\.01, more than the check's 300\.00/],
    ['overflow amounts above the check', patched(6, { 28: '0000020001' }), 6, /references of batch 1 item 2 add up to 300\.01, more than the check's 300\.00/],
    ['overflow amounts above the check on a second overflow', patched(13, { 28: '0000000501' }), 13, /references of batch 2 item 2 add up to 25\.01, more than the check's 25\.00/],
    ['an overflow amount without a reference', patched(6, { 38: '                ', 54: '0000000100' }), 6, /overflow amount 1\.00 has no account reference/],
    ['an overflow not following a detail', [...SAMPLE.slice(0, 3), SAMPLE[5] ?? '', ...SAMPLE.slice(3)], 4, /overflow record \(type 4\) does not follow a detail record/],
    ['an overflow for another item', patched(6, { 5: '001' }), 6, /overflow for batch 1 item 1 follows the detail of batch 1 item 2/],
    ['an overflow out of sequence', patched(13, { 9: '03' }), 13, /overflow sequence 3 where 2 was due/],
    ['an overflow after the last-record flag', patched(12, { 11: '9' }), 13, /after its last overflow record \(flag 9\)/],
    ['an overflow run without the last-record flag', patched(13, { 11: '0' }), 14, /overflow of batch 2 item 2 ended without its last-record flag 9/],
  ];
  it.each(cases)('%s', (_name, lines, record, reason) => expectRejected(lines, record, reason));

  it('an overflow record when the layout has no overflow section', () => {
    const { overflow: _, ...layout } = standardLockboxLayout;
    expectRejected(SAMPLE, 6, /overflow record \(type 4\) but the layout has no overflow section/, layout);
  });
});

describe('a bank layout of its own', () => {
  // 94-character records, four-digit years, a lockbox header and totals that differ from BAI,
  // one reference per check and no overflow records.
  const layout = validateLockboxLayout({
    code: 'first-state-bank',
    recordLength: 94,
    dateFormat: 'YYYYMMDD',
    addressHeader: { destination: { start: 2, length: 10 }, origin: { start: 12, length: 10 }, date: { start: 22, length: 8 } },
    lockboxHeader: { lockboxNumber: { start: 2, length: 10 }, depositDate: { start: 12, length: 8 } },
    detail: {
      batch: { start: 2, length: 4 },
      item: { start: 6, length: 4 },
      amount: { start: 10, length: 12 },
      checkNumber: { start: 22, length: 8 },
      reference: { start: 75, length: 20 },
    },
    batchTotal: { batch: { start: 2, length: 4 }, itemCount: { start: 6, length: 5 }, amount: { start: 11, length: 14 } },
    serviceTotal: { itemCount: { start: 2, length: 6 }, amount: { start: 8, length: 14 } },
    trailer: { recordCount: { start: 86, length: 9 } },
  });
  const lines = [
    rec('1', { 2: 'UTILITY   ', 12: 'FSB       ', 22: '20260227' }, 94),
    rec('5', { 2: 'LB-77', 12: '20260227' }, 94),
    rec('6', { 2: '0001', 6: '0001', 10: '000000009999', 22: '00004410', 75: '100000017' }, 94),
    rec('6', { 2: '0001', 6: '0002', 10: '000000000001', 75: 'SEE NOTE' }, 94),
    rec('7', { 2: '0001', 6: '00002', 11: '00000000010000' }, 94),
    rec('8', { 2: '000002', 8: '00000000010000' }, 94),
    rec('9', { 86: '000000007' }, 94),
  ];

  it('parses with its own positions', () => {
    const parsed = parseLockbox(text(lines), layout);
    expect(parsed).toMatchObject({ lockboxNumber: 'LB-77', depositDate: '2026-02-27', transmission: { destination: 'UTILITY', origin: 'FSB', date: '2026-02-27', time: null } });
    expect(parsed.items).toEqual([
      { record: 3, batch: 1, item: 1, amountCents: 9999, checkNumber: '00004410', remitterRouting: null, remitterAccount: null, references: [{ accountRef: '100000017', amountCents: null }] },
      { record: 4, batch: 1, item: 2, amountCents: 1, checkNumber: null, remitterRouting: null, remitterAccount: null, references: [{ accountRef: 'SEE NOTE', amountCents: null }] },
    ]);
  });

  it('holds its records to its own length', () => {
    expectRejected(lines.map((l) => l.slice(0, 80)), 1, /short record: 80 characters, 94 expected/, layout);
  });
});

describe('validateLockboxLayout', () => {
  const standardJson = (): Record<string, unknown> => JSON.parse(JSON.stringify(standardLockboxLayout)) as Record<string, unknown>;

  it('accepts the standard layout as JSON and returns it unchanged', () => {
    expect(validateLockboxLayout(standardJson())).toEqual(standardLockboxLayout);
  });

  const at = (section: string, changes: Record<string, unknown>): Record<string, unknown> => {
    const layout = standardJson();
    layout[section] = { ...(layout[section] as object), ...changes };
    return layout;
  };
  const wrong: [field: string, layout: Record<string, unknown>][] = [
    ['code', { ...standardJson(), code: ' ' }],
    ['description', { ...standardJson(), description: 7 }],
    ['recordLength', { ...standardJson(), recordLength: 79.5 }],
    ['recordLength', { ...standardJson(), recordLength: 1 }],
    ['dateFormat', { ...standardJson(), dateFormat: 'DDMMYY' }],
    ['recordSize', { ...standardJson(), recordSize: 80 }],
    ['detail', { ...standardJson(), detail: [] }],
    ['trailer.recordCount', at('trailer', { recordCount: undefined })],
    ['detail.amount', at('detail', { amount: [8, 10] })],
    ['detail.amount.start', at('detail', { amount: { start: 1, length: 10 } })],
    ['detail.amount.length', at('detail', { amount: { start: 8, length: 16 } })],
    ['detail.amount.end', at('detail', { amount: { start: 8, length: 10, end: 17 } })],
    ['detail.batch.length', at('detail', { batch: { start: 2, length: 0 } })],
    ['detail.reference', at('detail', { reference: { start: 70, length: 16 } })],
    ['detail.checkNumber', at('detail', { checkNumber: { start: 30, length: 10 } })],
    ['detail.payer', at('detail', { payer: { start: 73, length: 8 } })],
    ['lockboxHeader.depositDate.length', at('lockboxHeader', { depositDate: { start: 12, length: 8 } })],
    ['addressHeader.time.length', at('addressHeader', { time: { start: 30, length: 6 } })],
    ['overflow.last.length', at('overflow', { last: { start: 11, length: 2 } })],
    ['overflow.references', at('overflow', { references: [] })],
    ['overflow.references.1.amount', at('overflow', { references: [{ reference: { start: 12, length: 16 } }, { reference: { start: 38, length: 16 }, amount: { start: 30, length: 10 } }] })],
    ['overflow.references.0.reference', at('overflow', { references: [{ amount: { start: 28, length: 10 } }] })],
  ];
  it.each(wrong)('names %s when it is wrong', (field, layout) => {
    expect(() => validateLockboxLayout(layout)).toThrow(new RegExp(`^lockbox layout ${field.replaceAll('.', '\\.')} `));
  });

  it('rejects a layout that is not an object', () => {
    expect(() => validateLockboxLayout(null)).toThrow(/^lockbox layout must be an object$/);
  });
});

// ---- fuzz: nothing but a PaymentFileError, whatever the bytes ------------------------------------

function onlyPaymentFileErrors(run: () => unknown): void {
  try {
    run();
  } catch (error) {
    if (!(error instanceof PaymentFileError)) throw error;
    expect(error.reason).not.toBe('');
  }
}

const recordChars = fc.constantFrom(...'0123456789 9A-x\t\r\n'.split(''));

type Mutation =
  | { kind: 'char'; line: number; col: number; ch: string }
  | { kind: 'drop'; line: number }
  | { kind: 'copy'; line: number; to: number }
  | { kind: 'cut'; line: number; col: number };

const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  fc.record({ kind: fc.constant('char' as const), line: fc.nat(), col: fc.nat({ max: 85 }), ch: recordChars }),
  fc.record({ kind: fc.constant('drop' as const), line: fc.nat() }),
  fc.record({ kind: fc.constant('copy' as const), line: fc.nat(), to: fc.nat() }),
  fc.record({ kind: fc.constant('cut' as const), line: fc.nat(), col: fc.nat({ max: 85 }) }),
);

/** Overwrites a character, drops, copies or truncates records. */
function mutate(lines: readonly string[], changes: readonly Mutation[]): string[] {
  const out = [...lines];
  for (const change of changes) {
    if (out.length === 0) break;
    const i = change.line % out.length;
    const line = out[i] ?? '';
    if (change.kind === 'char') out[i] = line.slice(0, change.col) + change.ch + line.slice(change.col + 1);
    if (change.kind === 'drop') out.splice(i, 1);
    if (change.kind === 'copy') out.splice(change.to % out.length, 0, line);
    if (change.kind === 'cut') out[i] = line.slice(0, change.col);
  }
  return out;
}

describe('fuzz', () => {
  it('arbitrary text is parsed or refused with a PaymentFileError', () => {
    fc.assert(
      fc.property(fc.oneof(fc.string({ maxLength: 400 }), fc.array(fc.stringMatching(/^[0-9 ]{0,90}$/), { maxLength: 20 }).map((l) => l.join('\n'))), (input) => {
        onlyPaymentFileErrors(() => parseLockbox(input, standardLockboxLayout));
      }),
      { numRuns: 3000 },
    );
  });

  it('mutations of a valid file are parsed or refused with a PaymentFileError', () => {
    fc.assert(
      fc.property(fc.array(mutation, { minLength: 1, maxLength: 4 }), fc.constantFrom('\n', '\r\n'), (changes, end) => {
        onlyPaymentFileErrors(() => parseLockbox(mutate(SAMPLE, changes).join(end), standardLockboxLayout));
      }),
      { numRuns: 3000 },
    );
  });

  it('layouts from arbitrary JSON are accepted or refused with a plain Error, and never break the parser', () => {
    const paths = jsonPaths(JSON.parse(JSON.stringify(standardLockboxLayout)));
    const mutatedLayout = fc.record({ path: fc.constantFrom(...paths), value: fc.oneof(fc.jsonValue({ maxDepth: 2 }), fc.constant(undefined)) });
    fc.assert(
      fc.property(fc.oneof(fc.jsonValue({ maxDepth: 3 }).map((v) => ({ whole: v })), mutatedLayout), (input) => {
        const raw = 'whole' in input ? input.whole : setPath(JSON.parse(JSON.stringify(standardLockboxLayout)), input.path, input.value);
        let layout: LockboxLayout;
        try {
          layout = validateLockboxLayout(raw);
        } catch (error) {
          expect(error).toBeInstanceOf(Error);
          expect((error as Error).constructor).toBe(Error);
          expect((error as Error).message).toMatch(/^lockbox layout /);
          return;
        }
        onlyPaymentFileErrors(() => parseLockbox(text(SAMPLE), layout));
      }),
      { numRuns: 3000 },
    );
  });
});

/** Every path to a value inside a JSON object, as key lists. */
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

// ---- property: any deposit written in a layout parses back equal ----------------------------------

interface Check {
  amountCents: number;
  checkNumber: string | null;
  remitterRouting: string | null;
  remitterAccount: string | null;
  references: { accountRef: string; amountCents: number | null }[];
}

const reference = fc.record({
  accountRef: fc.oneof(fc.stringMatching(/^\d{9}$/), fc.stringMatching(/^[0-9A-Z][0-9A-Z -]{0,14}[0-9A-Z]$/)),
  amountCents: fc.option(fc.integer({ min: 1, max: 9_999_999 }), { nil: null }),
});

const check: fc.Arbitrary<Check> = fc
  .record({
    extraCents: fc.integer({ min: 0, max: 99_999_999 }),
    checkNumber: fc.option(fc.stringMatching(/^[1-9]\d{0,9}$/), { nil: null }),
    remitterRouting: fc.option(fc.stringMatching(/^\d{9}$/), { nil: null }),
    remitterAccount: fc.option(fc.stringMatching(/^[1-9]\d{3,9}$/), { nil: null }),
    references: fc.array(reference, { maxLength: 7 }),
  })
  .map(({ extraCents, ...rest }) => {
    const referenced = rest.references.reduce((sum, r) => sum + (r.amountCents ?? 0), 0);
    return { ...rest, amountCents: Math.max(1, referenced + extraCents) };
  });

const deposit = fc.record({
  lockboxNumber: fc.stringMatching(/^\d{7}$/),
  depositDate: fc.date({ min: new Date('2000-01-01T00:00:00Z'), max: new Date('2069-12-31T00:00:00Z'), noInvalidDate: true }).map((d) => d.toISOString().slice(0, 10)),
  batches: fc.array(fc.array(check, { minLength: 1, maxLength: 6 }), { minLength: 1, maxLength: 4 }),
  headerPerBatch: fc.boolean(),
  zeroFill: fc.boolean(),
});

type Deposit = typeof deposit extends fc.Arbitrary<infer T> ? T : never;

/** Writes a deposit the way a bank would, returning the file and what parsing it must give. */
function writeLockbox(d: Deposit, layout: LockboxLayout): { text: string; parsed: LockboxFile } {
  const lines: string[] = [];
  const blank = (): string[] => Array.from(' '.repeat(layout.recordLength));
  const put = (chars: string[], field: LockboxField | undefined, value: string, numeric = false): void => {
    if (!field) return;
    const padded = numeric ? value.padStart(field.length, '0') : value.padEnd(field.length);
    chars.splice(field.start - 1, field.length, ...padded.slice(0, field.length));
  };
  const emit = (type: string, fill: (chars: string[]) => void): number => {
    const chars = blank();
    chars[0] = type;
    fill(chars);
    lines.push(chars.join(''));
    return lines.length;
  };
  const [y, m, day] = d.depositDate.split('-') as [string, string, string];
  const date = { YYMMDD: `${y.slice(2)}${m}${day}`, YYYYMMDD: `${y}${m}${day}`, MMDDYY: `${m}${day}${y.slice(2)}` }[layout.dateFormat];
  // Banks leave an amount not keyed blank or zero-filled.
  const putAmount = (chars: string[], field: LockboxField | undefined, cents: number | null): void =>
    put(chars, field, cents === null ? (d.zeroFill ? '0' : '') : String(cents), cents !== null || d.zeroFill);
  const batches: LockboxFile['batches'] = [];
  const items: LockboxItem[] = [];
  emit('1', (c) => {
    put(c, layout.addressHeader.destination, 'UTILITY');
    put(c, layout.addressHeader.origin, 'BANK');
    put(c, layout.addressHeader.date, date);
  });
  d.batches.forEach((checks, b) => {
    if (b === 0 || d.headerPerBatch) emit('5', (c) => (put(c, layout.lockboxHeader.lockboxNumber, d.lockboxNumber), put(c, layout.lockboxHeader.depositDate, date)));
    checks.forEach((ch, i) => {
      const [first, ...rest] = ch.references;
      const record = emit('6', (c) => {
        put(c, layout.detail.batch, String(b + 1), true);
        put(c, layout.detail.item, String(i + 1), true);
        put(c, layout.detail.amount, String(ch.amountCents), true);
        put(c, layout.detail.checkNumber, ch.checkNumber ?? '');
        put(c, layout.detail.remitterRouting, ch.remitterRouting ?? '');
        put(c, layout.detail.remitterAccount, ch.remitterAccount ?? '');
        put(c, layout.detail.reference, first?.accountRef ?? '');
        putAmount(c, layout.detail.referenceAmount, first?.amountCents ?? null);
      });
      const overflow = layout.overflow;
      const perRecord = overflow?.references.length ?? 1;
      for (let o = 0; o * perRecord < rest.length; o++) {
        const slots = rest.slice(o * perRecord, (o + 1) * perRecord);
        emit('4', (c) => {
          if (!overflow) return;
          put(c, overflow.batch, String(b + 1), true);
          put(c, overflow.item, String(i + 1), true);
          put(c, overflow.sequence, String(o + 1), true);
          put(c, overflow.last, (o + 1) * perRecord >= rest.length ? '9' : '0');
          slots.forEach((slot, s) => {
            put(c, overflow.references[s]?.reference, slot.accountRef);
            putAmount(c, overflow.references[s]?.amount, slot.amountCents);
          });
        });
      }
      items.push({ record, batch: b + 1, item: i + 1, ...ch });
    });
    const totalCents = checks.reduce((sum, ch) => sum + ch.amountCents, 0);
    const record = emit('7', (c) => {
      put(c, layout.batchTotal.batch, String(b + 1), true);
      put(c, layout.batchTotal.itemCount, String(checks.length), true);
      put(c, layout.batchTotal.amount, String(totalCents), true);
    });
    batches.push({ record, batch: b + 1, itemCount: checks.length, totalCents });
  });
  const totalCents = items.reduce((sum, i) => sum + i.amountCents, 0);
  emit('8', (c) => {
    put(c, layout.serviceTotal.lockboxNumber, d.lockboxNumber);
    put(c, layout.serviceTotal.itemCount, String(items.length), true);
    put(c, layout.serviceTotal.amount, String(totalCents), true);
  });
  emit('9', (c) => put(c, layout.trailer.recordCount, String(lines.length + 1), true));
  return {
    text: text(lines, '\r\n'),
    parsed: {
      transmission: { destination: 'UTILITY', origin: 'BANK', date: d.depositDate, time: null },
      lockboxNumber: d.lockboxNumber,
      depositDate: d.depositDate,
      batches,
      items,
      totals: { itemCount: items.length, totalCents, recordCount: lines.length },
    },
  };
}

/** 120-character records, MMDDYY, three references an overflow record and no sequence or flag. */
const wideLayout = validateLockboxLayout({
  ...JSON.parse(JSON.stringify(standardLockboxLayout)),
  code: 'wide',
  recordLength: 120,
  dateFormat: 'MMDDYY',
  overflow: {
    batch: { start: 2, length: 3 },
    item: { start: 5, length: 3 },
    references: [0, 1, 2].map((i) => ({ reference: { start: 20 + 30 * i, length: 16 }, amount: { start: 36 + 30 * i, length: 12 } })),
  },
  trailer: { recordCount: { start: 111, length: 9 } },
});

describe('round trip', () => {
  it.each([
    ['the standard layout', standardLockboxLayout],
    ['a wider layout', wideLayout],
  ])('any deposit written in %s parses back equal', (_name, layout) => {
    fc.assert(
      fc.property(deposit, (d) => {
        const { text: file, parsed } = writeLockbox(d, layout);
        expect(parseLockbox(file, layout)).toEqual(parsed);
      }),
      { numRuns: 500 },
    );
  });
});
