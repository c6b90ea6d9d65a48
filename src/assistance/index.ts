/** Energy assistance's public face (C12): agencies, programs, pledges, agency payments, the review and the report, and the questions collections and budget billing ask. */
export * as assistance from './service.ts';
export { pledgeHoldsCollection, assistanceEligible } from './service.ts';
export type { Agency, AgencyPayment, AgencyPaymentItemResult, AssistanceSettings, ImportResult, Pledge, PledgeFlag, PledgeHold, PledgeStatus, Program, ProgramReport, ReportRow, ReviewResult } from './service.ts';
export type { AssistanceTables } from './repository.ts';
export { registerAssistanceRoutes, PledgeSchema } from './routes.ts';
