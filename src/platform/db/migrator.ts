import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { sql } from 'kysely';
import { AppError } from '../errors.ts';
import type { Db } from './database.ts';

/**
 * Versioned SQL migrations. Each bounded context keeps its own in `src/<context>/migrations/`,
 * named `NNNN_description.sql`; the version numbers are one sequence across all contexts.
 * Applied migrations are recorded with a checksum in `schema_migrations`. A migration edited
 * after it ran, missing, or arriving older than the newest applied one stops start-up.
 */
export interface MigrationFile {
  version: number;
  name: string;
  file: string;
  sql: string;
  checksum: string;
}

const srcDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

export function loadMigrationFiles(root: string = srcDir): MigrationFile[] {
  const files: MigrationFile[] = [];
  for (const context of fs.readdirSync(root, { withFileTypes: true })) {
    if (!context.isDirectory()) continue;
    const dir = path.join(root, context.name, 'migrations');
    if (!fs.existsSync(dir)) continue;
    for (const name of fs.readdirSync(dir)) {
      if (!name.endsWith('.sql')) continue;
      const match = /^(\d{4})_[a-z0-9_]+\.sql$/.exec(name);
      if (!match) throw new AppError('migration', `Migration file ${context.name}/migrations/${name} must be named NNNN_description.sql`);
      const text = fs.readFileSync(path.join(dir, name), 'utf8').replace(/\r\n/g, '\n');
      files.push({
        version: Number(match[1]),
        name: name.replace(/\.sql$/, ''),
        file: `${context.name}/migrations/${name}`,
        sql: text,
        checksum: createHash('sha256').update(text).digest('hex'),
      });
    }
  }
  files.sort((a, b) => a.version - b.version);
  for (let i = 1; i < files.length; i++) {
    if (files[i]!.version === files[i - 1]!.version) {
      throw new AppError('migration', `Migrations ${files[i - 1]!.file} and ${files[i]!.file} share version ${files[i]!.version}`);
    }
  }
  return files;
}

interface AppliedRow {
  version: number;
  name: string;
  checksum: string;
}

export interface MigrationResult {
  applied: string[];
  alreadyApplied: number;
}

export async function migrate(db: Db, files: MigrationFile[] = loadMigrationFiles()): Promise<MigrationResult> {
  await sql`
    create table if not exists schema_migrations (
      version integer primary key,
      name text not null,
      checksum text not null,
      applied_at timestamptz not null default now()
    )`.execute(db);
  const { rows } = await sql<AppliedRow>`select version, name, checksum from schema_migrations order by version`.execute(db);
  checkApplied(rows, files);

  const appliedVersions = new Set(rows.map((r) => r.version));
  const applied: string[] = [];
  for (const file of files) {
    if (appliedVersions.has(file.version)) continue;
    await db.transaction().execute(async (trx) => {
      await sql.raw(file.sql).execute(trx);
      await sql`insert into schema_migrations (version, name, checksum) values (${file.version}, ${file.name}, ${file.checksum})`.execute(trx);
    });
    applied.push(file.name);
  }
  return { applied, alreadyApplied: rows.length };
}

/** Refuses a database whose history disagrees with the files, before anything is changed. */
export function checkApplied(rows: AppliedRow[], files: MigrationFile[]): void {
  const byVersion = new Map(files.map((f) => [f.version, f]));
  for (const row of rows) {
    const file = byVersion.get(row.version);
    if (!file) {
      throw new AppError('migration', `Migration ${row.name} (version ${row.version}) was applied to this database but its file is missing; this database is newer than this copy of Ratepayer`);
    }
    if (file.checksum !== row.checksum) {
      throw new AppError('migration', `Migration ${file.file} was edited after it was applied (checksum ${row.checksum.slice(0, 12)} recorded, ${file.checksum.slice(0, 12)} on disk). Restore the original file and put the change in a new migration.`);
    }
  }
  const newest = rows.reduce((max, r) => Math.max(max, r.version), 0);
  const applied = new Set(rows.map((r) => r.version));
  const late = files.find((f) => !applied.has(f.version) && f.version < newest);
  if (late) {
    throw new AppError('migration', `Migration ${late.file} arrives out of order: version ${late.version} is older than the newest applied migration (version ${newest}). Give it a version above ${newest}.`);
  }
}
