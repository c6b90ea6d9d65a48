import { useState } from 'react';
import { api } from '../api.ts';
import { Dialog } from '../components/Dialog.tsx';
import { ErrorMessage, optional, SelectField, TextField, useSubmit } from '../components/forms.tsx';
import { Card, Empty, LoadError, Loading, PageHeader, Pager } from '../components/ui.tsx';
import { formatTimestamp } from '../format.ts';
import { useApi, useCursorStack } from '../hooks.ts';
import { roleNames } from '../session.tsx';
import { roles, type Page, type User } from '../types.ts';

/** Staff users and their roles (administrators only). */
export function UsersPage() {
  const pages = useCursorStack('users');
  const list = useApi(`users:${pages.cursor ?? ''}`, (signal) => api.get<Page<User>>('/users', { limit: 50, after: pages.cursor }, signal));
  const [adding, setAdding] = useState(false);
  const [unlocking, setUnlocking] = useState<User | null>(null);
  const now = Date.now();

  return (
    <>
      <PageHeader title="Staff users" actions={<button type="button" className="button-primary" onClick={() => setAdding(true)} data-testid="add-user">Add user</button>} />
      <Card title="Users">
        {list.error ? (
          <LoadError error={list.error} retry={list.reload} />
        ) : !list.data ? (
          <Loading />
        ) : list.data.items.length === 0 ? (
          <Empty>No users.</Empty>
        ) : (
          <>
            <div className="table-wrap">
              <table className="table" data-testid="users-table">
                <thead>
                  <tr>
                    <th scope="col">Username</th>
                    <th scope="col">Name</th>
                    <th scope="col">Role</th>
                    <th scope="col">State</th>
                    <th scope="col">Last sign-in</th>
                    <th scope="col">Added</th>
                    <th scope="col"><span className="visually-hidden">Actions</span></th>
                  </tr>
                </thead>
                <tbody>
                  {list.data.items.map((u) => {
                    const locked = u.lockedUntil !== null && new Date(u.lockedUntil).getTime() > now;
                    return (
                      <tr key={u.id}>
                        <td className="mono">{u.username}</td>
                        <td>{u.displayName}</td>
                        <td>{roleNames[u.role]}</td>
                        <td>
                          {!u.active ? <span className="badge badge-muted">Inactive</span> : locked ? <span className="badge badge-bad">Locked until {formatTimestamp(u.lockedUntil)}</span> : <span className="badge badge-good">Active</span>}
                        </td>
                        <td className="nowrap">{formatTimestamp(u.lastLoginAt) || 'never'}</td>
                        <td className="nowrap">{formatTimestamp(u.createdAt)}</td>
                        <td>{locked && <button type="button" className="button-small" onClick={() => setUnlocking(u)}>Unlock</button>}</td>
                      </tr>
                    );
                  })}
                </tbody>
              </table>
            </div>
            <Pager pageNumber={pages.pageNumber} hasNext={list.data.next !== null} onNewer={pages.newer} onOlder={() => list.data?.next && pages.older(list.data.next)} />
          </>
        )}
      </Card>
      <AddUserDialog open={adding} onClose={() => setAdding(false)} onSaved={() => { setAdding(false); list.reload(); }} />
      <UnlockDialog user={unlocking} onClose={() => setUnlocking(null)} onSaved={() => { setUnlocking(null); list.reload(); }} />
    </>
  );
}

function AddUserDialog({ open, onClose, onSaved }: { open: boolean; onClose(): void; onSaved(): void }) {
  const { error, busy, onSubmit } = useSubmit(async (v) => {
    await api.post('/users', { username: v.username?.toLowerCase(), displayName: v.displayName, role: v.role, password: v.password, reason: optional(v.reason) });
    onSaved();
  }, open);
  return (
    <Dialog title="Add a staff user" open={open} onClose={onClose} testId="add-user-dialog">
      <form onSubmit={onSubmit} className="form-grid" noValidate>
        <ErrorMessage error={error} />
        <TextField label="Username" name="username" field="body.username" error={error} required autoComplete="off" hint="Lower-case letters, digits, . _ -" autoFocus />
        <TextField label="Full name" name="displayName" field="body.displayName" error={error} required autoComplete="off" />
        <SelectField label="Role" name="role" field="body.role" error={error} options={roles.map((r) => ({ value: r, label: roleNames[r] }))} />
        <TextField label="First password" name="password" field="body.password" error={error} type="password" required autoComplete="new-password" />
        <TextField label="Reason" name="reason" field="body.reason" error={error} wide hint="Optional; kept in the audit trail" />
        <div className="form-actions">
          <button type="submit" className="button-primary" disabled={busy}>Add user</button>
          <button type="button" onClick={onClose}>Cancel</button>
        </div>
      </form>
    </Dialog>
  );
}

function UnlockDialog({ user, onClose, onSaved }: { user: User | null; onClose(): void; onSaved(): void }) {
  const { error, busy, onSubmit } = useSubmit(async (v) => {
    await api.post(`/users/${user!.id}/unlock`, { reason: v.reason });
    onSaved();
  }, user);
  return (
    <Dialog title={`Unlock ${user?.username ?? ''}`} open={user !== null} onClose={onClose}>
      <form onSubmit={onSubmit} className="form-grid" noValidate>
        <ErrorMessage error={error} />
        <TextField label="Reason" name="reason" field="body.reason" error={error} required wide autoFocus />
        <div className="form-actions">
          <button type="submit" className="button-primary" disabled={busy}>Unlock</button>
          <button type="button" onClick={onClose}>Cancel</button>
        </div>
      </form>
    </Dialog>
  );
}
