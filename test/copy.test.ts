/**
 * COPY through Kysely's connections (platform/db/copy.ts), on the embedded database and on a
 * server: awkward text survives the round trip, nulls stay null, and a COPY is part of the
 * transaction it runs in.
 */
import fc from 'fast-check';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { copyRows, copyValue } from '../src/platform/db/copy.ts';
import { createTestRuntime, type TestRuntime } from './support/runtime.ts';

let rt: TestRuntime;
beforeAll(async () => {
  rt = await createTestRuntime();
  await sql`create table copy_probe (n int8, t text, j json, b boolean, d date, at timestamptz)`.execute(rt.db);
}, 60_000);
afterAll(async () => rt?.close());

describe('copyRows', () => {
  it('escapes backslash, tab, newline and return, and writes null as \\N', () => {
    expect(copyValue('a\\b\tc\nd\re')).toBe('a\\\\b\\tc\\nd\\re');
    expect(copyValue(null)).toBe('\\N');
    expect(copyValue('\\N')).toBe('\\\\N');
    expect(copyValue(true)).toBe('t');
    expect(copyValue([['5/8"', 1]])).toBe('[["5/8\\\\"",1]]');
  });

  it('round-trips any text, json, dates and nulls', async () => {
    await fc.assert(fc.asyncProperty(fc.array(fc.tuple(fc.option(fc.integer()), fc.option(fc.string({ unit: 'grapheme' })), fc.option(fc.string()), fc.boolean()), { maxLength: 20 }), async (rows) => {
      await sql`truncate copy_probe`.execute(rt.db);
      const at = new Date('2026-11-27T16:00:00.123Z');
      // PostgreSQL text cannot hold NUL; the rest of Unicode must survive.
      const clean = rows.map(([n, t, j, b]) => [n, t?.replaceAll('\0', '') ?? null, j === null ? null : { s: j.replaceAll('\0', '') }, b, '2026-02-28', at] as const);
      await copyRows(rt.db, 'copy_probe', ['n', 't', 'j', 'b', 'd', 'at'], clean);
      const back = (await sql<{ n: number | null; t: string | null; j: unknown; b: boolean; d: string; at: Date }>`select * from copy_probe order by ctid`.execute(rt.db)).rows;
      expect(back.map((r) => [r.n, r.t, r.j, r.b, r.d, r.at.toISOString()])).toEqual(clean.map((r) => [r[0], r[1], r[2], r[3], r[4], at.toISOString()]));
    }), { numRuns: 25 });
  });

  it('is undone with the transaction it ran in', async () => {
    await sql`truncate copy_probe`.execute(rt.db);
    await expect(rt.db.transaction().execute(async (trx) => {
      await copyRows(trx, 'copy_probe', ['n'], [[1], [2]]);
      expect((await sql<{ c: number }>`select count(*)::int as c from copy_probe`.execute(trx)).rows[0]!.c).toBe(2);
      throw new Error('undo');
    })).rejects.toThrow('undo');
    expect((await sql<{ c: number }>`select count(*)::int as c from copy_probe`.execute(rt.db)).rows[0]!.c).toBe(0);
  });

  it('refuses a table or column name that is not a plain name', async () => {
    await expect(copyRows(rt.db, 'copy_probe; drop table x', ['n'], [[1]])).rejects.toThrow(/not a plain table/);
  });
});
