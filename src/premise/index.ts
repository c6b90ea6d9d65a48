/** Premises (service addresses), service points, meters and installations, service agreements (C1). */
export { registerPremiseRoutes, AccountServiceSchema } from './routes.ts';
export * as premises from './service.ts';
export type { AccountService, Agreement, Installation, Meter, Premise, PremiseDetail, ServicePoint } from './service.ts';
export type { PremiseTables } from './repository.ts';
