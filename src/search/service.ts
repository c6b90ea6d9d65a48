import type { Db } from '../platform/db/database.ts';
import { accountCards, searchAccounts, type SearchHitRow } from './repository.ts';

export interface AccountSearchResult {
  accountId: number;
  accountNumber: string;
  status: string;
  customerClass: string;
  name: string;
  billingAddress: string;
  /** What the query matched: the account number, a meter serial, a phone, the name or an address. */
  matchedOn: SearchHitRow['kind'];
  matched: string;
}

const kindRank: Record<SearchHitRow['kind'], number> = { number: 0, meter: 1, phone: 2, name: 3, address: 4 };

/** Finds accounts by account number, name, service or billing address, phone or meter serial. */
export async function findAccounts(db: Db, query: string, limit = 20): Promise<AccountSearchResult[]> {
  const text = query.trim().toLowerCase().replace(/\s+/g, ' ');
  if (text.length === 0) return [];
  const looksNumeric = /^[\d\s().+-]+$/.test(text);
  const digits = looksNumeric ? text.replace(/\D/g, '').replace(/^1(?=\d{10}$)/, '') : null;
  const hits = await searchAccounts(db, { text, digits: digits || null, perKind: limit });

  // Best hit per account: an exact account number first, then by kind, then shorter matches.
  const best = new Map<number, SearchHitRow>();
  const score = (h: SearchHitRow) => (h.kind === 'number' && h.matched === digits ? -1 : kindRank[h.kind]);
  for (const h of hits) {
    const current = best.get(h.account_id);
    if (!current || score(h) < score(current)) best.set(h.account_id, h);
  }
  const ranked = [...best.values()]
    .sort((a, b) => score(a) - score(b) || a.matched.length - b.matched.length || a.account_id - b.account_id)
    .slice(0, limit);
  const cards = new Map((await accountCards(db, ranked.map((h) => h.account_id))).map((c) => [c.id, c]));
  return ranked.flatMap((h) => {
    const c = cards.get(h.account_id);
    if (!c) return [];
    return [{
      accountId: c.id,
      accountNumber: c.account_number,
      status: c.status,
      customerClass: c.customer_class,
      name: c.display_name,
      billingAddress: `${c.billing_line1}, ${c.billing_city}`,
      matchedOn: h.kind,
      matched: h.matched,
    }];
  });
}
