import { createHash, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import pg from 'pg';
import { openRuntime, type Runtime } from '../../src/app/runtime.ts';
import { FixedClock, type Clock } from '../../src/platform/clock.ts';
import { loadConfig, type Config } from '../../src/platform/config.ts';
import { openDatabase } from '../../src/platform/db/database.ts';
import { loadMigrationFiles, migrate } from '../../src/platform/db/migrator.ts';
import { repoRoot } from './cli.ts';

/**
 * A fresh, migrated database for one test file: an in-memory embedded database by default, or a
 * new database on the PostgreSQL server named by DATABASE_URL (dropped again by `close`).
 */
export interface TestRuntime extends Runtime {
  clock: FixedClock;
}

export const usingServer = () => Boolean(process.env.DATABASE_URL);

export async function createTestDatabase(): Promise<{ url: string | undefined; drop(): Promise<void> }> {
  const serverUrl = process.env.DATABASE_URL;
  if (!serverUrl) return { url: undefined, drop: async () => {} };
  const name = `rp_test_${process.pid}_${randomBytes(4).toString('hex')}`;
  const admin = new pg.Client({ connectionString: serverUrl });
  await admin.connect();
  await admin.query(`create database ${name}`);
  await admin.end();
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    async drop() {
      const c = new pg.Client({ connectionString: serverUrl });
      await c.connect();
      await c.query(`drop database if exists ${name} with (force)`);
      await c.end();
    },
  };
}

/**
 * Starting PGlite from scratch runs initdb (seconds). Tests start instead from a dump of a freshly
 * migrated database, made once per set of migrations and kept in test-output/.
 */
async function embeddedTemplate(): Promise<Blob> {
  const key = createHash('sha256').update(loadMigrationFiles().map((f) => f.checksum).join()).digest('hex').slice(0, 16);
  const file = path.join(repoRoot, 'test-output', 'cache', `pglite-${key}.tar`);
  if (!fs.existsSync(file)) {
    const handle = await openDatabase({ databaseUrl: undefined, dataDir: '' }, { memory: true });
    await migrate(handle.db);
    const dump = await handle.dumpDataDir!();
    await handle.close();
    fs.mkdirSync(path.dirname(file), { recursive: true });
    const partial = `${file}.${process.pid}`;
    fs.writeFileSync(partial, Buffer.from(await dump.arrayBuffer()));
    fs.renameSync(partial, file);
  }
  return new Blob([fs.readFileSync(file)]);
}

export async function createTestRuntime(options: { clock?: Clock; config?: Partial<Config> } = {}): Promise<TestRuntime> {
  const database = await createTestDatabase();
  const config: Config = { ...loadConfig({}), databaseUrl: database.url, ...options.config };
  const clock = (options.clock as FixedClock | undefined) ?? new FixedClock('2026-11-26T17:00:00Z');
  const runtime = await openRuntime({ config, clock, memory: !database.url, template: database.url ? undefined : await embeddedTemplate() });
  return {
    ...runtime,
    clock,
    async close() {
      await runtime.close();
      await database.drop();
    },
  };
}
