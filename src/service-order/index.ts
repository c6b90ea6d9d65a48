/** Service orders: move-in, move-out, transfer, meter exchange, test, check read, disconnect, reconnect, tamper (C2). */
export * as serviceOrders from './service.ts';
export { completeOrder, overrideOrder, setDisconnectGuard, type CompletionResult, type DisconnectGuard } from './complete.ts';
export type { FieldData, OrderFinding, CheckCode } from './checks.ts';
export type { ServiceOrder, ServiceOrderListItem, OrderRequest, NewOrder } from './service.ts';
export type { ServiceOrderTables } from './repository.ts';
export { registerServiceOrderRoutes } from './routes.ts';
export { workListFor } from './work-list-service.ts';
