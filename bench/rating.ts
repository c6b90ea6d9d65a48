/**
 * Rating speed: `npx tsx bench/rating.ts` prints microseconds per bill for typical bills
 * (one segment) and for bills that cross a season boundary or a version change. Not a vitest file.
 */
import fs from 'node:fs';
import { calculateBill, parseTariffVersion, type RatingInput, type TariffVersion } from '../src/tariff/index.ts';

const v = (c: string) => parseTariffVersion(JSON.parse(fs.readFileSync(`src/tariff/examples/${c}.json`, 'utf8')));
const rese = v('RES-E'), resw = v('RES-W'), fib = v('FIB-100');
// A second version of RES-E from 2026-09-15 (a rate change inside the benchmark period).
const rese2: TariffVersion = { ...rese, effectiveFrom: '2026-09-15', version: 2, charges: rese.charges.map((c) => (c.kind === 'fixed' ? { ...c, price: '0.60' } : c)) };

function run(name: string, inputs: RatingInput[]) {
  for (let k = 0; k < 3; k++) {
    const t = performance.now();
    for (const i of inputs) calculateBill(i);
    console.log(name.padEnd(18), 'us/bill', ((performance.now() - t) * 1000 / inputs.length).toFixed(1));
  }
}

const typical: RatingInput[] = [];
for (let i = 0; i < 30000; i++) {
  typical.push({ versions: [rese], periodFrom: '2026-09-03', periodTo: '2026-10-02', partial: false, usage: String(400 + (i % 900)), usageUnit: 'kWh' });
  typical.push({ versions: [resw], periodFrom: '2026-09-03', periodTo: '2026-10-02', partial: false, usage: String(3000 + (i % 9000)), usageUnit: 'gal', meterSize: '5/8"' });
  typical.push({ versions: [fib], periodFrom: '2026-09-03', periodTo: '2026-10-02', partial: false });
}
run('typical', typical);

const crossing: RatingInput[] = [];
for (let i = 0; i < 30000; i++) {
  // Season boundary (summer ends 09-30), single version.
  crossing.push({ versions: [rese], periodFrom: '2026-09-10', periodTo: '2026-10-09', partial: false, usage: String(400 + (i % 900)), usageUnit: 'kWh' });
  // Version change on 09-15 and the season boundary.
  crossing.push({ versions: [rese, rese2], periodFrom: '2026-09-03', periodTo: '2026-10-02', partial: false, usage: String(400 + (i % 900)), usageUnit: 'kWh' });
  // Net metering with a banked credit.
  crossing.push({ versions: [rese], periodFrom: '2026-09-03', periodTo: '2026-10-02', partial: false, usage: String(400 + (i % 900)), usageUnit: 'kWh', receivedKwh: String(i % 300), bankedKwh: '12.5' });
}
run('crossing/net', crossing);
