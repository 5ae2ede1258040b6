// The executions list (/executions): newest first, filtered by playbook,
// status and creation time (kept in the address so a filtered list can be
// shared), paged with atio's `next` cursor; each row opens the execution.
import { Link, useNavigate, useSearchParams } from 'react-router-dom';
import { ApiError } from '../../api/client';
import { usePaged } from '../../api/hooks';
import type { ExecutionSummary } from '../../api/types';
import { DataState } from '../../components/DataState';
import { Pager } from '../../components/Pager';
import { formatDuration, formatTime } from '../../components/format';
import { shortExecutionId } from './executionId';
import { ExecutionFilters, type Filters } from './ExecutionFilters';
import { PlaybookName } from './PlaybookName';
import { StatusBadge } from './StatusBadge';
import { usePlaybooks } from './usePlaybooks';

const filterNames = ['playbook_id', 'status', 'since', 'until'] as const;

function durationOf(e: ExecutionSummary): string {
  if (e.duration_ms !== null) return formatDuration(e.duration_ms);
  if (e.status === 'running') return `${formatDuration(Date.now() - new Date(e.created_at).getTime())} so far`;
  return '—';
}

function triggerOf(e: ExecutionSummary): string {
  return e.trigger?.kind ?? '—';
}

export function ExecutionsList() {
  const [params, setParams] = useSearchParams();
  const navigate = useNavigate();
  const filters: Filters = {
    playbook_id: params.get('playbook_id') ?? '',
    status: params.get('status') ?? '',
    since: params.get('since') ?? '',
    until: params.get('until') ?? '',
  };
  const setFilters = (f: Filters) => {
    const next = new URLSearchParams();
    for (const n of filterNames) if (f[n]) next.set(n, f[n]);
    setParams(next, { replace: true });
  };
  const pb = usePlaybooks();
  const list = usePaged<ExecutionSummary>('/executions', 'executions', { ...filters });
  const fieldErrors = list.error instanceof ApiError ? list.error.errors : [];
  const filtered = filterNames.some((n) => filters[n]);

  return (
    <section aria-labelledby="executions-title">
      <div className="page-head">
        <h1 id="executions-title">Executions</h1>
        <button type="button" onClick={list.reload}>
          Refresh
        </button>
      </div>
      <ExecutionFilters value={filters} onChange={setFilters} playbooks={pb.playbooks} errors={fieldErrors} />
      <DataState
        what="executions"
        loading={list.loading && !list.data}
        error={list.error}
        onRetry={list.reload}
        isEmpty={list.items.length === 0}
        empty={
          filtered
            ? 'No execution matches these filters. Widen the time window or clear the filters.'
            : 'No playbook has run yet. Start one from its playbook page, a webhook or a schedule.'
        }
      >
        <div className="table-wrap">
          <table className="list" data-testid="executions-table">
            <thead>
              <tr>
                <th scope="col">Status</th>
                <th scope="col">Playbook</th>
                <th scope="col">Created</th>
                <th scope="col">Duration</th>
                <th scope="col">Trigger</th>
                <th scope="col">Execution</th>
              </tr>
            </thead>
            <tbody>
              {list.items.map((e) => (
                <tr
                  key={e.id}
                  className="clickable"
                  data-testid="execution-row"
                  data-execution-id={e.id}
                  data-status={e.status}
                  onClick={(ev) => {
                    if (!(ev.target instanceof HTMLElement && ev.target.closest('a'))) navigate(`/executions/${e.id}`);
                  }}
                >
                  <td>
                    <StatusBadge status={e.status} />
                  </td>
                  <td>
                    <PlaybookName id={e.playbook_id} names={pb.names} />
                  </td>
                  <td>{formatTime(e.created_at)}</td>
                  <td>{durationOf(e)}</td>
                  <td title={e.trigger?.by ?? ''}>{triggerOf(e)}</td>
                  <td>
                    <Link to={`/executions/${e.id}`} className="mono" aria-label={`Open execution ${e.id}`}>
                      {shortExecutionId(e.id)}
                    </Link>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
        <Pager page={list.page} hasPrev={list.hasPrev} hasNext={list.hasNext} back={list.back} forward={list.forward} />
      </DataState>
    </section>
  );
}
