import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ratepayer, ratepayerServer } from './support/cli.ts';
import { createTestDatabase } from './support/runtime.ts';

// The real command, in child processes, against a fresh embedded data folder (or a fresh server
// database when DATABASE_URL is set).
let env: Record<string, string | undefined>;
let tmp: string;
let drop: () => Promise<void>;

beforeAll(async () => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'rp-cli-'));
  const database = await createTestDatabase();
  drop = database.drop;
  env = { RATEPAYER_DATA_DIR: path.join(tmp, 'data'), DATABASE_URL: database.url ?? '', PORT: '0', RATEPAYER_PASSWORD: undefined };
});
afterAll(async () => {
  await drop();
  fs.rmSync(tmp, { recursive: true, force: true });
});

describe('ratepayer CLI', () => {
  it('migrates, printing one JSON object with --json', () => {
    const first = ratepayer(['migrate', '--json'], env);
    expect(first.stderr).toBe('');
    expect(first.status).toBe(0);
    const result = JSON.parse(first.stdout);
    expect(result.applied).toContain('0002_staff');
    const second = JSON.parse(ratepayer(['migrate', '--json'], env).stdout);
    expect(second).toEqual({ applied: [], alreadyApplied: result.applied.length });
  });

  it('adds a user and refuses a bad role or a duplicate with a one-line reason and a non-zero exit', () => {
    const added = ratepayer(['user', 'add', 'jdoe', '--role', 'csr2', '--name', 'Jo Doe', '--json'], env);
    expect(added.status).toBe(0);
    const out = JSON.parse(added.stdout);
    expect(out.user).toMatchObject({ username: 'jdoe', role: 'csr2', displayName: 'Jo Doe' });
    expect(out.password.length).toBeGreaterThanOrEqual(12);

    const badRole = ratepayer(['user', 'add', 'kim', '--role', 'boss'], env);
    expect(badRole.status).not.toBe(0);
    expect(badRole.stderr.trim().split('\n')).toHaveLength(1);
    expect(badRole.stderr).toContain('--role must be one of csr1, csr2, supervisor, admin, auditor');

    const duplicate = ratepayer(['user', 'add', 'jdoe', '--role', 'csr1'], env);
    expect(duplicate.status).not.toBe(0);
    expect(duplicate.stderr).toMatch(/^ratepayer: User jdoe already exists\n$/);

    const unknown = ratepayer(['frobnicate'], env);
    expect(unknown.status).not.toBe(0);
    expect(unknown.stderr).toContain('unknown command "frobnicate"');
    const badFlag = ratepayer(['migrate', '--colour'], env);
    expect(badFlag.status).not.toBe(0);
    expect(badFlag.stderr.trim().split('\n')).toHaveLength(1);
  });

  it('backs up and restores, refusing a file that is not a backup', () => {
    const file = path.join(tmp, 'district.backup.gz');
    const backup = ratepayer(['backup', file, '--json'], env);
    expect(backup.status).toBe(0);
    const written = JSON.parse(backup.stdout);
    expect(written.tables.find((t: { name: string }) => t.name === 'staff_users').rows).toBe(1);
    const restored = ratepayer(['restore', file, '--json'], env);
    expect(restored.status).toBe(0);
    expect(JSON.parse(restored.stdout).totalRows).toBe(written.totalRows);
    const junk = path.join(tmp, 'junk.gz');
    fs.writeFileSync(junk, 'not a backup');
    const refused = ratepayer(['restore', junk], env);
    expect(refused.status).not.toBe(0);
    expect(refused.stderr.trim().split('\n')).toHaveLength(1);
    expect(refused.stderr).toContain('junk.gz');
  });

  it('makes an API token that the server accepts', async () => {
    const made = ratepayer(['user', 'token', 'jdoe', '--name', 'IVR vendor', '--json'], env);
    expect(made.status).toBe(0);
    const { token } = JSON.parse(made.stdout);
    const server = ratepayerServer(['serve'], env, /running at (http:\/\/\S+)/);
    try {
      const [, url] = await server.started;
      const me = await fetch(`${url}/api/v1/auth/me`, { headers: { authorization: `Bearer ${token}` } });
      expect(me.status).toBe(200);
      expect((await me.json()).user.username).toBe('jdoe');
    } finally {
      expect(await server.stop()).toBe(0);
    }
  });
});
