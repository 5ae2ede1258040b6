// What an execution is: its status, playbook and version, trigger, the node
// that runs it, times, duration (counting while it runs) and error.
import { Link } from 'react-router-dom';
import { formatDuration, formatTime } from '../../components/format';
import { StatusBadge } from './StatusBadge';
import { hasEnded, type ExecutionDetail } from './types';
import { useNow } from './useNow';

export function ExecutionFacts({ exec, playbookName }: { exec: ExecutionDetail; playbookName: string | undefined }) {
  const running = !hasEnded(exec.status);
  const now = useNow(running);
  const duration =
    exec.duration_ms !== null
      ? formatDuration(exec.duration_ms)
      : running
        ? `${formatDuration(Math.max(0, now - new Date(exec.created_at).getTime()))} so far`
        : '—';
  const trigger = exec.trigger ?? { kind: '' };
  return (
    <dl className="facts panel" data-testid="execution-facts">
      <dt>Status</dt>
      <dd>
        <StatusBadge status={exec.status} testId="execution-status" />
      </dd>
      <dt>Playbook</dt>
      <dd>
        <Link to={`/playbooks/${encodeURIComponent(exec.playbook_id)}`} data-testid="execution-playbook">
          {playbookName ?? exec.playbook_id}
        </Link>
        <span className="muted small"> version {exec.playbook_version || '—'}</span>
      </dd>
      <dt>Trigger</dt>
      <dd>
        {trigger.kind || '—'}
        {trigger.by && <span className="muted"> by {trigger.by}</span>}
      </dd>
      <dt>Node</dt>
      <dd data-testid="execution-node" title={exec.node || undefined}>
        {exec.node ? exec.node.slice(0, 8) : '—'}
      </dd>
      <dt>Created</dt>
      <dd>{formatTime(exec.created_at)}</dd>
      <dt>Finished</dt>
      <dd>{formatTime(exec.finished_at)}</dd>
      <dt>Duration</dt>
      <dd data-testid="execution-duration">{duration}</dd>
      {exec.error && (
        <>
          <dt>Error</dt>
          <dd className="error-text" data-testid="execution-error">
            {exec.error}
          </dd>
        </>
      )}
    </dl>
  );
}
