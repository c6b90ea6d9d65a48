/** Budget billing's public face (C6): plans, their amount, reviews, settle-ups, and the hooks billing calls. */
export * as budget from './service.ts';
export type { BudgetPlan, BudgetEvent, BudgetQuote, BudgetSettings, ReviewResult } from './service.ts';
export { registerBudgetRoutes } from './routes.ts';
