import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loginPolicy } from '../../src/staff/service.ts';
import { createTestApi, signIn, testPassword, type TestApi } from '../support/api.ts';

let api: TestApi;
beforeAll(async () => {
  api = await createTestApi();
});
afterAll(() => api.close());

const login = (username: string, password: string, ip = '10.9.9.9') =>
  api.app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { username, password }, remoteAddress: ip });

describe('sign-in', () => {
  it('answers health without sign-in', async () => {
    const res = await api.anonymous.get('/api/v1/health');
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ status: 'ok', database: 'ok' });
  });

  it('signs in with the right password: an httpOnly SameSite=Strict cookie and a CSRF token', async () => {
    const res = await login('t-csr1', testPassword);
    expect(res.statusCode).toBe(200);
    const cookie = res.cookies.find((c) => c.name === 'rp_session')!;
    expect(cookie.httpOnly).toBe(true);
    expect(cookie.sameSite).toBe('Strict');
    expect(res.json().csrfToken).toMatch(/^[\w-]{20,}$/);
    expect(res.json().user).toMatchObject({ username: 't-csr1', role: 'csr1' });
    expect(res.body).not.toContain('password');
  });

  it('refuses a wrong password or unknown user with 401 and the same message', async () => {
    const wrong = await login('t-csr2', 'not the password');
    const unknown = await login('nobody', 'not the password');
    expect(wrong.statusCode).toBe(401);
    expect(unknown.statusCode).toBe(401);
    expect(wrong.json().message).toBe(unknown.json().message);
  });

  it('locks a user out after repeated failures, even for the right password, until an admin unlocks', async () => {
    for (let i = 0; i < loginPolicy.maxFailures; i++) expect((await login('t-supervisor', 'wrong password!')).statusCode).toBe(401);
    const locked = await login('t-supervisor', testPassword);
    expect(locked.statusCode).toBe(429);
    expect(locked.json()).toMatchObject({ code: 'locked_out' });
    expect(locked.json().details.lockedUntil).toBeDefined();

    const users = (await api.as.admin.get('/api/v1/users')).json().items;
    const supervisor = users.find((u: { username: string }) => u.username === 't-supervisor');
    expect(supervisor.lockedUntil).not.toBeNull();
    const audit = (await api.as.auditor.get(`/api/v1/audit?entityType=staff_user&entityId=${supervisor.id}`)).json().items;
    expect(audit.map((e: { action: string }) => e.action)).toContain('lockout');

    expect((await api.as.admin.post(`/api/v1/users/${supervisor.id}/unlock`, { reason: 'Verified by phone' })).statusCode).toBe(200);
    expect((await login('t-supervisor', testPassword)).statusCode).toBe(200);
  });


  it('rate-limits sign-in attempts from one address', async () => {
    let last = 0;
    for (let i = 0; i < 40 && last !== 429; i++) last = (await login(`nobody${i}`, 'xxxxxxxxxxxx', '10.7.7.7')).statusCode;
    expect(last).toBe(429);
    const res = await login('t-admin', testPassword, '10.7.7.7');
    expect(res.json()).toMatchObject({ code: 'rate_limited' });
  });

  it('validates the sign-in body, naming the field', async () => {
    const res = await api.app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { username: 'x' }, remoteAddress: '10.1.1.1' });
    expect(res.statusCode).toBe(400);
    expect(res.json()).toMatchObject({ code: 'validation', details: { field: 'body.password' } });
  });
});

describe('sessions and CSRF', () => {
  it('refuses a change sent with the cookie but without the CSRF token', async () => {
    const headers = await signIn(api.app, 't-csr1', testPassword);
    const res = await api.app.inject({ method: 'POST', url: '/api/v1/customers', headers: { cookie: headers.cookie! }, payload: { kind: 'person', lastName: 'Nope' } });
    expect(res.statusCode).toBe(403);
    expect(res.json().details).toMatchObject({ header: 'x-csrf-token' });
    const ok = await api.app.inject({ method: 'POST', url: '/api/v1/customers', headers, payload: { kind: 'person', lastName: 'Yes' } });
    expect(ok.statusCode).toBe(201);
  });

  it('ends the session on sign-out', async () => {
    const headers = await signIn(api.app, 't-csr1', testPassword);
    expect((await api.app.inject({ method: 'POST', url: '/api/v1/auth/logout', headers })).statusCode).toBe(204);
    expect((await api.app.inject({ method: 'GET', url: '/api/v1/auth/me', headers })).statusCode).toBe(401);
  });

});

describe('API tokens', () => {
  it('works as a bearer token without CSRF, is stored hashed, and stops working when revoked', async () => {
    const users = (await api.as.admin.get('/api/v1/users')).json().items;
    const csr2 = users.find((u: { username: string }) => u.username === 't-csr2');
    const made = await api.as.admin.post('/api/v1/api-tokens', { userId: csr2.id, name: 'Lockbox import' });
    expect(made.statusCode).toBe(201);
    const { token, apiToken } = made.json();
    expect(token).toMatch(/^rp_/);
    const bearer = { authorization: `Bearer ${token}` };
    const created = await api.app.inject({ method: 'POST', url: '/api/v1/customers', headers: bearer, payload: { kind: 'business', businessName: 'Orchard Co-op' } });
    expect(created.statusCode).toBe(201);
    const listed = (await api.as.admin.get('/api/v1/api-tokens')).json().items;
    expect(JSON.stringify(listed)).not.toContain(token);
    expect((await api.as.admin.post(`/api/v1/api-tokens/${apiToken.id}/revoke`, { reason: 'Vendor changed' })).statusCode).toBe(200);
    const after = await api.app.inject({ method: 'GET', url: '/api/v1/customers', headers: bearer });
    expect(after.statusCode).toBe(401);
  });

  it('refuses an unknown token', async () => {
    const res = await api.app.inject({ method: 'GET', url: '/api/v1/customers', headers: { authorization: 'Bearer rp_nope' } });
    expect(res.statusCode).toBe(401);
  });
});

describe('staff users', () => {
  it('lets an admin add a user, refuses a short password and a duplicate, and audits without the hash', async () => {
    const short = await api.as.admin.post('/api/v1/users', { username: 'newrep', displayName: 'New Rep', role: 'csr1', password: 'short' });
    expect(short.statusCode).toBe(400);
    expect(short.json().details.field).toBe('password');
    const made = await api.as.admin.post('/api/v1/users', { username: 'newrep', displayName: 'New Rep', role: 'csr1', password: 'a long enough password' });
    expect(made.statusCode).toBe(201);
    expect((await api.as.admin.post('/api/v1/users', { username: 'newrep', displayName: 'Again', role: 'csr1', password: 'a long enough password' })).statusCode).toBe(409);
    const id = made.json().id;
    const changed = await api.as.admin.patch(`/api/v1/users/${id}`, { role: 'csr2', reason: 'Promoted after training' });
    expect(changed.json().role).toBe('csr2');
    const trail = (await api.as.auditor.get(`/api/v1/audit?entityType=staff_user&entityId=${id}`)).json().items;
    expect(trail[0]).toMatchObject({ action: 'update', before: { role: 'csr1' }, after: { role: 'csr2' }, reason: 'Promoted after training', username: 't-admin' });
    expect(JSON.stringify(trail)).not.toContain('scrypt');
    const adminId = (await api.as.admin.get('/api/v1/auth/me')).json().user.id;
    const byAdmin = (await api.as.auditor.get(`/api/v1/users/${adminId}/audit`)).json().items;
    expect(byAdmin.some((e: { entityId: string }) => e.entityId === String(id))).toBe(true);
    expect((await api.as.auditor.get('/api/v1/users/99999/audit')).statusCode).toBe(404);
  });
});

// These move the clock a day on, so they run last.
describe('as time passes', () => {
  it('lets the lockout lapse after its time', async () => {
    for (let i = 0; i < loginPolicy.maxFailures; i++) await login('t-csr2', 'wrong password!', '10.0.0.2');
    expect((await login('t-csr2', testPassword, '10.0.0.2')).statusCode).toBe(429);
    api.runtime.clock.advanceDays(1);
    expect((await login('t-csr2', testPassword, '10.0.0.2')).statusCode).toBe(200);
  });

  it('expires a session after its hours', async () => {
    const headers = await signIn(api.app, 't-csr1', testPassword);
    expect((await api.app.inject({ method: 'GET', url: '/api/v1/auth/me', headers })).statusCode).toBe(200);
    api.runtime.clock.advanceDays(1);
    expect((await api.app.inject({ method: 'GET', url: '/api/v1/auth/me', headers })).statusCode).toBe(401);
  });
});
