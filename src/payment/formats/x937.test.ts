import { readFileSync } from 'node:fs';
import path from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { PaymentFileError } from './file-error.ts';
import { parseX937, X9_RETURN_REASONS } from './x937.ts';

const SAMPLE = path.resolve(import.meta.dirname, '../../../../shared/data/x937/BNK20180905121042882-A.icl');
const sample = new Uint8Array(readFileSync(SAMPLE));

/** The records of a framed file, without their length prefixes. */
function split(bytes: Uint8Array): Uint8Array[] {
  const records: Uint8Array[] = [];
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  for (let at = 0; at < bytes.length; ) {
    const length = view.getUint32(at);
    records.push(bytes.slice(at + 4, at + 4 + length));
    at += 4 + length;
  }
  return records;
}

function join(records: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(records.reduce((n, r) => n + 4 + r.length, 0));
  const view = new DataView(out.buffer);
  let at = 0;
  for (const r of records) {
    view.setUint32(at, r.length);
    out.set(r, at + 4);
    at += 4 + r.length;
  }
  return out;
}

const ascii = (s: string) => new Uint8Array([...s].map((c) => c.charCodeAt(0)));

/** The sample with ASCII text put at 1-based position `at` of record n. */
function withText(n: number, at: number, text: string): Uint8Array {
  const records = split(sample);
  records[n - 1]!.set(ascii(text), at - 1);
  return join(records);
}

function rejection(bytes: Uint8Array): PaymentFileError {
  try {
    parseX937(bytes);
  } catch (e) {
    if (e instanceof PaymentFileError) return e;
    throw e;
  }
  throw new Error('expected the file to be rejected');
}

/** EBCDIC (cp037) for the characters the sample uses, written out here apart from the parser's table. */
function toEbcdic(c: string): number {
  const code = c.charCodeAt(0);
  if (c === ' ') return 0x40;
  if (c >= '0' && c <= '9') return 0xf0 + code - 48;
  const zones: [string, string, number][] = [
    ['A', 'I', 0xc1],
    ['J', 'R', 0xd1],
    ['S', 'Z', 0xe2],
    ['a', 'i', 0x81],
    ['j', 'r', 0x91],
    ['s', 'z', 0xa2],
  ];
  for (const [from, to, base] of zones) if (c >= from && c <= to) return base + code - from.charCodeAt(0);
  throw new Error(`no EBCDIC for '${c}'`);
}

describe('X9.37 sample returns file', () => {
  const file = parseX937(sample);

  it('detects ASCII and reads the file header', () => {
    expect(file.encoding).toBe('ascii');
    expect(file.header).toEqual({
      standardLevel: '35',
      testFile: true,
      immediateDestinationRoutingNumber: '231380104',
      immediateOriginRoutingNumber: '121042882',
      creationDate: '2018-10-03',
      creationTime: '2219',
      resend: false,
      immediateDestinationName: 'Citadel',
      immediateOriginName: 'Wells Fargo',
      fileIdModifier: '',
      countryCode: 'US',
    });
    expect(file.recordCount).toBe(74);
  });

  it('has 2 cash letters x 2 bundles x 2 items of $1,000.00, file total $8,000.00', () => {
    expect(file.cashLetters.map((l) => [l.record, l.cashLetterId, l.totalAmountCents, l.bundles.map((b) => [b.record, b.totalAmountCents, b.items.map((i) => i.kind)])])).toEqual([
      [2, 'A1', 400000, [[3, 200000, ['check', 'check']], [19, 200000, ['return', 'return']]]],
      [38, 'A2', 400000, [[39, 200000, ['check', 'check']], [55, 200000, ['return', 'return']]]],
    ]);
    const all = file.cashLetters.flatMap((l) => l.bundles.flatMap((b) => b.items));
    expect(all.map((i) => i.amountCents)).toEqual(Array(8).fill(100000));
    expect(file.totalAmountCents).toBe(800000);
    expect(all.reduce((s, i) => s + i.amountCents, 0)).toBe(file.totalAmountCents);
    expect(file.cashLetters[0]).toMatchObject({ collectionTypeIndicator: '01', businessDate: '2018-10-03', creationTime: '2219', recordTypeIndicator: 'I', settlementDate: '2018-10-03' });
  });

  it('reads the returned items (type 31): NSF, routing with check digit, on-us, sequence, return date', () => {
    expect(file.returns).toHaveLength(4);
    expect(file.returns[0]).toEqual({
      kind: 'return',
      record: 20,
      payorBankRoutingNumber: '03130001',
      payorBankCheckDigit: '2',
      onUs: '5558881',
      amountCents: 100000,
      returnReasonCode: 'A',
      returnReason: 'Not sufficient funds (NSF)',
      returnDate: '2018-10-03',
      forwardBundleDate: '2018-10-03',
      eceInstitutionItemSequenceNumber: '1',
      images: [{ record: 26, offset: 2297, length: 1 }],
    });
    expect(file.returns.map((r) => [r.record, r.returnReasonCode, r.amountCents, r.eceInstitutionItemSequenceNumber])).toEqual([
      [20, 'A', 100000, '1'],
      [28, 'A', 100000, '2'],
      [56, 'A', 100000, '1'],
      [64, 'A', 100000, '2'],
    ]);
    expect(file.checks.map((c) => [c.record, c.auxiliaryOnUs, c.payorBankRoutingNumber + c.payorBankCheckDigit, c.amountCents])).toEqual([
      [4, '123456789', '031300012', 100000],
      [11, '123456789', '031300012', 100000],
      [40, '123456789', '031300012', 100000],
      [47, '123456789', '031300012', 100000],
    ]);
  });

  it('points at the undecoded image bytes of every 52 record', () => {
    const images = [...file.checks, ...file.returns].flatMap((i) => i.images);
    expect(images.map((i) => i.record).sort((a, b) => a - b)).toEqual([9, 16, 26, 34, 45, 52, 62, 70]);
    for (const image of images) expect([...sample.slice(image.offset, image.offset + image.length)]).toEqual([0x20]);
  });

  it('does not trust its item counts (it counts records), and says so in warnings', () => {
    expect(file.warnings).toEqual([
      { record: 18, message: 'items within bundle: the control says 14, the file holds 2' },
      { record: 36, message: 'items within bundle: the control says 16, the file holds 2' },
      { record: 37, message: 'items within cash letter: the control says 30, the file holds 4' },
      { record: 54, message: 'items within bundle: the control says 14, the file holds 2' },
      { record: 72, message: 'items within bundle: the control says 16, the file holds 2' },
      { record: 73, message: 'items within cash letter: the control says 30, the file holds 4' },
      { record: 74, message: 'items in file: the control says 60, the file holds 8' },
    ]);
  });

  it('reads the same file written in EBCDIC', () => {
    const records = split(sample).map((r) => {
      const image = r[0] === 0x35 && r[1] === 0x32 ? 1 : 0; // the one image byte of each 52 stays as it is
      const text = [...r.slice(0, r.length - image)].map((b) => toEbcdic(String.fromCharCode(b)));
      return new Uint8Array([...text, ...r.slice(r.length - image)]);
    });
    const ebcdic = join(records);
    expect(ebcdic[4]).toBe(0xf0);
    const parsed = parseX937(ebcdic);
    expect(parsed.encoding).toBe('ebcdic');
    expect({ ...parsed, encoding: 'ascii' }).toEqual(file);
  });

  it('has the X9 return reason table', () => {
    expect(Object.keys(X9_RETURN_REASONS).sort().join('')).toBe('123456ABCDEFGHIJKLMNOPQRSTUVWXYZ');
    expect(X9_RETURN_REASONS.A).toMatch(/NSF/);
    expect(X9_RETURN_REASONS.C).toBe('Stop payment');
    expect(X9_RETURN_REASONS.X).toMatch(/Refer to image/);
  });
});

describe('X9.37 rejections name the record and the reason', () => {
  it('rejects broken framing', () => {
    expect(rejection(sample.slice(0, sample.length - 10))).toMatchObject({ record: 74, reason: 'record length 80 runs past the end of the file (70 bytes left)' });
    expect(rejection(new Uint8Array([...sample, 0, 0]))).toMatchObject({ record: 75, reason: 'the 4-byte record length is cut off (2 bytes left)' });
    const huge = sample.slice();
    new DataView(huge.buffer).setUint32(84, 0xffffffff);
    expect(rejection(huge)).toMatchObject({ record: 2, reason: expect.stringMatching(/runs past the end/) });
    expect(rejection(join([...split(sample).slice(0, 5), new Uint8Array([0x32]), ...split(sample).slice(5)]))).toMatchObject({ record: 6, reason: expect.stringMatching(/too short/) });
    expect(rejection(new Uint8Array())).toMatchObject({ record: null, reason: 'empty file' });
  });

  it('rejects records out of order', () => {
    const records = split(sample);
    expect(rejection(join(records.slice(1)))).toMatchObject({ record: 1, reason: expect.stringMatching(/must begin with a file header/) });
    expect(rejection(join(records.slice(0, -1)))).toMatchObject({ record: null, reason: 'the file ends after its last cash letter without a file control record (99)' });
    expect(rejection(join(records.slice(0, 40)))).toMatchObject({ record: null, reason: expect.stringMatching(/inside the bundle opened at record 39/) });
    expect(rejection(join([...records, records[0]!]))).toMatchObject({ record: 75, reason: 'record type 01 after the file control (99)' });
    const swapped = [...records];
    [swapped[3], swapped[4]] = [swapped[4]!, swapped[3]!];
    expect(rejection(join(swapped))).toMatchObject({ record: 4, reason: 'addendum type 26 must follow a check detail (25)' });
    expect(rejection(join(records.filter((_, i) => i !== 7)))).toMatchObject({ record: 8, reason: 'image view data (52) must follow an image view detail (50)' });
    expect(rejection(join(records.filter((_, i) => i !== 17)))).toMatchObject({
      record: 18,
      reason: 'expected an item, addendum, image view or bundle control (70) in the bundle, found type 20',
    });
    expect(rejection(withText(21, 1, '26'))).toMatchObject({ record: 21, reason: 'addendum type 26 must follow a check detail (25)' });
    expect(rejection(withText(5, 1, '61'))).toMatchObject({ record: 5, reason: "unknown record type '61'" });
  });

  it('rejects totals that do not tie, at the control that fails', () => {
    expect(rejection(withText(20, 32, '0000100001'))).toMatchObject({ record: 36, reason: 'bundle total amount 200000 does not equal the sum of its items 200001' });
    // Item and bundle changed together: the cash letter control catches it.
    const both = split(withText(20, 32, '0000100001'));
    both[35]!.set(ascii('000000200001'), 6);
    expect(rejection(join(both))).toMatchObject({ record: 37, reason: 'cash letter total amount 400000 does not equal the sum of its items 400001' });
    expect(rejection(withText(74, 25, '0000000000800100'))).toMatchObject({ record: 74, reason: 'file total amount 800100 does not equal the sum of its items 800000' });
  });

  it('rejects non-numeric amounts, a missing return reason and a bad header', () => {
    expect(rejection(withText(20, 32, '00001000O0'))).toMatchObject({ record: 20, reason: "item amount '00001000O0' is not all digits" });
    expect(rejection(withText(4, 48, '000010000 '))).toMatchObject({ record: 4, reason: expect.stringMatching(/item amount/) });
    expect(rejection(withText(20, 42, ' '))).toMatchObject({ record: 20, reason: 'missing return reason' });
    expect(rejection(withText(1, 24, '20181332'))).toMatchObject({ record: 1, reason: "file creation date '20181332' is not a date (YYYYMMDD)" });
    expect(rejection(withText(1, 5, 'X'))).toMatchObject({ record: 1, reason: expect.stringMatching(/test file indicator/) });
    expect(rejection(withText(9, 111, '0000002'))).toMatchObject({ record: 9, reason: expect.stringMatching(/image view data parts end at byte 119/) });
  });

  it('takes count mismatches as warnings, never as rejections', () => {
    const file = parseX937(withText(74, 9, '00000099'));
    expect(file.warnings).toContainEqual({ record: 74, message: 'records in file: the control says 99, the file holds 74' });
    expect(parseX937(withText(4, 77, '07')).warnings).toContainEqual({ record: 4, message: 'check detail addendum count: the item says 7, the file holds 3' });
  });
});

describe('X9.37 fuzzing: nothing but PaymentFileError ever escapes', () => {
  function onlyPaymentFileErrors(bytes: Uint8Array): void {
    try {
      parseX937(bytes);
    } catch (e) {
      if (!(e instanceof PaymentFileError)) throw e;
    }
  }

  it('survives arbitrary bytes, framed or not', () => {
    fc.assert(fc.property(fc.uint8Array({ maxLength: 600 }), onlyPaymentFileErrors), { numRuns: 1500 });
    const record = fc.oneof(fc.uint8Array({ minLength: 0, maxLength: 130 }), fc.constantFrom(...split(sample)));
    fc.assert(fc.property(fc.array(record, { maxLength: 20 }), (records) => onlyPaymentFileErrors(join(records))), { numRuns: 1500 });
  });

  it('survives truncated, flipped, deleted, duplicated and shuffled records of the real sample', () => {
    const records = split(sample);
    const mutation = fc.oneof(
      fc.record({ kind: fc.constant('truncate' as const), at: fc.nat() }),
      fc.record({ kind: fc.constant('flip' as const), at: fc.nat(), byte: fc.integer({ min: 0, max: 255 }) }),
      fc.record({ kind: fc.constant('delete' as const), at: fc.nat() }),
      fc.record({ kind: fc.constant('duplicate' as const), at: fc.nat() }),
      fc.record({ kind: fc.constant('swap' as const), at: fc.nat(), to: fc.nat() }),
    );
    type Mutation = typeof mutation extends fc.Arbitrary<infer M> ? M : never;
    const apply = (rs: Uint8Array[], m: Mutation): Uint8Array[] => {
      if (rs.length === 0) return rs;
      const i = m.at % rs.length;
      switch (m.kind) {
        case 'truncate': // one record cut short, its length prefix telling the truth
          return rs.map((r, k) => (k === i ? r.slice(0, m.at % (r.length + 1)) : r));
        case 'flip': {
          const r = rs[i]!.slice();
          if (r.length > 0) r[m.at % r.length] = m.byte;
          return rs.map((x, k) => (k === i ? r : x));
        }
        case 'delete':
          return rs.filter((_, k) => k !== i);
        case 'duplicate':
          return [...rs.slice(0, i + 1), ...rs.slice(i)];
        case 'swap': {
          const copy = [...rs];
          const j = m.to % rs.length;
          [copy[i], copy[j]] = [copy[j]!, copy[i]!];
          return copy;
        }
      }
    };
    fc.assert(
      fc.property(fc.array(mutation, { minLength: 1, maxLength: 4 }), (mutations) => onlyPaymentFileErrors(join(mutations.reduce(apply, records)))),
      { numRuns: 2000 },
    );
    // Raw byte damage, framing included.
    fc.assert(
      fc.property(fc.nat(), fc.integer({ min: 0, max: 255 }), fc.nat(), (at, byte, cut) => {
        const damaged = sample.slice(0, cut % (sample.length + 1));
        if (damaged.length > 0) damaged[at % damaged.length] = byte;
        onlyPaymentFileErrors(damaged);
      }),
      { numRuns: 2000 },
    );
  });
});
