// The asset inventory (GET /assets): search over every field, paged here
// because atio answers the whole list; add, import, edit and delete.
import { Link, useLocation, useSearchParams } from 'react-router-dom';
import { useAuth } from '../../../api/auth';
import { api } from '../../../api/client';
import { useApi } from '../../../api/hooks';
import { DataState, ErrorBanner } from '../../../components/DataState';
import { ClientPager, useClientPages } from '../../../components/ClientPager';
import { ConfirmButton } from '../../../components/ConfirmButton';
import { useAction } from '../../../components/useAction';
import { ReadOnlyNote } from '../NeedsPermission';
import type { Asset } from '../types';

function matches(a: Asset, q: string): boolean {
  const hay = [a.name, a.owner, a.id, ...a.ips, ...a.cidrs, ...a.hostnames, ...a.tags].join(' ').toLowerCase();
  return q
    .toLowerCase()
    .split(/\s+/)
    .filter(Boolean)
    .every((w) => hay.includes(w));
}

export function AssetList() {
  const { can } = useAuth();
  const [params, setParams] = useSearchParams();
  const q = params.get('q') ?? '';
  const loaded = useApi<{ assets: Asset[] }>('/assets');
  const deleting = useAction();
  const all = loaded.data?.assets ?? [];
  const found = q ? all.filter((a) => matches(a, q)) : all;
  const paged = useClientPages(found, 25, q);
  const writable = can('knowledge.write');
  const saved = (useLocation().state as { saved?: string } | null)?.saved;

  const remove = async (a: Asset) => {
    await deleting.run(() => api.del(`/assets/${a.id}`), loaded.reload);
  };

  return (
    <section aria-labelledby="assets-title">
      <h2 id="assets-title">Assets</h2>
      <p className="muted">What enrichment matches detections to: by address, network or host name.</p>
      <ReadOnlyNote permission="knowledge.write" what="assets" />
      <div className="toolbar">
        <label>
          Search
          <input
            type="search"
            value={q}
            placeholder="name, address, owner, tag…"
            onChange={(e) => setParams(e.target.value ? { q: e.target.value } : {}, { replace: true })}
          />
        </label>
        <span className="muted" data-testid="asset-count">
          {loaded.data ? (q ? `${found.length} of ${all.length} assets` : `${all.length} assets`) : ''}
        </span>
        <span className="spacer" />
        {writable && (
          <>
            <Link className="button" to="/assets/import">
              Import CSV
            </Link>
            <Link className="button primary" to="/assets/new">
              Add asset
            </Link>
          </>
        )}
      </div>
      {saved && (
        <p className="notice" role="status">
          Saved {saved}.
        </p>
      )}
      <ErrorBanner error={deleting.error} />
      <DataState
        what="assets"
        loading={loaded.loading && !loaded.data}
        error={loaded.error}
        onRetry={loaded.reload}
        isEmpty={found.length === 0}
        empty={
          q
            ? `No asset matches “${q}”. Try fewer words.`
            : writable
              ? 'No assets yet. Add one, or import a CSV export of your inventory.'
              : 'No assets yet. An author or admin adds them.'
        }
      >
        <div className="table-wrap">
          <table className="list" data-testid="asset-table">
            <thead>
              <tr>
                <th>Name</th>
                <th>Addresses and names</th>
                <th>Owner</th>
                <th>Tags</th>
                <th>Criticality</th>
                {writable && <th aria-label="Actions" />}
              </tr>
            </thead>
            <tbody>
              {paged.items.map((a) => (
                <tr key={a.id} data-testid="asset-row">
                  <td>
                    <Link to={`/assets/${a.id}`}>{a.name}</Link>
                  </td>
                  <td className="mono">{[...a.ips, ...a.cidrs, ...a.hostnames].join(', ')}</td>
                  <td>{a.owner || <span className="muted">—</span>}</td>
                  <td>
                    {a.tags.map((t) => (
                      <span key={t} className="badge">
                        {t}
                      </span>
                    ))}
                  </td>
                  <td>
                    <span className={`badge crit-${a.criticality}`}>{a.criticality}</span>
                  </td>
                  {writable && (
                    <td className="actions">
                      <ConfirmButton label="Delete" question={`Delete ${a.name}?`} onConfirm={() => remove(a)} />
                    </td>
                  )}
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
