/** Bad debt's public face (C14): final accounts, the pre-collection letter, placement with a collection agency, agency collections, recalls, write-offs and balance transfers. */
export * as badDebt from './service.ts';
export type { AccountBadDebt, AgencyCollection, BadDebtSettings, BalanceTransfer, Candidate, CollectionAgency, FinalAccountItem, FinalAccountStep, Placement, PlacementFile, PlacementFileResult, PrecollectionLetter, RecallFile, RecallReason, RemittanceResult, RunResult, WriteOff, WriteOffStatus } from './service.ts';
export { PLACEMENT_FIELDS, DEFAULT_PLACEMENT_COLUMNS, RECALL_COLUMNS } from './placement-file.ts';
export { registerBadDebtRoutes } from './routes.ts';
