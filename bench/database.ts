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

export async function benchDatabase(base: Config, name: string): Promise<{ config: Config; cleanup(keep?: boolean): Promise<void> }> {
  if (!base.databaseUrl) {
    const tmp = fs.mkdtempSync(path.join(os.tmpdir(), `${name}-`));
    return { config: { ...base, dataDir: path.join(tmp, 'data') }, cleanup: async () => fs.rmSync(tmp, { recursive: true, force: true }) };
  }
  const onServer = async (statement: string) => {
    const admin = new pg.Client({ connectionString: base.databaseUrl });
    await admin.connect();
    try {
      await admin.query(statement);
    } finally {
      await admin.end();
    }
  };
  await onServer(`drop database if exists ${name} with (force)`);
  await onServer(`create database ${name}`);
  const url = new URL(base.databaseUrl);
  url.pathname = `/${name}`;
  return { config: { ...base, databaseUrl: url.toString() }, cleanup: async (keep = false) => { if (!keep) await onServer(`drop database if exists ${name} with (force)`); } };
}
