/**
 * What staff type into the search box, drawn from accounts actually in the database: account
 * number prefixes and whole numbers, 3-10 letter pieces of names, "house number + street" pieces,
 * phone prefixes and meter serial prefixes.
 */
import { sql } from 'kysely';
import { Rng } from '../src/demo/generate.ts';
import type { Db } from '../src/platform/db/database.ts';

export type QueryKind = 'number prefix' | 'full number' | 'name fragment' | 'address fragment' | 'phone prefix' | 'meter prefix';
export interface SearchQuery {
  kind: QueryKind;
  q: string;
}

interface SampleRow {
  id: number;
  account_number: string;
  display_name: string;
  line1: string | null;
  phone: string | null;
  serial: string | null;
}

/** `n` accounts picked at random (uniform over the id range), with a phone and a meter where they have one. */
export async function sampleAccounts(db: Db, rng: Rng, n: number): Promise<SampleRow[]> {
  const { rows: bounds } = await sql<{ lo: number; hi: number }>`select min(id) as lo, max(id) as hi from accounts`.execute(db);
  const { lo, hi } = bounds[0]!;
  const ids = Array.from({ length: n * 2 }, () => rng.int(lo, hi));
  const { rows } = await sql<SampleRow>`
    select a.id, a.account_number, c.display_name,
           (select p.line1 from service_agreements sa join service_points sp on sp.id = sa.service_point_id join premises p on p.id = sp.premise_id
             where sa.account_id = a.id limit 1) as line1,
           (select cc.value from customer_contacts cc where cc.customer_id = c.id and cc.phone_digits is not null limit 1) as phone,
           (select m.serial from service_agreements sa join meter_installations mi on mi.service_point_id = sa.service_point_id and mi.removed_on is null
              join meters m on m.id = mi.meter_id where sa.account_id = a.id limit 1) as serial
      from accounts a join customers c on c.id = a.customer_id
     where a.id = any(${ids}::int8[])`.execute(db);
  // In the order drawn, so a seed gives the same queries.
  const byId = new Map(rows.map((r) => [r.id, r]));
  return [...new Set(ids)].flatMap((id) => byId.get(id) ?? []).slice(0, n);
}

/** Ids of `n` accounts picked at random, for the account page. */
export async function sampleAccountIds(db: Db, rng: Rng, n: number): Promise<number[]> {
  const { rows } = await sql<{ lo: number; hi: number }>`select min(id) as lo, max(id) as hi from accounts`.execute(db);
  const { lo, hi } = rows[0]!;
  const ids = Array.from({ length: n * 2 }, () => rng.int(lo, hi));
  const { rows: found } = await sql<{ id: number }>`select id from accounts where id = any(${ids}::int8[])`.execute(db);
  const exists = new Set(found.map((r) => r.id));
  return ids.filter((id) => exists.has(id)).slice(0, n);
}

function nameFragment(rng: Rng, name: string): string {
  const words = name.toLowerCase().split(' ').filter((w) => /^[a-z]{3,}$/.test(w));
  if (words.length === 0) return name.toLowerCase().slice(0, 4);
  const word = rng.pick(words);
  const len = Math.min(word.length, rng.int(3, 10));
  const at = rng.int(0, word.length - len);
  return word.slice(at, at + len);
}

function addressFragment(rng: Rng, line1: string): string {
  const [number, ...rest] = line1.toLowerCase().split(' ');
  // "123 main", "1420 n mil", "780 eastm": the number and the start of the street.
  const street = rest.join(' ');
  return `${number} ${street.slice(0, rng.int(3, Math.max(3, Math.min(9, street.length))))}`;
}

/** A mix of `n` queries spread evenly over the kinds, each from its own sampled account. */
export function buildQueries(rng: Rng, samples: SampleRow[], n: number): SearchQuery[] {
  const kinds: QueryKind[] = ['number prefix', 'full number', 'name fragment', 'address fragment', 'phone prefix', 'meter prefix'];
  const out: SearchQuery[] = [];
  for (let i = 0; out.length < n && i < samples.length; i++) {
    const kind = kinds[out.length % kinds.length]!;
    const s = samples[i]!;
    let q: string | null = null;
    if (kind === 'number prefix') q = s.account_number.slice(0, rng.int(4, 7));
    else if (kind === 'full number') q = s.account_number;
    else if (kind === 'name fragment') q = nameFragment(rng, s.display_name);
    else if (kind === 'address fragment' && s.line1) q = addressFragment(rng, s.line1);
    else if (kind === 'phone prefix' && s.phone) q = s.phone.replace(/\D/g, '').slice(0, rng.int(6, 8));
    else if (kind === 'meter prefix' && s.serial) q = s.serial.slice(0, rng.int(4, 7));
    if (q) out.push({ kind, q });
  }
  return out;
}
