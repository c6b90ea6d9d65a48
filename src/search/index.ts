/** Account search: the read model behind the search box (by number, name, address, phone, meter). */
export { findAccounts, type AccountSearchResult } from './service.ts';
export { registerSearchRoutes } from './routes.ts';
