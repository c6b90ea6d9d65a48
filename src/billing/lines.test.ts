import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { BillLine } from '../tariff/index.ts';
import { packLines, unpackLines } from './lines.ts';

const line = fc.record<BillLine>({
  code: fc.constantFrom('BASIC', 'ENERGY', 'PUT'),
  description: fc.string(),
  kind: fc.constantFrom('charge', 'rider', 'minimum', 'tax', 'credit'),
  quantity: fc.constantFrom('1', '972', '5.685'),
  unit: fc.constantFrom('kWh', 'day', '%'),
  unitPrice: fc.constantFrom('0.55', '3.873'),
  amountCents: fc.integer({ min: -100000, max: 100000 }),
  tariffVersion: fc.constantFrom('RES-E v1', 'RES-E v2'),
  from: fc.constantFrom('2026-10-01', '2026-10-16'),
  to: fc.constantFrom('2026-10-15', '2026-10-30'),
  derivation: fc.string(),
});

describe('stored bill lines', () => {
  it('read back as they were rated, whatever the mix of versions and periods', () => {
    fc.assert(fc.property(fc.array(line, { maxLength: 12 }), (lines) => {
      expect(unpackLines(JSON.parse(JSON.stringify(packLines(lines))))).toEqual(lines);
    }));
  });

  it('store a line\'s version and days once for the lines after it that share them', () => {
    const l: BillLine = { code: 'BASIC', description: 'Basic', kind: 'charge', quantity: '30', unit: 'day', unitPrice: '0.55', amountCents: 1650, tariffVersion: 'RES-E v1', from: '2026-10-01', to: '2026-10-30', derivation: '30 days x $0.55' };
    const packed = packLines([l, { ...l, code: 'ENERGY' }, { ...l, code: 'PCA', tariffVersion: 'RES-E v2' }]);
    expect(packed.map((p) => p.slice(7, 10))).toEqual([['RES-E v1', '2026-10-01', '2026-10-30'], ['', '', ''], ['RES-E v2', '2026-10-01', '2026-10-30']]);
  });

  it('read lines stored in full (before the sharing rule) as they are', () => {
    const full = [['BASIC', 'Basic', 'charge', '30', 'day', '0.55', 1650, 'RES-E v1', '2026-10-01', '2026-10-30', 'd1'], ['PUT', 'Tax', 'tax', '16.5', '%', '3.873', 64, 'RES-E v1', '2026-10-01', '2026-10-30', 'd2']];
    expect(unpackLines(full).map((x) => [x.tariffVersion, x.from, x.to])).toEqual([['RES-E v1', '2026-10-01', '2026-10-30'], ['RES-E v1', '2026-10-01', '2026-10-30']]);
  });
});
