/**
 * `ratepayer bankruptcy ...` and `ratepayer deceased ...` as staff run them, in child processes
 * against a fresh database (dates relative to the real today, as the commands use the system
 * clock): a case opened with its split and assurance deposit, listed, discharged by a supervisor
 * (a CSR II is refused); a death notice, the estate, a claim filed in time and another refused
 * after the deadline, the service transferred to a survivor; refusals name the reason.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { customers } from '../src/customer/index.ts';
import { ledger } from '../src/ledger/index.ts';
import { systemActor } from '../src/platform/actor.ts';
import { localDate } from '../src/platform/clock.ts';
import { addDays, addMonths } from '../src/platform/dates.ts';
import { createUser } from '../src/staff/index.ts';
import { cliAs, cliDatabase } from './support/cli.ts';
import { fiberCustomer, loadFiberRate } from './support/fiber.ts';

let cli: Awaited<ReturnType<typeof cliDatabase>>;
let env: Record<string, string | undefined>;
const today = localDate(new Date(), 'America/Los_Angeles');
const petition = addDays(today, -10);
let bankrupt: { customerId: number; accountId: number };
let estate: { customerId: number; accountId: number };
let survivorId: number;
const sup = cliAs('sup', () => env);
const csr = cliAs('casey', () => env);

beforeAll(async () => {
  cli = await cliDatabase('rp-cli-bankruptcy-');
  ({ env } = cli);
  const rt = await cli.open();
  try {
    const actor = systemActor('test');
    await createUser(rt.db, actor, { username: 'sup', displayName: 'Sue Pervisor', role: 'supervisor', password: 'a long enough password' });
    await createUser(rt.db, actor, { username: 'casey', displayName: 'Casey Csr', role: 'csr2', password: 'a long enough password' });
    await loadFiberRate(rt.db, actor, rt.clock);
    const b = await fiberCustomer(rt.db, actor, rt.clock, { firstName: 'Bo', lastName: 'Bankrupt', line1: '7 Chapter Lane' });
    await ledger.adjust(rt.db, actor, rt.clock, { accountId: b.account.id, amountCents: 23456, reasonCode: 'BILLING_ERROR', reason: 'Unbilled service', entryDate: addDays(petition, -5) });
    bankrupt = { customerId: b.customer.id, accountId: b.account.id };
    const d = await fiberCustomer(rt.db, actor, rt.clock, { firstName: 'Del', lastName: 'Departed', line1: '15 Probate Road' });
    await ledger.adjust(rt.db, actor, rt.clock, { accountId: d.account.id, amountCents: 6100, reasonCode: 'BILLING_ERROR', reason: 'Unbilled service', entryDate: addDays(today, -20) });
    estate = { customerId: d.customer.id, accountId: d.account.id };
    survivorId = (await customers.createCustomer(rt.db, actor, { kind: 'person', firstName: 'Sal', lastName: 'Departed' })).id;
  } finally {
    await rt.close();
  }
}, 120_000);
afterAll(async () => cli?.dispose());

describe('ratepayer bankruptcy', () => {
  it('opens a case with its split and assurance deposit, lists it, and discharges it as a supervisor', () => {
    const bad = csr.run(['bankruptcy', 'open', String(bankrupt.customerId), '--chapter', '9', '--petition', petition, '--court', 'E.D. Wash.', '--case-number', '26-1', '--reason', 'Notice']);
    expect(bad.status).not.toBe(0);
    expect(bad.stderr).toMatch(/--chapter must be 7, 11, 12 or 13, got "9"/);
    const c = csr.json(['bankruptcy', 'open', String(bankrupt.customerId), '--chapter', '7', '--petition', petition, '--court', 'U.S. Bankruptcy Court, E.D. Wash.', '--case-number', '26-02000', '--trustee', 'Terry Trustee', '--reason', 'Notice of filing']);
    expect(c).toMatchObject({ status: 'open', chapter: 7, caseNumber: '26-02000', contact: { kind: 'trustee', name: 'Terry Trustee' }, assuranceDueOn: addDays(petition, 20) });
    expect(c.accounts[0]).toMatchObject({ split: { prePetitionCents: 23456, heldCents: 23456 }, assurance: { state: 'due', amountCents: 15000 } });
    const shown = csr.run(['bankruptcy', 'show', String(c.id)]);
    expect(shown.stdout).toContain(`Bankruptcy case ${c.id} (open): chapter 7, 26-02000, U.S. Bankruptcy Court, E.D. Wash.; Bo Bankrupt, petition ${petition}; assurance due ${addDays(petition, 20)}`);
    expect(shown.stdout).toMatch(/pre-petition \$234\.56 \(held \$234\.56\), post-petition \$150\.00; assurance deposit due \(deposit \d+, \$150\.00\)/);
    expect(csr.run(['bankruptcy', 'list', '--status', 'open']).stdout).toMatch(/26-02000 .*Bo Bankrupt .*held +\$234\.56/);
    expect(csr.run(['bankruptcy', 'list', '--overdue']).stdout).toMatch(/No case has an assurance deposit unpaid past its due date/);
    const refused = csr.run(['bankruptcy', 'discharge', String(c.id), '--reason', 'Discharge order']);
    expect(refused.status).not.toBe(0);
    expect(refused.stderr).toMatch(/writing off the pre-petition debt at discharge needs a supervisor/);
    const d = sup.json(['bankruptcy', 'discharge', String(c.id), '--reason', 'Order of discharge entered']);
    expect(d).toMatchObject({ status: 'discharged', closedOn: today, accounts: [{ dischargedCents: 23456 }] });
    expect(sup.run(['bankruptcy', 'dismiss', String(c.id), '--reason', 'Too late']).stderr).toMatch(/was discharged on .*: it cannot be dismissed/);
    expect(sup.run(['bankruptcy', 'frob']).stderr).toMatch(/usage: ratepayer bankruptcy open/);
  }, 300_000);
});

describe('ratepayer deceased', () => {
  it('records the notice, the estate and claims (a late one refused), and transfers the service to a survivor', () => {
    const c = csr.json(['deceased', 'notify', String(estate.customerId), '--by', 'Sal Departed', '--relationship', 'son', '--date-of-death', addDays(today, -150), '--reason', 'Son phoned']);
    expect(c).toMatchObject({ status: 'open', source: 'staff', notifiedBy: 'Sal Departed' });
    // Published 130 days ago: the deadline has passed.
    const published = addDays(today, -130);
    const e = csr.json(['deceased', 'estate', String(c.id), '--representative', 'Sal Departed', '--court', 'Chelan County Superior Court', '--probate-number', '26-4-00777-04', '--published', published, '--reason', 'Notice to creditors']);
    expect(e.estate).toMatchObject({ firstPublicationOn: published, claimDeadline: addMonths(published, 4) });
    const k = csr.json(['deceased', 'claim', String(c.id), '--reason', 'The unpaid balance']);
    expect(k).toMatchObject({ status: 'draft', amountCents: 6100 });
    const late = csr.run(['deceased', 'file-claim', String(k.id), '--reason', 'Presented now']);
    expect(late.status).not.toBe(0);
    expect(late.stderr).toContain(`cannot be filed on ${today}: the deadline to present a claim was ${addMonths(published, 4)}`);
    expect(csr.json(['deceased', 'file-claim', String(k.id), '--date', addMonths(published, 4), '--reason', 'Presented by mail on the last day'])).toMatchObject({ status: 'filed' });
    expect(csr.json(['deceased', 'claim-outcome', String(k.id), '--outcome', 'allowed', '--reason', 'Estate allowed it'])).toMatchObject({ status: 'allowed' });
    const t = csr.json(['deceased', 'transfer', String(c.id), '--last-day', addDays(today, -1), '--survivor-customer', String(survivorId), '--reason', 'Son keeps the service']);
    expect(t.status).toBe('transferred');
    expect(t.transfers[0].orders.map((o: { type: string }) => o.type)).toEqual(['move_out', 'move_in']);
    const shown = csr.run(['deceased', 'show', String(c.id)]).stdout;
    expect(shown).toContain(`Deceased case ${c.id} (transferred): Del Departed, died ${addDays(today, -150)}; notified ${today} by Sal Departed (son)`);
    expect(shown).toMatch(/service of account \d+ to Sal Departed, new account \d+, after .*: SO-\d+ move_out created, SO-\d+ move_in created/);
    expect(csr.run(['deceased', 'list', '--open']).stdout).toMatch(/transferred +Del Departed/);
    expect(csr.run(['deceased', 'list', '--claims-due']).stdout).toMatch(/No claim waiting to be filed is due/);
    expect(csr.run(['deceased', 'claim-outcome', String(k.id), '--outcome', 'maybe', '--reason', 'x x']).stderr).toMatch(/--outcome must be allowed, rejected, paid or written_off, got "maybe"/);
    expect(csr.run(['deceased', 'close', String(c.id), '--reason', 'Done']).stderr).toMatch(/has claim \d+ allowed: settle it/);
  }, 300_000);
});
