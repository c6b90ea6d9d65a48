import type { Generated, Insertable, Selectable, Updateable } from 'kysely';
import type { Role } from '../platform/actor.ts';
import type { Db } from '../platform/db/database.ts';

export interface StaffUsersTable {
  id: Generated<number>;
  username: string;
  display_name: string;
  role: Role;
  password_hash: string;
  active: Generated<boolean>;
  failed_logins: Generated<number>;
  locked_until: Date | null;
  last_login_at: Date | null;
  created_at: Generated<Date>;
  updated_at: Generated<Date>;
}
export interface StaffSessionsTable {
  id: Generated<number>;
  token_hash: string;
  csrf_token: string;
  user_id: number;
  created_at: Generated<Date>;
  expires_at: Date;
  ip: string | null;
}
export interface StaffApiTokensTable {
  id: Generated<number>;
  user_id: number;
  name: string;
  token_hash: string;
  token_prefix: string;
  created_at: Generated<Date>;
  created_by: number | null;
  last_used_at: Date | null;
  expires_at: Date | null;
  revoked_at: Date | null;
}
export type StaffTables = {
  staff_users: StaffUsersTable;
  staff_sessions: StaffSessionsTable;
  staff_api_tokens: StaffApiTokensTable;
};
export type UserRow = Selectable<StaffUsersTable>;
export type ApiTokenRow = Selectable<StaffApiTokensTable>;

const t = (db: Db) => db.withTables<StaffTables>();

export const findUserByUsername = (db: Db, username: string) =>
  t(db).selectFrom('staff_users').selectAll().where('username', '=', username).executeTakeFirst();

export const findUserById = (db: Db, id: number) =>
  t(db).selectFrom('staff_users').selectAll().where('id', '=', id).executeTakeFirst();

export const listUsers = (db: Db, after: number, limit: number) =>
  t(db).selectFrom('staff_users').selectAll().where('id', '>', after).orderBy('id').limit(limit).execute();

export const insertUser = (db: Db, row: Insertable<StaffUsersTable>) =>
  t(db).insertInto('staff_users').values(row).returningAll().executeTakeFirstOrThrow();

export const updateUser = (db: Db, id: number, patch: Updateable<StaffUsersTable>) =>
  t(db)
    .updateTable('staff_users')
    .set({ ...patch, updated_at: new Date() })
    .where('id', '=', id)
    .returningAll()
    .executeTakeFirstOrThrow();

export const countUsers = async (db: Db) =>
  Number((await t(db).selectFrom('staff_users').select((eb) => eb.fn.countAll().as('n')).executeTakeFirstOrThrow()).n);

export const insertSession = (db: Db, row: Insertable<StaffSessionsTable>) =>
  t(db).insertInto('staff_sessions').values(row).execute();

export const findSession = (db: Db, tokenHash: string) =>
  t(db)
    .selectFrom('staff_sessions as s')
    .innerJoin('staff_users as u', 'u.id', 's.user_id')
    .select(['s.id as session_id', 's.csrf_token', 's.expires_at', 'u.id', 'u.username', 'u.role', 'u.active', 'u.display_name'])
    .where('s.token_hash', '=', tokenHash)
    .executeTakeFirst();

export const deleteSession = (db: Db, tokenHash: string) =>
  t(db).deleteFrom('staff_sessions').where('token_hash', '=', tokenHash).execute();

export const deleteSessionsOfUser = (db: Db, userId: number) =>
  t(db).deleteFrom('staff_sessions').where('user_id', '=', userId).execute();

export const deleteExpiredSessions = (db: Db, now: Date) =>
  t(db).deleteFrom('staff_sessions').where('expires_at', '<', now).execute();

export const insertApiToken = (db: Db, row: Insertable<StaffApiTokensTable>) =>
  t(db).insertInto('staff_api_tokens').values(row).returningAll().executeTakeFirstOrThrow();

export const findApiToken = (db: Db, tokenHash: string) =>
  t(db)
    .selectFrom('staff_api_tokens as k')
    .innerJoin('staff_users as u', 'u.id', 'k.user_id')
    .select(['k.id as token_id', 'k.expires_at', 'k.revoked_at', 'u.id', 'u.username', 'u.role', 'u.active'])
    .where('k.token_hash', '=', tokenHash)
    .executeTakeFirst();

export const touchApiToken = (db: Db, id: number, now: Date) =>
  t(db).updateTable('staff_api_tokens').set({ last_used_at: now }).where('id', '=', id).execute();

export const listApiTokens = (db: Db, after: number, limit: number) =>
  t(db).selectFrom('staff_api_tokens').selectAll().where('id', '>', after).orderBy('id').limit(limit).execute();

export const findApiTokenById = (db: Db, id: number) =>
  t(db).selectFrom('staff_api_tokens').selectAll().where('id', '=', id).executeTakeFirst();

export const revokeApiToken = (db: Db, id: number, now: Date) =>
  t(db).updateTable('staff_api_tokens').set({ revoked_at: now }).where('id', '=', id).returningAll().executeTakeFirstOrThrow();
