import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { roleAllows, roles, type Access } from '../../src/platform/actor.ts';
import { createTestApi, type TestApi } from '../support/api.ts';
import { snapshotAllTables } from '../support/snapshot.ts';

// Walks every operation in the OpenAPI document: without sign-in each is refused (401), each role
// without the right is refused (403), and none of those refusals changes any data.
let api: TestApi;
let operations: { method: string; path: string; url: string; access: Access }[];

beforeAll(async () => {
  api = await createTestApi();
  const doc = (await api.anonymous.get('/api/openapi.json')).json();
  operations = [];
  for (const [path, methods] of Object.entries<Record<string, { 'x-access'?: Access }>>(doc.paths)) {
    for (const [method, op] of Object.entries(methods)) {
      const url = path.replace(/\{accountNumber\}/g, '100000009').replace(/\{\w+\}/g, '1');
      operations.push({ method: method.toUpperCase(), path, url, access: op['x-access']! });
    }
  }
});
afterAll(() => api.close());

describe('every route in the OpenAPI document', () => {
  it('declares its access level', () => {
    expect(operations.length).toBeGreaterThan(40);
    for (const op of operations) expect(op.access, `${op.method} ${op.path}`).toBeDefined();
    expect(operations.filter((o) => o.access === 'public').map((o) => `${o.method} ${o.path}`).sort()).toEqual([
      'GET /api/v1/health',
      'POST /api/v1/auth/login',
    ]);
  });

  it('refuses a call without sign-in, and a role without the right, changing nothing', async () => {
    const before = await snapshotAllTables(api.runtime.db);
    let refusals = 0;
    for (const op of operations.filter((o) => o.access !== 'public')) {
      const anonymous = await api.anonymous.request(op.method, op.url, op.method === 'GET' ? undefined : {});
      expect(anonymous.statusCode, `anonymous ${op.method} ${op.path}`).toBe(401);
      expect(anonymous.json()).toMatchObject({ code: 'unauthenticated' });
      for (const role of roles) {
        if (roleAllows(role, op.access)) continue;
        const res = await api.as[role].request(op.method, op.url, op.method === 'GET' ? undefined : {});
        expect(res.statusCode, `${role} ${op.method} ${op.path}`).toBe(403);
        expect(res.json()).toMatchObject({ code: 'forbidden', details: { role, needs: op.access } });
        refusals++;
      }
    }
    expect(refusals).toBeGreaterThan(50);
    // Sign-ins of the test users are the only writes so far; refusals added nothing.
    expect(await snapshotAllTables(api.runtime.db)).toEqual(before);
  });

  it('lets each role through where it has the right (it may still be a 400 or 404)', async () => {
    for (const op of operations.filter((o) => o.access !== 'public' && o.method === 'GET')) {
      for (const role of roles) {
        if (!roleAllows(role, op.access)) continue;
        const res = await api.as[role].get(op.url);
        expect([401, 403], `${role} ${op.method} ${op.path} gave ${res.statusCode}`).not.toContain(res.statusCode);
      }
    }
  });
});

describe('role ladder', () => {
  it('keeps the auditor read-only and orders the write roles', () => {
    expect(roleAllows('auditor', 'read')).toBe(true);
    expect(roleAllows('auditor', 'audit')).toBe(true);
    expect(roleAllows('auditor', 'csr1')).toBe(false);
    expect(roleAllows('csr1', 'audit')).toBe(false);
    expect(roleAllows('csr1', 'csr2')).toBe(false);
    expect(roleAllows('csr2', 'csr1')).toBe(true);
    expect(roleAllows('supervisor', 'csr2')).toBe(true);
    expect(roleAllows('supervisor', 'admin')).toBe(false);
    expect(roleAllows('admin', 'supervisor')).toBe(true);
  });
});
