import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { layoutFault, parseRemittance, placementCsv, recallCsv, type PlacementRow } from './placement-file.ts';
import { collectionFault, commissionCents, isPercent, normalPercent, reinstatements, stepFor, type FinalAccountFacts } from './rules.ts';

const rules = { letterAfterDueDays: 15, placementWaitDays: 30, minPlacementCents: 2500 };
const facts: FinalAccountFacts = { balanceCents: 15883, finalDueDate: '2026-11-02', letter: null, depositHeld: false, blockingAlert: null, candidateBefore: false };

describe("the daily job's step for a final account", () => {
  it('sends the letter on the 15th day after the due date, not before', () => {
    expect(stepFor(facts, rules, '2026-11-16')).toEqual({ action: 'wait', until: '2026-11-17', why: expect.stringContaining('due on 2026-11-17') });
    expect(stepFor(facts, rules, '2026-11-17')).toEqual({ action: 'letter' });
    // A run missed on the day sends it on the next.
    expect(stepFor(facts, rules, '2026-11-20')).toEqual({ action: 'letter' });
  });
  it('waits for a deposit still held to be applied first', () => {
    expect(stepFor({ ...facts, depositHeld: true }, rules, '2026-12-01')).toMatchObject({ action: 'wait', until: null, why: expect.stringMatching(/deposit is still held/) });
  });
  it('makes a candidate once the waiting period after the letter is over, once', () => {
    const lettered = { ...facts, letter: { date: '2026-11-17', placeAfter: '2026-12-17' } };
    expect(stepFor(lettered, rules, '2026-12-16')).toMatchObject({ action: 'wait', until: '2026-12-17' });
    expect(stepFor(lettered, rules, '2026-12-17')).toEqual({ action: 'candidate' });
    expect(stepFor({ ...lettered, candidateBefore: true }, rules, '2027-01-17')).toMatchObject({ action: 'wait', until: null });
  });
  it('never works an account under a bankruptcy or deceased alert, or a balance below the minimum', () => {
    expect(stepFor({ ...facts, blockingAlert: { kind: 'bankruptcy', note: 'Chapter 7' } }, rules, '2026-12-01')).toEqual({ action: 'skip', why: 'Bankruptcy alert in force (Chapter 7): not collected' });
    expect(stepFor({ ...facts, blockingAlert: { kind: 'deceased', note: null }, letter: { date: '2026-11-17', placeAfter: '2026-12-17' } }, rules, '2027-01-01').action).toBe('skip');
    expect(stepFor({ ...facts, balanceCents: 2499 }, rules, '2026-12-01')).toEqual({ action: 'skip', why: 'Balance $24.99 is below the $25.00 minimum' });
    expect(stepFor({ ...facts, balanceCents: 2500 }, rules, '2026-12-01')).toEqual({ action: 'letter' });
  });
});

describe("the agency's commission", () => {
  it('is the agreed percentage of the gross, to the cent, half up', () => {
    expect(commissionCents(10000, '30.00')).toBe(3000);
    expect(commissionCents(3333, '30')).toBe(1000); // 999.9
    expect(commissionCents(5, '30.00')).toBe(2); // 1.5 rounds up
    expect(commissionCents(12345, '27.50')).toBe(3395); // 3394.875
    expect(commissionCents(100, '0')).toBe(0);
    expect(commissionCents(100, '100')).toBe(100);
  });
  it('never exceeds the gross, and matches an independent integer computation', () => {
    fc.assert(fc.property(fc.integer({ min: 0, max: 10_000_000 }), fc.integer({ min: 0, max: 10000 }), (gross, basisPoints) => {
      const percent = `${Math.trunc(basisPoints / 100)}.${String(basisPoints % 100).padStart(2, '0')}`;
      const c = commissionCents(gross, percent);
      // gross x bp / 10000, half up, in integers.
      const expected = Math.floor((gross * basisPoints * 2 + 10000) / 20000);
      return c === expected && c >= 0 && c <= gross;
    }));
  });
  it('checks what the agency reports', () => {
    expect(collectionFault({ grossCents: 10000, commissionCents: 3000, netCents: 7000 }, '30.00')).toBeNull();
    expect(collectionFault({ grossCents: 10001, commissionCents: 3001, netCents: 7000 }, '30.00')).toBeNull(); // a cent of the agency's rounding
    expect(collectionFault({ grossCents: 10000, commissionCents: 3000, netCents: 6000 }, '30.00')).toMatch(/do not add up to the gross \$100\.00/);
    expect(collectionFault({ grossCents: 10000, commissionCents: 3500, netCents: 6500 }, '30.00')).toMatch(/\$35\.00 is not 30\.00% of \$100\.00 \(\$30\.00\)/);
    expect(collectionFault({ grossCents: 0, commissionCents: 0, netCents: 0 }, '30.00')).toMatch(/more than zero/);
  });
  it('takes percentages from 0 to 100 with two decimals at most', () => {
    expect(['30', '30.00', '27.5', '0', '100', '100.00'].every(isPercent)).toBe(true);
    expect(['100.01', '30.001', '-1', 'thirty', '1e2', ''].some(isPercent)).toBe(false);
    expect(normalPercent('27.5')).toBe('27.50');
  });
});

describe('reinstating written-off money', () => {
  const w = [{ id: 2, amountCents: 5000, reinstatedCents: 1000 }, { id: 1, amountCents: 3000, reinstatedCents: 3000 }, { id: 3, amountCents: 2000, reinstatedCents: 0 }];
  it('takes the oldest write-off with something left first, never more than was written off', () => {
    expect(reinstatements(2500, w)).toEqual([{ writeOffId: 2, cents: 2500 }]);
    expect(reinstatements(5000, w)).toEqual([{ writeOffId: 2, cents: 4000 }, { writeOffId: 3, cents: 1000 }]);
    expect(reinstatements(99999, w)).toEqual([{ writeOffId: 2, cents: 4000 }, { writeOffId: 3, cents: 2000 }]);
    expect(reinstatements(0, w)).toEqual([]);
    expect(reinstatements(-100, w)).toEqual([]);
  });
  it('adds up to the smaller of the money and what is left to reinstate', () => {
    fc.assert(fc.property(fc.integer({ min: 0, max: 100000 }), fc.array(fc.tuple(fc.integer({ min: 1, max: 50000 }), fc.integer({ min: 0, max: 50000 })), { maxLength: 5 }), (cents, raw) => {
      const offs = raw.map(([amount, back], i) => ({ id: i + 1, amountCents: amount, reinstatedCents: Math.min(amount, back) }));
      const room = offs.reduce((n, o) => n + o.amountCents - o.reinstatedCents, 0);
      const plan = reinstatements(cents, offs);
      return plan.reduce((n, p) => n + p.cents, 0) === Math.min(cents, room) && plan.every((p) => p.cents > 0);
    }));
  });
});

const row: PlacementRow = {
  placementId: 7, accountNumber: '100000017', customerName: '=HYPERLINK("x") Ada', firstName: 'Ada', lastName: 'Lovelace', businessName: null,
  addressLine1: '12 Analytical Way, Apt 3', addressLine2: null, city: 'Wenatchee', state: 'WA', postalCode: '98801', phone: '(509) 555-0100', email: null,
  lastPaymentDate: null, finalBillDate: '2026-10-20', letterDate: '2026-11-26', balancePlacedCents: 15883, placementDate: '2026-12-26',
};

describe('the placement file', () => {
  it("writes the agency's columns in its order, formula-safe", () => {
    const body = placementCsv([row], { columns: ['vendor_id', 'account_number', 'customer_name', 'address_line1', 'balance_placed', 'last_payment_date', 'placement_date'], header: true }, 'CBPUD01');
    expect(body).toBe('vendor_id,account_number,customer_name,address_line1,balance_placed,last_payment_date,placement_date\r\n'
      + `CBPUD01,100000017,"'=HYPERLINK(""x"") Ada","12 Analytical Way, Apt 3",158.83,,2026-12-26\r\n`);
    expect(placementCsv([row], { columns: ['balance_placed_cents'], header: false }, '')).toBe('15883\r\n');
  });
  it('refuses identity numbers, unknown and repeated fields', () => {
    expect(layoutFault(['account_number', 'ssn_last4'])).toMatch(/ssn_last4: identity numbers .* are never sent/);
    expect(layoutFault(['date_of_birth'])).toMatch(/never sent/);
    expect(layoutFault(['account_number', 'shoe_size'])).toMatch(/unknown field\(s\) shoe_size; the fields are vendor_id, placement_id/);
    expect(layoutFault(['account_number', 'account_number'])).toMatch(/account_number listed twice/);
    expect(layoutFault([])).toMatch(/at least one field/);
    expect(layoutFault(['account_number', 'balance_placed'])).toBeNull();
  });
  it('lists recalls with their reason', () => {
    expect(recallCsv([{ placementId: 7, accountNumber: '100000017', customerName: 'Ada Lovelace', placedOn: '2026-12-26', amountPlacedCents: 15883, recalledOn: '2027-01-05', reason: 'bankruptcy', note: 'Chapter 7 filed' }], 'CBPUD01'))
      .toBe('vendor_id,placement_id,account_number,customer_name,placement_date,balance_placed,recall_date,recall_reason,note\r\nCBPUD01,7,100000017,Ada Lovelace,2026-12-26,158.83,2027-01-05,bankruptcy,Chapter 7 filed\r\n');
  });
});

describe("the agency's remittance file", () => {
  it('reads a record per collection in integer cents, columns in any order', () => {
    const text = 'Date,Account Number,Gross,Commission,Net,Reference\r\n2027-01-05,100000017,100.00,30.00,70.00,NW-1\r\n\r\n01/06/2027,100-000-025,"$1,000.50",300.15,700.35,\r\n';
    expect(parseRemittance(text)).toEqual([
      { line: 2, accountNumber: '100000017', grossCents: 10000, commissionCents: 3000, netCents: 7000, collectedOn: '2027-01-05', reference: 'NW-1' },
      { line: 4, accountNumber: '100000025', grossCents: 100050, commissionCents: 30015, netCents: 70035, collectedOn: '2027-01-06', reference: null },
    ]);
  });
  it('refuses the whole file at its first fault, naming the line', () => {
    const head = 'account_number,gross,commission,net,date\n';
    expect(() => parseRemittance(`${head}100000017,100.00,30.00,60.00,2027-01-05\n`)).toThrow('line 2: commission 30.00 and net 60.00 do not add up to the gross 100.00');
    expect(() => parseRemittance(`${head}100000017,100.00,30.00,70.00,2027-01-05\n100000025,ten,0,0,2027-01-05\n`)).toThrow('line 3: gross "ten" is not an amount of dollars and cents');
    expect(() => parseRemittance(`${head}100000017,100.00,30.00,70.00,2027-02-30\n`)).toThrow('line 2: date "2027-02-30" is not a date');
    expect(() => parseRemittance(`${head}Ada,100.00,30.00,70.00,2027-01-05\n`)).toThrow('line 2: account number "Ada" is not an account number');
    expect(() => parseRemittance('account_number,gross,net,date\n1,1,1,2027-01-01\n')).toThrow('line 1: the header row has no commission column');
    expect(() => parseRemittance(head)).toThrow('the file has a header row and no records');
    expect(() => parseRemittance(`${head}"100000017,100.00,30.00,70.00,2027-01-05\n`)).toThrow('line 2: quoted field is not closed');
    expect(() => parseRemittance('')).toThrow('the file is empty');
  });
});
