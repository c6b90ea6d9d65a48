import { systemActor } from '../platform/actor.ts';
import type { Db } from '../platform/db/database.ts';
import { createUser, findUserByUsername } from '../staff/index.ts';

/** The demo district's sign-ins: one user per role, all with this password. */
export const demoPassword = 'ratepayer-demo';
export const demoUsers = [
  { username: 'admin', displayName: 'Avery Admin', role: 'admin' },
  { username: 'supervisor', displayName: 'Sam Supervisor', role: 'supervisor' },
  { username: 'csr2', displayName: 'Casey Rep II', role: 'csr2' },
  { username: 'csr1', displayName: 'Charlie Rep I', role: 'csr1' },
  { username: 'auditor', displayName: 'Alex Auditor', role: 'auditor' },
] as const;

export async function ensureDemoUsers(db: Db): Promise<void> {
  for (const u of demoUsers) {
    if (await findUserByUsername(db, u.username)) continue;
    await createUser(db, systemActor('demo'), { ...u, password: demoPassword }, 'Demo district sign-in');
  }
}
