import { sql } from 'kysely';
import type { Db } from '../platform/db/database.ts';

export interface SearchHitRow {
  account_id: number;
  kind: 'number' | 'meter' | 'phone' | 'name' | 'address';
  matched: string;
}

export interface SearchTerms {
  /** Lower-cased query. */
  text: string;
  /** The query's digits, when it looks like a number or phone. */
  digits: string | null;
  perKind: number;
}

const like = (s: string) => s.replace(/[\\%_]/g, (c) => `\\${c}`);

/**
 * Account search is a read model over the customer and premise tables: one indexed lookup per
 * kind of key, each capped, unioned. Every branch is served by an index (account number and phone
 * by btree prefix, meter serial by btree prefix on upper(serial), names and addresses by trigram
 * GIN for three characters or more and by btree prefix below that), so the cost does not grow
 * with the number of accounts. Prefix branches order by the indexed expression with the
 * text_pattern_ops operator (`~<~`), so the planner walks the btree and stops at the cap.
 */
export async function searchAccounts(db: Db, terms: SearchTerms): Promise<SearchHitRow[]> {
  const { text, digits, perKind } = terms;
  const prefix = `${like(text)}%`;
  const contains = text.length >= 3 ? `%${like(text)}%` : prefix;
  const branches = [
    sql`(select a.id as account_id, 'name' as kind, c.display_name as matched
          from customers c join accounts a on a.customer_id = c.id
         where lower(c.display_name) like ${contains} limit ${perKind})`,
    sql`(select a.id, 'address', a.billing_line1 || ', ' || a.billing_city
          from accounts a
         where lower(a.billing_line1 || ' ' || a.billing_city) like ${contains} limit ${perKind})`,
    // Premises first, capped, then their agreements: otherwise the planner may walk agreements.
    sql`(with p as materialized (
           select id, line1, city from premises
            where lower(line1 || ' ' || coalesce(line2, '') || ' ' || city) like ${contains} limit ${perKind})
         select sa.account_id, 'address', p.line1 || ', ' || p.city
           from p
           join service_points sp on sp.premise_id = p.id
           join service_agreements sa on sa.service_point_id = sp.id
          limit ${perKind})`,
    sql`(select sa.account_id, 'meter', m.serial
          from meters m
          join meter_installations mi on mi.meter_id = m.id
          join service_agreements sa on sa.service_point_id = mi.service_point_id
         where upper(m.serial) like ${prefix.toUpperCase()}
         order by upper(m.serial) using ~<~ limit ${perKind})`,
  ];
  if (digits) {
    branches.push(
      sql`(select a.id, 'number', a.account_number from accounts a where a.account_number like ${`${digits}%`}
           order by a.account_number using ~<~ limit ${perKind})`,
      sql`(select a.id, 'phone', cc.value
            from customer_contacts cc join accounts a on a.customer_id = cc.customer_id
           where cc.phone_digits like ${`${digits}%`} and cc.removed_at is null
           order by cc.phone_digits using ~<~ limit ${perKind})`,
    );
  }
  const { rows } = await sql<SearchHitRow>`${sql.join(branches, sql` union all `)}`.execute(db);
  return rows;
}

export interface AccountCardRow {
  id: number;
  account_number: string;
  status: string;
  customer_class: string;
  display_name: string;
  billing_line1: string;
  billing_city: string;
}

export async function accountCards(db: Db, ids: number[]): Promise<AccountCardRow[]> {
  if (ids.length === 0) return [];
  const { rows } = await sql<AccountCardRow>`
    select a.id, a.account_number, a.status, a.customer_class, c.display_name, a.billing_line1, a.billing_city
      from accounts a join customers c on c.id = a.customer_id
     where a.id = any(${ids}::int8[])`.execute(db);
  return rows;
}
