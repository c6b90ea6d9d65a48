/** How commands talk: a JSON object on stdout with --json, readable lines otherwise. */
export class CliError extends Error {}

export function printResult(json: boolean, result: object, human: () => string): void {
  if (json) process.stdout.write(`${JSON.stringify(result)}\n`);
  else process.stdout.write(`${human()}\n`);
}

/**
 * A progress bar on a terminal (stderr, so --json output stays clean); nothing when stderr is
 * not a terminal.
 */
export function progressBar(label: string): { update(done: number, total: number): void; finish(): void } {
  const tty = process.stderr.isTTY;
  let last = 0;
  return {
    update(done, total) {
      if (!tty) return;
      const now = Date.now();
      if (now - last < 100 && done < total) return;
      last = now;
      const width = 30;
      const filled = total > 0 ? Math.round((done / total) * width) : 0;
      const pct = total > 0 ? Math.floor((done / total) * 100) : 0;
      process.stderr.write(`\r${label} [${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${pct}% ${done}/${total}`);
    },
    finish() {
      if (tty) process.stderr.write('\n');
    },
  };
}
