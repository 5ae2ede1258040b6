// The case list: newest first as atio answers it, filtered by status,
// severity, assignee, playbook and detection time, paged by atio's cursor.
import { Link, useNavigate } from 'react-router-dom';
import { usePaged } from '../../api/hooks';
import { DataState, ErrorBanner } from '../../components/DataState';
import { Pager } from '../../components/Pager';
import { formatDuration, formatTime } from '../../components/format';
import { useQueryFilters } from '../../components/useQueryFilters';
import { usePlaybookNames } from '../../components/usePlaybookNames';
import { CaseFilters, CASE_FILTER_KEYS } from './CaseFilters';
import { CasesNav } from './CasesNav';
import { SeverityBadge, StatusBadge } from './CaseBadges';
import type { CaseSummary } from './types';

export function CaseList() {
  const { filters, setFilters, clear } = useQueryFilters(CASE_FILTER_KEYS);
  const { playbooks, names, error: playbooksError } = usePlaybookNames();
  const paged = usePaged<CaseSummary>('/cases', 'cases', filters, 25);
  const navigate = useNavigate();
  const filtered = Object.values(filters).some(Boolean);
  return (
    <section>
      <h1>Cases</h1>
      <CasesNav />
      <CaseFilters values={filters} playbooks={playbooks} onChange={setFilters} onClear={clear} />
      {playbooksError ? <ErrorBanner error={playbooksError} /> : null}
      <DataState
        what="cases"
        loading={paged.loading && !paged.data}
        error={paged.error}
        onRetry={paged.reload}
        isEmpty={paged.items.length === 0}
        empty={
          filtered
            ? 'No case matches these filters. Widen the time range or clear the filters.'
            : 'No cases yet. Playbooks open cases with the x-atio-case command (docs/cases.md); the workflow monitor opens one when a playbook is deleted.'
        }
      >
        <div className="table-wrap">
          <table className="list" data-testid="case-list">
            <thead>
              <tr>
                <th scope="col">Title</th>
                <th scope="col">Severity</th>
                <th scope="col">Status</th>
                <th scope="col">Assignee</th>
                <th scope="col">Playbook / use case</th>
                <th scope="col">Detected</th>
                <th scope="col" title="How many detections the case holds">Det.</th>
                <th scope="col" title="Time to detect">MTTD</th>
                <th scope="col" title="Time to acknowledge">MTTA</th>
                <th scope="col" title="Time to respond">MTTR</th>
              </tr>
            </thead>
            <tbody>
              {paged.items.map((c) => (
                <tr key={c.id} className="clickable" data-testid="case-row" data-case-id={c.id} onClick={() => navigate(`/cases/${c.id}`)}>
                  <td>
                    <Link to={`/cases/${c.id}`} onClick={(e) => e.stopPropagation()}>
                      {c.title || '(untitled)'}
                    </Link>
                  </td>
                  <td>
                    <SeverityBadge severity={c.severity} />
                  </td>
                  <td>
                    <StatusBadge status={c.status} />
                  </td>
                  <td>{c.assignee || <span className="muted">nobody</span>}</td>
                  <td>
                    {c.playbook_id ? names.get(c.playbook_id) ?? <span className="mono">{c.playbook_id}</span> : null}
                    {c.use_case && <div className="muted">{c.use_case}</div>}
                  </td>
                  <td className="nowrap">{formatTime(c.detected_at)}</td>
                  <td>{c.detection_count}</td>
                  <td className="nowrap">{formatDuration(c.mttd_ms)}</td>
                  <td className="nowrap">{formatDuration(c.mtta_ms)}</td>
                  <td className="nowrap">{formatDuration(c.mttr_ms)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
        <Pager page={paged.page} hasPrev={paged.hasPrev} hasNext={paged.hasNext} back={paged.back} forward={paged.forward} />
      </DataState>
    </section>
  );
}
