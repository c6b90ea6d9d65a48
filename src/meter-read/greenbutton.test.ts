import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { GreenButtonError, parseGreenButton, type GreenButtonInterval } from './greenbutton.ts';

const sample = (name: string): string => readFileSync(new URL(`../../../shared/data/greenbutton/${name}`, import.meta.url), 'utf8');
const containerized = sample('electric_containerized.xml');
const nineDays = sample('TestGBDataHourlyNineDaysBinnedDaily.xml');

const sumMicro = (intervals: GreenButtonInterval[]): bigint => intervals.reduce((acc, i) => acc + i.microKwh, 0n);

/** Parses and returns the GreenButtonError it must throw. */
function rejection(xml: string): GreenButtonError {
  try {
    parseGreenButton(xml);
  } catch (error) {
    if (error instanceof GreenButtonError) return error;
    throw error;
  }
  throw new Error('expected the file to be rejected');
}

/** Replaces exactly one occurrence of `from` (the n-th, 1-based), failing loudly if it is not there. */
function replaceNth(text: string, from: string, to: string, n = 1): string {
  let at = -1;
  for (let k = 0; k < n; k++) {
    at = text.indexOf(from, at + 1);
    if (at < 0) throw new Error(`"${from}" occurs fewer than ${n} times`);
  }
  return text.slice(0, at) + to + text.slice(at + from.length);
}

/** A link-less feed: resources simply present in entries, with the espi: prefix. */
function plainFeed(readings: string, readingType = '<espi:uom>72</espi:uom><espi:flowDirection>1</espi:flowDirection>'): string {
  return `<?xml version="1.0"?>
<feed xmlns="http://www.w3.org/2005/Atom" xmlns:espi="http://naesb.org/espi">
  <entry><content><espi:ReadingType>${readingType}</espi:ReadingType></content></entry>
  <entry><content><espi:IntervalBlock>${readings}</espi:IntervalBlock></content></entry>
</feed>`;
}
const reading = (start: number, duration: number, value: string): string =>
  `<espi:IntervalReading><espi:timePeriod><espi:duration>${duration}</espi:duration><espi:start>${start}</espi:start></espi:timePeriod><espi:value>${value}</espi:value></espi:IntervalReading>`;

describe('electric_containerized.xml', () => {
  const file = parseGreenButton(containerized);

  it('holds one series of 8 hourly Wh readings summing to 4.086 kWh', () => {
    expect(file.series).toHaveLength(1);
    const [series] = file.series;
    expect(series?.readingType).toEqual({ uom: 72, powerOfTenMultiplier: 0, intervalLengthSeconds: 3600, flowDirection: 1, kind: 12, commodity: 1 });
    expect(series?.flowDirection).toBe('delivered');
    expect(series?.usagePointTitle).toBe('Coastal Multi-Family 12hr');
    expect(series?.meterReadingTitle).toBe('Hourly Electricity Consumption');
    expect(series?.intervals).toHaveLength(8);
    expect(series?.intervals.every((i) => i.durationSeconds === 3600)).toBe(true);
    expect(sumMicro(series?.intervals ?? [])).toBe(4_086_000n);
    expect(series?.intervals[0]).toEqual({ startEpoch: 1293868800, durationSeconds: 3600, kwh: '0.45', microKwh: 450_000n, quality: null, costMicroDollars: null });
  });

  it('reads LocalTimeParameters (UTC-8, US DST rules) and the summary', () => {
    expect(file.localTime).toEqual({ tzOffsetSeconds: -28800, dstOffsetSeconds: 3600, dstStartRule: '360E2000', dstEndRule: 'B40E2000' });
    // The summary covers a different (later) billing period than the 8 abridged readings.
    expect(file.summaries).toEqual([{ overallConsumptionLastPeriod: '768.032' }]);
  });

  it('honours powerOfTenMultiplier 3 (values become kWh as written)', () => {
    const scaled = parseGreenButton(replaceNth(containerized, '<powerOfTenMultiplier>0</powerOfTenMultiplier>', '<powerOfTenMultiplier>3</powerOfTenMultiplier>'));
    const intervals = scaled.series[0]?.intervals ?? [];
    expect(intervals.map((i) => i.kwh)).toEqual(['450', '430', '418', '410', '595', '591', '611', '581']);
    expect(sumMicro(intervals)).toBe(4_086_000_000n);
  });

  it('honours a negative powerOfTenMultiplier down to a millionth of a kWh, and rejects finer', () => {
    // 10^-3 Wh = 1 millionth of a kWh: every value fits.
    const milli = parseGreenButton(replaceNth(containerized, '<powerOfTenMultiplier>0</powerOfTenMultiplier>', '<powerOfTenMultiplier>-3</powerOfTenMultiplier>'));
    expect(milli.series[0]?.intervals[0]).toMatchObject({ kwh: '0.00045', microKwh: 450n });
    // 10^-4 Wh: 450 fits (45 millionths), 418 (reading 3) would be 41.8 millionths.
    const tooFine = rejection(replaceNth(containerized, '<powerOfTenMultiplier>0</powerOfTenMultiplier>', '<powerOfTenMultiplier>-4</powerOfTenMultiplier>'));
    expect(tooFine.where).toBe('IntervalBlock 1, IntervalReading 3');
    expect(tooFine.reason).toMatch(/finer than a millionth/);
  });

  it('rejects a unit other than Wh, naming the ReadingType and the uom', () => {
    const error = rejection(replaceNth(containerized, '<uom>72</uom>', '<uom>38</uom>'));
    expect(error.where).toBe('ReadingType 1');
    expect(error.message).toMatch(/^ReadingType 1: uom 38 is not supported/);
  });

  it('rejects a reading without its value, naming which reading', () => {
    const error = rejection(replaceNth(containerized, '<value>418</value>', ''));
    expect(error.message).toBe('IntervalBlock 1, IntervalReading 3: no value');
  });

  it('rejects a truncated file', () => {
    const error = rejection(containerized.slice(0, Math.floor(containerized.length / 2)));
    expect(error.reason).toMatch(/not well-formed XML/);
    // Cut on an element boundary too: only the unclosed feed gives it away.
    const cut = containerized.slice(0, containerized.lastIndexOf('</entry>') + '</entry>'.length);
    expect(rejection(cut).reason).toMatch(/not well-formed XML/);
  });

  it('rejects a duplicated or overlapping reading', () => {
    const fourth = '<start>1293879600</start>';
    const dup = rejection(replaceNth(containerized, fourth, '<start>1293876000</start>'));
    expect(dup.message).toBe('IntervalBlock 1, IntervalReading 4: duplicates IntervalBlock 1, IntervalReading 3 (start 1293876000)');
    const overlap = rejection(replaceNth(containerized, fourth, '<start>1293877800</start>'));
    expect(overlap.message).toMatch(/^IntervalBlock 1, IntervalReading 4: overlaps IntervalBlock 1, IntervalReading 3/);
    // Across blocks: the second block's first reading moved into the first block's hours.
    const across = rejection(replaceNth(containerized, '<start>1293912000</start>', '<start>1293868800</start>', 2));
    expect(across.message).toMatch(/^IntervalBlock 2, IntervalReading 1: duplicates IntervalBlock 1, IntervalReading 1/);
  });

  it('links each IntervalBlock to its own ReadingType through its MeterReading', () => {
    // A second MeterReading (02) for reverse flow with its own ReadingType (08) and one block:
    // copies of the file's entries 3-5 with the hrefs changed.
    const entries = containerized.split('<entry>');
    const copy = entries.slice(3, 6).map((e) => `<entry>${e.replace(/<\/feed>\s*$/, '')}`).join('')
      .replaceAll('MeterReading/01', 'MeterReading/02').replaceAll('ReadingType/07', 'ReadingType/08')
      .replace('<flowDirection>1</flowDirection>', '<flowDirection>19</flowDirection>');
    const file = parseGreenButton(containerized.replace('</feed>', `${copy}</feed>`));
    expect(file.series.map((x) => [x.flowDirection, x.readingType.flowDirection, x.intervals.length, x.usagePointTitle])).toEqual([
      ['delivered', 1, 8, 'Coastal Multi-Family 12hr'],
      ['received', 19, 4, 'Coastal Multi-Family 12hr'],
    ]);
  });

  it('rejects a non-electric commodity', () => {
    expect(rejection(replaceNth(containerized, '<commodity>1</commodity>', '<commodity>7</commodity>')).reason).toMatch(/commodity 7 is not electricity/);
  });
});

describe('TestGBDataHourlyNineDaysBinnedDaily.xml', () => {
  const file = parseGreenButton(nineDays);
  const intervals = file.series[0]?.intervals ?? [];

  it('holds 216 hourly readings summing to 199.563 kWh, equal to overallConsumptionLastPeriod', () => {
    expect(file.series).toHaveLength(1);
    expect(intervals).toHaveLength(216);
    expect(sumMicro(intervals)).toBe(199_563_000n);
    expect(file.summaries[0]?.overallConsumptionLastPeriod).toBe('199.563');
    // Contiguous hours, sorted.
    intervals.forEach((i, k) => expect(i.startEpoch).toBe(1388552400 + 3600 * k));
    expect(file.localTime?.tzOffsetSeconds).toBe(-18000);
  });

  it('has interval costs summing to $22.05567 while the bill says $22.08', () => {
    const costs = intervals.reduce((acc, i) => acc + (i.costMicroDollars ?? 0n), 0n);
    expect(costs).toBe(22_055_670n);
    expect(file.summaries[0]?.billLastPeriodMicro).toBe(22_080_000n);
    expect(intervals[0]?.costMicroDollars).toBe(8_190n); // <cost>819</cost> is $0.00819
  });
});

describe('link-less feeds and malformed input', () => {
  it('parses a feed where ReadingType and IntervalBlock are simply present', () => {
    const file = parseGreenButton(plainFeed(reading(3600, 3600, '1500') + reading(0, 3600, '250')));
    expect(file.localTime).toBeNull();
    expect(file.summaries).toEqual([]);
    expect(file.series[0]?.usagePointTitle).toBeNull();
    expect(file.series[0]?.intervals.map((i) => [i.startEpoch, i.kwh])).toEqual([[0, '0.25'], [3600, '1.5']]);
  });

  it('marks a reverse-flow series as received and reads quality', () => {
    const withQuality = '<espi:IntervalReading><espi:ReadingQuality><espi:quality>8</espi:quality></espi:ReadingQuality><espi:timePeriod><espi:duration>900</espi:duration><espi:start>0</espi:start></espi:timePeriod><espi:value>5</espi:value></espi:IntervalReading>';
    const file = parseGreenButton(plainFeed(withQuality, '<espi:uom>72</espi:uom><espi:flowDirection>19</espi:flowDirection>'));
    expect(file.series[0]?.flowDirection).toBe('received');
    expect(file.series[0]?.intervals[0]?.quality).toBe(8);
  });

  it('rejects text that is not XML, or XML without a feed or without interval data', () => {
    expect(rejection('').message).toBe('file: not XML');
    expect(rejection('meter,date,kwh\n1,2,3').message).toBe('file: not XML');
    expect(rejection('<html><body/></html>').message).toBe('file: no Atom feed element');
    expect(rejection('<feed xmlns="http://www.w3.org/2005/Atom"><entry><title>x</title></entry></feed>').message).toBe('feed: no IntervalBlock');
    expect(rejection(plainFeed('')).message).toBe('IntervalBlock 1: no IntervalReading');
  });

  it('rejects readings with a missing part, a non-integer value or a negative duration, naming the reading', () => {
    expect(rejection(plainFeed(reading(0, 3600, '1') + reading(3600, 3600, '12.5'))).message).toBe('IntervalBlock 1, IntervalReading 2, value: "12.5" is not an integer');
    expect(rejection(plainFeed(reading(0, -3600, '1'))).message).toBe('IntervalBlock 1, IntervalReading 1: negative duration -3600');
    expect(rejection(plainFeed('<espi:IntervalReading><espi:value>1</espi:value></espi:IntervalReading>')).message).toBe('IntervalBlock 1, IntervalReading 1: no timePeriod');
    expect(rejection(plainFeed('<espi:IntervalReading><espi:timePeriod><espi:duration>60</espi:duration></espi:timePeriod><espi:value>1</espi:value></espi:IntervalReading>')).message)
      .toBe('IntervalBlock 1, IntervalReading 1: no timePeriod/start');
    expect(rejection(plainFeed(reading(0, 3600, '-4'))).reason).toMatch(/negative value -4/);
  });

  it('refuses to guess between several unlinked ReadingTypes', () => {
    const xml = plainFeed(reading(0, 3600, '1')).replace('<entry>', '<entry><content><espi:ReadingType><espi:uom>72</espi:uom></espi:ReadingType></content></entry><entry>');
    expect(rejection(xml).message).toMatch(/^IntervalBlock 1: cannot tell which of the 2 ReadingTypes applies/);
  });
});
