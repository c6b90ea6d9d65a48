import { readdirSync, readFileSync } from 'node:fs';
import { Ajv } from 'ajv';
import addFormats from 'ajv-formats';
import { describe, expect, it } from 'vitest';
import { AppError } from '../platform/errors.ts';
import { parseTariffVersion, TariffVersionSchema } from './schema.ts';

const examplesDir = new URL('./examples/', import.meta.url);
const exampleFiles = readdirSync(examplesDir).filter((f) => f.endsWith('.json'));
const readExample = (file: string): unknown => JSON.parse(readFileSync(new URL(file, examplesDir), 'utf8'));

/** A valid residential tariff; each test breaks one field of a fresh copy. */
const valid = () => ({
  code: 'RES-E',
  name: 'Residential',
  service: 'electric',
  effectiveFrom: '2024-01-01',
  rounding: 'half_up',
  seasons: [{ name: 'summer', from: '05-01', to: '09-30' }, { name: 'winter', from: '10-01', to: '04-30' }],
  charges: [
    { code: 'BASIC', kind: 'fixed', description: 'Basic charge', per: 'day', price: '0.55' } as Record<string, unknown>,
    { code: 'ENERGY', kind: 'usage', description: 'Energy', unit: 'kWh', blocks: [{ upTo: '600', price: '0.0812' }, { upTo: null, price: '0.0934' }] } as Record<string, unknown>,
    { code: 'PCA', kind: 'rider', description: 'PCA', perUnit: '0.0025' } as Record<string, unknown>,
  ],
  minimumBill: { amount: '18.00', per: 'month' },
  netMetering: { appliesTo: ['ENERGY'], trueUpDate: '04-30' },
  taxes: [
    { code: 'PUT', description: 'Public utility tax', percent: '3.873' } as Record<string, unknown>,
    { code: 'PRIV', description: 'Privilege tax', percent: '2.14', plusTaxes: ['PUT'] } as Record<string, unknown>,
  ],
});
type Tariff = ReturnType<typeof valid>;

/** The AppError a broken copy is refused with. */
function refusal(change: (t: Tariff) => void): AppError {
  const t = valid();
  change(t);
  try {
    parseTariffVersion(t);
  } catch (e) {
    if (e instanceof AppError) return e;
    throw e;
  }
  throw new Error('the broken tariff was accepted');
}
const pathOf = (change: (t: Tariff) => void) => refusal(change).details.path;

describe('parseTariffVersion', () => {
  it('accepts a valid file and every example', () => {
    expect(parseTariffVersion(valid()).code).toBe('RES-E');
    expect(exampleFiles.length).toBe(9);
    for (const f of exampleFiles) expect(() => parseTariffVersion(readExample(f)), f).not.toThrow();
  });

  it('names the tariff, the path and the reason of a bad decimal', () => {
    const e = refusal((t) => { (t.charges[1]!.blocks as { price: string }[])[0]!.price = '0,0812'; });
    expect(e.code).toBe('validation');
    expect(e.message).toBe('tariff RES-E: /charges/1/blocks/0/price: must match pattern "^-?\\d+(\\.\\d+)?$"');
    expect(e.details).toEqual({ path: '/charges/1/blocks/0/price' });
  });

  it('refuses unknown properties, missing fields and unknown kinds at their path', () => {
    expect(refusal((t) => { t.charges[0]!.colour = 'red'; }).message).toBe('tariff RES-E: /charges/0/colour: unknown property');
    expect(refusal((t) => { delete t.charges[0]!.per; }).message).toBe('tariff RES-E: /charges/0/per: is required');
    expect(refusal((t) => { t.charges[0]!.kind = 'flat'; }).message).toMatch(/^tariff RES-E: \/charges\/0\/kind: must be one of fixed, usage/);
    expect(pathOf((t) => { (t as Record<string, unknown>).extra = 1; })).toBe('/extra');
    expect(refusal((t) => { t.rounding = 'bankers'; }).message).toBe('tariff RES-E: /rounding: must be one of half_up, half_even, down, up');
  });

  it('refuses a seasonal price that is neither a price nor prices by season', () => {
    expect(refusal((t) => { t.charges[0]!.price = 55; }).message).toBe('tariff RES-E: /charges/0/price: must be string or must be object');
    expect(pathOf((t) => { t.charges[0]!.price = { bySeason: { summer: 'x' } }; })).toBe('/charges/0/price/bySeason/summer');
  });

  it('refuses bad dates and MM-DD', () => {
    expect(pathOf((t) => { t.effectiveFrom = '2024-02-30'; })).toBe('/effectiveFrom');
    expect(refusal((t) => { t.seasons[0]!.from = '02-30'; }).message).toBe('tariff RES-E: /seasons/0/from: must be a valid MM-DD');
    expect(pathOf((t) => { t.netMetering.trueUpDate = '4/30'; })).toBe('/netMetering/trueUpDate');
  });

  it('refuses blocks whose bounds do not increase or whose last block is bounded', () => {
    expect(refusal((t) => { t.charges[1]!.blocks = [{ upTo: '600', price: '1' }, { upTo: '600', price: '1' }, { upTo: null, price: '1' }]; }).message)
      .toBe('tariff RES-E: /charges/1/blocks/1/upTo: must be greater than 600 (bounds strictly increase)');
    expect(pathOf((t) => { t.charges[1]!.blocks = [{ upTo: '600', price: '1' }, { upTo: '900', price: '1' }]; })).toBe('/charges/1/blocks/1/upTo');
    expect(pathOf((t) => { t.charges[1]!.blocks = [{ upTo: null, price: '1' }, { upTo: null, price: '1' }]; })).toBe('/charges/1/blocks/0/upTo');
  });

  it('refuses a usage charge with both a price and blocks, and a rider with both forms', () => {
    expect(refusal((t) => { t.charges[1]!.price = '0.08'; }).message).toBe('tariff RES-E: /charges/1: a usage charge has exactly one of price and blocks');
    expect(pathOf((t) => { t.charges[2]!.percent = '1'; t.charges[2]!.of = ['ENERGY']; })).toBe('/charges/2');
  });

  it('refuses codes that name nothing, and duplicates', () => {
    expect(refusal((t) => { t.charges[2] = { code: 'CONS', kind: 'rider', description: 'C', percent: '1', of: ['BASIC', 'FUEL'] }; }).message)
      .toBe('tariff RES-E: /charges/2/of/1: no charge FUEL in this tariff');
    expect(pathOf((t) => { t.taxes[0]!.on = ['ENERGY', 'GAS']; })).toBe('/taxes/0/on/1');
    expect(pathOf((t) => { t.taxes[1]!.plusTaxes = ['STATE']; })).toBe('/taxes/1/plusTaxes/0');
    expect(pathOf((t) => { t.taxes[1]!.plusTaxes = ['PRIV']; })).toBe('/taxes/1/plusTaxes/0');
    expect(refusal((t) => { t.taxes[0]!.plusTaxes = ['PRIV']; }).message).toBe('tariff RES-E: /taxes/0/plusTaxes: taxes added to each other form a cycle');
    expect(refusal((t) => { t.charges[2]!.code = 'BASIC'; }).message).toBe('tariff RES-E: /charges/2/code: code BASIC is used twice');
    expect(pathOf((t) => { t.netMetering.appliesTo = ['BASIC']; })).toBe('/netMetering/appliesTo/0');
  });

  it('refuses undeclared and overlapping seasons', () => {
    expect(refusal((t) => { t.charges[0]!.price = { bySeason: { spring: '0.5' }, default: '0.55' }; }).message)
      .toBe('tariff RES-E: /charges/0/price/bySeason/spring: season "spring" is not declared in seasons');
    expect(refusal((t) => { t.seasons[1]!.from = '09-15'; }).message).toBe('tariff RES-E: /seasons/1: overlaps season "summer" on 09-15');
  });

  it('says so when the file has no code', () => {
    expect(() => parseTariffVersion([])).toThrow('tariff (no code): /: must be object');
  });
});

describe('TariffVersionSchema', () => {
  it('is plain JSON that a fresh validator can use (the schema the API serves)', () => {
    const json = JSON.parse(JSON.stringify(TariffVersionSchema)) as object;
    const ajv = new Ajv({ strict: false, discriminator: true });
    (addFormats as unknown as (a: Ajv) => void)(ajv);
    const validate = ajv.compile(json);
    for (const f of exampleFiles) expect(validate(readExample(f)), f).toBe(true);
  });
});
