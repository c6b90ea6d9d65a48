/**
 * Worked examples from public rate sheets of Washington public utility districts, checked by
 * hand. Each tariff below is written in our format from the sheet it names; the expected amounts
 * are the sheet's own example where it gives one, else the arithmetic shown beside them.
 */
import { describe, expect, it } from 'vitest';
import { calculateBill } from './rating.ts';
import { parseTariffVersion } from './schema.ts';
import type { RatingInput } from './types.ts';

const tariff = (t: object) => parseTariffVersion({ service: 'electric', effectiveFrom: '2024-04-01', rounding: 'half_up', ...t });
const amounts = (input: RatingInput) => {
  const r = calculateBill(input);
  return { lines: r.lines.map((l) => [l.code, l.quantity, l.amountCents]), totalCents: r.totalCents };
};

// Okanogan County PUD, "State Taxes on Your Bill" (okanoganpud.org/electric/rates, effective
// April 1, 2021): public utility tax 3.8734% of the PUD charges; privilege tax 2.14% of the
// charges plus the utility tax.
const waTaxes = [
  { code: 'PUT', description: 'State public utility tax', percent: '3.8734' },
  { code: 'PRIV', description: 'State PUD privilege tax', percent: '2.14', plusTaxes: ['PUT'] },
];

describe('public rate sheets', () => {
  // Clallam County PUD, residential (clallampud.net/electric/electric_rates_info.asp): "a basic
  // charge of $0.776 per day plus $0.069 per kilowatt hour ... A typical bill for 30 days and
  // 1500 kWh would be: 30 days x $0.776 = $23.28 ... 1500 kWh x $0.069 = $103.50 ... Total
  // electric bill: $126.78".
  const clallamResidential = {
    code: 'CLALLAM-R', name: 'Clallam PUD residential',
    charges: [
      { code: 'BASIC', kind: 'fixed', description: 'Basic charge', per: 'day', price: '0.776' },
      { code: 'ENERGY', kind: 'usage', description: 'Energy', unit: 'kWh', price: '0.069' },
    ],
  };

  it("Clallam PUD residential: the sheet's own 30-day, 1,500 kWh example, $126.78", () => {
    expect(amounts({ versions: [tariff(clallamResidential)], periodFrom: '2024-06-01', periodTo: '2024-06-30', partial: false, usage: '1500', usageUnit: 'kWh' })).toEqual({
      lines: [['BASIC', '30', 2328], ['ENERGY', '1500', 10350]],
      totalCents: 12678,
    });
  });

  it('the same bill with the Washington taxes, the privilege tax charged on the utility tax too', () => {
    // PUT: $126.78 x 3.8734% = $4.9107... -> $4.91. PRIV: ($126.78 + $4.91) x 2.14% = $131.69 x 0.0214
    // = $2.8181... -> $2.82. Total $126.78 + $4.91 + $2.82 = $134.51.
    expect(amounts({ versions: [tariff({ ...clallamResidential, taxes: waTaxes })], periodFrom: '2024-06-01', periodTo: '2024-06-30', partial: false, usage: '1500', usageUnit: 'kWh' })).toEqual({
      lines: [['BASIC', '30', 2328], ['ENERGY', '1500', 10350], ['PUT', '126.78', 491], ['PRIV', '131.69', 282]],
      totalCents: 13451,
    });
  });

  it('Clallam PUD Schedule E-M, medium general service (2024): monthly charge, energy and recorded demand', () => {
    // clallampud.net/faqs/schedule-e-m-medium-general-service/, effective April 1, 2024: basic
    // customer charge $75.81 per month, all energy at 6.64 cents per kWh, $3.77 per kW of recorded
    // demand. A 31-day month, 20,000 kWh, 120 kW: $75.81 + 20,000 x $0.0664 = $1,328.00
    // + 120 x $3.77 = $452.40; total $1,856.21.
    const em = tariff({
      code: 'CLALLAM-EM', name: 'Clallam PUD Schedule E-M',
      charges: [
        { code: 'BASIC', kind: 'fixed', description: 'Basic customer charge', per: 'month', price: '75.81' },
        { code: 'ENERGY', kind: 'usage', description: 'Energy', unit: 'kWh', price: '0.0664' },
        { code: 'DEMAND', kind: 'demand', description: 'Demand charge', price: '3.77' },
      ],
    });
    expect(amounts({ versions: [em], periodFrom: '2024-07-01', periodTo: '2024-07-31', partial: false, usage: '20000', usageUnit: 'kWh', demandKw: '120' })).toEqual({
      lines: [['BASIC', '1', 7581], ['ENERGY', '20000', 132800], ['DEMAND', '120', 45240]],
      totalCents: 185621,
    });
  });

  it('Klickitat PUD Schedule 3A5, small general service (2025): basic fee and all kWh at one price', () => {
    // klickitatpud.com rate schedule 3A5, bills issued after January 1, 2025: basic fee $34.50 per
    // month, all kilowatt hours at $0.1072. 1,234 kWh: 1,234 x $0.1072 = $132.2848 -> $132.28;
    // total $34.50 + $132.28 = $166.78.
    const sgs = tariff({
      code: 'KPUD-3A5', name: 'Klickitat PUD small general service', effectiveFrom: '2025-01-01',
      charges: [
        { code: 'BASIC', kind: 'fixed', description: 'Basic fee', per: 'month', price: '34.50' },
        { code: 'ENERGY', kind: 'usage', description: 'Energy', unit: 'kWh', price: '0.1072' },
      ],
    });
    expect(amounts({ versions: [sgs], periodFrom: '2025-02-01', periodTo: '2025-02-28', partial: false, usage: '1234', usageUnit: 'kWh' })).toEqual({
      lines: [['BASIC', '1', 3450], ['ENERGY', '1234', 13228]],
      totalCents: 16678,
    });
  });
});
