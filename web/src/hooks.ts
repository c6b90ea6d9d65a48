import { useCallback, useEffect, useRef, useState } from 'react';
import { ApiError } from './api.ts';

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

/** Sets document.title for the page shown. */
export function useTitle(title: string | undefined): void {
  useEffect(() => {
    document.title = title ? `${title} · Ratepayer` : 'Ratepayer';
  }, [title]);
}
