/**
 * Deceased customers' public face (C15): the case (notified by staff, or opened by an ACH R14/R15
 * return through `deceased.openFromAchReturn`), the estate, creditor claims with their deadline,
 * service transferred to a survivor. It imports no context that imports the payment context.
 */
export * as deceased from './service.ts';
export type { Claim as CreditorClaim, DeceasedCase, DeceasedSettings, Estate, Transfer as SurvivorTransfer, CaseStatus as DeceasedCaseStatus, ClaimStatus } from './service.ts';
export { claimDeadline } from './rules.ts';
export { registerDeceasedRoutes } from './routes.ts';
