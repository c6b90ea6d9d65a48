import { useState } from 'react';
import { api } from '../api.ts';
import { BillLines } from '../billing/BillLines.tsx';
import { CheckboxField, clientError, ErrorMessage, optional, SelectField, TextAreaField, TextField, useSubmit } from '../components/forms.tsx';
import { Card, Facts, PageHeader } from '../components/ui.tsx';
import { addDays, daysBetween } from '../dates.ts';
import { formatCents, utilityToday } from '../format.ts';
import { useApi, useQueryFilters } from '../hooks.ts';
import { Link } from '../router.tsx';
import { usageUnits, type QuoteResult, type StoredTariffVersion } from '../types.ts';

type Source = 'loaded' | 'file';

/** `on_peak=300, off_peak=500` (commas, semicolons or new lines between) -> `{on_peak: '300', off_peak: '500'}`. */
export function parseBuckets(text: string): Record<string, string> | null {
  const pairs = text.split(/[,;\n]/).map((p) => p.trim()).filter(Boolean);
  const buckets: Record<string, string> = {};
  for (const pair of pairs) {
    const match = /^([A-Za-z][\w-]*)\s*[=:]\s*(\S+)$/.exec(pair);
    if (!match) return null;
    buckets[match[1]!] = match[2]!;
  }
  return buckets;
}

/** Last month, first day to last day: the default period of a quote. */
function lastMonth(today: string): { from: string; to: string } {
  const firstOfThisMonth = `${today.slice(0, 7)}-01`;
  const to = addDays(firstOfThisMonth, -1);
  return { from: `${to.slice(0, 7)}-01`, to };
}

/**
 * A quote: rate a made-up period with a loaded tariff or a tariff file not yet loaded, and see
 * every line the bill would have with how it was derived. Nothing is stored.
 */
export function QuotePage() {
  const { code: wanted } = useQueryFilters('code');
  const tariffs = useApi('tariffs', (signal) => api.get<{ items: StoredTariffVersion[] }>('/tariffs', undefined, signal));
  const codes = [...new Map((tariffs.data?.items ?? []).map((v) => [v.code, v])).values()].map((v) => ({ value: v.code, label: `${v.code}: ${v.name}` }));
  const [source, setSource] = useState<Source>('loaded');
  const [result, setResult] = useState<{ quote: QuoteResult; from: string; to: string } | null>(null);
  const period = lastMonth(utilityToday());

  const form = useSubmit(async (v) => {
    setResult(null);
    let which: { code: string } | { tariff: unknown };
    if (source === 'loaded') {
      if (!v.code) throw clientError('body.code', 'Choose a tariff');
      which = { code: v.code };
    } else {
      try {
        which = { tariff: JSON.parse(v.tariffJson ?? '') };
      } catch (e) {
        throw clientError('body.tariff', `The tariff file is not JSON: ${(e as Error).message}`);
      }
    }
    const tou = v.tou ? parseBuckets(v.tou) : undefined;
    if (tou === null) throw clientError('body.tou', 'Write each bucket as name=kWh, e.g. on_peak=300, off_peak=500');
    const body = {
      ...which,
      from: v.from,
      to: v.to,
      usage: optional(v.usage?.replace(/,/g, '')),
      usageUnit: optional(v.usageUnit),
      demandKw: optional(v.demandKw),
      tou: tou && Object.keys(tou).length > 0 ? tou : undefined,
      meterSize: optional(v.meterSize),
      partial: v.partial === 'on' ? true : undefined,
      firstBill: v.firstBill === 'on' ? true : undefined,
    };
    setResult({ quote: await api.post<QuoteResult>('/quotes', body), from: v.from ?? '', to: v.to ?? '' });
  });
  const { error } = form;

  return (
    <>
      <PageHeader title="Quote" subtitle="Rate a period with a tariff to see what the bill would be, line by line. Nothing is stored." actions={<Link to="/tariffs" className="button">Rates</Link>} />
      <Card title="What to rate" testId="quote">
        <form onSubmit={form.onSubmit} className="form-grid form-page" noValidate data-testid="quote-form">
          <ErrorMessage error={error} />
          <fieldset className="radio-row field-wide">
            <legend>Tariff</legend>
            <label>
              <input type="radio" name="source" value="loaded" checked={source === 'loaded'} onChange={() => setSource('loaded')} /> A loaded tariff
            </label>
            <label>
              <input type="radio" name="source" value="file" checked={source === 'file'} onChange={() => setSource('file')} /> A tariff file (paste the JSON)
            </label>
          </fieldset>
          {source === 'loaded' ? (
            <SelectField
              key={`${wanted}:${codes.length}`}
              label="Rate code"
              name="code"
              field={['body.code', 'code']}
              error={error}
              options={codes}
              blank={tariffs.data ? (codes.length ? 'Choose a tariff' : 'No tariffs are loaded') : 'Loading…'}
              defaultValue={codes.some((c) => c.value === wanted) ? wanted : ''}
              wide
              required
            />
          ) : (
            <TextAreaField label="Tariff file (JSON)" name="tariffJson" field={['body.tariff', 'tariff']} error={error} rows={8} className="mono" spellCheck={false} wide required placeholder='{"code": "RES-E", "service": "electric", ...}' />
          )}
          <TextField label="From" name="from" type="date" field="body.from" error={error} defaultValue={period.from} required hint="First day of service" />
          <TextField label="To" name="to" type="date" field="body.to" error={error} defaultValue={period.to} required hint="Last day of service (both ends count)" />
          <TextField label="Use" name="usage" field="body.usage" error={error} inputMode="decimal" autoComplete="off" hint="In the meter's unit, e.g. 800" />
          <SelectField label="Use unit" name="usageUnit" field="body.usageUnit" error={error} options={usageUnits.map((u) => ({ value: u, label: u }))} blank="Tariff's own (kWh for electric)" />
          <TextField label="Demand (kW)" name="demandKw" field="body.demandKw" error={error} inputMode="decimal" autoComplete="off" hint="Optional; demand rates" />
          <TextField label="Time-of-use kWh" name="tou" field="body.tou" error={error} autoComplete="off" spellCheck={false} hint="Optional; bucket=kWh pairs, e.g. on_peak=300, off_peak=500" />
          <TextField label="Meter size" name="meterSize" field="body.meterSize" error={error} maxLength={10} autoComplete="off" hint={'Optional; water base charge, e.g. 5/8"'} />
          <div className="field-wide check-pair">
            <CheckboxField label="Partial period (move-in or move-out)" name="partial" />
            <CheckboxField label="First bill (one-time charges)" name="firstBill" />
          </div>
          <div className="form-actions">
            <button type="submit" className="button-primary" disabled={form.busy} data-testid="get-quote">
              {form.busy ? 'Rating…' : 'Get quote'}
            </button>
          </div>
        </form>
      </Card>
      {result && (
        <Card title={`Quote: ${result.quote.tariff}, ${result.from} to ${result.to}`} testId="quote-result" actions={<strong className="quote-total" data-testid="quote-total">{formatCents(result.quote.totalCents)}</strong>}>
          <Facts
            items={[
              ['Tariff', <Link to={`/tariffs/${encodeURIComponent(result.quote.tariff)}`} className="mono">{result.quote.tariff}</Link>],
              ['Days', daysBetween(result.from, result.to) + 1],
              ['Lines', result.quote.lines.length],
              ['Total', formatCents(result.quote.totalCents)],
              ...(result.quote.billingDemandKw ? [['Billing demand', `${result.quote.billingDemandKw} kW`] as [string, string]] : []),
              ...(result.quote.bankedKwh ? [['Banked credit carried', `${result.quote.bankedKwh} kWh`] as [string, string]] : []),
            ]}
          />
          <h3 className="subheading">Lines</h3>
          <BillLines lines={result.quote.lines} totalCents={result.quote.totalCents} periodFrom={result.from} periodTo={result.to} testId="quote-lines" />
        </Card>
      )}
    </>
  );
}
