/** The tariff context's public face: rate schedules as versioned data, and the one rating calculation. */
export * as tariffs from './service.ts';
export type { StoredTariffVersion, LoadResult, QuoteInput } from './service.ts';
export { calculateBill } from './rating.ts';
export { parseTariffVersion, TariffVersionSchema } from './schema.ts';
export type * from './types.ts';
export { registerTariffRoutes } from './routes.ts';
