/**
 * The demo district's energy assistance: the Chelan-Douglas Community Action Council with its
 * LIHEAP and winter-crisis programs, and pledges on a few dozen residential accounts (the same ones
 * for the same district), made through the real services with the clock standing on each day:
 * two months ago 24 pledges, 20 of them paid by one agency check three weeks later and two only in
 * part, the rest lapsing (the review a month ago expired them: two short, two with nothing); ten
 * days ago 12 more, still open and holding collection.
 */
import { sql } from 'kysely';
import { assistance } from '../assistance/index.ts';
import type { Actor } from '../platform/actor.ts';
import type { Clock } from '../platform/clock.ts';
import { addDays } from '../platform/dates.ts';
import type { Db } from '../platform/db/database.ts';

export interface DemoAssistance {
  agencies: number;
  programs: number;
  pledges: number;
  /** Pledges paid in full, paid in part and lapsed (short), lapsed with nothing, still open. */
  paid: number;
  short: number;
  expired: number;
  open: number;
}

/** A clock standing at 5 pm on a given day. */
const clockOn = (date: string): Clock => ({ now: () => new Date(`${date}T17:00:00-08:00`), today: () => date });

/** The agency and its programs, made once (a second district loaded beside the first shares them). */
async function agencyAndPrograms(db: Db, actor: Actor, clock: Clock, today: string) {
  const existing = (await assistance.listAgencies(db)).find((a) => a.code === 'CDCAC');
  const agency = existing ?? (await assistance.createAgency(db, actor, clock, {
    code: 'CDCAC', name: 'Chelan-Douglas Community Action Council', contactName: 'Energy Assistance Program', address: '620 Lewis St, Wenatchee WA 98801', phone: '(509) 662-6156', email: 'energy@cdcac.example.org',
  }, 'Demo district: the local community-action agency'));
  const programs = await assistance.listPrograms(db, agency.id);
  // The federal fiscal year runs October to September; LIHEAP funds are named by the year they end in.
  const year = Number(today.slice(0, 4));
  const fiscalYear = Number(today.slice(5, 7)) >= 10 ? year + 1 : year;
  const winterStart = Number(today.slice(5, 7)) >= 7 ? year : year - 1;
  const liheap = programs.find((p) => p.code === 'LIHEAP') ?? (await assistance.createProgram(db, actor, clock, {
    agencyId: agency.id, code: 'LIHEAP', name: 'Low Income Home Energy Assistance Program', lowIncome: true, fundingYear: fiscalYear, seasonFrom: `${fiscalYear - 1}-10-01`, seasonTo: `${fiscalYear}-09-30`,
  }, 'Demo district: federal LIHEAP grant'));
  const winter = programs.find((p) => p.code === 'WINTER') ?? (await assistance.createProgram(db, actor, clock, {
    agencyId: agency.id, code: 'WINTER', name: 'Winter crisis fund', lowIncome: true, seasonFrom: `${winterStart}-11-15`, seasonTo: `${winterStart + 1}-03-15`,
  }, 'Demo district: the agency\'s winter crisis fund'));
  const programsMade = [liheap, winter].filter((p) => !programs.some((q) => q.id === p.id)).length;
  return { agency, liheap, winter, agenciesMade: existing ? 0 : 1, programsMade };
}

export async function loadDemoAssistance(db: Db, actor: Actor, clock: Clock): Promise<DemoAssistance> {
  const today = clock.today();
  const out: DemoAssistance = { agencies: 0, programs: 0, pledges: 0, paid: 0, short: 0, expired: 0, open: 0 };
  // 36 active residential accounts, picked by a fixed shuffle of their ids (the newest district's).
  const { rows } = await sql<{ id: string }>`
    select a.id::text from accounts a
     where a.status = 'active' and a.customer_class = 'residential'
       and a.id > coalesce((select max(p.account_id) from assistance_pledges p), 0)
     order by (a.id * 7919) % 997, a.id limit 36`.execute(db);
  if (rows.length === 0) return out;
  const setUp = await agencyAndPrograms(db, actor, clockOn(addDays(today, -90)), today);
  out.agencies = setUp.agenciesMade;
  out.programs = setUp.programsMade;
  const ids = rows.map((r) => Number(r.id));
  const amountOf = (id: number) => 7500 + ((id * 31) % 14) * 2500;
  const programOf = (i: number) => (i % 3 === 2 ? setUp.winter : setUp.liheap);

  // Two months ago: 24 pledges, good for 30 days.
  const earlyDay = addDays(today, -60);
  const early = [];
  for (const [i, accountId] of ids.slice(0, 24).entries()) {
    const program = programOf(i);
    early.push(await assistance.recordPledge(db, actor, clockOn(earlyDay), { accountId, programId: program.id, amountCents: amountOf(accountId), reference: `${program.code === 'LIHEAP' ? 'LI' : 'WC'}-${accountId}` }, 'Agency pledge received by fax'));
  }
  // Three weeks later one check: 20 pledges in full, 2 in half; 2 not at all.
  const checkDay = addDays(today, -39);
  const paying = early.slice(0, 22);
  const items = paying.map((p, i) => ({ pledgeId: p.id, amountCents: i < 20 ? p.amountCents : Math.floor(p.amountCents / 2) }));
  await assistance.postAgencyCheck(db, actor, clockOn(checkDay), {
    agencyId: setUp.agency.id, checkNumber: String(104000 + early[0]!.id), receivedOn: checkDay, totalCents: items.reduce((a, i) => a + i.amountCents, 0), items,
    note: 'Chelan-Douglas Community Action Council: LIHEAP and winter crisis payments',
  });
  // The day after the 30 days ran out, the review expired the rest.
  await assistance.review(db, actor, clockOn(addDays(earlyDay, 31)));

  // Ten days ago: 12 more, open now and holding collection.
  const lateDay = addDays(today, -10);
  for (const [i, accountId] of ids.slice(24).entries()) {
    const program = programOf(i);
    await assistance.recordPledge(db, actor, clockOn(lateDay), { accountId, programId: program.id, amountCents: amountOf(accountId), reference: `${program.code === 'LIHEAP' ? 'LI' : 'WC'}-${accountId}` }, 'Agency pledge received by phone');
  }
  out.pledges = ids.length;
  out.paid = Math.min(20, paying.length);
  out.short = paying.length - out.paid;
  out.expired = early.length - paying.length;
  out.open = ids.length - early.length;
  return out;
}
