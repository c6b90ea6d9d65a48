/**
 * What may hold collection back on an account on a day, gathered from the contexts that keep it:
 * protections and payment arrangements (`src/protection/`: medical, winter, heat alerts, pledges,
 * arrangements, disputes), bankruptcy stays (`src/bankruptcy/`: the pre-petition debt is not
 * collected) and deceased customers' accounts (`src/deceased/`, by its alert: nothing is
 * collected while the estate is settled). One call for many accounts.
 */
import { staysOf } from '../bankruptcy/index.ts';
import { customers } from '../customer/index.ts';
import type { Db } from '../platform/db/database.ts';
import { protectionsOf } from '../protection/index.ts';

export type HoldKind = 'medical_notice' | 'medical_certificate' | 'winter' | 'heat_alert' | 'pledge' | 'arrangement' | 'dispute' | 'bankruptcy_stay' | 'deceased';
export type Held = 'notice' | 'disconnect' | 'late_fee';

export interface Hold {
  kind: HoldKind;
  detail: string;
  from: string;
  until: string | null;
  /** What it holds back whole (a dispute and a bankruptcy stay hold back an amount instead). */
  holds: Held[];
  /** Cents not collected while it lasts (the amount in dispute, the pre-petition debt). */
  exemptCents: number;
}

export async function holdsOf(db: Db, accountIds: number[], date: string): Promise<Map<number, Hold[]>> {
  const out = new Map<number, Hold[]>();
  const add = (accountId: number, h: Hold) => {
    const list = out.get(accountId);
    if (list) list.push(h);
    else out.set(accountId, [h]);
  };
  if (accountIds.length === 0) return out;
  for (const [accountId, list] of await protectionsOf(db, accountIds, date)) {
    for (const p of list) add(accountId, { kind: p.kind, detail: p.detail, from: p.from, until: p.until, holds: [...p.holds], exemptCents: p.kind === 'dispute' ? p.disputedCents ?? 0 : 0 });
  }
  for (const [accountId, s] of await staysOf(db, accountIds, date)) {
    add(accountId, { kind: 'bankruptcy_stay', detail: `Bankruptcy stay: chapter ${s.chapter} case ${s.caseNumber}, petition ${s.petitionDate}; pre-petition debt not collected`, from: s.petitionDate, until: null, holds: [], exemptCents: s.prePetitionCents });
  }
  for (const [accountId, alerts] of await customers.alertsInForce(db, accountIds, ['deceased'], date)) {
    for (const a of alerts) add(accountId, { kind: 'deceased', detail: `Deceased customer${a.note ? `: ${a.note}` : ''}; the balance is claimed against the estate`, from: a.startsOn, until: a.endsOn, holds: ['notice', 'disconnect', 'late_fee'], exemptCents: 0 });
  }
  return out;
}
