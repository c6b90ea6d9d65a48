/**
 * A read file is recorded in bulk (src/meter-read/bulk.ts) by the same rules as one read at a
 * time (recordRead): two identical districts get the same reads, one through a file and one read
 * by read, and every read must come out the same: usage, rollover, status, exceptions.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { customers } from '../src/customer/index.ts';
import { meterReads, readFiles } from '../src/meter-read/index.ts';
import { systemActor } from '../src/platform/actor.ts';
import { addDays } from '../src/platform/dates.ts';
import { AppError } from '../src/platform/errors.ts';
import { premises } from '../src/premise/index.ts';
import { createTestRuntime, type TestRuntime } from './support/runtime.ts';

let rt: TestRuntime;
beforeAll(async () => {
  rt = await createTestRuntime();
});
afterAll(() => rt.close());

const actor = systemActor('test');

/** A small deterministic random source, so a failure can be replayed. */
function rng(seed: number) {
  let s = seed >>> 0;
  return () => ((s = (Math.imul(s ^ (s >>> 15), 0x2c1b3c6d) + 0x6d2b79f5) >>> 0) / 2 ** 32);
}

interface Plan {
  dials: number;
  multiplier: string;
  status: 'active' | 'inactive' | 'disconnected';
  occupied: boolean;
  start: number;
  history: number[];
  file: { date: string; reading: string; rollover: boolean }[];
}

function plans(seed: number, n: number): Plan[] {
  const r = rng(seed);
  const out: Plan[] = [];
  for (let i = 0; i < n; i++) {
    const dials = 4 + Math.floor(r() * 3);
    const range = 10 ** dials;
    const base = 100 + Math.floor(r() * 900);
    const history = Array.from({ length: 3 + Math.floor(r() * 12) }, () => Math.max(0, Math.round(base * (0.7 + r() * 0.6))));
    const start = Math.floor(r() * range);
    let register = history.reduce((a, b) => a + b, start) % range;
    const file: Plan['file'] = [];
    const months = 1 + Math.floor(r() * 3);
    for (let m = 0; m < months; m++) {
      const kind = r();
      let use = Math.round(base * (0.8 + r() * 0.4));
      if (kind < 0.1) use = base * 4; // high
      else if (kind < 0.2) use = 0; // zero
      else if (kind < 0.27) use = -Math.round(base / 2); // backwards
      else if (kind < 0.32) use = Math.round(base * 0.1); // low
      register = (((register + use) % range) + range) % range;
      file.push({ date: addDays('2026-01-01', 30 * (history.length + 1 + m)), reading: String(register), rollover: kind > 0.97 });
    }
    out.push({ dials, multiplier: r() < 0.2 ? '40' : '1', status: r() < 0.1 ? 'disconnected' : 'active', occupied: r() > 0.1, start, history, file });
  }
  return out;
}

/** Builds a metered service with its history; returns its meter. */
async function build(p: Plan, tag: string, i: number) {
  const { db, clock } = rt;
  const customer = await customers.createCustomer(db, actor, { kind: 'person', firstName: 'Bulk', lastName: `${tag}${i}` });
  const account = await customers.createAccount(db, actor, clock, { customerId: customer.id, customerClass: 'residential', billingCycle: 1, billingAddress: { line1: `${i} Bulk St`, city: 'Wenatchee', state: 'WA', postalCode: '98801' } });
  const premise = await premises.createPremise(db, actor, { address: { line1: `${i} Bulk St`, city: 'Wenatchee', state: 'WA', postalCode: '98801' }, premiseType: 'single_family', area: 'W' });
  const sp = await premises.addServicePoint(db, actor, premise.id, { service: 'electric', status: p.status });
  const meter = await premises.createMeter(db, actor, { serial: `BLK-${tag}-${i}`, kind: 'electric', dials: p.dials, multiplier: p.multiplier });
  await premises.installMeter(db, actor, meter.id, { servicePointId: sp.id, installedOn: '2026-01-01' }, 'Set');
  if (p.occupied) await premises.createAgreement(db, actor, { accountId: account.id, servicePointId: sp.id, rateCode: 'RES-E', startDate: '2026-01-01' });
  let register = p.start;
  await meterReads.recordRead(db, actor, { meterId: meter.id, readDate: '2026-01-01', reading: String(p.start), purpose: 'install', source: 'manual' }, { audit: false });
  for (let m = 0; m < p.history.length; m++) {
    register = (register + p.history[m]!) % 10 ** p.dials;
    await meterReads.recordRead(db, actor, { meterId: meter.id, readDate: addDays('2026-01-01', 30 * (m + 1)), reading: String(register), source: 'manual' }, { audit: false });
  }
  return meter;
}

const shape = (reads: meterReads.MeterRead[]) =>
  reads.map((r) => ({ date: r.readDate, reading: r.reading, usage: r.usage, rollover: r.rollover, status: r.status, exceptions: r.exceptions.map((e) => `${e.code}: ${e.message}`) }));

describe('read files in bulk', () => {
  it('records every read exactly as one-by-one entry would', async () => {
    const all = plans(20261127, 40);
    const lines = ['meter_serial,read_date,reading,rollover'];
    const pairs: { bulk: number; single: number }[] = [];
    for (let i = 0; i < all.length; i++) {
      const p = all[i]!;
      const bulk = await build(p, 'A', i);
      const single = await build(p, 'B', i);
      pairs.push({ bulk: bulk.id, single: single.id });
      for (const f of p.file) {
        lines.push(`${bulk.serial},${f.date},${f.reading},${f.rollover ? 'y' : ''}`);
        try {
          await meterReads.recordRead(rt.db, actor, { meterId: single.id, readDate: f.date, reading: f.reading, rollover: f.rollover || undefined, source: 'csv', purpose: 'cycle' }, { audit: false });
        } catch (e) {
          if (!(e instanceof AppError)) throw e;
        }
      }
    }
    // A duplicate line, a read before the meter was set, and one back-dated among later reads.
    const first = all[0]!;
    lines.push(`BLK-A-0,${first.file[0]!.date},${first.file[0]!.reading},`);
    lines.push('BLK-A-1,2025-06-01,5,');
    const result = await readFiles.importReads(rt.db, actor, { format: 'csv', fileName: 'bulk.csv', content: Buffer.from(lines.join('\n')), timeZone: 'America/Los_Angeles' });
    expect(result.duplicates).toBe(1);
    expect(result.rejections.map((r) => r.line)).toEqual([lines.length]);
    expect(result.exceptions).toBeGreaterThan(3);

    for (const { bulk, single } of pairs) {
      const a = shape(await meterReads.readsOfMeter(rt.db, bulk, { limit: 100 }));
      const b = shape(await meterReads.readsOfMeter(rt.db, single, { limit: 100 }));
      expect(a).toEqual(b);
    }
    const codes = new Set((await meterReads.openExceptions(rt.db, { after: 0, limit: 1000 })).map((e) => e.code));
    expect([...codes].sort()).toEqual(expect.arrayContaining(['high_vs_average', 'negative_use', 'zero_use_active']));
  });

  it('measures a back-dated read in a file from the right read and re-measures the one after it', async () => {
    const p: Plan = { dials: 5, multiplier: '1', status: 'active', occupied: true, start: 1000, history: [500, 500, 500], file: [] };
    const meter = await build(p, 'C', 0);
    // Reads on file: Jan 1 (1000), Jan 31 (1500), Mar 2 (2000), Apr 1 (2500). The file adds Feb 15.
    const res = await readFiles.importReads(rt.db, actor, { format: 'csv', fileName: 'late.csv', content: Buffer.from(`meter_serial,read_date,reading\n${meter.serial},2026-02-15,1700\n`), timeZone: 'America/Los_Angeles' });
    expect(res.imported).toBe(1);
    const reads = shape(await meterReads.readsOfMeter(rt.db, meter.id, { limit: 10 }));
    expect(reads.map((r) => [r.date, r.usage])).toEqual([['2026-04-01', '500'], ['2026-03-02', '300'], ['2026-02-15', '200'], ['2026-01-31', '500'], ['2026-01-01', null]]);
  });
});
