/**
 * Exact decimals for quantities (register reads, usage, multipliers, unit prices): a bigint count
 * of 10^-12 units. Postgres `numeric` values arrive as strings and leave as strings; nothing here
 * goes through a float. Division and rounding name their mode.
 */
const SCALE = 12;
const ONE = 10n ** BigInt(SCALE);

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
    const m = /^([+-])?(\d+)(?:\.(\d*))?$/.exec(value.trim()) ?? /^([+-])?()\.(\d+)$/.exec(value.trim());
    if (!m) throw new Error(`"${value}" is not a decimal number`);
    const [, sign, whole, frac = ''] = m;
    if (frac.length > SCALE) {
      if (/[1-9]/.test(frac.slice(SCALE))) throw new Error(`"${value}" has more than ${SCALE} decimal places`);
    }
    const units = BigInt(whole || '0') * ONE + BigInt((frac.slice(0, SCALE) || '0').padEnd(SCALE, '0'));
    return new Dec(sign === '-' ? -units : units);
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
    const raw = this.units * Dec.of(o).units;
    if (raw % ONE !== 0n) throw new Error(`${this.toString()} x ${Dec.of(o).toString()} has more than ${SCALE} decimal places`);
    return new Dec(raw / ONE);
  }

  /** Quotient rounded to `places` decimals by `mode`. */
  div(o: Dec | string | number, places: number, mode: RoundingMode = 'half_up'): Dec {
    const d = Dec.of(o).units;
    if (d === 0n) throw new Error('division by zero');
    const step = 10n ** BigInt(SCALE - places);
    // units of the result at `places` decimals: this * 10^places / d
    const num = this.units * 10n ** BigInt(places);
    return new Dec(divRound(num, d, mode) * step);
  }

  round(places: number, mode: RoundingMode = 'half_up'): Dec {
    const step = 10n ** BigInt(SCALE - places);
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
    const u = neg ? -this.units : this.units;
    const whole = (u / ONE).toString();
    const frac = (u % ONE).toString().padStart(SCALE, '0').replace(/0+$/, '');
    return `${neg ? '-' : ''}${whole}${frac ? `.${frac}` : ''}`;
  }
  /** Fixed number of decimals, rounding half up. */
  toFixed(places: number): string {
    const r = this.round(places);
    const neg = r.units < 0n;
    const u = neg ? -r.units : r.units;
    const whole = (u / ONE).toString();
    const frac = (u % ONE).toString().padStart(SCALE, '0').slice(0, places);
    return `${neg ? '-' : ''}${whole}${places > 0 ? `.${frac}` : ''}`;
  }
  toJSON(): string { return this.toString(); }
}

function divRound(n: bigint, d: bigint, mode: RoundingMode): bigint {
  const negative = (n < 0n) !== (d < 0n);
  const an = n < 0n ? -n : n;
  const ad = d < 0n ? -d : d;
  let q = an / ad;
  const r = an % ad;
  if (r !== 0n) {
    const twice = r * 2n;
    if (mode === 'up') q += 1n;
    else if (mode === 'half_up' && twice >= ad) q += 1n;
    else if (mode === 'half_even' && (twice > ad || (twice === ad && q % 2n === 1n))) q += 1n;
  }
  return negative ? -q : q;
}

export const sum = (values: (Dec | string)[]): Dec => values.reduce<Dec>((acc, v) => acc.plus(v), Dec.zero);
