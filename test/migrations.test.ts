import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase, type DatabaseHandle } from '../src/platform/db/database.ts';
import { loadMigrationFiles, migrate } from '../src/platform/db/migrator.ts';
import { createTestDatabase } from './support/runtime.ts';

let handle: DatabaseHandle;
let drop: () => Promise<void>;
let root: string;

function write(context: string, name: string, text: string) {
  fs.mkdirSync(path.join(root, context, 'migrations'), { recursive: true });
  fs.writeFileSync(path.join(root, context, 'migrations', name), text);
}

beforeAll(async () => {
  const database = await createTestDatabase();
  drop = database.drop;
  handle = await openDatabase({ databaseUrl: database.url, dataDir: '' }, { memory: true });
  root = fs.mkdtempSync(path.join(os.tmpdir(), 'rp-migrations-'));
});
afterAll(async () => {
  await handle.close();
  await drop();
  fs.rmSync(root, { recursive: true, force: true });
});

describe('migrations', () => {
  it("applies the project's own migrations in version order across contexts", () => {
    const files = loadMigrationFiles();
    expect(files.length).toBeGreaterThanOrEqual(5);
    expect(files.map((f) => f.version)).toEqual([...files.map((f) => f.version)].sort((a, b) => a - b));
    expect(files[0]!.file).toBe('platform/migrations/0001_platform.sql');
  });

  it('applies pending files once, records them, and refuses edited, missing or late ones', async () => {
    write('alpha', '0001_first.sql', 'create table m_first (id int primary key);');
    write('beta', '0003_third.sql', 'create table m_third (id int primary key);\ninsert into m_third values (1);');
    const first = await migrate(handle.db, loadMigrationFiles(root));
    expect(first.applied).toEqual(['0001_first', '0003_third']);
    const again = await migrate(handle.db, loadMigrationFiles(root));
    expect(again).toEqual({ applied: [], alreadyApplied: 2 });
    const { rows } = await sql<{ version: number; name: string }>`select version, name from schema_migrations order by version`.execute(handle.db);
    expect(rows).toEqual([{ version: 1, name: '0001_first' }, { version: 3, name: '0003_third' }]);

    // Out of order: version 2 arrives after 3 ran.
    write('alpha', '0002_second.sql', 'create table m_second (id int);');
    await expect(migrate(handle.db, loadMigrationFiles(root))).rejects.toThrow(/alpha\/migrations\/0002_second.sql arrives out of order: version 2 is older than the newest applied migration \(version 3\)/);
    fs.rmSync(path.join(root, 'alpha/migrations/0002_second.sql'));

    // Edited after it ran.
    write('beta', '0003_third.sql', 'create table m_third (id int primary key);\ninsert into m_third values (2);');
    await expect(migrate(handle.db, loadMigrationFiles(root))).rejects.toThrow(/beta\/migrations\/0003_third.sql was edited after it was applied/);
    write('beta', '0003_third.sql', 'create table m_third (id int primary key);\r\ninsert into m_third values (1);');
    // Line endings alone are not an edit.
    expect((await migrate(handle.db, loadMigrationFiles(root))).applied).toEqual([]);

    // Missing: the database is newer than the code.
    fs.rmSync(path.join(root, 'beta'), { recursive: true });
    await expect(migrate(handle.db, loadMigrationFiles(root))).rejects.toThrow(/0003_third \(version 3\) was applied to this database but its file is missing/);
  });

  it('rolls back a failing migration whole', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'rp-migrations-'));
    const database = await createTestDatabase();
    const h = await openDatabase({ databaseUrl: database.url, dataDir: '' }, { memory: true });
    try {
      fs.mkdirSync(path.join(dir, 'x', 'migrations'), { recursive: true });
      fs.writeFileSync(path.join(dir, 'x', 'migrations', '0001_ok.sql'), 'create table m_ok (id int);');
      fs.writeFileSync(path.join(dir, 'x', 'migrations', '0002_bad.sql'), 'create table m_bad (id int);\nselect * from no_such_table;');
      await expect(migrate(h.db, loadMigrationFiles(dir))).rejects.toThrow(/no_such_table/);
      const { rows } = await sql<{ name: string }>`select name from schema_migrations`.execute(h.db);
      expect(rows.map((r) => r.name)).toEqual(['0001_ok']);
      const { rows: tables } = await sql<{ n: number }>`select count(*)::int as n from information_schema.tables where table_name = 'm_bad'`.execute(h.db);
      expect(tables[0]!.n).toBe(0);
    } finally {
      await h.close();
      await database.drop();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('refuses badly named and duplicate-version files', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'rp-migrations-'));
    fs.mkdirSync(path.join(dir, 'a', 'migrations'), { recursive: true });
    fs.mkdirSync(path.join(dir, 'b', 'migrations'), { recursive: true });
    fs.writeFileSync(path.join(dir, 'a', 'migrations', '0005_one.sql'), 'select 1;');
    fs.writeFileSync(path.join(dir, 'b', 'migrations', '0005_two.sql'), 'select 1;');
    expect(() => loadMigrationFiles(dir)).toThrow(/share version 5/);
    fs.writeFileSync(path.join(dir, 'b', 'migrations', '5-bad name.sql'), 'select 1;');
    expect(() => loadMigrationFiles(dir)).toThrow(/must be named NNNN_description.sql/);
    fs.rmSync(dir, { recursive: true, force: true });
  });
});

describe('the append-only audit trail', () => {
  it('refuses to update or delete an audit event', async () => {
    const database = await createTestDatabase();
    const h = await openDatabase({ databaseUrl: database.url, dataDir: '' }, { memory: true });
    try {
      await migrate(h.db);
      await sql`insert into audit_events (username, action, entity_type, entity_id, reason) values ('t', 'create', 'x', '1', 'test')`.execute(h.db);
      await expect(sql`update audit_events set reason = 'changed'`.execute(h.db)).rejects.toThrow(/append-only/);
      await expect(sql`delete from audit_events`.execute(h.db)).rejects.toThrow(/append-only/);
      await expect(sql`truncate audit_events`.execute(h.db)).rejects.toThrow(/append-only/);
    } finally {
      await h.close();
      await database.drop();
    }
  });
});
