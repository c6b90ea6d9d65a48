/** The billing context's public face: the schedule, the billing run, bills and their exceptions. */
export * as billing from './service.ts';
export type { Bill, HeldBill, ScheduleItem } from './service.ts';
export { runBilling, type RunSummary } from './run.ts';
export { registerBillingRoutes, BillSchema } from './routes.ts';
export * as schedules from './schedule.ts';
export { billPdf, runPrintFile, statementOfBill } from './statement-service.ts';
export type { BillExceptionCode, BillFinding } from './validation.ts';
