/**
 * The demo district's final accounts: Northwest Collections (30% commission) and eight customers
 * whose fiber service ended with the final bill unpaid, made through the real services with the
 * clock standing on each day: six moved out a hundred days ago (the daily job sent their
 * pre-collection letters, made them ready to place after the 30 days, and staff placed them with
 * the agency by file; the agency's remittance ten days ago paid on four of them; two of those were
 * written off by a supervisor last week), two moved out forty days ago (their letters went this
 * week). Names and amounts are fixed by the order the customers are made.
 */
import { badDebt } from '../bad-debt/index.ts';
import { billing } from '../billing/index.ts';
import { customers } from '../customer/index.ts';
import { ledger } from '../ledger/index.ts';
import type { Actor } from '../platform/actor.ts';
import type { Clock } from '../platform/clock.ts';
import { loadConfig } from '../platform/config.ts';
import { addDays } from '../platform/dates.ts';
import type { Db } from '../platform/db/database.ts';
import { centsToDecimal } from '../platform/money.ts';
import { premises } from '../premise/index.ts';
import { tariffs } from '../tariff/index.ts';
import { firstNames, lastNames, towns } from './names.ts';

export interface DemoBadDebt {
  agencies: number;
  finalAccounts: number;
  letters: number;
  placed: number;
  paidByAgency: number;
  writtenOff: number;
}

/** A clock standing at 5 pm on a given day. */
const clockOn = (date: string): Clock => ({ now: () => new Date(`${date}T17:00:00-08:00`), today: () => date });

const streets = ['Cottonwood Ct', 'Sagebrush Ln', 'Old Station Rd', 'Pinnacle Dr', 'Riverview Pl', 'Apple Barn Rd', 'Kinney Way', 'Loop Trail Ave'];

export async function loadDemoBadDebt(db: Db, actor: Actor, clock: Clock, opts: { timeZone: string }): Promise<DemoBadDebt> {
  const out: DemoBadDebt = { agencies: 0, finalAccounts: 0, letters: 0, placed: 0, paidByAgency: 0, writtenOff: 0 };
  if (!(await tariffs.listTariffs(db)).some((t) => t.code === 'FIB-100')) return out;
  const today = clock.today();
  const meta = { ...loadConfig(), timeZone: opts.timeZone };
  const town = towns[0]!;
  const existing = (await badDebt.listAgencies(db)).find((a) => a.code === 'NWCOLL');
  const agency = existing ?? (await badDebt.createAgency(db, actor, clockOn(addDays(today, -120)), {
    code: 'NWCOLL', name: 'Northwest Collections', commissionPercent: '30.00', vendorId: 'CBPUD01',
  }, 'Demo district: the collection agency under contract'));
  out.agencies = existing ? 0 : 1;

  let made = 0;
  /** A customer on fiber for four months until `ended`, the final bill posted that day and not paid. */
  async function finalAccount(ended: string) {
    const n = made++;
    const on = clockOn(ended);
    const customer = await customers.createCustomer(db, actor, { kind: 'person', firstName: firstNames[(n * 7 + 3) % firstNames.length]!, lastName: lastNames[(n * 11 + 5) % lastNames.length]! }, 'Demo district');
    await customers.addContact(db, actor, customer.id, { kind: 'phone', value: `(509) ${town.exchanges[n % town.exchanges.length]}-${String(4100 + n * 37).padStart(4, '0')}`, isPrimary: true }, 'Demo district');
    const address = { line1: `${120 + n * 13} ${streets[n % streets.length]}`, city: town.city, state: 'WA', postalCode: town.postalCode };
    const opened = addDays(ended, -120);
    const account = await customers.createAccount(db, actor, clockOn(opened), { customerId: customer.id, customerClass: 'residential', billingCycle: 1 + (n % 20), billingAddress: address, openedOn: opened }, 'Demo district');
    const premise = await premises.createPremise(db, actor, { address, premiseType: 'single_family', area: town.area }, 'Demo district');
    const point = await premises.addServicePoint(db, actor, premise.id, { service: 'fiber', status: 'active' }, 'Demo district');
    const agreement = await premises.createAgreement(db, actor, { accountId: account.id, servicePointId: point.id, rateCode: 'FIB-100', startDate: opened }, 'Demo district');
    await premises.endAgreement(db, actor, agreement.id, { endDate: ended, endReason: 'move_out' }, 'Moved away');
    const bill = await billing.finalBill(db, actor, on, opts.timeZone, agreement.id);
    out.finalAccounts++;
    return { account, bill };
  }
  const run = async (date: string) => {
    const r = await badDebt.run(db, actor, clockOn(date), meta, {});
    out.letters += r.letters;
  };

  // A hundred days ago six moved out; their letters, the wait, the placement file.
  const early = [];
  for (let i = 0; i < 6; i++) early.push(await finalAccount(addDays(today, -100)));
  const letterDay = addDays(early[0]!.bill.dueDate, 15);
  const placeDay = addDays(letterDay, 30);
  await run(letterDay);
  // Forty days ago two more (days in order: the move-outs come before the placement day).
  const lateEnd = addDays(today, -40);
  const late = [];
  for (let i = 0; i < 2; i++) late.push(await finalAccount(lateEnd));
  await run(placeDay);
  // (A second district loaded beside the first finds those days run already: its accounts wait for the next real run.)
  const ready = new Set((await badDebt.candidates(db)).map((c) => c.accountId));
  const toPlace = early.map((e) => e.account.id).filter((id) => ready.has(id));
  const placed = toPlace.length > 0 ? await badDebt.makePlacementFile(db, actor, clockOn(placeDay), { agencyId: agency.id, accountIds: toPlace }) : { placed: [] };
  out.placed = placed.placed.length;
  const lateLetter = addDays(late[0]!.bill.dueDate, 15);
  if (lateLetter <= today) await run(lateLetter);

  // Ten days ago the agency remitted what it collected on four of them (about half of each).
  const remitDay = addDays(today, -10);
  const paying = placed.placed.slice(0, 4);
  const lines = ['account_number,gross,commission,net,date,reference'];
  for (const [i, p] of paying.entries()) {
    const gross = Math.max(1000, Math.round(p.amountCents / 200) * 100);
    const commission = Math.round((gross * 30) / 100);
    lines.push(`${p.accountNumber},${centsToDecimal(gross)},${centsToDecimal(commission)},${centsToDecimal(gross - commission)},${addDays(remitDay, -3)},NW-${7100 + i}`);
  }
  if (paying.length > 0) {
    const r = await badDebt.importRemittance(db, actor, clockOn(remitDay), { agencyId: agency.id, fileName: `nwcoll-remittance-${remitDay}.csv`, bytes: Buffer.from(`${lines.join('\r\n')}\r\n`) });
    out.paidByAgency = r.collections.length;
  }

  // Last week a CSR asked to write the rest of two off; a supervisor approved the next day.
  const csr: Actor = { ...actor, username: 'demo-csr', role: 'csr2' };
  const supervisor: Actor = { ...actor, username: 'demo-supervisor', role: 'supervisor' };
  for (const p of paying.slice(0, 2)) {
    if ((await ledger.balanceOf(db, p.accountId)) <= 0) continue;
    const w = await badDebt.requestWriteOff(db, csr, clockOn(addDays(today, -5)), p.accountId, 'Agency reports the customer cannot be found');
    await badDebt.approveWriteOff(db, supervisor, clockOn(addDays(today, -4)), w.id, 'Agency notes reviewed: uncollectable');
    out.writtenOff++;
  }
  return out;
}
