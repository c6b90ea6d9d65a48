/** SQL for tariff versions. */
import { sql, type Generated, type Insertable, type Selectable } from 'kysely';
import type { Db } from '../platform/db/database.ts';

export interface TariffVersionsTable {
  id: Generated<number>;
  code: string;
  version: number;
  service: 'electric' | 'water' | 'fiber';
  name: string;
  effective_from: string;
  body: unknown;
  body_sha256: string;
  loaded_at: Date;
  loaded_by: number | null;
  reason: string;
  superseded_by: number | null;
}
export type TariffTables = { tariff_versions: TariffVersionsTable };
export type TariffVersionRow = Selectable<TariffVersionsTable>;

const t = (db: Db) => db.withTables<TariffTables>();

export const insertVersion = (db: Db, row: Insertable<TariffVersionsTable>) => t(db).insertInto('tariff_versions').values(row).returningAll().executeTakeFirstOrThrow();

export const supersede = (db: Db, id: number, by: number) =>
  t(db).updateTable('tariff_versions').set({ superseded_by: by }).where('id', '=', id).execute();

/** Serialises loads of one code so two loads cannot take the same version number. */
export const lockCode = (db: Db, code: string) => sql`select pg_advisory_xact_lock(hashtext(${`tariff:${code}`}))`.execute(db);

export const latestVersionNumber = async (db: Db, code: string): Promise<number> =>
  (await t(db).selectFrom('tariff_versions').select(sql<number>`coalesce(max(version), 0)::int`.as('n')).where('code', '=', code).executeTakeFirstOrThrow()).n;

export const liveVersionOn = (db: Db, code: string, effectiveFrom: string) =>
  t(db).selectFrom('tariff_versions').selectAll().where('code', '=', code).where('effective_from', '=', effectiveFrom).where('superseded_by', 'is', null).executeTakeFirst();

export const findVersion = (db: Db, code: string, version: number) =>
  t(db).selectFrom('tariff_versions').selectAll().where('code', '=', code).where('version', '=', version).executeTakeFirst();

/** Every live version of the given codes (all codes when none given), oldest first. */
export const liveVersions = (db: Db, codes?: string[]) => {
  let q = t(db).selectFrom('tariff_versions').selectAll().where('superseded_by', 'is', null);
  if (codes) q = q.where(sql<boolean>`code = any(${codes}::text[])`);
  return q.orderBy('code').orderBy('effective_from').execute();
};

/** Every version of one code, superseded ones included, newest first. */
export const historyOf = (db: Db, code: string) =>
  t(db).selectFrom('tariff_versions').selectAll().where('code', '=', code).orderBy('version', 'desc').execute();
