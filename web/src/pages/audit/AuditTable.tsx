// Rows of the audit log: one record each; a row opens the record.
import { Link, useNavigate } from 'react-router-dom';
import { formatTime } from '../../components/format';
import type { AuditRecord } from './types';

// onActor: show only that actor's records (atio filters by actor id, not name).
export function AuditTable({ records, onActor }: { records: AuditRecord[]; onActor?: (id: string) => void }) {
  const navigate = useNavigate();
  return (
    <div className="table-wrap">
      <table className="list" data-testid="audit-table">
        <thead>
          <tr>
            <th scope="col">Seq</th>
            <th scope="col">Time</th>
            <th scope="col">Actor</th>
            <th scope="col">Action</th>
            <th scope="col">Object</th>
            <th scope="col">Outcome</th>
            <th scope="col">From</th>
          </tr>
        </thead>
        <tbody>
          {records.map((r) => (
            <tr
              key={r.seq}
              className="clickable"
              data-testid="audit-row"
              data-seq={r.seq}
              data-action={r.action}
              onClick={() => navigate(`/audit/${r.seq}`)}
            >
              <td>
                <Link to={`/audit/${r.seq}`} onClick={(e) => e.stopPropagation()}>
                  #{r.seq}
                </Link>
              </td>
              <td className="nowrap">{formatTime(r.time)}</td>
              <td>
                {r.actor_name || r.actor}{' '}
                {onActor && (
                  <button
                    type="button"
                    className="link filter-actor"
                    title={`Only the records of ${r.actor}`}
                    aria-label={`Only the records of ${r.actor_name || r.actor}`}
                    onClick={(e) => {
                      e.stopPropagation();
                      onActor(r.actor);
                    }}
                  >
                    only
                  </button>
                )}
                <span className="muted">
                  ({r.actor_kind}
                  {r.role ? `, ${r.role}` : ''})
                </span>
              </td>
              <td className="mono">{r.action}</td>
              <td>
                {r.object_type && <span className="muted">{r.object_type} </span>}
                <span className="mono">{r.object_id}</span>
              </td>
              <td>
                <span className={`badge ${r.outcome}`}>{r.outcome}</span>
              </td>
              <td className="mono">{r.source_ip}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
