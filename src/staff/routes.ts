import { Type } from 'typebox';
import { AuditPage, auditPaging, auditTrail } from '../audit/index.ts';
import { roles } from '../platform/actor.ts';
import type { App, Deps } from '../platform/http/app-types.ts';
import { actorOf, IdParams, Page, PageQuery, Reason, toPage } from '../platform/http/schemas.ts';
import { sessionCookie } from './auth-hook.ts';
import { LoginRateLimit } from './login-rate-limit.ts';
import * as staff from './service.ts';

const RoleSchema = Type.Enum(roles);
const User = Type.Object({
  id: Type.Integer(),
  username: Type.String(),
  displayName: Type.String(),
  role: RoleSchema,
  active: Type.Boolean(),
  lockedUntil: Type.Union([Type.String(), Type.Null()]),
  lastLoginAt: Type.Union([Type.String(), Type.Null()]),
  createdAt: Type.String(),
});
const ApiToken = Type.Object({
  id: Type.Integer(),
  userId: Type.Integer(),
  name: Type.String(),
  prefix: Type.String(),
  createdAt: Type.String(),
  lastUsedAt: Type.Union([Type.String(), Type.Null()]),
  expiresAt: Type.Union([Type.String(), Type.Null()]),
  revokedAt: Type.Union([Type.String(), Type.Null()]),
});
const Username = Type.String({ pattern: '^[a-z0-9._-]{2,40}$', description: 'Lower-case letters, digits, . _ -' });
const tags = ['staff'];

export function registerStaffRoutes(app: App, deps: Deps): void {
  const { db, clock, config } = deps;
  const rateLimit = new LoginRateLimit();

  app.post('/api/v1/auth/login', {
    config: { access: 'public' },
    schema: {
      tags,
      summary: 'Sign in with username and password; sets the session cookie',
      body: Type.Object({ username: Type.String({ minLength: 1, maxLength: 40 }), password: Type.String({ minLength: 1, maxLength: 200 }) }, { additionalProperties: false }),
      response: { 200: Type.Object({ user: User, csrfToken: Type.String(), timeZone: Type.String({ description: "The utility's time zone, for showing timestamps" }) }) },
    },
  }, async (request, reply) => {
    rateLimit.check(request.ip, clock.now().getTime());
    const result = await staff.login(db, clock, request.body.username.trim().toLowerCase(), request.body.password, request.ip);
    reply.setCookie(sessionCookie, result.sessionToken, {
      path: '/',
      httpOnly: true,
      sameSite: 'strict',
      secure: config.secureCookies,
      expires: result.expiresAt,
    });
    return { user: result.user, csrfToken: result.csrfToken, timeZone: config.timeZone };
  });

  app.post('/api/v1/auth/logout', {
    config: { access: 'read' },
    schema: { tags, summary: 'Sign out: ends the session', response: { 204: Type.Null() } },
  }, async (request, reply) => {
    const token = request.cookies[sessionCookie];
    if (token) await staff.logout(db, token);
    reply.clearCookie(sessionCookie, { path: '/' });
    return reply.status(204).send(null);
  });

  app.get('/api/v1/auth/me', {
    config: { access: 'read' },
    schema: { tags, summary: 'The signed-in user and, for a browser session, its CSRF token', response: { 200: Type.Object({ user: User, csrfToken: Type.Union([Type.String(), Type.Null()]), timeZone: Type.String() }) } },
  }, async (request) => {
    const actor = actorOf(request);
    const token = request.cookies[sessionCookie];
    const session = token && !request.headers.authorization ? await staff.authenticateSession(db, clock, token) : null;
    return { user: await staff.getUser(db, actor.userId!), csrfToken: session?.csrfToken ?? null, timeZone: config.timeZone };
  });

  app.get('/api/v1/users', {
    config: { access: 'admin' },
    schema: { tags, summary: 'List staff users', querystring: Type.Object(PageQuery, { additionalProperties: false }), response: { 200: Page(User) } },
  }, async (request) => {
    const limit = request.query.limit ?? 50;
    return toPage(await staff.listUsers(db, request.query.after ?? 0, limit + 1), limit);
  });

  app.post('/api/v1/users', {
    config: { access: 'admin' },
    schema: {
      tags,
      summary: 'Add a staff user',
      body: Type.Object({ username: Username, displayName: Type.String({ minLength: 1, maxLength: 100 }), role: RoleSchema, password: Type.String({ minLength: 1, maxLength: 200 }), reason: Type.Optional(Reason) }, { additionalProperties: false }),
      response: { 201: User },
    },
  }, async (request, reply) => {
    const { reason, ...input } = request.body;
    return reply.status(201).send(await staff.createUser(db, actorOf(request), input, reason));
  });

  app.get('/api/v1/users/:id', {
    config: { access: 'admin' },
    schema: { tags, summary: 'One staff user', params: IdParams, response: { 200: User } },
  }, async (request) => staff.getUser(db, request.params.id));

  app.patch('/api/v1/users/:id', {
    config: { access: 'admin' },
    schema: {
      tags,
      summary: 'Change a staff user: name, role, active, password',
      params: IdParams,
      body: Type.Object({ displayName: Type.Optional(Type.String({ minLength: 1, maxLength: 100 })), role: Type.Optional(RoleSchema), active: Type.Optional(Type.Boolean()), password: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })), reason: Reason }, { additionalProperties: false }),
      response: { 200: User },
    },
  }, async (request) => {
    const { reason, ...patch } = request.body;
    return staff.updateUser(db, actorOf(request), request.params.id, patch, reason);
  });

  app.post('/api/v1/users/:id/unlock', {
    config: { access: 'admin' },
    schema: { tags, summary: 'Lift a sign-in lockout', params: IdParams, body: Type.Object({ reason: Reason }, { additionalProperties: false }), response: { 200: User } },
  }, async (request) => staff.unlockUser(db, actorOf(request), request.params.id, request.body.reason));

  app.get('/api/v1/api-tokens', {
    config: { access: 'admin' },
    schema: { tags, summary: 'List API tokens (never the tokens themselves)', querystring: Type.Object(PageQuery, { additionalProperties: false }), response: { 200: Page(ApiToken) } },
  }, async (request) => {
    const limit = request.query.limit ?? 50;
    return toPage(await staff.listApiTokens(db, request.query.after ?? 0, limit + 1), limit);
  });

  app.post('/api/v1/api-tokens', {
    config: { access: 'admin' },
    schema: {
      tags,
      summary: 'Make an API token for an integration; the token is shown in this response only',
      body: Type.Object({ userId: Type.Integer({ minimum: 1 }), name: Type.String({ minLength: 1, maxLength: 100 }), expiresAt: Type.Optional(Type.String({ format: 'date-time' })), reason: Type.Optional(Reason) }, { additionalProperties: false }),
      response: { 201: Type.Object({ token: Type.String(), apiToken: ApiToken }) },
    },
  }, async (request, reply) => {
    const { reason, expiresAt, ...input } = request.body;
    const made = await staff.createApiToken(db, actorOf(request), { ...input, expiresAt: expiresAt ? new Date(expiresAt) : null }, reason);
    return reply.status(201).send(made);
  });

  app.post('/api/v1/api-tokens/:id/revoke', {
    config: { access: 'admin' },
    schema: { tags, summary: 'Revoke an API token', params: IdParams, body: Type.Object({ reason: Reason }, { additionalProperties: false }), response: { 200: ApiToken } },
  }, async (request) => staff.revokeApiToken(db, actorOf(request), clock, request.params.id, request.body.reason));
}

export function registerStaffAuditRoutes(app: App, { db }: Deps): void {
  app.get('/api/v1/users/:id/audit', {
    config: { access: 'audit' },
    schema: { tags: ['audit'], summary: 'Everything one staff user did, newest first', params: IdParams, querystring: Type.Object(auditPaging, { additionalProperties: false }), response: { 200: AuditPage } },
  }, async (request) => {
    await staff.getUser(db, request.params.id);
    return auditTrail(db, { userId: request.params.id, before: request.query.before, limit: request.query.limit ?? 50 });
  });
}
