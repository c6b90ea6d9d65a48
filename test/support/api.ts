import type { LightMyRequestResponse } from 'fastify';
import { buildApp } from '../../src/app/build-app.ts';
import { systemActor, type Role } from '../../src/platform/actor.ts';
import type { App } from '../../src/platform/http/app-types.ts';
import { createUser } from '../../src/staff/index.ts';
import { createTestRuntime, type TestRuntime } from './runtime.ts';

export const testPassword = 'correct horse battery';

/** A signed-in browser-like client: session cookie plus CSRF header. */
export interface Client {
  role: Role;
  get(url: string): Promise<LightMyRequestResponse>;
  post(url: string, body?: unknown): Promise<LightMyRequestResponse>;
  patch(url: string, body?: unknown): Promise<LightMyRequestResponse>;
  delete(url: string, body?: unknown): Promise<LightMyRequestResponse>;
  request(method: string, url: string, body?: unknown): Promise<LightMyRequestResponse>;
  /** POST a raw body (a file) with its content type. */
  upload(url: string, body: Buffer | string, contentType: string): Promise<LightMyRequestResponse>;
}

export interface TestApi {
  runtime: TestRuntime;
  app: App;
  /** One signed-in client per role (users `t-<role>`). */
  as: Record<Role, Client>;
  anonymous: Omit<Client, 'role'>;
  /** Signs every role in again (sessions last 12 hours of the test clock; scenarios move it by months). */
  signInAgain(): Promise<void>;
  close(): Promise<void>;
}

const roles: Role[] = ['csr1', 'csr2', 'supervisor', 'admin', 'auditor'];

function client(app: App, headers: Record<string, string>) {
  const request = (method: string, url: string, body?: unknown) =>
    app.inject({ method: method as 'GET', url, headers: { ...headers, ...(body === undefined ? {} : { 'content-type': 'application/json' }) }, payload: body === undefined ? undefined : JSON.stringify(body) });
  return {
    request,
    get: (url: string) => request('GET', url),
    post: (url: string, body?: unknown) => request('POST', url, body ?? {}),
    patch: (url: string, body?: unknown) => request('PATCH', url, body ?? {}),
    delete: (url: string, body?: unknown) => request('DELETE', url, body),
    upload: (url: string, body: Buffer | string, contentType: string) =>
      app.inject({ method: 'POST', url, headers: { ...headers, 'content-type': contentType }, payload: body }),
  };
}

export async function signIn(app: App, username: string, password: string): Promise<Record<string, string>> {
  const res = await app.inject({ method: 'POST', url: '/api/v1/auth/login', payload: { username, password } });
  if (res.statusCode !== 200) throw new Error(`sign-in of ${username} failed: ${res.statusCode} ${res.body}`);
  const cookie = res.cookies.find((c) => c.name === 'rp_session')!;
  return { cookie: `rp_session=${cookie.value}`, 'x-csrf-token': res.json().csrfToken };
}

export async function createTestApi(): Promise<TestApi> {
  const runtime = await createTestRuntime();
  const app = await buildApp(runtime);
  await app.ready();
  const as = {} as Record<Role, Client>;
  const headers = {} as Record<Role, Record<string, string>>;
  for (const role of roles) {
    await createUser(runtime.db, systemActor('test'), { username: `t-${role}`, displayName: `Test ${role}`, role, password: testPassword });
    headers[role] = await signIn(app, `t-${role}`, testPassword);
    as[role] = { role, ...client(app, headers[role]) };
  }
  return {
    runtime,
    app,
    as,
    anonymous: client(app, {}),
    async signInAgain() {
      for (const role of roles) Object.assign(headers[role], await signIn(app, `t-${role}`, testPassword));
    },
    async close() {
      await app.close();
      await runtime.close();
    },
  };
}
