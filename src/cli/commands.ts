import { randomBytes } from 'node:crypto';
import type { ParseArgsConfig } from 'node:util';
import { buildApp } from '../app/build-app.ts';
import { openRuntime } from '../app/runtime.ts';
import { ensureWebBuilt } from '../app/web-build.ts';
import { demoPassword, demoUsers, ensureDemoUsers } from '../demo/users.ts';
import { roles, systemActor, type Role } from '../platform/actor.ts';
import { createApiToken, createUser, countUsers, findUserByUsername } from '../staff/index.ts';
import { backupDatabase, restoreDatabase } from '../platform/db/backup.ts';
import { billingCommands } from './billing-commands.ts';
import { paymentCommands } from './payment-commands.ts';
import { budgetCommands } from './budget-commands.ts';
import { depositCommands } from './deposit-commands.ts';
import { collectionsCommands } from './collections-commands.ts';
import { assistanceCommands } from './assistance-commands.ts';
import { badDebtCommands } from './bad-debt-commands.ts';
import { protectionCommands } from './protection-commands.ts';
import { bankruptcyCommands } from './bankruptcy-commands.ts';
import { deceasedCommands } from './deceased-commands.ts';
import { fieldCommands } from './field-commands.ts';
import { CliError, printResult, progressBar } from './output.ts';

type Values = Record<string, string | boolean | undefined>;
export interface Command {
  options: NonNullable<ParseArgsConfig['options']>;
  run(values: Values, positionals: string[]): Promise<void>;
}

const json = { type: 'boolean' } as const;
const str = (v: Values, key: string) => (typeof v[key] === 'string' ? (v[key] as string) : undefined);

function intOption(v: Values, key: string, fallback: number, min = 0): number {
  const raw = str(v, key);
  if (raw === undefined) return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < min) throw new CliError(`--${key} must be a whole number of at least ${min}, got "${raw}"`);
  return n;
}

async function serve(port: number | undefined, printLogins: boolean): Promise<void> {
  const runtime = await openRuntime();
  if (port !== undefined) runtime.config.port = port;
  if (printLogins && (await countUsers(runtime.db)) === 0) {
    process.stderr.write('Empty database: loading a small demo district...\n');
    await ensureDemoUsers(runtime.db);
    const { loadDemo } = await import('../demo/index.ts');
    await loadDemo(runtime, { accounts: 250, seed: 1 });
  }
  const app = await buildApp(runtime, { logger: true });
  await app.listen({ port: runtime.config.port, host: runtime.config.host });
  const address = app.server.address();
  const actualPort = typeof address === 'object' && address ? address.port : runtime.config.port;
  const host = runtime.config.host === '0.0.0.0' || runtime.config.host === '127.0.0.1' ? 'localhost' : runtime.config.host;
  const lines = [`Ratepayer is running at http://${host}:${actualPort}  (API docs: http://${host}:${actualPort}/api/docs)`, `Database: ${runtime.handle.kind} (${runtime.handle.location})`];
  if (printLogins && (await findUserByUsername(runtime.db, 'csr1'))) {
    lines.push(`Demo sign-ins, password "${demoPassword}": ${demoUsers.map((u) => `${u.username} (${u.role})`).join(', ')}`);
  }
  process.stdout.write(`${lines.join('\n')}\n`);
  const stop = async () => {
    await app.close();
    await runtime.close();
    process.exit(0);
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

export const commands: Record<string, Command> = {
  start: {
    options: { port: { type: 'string' } },
    async run(v) {
      await ensureWebBuilt();
      await serve(str(v, 'port') === undefined ? undefined : intOption(v, 'port', 3000), true);
    },
  },

  serve: {
    options: { port: { type: 'string' } },
    async run(v) {
      await serve(str(v, 'port') === undefined ? undefined : intOption(v, 'port', 3000), false);
    },
  },

  migrate: {
    options: { json },
    async run(v) {
      const runtime = await openRuntime();
      await runtime.close();
      const { applied, alreadyApplied } = runtime.migration;
      printResult(!!v.json, { applied, alreadyApplied }, () =>
        applied.length ? `Applied ${applied.length} migration(s): ${applied.join(', ')}` : `Up to date (${alreadyApplied} migrations applied).`,
      );
    },
  },

  demo: {
    options: { accounts: { type: 'string' }, seed: { type: 'string' }, 'read-months': { type: 'string' }, 'bill-months': { type: 'string' }, json },
    async run(v) {
      const accounts = intOption(v, 'accounts', 1000, 1);
      const seed = intOption(v, 'seed', 1);
      const { loadDemo, DEFAULT_READ_MONTHS } = await import('../demo/index.ts');
      const readMonths = intOption(v, 'read-months', DEFAULT_READ_MONTHS);
      const billMonths = intOption(v, 'bill-months', Math.min(readMonths, 24));
      const runtime = await openRuntime();
      try {
        await ensureDemoUsers(runtime.db);
        const bar = progressBar('Loading demo accounts');
        const summary = await loadDemo(runtime, { accounts, seed, readMonths, billMonths, onProgress: bar.update });
        bar.finish();
        printResult(!!v.json, summary, () =>
          `Loaded a demo district (seed ${seed}): ${summary.accounts} accounts, ${summary.customers} customers, ${summary.premises} premises, ${summary.servicePoints} service points, ${summary.meters} meters, ${summary.agreements} agreements, ${summary.reads} meter reads over ${readMonths} months (${summary.readExceptions} read exceptions), ${summary.bills.posted} bills from ${summary.bills.runs} billing runs (${summary.bills.held} held for review), ${summary.bills.budgetPlans} accounts on budget billing, ${summary.bills.deposits} deposits asked.\nDemo sign-ins, password "${demoPassword}": ${demoUsers.map((u) => u.username).join(', ')}`,
        );
      } finally {
        await runtime.close();
      }
    },
  },

  backup: {
    options: { json },
    async run(v, [file]) {
      if (!file) throw new CliError('usage: ratepayer backup FILE');
      const runtime = await openRuntime();
      try {
        const bar = progressBar('Backing up');
        const summary = await backupDatabase(runtime.db, file, { onProgress: bar.update });
        bar.finish();
        printResult(!!v.json, summary, () => `Wrote ${summary.totalRows} rows from ${summary.tables.length} tables to ${summary.file} (${summary.bytes} bytes).`);
      } finally {
        await runtime.close();
      }
    },
  },

  restore: {
    options: { json },
    async run(v, [file]) {
      if (!file) throw new CliError('usage: ratepayer restore FILE');
      const runtime = await openRuntime();
      try {
        let phase = 'verify';
        let bar = progressBar('Checking the file');
        const summary = await restoreDatabase(runtime.db, file, {
          onProgress: (done, total, now) => {
            if (now !== phase) {
              bar.finish();
              bar = progressBar('Restoring');
              phase = now;
            }
            bar.update(done, total);
          },
        });
        bar.finish();
        printResult(!!v.json, summary, () => `Restored ${summary.totalRows} rows into ${summary.tables.length} tables from ${summary.file}.`);
      } finally {
        await runtime.close();
      }
    },
  },

  user: {
    options: { role: { type: 'string' }, name: { type: 'string' }, json },
    async run(v, positionals) {
      const [sub, username] = positionals;
      if (!username || (sub !== 'add' && sub !== 'token')) throw new CliError('usage: ratepayer user add USERNAME --role ROLE [--name NAME] | ratepayer user token USERNAME --name NAME');
      const runtime = await openRuntime();
      try {
        if (sub === 'add') {
          const role = str(v, 'role');
          if (!role || !roles.includes(role as Role)) throw new CliError(`--role must be one of ${roles.join(', ')}`);
          const generated = !process.env.RATEPAYER_PASSWORD;
          const password = process.env.RATEPAYER_PASSWORD ?? randomBytes(12).toString('base64url');
          const user = await createUser(runtime.db, systemActor('cli'), { username, displayName: str(v, 'name') ?? username, role: role as Role, password }, 'Added with ratepayer user add');
          printResult(!!v.json, { user, ...(generated ? { password } : {}) }, () =>
            `Added ${user.username} (${user.role}).${generated ? ` Password: ${password}` : ''}`,
          );
        } else {
          const name = str(v, 'name');
          if (!name) throw new CliError('--name is required: what the token is for');
          const user = await findUserByUsername(runtime.db, username);
          if (!user) throw new CliError(`no user ${username}`);
          const made = await createApiToken(runtime.db, systemActor('cli'), { userId: user.id, name }, 'Made with ratepayer user token');
          printResult(!!v.json, made, () => `Token for ${username} (${name}), shown once: ${made.token}`);
        }
      } finally {
        await runtime.close();
      }
    },
  },
  ...fieldCommands,
  ...billingCommands,
  ...paymentCommands,
  ...budgetCommands,
  ...depositCommands,
  ...collectionsCommands,
  ...assistanceCommands,
  ...badDebtCommands,
  ...protectionCommands,
  ...bankruptcyCommands,
  ...deceasedCommands,
};
