// Users (admin.users): make one, change a role, disable or enable, set a
// password. An admin cannot change their own role or disable themselves.
import { useState } from 'react';
import { useApi } from '../../../api/hooks';
import { ClientPager, useClientPages } from '../../../components/ClientPager';
import { DataState } from '../../../components/DataState';
import { NeedsPermission } from '../NeedsPermission';
import type { User } from '../types';
import { CreateUserForm } from './CreateUserForm';
import { UserRow } from './UserRow';

export function UsersPage() {
  return (
    <NeedsPermission permission="admin.users" what="managing users">
      <Users />
    </NeedsPermission>
  );
}

function Users() {
  const loaded = useApi<{ users: User[] }>('/users');
  const [q, setQ] = useState('');
  const [notice, setNotice] = useState('');
  const all = loaded.data?.users ?? [];
  const found = q ? all.filter((u) => `${u.name} ${u.role}`.toLowerCase().includes(q.toLowerCase())) : all;
  const paged = useClientPages(found, 25, q);
  const changed = (what: string) => {
    setNotice(what);
    loaded.reload();
  };
  return (
    <section aria-labelledby="users-title">
      <h2 id="users-title">Users</h2>
      <p className="muted">People who log in to the UI. Disabling a user or setting their password ends their sessions at once.</p>
      <CreateUserForm onCreated={(u) => changed(`Made the user ${u.name} (${u.role}).`)} />
      {notice && (
        <p className="notice" role="status" data-testid="users-notice">
          {notice}
        </p>
      )}
      <div className="toolbar">
        <label>
          Search
          <input type="search" value={q} onChange={(e) => setQ(e.target.value)} placeholder="name or role" />
        </label>
      </div>
      <DataState
        what="users"
        loading={loaded.loading && !loaded.data}
        error={loaded.error}
        onRetry={loaded.reload}
        isEmpty={found.length === 0}
        empty={q ? `No user matches “${q}”.` : 'No users yet. Make the first one above.'}
      >
        <div className="table-wrap">
          <table className="list" data-testid="user-table">
            <thead>
              <tr>
                <th>Name</th>
                <th>Role</th>
                <th>Status</th>
                <th>Created</th>
                <th>Last login</th>
                <th aria-label="Actions" />
              </tr>
            </thead>
            <tbody>
              {paged.items.map((u) => (
                <UserRow key={u.id} user={u} onChanged={changed} />
              ))}
            </tbody>
          </table>
        </div>
        <ClientPager {...paged} />
      </DataState>
    </section>
  );
}
