import { useId } from 'react';
import { api } from '../api.ts';
import { LoadError } from '../components/ui.tsx';
import { daysBetween, shortMonth } from '../dates.ts';
import { humanize } from '../format.ts';
import { useApi } from '../hooks.ts';
import type { MeterRead } from '../types.ts';

/**
 * Use per read period at a service point, as a small bar chart drawn by hand in SVG: one bar per
 * read that measured use, oldest on the left. Estimated reads are hatched; reads with exceptions
 * carry a red marker (and a red bar while the exception is open). The same figures are in a table
 * under the chart for keyboard and screen-reader users.
 */

interface Period {
  read: MeterRead;
  usage: number;
  /** The read the period starts at, when it is among the reads fetched. */
  from: string | null;
  estimated: boolean;
  /** An exception is open on the read. */
  open: boolean;
  /** The read has had exceptions (open or accepted). */
  flagged: boolean;
}

const W = 600;
const H = 168;
const pad = { left: 50, right: 8, top: 22, bottom: 24 };
const plotW = W - pad.left - pad.right;
const plotH = H - pad.top - pad.bottom;

/** A round step for about `parts` gridlines over `span`. */
function niceStep(span: number, parts: number): number {
  const raw = span / parts;
  const power = 10 ** Math.floor(Math.log10(raw));
  const unit = raw / power;
  return (unit <= 1 ? 1 : unit <= 2 ? 2 : unit <= 2.5 ? 2.5 : unit <= 5 ? 5 : 10) * power;
}

const number = new Intl.NumberFormat('en-US', { maximumFractionDigits: 2 });
const compact = new Intl.NumberFormat('en-US', { notation: 'compact', maximumFractionDigits: 1 });

export function periodsOf(reads: MeterRead[], from: string, to: string | null): Period[] {
  const byId = new Map(reads.map((r) => [r.id, r]));
  return reads
    .filter((r) => r.usage !== null && r.usageOn >= from && (to === null || r.usageOn <= to))
    .sort((a, b) => a.readDate.localeCompare(b.readDate) || a.id - b.id)
    .map((read) => ({
      read,
      usage: Number(read.usage),
      from: read.previousReadId !== null ? (byId.get(read.previousReadId)?.readDate ?? null) : null,
      estimated: read.readType === 'estimated',
      open: read.status === 'exception',
      flagged: read.exceptions.length > 0,
    }));
}

function describePeriod(p: Period, unit: string): string {
  const span = p.from ? `${p.from} to ${p.read.readDate} (${daysBetween(p.from, p.read.readDate)} days)` : `to ${p.read.readDate}`;
  const notes = [p.estimated ? 'estimated' : null, ...p.read.exceptions.map((e) => `${humanize(e.code).toLowerCase()} (${e.status})`)].filter(Boolean);
  return `${span}: ${number.format(p.usage)} ${unit}${notes.length ? `, ${notes.join(', ')}` : ''}`;
}

export function ReadChart({ servicePointId, unit, from, to, name }: {
  servicePointId: number;
  unit: string;
  /** The first service day shown (the later of the agreement's start and 24 months ago). */
  from: string;
  /** The last service day shown (the agreement's end), or null for today. */
  to: string | null;
  /** What the chart is of, e.g. "electric point 3", for its accessible name. */
  name: string;
}) {
  const reads = useApi(`sp-reads:${servicePointId}:${from}:${to ?? ''}`, (signal) =>
    api.get<{ items: MeterRead[] }>(`/service-points/${servicePointId}/reads`, { limit: 60, from, to }, signal),
  );
  const titleId = useId();
  const descId = useId();
  const hatchId = useId().replace(/:/g, '');

  if (reads.error) return <LoadError error={reads.error} retry={reads.reload} />;
  if (!reads.data) return <div className="read-chart read-chart-empty muted">Loading the reads…</div>;
  const periods = periodsOf(reads.data.items, from, to);
  if (periods.length === 0) {
    return (
      <div className="read-chart read-chart-empty muted" data-testid="read-chart">
        No measured use since {from}.
      </div>
    );
  }

  const values = periods.map((p) => p.usage);
  const max = Math.max(0, ...values);
  const min = Math.min(0, ...values);
  const step = niceStep(max - min || 1, 4);
  const top = Math.max(step, Math.ceil(max / step) * step);
  const bottom = Math.floor(min / step) * step;
  const y = (v: number) => pad.top + ((top - v) / (top - bottom)) * plotH;
  const ticks: number[] = [];
  for (let v = bottom; v <= top + step / 2; v += step) ticks.push(Math.round(v * 1e6) / 1e6);

  const slot = plotW / periods.length;
  const barW = Math.max(3, Math.min(36, slot * 0.72));
  const labelEvery = Math.ceil(periods.length / 8);
  const estimated = periods.filter((p) => p.estimated).length;
  const flagged = periods.filter((p) => p.flagged).length;
  const latest = periods[periods.length - 1]!;
  const summary = `${periods.length} read period${periods.length === 1 ? '' : 's'} from ${periods[0]!.from ?? periods[0]!.read.readDate} to ${latest.read.readDate}; latest ${number.format(latest.usage)} ${unit}; ${estimated} estimated; ${flagged} with exceptions.`;

  return (
    <figure className="read-chart" data-testid="read-chart">
      <svg viewBox={`0 0 ${W} ${H}`} role="img" aria-labelledby={titleId} aria-describedby={descId} className="read-chart-svg">
        <title id={titleId}>{`Use per read period, ${name} (${unit})`}</title>
        <desc id={descId}>{summary}</desc>
        <defs>
          <pattern id={hatchId} width="6" height="6" patternUnits="userSpaceOnUse" patternTransform="rotate(45)">
            <rect width="6" height="6" className="bar-estimated-bg" />
            <line x1="0" y1="0" x2="0" y2="6" className="bar-estimated-line" />
          </pattern>
        </defs>
        {ticks.map((t) => (
          <g key={t} className={t === 0 ? 'chart-axis' : 'chart-grid'}>
            <line x1={pad.left} x2={W - pad.right} y1={y(t)} y2={y(t)} />
            <text x={pad.left - 6} y={y(t)} dy="0.32em" textAnchor="end">
              {compact.format(t)}
            </text>
          </g>
        ))}
        <text x={pad.left - 6} y={pad.top - 11} textAnchor="end" className="chart-unit">
          {unit}
        </text>
        {periods.map((p, i) => {
          const x = pad.left + i * slot + (slot - barW) / 2;
          const y0 = y(Math.max(p.usage, 0));
          const height = Math.max(1, Math.abs(y(p.usage) - y(0)));
          const kind = p.open ? 'exception' : p.estimated ? 'estimated' : 'actual';
          return (
            <g key={p.read.id} className={`chart-bar bar-${kind}`} data-kind={kind} data-flagged={p.flagged || undefined}>
              <title>{describePeriod(p, unit)}</title>
              <rect x={x} y={y0} width={barW} height={height} fill={p.estimated && !p.open ? `url(#${hatchId})` : undefined} />
              {p.flagged && (
                <path
                  className="chart-flag"
                  d={p.usage < 0 ? `M${x + barW / 2} ${y(p.usage) + 10} l-4 -7 h8 z` : `M${x + barW / 2} ${y0 - 3} l-4 -7 h8 z`}
                />
              )}
              {i % labelEvery === 0 && (
                <text x={x + barW / 2} y={H - 8} textAnchor="middle" className="chart-label">
                  {shortMonth(p.read.readDate)}
                </text>
              )}
            </g>
          );
        })}
      </svg>
      <figcaption className="read-chart-legend">
        <span><span className="swatch swatch-actual" aria-hidden="true" /> Actual</span>
        {estimated > 0 && <span><span className="swatch swatch-estimated" aria-hidden="true" /> Estimated</span>}
        {periods.some((p) => p.open) && <span><span className="swatch swatch-exception" aria-hidden="true" /> Open exception</span>}
        {flagged > 0 && <span><span className="flag-key" aria-hidden="true">▼</span> Had an exception</span>}
        <details className="read-chart-table">
          <summary>Reads as a table</summary>
          <table className="table">
            <thead>
              <tr>
                <th scope="col">Period</th>
                <th scope="col" className="num">Use ({unit})</th>
                <th scope="col">Read</th>
                <th scope="col">Notes</th>
              </tr>
            </thead>
            <tbody>
              {[...periods].reverse().map((p) => (
                <tr key={p.read.id}>
                  <td className="nowrap">{p.from ? `${p.from} to ${p.read.readDate}` : `to ${p.read.readDate}`}</td>
                  <td className="num">{number.format(p.usage)}</td>
                  <td className="mono">{p.read.reading}</td>
                  <td>{[p.estimated ? 'Estimated' : humanize(p.read.readType), ...p.read.exceptions.map((e) => `${humanize(e.code)} (${e.status})`)].join(' · ')}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </details>
      </figcaption>
    </figure>
  );
}
