/** Security deposits' public face (C10): the credit rule, instalments, interest, return and application. */
export * as deposits from './service.ts';
export type { Deposit, DepositEvaluation, DepositRunResult, DepositSettings } from './service.ts';
export { registerDepositRoutes } from './routes.ts';
