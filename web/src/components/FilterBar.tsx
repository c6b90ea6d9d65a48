import type { FormEvent, ReactNode } from 'react';
import { setQuery } from '../router.tsx';

/**
 * Filters of a list page, kept in the URL's query string so back/forward and a shared link show
 * the same list. Inputs are named after the query parameters.
 */
export function FilterBar({ children, label }: { children: ReactNode; label: string }) {
  const onSubmit = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const values: Record<string, string> = {};
    for (const [key, value] of new FormData(event.currentTarget)) if (typeof value === 'string') values[key] = value.trim();
    setQuery(values);
  };
  const onReset = (event: FormEvent<HTMLFormElement>) => {
    event.preventDefault();
    const values: Record<string, null> = {};
    for (const element of Array.from(event.currentTarget.elements)) {
      const name = (element as HTMLInputElement).name;
      if (name) {
        values[name] = null;
        (element as HTMLInputElement).value = '';
      }
    }
    setQuery(values);
  };
  return (
    <form className="filter-bar" role="search" aria-label={label} onSubmit={onSubmit} onReset={onReset}>
      {children}
      <div className="filter-actions">
        <button type="submit" className="button-primary">Filter</button>
        <button type="reset">Clear</button>
      </div>
    </form>
  );
}
