// One notification of the workflow monitor and each change it carries: the
// kind, the playbook, who did it (a change made outside atio is flagged
// loudly), when, whether the playbook is protected, what self-recovery did,
// and for a modification the diff.
import { Link } from 'react-router-dom';
import { useAuth } from '../../api/auth';
import { PatchList } from '../../components/PatchList';
import { formatDuration, formatTime } from '../../components/format';
import { eventsOf, type ChangeEvent, type Notification } from './types';

function shortHash(h: string | null) {
  return h ? h.slice(0, 12) : '—';
}

function Actor({ e }: { e: ChangeEvent }) {
  const { can } = useAuth();
  if (e.actor_kind === 'unknown') {
    return (
      <div className="actor-unknown" data-testid="actor-unknown" role="note">
        <strong>⚠ {e.actor || 'unknown (outside atio)'}</strong>
        <span> — nobody atio knows: the change did not go through atio’s API (a direct edit of the database).</span>
      </div>
    );
  }
  return (
    <div className="actor">
      by <strong>{e.actor}</strong>{' '}
      <span className="muted">
        ({e.actor_kind}
        {e.role ? `, ${e.role}` : ''})
      </span>
      {e.audit_seq ? (
        <>
          {' '}
          · {can('audit.read') ? <Link to={`/audit/${e.audit_seq}`}>audit record #{e.audit_seq}</Link> : <>audit record #{e.audit_seq}</>}
          {e.audit_action ? <span className="muted"> ({e.audit_action})</span> : null}
        </>
      ) : null}
    </div>
  );
}

function RecoveryNote({ e }: { e: ChangeEvent }) {
  const r = e.recovery;
  if (!r) return null;
  if (r.restored_at_ms !== undefined) {
    return (
      <div className="recovery restored" data-testid="recovery-restored">
        <strong>✔ Restored</strong> by {r.restored_by ?? 'atio (self-recovery)'}: version {r.restored_version ?? '?'} written back{' '}
        {r.recovery_ms !== undefined ? <>{formatDuration(r.recovery_ms)} after the change</> : null}
        {r.reason ? <span className="muted"> — {r.reason}</span> : null}
      </div>
    );
  }
  return (
    <div className="recovery restoring" data-testid="recovery-restoring">
      <strong>Self-recovery: {r.status ?? 'acting'}</strong>
      {r.reason ? <span> — {r.reason}</span> : null}
    </div>
  );
}

export function ChangeRow({ e }: { e: ChangeEvent }) {
  const restoration = e.recovery?.restored_at_ms !== undefined;
  return (
    <li
      className={`change kind-${e.kind}${restoration ? ' restoration' : ''}`}
      data-testid="monitor-event"
      data-kind={e.kind}
      data-playbook={e.id}
      data-actor-kind={e.actor_kind}
      data-restored={restoration ? 'true' : undefined}
    >
      <div className="change-head">
        <span className={`badge change-${e.kind}`}>{e.kind}</span>
        {restoration && <span className="badge restored">restoration</span>}
        <Link to={`/playbooks/${e.id}`} className="change-playbook">
          {e.name || e.id}
        </Link>
        {e.protected && (
          <span className="badge protected" title="atio restores this playbook when someone without the right changes it">
            protected
          </span>
        )}
      </div>
      <Actor e={e} />
      <div className="muted change-times">
        changed {formatTime(e.time)} · seen {formatDuration(e.detection_ms)} later · hash{' '}
        <span className="mono" title={e.hash_before ?? 'none'}>
          {shortHash(e.hash_before)}
        </span>{' '}
        →{' '}
        <span className="mono" title={e.hash_after ?? 'none'}>
          {shortHash(e.hash_after)}
        </span>
      </div>
      <RecoveryNote e={e} />
      {e.changes && e.changes.length > 0 && (
        <details open={e.changes.length <= 8}>
          <summary>What changed ({e.changes.length})</summary>
          <PatchList ops={e.changes} label={`Changes of ${e.name}`} />
        </details>
      )}
    </li>
  );
}

export function NotificationCard({ n, fresh }: { n: Notification; fresh?: boolean }) {
  const events = eventsOf(n);
  return (
    <article className={`notification${fresh ? ' fresh' : ''}`} data-testid="notification" data-seq={n.seq}>
      <header className="muted">
        #{n.seq} · {formatTime(n.time)} · {events.length} change{events.length === 1 ? '' : 's'}
        {n.source && n.source !== 'atio' ? ` · from ${n.source}` : ''}
      </header>
      <ul className="changes">
        {events.map((e, i) => (
          <ChangeRow key={`${e.kind}-${e.id}-${i}`} e={e} />
        ))}
      </ul>
    </article>
  );
}
