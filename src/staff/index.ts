/** Staff, roles, sign-in, sessions and API tokens (C21). */
export { registerStaffRoutes, registerStaffAuditRoutes } from './routes.ts';
export { registerAuthHook, sessionCookie } from './auth-hook.ts';
export { createUser, countUsers, findUserByUsername, createApiToken, login, type StaffUser } from './service.ts';
export type { StaffTables } from './repository.ts';
