/**
 * Bulk writes with PostgreSQL's COPY, on both back ends, inside the caller's transaction.
 *
 * `copyRows(db, table, columns, rows)` sends the rows in COPY's text format. Kysely has no COPY,
 * so the connections Kysely is given (see database.ts) take a query whose text is
 * `copy ... from stdin` with one parameter, the data, and stream it: through pg-copy-streams on a
 * server, or as a blob on the embedded database (PGlite reads COPY data from '/dev/blob'). It is
 * several times faster per row than sending the rows as JSON to json_populate_recordset, which is
 * what makes a million bills fit in a minute.
 */
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { CompiledQuery, sql } from 'kysely';
import type pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import type { Db } from './database.ts';

/** The query text the connections recognise as a COPY to stream (one parameter: the data). */
export const COPY_IN = /^copy\s.+\sfrom\s+stdin\s*$/is;

const NAME = /^[a-z_][a-z0-9_]*$/;

/** One value in COPY's text format: \N for null, and backslash, tab, newline and return escaped. */
export function copyValue(v: unknown): string {
  if (v === null || v === undefined) return '\\N';
  let s: string;
  if (typeof v === 'string') s = v;
  else if (typeof v === 'number' || typeof v === 'bigint') return String(v);
  else if (typeof v === 'boolean') return v ? 't' : 'f';
  else if (v instanceof Date) return v.toISOString();
  else s = JSON.stringify(v);
  return /[\\\t\n\r]/.test(s) ? s.replace(/[\\\t\n\r]/g, (c) => (c === '\\' ? '\\\\' : c === '\t' ? '\\t' : c === '\n' ? '\\n' : '\\r')) : s;
}

/** Rows in COPY's text format, one line each. Objects and arrays go as JSON (for json columns). */
export function copyText(rows: readonly (readonly unknown[])[]): string {
  let out = '';
  for (const row of rows) {
    for (let i = 0; i < row.length; i++) out += (i === 0 ? '' : '\t') + copyValue(row[i]);
    out += '\n';
  }
  return out;
}

/** Writes rows into a table by COPY, in the transaction `db` is (or on its own). Returns the row count. */
export async function copyRows(db: Db, table: string, columns: readonly string[], rows: readonly (readonly unknown[])[]): Promise<number> {
  if (rows.length === 0) return 0;
  if (!NAME.test(table) || !columns.every((c) => NAME.test(c))) throw new Error(`copyRows: ${table} (${columns.join(', ')}) is not a plain table and column list`);
  const result = await db.executeQuery(CompiledQuery.raw(`copy ${table} (${columns.join(', ')}) from stdin`, [copyText(rows)]));
  return Number(result.numAffectedRows ?? rows.length);
}

/** A server connection's COPY: the data streamed through pg-copy-streams. */
export async function copyInOnServer(client: pg.PoolClient, sqlText: string, data: string) {
  const stream = client.query(copyFrom(sqlText));
  await pipeline(Readable.from([data]), stream);
  return { command: 'COPY', rowCount: stream.rowCount, rows: [] };
}

/**
 * `n` values from a sequence (a table's id column's, or one named), in the order they were handed
 * out, for rows about to be copied. Usually they come as one unbroken range, and only its ends
 * cross the wire; when another session drew values in between, the whole list comes.
 */
export async function drawIds(db: Db, from: { table: string; column?: string } | { sequence: string }, n: number): Promise<number[]> {
  if (n === 0) return [];
  const seq = 'sequence' in from ? sql`${from.sequence}::regclass` : sql`pg_get_serial_sequence(${from.table}, ${from.column ?? 'id'})`;
  const { rows } = await sql<{ lo: string; hi: string; ids: string | null }>`
    with s as (select nextval(${seq}) as id from generate_series(1, ${n}::int))
    select min(id)::text as lo, max(id)::text as hi,
           case when max(id) - min(id) + 1 <> count(*) then string_agg(id::text, ',' order by id) end as ids
      from s`.execute(db);
  const r = rows[0]!;
  if (r.ids !== null) return r.ids.split(',').map(Number);
  const lo = Number(r.lo);
  return Array.from({ length: n }, (_, i) => lo + i);
}
