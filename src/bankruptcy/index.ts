/** Bankruptcy's public face (C15): cases, the pre-/post-petition split, the stay the collections run honours (`bankruptcy.staysOf`), adequate assurance, discharge and dismissal. */
export * as bankruptcy from './service.ts';
export type { BankruptcyCase, BankruptcySettings, CaseAccount as BankruptcyCaseAccount, CaseStatus as BankruptcyCaseStatus, OpenCaseInput as OpenBankruptcyCaseInput, AssuranceState, Split as PrePetitionSplit } from './service.ts';
export { staysOf } from './service.ts';
export { prePetitionSplit } from './rules.ts';
export { registerBankruptcyRoutes } from './routes.ts';
