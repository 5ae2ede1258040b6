// One audit record: every field atio hashes, the links of the chain, and for
// playbook changes the content hashes before and after and the JSON diff.
import type { ReactNode } from 'react';
import { Link, useParams } from 'react-router-dom';
import { useApi } from '../../api/hooks';
import { DataState } from '../../components/DataState';
import { JsonView } from '../../components/JsonView';
import { PatchList, type PatchOp } from '../../components/PatchList';
import { formatTime } from '../../components/format';
import { objectPath, type AuditHead, type AuditRecord } from './types';

const ZERO = '0'.repeat(64);

function Row({ label, children, testid }: { label: string; children: ReactNode; testid?: string }) {
  return (
    <>
      <dt>{label}</dt>
      <dd data-testid={testid}>{children}</dd>
    </>
  );
}

function Hash({ h }: { h: unknown }) {
  if (h === null) return <span className="muted">none (did not exist / deleted)</span>;
  if (typeof h !== 'string') return <span className="muted">—</span>;
  return <span className="mono">{h}</span>;
}

function PlaybookChange({ d }: { d: Record<string, unknown> }) {
  const hasHashes = 'hash_before' in d || 'hash_after' in d;
  const diff = Array.isArray(d.diff) ? (d.diff as PatchOp[]) : null;
  if (!hasHashes && !diff) return null;
  return (
    <section aria-labelledby="change-title">
      <h2 id="change-title">Playbook change</h2>
      <dl className="fields panel">
        {'hash_before' in d && (
          <Row label="Content hash before">
            <Hash h={d.hash_before} />
          </Row>
        )}
        {'hash_after' in d && (
          <Row label="Content hash after">
            <Hash h={d.hash_after} />
          </Row>
        )}
      </dl>
      {diff && (
        <>
          <h3>JSON diff (RFC 6902)</h3>
          <PatchList ops={diff} label="Diff of the playbook" />
        </>
      )}
    </section>
  );
}

export function AuditRecordPage() {
  const { seq = '' } = useParams();
  const loaded = useApi<AuditRecord>(`/audit/${encodeURIComponent(seq)}`);
  const head = useApi<AuditHead>('/audit/head');
  const r = loaded.data;
  const n = Number(seq);
  const newest = head.data?.seq;
  const objPath = r ? objectPath(r.object_type, r.object_id) : null;
  return (
    <section>
      <nav className="record-nav" aria-label="Records">
        <Link to="/audit">← Audit log</Link>
        {n > 1 && <Link to={`/audit/${n - 1}`}>Previous record (#{n - 1})</Link>}
        {newest !== undefined && n < newest && <Link to={`/audit/${n + 1}`}>Next record (#{n + 1})</Link>}
      </nav>
      <DataState what={`audit record #${seq}`} loading={loaded.loading && !r} error={loaded.error} onRetry={loaded.reload}>
        {r && (
          <>
            <h1>
              Audit record #{r.seq}: <span className="mono">{r.action}</span>{' '}
              <span className={`badge ${r.outcome}`} data-testid="audit-outcome">
                {r.outcome}
              </span>
            </h1>
            <dl className="fields panel" data-testid="audit-record">
              <Row label="Seq">{r.seq}</Row>
              <Row label="Time">
                {formatTime(r.time)} <span className="muted mono">({r.time_ms} ms)</span>
              </Row>
              <Row label="Actor">
                {r.actor_name} <span className="muted">— {r.actor_kind}, id</span> <span className="mono">{r.actor}</span>
              </Row>
              <Row label="Role">{r.role || '—'}</Row>
              <Row label="Source address">
                <span className="mono">{r.source_ip || '—'}</span>
              </Row>
              <Row label="User agent">{r.user_agent || <span className="muted">none</span>}</Row>
              <Row label="Action" testid="audit-action">
                <span className="mono">{r.action}</span>
              </Row>
              <Row label="Object">
                {r.object_type} {objPath ? <Link to={objPath}>{r.object_id}</Link> : <span className="mono">{r.object_id || '—'}</span>}
              </Row>
              <Row label="Outcome">{r.outcome}</Row>
              <Row label="Previous hash">
                {r.prev_hash === ZERO ? (
                  <span className="muted">64 zeros: the first record</span>
                ) : (
                  <Link to={`/audit/${r.seq - 1}`} className="mono">
                    {r.prev_hash}
                  </Link>
                )}
              </Row>
              <Row label="Hash" testid="audit-hash">
                <span className="mono">{r.hash}</span>
              </Row>
            </dl>
            <PlaybookChange d={r.detail ?? {}} />
            <h2>Detail</h2>
            <JsonView value={r.detail} openDepth={2} label="Detail" />
            <details>
              <summary>Detail as stored (the hashed text)</summary>
              <pre className="mono stored">{r.detail_text}</pre>
            </details>
          </>
        )}
      </DataState>
    </section>
  );
}
