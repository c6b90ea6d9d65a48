import { useState } from 'react';
import { api } from '../api.ts';
import { FormDialog } from '../components/Dialog.tsx';
import { optional, ReasonField, SelectField, TextField, useSubmit } from '../components/forms.tsx';
import type { Column } from '../components/DataTable.tsx';
import { ListCard } from '../components/ListCard.tsx';
import { PageHeader } from '../components/ui.tsx';
import { formatTimestamp } from '../format.ts';
import { usePagedQuery } from '../hooks.ts';
import { roleNames } from '../session.tsx';
import { roles, type User } from '../types.ts';

const isLocked = (u: User) => u.lockedUntil !== null && new Date(u.lockedUntil).getTime() > Date.now();

/** Staff users and their roles (administrators only). */
export function UsersPage() {
  const list = usePagedQuery<User>('/users', {}, { limit: 50 });
  const [adding, setAdding] = useState(false);
  const [unlocking, setUnlocking] = useState<User | null>(null);
  const columns: Column<User>[] = [
    { header: 'Username', cell: (u) => <span className="mono">{u.username}</span> },
    { header: 'Name', cell: (u) => u.displayName },
    { header: 'Role', cell: (u) => roleNames[u.role] },
    {
      header: 'State',
      cell: (u) => (!u.active ? <span className="badge badge-muted">Inactive</span> : isLocked(u) ? <span className="badge badge-bad">Locked until {formatTimestamp(u.lockedUntil)}</span> : <span className="badge badge-good">Active</span>),
    },
    { header: 'Last sign-in', className: 'nowrap', cell: (u) => formatTimestamp(u.lastLoginAt) || 'never' },
    { header: 'Added', className: 'nowrap', cell: (u) => formatTimestamp(u.createdAt) },
    { header: <span className="visually-hidden">Actions</span>, cell: (u) => isLocked(u) && <button type="button" className="button-small" onClick={() => setUnlocking(u)}>Unlock</button> },
  ];

  return (
    <>
      <PageHeader title="Staff users" actions={<button type="button" className="button-primary" onClick={() => setAdding(true)} data-testid="add-user">Add user</button>} />
      <ListCard title="Users" list={list} columns={columns} empty="No users." testId="users-table" />
      <AddUserDialog open={adding} onClose={() => setAdding(false)} onSaved={() => { setAdding(false); list.reload(); }} />
      <UnlockDialog user={unlocking} onClose={() => setUnlocking(null)} onSaved={() => { setUnlocking(null); list.reload(); }} />
    </>
  );
}

function AddUserDialog({ open, onClose, onSaved }: { open: boolean; onClose(): void; onSaved(): void }) {
  const form = useSubmit(async (v) => {
    await api.post('/users', { username: v.username?.toLowerCase(), displayName: v.displayName, role: v.role, password: v.password, reason: optional(v.reason) });
    onSaved();
  }, open);
  const { error } = form;
  return (
    <FormDialog title="Add a staff user" open={open} onClose={onClose} testId="add-user-dialog" form={form} submitLabel="Add user">
      <TextField label="Username" name="username" field="body.username" error={error} required autoComplete="off" hint="Lower-case letters, digits, . _ -" autoFocus />
      <TextField label="Full name" name="displayName" field="body.displayName" error={error} required autoComplete="off" />
      <SelectField label="Role" name="role" field="body.role" error={error} options={roles.map((r) => ({ value: r, label: roleNames[r] }))} />
      <TextField label="First password" name="password" field="body.password" error={error} type="password" required autoComplete="new-password" />
      <ReasonField error={error} />
    </FormDialog>
  );
}

function UnlockDialog({ user, onClose, onSaved }: { user: User | null; onClose(): void; onSaved(): void }) {
  const form = useSubmit(async (v) => {
    await api.post(`/users/${user!.id}/unlock`, { reason: v.reason });
    onSaved();
  }, user);
  return (
    <FormDialog title={`Unlock ${user?.username ?? ''}`} open={user !== null} onClose={onClose} form={form} submitLabel="Unlock">
      <ReasonField error={form.error} required autoFocus />
    </FormDialog>
  );
}
