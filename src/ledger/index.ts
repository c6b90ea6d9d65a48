/** The ledger context's public face: immutable account entries, balances, adjustments and reversals. */
export * as ledger from './service.ts';
export type { LedgerEntry } from './service.ts';
export { registerLedgerRoutes, LedgerEntrySchema } from './routes.ts';
