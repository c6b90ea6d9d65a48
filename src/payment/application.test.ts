import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { applyPayment, type Owed, type Service } from './application.ts';

const order: Service[] = ['electric', 'water', 'fiber'];
const oldest = { mode: 'oldest_first' as const, serviceOrder: order };

describe('applyPayment', () => {
  const owed: Owed[] = [
    { service: 'electric', balanceCents: 15000, charges: [{ date: '2026-09-20', unpaidCents: 5000 }, { date: '2026-10-20', unpaidCents: 10000 }] },
    { service: 'water', balanceCents: 4000, charges: [{ date: '2026-10-20', unpaidCents: 4000 }] },
    { service: 'fiber', balanceCents: 6000, charges: [{ date: '2026-10-01', unpaidCents: 6000 }] },
  ];

  it('pays the oldest charges first, services on one day in the district order', () => {
    // Sept electric 50.00, Oct 1 fiber 60.00, then Oct 20: electric 100.00 before water 40.00.
    expect(applyPayment(12000, owed, oldest)).toEqual([{ service: 'electric', amountCents: 6000 }, { service: 'fiber', amountCents: 6000 }]);
    expect(applyPayment(22000, owed, oldest)).toEqual([{ service: 'electric', amountCents: 15000 }, { service: 'water', amountCents: 1000 }, { service: 'fiber', amountCents: 6000 }]);
    expect(applyPayment(22000, owed, { ...oldest, serviceOrder: ['water', 'electric', 'fiber'] })).toEqual([
      { service: 'water', amountCents: 4000 }, { service: 'electric', amountCents: 12000 }, { service: 'fiber', amountCents: 6000 }]);
  });

  it('keeps an overpayment as a credit with no service', () => {
    expect(applyPayment(30000, owed, oldest)).toEqual([
      { service: 'electric', amountCents: 15000 }, { service: 'water', amountCents: 4000 }, { service: 'fiber', amountCents: 6000 }, { service: null, amountCents: 5000 }]);
    expect(applyPayment(1234, [], oldest)).toEqual([{ service: null, amountCents: 1234 }]);
  });

  it('splits in proportion to what each service owes, to the cent', () => {
    expect(applyPayment(10000, owed, { mode: 'proportional', serviceOrder: order })).toEqual([
      { service: 'electric', amountCents: 6000 }, { service: 'water', amountCents: 1600 }, { service: 'fiber', amountCents: 2400 }]);
    expect(applyPayment(1, owed, { mode: 'proportional', serviceOrder: order })).toEqual([{ service: 'electric', amountCents: 1 }]);
  });

  it('counts a balance its charges do not explain as the oldest debt', () => {
    const o: Owed[] = [{ service: 'water', balanceCents: 3000, charges: [{ date: '2026-10-20', unpaidCents: 1000 }] }, { service: 'electric', balanceCents: 1000, charges: [{ date: '2026-01-01', unpaidCents: 1000 }] }];
    expect(applyPayment(2000, o, oldest)).toEqual([{ service: 'water', amountCents: 2000 }]);
  });

  const owedArb = fc.array(fc.record({
    service: fc.constantFrom<Service>('electric', 'water', 'fiber'),
    balanceCents: fc.integer({ min: -5000, max: 50000 }),
    charges: fc.array(fc.record({ date: fc.constantFrom('2026-01-05', '2026-02-05', '2026-03-05', '2026-04-05'), unpaidCents: fc.integer({ min: 1, max: 20000 }) }), { maxLength: 4 })
      .map((cs) => cs.sort((a, b) => a.date.localeCompare(b.date))),
  }), { maxLength: 3 }).map((os) => os.filter((o, i) => os.findIndex((x) => x.service === o.service) === i));

  it('property: the shares add up to the payment and no service gets more than it owes', () => {
    fc.assert(fc.property(fc.integer({ min: 1, max: 200000 }), owedArb, fc.constantFrom('oldest_first' as const, 'proportional' as const), (amount, o, mode) => {
      const shares = applyPayment(amount, o, { mode, serviceOrder: order });
      expect(shares.reduce((a, s) => a + s.amountCents, 0)).toBe(amount);
      for (const s of shares) {
        expect(s.amountCents).toBeGreaterThan(0);
        if (s.service) expect(s.amountCents).toBeLessThanOrEqual(o.find((x) => x.service === s.service)!.balanceCents);
      }
      const owes = o.reduce((a, x) => a + Math.max(0, x.balanceCents), 0);
      expect(shares.find((s) => s.service === null)?.amountCents ?? 0).toBe(Math.max(0, amount - owes));
    }));
  });
});
