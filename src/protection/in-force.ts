/**
 * What protects an account on a day: the question the collections run asks before every notice
 * and every disconnection, for thousands of accounts at once (one statement per kind for all of
 * them; a pending energy-assistance pledge is the assistance context's to answer, asked per
 * account). Medical, winter and heat protections are for residential accounts only.
 */
import { assistance, pledgeHoldsCollection } from '../assistance/index.ts';
import { collectionRules } from '../collections/index.ts';
import type { Clock } from '../platform/clock.ts';
import type { Db } from '../platform/db/database.ts';
import { isDate } from '../platform/dates.ts';
import { invalid } from '../platform/errors.ts';
import { formatCents } from '../platform/money.ts';
import { standingsOn } from './arrangements.ts';
import * as repo from './repository.ts';
import { heatAlertLastDay, seasonLastDay } from './rules.ts';
import { getSettings, winterSettings } from './service.ts';

export type ProtectionKind = 'medical_notice' | 'medical_certificate' | 'winter' | 'heat_alert' | 'pledge' | 'arrangement' | 'dispute';
export type ProtectionHold = 'notice' | 'disconnect' | 'late_fee';

export interface Protection {
  kind: ProtectionKind;
  /** The record behind it (certificate, arrangement, alert, dispute, pledge id), if any. */
  id: number | null;
  from: string;
  until: string | null;
  /** What staff and the run report show: e.g. "Medical certificate from Dr. Ames, holds to 2027-01-30". */
  detail: string;
  /** What it holds back: 'notice' (past-due and disconnect notices), 'disconnect' (disconnect orders and field disconnection), 'late_fee'. A dispute holds nothing whole: it lowers the amount. */
  holds: ProtectionHold[];
  /** For a dispute: the cents in dispute, not collected while it is open. */
  disputedCents?: number;
}

const ORDER: ProtectionKind[] = ['arrangement', 'winter', 'medical_certificate', 'medical_notice', 'heat_alert', 'pledge', 'dispute'];
const str = (v: unknown) => String(v);
const min = (a: string, b: string) => (a < b ? a : b);

/** A clock standing on a day (the assistance context reads pledges with one). */
const clockOn = (date: string): Clock => ({ now: () => new Date(`${date}T12:00:00Z`), today: () => date });

/**
 * The protections in force on `date` for each account (accounts with none are absent). One query
 * per kind for all accounts, not per account: the run asks for thousands at once.
 */
export async function protectionsOf(db: Db, accountIds: number[], date: string): Promise<Map<number, Protection[]>> {
  if (!isDate(date)) throw invalid('date', 'must be a date YYYY-MM-DD');
  const ids = [...new Set(accountIds)];
  const out = new Map<number, Protection[]>();
  if (ids.length === 0) return out;
  const add = (accountId: number, p: Protection) => {
    const list = out.get(accountId);
    if (list) list.push(p);
    else out.set(accountId, [p]);
  };
  const s = await getSettings(db);
  const classes = await repo.accountClasses(db, ids);
  const residential = (id: number) => classes.get(id)?.customerClass === 'residential';

  // Payment arrangements in good standing, and winter plans in season.
  const arrangements = await repo.arrangementsInForce(db, ids, date);
  const standings = await standingsOn(db, arrangements.map((a) => Number(a.id)), date, s.graceDays);
  const winters = new Map((await repo.winterOf(db, arrangements.filter((a) => a.kind === 'winter').map((a) => Number(a.id)))).map((w) => [Number(w.arrangement_id), w]));
  const seasonEnd = seasonLastDay(date, winterSettings(s));
  for (const a of arrangements) {
    const id = Number(a.id);
    const accountId = Number(a.account_id);
    const st = standings.get(id);
    if (!st?.goodStanding) continue;
    const winter = a.kind === 'winter';
    const until = st.lastDueOn;
    add(accountId, {
      kind: 'arrangement', id, from: str(a.start_on), until, holds: ['notice', 'disconnect', 'late_fee'],
      detail: `${winter ? 'Winter protection plan' : 'Payment arrangement'} ${id}: ${formatCents(Number(a.arrears_cents))} in ${a.instalments} instalment${Number(a.instalments) === 1 ? '' : 's'} from ${str(a.start_on)} to ${until}, in good standing (${formatCents(st.paidCents)} paid of ${formatCents(st.owedCents)} due so far)${st.nextDueOn ? `; next instalment due ${st.nextDueOn}` : ''}`,
    });
    const w = winters.get(id);
    if (winter && w && seasonEnd !== null && residential(accountId)) {
      add(accountId, {
        kind: 'winter', id, from: str(w.requested_on), until: min(seasonEnd, str(w.pay_in_full_by)), holds: ['disconnect'],
        detail: `Winter protection (RCW 54.16.285): plan ${id} of ${formatCents(Number(w.payment_cents))} a month kept, space-heating service not disconnected through ${seasonEnd}`,
      });
    }
  }

  // Medical certificates: the full term once 10% is paid, else only the notice hold.
  for (const c of await repo.certificatesInForce(db, ids, date)) {
    const accountId = Number(c.account_id);
    if (!residential(accountId)) continue;
    const due = Number(c.payment_due_cents);
    const paid = Number(c.paid_cents) >= due;
    const holdsUntil = str(c.holds_until);
    const noticeUntil = str(c.notice_holds_until);
    if (paid && date <= holdsUntil) {
      add(accountId, { kind: 'medical_certificate', id: Number(c.id), from: str(c.received_on), until: holdsUntil, holds: ['disconnect'], detail: `Medical certificate from ${str(c.professional_name)}, holds to ${holdsUntil} (${formatCents(due)}, ${s.medicalPaidPercent}% of the delinquent balance, paid)` });
    } else if (date <= noticeUntil) {
      add(accountId, {
        kind: 'medical_certificate', id: Number(c.id), from: str(c.received_on), until: noticeUntil, holds: ['disconnect'],
        detail: `Medical certificate from ${str(c.professional_name)} received ${str(c.received_on)}: holds only to ${noticeUntil} (the ${s.medicalNoticeBusinessDays}-business-day notice hold) until ${formatCents(due)} (${s.medicalPaidPercent}% of the delinquent balance) is paid, then to ${holdsUntil} (${formatCents(Number(c.paid_cents))} paid so far)`,
      });
    }
  }

  for (const n of await repo.noticesInForce(db, ids, date)) {
    const accountId = Number(n.account_id);
    if (!residential(accountId)) continue;
    add(accountId, { kind: 'medical_notice', id: Number(n.id), from: str(n.told_on), until: str(n.holds_until), holds: ['disconnect'], detail: `Medical emergency told to the district on ${str(n.told_on)} by ${str(n.told_by)}: disconnection postponed to ${str(n.holds_until)}` });
  }

  for (const h of await repo.heatAlertsForAccounts(db, ids, date)) {
    add(Number(h.account_id), {
      kind: 'heat_alert', id: Number(h.id), from: str(h.from_date), until: heatAlertLastDay(str(h.to_date), h.ended_on === null ? null : str(h.ended_on)), holds: ['disconnect'],
      detail: `${str(h.source)} in area ${str(h.area)}, ${str(h.from_date)} to ${heatAlertLastDay(str(h.to_date), h.ended_on === null ? null : str(h.ended_on))}: no disconnection of residential service; reconnect on request`,
    });
  }

  // A pending energy-assistance pledge: the assistance context decides (asked per account).
  for (const accountId of ids) {
    const hold = await pledgeHoldsCollection(db, accountId, date);
    if (!hold) continue;
    const pledge = await assistance.getPledge(db, clockOn(date), hold.pledgeId);
    add(accountId, {
      kind: 'pledge', id: hold.pledgeId, from: pledge.pledgedOn, until: hold.expiresOn, holds: ['disconnect'],
      detail: `Energy-assistance pledge ${hold.pledgeId} (${pledge.agencyCode} ${pledge.programCode}) of ${formatCents(hold.amountCents)}: ${formatCents(hold.outstandingCents)} still to come, holds to ${hold.expiresOn}`,
    });
  }

  for (const d of await repo.disputesOpen(db, ids, date)) {
    const cents = Number(d.amount_cents);
    add(Number(d.account_id), { kind: 'dispute', id: Number(d.id), from: str(d.opened_on), until: d.resolved_on === null ? null : str(d.resolved_on), holds: [], disputedCents: cents, detail: `${formatCents(cents)} in dispute since ${str(d.opened_on)}: ${str(d.about)}` });
  }

  for (const list of out.values()) list.sort((a, b) => ORDER.indexOf(a.kind) - ORDER.indexOf(b.kind) || (a.id ?? 0) - (b.id ?? 0));
  return out;
}

/** Whether residential service at the account's premises may be disconnected today because of a heat alert (reconnect on request during the alert). */
export async function heatAlertOn(db: Db, accountId: number, date: string): Promise<{ area: string; alertId: number; source: string } | null> {
  if (!isDate(date)) throw invalid('date', 'must be a date YYYY-MM-DD');
  const [h] = await repo.heatAlertsForAccounts(db, [accountId], date);
  return h ? { area: str(h.area), alertId: Number(h.id), source: str(h.source) } : null;
}

/** Whether a day is in the winter protection season (the district's settings). */
export async function inWinterSeason(db: Db, date: string): Promise<boolean> {
  return collectionRules.inWinterSeason(date, winterSettings(await getSettings(db)));
}
