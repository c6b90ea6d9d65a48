import { useCallback, useEffect, useRef, useState } from 'react';
import { api, ApiError, type Query } from './api.ts';
import { useLocation } from './router.tsx';
import type { Page } from './types.ts';

export interface Loaded<T> {
  data: T | undefined;
  error: ApiError | null;
  loading: boolean;
  /** Fetch again (after a change), keeping the current data on screen meanwhile. */
  reload(): void;
}

/**
 * Runs `load` whenever `key` changes, cancelling the request it replaces, so a slow answer to an
 * old filter never overwrites the answer to the new one.
 */
export function useApi<T>(key: string, load: (signal: AbortSignal) => Promise<T>): Loaded<T> {
  const [state, setState] = useState<{ key: string; data: T | undefined; error: ApiError | null; loading: boolean }>({ key, data: undefined, error: null, loading: true });
  const [generation, setGeneration] = useState(0);
  const loadRef = useRef(load);
  loadRef.current = load;

  useEffect(() => {
    const controller = new AbortController();
    setState((s) => ({ key, data: s.key === key ? s.data : undefined, error: null, loading: true }));
    loadRef.current(controller.signal).then(
      (data) => setState({ key, data, error: null, loading: false }),
      (error: unknown) => {
        if (controller.signal.aborted) return;
        const e = error instanceof ApiError ? error : new ApiError(0, 'client', (error as Error).message);
        setState({ key, data: undefined, error: e, loading: false });
      },
    );
    return () => controller.abort();
  }, [key, generation]);

  const reload = useCallback(() => setGeneration((g) => g + 1), []);
  const current = state.key === key;
  return { data: current ? state.data : undefined, error: current ? state.error : null, loading: !current || state.loading, reload };
}

/**
 * Cursor paging for lists that answer `{items, next}`: a stack of the cursors of the pages seen,
 * so "Previous" goes back without the API having to page backwards.
 */
export function useCursorStack(resetKey: string) {
  const [stack, setStack] = useState<{ key: string; cursors: (number | undefined)[] }>({ key: resetKey, cursors: [undefined] });
  const cursors = stack.key === resetKey ? stack.cursors : [undefined];
  return {
    cursor: cursors[cursors.length - 1],
    pageNumber: cursors.length,
    older: (next: number) => setStack({ key: resetKey, cursors: [...cursors, next] }),
    newer: () => setStack({ key: resetKey, cursors: cursors.length > 1 ? cursors.slice(0, -1) : cursors }),
    first: () => setStack({ key: resetKey, cursors: [undefined] }),
  };
}

/** A list page's filters, read from the URL's query string (`''` where a filter is not set). */
export function useQueryFilters<K extends string>(...names: K[]): Record<K, string> {
  const { query } = useLocation();
  return Object.fromEntries(names.map((name) => [name, query.get(name) ?? ''])) as Record<K, string>;
}

export interface PagedQuery<T> extends Loaded<Page<T>> {
  /** Changes with the filters: key the filter form with it, so its inputs show the filters in force. */
  filterKey: string;
  pageNumber: number;
  /** Back one page. */
  newer(): void;
  /** On one page (when there is a next one). */
  older(): void;
}

/**
 * A cursor-paged list (`GET path?filters&limit&after|before` answering `{items, next}`): the page
 * shown starts again at the first whenever the filters change.
 */
export function usePagedQuery<T>(path: string, filters: Query, options: { limit: number; cursor?: 'after' | 'before' }): PagedQuery<T> {
  const { limit, cursor = 'after' } = options;
  const filterKey = `${path}?${JSON.stringify(filters)}`;
  const pages = useCursorStack(filterKey);
  const list = useApi(`${filterKey}:${pages.cursor ?? ''}`, (signal) => api.get<Page<T>>(path, { ...filters, limit, [cursor]: pages.cursor }, signal));
  const next = list.data?.next ?? null;
  return {
    ...list,
    filterKey,
    pageNumber: pages.pageNumber,
    newer: pages.newer,
    older: () => {
      if (next !== null) pages.older(next);
    },
  };
}

/** Sets document.title for the page shown. */
export function useTitle(title: string | undefined): void {
  useEffect(() => {
    document.title = title ? `${title} · Ratepayer` : 'Ratepayer';
  }, [title]);
}

/** `value`, once it has stood still for `ms` (for look-ups as you type). */
export function useDebounced<T>(value: T, ms: number): T {
  const [settled, setSettled] = useState(value);
  useEffect(() => {
    const timer = setTimeout(() => setSettled(value), ms);
    return () => clearTimeout(timer);
  }, [value, ms]);
  return settled;
}
