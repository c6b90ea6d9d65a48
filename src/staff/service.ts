import { createHash, randomBytes } from 'node:crypto';
import { recordChange } from '../audit/index.ts';
import type { Actor, Role } from '../platform/actor.ts';
import type { Clock } from '../platform/clock.ts';
import { transact, type Db } from '../platform/db/database.ts';
import { AppError, invalid, notFound } from '../platform/errors.ts';
import { hashPassword, passwordProblem, verifyPassword } from './password.ts';
import * as repo from './repository.ts';

/** Sign-in policy. */
export const loginPolicy = {
  maxFailures: 5,
  lockoutMinutes: 15,
  sessionHours: 12,
};

export interface StaffUser {
  id: number;
  username: string;
  displayName: string;
  role: Role;
  active: boolean;
  lockedUntil: string | null;
  lastLoginAt: string | null;
  createdAt: string;
}

export const toUser = (r: repo.UserRow): StaffUser => ({
  id: r.id,
  username: r.username,
  displayName: r.display_name,
  role: r.role,
  active: r.active,
  lockedUntil: r.locked_until?.toISOString() ?? null,
  lastLoginAt: r.last_login_at?.toISOString() ?? null,
  createdAt: r.created_at.toISOString(),
});

/** What the audit trail keeps of a user: never the password hash. */
const auditView = (u: StaffUser) => ({ username: u.username, displayName: u.displayName, role: u.role, active: u.active });

export const sha256 = (value: string) => createHash('sha256').update(value).digest('hex');
const randomToken = (bytes = 32) => randomBytes(bytes).toString('base64url');

export interface NewUser {
  username: string;
  displayName: string;
  role: Role;
  password: string;
}

export async function createUser(db: Db, actor: Actor, input: NewUser, reason = 'New staff user'): Promise<StaffUser> {
  const problem = passwordProblem(input.password);
  if (problem) throw invalid('password', problem);
  return transact(db, async (trx) => {
    if (await repo.findUserByUsername(trx, input.username)) {
      throw new AppError('conflict', `User ${input.username} already exists`, { field: 'username' });
    }
    const row = await repo.insertUser(trx, {
      username: input.username,
      display_name: input.displayName,
      role: input.role,
      password_hash: await hashPassword(input.password),
    });
    const user = toUser(row);
    await recordChange(trx, actor, { action: 'create', entityType: 'staff_user', entityId: user.id, after: auditView(user), reason });
    return user;
  });
}

export interface UserPatch {
  displayName?: string;
  role?: Role;
  active?: boolean;
  password?: string;
}

export async function updateUser(db: Db, actor: Actor, id: number, patch: UserPatch, reason: string): Promise<StaffUser> {
  if (patch.password !== undefined) {
    const problem = passwordProblem(patch.password);
    if (problem) throw invalid('password', problem);
  }
  return transact(db, async (trx) => {
    const before = await repo.findUserById(trx, id);
    if (!before) throw notFound('User', id);
    const row = await repo.updateUser(trx, id, {
      display_name: patch.displayName,
      role: patch.role,
      active: patch.active,
      password_hash: patch.password === undefined ? undefined : await hashPassword(patch.password),
    });
    // A new password or a deactivation ends the user's open sessions.
    if (patch.password !== undefined || patch.active === false) await repo.deleteSessionsOfUser(trx, id);
    const after = toUser(row);
    const auditAfter: Record<string, unknown> = auditView(after);
    if (patch.password !== undefined) auditAfter.password = 'changed';
    await recordChange(trx, actor, { action: 'update', entityType: 'staff_user', entityId: id, before: auditView(toUser(before)), after: auditAfter, reason });
    return after;
  });
}

export async function unlockUser(db: Db, actor: Actor, id: number, reason: string): Promise<StaffUser> {
  return transact(db, async (trx) => {
    const before = await repo.findUserById(trx, id);
    if (!before) throw notFound('User', id);
    const row = await repo.updateUser(trx, id, { failed_logins: 0, locked_until: null });
    await recordChange(trx, actor, {
      action: 'unlock',
      entityType: 'staff_user',
      entityId: id,
      before: { lockedUntil: before.locked_until?.toISOString() ?? null, failedLogins: before.failed_logins },
      after: { lockedUntil: null, failedLogins: 0 },
      reason,
    });
    return toUser(row);
  });
}

export async function getUser(db: Db, id: number): Promise<StaffUser> {
  const row = await repo.findUserById(db, id);
  if (!row) throw notFound('User', id);
  return toUser(row);
}

export async function listUsers(db: Db, after: number, limit: number): Promise<StaffUser[]> {
  return (await repo.listUsers(db, after, limit)).map(toUser);
}

export interface LoginResult {
  sessionToken: string;
  csrfToken: string;
  expiresAt: Date;
  user: StaffUser;
}

const wrongCredentials = () => new AppError('unauthenticated', 'Wrong username or password');

/**
 * Password sign-in. After `maxFailures` wrong passwords in a row the user is locked out for
 * `lockoutMinutes`; while locked even the right password is refused.
 */
export async function login(db: Db, clock: Clock, username: string, password: string, ip: string | null): Promise<LoginResult> {
  const now = clock.now();
  const user = await repo.findUserByUsername(db, username);
  if (!user) {
    // Spend the same time as a real check so response time does not reveal which names exist.
    await verifyPassword(password, 'scrypt$32768$8$AAAAAAAAAAAAAAAAAAAAAA==$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=');
    throw wrongCredentials();
  }
  const actor: Actor = { userId: user.id, username: user.username, role: user.role };
  if (user.locked_until && user.locked_until > now) {
    throw new AppError('locked_out', `User ${username} is locked out after repeated failed sign-ins until ${user.locked_until.toISOString()}`, {
      lockedUntil: user.locked_until.toISOString(),
    });
  }
  const ok = user.active && (await verifyPassword(password, user.password_hash));
  if (!ok) {
    const failures = user.failed_logins + 1;
    const lock = failures >= loginPolicy.maxFailures;
    await db.transaction().execute(async (trx) => {
      await repo.updateUser(trx, user.id, {
        failed_logins: lock ? 0 : failures,
        locked_until: lock ? new Date(now.getTime() + loginPolicy.lockoutMinutes * 60_000) : user.locked_until,
      });
      await recordChange(trx, actor, {
        action: lock ? 'lockout' : 'login_failed',
        entityType: 'staff_user',
        entityId: user.id,
        reason: lock ? `${failures} failed sign-ins in a row from ${ip ?? 'unknown address'}` : `Failed sign-in from ${ip ?? 'unknown address'}`,
      });
    });
    if (!user.active) throw new AppError('unauthenticated', `User ${username} is deactivated`);
    throw wrongCredentials();
  }
  const sessionToken = randomToken();
  const csrfToken = randomToken(24);
  const expiresAt = new Date(now.getTime() + loginPolicy.sessionHours * 3_600_000);
  const updated = await db.transaction().execute(async (trx) => {
    await repo.deleteExpiredSessions(trx, now);
    await repo.insertSession(trx, { token_hash: sha256(sessionToken), csrf_token: csrfToken, user_id: user.id, expires_at: expiresAt, ip });
    return repo.updateUser(trx, user.id, { failed_logins: 0, locked_until: null, last_login_at: now });
  });
  return { sessionToken, csrfToken, expiresAt, user: toUser(updated) };
}

export async function logout(db: Db, sessionToken: string): Promise<void> {
  await repo.deleteSession(db, sha256(sessionToken));
}

export interface SessionIdentity {
  actor: Actor;
  csrfToken: string;
}

export async function authenticateSession(db: Db, clock: Clock, sessionToken: string): Promise<SessionIdentity | null> {
  const s = await repo.findSession(db, sha256(sessionToken));
  if (!s || !s.active || s.expires_at <= clock.now()) return null;
  return { actor: { userId: s.id, username: s.username, role: s.role }, csrfToken: s.csrf_token };
}

export async function authenticateApiToken(db: Db, clock: Clock, token: string): Promise<Actor | null> {
  const now = clock.now();
  const k = await repo.findApiToken(db, sha256(token));
  if (!k || !k.active || k.revoked_at || (k.expires_at && k.expires_at <= now)) return null;
  await repo.touchApiToken(db, k.token_id, now);
  return { userId: k.id, username: k.username, role: k.role };
}

export interface ApiToken {
  id: number;
  userId: number;
  name: string;
  prefix: string;
  createdAt: string;
  lastUsedAt: string | null;
  expiresAt: string | null;
  revokedAt: string | null;
}

const toToken = (r: repo.ApiTokenRow): ApiToken => ({
  id: r.id,
  userId: r.user_id,
  name: r.name,
  prefix: r.token_prefix,
  createdAt: r.created_at.toISOString(),
  lastUsedAt: r.last_used_at?.toISOString() ?? null,
  expiresAt: r.expires_at?.toISOString() ?? null,
  revokedAt: r.revoked_at?.toISOString() ?? null,
});

/** Makes an API token for an integration; the token itself is returned this once only. */
export async function createApiToken(
  db: Db,
  actor: Actor,
  input: { userId: number; name: string; expiresAt?: Date | null },
  reason = 'New API token',
): Promise<{ token: string; apiToken: ApiToken }> {
  const token = `rp_${randomToken()}`;
  return transact(db, async (trx) => {
    if (!(await repo.findUserById(trx, input.userId))) throw notFound('User', input.userId);
    const row = await repo.insertApiToken(trx, {
      user_id: input.userId,
      name: input.name,
      token_hash: sha256(token),
      token_prefix: token.slice(0, 10),
      created_by: actor.userId,
      expires_at: input.expiresAt ?? null,
    });
    const apiToken = toToken(row);
    await recordChange(trx, actor, { action: 'create', entityType: 'api_token', entityId: row.id, after: { userId: apiToken.userId, name: apiToken.name, prefix: apiToken.prefix }, reason });
    return { token, apiToken };
  });
}

export async function listApiTokens(db: Db, after: number, limit: number): Promise<ApiToken[]> {
  return (await repo.listApiTokens(db, after, limit)).map(toToken);
}

export async function revokeApiToken(db: Db, actor: Actor, clock: Clock, id: number, reason: string): Promise<ApiToken> {
  return transact(db, async (trx) => {
    const before = await repo.findApiTokenById(trx, id);
    if (!before) throw notFound('API token', id);
    const row = await repo.revokeApiToken(trx, id, clock.now());
    await recordChange(trx, actor, { action: 'revoke', entityType: 'api_token', entityId: id, before: { revokedAt: null }, after: { revokedAt: row.revoked_at?.toISOString() }, reason });
    return toToken(row);
  });
}

export const countUsers = repo.countUsers;
export const findUserByUsername = repo.findUserByUsername;
