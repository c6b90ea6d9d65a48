/** The account page's one-call view, composed from the other contexts. */
export { accountOverview, type AccountOverview } from './service.ts';
export { registerAccountViewRoutes } from './routes.ts';
