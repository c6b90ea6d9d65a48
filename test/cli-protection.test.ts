/**
 * `ratepayer protections ...`, `ratepayer arrangements ...` and `ratepayer heat-alerts ...` as staff
 * run them, in child processes against a fresh database (the real clock: dates are worked out from
 * today): medical notices and certificates (the third in 120 days refused naming the limit), a
 * winter plan quoted and made, a dispute, an arrangement quoted, made, listed, reviewed and
 * cancelled, a heat alert entered, listed and ended, and what protects an account today.
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { customers } from '../src/customer/index.ts';
import { ledger } from '../src/ledger/index.ts';
import { systemActor } from '../src/platform/actor.ts';
import { addDays, addMonths } from '../src/platform/dates.ts';
import { premises } from '../src/premise/index.ts';
import { createUser } from '../src/staff/index.ts';
import { tariffs } from '../src/tariff/index.ts';
import { cliAs, cliDatabase, repoRoot } from './support/cli.ts';

let cli: Awaited<ReturnType<typeof cliDatabase>>;
let env: Record<string, string | undefined>;
let today: string;
const accounts: Record<'medic' | 'winter' | 'range', number> = { medic: 0, winter: 0, range: 0 };
const { run, json } = cliAs('csr', () => env);
const sup = cliAs('sup', () => env);

beforeAll(async () => {
  cli = await cliDatabase('rp-cli-protection-');
  ({ env } = cli);
  const rt = await cli.open();
  try {
    const actor = systemActor('test');
    today = rt.clock.today();
    await createUser(rt.db, actor, { username: 'csr', displayName: 'Casey Service', role: 'csr2', password: 'a long enough password' });
    await createUser(rt.db, actor, { username: 'sup', displayName: 'Sue Pervisor', role: 'supervisor', password: 'a long enough password' });
    await tariffs.loadTariff(rt.db, actor, rt.clock, JSON.parse(fs.readFileSync(path.join(repoRoot, 'src/tariff/examples/RES-E.json'), 'utf8')), 'Rates adopted');
    for (const [key, lastName, heated, owes] of [['medic', 'Medic', false, 50000], ['winter', 'Frost', true, 60000], ['range', 'Range', false, 36000]] as const) {
      const customer = await customers.createCustomer(rt.db, actor, { kind: 'person', firstName: 'Pat', lastName });
      const address = { line1: `${lastName.length} Canyon Rd`, city: 'Wenatchee', state: 'WA', postalCode: '98801' };
      const account = await customers.createAccount(rt.db, actor, rt.clock, { customerId: customer.id, customerClass: 'residential', billingCycle: 5, billingAddress: address });
      const premise = await premises.createPremise(rt.db, actor, { address, premiseType: 'single_family', area: 'WEN', spaceHeating: heated });
      const point = await premises.addServicePoint(rt.db, actor, premise.id, { service: 'electric', status: 'active' });
      await premises.createAgreement(rt.db, actor, { accountId: account.id, servicePointId: point.id, rateCode: 'RES-E', startDate: '2025-01-01' });
      await ledger.adjust(rt.db, actor, rt.clock, { accountId: account.id, amountCents: owes, reasonCode: 'OTHER', reason: 'Balance brought over from the old system', entryDate: addMonths(today, -2) });
      accounts[key] = account.id;
    }
  } finally {
    await rt.close();
  }
}, 120_000);
afterAll(async () => cli?.dispose());

describe('ratepayer protections, arrangements and heat-alerts', () => {
  it('records medical notices and certificates; the third certificate in 120 days is refused naming the limit', () => {
    const id = String(accounts.medic);
    const notice = json(['protections', 'medical-notice', id, '--told-by', 'Pat Medic (customer)', '--reason', 'Customer called: home dialysis']);
    expect(notice).toMatchObject({ toldOn: today, toldBy: 'Pat Medic (customer)' });
    expect(notice.holdsUntil > today).toBe(true);
    expect(json(['protections', 'certificate', id, '--professional', 'Dr. Ames', '--date', addDays(today, -30), '--reason', 'Clinic faxed it'])).toMatchObject({ professionalName: 'Dr. Ames', delinquentCents: 50000, paymentDueCents: 5000 });
    expect(run(['protections', 'certificate', id, '--professional', 'Dr. Ames', '--reason', 'Second one']).status).toBe(0);
    const third = run(['protections', 'certificate', id, '--professional', 'Dr. Brook', '--reason', 'Third one']);
    expect(third.status).not.toBe(0);
    expect(third.stderr).toMatch(/^ratepayer: Medical certificate refused for account \d{9}: At most 2 medical certificates in 120 days: this account had 2/);
    const shown = json(['protections', 'show', id]);
    expect(shown.items.map((p: { kind: string }) => p.kind)).toEqual(['medical_certificate', 'medical_notice']);
    expect(run(['protections', 'show', id]).stdout).toMatch(/medical_notice\s+\S+ to \S+\s+holds disconnect\n {2}Medical emergency told to the district/);
  }, 300_000);

  it('quotes a winter plan, refuses a late request, and makes one in time', () => {
    const id = String(accounts.winter);
    const args = ['protections', 'winter', id, '--income', '2000.00', '--grantee', 'Chelan-Douglas CAC', '--energy-assistance', '--weatherization', '--estimated-bill', '150.00'];
    const quote = json([...args, '--notice-date', addDays(today, -1), '--quote']);
    expect(quote).toMatchObject({ arrearsCents: 60000, estimatedMonthlyBillCents: 15000, problems: [] });
    expect(quote.plan.capCents).toBe(14000 + 5000);
    expect(run([...args, '--notice-date', addDays(today, -1), '--quote']).stdout).toMatch(/Every condition is met\./);
    const late = run([...args, '--notice-date', addDays(today, -20), '--reason', 'Customer asked']);
    expect(late.status).not.toBe(0);
    expect(late.stderr).toMatch(/Winter protection must be asked for within 5 business days of the delinquency notice/);
    const made = json([...args, '--notice-date', addDays(today, -1), '--reason', 'Customer asked at the counter']);
    expect(made).toMatchObject({ kind: 'winter', status: 'active', arrearsCents: 60000, winter: { plan: { paymentCents: quote.plan.paymentCents } } });
  }, 300_000);

  it('opens and resolves a dispute', () => {
    const d = json(['protections', 'dispute', String(accounts.medic), '--amount', '45.00', '--about', 'Estimated September bill', '--reason', 'Customer disputes the estimate']);
    expect(d).toMatchObject({ amountCents: 4500, open: true });
    expect(json(['protections', 'show', String(accounts.medic)]).items.find((p: { kind: string }) => p.kind === 'dispute')).toMatchObject({ disputedCents: 4500, holds: [] });
    expect(json(['protections', 'resolve', String(d.id), '--outcome', 'Actual read taken: bill stands', '--reason', 'Read checked'])).toMatchObject({ open: false, resolvedOn: today });
  }, 300_000);

  it('quotes, makes, lists, reviews and cancels an arrangement', () => {
    const id = String(accounts.range);
    const q = json(['arrangements', 'make', id, '--instalments', '3', '--quote']);
    expect(q.instalments.map((i: { amountCents: number }) => i.amountCents)).toEqual([12000, 12000, 12000]);
    expect(run(['arrangements', 'make', id, '--instalments', '18', '--reason', 'Long one']).stderr).toMatch(/More than 12 instalments \(this one has 18\) needs a supervisor/);
    const a = json(['arrangements', 'make', id, '--instalment', '100.00', '--first-due', addDays(today, 10), '--reason', 'Customer agreed $100 a month']);
    expect(a).toMatchObject({ status: 'active', arrearsCents: 36000, standing: { goodStanding: true } });
    expect(a.instalments.map((i: { amountCents: number }) => i.amountCents)).toEqual([10000, 10000, 10000, 6000]);
    const active = json(['arrangements', 'list', '--status', 'active']).items as { id: number; kind: string }[];
    expect(active.map((x) => [x.id, x.kind])).toEqual(expect.arrayContaining([[a.id, 'standard'], [expect.any(Number), 'winter']]));
    expect(run(['arrangements', 'review']).stdout).toBe(`Arrangement review for ${today}: nothing to do.\n`);
    expect(run(['arrangements', 'show', String(a.id)]).stdout).toMatch(/Payment arrangement \d+ \(active\).*in good standing[\s\S]*\n {2} 4\. \S+ +\$60\.00/);
    expect(json(['arrangements', 'cancel', String(a.id), '--reason', 'Paid in full by a relative'])).toMatchObject({ status: 'cancelled' });
    expect(run(['arrangements', 'frob']).stderr).toMatch(/usage: ratepayer arrangements list/);
  }, 300_000);

  it('enters, lists and ends a heat alert', () => {
    const from = addDays(today, -2);
    const h = sup.json(['heat-alerts', 'add', '--area', 'wen', '--from', from, '--to', addDays(today, 3), '--source', 'NWS Heat Advisory', '--reason', 'Advisory issued']);
    expect(h).toMatchObject({ area: 'WEN', fromDate: from });
    expect(json(['protections', 'show', String(accounts.range)]).items.map((p: { kind: string }) => p.kind)).toEqual(['heat_alert']);
    expect(run(['heat-alerts', 'list', '--area', 'WEN']).stdout).toMatch(new RegExp(`WEN +${from} to ${addDays(today, 3)} +NWS Heat Advisory`));
    expect(json(['heat-alerts', 'areas']).items).toEqual([{ area: 'WEN', premises: 3 }]);
    const ended = json(['heat-alerts', 'end', String(h.id), '--reason', 'Advisory cancelled']);
    expect(ended).toMatchObject({ endedOn: today, lastDay: addDays(today, -1) });
    expect(json(['protections', 'show', String(accounts.range)]).items).toEqual([]);
    expect(run(['heat-alerts', 'add', '--area', 'MARS', '--from', from, '--to', from, '--source', 'X', '--reason', 'Why not']).stderr).toMatch(/no premises are in area MARS/);
  }, 300_000);
});
