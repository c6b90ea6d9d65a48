/**
 * Green Button (NAESB ESPI) files: an Atom feed whose entries hold UsagePoint, MeterReading,
 * ReadingType, IntervalBlock, LocalTimeParameters and usage-summary resources. This turns the
 * text into interval readings in exact kWh. A malformed file is rejected whole, naming the element
 * ("IntervalBlock 3, IntervalReading 17") and the reason. Pure: no I/O.
 *
 * ESPI units used here: `value` is an integer in the ReadingType's uom x 10^powerOfTenMultiplier;
 * `cost`, `billLastPeriod` are integers in 1/100,000 of the currency (so x10 gives micro-dollars);
 * timestamps are Unix seconds (UTC); LocalTimeParameters only describe the customer's local time.
 */
import { XMLParser, XMLValidator } from 'fast-xml-parser';

export interface GreenButtonReadingType {
  uom: number;
  powerOfTenMultiplier: number;
  intervalLengthSeconds: number | null;
  flowDirection: number | null;
  kind: number | null;
  commodity: number | null;
}

export interface GreenButtonInterval {
  startEpoch: number;
  durationSeconds: number;
  /** energy in the file's unit x 10^powerOfTenMultiplier, converted to kWh, as an exact decimal string */
  kwh: string;
  /** kWh in millionths, exact */
  microKwh: bigint;
  quality: number | null;
  /** The reading's cost (ESPI: 1/100,000 of the currency, US dollars only) in micro-dollars; null when absent. */
  costMicroDollars?: bigint | null;
}

export interface GreenButtonSeries {
  usagePointTitle: string | null;
  meterReadingTitle: string | null;
  readingType: GreenButtonReadingType;
  flowDirection: 'delivered' | 'received';
  /** Sorted by start; no two overlap. */
  intervals: GreenButtonInterval[];
}

export interface GreenButtonFile {
  series: GreenButtonSeries[];
  localTime: { tzOffsetSeconds: number; dstOffsetSeconds: number; dstStartRule: string | null; dstEndRule: string | null } | null;
  /** One per usage summary, in file order. overallConsumptionLastPeriod is in kWh (present only when given in Wh). */
  summaries: { overallConsumptionLastPeriod?: string; billLastPeriodMicro?: bigint }[];
}

export class GreenButtonError extends Error {
  constructor(
    readonly where: string,
    readonly reason: string,
  ) {
    super(`${where}: ${reason}`);
    this.name = 'GreenButtonError';
  }
}

const WH_UOM = 72;
const USD = 840;
/** ESPI FlowDirectionKind: 1 forward (utility to customer), 19 reverse (customer to grid). */
const FLOW_FORWARD = 1;
const FLOW_REVERSE = 19;
/** ESPI CommodityKind values that are electricity (0 = not given). */
const ELECTRIC_COMMODITIES = new Set([0, 1, 2]);

/** Tags that may repeat; the parser makes them arrays even when there is one. */
const REPEATED = new Set([
  'entry', 'link', 'IntervalBlock', 'IntervalReading', 'ReadingQuality', 'ReadingType', 'MeterReading',
  'UsagePoint', 'LocalTimeParameters', 'ElectricPowerUsageSummary', 'UsageSummary',
]);

const parser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: '@_',
  removeNSPrefix: true, // espi:IntervalBlock and IntervalBlock xmlns="..." are the same thing
  parseTagValue: false, // keep text: numbers are checked and converted exactly below
  ignoreDeclaration: true,
  ignorePiTags: true,
  isArray: (name) => REPEATED.has(name),
});

type XmlObject = { [key: string]: unknown };

interface Entry {
  self: string | null;
  up: string | null;
  related: string[];
  title: string | null;
}

interface ReadingTypeRef { ordinal: number; entry: Entry; node: XmlObject }
interface MeterReadingRef { entry: Entry }
interface UsagePointRef { entry: Entry; serviceKind: number | null }
interface BlockRef { ordinal: number; entry: Entry; node: XmlObject }

export function parseGreenButton(xml: string): GreenButtonFile {
  const text = xml.replace(/^\uFEFF/, '');
  if (!text.trimStart().startsWith('<')) throw new GreenButtonError('file', 'not XML');
  const valid = XMLValidator.validate(text);
  if (valid !== true) {
    // A truncated file fails here (an unclosed tag or a cut attribute).
    throw new GreenButtonError(`XML line ${valid.err.line}`, `not well-formed XML: ${valid.err.msg}`);
  }
  const root: unknown = parser.parse(text);
  const feed = asObject(field(root, 'feed'));
  if (!feed) throw new GreenButtonError('file', 'no Atom feed element');

  const usagePoints: UsagePointRef[] = [];
  const meterReadings: MeterReadingRef[] = [];
  const readingTypes: ReadingTypeRef[] = [];
  const blocks: BlockRef[] = [];
  const localTimes: XmlObject[] = [];
  const summaries: GreenButtonFile['summaries'] = [];

  // The feed itself counts as a link-less entry, for files that put resources directly in it.
  const containers: { entry: Entry; resources: XmlObject }[] = [{ entry: noLinks(), resources: feed }];
  for (const e of list(feed, 'entry')) {
    const entry = asObject(e);
    if (!entry) continue;
    containers.push({ entry: entryLinks(entry), resources: asObject(entry['content']) ?? entry });
  }
  for (const { entry, resources } of containers) {
    for (const n of list(resources, 'UsagePoint')) {
      usagePoints.push({ entry, serviceKind: optInt(field(field(n, 'ServiceCategory'), 'kind'), 'UsagePoint, ServiceCategory/kind') });
    }
    meterReadings.push(...list(resources, 'MeterReading').map(() => ({ entry })));
    for (const n of list(resources, 'ReadingType')) readingTypes.push({ ordinal: readingTypes.length + 1, entry, node: asObject(n) ?? {} });
    for (const n of list(resources, 'IntervalBlock')) blocks.push({ ordinal: blocks.length + 1, entry, node: asObject(n) ?? {} });
    for (const n of list(resources, 'LocalTimeParameters')) localTimes.push(asObject(n) ?? {});
    for (const n of [...list(resources, 'ElectricPowerUsageSummary'), ...list(resources, 'UsageSummary')]) {
      summaries.push(parseSummary(asObject(n) ?? {}, summaries.length + 1));
    }
  }
  if (blocks.length === 0) throw new GreenButtonError('feed', 'no IntervalBlock');

  // Group blocks into series: one per (MeterReading, ReadingType), in order of first appearance.
  const seriesByKey = new Map<string, { series: GreenButtonSeries; origins: Origin[] }>();
  for (const block of blocks) {
    const meterReading = findMeterReading(block, meterReadings);
    const readingType = findReadingType(block, meterReading, readingTypes);
    const usagePoint = meterReading ? findUsagePoint(meterReading, usagePoints) : usagePoints.length === 1 ? usagePoints[0] : undefined;
    if (usagePoint?.serviceKind != null && usagePoint.serviceKind !== 0) {
      throw new GreenButtonError(`IntervalBlock ${block.ordinal}`, `its UsagePoint's ServiceCategory kind ${usagePoint.serviceKind} is not electricity (0)`);
    }
    const key = `${meterReading ? meterReadings.indexOf(meterReading) : -1}/${readingType.ordinal}`;
    let group = seriesByKey.get(key);
    if (!group) {
      const rt = checkReadingType(readingType);
      group = {
        series: {
          usagePointTitle: usagePoint?.entry.title ?? null,
          meterReadingTitle: meterReading?.entry.title ?? null,
          readingType: rt,
          flowDirection: rt.flowDirection === FLOW_REVERSE ? 'received' : 'delivered',
          intervals: [],
        },
        origins: [],
      };
      seriesByKey.set(key, group);
    }
    const currency = optInt(field(readingType.node, 'currency'), `ReadingType ${readingType.ordinal}, currency`);
    for (const reading of parseBlock(block, group.series.readingType.powerOfTenMultiplier, currency)) {
      group.series.intervals.push(reading.interval);
      group.origins.push(reading.origin);
    }
  }

  const series = [...seriesByKey.values()].map(({ series: s, origins }) => ({ ...s, intervals: sortWithoutOverlap(s.intervals, origins) }));
  return { series, localTime: localTimes[0] ? parseLocalTime(localTimes[0]) : null, summaries };
}

// ---- links: an entry's self/up/related hrefs tie the resources together ----

function entryLinks(entry: XmlObject): Entry {
  const result = noLinks();
  for (const l of list(entry, 'link')) {
    const rel = attr(l, 'rel');
    const href = attr(l, 'href');
    if (href === null) continue;
    const h = normalizeHref(href);
    if (rel === 'self') result.self = h;
    else if (rel === 'up') result.up = h;
    else if (rel === 'related') result.related.push(h);
  }
  const title = textOf(entry['title'])?.trim();
  result.title = title ? title : null;
  return result;
}

function noLinks(): Entry {
  return { self: null, up: null, related: [], title: null };
}

const normalizeHref = (href: string): string => href.trim().replace(/\/+$/, '');

/** The MeterReading whose related link (or own path) names this block's collection. */
function findMeterReading(block: BlockRef, meterReadings: MeterReadingRef[]): MeterReadingRef | undefined {
  const { up, self } = block.entry;
  const linked = meterReadings.find(({ entry: mr }) =>
    (up !== null && (mr.related.includes(up) || (mr.self !== null && up === `${mr.self}/IntervalBlock`))) ||
    (self !== null && mr.self !== null && self.startsWith(`${mr.self}/IntervalBlock/`)));
  if (linked) return linked;
  // A feed without links: a lone MeterReading is the one the blocks belong to.
  return block.entry.up === null && block.entry.self === null && meterReadings.length === 1 ? meterReadings[0] : undefined;
}

function findReadingType(block: BlockRef, meterReading: MeterReadingRef | undefined, readingTypes: ReadingTypeRef[]): ReadingTypeRef {
  const linked = meterReading && readingTypes.find((rt) => rt.entry.self !== null && meterReading.entry.related.includes(rt.entry.self));
  if (linked) return linked;
  if (readingTypes.length === 1 && readingTypes[0]) return readingTypes[0];
  throw new GreenButtonError(
    `IntervalBlock ${block.ordinal}`,
    readingTypes.length === 0
      ? 'no ReadingType in the feed, so the unit is unknown'
      : `cannot tell which of the ${readingTypes.length} ReadingTypes applies (no link from its MeterReading)`,
  );
}

function findUsagePoint(meterReading: MeterReadingRef, usagePoints: UsagePointRef[]): UsagePointRef | undefined {
  const { up, self } = meterReading.entry;
  return usagePoints.find(({ entry: p }) =>
    (up !== null && (p.related.includes(up) || (p.self !== null && up === `${p.self}/MeterReading`))) ||
    (self !== null && p.self !== null && self.startsWith(`${p.self}/MeterReading/`)));
}

// ---- resources ----

function checkReadingType({ ordinal, node }: ReadingTypeRef): GreenButtonReadingType {
  const where = `ReadingType ${ordinal}`;
  const commodity = optInt(field(node, 'commodity'), `${where}, commodity`);
  if (commodity !== null && !ELECTRIC_COMMODITIES.has(commodity)) {
    throw new GreenButtonError(where, `commodity ${commodity} is not electricity; only electric interval data is supported`);
  }
  const uom = optInt(field(node, 'uom'), `${where}, uom`);
  if (uom === null) throw new GreenButtonError(where, 'no uom');
  if (uom !== WH_UOM) throw new GreenButtonError(where, `uom ${uom} is not supported; electric interval data must be in Wh (uom ${WH_UOM})`);
  const powerOfTenMultiplier = optInt(field(node, 'powerOfTenMultiplier'), `${where}, powerOfTenMultiplier`) ?? 0;
  if (Math.abs(powerOfTenMultiplier) > 18) throw new GreenButtonError(where, `powerOfTenMultiplier ${powerOfTenMultiplier} is out of range`);
  const flowDirection = optInt(field(node, 'flowDirection'), `${where}, flowDirection`);
  if (flowDirection !== null && flowDirection !== 0 && flowDirection !== FLOW_FORWARD && flowDirection !== FLOW_REVERSE) {
    // Net (4) or total (20) series mix directions; billing needs delivered and received apart.
    throw new GreenButtonError(where, `flowDirection ${flowDirection} is not supported (1 forward or 19 reverse)`);
  }
  return {
    uom,
    powerOfTenMultiplier,
    intervalLengthSeconds: optInt(field(node, 'intervalLength'), `${where}, intervalLength`),
    flowDirection,
    kind: optInt(field(node, 'kind'), `${where}, kind`),
    commodity,
  };
}

interface Origin { block: number; reading: number }

function parseBlock(block: BlockRef, powerOfTen: number, currency: number | null): { interval: GreenButtonInterval; origin: Origin }[] {
  const readings = list(block.node, 'IntervalReading');
  if (readings.length === 0) throw new GreenButtonError(`IntervalBlock ${block.ordinal}`, 'no IntervalReading');
  return readings.map((r, i) => {
    const origin = { block: block.ordinal, reading: i + 1 };
    const where = `IntervalBlock ${origin.block}, IntervalReading ${origin.reading}`;
    const timePeriod = field(r, 'timePeriod');
    if (timePeriod === undefined) throw new GreenButtonError(where, 'no timePeriod');
    const startEpoch = Number(reqInt(field(timePeriod, 'start'), where, 'timePeriod/start'));
    const duration = reqInt(field(timePeriod, 'duration'), where, 'timePeriod/duration');
    if (duration < 0n) throw new GreenButtonError(where, `negative duration ${duration}`);
    if (duration === 0n) throw new GreenButtonError(where, 'zero duration');
    if (!Number.isSafeInteger(startEpoch) || duration > 31_622_400n) throw new GreenButtonError(where, 'timePeriod out of range');
    const value = reqInt(field(r, 'value'), where, 'value');
    if (value < 0n) throw new GreenButtonError(where, `negative value ${value} (direction is the ReadingType's flowDirection)`);
    const microKwh = whToMicroKwh(value, powerOfTen, where);
    const cost = optInt(field(r, 'cost'), `${where}, cost`, true);
    if (cost !== null && currency !== null && currency !== USD) throw new GreenButtonError(where, `cost in currency ${currency}; only US dollars (840) are supported`);
    const quality = optInt(field(list(r, 'ReadingQuality')[0], 'quality'), `${where}, ReadingQuality/quality`);
    const interval: GreenButtonInterval = {
      startEpoch,
      durationSeconds: Number(duration),
      kwh: formatMicro(microKwh),
      microKwh,
      quality,
      costMicroDollars: cost === null ? null : cost * 10n,
    };
    return { interval, origin };
  });
}

/** value Wh x 10^p = value x 10^(p+3) millionths of a kWh; a finer result cannot be kept exactly. */
function whToMicroKwh(value: bigint, powerOfTen: number, where: string): bigint {
  const exp = powerOfTen + 3;
  if (exp >= 0) return value * 10n ** BigInt(exp);
  const divisor = 10n ** BigInt(-exp);
  if (value % divisor !== 0n) {
    throw new GreenButtonError(where, `value ${value} x 10^${powerOfTen} Wh is finer than a millionth of a kWh`);
  }
  return value / divisor;
}

function sortWithoutOverlap(intervals: GreenButtonInterval[], origins: Origin[]): GreenButtonInterval[] {
  const order = intervals.map((_, i) => i).sort((a, b) => intervals[a]!.startEpoch - intervals[b]!.startEpoch || a - b);
  for (let k = 1; k < order.length; k++) {
    const prev = intervals[order[k - 1]!]!;
    const cur = intervals[order[k]!]!;
    if (cur.startEpoch < prev.startEpoch + prev.durationSeconds) {
      const [first, second] = [origins[order[k - 1]!]!, origins[order[k]!]!];
      const same = cur.startEpoch === prev.startEpoch && cur.durationSeconds === prev.durationSeconds;
      throw new GreenButtonError(
        `IntervalBlock ${second.block}, IntervalReading ${second.reading}`,
        `${same ? 'duplicates' : 'overlaps'} IntervalBlock ${first.block}, IntervalReading ${first.reading} (start ${cur.startEpoch})`,
      );
    }
  }
  return order.map((i) => intervals[i]!);
}

function parseLocalTime(node: XmlObject): NonNullable<GreenButtonFile['localTime']> {
  const where = 'LocalTimeParameters';
  const rule = (name: string): string | null => textOf(node[name])?.trim() || null;
  return {
    tzOffsetSeconds: Number(reqInt(node['tzOffset'], where, 'tzOffset')),
    dstOffsetSeconds: Number(reqInt(node['dstOffset'] ?? '0', where, 'dstOffset')),
    dstStartRule: rule('dstStartRule'),
    dstEndRule: rule('dstEndRule'),
  };
}

function parseSummary(node: XmlObject, ordinal: number): GreenButtonFile['summaries'][number] {
  const where = `UsageSummary ${ordinal}`;
  const summary: GreenButtonFile['summaries'][number] = {};
  const consumption = field(node, 'overallConsumptionLastPeriod');
  if (consumption !== undefined) {
    const uom = optInt(field(consumption, 'uom'), `${where}, overallConsumptionLastPeriod/uom`);
    const p = optInt(field(consumption, 'powerOfTenMultiplier'), `${where}, overallConsumptionLastPeriod/powerOfTenMultiplier`) ?? 0;
    const value = reqInt(field(consumption, 'value'), where, 'overallConsumptionLastPeriod/value');
    // Only a Wh figure can be stated in kWh; any other unit is left out rather than guessed.
    if (uom === WH_UOM && Math.abs(p) <= 18) summary.overallConsumptionLastPeriod = formatMicro(whToMicroKwh(value, p, where));
  }
  const bill = optInt(field(node, 'billLastPeriod'), `${where}, billLastPeriod`, true);
  if (bill !== null) summary.billLastPeriodMicro = bill * 10n;
  return summary;
}

// ---- small XML helpers ----

function asObject(v: unknown): XmlObject | undefined {
  return typeof v === 'object' && v !== null && !Array.isArray(v) ? (v as XmlObject) : undefined;
}

function field(node: unknown, name: string): unknown {
  return asObject(node)?.[name];
}

function list(node: unknown, name: string): unknown[] {
  const v = field(node, name);
  return v === undefined ? [] : Array.isArray(v) ? v : [v];
}

function attr(node: unknown, name: string): string | null {
  const v = field(node, `@_${name}`);
  return typeof v === 'string' ? v : null;
}

/** Text of an element: a plain string, or the #text of one with attributes. */
function textOf(v: unknown): string | null {
  if (typeof v === 'string') return v;
  const t = field(v, '#text');
  return typeof t === 'string' || typeof t === 'number' ? String(t) : null;
}

function parseInteger(v: unknown, where: string): bigint | null {
  if (v === undefined) return null;
  const t = textOf(v)?.trim() ?? '';
  if (!/^[+-]?\d+$/.test(t)) throw new GreenButtonError(where, `"${t}" is not an integer`);
  return BigInt(t);
}

function reqInt(v: unknown, where: string, name: string): bigint {
  const n = parseInteger(v, `${where}, ${name}`);
  if (n === null) throw new GreenButtonError(where, `no ${name}`);
  return n;
}

function optInt(v: unknown, where: string): number | null;
function optInt(v: unknown, where: string, big: true): bigint | null;
function optInt(v: unknown, where: string, big?: true): number | bigint | null {
  const n = parseInteger(v, where);
  if (n === null || big) return n;
  if (n > BigInt(Number.MAX_SAFE_INTEGER) || n < BigInt(Number.MIN_SAFE_INTEGER)) throw new GreenButtonError(where, `${n} is out of range`);
  return Number(n);
}

/** Millionths as plain decimal text, trailing zeros trimmed ('4.086', '0', '-1.5'). */
function formatMicro(micro: bigint): string {
  const neg = micro < 0n;
  const abs = neg ? -micro : micro;
  const frac = (abs % 1_000_000n).toString().padStart(6, '0').replace(/0+$/, '');
  return `${neg ? '-' : ''}${abs / 1_000_000n}${frac ? `.${frac}` : ''}`;
}
