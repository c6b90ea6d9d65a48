/**
 * The fetch client. The session lives in an httpOnly cookie; the CSRF token the server hands out
 * at sign-in (or from /auth/me) is kept in memory only and sent as X-CSRF-Token on every change.
 */

/** An error answer of the API: `{code, message, details}`; `field` names the input at fault. */
export class ApiError extends Error {
  readonly status: number;
  readonly code: string;
  readonly details: Record<string, unknown>;

  constructor(status: number, code: string, message: string, details: Record<string, unknown> = {}) {
    super(message);
    this.name = 'ApiError';
    this.status = status;
    this.code = code;
    this.details = details;
  }

  /** The field the server named, e.g. `body.billingAddress.postalCode`. */
  get field(): string | undefined {
    return typeof this.details.field === 'string' ? this.details.field : undefined;
  }
}

let csrfToken: string | null = null;
const unauthenticatedListeners = new Set<() => void>();

export function setCsrfToken(token: string | null): void {
  csrfToken = token;
}

/** Called when any request comes back 401: the session ended, show the sign-in page. */
export function onUnauthenticated(listener: () => void): () => void {
  unauthenticatedListeners.add(listener);
  return () => unauthenticatedListeners.delete(listener);
}

type QueryValue = string | number | boolean | null | undefined;
/** Query parameters; an array is sent as the parameter repeated (`status=a&status=b`). */
export type Query = Record<string, QueryValue | readonly QueryValue[]>;

/** `/api/v1` + path + query string, leaving out empty values. */
export function apiUrl(path: string, query: Query = {}): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) {
    for (const one of Array.isArray(value) ? value : [value]) {
      if (one !== undefined && one !== null && one !== '') params.append(key, String(one));
    }
  }
  const qs = params.toString();
  return `/api/v1${path}${qs ? `?${qs}` : ''}`;
}

interface RequestOptions {
  query?: Query;
  body?: unknown;
  /** A file sent as the body itself, with its content type (read files). */
  raw?: { body: Blob; contentType: string };
  signal?: AbortSignal;
  quiet401?: boolean;
}

async function request<T>(method: string, path: string, options: RequestOptions = {}): Promise<T> {
  const headers: Record<string, string> = { accept: 'application/json' };
  if (options.raw) headers['content-type'] = options.raw.contentType;
  else if (options.body !== undefined) headers['content-type'] = 'application/json';
  if (method !== 'GET' && csrfToken) headers['x-csrf-token'] = csrfToken;
  let response: Response;
  try {
    response = await fetch(apiUrl(path, options.query), {
      method,
      headers,
      body: options.raw ? options.raw.body : options.body === undefined ? undefined : JSON.stringify(options.body),
      credentials: 'same-origin',
      signal: options.signal,
    });
  } catch (error) {
    if ((error as Error).name === 'AbortError') throw error;
    throw new ApiError(0, 'network', 'The server could not be reached. Check the connection and try again.');
  }
  if (response.status === 204) return undefined as T;
  const text = await response.text();
  let body: unknown = null;
  try {
    body = text ? JSON.parse(text) : null;
  } catch {
    body = null;
  }
  if (!response.ok) {
    const e = (body ?? {}) as { code?: string; message?: string; details?: Record<string, unknown> };
    const error = new ApiError(response.status, e.code ?? 'http', e.message ?? `${response.status} ${response.statusText}`, e.details ?? {});
    if (response.status === 401 && !options.quiet401) for (const listener of unauthenticatedListeners) listener();
    throw error;
  }
  return body as T;
}

export const api = {
  get: <T>(path: string, query?: Query, signal?: AbortSignal) => request<T>('GET', path, { query, signal }),
  post: <T>(path: string, body: unknown = {}) => request<T>('POST', path, { body }),
  patch: <T>(path: string, body: unknown) => request<T>('PATCH', path, { body }),
  delete: <T>(path: string, body?: unknown) => request<T>('DELETE', path, { body }),
  /** POST a file as the request body (e.g. a read file), with query parameters. */
  upload: <T>(path: string, query: Query, file: Blob, contentType: string) => request<T>('POST', path, { query, raw: { body: file, contentType } }),
  /** Like get, but a 401 is the caller's business (used to restore the session on load). */
  probe: <T>(path: string) => request<T>('GET', path, { quiet401: true }),
  /** Sign-in: a 401 here is a wrong password, not an ended session. */
  login: <T>(body: unknown) => request<T>('POST', '/auth/login', { body, quiet401: true }),
};
