/** Premises (service addresses), service points, meters and installations, service agreements (C1). */
export { registerPremiseRoutes, AccountServiceSchema, AgreementSchema, MeterSchema } from './routes.ts';
export * as premises from './service.ts';
export type { AccountService, Agreement, Installation, LandlordAgreement, Meter, Premise, PremiseDetail, Service, ServicePoint } from './service.ts';
export type { PremiseTables } from './repository.ts';
