import { systemClock, type Clock } from '../platform/clock.ts';
import { loadConfig, type Config } from '../platform/config.ts';
import { openDatabase, type DatabaseHandle } from '../platform/db/database.ts';
import { migrate, type MigrationResult } from '../platform/db/migrator.ts';
import type { Deps } from '../platform/http/app-types.ts';

export interface Runtime extends Deps {
  handle: DatabaseHandle;
  migration: MigrationResult;
  close(): Promise<void>;
}

/** Opens the database, brings its schema up to date, and hands out what the contexts need. */
export async function openRuntime(options: { config?: Config; clock?: Clock; memory?: boolean; template?: Blob } = {}): Promise<Runtime> {
  const config = options.config ?? loadConfig();
  const handle = await openDatabase(config, { memory: options.memory, template: options.template });
  try {
    const migration = await migrate(handle.db);
    return { db: handle.db, config, clock: options.clock ?? systemClock(config.timeZone), handle, migration, close: () => handle.close() };
  } catch (error) {
    await handle.close();
    throw error;
  }
}
