import { useId, useState } from 'react';
import { api, type ApiError } from '../api.ts';
import { addressLine, humanize } from '../format.ts';
import { useApi, useDebounced } from '../hooks.ts';
import type { Page, Premise } from '../types.ts';
import { namesField, TextField } from './forms.tsx';

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
  const listId = useId();
  const invalid = namesField(error, field);

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
      <fieldset className={`meter-choices field-wide${invalid ? ' field-invalid' : ''}`} aria-describedby={invalid ? `${listId}-msg` : undefined} data-testid="premise-choices">
        <legend>Premise</legend>
        <div role="status" aria-live="polite" className="meter-choices-status">
          {address.length < 2 ? (
            value ? <span className="muted">Chosen: {addressLine(value.address)}</span> : <span className="muted">Type part of the address to list the premises.</span>
          ) : search.error ? (
            <span className="field-message">{search.error.message}</span>
          ) : search.loading && premises.length === 0 ? (
            <span className="muted">Looking…</span>
          ) : premises.length === 0 ? (
            <span className="muted">No premise address contains “{address}”.</span>
          ) : (
            <span className="muted">{premises.length === 1 ? '1 premise' : `${premises.length} premises`}{search.data && search.data.next !== null ? '; more match: type more of the address' : ''}</span>
          )}
        </div>
        {premises.length > 0 && (
          <ul className="plain-list meter-choice-list">
            {premises.map((p) => (
              <li key={p.id}>
                <label className="meter-choice">
                  <input type="radio" name="premiseId" value={p.id} checked={value?.id === p.id} onChange={() => onChange(p)} />
                  <span>{addressLine(p.address)}</span>
                  <span className="muted">{humanize(p.premiseType)} · {p.area} · premise {p.id}</span>
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
