/** Credit and collections' public face (C13-C15), begun: the delinquency schedule and the rules of the protections. */
export * as collections from './service.ts';
export * as collectionRules from './rules.ts';
export { registerCollectionsRoutes } from './routes.ts';
