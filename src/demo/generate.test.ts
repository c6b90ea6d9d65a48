import { describe, expect, it } from 'vitest';
import { isValidAccountNumber } from '../customer/index.ts';
import { BLOCK_SIZE, generateBatch, generateDistrict, idsNeeded, meterSerial, mixSeed, range, Rng, toRows, type DistrictBatch } from './generate.ts';
import { towns } from './names.ts';

const today = '2026-11-26';

/** Concatenates batches, renumbering positions, so differently cut runs can be compared. */
function whole(batches: Iterable<DistrictBatch>) {
  const all = { customers: [] as unknown[], accounts: [] as unknown[], premises: [] as unknown[], servicePoints: [] as unknown[], meters: [] as unknown[], agreements: [] as unknown[], contacts: [] as unknown[], alerts: [] as unknown[] };
  for (const b of batches) {
    const base = { c: all.customers.length, a: all.accounts.length, p: all.premises.length, sp: all.servicePoints.length };
    all.customers.push(...b.customers);
    all.contacts.push(...b.contacts.map((x) => ({ ...x, customer: x.customer + base.c })));
    all.accounts.push(...b.accounts.map((x) => ({ ...x, customer: x.customer + base.c })));
    all.alerts.push(...b.alerts.map((x) => ({ ...x, account: x.account + base.a })));
    all.premises.push(...b.premises.map((x) => ({ ...x, ownerCustomer: x.ownerCustomer === null ? null : x.ownerCustomer + base.c })));
    all.servicePoints.push(...b.servicePoints.map((x) => ({ ...x, premise: x.premise + base.p })));
    all.meters.push(...b.meters.map((x) => ({ ...x, servicePoint: x.servicePoint + base.sp })));
    all.agreements.push(...b.agreements.map((x) => ({ ...x, account: x.account + base.a, servicePoint: x.servicePoint + base.sp })));
  }
  return all;
}

describe('Rng', () => {
  it('repeats its sequence for a seed and stays in range', () => {
    const a = new Rng(42);
    const b = new Rng(42);
    const xs = Array.from({ length: 1000 }, () => a.next());
    expect(xs).toEqual(Array.from({ length: 1000 }, () => b.next()));
    expect(xs.every((x) => x >= 0 && x < 1)).toBe(true);
    expect(new Set(xs).size).toBeGreaterThan(990);
    const mean = xs.reduce((s, x) => s + x, 0) / xs.length;
    expect(mean).toBeGreaterThan(0.45);
    expect(mean).toBeLessThan(0.55);
  });

  it('mixes seeds so neighbouring blocks get unrelated streams', () => {
    expect(mixSeed(1, 0)).not.toBe(mixSeed(1, 1));
    expect(mixSeed(1, 0)).not.toBe(mixSeed(2, 0));
    expect(new Rng(mixSeed(1, 0)).next()).not.toBe(new Rng(mixSeed(1, 1)).next());
  });
});

describe('generateDistrict', () => {
  it('gives the same rows for the same seed, count and date', () => {
    expect(whole(generateDistrict(7, 500, today))).toEqual(whole(generateDistrict(7, 500, today)));
  });

  it('gives different rows for a different seed', () => {
    const a = whole(generateDistrict(7, 200, today));
    const b = whole(generateDistrict(8, 200, today));
    expect(a.customers).not.toEqual(b.customers);
    expect(a.premises).not.toEqual(b.premises);
  });

  it('does not depend on how the district is cut into batches, and a smaller district is a prefix of a larger one', () => {
    const big = whole(generateDistrict(3, 1000, today, BLOCK_SIZE * 2));
    expect(whole(generateDistrict(3, 1000, today, BLOCK_SIZE * 16))).toEqual(big);
    const small = whole(generateDistrict(3, 300, today));
    expect(big.accounts.slice(0, 300)).toEqual(small.accounts);
    expect(big.customers.slice(0, small.customers.length)).toEqual(small.customers);
  });

  it('refuses a batch that does not start on a block boundary', () => {
    expect(() => generateBatch(1, 10, 5, today)).toThrow(/block boundary/);
  });

  it('makes exactly the accounts asked for, each with an agreement, and references that point at real rows', () => {
    for (const b of generateDistrict(11, 2000, today)) {
      const withAgreement = new Set(b.agreements.map((a) => a.account));
      expect(withAgreement.size).toBe(b.accounts.length);
      for (const a of b.accounts) expect(a.customer).toBeLessThan(b.customers.length);
      for (const sp of b.servicePoints) expect(sp.premise).toBeLessThan(b.premises.length);
      for (const m of b.meters) expect(b.servicePoints[m.servicePoint]!.service).toBe(m.kind);
      for (const p of b.premises) if (p.ownerCustomer !== null) expect(p.ownerCustomer).toBeLessThan(b.customers.length);
      // A service point has one meter, and no two agreements at a point overlap.
      const metered = b.meters.map((m) => m.servicePoint);
      expect(new Set(metered).size).toBe(metered.length);
      const byPoint = new Map<number, { startDate: string; endDate: string | null }[]>();
      for (const a of b.agreements) byPoint.set(a.servicePoint, [...(byPoint.get(a.servicePoint) ?? []), a]);
      for (const list of byPoint.values()) {
        const sorted = [...list].sort((x, y) => x.startDate.localeCompare(y.startDate));
        for (let i = 1; i < sorted.length; i++) expect(sorted[i - 1]!.endDate! < sorted[i]!.startDate).toBe(true);
      }
    }
  });
});

describe('a district of 20,000 accounts', () => {
  const d = whole(generateDistrict(2024, 20_000, today)) as unknown as {
    customers: DistrictBatch['customers'];
    contacts: DistrictBatch['contacts'];
    accounts: DistrictBatch['accounts'];
    alerts: DistrictBatch['alerts'];
    premises: DistrictBatch['premises'];
    servicePoints: DistrictBatch['servicePoints'];
    meters: DistrictBatch['meters'];
    agreements: DistrictBatch['agreements'];
  };
  const share = <T>(xs: T[], p: (x: T) => boolean) => xs.filter(p).length / xs.length;

  it('is mostly people, about 8% businesses', () => {
    const businesses = share(d.customers, (c) => c.kind === 'business');
    expect(businesses).toBeGreaterThan(0.06);
    expect(businesses).toBeLessThan(0.1);
    for (const c of d.customers) {
      if (c.kind === 'person') expect(c.displayName).toBe(`${c.firstName} ${c.lastName}`);
      else expect(c.displayName).toBe(c.businessName);
    }
  });

  it('spreads premises over the towns, mostly single-family homes', () => {
    const types = (t: string) => share(d.premises, (p) => p.premiseType === t);
    expect(types('single_family')).toBeGreaterThan(0.55);
    expect(types('multi_family')).toBeGreaterThan(0.05);
    expect(types('mobile_home')).toBeGreaterThan(0.02);
    expect(types('commercial')).toBeGreaterThan(0.04);
    expect(types('irrigation')).toBeGreaterThan(0.01);
    for (const t of towns) expect(d.premises.some((p) => p.city === t.city && p.postalCode === t.postalCode && p.area === t.area)).toBe(true);
    expect(share(d.premises, (p) => p.city === 'Wenatchee')).toBeGreaterThan(0.25);
    expect(d.premises.filter((p) => p.premiseType === 'multi_family' && p.line2).every((p) => /^Apt \d+$/.test(p.line2!))).toBe(true);
    expect(d.premises.some((p) => p.ownerCustomer !== null)).toBe(true);
  });

  it('has electric at nearly every premise, water at most in-town ones, fiber at about 40%', () => {
    const services = new Map<number, Set<string>>();
    for (const sp of d.servicePoints) services.set(sp.premise, (services.get(sp.premise) ?? new Set()).add(sp.service));
    const with_ = (s: string) => [...services.values()].filter((x) => x.has(s)).length / d.premises.length;
    expect(with_('electric')).toBeGreaterThan(0.99);
    expect(with_('water')).toBeGreaterThan(0.55);
    expect(with_('fiber')).toBeGreaterThan(0.3);
    expect(with_('fiber')).toBeLessThan(0.5);
    expect(share(d.servicePoints.filter((sp) => sp.service === 'fiber'), (sp) => sp.route === null)).toBe(1);
  });

  it('gives meters realistic kinds, dials, sizes and multipliers', () => {
    const odd = d.meters.filter((m) =>
      m.kind === 'electric' ? m.dials !== 5 || ![1, 40, 80].includes(m.multiplier) || m.size !== null : m.dials !== 6 || !['5/8"', '3/4"', '1"', '2"'].includes(m.size!));
    expect(odd).toEqual([]);
    expect(d.meters.some((m) => m.multiplier > 1)).toBe(true);
  });

  it('has accounts in every class and cycle, mostly active, some closed with a date, some mailed elsewhere', () => {
    const cycles = new Map<number, number>();
    for (const a of d.accounts) cycles.set(a.billingCycle, (cycles.get(a.billingCycle) ?? 0) + 1);
    expect([...cycles.keys()].sort((x, y) => x - y)).toEqual(range(1, 20));
    for (const n of cycles.values()) expect(n).toBeGreaterThan(20_000 / 20 * 0.85);
    expect(new Set(d.accounts.map((a) => a.customerClass))).toEqual(new Set(['residential', 'commercial', 'irrigation']));
    expect(share(d.accounts, (a) => a.status === 'active')).toBeGreaterThan(0.93);
    const closed = d.accounts.filter((a) => a.status === 'closed' || a.status === 'final');
    expect(closed.length).toBeGreaterThan(100);
    for (const a of closed) expect(a.closedOn! > a.openedOn && a.closedOn! <= today).toBe(true);
    for (const a of d.accounts.filter((x) => x.status === 'active')) expect(a.closedOn).toBeNull();
    const premiseAddress = new Set(d.premises.map((p) => `${p.line1}|${p.city}`));
    const elsewhere = share(d.accounts, (a) => !premiseAddress.has(`${a.billing.line1}|${a.billing.city}`));
    expect(elsewhere).toBeGreaterThan(0.03);
    expect(elsewhere).toBeLessThan(0.09);
    expect(d.accounts.some((a) => a.billing.line1.startsWith('PO Box'))).toBe(true);
  });

  it('uses the rate codes per service and class, with agreements dated in the past years', () => {
    const rates = new Set(d.agreements.map((a) => a.rateCode));
    for (const r of ['RES-E', 'GS-E', 'IRR-E', 'RES-W', 'COM-W', 'FIB-100', 'FIB-1G']) expect(rates).toContain(r);
    const years = new Set(d.agreements.map((a) => a.startDate.slice(0, 4)));
    expect(years.size).toBeGreaterThan(15);
    for (const a of d.agreements) if (a.endDate) expect(a.endDate >= a.startDate).toBe(true);
  });

  it('has a few alerts and 509 phone numbers', () => {
    expect(d.alerts.length).toBeGreaterThan(200);
    expect(d.alerts.length).toBeLessThan(2000);
    expect(new Set(d.alerts.map((a) => a.kind)).size).toBeGreaterThanOrEqual(6);
    const phones = d.contacts.filter((c) => c.kind !== 'email');
    expect(phones.every((c) => /^509\d{7}$/.test(c.phoneDigits!))).toBe(true);
    expect(d.contacts.filter((c) => c.kind === 'email').every((c) => /^[a-z0-9.]+@[a-z0-9.]+\.[a-z]+$/.test(c.value))).toBe(true);
    const withEmail = new Set(d.contacts.filter((c) => c.kind === 'email').map((c) => c.customer)).size / d.customers.length;
    expect(withEmail).toBeGreaterThan(0.4);
    expect(withEmail).toBeLessThan(0.7);
  });
});

describe('toRows', () => {
  const b = generateBatch(5, 0, 300, today);
  const need = idsNeeded(b);
  const ids = {
    customers: range(1, need.customers),
    accounts: range(1, need.accounts),
    accountSequences: range(10_000_000, need.accounts),
    premises: range(1, need.premises),
    servicePoints: range(1, need.servicePoints),
    meters: range(1, need.meters),
  };
  const rows = toRows(b, ids);

  it('gives every account a valid, distinct check-digit number', () => {
    expect(rows.accounts.account_number.every(isValidAccountNumber)).toBe(true);
    expect(new Set(rows.accounts.account_number).size).toBe(b.accounts.length);
    expect(rows.accounts.account_number[0]).toBe('100000009');
  });

  it('links children to the reserved ids', () => {
    expect(rows.accounts.customer_id.every((id) => id >= 1 && id <= need.customers)).toBe(true);
    expect(rows.service_agreements.service_point_id.every((id) => id >= 1 && id <= need.servicePoints)).toBe(true);
    expect(rows.meter_installations.meter_id).toEqual(rows.meters.id);
    expect(rows.customers.id).toEqual(ids.customers);
  });

  it('makes meter serials from ids: E or W and eight digits, unique', () => {
    expect(rows.meters.serial.every((s, i) => new RegExp(`^${rows.meters.kind[i] === 'electric' ? 'E' : 'W'}\\d{8}$`).test(s))).toBe(true);
    const serials = new Set(range(1, 200_000).map((id) => meterSerial('electric', id).slice(1)));
    expect(serials.size).toBe(200_000);
  });

  it('refuses ids that do not match the rows', () => {
    expect(() => toRows(b, { ...ids, meters: ids.meters.slice(1) })).toThrow(/meters/);
  });
});
