import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseAgencyFile, validateAgencyFileLayout, AgencyFileError, type AgencyFileLayout } from './agency-file.ts';
import { flagOf, holdsOn, itemsDifference, outstandingOf, pledgeFor, programReport, programReportCsv, statusAfterReceipt, type CandidatePledge, type PledgeStatus, type ReportPledge } from './rules.ts';

describe('a pledge as money arrives', () => {
  it('is partial when some has come, paid when all (or more) has, even after it expired', () => {
    expect(statusAfterReceipt('open', 10000, 0)).toBe('open');
    expect(statusAfterReceipt('open', 10000, 2500)).toBe('partial');
    expect(statusAfterReceipt('partial', 10000, 10000)).toBe('paid');
    expect(statusAfterReceipt('open', 10000, 12000)).toBe('paid');
    expect(statusAfterReceipt('expired', 10000, 5000)).toBe('expired');
    expect(statusAfterReceipt('expired', 10000, 10000)).toBe('paid');
    expect(statusAfterReceipt('cancelled', 10000, 10000)).toBe('cancelled');
  });

  it('owes nothing more once paid, lapsed or cancelled, and never a negative amount', () => {
    fc.assert(fc.property(fc.integer({ min: 1, max: 10_000_000 }), fc.integer({ min: 0, max: 20_000_000 }), fc.constantFrom<PledgeStatus>('open', 'partial', 'expired', 'cancelled'), (amount, received, before) => {
      const status = statusAfterReceipt(before, amount, received);
      const outstanding = outstandingOf({ amountCents: amount, receivedCents: received, status });
      expect(outstanding).toBeGreaterThanOrEqual(0);
      if (status === 'paid' || status === 'expired' || status === 'cancelled') expect(outstanding).toBe(0);
      else expect(outstanding).toBe(amount - received);
    }));
  });

  it('is flagged expired when it lapsed with nothing received, short when with part of it', () => {
    expect(flagOf({ status: 'expired', amountCents: 100, receivedCents: 0 })).toBe('expired');
    expect(flagOf({ status: 'expired', amountCents: 100, receivedCents: 40 })).toBe('short');
    expect(flagOf({ status: 'partial', amountCents: 100, receivedCents: 40 })).toBeNull();
    expect(flagOf({ status: 'paid', amountCents: 100, receivedCents: 100 })).toBeNull();
  });

  it('holds collection from its date through its expiry date while open', () => {
    const p = { status: 'open' as const, pledgedOn: '2026-11-01', expiresOn: '2026-11-30' };
    expect(holdsOn(p, '2026-10-31')).toBe(false);
    expect(holdsOn(p, '2026-11-01')).toBe(true);
    expect(holdsOn(p, '2026-11-30')).toBe(true);
    expect(holdsOn(p, '2026-12-01')).toBe(false);
    expect(holdsOn({ ...p, status: 'partial' }, '2026-11-15')).toBe(true);
    expect(holdsOn({ ...p, status: 'paid' }, '2026-11-15')).toBe(false);
  });
});

describe('which pledge an agency payment is for', () => {
  const base = { accountId: 1, agencyId: 7, amountCents: 10000, receivedCents: 0, expiresOn: '2026-12-31' };
  const pledges: CandidatePledge[] = [
    { ...base, id: 3, status: 'open', pledgedOn: '2026-11-10' },
    { ...base, id: 2, status: 'partial', pledgedOn: '2026-11-01', receivedCents: 4000 },
    { ...base, id: 4, status: 'open', pledgedOn: '2026-11-01', agencyId: 8 },
    { ...base, id: 5, status: 'expired', pledgedOn: '2026-09-01', expiresOn: '2026-10-01' },
    { ...base, id: 6, status: 'cancelled', pledgedOn: '2026-08-01' },
    { ...base, id: 9, status: 'open', pledgedOn: '2026-10-01', accountId: 2 },
  ];

  it("is the account's oldest open pledge of that agency with something still to come", () => {
    expect(pledgeFor(pledges, 7, 1)?.id).toBe(2);
    expect(pledgeFor(pledges, 8, 1)?.id).toBe(4);
    expect(pledgeFor(pledges, 7, 2)?.id).toBe(9);
    expect(pledgeFor(pledges, 7, 3)).toBeNull();
  });

  it('then the latest lapsed one not paid in full (the agency paid late), never a cancelled one', () => {
    const later = pledges.map((p) => (p.id === 2 || p.id === 3 ? { ...p, receivedCents: 10000 } : p));
    expect(pledgeFor(later, 7, 1)?.id).toBe(5);
    expect(pledgeFor(later.map((p) => (p.id === 5 ? { ...p, receivedCents: 10000 } : p)), 7, 1)).toBeNull();
  });

  it('says how far the items of a check are from it', () => {
    expect(itemsDifference(10000, [{ amountCents: 6000 }, { amountCents: 4000 }])).toBe(0);
    expect(itemsDifference(10000, [{ amountCents: 9000 }])).toBe(1000);
    expect(itemsDifference(10000, [{ amountCents: 10001 }])).toBe(-1);
  });
});

describe('the program monitoring report', () => {
  const liheap = { agencyId: 1, agencyCode: 'CDCAC', agencyName: 'Chelan-Douglas Community Action Council', programId: 10, programCode: 'LIHEAP', programName: 'LIHEAP' };
  const crisis = { ...liheap, programId: 11, programCode: 'CRISIS', programName: 'Winter crisis' };
  const other = { agencyId: 2, agencyCode: 'ACME', agencyName: 'Acme, "Helping" Hands', programId: 20, programCode: 'LOCAL', programName: 'Local fund' };
  const pledges: ReportPledge[] = [
    { ...liheap, status: 'paid', amountCents: 15000, receivedCents: 15000 },
    { ...liheap, status: 'partial', amountCents: 20000, receivedCents: 5000 },
    { ...liheap, status: 'expired', amountCents: 10000, receivedCents: 2500 },
    { ...liheap, status: 'expired', amountCents: 7500, receivedCents: 0 },
    { ...crisis, status: 'open', amountCents: 30000, receivedCents: 0 },
    { ...crisis, status: 'cancelled', amountCents: 5000, receivedCents: 0 },
    { ...other, status: 'paid', amountCents: 12345, receivedCents: 12400 },
  ];

  it('adds up pledged, received, outstanding, expired and short per program, agency and in all', () => {
    const r = programReport(pledges);
    expect(r.programs.map((p) => p.programCode)).toEqual(['LOCAL', 'CRISIS', 'LIHEAP']);
    expect(r.programs[2]).toMatchObject({ pledgedCount: 4, pledgedCents: 52500, receivedCents: 22500, outstandingCents: 15000, expiredCount: 2, expiredCents: 7500 + 7500, shortCount: 1, cancelledCount: 0 });
    expect(r.programs[1]).toMatchObject({ pledgedCount: 1, pledgedCents: 30000, receivedCents: 0, outstandingCents: 30000, cancelledCount: 1 });
    expect(r.agencies.find((a) => a.agencyCode === 'CDCAC')).toMatchObject({ programId: null, pledgedCount: 5, pledgedCents: 82500, receivedCents: 22500, outstandingCents: 45000 });
    expect(r.total).toMatchObject({ agencyName: 'All agencies', pledgedCount: 6, pledgedCents: 94845, receivedCents: 34900, outstandingCents: 45000, expiredCount: 2, shortCount: 1, cancelledCount: 1 });
  });

  it('shows programs without pledges with zeros', () => {
    const r = programReport([], [{ ...liheap }]);
    expect(r.programs).toEqual([expect.objectContaining({ programCode: 'LIHEAP', pledgedCount: 0, pledgedCents: 0 })]);
    expect(r.total.pledgedCount).toBe(0);
  });

  it('has totals that are the sum of their rows, whatever the pledges', () => {
    const arb = fc.record({
      program: fc.constantFrom(liheap, crisis, other), status: fc.constantFrom<PledgeStatus>('open', 'partial', 'paid', 'expired', 'cancelled'),
      amountCents: fc.integer({ min: 1, max: 1_000_000 }), receivedCents: fc.integer({ min: 0, max: 1_000_000 }),
    }).map(({ program, ...p }) => ({ ...program, ...p }));
    fc.assert(fc.property(fc.array(arb, { maxLength: 40 }), (ps) => {
      const r = programReport(ps);
      for (const key of ['pledgedCount', 'pledgedCents', 'receivedCents', 'outstandingCents', 'expiredCount', 'expiredCents', 'shortCount', 'cancelledCount'] as const) {
        expect(r.total[key]).toBe(r.programs.reduce((a, p) => a + p[key], 0));
        expect(r.total[key]).toBe(r.agencies.reduce((a, p) => a + p[key], 0));
      }
      expect(r.total.receivedCents).toBe(ps.reduce((a, p) => a + p.receivedCents, 0));
      expect(r.total.pledgedCount + r.total.cancelledCount).toBe(ps.length);
    }));
  });

  it('writes CSV with exact dollar amounts, an agency total after its programs and the grand total last', () => {
    const csv = programReportCsv(programReport(pledges), { from: '2026-10-01', to: null });
    expect(csv.split('\r\n').slice(0, -1)).toEqual([
      'Agency code,Agency,Program code,Program,Pledges,Pledged,Received,Outstanding,Expired pledges,Expired unpaid,Short pledges,Cancelled pledges,Pledged from,Pledged to',
      'ACME,"Acme, ""Helping"" Hands",LOCAL,Local fund,1,123.45,124.00,0.00,0,0.00,0,0,2026-10-01,',
      'ACME,"Acme, ""Helping"" Hands",,All programs,1,123.45,124.00,0.00,0,0.00,0,0,2026-10-01,',
      'CDCAC,Chelan-Douglas Community Action Council,CRISIS,Winter crisis,1,300.00,0.00,300.00,0,0.00,0,1,2026-10-01,',
      'CDCAC,Chelan-Douglas Community Action Council,LIHEAP,LIHEAP,4,525.00,225.00,150.00,2,150.00,1,0,2026-10-01,',
      'CDCAC,Chelan-Douglas Community Action Council,,All programs,5,825.00,225.00,450.00,2,150.00,1,1,2026-10-01,',
      ',All agencies,,All programs,6,948.45,349.00,450.00,2,150.00,1,1,2026-10-01,',
    ]);
  });
});

describe('agency payment files', () => {
  const header = 'Agency Code,Pledge Number,Account Number,Customer Name,Amount,Payment Date';
  const refused = (text: string, layout?: AgencyFileLayout) => {
    try {
      parseAgencyFile(text, layout);
    } catch (e) {
      expect(e).toBeInstanceOf(AgencyFileError);
      return { line: (e as AgencyFileError).line, reason: (e as AgencyFileError).reason };
    }
    throw new Error('the file was taken');
  };

  it('reads the default layout: codes, pledge and account numbers, names, exact cents, either date form, an optional check column', () => {
    const f = parseAgencyFile(`\uFEFF${header}\r\nCDCAC,LI-1,100000017,"Lovelace, Ada",150.00,2026-11-20\r\n\r\nCDCAC,,100000025,Alan Turing,"$1,234.5",11/3/2026\r\nCDCAC,CR-9,,,0.07,2026-11-21\r\n`);
    expect(f.records).toEqual([
      { line: 2, agencyCode: 'CDCAC', pledgeRef: 'LI-1', accountRef: '100000017', customerName: 'Lovelace, Ada', amountCents: 15000, paymentDate: '2026-11-20', checkNumber: null },
      { line: 4, agencyCode: 'CDCAC', pledgeRef: null, accountRef: '100000025', customerName: 'Alan Turing', amountCents: 123450, paymentDate: '2026-11-03', checkNumber: null },
      { line: 5, agencyCode: 'CDCAC', pledgeRef: 'CR-9', accountRef: null, customerName: null, amountCents: 7, paymentDate: '2026-11-21', checkNumber: null },
    ]);
    expect(f.totalCents).toBe(15000 + 123450 + 7);
    expect(parseAgencyFile(`${header},Check Number\nCDCAC,,100000017,A,1,2026-11-20,00881\n`).records[0]!.checkNumber).toBe('00881');
  });

  it('refuses a malformed file whole, naming the line where the record starts and the reason', () => {
    expect(refused(`${header}\nCDCAC,LI-1,100000017,Ada,abc,2026-11-20\n`)).toEqual({ line: 2, reason: 'amount "abc" is not an amount of dollars and cents' });
    expect(refused(`${header}\nCDCAC,LI-1,100000017,Ada,1.234,2026-11-20\n`).reason).toMatch(/is not an amount/);
    expect(refused(`${header}\nCDCAC,LI-1,100000017,Ada,-5.00,2026-11-20\n`).reason).toMatch(/is not an amount/);
    expect(refused(`${header}\nCDCAC,LI-1,100000017,Ada,0.00,2026-11-20\n`).reason).toBe('amount "0.00" is zero');
    expect(refused(`${header}\nCDCAC,LI-1,100000017,Ada,5,2026-02-30\n`)).toEqual({ line: 2, reason: 'payment date "2026-02-30" is not a date (YYYY-MM-DD or MM/DD/YYYY)' });
    expect(refused(`${header}\nCDCAC,LI-1,100000017,Ada,5,2026-11-20\nCDCAC,,,Nobody,5,2026-11-20\n`)).toEqual({ line: 3, reason: 'names neither an account number nor a pledge number' });
    expect(refused(`${header}\nCDCAC,LI-1,100000017,Ada,5\n`)).toEqual({ line: 2, reason: 'expected 6 columns, found 5' });
    expect(refused(`${header}\nCDCAC,LI-1,100000017,"Ada\nLovelace",5,2026-11-20\nCDCAC,"LI-2,100000017,Bob,5,2026-11-20\n`)).toEqual({ line: 4, reason: 'quoted field is not closed' });
    expect(refused('Agency Code,Account Number,Amount\nCDCAC,100000017,5\n')).toEqual({ line: 1, reason: 'the header has no "Payment Date" column (paymentDate)' });
    expect(refused(`${header}\n`)).toEqual({ line: null, reason: 'the file holds no payments' });
    expect(refused('')).toEqual({ line: null, reason: 'the file is empty: no header row' });
  });

  it("reads an agency's own layout: no header, columns by position, semicolons, whole cents", () => {
    const layout = validateAgencyFileLayout({ code: 'snap', delimiter: ';', header: false, skipRows: 1, columns: { accountNumber: 1, amount: 2, paymentDate: 3, pledgeRef: 4 }, dateFormat: 'YYYYMMDD', amountFormat: 'cents' });
    expect(parseAgencyFile('SNAP EXPORT v2\n100000017;15000;20261120;P-1\n', layout).records).toEqual([
      { line: 2, agencyCode: null, pledgeRef: 'P-1', accountRef: '100000017', customerName: null, amountCents: 15000, paymentDate: '2026-11-20', checkNumber: null },
    ]);
    expect(refused('x\n100000017;15000;20261120\n', layout)).toEqual({ line: 2, reason: 'pledgeRef is column 4 but the file has 3 columns' });
  });

  it('refuses a layout that names an unknown field, lacks a required column or uses a column twice', () => {
    const ok = { code: 'x', delimiter: ',', header: true, columns: { accountNumber: 'Acct', amount: 'Amt', paymentDate: 'Date' }, dateFormat: 'auto', amountFormat: 'decimal' };
    expect(validateAgencyFileLayout(ok).columns).toEqual({ accountNumber: 'Acct', amount: 'Amt', paymentDate: 'Date' });
    expect(() => validateAgencyFileLayout({ ...ok, colour: 'red' })).toThrow(/colour is not a known field/);
    expect(() => validateAgencyFileLayout({ ...ok, columns: { accountNumber: 'Acct', paymentDate: 'Date' } })).toThrow(/columns.amount is required/);
    expect(() => validateAgencyFileLayout({ ...ok, columns: { ...ok.columns, customerName: 'acct' } })).toThrow(/uses a column another field uses/);
    expect(() => validateAgencyFileLayout({ ...ok, header: false })).toThrow(/names a header column but the layout has no header/);
    expect(() => validateAgencyFileLayout({ ...ok, columns: { amount: 1, paymentDate: 2 }, header: false })).toThrow(/accountNumber is required|pledgeRef/);
  });
});
