// What changed between two versions: the RFC 6902 operations atio computes
// (GET /playbooks/{id}/diff) and the two documents side by side.
import { useApi } from '../../../api/hooks';
import { DataState } from '../../../components/DataState';
import type { PlaybookDiff, PlaybookVersion } from '../types';
import { SideBySide } from './SideBySide';

function short(v: unknown): string {
  const s = JSON.stringify(v);
  return s.length > 160 ? s.slice(0, 157) + '…' : s;
}

export function VersionDiff({ id, from, to }: { id: string; from: number; to: number }) {
  const base = `/playbooks/${encodeURIComponent(id)}`;
  const diff = useApi<PlaybookDiff>(`${base}/diff`, { from, to });
  const left = useApi<PlaybookVersion>(`${base}/versions/${from}`);
  const right = useApi<PlaybookVersion>(`${base}/versions/${to}`);
  const loading = diff.loading || left.loading || right.loading;
  const error = diff.error ?? left.error ?? right.error;
  return (
    <section className="pb-version-diff" data-testid="version-diff" aria-label={`Changes from version ${from} to ${to}`}>
      <h2>
        Version {from} → version {to}
      </h2>
      <DataState what="the two versions" loading={loading} error={error}>
        {diff.data && (
          <>
            <h3>Operations (RFC 6902)</h3>
            {diff.data.diff.length === 0 ? (
              <p className="muted">No operations: the documents are the same.</p>
            ) : (
              <div className="table-wrap">
                <table className="list" data-testid="patch-ops">
                  <thead>
                    <tr>
                      <th>Op</th>
                      <th>Path</th>
                      <th>Value</th>
                    </tr>
                  </thead>
                  <tbody>
                    {diff.data.diff.map((op, i) => (
                      <tr key={i}>
                        <td>
                          <span className={`badge pb-op-${op.op}`}>{op.op}</span>
                        </td>
                        <td className="mono">{op.path}</td>
                        <td className="mono">{op.op === 'remove' ? '' : op.from !== undefined ? `from ${op.from}` : short(op.value)}</td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </div>
            )}
          </>
        )}
        {left.data && right.data && (
          <>
            <h3>Documents</h3>
            <SideBySide left={left.data.document} right={right.data.document} leftTitle={`Version ${from}`} rightTitle={`Version ${to}`} />
          </>
        )}
      </DataState>
    </section>
  );
}
