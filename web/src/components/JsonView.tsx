// A collapsible JSON tree: objects and arrays open and close with a click
// (or Enter), the first `openDepth` levels start open.
import { useState } from 'react';

function Node({ name, value, depth, openDepth }: { name?: string; value: unknown; depth: number; openDepth: number }) {
  const [open, setOpen] = useState(depth < openDepth);
  const label = name !== undefined ? <span className="json-key">{name}: </span> : null;
  if (value === null || typeof value !== 'object') {
    const cls = value === null ? 'json-null' : `json-${typeof value}`;
    return (
      <div className="json-leaf">
        {label}
        <span className={cls}>{JSON.stringify(value)}</span>
      </div>
    );
  }
  const entries = Array.isArray(value) ? value.map((v, i) => [String(i), v] as const) : Object.entries(value);
  const brackets = Array.isArray(value) ? ['[', ']'] : ['{', '}'];
  return (
    <div className="json-node">
      <button type="button" className="json-toggle" aria-expanded={open} onClick={() => setOpen(!open)}>
        {open ? '▾' : '▸'} {label}
        {brackets[0]}
        {!open && `${entries.length} ${Array.isArray(value) ? 'items' : 'keys'}${brackets[1]}`}
      </button>
      {open && (
        <div className="json-children">
          {entries.map(([k, v]) => (
            <Node key={k} name={k} value={v} depth={depth + 1} openDepth={openDepth} />
          ))}
          <div>{brackets[1]}</div>
        </div>
      )}
    </div>
  );
}

export function JsonView({ value, openDepth = 1, label }: { value: unknown; openDepth?: number; label?: string }) {
  return (
    <div className="json-view" aria-label={label}>
      <Node value={value} depth={0} openDepth={openDepth} />
    </div>
  );
}
