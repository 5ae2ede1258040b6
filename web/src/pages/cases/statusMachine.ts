// The case status machine of docs/cases.md, so the UI offers only the moves
// atio allows: new -> acknowledged -> responding -> resolved one step at a
// time, or any open status -> false_positive; resolved and false_positive
// are final. atio stays the judge: a move it refuses (another analyst moved
// the case first) comes back as a 409 whose message the page shows.
import type { CaseStatus } from './types';

const NEXT: Record<CaseStatus, CaseStatus[]> = {
  new: ['acknowledged', 'false_positive'],
  acknowledged: ['responding', 'false_positive'],
  responding: ['resolved', 'false_positive'],
  resolved: [],
  false_positive: [],
};

export function allowedMoves(status: CaseStatus): CaseStatus[] {
  return NEXT[status] ?? [];
}

export function isOpen(status: CaseStatus): boolean {
  return status === 'new' || status === 'acknowledged' || status === 'responding';
}

export function statusLabel(status: string): string {
  return status === 'false_positive' ? 'false positive' : status;
}
