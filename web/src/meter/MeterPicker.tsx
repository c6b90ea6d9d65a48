import { useEffect, useState } from 'react';
import { api, type ApiError } from '../api.ts';
import { ChoiceFieldset } from '../components/ChoiceFieldset.tsx';
import { TextField } from '../components/forms.tsx';
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
      <ChoiceFieldset
        legend={legend}
        testId="meter-choices"
        radioName={name}
        searching={Boolean(serial)}
        idle={<span className="muted">Type part of the serial to list the meters.</span>}
        none={<>No {kind} meter in stock has a serial starting with “{serial.toUpperCase()}”.</>}
        counted={(n) => (n === 1 ? '1 meter' : `${n} meters`)}
        more="more match: type more of the serial"
        search={search}
        items={meters}
        value={value}
        onChange={onChange}
        renderItem={(m) => (
          <>
            <span className="mono">{m.serial}</span>
            <span className="muted">
              {[m.manufacturer, m.model].filter(Boolean).join(' ') || 'make not recorded'} · {m.dials} dials · × {m.multiplier}{m.size ? ` · ${m.size}` : ''}
            </span>
          </>
        )}
        error={error}
        field={field}
      />
    </>
  );
}
