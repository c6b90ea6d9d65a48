import { readdirSync, readFileSync } from 'node:fs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { addDays, daysBetween } from '../platform/dates.ts';
import { Dec } from '../platform/decimal.ts';
import { AppError } from '../platform/errors.ts';
import { calculateBill } from './rating.ts';
import { parseTariffVersion } from './schema.ts';
import type { BillLine, Charge, RatingInput, RatingResult, TariffVersion } from './types.ts';

/**
 * Worked examples: every expected amount is computed by hand in the comment above it, from rates
 * like a Washington PUD's public rate sheet (src/tariff/examples/). Lines round half up unless said.
 */
const examplesDir = new URL('./examples/', import.meta.url);
const example = (code: string): TariffVersion =>
  parseTariffVersion(JSON.parse(readFileSync(new URL(`${code}.json`, examplesDir), 'utf8')));

const RES_E = example('RES-E');
const COM_E = example('COM-E');
const IRR_E = example('IRR-E');
const TOU_E = example('TOU-E');
const RES_W = example('RES-W');
const COM_W = example('COM-W');
const FIB_100 = example('FIB-100');

/** A small tariff for one rule at a time. */
const tariff = (charges: Charge[], extra: Partial<TariffVersion> = {}): TariffVersion => ({
  code: 'TEST', name: 'Test', service: 'electric', effectiveFrom: '2024-01-01', rounding: 'half_up', charges, ...extra,
});

const rate = (versions: TariffVersion | TariffVersion[], input: Partial<RatingInput>): RatingResult =>
  calculateBill({ periodFrom: '2024-03-01', periodTo: '2024-03-31', partial: false, ...input, versions: Array.isArray(versions) ? versions : [versions] });

/** [code, quantity, amountCents] per line: the shape most assertions need. */
const summary = (r: RatingResult) => r.lines.map((l) => [l.code, l.quantity, l.amountCents]);
const sumCents = (lines: BillLine[]) => lines.reduce((t, l) => t + l.amountCents, 0);

const appError = (fn: () => unknown): AppError => {
  try {
    fn();
  } catch (e) {
    if (e instanceof AppError) return e;
    throw e;
  }
  throw new Error('expected an AppError');
};

const BASIC_DAY: Charge = { code: 'BASIC', kind: 'fixed', description: 'Basic charge', per: 'day', price: '0.55' };
const INCLINING: Charge = {
  code: 'ENERGY', kind: 'usage', description: 'Energy', unit: 'kWh', blockBounds: 'upTo_inclusive',
  blocks: [{ upTo: '600', price: '0.0812' }, { upTo: null, price: '0.0934' }],
};

describe('examples', () => {
  it('every example tariff file parses', () => {
    const files = readdirSync(examplesDir).filter((f) => f.endsWith('.json'));
    expect(files.sort()).toEqual(['COM-E.json', 'COM-W.json', 'FIB-100.json', 'FIB-1G.json', 'GS-E.json', 'IRR-E.json', 'RES-E.json', 'RES-W.json', 'TOU-E.json']);
    for (const f of files) expect(example(f.replace('.json', '')).code).toBe(f.replace('.json', ''));
  });
});

describe('fixed charges', () => {
  it('charges a daily basic charge by days', () => {
    // March 2024 has 31 days: 31 x $0.55 = $17.05
    const r = rate(tariff([BASIC_DAY]), {});
    expect(summary(r)).toEqual([['BASIC', '31', 1705]]);
    expect(r.lines[0]).toMatchObject({ unit: 'day', unitPrice: '0.55', tariffVersion: 'TEST v1', from: '2024-03-01', to: '2024-03-31', derivation: '31 days x $0.55 per day = $17.05' });
  });

  it('charges a whole month on a regular bill, whatever its length', () => {
    // COM-E basic $32.00/month; February 2024 has 29 days, still one month: $32.00
    const r = rate(COM_E, { periodFrom: '2024-02-01', periodTo: '2024-02-29', usage: '0', demandKw: '0' });
    expect(r.lines.find((l) => l.code === 'BASIC')).toMatchObject({ quantity: '1', unit: 'month', amountCents: 3200, derivation: '$32.00 per month' });
  });

  it('prorates a monthly charge on a partial bill by days over 30', () => {
    // Move-in on Feb 10: Feb 10..29 = 20 days; $32.00 x 20 / 30 = $21.3333 -> $21.33
    const r = rate(COM_E, { periodFrom: '2024-02-10', periodTo: '2024-02-29', partial: true, usage: '0', demandKw: '0' });
    expect(r.lines.find((l) => l.code === 'BASIC')).toMatchObject({ quantity: '0.666667', amountCents: 2133 });
  });

  it('charges a per-bill charge once, on the last segment', () => {
    const v1 = tariff([{ code: 'SVC', kind: 'fixed', description: 'Service', per: 'bill', price: '4.25' }]);
    const v2 = { ...v1, effectiveFrom: '2024-03-16', version: 2 };
    const r = rate([v1, v2], {});
    expect(r.lines.map((l) => [l.code, l.tariffVersion, l.from, l.amountCents])).toEqual([['SVC', 'TEST v2', '2024-03-16', 425]]);
  });
});

describe('usage blocks (upTo_inclusive: use u is in block i while u <= upTo_i)', () => {
  it('inclining blocks: 1,234 kWh over a 600 kWh first block', () => {
    // BASIC 31 x $0.55 = $17.05
    // ENERGY first 600 kWh x $0.0812 = $48.72
    // ENERGY 1,234 - 600 = 634 kWh x $0.0934 = $59.2156 -> $59.22
    // total 17.05 + 48.72 + 59.22 = $124.99
    const r = rate(tariff([BASIC_DAY, INCLINING]), { usage: '1234' });
    expect(summary(r)).toEqual([['BASIC', '31', 1705], ['ENERGY', '600', 4872], ['ENERGY', '634', 5922]]);
    expect(r.totalCents).toBe(12499);
    expect(r.lines.map((l) => l.description)).toEqual(['Basic charge', 'Energy, first 600 kWh', 'Energy, over 600 kWh']);
    expect(r.lines[2]!.derivation).toBe('1,234 kWh - 600 kWh in earlier blocks = 634 kWh in the last block at $0.0934 = $59.22');
  });

  it('pins inclusivity: exactly 600 kWh is all first block; 601 puts 1 kWh in the second', () => {
    // 600 x $0.0812 = $48.72, and nothing in the second block
    expect(summary(rate(tariff([INCLINING]), { usage: '600' }))).toEqual([['ENERGY', '600', 4872]]);
    // 600 x $0.0812 = $48.72; 1 x $0.0934 = $0.0934 -> $0.09
    expect(summary(rate(tariff([INCLINING]), { usage: '601' }))).toEqual([['ENERGY', '600', 4872], ['ENERGY', '1', 9]]);
  });

  it('rates the worked example of docs/tariffs.md (RES-E, winter)', () => {
    // BASIC 31 x $0.55 = $17.05; winter first 1,000 kWh x $0.0812 = $81.20
    // 234 x $0.0934 = $21.8556 -> $21.86; PCA 1,234 x $0.0025 = $3.085 -> $3.09; charges $123.20
    // PUT 3.873% x 123.20 = $4.771536 -> $4.77; PRIV 2.14% x 127.97 = $2.738558 -> $2.74; total $130.71
    const r = rate(RES_E, { usage: '1234' });
    expect(summary(r)).toEqual([['BASIC', '31', 1705], ['ENERGY', '1000', 8120], ['ENERGY', '234', 2186], ['PCA', '1234', 309], ['PUT', '123.2', 477], ['PRIV', '127.97', 274]]);
    expect(r.totalCents).toBe(13071);
    expect(r.bankedKwh).toBe('0');
  });

  it('shows the first block at zero when there is no use', () => {
    expect(summary(rate(tariff([INCLINING]), { usage: '0' }))).toEqual([['ENERGY', '0', 0]]);
  });

  it('declining blocks: commercial water, 80,000 gal on a 1" meter', () => {
    // 80,000 gal = 80 kgal. BASE 1" = $33.80
    // WATER first 50 kgal x $3.40 = $170.00; 80 - 50 = 30 kgal x $3.10 = $93.00
    // PUT 5.029% of (33.80 + 170.00 + 93.00 = $296.80) = $14.926072 -> $14.93
    // total 296.80 + 14.93 = $311.73
    const r = rate(COM_W, { usage: '80000', usageUnit: 'gal', meterSize: '1"' });
    expect(summary(r)).toEqual([['BASE', '1', 3380], ['WATER', '50', 17000], ['WATER', '30', 9300], ['PUT', '296.8', 1493]]);
    expect(r.totalCents).toBe(31173);
  });
});

describe('water', () => {
  it('tiers per 1,000 gallons with the base charge by meter size', () => {
    // RES-W, 5/8" meter: BASE $22.50; 12,345 gal = 12.345 kgal
    // first 6 kgal x $3.15 = $18.90; 12.345 - 6 = 6.345 kgal x $3.95 = $25.06275 -> $25.06
    // PUT 5.029% of (22.50 + 18.90 + 25.06 = $66.46) = $3.3422734 -> $3.34; total $69.80
    const r = rate(RES_W, { usage: '12345', usageUnit: 'gal', meterSize: '5/8"' });
    expect(summary(r)).toEqual([['BASE', '1', 2250], ['WATER', '6', 1890], ['WATER', '6.345', 2506], ['PUT', '66.46', 334]]);
    expect(r.totalCents).toBe(6980);
    expect(r.lines[2]!.description).toBe('Water, next 14 kgal');
  });

  it('tiers per ccf from a meter that reads cubic feet or gallons', () => {
    const ccf = tariff([{
      code: 'WATER', kind: 'usage', description: 'Water', unit: 'ccf',
      blocks: [{ upTo: '10', price: '2.85' }, { upTo: null, price: '3.40' }],
    }], { service: 'water' });
    // 1,850 cf / 100 = 18.5 ccf: 10 x $2.85 = $28.50; 8.5 x $3.40 = $28.90
    expect(summary(rate(ccf, { usage: '1850', usageUnit: 'cf' }))).toEqual([['WATER', '10', 2850], ['WATER', '8.5', 2890]]);
    // 7,480 gal / 748 = exactly 10 ccf: all first block (inclusive bound) = $28.50
    expect(summary(rate(ccf, { usage: '7480', usageUnit: 'gal' }))).toEqual([['WATER', '10', 2850]]);
    // 1,000 gal / 748 = 1.3368983957... -> 1.336898 ccf x $2.85 = $3.8101593 -> $3.81
    expect(summary(rate(ccf, { usage: '1000', usageUnit: 'gal' }))).toEqual([['WATER', '1.336898', 381]]);
  });

  it('refuses a meter size the tariff does not price', () => {
    const e = appError(() => rate(RES_W, { usage: '1000', usageUnit: 'gal', meterSize: '6"' }));
    expect(e.code).toBe('validation');
    expect(e.message).toBe('tariff RES-W v1 has no BASE price for meter size 6"');
  });

  it('finds a size written without the inch mark', () => {
    expect(rate(RES_W, { usage: '0', usageUnit: 'gal', meterSize: '3/4' }).lines[0]!.amountCents).toBe(2510);
  });
});

describe('seasons', () => {
  it('splits a period that crosses a season boundary by days', () => {
    // IRR-E: irrigation 04-01..10-31, off_season 11-01..03-31. Period Mar 16..Apr 14 = 30 days:
    // off_season Mar 16..31 = 16 days, irrigation Apr 1..14 = 14 days. Use 3,000 kWh:
    //   off_season 3,000 x 16/30 = 1,600 kWh; irrigation the rest, 1,400 kWh
    // BASIC off $8.00 x 16/30 = $4.2667 -> $4.27; irrigation $28.00 x 14/30 = $13.0667 -> $13.07
    // ENERGY off 1,600 x $0.0742 = $118.72; irrigation 1,400 x $0.0561 = $78.54
    // charges 4.27 + 13.07 + 118.72 + 78.54 = $214.60
    // PUT 3.873% x 214.60 = $8.311458 -> $8.31; PRIV 2.14% x (214.60 + 8.31 = 222.91) = $4.770274 -> $4.77
    // total 214.60 + 8.31 + 4.77 = $227.68
    const r = rate(IRR_E, { periodFrom: '2024-03-16', periodTo: '2024-04-14', usage: '3000' });
    expect(r.lines.map((l) => [l.code, l.from, l.to, l.quantity, l.amountCents])).toEqual([
      ['BASIC', '2024-03-16', '2024-03-31', '0.533333', 427],
      ['BASIC', '2024-04-01', '2024-04-14', '0.466667', 1307],
      ['ENERGY', '2024-03-16', '2024-03-31', '1600', 11872],
      ['ENERGY', '2024-04-01', '2024-04-14', '1400', 7854],
      ['PUT', '2024-03-16', '2024-04-14', '214.6', 831],
      ['PRIV', '2024-03-16', '2024-04-14', '222.91', 477],
    ]);
    expect(r.totalCents).toBe(22768);
  });

  it('uses the default price on days in no named season, and refuses a season with neither', () => {
    const t = tariff([{ code: 'ENERGY', kind: 'usage', description: 'Energy', unit: 'kWh', price: { bySeason: { summer: '0.09' }, default: '0.07' } }],
      { seasons: [{ name: 'summer', from: '06-01', to: '08-31' }] });
    // March is in no season: 100 x $0.07 = $7.00
    expect(summary(rate(t, { usage: '100' }))).toEqual([['ENERGY', '100', 700]]);
    const noDefault = tariff([{ code: 'ENERGY', kind: 'usage', description: 'Energy', unit: 'kWh', price: { bySeason: { summer: '0.09' } } }],
      { seasons: [{ name: 'summer', from: '06-01', to: '08-31' }] });
    expect(appError(() => rate(noDefault, { usage: '100' })).message).toMatch(/charge ENERGY has no price for season \(none\)/);
  });

  it('handles a winter season that wraps the new year', () => {
    // RES-E winter 10-01..04-30: a Dec 15..Jan 14 period is one winter segment, first block 1,000 kWh
    // 1,000 x $0.0812 = $81.20 (bound inclusive); 200 x $0.0934 = $18.68
    const r = rate(RES_E, { periodFrom: '2024-12-15', periodTo: '2025-01-14', usage: '1200' });
    expect(r.lines.filter((l) => l.code === 'ENERGY').map((l) => [l.quantity, l.amountCents])).toEqual([['1000', 8120], ['200', 1868]]);
  });
});

describe('time of use', () => {
  it('prices each bucket', () => {
    // TOU-E, March (31 days): BASIC 31 x $0.55 = $17.05
    // on_peak 210 x $0.1210 = $25.41; off_peak 640 x $0.0690 = $44.16
    // PCA (210 + 640 = 850 kWh) x $0.0025 = $2.125 -> $2.13
    // charges $88.75; PUT 3.873% = $3.4372875 -> $3.44; PRIV 2.14% x 92.19 = $1.972866 -> $1.97
    // total 88.75 + 3.44 + 1.97 = $94.16
    const r = rate(TOU_E, { tou: { off_peak: '640', on_peak: '210' } });
    expect(summary(r)).toEqual([
      ['BASIC', '31', 1705], ['ENERGY', '210', 2541], ['ENERGY', '640', 4416], ['PCA', '850', 213], ['PUT', '88.75', 344], ['PRIV', '92.19', 197],
    ]);
    expect(r.lines[1]!.description).toBe('Energy, on-peak');
    expect(r.totalCents).toBe(9416);
  });

  it('refuses a bucket the tariff does not price', () => {
    expect(appError(() => rate(TOU_E, { tou: { on_peak: '1', shoulder: '5' } })).message).toMatch(/no price for TOU bucket shoulder/);
  });
});

describe('demand', () => {
  const com = (input: Partial<RatingInput>) => rate(COM_E, { usage: '18400', ...input });
  const demandLine = (r: RatingResult) => r.lines.find((l) => l.code === 'DEMAND')!;

  it('bills the ratchet when it is higher than the actual demand', () => {
    // BASIC $32.00; ENERGY 18,400 x $0.0698 = $1,284.32
    // billing kW = max(actual 52, 80% x max(70, 60) = 56, minimum 10) = 56 -> 56 x $8.50 = $476.00
    // charges $1,792.32; PUT 3.873% = $69.4165536 -> $69.42; PRIV 2.14% x 1,861.74 = $39.841236 -> $39.84
    // total 1,792.32 + 69.42 + 39.84 = $1,901.58
    const r = com({ demandKw: '52', priorDemandsKw: ['70', '60'] });
    expect(summary(r)).toEqual([['BASIC', '1', 3200], ['ENERGY', '18400', 128432], ['DEMAND', '56', 47600], ['PUT', '1792.32', 6942], ['PRIV', '1861.74', 3984]]);
    expect(r.totalCents).toBe(190158);
    expect(r.billingDemandKw).toBe('56');
    expect(demandLine(r).derivation).toMatch(/ratchet applies/);
  });

  it('looks back only `months` bills, and bills the actual demand when it is highest', () => {
    // 11 earlier bills at 40 kW and a 12th at 200 kW (outside the window): 80% x 40 = 32 < 52
    // 52 x $8.50 = $442.00
    const r = com({ demandKw: '52', priorDemandsKw: [...Array<string>(11).fill('40'), '200'] });
    expect([demandLine(r).quantity, demandLine(r).amountCents, r.billingDemandKw]).toEqual(['52', 44200, '52']);
    expect(demandLine(r).derivation).toMatch(/actual demand applies/);
  });

  it('bills the minimum kW', () => {
    // max(6, no ratchet, 10) = 10 kW x $8.50 = $85.00
    const r = com({ demandKw: '6' });
    expect([demandLine(r).quantity, demandLine(r).amountCents]).toEqual(['10', 8500]);
    expect(demandLine(r).derivation).toMatch(/minimum applies/);
  });

  it('prorates demand on a partial bill, and never splits the kW', () => {
    // Mar 17..31 = 15 days: 56 kW x $8.50 x 15/30 = $238.00
    const r = com({ periodFrom: '2024-03-17', partial: true, demandKw: '52', priorDemandsKw: ['70'] });
    expect([demandLine(r).quantity, demandLine(r).amountCents]).toEqual(['56', 23800]);
  });
});

describe('riders', () => {
  const energy: Charge = { code: 'ENERGY', kind: 'usage', description: 'Energy', unit: 'kWh', price: '0.0812' };

  it('charges a power-cost adjustment per kWh', () => {
    // 1,234 x $0.0025 = $3.085 -> $3.09 (half up)
    const r = rate(tariff([energy, { code: 'PCA', kind: 'rider', description: 'PCA', perUnit: '0.0025' }]), { usage: '1234' });
    expect(r.lines[1]).toMatchObject({ code: 'PCA', kind: 'rider', quantity: '1234', unit: 'kWh', unitPrice: '0.0025', amountCents: 309 });
  });

  it('gives a credit for a negative price', () => {
    // 1,234 x -$0.0011 = -$1.3574 -> -$1.36; ENERGY 1,234 x $0.0812 = $100.2008 -> $100.20; total $98.84
    const r = rate(tariff([energy, { code: 'PCA', kind: 'rider', description: 'PCA credit', perUnit: '-0.0011' }]), { usage: '1234' });
    expect(summary(r)).toEqual([['ENERGY', '1234', 10020], ['PCA', '1234', -136]]);
    expect(r.totalCents).toBe(9884);
  });

  it('charges a percent of the rounded lines it names', () => {
    // BASIC $17.05 + ENERGY $48.72 + $59.22 = $124.99; 1.5% x 124.99 = $1.87485 -> $1.87
    const r = rate(tariff([BASIC_DAY, INCLINING, { code: 'CONS', kind: 'rider', description: 'Conservation', percent: '1.5', of: ['BASIC', 'ENERGY'] }]), { usage: '1234' });
    expect(r.lines[3]).toMatchObject({ code: 'CONS', quantity: '124.99', unit: '%', unitPrice: '1.5', amountCents: 187, derivation: '1.5% of $124.99 (BASIC, ENERGY) = $1.87' });
  });
});

describe('minimum bill', () => {
  it('raises a zero-use bill to the monthly minimum', () => {
    // RES-E, Mar 1..30 (30 days), no use: BASIC 30 x $0.55 = $16.50; ENERGY $0; PCA $0
    // minimum $18.00 per month -> MINIMUM 18.00 - 16.50 = $1.50
    // PUT 3.873% x 18.00 = $0.69714 -> $0.70; PRIV 2.14% x 18.70 = $0.40018 -> $0.40; total $19.10
    const r = rate(RES_E, { periodTo: '2024-03-30', usage: '0' });
    expect(summary(r)).toEqual([['BASIC', '30', 1650], ['ENERGY', '0', 0], ['PCA', '0', 0], ['MINIMUM', '1', 150], ['PUT', '18', 70], ['PRIV', '18.7', 40]]);
    expect(r.lines[3]).toMatchObject({ kind: 'minimum', description: 'Minimum bill', from: '2024-03-01', to: '2024-03-30' });
    expect(r.totalCents).toBe(1910);
  });

  it('prorates a monthly minimum on a partial bill', () => {
    // Mar 17..31 = 15 days: minimum $18.00 x 15/30 = $9.00; BASIC 15 x $0.55 = $8.25 -> MINIMUM $0.75
    const r = rate(RES_E, { periodFrom: '2024-03-17', partial: true, usage: '0' });
    expect(r.lines.find((l) => l.code === 'MINIMUM')!.amountCents).toBe(75);
  });

  it('adds nothing when the charges reach the minimum', () => {
    expect(rate(RES_E, { usage: '100' }).lines.some((l) => l.code === 'MINIMUM')).toBe(false);
  });
});

describe('taxes', () => {
  const energy: Charge = { code: 'ENERGY', kind: 'usage', description: 'Energy', unit: 'kWh', price: '0.1' };

  it('taxes only the lines it names', () => {
    // BASIC $17.05 and ENERGY 500 x $0.10 = $50.00; 5% of ENERGY only = $2.50
    const r = rate(tariff([BASIC_DAY, energy], { taxes: [{ code: 'CITY', description: 'City tax', percent: '5', on: ['ENERGY'] }] }), { usage: '500' });
    expect(summary(r)).toEqual([['BASIC', '31', 1705], ['ENERGY', '500', 5000], ['CITY', '50', 250]]);
  });

  it('taxes the charges plus another tax (privilege tax on charges plus utility tax)', () => {
    // see TOU: PUT 3.873% x 88.75 = $3.44; PRIV 2.14% x (88.75 + 3.44) = $1.97
    const r = rate(TOU_E, { tou: { on_peak: '210', off_peak: '640' } });
    expect(r.lines.find((l) => l.code === 'PRIV')!.derivation).toBe('2.14% of $92.19 (BASIC, ENERGY, PCA $88.75 + PUT $3.44) = $1.97');
  });

  it('leaves out an exempt tax, and a tax on it then adds nothing for it', () => {
    // PUT exempt; PRIV 2.14% x 88.75 = $1.89925 -> $1.90; total 88.75 + 1.90 = $90.65
    const r = rate(TOU_E, { tou: { on_peak: '210', off_peak: '640' }, taxExemptions: ['PUT'] });
    expect(summary(r).slice(-1)).toEqual([['PRIV', '88.75', 190]]);
    expect(r.lines.some((l) => l.code === 'PUT')).toBe(false);
    expect(r.totalCents).toBe(9065);
  });

  it('gives no line for a tax on a zero base', () => {
    const r = rate(tariff([energy], { taxes: [{ code: 'PUT', description: 'PUT', percent: '3.873' }] }), { usage: '0' });
    expect(r.lines.map((l) => l.code)).toEqual(['ENERGY']);
  });
});

describe('fiber', () => {
  it('prorates a partial first month and adds the installation once', () => {
    // Service starts Mar 12: Mar 12..31 = 20 days, partial
    // PLAN $65.00 x 20/30 = $43.3333 -> $43.33; INSTALL $99.00; ROUTER $10.00 x 20/30 = $6.6667 -> $6.67
    // total 43.33 + 99.00 + 6.67 = $149.00
    const r = rate(FIB_100, { periodFrom: '2024-03-12', partial: true, firstBill: true });
    expect(summary(r)).toEqual([['PLAN', '0.666667', 4333], ['INSTALL', '1', 9900], ['ROUTER', '0.666667', 667]]);
    expect(r.totalCents).toBe(14900);
  });

  it('bills a regular month without the installation', () => {
    // $65.00 + $10.00 = $75.00
    expect(rate(FIB_100, { periodFrom: '2024-04-01', periodTo: '2024-04-30' }).totalCents).toBe(7500);
  });
});

describe('versions', () => {
  const v1 = tariff([BASIC_DAY, { code: 'ENERGY', kind: 'usage', description: 'Energy', unit: 'kWh', price: '0.0812' }], { version: 1 });
  const v2 = tariff([{ ...BASIC_DAY, price: '0.60' }, { code: 'ENERGY', kind: 'usage', description: 'Energy', unit: 'kWh', price: '0.0850' }], { version: 2, effectiveFrom: '2024-03-20' });

  it('splits a rate change inside the period by days', () => {
    // v1 Mar 1..19 = 19 days, v2 Mar 20..31 = 12 days; 1,000 kWh:
    //   v1 1,000 x 19/31 = 612.9032258... -> 612.903225 kWh (6 decimals, cut); v2 the rest = 387.096775
    // BASIC v1 19 x $0.55 = $10.45; v2 12 x $0.60 = $7.20
    // ENERGY v1 612.903225 x $0.0812 = $49.76774187 -> $49.77; v2 387.096775 x $0.0850 = $32.903225875 -> $32.90
    // total 10.45 + 7.20 + 49.77 + 32.90 = $100.32
    const r = rate([v2, v1], { usage: '1000' });
    expect(r.lines.map((l) => [l.code, l.tariffVersion, l.from, l.to, l.quantity, l.amountCents])).toEqual([
      ['BASIC', 'TEST v1', '2024-03-01', '2024-03-19', '19', 1045],
      ['BASIC', 'TEST v2', '2024-03-20', '2024-03-31', '12', 720],
      ['ENERGY', 'TEST v1', '2024-03-01', '2024-03-19', '612.903225', 4977],
      ['ENERGY', 'TEST v2', '2024-03-20', '2024-03-31', '387.096775', 3290],
    ]);
    expect(r.totalCents).toBe(10032);
  });

  it('refuses a period with a day no version covers', () => {
    const e = appError(() => rate(v1, { periodFrom: '2023-12-20', periodTo: '2024-01-19' }));
    expect([e.code, e.message]).toEqual(['validation', 'no version of tariff TEST is in force on 2023-12-20']);
  });

  it('ignores versions outside the period', () => {
    const old = { ...v1, effectiveFrom: '2023-01-01', version: 0, charges: [{ ...BASIC_DAY, price: '9' }] };
    expect(rate([v1, old], { usage: '0' }).totalCents).toBe(1705);
  });
});

describe('net metering (RES-E: true-up April 30)', () => {
  it('banks excess generation and bills zero energy', () => {
    // June (30 days): delivered 300, received 500, banked 120: net 300 - 500 - 120 = -320
    // -> 0 kWh billed, 320 kWh carried. BASIC 30 x $0.55 = $16.50 < minimum $18.00 -> MINIMUM $1.50
    // PUT $0.70, PRIV $0.40 (as in the minimum-bill example): total $19.10
    const r = rate(RES_E, { periodFrom: '2024-06-01', periodTo: '2024-06-30', usage: '300', receivedKwh: '500', bankedKwh: '120' });
    expect(r.bankedKwh).toBe('320');
    expect(r.lapsedKwh).toBeUndefined();
    const energy = r.lines.find((l) => l.code === 'ENERGY')!;
    expect([energy.quantity, energy.amountCents]).toEqual(['0', 0]);
    expect(energy.derivation).toMatch(/^net metering: delivered 300 kWh - received 500 kWh - banked credit used 0 kWh = 0 kWh billed; credit carried to the next bill 320 kWh/);
    expect(r.totalCents).toBe(1910);
  });

  it('uses banked credit on a later bill', () => {
    // July (31 days): delivered 900, received 200, banked 320: net 900 - 200 - 320 = 380 kWh billed
    // ENERGY 380 x $0.0812 = $30.856 -> $30.86; PCA 380 x $0.0025 = $0.95; BASIC 31 x $0.55 = $17.05
    const r = rate(RES_E, { periodFrom: '2024-07-01', periodTo: '2024-07-31', usage: '900', receivedKwh: '200', bankedKwh: '320' });
    expect(summary(r).slice(0, 3)).toEqual([['BASIC', '31', 1705], ['ENERGY', '380', 3086], ['PCA', '380', 95]]);
    expect(r.bankedKwh).toBe('0');
    expect(r.lines[1]!.derivation).toMatch(/banked credit used 320 kWh = 380 kWh billed/);
  });

  it('lapses the banked credit at the true-up inside the period, without reducing this bill', () => {
    // Apr 16..May 15 2025 (30 days) contains Apr 30: the 450 kWh banked before lapses.
    // delivered 700 - received 100 = 600 kWh billed; seasons split it 15/15 days: 300 + 300
    // winter bound 1,000 x 15/30 = 500 -> 300 x $0.0812 = $24.36
    // summer bound   600 x 15/30 = 300 -> 300 is exactly the bound, all first block: $24.36
    // BASIC 2 x 15 x $0.55 = 2 x $8.25; PCA 2 x 300 x $0.0025 = 2 x $0.75
    // charges 16.50 + 48.72 + 1.50 = $66.72; PUT 3.873% = $2.5840656 -> $2.58
    // PRIV 2.14% x (66.72 + 2.58 = 69.30) = $1.48302 -> $1.48; total $70.78
    const r = rate(RES_E, { periodFrom: '2025-04-16', periodTo: '2025-05-15', usage: '700', receivedKwh: '100', bankedKwh: '450' });
    expect([r.lapsedKwh, r.bankedKwh]).toEqual(['450', '0']);
    expect(r.lines.filter((l) => l.code === 'ENERGY').map((l) => [l.description, l.quantity, l.amountCents])).toEqual([
      ['Energy, first 1,000 kWh', '300', 2436], ['Energy, first 600 kWh', '300', 2436],
    ]);
    expect(r.totalCents).toBe(7078);
    expect(r.lines[2]!.derivation).toMatch(/banked credit of 450 kWh lapsed at the true-up on 2025-04-30/);
  });
});

describe('rounding modes', () => {
  // 125 x $0.081 = $10.125 and 175 x $0.081 = $14.175: exactly half a cent
  const energy: Charge = { code: 'ENERGY', kind: 'usage', description: 'Energy', unit: 'kWh', price: '0.081' };
  const cents = (rounding: TariffVersion['rounding'], usage: string) => rate(tariff([energy], { rounding }), { usage }).totalCents;

  it('rounds half a cent by the tariff mode', () => {
    expect([cents('half_up', '125'), cents('half_even', '125'), cents('down', '125'), cents('up', '125')]).toEqual([1013, 1012, 1012, 1013]);
    // half_even goes to the even cent: 14.175 -> 14.18 (7 is odd)
    expect([cents('half_up', '175'), cents('half_even', '175')]).toEqual([1418, 1418]);
  });
});

describe('input errors', () => {
  it('refuses a period that ends before it starts, and bad decimals', () => {
    expect(appError(() => rate(COM_E, { periodTo: '2024-02-01' })).message).toMatch(/ends before it starts/);
    expect(appError(() => rate(COM_E, { usage: '1,000', demandKw: '1' })).message).toMatch(/usage: "1,000" is not a decimal number/);
    expect(appError(() => rate(COM_E, { usage: '100' })).message).toMatch(/needs the period's demand/);
  });
});

// ---------------------------------------------------------------------------------------------
// Properties.

const dayIn2024 = fc.integer({ min: 0, max: 365 }).map((n) => addDays('2024-01-01', n));
const decimal = (maxWhole: number) => fc.tuple(fc.integer({ min: 0, max: maxWhole }), fc.integer({ min: 0, max: 999 }))
  .map(([w, f]) => `${w}.${String(f).padStart(3, '0')}`);

describe('properties', () => {
  it('the total is the sum of the lines, whatever the input', () => {
    const scenario = fc.record({
      from: dayIn2024, days: fc.integer({ min: 1, max: 62 }), partial: fc.boolean(), firstBill: fc.boolean(),
      usage: decimal(5000), demand: decimal(300), received: decimal(800), banked: decimal(800),
      priors: fc.array(decimal(300), { maxLength: 14 }), on: decimal(2000), off: decimal(2000),
      size: fc.constantFrom('5/8"', '3/4"', '1"', '2"'), which: fc.integer({ min: 0, max: 6 }),
    });
    fc.assert(fc.property(scenario, (s) => {
      const base = { periodFrom: s.from, periodTo: addDays(s.from, s.days - 1), partial: s.partial, firstBill: s.firstBill };
      const inputs: RatingInput[] = [
        { ...base, versions: [RES_E], usage: s.usage, receivedKwh: s.received, bankedKwh: s.banked },
        { ...base, versions: [COM_E], usage: s.usage, demandKw: s.demand, priorDemandsKw: s.priors },
        { ...base, versions: [IRR_E], usage: s.usage },
        { ...base, versions: [TOU_E], tou: { on_peak: s.on, off_peak: s.off } },
        { ...base, versions: [RES_W], usage: s.usage, usageUnit: 'gal', meterSize: s.size === '2"' ? '1"' : s.size },
        { ...base, versions: [COM_W], usage: s.usage, usageUnit: 'ccf', meterSize: s.size === '5/8"' ? '3/4"' : s.size },
        { ...base, versions: [FIB_100] },
      ];
      const r = calculateBill(inputs[s.which]!);
      return r.totalCents === sumCents(r.lines) && r.lines.every((l) => Number.isInteger(l.amountCents));
    }), { numRuns: 300 });
  });

  it('usage split at a rate change adds up exactly to the input (converted)', () => {
    const blocks = [{ upTo: '6', price: '3.15' }, { upTo: '20', price: '3.95' }, { upTo: null, price: '4.85' }];
    const v1 = tariff([{ code: 'WATER', kind: 'usage', description: 'Water', unit: 'kgal', blocks }], { service: 'water', version: 1, effectiveFrom: '2023-01-01' });
    fc.assert(fc.property(dayIn2024, fc.integer({ min: 2, max: 90 }), fc.integer({ min: 1, max: 89 }), decimal(200000), fc.boolean(),
      (from, days, changeAt, usageGal, partial) => {
        const to = addDays(from, days - 1);
        const v2 = { ...v1, version: 2, effectiveFrom: addDays(from, Math.min(changeAt, days - 1)) };
        const r = calculateBill({ versions: [v1, v2], periodFrom: from, periodTo: to, partial, usage: usageGal, usageUnit: 'gal' });
        const billed = r.lines.filter((l) => l.code === 'WATER').reduce((t, l) => t.plus(l.quantity), Dec.zero);
        const kgal = Dec.of(usageGal).div(1000, 6);
        const versionsUsed = new Set(r.lines.map((l) => l.tariffVersion));
        return billed.eq(kgal) && versionsUsed.size === 2 && daysBetween(from, to) + 1 === days;
      }), { numRuns: 300 });
  });

  it('is deterministic and does not depend on the order of versions', () => {
    const v = (n: number, effectiveFrom: string, price: string): TariffVersion => ({ ...RES_E, version: n, effectiveFrom, charges: RES_E.charges.map((c) => (c.code === 'BASIC' ? { ...c, price } : c)) });
    const versions = [v(1, '2024-01-01', '0.55'), v(2, '2024-05-10', '0.58'), v(3, '2024-09-15', '0.61')];
    fc.assert(fc.property(fc.shuffledSubarray(versions, { minLength: 3, maxLength: 3 }), dayIn2024, fc.integer({ min: 1, max: 120 }), decimal(3000),
      (shuffled, from, days, usage) => {
        const input = { periodFrom: from, periodTo: addDays(from, days - 1), partial: false, usage };
        const a = calculateBill({ ...input, versions });
        const b = calculateBill({ ...input, versions: shuffled });
        const c = calculateBill({ ...input, versions: shuffled });
        expect(b).toEqual(a);
        expect(c).toEqual(b);
      }), { numRuns: 200 });
  });
});
