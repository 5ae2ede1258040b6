// A line diff of two texts for the side-by-side view: the longest common
// subsequence of lines (after the common head and tail are set aside), with
// runs of removed and added lines paired up as changed rows.

export interface Side {
  no: number; // 1-based line number
  text: string;
}

export interface Row {
  kind: 'same' | 'changed' | 'removed' | 'added';
  left?: Side;
  right?: Side;
}

type Op = { t: 'same' | 'del' | 'add'; a?: number; b?: number };

const MAX_CELLS = 16_000_000;

function middleOps(a: string[], b: string[], a0: number, a1: number, b0: number, b1: number): Op[] {
  const n = a1 - a0;
  const m = b1 - b0;
  const ops: Op[] = [];
  if (n * m > MAX_CELLS) {
    for (let i = a0; i < a1; i++) ops.push({ t: 'del', a: i });
    for (let j = b0; j < b1; j++) ops.push({ t: 'add', b: j });
    return ops;
  }
  // lcs[i][j]: LCS length of a[a0+i..a1) and b[b0+j..b1), row-major.
  const w = m + 1;
  const lcs = new Uint32Array((n + 1) * w);
  for (let i = n - 1; i >= 0; i--) {
    for (let j = m - 1; j >= 0; j--) {
      lcs[i * w + j] = a[a0 + i] === b[b0 + j] ? lcs[(i + 1) * w + j + 1] + 1 : Math.max(lcs[(i + 1) * w + j], lcs[i * w + j + 1]);
    }
  }
  let i = 0;
  let j = 0;
  while (i < n && j < m) {
    if (a[a0 + i] === b[b0 + j]) {
      ops.push({ t: 'same', a: a0 + i++, b: b0 + j++ });
    } else if (lcs[(i + 1) * w + j] >= lcs[i * w + j + 1]) {
      ops.push({ t: 'del', a: a0 + i++ });
    } else {
      ops.push({ t: 'add', b: b0 + j++ });
    }
  }
  while (i < n) ops.push({ t: 'del', a: a0 + i++ });
  while (j < m) ops.push({ t: 'add', b: b0 + j++ });
  return ops;
}

export function diffLines(left: string, right: string): Row[] {
  const a = left.split('\n');
  const b = right.split('\n');
  let head = 0;
  while (head < a.length && head < b.length && a[head] === b[head]) head++;
  let tail = 0;
  while (tail < a.length - head && tail < b.length - head && a[a.length - 1 - tail] === b[b.length - 1 - tail]) tail++;
  const ops: Op[] = [];
  for (let k = 0; k < head; k++) ops.push({ t: 'same', a: k, b: k });
  ops.push(...middleOps(a, b, head, a.length - tail, head, b.length - tail));
  for (let k = tail; k > 0; k--) ops.push({ t: 'same', a: a.length - k, b: b.length - k });

  const rows: Row[] = [];
  const side = (lines: string[], i: number): Side => ({ no: i + 1, text: lines[i] });
  for (let k = 0; k < ops.length; ) {
    if (ops[k].t === 'same') {
      rows.push({ kind: 'same', left: side(a, ops[k].a!), right: side(b, ops[k].b!) });
      k++;
      continue;
    }
    const dels: number[] = [];
    const adds: number[] = [];
    while (k < ops.length && ops[k].t !== 'same') {
      if (ops[k].t === 'del') dels.push(ops[k].a!);
      else adds.push(ops[k].b!);
      k++;
    }
    for (let r = 0; r < Math.max(dels.length, adds.length); r++) {
      const l = r < dels.length ? side(a, dels[r]) : undefined;
      const rt = r < adds.length ? side(b, adds[r]) : undefined;
      rows.push({ kind: l && rt ? 'changed' : l ? 'removed' : 'added', left: l, right: rt });
    }
  }
  return rows;
}
