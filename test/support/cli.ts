import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const bin = path.join(repoRoot, 'bin/ratepayer.js');

export interface CliResult {
  status: number | null;
  stdout: string;
  stderr: string;
}

/** Runs the real `ratepayer` command in a child process. */
export function ratepayer(args: string[], env: Record<string, string | undefined>): CliResult {
  const r = spawnSync(process.execPath, [bin, ...args], { env: { ...process.env, ...env }, encoding: 'utf8', timeout: 300_000 });
  return { status: r.status, stdout: r.stdout, stderr: r.stderr };
}

/**
 * Commands run as one staff user (`--as USER`): `run` gives the result, `json` adds `--json`,
 * expects success and parses what was printed.
 */
export function cliAs(user: string, env: () => Record<string, string | undefined>, prefix: string[] = []) {
  const run = (args: string[]) => ratepayer([...prefix, ...args, '--as', user], env());
  return {
    run,
    json(args: string[]) {
      const r = run([...args, '--json']);
      if (r.status !== 0) throw new Error(`ratepayer ${[...prefix, ...args].join(' ')} failed (${r.status}): ${r.stderr}`);
      return JSON.parse(r.stdout);
    },
  };
}

/** Starts a long-running `ratepayer` command and resolves with the first stdout line matching `ready`. */
export function ratepayerServer(args: string[], env: Record<string, string | undefined>, ready: RegExp, timeoutMs = 120_000) {
  const child = spawn(process.execPath, [bin, ...args], { env: { ...process.env, ...env } });
  let stdout = '';
  let stderr = '';
  const started = new Promise<RegExpMatchArray>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`not ready in ${timeoutMs} ms\nstdout: ${stdout}\nstderr: ${stderr}`)), timeoutMs);
    child.stdout.on('data', (d: Buffer) => {
      stdout += d.toString();
      const m = stdout.match(ready);
      if (m) {
        clearTimeout(timer);
        resolve(m);
      }
    });
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`exited with ${code}\nstdout: ${stdout}\nstderr: ${stderr}`));
    });
  });
  return {
    started,
    output: () => ({ stdout, stderr }),
    stop: () =>
      new Promise<number | null>((resolve) => {
        if (child.exitCode !== null) return resolve(child.exitCode);
        child.once('exit', (code) => resolve(code));
        child.kill('SIGTERM');
      }),
  };
}

/**
 * A fresh database (embedded in a temporary folder, or a new server database with DATABASE_URL)
 * for commands run as child processes: `env` points the command at it; `open()` opens it in this
 * process to set up data (close it before running a command on the embedded database).
 */
export async function cliDatabase(prefix: string) {
  const { createTestDatabase } = await import('./runtime.ts');
  const { openRuntime } = await import('../../src/app/runtime.ts');
  const { loadConfig } = await import('../../src/platform/config.ts');
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  const database = await createTestDatabase();
  const env: Record<string, string | undefined> = { RATEPAYER_DATA_DIR: path.join(tmp, 'data'), DATABASE_URL: database.url ?? '', PORT: '0' };
  return {
    env,
    tmp,
    open: (options: { clock?: import('../../src/platform/clock.ts').Clock } = {}) =>
      openRuntime({ config: { ...loadConfig({}), dataDir: env.RATEPAYER_DATA_DIR!, databaseUrl: database.url }, ...options }),
    async dispose() {
      await database.drop();
      fs.rmSync(tmp, { recursive: true, force: true });
    },
  };
}
