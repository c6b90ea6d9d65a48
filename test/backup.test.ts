import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import zlib from 'node:zlib';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { billing, runBilling } from '../src/billing/index.ts';
import { customers } from '../src/customer/index.ts';
import { ledger } from '../src/ledger/index.ts';
import { tariffs } from '../src/tariff/index.ts';
import { systemActor, type Actor } from '../src/platform/actor.ts';
import { backupDatabase, restoreDatabase, verifyBackup, type BackupSummary } from '../src/platform/db/backup.ts';
import type { Db } from '../src/platform/db/database.ts';
import { meterReads, readFiles } from '../src/meter-read/index.ts';
import { premises } from '../src/premise/index.ts';
import { completeOrder, serviceOrders } from '../src/service-order/index.ts';
import { createApiToken, createUser, login } from '../src/staff/index.ts';
import { createTestRuntime, type TestRuntime } from './support/runtime.ts';
import { autopay, deposits as bankDeposits, paymentImports, payments, returns } from '../src/payment/index.ts';
import { deposits } from '../src/deposit/index.ts';
import { refunds } from '../src/refund/index.ts';
import { standardCardSettlementLayout } from '../src/payment/formats/csv-layout.ts';
import { bai2Report } from './support/bank-files.ts';
import { assistance } from '../src/assistance/index.ts';
import { badDebt } from '../src/bad-debt/index.ts';
import { bankruptcy } from '../src/bankruptcy/index.ts';
import { deceased } from '../src/deceased/index.ts';

/**
 * Backup, wipe, restore gives the same data: every table of the catalog is compared row by row
 * (in primary-key order, as row_to_json text), and every sequence's position.
 */

interface Snapshot {
  tables: Record<string, string[]>;
  sequences: Record<string, { lastValue: string; isCalled: boolean }>;
}

async function catalogTables(db: Db): Promise<string[]> {
  const { rows } = await sql<{ name: string }>`
    select table_name as name from information_schema.tables
     where table_schema = 'public' and table_type = 'BASE TABLE' order by table_name`.execute(db);
  return rows.map((r) => r.name);
}

async function snapshot(db: Db): Promise<Snapshot> {
  const tables: Snapshot['tables'] = {};
  for (const name of await catalogTables(db)) {
    const { rows: key } = await sql<{ column: string }>`
      select a.attname as column from pg_index i
        join pg_attribute a on a.attrelid = i.indrelid and a.attnum = any(i.indkey)
       where i.indrelid = ${`public.${name}`}::regclass and i.indisprimary order by array_position(i.indkey::int2[], a.attnum)`.execute(db);
    expect(key.length, `table ${name} has a primary key`).toBeGreaterThan(0);
    const orderBy = key.map((k) => `"${k.column}"`).join(', ');
    // When a database was migrated is not data: schema_migrations is compared by what was applied.
    const from = name === 'schema_migrations' ? `(select version, name, checksum from schema_migrations) t` : `public."${name}" t`;
    const { rows } = await sql<{ r: string }>`select row_to_json(t)::text as r from ${sql.raw(from)} order by ${sql.raw(orderBy)}`.execute(db);
    tables[name] = rows.map((x) => x.r);
  }
  const sequences: Snapshot['sequences'] = {};
  const { rows: seqs } = await sql<{ name: string }>`
    select sequencename as name from pg_sequences where schemaname = 'public' order by sequencename`.execute(db);
  for (const { name } of seqs) {
    const { rows } = await sql<{ last_value: string; is_called: boolean }>`select last_value::text as last_value, is_called from ${sql.raw(`public."${name}"`)}`.execute(db);
    sequences[name] = { lastValue: rows[0]!.last_value, isCalled: rows[0]!.is_called };
  }
  return { tables, sequences };
}

/** Empties every table but schema_migrations, as a disaster would (the audit trail's guard is lifted for it). */
async function wipe(db: Db): Promise<void> {
  const names = (await catalogTables(db)).filter((n) => n !== 'schema_migrations');
  await db.transaction().execute(async (trx) => {
    await sql`alter table audit_events disable trigger audit_events_no_truncate`.execute(trx);
    await sql`alter table ledger_entries disable trigger ledger_entries_no_truncate`.execute(trx);
    await sql.raw(`truncate table ${names.map((n) => `public."${n}"`).join(', ')} restart identity cascade`).execute(trx);
    await sql`alter table ledger_entries enable trigger ledger_entries_no_truncate`.execute(trx);
    await sql`alter table audit_events enable trigger audit_events_no_truncate`.execute(trx);
  });
}

const note = 'Line one\nLine two\r\n\ttabbed "double" \'single\' \\ backslash — ünïcödé 🚰 ⚡ 水道';

async function fill(rt: TestRuntime): Promise<void> {
  const { db, clock } = rt;
  const system = systemActor('test');
  const admin = await createUser(db, system, { username: 'ana.admin', displayName: 'Ana "The Boss" O\'Neil — Ñandú 🦩', role: 'admin', password: 'correct horse battery' });
  await createUser(db, system, { username: 'csr.one', displayName: 'Çsr Üno\nSecond line', role: 'csr1', password: 'another long password' });
  await login(db, clock, 'ana.admin', 'correct horse battery', '203.0.113.7');
  await createApiToken(db, system, { userId: admin.id, name: 'Billing export "nightly" ✓', expiresAt: new Date('2027-01-01T00:00:00.123Z') });
  const actor: Actor = { userId: admin.id, username: admin.username, role: 'admin', requestId: 'req-"1"' };

  const zoe = await customers.createCustomer(db, actor, {
    kind: 'person',
    firstName: 'Zoë',
    lastName: "Ñúñez-O'Brien 王小明",
    dateOfBirth: '1950-02-28',
    preferredLanguage: 'es',
    contacts: [
      { kind: 'email', value: 'zoe.nunez@example.org', isPrimary: true },
      { kind: 'mobile', value: '+1 (509) 555-0134', label: 'Cell "personal"' },
    ],
    identifiers: [{ kind: 'ssn_last4', value: '0042' }],
  });
  const acme = await customers.createCustomer(db, system, {
    kind: 'business',
    businessName: 'Acme "Orchards" & Sons \\ LLC 🍎',
    identifiers: [{ kind: 'ein', value: '12-3456789' }],
  });
  // Burn sequence values so the saved positions differ from max(id): restore must keep them.
  await sql`select nextval('account_number_seq'), nextval(pg_get_serial_sequence('customers', 'id'))`.execute(db);

  const address = { line1: '1 Rue de l\'Église', line2: 'Apt "B"', city: 'Wenatchee', state: 'wa', postalCode: '98801' };
  const a1 = await customers.createAccount(db, actor, clock, { customerId: zoe.id, customerClass: 'residential', billingCycle: 7, billingAddress: address });
  const a2 = await customers.createAccount(db, actor, clock, { customerId: acme.id, customerClass: 'irrigation', billingCycle: 99, billingAddress: { ...address, line2: null }, openedOn: '2020-02-29' });
  const alert = await customers.addAlert(db, actor, clock, a1.id, { kind: 'medical_certificate', note, startsOn: '2026-11-01', endsOn: '2027-02-28' });
  await customers.addAlert(db, actor, clock, a2.id, { kind: 'other' });
  clock.advanceDays(1);
  await customers.clearAlert(db, actor, clock, a1.id, alert.id, 'Certificate ended\nearly');

  const home = await premises.createPremise(db, actor, { address: { line1: '742 Evergreen Terrace', city: 'Springfield', state: 'or', postalCode: '97477' }, premiseType: 'single_family', area: 'Zone "A"', spaceHeating: true, ownerCustomerId: zoe.id });
  const orchard = await premises.createPremise(db, actor, { address: { line1: 'Hwy 2 MP 119.5', line2: 'Pump house', city: 'Cashmere', state: 'WA', postalCode: '98815' }, premiseType: 'irrigation', area: 'Zone B' });
  const electric = await premises.addServicePoint(db, actor, home.id, { service: 'electric', status: 'active', route: 'R-07', locationNote: 'Behind the "blue" gate\nbeware of dog' });
  const water = await premises.addServicePoint(db, actor, orchard.id, { service: 'water', status: 'active' });
  await premises.addServicePoint(db, actor, home.id, { service: 'fiber' });
  const m1 = await premises.createMeter(db, actor, { serial: 'e-100-ä', kind: 'electric', manufacturer: 'Itron', model: 'OpenWay "Riva"', multiplier: '40.5', dials: 5 });
  const m2 = await premises.createMeter(db, actor, { serial: 'W-200', kind: 'water', multiplier: '0.0001', dials: 6, size: '5/8"' });
  await premises.installMeter(db, actor, m1.id, { servicePointId: electric.id, installedOn: '2026-11-26' }, 'New service');
  await premises.installMeter(db, actor, m2.id, { servicePointId: water.id, installedOn: '2020-03-01' }, 'New service');
  await premises.removeMeter(db, actor, m2.id, { removedOn: '2026-10-31' }, 'Failed test');
  await premises.createAgreement(db, actor, { accountId: a1.id, servicePointId: electric.id, rateCode: 'RES-1', startDate: '2026-11-26' });
  await premises.createAgreement(db, actor, { accountId: a2.id, servicePointId: water.id, rateCode: 'IRR "seasonal"', startDate: '2020-03-01', endDate: '2026-10-31' });

  // Reads, a read file, interval data, a landlord agreement, a held service order.
  await premises.createLandlordAgreement(db, actor, { premiseId: home.id, accountId: a2.id, services: ['electric'], rateCode: 'RES-1', startDate: '2026-01-01' });
  await meterReads.recordRead(db, actor, { meterId: m1.id, readDate: '2026-11-26', reading: '100', purpose: 'install', source: 'manual', note });
  await meterReads.recordRead(db, actor, { meterId: m1.id, readDate: '2026-11-27', reading: '100', source: 'manual' }); // zero use: an exception
  await readFiles.saveLayout(db, actor, { code: 'handheld "h1"', delimiter: ';', header: false, columns: { meterSerial: 1, readDate: 2, reading: 3 }, dateFormat: 'DD.MM.YYYY' }, 'Handheld export');
  const csv = 'meter_serial,read_date,reading,note\nE-100-Ä,2026-11-28,150,"🚰 ""ok"""\n';
  const file = await readFiles.importReads(db, actor, { format: 'csv', fileName: 'reads "nov".csv', content: Buffer.from(csv), timeZone: 'America/Los_Angeles' });
  expect(file.imported).toBe(1);
  await sql`insert into interval_reads (meter_id, flow, start_at, duration_seconds, kwh, import_id) values (${m1.id}, 'delivered', '2026-11-28 08:00:00.5+00', 900, 0.000125, ${file.importId})`.execute(db);
  const held = await serviceOrders.createOrder(db, actor, { type: 'move_out', servicePointId: electric.id, accountId: a1.id, effectiveDate: '2026-11-29', reason: 'Moving "away"' });
  expect((await completeOrder(db, actor, held.id, { notes: note })).held).toBe(true);

  // A tariff, the schedule, a billing run whose bill is held (no tariff RES-1 is loaded), and a
  // ledger adjustment.
  const resE = JSON.parse(fs.readFileSync(path.join(import.meta.dirname, '../src/tariff/examples/RES-E.json'), 'utf8'));
  await tariffs.loadTariff(db, actor, clock, resE, 'Rate schedule "2024"');
  await billing.generateYear(db, actor, clock, { year: 2026 }, 'Schedule');
  const run = await runBilling(db, actor, clock, { cycle: 7, date: '2026-12-31', timeZone: 'America/Los_Angeles' });
  expect(run.held).toBe(1);
  await billing.addTaxExemption(db, actor, clock, { accountId: a2.id, taxCode: 'PRIV', certificate: 'WA "EX" 7', startsOn: '2020-03-01', endsOn: '2026-10-31' }, note);
  await ledger.adjust(db, actor, clock, { accountId: a1.id, amountCents: -1234, reasonCode: 'GOODWILL', reason: note, entryDate: '2026-12-01', idempotencyKey: 'adj-"1"-ü' });
  // A deposit in two instalments (the first billed), and a refund of a1's credit sent to accounts payable.
  await deposits.requireDeposit(db, actor, clock, { accountId: a2.id, amountCents: 5000, instalments: 2, reason: note });
  await refunds.requestRefund(db, actor, clock, { accountId: a1.id, amountCents: 1000, reason: note });
  await refunds.exportRefunds(db, actor, clock, 'America/Los_Angeles');

  // Payments: a counter check with a returned item, the drawer closed and deposited, a card file
  // with a layout of the district's own, a bank report, autopay with its first (prenote) file.
  const pay = await payments.postCounterPayment(db, actor, clock, { accountId: a1.id, amountCents: 4321, method: 'check', reference: '0042', payerName: 'Zoë "Z" Ñúñez \\ 🚰', payerRouting: '091000019', payerAccount: '55-01' });
  await returns.returnPayment(db, actor, clock, pay.payment.id, { source: 'keyed', reasonCode: 'NSF', reason: note, returnedOn: clock.today() });
  const drawer = await payments.batchDetail(db, pay.payment.batchId);
  await payments.closeBatch(db, actor, clock, drawer.id, { count: drawer.count, totalCents: drawer.totalCents });
  await bankDeposits.makeDeposit(db, actor, clock, clock.today());
  await paymentImports.saveLayout(db, actor, clock, 'card', 'processor "b"', { ...standardCardSettlementLayout, code: 'processor "b"', description: note }, 'Second processor');
  const cardFile = `Transaction ID,Settlement Date,Customer Account,Cardholder Name,Card Type,Channel,Transaction Status,Amount,Fee\n"T ""1""",2026-11-27,${a2.accountNumber},"Ñandú, 🦩",Visa,Web,Settled Successfully,12.34,0.50\n`;
  await paymentImports.importFile(db, actor, clock, 'card', 'card "nov".csv', new TextEncoder().encode(cardFile), { layout: 'processor "b"' });
  await paymentImports.importFile(db, actor, clock, 'bai2', 'bank.bai', new TextEncoder().encode(bai2Report({ asOfDate: '2026-11-27', bankAccount: '1234567890', credits: [{ typeCode: '301', amountCents: 4321, bankReference: 'DEP', text: 'DEPOSIT 1' }] })));
  await autopay.enrol(db, actor, clock, { accountId: a2.id, routingNumber: '091000019', bankAccountNumber: '12-34', bankAccountType: 'savings', holderName: 'Acme "Orchards"' });
  await autopay.achFileFor(db, actor, clock, '2026-12-15');

  // Energy assistance: an agency with a file layout of its own, a program, a pledge paid in part by
  // the agency's check (another item of it in suspense), and the agency's file for the rest of it.
  const agency = await assistance.createAgency(db, actor, clock, {
    code: 'CDCAC', name: 'Chelan-Douglas "Community" Action 🔥', address: note, email: 'energy@cdcac.example.org',
    fileLayout: { code: 'cdcac "v2"', delimiter: ';', header: true, columns: { pledgeRef: 'Zusage', accountNumber: 'Konto', amount: 'Betrag', paymentDate: 'Datum' }, dateFormat: 'YYYY-MM-DD', amountFormat: 'decimal' },
  });
  const program = await assistance.createProgram(db, actor, clock, { agencyId: agency.id, code: 'LIHEAP', name: 'Low Income "Home" Energy ⚡', fundingYear: 2027, seasonFrom: '2026-10-01', seasonTo: '2027-09-30' });
  const pledge = await assistance.recordPledge(db, actor, clock, { accountId: a2.id, programId: program.id, amountCents: 20000, reference: 'LI-"7"' }, note);
  await assistance.postAgencyCheck(db, actor, clock, { agencyId: agency.id, checkNumber: '0042', receivedOn: clock.today(), totalCents: 7500, items: [{ pledgeId: pledge.id, amountCents: 5000 }, { accountNumber: '000000000', amountCents: 2500 }], note });
  const agencyFile = await assistance.importAgencyFile(db, actor, clock, 'agency "nov".csv', new TextEncoder().encode(`Zusage;Konto;Betrag;Datum\n"LI-""7""";${a2.accountNumber};12.50;${clock.today()}\n`), { agencyCode: 'CDCAC' });
  expect(agencyFile).toMatchObject({ records: 1, applied: 1 });

  // A budget plan that ended, with its events (made directly: a1's rate is not loaded, so it could not be quoted).
  const { rows: [plan] } = await sql<{ id: number }>`
    insert into budget_plans (account_id, status, monthly_cents, enrolled_on, settle_month, next_review_on, assistance_eligible, ended_on, end_reason, created_at)
    values (${a1.id}, 'ended', 8700, '2026-01-05', 12, '2026-04-05', true, '2026-11-30', 'request', now()) returning id`.execute(db);
  await sql`
    insert into budget_events (plan_id, kind, on_date, monthly_before_cents, monthly_after_cents, deferred_cents, detail, reason, created_at)
    values (${plan!.id}, 'enrolled', '2026-01-05', null, 8700, 0, ${JSON.stringify({ annualCents: 104321, note })}::jsonb, ${note}, now()),
           (${plan!.id}, 'ended', '2026-11-30', 8700, null, -1234, '{}', 'Customer asked', now())`.execute(db);

  // A collections case with a notice, its actions (one passed over for a protection) and the run of its day (made directly: no bill of a1 is past due).
  const { rows: [ccase] } = await sql<{ id: number }>`
    insert into collection_cases (account_id, opened_on, due_date, status, step_code, step_on, disconnect_from, created_at, updated_at)
    values (${a1.id}, '2026-11-20', '2026-11-19', 'open', 'disconnect_notice', '2026-11-27', '2026-12-09', now(), now()) returning id`.execute(db);
  const { rows: [cnotice] } = await sql<{ id: number }>`
    insert into collection_notices (case_id, account_id, kind, run_date, delivery, amount_cents, disconnect_from, content, created_at)
    values (${ccase!.id}, ${a1.id}, 'disconnect', '2026-11-27', 'mail', 4321, '2026-12-09', ${JSON.stringify({ title: 'Notice of disconnection', body: [note] })}::jsonb, now()) returning id`.execute(db);
  await sql`
    insert into collection_actions (run_date, account_id, case_id, action, step_code, past_due_cents, notice_id, order_ids, protections, detail, created_at)
    values ('2026-11-27', ${a1.id}, ${ccase!.id}, 'disconnect_notice', 'disconnect_notice', 4321, ${cnotice!.id}, '{}', null, ${note}, now()),
           ('2026-11-28', ${a1.id}, ${ccase!.id}, 'skipped', 'final_notice', 4321, null, '{7,9007199254740993}', ${JSON.stringify([{ kind: 'medical_certificate', detail: note, until: '2027-01-26' }])}::jsonb, 'Held', now())`.execute(db);
  await sql`insert into collection_runs (run_date, started_at, finished_at, result, print_file) values ('2026-11-27', now(), now(), ${JSON.stringify({ accountsReviewed: 1, note })}::jsonb, ${`notice_id,kind\r\n${note}\r\n`})`.execute(db);

  // Protections (made directly, with the characters a backup must keep): a medical notice and a
  // certificate, a dispute, a heat alert ended early, a winter plan as an arrangement with instalments.
  await sql`insert into medical_notices (account_id, told_on, told_by, note, holds_until, ended_on, end_reason, created_at) values (${a1.id}, '2026-11-24', 'Zoë "daughter"', ${note}, '2026-12-03', '2026-11-30', 'Over\nnow', now())`.execute(db);
  await sql`insert into medical_certificates (account_id, received_on, professional_name, note, delinquent_cents, payment_due_cents, holds_until, notice_holds_until, alert_id, created_at) values (${a1.id}, '2026-11-25', 'Dr. Ñandú "MD"', ${note}, 9007199254740993, 900719925474100, '2027-01-24', '2026-12-03', ${alert.id}, now())`.execute(db);
  await sql`insert into disputes (account_id, amount_cents, about, opened_on, resolved_on, outcome, created_at, resolved_at) values (${a2.id}, 4321, ${note}, '2026-11-01', '2026-11-20', 'Read "stands" 🚰', now(), now())`.execute(db);
  await sql`insert into heat_alerts (area, from_date, to_date, source, note, ended_on, end_reason, created_at) values ('Zone "A"', '2026-07-08', '2026-07-12', 'NWS Heat Advisory', ${note}, '2026-07-11', 'Cancelled', now())`.execute(db);
  const { rows: [plan2] } = await sql<{ id: number }>`
    insert into payment_arrangements (account_id, kind, status, start_on, arrears_cents, instalments, reason, created_at) values (${a1.id}, 'winter', 'active', '2026-11-27', 60000, 2, ${note}, now()) returning id`.execute(db);
  await sql`insert into arrangement_instalments (arrangement_id, n, due_on, amount_cents) values (${plan2!.id}, 1, '2026-11-27', 4000), (${plan2!.id}, 2, '2027-10-15', 56000)`.execute(db);
  await sql`
    insert into winter_protections (account_id, arrangement_id, notice_date, requested_on, monthly_income_cents, income_documented_to, applied_energy_assistance, applied_weatherization,
                                    arrears_cents, estimated_monthly_bill_cents, pay_in_full_by, months, cap_cents, needed_cents, payment_cents, clears_arrears, created_at)
    values (${a1.id}, ${plan2!.id}, '2026-11-24', '2026-11-27', 200000, 'Chelan-Douglas "CAC"', true, true, 60000, 15000, '2027-10-15', 12, 19000, 20000, 19000, false, now())`.execute(db);

  // Bad debt (through the services): Zoë's fiber at her cabin ends with the final bill unpaid; the
  // daily job letters it and makes it a candidate (the settings shortened), it is placed with an
  // agency, the agency remits part of it, a supervisor writes the rest off, a later collection is
  // reinstated, and a balance found later moves to her active account (recalling the placement).
  const fib = JSON.parse(fs.readFileSync(path.join(import.meta.dirname, '../src/tariff/examples/FIB-100.json'), 'utf8'));
  await tariffs.loadTariff(db, actor, clock, fib, 'Fiber rates "2025" ✓');
  const cabinAddress = { line1: '9 Chemin du Lac "Cabane"', line2: 'Box \\ 7', city: 'Leavenworth', state: 'WA', postalCode: '98826' };
  const cabinAccount = await customers.createAccount(db, actor, clock, { customerId: zoe.id, customerClass: 'residential', billingCycle: 4, billingAddress: cabinAddress });
  const cabin = await premises.createPremise(db, actor, { address: cabinAddress, premiseType: 'single_family', area: 'Zone "C"' });
  const cabinFiber = await premises.addServicePoint(db, actor, cabin.id, { service: 'fiber', status: 'active' });
  const cabinAgreement = await premises.createAgreement(db, actor, { accountId: cabinAccount.id, servicePointId: cabinFiber.id, rateCode: 'FIB-100', startDate: '2025-01-01' });
  await premises.endAgreement(db, actor, cabinAgreement.id, { endDate: clock.today(), endReason: 'move_out' }, 'Sold the cabin "as is"');
  expect(await billing.finalBill(db, actor, clock, 'America/Los_Angeles', cabinAgreement.id)).toMatchObject({ status: 'posted', final: true });
  const supervisor: Actor = { userId: null, username: 'sam.supervisor', role: 'supervisor', requestId: 'req-"2"' };
  await badDebt.updateSettings(db, supervisor, clock, { letterAfterDueDays: 0, placementWaitDays: 1 }, note);
  const collector = await badDebt.createAgency(db, supervisor, clock, { code: 'NW-COLL_1', name: 'Northwest "Collections" \\ Ñandú 🦩', commissionPercent: '30', vendorId: 'CB "PUD" 01' }, note);
  clock.advanceDays(22);
  expect(await badDebt.run(db, supervisor, clock, rt.config)).toMatchObject({ letters: 1 });
  clock.advanceDays(1);
  expect(await badDebt.run(db, supervisor, clock, rt.config)).toMatchObject({ candidates: 1 });
  const placed = await badDebt.makePlacementFile(db, actor, clock, { agencyId: collector.id });
  expect(placed.placed).toHaveLength(1);
  const remittance = `account_number,gross,commission,net,date,reference\r\n${cabinAccount.accountNumber},20.00,6.00,14.00,${clock.today()},"R-""1"" ü"\r\n`;
  expect(await badDebt.importRemittance(db, actor, clock, { agencyId: collector.id, fileName: 'remit "dec".csv', bytes: Buffer.from(remittance) })).toMatchObject({ records: 1, duplicate: false });
  const writeOff = await badDebt.requestWriteOff(db, actor, clock, cabinAccount.id, note);
  await badDebt.approveWriteOff(db, supervisor, clock, writeOff.id, 'Uncollectable: "skip" traced ✓');
  expect(await badDebt.recordCollection(db, actor, clock, { placementId: placed.placed[0]!.id, grossCents: 1000, collectedOn: clock.today(), reference: 'NW "2"' })).toMatchObject({ commissionCents: 300, netCents: 700 });
  expect((await badDebt.getWriteOff(db, writeOff.id)).reinstatedCents).toBe(1000);
  await ledger.adjust(db, actor, clock, { accountId: cabinAccount.id, amountCents: 2500, reasonCode: 'BILLING_ERROR', reason: 'Router not returned "lost"', entryDate: clock.today() });
  await badDebt.transferBalance(db, actor, clock, cabinAccount.id, { toAccountId: a1.id, reason: note });
  expect(await badDebt.makeRecallFile(db, actor, clock, collector.id)).toMatchObject({ recalls: 1 });

  // Bankruptcy (through the service): Acme files chapter 11; its deposit stands as adequate assurance.
  await bankruptcy.openCase(db, actor, clock, {
    customerId: acme.id, chapter: 11, petitionDate: '2026-12-01', court: 'U.S. Bankruptcy Court, E.D. Wash. "Spokane"', caseNumber: '26-01234-flk11',
    contact: { kind: 'attorney', name: "Pat O'Counsel, Esq. ⚖", phone: '+1 (509) 555-0199', email: 'pat@law.example.org', address: note }, noticeReceivedOn: '2026-12-05', reason: note,
  });

  // Deceased (through the service): Zoë's estate, a claim filed and allowed, her electric service moved to Acme.
  const estateCase = await deceased.notify(db, actor, clock, { customerId: zoe.id, dateOfDeath: '2026-12-10', notifiedBy: 'Zoë\'s "daughter" 王', relationship: 'daughter', reason: note });
  await deceased.recordEstate(db, actor, clock, estateCase.id, { representativeName: 'María "Executrix" Ñúñez', representativeAddress: note, representativePhone: '+1 (509) 555-0177', probateCourt: 'Chelan County Superior Court', probateCaseNumber: '26-4-00100-04', firstPublicationOn: '2026-12-15', estateAttorney: 'Pat O\'Counsel \\ Probate' }, note);
  const claim = await deceased.createClaim(db, actor, clock, estateCase.id, { accountId: a1.id, amountCents: 2500, note, reason: 'Balance "owed" at death' });
  await deceased.fileClaim(db, actor, clock, claim.id, { reason: 'Presented by mail' });
  await deceased.stepClaim(db, actor, clock, claim.id, { outcome: 'allowed', reason: 'Estate allowed it ✓' });
  await deceased.transferService(db, actor, clock, estateCase.id, { survivorCustomerId: acme.id, lastDay: clock.today(), reason: note });

  // Values the services do not make but the columns allow: exact jsonb numbers, the JSON value
  // null (not SQL NULL), an int8 beyond JavaScript's safe integers, a timestamp to the microsecond.
  await sql`
    insert into audit_events (occurred_at, username, action, entity_type, entity_id, account_id, before, after, reason)
    values ('2001-02-03 04:05:06.789012+00', 'test', 'import', 'legacy', 'L-1', 9007199254740993,
            ${'{"balance": 12345678901234567890.000100, "s": "tab\\t \\u2028 \\"q\\" \\\\", "nested": {"n": null, "a": [1.10, true]}}'}::jsonb,
            'null'::jsonb, ${note})`.execute(db);
}

describe('backup and restore', () => {
  let source: TestRuntime;
  let fresh: TestRuntime;
  let dir: string;
  let file: string;
  let summary: BackupSummary;
  let original: Snapshot;

  beforeAll(async () => {
    [source, fresh] = await Promise.all([createTestRuntime(), createTestRuntime()]);
    await fill(source);
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ratepayer-backup-'));
    file = path.join(dir, 'ratepayer.backup.gz');
    original = await snapshot(source.db);
    const progress: number[] = [];
    summary = await backupDatabase(source.db, file, { onProgress: (done) => progress.push(done) });
    expect(progress.at(-1)).toBe(summary.totalRows);
  });

  afterAll(async () => {
    await Promise.all([source?.close(), fresh?.close()]);
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  it('backs up every table in the catalog, each with rows', async () => {
    const tables = await catalogTables(source.db);
    expect(tables).toEqual([
      'account_alerts',
      'accounts',
      'ach_files',
      'adjustment_limits',
      'adjustment_reasons',
      'agency_collections',
      'agency_placements',
      'agency_remittances',
      'arrangement_instalments',
      'assistance_agencies',
      'assistance_agency_payments',
      'assistance_imports',
      'assistance_pledge_payments',
      'assistance_pledges',
      'assistance_programs',
      'assistance_settings',
      'audit_events',
      'autopay_enrolments',
      'bad_debt_runs',
      'bad_debt_settings',
      'balance_transfers',
      'bank_deposits',
      'bank_transactions',
      'bankruptcy_case_accounts',
      'bankruptcy_cases',
      'bankruptcy_settings',
      'bill_exceptions',
      'bill_runs',
      'bill_validation_settings',
      'billing_schedule',
      'bills',
      'budget_events',
      'budget_plans',
      'budget_settings',
      'collection_actions',
      'collection_agencies',
      'collection_cases',
      'collection_notices',
      'collection_runs',
      'collection_steps',
      'collections_settings',
      'customer_contacts',
      'customer_identifiers',
      'customers',
      'deceased_case_accounts',
      'deceased_cases',
      'deceased_claims',
      'deceased_settings',
      'deceased_transfers',
      'delinquency_schedule',
      'deposit_events',
      'deposit_instalments',
      'deposit_interest_rates',
      'deposit_settings',
      'deposits',
      'disputes',
      'heat_alerts',
      'interval_reads',
      'landlord_agreements',
      'ledger_entries',
      'medical_certificates',
      'medical_notices',
      'meter_installations',
      'meter_reads',
      'meters',
      'order_exceptions',
      'payment_arrangements',
      'payment_batches',
      'payment_file_layouts',
      'payment_imports',
      'payment_returns',
      'payment_settings',
      'payments',
      'placement_candidates',
      'placement_files',
      'precollection_letters',
      'premises',
      'protection_settings',
      'read_exceptions',
      'read_file_layouts',
      'read_imports',
      'read_validation_settings',
      'recall_files',
      'refund_exports',
      'refund_settings',
      'refunds',
      'schema_migrations',
      'service_agreements',
      'service_orders',
      'service_points',
      'staff_api_tokens',
      'staff_sessions',
      'staff_users',
      'tariff_versions',
      'tax_exemptions',
      'tou_schedules',
      'winter_protections',
      'write_off_reinstatements',
      'write_offs',
    ]);
    // schema_migrations travels in the header; every other table is in the backup.
    expect([...summary.tables.map((t) => t.name), 'schema_migrations'].sort()).toEqual(tables);
    for (const t of summary.tables) {
      expect(t.rows, `rows of ${t.name}`).toBe(original.tables[t.name]!.length);
      expect(t.rows, `table ${t.name} has test data`).toBeGreaterThan(0);
    }
    expect(summary.totalRows).toBe(summary.tables.reduce((n, t) => n + t.rows, 0));
    expect(summary.bytes).toBe(fs.statSync(file).size);
    expect(summary.format).toBe('ratepayer-backup/1');
    // Referenced tables come before the tables that reference them.
    const order = summary.tables.map((t) => t.name);
    expect(order.indexOf('customers')).toBeLessThan(order.indexOf('accounts'));
    expect(order.indexOf('accounts')).toBeLessThan(order.indexOf('service_agreements'));
    expect(order.indexOf('staff_users')).toBeLessThan(order.indexOf('staff_api_tokens'));
    expect(fs.readdirSync(dir)).toEqual(['ratepayer.backup.gz']);
    expect(await verifyBackup(file)).toEqual(summary);
  });

  it('restores into a brand-new database', async () => {
    const restored = await restoreDatabase(fresh.db, file);
    expect(restored).toEqual(summary);
    const after = await snapshot(fresh.db);
    expect(Object.keys(after.tables)).toEqual(Object.keys(original.tables));
    for (const name of Object.keys(original.tables)) expect(after.tables[name], `table ${name}`).toEqual(original.tables[name]);
    expect(after.sequences).toEqual(original.sequences);
    // 72 identity sequences (one per table with an identity id; settings, link tables and the
    // bad-debt runs keyed by date have none), the account number sequence and the ACH trace numbers.
    expect(Object.keys(after.sequences)).toEqual(expect.arrayContaining(['account_number_seq', 'customers_id_seq', 'audit_events_id_seq', 'ach_trace_seq']));
    expect(Object.keys(after.sequences)).toHaveLength(74);
  });

  it('restores into the same database after it is wiped', async () => {
    await wipe(source.db);
    const empty = await snapshot(source.db);
    for (const t of summary.tables) expect(empty.tables[t.name], t.name).toEqual([]);
    await restoreDatabase(source.db, file);
    const after = await snapshot(source.db);
    expect(Object.keys(after.tables)).toEqual(Object.keys(original.tables));
    for (const name of Object.keys(original.tables)) expect(after.tables[name], `table ${name}`).toEqual(original.tables[name]);
    expect(after.sequences).toEqual(original.sequences);
  });

  it('keeps exact values: numeric, dates, microseconds, jsonb (JSON null too), big ids, text', async () => {
    for (const rt of [source, fresh]) {
      const { rows } = await sql<{ before: string; after_is_sql_null: boolean; after_json: string | null; account_id: string; occurred_at: string; reason: string }>`
        select before::text as before, after is null as after_is_sql_null, after::text as after_json, account_id::text as account_id,
               to_char(occurred_at at time zone 'UTC', 'YYYY-MM-DD HH24:MI:SS.US') as occurred_at, reason
          from audit_events where entity_type = 'legacy'`.execute(rt.db);
      expect(rows).toEqual([
        {
          before: '{"s": "tab\\t \u2028 \\"q\\" \\\\", "nested": {"a": [1.10, true], "n": null}, "balance": 12345678901234567890.000100}',
          after_is_sql_null: false,
          after_json: 'null',
          account_id: '9007199254740993',
          occurred_at: '2001-02-03 04:05:06.789012',
          reason: note,
        },
      ]);
      const meters = await premises.listMeters(rt.db, { after: 0, limit: 10 });
      expect(meters.map((m) => m.multiplier)).toEqual(['40.5000', '0.0001']);
      const { rows: alerts } = await sql<{ note: string | null }>`select note from account_alerts order by id`.execute(rt.db);
      expect(alerts[0]!.note).toBe(note);
      const { rows: nulls } = await sql<{ n: number }>`select count(*)::int8 as n from audit_events where before is null`.execute(rt.db);
      expect(nulls[0]!.n).toBeGreaterThan(0);
    }
  });

  it('carries on after a restore: new records get fresh ids and account numbers', async () => {
    for (const rt of [source, fresh]) {
      const { rows } = await sql<{ account_number: string }>`select account_number from accounts`.execute(rt.db);
      const existing = rows.map((r) => r.account_number);
      const customer = await customers.createCustomer(rt.db, systemActor('test'), { kind: 'person', firstName: 'New', lastName: 'Customer' });
      const account = await customers.createAccount(rt.db, systemActor('test'), rt.clock, {
        customerId: customer.id,
        customerClass: 'residential',
        billingCycle: 1,
        billingAddress: { line1: '1 Main St', city: 'Wenatchee', state: 'WA', postalCode: '98801' },
      });
      expect(existing).not.toContain(account.accountNumber);
      // The burnt values stay burnt: ids continue from the saved sequence positions.
      expect(String(customer.id)).toBe(String(Number(original.sequences.customers_id_seq!.lastValue) + 1));
      expect(account.accountNumber.slice(0, 8)).toBe(String(Number(original.sequences.account_number_seq!.lastValue) + 1));
    }
  });

  describe('refuses bad input and leaves the database as it was', () => {
    const lines = () => zlib.gunzipSync(fs.readFileSync(file)).toString('utf8').split('\n').slice(0, -1);
    const write = (name: string, content: string | Buffer) => {
      const p = path.join(dir, name);
      fs.writeFileSync(p, typeof content === 'string' ? zlib.gzipSync(content) : content);
      return p;
    };
    /** Rewrites a backup's lines and gives it a correct checksum, as a deliberate edit would. */
    const rewrite = (name: string, edit: (lines: string[]) => string[]) => {
      const all = edit(lines());
      const body = all.slice(0, -1).map((l) => `${l}\n`).join('');
      const trailer = JSON.parse(all.at(-1)!) as Record<string, unknown>;
      trailer.sha256 = createHash('sha256').update(body).digest('hex');
      return write(name, `${body}${JSON.stringify(trailer)}\n`);
    };
    const rowLine = (all: string[], table: string, id: number) => {
      const start = all.findIndex((l) => l.startsWith(`{"table":"${table}"`));
      const i = all.findIndex((l, n) => n > start && l.startsWith(`{"id":${id},`));
      expect(i).toBeGreaterThan(start);
      return i;
    };

    async function refused(badFile: string, message: RegExp): Promise<void> {
      const before = await snapshot(fresh.db);
      await expect(restoreDatabase(fresh.db, badFile)).rejects.toThrow(message);
      expect(await snapshot(fresh.db)).toEqual(before);
    }

    it('a file cut short (compressed data ends early)', async () => {
      const bytes = fs.readFileSync(file);
      await refused(write('cut.gz', bytes.subarray(0, Math.floor(bytes.length / 2))), /truncated/);
    });

    it('a file cut short at a line break', async () => {
      const all = lines();
      const customersAt = all.findIndex((l) => l.startsWith('{"table":"customers"'));
      await refused(write('cut-lines.gz', all.slice(0, customersAt + 2).map((l) => `${l}\n`).join('')), /truncated: it ends at line \d+, in table customers after 1 of its 2 rows/);
      await refused(write('no-trailer.gz', all.slice(0, -1).map((l) => `${l}\n`).join('')), /truncated: it ends at line \d+, before the trailer/);
      const midLine = `${all.slice(0, customersAt + 2).join('\n')}\n${all[customersAt + 2]!.slice(0, 20)}`;
      await refused(write('mid-line.gz', midLine), /truncated: it ends in the middle of line \d+, in table customers after 1 of its 2 rows/);
    });

    it('a file with one row edited (checksum mismatch)', async () => {
      const all = lines();
      const i = rowLine(all, 'customers', 1);
      all[i] = all[i]!.replace('Zoë', 'Zoe');
      await refused(write('edited.gz', `${all.join('\n')}\n`), /damaged or was edited: its checksum does not match/);
    });

    it('a file that is not a backup', async () => {
      const plain = path.join(dir, 'notes.txt');
      fs.writeFileSync(plain, 'hello, world\n');
      await refused(plain, /not a Ratepayer backup \(it is not gzip-compressed\)/);
      await refused(write('other.gz', '{"hello":"world"}\n'), /not a Ratepayer backup \(line 1 is not a backup header\)/);
      await refused(write('empty.gz', ''), /not a Ratepayer backup \(the file is empty\)/);
      await refused(path.join(dir, 'missing.gz'), /was not found/);
    });

    it('a backup whose migrations differ from the database\'s', async () => {
      const changed = rewrite('migrations.gz', (all) => {
        const header = JSON.parse(all[0]!) as { migrations: { version: number; name: string; checksum: string }[] };
        header.migrations[1]!.checksum = 'f'.repeat(64);
        return [JSON.stringify(header), ...all.slice(1)];
      });
      await refused(changed, /different database migrations: migration version 2 is 0002_staff \(checksum ffffffffffff\) in the backup but 0002_staff \(checksum [0-9a-f]{12}\) in this database/);
      const newer = rewrite('newer.gz', (all) => {
        const header = JSON.parse(all[0]!) as { migrations: { version: number; name: string; checksum: string }[] };
        header.migrations.push({ version: 9999, name: '9999_future', checksum: 'a'.repeat(64) });
        return [JSON.stringify(header), ...all.slice(1)];
      });
      await refused(newer, /the backup has migration 9999_future \(version 9999\), which this database does not/);
      let dropped = { version: 0, name: '' };
      const older = rewrite('older.gz', (all) => {
        const header = JSON.parse(all[0]!) as { migrations: { version: number; name: string }[] };
        dropped = header.migrations.pop()!;
        return [JSON.stringify(header), ...all.slice(1)];
      });
      await refused(older, new RegExp(`this database has migration ${dropped.name} \\(version ${dropped.version}\\), which the backup does not`));
    });

    it('a malformed line, reported with its line number', async () => {
      let lineNo = 0;
      const bad = rewrite('malformed.gz', (all) => {
        const i = rowLine(all, 'accounts', 2);
        lineNo = i + 1;
        all[i] = all[i]!.slice(0, -5);
        return all;
      });
      await refused(bad, new RegExp(`line ${lineNo}: row 2 of table accounts is not valid JSON`));
    });

    it('a row the database refuses: the whole restore rolls back, naming the record', async () => {
      let lineNo = 0;
      const bad = rewrite('bad-row.gz', (all) => {
        const i = rowLine(all, 'accounts', 2);
        lineNo = i + 1;
        all[i] = all[i]!.replace(/"account_number":"\d+"/, '"account_number":"12-34"');
        return all;
      });
      // Tables before accounts were already loaded (and the rest emptied) inside the transaction.
      await refused(bad, new RegExp(`line ${lineNo}, row 2 of table accounts \\(id 2\\), was refused by the database: .*accounts_account_number_check.*Nothing was changed`));
    });
  });
});
