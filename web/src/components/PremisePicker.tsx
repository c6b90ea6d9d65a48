import { useState } from 'react';
import { api, type ApiError } from '../api.ts';
import { addressLine, humanize } from '../format.ts';
import { useApi, useDebounced } from '../hooks.ts';
import type { Page, Premise } from '../types.ts';
import { ChoiceFieldset } from './ChoiceFieldset.tsx';
import { TextField } from './forms.tsx';

const noMatches: Page<Premise> = { items: [], next: null };

/**
 * Finds a premise by part of its address (GET /premises?address=) and lets staff choose one of the
 * matches with the arrow keys (radios named `premiseId`).
 */
export function PremisePicker({ value, onChange, error, field = 'premiseId', autoFocus, label = 'Address of the premise' }: {
  value: Premise | null;
  onChange(premise: Premise | null): void;
  error: ApiError | null;
  field?: string | readonly string[];
  autoFocus?: boolean;
  label?: string;
}) {
  const [typed, setTyped] = useState('');
  const address = useDebounced(typed.trim(), 200);
  const search = useApi(`premise-search:${address}`, (signal) => (address.length >= 2 ? api.get<Page<Premise>>('/premises', { address, limit: 8 }, signal) : Promise.resolve(noMatches)));
  const premises = search.data?.items ?? [];

  return (
    <>
      <TextField
        label={label}
        name="premiseAddress"
        value={typed}
        onChange={(e) => setTyped(e.target.value)}
        autoComplete="off"
        hint="Part of the street address, e.g. 1420 Orchard"
        autoFocus={autoFocus}
        wide
      />
      <ChoiceFieldset
        legend="Premise"
        testId="premise-choices"
        radioName="premiseId"
        searching={address.length >= 2}
        idle={value ? <span className="muted">Chosen: {addressLine(value.address)}</span> : <span className="muted">Type part of the address to list the premises.</span>}
        none={<>No premise address contains “{address}”.</>}
        counted={(n) => (n === 1 ? '1 premise' : `${n} premises`)}
        more="more match: type more of the address"
        search={search}
        items={premises}
        value={value}
        onChange={onChange}
        renderItem={(p) => (
          <>
            <span>{addressLine(p.address)}</span>
            <span className="muted">{humanize(p.premiseType)} · {p.area} · premise {p.id}</span>
          </>
        )}
        error={error}
        field={field}
      />
    </>
  );
}
