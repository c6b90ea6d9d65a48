import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { accountNumberFor, isValidAccountNumber, luhnCheckDigit } from './account-number.ts';

describe('account numbers', () => {
  it('uses the Luhn check digit', () => {
    expect(luhnCheckDigit('7992739871')).toBe(3);
    expect(accountNumberFor(10000000)).toBe('100000009');
    expect(isValidAccountNumber('100000009')).toBe(true);
    expect(isValidAccountNumber('100000008')).toBe(false);
    expect(isValidAccountNumber('10000000')).toBe(false);
    expect(() => accountNumberFor(999)).toThrow(/eight digits/);
  });

  it('catches every single-digit error and every swap of unequal neighbours', () => {
    fc.assert(
      fc.property(fc.integer({ min: 10_000_000, max: 99_999_999 }), fc.integer({ min: 0, max: 8 }), fc.integer({ min: 1, max: 9 }), (seq, pos, delta) => {
        const n = accountNumberFor(seq);
        expect(isValidAccountNumber(n)).toBe(true);
        const typo = n.slice(0, pos) + ((Number(n[pos]) + delta) % 10) + n.slice(pos + 1);
        expect(isValidAccountNumber(typo)).toBe(false);
        if (pos < 8 && n[pos] !== n[pos + 1]) {
          const swapped = n.slice(0, pos) + n[pos + 1] + n[pos] + n.slice(pos + 2);
          // Luhn misses only the 0<->9 swap.
          if (!((n[pos] === '0' && n[pos + 1] === '9') || (n[pos] === '9' && n[pos + 1] === '0'))) {
            expect(isValidAccountNumber(swapped)).toBe(false);
          }
        }
      }),
    );
  });
});
