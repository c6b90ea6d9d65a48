import { useEffect, useId, useState } from 'react';
import { api, type ApiError } from '../api.ts';
import { namesField, TextField } from '../components/forms.tsx';
import { useApi, useDebounced } from '../hooks.ts';
import type { Meter, Page } from '../types.ts';

const noMatches: Page<Meter> = { items: [], next: null };

/**
 * Picks a meter in stock of a kind: staff type the first characters of the serial and choose
 * among the matches (the only match is chosen at once). The radios are named `name`.
 */
export function MeterPicker({ kind, value, onChange, error, field = 'meterId', name = 'meterId', serialLabel = 'Meter serial', legend = 'Meter in stock', autoFocus }: {
  kind: 'electric' | 'water' | 'fiber' | undefined;
  value: Meter | null;
  onChange(meter: Meter | null): void;
  error: ApiError | null;
  /** The API field the choice feeds, for the server's error about it. */
  field?: string | readonly string[];
  name?: string;
  serialLabel?: string;
  legend?: string;
  autoFocus?: boolean;
}) {
  const [prefix, setPrefix] = useState('');
  const serial = useDebounced(prefix.trim(), 150);
  const search = useApi(`meters-in-stock:${kind}:${serial}`, (signal) =>
    serial && (kind === 'electric' || kind === 'water') ? api.get<Page<Meter>>('/meters', { serial, kind, status: 'in_stock', limit: 20 }, signal) : Promise.resolve(noMatches),
  );
  const meters = search.data?.items ?? [];
  const only = meters.length === 1 ? meters[0]! : null;
  useEffect(() => {
    if (only) onChange(only);
    // Only a new single match chooses; staff may still change their mind afterwards.
  }, [only?.id]);
  const listId = useId();
  const invalid = namesField(error, field);

  return (
    <>
      <TextField
        label={serialLabel}
        name={`${name}SerialPrefix`}
        value={prefix}
        onChange={(e) => setPrefix(e.target.value)}
        autoComplete="off"
        spellCheck={false}
        className="mono"
        hint="The start of the serial is enough"
        autoFocus={autoFocus}
      />
      <fieldset className={`meter-choices field-wide${invalid ? ' field-invalid' : ''}`} aria-describedby={invalid ? `${listId}-msg` : undefined} data-testid="meter-choices">
        <legend>{legend}</legend>
        <div role="status" aria-live="polite" className="meter-choices-status">
          {!serial ? (
            <span className="muted">Type part of the serial to list the meters.</span>
          ) : search.error ? (
            <span className="field-message">{search.error.message}</span>
          ) : search.loading && meters.length === 0 ? (
            <span className="muted">Looking…</span>
          ) : meters.length === 0 ? (
            <span className="muted">No {kind} meter in stock has a serial starting with “{serial.toUpperCase()}”.</span>
          ) : (
            <span className="muted">{meters.length === 1 ? '1 meter' : `${meters.length} meters`}{search.data && search.data.next !== null ? '; more match: type more of the serial' : ''}</span>
          )}
        </div>
        {meters.length > 0 && (
          <ul className="plain-list meter-choice-list">
            {meters.map((m) => (
              <li key={m.id}>
                <label className="meter-choice">
                  <input type="radio" name={name} value={m.id} checked={value?.id === m.id} onChange={() => onChange(m)} />
                  <span className="mono">{m.serial}</span>
                  <span className="muted">
                    {[m.manufacturer, m.model].filter(Boolean).join(' ') || 'make not recorded'} · {m.dials} dials · × {m.multiplier}{m.size ? ` · ${m.size}` : ''}
                  </span>
                </label>
              </li>
            ))}
          </ul>
        )}
        {invalid && error && (
          <span className="field-message" id={`${listId}-msg`}>
            {error.message}
          </span>
        )}
      </fieldset>
    </>
  );
}
