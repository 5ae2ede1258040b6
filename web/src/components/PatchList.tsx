// An RFC 6902 JSON diff as atio gives it (the monitor's `changes`, the audit
// log's `diff`): one line per operation with its JSON pointer and new value.
// Values atio left out (value_omitted) and a truncated tail are said so.

export interface PatchOp {
  op: string; // add, remove, replace; `truncated` closes a cut list
  path?: string;
  value?: unknown;
  value_omitted?: boolean;
  more?: number;
}

function shown(v: unknown): string {
  const s = typeof v === 'string' ? JSON.stringify(v) : JSON.stringify(v, null, 1);
  return s.length > 400 ? s.slice(0, 400) + '…' : s;
}

export function PatchList({ ops, label }: { ops: PatchOp[]; label?: string }) {
  if (ops.length === 0) return <p className="muted">No change in the document.</p>;
  return (
    <ul className="patch" aria-label={label ?? 'Changes'} data-testid="patch">
      {ops.map((o, i) =>
        o.op === 'truncated' ? (
          <li key={i} className="patch-truncated muted">
            … and {o.more ?? 'more'} more operations (atio keeps the first ones only)
          </li>
        ) : (
          <li key={i} className={`patch-op op-${o.op}`}>
            <span className="patch-kind">{o.op}</span> <code className="patch-path">{o.path || '/'}</code>
            {o.value_omitted ? (
              <span className="muted"> (value too large, left out)</span>
            ) : o.op !== 'remove' && 'value' in o ? (
              <pre className="patch-value">{shown(o.value)}</pre>
            ) : null}
          </li>
        ),
      )}
    </ul>
  );
}
