/**
 * The demo district's bankruptcies and deceased customers (C15), made through the real services
 * with the clock standing on each day, on five residential accounts that owe money (the same ones
 * for the same district: a fixed shuffle of their ids):
 * - a chapter 13 case filed twelve days ago, open, its adequate-assurance deposit asked;
 * - a chapter 7 case filed 75 days ago and discharged five days ago (the pre-petition debt written
 *   off);
 * - a chapter 13 case filed three months ago and dismissed a month ago (collection resumed);
 * - a customer who died ten weeks ago: the family told us, the estate's probate notice was
 *   published, and a claim for the balance was filed with the estate;
 * - a customer who died a month ago whose son took over the service: a new account for him and the
 *   move-out and move-in orders, waiting for the field's reads.
 */
import { sql } from 'kysely';
import { bankruptcy } from '../bankruptcy/index.ts';
import { customers } from '../customer/index.ts';
import { deceased } from '../deceased/index.ts';
import { deposits } from '../deposit/index.ts';
import type { Actor } from '../platform/actor.ts';
import type { Clock } from '../platform/clock.ts';
import { addDays } from '../platform/dates.ts';
import type { Db } from '../platform/db/database.ts';
import { AppError } from '../platform/errors.ts';

export interface DemoBankruptcyDeceased {
  bankruptcyCases: number;
  discharged: number;
  dismissed: number;
  deceasedCases: number;
  claimsFiled: number;
  transfers: number;
  /** Rows this adds beside the district's own: security deposits asked as adequate assurance, and the survivor's new customer and (pending) account. */
  assuranceDeposits: number;
  survivorCustomers: number;
  survivorAccounts: number;
}

/** A clock standing at 5 pm on a given day. */
const clockOn = (date: string): Clock => ({ now: () => new Date(`${date}T17:00:00-08:00`), today: () => date });
const COURT = 'U.S. Bankruptcy Court, E.D. Wash.';

export async function loadDemoBankruptcyDeceased(db: Db, actor: Actor, clock: Clock): Promise<DemoBankruptcyDeceased> {
  const out: DemoBankruptcyDeceased = { bankruptcyCases: 0, discharged: 0, dismissed: 0, deceasedCases: 0, claimsFiled: 0, transfers: 0, assuranceDeposits: 0, survivorCustomers: 0, survivorAccounts: 0 };
  const today = clock.today();
  // Active residential accounts owing $20.00 or more, the customer's only account, with service in
  // force and in no case yet (a second district loaded beside the first picks its own), with what
  // they owed before the discharged and the dismissed cases' petitions.
  const { rows } = await sql<{ id: string; customer_id: string; owed75: string; owed90: string }>`
    select a.id::text, a.customer_id::text,
           (select coalesce(sum(l.amount_cents), 0) from ledger_entries l where l.account_id = a.id and l.entry_date < ${addDays(today, -75)}::date)::text as owed75,
           (select coalesce(sum(l.amount_cents), 0) from ledger_entries l where l.account_id = a.id and l.entry_date < ${addDays(today, -90)}::date)::text as owed90
      from accounts a
     where a.status = 'active' and a.customer_class = 'residential'
       and (select count(*) from accounts o where o.customer_id = a.customer_id) = 1
       and (select coalesce(sum(l.amount_cents), 0) from ledger_entries l where l.account_id = a.id) >= 2000
       and exists (select 1 from service_agreements g where g.account_id = a.id and g.end_date is null)
       and not exists (select 1 from bankruptcy_case_accounts b where b.account_id = a.id)
       and not exists (select 1 from deceased_case_accounts d where d.account_id = a.id)
     order by (a.id * 7919) % 983, a.id limit 40`.execute(db);
  if (rows.length < 5) return out;
  const left = rows.map((r) => ({ accountId: Number(r.id), customerId: Number(r.customer_id), owed75: Number(r.owed75), owed90: Number(r.owed90) }));
  /** The first account left that `fits` (or the first left): taken. */
  const take = (fits: (a: (typeof left)[number]) => boolean = () => true) => left.splice(Math.max(0, left.findIndex(fits)), 1)[0]!;
  const picked = [take(), take((a) => a.owed75 > 0), take((a) => a.owed90 > 0), take(), take()];
  const yy = today.slice(2, 4);
  const caseNumber = (i: number) => `${yy}-0${String(2000 + ((picked[i]!.accountId * 37) % 7000)).padStart(4, '0')}`;

  // Open, chapter 13: the stay holds the pre-petition debt; the assurance deposit is due in 20 days.
  {
    const p = picked[0]!;
    const input = { customerId: p.customerId, accountIds: [p.accountId], chapter: 13, petitionDate: addDays(today, -12), court: COURT, caseNumber: caseNumber(0), contact: { kind: 'attorney' as const, name: 'Morgan Reyes, Reyes Debt Relief PLLC', phone: '(509) 555-0142' }, noticeReceivedOn: addDays(today, -10), reason: 'Notice of chapter 13 filing received by mail' };
    try {
      const c = await bankruptcy.openCase(db, actor, clockOn(addDays(today, -10)), input);
      const depositId = c.accounts[0]!.assurance.depositId;
      if (depositId !== null && (await deposits.getDeposit(db, clock, depositId)).requestedOn === addDays(today, -10)) out.assuranceDeposits++;
    } catch (e) {
      // No annual bill to size the deposit from: recorded with the deposit waived.
      if (!(e instanceof AppError)) throw e;
      await bankruptcy.openCase(db, actor, clockOn(addDays(today, -10)), { ...input, waiveAssurance: 'No estimate of the annual bill to size a deposit from' });
    }
    out.bankruptcyCases++;
  }
  // Chapter 7 filed 75 days ago, discharged five days ago.
  {
    const p = picked[1]!;
    const c = await bankruptcy.openCase(db, actor, clockOn(addDays(today, -72)), {
      customerId: p.customerId, accountIds: [p.accountId], chapter: 7, petitionDate: addDays(today, -75), court: COURT, caseNumber: caseNumber(1), contact: { kind: 'trustee', name: 'Dana Whitfield, Chapter 7 Trustee', phone: '(509) 555-0178' },
      noticeReceivedOn: addDays(today, -72), waiveAssurance: 'Service already on a prepaid-style budget plan; trustee asked no deposit', reason: 'Notice of chapter 7 filing from the court',
    });
    await bankruptcy.dischargeCase(db, actor, clockOn(addDays(today, -5)), c.id, { reason: 'Order of discharge entered' });
    out.bankruptcyCases++;
    out.discharged++;
  }
  // Chapter 13, dismissed a month ago: the stay ended, collection of all the debt resumed.
  {
    const p = picked[2]!;
    const c = await bankruptcy.openCase(db, actor, clockOn(addDays(today, -88)), {
      customerId: p.customerId, accountIds: [p.accountId], chapter: 13, petitionDate: addDays(today, -90), court: COURT, caseNumber: caseNumber(2), contact: { kind: 'debtor', name: null },
      noticeReceivedOn: addDays(today, -88), waiveAssurance: 'Customer filed without an attorney; deposit to be asked if the plan is confirmed', reason: 'Customer brought the notice to the counter',
    });
    await bankruptcy.endCase(db, actor, clockOn(addDays(today, -30)), c.id, 'dismissed', { reason: 'Case dismissed: plan payments not made' });
    out.bankruptcyCases++;
    out.dismissed++;
  }
  // Died ten weeks ago: the estate published its notice, a claim for the balance was filed.
  {
    const p = picked[3]!;
    const c = await deceased.notify(db, actor, clockOn(addDays(today, -60)), { customerId: p.customerId, dateOfDeath: addDays(today, -70), notifiedBy: 'Family member', relationship: 'daughter', notifiedOn: addDays(today, -60), reason: 'Daughter phoned the office' });
    await deceased.recordEstate(db, actor, clockOn(addDays(today, -45)), c.id, {
      representativeName: 'Lena Okafor', representativeAddress: '1402 Orchard Ave, Wenatchee WA 98801', representativePhone: '(509) 555-0166', probateCourt: 'Chelan County Superior Court',
      probateCaseNumber: `${yy}-4-00${String(300 + (p.accountId % 600)).padStart(3, '0')}-04`, firstPublicationOn: addDays(today, -50), estateAttorney: 'Pat Probate, Probate & Trust LLP',
    }, 'Notice to creditors received from the estate attorney');
    const claim = await deceased.createClaim(db, actor, clockOn(addDays(today, -40)), c.id, { reason: 'Unpaid service to the date of death' });
    await deceased.fileClaim(db, actor, clockOn(addDays(today, -35)), claim.id, { reason: "Creditor's claim mailed to the personal representative and filed with the court" });
    out.deceasedCases++;
    out.claimsFiled++;
  }
  // Died a month ago; the son keeps the service: his account and the orders wait for the field.
  {
    const p = picked[4]!;
    const customer = await customers.getCustomer(db, p.customerId);
    const c = await deceased.notify(db, actor, clockOn(addDays(today, -25)), { customerId: p.customerId, dateOfDeath: addDays(today, -30), notifiedBy: 'Son', relationship: 'son', notifiedOn: addDays(today, -25), reason: 'Son came to the counter with the death certificate' });
    await deceased.transferService(db, actor, clockOn(addDays(today, -20)), c.id, {
      survivor: { firstName: 'Jordan', lastName: customer.lastName ?? customer.displayName.split(' ').pop() ?? 'Survivor' }, lastDay: addDays(today, -15), reason: 'Son keeps the service at the family home',
    });
    out.deceasedCases++;
    out.transfers++;
    out.survivorCustomers++;
    out.survivorAccounts++;
  }
  return out;
}
