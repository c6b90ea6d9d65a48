import fs from 'node:fs';
import path from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, expect } from 'vitest';
import { buildApp } from '../../src/app/build-app.ts';
import { ensureWebBuilt } from '../../src/app/web-build.ts';
import { systemActor } from '../../src/platform/actor.ts';
import { FixedClock } from '../../src/platform/clock.ts';
import type { App } from '../../src/platform/http/app-types.ts';
import { createUser } from '../../src/staff/index.ts';
import { testPassword } from './api.ts';
import { repoRoot } from './cli.ts';
import { createTestRuntime, type TestRuntime } from './runtime.ts';

/**
 * The harness of the browser tests (test/browser/): a real server (in-process, random port) serving
 * the built staff web app, one page of Debian's Chromium at 1366x768 driving it, the API over HTTP
 * (as an integration would use it) for seeding and checking, and the page helpers the tests share.
 * A test file calls `startStaffApp` once; `page` and `baseUrl` are set once it has started (each
 * test file has its own copy of this module). Screenshots go to test-output/screenshots/.
 */

const shots = path.join(repoRoot, 'test-output/screenshots');

/** The browser page the tests drive. */
export let page: Page;
/** Where the server listens: `http://127.0.0.1:<port>`. */
export let baseUrl: string;

/**
 * Registers the `beforeAll` that builds the web app, starts the server, runs `seed` and opens the
 * browser, and the `afterAll` that stops them all. The clock stands at the real time, so the session
 * cookie's expiry is in the browser's future.
 */
export function startStaffApp(options: { seed(runtime: TestRuntime): Promise<void> }): void {
  let runtime: TestRuntime | undefined;
  let app: App | undefined;
  let browser: Browser | undefined;

  beforeAll(async () => {
    fs.mkdirSync(shots, { recursive: true });
    await ensureWebBuilt();
    runtime = await createTestRuntime({ clock: new FixedClock(new Date()) });
    app = await buildApp(runtime);
    await app.listen({ port: 0, host: '127.0.0.1' });
    const address = app.server.address();
    if (!address || typeof address === 'string') throw new Error('no server address');
    baseUrl = `http://127.0.0.1:${address.port}`;
    await options.seed(runtime);
    browser = await chromium.launch({
      executablePath: '/usr/bin/chromium',
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    });
    const context = await browser.newContext({ viewport: { width: 1366, height: 768 }, timezoneId: 'UTC', locale: 'en-US' });
    page = await context.newPage();
    page.setDefaultTimeout(15_000);
  });

  afterAll(async () => {
    await browser?.close();
    await app?.close();
    await runtime?.close();
  });
}

// ---- the API, over HTTP, as an integration would use it ----

/** A session of the API: the session cookie, and the CSRF token every change carries. */
export interface ApiSession {
  cookie: string;
  csrf: string;
}

/** Signs a user in over the API. */
export async function login(username: string): Promise<ApiSession> {
  const res = await fetch(`${baseUrl}/api/v1/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username, password: testPassword }) });
  if (res.status !== 200) throw new Error(`sign-in of ${username}: ${res.status} ${await res.text()}`);
  const cookie = res.headers.getSetCookie().map((c) => c.split(';')[0]!).find((c) => c.startsWith('rp_session='))!;
  return { cookie, csrf: ((await res.json()) as { csrfToken: string }).csrfToken };
}

/** Calls `/api/v1<url>` in a session; throws on an answer that is not 2xx. */
export async function call<T = Record<string, unknown>>(s: ApiSession, method: string, url: string, body?: unknown): Promise<T> {
  const res = await fetch(`${baseUrl}/api/v1${url}`, {
    method,
    headers: { cookie: s.cookie, 'x-csrf-token': s.csrf, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  if (!res.ok) throw new Error(`${method} ${url}: ${res.status} ${text}`);
  return (text ? JSON.parse(text) : null) as T;
}

/**
 * Makes Casey Morgan (admin) and, through the API as her, Alex Field (CSR I), Jordan Lee (CSR II)
 * and Pat Supervisor, all with the test password; answers her API session.
 */
export async function addStaff(runtime: TestRuntime): Promise<ApiSession> {
  await createUser(runtime.db, systemActor('test'), { username: 'casey.morgan', displayName: 'Casey Morgan', role: 'admin', password: testPassword });
  const admin = await login('casey.morgan');
  for (const [username, displayName, role] of [['alex.field', 'Alex Field', 'csr1'], ['jordan.lee', 'Jordan Lee', 'csr2'], ['pat.supervisor', 'Pat Supervisor', 'supervisor']] as const) {
    await call(admin, 'POST', '/users', { username, displayName, role, password: testPassword });
  }
  return admin;
}

// ---- the page ----

/** A screenshot of the page as test-output/screenshots/<name>.png. */
export const shot = (name: string, fullPage = false) => page.screenshot({ path: path.join(shots, `${name}.png`), fullPage });

/** Signs in through the sign-in form on the page, and waits for the shell. */
export async function signIn(username: string) {
  await page.getByTestId('login-form').waitFor();
  await page.getByLabel('Username').fill(username);
  await page.getByLabel('Password').fill(testPassword);
  await page.getByTestId('login-submit').click();
  await page.getByTestId('current-user').waitFor();
}

export async function signOut() {
  await page.getByTestId('sign-out').click();
  await page.getByTestId('login-form').waitFor();
}

/** No horizontal scroll bar at 1366 wide. */
export async function expectNoHorizontalScroll() {
  const widths = await page.evaluate(() => ({ scroll: document.documentElement.scrollWidth, client: document.documentElement.clientWidth }));
  expect(widths.scroll).toBeLessThanOrEqual(widths.client);
}

/** The main navigation. */
export const nav = () => page.getByRole('navigation', { name: 'Main' });
