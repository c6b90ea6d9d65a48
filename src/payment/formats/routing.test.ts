import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isValidRoutingNumber, routingCheckDigit } from './routing.ts';

describe('routing numbers', () => {
  it('computes the 3-7-1 check digit of real routing numbers', () => {
    // From the moov-io/ach sample files and well-known Federal Reserve numbers.
    expect(routingCheckDigit('23138010')).toBe(4);
    expect(routingCheckDigit('12104288')).toBe(2);
    expect(routingCheckDigit('09140060')).toBe(6);
    expect(routingCheckDigit('02100002')).toBe(1);
    expect(isValidRoutingNumber('231380104')).toBe(true);
    expect(isValidRoutingNumber('021000021')).toBe(true);
    expect(isValidRoutingNumber('231380105')).toBe(false);
  });

  it('refuses anything that is not nine digits', () => {
    expect(isValidRoutingNumber('23138010')).toBe(false);
    expect(isValidRoutingNumber('2313801040')).toBe(false);
    expect(isValidRoutingNumber('23138010a')).toBe(false);
    expect(isValidRoutingNumber(' 23138010')).toBe(false);
    expect(isValidRoutingNumber('')).toBe(false);
    expect(() => routingCheckDigit('2313801')).toThrow(/not eight digits/);
    expect(() => routingCheckDigit('2313801x')).toThrow(/not eight digits/);
  });

  it('accepts exactly one check digit per prefix and catches every single-digit error', () => {
    const prefix = fc.stringMatching(/^\d{8}$/);
    fc.assert(
      fc.property(prefix, fc.integer({ min: 0, max: 8 }), fc.integer({ min: 1, max: 9 }), (first8, pos, delta) => {
        const check = routingCheckDigit(first8);
        const valid = first8 + check;
        expect(isValidRoutingNumber(valid)).toBe(true);
        for (let d = 0; d <= 9; d++) if (d !== check) expect(isValidRoutingNumber(first8 + d)).toBe(false);
        const typo = valid.slice(0, pos) + ((Number(valid[pos]) + delta) % 10) + valid.slice(pos + 1);
        expect(isValidRoutingNumber(typo)).toBe(false);
      }),
    );
  });
});
