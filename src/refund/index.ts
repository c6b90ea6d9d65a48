/** Refunds' public face (C11): credit balances, deposits and solar credits paid back through accounts payable. */
export * as refunds from './service.ts';
export type { Refund, RefundExport, RefundSettings } from './service.ts';
export { registerRefundRoutes } from './routes.ts';
