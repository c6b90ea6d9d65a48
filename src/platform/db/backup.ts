import { createHash, randomBytes } from 'node:crypto';
import { once } from 'node:events';
import fs from 'node:fs';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import zlib from 'node:zlib';
import { sql } from 'kysely';
import { AppError } from '../errors.ts';
import type { Db } from './database.ts';

/**
 * Backup and restore: a logical dump taken through plain SQL, so it works the same on the
 * embedded database and on a PostgreSQL server, and a backup from one restores into the other.
 *
 * The file is gzip-compressed newline-delimited JSON:
 *
 *   {"format":"ratepayer-backup","version":1,"createdAt":...,"migrations":[...],"tables":[...],"sequences":[...]}
 *   {"table":"customers","columns":["id",...],"jsonColumns":[],"rows":2}   a line per table, in foreign-key
 *   {"id":1,...}                                          order, then exactly `rows` row lines: row_to_json
 *   {"id":2,...}                                          of the row, in primary-key order
 *   ...
 *   {"sequences":[{"name":"account_number_seq","lastValue":"10000002","isCalled":true},...]}
 *   {"end":true,"rowCounts":{...},"totalRows":n,"sha256":"..."}
 *
 * Values are written and read by PostgreSQL itself (row_to_json, json_populate_recordset), so
 * numeric, dates, timestamps to the microsecond, int8 and text come back exactly. Values of json
 * and jsonb columns are stored as [value] (SQL NULL as null), so the JSON value null stays apart
 * from SQL NULL. A row whose JSON holds a raw line break (possible only in a json column) is
 * written as a JSON string of that text.
 *
 * The trailer's sha256 covers every byte before it (uncompressed), so a truncated or edited file
 * is refused. Every base table of the public schema is included (found in the catalog, so tables
 * from later migrations are covered without changes here) except schema_migrations, which the
 * header carries instead: a backup restores only into a database at exactly the same migrations.
 *
 * Restore reads and checks the whole file first, then in one transaction empties every table,
 * loads the rows, checks the counts and sets every sequence; any failure rolls it all back.
 */

export const backupFormat = 'ratepayer-backup';
export const backupVersion = 1;

export interface BackupSummary {
  file: string;
  /** `ratepayer-backup/1`. */
  format: string;
  /** When the data was read (the start of the backup's snapshot). */
  createdAt: string;
  /** In the order they are stored and restored (referenced tables first). */
  tables: { name: string; rows: number }[];
  totalRows: number;
  /** Size of the compressed file. */
  bytes: number;
}
export type RestoreSummary = BackupSummary;

export interface BackupOptions {
  onProgress?: (doneRows: number, totalRows: number) => void;
}
export interface RestoreOptions {
  /** Called while checking the file (`verify`), then while loading it (`load`). */
  onProgress?: (doneRows: number, totalRows: number, phase: 'verify' | 'load') => void;
}

interface MigrationRecord {
  version: number;
  name: string;
  checksum: string;
}

const migrationsTable = 'schema_migrations';
const fetchRows = 2000;
const batchRows = 5000;
const batchBytes = 8 * 1024 * 1024;
const maxLineBytes = 256 * 1024 * 1024;

// ---------------------------------------------------------------------------------------------
// The catalog

interface ColumnInfo {
  name: string;
  /** As SQL spells it, for casts: `jsonb`, `numeric(12,4)`. */
  type: string;
  /** json or jsonb (or a domain over one). */
  json: boolean;
  generated: boolean;
  identityAlways: boolean;
}
interface TableInfo {
  name: string;
  /** Columns stored in a backup: all but generated ones, in table order. */
  columns: string[];
  types: Map<string, string>;
  /**
   * json/jsonb columns. row_to_json writes both SQL NULL and the JSON value null as `null`, so
   * these are stored wrapped: SQL NULL as null, any other value v as [v].
   */
  jsonColumns: string[];
  identityAlways: boolean;
  primaryKey: string[];
}
interface TriggerInfo {
  table: string;
  name: string;
  enabled: string;
}
interface Catalog {
  /** Data tables (everything but schema_migrations), referenced tables first. */
  tables: TableInfo[];
  sequences: string[];
  /** Whether schema_migrations exists. */
  hasMigrationsTable: boolean;
  triggers: TriggerInfo[];
}

const ident = (name: string) => `"${name.replace(/"/g, '""')}"`;
const qualified = (name: string) => `public.${ident(name)}`;
const literal = (text: string) => `'${text.replace(/'/g, "''")}'`;

// Tables and sequences of the public schema, leaving out partitions (their rows are read and
// written through the partitioned parent) and anything an extension owns.
const notExtensionMember = `not exists (select 1 from pg_depend d where d.classid = 'pg_class'::regclass and d.objid = c.oid and d.deptype = 'e')`;

async function readCatalog(db: Db): Promise<Catalog> {
  const { rows: tableRows } = await sql<{ name: string }>`
    select c.relname as name from pg_class c join pg_namespace n on n.oid = c.relnamespace
     where n.nspname = 'public' and c.relkind in ('r', 'p') and not c.relispartition and ${sql.raw(notExtensionMember)}
     order by c.relname`.execute(db);
  const { rows: columnRows } = await sql<{ table: string; name: string; type: string; json: boolean; generated: boolean; identity_always: boolean }>`
    select c.relname as table, a.attname as name, format_type(a.atttypid, a.atttypmod) as type,
           (case when ty.typtype = 'd' then ty.typbasetype else ty.oid end) in ('json'::regtype, 'jsonb'::regtype) as json,
           a.attgenerated <> '' as generated, a.attidentity = 'a' as identity_always
      from pg_attribute a join pg_class c on c.oid = a.attrelid join pg_namespace n on n.oid = c.relnamespace
      join pg_type ty on ty.oid = a.atttypid
     where n.nspname = 'public' and c.relkind in ('r', 'p') and a.attnum > 0 and not a.attisdropped
     order by c.relname, a.attnum`.execute(db);
  const { rows: keyRows } = await sql<{ table: string; name: string }>`
    select c.relname as table, a.attname as name
      from pg_index i join pg_class c on c.oid = i.indrelid join pg_namespace n on n.oid = c.relnamespace
      cross join lateral unnest(i.indkey::int2[]) with ordinality as k(attnum, position)
      join pg_attribute a on a.attrelid = c.oid and a.attnum = k.attnum
     where n.nspname = 'public' and i.indisprimary
     order by c.relname, k.position`.execute(db);
  const { rows: foreignKeys } = await sql<{ child: string; parent: string }>`
    select distinct c.relname as child, p.relname as parent
      from pg_constraint k join pg_class c on c.oid = k.conrelid join pg_namespace cn on cn.oid = c.relnamespace
      join pg_class p on p.oid = k.confrelid join pg_namespace pn on pn.oid = p.relnamespace
     where k.contype = 'f' and cn.nspname = 'public' and pn.nspname = 'public'`.execute(db);
  const { rows: sequenceRows } = await sql<{ name: string }>`
    select c.relname as name from pg_class c join pg_namespace n on n.oid = c.relnamespace
     where n.nspname = 'public' and c.relkind = 'S' and ${sql.raw(notExtensionMember)}
     order by c.relname`.execute(db);
  const { rows: triggerRows } = await sql<{ table: string; name: string; enabled: string }>`
    select c.relname as table, t.tgname as name, t.tgenabled::text as enabled
      from pg_trigger t join pg_class c on c.oid = t.tgrelid join pg_namespace n on n.oid = c.relnamespace
     where n.nspname = 'public' and not t.tgisinternal and t.tgenabled <> 'D'
       and (t.tgtype::int & (4 | 32)) <> 0 -- fired by INSERT or TRUNCATE
     order by c.relname, t.tgname`.execute(db);

  const columnsOf = new Map<string, ColumnInfo[]>();
  for (const r of columnRows) {
    const list = columnsOf.get(r.table) ?? [];
    list.push({ name: r.name, type: r.type, json: r.json, generated: r.generated, identityAlways: r.identity_always });
    columnsOf.set(r.table, list);
  }
  const keyOf = new Map<string, string[]>();
  for (const r of keyRows) keyOf.set(r.table, [...(keyOf.get(r.table) ?? []), r.name]);

  const names = tableRows.map((r) => r.name).filter((n) => n !== migrationsTable);
  const tables = dependencyOrder(names, foreignKeys).map((name): TableInfo => {
    const columns = (columnsOf.get(name) ?? []).filter((c) => !c.generated);
    return {
      name,
      columns: columns.map((c) => c.name),
      types: new Map(columns.map((c) => [c.name, c.type])),
      jsonColumns: columns.filter((c) => c.json).map((c) => c.name),
      identityAlways: columns.some((c) => c.identityAlways),
      primaryKey: keyOf.get(name) ?? [],
    };
  });
  return {
    tables,
    sequences: sequenceRows.map((r) => r.name),
    hasMigrationsTable: tableRows.some((r) => r.name === migrationsTable),
    triggers: triggerRows.filter((t) => names.includes(t.table)),
  };
}

/**
 * Referenced tables before the tables that reference them (Kahn's algorithm, alphabetical among
 * equals so a backup of the same data is the same file). A table referring to itself is fine:
 * rows go in primary-key order and foreign keys are checked per statement. Tables in a cycle of
 * references go last, alphabetically; deferrable constraints are deferred during restore.
 */
export function dependencyOrder(names: string[], foreignKeys: { child: string; parent: string }[]): string[] {
  const known = new Set(names);
  const parents = new Map(names.map((n) => [n, new Set<string>()]));
  for (const { child, parent } of foreignKeys) {
    if (child !== parent && known.has(child) && known.has(parent)) parents.get(child)!.add(parent);
  }
  const order: string[] = [];
  const placed = new Set<string>();
  let remaining = [...names].sort();
  while (remaining.length > 0) {
    const ready = remaining.filter((n) => [...parents.get(n)!].every((p) => placed.has(p)));
    if (ready.length === 0) {
      order.push(...remaining);
      break;
    }
    const next = ready[0]!;
    order.push(next);
    placed.add(next);
    remaining = remaining.filter((n) => n !== next);
  }
  return order;
}

async function readMigrations(db: Db): Promise<MigrationRecord[]> {
  const { rows } = await sql<MigrationRecord>`select version, name, checksum from schema_migrations order by version`.execute(db);
  return rows.map((r) => ({ version: Number(r.version), name: r.name, checksum: r.checksum }));
}

/** Session settings both passes use, so values print and parse the same way everywhere. */
async function setSessionFormats(db: Db): Promise<void> {
  await sql`select set_config('TimeZone', 'UTC', true), set_config('DateStyle', 'ISO, YMD', true),
                   set_config('IntervalStyle', 'postgres', true), set_config('extra_float_digits', '3', true)`.execute(db);
}

// ---------------------------------------------------------------------------------------------
// Backup

class BackupWriter {
  readonly hash = createHash('sha256');
  readonly #gzip = zlib.createGzip({ level: 6 });
  readonly #done: Promise<void>;
  #error: Error | undefined;

  constructor(file: string) {
    const out = fs.createWriteStream(file, { flags: 'w' });
    this.#done = pipeline(this.#gzip, out);
    this.#done.catch((error: Error) => {
      this.#error = error;
    });
  }

  /** Writes whole lines (each ending in \n), counted in the checksum unless told otherwise. */
  async write(text: string, hashed = true): Promise<void> {
    if (this.#error) throw this.#error;
    const buffer = Buffer.from(text, 'utf8');
    if (hashed) this.hash.update(buffer);
    if (!this.#gzip.write(buffer)) await Promise.race([once(this.#gzip, 'drain'), this.#done]);
  }

  async finish(): Promise<void> {
    this.#gzip.end();
    await this.#done;
  }

  async abort(): Promise<void> {
    this.#gzip.destroy();
    await this.#done.catch(() => {});
  }
}

/** A row line: the row's JSON text, or (should it hold a raw line break) that text as a JSON string. */
const rowLine = (json: string) => (json.includes('\n') || json.includes('\r') ? JSON.stringify(json) : json);

export async function backupDatabase(db: Db, file: string, options: BackupOptions = {}): Promise<BackupSummary> {
  const target = path.resolve(file);
  const stat = await fs.promises.stat(target).catch(() => undefined);
  if (stat?.isDirectory()) throw new AppError('validation', `Cannot write the backup to ${file}: it is a folder; give a file name`, { file });
  if (!fs.existsSync(path.dirname(target))) throw new AppError('validation', `Cannot write the backup to ${file}: folder ${path.dirname(target)} does not exist`, { file });
  // Written beside the target and renamed into place when complete, so a failed backup never
  // leaves a partial file or replaces an earlier good one.
  const partial = `${target}.${process.pid}.${randomBytes(4).toString('hex')}.partial`;
  let writer: BackupWriter | undefined;
  try {
    // Fails now, before reading anything, if the folder cannot be written.
    await (await fs.promises.open(partial, 'wx')).close();
    writer = new BackupWriter(partial);
    const w = writer;
    // One repeatable-read transaction: every table is read from the same snapshot.
    const result = await db
      .transaction()
      .setIsolationLevel('repeatable read')
      .setAccessMode('read only')
      .execute(async (trx) => {
        await setSessionFormats(trx);
        const { rows: nowRows } = await sql<{ now: Date; server: string }>`select now() as now, current_setting('server_version') as server`.execute(trx);
        const createdAt = nowRows[0]!.now.toISOString();
        const catalog = await readCatalog(trx);
        if (!catalog.hasMigrationsTable) throw new AppError('migration', 'This database has no schema_migrations table; it is not a Ratepayer database');
        const migrations = await readMigrations(trx);
        const counts: number[] = [];
        for (const t of catalog.tables) {
          const { rows } = await sql<{ n: number }>`select count(*)::int8 as n from ${sql.raw(qualified(t.name))}`.execute(trx);
          counts.push(Number(rows[0]!.n));
        }
        const totalRows = counts.reduce((a, b) => a + b, 0);

        await w.write(
          `${JSON.stringify({
            format: backupFormat,
            version: backupVersion,
            createdAt,
            postgres: nowRows[0]!.server,
            migrations,
            totalRows,
            tables: catalog.tables.map((t) => t.name),
            sequences: catalog.sequences,
          })}\n`,
        );

        let done = 0;
        options.onProgress?.(0, totalRows);
        const tables: BackupSummary['tables'] = [];
        for (const [i, t] of catalog.tables.entries()) {
          const expected = counts[i]!;
          await w.write(`${JSON.stringify({ table: t.name, columns: t.columns, jsonColumns: t.jsonColumns, rows: expected })}\n`);
          const columns = t.columns
            .map((c) => (t.jsonColumns.includes(c) ? `case when ${ident(c)} is null then null else json_build_array(${ident(c)}) end as ${ident(c)}` : ident(c)))
            .join(', ');
          const orderBy = t.primaryKey.length > 0 ? ` order by ${t.primaryKey.map(ident).join(', ')}` : '';
          // The alias must not be a column name, or row_to_json(alias) would read that column.
          let alias = 'backup_row';
          while (t.columns.includes(alias)) alias += '_';
          await sql
            .raw(`declare backup_rows no scroll cursor for select row_to_json(${alias})::text as j from (select ${columns} from ${qualified(t.name)}${orderBy}) ${alias}`)
            .execute(trx);
          let written = 0;
          for (;;) {
            const { rows } = await sql.raw<{ j: string }>(`fetch ${fetchRows} from backup_rows`).execute(trx);
            if (rows.length === 0) break;
            let text = '';
            for (const r of rows) text += `${rowLine(r.j)}\n`;
            await w.write(text);
            written += rows.length;
            done += rows.length;
            options.onProgress?.(done, totalRows);
          }
          await sql.raw('close backup_rows').execute(trx);
          if (written !== expected) throw new Error(`Backup of table ${t.name} read ${written} rows but counted ${expected}`);
          tables.push({ name: t.name, rows: written });
        }

        // Sequences are not part of the snapshot: read after the rows, each is at least as far on
        // as any id in them, so ids handed out after a restore never collide.
        const sequences: { name: string; lastValue: string; isCalled: boolean }[] = [];
        for (const name of catalog.sequences) {
          const { rows } = await sql<{ last_value: string; is_called: boolean }>`select last_value::text as last_value, is_called from ${sql.raw(qualified(name))}`.execute(trx);
          sequences.push({ name, lastValue: rows[0]!.last_value, isCalled: rows[0]!.is_called });
        }
        await w.write(`${JSON.stringify({ sequences })}\n`);
        const rowCounts = Object.fromEntries(tables.map((t) => [t.name, t.rows]));
        await w.write(`${JSON.stringify({ end: true, rowCounts, totalRows, sha256: w.hash.digest('hex') })}\n`, false);
        return { createdAt, tables, totalRows };
      });
    await writer.finish();
    const handle = await fs.promises.open(partial, 'r+');
    try {
      await handle.sync();
    } finally {
      await handle.close();
    }
    await fs.promises.rename(partial, target);
    const { size } = await fs.promises.stat(target);
    return { file: target, format: `${backupFormat}/${backupVersion}`, createdAt: result.createdAt, tables: result.tables, totalRows: result.totalRows, bytes: size };
  } catch (error) {
    await writer?.abort();
    await fs.promises.rm(partial, { force: true });
    if (error instanceof AppError) throw error;
    const code = (error as NodeJS.ErrnoException).code;
    if (code && /^E[A-Z]+$/.test(code)) throw new AppError('validation', `Cannot write the backup to ${file}: ${(error as Error).message}`, { file });
    throw error;
  }
}

// ---------------------------------------------------------------------------------------------
// Reading a backup

interface Line {
  /** 1-based. */
  no: number;
  text: string;
  /** The line's bytes including its \n (none for a last line without one). */
  bytes: Buffer;
  /** A last line without its \n. */
  unterminated?: boolean;
}

const badFile = (file: string, message: string, line?: number) =>
  new AppError('validation', `Backup ${file}${line === undefined ? '' : ` line ${line}`}: ${message}`, { file, ...(line === undefined ? {} : { line }) });

/** The file's lines, a chunk at a time, with a clear error for a file that is not gzip or is cut short. */
async function* readLines(file: string, displayName: string): AsyncGenerator<Line[]> {
  let handle: fs.promises.FileHandle;
  try {
    handle = await fs.promises.open(file, 'r');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') throw new AppError('not_found', `Backup file ${displayName} was not found`, { file: displayName });
    throw new AppError('validation', `Cannot read backup ${displayName}: ${(error as Error).message}`, { file: displayName });
  }
  try {
    if ((await handle.stat()).isDirectory()) throw new AppError('validation', `Cannot read backup ${displayName}: it is a folder`, { file: displayName });
    const magic = Buffer.alloc(2);
    const { bytesRead } = await handle.read(magic, 0, 2, 0);
    if (bytesRead < 2 || magic[0] !== 0x1f || magic[1] !== 0x8b) throw badFile(displayName, 'not a Ratepayer backup (it is not gzip-compressed)');
  } finally {
    await handle.close();
  }

  const source = fs.createReadStream(file);
  const gunzip = zlib.createGunzip();
  source.on('error', (error) => gunzip.destroy(error));
  source.pipe(gunzip);
  let no = 0;
  let pending: Buffer[] = [];
  let pendingBytes = 0;
  try {
    for await (const chunk of gunzip as AsyncIterable<Buffer>) {
      const lines: Line[] = [];
      let start = 0;
      for (;;) {
        const end = chunk.indexOf(0x0a, start);
        if (end < 0) break;
        let bytes = chunk.subarray(start, end + 1);
        if (pendingBytes > 0) {
          bytes = Buffer.concat([...pending, bytes]);
          pending = [];
          pendingBytes = 0;
        }
        no++;
        lines.push({ no, text: bytes.toString('utf8', 0, bytes.length - 1), bytes });
        start = end + 1;
      }
      if (start < chunk.length) {
        pending.push(chunk.subarray(start));
        pendingBytes += chunk.length - start;
        if (pendingBytes > maxLineBytes) throw badFile(displayName, `line ${no + 1} is longer than ${maxLineBytes} bytes; this is not a Ratepayer backup`);
      }
      if (lines.length > 0) yield lines;
    }
  } catch (error) {
    if (error instanceof AppError) throw error;
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'Z_BUF_ERROR' || /unexpected end of file/i.test((error as Error).message)) {
      throw badFile(displayName, `the file is truncated: its compressed data ends early, after line ${no}`);
    }
    if (typeof code === 'string' && code.startsWith('Z_')) throw badFile(displayName, `the compressed data is damaged after line ${no} (${(error as Error).message})`);
    throw error;
  } finally {
    gunzip.destroy();
    source.destroy();
  }
  if (pendingBytes > 0) {
    const bytes = Buffer.concat(pending);
    yield [{ no: no + 1, text: bytes.toString('utf8'), bytes, unterminated: true }];
  }
}

interface Header {
  format: string;
  version: number;
  createdAt: string;
  migrations: MigrationRecord[];
  totalRows: number;
  tables: string[];
  sequences: string[];
}
interface TableSection {
  name: string;
  columns: string[];
  jsonColumns: string[];
  rows: number;
  line: number;
}
interface SequenceValue {
  name: string;
  lastValue: string;
  isCalled: boolean;
}

type Event =
  | { kind: 'header'; header: Header }
  | { kind: 'table'; table: TableSection }
  | { kind: 'row'; table: TableSection; index: number; json: string; line: number }
  | { kind: 'tableEnd'; table: TableSection }
  | { kind: 'sequences'; sequences: SequenceValue[] }
  | { kind: 'end'; rowCounts: Record<string, number>; totalRows: number };

const isObject = (x: unknown): x is Record<string, unknown> => typeof x === 'object' && x !== null && !Array.isArray(x);
const isStringList = (x: unknown): x is string[] => Array.isArray(x) && x.every((s) => typeof s === 'string');
const unique = (xs: string[]) => new Set(xs).size === xs.length;
const describeRow = (table: TableSection, index: number, row: Record<string, unknown> | undefined) => {
  const id = row && 'id' in row ? ` (id ${JSON.stringify(row.id)})` : '';
  return `row ${index + 1} of table ${table.name}${id}`;
};

/**
 * Follows the file's structure line by line, keeping the checksum. `strict` also parses every
 * row (the checking pass); the loading pass, reading a file already checked, does not.
 */
class BackupParser {
  readonly #hash = createHash('sha256');
  #state: 'header' | 'table' | 'rows' | 'sequences' | 'end' | 'done' = 'header';
  header: Header | undefined;
  #tableIndex = 0;
  #table: TableSection | undefined;
  #columnSet = new Set<string>();
  #rowIndex = 0;
  readonly sections: TableSection[] = [];
  sequences: SequenceValue[] = [];
  #rowsSeen = 0;
  lastLine = 0;

  constructor(
    private readonly file: string,
    private readonly strict: boolean,
  ) {}

  #json(line: Line, what: string): Record<string, unknown> {
    let value: unknown;
    try {
      value = JSON.parse(line.text);
    } catch (error) {
      throw badFile(this.file, `${what} is not valid JSON (${(error as Error).message})`, line.no);
    }
    if (!isObject(value)) throw badFile(this.file, `${what} is not a JSON object`, line.no);
    return value;
  }

  *push(line: Line): Generator<Event> {
    this.lastLine = line.no;
    if (line.unterminated && this.#state !== 'end' && this.#state !== 'done') {
      const where = this.#state === 'rows' ? `, in table ${this.#table!.name} after ${this.#rowIndex} of its ${this.#table!.rows} rows` : '';
      throw badFile(this.file, `the file is truncated: it ends in the middle of line ${line.no}${where}`);
    }
    if (this.#state === 'done') {
      if (line.text.trim() === '') return;
      throw badFile(this.file, 'unexpected data after the end of the backup', line.no);
    }
    if (this.#state === 'end') {
      const trailer = this.#json(line, 'the trailer');
      const computed = this.#hash.digest('hex');
      if (trailer.end !== true || typeof trailer.sha256 !== 'string' || !isObject(trailer.rowCounts)) {
        throw badFile(this.file, 'expected the trailer (the last line, with the checksum)', line.no);
      }
      if (trailer.sha256 !== computed) {
        throw badFile(this.file, `the file is damaged or was edited: its checksum does not match its contents (recorded ${String(trailer.sha256).slice(0, 12)}…, computed ${computed.slice(0, 12)}…)`);
      }
      for (const section of this.sections) {
        if (trailer.rowCounts[section.name] !== section.rows) {
          throw badFile(this.file, `the trailer counts ${String(trailer.rowCounts[section.name])} rows for table ${section.name} but the file holds ${section.rows}`, line.no);
        }
      }
      const extra = Object.keys(trailer.rowCounts).find((name) => !this.sections.some((s) => s.name === name));
      if (extra) throw badFile(this.file, `the trailer counts rows for table ${extra}, which the file does not hold`, line.no);
      if (trailer.totalRows !== this.#rowsSeen || this.header!.totalRows !== this.#rowsSeen) {
        throw badFile(this.file, `the header and trailer count ${this.header!.totalRows} and ${String(trailer.totalRows)} rows in all but the file holds ${this.#rowsSeen}`, line.no);
      }
      this.#state = 'done';
      yield { kind: 'end', rowCounts: trailer.rowCounts as Record<string, number>, totalRows: this.#rowsSeen };
      return;
    }
    this.#hash.update(line.bytes);

    switch (this.#state) {
      case 'header': {
        let value: unknown;
        try {
          value = JSON.parse(line.text);
        } catch {
          value = undefined;
        }
        if (!isObject(value) || value.format !== backupFormat) throw badFile(this.file, 'not a Ratepayer backup (line 1 is not a backup header)');
        if (value.version !== backupVersion) {
          throw badFile(this.file, `this is a version ${String(value.version)} backup; this copy of Ratepayer reads version ${backupVersion}`);
        }
        const migrations = value.migrations;
        const okMigrations =
          Array.isArray(migrations) &&
          migrations.every((m) => isObject(m) && Number.isInteger(m.version) && typeof m.name === 'string' && typeof m.checksum === 'string');
        if (!okMigrations) throw badFile(this.file, 'the header\'s "migrations" is not a list of {version, name, checksum}', line.no);
        if (!isStringList(value.tables) || !unique(value.tables)) throw badFile(this.file, 'the header\'s "tables" is not a list of distinct table names', line.no);
        if (!isStringList(value.sequences) || !unique(value.sequences)) throw badFile(this.file, 'the header\'s "sequences" is not a list of distinct sequence names', line.no);
        if (typeof value.createdAt !== 'string') throw badFile(this.file, 'the header has no "createdAt"', line.no);
        if (!Number.isSafeInteger(value.totalRows) || (value.totalRows as number) < 0) throw badFile(this.file, 'the header has no "totalRows"', line.no);
        this.header = value as unknown as Header;
        this.#state = this.header.tables.length > 0 ? 'table' : 'sequences';
        yield { kind: 'header', header: this.header };
        return;
      }
      case 'table': {
        const expected = this.header!.tables[this.#tableIndex]!;
        const value = this.#json(line, `the start of table ${expected}`);
        if (value.table !== expected) {
          const found = typeof value.table === 'string' ? `table ${value.table}` : 'something else';
          throw badFile(this.file, `expected the start of table ${expected}, found ${found}`, line.no);
        }
        if (!isStringList(value.columns) || value.columns.length === 0 || !unique(value.columns)) {
          throw badFile(this.file, `table ${expected} has no list of distinct column names`, line.no);
        }
        const jsonColumns = value.jsonColumns ?? [];
        if (!isStringList(jsonColumns) || !jsonColumns.every((c) => (value.columns as string[]).includes(c))) {
          throw badFile(this.file, `table ${expected} has a "jsonColumns" that is not a list of its columns`, line.no);
        }
        if (!Number.isSafeInteger(value.rows) || (value.rows as number) < 0) throw badFile(this.file, `table ${expected} has no row count`, line.no);
        const table: TableSection = { name: expected, columns: value.columns, jsonColumns, rows: value.rows as number, line: line.no };
        this.#table = table;
        this.#columnSet = new Set(table.columns);
        this.#rowIndex = 0;
        this.sections.push(table);
        yield { kind: 'table', table };
        if (table.rows === 0) yield* this.#endTable();
        else this.#state = 'rows';
        return;
      }
      case 'rows': {
        const table = this.#table!;
        const index = this.#rowIndex;
        let json = line.text;
        if (json.startsWith('"')) {
          let unwrapped: unknown;
          try {
            unwrapped = JSON.parse(json);
          } catch {
            unwrapped = undefined;
          }
          if (typeof unwrapped !== 'string') throw badFile(this.file, `${describeRow(table, index, undefined)} is not valid JSON`, line.no);
          json = unwrapped;
        }
        if (!json.startsWith('{')) {
          const what = /^\s*\{"(table|sequences|end)"/.test(json) ? `found another section while ${table.rows} rows were expected` : 'is not a JSON object';
          throw badFile(this.file, `${describeRow(table, index, undefined)} ${what}`, line.no);
        }
        if (this.strict) {
          let row: unknown;
          try {
            row = JSON.parse(json);
          } catch (error) {
            throw badFile(this.file, `${describeRow(table, index, undefined)} is not valid JSON (${(error as Error).message})`, line.no);
          }
          if (!isObject(row)) throw badFile(this.file, `${describeRow(table, index, undefined)} is not a JSON object`, line.no);
          const keys = Object.keys(row);
          const missing = table.columns.find((c) => !(c in row));
          const extra = keys.find((k) => !this.#columnSet.has(k));
          if (missing) throw badFile(this.file, `${describeRow(table, index, row)} has no value for column ${missing}`, line.no);
          if (extra) throw badFile(this.file, `${describeRow(table, index, row)} has column ${extra}, which table ${table.name} does not list`, line.no);
          const unwrapped = table.jsonColumns.find((c) => row[c] !== null && !(Array.isArray(row[c]) && (row[c] as unknown[]).length === 1));
          if (unwrapped) throw badFile(this.file, `${describeRow(table, index, row)}: the value of json column ${unwrapped} is not null or a one-element list`, line.no);
        }
        this.#rowIndex++;
        this.#rowsSeen++;
        yield { kind: 'row', table, index, json, line: line.no };
        if (this.#rowIndex === table.rows) yield* this.#endTable();
        return;
      }
      case 'sequences': {
        const value = this.#json(line, 'the sequence values');
        const list = value.sequences;
        const names = this.header!.sequences;
        const ok =
          Array.isArray(list) &&
          list.length === names.length &&
          list.every(
            (s, i) => isObject(s) && s.name === names[i] && typeof s.lastValue === 'string' && /^-?\d{1,19}$/.test(s.lastValue) && typeof s.isCalled === 'boolean',
          );
        if (!ok) {
          const found = isObject(value) && typeof value.table === 'string' ? ` (found table ${value.table}, which the header does not list)` : '';
          throw badFile(this.file, `expected the values of sequences ${names.join(', ') || '(none)'}${found}`, line.no);
        }
        this.sequences = list as SequenceValue[];
        this.#state = 'end';
        yield { kind: 'sequences', sequences: this.sequences };
        return;
      }
    }
  }

  *#endTable(): Generator<Event> {
    const table = this.#table!;
    this.#tableIndex++;
    this.#state = this.#tableIndex < this.header!.tables.length ? 'table' : 'sequences';
    yield { kind: 'tableEnd', table };
  }

  /** At the end of the file: refuses one that stops before its trailer. */
  finish(): void {
    if (this.#state === 'done') return;
    if (this.#state === 'header') throw badFile(this.file, 'not a Ratepayer backup (the file is empty)');
    let where: string;
    if (this.#state === 'rows') where = `in table ${this.#table!.name} after ${this.#rowIndex} of its ${this.#table!.rows} rows`;
    else if (this.#state === 'table') where = `before table ${this.header!.tables[this.#tableIndex]}`;
    else if (this.#state === 'sequences') where = 'before the sequence values';
    else where = 'before the trailer';
    throw badFile(this.file, `the file is truncated: it ends at line ${this.lastLine}, ${where}`);
  }
}

interface VerifiedBackup {
  header: Header;
  sections: TableSection[];
  sequences: SequenceValue[];
  totalRows: number;
  bytes: number;
}

async function verifyFile(file: string, displayName: string, onProgress?: (done: number, total: number) => void): Promise<VerifiedBackup> {
  const parser = new BackupParser(displayName, true);
  let done = 0;
  for await (const lines of readLines(file, displayName)) {
    for (const line of lines) {
      for (const event of parser.push(line)) if (event.kind === 'row') done++;
    }
    onProgress?.(done, parser.header?.totalRows ?? 0);
  }
  parser.finish();
  const { size } = await fs.promises.stat(file);
  return { header: parser.header!, sections: parser.sections, sequences: parser.sequences, totalRows: done, bytes: size };
}

const summaryOf = (file: string, v: VerifiedBackup): BackupSummary => ({
  file,
  format: `${v.header.format}/${v.header.version}`,
  createdAt: v.header.createdAt,
  tables: v.sections.map((s) => ({ name: s.name, rows: s.rows })),
  totalRows: v.totalRows,
  bytes: v.bytes,
});

/** Reads a whole backup and checks it (structure, every row, checksum), touching no database. */
export async function verifyBackup(file: string): Promise<BackupSummary> {
  const target = path.resolve(file);
  return summaryOf(target, await verifyFile(target, file));
}

// ---------------------------------------------------------------------------------------------
// Restore

/** Refuses a backup whose migrations differ from the database's, naming the first difference. */
function checkMigrations(file: string, backup: MigrationRecord[], database: MigrationRecord[]): void {
  const label = (m: MigrationRecord) => `${m.name} (version ${m.version})`;
  for (let i = 0; i < Math.max(backup.length, database.length); i++) {
    const b = backup[i];
    const d = database[i];
    if (b && d && b.version === d.version && b.name === d.name && b.checksum === d.checksum) continue;
    let why: string;
    if (b && (!d || b.version < d.version)) {
      why = `the backup has migration ${label(b)}, which this database does not. The backup is from a newer Ratepayer: restore it with that version`;
    } else if (d && (!b || d.version < b.version)) {
      why = `this database has migration ${label(d)}, which the backup does not. The backup is from an older Ratepayer: restore it with that version into a new database, then upgrade`;
    } else {
      why = `migration version ${b!.version} is ${b!.name} (checksum ${b!.checksum.slice(0, 12)}) in the backup but ${d!.name} (checksum ${d!.checksum.slice(0, 12)}) in this database`;
    }
    throw new AppError('migration', `Cannot restore ${file}: it was made at different database migrations: ${why}. Nothing was changed.`, {
      file,
      backupMigration: b ?? null,
      databaseMigration: d ?? null,
    });
  }
}

/** Refuses a backup whose tables, columns or sequences are not exactly this database's. */
function checkShape(file: string, backup: VerifiedBackup, catalog: Catalog): void {
  const refuse = (why: string) => new AppError('migration', `Cannot restore ${file}: ${why}. Nothing was changed.`, { file });
  const byName = new Map(catalog.tables.map((t) => [t.name, t]));
  for (const section of backup.sections) {
    const table = byName.get(section.name);
    if (!table) throw refuse(`the backup has table ${section.name}, which this database does not`);
    const missing = table.columns.find((c) => !section.columns.includes(c));
    if (missing) throw refuse(`the backup of table ${section.name} has no column ${missing}`);
    const extra = section.columns.find((c) => !table.columns.includes(c));
    if (extra) throw refuse(`the backup of table ${section.name} has column ${extra}, which this database's table does not (or it is generated)`);
    const jsonDiffers = [...table.jsonColumns, ...section.jsonColumns].find((c) => table.jsonColumns.includes(c) !== section.jsonColumns.includes(c));
    if (jsonDiffers) throw refuse(`column ${section.name}.${jsonDiffers} is json in ${table.jsonColumns.includes(jsonDiffers) ? 'this database' : 'the backup'} but not in the other`);
  }
  const absent = catalog.tables.find((t) => !backup.sections.some((s) => s.name === t.name));
  if (absent) throw refuse(`this database has table ${absent.name}, which the backup does not`);
  const seqMissing = catalog.sequences.find((s) => !backup.header.sequences.includes(s));
  if (seqMissing) throw refuse(`this database has sequence ${seqMissing}, which the backup does not`);
  const seqExtra = backup.header.sequences.find((s) => !catalog.sequences.includes(s));
  if (seqExtra) throw refuse(`the backup has sequence ${seqExtra}, which this database does not`);
}

interface PgError extends Error {
  detail?: string;
  constraint?: string;
}
const pgMessage = (error: unknown) => {
  const e = error as PgError;
  const detail = e.detail?.split('\n')[0]?.replace(/\.$/, '');
  return `${e.message.replace(/\.$/, '')}${detail ? ` (${detail})` : ''}`;
};

interface PendingRow {
  json: string;
  line: number;
  index: number;
}

export async function restoreDatabase(db: Db, file: string, options: RestoreOptions = {}): Promise<RestoreSummary> {
  const target = path.resolve(file);
  // Pass 1: the whole file, before anything is touched.
  const verified = await verifyFile(target, file, (done, total) => options.onProgress?.(done, total, 'verify'));

  // Pass 2: one transaction; any error rolls every change back.
  let loaded = 0;
  try {
    await db.transaction().execute(async (trx) => {
      await setSessionFormats(trx);
      const catalog = await readCatalog(trx);
      if (!catalog.hasMigrationsTable) throw new AppError('migration', `Cannot restore ${file}: this database has no schema_migrations table; run ratepayer migrate first`, { file });
      checkMigrations(file, verified.header.migrations, await readMigrations(trx));
      checkShape(file, verified, catalog);

      await sql`set constraints all deferred`.execute(trx);
      // The rows go back exactly as they were: user triggers that INSERT or TRUNCATE would fire
      // (one that stamps or copies rows, or guards against TRUNCATE) are off until the load is
      // done. None does today, so restore needs no ALTER TABLE; the audit trail's append-only
      // trigger fires on UPDATE and DELETE only, and TRUNCATE does not fire row triggers.
      for (const t of catalog.triggers) await sql.raw(`alter table ${qualified(t.table)} disable trigger ${ident(t.name)}`).execute(trx);
      if (catalog.tables.length > 0) {
        await sql.raw(`truncate table ${catalog.tables.map((t) => qualified(t.name)).join(', ')} restart identity cascade`).execute(trx);
      }

      const tableInfo = new Map(catalog.tables.map((t) => [t.name, t]));
      let batch: PendingRow[] = [];
      let batchSize = 0;
      let insertRows: (json: string) => Promise<void> = async () => {};
      let current: TableSection | undefined;

      const flush = async () => {
        if (batch.length === 0) return;
        const rows = batch;
        batch = [];
        batchSize = 0;
        await sql.raw('savepoint restore_batch').execute(trx);
        try {
          await insertRows(`[${rows.map((r) => r.json).join(',')}]`);
        } catch (error) {
          await sql.raw('rollback to savepoint restore_batch').execute(trx);
          throw await findBadRow(trx, file, current!, insertRows, rows, error);
        }
        await sql.raw('release savepoint restore_batch').execute(trx);
        loaded += rows.length;
        options.onProgress?.(loaded, verified.totalRows, 'load');
      };

      const parser = new BackupParser(file, false);
      for await (const lines of readLines(target, file)) {
        for (const line of lines) {
          for (const event of parser.push(line)) {
            if (event.kind === 'table') {
              current = event.table;
              insertRows = rowInserter(trx, current, tableInfo.get(current.name)!);
            } else if (event.kind === 'row') {
              batch.push({ json: event.json, line: event.line, index: event.index });
              batchSize += event.json.length;
              if (batch.length >= batchRows || batchSize >= batchBytes) await flush();
            } else if (event.kind === 'tableEnd') {
              await flush();
              const { rows } = await sql<{ n: number }>`select count(*)::int8 as n from ${sql.raw(qualified(event.table.name))}`.execute(trx);
              if (Number(rows[0]!.n) !== event.table.rows) {
                throw new AppError('validation', `Cannot restore ${file}: table ${event.table.name} has ${rows[0]!.n} rows after loading, not the ${event.table.rows} in the backup. Nothing was changed.`, { file });
              }
            } else if (event.kind === 'sequences') {
              for (const s of event.sequences) {
                await sql`select setval(${qualified(s.name)}::regclass, ${s.lastValue}::int8, ${s.isCalled})`.execute(trx);
              }
            }
          }
        }
      }
      // Throws if the file changed since it was checked: the trailer's checksum is checked again.
      parser.finish();
      if (parser.header?.createdAt !== verified.header.createdAt || loaded !== verified.totalRows) {
        throw new AppError('validation', `Cannot restore ${file}: the file changed while it was being restored. Nothing was changed.`, { file });
      }

      for (const t of catalog.triggers) {
        const how = t.enabled === 'A' ? 'enable always' : t.enabled === 'R' ? 'enable replica' : 'enable';
        await sql.raw(`alter table ${qualified(t.table)} ${how} trigger ${ident(t.name)}`).execute(trx);
      }
      // Deferred constraints are checked now rather than at commit, so a failure names them.
      await sql`set constraints all immediate`.execute(trx);
    });
  } catch (error) {
    if (error instanceof AppError) throw error;
    throw new Error(`Restore of ${file} failed and was rolled back; nothing was changed: ${pgMessage(error)}`, { cause: error });
  }
  return summaryOf(target, verified);
}

/**
 * Inserts a batch of rows (a JSON array of row objects) into a table: each value goes through its
 * column type's own input function, as in the original INSERT. json/jsonb columns are unwrapped.
 */
function rowInserter(trx: Db, section: TableSection, info: TableInfo): (json: string) => Promise<void> {
  const table = qualified(section.name);
  const insert = `insert into ${table} (${section.columns.map(ident).join(', ')})${info.identityAlways ? ' overriding system value' : ''}`;
  let head: string;
  let tail: string;
  if (section.jsonColumns.length === 0) {
    head = `${insert} select ${section.columns.map((c) => `r.${ident(c)}`).join(', ')} from json_populate_recordset(null::${table}, `;
    tail = '::json) as r';
  } else {
    // Slower, but gives each row's JSON for the json columns' wrapped values.
    const values = section.columns.map((c) => (section.jsonColumns.includes(c) ? `(e.v -> ${literal(c)} -> 0)::${info.types.get(c)!}` : `r.${ident(c)}`));
    head = `${insert} select ${values.join(', ')} from json_array_elements(`;
    tail = `::json) as e(v) cross join lateral json_populate_record(null::${table}, e.v) as r`;
  }
  return async (json) => {
    await sql`${sql.raw(head)}${json}${sql.raw(tail)}`.execute(trx);
  };
}

/**
 * A batch was refused: loads its rows one at a time (each under a savepoint) to name the first
 * row the database refuses, with its line in the file.
 */
async function findBadRow(trx: Db, file: string, table: TableSection, insertRows: (json: string) => Promise<void>, rows: PendingRow[], batchError: unknown): Promise<AppError> {
  for (const row of rows) {
    await sql.raw('savepoint restore_row').execute(trx);
    try {
      await insertRows(`[${row.json}]`);
      await sql.raw('release savepoint restore_row').execute(trx);
    } catch (error) {
      let parsed: Record<string, unknown> | undefined;
      try {
        parsed = JSON.parse(row.json) as Record<string, unknown>;
      } catch {
        parsed = undefined;
      }
      return new AppError(
        'validation',
        `Cannot restore ${file}: line ${row.line}, ${describeRow(table, row.index, parsed)}, was refused by the database: ${pgMessage(error)}. Nothing was changed.`,
        { file, line: row.line, table: table.name },
      );
    }
  }
  const first = rows[0]!;
  const last = rows[rows.length - 1]!;
  return new AppError(
    'validation',
    `Cannot restore ${file}: table ${table.name}, lines ${first.line}-${last.line}, were refused by the database: ${pgMessage(batchError)}. Nothing was changed.`,
    { file, table: table.name },
  );
}
