import { generateSchedule } from '../src/billing/schedule.ts';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { accountOverview } from '../src/account-view/index.ts';
import { isValidAccountNumber } from '../src/customer/index.ts';
import { loadDemo, type DemoSummary } from '../src/demo/index.ts';
import { meterReads } from '../src/meter-read/index.ts';
import { systemActor } from '../src/platform/actor.ts';
import type { Db } from '../src/platform/db/database.ts';
import { Dec } from '../src/platform/decimal.ts';
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
}, 360_000); // 24 months of bills, then the month of collections runs
afterAll(async () => {
  await rt?.close();
});

const count = async (db: Db, table: string) =>
  (await sql<{ n: number }>`select count(*)::int as n from ${sql.table(table)}`.execute(db)).rows[0]!.n;

/** Accounts the demo's activity adds beside the generated district: the bad-debt demo's final accounts and a deceased customer's survivor. */
const activityAccounts = (s: DemoSummary) => (s.badDebt?.finalAccounts ?? 0) + (s.bankruptcyDeceased?.survivorAccounts ?? 0);
/** Reads the demo's activity adds: the collections demo's disconnections worked in the field (the generator's reads are cycle and install reads). */
const GENERATED = sql`purpose <> 'disconnect'`;

/** Rows of a table without their timestamps, in id order. */
const rowsOf = async (db: Db, table: string) =>
  (await sql<{ r: Record<string, unknown> }>`select to_jsonb(t) - 'created_at' - 'updated_at' as r from ${sql.table(table)} t order by id`.execute(db)).rows.map((x) => x.r);

describe('loadDemo', () => {
  it('reports what it inserted, table by table', async () => {
    expect(summary).toMatchObject({ accounts, seed });
    expect(summary.customers).toBeGreaterThan(accounts * 0.9);
    expect(summary.customers).toBeLessThanOrEqual(accounts);
    // Besides the generated district: the bad-debt demo's final fiber accounts (each a customer,
    // premise, service point and agreement of its own) and the survivor of a deceased customer.
    const finals = summary.badDebt!.finalAccounts;
    expect(await count(rt.db, 'accounts')).toBe(summary.accounts + finals + summary.bankruptcyDeceased!.survivorAccounts);
    expect(await count(rt.db, 'customers')).toBe(summary.customers + finals + summary.bankruptcyDeceased!.survivorCustomers);
    expect(await count(rt.db, 'premises')).toBe(summary.premises + finals);
    expect(await count(rt.db, 'service_points')).toBe(summary.servicePoints + finals);
    expect(await count(rt.db, 'meters')).toBe(summary.meters);
    expect(await count(rt.db, 'meter_installations')).toBe(summary.meters);
    expect(await count(rt.db, 'service_agreements')).toBe(summary.agreements + finals);
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
    // (The survivor's new account has its service once the field completes the transfer's orders.)
    expect(rows.filter((r) => r.agreements === 0)).toHaveLength(summary.bankruptcyDeceased!.survivorAccounts);
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
      for (const table of ['customers', 'customer_contacts', 'customer_identifiers', 'accounts', 'account_alerts', 'premises', 'service_points', 'meters', 'meter_installations', 'service_agreements', 'meter_reads', 'read_exceptions']) {
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
  }, 240_000); // two whole demo loads (24 months of bills each)

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
      expect(await count(trx, 'accounts')).toBe(before + inside.accounts + activityAccounts(inside));
      throw new Error('changed my mind');
    })).rejects.toThrow('changed my mind');
    expect(await count(rt.db, 'accounts')).toBe(before);
  });

});

describe('the demo district\'s meter reads', () => {
  const today = '2026-11-26';

  it('gives every installed meter its monthly cycle reads for 24 months, from its installation when that is later', async () => {
    const { rows } = await sql<{ meter_id: number; installed_on: string; reads: number; first: string | null; last: string | null; installs: number; first_purpose: string | null; elsewhere: number }>`
      select m.id as meter_id, mi.installed_on, count(r.id)::int as reads, min(r.read_date) as first, max(r.read_date) as last,
             count(*) filter (where r.purpose = 'install')::int as installs,
             (array_agg(r.purpose order by r.read_date))[1] as first_purpose,
             count(*) filter (where r.service_point_id <> mi.service_point_id)::int as elsewhere
        from meters m join meter_installations mi on mi.meter_id = m.id
        left join meter_reads r on r.meter_id = m.id and r.${GENERATED}
       group by m.id, mi.installed_on`.execute(rt.db);
    expect(rows.length).toBe(summary.meters);
    expect(rows.reduce((n, r) => n + r.reads, 0)).toBe(summary.reads);
    for (const r of rows) {
      expect(r.elsewhere).toBe(0);
      const label = `meter ${r.meter_id} installed ${r.installed_on}`;
      if (r.installed_on > today) {
        expect(r.reads, label).toBe(0);
        continue;
      }
      if (r.installs === 0) {
        // Installed before the window (its cycle's first date in it): 24 cycle reads, the first of
        // them with nothing to measure from.
        expect(r, label).toMatchObject({ reads: 24, first_purpose: 'cycle' });
        expect(r.installed_on < r.first!, label).toBe(true);
      } else {
        // Installed inside it: an install read on the day, then the cycle reads after it.
        expect(r, label).toMatchObject({ installs: 1, first_purpose: 'install', first: r.installed_on });
        expect(r.reads, label).toBeLessThanOrEqual(25);
      }
      if (r.installed_on < '2024-11-01') expect(r.installs, label).toBe(0);
      if (r.installed_on > '2025-01-01') expect(r.installs, label).toBe(1);
      expect(r.last! <= today && r.last! > '2026-10-20', label).toBe(true);
    }
    expect(rows.filter((r) => r.installs === 1).length).toBeGreaterThan(0);
    expect(rows.filter((r) => r.reads === 24).length).toBeGreaterThan(rows.length * 0.8);
  });

  it('bills 24 months with the real billing run: every run tied, the ledger equal to the posted bills, a few bills left for review', async () => {
    expect(summary.bills.tariffs).toBeGreaterThanOrEqual(7);
    expect(summary.bills.runs).toBeGreaterThan(20 * 23);
    expect(summary.bills.posted).toBeGreaterThan(summary.agreements * 15);
    const runs = (await sql<{ summary: { control: { tied: boolean } } }>`select summary from bill_runs`.execute(rt.db)).rows;
    expect(runs.length).toBe(summary.bills.runs);
    expect(runs.every((r) => r.summary.control.tied)).toBe(true);
    const { rows } = await sql<{ bills: string; ledger: string; held: number }>`
      select (select sum(total_cents) from bills where status = 'posted')::text as bills,
             (select sum(amount_cents) from ledger_entries where kind = 'bill')::text as ledger,
             (select count(*) from bills where status = 'held')::int as held`.execute(rt.db);
    expect(rows[0]!.ledger).toBe(rows[0]!.bills);
    expect(rows[0]!.held).toBe(summary.bills.held);
    // An active residential account's electric bills come every month, one after the other.
    const { rows: gaps } = await sql<{ n: number }>`
      select count(*)::int as n from (
        select period_from, lag(period_to) over (partition by agreement_id order by period_from) as prev from bills where status = 'posted') b
       where prev is not null and period_from <> prev + 1`.execute(rt.db);
    expect(gaps[0]!.n).toBe(0);
  });

  it('puts some residential customers on budget billing ten months ago: their bills deferred, the budget amount charged monthly and paid', async () => {
    expect(summary.bills.budgetPlans).toBeGreaterThan(0);
    const { rows } = await sql<{ plans: number; deferrals: number; instalments: number; unbalanced: number }>`
      select (select count(*) from budget_plans)::int as plans,
             (select count(*) from ledger_entries where reason_code = 'BUDGET_DEFER')::int as deferrals,
             (select count(*) from ledger_entries where reason_code = 'BUDGET_INSTALMENT')::int as instalments,
             -- every deferral undoes its own bill's amount exactly
             (select count(*) from ledger_entries d join bills b on b.id = d.bill_id
               where d.reason_code = 'BUDGET_DEFER' and d.amount_cents <> -b.total_cents)::int as unbalanced`.execute(rt.db);
    expect(rows[0]!.plans).toBe(summary.bills.budgetPlans);
    expect(rows[0]!.deferrals).toBeGreaterThan(rows[0]!.plans * 5);
    expect(rows[0]!.instalments).toBeGreaterThan(rows[0]!.plans * 5);
    expect(rows[0]!.unbalanced).toBe(0);
    // Deposits asked today where the credit rule calls for one, each with its first instalment billed.
    const { rows: dep } = await sql<{ deposits: number; billed: number }>`
      select (select count(*) from deposits)::int as deposits, (select count(*) from deposit_instalments where billed_on is not null)::int as billed`.execute(rt.db);
    // (And the adequate-assurance deposits the bankruptcy demo asks.)
    const asked = summary.bills.deposits + summary.bankruptcyDeceased!.assuranceDeposits;
    expect(dep[0]).toEqual({ deposits: asked, billed: asked });
  });

  it('gives some accounts energy-assistance pledges: most paid by an agency check, two short, two expired, a dozen open and holding collection', async () => {
    expect(summary.assistance).toEqual({ agencies: 1, programs: 2, pledges: 36, paid: 20, short: 2, expired: 2, open: 12 });
    const { rows } = await sql<{ status: string; n: number; alerts: number }>`
      select p.status, count(*)::int as n, count(*) filter (where a.cleared_at is null)::int as alerts
        from assistance_pledges p join account_alerts a on a.id = p.alert_id group by p.status order by p.status`.execute(rt.db);
    expect(rows.map((r) => [r.status, r.n])).toEqual([['expired', 4], ['open', 12], ['paid', 20]]);
    // Only the open pledges keep their pledge-pending alerts; the agency's money is on the ledger as agency payments.
    expect(rows.map((r) => [r.status, r.alerts])).toEqual([['expired', 0], ['open', 12], ['paid', 0]]);
    const { rows: money } = await sql<{ pledged: string; agency: string }>`
      select (select sum(received_cents) from assistance_pledges)::text as pledged,
             ((select sum(amount_cents) from payments where channel = 'agency' and status = 'posted')
               - (select coalesce(sum(net_cents), 0) from agency_collections where payment_id is not null))::text as agency`.execute(rt.db);
    expect(money[0]!.pledged).toBe(money[0]!.agency);
  });

  it("reads each meter on its billing cycle's scheduled read dates, the cycle being the account's at the service point", async () => {
    const { rows } = await sql<{ read_date: string; cycle: number }>`
      select r.read_date::text,
             (select a.billing_cycle from service_agreements sa join accounts a on a.id = sa.account_id
               where sa.service_point_id = r.service_point_id order by sa.start_date desc, sa.id desc limit 1) as cycle
        from meter_reads r where r.purpose = 'cycle'`.execute(rt.db);
    expect(rows.length).toBeGreaterThan(summary.reads * 0.9);
    const scheduled = new Set<string>();
    for (const year of new Set(rows.map((r) => Number(r.read_date.slice(0, 4))))) {
      for (const e of generateSchedule({ year, cycles: 20 })) scheduled.add(`${e.cycle}:${e.readDate}`);
    }
    expect(rows.filter((r) => !scheduled.has(`${r.cycle}:${r.read_date}`))).toEqual([]);
  });

  it('measures each read from the one before it: usage = (reading - previous reading, + 10^dials on a rollover) x multiplier', async () => {
    const { rows } = await sql<Record<string, number>>`
      with x as (
        select r.*, m.multiplier as meter_multiplier, m.dials as meter_dials,
               lag(r.id) over w as prev_id, lag(r.reading) over w as prev_reading, lag(r.read_date) over w as prev_date,
               row_number() over w as n
          from meter_reads r join meters m on m.id = r.meter_id
        window w as (partition by r.meter_id order by r.read_date, r.id))
      select count(*)::int as reads,
             count(*) filter (where n = 1 and (previous_read_id is not null or usage is not null or rollover))::int as first_measured,
             count(*) filter (where n > 1 and previous_read_id is distinct from prev_id)::int as wrong_previous,
             count(*) filter (where n > 1 and usage is distinct from (reading - prev_reading + case when rollover then 10::numeric ^ dials else 0 end) * multiplier)::int as wrong_usage,
             count(*) filter (where n > 1 and rollover <> (reading < prev_reading))::int as wrong_rollover,
             count(*) filter (where usage < 0 or reading >= 10::numeric ^ dials)::int as out_of_range,
             count(*) filter (where multiplier <> meter_multiplier or dials <> meter_dials or usage_on <> read_date)::int as wrong_copy,
             count(*) filter (where rollover)::int as rollovers,
             count(*) filter (where n > 1 and usage > 0 and meter_multiplier > 1)::int as ct_reads
        from x`.execute(rt.db);
    const disconnections = (await sql<{ n: number }>`select count(*)::int as n from meter_reads where purpose = 'disconnect'`.execute(rt.db)).rows[0]!.n;
    expect(rows[0]).toMatchObject({ reads: summary.reads + disconnections, first_measured: 0, wrong_previous: 0, wrong_usage: 0, wrong_rollover: 0, out_of_range: 0, wrong_copy: 0 });
    expect(rows[0]!.rollovers).toBeGreaterThan(0);
    expect(rows[0]!.ct_reads).toBeGreaterThan(0);
  });

  it('marks a read as an exception exactly when an open exception is filed on it; older findings were accepted', async () => {
    const { rows } = await sql<{ wrong_exception: number; wrong_accepted: number; wrong_valid: number; old_open: number; exceptions: number; accepted: number; filed: number }>`
      with x as (
        select r.id, r.status, r.read_date, r.meter_id,
               (select count(*) from read_exceptions e where e.read_id = r.id and e.status = 'open') as open,
               (select count(*) from read_exceptions e where e.read_id = r.id) as filed,
               r.read_date = (select max(read_date) from meter_reads l where l.meter_id = r.meter_id and l.${GENERATED}) as latest
          from meter_reads r where r.${GENERATED})
      select count(*) filter (where (status = 'exception') <> (open > 0))::int as wrong_exception,
             count(*) filter (where (status = 'accepted') <> (filed > 0 and open = 0))::int as wrong_accepted,
             count(*) filter (where (status = 'valid') <> (filed = 0))::int as wrong_valid,
             count(*) filter (where open > 0 and not latest)::int as old_open,
             count(*) filter (where status = 'exception')::int as exceptions,
             count(*) filter (where status = 'accepted')::int as accepted,
             (select count(*)::int from read_exceptions e join meter_reads g on g.id = e.read_id where g.${GENERATED}) as filed
        from x`.execute(rt.db);
    expect(rows[0]).toMatchObject({ wrong_exception: 0, wrong_accepted: 0, wrong_valid: 0, old_open: 0, filed: summary.readExceptions });
    expect(rows[0]!.exceptions).toBeGreaterThan(0);
    // A small share of reads.
    expect(rows[0]!.exceptions + rows[0]!.accepted).toBeLessThan(summary.reads * 0.03);
    const { rows: resolved } = await sql<{ bad: number }>`
      select count(*)::int as bad from read_exceptions
       where (status = 'open') <> (resolved_at is null) or (status = 'accepted') <> (resolution_reason is not null)`.execute(rt.db);
    expect(resolved[0]!.bad).toBe(0);
  });

  it('fills the read-exceptions queue with high reads and more, each with its account', async () => {
    const queue = await meterReads.openExceptions(rt.db, { after: 0, limit: 1000 });
    expect(queue.length).toBeGreaterThan(2);
    expect(queue.map((e) => e.code)).toContain('high_vs_average');
    expect(queue.filter((e) => e.accountNumber !== null).length).toBeGreaterThan(queue.length / 2);
    const high = queue.find((e) => e.code === 'high_vs_average')!;
    expect(high.message).toMatch(/^\d+\.\d\d (kWh|gal)\/day is more than \d+(\.\d+)? x the average of the last (\d )?read periods? with use \(\d+\.\d\d (kWh|gal)\/day\)$/);
    expect(high.readDate > '2026-10-20').toBe(true);
  });

  it('estimates a few reads by the estimation rule', async () => {
    const { rows } = await sql<{ read_type: string; source: string; purpose: string; estimate_rule: string | null }>`
      select read_type, source, purpose, estimate_rule from meter_reads where read_type = 'estimated' or source = 'estimate' or estimate_rule is not null`.execute(rt.db);
    expect(rows.length).toBeGreaterThan(0);
    expect(rows.length).toBeLessThan(summary.reads * 0.01);
    for (const r of rows) {
      expect(r).toMatchObject({ read_type: 'estimated', source: 'estimate', purpose: 'cycle' });
      expect(r.estimate_rule).toMatch(/^average of the last 3 read periods: \d+ (kWh|gal) over \d+ days = [\d.]+ (kWh|gal)\/day; x \d+ days = \d+ (kWh|gal)$/);
    }
    const { rows: others } = await sql<{ n: number }>`
      select count(*)::int as n from meter_reads where ${GENERATED} and read_type <> 'estimated' and (read_type <> 'actual' or source <> 'demo' or estimate_rule is not null)`.execute(rt.db);
    expect(others[0]!.n).toBe(0);
  });

  it('uses realistic amounts: homes 600-1,500 kWh a month, more in winter with electric heat; water peaks in summer', async () => {
    const { rows } = await sql<{ kind: string; median: number; winter: number; summer: number }>`
      with u as (
        select case when m.kind = 'water' then 'water' when p.space_heating then 'heated' else 'unheated' end as kind,
               r.usage / (r.read_date - pr.read_date) * 30 as monthly, extract(month from r.read_date) as month
          from meter_reads r join meter_reads pr on pr.id = r.previous_read_id
          join meters m on m.id = r.meter_id join service_points sp on sp.id = r.service_point_id join premises p on p.id = sp.premise_id
         where p.premise_type in ('single_family', 'mobile_home') and r.usage > 0 and r.status = 'valid')
      select kind, round(percentile_cont(0.5) within group (order by monthly))::int as median,
             round(avg(monthly) filter (where month in (1, 2)))::int as winter, round(avg(monthly) filter (where month in (7, 8, 9)))::int as summer
        from u group by kind order by kind`.execute(rt.db);
    const by = Object.fromEntries(rows.map((r) => [r.kind, r]));
    expect(by.heated!.median).toBeGreaterThan(600);
    expect(by.heated!.median).toBeLessThan(1500);
    expect(by.heated!.winter).toBeGreaterThan(by.heated!.summer * 1.3);
    expect(by.unheated!.median).toBeGreaterThan(300);
    expect(by.unheated!.summer).toBeGreaterThan(by.unheated!.winter);
    expect(by.water!.summer).toBeGreaterThan(by.water!.winter * 2);
  });

  it('loads the months asked for, or none', async () => {
    const other = await createTestRuntime();
    try {
      const none = await loadDemo(other, { accounts: 64, seed, readMonths: 0 });
      expect(none).toMatchObject({ reads: 0, readExceptions: 0 });
      expect(await count(other.db, 'meter_reads')).toBe(0);
      const six = await loadDemo(other, { accounts: 64, seed: seed + 1, readMonths: 6 });
      const { rows } = await sql<{ most: number }>`select max(n)::int as most from (select count(*) as n from meter_reads where ${GENERATED} group by meter_id) x`.execute(other.db);
      expect(rows[0]!.most).toBe(6);
      expect(six.reads).toBeLessThanOrEqual(six.meters * 7);
      await expect(loadDemo(other, { accounts: 1, seed, readMonths: -1 })).rejects.toThrow(/readMonths/);
    } finally {
      await other.close();
    }
  });

  it('gives the reads the meter-read service itself would: the same usage, rollovers, findings and estimates', async () => {
    // A second database with the same district and no reads; the demo's reads of a sample of
    // meters are recorded there again through the service, in date order, and must come out the same.
    const replay = await createTestRuntime();
    try {
      await loadDemo(replay, { accounts, seed, readMonths: 0 });
      // Meters at service points in service now (the service validates with today's status):
      // every one with a finding or an estimate, some that rolled over, some new ones, some plain.
      const { rows: meters } = await sql<{ meter_id: number }>`
        with m as (
          select r.meter_id,
                 bool_or(r.status <> 'valid') as finding, bool_or(r.read_type = 'estimated') as estimated,
                 bool_or(r.rollover) as rolled, bool_or(r.purpose = 'install') as installed
            from meter_reads r join service_points sp on sp.id = r.service_point_id
           where sp.status = 'active'
           group by r.meter_id)
        (select meter_id from m where estimated order by meter_id limit 12)
        union (select meter_id from m where finding order by meter_id limit 25)
        union (select meter_id from m where rolled order by meter_id limit 5)
        union (select meter_id from m where installed order by meter_id limit 5)
        union (select meter_id from m order by meter_id limit 8)`.execute(rt.db);
      expect(meters.length).toBeGreaterThan(20);
      const actor = systemActor('replay');
      let compared = 0;
      for (const { meter_id } of meters) {
        const { rows: reads } = await sql<{ id: number; read_date: string; reading: string; rollover: boolean; read_type: string; purpose: 'cycle' | 'install';
          usage: string | null; status: string; previous_read_id: number | null; estimate_rule: string | null; codes: string[]; messages: string[] }>`
          select r.id, r.read_date, r.reading, r.rollover, r.read_type, r.purpose, r.usage, r.status, r.previous_read_id, r.estimate_rule,
                 coalesce(array_agg(e.code order by e.id) filter (where e.id is not null), '{}') as codes,
                 coalesce(array_agg(e.message order by e.id) filter (where e.id is not null), '{}') as messages
            from meter_reads r left join read_exceptions e on e.read_id = r.id
           where r.meter_id = ${meter_id} group by r.id order by r.read_date`.execute(rt.db);
        const replayedIds = new Map<number, number>();
        for (const r of reads) {
          const result = r.read_type === 'estimated'
            ? await meterReads.estimate(replay.db, actor, { meterId: meter_id, readDate: r.read_date }, 'replay')
            : await meterReads.recordRead(replay.db, actor, { meterId: meter_id, readDate: r.read_date, reading: r.reading, rollover: r.rollover, purpose: r.purpose, source: 'demo' }, { audit: false });
          const label = `meter ${meter_id} read ${r.read_date}`;
          replayedIds.set(r.id, result.read.id);
          expect(result.read.reading, label).toBe(Dec.of(r.reading).toString());
          expect(result.read.usage, label).toBe(r.usage === null ? null : Dec.of(r.usage).toString());
          expect(result.read.rollover, label).toBe(r.rollover);
          expect(result.read.previousReadId, label).toBe(r.previous_read_id === null ? null : replayedIds.get(r.previous_read_id));
          expect(result.read.estimateRule, label).toBe(r.estimate_rule);
          expect(result.findings.map((f) => f.code), label).toEqual(r.codes);
          expect(result.findings.map((f) => f.message), label).toEqual(r.messages);
          expect(result.read.status, label).toBe(r.status === 'valid' ? 'valid' : 'exception');
          compared++;
        }
      }
      expect(compared).toBeGreaterThan(400);
    } finally {
      await replay.close();
    }
  });
});

describe('the demo collections', () => {
  it('has accounts at every step of the path: notices, 48-hour notices, disconnect orders, disconnected, reconnected, and passed over for a protection', async () => {
    expect(summary.collections!.runs).toBeGreaterThan(18);
    const { rows } = await sql<{ action: string; n: number }>`select action, count(*)::int as n from collection_actions group by action order by action`.execute(rt.db);
    const n = Object.fromEntries(rows.map((r) => [r.action, r.n]));
    for (const a of ['case_opened', 'past_due_notice', 'disconnect_notice', 'final_notice', 'disconnect_order', 'late_fee', 'skipped']) expect(n[a], a).toBeGreaterThan(0);
    expect(summary.collections!.disconnected).toBeGreaterThan(0);
    const open = await sql<{ step: string | null; disconnected: boolean; n: number }>`
      select step_code as step, disconnected_on is not null as disconnected, count(*)::int as n from collection_cases where status = 'open' group by 1, 2`.execute(rt.db);
    expect(open.rows.length, JSON.stringify(open.rows)).toBeGreaterThan(2);
    expect(open.rows.some((r) => r.disconnected)).toBe(true);
  });
});

// Last: it adds a district to the shared database.
describe('loading again', () => {
  it('adds a second district beside the first when run again, with new numbers and serials', async () => {
    const again = await loadDemo(rt, { accounts: 100, seed });
    expect(again.accounts).toBe(100);
    const all = accounts + 100 + activityAccounts(summary) + activityAccounts(again);
    expect(await count(rt.db, 'accounts')).toBe(all);
    const { rows } = await sql<{ numbers: number; serials: number; reads: number }>`
      select (select count(distinct account_number)::int from accounts) as numbers, (select count(distinct serial)::int from meters) as serials,
             (select count(*)::int from meter_reads where ${GENERATED}) as reads`.execute(rt.db);
    expect(rows[0]).toEqual({ numbers: all, serials: summary.meters + again.meters, reads: summary.reads + again.reads });
  });
});
