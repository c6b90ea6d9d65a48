import { sql } from 'kysely';
import type { Db } from '../../src/platform/db/database.ts';

/** Every row of every public table, as text: equal snapshots mean no data changed. */
export async function snapshotAllTables(db: Db): Promise<Record<string, string[]>> {
  const { rows: tables } = await sql<{ name: string }>`
    select table_name as name from information_schema.tables
     where table_schema = 'public' and table_type = 'BASE TABLE' order by table_name`.execute(db);
  const out: Record<string, string[]> = {};
  for (const { name } of tables) {
    const { rows } = await sql<{ r: string }>`select row_to_json(t)::text as r from ${sql.table(name)} t`.execute(db);
    out[name] = rows.map((x) => x.r).sort();
  }
  return out;
}
