/** Timing helpers for the benchmarks: samples in milliseconds, percentiles, a printed table. */

export interface Sample {
  ms: number;
  /** What was measured (a query), for the slowest-list. */
  label?: string;
}

export interface Summary {
  n: number;
  p50: number;
  p95: number;
  p99: number;
  max: number;
  mean: number;
  slowest: { ms: number; label: string }[];
}

/** Nearest-rank percentile of sorted values. */
export function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN;
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length, Math.max(1, rank)) - 1]!;
}

export function summarize(samples: Sample[]): Summary {
  const sorted = samples.map((s) => s.ms).sort((a, b) => a - b);
  const round = (x: number) => Math.round(x * 100) / 100;
  return {
    n: sorted.length,
    p50: round(percentile(sorted, 50)),
    p95: round(percentile(sorted, 95)),
    p99: round(percentile(sorted, 99)),
    max: round(sorted.at(-1) ?? NaN),
    mean: round(sorted.reduce((s, x) => s + x, 0) / Math.max(1, sorted.length)),
    slowest: [...samples].sort((a, b) => b.ms - a.ms).slice(0, 3).map((s) => ({ ms: round(s.ms), label: s.label ?? '' })),
  };
}

/** Runs `fn` once per input, one at a time, timing each call. */
export async function timeEach<T>(inputs: T[], fn: (input: T) => Promise<unknown>, label: (input: T) => string = String): Promise<Sample[]> {
  const out: Sample[] = [];
  for (const input of inputs) {
    const t0 = performance.now();
    await fn(input);
    out.push({ ms: performance.now() - t0, label: label(input) });
  }
  return out;
}

/** A plain-text table: the first column left-aligned, the rest right-aligned. */
export function table(header: string[], rows: (string | number)[][]): string {
  const cells = [header, ...rows.map((r) => r.map(String))];
  const widths = header.map((_, i) => Math.max(...cells.map((r) => (r[i] ?? '').length)));
  const line = (r: string[]) => r.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ');
  return [line(cells[0]!), widths.map((w) => '-'.repeat(w)).join('  '), ...cells.slice(1).map(line)].join('\n');
}

export const fmt = (ms: number) => (Number.isNaN(ms) ? '-' : ms < 10 ? ms.toFixed(2) : ms.toFixed(1));

/** A command-line option that must be a whole number of at least `min`; exits 2 with the reason otherwise. */
export function wholeNumberOption(name: string, raw: string, min: number): number {
  const n = Number(raw);
  if (!Number.isInteger(n) || n < min) {
    process.stderr.write(`--${name} must be a whole number of at least ${min}, got "${raw}"\n`);
    process.exit(2);
  }
  return n;
}
