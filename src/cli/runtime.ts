/** What the CLI's commands share: opening the runtime for one command, and reading string options. */
import { openRuntime, type Runtime } from '../app/runtime.ts';
import { CliError } from './output.ts';

export type Values = Record<string, string | boolean | undefined>;

/** Opens the database and services for one command's work, and closes them after, whatever happens. */
export async function withRuntime<T>(work: (rt: Runtime) => Promise<T>): Promise<T> {
  const runtime = await openRuntime();
  try {
    return await work(runtime);
  } finally {
    await runtime.close();
  }
}

/** A string option's value, or undefined when absent. */
export const str = (v: Values, key: string) => (typeof v[key] === 'string' ? (v[key] as string) : undefined);

/** A record id given on the command line (the usage, if given, follows the refusal). */
export function idArg(raw: string | undefined, what: string, usage?: string): number {
  if (!raw || !/^\d{1,15}$/.test(raw)) throw new CliError(`${what} must be a number${raw ? `, got "${raw}"` : ''}${usage ? `\n${usage}` : ''}`);
  return Number(raw);
}

/** The `--reason` of a change (kept in the audit trail): required, at least 3 characters. */
export function reasonArg(v: Values): string {
  const r = str(v, 'reason') ?? '';
  if (r.trim().length < 3) throw new CliError('--reason is required (why the change is made; kept in the audit trail)');
  return r;
}
