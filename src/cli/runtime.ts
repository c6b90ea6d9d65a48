/** What the CLI's commands share: opening the runtime for one command, and reading string options. */
import { openRuntime, type Runtime } from '../app/runtime.ts';

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
