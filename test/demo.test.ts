import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { accountOverview } from '../src/account-view/index.ts';
import { isValidAccountNumber } from '../src/customer/index.ts';
import { loadDemo, type DemoSummary } from '../src/demo/index.ts';
import type { Db } from '../src/platform/db/database.ts';
import { findAccounts } from '../src/search/index.ts';
import { createTestRuntime, type TestRuntime } from './support/runtime.ts';

// The demo district in a real database (embedded by default, a server database with DATABASE_URL).
const seed = 42;
const accounts = 300;
let rt: TestRuntime;
let summary: DemoSummary;
const progress: [number, number][] = [];

beforeAll(async () => {
  rt = await createTestRuntime();
  summary = await loadDemo(rt, { accounts, seed, onProgress: (done, total) => progress.push([done, total]) });
});
afterAll(async () => {
  await rt?.close();
});

const count = async (db: Db, table: string) =>
  (await sql<{ n: number }>`select count(*)::int as n from ${sql.table(table)}`.execute(db)).rows[0]!.n;

/** Rows of a table without their timestamps, in id order. */
const rowsOf = async (db: Db, table: string) =>
  (await sql<{ r: Record<string, unknown> }>`select to_jsonb(t) - 'created_at' - 'updated_at' as r from ${sql.table(table)} t order by id`.execute(db)).rows.map((x) => x.r);

describe('loadDemo', () => {
  it('reports what it inserted, table by table', async () => {
    expect(summary).toMatchObject({ accounts, seed });
    expect(summary.customers).toBeGreaterThan(accounts * 0.9);
    expect(summary.customers).toBeLessThanOrEqual(accounts);
    expect(await count(rt.db, 'accounts')).toBe(summary.accounts);
    expect(await count(rt.db, 'customers')).toBe(summary.customers);
    expect(await count(rt.db, 'premises')).toBe(summary.premises);
    expect(await count(rt.db, 'service_points')).toBe(summary.servicePoints);
    expect(await count(rt.db, 'meters')).toBe(summary.meters);
    expect(await count(rt.db, 'meter_installations')).toBe(summary.meters);
    expect(await count(rt.db, 'service_agreements')).toBe(summary.agreements);
    expect(progress.at(-1)).toEqual([accounts, accounts]);
  });

  it('records one audit event for the load', async () => {
    const { rows } = await sql<{ username: string; entity_type: string; entity_id: string; after: unknown; reason: string }>`
      select username, entity_type, entity_id, after, reason from audit_events where action = 'demo_load'`.execute(rt.db);
    expect(rows).toEqual([{ username: 'demo', entity_type: 'district', entity_id: String(seed), after: { ...summary }, reason: 'Demo district loaded' }]);
  });

  it('gives every account a valid number and at least one service agreement', async () => {
    const { rows } = await sql<{ account_number: string; agreements: number }>`
      select a.account_number, (select count(*)::int from service_agreements sa where sa.account_id = a.id) as agreements from accounts a`.execute(rt.db);
    expect(rows.every((r) => isValidAccountNumber(r.account_number))).toBe(true);
    expect(rows.filter((r) => r.agreements === 0)).toEqual([]);
  });

  it('installs each meter at a service point of its own kind', async () => {
    const { rows } = await sql<{ n: number }>`
      select count(*)::int as n from meter_installations mi join meters m on m.id = mi.meter_id join service_points sp on sp.id = mi.service_point_id
       where m.kind <> sp.service or mi.removed_on is not null`.execute(rt.db);
    expect(rows[0]!.n).toBe(0);
  });

  it('makes the same customers, accounts, premises, meters and agreements from the same seed in another database', async () => {
    const other = await createTestRuntime();
    try {
      expect(await loadDemo(other, { accounts, seed })).toEqual(summary);
      for (const table of ['customers', 'customer_contacts', 'customer_identifiers', 'accounts', 'account_alerts', 'premises', 'service_points', 'meters', 'meter_installations', 'service_agreements']) {
        expect(await rowsOf(other.db, table), table).toEqual(await rowsOf(rt.db, table));
      }
      const differentSeed = await loadDemo(other, { accounts: 50, seed: seed + 1 });
      expect(differentSeed.accounts).toBe(50);
      const names = async (db: Db, after: number) =>
        (await sql<{ display_name: string }>`select display_name from customers where id > ${after} order by id limit 50`.execute(db)).rows.map((r) => r.display_name);
      expect(await names(other.db, summary.customers)).not.toEqual(await names(rt.db, 0));
    } finally {
      await other.close();
    }
  });

  it('finds generated accounts by number, part of the name, and meter serial', async () => {
    const { rows } = await sql<{ id: number; account_number: string; display_name: string; serial: string }>`
      select a.id, a.account_number, c.display_name, m.serial
        from accounts a join customers c on c.id = a.customer_id
        join service_agreements sa on sa.account_id = a.id
        join meter_installations mi on mi.service_point_id = sa.service_point_id and mi.removed_on is null
        join meters m on m.id = mi.meter_id
       where a.status = 'active' and c.kind = 'person'
       order by a.id limit 1 offset 17`.execute(rt.db);
    const target = rows[0]!;

    const byNumber = await findAccounts(rt.db, target.account_number);
    expect(byNumber[0]).toMatchObject({ accountId: target.id, matchedOn: 'number', matched: target.account_number });

    const fragment = target.display_name.split(' ').at(-1)!.slice(0, 5);
    const byName = await findAccounts(rt.db, fragment.toLowerCase(), 50);
    expect(byName.map((r) => r.accountId)).toContain(target.id);

    const bySerial = await findAccounts(rt.db, target.serial.toLowerCase());
    expect(bySerial).toContainEqual(expect.objectContaining({ accountId: target.id, matchedOn: 'meter', matched: target.serial }));
  });

  it('shows a generated account on the account page with its services and meters', async () => {
    const { rows } = await sql<{ id: number }>`select id from accounts where customer_class = 'residential' and status = 'active' order by id limit 1`.execute(rt.db);
    const page = await accountOverview(rt.db, rt.clock, rows[0]!.id);
    expect(page.services.length).toBeGreaterThan(0);
    expect(page.services.some((s) => s.servicePoint.service === 'electric' && s.meter?.serial.startsWith('E'))).toBe(true);
    expect(page.customer.accounts.map((a) => a.id)).toContain(rows[0]!.id);
  });

  it('loads inside a caller\'s transaction and rolls back with it', async () => {
    const before = await count(rt.db, 'accounts');
    await expect(rt.db.transaction().execute(async (trx) => {
      const inside = await loadDemo({ db: trx, clock: rt.clock }, { accounts: 70, seed: 9 });
      expect(await count(trx, 'accounts')).toBe(before + inside.accounts);
      throw new Error('changed my mind');
    })).rejects.toThrow('changed my mind');
    expect(await count(rt.db, 'accounts')).toBe(before);
  });

  it('adds a second district beside the first when run again, with new numbers and serials', async () => {
    const again = await loadDemo(rt, { accounts: 100, seed });
    expect(again.accounts).toBe(100);
    expect(await count(rt.db, 'accounts')).toBe(accounts + 100);
    const { rows } = await sql<{ numbers: number; serials: number }>`
      select (select count(distinct account_number)::int from accounts) as numbers, (select count(distinct serial)::int from meters) as serials`.execute(rt.db);
    expect(rows[0]).toEqual({ numbers: accounts + 100, serials: summary.meters + again.meters });
  });
});
