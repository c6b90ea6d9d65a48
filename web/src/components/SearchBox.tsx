import { useEffect, useId, useRef, useState, type KeyboardEvent } from 'react';
import { api, ApiError } from '../api.ts';
import { humanize } from '../format.ts';
import { navigate } from '../router.tsx';
import type { SearchResult } from '../types.ts';

/**
 * The global account search: results as you type (debounced, stale requests cancelled) in an
 * ARIA combobox. Arrow keys move through the results, Enter opens one, Escape closes the list.
 * Press "/" anywhere outside a text field to focus it.
 */

const debounceMs = 150;

const matchLabels: Record<string, string> = { number: 'Account no.', meter: 'Meter', phone: 'Phone', name: 'Name', address: 'Address' };

export function SearchBox() {
  const inputRef = useRef<HTMLInputElement>(null);
  const listId = useId();
  const [query, setQuery] = useState('');
  const [results, setResults] = useState<SearchResult[]>([]);
  const [status, setStatus] = useState<'idle' | 'loading' | 'done' | 'error'>('idle');
  const [error, setError] = useState<string | null>(null);
  const [open, setOpen] = useState(false);
  const [active, setActive] = useState(-1);

  // "/" focuses the search from anywhere but a text field.
  useEffect(() => {
    const onKey = (event: globalThis.KeyboardEvent) => {
      if (event.key !== '/' || event.ctrlKey || event.metaKey || event.altKey) return;
      const target = event.target as HTMLElement | null;
      if (target && (target.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(target.tagName))) return;
      event.preventDefault();
      inputRef.current?.focus();
      inputRef.current?.select();
    };
    document.addEventListener('keydown', onKey);
    return () => document.removeEventListener('keydown', onKey);
  }, []);

  useEffect(() => {
    const q = query.trim();
    if (!q) {
      setResults([]);
      setStatus('idle');
      setActive(-1);
      return;
    }
    const controller = new AbortController();
    const timer = setTimeout(() => {
      setStatus('loading');
      api.get<{ items: SearchResult[] }>('/search/accounts', { q, limit: 20 }, controller.signal).then(
        (page) => {
          setResults(page.items);
          setActive(page.items.length > 0 ? 0 : -1);
          setStatus('done');
          setError(null);
        },
        (e: unknown) => {
          if (controller.signal.aborted) return;
          setResults([]);
          setActive(-1);
          setStatus('error');
          setError(e instanceof ApiError ? e.message : 'Search failed');
        },
      );
    }, debounceMs);
    return () => {
      clearTimeout(timer);
      controller.abort();
    };
  }, [query]);

  const choose = (result: SearchResult) => {
    setOpen(false);
    setQuery('');
    navigate(`/accounts/${result.accountId}`);
  };

  const onKeyDown = (event: KeyboardEvent<HTMLInputElement>) => {
    if (event.key === 'ArrowDown') {
      event.preventDefault();
      setOpen(true);
      setActive((i) => (results.length ? (i + 1) % results.length : -1));
    } else if (event.key === 'ArrowUp') {
      event.preventDefault();
      setOpen(true);
      setActive((i) => (results.length ? (i <= 0 ? results.length - 1 : i - 1) : -1));
    } else if (event.key === 'Home' && open && results.length) {
      event.preventDefault();
      setActive(0);
    } else if (event.key === 'End' && open && results.length) {
      event.preventDefault();
      setActive(results.length - 1);
    } else if (event.key === 'Enter') {
      const chosen = results[active];
      if (open && chosen) {
        event.preventDefault();
        choose(chosen);
      }
    } else if (event.key === 'Escape') {
      if (open) setOpen(false);
      else setQuery('');
    }
  };

  const showList = open && query.trim().length > 0;
  const activeId = showList && active >= 0 ? `${listId}-${active}` : undefined;

  // Keep the highlighted option in view while arrowing through a long list.
  useEffect(() => {
    if (activeId) document.getElementById(activeId)?.scrollIntoView({ block: 'nearest' });
  }, [activeId]);

  return (
    <div className="search" data-testid="global-search">
      <label htmlFor={`${listId}-input`} className="visually-hidden">
        Search accounts
      </label>
      <input
        ref={inputRef}
        id={`${listId}-input`}
        type="search"
        role="combobox"
        aria-autocomplete="list"
        aria-expanded={showList}
        aria-controls={listId}
        aria-activedescendant={activeId}
        autoComplete="off"
        spellCheck={false}
        placeholder="Search accounts: name, number, address, phone, meter   ( / )"
        value={query}
        onChange={(e) => {
          setQuery(e.target.value);
          setOpen(true);
        }}
        onFocus={() => setOpen(true)}
        onBlur={() => setOpen(false)}
        onKeyDown={onKeyDown}
        data-testid="search-input"
      />
      <ul id={listId} role="listbox" aria-label="Matching accounts" className="search-results" hidden={!showList} data-testid="search-results">
        {results.map((r, i) => (
          <li
            key={r.accountId}
            id={`${listId}-${i}`}
            role="option"
            aria-selected={i === active}
            className="search-option"
            // mousedown, not click: keep focus in the input so blur does not close the list first.
            onMouseDown={(e) => {
              e.preventDefault();
              choose(r);
            }}
            onMouseMove={() => setActive(i)}
            data-testid="search-option"
          >
            <span className="search-option-main">
              <span className="search-name">{r.name}</span>
              <span className="search-number">{r.accountNumber}</span>
              <span className={`badge badge-${r.status === 'active' ? 'good' : 'muted'}`}>{humanize(r.status)}</span>
            </span>
            <span className="search-option-sub">
              <span>{r.billingAddress}</span>
              <span className="search-match">
                {matchLabels[r.matchedOn] ?? humanize(r.matchedOn)}: <mark>{r.matched}</mark>
              </span>
            </span>
          </li>
        ))}
        {status === 'loading' && results.length === 0 && (
          <li className="search-empty" role="presentation">
            Searching…
          </li>
        )}
        {status === 'done' && results.length === 0 && (
          <li className="search-empty" role="presentation">
            No account matches “{query.trim()}”
          </li>
        )}
        {status === 'error' && (
          <li className="search-empty" role="presentation">
            {error}
          </li>
        )}
      </ul>
      <span className="visually-hidden" role="status" aria-live="polite">
        {status === 'done' && showList ? `${results.length} account${results.length === 1 ? '' : 's'} found` : ''}
      </span>
    </div>
  );
}
