/** The audit trail: every change to customer, money and staff data, with who, when, what and why. */
export { recordChange, auditTrail, changedFields, type AuditChange, type AuditEvent } from './service.ts';
export type { AuditTables } from './repository.ts';
export { registerAuditRoutes, AuditPage, auditPaging } from './routes.ts';
