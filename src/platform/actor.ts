/** Who is doing something: a signed-in staff member, an API token's user, or the system itself. */
export const roles = ['csr1', 'csr2', 'supervisor', 'admin', 'auditor'] as const;
export type Role = (typeof roles)[number];

export interface Actor {
  userId: number | null;
  username: string;
  role: Role | 'system';
  requestId?: string;
}

export const systemActor = (what = 'system'): Actor => ({ userId: null, username: what, role: 'system' });

/**
 * What a route needs. `read`: any signed-in role, the auditor included. `audit`: the audit trail,
 * open to auditors, supervisors and admins. The rest are the write ladder
 * csr1 < csr2 < supervisor < admin; the auditor is on no rung of it.
 */
export const accessLevels = ['public', 'read', 'audit', 'csr1', 'csr2', 'supervisor', 'admin'] as const;
export type Access = (typeof accessLevels)[number];

const ladder: Role[] = ['csr1', 'csr2', 'supervisor', 'admin'];

export function roleAllows(role: Role | 'system', access: Access): boolean {
  if (role === 'system' || access === 'public' || access === 'read') return true;
  if (access === 'audit') return role === 'auditor' || role === 'supervisor' || role === 'admin';
  if (role === 'auditor') return false;
  return ladder.indexOf(role) >= ladder.indexOf(access);
}
