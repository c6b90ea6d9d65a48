/**
 * Where a benchmark keeps its data: with DATABASE_URL, a database of its own on that server
 * (dropped first if a stopped benchmark left it, dropped again at the end unless kept); else an
 * embedded database in a temporary folder.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import type { Config } from '../src/platform/config.ts';

/** With `reuse`, a server database left by an earlier `--keep` is used as it is (reused: true). */
export async function benchDatabase(base: Config, name: string, opts: { reuse?: boolean } = {}): Promise<{ config: Config; reused: boolean; cleanup(keep?: boolean): Promise<void> }> {
  if (!base.databaseUrl) {
    const tmp = fs.mkdtempSync(path.join(os.tmpdir(), `${name}-`));
    if (opts.reuse) throw new Error('--reuse needs DATABASE_URL (a server database kept by --keep)');
    return { config: { ...base, dataDir: path.join(tmp, 'data') }, reused: false, cleanup: async () => fs.rmSync(tmp, { recursive: true, force: true }) };
  }
  const onServer = async (statement: string, params: unknown[] = []) => {
    const admin = new pg.Client({ connectionString: base.databaseUrl });
    await admin.connect();
    try {
      return (await admin.query(statement, params)).rowCount ?? 0;
    } finally {
      await admin.end();
    }
  };
  const reused = Boolean(opts.reuse) && (await onServer('select 1 from pg_database where datname = $1', [name])) > 0;
  if (!reused) {
    await onServer(`drop database if exists ${name} with (force)`);
    await onServer(`create database ${name}`);
  }
  const url = new URL(base.databaseUrl);
  url.pathname = `/${name}`;
  return { config: { ...base, databaseUrl: url.toString() }, reused, cleanup: async (keep = false) => { if (!keep) await onServer(`drop database if exists ${name} with (force)`); } };
}
