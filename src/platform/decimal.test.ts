import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Dec, sum } from './decimal.ts';

const decimalText = fc.tuple(fc.bigInt({ min: -(10n ** 14n), max: 10n ** 14n }), fc.integer({ min: 0, max: 6 })).map(([units, places]) => {
  const neg = units < 0n;
  const digits = (neg ? -units : units).toString().padStart(places + 1, '0');
  return `${neg ? '-' : ''}${places ? `${digits.slice(0, -places)}.${digits.slice(-places)}` : digits}`;
});

describe('Dec', () => {
  it('parses and prints exact decimals, trimming trailing zeros', () => {
    expect(Dec.of('0040.5000').toString()).toBe('40.5');
    expect(Dec.of('-0.000001').toString()).toBe('-0.000001');
    expect(Dec.of('.5').toString()).toBe('0.5');
    expect(Dec.of(7).toString()).toBe('7');
    expect(Dec.pow10(5).toString()).toBe('100000');
    expect(Dec.pow10(-3).toString()).toBe('0.001');
    expect(() => Dec.of('1e3')).toThrow('not a decimal number');
    expect(() => Dec.of(0.1)).toThrow('whole numbers only');
  });

  it('multiplies exactly and refuses to lose digits', () => {
    expect(Dec.of('12.5').times('40.25').toString()).toBe('503.125');
    expect(() => Dec.of('0.0000001').times('0.0000001')).toThrow('more than 12 decimal places');
  });

  it('divides with a named rounding mode', () => {
    expect(Dec.of('2').div(3, 4).toString()).toBe('0.6667');
    expect(Dec.of('2.5').div(1, 0, 'half_up').toString()).toBe('3');
    expect(Dec.of('2.5').div(1, 0, 'half_even').toString()).toBe('2');
    expect(Dec.of('-2.5').div(1, 0, 'half_up').toString()).toBe('-3');
    expect(Dec.of('2.1').div(1, 0, 'up').toString()).toBe('3');
    expect(Dec.of('2.9').div(1, 0, 'down').toString()).toBe('2');
    expect(Dec.of('1.005').toFixed(2)).toBe('1.01');
  });

  it('adds and subtracts exactly (a + b - b = a), and sums in any order to the same total', () => {
    fc.assert(fc.property(decimalText, decimalText, (a, b) => Dec.of(a).plus(b).minus(b).eq(a)));
    fc.assert(fc.property(fc.array(decimalText, { maxLength: 30 }), (xs) => sum(xs).eq(sum([...xs].reverse()))));
  });

  it('round-trips through its own text', () => {
    fc.assert(fc.property(decimalText, (a) => Dec.of(Dec.of(a).toString()).eq(a) && Dec.of(a).toString() === Dec.of(Dec.of(a).toString()).toString()));
  });
});
