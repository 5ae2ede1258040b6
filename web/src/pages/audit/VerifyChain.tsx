// "Verify chain": atio walks the whole audit log, recomputes every hash and
// checks every signed checkpoint (POST /audit/verify), and the result is
// shown as it came: intact with what was checked, or the broken records.
import { Link } from 'react-router-dom';
import { api } from '../../api/client';
import { ErrorBanner } from '../../components/DataState';
import { useState } from 'react';
import { useAction } from '../../components/useAction';
import type { VerifyReport } from './types';

function Report({ r }: { r: VerifyReport }) {
  return (
    <div className={`verify-result ${r.ok ? 'ok' : 'broken'}`} data-testid="verify-result" data-ok={r.ok} role="status">
      <p className="verify-verdict">
        <strong>{r.ok ? '✔ The audit log is intact.' : '✘ The audit log is NOT intact.'}</strong> {r.summary}
      </p>
      <dl className="fields">
        <dt>Records checked</dt>
        <dd data-testid="verify-records">{r.records}</dd>
        <dt>Signed checkpoints checked</dt>
        <dd data-testid="verify-checkpoints">
          {r.checkpoints}
          {r.checkpoints > 0 && <span className="muted"> (newest at record #{r.last_checkpoint_seq})</span>}
          {r.checkpoints === 0 && (
            <span className="muted"> — atio signs one every 1000 records, every minute with new records, and when it stops</span>
          )}
        </dd>
        <dt>Newest record</dt>
        <dd>
          <Link to={`/audit/${r.head_seq}`}>#{r.head_seq}</Link> <span className="mono">{r.head_hash}</span>
        </dd>
        <dt>Signatures</dt>
        <dd>{r.key_trusted ? 'checked against atio’s key file' : 'checked only against the public keys stored with them (weaker)'}</dd>
      </dl>
      {r.problems.length > 0 && (
        <>
          <h3>Problems</h3>
          <ul data-testid="verify-problems">
            {r.problems.map((p, i) => (
              <li key={i}>
                <span className="badge failure">{p.kind}</span> at record <Link to={`/audit/${p.seq}`}>#{p.seq}</Link>: {p.message}
              </li>
            ))}
          </ul>
        </>
      )}
    </div>
  );
}

export function VerifyChain() {
  const act = useAction();
  const [report, setReport] = useState<VerifyReport | null>(null);
  const verify = () =>
    void act.run(async () => {
      setReport(null);
      setReport(await api.post<VerifyReport>('/audit/verify'));
    });
  return (
    <div className="verify">
      <button type="button" className="primary" onClick={verify} disabled={act.busy} data-testid="verify-chain">
        {act.busy ? 'Verifying the chain…' : 'Verify chain'}
      </button>
      <span className="muted"> Recomputes every record’s hash and checks every signed checkpoint (recorded as audit.verify).</span>
      <ErrorBanner error={act.error} />
      {report && <Report r={report} />}
    </div>
  );
}
