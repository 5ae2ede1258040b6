// Two documents pretty-printed side by side, changed lines marked; long runs
// of unchanged lines fold up and open with a click.
import { useMemo, useState } from 'react';
import { diffLines, type Row } from './lineDiff';

const CONTEXT = 3;

type Block = { rows: Row[]; folded: boolean };

function blocks(rows: Row[]): Block[] {
  const out: Block[] = [];
  let k = 0;
  while (k < rows.length) {
    let e = k;
    while (e < rows.length && rows[e].kind === 'same') e++;
    if (e > k) {
      const run = rows.slice(k, e);
      const keepHead = k === 0 ? 0 : CONTEXT;
      const keepTail = e === rows.length ? 0 : CONTEXT;
      if (run.length > keepHead + keepTail + 2) {
        if (keepHead) out.push({ rows: run.slice(0, keepHead), folded: false });
        out.push({ rows: run.slice(keepHead, run.length - keepTail), folded: true });
        if (keepTail) out.push({ rows: run.slice(run.length - keepTail), folded: false });
      } else out.push({ rows: run, folded: false });
      k = e;
    } else {
      while (e < rows.length && rows[e].kind !== 'same') e++;
      out.push({ rows: rows.slice(k, e), folded: false });
      k = e;
    }
  }
  return out;
}

function Line({ row }: { row: Row }) {
  return (
    <tr className={`pb-diff-${row.kind}`} data-kind={row.kind}>
      <td className="pb-ln">{row.left?.no ?? ''}</td>
      <td className="pb-code pb-left">{row.left ? row.left.text : ''}</td>
      <td className="pb-ln">{row.right?.no ?? ''}</td>
      <td className="pb-code pb-right">{row.right ? row.right.text : ''}</td>
    </tr>
  );
}

export function SideBySide({ left, right, leftTitle, rightTitle }: { left: unknown; right: unknown; leftTitle: string; rightTitle: string }) {
  const rows = useMemo(() => diffLines(JSON.stringify(left, null, 2), JSON.stringify(right, null, 2)), [left, right]);
  const parts = useMemo(() => blocks(rows), [rows]);
  const [open, setOpen] = useState<Set<number>>(new Set());
  const changed = rows.filter((r) => r.kind !== 'same').length;
  return (
    <div className="pb-side-by-side" data-testid="side-by-side">
      <p className="muted">{changed === 0 ? 'The two documents are the same.' : `${changed} changed line${changed === 1 ? '' : 's'}.`}</p>
      <div className="table-wrap">
        <table className="pb-diff">
          <colgroup>
            <col className="pb-ln-col" />
            <col />
            <col className="pb-ln-col" />
            <col />
          </colgroup>
          <thead>
            <tr>
              <th colSpan={2}>{leftTitle}</th>
              <th colSpan={2}>{rightTitle}</th>
            </tr>
          </thead>
          <tbody>
            {parts.map((b, i) =>
              b.folded && !open.has(i) ? (
                <tr key={i} className="pb-diff-fold">
                  <td colSpan={4}>
                    <button type="button" className="link" onClick={() => setOpen(new Set(open).add(i))}>
                      Show {b.rows.length} unchanged lines
                    </button>
                  </td>
                </tr>
              ) : (
                b.rows.map((r, j) => <Line key={`${i}-${j}`} row={r} />)
              ),
            )}
          </tbody>
        </table>
      </div>
    </div>
  );
}
