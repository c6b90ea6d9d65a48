import fs from 'node:fs';
import path from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { pg_trgm } from '@electric-sql/pglite/contrib/pg_trgm';
import { createPgConfig } from '@electric-sql/pglite/node-postgres';
import { Kysely, PostgresDialect, type PostgresPool, type PostgresPoolClient } from 'kysely';
import pg from 'pg';
import type { Config } from '../config.ts';
import { COPY_IN, copyInOnServer } from './copy.ts';
import { acquireDataDirLock } from './data-dir-lock.ts';

/**
 * The database handle every context receives. Contexts narrow it to their own tables with
 * `db.withTables<TheirTables>()`; only repositories run SQL on it.
 */
// eslint-disable-next-line @typescript-eslint/no-empty-object-type
export type Db = Kysely<{}>;

/**
 * Runs `work` in a transaction, or inside the caller's when `db` already is one, so that a service
 * can be called on its own or as one step of a workflow that spans contexts and commits once.
 */
export function transact<T>(db: Db, work: (trx: Db) => Promise<T>): Promise<T> {
  return db.isTransaction ? work(db) : db.transaction().execute(work);
}

export interface DatabaseHandle {
  db: Db;
  kind: 'embedded' | 'server';
  /** Where the data lives, for messages: a folder or a server URL without its password. */
  location: string;
  close(): Promise<void>;
  /** Embedded only: the whole data folder as a tar file (used to seed test databases fast). */
  dumpDataDir?: () => Promise<Blob | File>;
}

// Both backends speak through node-postgres, so values come back the same way: ids (int8) as
// numbers, exact decimals (numeric) as strings, dates as 'YYYY-MM-DD' strings, timestamps as Date.
const typeParsers: Record<number, (value: string) => unknown> = {
  20: (v) => {
    const n = Number(v);
    if (!Number.isSafeInteger(n)) throw new Error(`int8 value ${v} does not fit a JavaScript number`);
    return n;
  },
  1700: (v) => v,
  1082: (v) => v,
};

const types = {
  getTypeParser(oid: number, format?: 'text' | 'binary') {
    const parser = typeParsers[oid];
    if (parser && format !== 'binary') return parser;
    return pg.types.getTypeParser(oid, format ?? 'text');
  },
} as pg.CustomTypesConfig;

export async function openDatabase(
  config: Pick<Config, 'databaseUrl' | 'dataDir'>,
  options: { memory?: boolean; /** A PGlite data folder dump to start from (tests). */ template?: Blob } = {},
): Promise<DatabaseHandle> {
  if (config.databaseUrl) {
    const pool = new pg.Pool({ connectionString: config.databaseUrl, max: 10, types });
    // An idle connection the server ends (a restart, an administrator) is dropped from the pool and
    // replaced on the next query; without a listener its error would stop the process.
    pool.on('error', (error) => process.stderr.write(`ratepayer: an idle database connection ended: ${error.message}\n`));
    // Fail now, with the reason, rather than on the first query.
    try {
      const client = await pool.connect();
      client.release();
    } catch (error) {
      await pool.end();
      throw new Error(`Cannot connect to ${redactUrl(config.databaseUrl)}: ${(error as Error).message}`);
    }
    const db = new Kysely<{}>({ dialect: new PostgresDialect({ pool: withCopy(pool, copyInOnServer) }) });
    return { db, kind: 'server', location: redactUrl(config.databaseUrl), close: () => db.destroy() };
  }

  const dataDir = options.memory ? undefined : config.dataDir;
  const releaseLock = dataDir ? acquireDataDirLock(dataDir) : () => {};
  let pglite: PGlite;
  try {
    if (dataDir) fs.mkdirSync(path.dirname(dataDir), { recursive: true });
    pglite = await PGlite.create(dataDir ?? 'memory://', { extensions: { pg_trgm }, loadDataDir: options.template });
  } catch (error) {
    releaseLock();
    throw error;
  }
  // PGlite is one connection in this process; node-postgres queues work behind it.
  const pool = new pg.Pool({ ...createPgConfig(pglite), max: 1, types } as pg.PoolConfig);
  // COPY data reaches PGlite as a blob; it is the one session, so the COPY runs in the open transaction.
  const copyIn = async (_client: pg.PoolClient, sqlText: string, data: string) => {
    const r = await pglite.query(sqlText.replace(/from\s+stdin\s*$/i, "from '/dev/blob'"), [], { blob: new Blob([data]) });
    return { command: 'COPY', rowCount: r.affectedRows ?? 0, rows: [] };
  };
  const db = new Kysely<{}>({ dialect: new PostgresDialect({ pool: withCopy(pool, copyIn) }) });
  return {
    db,
    kind: 'embedded',
    dumpDataDir: () => pglite.dumpDataDir('none'),
    location: dataDir ?? 'memory',
    async close() {
      await db.destroy();
      await pglite.close();
      releaseLock();
    },
  };
}

type CopyIn = (client: pg.PoolClient, sqlText: string, data: string) => Promise<{ command: string; rowCount: number | null; rows: never[] }>;

/**
 * The pool as Kysely sees it: the same connections, except that a query `copy ... from stdin`
 * with one parameter (the data) is streamed as a COPY (see copy.ts). One wrapper per connection,
 * so Kysely still knows a connection when the pool hands it out again.
 */
function withCopy(pool: pg.Pool, copyIn: CopyIn): PostgresPool {
  const wrapped = new WeakMap<pg.PoolClient, PostgresPoolClient>();
  return {
    async connect() {
      const client = await pool.connect();
      let w = wrapped.get(client);
      if (!w) {
        w = {
          query: ((q: unknown, params?: readonly unknown[]) =>
            typeof q === 'string' && COPY_IN.test(q) ? copyIn(client, q, String(params?.[0] ?? '')) : client.query(q as string, params as unknown[])) as unknown as PostgresPoolClient['query'],
          release: (destroy?: boolean) => client.release(destroy),
        };
        wrapped.set(client, w);
      }
      return w;
    },
    end: () => pool.end(),
  };
}

export function redactUrl(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = '***';
    return u.toString();
  } catch {
    return 'the configured DATABASE_URL';
  }
}
