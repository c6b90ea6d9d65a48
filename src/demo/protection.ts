/**
 * The demo district's customer protections, made through the real services with the clock
 * standing on each day, on a handful of residential accounts that owe (the same ones for the same
 * district): a medical certificate with its 10% paid, a winter protection plan for a household
 * heated by the district's electricity, an open dispute, three payment arrangements in good
 * standing, one defaulted by the review after its first instalment was missed, and a heat alert
 * last July for one area.
 */
import { sql } from 'kysely';
import { addBusinessDays } from '../billing/schedule.ts';
import { payments } from '../payment/index.ts';
import type { Actor } from '../platform/actor.ts';
import type { Clock } from '../platform/clock.ts';
import { addDays } from '../platform/dates.ts';
import type { Db } from '../platform/db/database.ts';
import { AppError } from '../platform/errors.ts';
import { arrangements, protections, protectionsOf } from '../protection/index.ts';

export interface DemoProtection {
  medicalCertificates: number;
  winterPlans: number;
  disputes: number;
  /** Arrangements made, and how many of them are in good standing today, and defaulted. */
  arrangements: number;
  inGoodStanding: number;
  defaulted: number;
  heatAlerts: number;
}

/** A quote refused (nothing owed then): null, to try the next account. */
const refused = (e: unknown) => {
  if (e instanceof AppError) return null;
  throw e;
};

/** A clock standing at 5 pm on a given day. */
const clockOn = (date: string): Clock => ({ now: () => new Date(`${date}T17:00:00-08:00`), today: () => date });

interface Candidate { id: number; balance: number; heated: boolean }

/** Residential accounts of the newest district that owe today, in a fixed shuffle, with whether the district's electricity heats them. */
async function candidates(db: Db, today: string): Promise<Candidate[]> {
  const { rows } = await sql<{ id: string; balance: string; heated: boolean }>`
    with fresh as (
      select a.id from accounts a
       where a.status = 'active' and a.customer_class = 'residential'
         and a.id > greatest(coalesce((select max(account_id) from payment_arrangements), 0), coalesce((select max(account_id) from medical_certificates), 0), coalesce((select max(account_id) from disputes), 0))
    )
    select f.id::text,
           (select coalesce(sum(l.amount_cents), 0) from ledger_entries l where l.account_id = f.id)::text as balance,
           exists (select 1 from service_agreements s join service_points p on p.id = s.service_point_id join premises pr on pr.id = p.premise_id
                    where s.account_id = f.id and pr.space_heating and p.service = 'electric' and s.start_date <= ${today}::date and (s.end_date is null or s.end_date >= ${today}::date)) as heated
      from fresh f
     order by (f.id * 7919) % 1009, f.id`.execute(db);
  return rows.map((r) => ({ id: Number(r.id), balance: Number(r.balance), heated: r.heated })).filter((c) => c.balance >= 5000);
}

export async function loadDemoProtection(db: Db, actor: Actor, clock: Clock): Promise<DemoProtection> {
  const today = clock.today();
  const out: DemoProtection = { medicalCertificates: 0, winterPlans: 0, disputes: 0, arrangements: 0, inGoodStanding: 0, defaulted: 0, heatAlerts: 0 };
  const startedBefore = addDays(today, -45);
  const all = await candidates(db, today);
  const used = new Set<number>();
  const take = (test: (c: Candidate) => boolean) => {
    const c = all.find((x) => !used.has(x.id) && test(x));
    if (c) used.add(c.id);
    return c;
  };

  // A household heated by the district's electricity, behind on its bills, asks for winter protection two business days after its notice.
  const notice = addBusinessDays(today, -2);
  const winter = { noticeDate: notice, monthlyIncomeCents: 245_000, incomeDocumentedTo: 'Chelan-Douglas Community Action Council', appliedEnergyAssistance: true, appliedWeatherization: true, firstDueOn: addDays(today, 14) };
  for (const c of all.filter((x) => x.heated).slice(0, 5)) {
    if ((await arrangements.winterQuote(db, clock, { accountId: c.id, ...winter })).problems.length > 0) continue;
    used.add(c.id);
    await arrangements.requestWinterProtection(db, actor, clock, { accountId: c.id, ...winter, reason: 'Demo district: the customer asked for winter protection at the counter' });
    out.winterPlans++;
    out.arrangements++;
    break;
  }

  // A medical certificate received ten days ago; the customer paid the 10% the next day.
  const medic = take(() => true);
  if (medic) {
    const received = addDays(today, -10);
    const cert = await protections.recordMedicalCertificate(db, actor, clockOn(received), { accountId: medic.id, receivedOn: received, professionalName: 'Dr. Helen Ames, Wenatchee Valley Clinic', reason: 'Demo district: certificate faxed by the clinic' });
    if (cert.paymentDueCents > 0) await payments.postCounterPayment(db, actor, clockOn(addDays(received, 1)), { accountId: medic.id, amountCents: cert.paymentDueCents, method: 'check', reference: `MED-${cert.id}` });
    out.medicalCertificates++;
  }

  // An open dispute about an estimated bill.
  const disputed = take(() => true);
  if (disputed) {
    await protections.openDispute(db, actor, clockOn(addDays(today, -6)), { accountId: disputed.id, amountCents: Math.min(disputed.balance, 4210), about: 'Estimated bill: the customer says the meter was read wrong', openedOn: addDays(today, -6), reason: 'Demo district: the customer called to dispute the bill' });
    out.disputes++;
  }

  // Three arrangements made today, in good standing; one made 45 days ago whose first instalment was never paid.
  const counts = [3, 4, 6];
  for (const c of all.filter((x) => !used.has(x.id)).slice(0, 20)) {
    const n = counts[0];
    if (n === undefined) break;
    // Something owed by today (past due or due today): else there is nothing to arrange.
    if ((await arrangements.quoteArrangement(db, clock, { accountId: c.id, instalments: n }).catch(refused)) === null) continue;
    used.add(c.id);
    await arrangements.createArrangement(db, actor, clock, { accountId: c.id, instalments: n, reason: `Demo district: the customer agreed ${n} monthly instalments` });
    out.arrangements++;
    counts.shift();
  }
  // The customer kept paying the bills as they came, but never the instalments.
  const start = clockOn(startedBefore);
  for (const c of all.filter((x) => !used.has(x.id)).slice(0, 12)) {
    const terms = { accountId: c.id, instalments: 3, firstDueOn: addDays(startedBefore, 15) };
    // Owing then, and past due: else there was nothing to arrange.
    const q = await arrangements.quoteArrangement(db, start, terms).catch(refused);
    if (q === null) continue;
    used.add(c.id);
    const a = await arrangements.createArrangement(db, actor, start, { ...terms, reason: 'Demo district: the customer agreed 3 monthly instalments' });
    out.arrangements++;
    const day = addDays(terms.firstDueOn, 1);
    if ((await arrangements.reviewArrangements(db, actor, clockOn(day), day)).defaulted.includes(a.id)) {
      out.defaulted++;
      break;
    }
  }
  const made = [...used];
  const inForce = await protectionsOf(db, made, today);
  out.inGoodStanding = [...inForce.values()].filter((list) => list.some((p) => p.kind === 'arrangement')).length;

  // Last July's heat: a three-day advisory in the first area of the district.
  const { rows: [area] } = await sql<{ area: string }>`select area from premises group by area order by count(*) desc, area limit 1`.execute(db);
  if (area) {
    const year = Number(today.slice(5, 7)) >= 8 ? Number(today.slice(0, 4)) : Number(today.slice(0, 4)) - 1;
    const from = `${year}-07-15`;
    const existing = await protections.listHeatAlerts(db, { from, to: from, area: area.area });
    if (existing.length === 0) {
      await protections.createHeatAlert(db, actor, clockOn(addDays(from, -1)), { area: area.area, fromDate: from, toDate: `${year}-07-17`, source: 'NWS Heat Advisory', note: 'Highs of 104 to 108 F in the valley', reason: 'Demo district: advisory issued by the National Weather Service' });
      out.heatAlerts++;
    }
  }
  return out;
}
