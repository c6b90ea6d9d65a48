/**
 * Golden output of the rating function (and the Dec and date helpers it uses), for checking that a
 * rewrite for speed changes nothing: `npx tsx bench/rating-golden.ts > /tmp/a.json`, change,
 * run again to /tmp/b.json, `cmp` them. Seeded, so the inputs are the same every run. Not a vitest file.
 */
import fs from 'node:fs';
import { addDays, addMonths, dayOfWeek, daysBetween, isDate, yearBefore } from '../src/platform/dates.ts';
import { Dec, sum, type RoundingMode } from '../src/platform/decimal.ts';
import { calculateBill, parseTariffVersion, type Charge, type RatingInput, type TariffVersion } from '../src/tariff/index.ts';

let seed = 12345;
const rnd = () => {
  seed = (seed + 0x6d2b79f5) | 0;
  let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
  t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
};
const int = (n: number) => Math.floor(rnd() * n);
const pick = <T>(xs: readonly T[]): T => xs[int(xs.length)]!;
const maybe = (p: number) => rnd() < p;

const v = (c: string): TariffVersion => parseTariffVersion(JSON.parse(fs.readFileSync(`src/tariff/examples/${c}.json`, 'utf8')));
const codes = ['COM-E', 'COM-W', 'FIB-100', 'FIB-1G', 'GS-E', 'IRR-E', 'RES-E', 'RES-W', 'TOU-E'];
const base = Object.fromEntries(codes.map((c) => [c, v(c)])) as Record<string, TariffVersion>;

/** A later version of a tariff: prices nudged, sometimes other rounding, seasons or minimum. */
function nudge(t: TariffVersion, effectiveFrom: string, version: number): TariffVersion {
  const bump = (p: string) => Dec.of(p).plus(pick(['0.01', '0.0003', '0', '-0.001', '1.5'])).toString();
  const charges = t.charges.map((c): Charge => {
    if (c.kind === 'fixed' && typeof c.price === 'string') return { ...c, price: bump(c.price) };
    if (c.kind === 'usage' && typeof c.price === 'string') return { ...c, price: bump(c.price) };
    if (c.kind === 'usage' && Array.isArray(c.blocks)) {
      return { ...c, blocks: c.blocks.map((b) => ({ upTo: b.upTo === null ? null : Dec.of(b.upTo).plus(pick(['0', '1', '0.5'])).toString(), price: bump(b.price) })), blockBasis: pick([undefined, 'per_day', 'per_bill'] as const) };
    }
    if (c.kind === 'demand' && typeof c.price === 'string') return { ...c, price: bump(c.price) };
    return c;
  });
  const out: TariffVersion = { ...t, effectiveFrom, version, charges };
  if (maybe(0.3)) out.rounding = pick(['half_up', 'half_even', 'down', 'up'] as const);
  if (maybe(0.2)) out.standardMonthDays = pick([30, 31, 28]);
  if (maybe(0.2)) out.minimumBill = { amount: pick(['18.00', '25', '5.5']), per: pick(['month', 'bill'] as const) };
  return out;
}

const dates = (() => {
  const out: string[] = [];
  for (let d = '2023-11-01'; d <= '2027-03-31'; d = addDays(d, 1)) out.push(d);
  return out;
})();

function period(): [string, string] {
  const from = pick(dates.slice(0, dates.length - 200));
  const len = pick([1, 2, 10, 20, 28, 29, 30, 31, 32, 45, 60, 90, 120, 366, 400]);
  return [from, addDays(from, len - 1)];
}

const qty = () => pick(['0', '1', '0.5', '12.345678', String(int(2000)), String(int(20000)), String(int(200000)), '999999.999999', '600', '601', '1000', '1000.000001', '5999', '6000', '6001']);

/** Plain tariffs that exercise rules the examples do not (per-bill fixed, percent riders, wrapping and 02-29 seasons). */
const extra: TariffVersion[] = [
  {
    code: 'X1', name: 'x', service: 'electric', effectiveFrom: '2023-01-01', rounding: 'half_even', standardMonthDays: 31,
    seasons: [{ name: 'leap', from: '02-29', to: '06-15' }, { name: 'rest', from: '06-16', to: '02-28' }],
    charges: [
      { code: 'SVC', kind: 'fixed', description: 'Service', per: 'bill', price: '4.25' },
      { code: 'BASIC', kind: 'fixed', description: 'Basic', per: 'month', price: { bySeason: { leap: '10.005' }, default: '9.995' } },
      { code: 'ENERGY', kind: 'usage', description: 'Energy', unit: 'kWh', blockBasis: 'per_day', blocks: { bySeason: { leap: [{ upTo: '500', price: '0.1' }, { upTo: '1500.5', price: '0.11' }, { upTo: null, price: '0.125' }] }, default: [{ upTo: null, price: '0.09' }] } },
      { code: 'CONS', kind: 'rider', description: 'Conservation', percent: '1.5', of: ['BASIC', 'ENERGY'] },
      { code: 'NONE', kind: 'rider', description: 'Nothing', percent: '2', of: ['NOPE'] },
      { code: 'PCA', kind: 'rider', description: 'PCA credit', perUnit: '-0.0011' },
    ],
    minimumBill: { amount: '30', per: 'bill' },
    taxes: [
      { code: 'A', description: 'A', percent: '5', on: ['ENERGY', 'SVC'] },
      { code: 'B', description: 'B', percent: '1.25', plusTaxes: ['A', 'MISSING'] },
      { code: 'C', description: 'C', percent: '0.5', plusTaxes: ['B', 'A'] },
    ],
  },
  {
    code: 'X2', name: 'x', service: 'water', effectiveFrom: '2023-01-01', rounding: 'down',
    seasons: [{ name: 'hot', from: '06-01', to: '08-31' }],
    charges: [
      { code: 'WATER', kind: 'usage', description: 'Water', unit: 'ccf', price: { bySeason: { hot: '2.85' }, default: '2.5' } },
      { code: 'SEWER', kind: 'usage', description: 'Sewer', unit: 'cf', blocks: [{ upTo: '100', price: '0.034' }, { upTo: null, price: '0.0295' }] },
      { code: 'GAL', kind: 'rider', description: 'Per gal', unit: 'gal', perUnit: '0.0001' },
    ],
    minimumBill: { amount: '12.34', per: 'month', description: 'Min' },
  },
  {
    code: 'X3', name: 'x', service: 'electric', effectiveFrom: '2023-01-01', rounding: 'up',
    charges: [
      { code: 'D', kind: 'demand', description: 'Demand', price: '12.3456', ratchet: { percent: '75.5', months: 3 } },
      { code: 'T', kind: 'tou', description: 'TOU', unit: 'kWh', schedule: 's', prices: { a_b_c: '0.1', x: { bySeason: {}, default: '0.2' } } },
      { code: 'W', kind: 'rider', description: 'Per kWh', unit: 'kWh', perUnit: '0.00125' },
    ],
    taxes: [{ code: 'CYC1', description: 'c', percent: '1', plusTaxes: ['CYC2'] }, { code: 'CYC2', description: 'c', percent: '1', plusTaxes: ['CYC1'] }],
  },
];

function versionsFor(code: string): TariffVersion[] {
  const t = base[code] ?? extra.find((x) => x.code === code)!;
  const r = rnd();
  if (r < 0.55) return [t];
  const changes = 1 + int(3);
  const out = [t];
  let prev = t;
  for (let i = 0; i < changes; i++) {
    const n = nudge(prev, pick(dates.filter((d) => d > prev.effectiveFrom && d < '2027-01-01').slice(0, 400)), (prev.version ?? 1) + 1);
    out.push(n);
    prev = n;
  }
  return out.sort(() => rnd() - 0.5);
}

function input(): RatingInput {
  const code = pick([...codes, ...codes, 'X1', 'X2', 'X3']);
  const [periodFrom, periodTo] = period();
  const versions = versionsFor(code);
  const i: RatingInput = { versions, periodFrom, periodTo, partial: maybe(0.25) };
  if (maybe(0.2)) i.firstBill = maybe(0.8);
  const t = versions[0]!;
  if (t.service === 'electric') {
    if (maybe(0.9)) i.usage = qty();
    if (maybe(0.5)) i.usageUnit = 'kWh';
  } else if (t.service === 'water') {
    if (maybe(0.95)) i.usage = qty();
    i.usageUnit = pick(['gal', 'gal', 'cf', 'ccf', 'gal'] as const);
    if (maybe(0.03)) delete i.usageUnit;
    if (code !== 'X2') i.meterSize = pick(['5/8"', '5/8', '3/4"', '3/4', '1"', '1 1/2"', '2', '3"', '4"', '6"']);
    if (maybe(0.03)) delete i.meterSize;
  } else if (maybe(0.05)) {
    i.usage = qty();
  }
  if (code === 'COM-E' || code === 'X3' || maybe(0.03)) {
    if (maybe(0.95)) i.demandKw = pick(['0', '5', '9.999', '10', '42.7', '150', String(int(500))]);
    if (maybe(0.6)) i.priorDemandsKw = Array.from({ length: int(14) }, () => pick(['0', '12', '55.5', String(int(300))]));
  }
  if (code === 'TOU-E' || code === 'X3' || maybe(0.03)) {
    if (maybe(0.95)) {
      i.tou = code === 'X3' ? { x: qty(), a_b_c: qty() } : maybe(0.5) ? { on_peak: qty(), off_peak: qty() } : { off_peak: qty(), on_peak: qty() };
      if (maybe(0.05)) i.tou = { on_peak: '1', shoulder: '5' };
      if (maybe(0.05)) i.tou = { on_peak: '1' };
    }
  }
  if (code === 'RES-E' && maybe(0.6)) {
    if (maybe(0.7)) i.receivedKwh = pick(['0', '100', '500', '1234.5', String(int(3000))]);
    if (maybe(0.7)) i.bankedKwh = pick(['0', '120', '450', '0.000001', String(int(2000))]);
  }
  if (maybe(0.15)) i.taxExemptions = pick([['PUT'], ['PRIV'], ['PUT', 'PRIV'], ['A'], ['B'], ['NOPE']]);
  // Bad inputs now and then.
  const bad = rnd();
  if (bad < 0.01) i.periodFrom = pick(['2024-02-30', '2024-2-01', 'x', '2023-02-29', '']);
  else if (bad < 0.02) [i.periodFrom, i.periodTo] = [periodTo, addDays(periodFrom, -1)];
  else if (bad < 0.03) i.usage = pick(['1,000', '-5', 'abc', '1e3', '.5', '5.', ' 7 ', '1.0000000000001', '1.0000000000000']);
  else if (bad < 0.035) i.versions = [base['RES-E']!, base['GS-E']!];
  else if (bad < 0.04) i.versions = [t, { ...t }];
  else if (bad < 0.045) { i.periodFrom = '2023-12-20'; i.periodTo = '2024-01-19'; }
  else if (bad < 0.05) i.demandKw = '-1';
  else if (bad < 0.055) i.receivedKwh = 'x';
  else if (bad < 0.06) i.priorDemandsKw = ['1', 'bad'];
  return i;
}

const describeError = (e: unknown) =>
  e instanceof Error ? { error: e.constructor.name, message: e.message, ...('details' in e ? { details: (e as { details: unknown }).details } : {}), ...('code' in e ? { code: (e as { code: unknown }).code } : {}) } : { thrown: String(e) };
const attempt = (f: () => unknown) => {
  try {
    return f();
  } catch (e) {
    return describeError(e);
  }
};

const out: unknown[] = [];
const N = Number(process.argv[2] ?? 4000);
for (let n = 0; n < N; n++) {
  const i = input();
  out.push(attempt(() => calculateBill(i)));
  // The same input twice (caches must give the same answer).
  if (n % 7 === 0) out.push(attempt(() => calculateBill(i)));
}
// Fixed cases around season and version edges, every day of a year as a start.
for (const code of ['RES-E', 'IRR-E', 'X1', 'X2']) {
  for (const from of dates.filter((_, k) => k % 3 === 0)) {
    const versions = versionsFor(code);
    out.push(attempt(() => calculateBill({ versions, periodFrom: from, periodTo: addDays(from, 29 + (from.charCodeAt(9) % 4)), partial: from.endsWith('7'), usage: String(from.charCodeAt(8) * 37), usageUnit: code === 'X2' ? 'cf' : 'kWh', bankedKwh: code === 'RES-E' ? '77' : undefined, receivedKwh: code === 'RES-E' ? '10' : undefined })));
  }
}

// Cache stress: the same version objects, the same periods, every combination of the inputs a kept
// context depends on (partial, firstBill, meterSize) interleaved; callers that change the lines they get.
{
  const combos: RatingInput[] = [];
  const periods: [string, string][] = [['2026-09-03', '2026-10-02'], ['2026-09-10', '2026-10-09'], ['2024-02-10', '2024-03-09'], ['2024-12-15', '2025-01-14'], ['2025-04-16', '2025-05-15'], ['2026-03-20', '2026-03-31']];
  const multi = [base['RES-E']!, nudge(base['RES-E']!, '2026-09-15', 2)];
  const water = [base['RES-W']!, nudge(base['RES-W']!, '2026-09-20', 2)];
  for (const [periodFrom, periodTo] of periods) {
    for (const partial of [false, true]) {
      for (const firstBill of [undefined, false, true]) {
        for (const meterSize of [undefined, '', '5/8"', '5/8', '1"', '3/4', '6"']) {
          for (const usage of [undefined, '0', '599.5', '1234', '20000']) {
            for (const versions of [[base['RES-E']!], multi, [...multi].reverse(), [base['FIB-100']!], [base['RES-W']!], water, [base['COM-W']!], [base['IRR-E']!], [base['TOU-E']!], [base['COM-E']!], [extra[0]!], [extra[1]!]]) {
              const t = versions[0]!;
              const i: RatingInput = { versions, periodFrom, periodTo, partial, firstBill, meterSize, usage };
              if (t.service === 'water') i.usageUnit = 'gal';
              if (t.code === 'TOU-E') i.tou = { on_peak: usage ?? '5', off_peak: '100' };
              if (t.code === 'COM-E') i.demandKw = '42';
              if (t.code === 'RES-E' && usage === '1234') { i.receivedKwh = '300'; i.bankedKwh = '50'; }
              combos.push(i);
            }
          }
        }
      }
    }
  }
  for (let k = combos.length - 1; k > 0; k--) {
    const j = int(k + 1);
    [combos[k], combos[j]] = [combos[j]!, combos[k]!];
  }
  for (let round = 0; round < 2; round++) {
    for (const i of combos) {
      const r = attempt(() => calculateBill(i));
      out.push(r);
      // A caller that changes its lines must not change the next bill's.
      if (r && typeof r === 'object' && 'lines' in r) for (const l of (r as { lines: { amountCents: number; derivation: string; from: string }[] }).lines) { l.amountCents = -1; l.derivation = 'changed'; l.from = 'x'; }
    }
  }
}

// Dec and date helpers directly.
const decs = ['0', '1', '-1', '0.5', '-0.5', '2.5', '-2.5', '1.005', '123456789.123456789012', '-0.000000000001', '0.000000000001', '1000000', '999.999', '7.48', '748', '3', '0.3333', '-12.34567', '9007199254740993', '+4', '.25', '5.'];
const modes: RoundingMode[] = ['half_up', 'half_even', 'down', 'up'];
const ops: unknown[] = [];
for (const a of decs) {
  const A = attempt(() => Dec.of(a)) as Dec;
  ops.push(String(attempt(() => A.toString())), attempt(() => A.toFixed(0)), attempt(() => A.toFixed(2)), attempt(() => A.toFixed(5)), attempt(() => JSON.stringify(A)));
  for (const p of [0, 1, 2, 6, 12]) for (const m of modes) ops.push(attempt(() => A.round(p, m).toString()));
  for (const b of decs) {
    const B = Dec.of(b);
    ops.push(attempt(() => A.plus(B).toString()), attempt(() => A.minus(b).toString()), attempt(() => A.times(B).toString()), A.cmp(B), A.lt(b), A.gt(B), A.eq(B));
    for (const p of [0, 2, 6, 12]) for (const m of modes) ops.push(attempt(() => A.div(B, p, m).toString()));
  }
  ops.push(A.abs().toString(), A.neg().toString(), A.isZero(), A.isNegative());
}
for (const bad of ['', ' ', 'x', '1,0', '1e3', '--1', '1.2.3', '0.1234567890123', '0.1234567890120', ' 12.5 ', '-.5', '+.5', '.']) ops.push(attempt(() => Dec.of(bad).toString()));
for (const n of [0, 1, -7, 1.5, Number.MAX_SAFE_INTEGER, 2 ** 60]) ops.push(attempt(() => Dec.of(n).toString()));
for (const odd of [null, undefined, {}, [], true]) ops.push(attempt(() => Dec.of(odd as unknown as string).toString()));
for (let k = 0; k < 3000; k++) {
  // Texts of every shape: leading zeros, long fractions, trailing zeros, dots, signs, spaces.
  const text = `${pick(['', '', '', '-', '+', ' '])}${'0'.repeat(int(3))}${int(10) < 8 ? String(int(10 ** (1 + int(15)))) : ''}${pick(['', '.', '.' + String(int(1e9)).padStart(int(16), '0'), '.' + '0'.repeat(int(15)), '.5' + '0'.repeat(int(14))])}${pick(['', '', '', ' ', 'x'])}`;
  ops.push(attempt(() => Dec.of(text).toString()), attempt(() => Dec.of(text).toFixed(3)));
}
for (let k = 0; k < 2000; k++) {
  const a = Dec.of(`${maybe(0.3) ? '-' : ''}${int(1e6)}.${String(int(1e12)).padStart(12, '0')}`);
  const n = pick([0, 1, -1, 7, 30, -365, 1e9, Number.MAX_SAFE_INTEGER, 0.5, NaN, 2 ** 60]);
  ops.push(attempt(() => a.times(n).toString()), attempt(() => a.times(String(n)).toString()), attempt(() => a.div(pick([3, 7, 30, 31, 100]), int(13), pick(modes)).toString()));
  ops.push(attempt(() => a.round(pick([0, 2, 6, 12, 13, -1, 1.5]), pick(modes)).toString()), attempt(() => a.toFixed(pick([0, 2, 6, 12, 13, -1]))), attempt(() => a.div(7, pick([13, -1, 2.5])).toString()));
}
ops.push(Dec.of(12n).toString(), Dec.of(-3n).toString(), sum(['1.5', Dec.of(2), '-0.25']).toString());
for (const e of [-13, -12, -6, -1, 0, 1, 5]) ops.push(attempt(() => Dec.pow10(e).toString()));
for (let k = 0; k < 3000; k++) {
  const a = Dec.of(`${maybe(0.3) ? '-' : ''}${int(1e6)}.${String(int(1e6)).padStart(6, '0')}`);
  const b = Dec.of(`${maybe(0.3) ? '-' : ''}${int(1e4)}.${String(int(1e4)).padStart(4, '0')}`);
  const p = int(13), m = pick(modes);
  ops.push(a.plus(b).toString(), a.times(b).toString(), attempt(() => a.div(b, p, m).toString()), a.round(p, m).toString(), a.toFixed(int(6)));
}
for (const d of ['2024-02-29', '2023-02-29', '2024-13-01', '2024-00-10', '2024-01-32', '2024-04-31', '1999-12-31', '0000-01-01', '9999-12-31', '2024-1-01', 'x', '', '2024-02-29T00', ' 2024-01-01', '2100-02-29', '2000-02-29', '1900-02-29', '0001-01-01', '0099-06-15']) {
  ops.push(isDate(d), attempt(() => addDays(d, 1)), attempt(() => daysBetween('2024-01-01', d)), attempt(() => yearBefore(d)), attempt(() => dayOfWeek(d)), attempt(() => addMonths(d, 1)));
}
for (let k = 0; k < 3000; k++) {
  const a = pick(dates), b = pick(dates), n = int(800) - 400;
  ops.push(isDate(a), addDays(a, n), daysBetween(a, b), yearBefore(a), dayOfWeek(a), addMonths(a, int(30) - 15));
}
out.push(ops);
process.stdout.write(JSON.stringify(out));
