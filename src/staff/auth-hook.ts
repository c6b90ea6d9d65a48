import type { FastifyRequest } from 'fastify';
import { roleAllows } from '../platform/actor.ts';
import { AppError } from '../platform/errors.ts';
import type { App, Deps } from '../platform/http/app-types.ts';
import { authenticateApiToken, authenticateSession } from './service.ts';

export const sessionCookie = 'rp_session';
const safeMethods = new Set(['GET', 'HEAD', 'OPTIONS']);

/**
 * Runs before body parsing and validation on every /api route: who is asking (API token or
 * session cookie), is a cookie-borne change carrying its CSRF token, and does the role reach the
 * route's declared access. So an unauthorised call is refused before anything is read or changed.
 */
export function registerAuthHook(app: App, deps: Deps): void {
  app.addHook('onRequest', async (request) => {
    const access = request.routeOptions.config?.access;
    if (access === undefined || access === 'public') return;
    const actor = await identify(request, deps);
    if (!roleAllows(actor.role, access)) {
      throw new AppError('forbidden', `Role ${actor.role} may not ${request.method} ${request.routeOptions.url}: it needs ${describeAccess(access)}`, {
        role: actor.role,
        needs: access,
      });
    }
    request.actor = actor;
  });
}

function describeAccess(access: string): string {
  if (access === 'audit') return 'auditor, supervisor or admin';
  return `${access} or above`;
}

async function identify(request: FastifyRequest, deps: Deps) {
  const authorization = request.headers.authorization;
  if (authorization) {
    const match = /^Bearer\s+(\S+)$/i.exec(authorization);
    const actor = match ? await authenticateApiToken(deps.db, deps.clock, match[1]!) : null;
    if (!actor) throw new AppError('unauthenticated', 'The API token is unknown, revoked or expired');
    return actor;
  }
  const token = request.cookies[sessionCookie];
  const identity = token ? await authenticateSession(deps.db, deps.clock, token) : null;
  if (!identity) throw new AppError('unauthenticated', 'Sign in first: no valid session or API token');
  if (!safeMethods.has(request.method) && request.headers['x-csrf-token'] !== identity.csrfToken) {
    throw new AppError('forbidden', 'The X-CSRF-Token header is missing or does not match the session', { header: 'x-csrf-token' });
  }
  return identity.actor;
}
