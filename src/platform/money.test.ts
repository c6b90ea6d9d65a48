import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { centsToDecimal, decimalToCents, formatCents } from './money.ts';

describe('money formatting', () => {
  it('writes cents as dollars without floating point', () => {
    expect(formatCents(-12345)).toBe('-$123.45');
    expect(centsToDecimal(5)).toBe('0.05');
    expect(centsToDecimal(-12345)).toBe('-123.45');
    expect(centsToDecimal(999_999_999_999_99)).toBe('999999999999.99');
  });

  it('reads a plain decimal of dollars as exact cents, and nothing else', () => {
    expect(decimalToCents('125.5')).toBe(12550);
    expect(decimalToCents(' 12 ')).toBe(1200);
    expect(decimalToCents('-0.05')).toBe(-5);
    for (const bad of ['', '1.234', '$1', '1,000.00', 'ten', '.5']) expect(decimalToCents(bad)).toBeNull();
  });

  it('property: any whole number of cents survives the round trip', () => {
    fc.assert(fc.property(fc.integer({ min: -(1e15 - 1), max: 1e15 - 1 }), (cents) => decimalToCents(centsToDecimal(cents)) === cents));
  });
});
