// The detections feed (GET /detections): most recently seen first, what
// enrichment has counted. atio pages it by time (?since) and size (?limit,
// at most 1000), not by cursor, so "Show more" asks for a longer list.
import { useState } from 'react';
import { Link, useNavigate } from 'react-router-dom';
import { useApi } from '../../../api/hooks';
import { DataState } from '../../../components/DataState';
import { formatTime } from '../../../components/format';
import type { Asset, Detection } from '../types';

const step = 100;
const max = 1000;

export function useAssetNames(): Map<string, string> {
  const assets = useApi<{ assets: Asset[] }>('/assets');
  return new Map((assets.data?.assets ?? []).map((a) => [a.id, a.name]));
}

export function DetectionsPage() {
  const [since, setSince] = useState('');
  const [limit, setLimit] = useState(step);
  const sinceIso = since ? new Date(since).toISOString() : undefined;
  const loaded = useApi<{ detections: Detection[] }>('/detections', { limit, since: sinceIso });
  const names = useAssetNames();
  const navigate = useNavigate();
  const items = loaded.data?.detections ?? [];

  return (
    <section aria-labelledby="detections-title">
      <h2 id="detections-title">Detections</h2>
      <p className="muted">
        Each detection is one signature seen from one source against one target, however often; playbooks count them with{' '}
        <code>x-atio-enrich</code>.
      </p>
      <div className="toolbar">
        <label>
          Seen since
          <input type="datetime-local" value={since} onChange={(e) => { setSince(e.target.value); setLimit(step); }} />
        </label>
        <span className="muted">{loaded.data ? `${items.length} shown` : ''}</span>
      </div>
      <DataState
        what="detections"
        loading={loaded.loading && !loaded.data}
        error={loaded.error}
        onRetry={loaded.reload}
        isEmpty={items.length === 0}
        empty={
          since
            ? 'No detection seen since then. Pick an earlier time.'
            : 'No detections yet. They appear when a playbook with an x-atio-enrich step runs on alerts or scan reports.'
        }
      >
        <div className="table-wrap">
          <table className="list" data-testid="detection-table">
            <thead>
              <tr>
                <th>Detection</th>
                <th>Last seen</th>
                <th>First seen</th>
                <th>Count</th>
                <th>Importance</th>
                <th>Asset</th>
                <th>Known to</th>
              </tr>
            </thead>
            <tbody>
              {items.map((d) => (
                <tr key={d.detection_id} className="clickable" onClick={() => navigate(`/assets/detections/${d.detection_id}`)}>
                  <td className="mono">
                    <Link to={`/assets/detections/${d.detection_id}`}>{d.detection_id.slice(0, 8)}</Link>
                  </td>
                  <td>{formatTime(d.last_seen)}</td>
                  <td>{formatTime(d.first_seen)}</td>
                  <td>{d.count}</td>
                  <td>
                    <span className={`badge ${d.importance >= 70 ? 'high' : ''}`}>{d.importance}</span>
                  </td>
                  <td>{d.asset_id ? names.get(d.asset_id) ?? d.asset_id.slice(0, 8) : <span className="muted">none</span>}</td>
                  <td>
                    {Object.entries(d.external_ids ?? {}).map(([tool, id]) => (
                      <span key={tool} className="badge">
                        {tool} {id}
                      </span>
                    ))}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
        {items.length >= limit && limit < max && (
          <div className="pager">
            <button type="button" onClick={() => setLimit(Math.min(max, limit + step))} disabled={loaded.loading}>
              Show more
            </button>
          </div>
        )}
        {items.length >= max && <p className="muted">The feed shows at most {max}; pick a later “seen since” to see others.</p>}
      </DataState>
    </section>
  );
}
