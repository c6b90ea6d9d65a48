import { useId, type ReactNode } from 'react';
import type { ApiError } from '../api.ts';
import { namesField } from './forms.tsx';

/**
 * The list of matches under a search field (premises by address, meters by serial): a fieldset of
 * radios with a live status line (what to type, looking, none, how many) and the server's error
 * about the field the choice feeds.
 */
export function ChoiceFieldset<T extends { id: number }>({ legend, testId, radioName, searching, idle, none, counted, more, search, items, value, onChange, renderItem, error, field }: {
  legend: string;
  testId: string;
  radioName: string;
  /** Enough has been typed to search. */
  searching: boolean;
  /** What the status says before a search. */
  idle: ReactNode;
  /** What it says when nothing matches. */
  none: ReactNode;
  /** `1 premise` / `3 premises`. */
  counted: (n: number) => string;
  /** What it adds when more match than are listed. */
  more: string;
  search: { error: Error | null; loading: boolean; data: { next: number | null } | undefined | null };
  items: T[];
  value: T | null;
  onChange: (item: T) => void;
  renderItem: (item: T) => ReactNode;
  error: ApiError | null;
  field: string | readonly string[];
}) {
  const listId = useId();
  const invalid = namesField(error, field);
  return (
    <fieldset className={`meter-choices field-wide${invalid ? ' field-invalid' : ''}`} aria-describedby={invalid ? `${listId}-msg` : undefined} data-testid={testId}>
      <legend>{legend}</legend>
      <div role="status" aria-live="polite" className="meter-choices-status">
        {!searching ? (
          idle
        ) : search.error ? (
          <span className="field-message">{search.error.message}</span>
        ) : search.loading && items.length === 0 ? (
          <span className="muted">Looking…</span>
        ) : items.length === 0 ? (
          <span className="muted">{none}</span>
        ) : (
          <span className="muted">{counted(items.length)}{search.data && search.data.next !== null ? `; ${more}` : ''}</span>
        )}
      </div>
      {items.length > 0 && (
        <ul className="plain-list meter-choice-list">
          {items.map((item) => (
            <li key={item.id}>
              <label className="meter-choice">
                <input type="radio" name={radioName} value={item.id} checked={value?.id === item.id} onChange={() => onChange(item)} />
                {renderItem(item)}
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
  );
}
