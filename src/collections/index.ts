/** Credit and collections' public face (C13): the delinquency schedule, the daily collections run, its settings and screens. */
import { setDisconnectGuard } from '../service-order/index.ts';
import { disconnectRefusal } from './service.ts';

export * as collections from './service.ts';
export * as collectionRules from './rules.ts';
export { registerCollectionsRoutes } from './routes.ts';
export type { CollectionsRunResult } from './run.ts';

// A collections disconnect order is worked only if the rules still allow it on the day.
setDisconnectGuard(disconnectRefusal);
