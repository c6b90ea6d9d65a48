/**
 * Customer protections' public face (C13): medical notices and certificates, winter protection,
 * the extreme-heat alert calendar, disputed amounts, payment arrangements and their daily review,
 * and the one question the collections run asks before every notice and disconnection.
 */
export * as protections from './service.ts';
export * as arrangements from './arrangements.ts';
export { protectionsOf, heatAlertOn } from './in-force.ts';
export { reviewArrangements } from './arrangements.ts';
export type { Protection, ProtectionKind, ProtectionHold } from './in-force.ts';
export type { Dispute, HeatAlert, MedicalCertificate, MedicalNotice, ProtectionSettings } from './service.ts';
export type { Arrangement, ArrangementKind, ArrangementListItem, ArrangementQuote, ArrangementStanding, ArrangementStatus, Instalment, ReviewResult, WinterProtection, WinterQuote } from './arrangements.ts';
export { registerProtectionRoutes } from './routes.ts';
