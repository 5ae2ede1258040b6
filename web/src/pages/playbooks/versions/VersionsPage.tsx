// A playbook's version history (GET /playbooks/{id}/versions, newest first,
// kept after deletion): pick two versions to compare them, or restore one.
// The chosen pair lives in the address (?from=&to=) so a diff can be linked.
import { useState } from 'react';
import { Link, useParams, useSearchParams } from 'react-router-dom';
import { useApi } from '../../../api/hooks';
import { useAuth } from '../../../api/auth';
import { DataState } from '../../../components/DataState';
import { formatTime } from '../../../components/format';
import type { PlaybookRestored, PlaybookVersionList } from '../types';
import { RestoreDialog } from './RestoreDialog';
import { VersionDiff } from './VersionDiff';

export function VersionsPage() {
  const id = useParams().id ?? '';
  const { can } = useAuth();
  const [params, setParams] = useSearchParams();
  const list = useApi<PlaybookVersionList>(`/playbooks/${encodeURIComponent(id)}/versions`);
  const [restoring, setRestoring] = useState<number | null>(null);
  const [notice, setNotice] = useState('');
  const versions = list.data?.versions ?? [];
  const newest = versions[0]?.version;
  const from = Number(params.get('from')) || (versions[1]?.version ?? 0);
  const to = Number(params.get('to')) || (newest ?? 0);
  const choose = (which: 'from' | 'to', n: number) => {
    const next = new URLSearchParams(params);
    next.set(which, String(n));
    if (!next.get(which === 'from' ? 'to' : 'from')) next.set(which === 'from' ? 'to' : 'from', String(which === 'from' ? to : from));
    setParams(next, { replace: true });
  };
  const restored = (r: PlaybookRestored) => {
    setRestoring(null);
    setNotice(`Version ${r.restored_from} restored as version ${r.version.version}.`);
    setParams({ from: String(r.restored_from), to: String(r.version.version) }, { replace: true });
    list.reload();
  };

  return (
    <section>
      <p className="muted">
        <Link to="/playbooks">Playbooks</Link> / <Link to={`/playbooks/${encodeURIComponent(id)}`}>{versions[0]?.name ?? id}</Link> /
      </p>
      <h1>Version history</h1>
      {notice && (
        <p className="notice" role="status" data-testid="restore-notice">
          {notice}
        </p>
      )}
      <DataState what="versions" loading={list.loading && !list.data} error={list.error} onRetry={list.reload} isEmpty={versions.length === 0} empty="This playbook has no saved version.">
        <p className="muted">Choose two versions to compare (From and To); the newest is at the top.</p>
        <div className="table-wrap">
          <table className="list" data-testid="version-list">
            <thead>
              <tr>
                <th>From</th>
                <th>To</th>
                <th>Version</th>
                <th>Saved</th>
                <th>By</th>
                <th>Comment</th>
                <th>Name</th>
                <th>Hash</th>
                <th>
                  <span className="pb-sr-only">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {versions.map((v) => (
                <tr key={v.version} data-testid="version-row" data-version={v.version}>
                  <td>
                    <input type="radio" name="from" checked={from === v.version} onChange={() => choose('from', v.version)} aria-label={`Compare from version ${v.version}`} />
                  </td>
                  <td>
                    <input type="radio" name="to" checked={to === v.version} onChange={() => choose('to', v.version)} aria-label={`Compare to version ${v.version}`} />
                  </td>
                  <td>
                    <strong>{v.version}</strong>
                    {v.version === newest && <span className="badge pb-current">current</span>}
                  </td>
                  <td>{formatTime(v.time)}</td>
                  <td>
                    {v.author?.name} <span className="muted">({v.author?.kind})</span>
                  </td>
                  <td>{v.comment || <span className="muted">—</span>}</td>
                  <td>{v.name}</td>
                  <td className="mono" title={v.hash}>
                    {v.hash.slice(0, 12)}
                  </td>
                  <td>
                    {can('playbook.write') && v.version !== newest && (
                      <button type="button" onClick={() => setRestoring(v.version)} aria-label={`Restore version ${v.version}`}>
                        Restore…
                      </button>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
        {versions.length < 2 ? (
          <p className="muted">There is only one version: save a change to compare versions.</p>
        ) : from && to && from !== to ? (
          <VersionDiff key={`${from}-${to}`} id={id} from={Math.min(from, to)} to={Math.max(from, to)} />
        ) : (
          <p className="muted">Choose two different versions to see what changed.</p>
        )}
      </DataState>
      {restoring !== null && <RestoreDialog id={id} version={restoring} onDone={restored} onClose={() => setRestoring(null)} />}
    </section>
  );
}
