// One case: every field atio keeps, its times and durations, the actions an
// analyst takes, the timeline of every change and what it is linked to.
import { useState, type ReactNode } from 'react';
import { Link, useParams } from 'react-router-dom';
import { useApi } from '../../api/hooks';
import { DataState } from '../../components/DataState';
import { formatDuration, formatTime } from '../../components/format';
import { usePlaybookNames } from '../../components/usePlaybookNames';
import { CaseActions } from './CaseActions';
import { SeverityBadge, StatusBadge } from './CaseBadges';
import { CaseLinks } from './CaseLinks';
import { CaseTimeline } from './CaseTimeline';
import type { Case } from './types';

function Field({ label, children, testid }: { label: string; children: ReactNode; testid?: string }) {
  return (
    <>
      <dt>{label}</dt>
      <dd data-testid={testid}>{children}</dd>
    </>
  );
}

function CaseFields({ c, playbookName }: { c: Case; playbookName?: string }) {
  return (
    <dl className="fields">
      <Field label="Status">
        <StatusBadge status={c.status} />
      </Field>
      <Field label="Severity">
        <SeverityBadge severity={c.severity} />
      </Field>
      <Field label="Assignee" testid="case-assignee">
        {c.assignee || <span className="muted">nobody</span>}
      </Field>
      <Field label="Playbook">
        {c.playbook_id ? <Link to={`/playbooks/${c.playbook_id}`}>{playbookName ?? c.playbook_id}</Link> : '—'}
      </Field>
      <Field label="Use case">{c.use_case || '—'}</Field>
      <Field label="Detections">{c.detection_count}</Field>
      <Field label="Correlation key">
        {c.correlation_key ? <span className="mono">{c.correlation_key}</span> : <span className="muted">none (this case takes no repeats)</span>}
      </Field>
      <Field label="Correlation window">{formatDuration(c.correlation_window_ms)}</Field>
      <Field label="Id">
        <span className="mono">{c.id}</span>
      </Field>
      <Field label="Created / updated">
        {formatTime(c.created_at)} / {formatTime(c.updated_at)} <span className="muted">(revision {c.revision})</span>
      </Field>
    </dl>
  );
}

function CaseTimes({ c }: { c: Case }) {
  const rows: [string, string | null, string][] = [
    ['Occurred', c.occurred_at, 'the detector’s own event time (the earliest, with repeats)'],
    ['Last seen', c.last_seen_at, 'the latest event time of a repeat'],
    ['Detected', c.detected_at, 'when the detector reported it, or atio received it'],
    ['Acknowledged', c.acknowledged_at, c.acknowledged_by ? `by ${c.acknowledged_by}` : ''],
    ['Responded', c.responded_at, 'when the playbook’s response actions completed'],
    ['Resolved', c.resolved_at, 'when the case was closed'],
  ];
  return (
    <div className="case-times">
      <table className="list compact">
        <tbody>
          {rows.map(([label, time, note]) => (
            <tr key={label}>
              <th scope="row">{label}</th>
              <td className="nowrap" data-testid={`case-${label.toLowerCase().replace(' ', '-')}`}>{formatTime(time)}</td>
              <td className="muted">{note}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <dl className="durations">
        <div>
          <dt title="detected − occurred">MTTD</dt>
          <dd data-testid="case-mttd">{formatDuration(c.mttd_ms)}</dd>
        </div>
        <div>
          <dt title="acknowledged − detected">MTTA</dt>
          <dd data-testid="case-mtta">{formatDuration(c.mtta_ms)}</dd>
        </div>
        <div>
          <dt title="responded (or resolved, per atio's setting) − detected">MTTR</dt>
          <dd data-testid="case-mttr">{formatDuration(c.mttr_ms)}</dd>
        </div>
      </dl>
    </div>
  );
}

export function CaseDetail() {
  const { id = '' } = useParams();
  const loaded = useApi<Case>(`/cases/${encodeURIComponent(id)}`);
  const { names } = usePlaybookNames();
  const [notice, setNotice] = useState('');
  const c = loaded.data;
  const changed = (msg: string) => {
    setNotice(msg);
    loaded.reload();
  };
  return (
    <section>
      <p>
        <Link to="/cases">← Cases</Link>
      </p>
      <DataState what="the case" loading={loaded.loading && !c} error={loaded.error} onRetry={loaded.reload}>
        {c && (
          <>
            <h1 data-testid="case-title">{c.title || '(untitled case)'}</h1>
            {notice && (
              <p className="notice" role="status">
                {notice}
              </p>
            )}
            <div className="split">
              <div>
                <div className="panel">
                  <CaseFields c={c} playbookName={names.get(c.playbook_id)} />
                </div>
                <h2>Times</h2>
                <CaseTimes c={c} />
                <h2>Timeline</h2>
                <CaseTimeline entries={c.timeline} />
                <h2>Links</h2>
                <CaseLinks links={c.links} />
              </div>
              <aside className="panel" aria-label="Actions">
                <h2>Actions</h2>
                <CaseActions key={c.id} c={c} onChanged={changed} />
              </aside>
            </div>
          </>
        )}
      </DataState>
    </section>
  );
}
