// Every change of a case in order: what happened, who did it, when, and the
// note or detail atio recorded with it (the whole detail is one click away).
import { Link } from 'react-router-dom';
import { JsonView } from '../../components/JsonView';
import { formatTime } from '../../components/format';
import { statusLabel } from './statusMachine';
import type { TimelineEntry } from './types';

const str = (v: unknown) => (typeof v === 'string' ? v : v === undefined || v === null ? '' : JSON.stringify(v));

function Summary({ e }: { e: TimelineEntry }) {
  const d = e.detail ?? {};
  switch (e.kind) {
    case 'opened':
      return (
        <>
          Opened: “{str(d.title)}”{d.severity ? `, severity ${str(d.severity)}` : ''}
        </>
      );
    case 'detection':
      return <>Detected again{d.detection_count ? ` (detection ${str(d.detection_count)})` : ''}</>;
    case 'severity':
      return (
        <>
          Severity {str(d.from)} → {str(d.to)}
        </>
      );
    case 'acknowledged':
      return <>Acknowledged{d.via === 'manual_step' ? ' by answering a manual step' : ''}</>;
    case 'assigned':
      return <>{d.to ? <>Assigned to {str(d.to)}{d.from ? ` (was ${str(d.from)})` : ''}</> : <>Unassigned (was {str(d.from)})</>}</>;
    case 'status':
      return (
        <>
          Status {statusLabel(str(d.from))} → {statusLabel(str(d.to))}
        </>
      );
    case 'comment':
      return <>Comment</>;
    case 'responded':
      return <>Response done</>;
    case 'linked':
      return <>Linked other tools’ ids</>;
    default:
      return <>{e.kind}</>;
  }
}

export function CaseTimeline({ entries }: { entries: TimelineEntry[] }) {
  if (entries.length === 0) return <p className="muted">No changes recorded.</p>;
  return (
    <ol className="timeline" data-testid="case-timeline">
      {entries.map((e) => {
        const d = e.detail ?? {};
        const note = str(d.note) || (e.kind === 'comment' ? str(d.text) : '');
        const execution = str(d.execution_id);
        return (
          <li key={e.seq} className={`timeline-entry kind-${e.kind}`} data-testid="timeline-entry" data-kind={e.kind}>
            <div className="timeline-head">
              <span className="badge">{e.kind}</span>
              <strong>
                <Summary e={e} />
              </strong>
            </div>
            <div className="timeline-meta muted">
              {formatTime(e.time)} · by {e.actor_name || e.actor}
              {e.actor_name && e.actor !== e.actor_name && <span className="mono"> ({e.actor})</span>}
              {execution && (
                <>
                  {' '}
                  · execution <Link to={`/executions/${execution}`}>{execution}</Link>
                </>
              )}
            </div>
            {note && <blockquote className="timeline-note">{note}</blockquote>}
            {Object.keys(d).length > 0 && (
              <details>
                <summary>Detail</summary>
                <JsonView value={d} openDepth={2} label={`Detail of ${e.kind}`} />
              </details>
            )}
          </li>
        );
      })}
    </ol>
  );
}
