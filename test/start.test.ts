import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ratepayerServer } from './support/cli.ts';
import { createTestDatabase } from './support/runtime.ts';

// What a newcomer does first: `npm start` (= `ratepayer start`) on an empty database.
let env: Record<string, string | undefined>;
let tmp: string;
let drop: () => Promise<void>;

beforeAll(async () => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'rp-start-'));
  const database = await createTestDatabase();
  drop = database.drop;
  env = { RATEPAYER_DATA_DIR: path.join(tmp, 'data'), DATABASE_URL: database.url ?? '', PORT: '0' };
});
afterAll(async () => {
  await drop();
  fs.rmSync(tmp, { recursive: true, force: true });
});

async function signInAndSearch(url: string) {
  const login = await fetch(`${url}/api/v1/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'csr1', password: 'ratepayer-demo' }) });
  expect(login.status).toBe(200);
  const cookie = login.headers.get('set-cookie')!.split(';')[0]!;
  const accounts = await (await fetch(`${url}/api/v1/accounts?limit=1`, { headers: { cookie } })).json();
  const first = accounts.items[0];
  const search = await (await fetch(`${url}/api/v1/search/accounts?q=${first.accountNumber}`, { headers: { cookie } })).json();
  expect(search.items[0]).toMatchObject({ accountId: first.id, matchedOn: 'number' });
  const page = await fetch(`${url}/accounts/${first.id}`);
  expect(page.status).toBe(200);
  expect(await page.text()).toContain('<div id="root">');
  return first.accountNumber as string;
}

describe('ratepayer start', () => {
  it('loads a demo district into an empty database, prints the URL and the sign-ins, and keeps the data across restarts', async () => {
    const first = ratepayerServer(['start'], env, /running at (http:\/\/\S+)[\s\S]*Demo sign-ins[^\n]*\n/, 180_000);
    let accountNumber: string;
    try {
      const [line, url] = await first.started;
      expect(line).toContain('csr1 (csr1)');
      expect(line).toContain('ratepayer-demo');
      accountNumber = await signInAndSearch(url!);
    } finally {
      expect(await first.stop()).toBe(0);
    }
    const second = ratepayerServer(['start'], env, /running at (http:\/\/\S+)[\s\S]*Demo sign-ins[^\n]*\n/, 180_000);
    try {
      const [, url] = await second.started;
      expect(second.output().stderr).not.toContain('loading a small demo');
      expect(await signInAndSearch(url!)).toBe(accountNumber);
    } finally {
      expect(await second.stop()).toBe(0);
    }
  }, 240_000); // the first start loads the demo district
});
