// atio's 422 answer to a save, sorted by what it concerns: each error whose
// JSON pointer is /workflow/<step id>/... belongs to that step (the rest of
// the pointer names the field, e.g. ["commands", "0", "type"]); every other
// error concerns the playbook as a whole.
import type { FieldError } from '../../../api/client';

export interface Problem {
  path: string[]; // the pointer's tokens after the step id (or all of them)
  message: string;
}

export interface Problems {
  byStep: Record<string, Problem[]>;
  playbook: Problem[]; // not about one step: shown above the graph
}

export const noProblems: Problems = { byStep: {}, playbook: [] };

// RFC 6901: "/a~1b/c~0d" -> ["a/b", "c~d"].
export function pointerTokens(pointer: string): string[] {
  if (!pointer) return [];
  return pointer
    .replace(/^\//, '')
    .split('/')
    .map((t) => t.replace(/~1/g, '/').replace(/~0/g, '~'));
}

export function pointerOf(tokens: string[]): string {
  return tokens.map((t) => '/' + t.replace(/~/g, '~0').replace(/\//g, '~1')).join('');
}

export function groupProblems(errors: FieldError[], stepIds: Set<string>): Problems {
  const out: Problems = { byStep: {}, playbook: [] };
  for (const e of errors) {
    const t = pointerTokens(e.pointer);
    if (t[0] === 'workflow' && t.length >= 2 && stepIds.has(t[1])) {
      (out.byStep[t[1]] ??= []).push({ path: t.slice(2), message: e.message });
    } else {
      out.playbook.push({ path: t, message: e.message });
    }
  }
  return out;
}

// The problems under `prefix` (same tokens first), with the prefix removed.
export function under(problems: Problem[], ...prefix: string[]): Problem[] {
  return problems
    .filter((p) => prefix.every((k, i) => p.path[i] === k))
    .map((p) => ({ path: p.path.slice(prefix.length), message: p.message }));
}

// The messages about exactly this field or something inside it.
export function messagesAt(problems: Problem[], ...prefix: string[]): string[] {
  return under(problems, ...prefix).map((p) => (p.path.length ? `${pointerOf(p.path).slice(1)}: ${p.message}` : p.message));
}
