/**
 * Exact decimals for quantities (register reads, usage, multipliers, unit prices): a bigint count
 * of 10^-12 units. Postgres `numeric` values arrive as strings and leave as strings; nothing here
 * goes through a float. Division and rounding name their mode.
 */
const SCALE = 12;
const ONE = 10n ** BigInt(SCALE);

/** 10^0 .. 10^40 as bigints: division and rounding need them on every call (a speed table only). */
const POW10: readonly bigint[] = Array.from({ length: 41 }, (_, i) => 10n ** BigInt(i));
/** 10^exp; a negative or fractional exp throws the same RangeError as `10n ** BigInt(exp)`. */
const pow10n = (exp: number): bigint => POW10[exp] ?? 10n ** BigInt(exp);

export type RoundingMode = 'half_up' | 'half_even' | 'down' | 'up';

export class Dec {
  private constructor(readonly units: bigint) {}

  static readonly zero = new Dec(0n);

  static of(value: string | number | bigint | Dec): Dec {
    if (value instanceof Dec) return value;
    if (typeof value === 'bigint') return new Dec(value * ONE);
    if (typeof value === 'number') {
      if (!Number.isSafeInteger(value)) throw new Error(`Dec.of takes whole numbers only, got ${value}; pass a string`);
      return new Dec(BigInt(value) * ONE);
    }
    const plain = typeof value === 'string' ? plainUnits(value) : null;
    if (plain !== null) return new Dec(plain);
    const m = /^([+-])?(\d+)(?:\.(\d*))?$/.exec(value.trim()) ?? /^([+-])?()\.(\d+)$/.exec(value.trim());
    if (!m) throw new Error(`"${value}" is not a decimal number`);
    const [, sign, whole, frac = ''] = m;
    if (frac.length > SCALE) {
      if (/[1-9]/.test(frac.slice(SCALE))) throw new Error(`"${value}" has more than ${SCALE} decimal places`);
    }
    const units = BigInt(whole || '0') * ONE + BigInt((frac.slice(0, SCALE) || '0').padEnd(SCALE, '0'));
    return new Dec(sign === '-' ? -units : units);
  }

  /** `value` x 10^-places (cents: `Dec.scaled(1234n, 2)` is 12.34); places from 0 to 12. */
  static scaled(value: bigint, places: number): Dec {
    if (!Number.isInteger(places) || places < 0 || places > SCALE) throw new Error(`Dec.scaled takes 0 to ${SCALE} places, got ${places}`);
    return new Dec(value * pow10n(SCALE - places));
  }

  /** 10^exp as a decimal (exp may be negative down to -12). */
  static pow10(exp: number): Dec {
    if (exp < -SCALE) throw new Error(`10^${exp} is below the decimal resolution`);
    return exp >= 0 ? new Dec(10n ** BigInt(exp) * ONE) : new Dec(ONE / 10n ** BigInt(-exp));
  }

  plus(o: Dec | string | number): Dec { return new Dec(this.units + Dec.of(o).units); }
  minus(o: Dec | string | number): Dec { return new Dec(this.units - Dec.of(o).units); }
  neg(): Dec { return new Dec(-this.units); }
  abs(): Dec { return this.units < 0n ? this.neg() : this; }

  /** Exact product; refuses a result finer than the resolution instead of silently cutting it. */
  times(o: Dec | string | number): Dec {
    // A whole number multiplier cannot add decimals: skip the check (same result, less bigint work).
    if (typeof o === 'number' && Number.isSafeInteger(o)) return new Dec(this.units * BigInt(o));
    const raw = this.units * Dec.of(o).units;
    if (raw % ONE !== 0n) throw new Error(`${this.toString()} x ${Dec.of(o).toString()} has more than ${SCALE} decimal places`);
    return new Dec(raw / ONE);
  }

  /**
   * The exact product rounded to `places` decimals by `mode`: what `times` then `round` would give,
   * without refusing a product finer than the resolution (a price x a quantity, rounded to cents).
   */
  timesRounded(o: Dec, places: number, mode: RoundingMode = 'half_up'): Dec {
    const step = pow10n(SCALE - places);
    // this x o in units is (this.units x o.units) / ONE; at `places` decimals, / (ONE x step).
    return new Dec(divRound(this.units * o.units, ONE * step, mode) * step);
  }

  /** Quotient rounded to `places` decimals by `mode`. */
  div(o: Dec | string | number, places: number, mode: RoundingMode = 'half_up'): Dec {
    const d = Dec.of(o).units;
    if (d === 0n) throw new Error('division by zero');
    const step = pow10n(SCALE - places);
    // units of the result at `places` decimals: this * 10^places / d
    const num = this.units * pow10n(places);
    return new Dec(divRound(num, d, mode) * step);
  }

  round(places: number, mode: RoundingMode = 'half_up'): Dec {
    const step = pow10n(SCALE - places);
    // Already at `places` decimals (the usual case): nothing to round.
    if (this.units % step === 0n) return this;
    return new Dec(divRound(this.units, step, mode) * step);
  }

  cmp(o: Dec | string | number): -1 | 0 | 1 {
    const u = Dec.of(o).units;
    return this.units < u ? -1 : this.units > u ? 1 : 0;
  }
  eq(o: Dec | string | number): boolean { return this.cmp(o) === 0; }
  lt(o: Dec | string | number): boolean { return this.cmp(o) < 0; }
  gt(o: Dec | string | number): boolean { return this.cmp(o) > 0; }
  isZero(): boolean { return this.units === 0n; }
  isNegative(): boolean { return this.units < 0n; }

  /** Plain decimal text, trailing zeros trimmed ('12.5', '0', '-3'). */
  toString(): string {
    const neg = this.units < 0n;
    const digits = (neg ? -this.units : this.units).toString();
    const whole = wholeDigits(digits);
    const frac = fracDigits(digits);
    let end = SCALE;
    while (end > 0 && frac.charCodeAt(end - 1) === 48 /* 0 */) end--;
    return `${neg ? '-' : ''}${whole}${end > 0 ? `.${frac.slice(0, end)}` : ''}`;
  }
  /** Fixed number of decimals, rounding half up. */
  toFixed(places: number): string {
    const r = this.round(places);
    const neg = r.units < 0n;
    const digits = (neg ? -r.units : r.units).toString();
    const frac = fracDigits(digits).slice(0, places);
    return `${neg ? '-' : ''}${wholeDigits(digits)}${places > 0 ? `.${frac}` : ''}`;
  }
  toJSON(): string { return this.toString(); }
}

/** The whole part of a non-negative unit count given as its digits. */
const wholeDigits = (digits: string) => (digits.length > SCALE ? digits.slice(0, digits.length - SCALE) : '0');
/** The SCALE fraction digits of a non-negative unit count given as its digits. */
const fracDigits = (digits: string) => (digits.length > SCALE ? digits.slice(digits.length - SCALE) : digits.padStart(SCALE, '0'));

/**
 * Units of an unsigned plain decimal ("1234", "0.0812", at most SCALE decimals, nothing else), or
 * null for anything else (signs, spaces, ".5", errors), which takes the general path. A speed path:
 * it gives what the general path would.
 */
function plainUnits(text: string): bigint | null {
  const n = text.length;
  if (n === 0 || n > 30) return null;
  let dot = -1;
  for (let i = 0; i < n; i++) {
    const c = text.charCodeAt(i);
    if (c === 46 /* . */ && dot < 0 && i > 0 && i < n - 1) dot = i;
    else if (c < 48 || c > 57) return null;
  }
  if (dot < 0) return BigInt(text) * ONE;
  const fracLength = n - dot - 1;
  if (fracLength > SCALE) return null;
  return BigInt(text.slice(0, dot) + text.slice(dot + 1) + '0'.repeat(SCALE - fracLength));
}

function divRound(n: bigint, d: bigint, mode: RoundingMode): bigint {
  const negative = (n < 0n) !== (d < 0n);
  const an = n < 0n ? -n : n;
  const ad = d < 0n ? -d : d;
  let q = an / ad;
  if (mode !== 'down') {
    const r = an - q * ad;
    if (r !== 0n) {
      if (mode === 'up') q += 1n;
      else {
        const twice = r * 2n;
        if (mode === 'half_up' && twice >= ad) q += 1n;
        else if (mode === 'half_even' && (twice > ad || (twice === ad && q % 2n === 1n))) q += 1n;
      }
    }
  }
  return negative ? -q : q;
}

export const sum = (values: (Dec | string)[]): Dec => values.reduce<Dec>((acc, v) => acc.plus(v), Dec.zero);
