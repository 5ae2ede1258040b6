// The playbooks: search by name, description or id, most recently changed
// first, 25 a page; import a CACAO file, start a new playbook, run or export
// one. atio answers the whole list at once (GET /playbooks), so searching
// and paging happen here.
import { useMemo, useState } from 'react';
import { Link, useNavigate, useSearchParams } from 'react-router-dom';
import { useApi } from '../../api/hooks';
import { useAuth } from '../../api/auth';
import type { PlaybookSummary } from '../../api/types';
import { DataState, ErrorBanner } from '../../components/DataState';
import { Pager } from '../../components/Pager';
import { formatTime } from '../../components/format';
import { useImportPlaybook } from './ImportPlaybook';
import { RunDialog } from './RunDialog';
import { exportPlaybook } from './exportPlaybook';

const PAGE = 25;

function matches(p: PlaybookSummary, q: string): boolean {
  if (!q) return true;
  const needle = q.toLowerCase();
  return [p.name, p.description ?? '', p.id].some((s) => s.toLowerCase().includes(needle));
}

export function PlaybookList() {
  const { can } = useAuth();
  const navigate = useNavigate();
  const [params, setParams] = useSearchParams();
  const q = params.get('q') ?? '';
  const [page, setPage] = useState(1);
  const [running, setRunning] = useState<PlaybookSummary | null>(null);
  const [exportError, setExportError] = useState<unknown>(null);
  const loaded = useApi<{ playbooks: PlaybookSummary[] }>('/playbooks');
  const importer = useImportPlaybook(loaded.reload);

  const found = useMemo(
    () =>
      (loaded.data?.playbooks ?? [])
        .filter((p) => matches(p, q.trim()))
        .sort((a, b) => b.updated_at.localeCompare(a.updated_at) || a.name.localeCompare(b.name)),
    [loaded.data, q],
  );
  const pages = Math.max(1, Math.ceil(found.length / PAGE));
  const shown = found.slice((Math.min(page, pages) - 1) * PAGE, Math.min(page, pages) * PAGE);
  const total = loaded.data?.playbooks.length ?? 0;

  const doExport = (id: string) => {
    setExportError(null);
    exportPlaybook(id).catch(setExportError);
  };

  return (
    <section>
      <div className="pb-heading">
        <h1>Playbooks</h1>
        {can('playbook.write') && (
          <div className="pb-actions">
            {importer.control}
            <button type="button" className="primary" onClick={() => navigate('/playbooks/new')}>
              New playbook
            </button>
          </div>
        )}
      </div>
      {can('playbook.write') && importer.outcome}
      <div className="toolbar">
        <label>
          Search by name, description or id
          <input
            type="search"
            value={q}
            size={40}
            data-testid="playbook-search"
            onChange={(e) => {
              setPage(1);
              setParams(e.target.value ? { q: e.target.value } : {}, { replace: true });
            }}
          />
        </label>
        {loaded.data && (
          <span className="muted" role="status">
            {q ? `${found.length} of ${total} playbook${total === 1 ? '' : 's'}` : `${total} playbook${total === 1 ? '' : 's'}`}
          </span>
        )}
      </div>
      <ErrorBanner error={exportError} />
      <DataState
        what="playbooks"
        loading={loaded.loading && !loaded.data}
        error={loaded.error}
        onRetry={loaded.reload}
        isEmpty={found.length === 0}
        empty={
          total === 0
            ? 'No playbooks yet. Import a CACAO 2.0 JSON file or start a new playbook.'
            : `No playbook matches “${q}”. Search by part of a name, a description or an id.`
        }
      >
        <div className="table-wrap">
          <table className="list" data-testid="playbook-list">
            <thead>
              <tr>
                <th>Name</th>
                <th>Description</th>
                <th>Version (modified)</th>
                <th>Updated</th>
                <th>
                  <span className="pb-sr-only">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {shown.map((p) => (
                <tr key={p.id} data-testid="playbook-row" data-playbook-id={p.id}>
                  <td>
                    <Link to={`/playbooks/${encodeURIComponent(p.id)}`}>{p.name}</Link>
                    {p.protected && <span className="badge pb-protected">protected</span>}
                    <div className="mono muted">{p.id}</div>
                  </td>
                  <td>
                    <div className="pb-desc" title={p.description}>
                      {p.description}
                    </div>
                  </td>
                  <td className="mono pb-nowrap">{p.version}</td>
                  <td>{formatTime(p.updated_at)}</td>
                  <td>
                    <div className="pb-row-actions">
                    {can('execution.run') && (
                      <button type="button" onClick={() => setRunning(p)} aria-label={`Run ${p.name}`}>
                        Run
                      </button>
                    )}
                    <button type="button" onClick={() => doExport(p.id)} aria-label={`Export ${p.name}`}>
                      Export
                    </button>
                    </div>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
        <Pager
          page={Math.min(page, pages)}
          hasPrev={page > 1}
          hasNext={page < pages}
          back={() => setPage((n) => Math.max(1, n - 1))}
          forward={() => setPage((n) => Math.min(pages, n + 1))}
        />
      </DataState>
      {running && <RunDialog id={running.id} name={running.name} onClose={() => setRunning(null)} />}
    </section>
  );
}
