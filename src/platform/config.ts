import path from 'node:path';

/** Everything Ratepayer reads from its environment, read in one place. */
export interface Config {
  /** `postgres://...` to use a PostgreSQL server; undefined for the embedded database. */
  databaseUrl: string | undefined;
  /** Folder of the embedded database (ignored when databaseUrl is set). */
  dataDir: string;
  port: number;
  host: string;
  /** The utility's time zone: events are shown and dated in it. */
  timeZone: string;
  /** The utility's name, printed on documents. */
  utilityName: string;
  /** The office address lines, phone and web address printed on bills and letters. */
  utilityAddress: string[];
  utilityPhone: string;
  utilityWeb: string;
  /** Mark the session cookie Secure (set when served over HTTPS). */
  secureCookies: boolean;
  logLevel: string;
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const port = Number(env.PORT ?? 3000);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    throw new Error(`PORT must be a port number, got "${env.PORT}"`);
  }
  const databaseUrl = env.DATABASE_URL?.trim() || undefined;
  if (databaseUrl && !/^postgres(ql)?:\/\//.test(databaseUrl)) {
    throw new Error('DATABASE_URL must start with postgres:// or postgresql://');
  }
  return {
    databaseUrl,
    dataDir: path.resolve(env.RATEPAYER_DATA_DIR ?? './.ratepayer/data'),
    port,
    host: env.HOST ?? '127.0.0.1',
    timeZone: env.RATEPAYER_TIME_ZONE ?? 'America/Los_Angeles',
    utilityName: env.RATEPAYER_UTILITY_NAME ?? 'Columbia Basin Public Utility District',
    // Lines separated by "|": "PO Box 1231|Wenatchee WA 98807".
    utilityAddress: (env.RATEPAYER_UTILITY_ADDRESS ?? '327 N Wenatchee Ave|Wenatchee WA 98801').split('|').map((l) => l.trim()).filter(Boolean),
    utilityPhone: env.RATEPAYER_UTILITY_PHONE ?? '(509) 555-0100',
    utilityWeb: env.RATEPAYER_UTILITY_WEB ?? 'www.cbpud.example.org',
    secureCookies: env.RATEPAYER_SECURE_COOKIES === 'true',
    logLevel: env.LOG_LEVEL ?? 'warn',
  };
}
