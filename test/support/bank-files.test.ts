import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseBai2 } from '../../src/payment/formats/bai2.ts';
import { buildPpdDebitFile, parseCorrectedData, parseNacha, type NachaChangeAddenda, type NachaReturnAddenda } from '../../src/payment/formats/nacha.ts';
import { routingCheckDigit } from '../../src/payment/formats/routing.ts';
import { parseX937, X9_RETURN_REASONS } from '../../src/payment/formats/x937.ts';
import { achReturnFile, bai2Report, x937ReturnFile, type AchChangeItem, type AchReturnItem, type Bai2Item, type X937ReturnItem } from './bank-files.ts';

const RUNS = 300;
const routingArb = fc.stringMatching(/^\d{8}$/).map((p) => p + routingCheckDigit(p));
const lines = (text: string) => text.split('\n').slice(0, -1);

// ---------------------------------------------------------------------------------------------

describe('achReturnFile', () => {
  const returns: AchReturnItem[] = [
    { originalTrace: '091000010000042', routingNumber: '231380104', accountNumber: '744-5678-99', amountCents: 12_345, individualId: '100000017', individualName: 'Ada Lovelace', reasonCode: 'R01' },
    { originalTrace: '091000010000043', routingNumber: '121042882', accountNumber: '000123', amountCents: 9_876, individualId: '100000025', individualName: 'José Núñez', reasonCode: 'R15', dateOfDeath: '2026-03-04', accountType: 'savings' },
  ];
  const changes: AchChangeItem[] = [
    { originalTrace: '091000010000044', routingNumber: '231380104', accountNumber: '555', individualId: '100000033', individualName: 'Grace Hopper', changeCode: 'C03', correctedData: '121042882   99887766' },
  ];

  it('writes a return batch and a COR batch that parseNacha takes back', () => {
    const text = achReturnFile({ createdOn: '2026-03-10', effectiveDate: '2026-03-11', returns, changes });
    expect(lines(text).every((l) => l.length === 94)).toBe(true);
    expect(lines(text).length % 10).toBe(0);
    const file = parseNacha(text);
    expect(file.header).toMatchObject({ immediateDestination: '091000019', fileCreationDate: '2026-03-10' });
    expect(file.batches.map((b) => [b.secCode, b.serviceClassCode, b.effectiveEntryDate])).toEqual([['PPD', 225, '2026-03-11'], ['COR', 225, '2026-03-11']]);

    const [r1, r2] = file.batches[0]!.entries;
    expect(r1).toMatchObject({ transactionCode: 26, direction: 'debit', rdfiRoutingNumber: '091000019', dfiAccountNumber: '744-5678-99', amountCents: 12_345, individualIdNumber: '100000017', individualName: 'ADA LOVELACE', addendaIndicator: 1 });
    expect(r1!.addenda).toEqual([expect.objectContaining({ kind: 'return', returnReasonCode: 'R01', originalTraceNumber: '091000010000042', dateOfDeath: null, originalReceivingDfi: '23138010', traceNumber: r1!.traceNumber })]);
    expect(r1!.traceNumber).toBe('231380100000001');
    expect(r2).toMatchObject({ transactionCode: 36, amountCents: 9_876, individualName: 'JOSE NUNEZ' });
    expect(r2!.addenda[0]).toMatchObject({ kind: 'return', returnReasonCode: 'R15', originalTraceNumber: '091000010000043', dateOfDeath: '2026-03-04', originalReceivingDfi: '12104288' });

    const [c1] = file.batches[1]!.entries;
    expect(c1).toMatchObject({ transactionCode: 26, amountCents: 0, individualIdNumber: '100000033' });
    expect(c1!.addenda[0]).toMatchObject({ kind: 'change', changeCode: 'C03', originalTraceNumber: '091000010000044', originalReceivingDfi: '23138010', correctedData: '121042882   99887766', correction: { routingNumber: '121042882', accountNumber: '99887766' } });
    expect(file.totals).toMatchObject({ batchCount: 2, entryCount: 3, addendaCount: 3, debitCents: 22_221, creditCents: 0 });
  });

  it('returns the debits of a file made by buildPpdDebitFile, trace for trace', () => {
    const debits = parseNacha(buildPpdDebitFile({
      immediateDestination: '091000019', immediateDestinationName: 'FIRST NATIONAL BANK', immediateOrigin: '1910000001', immediateOriginName: 'RATEPAYER PUD',
      fileCreationDate: '2026-03-01', fileCreationTime: '0000', fileIdModifier: 'A', company: { name: 'RATEPAYER PUD', identification: '1910000001', entryDescription: 'UTIL BILL' },
      effectiveEntryDate: '2026-03-02', originatingDfi: '09100001', traceSequences: [17, 18],
      entries: [
        { routingNumber: '231380104', accountNumber: '1111', accountType: 'checking', amountCents: 4_200, individualId: '100000017', individualName: 'Ada Lovelace' },
        { routingNumber: '121042882', accountNumber: '2222', accountType: 'savings', amountCents: 7_700, individualId: '100000025', individualName: 'Alan Turing' },
      ],
    })).batches[0]!.entries;
    const file = parseNacha(achReturnFile({
      createdOn: '2026-03-04', effectiveDate: '2026-03-04',
      returns: debits.map((d) => ({ originalTrace: d.traceNumber, routingNumber: d.rdfiRoutingNumber, accountNumber: d.dfiAccountNumber, amountCents: d.amountCents, individualId: d.individualIdNumber, individualName: d.individualName, reasonCode: 'R01', accountType: d.transactionCode === 37 ? 'savings' : 'checking' })),
    }));
    expect(file.batches).toHaveLength(1);
    expect(file.batches[0]!.entries.map((e) => [(e.addenda[0] as NachaReturnAddenda).originalTraceNumber, e.amountCents, e.transactionCode, e.individualIdNumber])).toEqual([
      ['091000010000017', 4_200, 26, '100000017'],
      ['091000010000018', 7_700, 36, '100000025'],
    ]);
  });

  it('writes a file with no batches when there is nothing to return', () => {
    const file = parseNacha(achReturnFile({ createdOn: '2026-03-10', effectiveDate: '2026-03-10', returns: [], changes: [] }));
    expect(file.batches).toEqual([]);
    expect(file.control).toMatchObject({ batchCount: 0, blockCount: 1, entryAddendaCount: 0 });
  });

  it('refuses inputs that could not come back as given', () => {
    const build = (r: Partial<AchReturnItem>) => achReturnFile({ createdOn: '2026-03-10', effectiveDate: '2026-03-10', returns: [{ ...returns[0]!, ...r }] });
    expect(() => build({ routingNumber: '231380105' })).toThrow(/routing number '231380105'/);
    expect(() => build({ originalTrace: '12345' })).toThrow(/original trace/);
    expect(() => build({ dateOfDeath: '2026-01-01' })).toThrow(/only on an R14 or R15/);
    expect(() => build({ reasonCode: 'X1' })).toThrow(/reason code/);
    expect(() => build({ amountCents: 0 })).toThrow(/amountCents 0/);
    expect(() => build({ individualId: '1234567890123456' })).toThrow(/individual id/);
    expect(() => build({ accountNumber: 'A'.repeat(18) })).toThrow(/account number/);
    expect(() => achReturnFile({ createdOn: '2026-02-30', effectiveDate: '2026-03-10', returns: [] })).toThrow(/createdOn/);
    expect(() => achReturnFile({ createdOn: '2026-03-10', effectiveDate: '2026-03-10', returns: [], changes: [{ ...changes[0]!, correctedData: ' 123' }] })).toThrow(/corrected data/);
  });

  const common = {
    originalTrace: fc.stringMatching(/^\d{15}$/),
    routingNumber: routingArb,
    accountNumber: fc.stringMatching(/^[0-9A-Z-]{1,17}$/),
    individualId: fc.stringMatching(/^\d{1,15}$/),
    individualName: fc.stringMatching(/^[A-Z][A-Z .,'&-]{0,30}$/),
    accountType: fc.constantFrom('checking' as const, 'savings' as const),
  };
  const returnArb: fc.Arbitrary<AchReturnItem> = fc
    .record({ ...common, amountCents: fc.integer({ min: 1, max: 9_999_999_999 }), reasonCode: fc.stringMatching(/^R\d\d$/), dateOfDeath: fc.option(fc.date({ min: new Date('2000-01-01T00:00:00Z'), max: new Date('2099-12-31T00:00:00Z'), noInvalidDate: true }), { nil: undefined }) })
    .map(({ dateOfDeath, ...r }) => (dateOfDeath && (r.reasonCode === 'R14' || r.reasonCode === 'R15') ? { ...r, dateOfDeath: dateOfDeath.toISOString().slice(0, 10) } : r));
  const changeArb: fc.Arbitrary<AchChangeItem> = fc.record({
    ...common,
    changeCode: fc.constantFrom('C01' as const, 'C02' as const, 'C03' as const, 'C05' as const, 'C06' as const, 'C07' as const),
    correctedData: fc.stringMatching(/^[0-9A-Z][0-9A-Z -]{0,28}$/),
  });

  it('round-trips any 0-20 returns and 0-20 changes through parseNacha', () => {
    fc.assert(
      fc.property(fc.array(returnArb, { maxLength: 20 }), fc.array(changeArb, { maxLength: 20 }), (rs, cs) => {
        const text = achReturnFile({ createdOn: '2026-03-10', effectiveDate: '2026-03-11', returns: rs, changes: cs });
        expect(lines(text).length % 10).toBe(0);
        const file = parseNacha(text);
        const byKind = (sec: string) => file.batches.find((b) => b.secCode === sec)?.entries ?? [];
        expect(byKind('PPD').map((e) => {
          const a = e.addenda[0] as NachaReturnAddenda;
          return { t: e.transactionCode, amount: e.amountCents, account: e.dfiAccountNumber, id: e.individualIdNumber, name: e.individualName, reason: a.returnReasonCode, trace: a.originalTraceNumber, rdfi: a.originalReceivingDfi, death: a.dateOfDeath, n: e.addenda.length };
        })).toEqual(rs.map((r) => ({
          t: r.accountType === 'savings' ? 36 : 26, amount: r.amountCents, account: r.accountNumber, id: r.individualId, name: r.individualName.trim().slice(0, 22).trim(), reason: r.reasonCode, trace: r.originalTrace, rdfi: r.routingNumber.slice(0, 8), death: r.dateOfDeath ?? null, n: 1,
        })));
        expect(byKind('COR').map((e) => {
          const a = e.addenda[0] as NachaChangeAddenda;
          return { t: e.transactionCode, amount: e.amountCents, code: a.changeCode, trace: a.originalTraceNumber, data: a.correctedData, correction: a.correction };
        })).toEqual(cs.map((c) => ({ t: c.accountType === 'savings' ? 36 : 26, amount: 0, code: c.changeCode, trace: c.originalTrace, data: c.correctedData.trim(), correction: parseCorrectedData(c.changeCode, c.correctedData) })));
        expect(file.totals).toMatchObject({ batchCount: (rs.length > 0 ? 1 : 0) + (cs.length > 0 ? 1 : 0), entryCount: rs.length + cs.length, debitCents: rs.reduce((s, r) => s + r.amountCents, 0), creditCents: 0 });
      }),
      { numRuns: RUNS },
    );
  });
});

// ---------------------------------------------------------------------------------------------

describe('x937ReturnFile', () => {
  const returns: X937ReturnItem[] = [
    { payorRouting: '031300012', onUs: '123456789/1042', amountCents: 15_075, reasonCode: 'A', sequence: '000000000000017' },
    { payorRouting: '121042882', onUs: '555888/7', amountCents: 2_000, reasonCode: 'D', sequence: '18' },
  ];

  it('writes an ASCII returns file that parseX937 takes back without warnings', () => {
    const bytes = x937ReturnFile({ businessDate: '2026-03-12', returns });
    expect([bytes[4], bytes[5]]).toEqual([0x30, 0x31]);
    const file = parseX937(bytes);
    expect(file).toMatchObject({ encoding: 'ascii', totalAmountCents: 17_075, recordCount: 8, warnings: [], checks: [] });
    expect(file.cashLetters).toHaveLength(1);
    expect(file.cashLetters[0]).toMatchObject({ collectionTypeIndicator: '03', businessDate: '2026-03-12', totalAmountCents: 17_075, settlementDate: '2026-03-12' });
    expect(file.returns.map((r) => ({ ...r, record: undefined }))).toEqual([
      { kind: 'return', record: undefined, payorBankRoutingNumber: '03130001', payorBankCheckDigit: '2', onUs: '123456789/1042', amountCents: 15_075, returnReasonCode: 'A', returnReason: X9_RETURN_REASONS.A, returnDate: '2026-03-12', forwardBundleDate: null, eceInstitutionItemSequenceNumber: '000000000000017', images: [] },
      { kind: 'return', record: undefined, payorBankRoutingNumber: '12104288', payorBankCheckDigit: '2', onUs: '555888/7', amountCents: 2_000, returnReasonCode: 'D', returnReason: X9_RETURN_REASONS.D, returnDate: '2026-03-12', forwardBundleDate: null, eceInstitutionItemSequenceNumber: '18', images: [] },
    ]);
  });

  it('writes a file with an empty cash letter when there is nothing to return', () => {
    const file = parseX937(x937ReturnFile({ businessDate: '2026-03-12', returns: [] }));
    expect(file).toMatchObject({ totalAmountCents: 0, recordCount: 4, warnings: [], returns: [] });
  });

  it('refuses inputs that could not come back as given', () => {
    const build = (r: Partial<X937ReturnItem>) => x937ReturnFile({ businessDate: '2026-03-12', returns: [{ ...returns[0]!, ...r }] });
    expect(() => build({ payorRouting: '031300013' })).toThrow(/payor routing/);
    expect(() => build({ onUs: '1'.repeat(21) })).toThrow(/on-us/);
    expect(() => build({ reasonCode: 'AB' })).toThrow(/return reason/);
    expect(() => build({ sequence: 'x1' })).toThrow(/sequence/);
    expect(() => build({ amountCents: 10_000_000_000 })).toThrow(/amountCents/);
    expect(() => x937ReturnFile({ businessDate: '2026-13-01', returns: [] })).toThrow(/businessDate/);
  });

  const returnArb: fc.Arbitrary<X937ReturnItem> = fc.record({
    payorRouting: routingArb,
    onUs: fc.oneof(fc.tuple(fc.stringMatching(/^\d{1,12}$/), fc.stringMatching(/^\d{1,6}$/)).map(([a, s]) => `${a}/${s}`), fc.stringMatching(/^[0-9/*-]([0-9 /*-]{0,18}[0-9/*-])?$/)),
    amountCents: fc.integer({ min: 1, max: 9_999_999_999 }),
    reasonCode: fc.constantFrom(...Object.keys(X9_RETURN_REASONS)),
    sequence: fc.stringMatching(/^\d{1,15}$/),
  });

  it('round-trips any 0-20 returns through parseX937', () => {
    fc.assert(
      fc.property(fc.array(returnArb, { maxLength: 20 }), (rs) => {
        const file = parseX937(x937ReturnFile({ businessDate: '2026-03-12', returns: rs }));
        expect(file.warnings).toEqual([]);
        expect(file.returns.map((r) => ({ routing: r.payorBankRoutingNumber + r.payorBankCheckDigit, onUs: r.onUs, amount: r.amountCents, reason: r.returnReasonCode, sequence: r.eceInstitutionItemSequenceNumber, date: r.returnDate })))
          .toEqual(rs.map((r) => ({ routing: r.payorRouting, onUs: r.onUs, amount: r.amountCents, reason: r.reasonCode, sequence: r.sequence, date: '2026-03-12' })));
        expect(file.totalAmountCents).toBe(rs.reduce((s, r) => s + r.amountCents, 0));
      }),
      { numRuns: RUNS },
    );
  });
});

// ---------------------------------------------------------------------------------------------

describe('bai2Report', () => {
  const longText = 'WIRE FROM ORIG: ADA LOVELACE, 12 ORCHARD ST/WENATCHEE WA, REF ACCOUNT 100000017 FOR MARCH BILL';

  it('writes a report that parseBai2 takes back, long text on 88s', () => {
    const text = bai2Report({
      asOfDate: '2026-03-12', bankAccount: '4589761203', openingLedgerCents: 1_000_00,
      credits: [
        { typeCode: '195', amountCents: 250_00, bankReference: 'FW123', customerReference: '100000017', text: longText },
        { typeCode: '301', amountCents: 80_00 },
      ],
      debits: [{ typeCode: '555', amountCents: 15_075, text: 'RETURNED ITEM' }],
    });
    expect(lines(text).filter((l) => l.startsWith('88,'))).toHaveLength(1);
    const file = parseBai2(text);
    expect(file).toMatchObject({ groupCount: 1, recordCount: lines(text).length });
    const group = file.groups[0]!;
    expect(group).toMatchObject({ asOfDate: '2026-03-12', currency: 'USD', accountCount: 1 });
    const account = group.accounts[0]!;
    expect(account.accountNumber).toBe('4589761203');
    expect(account.summaries.map((s) => [s.typeCode, s.amountCents, s.itemCount])).toEqual([
      ['010', 1_000_00, null],
      ['015', 1_000_00 + 330_00 - 150_75, null],
      ['100', 330_00, 2],
      ['400', 150_75, 1],
    ]);
    expect(account.transactions.map((t) => [t.typeCode, t.amountCents, t.bankReference, t.customerReference, t.text])).toEqual([
      ['195', 250_00, 'FW123', '100000017', longText],
      ['301', 80_00, null, null, ''],
      ['555', 150_75, null, null, 'RETURNED ITEM'],
    ]);
  });

  it('keeps text with no single blank to break at on one line rather than add a space', () => {
    const unbroken = `REF:${'9'.repeat(70)}  AND${'/'.repeat(3)}`;
    const text = bai2Report({ asOfDate: '2026-03-12', bankAccount: '1', credits: [{ typeCode: '115', amountCents: 1, text: unbroken }] });
    expect(lines(text).some((l) => l.startsWith('88,'))).toBe(false);
    expect(parseBai2(text).groups[0]!.accounts[0]!.transactions[0]!.text).toBe(unbroken);
  });

  it('refuses inputs that could not come back as given', () => {
    const build = (i: Partial<Bai2Item>) => bai2Report({ asOfDate: '2026-03-12', bankAccount: '1', credits: [{ typeCode: '195', amountCents: 1, ...i }] });
    expect(() => build({ typeCode: '555' })).toThrow(/not a BAI2 credit code/);
    expect(() => build({ bankReference: 'A,B' })).toThrow(/without commas/);
    expect(() => build({ text: 'two\nlines' })).toThrow(/one line/);
    expect(() => build({ amountCents: 1.5 })).toThrow(/amountCents/);
    expect(() => bai2Report({ asOfDate: '2026-03-12', bankAccount: '1', credits: [], debits: [{ typeCode: '301', amountCents: 1 }] })).toThrow(/not a BAI2 debit code/);
  });

  const word = fc.stringMatching(/^[A-Z0-9.:#&'/,-]{1,14}$/);
  const itemArb = (codes: string[]): fc.Arbitrary<Bai2Item> => fc.record({
    typeCode: fc.constantFrom(...codes),
    amountCents: fc.integer({ min: 1, max: 99_999_999_999 }),
    bankReference: fc.option(fc.stringMatching(/^[A-Z0-9]{1,16}$/), { nil: undefined }),
    customerReference: fc.option(fc.stringMatching(/^[A-Z0-9-]{1,16}$/), { nil: undefined }),
    // Mostly single blanks (where a line may break), some double ones (where it may not).
    text: fc.option(fc.array(fc.tuple(word, fc.constantFrom(' ', ' ', ' ', '  ')), { minLength: 1, maxLength: 25 }).map((ws) => ws.map(([w, gap], i) => (i === 0 ? w : gap + w)).join('')), { nil: undefined }),
  });

  it('round-trips any 0-20 credits and debits through parseBai2', () => {
    fc.assert(
      fc.property(
        fc.array(itemArb(['301', '115', '195', '165', '142', '108']), { maxLength: 20 }),
        fc.array(itemArb(['555', '451', '475', '698', '409']), { maxLength: 20 }),
        fc.integer({ min: -1_000_000_00, max: 1_000_000_00 }),
        (credits, debits, opening) => {
          const text = bai2Report({ asOfDate: '2026-03-12', bankAccount: '0123456789', credits, debits, openingLedgerCents: opening });
          const file = parseBai2(text);
          const account = file.groups[0]!.accounts[0]!;
          expect(account.transactions.map((t) => ({ typeCode: t.typeCode, amountCents: t.amountCents, bankReference: t.bankReference, customerReference: t.customerReference, text: t.text })))
            .toEqual([...credits, ...debits].map((i) => ({ typeCode: i.typeCode, amountCents: i.amountCents, bankReference: i.bankReference ?? null, customerReference: i.customerReference ?? null, text: i.text ?? '' })));
          expect(account.summaries[0]).toMatchObject({ typeCode: '010', amountCents: opening });
          expect(file.recordCount).toBe(lines(text).length);
        },
      ),
      { numRuns: RUNS },
    );
  });
});
