// API keys: one's own (every key for admins). Create one with a role at most
// one's own and an optional expiry — atio shows the key once — or revoke one.
import { useState } from 'react';
import { useAuth } from '../../../api/auth';
import { api } from '../../../api/client';
import { useApi } from '../../../api/hooks';
import { ClientPager, useClientPages } from '../../../components/ClientPager';
import { ConfirmButton } from '../../../components/ConfirmButton';
import { useAction } from '../../../components/useAction';
import { DataState, ErrorBanner } from '../../../components/DataState';
import { formatTime } from '../../../components/format';
import type { ApiKey, User } from '../types';
import { CreateKeyForm } from './CreateKeyForm';
import { NewKey } from './NewKey';

export function ApiKeys() {
  const { me, can } = useAuth();
  const admin = can('admin.users');
  const loaded = useApi<{ api_keys: ApiKey[] }>('/apikeys');
  const users = useApi<{ users: User[] }>(admin ? '/users' : null);
  const [created, setCreated] = useState<(ApiKey & { key: string }) | null>(null);
  const revoking = useAction();
  const [showRevoked, setShowRevoked] = useState(false);
  const owners = new Map((users.data?.users ?? []).map((u) => [u.id, u.name]));
  const keys = (loaded.data?.api_keys ?? []).filter((k) => showRevoked || k.status === 'active');
  const paged = useClientPages(keys, 25, String(showRevoked));

  function owner(k: ApiKey): string {
    if (k.owner_user_id === null) return 'system';
    if (k.owner_user_id === me?.user_id) return 'you';
    return owners.get(k.owner_user_id) ?? k.owner_user_id.slice(0, 8);
  }

  const revoke = async (k: ApiKey) => {
    await revoking.run(() => api.del(`/apikeys/${k.id}`), loaded.reload);
  };

  return (
    <section aria-labelledby="keys-title">
      <h2 id="keys-title">API keys</h2>
      <p className="muted">
        For scripts and tools: send a key as <code>Authorization: Bearer &lt;key&gt;</code>.{' '}
        {admin ? 'As an admin you see every key.' : 'You see the keys you made.'} A key works only while its owner is enabled
        and still holds its role.
      </p>
      {created && <NewKey created={created} onDone={() => setCreated(null)} />}
      <CreateKeyForm
        onCreated={(k) => {
          setCreated(k);
          loaded.reload();
        }}
      />
      <div className="toolbar">
        <label className="inline">
          <input type="checkbox" checked={showRevoked} onChange={(e) => setShowRevoked(e.target.checked)} /> Show revoked and
          expired keys
        </label>
      </div>
      <ErrorBanner error={revoking.error} />
      <DataState
        what="API keys"
        loading={loaded.loading && !loaded.data}
        error={loaded.error}
        onRetry={loaded.reload}
        isEmpty={keys.length === 0}
        empty={showRevoked ? 'No API keys yet. Create one above.' : 'No active API keys. Create one above.'}
      >
        <div className="table-wrap">
          <table className="list" data-testid="key-table">
            <thead>
              <tr>
                <th>Name</th>
                <th>Role</th>
                <th>Status</th>
                <th>Owner</th>
                <th>Created</th>
                <th>Expires</th>
                <th aria-label="Actions" />
              </tr>
            </thead>
            <tbody>
              {paged.items.map((k) => (
                <tr key={k.id} data-testid="key-row" data-key-id={k.id}>
                  <td>{k.name}</td>
                  <td>{k.role}</td>
                  <td>
                    <span className={`badge key-${k.status}`}>{k.status}</span>
                    {k.revoked_at && <div className="muted">{formatTime(k.revoked_at)}</div>}
                  </td>
                  <td>{owner(k)}</td>
                  <td>{formatTime(k.created_at)}</td>
                  <td>{k.expires_at ? formatTime(k.expires_at) : 'never'}</td>
                  <td className="actions">
                    {k.status === 'active' && (
                      <ConfirmButton
                        label="Revoke"
                        question={`Revoke ${k.name}? Tools using it stop working.`}
                        onConfirm={() => revoke(k)}
                      />
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
        <ClientPager {...paged} />
      </DataState>
    </section>
  );
}
