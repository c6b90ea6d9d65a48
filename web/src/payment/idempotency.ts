/**
 * A fresh idempotency key for one filling of a form: sent with the POST, so a double click (or a
 * retry after a lost answer) posts once; the form takes a new key once its payment is taken.
 */
export const newIdempotencyKey = (): string =>
  typeof crypto !== 'undefined' && 'randomUUID' in crypto ? crypto.randomUUID() : `pay-${Date.now()}-${Math.random().toString(36).slice(2)}`;
