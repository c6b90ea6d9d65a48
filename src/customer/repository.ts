import { sql, type Generated, type Insertable, type Selectable, type Updateable } from 'kysely';
import type { Db } from '../platform/db/database.ts';

export interface CustomersTable {
  id: Generated<number>;
  kind: 'person' | 'business';
  first_name: string | null;
  last_name: string | null;
  business_name: string | null;
  display_name: string;
  date_of_birth: string | null;
  preferred_language: Generated<string>;
  created_at: Generated<Date>;
  updated_at: Generated<Date>;
}
export interface CustomerContactsTable {
  id: Generated<number>;
  customer_id: number;
  kind: 'phone' | 'mobile' | 'email';
  value: string;
  phone_digits: string | null;
  label: string | null;
  is_primary: Generated<boolean>;
  removed_at: Date | null;
  created_at: Generated<Date>;
}
export interface CustomerIdentifiersTable {
  id: Generated<number>;
  customer_id: number;
  kind: string;
  value: string;
  removed_at: Date | null;
  created_at: Generated<Date>;
}
export interface AccountsTable {
  id: Generated<number>;
  account_number: string;
  customer_id: number;
  status: 'pending' | 'active' | 'final' | 'closed';
  customer_class: string;
  billing_cycle: number;
  billing_line1: string;
  billing_line2: string | null;
  billing_city: string;
  billing_state: string;
  billing_postal_code: string;
  opened_on: string;
  closed_on: string | null;
  created_at: Generated<Date>;
  updated_at: Generated<Date>;
}
export interface AccountAlertsTable {
  id: Generated<number>;
  account_id: number;
  kind: string;
  note: string | null;
  starts_on: string;
  ends_on: string | null;
  created_at: Generated<Date>;
  created_by: number | null;
  cleared_at: Date | null;
  cleared_by: number | null;
  clear_reason: string | null;
}
export type CustomerTables = {
  customers: CustomersTable;
  customer_contacts: CustomerContactsTable;
  customer_identifiers: CustomerIdentifiersTable;
  accounts: AccountsTable;
  account_alerts: AccountAlertsTable;
};
export type CustomerRow = Selectable<CustomersTable>;
export type ContactRow = Selectable<CustomerContactsTable>;
export type IdentifierRow = Selectable<CustomerIdentifiersTable>;
export type AccountRow = Selectable<AccountsTable>;
export type AlertRow = Selectable<AccountAlertsTable>;

const t = (db: Db) => db.withTables<CustomerTables>();

export const insertCustomer = (db: Db, row: Insertable<CustomersTable>) =>
  t(db).insertInto('customers').values(row).returningAll().executeTakeFirstOrThrow();
export const findCustomer = (db: Db, id: number) =>
  t(db).selectFrom('customers').selectAll().where('id', '=', id).executeTakeFirst();
export const findCustomerForUpdate = (db: Db, id: number) =>
  t(db).selectFrom('customers').selectAll().where('id', '=', id).forUpdate().executeTakeFirst();
export const updateCustomer = (db: Db, id: number, patch: Updateable<CustomersTable>) =>
  t(db).updateTable('customers').set({ ...patch, updated_at: new Date() }).where('id', '=', id).returningAll().executeTakeFirstOrThrow();

export function listCustomers(db: Db, q: { after: number; limit: number; name?: string }) {
  let query = t(db).selectFrom('customers').selectAll().where('id', '>', q.after);
  if (q.name) query = query.where(sql<boolean>`lower(display_name) like ${`%${escapeLike(q.name.toLowerCase())}%`}`);
  return query.orderBy('id').limit(q.limit).execute();
}

export const contactsOf = (db: Db, customerId: number) =>
  t(db).selectFrom('customer_contacts').selectAll().where('customer_id', '=', customerId).where('removed_at', 'is', null).orderBy('id').execute();
export const insertContact = (db: Db, row: Insertable<CustomerContactsTable>) =>
  t(db).insertInto('customer_contacts').values(row).returningAll().executeTakeFirstOrThrow();
export const findContact = (db: Db, customerId: number, id: number) =>
  t(db).selectFrom('customer_contacts').selectAll().where('customer_id', '=', customerId).where('id', '=', id).where('removed_at', 'is', null).executeTakeFirst();
export const removeContact = (db: Db, id: number, at: Date) =>
  t(db).updateTable('customer_contacts').set({ removed_at: at }).where('id', '=', id).execute();
export const clearPrimaryContact = (db: Db, customerId: number, kind: string) =>
  t(db).updateTable('customer_contacts').set({ is_primary: false }).where('customer_id', '=', customerId).where('kind', '=', kind as ContactRow['kind']).execute();

export const identifiersOf = (db: Db, customerId: number) =>
  t(db).selectFrom('customer_identifiers').selectAll().where('customer_id', '=', customerId).where('removed_at', 'is', null).orderBy('id').execute();
export const insertIdentifier = (db: Db, row: Insertable<CustomerIdentifiersTable>) =>
  t(db).insertInto('customer_identifiers').values(row).returningAll().executeTakeFirstOrThrow();
export const findIdentifier = (db: Db, customerId: number, id: number) =>
  t(db).selectFrom('customer_identifiers').selectAll().where('customer_id', '=', customerId).where('id', '=', id).where('removed_at', 'is', null).executeTakeFirst();
export const removeIdentifier = (db: Db, id: number, at: Date) =>
  t(db).updateTable('customer_identifiers').set({ removed_at: at }).where('id', '=', id).execute();

export async function nextAccountSequence(db: Db): Promise<number> {
  const { rows } = await sql<{ n: number }>`select nextval('account_number_seq')::int8 as n`.execute(db);
  return rows[0]!.n;
}
export const insertAccount = (db: Db, row: Insertable<AccountsTable>) =>
  t(db).insertInto('accounts').values(row).returningAll().executeTakeFirstOrThrow();
export const findAccount = (db: Db, id: number) =>
  t(db).selectFrom('accounts').selectAll().where('id', '=', id).executeTakeFirst();
export const findAccountForUpdate = (db: Db, id: number) =>
  t(db).selectFrom('accounts').selectAll().where('id', '=', id).forUpdate().executeTakeFirst();
export const findAccountByNumber = (db: Db, accountNumber: string) =>
  t(db).selectFrom('accounts').selectAll().where('account_number', '=', accountNumber).executeTakeFirst();
export const updateAccount = (db: Db, id: number, patch: Updateable<AccountsTable>) =>
  t(db).updateTable('accounts').set({ ...patch, updated_at: new Date() }).where('id', '=', id).returningAll().executeTakeFirstOrThrow();
export const accountsOfCustomer = (db: Db, customerId: number) =>
  t(db).selectFrom('accounts').selectAll().where('customer_id', '=', customerId).orderBy('id').execute();

export function listAccounts(db: Db, q: { after: number; limit: number; status?: string; cycle?: number; customerId?: number }) {
  let query = t(db)
    .selectFrom('accounts as a')
    .innerJoin('customers as c', 'c.id', 'a.customer_id')
    .selectAll('a')
    .select('c.display_name as customer_name')
    .where('a.id', '>', q.after);
  if (q.status) query = query.where('a.status', '=', q.status as AccountRow['status']);
  if (q.cycle) query = query.where('a.billing_cycle', '=', q.cycle);
  if (q.customerId) query = query.where('a.customer_id', '=', q.customerId);
  return query.orderBy('a.id').limit(q.limit).execute();
}

/** Alerts of the given kinds in force on a day, for many accounts. */
export const alertsInForce = (db: Db, accountIds: number[], kinds: string[], date: string) =>
  t(db).selectFrom('account_alerts').selectAll().where('account_id', 'in', accountIds).where('kind', 'in', kinds).where('cleared_at', 'is', null)
    .where('starts_on', '<=', date).where((eb) => eb.or([eb('ends_on', 'is', null), eb('ends_on', '>=', date)])).orderBy('id').execute();
export const alertsOf = (db: Db, accountId: number) =>
  t(db).selectFrom('account_alerts').selectAll().where('account_id', '=', accountId).orderBy('id', 'desc').execute();
export const insertAlert = (db: Db, row: Insertable<AccountAlertsTable>) =>
  t(db).insertInto('account_alerts').values(row).returningAll().executeTakeFirstOrThrow();
export const findAlert = (db: Db, accountId: number, id: number) =>
  t(db).selectFrom('account_alerts').selectAll().where('account_id', '=', accountId).where('id', '=', id).executeTakeFirst();
export const clearAlert = (db: Db, id: number, patch: { cleared_at: Date; cleared_by: number | null; clear_reason: string }) =>
  t(db).updateTable('account_alerts').set(patch).where('id', '=', id).returningAll().executeTakeFirstOrThrow();

export const escapeLike = (s: string) => s.replace(/[\\%_]/g, (c) => `\\${c}`);
