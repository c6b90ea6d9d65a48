/**
 * The rating calculation: one bill period of one agreement, priced by the versions of its tariff.
 * Pure: no I/O, no clock, no floating point. A quote, a billing run and "explain this bill" all call
 * `calculateBill`. The conventions (docs/tariffs.md) in short:
 *  - The period is split into segments at every version change and season boundary; use is shared
 *    among segments by days, demand is not split (its price is prorated by days).
 *  - One line per charge per segment; each line is rounded to the cent with the version's rounding
 *    mode; riders, the minimum bill and taxes work on rounded lines; the total is the sum of lines.
 *
 * Speed: a billing run rates millions of bills, most of them sharing their tariff versions and
 * period with many others. What does not depend on the use (segments, fixed-charge lines, block
 * bounds, the minimum, the tax order) is worked out once per such group and kept (`Context`);
 * every answer is the same as without it.
 */
import { addDays, daysBetween, isDate } from '../platform/dates.ts';
import { Dec, type RoundingMode } from '../platform/decimal.ts';
import { AppError } from '../platform/errors.ts';
import type {
  BillLine, Block, Charge, DemandCharge, FixedCharge, LineKind, OneTimeCharge, RatingInput, RatingResult, RiderCharge,
  Season, SeasonalBlocks, SeasonalPrice, TariffVersion, Tax, TouCharge, UsageCharge,
} from './types.ts';

/** Decimals kept for shared-out quantities, converted units and scaled block bounds. */
const QTY_PLACES = 6;
const DEFAULT_MONTH_DAYS = 30;

const invalid = (message: string, details: Record<string, unknown> = {}) => new AppError('validation', message, details);

// ---------------------------------------------------------------------------------------------
// Segments: runs of days with one tariff version and one season.

interface Segment {
  from: string;
  to: string;
  days: number;
  version: TariffVersion;
  /** `CODE v3` */
  label: string;
  season: string | null;
  first: boolean;
  last: boolean;
  /** Position among the bill's segments. */
  index: number;
  /**
   * Usage-independent results per charge (by its index in `version.charges`), filled the first
   * time a bill of the context needs them (see Context). A failure is never kept: the next bill
   * computes again and fails at the same point.
   */
  lines: (BillLine[] | undefined)[];
  prices: (FlatPrice | undefined)[];
  blocks: (BlockTable | undefined)[];
}

/** A flat usage price for a segment: the tariff's text, its value and its words ("$0.0812"). */
interface FlatPrice { price: string; value: Dec; words: string }

/**
 * A block charge's blocks for a segment with their bounds scaled to it. Per block, worked out on
 * first need (in the order the calculation needs them, so a bad tariff fails where it always did).
 */
interface BlockTable {
  blocks: Block[];
  share: Share;
  scaleWords: string;
  /** Scaled upper bound (null: no limit), and its words ("600 kWh"). */
  bounds: (Dec | null | undefined)[];
  boundWords: string[];
  prices: (Dec | undefined)[];
  descriptions: (string | undefined)[];
}

/** A MM-DD day lies in a season (inclusive; a season whose `to` is before its `from` wraps the new year). */
export function inSeason(monthDay: string, s: Season): boolean {
  return s.from <= s.to ? s.from <= monthDay && monthDay <= s.to : monthDay >= s.from || monthDay <= s.to;
}

const seasonOf = (date: string, v: TariffVersion): string | null =>
  v.seasons?.find((s) => inSeason(date.slice(5), s))?.name ?? null;

const versionLabel = (v: TariffVersion) => `${v.code} v${v.version ?? 1}`;

/** Oldest first; of two versions from the same day the higher number wins (it is last). */
function sortVersions(versions: TariffVersion[]): TariffVersion[] {
  const sorted = [...versions].sort((a, b) =>
    a.effectiveFrom < b.effectiveFrom ? -1 : a.effectiveFrom > b.effectiveFrom ? 1 : (a.version ?? 1) - (b.version ?? 1));
  const codes = new Set(sorted.map((v) => v.code));
  if (codes.size > 1) throw invalid(`versions of different tariffs were given: ${[...codes].join(', ')}`);
  sorted.forEach((v, i) => {
    const next = sorted[i + 1];
    if (next && next.effectiveFrom === v.effectiveFrom && (next.version ?? 1) === (v.version ?? 1)) {
      throw invalid(`two versions of tariff ${v.code} numbered ${v.version ?? 1} take effect on ${v.effectiveFrom}`);
    }
  });
  return sorted;
}

/** The version in force on a day: the latest effectiveFrom on or before it. */
function inForce(sorted: TariffVersion[], date: string): TariffVersion | undefined {
  let found: TariffVersion | undefined;
  for (const v of sorted) if (v.effectiveFrom <= date) found = v;
  return found;
}

/** Days on which a version or a season may change, inside (from, to]. */
function cutDays(sorted: TariffVersion[], from: string, to: string): string[] {
  const cuts = new Set(sorted.map((v) => v.effectiveFrom));
  const seasons = sorted.flatMap((v) => v.seasons ?? []);
  for (let year = Number(from.slice(0, 4)); year <= Number(to.slice(0, 4)); year++) {
    for (const s of seasons) {
      cuts.add(dateIn(year, s.from));
      cuts.add(addDays(dateIn(year, s.to), 1));
    }
  }
  return [...cuts].filter((d) => d > from && d <= to).sort();
}

/** YYYY-MM-DD for a MM-DD in a year; 02-29 of a common year stands for 03-01 (its next day). */
const dateIn = (year: number, monthDay: string) =>
  (monthDay !== '02-29' || isLeapYear(year) ? `${year}-${monthDay}` : `${year}-03-01`);
const isLeapYear = (year: number) => (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;

function buildSegments(versions: TariffVersion[], from: string, to: string): Segment[] {
  const sorted = sortVersions(versions);
  const starts = [from, ...cutDays(sorted, from, to)];
  const runs: Pick<Segment, 'from' | 'to' | 'days' | 'version' | 'label' | 'season'>[] = [];
  starts.forEach((start, i) => {
    const end = i + 1 < starts.length ? addDays(starts[i + 1]!, -1) : to;
    const version = inForce(sorted, start);
    if (!version) throw invalid(`no version of tariff ${sorted[0]?.code ?? '(none given)'} is in force on ${start}`, { date: start });
    const season = seasonOf(start, version);
    const prev = runs[runs.length - 1];
    if (prev && prev.version === version && prev.season === season) {
      prev.to = end;
      prev.days = daysBetween(prev.from, end) + 1;
    } else {
      runs.push({ from: start, to: end, days: daysBetween(start, end) + 1, version, label: versionLabel(version), season });
    }
  });
  return runs.map((r, i) => ({ ...r, first: i === 0, last: i === runs.length - 1, index: i, lines: [], prices: [], blocks: [] }));
}

// ---------------------------------------------------------------------------------------------
// The context of a bill: everything that does not depend on the use, kept for the next bill like it.

interface Context {
  segments: Segment[];
  periodDays: number;
  /** Position of each line code in the bill: charge codes in tariff order, first segment first. */
  codeIndex: Map<string, number>;
  /** Net metering (last version): the true-up day inside the period, and the netted charge codes. */
  trueUp?: string | null;
  netAppliesTo?: Set<string>;
  /** The minimum bill for the period, null when there is none. */
  minimum?: MinimumRule | null;
  /** The last version's taxes in dependency order. */
  taxOrder?: Tax[];
}

/**
 * Contexts by key: the identities of the TariffVersion objects (a version is immutable data once
 * loaded, and the billing run hands the same objects to every bill of a rate code) and every input
 * field a context depends on: periodFrom, periodTo, partial, firstBill and meterSize. Bounded:
 * emptied when full (a billing run needs a few hundred: rate codes x cycle periods x meter sizes).
 */
const contexts = new Map<string, Context>();
const MAX_CONTEXTS = 2_000;
/** A number per TariffVersion object for the keys; weak, so it keeps no version alive. */
const versionIds = new WeakMap<TariffVersion, number>();
let lastVersionId = 0;

/** The context key of an input, or null when the input is odd enough to rate without the cache. */
function contextKey(input: RatingInput): string | null {
  const { versions, periodFrom, periodTo, meterSize } = input;
  // The key's fields stay apart: ids end at the '|', dates are 10 characters (as every valid date).
  if (!Array.isArray(versions) || typeof periodFrom !== 'string' || periodFrom.length !== 10
    || typeof periodTo !== 'string' || periodTo.length !== 10 || (meterSize !== undefined && typeof meterSize !== 'string')) return null;
  let key = '';
  for (const v of versions) {
    if (typeof v !== 'object' || v === null) return null;
    let id = versionIds.get(v);
    if (id === undefined) {
      id = ++lastVersionId;
      versionIds.set(v, id);
    }
    key += `${id},`;
  }
  return `${key}|${periodFrom}${periodTo}${input.partial ? 'P' : 'R'}${input.firstBill ? 'F' : 'N'}${meterSize === undefined ? '' : `:${meterSize}`}`;
}

function contextFor(input: RatingInput): Context {
  const key = contextKey(input);
  const kept = key === null ? undefined : contexts.get(key);
  if (kept) return kept;
  const { periodFrom, periodTo } = input;
  if (!isDate(periodFrom) || !isDate(periodTo)) throw invalid(`period ${periodFrom}..${periodTo}: dates must be YYYY-MM-DD`);
  if (periodTo < periodFrom) throw invalid(`period ${periodFrom}..${periodTo}: ends before it starts`);
  const segments = buildSegments(input.versions, periodFrom, periodTo);
  const codeIndex = new Map<string, number>();
  for (const seg of segments) for (const c of seg.version.charges) if (!codeIndex.has(c.code)) codeIndex.set(c.code, codeIndex.size);
  const ctx: Context = { segments, periodDays: daysBetween(periodFrom, periodTo) + 1, codeIndex };
  if (key !== null) {
    if (contexts.size >= MAX_CONTEXTS) contexts.clear();
    contexts.set(key, ctx);
  }
  return ctx;
}

// ---------------------------------------------------------------------------------------------
// Exact arithmetic helpers.

/**
 * A tariff's decimal text (price, bound, percent) as a Dec. Tariffs repeat the same few strings on
 * every bill, so parsed values are kept (a cache: the result never depends on it).
 */
const parsedTariffDecimals = new Map<string, Dec>();
function tariffDecimal(text: string): Dec {
  let d = parsedTariffDecimals.get(text);
  if (!d) {
    d = Dec.of(text);
    if (parsedTariffDecimals.size < 10_000) parsedTariffDecimals.set(text, d);
  }
  return d;
}

/** a x b rounded to `places` by `mode`, exact however many decimals a and b carry. */
const product = (a: Dec, b: Dec, places: number, mode: RoundingMode): Dec => a.timesRounded(b, places, mode);

/** A share of days: `num` of `den` days. */
interface Share { num: number; den: number }

/** amount x share, rounded to cents. */
const centsOfShare = (amount: Dec, share: Share, mode: RoundingMode) => amount.times(share.num).div(share.den, 2, mode);

const maxOf = (a: Dec, b: Dec) => (a.lt(b) ? b : a);
const minOf = (a: Dec, b: Dec) => (a.lt(b) ? a : b);

const ONE = Dec.of(1);
/** Dec units in a cent. */
const CENT_UNITS = Dec.scaled(1n, 2).units;

const toCents = (rounded: Dec): number => Number(rounded.round(2).units / CENT_UNITS);

/** Integer cents as a Dec of dollars. */
const dollarsOf = (cents: number): Dec => (Number.isSafeInteger(cents) ? Dec.scaled(BigInt(cents), 2) : Dec.of(cents).div(100, 2));

/**
 * Shares a quantity among segments by days: every segment but the last gets its days' share cut to
 * 6 decimals, the last gets the rest, so the parts add up exactly to the whole.
 */
function splitByDays(total: Dec, segments: Segment[], periodDays: number): Dec[] {
  let given = Dec.zero;
  return segments.map((seg) => {
    if (seg.last) return total.minus(given);
    const part = total.times(seg.days).div(periodDays, QTY_PLACES, 'down');
    given = given.plus(part);
    return part;
  });
}

/** Gallons in one unit of each water unit (1 ccf = 748 gal; 1 cf = 7.48 gal). */
const GALLONS: Record<string, string> = { gal: '1', kgal: '1000', cf: '7.48', ccf: '748' };

/** Converts use between units (kWh stays kWh; water units via gallons), rounding to 6 decimals. */
function convert(quantity: Dec, from: string, to: string, what: string): Dec {
  if (from === to) return quantity;
  const fromGal = GALLONS[from];
  const toGal = GALLONS[to];
  if (!fromGal || !toGal) throw invalid(`${what}: cannot convert ${from} to ${to}`);
  return product(quantity, tariffDecimal(fromGal), 12, 'half_up').div(tariffDecimal(toGal), QTY_PLACES, 'half_up');
}

// ---------------------------------------------------------------------------------------------
// Words for derivations.

/** "1234567" -> "1,234,567" (digits only). */
function withCommas(whole: string): string {
  if (whole.length <= 3) return whole;
  const head = whole.length % 3 || 3;
  let out = whole.slice(0, head);
  for (let i = head; i < whole.length; i += 3) out += `,${whole.slice(i, i + 3)}`;
  return out;
}

/** 1234.5 -> "1,234.5" */
function formatQuantity(d: Dec): string {
  const text = d.toString();
  const neg = text.charCodeAt(0) === 45; // '-'
  const abs = neg ? text.slice(1) : text;
  const dot = abs.indexOf('.');
  const whole = dot < 0 ? abs : abs.slice(0, dot);
  return `${neg ? '-' : ''}${withCommas(whole)}${dot < 0 ? '' : abs.slice(dot)}`;
}

/** Dollars with cents (half up): "$1,234.50", "-$3.00". */
function formatMoney(d: Dec): string {
  const digits = (d.abs().round(2).units / CENT_UNITS).toString();
  const whole = digits.length > 2 ? digits.slice(0, digits.length - 2) : '0';
  const cents = digits.length > 2 ? digits.slice(digits.length - 2) : digits.padStart(2, '0');
  return `${d.isNegative() ? '-' : ''}$${withCommas(whole)}.${cents}`;
}

/** A unit price as the tariff writes it: "$0.0812". */
const formatPrice = (price: string) => (price.startsWith('-') ? `-$${price.slice(1)}` : `$${price}`);

const shareWords = (s: Share, partial: boolean) => ` x ${s.num}/${s.den} days${partial ? ' (partial period)' : ''}`;

// ---------------------------------------------------------------------------------------------
// The bill.

/** The use a usage-like charge bills, in one unit, shared among segments, with its words. */
interface Use {
  parts: Dec[];
  words: string;
  total: Dec;
  /** formatQuantity(total), made on first need. */
  totalWords?: string;
}

interface Bill {
  input: RatingInput;
  ctx: Context;
  code: string;
  periodDays: number;
  segments: Segment[];
  /** Gross use in the meter's unit, or null when the input has none. */
  usage: Dec | null;
  usageUnit: string;
  /** Net metering: the kWh billed to charges in `appliesTo`, and the words that explain it. */
  net: { billedKwh: Dec; appliesTo: Set<string>; words: string; bankedKwh: Dec; lapsedKwh: Dec | null } | null;
  demandKw: Dec | null;
  priorDemandsKw: Dec[];
  tou: [string, Dec][] | null;
  billingDemandKw?: Dec;
  /** useFor's answers by netted and unit: a usage charge and a rider per unit often bill the same use. */
  uses: Map<string, Use> | null;
}

/** Rates one bill period. Throws AppError('validation') for input the tariff cannot price. */
export function calculateBill(input: RatingInput): RatingResult {
  const ctx = contextFor(input);
  const bill = prepare(input, ctx);
  // Lines grouped by code, codes in tariff order.
  const byCode: BillLine[][] = [];
  for (let i = 0; i < ctx.codeIndex.size; i++) byCode.push([]);
  for (const seg of bill.segments) {
    for (const l of segmentLines(bill, seg)) byCode[ctx.codeIndex.get(l.code)!]!.push(l);
  }
  const lines = byCode.length === 1 ? byCode[0]! : byCode.flat();
  const minimum = minimumLine(bill, lines);
  if (minimum) lines.push(minimum);
  for (const tax of taxLines(bill, lines)) lines.push(tax);

  let totalCents = 0;
  for (const l of lines) totalCents += l.amountCents;
  const result: RatingResult = { lines, totalCents };
  if (bill.net) {
    result.bankedKwh = bill.net.bankedKwh.toString();
    if (bill.net.lapsedKwh) result.lapsedKwh = bill.net.lapsedKwh.toString();
  }
  if (bill.billingDemandKw) result.billingDemandKw = bill.billingDemandKw.toString();
  return result;
}

function decimalInput(name: string, value: string | undefined): Dec | null {
  if (value === undefined) return null;
  let d: Dec;
  try {
    d = Dec.of(value);
  } catch {
    throw invalid(`${name}: "${value}" is not a decimal number`, { field: name });
  }
  if (d.isNegative()) throw invalid(`${name}: must not be negative, got ${value}`, { field: name });
  return d;
}

function prepare(input: RatingInput, ctx: Context): Bill {
  const segments = ctx.segments;
  const last = segments[segments.length - 1]!.version;
  const tou = input.tou
    ? Object.entries(input.tou).map(([bucket, kwh]): [string, Dec] => [bucket, decimalInput(`tou.${bucket}`, kwh)!])
    : null;
  const touTotal = tou ? tou.reduce((t, [, kwh]) => t.plus(kwh), Dec.zero) : null;
  // A TOU-only input still has a use: the sum of its buckets (riders per kWh need it).
  const usage = decimalInput('usage', input.usage) ?? touTotal;
  const usageUnit = input.usageUnit ?? (last.service === 'electric' ? 'kWh' : undefined);
  if (usage && !usageUnit) throw invalid(`tariff ${last.code}: usageUnit is required for ${last.service} use`);
  const bill: Bill = {
    input, ctx, code: last.code, periodDays: ctx.periodDays, segments,
    usage, usageUnit: usageUnit ?? 'kWh', net: null,
    demandKw: decimalInput('demandKw', input.demandKw),
    priorDemandsKw: (input.priorDemandsKw ?? []).map((d, i) => decimalInput(`priorDemandsKw[${i}]`, d)!),
    tou, uses: null,
  };
  if (last.netMetering) bill.net = netMetering(bill, last);
  return bill;
}

/**
 * Net metering (RCW 80.60.030): net kWh = delivered - received - banked credit. Excess generation is
 * banked in kWh for the next bill. Our reading of the true-up: the credit carried INTO a bill whose
 * period contains the true-up day (April 30 by default) is the unused credit accumulated in the
 * annual period ending that day, and it passes to the utility on that day without compensation: it
 * is reported as lapsed and does not reduce this bill. The excess of this bill's own period is
 * carried forward (the law credits it to the next bill, and a bill cannot tell which of its days
 * produced it).
 */
function netMetering(bill: Bill, v: TariffVersion): NonNullable<Bill['net']> {
  const nm = v.netMetering!;
  if (!bill.usage) throw invalid(`tariff ${bill.code}: net metering needs the delivered kWh (usage)`);
  if (bill.usageUnit !== 'kWh') throw invalid(`tariff ${bill.code}: net metering needs use in kWh, got ${bill.usageUnit}`);
  const received = decimalInput('receivedKwh', bill.input.receivedKwh) ?? Dec.zero;
  const bankedIn = decimalInput('bankedKwh', bill.input.bankedKwh) ?? Dec.zero;
  const { ctx } = bill;
  if (ctx.trueUp === undefined) ctx.trueUp = trueUpIn(nm.trueUpDate, bill.input.periodFrom, bill.input.periodTo);
  const trueUp = ctx.trueUp;
  const usable = trueUp ? Dec.zero : bankedIn;
  const net = bill.usage.minus(received).minus(usable);
  const billedKwh = net.isNegative() ? Dec.zero : net;
  const bankedKwh = net.isNegative() ? net.neg() : Dec.zero;
  const q = formatQuantity;
  // A customer with no generation and no credit reads no net-metering words on the bill.
  let words = '';
  if (!received.isZero() || !bankedIn.isZero()) {
    const bankedUsed = minOf(usable, maxOf(Dec.zero, bill.usage.minus(received)));
    words = `net metering: delivered ${q(bill.usage)} kWh - received ${q(received)} kWh - banked credit used ${q(bankedUsed)} kWh`
      + ` = ${q(billedKwh)} kWh billed; credit carried to the next bill ${q(bankedKwh)} kWh`;
  }
  if (trueUp && !bankedIn.isZero()) words += `; banked credit of ${q(bankedIn)} kWh lapsed at the true-up on ${trueUp} (RCW 80.60.030)`;
  ctx.netAppliesTo ??= new Set(nm.appliesTo);
  return { billedKwh, appliesTo: ctx.netAppliesTo, words, bankedKwh, lapsedKwh: trueUp ? bankedIn : null };
}

/** The true-up day (MM-DD) of some year inside the period, or null. */
function trueUpIn(monthDay: string, from: string, to: string): string | null {
  for (let year = Number(from.slice(0, 4)); year <= Number(to.slice(0, 4)); year++) {
    const day = `${year}-${monthDay}`;
    if (from <= day && day <= to) return day;
  }
  return null;
}

// ---------------------------------------------------------------------------------------------
// Lines of one segment.

interface LineFields {
  description?: string;
  kind?: LineKind;
  quantity: Dec;
  unit: string;
  unitPrice: string;
  amount: Dec;
  derivation: string;
}

function makeLine(seg: Segment, charge: { code: string; description: string }, f: LineFields): BillLine {
  return {
    code: charge.code, description: f.description ?? charge.description, kind: f.kind ?? 'charge',
    quantity: f.quantity.toString(), unit: f.unit, unitPrice: f.unitPrice, amountCents: toCents(f.amount),
    tariffVersion: seg.label, from: seg.from, to: seg.to, derivation: f.derivation,
  };
}

/** Non-rider charges first (in tariff order), then riders, which may be a percent of them. */
function segmentLines(bill: Bill, seg: Segment): BillLine[] {
  const lines: BillLine[] = [];
  const charges = seg.version.charges;
  for (let i = 0; i < charges.length; i++) {
    const c = charges[i]!;
    if (c.kind !== 'rider') for (const l of chargeLines(bill, seg, c, i)) lines.push(l);
  }
  for (const c of charges) if (c.kind === 'rider') for (const l of riderLines(bill, seg, c, lines)) lines.push(l);
  return lines;
}

/** `i`: the charge's index in the segment's version (where its usage-independent results are kept). */
function chargeLines(bill: Bill, seg: Segment, c: Exclude<Charge, RiderCharge>, i: number): BillLine[] {
  switch (c.kind) {
    case 'fixed': return copies(seg.lines[i] ??= fixedLines(bill, seg, c));
    case 'usage': return usageLines(bill, seg, c, i);
    case 'tou': return touLines(bill, seg, c);
    case 'demand': return demandLines(bill, seg, c);
    case 'one_time': return copies(seg.lines[i] ??= oneTimeLines(bill, seg, c));
  }
}

/** Fresh line objects from kept ones (a caller may change the lines it gets). */
const copies = (lines: BillLine[]): BillLine[] => lines.map((l) => ({ ...l }));

const mode = (seg: Segment) => seg.version.rounding;
const monthDays = (v: TariffVersion) => v.standardMonthDays ?? DEFAULT_MONTH_DAYS;

/**
 * A segment's share of a monthly amount: on a regular bill the month is the period, shared by days
 * (segDays / periodDays); on a partial bill, segDays / standardMonthDays.
 */
const monthShare = (bill: Bill, seg: Segment): Share =>
  ({ num: seg.days, den: bill.input.partial ? monthDays(seg.version) : bill.periodDays });

/** A price by season: the segment's season, else `default`. */
function seasonal<T>(value: T | { bySeason: Record<string, T>; default?: T }, isPlain: (v: unknown) => boolean, seg: Segment, what: string): T {
  if (isPlain(value)) return value as T;
  const bySeason = value as { bySeason: Record<string, T>; default?: T };
  const found = (seg.season !== null ? bySeason.bySeason[seg.season] : undefined) ?? bySeason.default;
  if (found === undefined) throw invalid(`tariff ${seg.label}: ${what} has no price for season ${seg.season ?? '(none)'} (${seg.from}) and no default`);
  return found;
}
const isText = (v: unknown) => typeof v === 'string';
const seasonalPrice = (p: SeasonalPrice, seg: Segment, what: string) => seasonal<string>(p, isText, seg, what);
const seasonalBlocks = (b: SeasonalBlocks, seg: Segment, what: string) => seasonal<Block[]>(b, Array.isArray, seg, what);

/** Fixed charges: per day x days; per month by share of days; per bill once, on the last segment. */
function fixedLines(bill: Bill, seg: Segment, c: FixedCharge): BillLine[] {
  if (c.per === 'bill' && !seg.last) return [];
  const { price, words } = fixedPrice(bill, seg, c);
  const p = tariffDecimal(price);
  const m = mode(seg);
  if (c.per === 'day') {
    const amount = p.times(seg.days).round(2, m);
    return [makeLine(seg, c, { quantity: Dec.of(seg.days), unit: 'day', unitPrice: price, amount, derivation: `${words}${seg.days} days x ${formatPrice(price)} per day = ${formatMoney(amount)}` })];
  }
  if (c.per === 'bill') {
    const amount = p.round(2, m);
    return [makeLine(seg, c, { quantity: ONE, unit: 'bill', unitPrice: price, amount, derivation: `${words}${formatPrice(price)} per bill` })];
  }
  const share = monthShare(bill, seg);
  const amount = centsOfShare(p, share, m);
  const whole = share.num === share.den;
  const derivation = `${words}${formatPrice(price)} per month${whole ? '' : `${shareWords(share, bill.input.partial)} = ${formatMoney(amount)}`}`;
  return [makeLine(seg, c, { quantity: Dec.of(share.num).div(share.den, QTY_PLACES, 'half_up'), unit: 'month', unitPrice: price, amount, derivation })];
}

/** The price of a fixed charge: by meter size when the charge has a table, else by season. */
function fixedPrice(bill: Bill, seg: Segment, c: FixedCharge): { price: string; words: string } {
  if (!c.byMeterSize) return { price: seasonalPrice(c.price, seg, `charge ${c.code}`), words: '' };
  const size = bill.input.meterSize;
  if (size === undefined) throw invalid(`tariff ${seg.label}: charge ${c.code} is priced by meter size and no meter size was given`);
  // Sizes are written with the inch mark (5/8"); a size given without it still matches.
  const price = c.byMeterSize[size] ?? c.byMeterSize[`${size}"`] ?? c.byMeterSize[size.replace(/"$/, '')];
  if (price === undefined) throw invalid(`tariff ${seg.label} has no ${c.code} price for meter size ${size}`, { meterSize: size });
  return { price, words: `meter size ${size}: ` };
}

/** The use a usage-like charge (or per-unit rider) bills, in `unit`, shared among segments. */
function useFor(bill: Bill, code: string, unit: string, netted: boolean): Use {
  if (!bill.usage) throw invalid(`tariff ${bill.code}: charge ${code} needs the period's use (usage)`);
  const key = `${netted ? 'N' : 'G'}${unit}`;
  const known = bill.uses?.get(key);
  if (known) return known;
  const gross = netted && bill.net ? bill.net.billedKwh : bill.usage;
  const total = convert(gross, bill.usageUnit, unit, `tariff ${bill.code} charge ${code}`);
  let words = netted && bill.net?.words ? `${bill.net.words}; ` : '';
  if (unit !== bill.usageUnit) words += `${formatQuantity(gross)} ${bill.usageUnit} = ${formatQuantity(total)} ${unit}; `;
  const use: Use = { parts: splitByDays(total, bill.segments, bill.periodDays), words, total };
  (bill.uses ??= new Map()).set(key, use);
  return use;
}

/** Words for a segment's part of a shared quantity (nothing when the period is one segment). */
const partWords = (bill: Bill, seg: Segment, part: Dec, total: string, unit: string) =>
  `${formatQuantity(part)} ${unit} of ${total} ${unit} (${seg.days} of ${bill.periodDays} days); `;

/** partWords for a segment's part of a Use (the parts add up to its total exactly). */
function usePartWords(bill: Bill, seg: Segment, use: Use, unit: string): string {
  if (bill.segments.length === 1) return '';
  use.totalWords ??= formatQuantity(use.total);
  return partWords(bill, seg, use.parts[seg.index]!, use.totalWords, unit);
}

function usageLines(bill: Bill, seg: Segment, c: UsageCharge, i: number): BillLine[] {
  const netted = bill.net?.appliesTo.has(c.code) ?? false;
  const use = useFor(bill, c.code, c.unit, netted);
  const q = use.parts[seg.index]!;
  const prefix = use.words + usePartWords(bill, seg, use, c.unit);
  if (c.price !== undefined) {
    let flat = seg.prices[i];
    if (!flat) {
      const price = seasonalPrice(c.price, seg, `charge ${c.code}`);
      flat = { price, value: tariffDecimal(price), words: formatPrice(price) };
      seg.prices[i] = flat;
    }
    const amount = product(q, flat.value, 2, mode(seg));
    return [makeLine(seg, c, { quantity: q, unit: c.unit, unitPrice: flat.price, amount, derivation: `${prefix}${formatQuantity(q)} ${c.unit} x ${flat.words} = ${formatMoney(amount)}` })];
  }
  return blockLines(bill, seg, c, i, q, prefix);
}

/**
 * Block bounds scale with the segment: `per_bill` (default) gives a regular bill the whole bound
 * shared by days (bound x segDays / periodDays) and a partial bill bound x segDays / standardMonthDays;
 * `per_day` always scales by segDays / standardMonthDays.
 */
function boundShare(bill: Bill, seg: Segment, c: UsageCharge): Share {
  if ((c.blockBasis ?? 'per_bill') === 'per_bill' && !bill.input.partial) return { num: seg.days, den: bill.periodDays };
  return { num: seg.days, den: monthDays(seg.version) };
}

function blockTable(bill: Bill, seg: Segment, c: UsageCharge): BlockTable {
  const blocks = seasonalBlocks(c.blocks!, seg, `charge ${c.code}`);
  const share = boundShare(bill, seg, c);
  const scaleWords = share.num !== share.den ? `block bounds x ${share.num}/${share.den} days; ` : '';
  return { blocks, share, scaleWords, bounds: [], boundWords: [], prices: [], descriptions: [] };
}

/**
 * Blocks with inclusive cumulative upper bounds (upTo_inclusive): use u is in block i while
 * u <= upTo_i, so exactly 600 kWh on a 600 kWh first block is all first-block use. One line per
 * block used; no use at all still prints the first block at 0.
 */
function blockLines(bill: Bill, seg: Segment, c: UsageCharge, ci: number, q: Dec, prefix: string): BillLine[] {
  const table = seg.blocks[ci] ??= blockTable(bill, seg, c);
  const { blocks, share } = table;
  const unit = c.unit;
  const lines: BillLine[] = [];
  let qWords: string | undefined;
  let lower = Dec.zero;
  let lowerWords = `0 ${unit}`;
  for (let i = 0; i < blocks.length; i++) {
    const b = blocks[i]!;
    let upper = table.bounds[i];
    if (upper === undefined) {
      upper = b.upTo === null ? null : tariffDecimal(b.upTo).times(share.num).div(share.den, QTY_PLACES, 'half_up');
      table.bounds[i] = upper;
      table.boundWords[i] = upper === null ? '' : `${formatQuantity(upper)} ${unit}`;
    }
    const inBlock = maxOf(Dec.zero, (upper === null || q.lt(upper) ? q : upper).minus(lower));
    const used = inBlock.gt(Dec.zero) || (i === 0 && q.isZero());
    if (used) {
      const price = table.prices[i] ??= tariffDecimal(b.price);
      const amount = product(inBlock, price, 2, mode(seg));
      const inBlockWords = `${formatQuantity(inBlock)} ${unit}`;
      if (blocks.length > 1) qWords ??= `${formatQuantity(q)} ${unit}`;
      const words = blockWords(i, blocks.length, inBlockWords, qWords, lowerWords, upper === null ? null : table.boundWords[i]!)
        + ` at ${formatPrice(b.price)} = ${formatMoney(amount)}`;
      const description = table.descriptions[i] ??= `${c.description}, ${blockName(blocks, i, unit)}`;
      lines.push(makeLine(seg, c, { description, quantity: inBlock, unit, unitPrice: b.price, amount, derivation: prefix + table.scaleWords + words }));
    }
    if (upper !== null) {
      lower = upper;
      lowerWords = table.boundWords[i]!;
    }
  }
  return lines;
}

/** "first 600 kWh", "next 400 kWh", "over 1,000 kWh": the tariff's own bounds. */
function blockName(blocks: Block[], i: number, unit: string): string {
  const prev = i > 0 ? tariffDecimal(blocks[i - 1]!.upTo!) : Dec.zero;
  const upTo = blocks[i]!.upTo;
  if (upTo === null) return `over ${formatQuantity(prev)} ${unit}`;
  return `${i === 0 ? 'first' : 'next'} ${formatQuantity(tariffDecimal(upTo).minus(prev))} ${unit}`;
}

/** Each quantity comes as its words with the unit ("600 kWh"); `q` is given when there are several blocks. */
function blockWords(i: number, count: number, inBlock: string, q: string | undefined, lower: string, upper: string | null): string {
  if (count === 1) return inBlock;
  if (i === 0 && upper !== null) return `${inBlock} of ${q} in the first block (up to ${upper})`;
  if (upper === null) return `${q} - ${lower} in earlier blocks = ${inBlock}${count > 1 ? ' in the last block' : ''}`;
  return `${inBlock} in block ${i + 1} (over ${lower} up to ${upper})`;
}

/** Time of use: each bucket's kWh, shared among segments by days, at the bucket's price. */
function touLines(bill: Bill, seg: Segment, c: TouCharge): BillLine[] {
  if (!bill.tou) throw invalid(`tariff ${seg.label}: charge ${c.code} needs kWh by time-of-use bucket (tou)`);
  const unknown = bill.tou.find(([bucket]) => !(bucket in c.prices));
  if (unknown) throw invalid(`tariff ${seg.label}: charge ${c.code} has no price for TOU bucket ${unknown[0]} (schedule ${c.schedule})`, { bucket: unknown[0] });
  const given = new Map(bill.tou);
  return Object.keys(c.prices).filter((bucket) => given.has(bucket)).map((bucket) => {
    const total = given.get(bucket)!;
    const q = splitByDays(total, bill.segments, bill.periodDays)[seg.index]!;
    const price = seasonalPrice(c.prices[bucket]!, seg, `charge ${c.code} bucket ${bucket}`);
    const amount = product(q, tariffDecimal(price), 2, mode(seg));
    const split = bill.segments.length === 1 ? '' : partWords(bill, seg, q, formatQuantity(total), 'kWh');
    const words = `${split}${formatQuantity(q)} kWh ${bucket} x ${formatPrice(price)} = ${formatMoney(amount)}`;
    return makeLine(seg, c, { description: `${c.description}, ${bucket.replace(/_/g, '-')}`, quantity: q, unit: 'kWh', unitPrice: price, amount, derivation: words });
  });
}

/**
 * Demand: billing kW = the highest of the actual demand, the ratchet (percent of the highest demand
 * of the last `months` bills) and the minimum. It is not shared among segments: each segment
 * charges billing kW x price x its month share.
 */
function demandLines(bill: Bill, seg: Segment, c: DemandCharge): BillLine[] {
  if (!bill.demandKw) throw invalid(`tariff ${seg.label}: charge ${c.code} needs the period's demand (demandKw)`);
  const { kw, words } = billingDemand(bill.demandKw, bill.priorDemandsKw, c);
  bill.billingDemandKw = kw;
  const price = seasonalPrice(c.price, seg, `charge ${c.code}`);
  const share = monthShare(bill, seg);
  const amount = centsOfShare(product(kw, tariffDecimal(price), 12, 'half_up'), share, mode(seg));
  const whole = share.num === share.den;
  const derivation = `${words}; ${formatQuantity(kw)} kW x ${formatPrice(price)} per kW${whole ? '' : shareWords(share, bill.input.partial)} = ${formatMoney(amount)}`;
  return [makeLine(seg, c, { quantity: kw, unit: 'kW', unitPrice: price, amount, derivation })];
}

function billingDemand(actual: Dec, priors: Dec[], c: DemandCharge): { kw: Dec; words: string } {
  const candidates: [string, Dec][] = [['actual demand', actual]];
  const parts = [`actual ${formatQuantity(actual)} kW`];
  const window = c.ratchet ? priors.slice(0, c.ratchet.months) : [];
  if (c.ratchet && window.length > 0) {
    const highest = window.reduce(maxOf);
    const ratchet = product(highest, tariffDecimal(c.ratchet.percent), 12, 'half_up').div(100, QTY_PLACES, 'half_up');
    candidates.push(['ratchet', ratchet]);
    parts.push(`ratchet ${c.ratchet.percent}% of ${formatQuantity(highest)} kW (highest of the last ${window.length} bills) = ${formatQuantity(ratchet)} kW`);
  }
  if (c.minimumKw !== undefined) {
    candidates.push(['minimum', tariffDecimal(c.minimumKw)]);
    parts.push(`minimum ${formatQuantity(tariffDecimal(c.minimumKw))} kW`);
  }
  // The first of equals wins: actual before ratchet before minimum.
  const [winner, kw] = candidates.reduce((best, cand) => (cand[1].gt(best[1]) ? cand : best));
  return { kw, words: `billing demand ${formatQuantity(kw)} kW (${parts.join('; ')}): ${winner} applies` };
}

/** One-time charges: on the first bill only, once (on the first segment). */
function oneTimeLines(bill: Bill, seg: Segment, c: OneTimeCharge): BillLine[] {
  if (!bill.input.firstBill || !seg.first) return [];
  const amount = tariffDecimal(c.price).round(2, mode(seg));
  return [makeLine(seg, c, { quantity: ONE, unit: 'each', unitPrice: c.price, amount, derivation: `${formatPrice(c.price)} once, on the first bill` })];
}

/**
 * Riders: perUnit x the segment's use in the rider's unit (the billed, net use on a net-metered
 * bill); or percent of the rounded amounts of this segment's lines named by `of`.
 */
function riderLines(bill: Bill, seg: Segment, c: RiderCharge, segLines: BillLine[]): BillLine[] {
  const m = mode(seg);
  if (c.perUnit !== undefined) {
    const unit = c.unit ?? bill.usageUnit;
    const use = useFor(bill, c.code, unit, true);
    const q = use.parts[seg.index]!;
    const amount = product(q, tariffDecimal(c.perUnit), 2, m);
    const derivation = `${use.words}${usePartWords(bill, seg, use, unit)}${formatQuantity(q)} ${unit} x ${formatPrice(c.perUnit)} = ${formatMoney(amount)}`;
    return [makeLine(seg, c, { kind: 'rider', quantity: q, unit, unitPrice: c.perUnit, amount, derivation })];
  }
  const named = segLines.filter((l) => c.of!.includes(l.code));
  const baseCents = named.reduce((t, l) => t + l.amountCents, 0);
  const base = dollarsOf(baseCents);
  const amount = product(base, tariffDecimal(c.percent!), 12, 'half_up').div(100, 2, m);
  const codes = uniqueCodes(named);
  const derivation = `${c.percent}% of ${formatMoney(base)} (${codes || c.of!.join(', ')}) = ${formatMoney(amount)}`;
  return [makeLine(seg, c, { kind: 'rider', quantity: base, unit: '%', unitPrice: c.percent!, amount, derivation })];
}

/** The lines' codes, each once, in order of first appearance: "BASIC, ENERGY". */
function uniqueCodes(lines: BillLine[]): string {
  const codes: string[] = [];
  for (const l of lines) if (!codes.includes(l.code)) codes.push(l.code);
  return codes.join(', ');
}

// ---------------------------------------------------------------------------------------------
// Minimum bill and taxes: on the whole period.

function periodLine(bill: Bill, code: string, f: LineFields & { description: string; kind: LineKind }): BillLine {
  const last = bill.segments[bill.segments.length - 1]!;
  return { ...makeLine(last, { code, description: f.description }, f), from: bill.input.periodFrom, to: bill.input.periodTo };
}

/** The minimum bill of a period (see minimumLine), kept in the context. */
interface MinimumRule {
  rule: TariffVersion['minimumBill'];
  minimum: Dec;
  /** " ($12.00 for this period)" when prorated; made on first need. */
  prorated?: string;
}

function minimumRule(bill: Bill): MinimumRule | null {
  const last = bill.segments[bill.segments.length - 1]!;
  const rule = last.version.minimumBill;
  if (!rule && !bill.segments.some((s) => s.version.minimumBill)) return null;
  let minimum: Dec;
  if (rule?.per === 'bill') {
    minimum = tariffDecimal(rule.amount).round(2, last.version.rounding);
  } else {
    const exact = bill.segments.reduce((t, seg) => {
      const r = seg.version.minimumBill;
      if (!r || r.per !== 'month') return t;
      const share = monthShare(bill, seg);
      return t.plus(tariffDecimal(r.amount).times(share.num).div(share.den, QTY_PLACES + 6, 'half_up'));
    }, Dec.zero);
    minimum = exact.round(2, last.version.rounding);
  }
  return { rule, minimum };
}

/**
 * Minimum bill: when charges and riders add up to less than the minimum, a MINIMUM line makes up the
 * difference. A monthly minimum is prorated like a monthly fixed charge (each segment by its own
 * version); a per-bill minimum is the last version's, whole.
 */
function minimumLine(bill: Bill, lines: BillLine[]): BillLine | null {
  if (bill.ctx.minimum === undefined) bill.ctx.minimum = minimumRule(bill);
  const kept = bill.ctx.minimum;
  if (!kept) return null;
  const { rule, minimum } = kept;
  let chargesCents = 0;
  for (const l of lines) if (l.kind === 'charge' || l.kind === 'rider') chargesCents += l.amountCents;
  const charges = dollarsOf(chargesCents);
  if (!charges.lt(minimum)) return null;
  const amount = minimum.minus(charges);
  const per = rule?.per ?? 'month';
  const stated = rule ? `${formatPrice(rule.amount)} per ${per}` : 'per month';
  kept.prorated ??= minimum.eq(Dec.of(rule?.amount ?? '0')) ? '' : ` (${formatMoney(minimum)} for this period)`;
  return periodLine(bill, 'MINIMUM', {
    description: rule?.description ?? 'Minimum bill', kind: 'minimum', quantity: ONE, unit: per,
    unitPrice: rule?.amount ?? minimum.toString(), amount,
    derivation: `minimum bill ${stated}${kept.prorated}; charges and riders ${formatMoney(charges)}; difference ${formatMoney(amount)}`,
  });
}

/**
 * Taxes, from the last segment's version: base = the rounded lines named by `on` (every charge,
 * rider and minimum line when `on` is omitted) plus the rounded amounts of the taxes in `plusTaxes`,
 * computed in dependency order. One line per tax for the whole period; exempt taxes and taxes on a
 * zero base give no line.
 */
function taxLines(bill: Bill, lines: BillLine[]): BillLine[] {
  const last = bill.segments[bill.segments.length - 1]!.version;
  const taxes = last.taxes ?? [];
  const exempt = bill.input.taxExemptions === undefined ? null : new Set(bill.input.taxExemptions ?? []);
  const amounts = new Map<string, { cents: number; line: BillLine | null }>();
  for (const tax of bill.ctx.taxOrder ??= taxOrder(taxes, bill.code)) {
    if (exempt?.has(tax.code)) {
      amounts.set(tax.code, { cents: 0, line: null });
      continue;
    }
    const line = taxLine(bill, tax, lines, amounts, last.rounding);
    amounts.set(tax.code, { cents: line?.amountCents ?? 0, line });
  }
  return taxes.map((t) => amounts.get(t.code)?.line).filter((l): l is BillLine => !!l);
}

function taxLine(bill: Bill, tax: Tax, lines: BillLine[], computed: Map<string, { cents: number }>, m: RoundingMode): BillLine | null {
  const taxed = lines.filter((l) => l.kind !== 'tax' && (tax.on ? tax.on.includes(l.code) : true));
  const linesCents = taxed.reduce((t, l) => t + l.amountCents, 0);
  const added = (tax.plusTaxes ?? []).map((code) => [code, computed.get(code)?.cents ?? 0] as const);
  const baseCents = linesCents + added.reduce((t, [, c]) => t + c, 0);
  if (baseCents === 0) return null;
  const base = dollarsOf(baseCents);
  const amount = product(base, tariffDecimal(tax.percent), 12, 'half_up').div(100, 2, m);
  const codes = uniqueCodes(taxed);
  const parts = added.length === 0
    ? `(${codes})`
    : `(${codes} ${formatMoney(dollarsOf(linesCents))}${added.map(([c, cents]) => ` + ${c} ${formatMoney(dollarsOf(cents))}`).join('')})`;
  return periodLine(bill, tax.code, {
    description: tax.description, kind: 'tax', quantity: base, unit: '%', unitPrice: tax.percent, amount,
    derivation: `${tax.percent}% of ${formatMoney(base)} ${parts} = ${formatMoney(amount)}`,
  });
}

/** Taxes ordered so that each comes after the taxes in its plusTaxes. */
function taxOrder(taxes: Tax[], code: string): Tax[] {
  const done = new Set<string>();
  const ordered: Tax[] = [];
  while (ordered.length < taxes.length) {
    const ready = taxes.filter((t) => !done.has(t.code) && (t.plusTaxes ?? []).every((d) => done.has(d) || !taxes.some((x) => x.code === d)));
    if (ready.length === 0) throw invalid(`tariff ${code}: its taxes are added to each other in a cycle`);
    for (const t of ready) {
      done.add(t.code);
      ordered.push(t);
    }
  }
  return ordered;
}
