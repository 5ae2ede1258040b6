// The request line of a CACAO http-api command ("METHOD target [HTTP/x]")
// and its headers (name -> list of values) as the form edits them.

export const httpMethods = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD', 'OPTIONS'];

export interface RequestLine {
  method: string;
  target: string; // a path (joined to the step's http-api target) or a whole URL
  version: string; // kept as written; "" when absent
}

export function parseRequestLine(command: unknown): RequestLine {
  const tokens = typeof command === 'string' ? command.trim().split(/\s+/).filter(Boolean) : [];
  if (tokens.length === 0) return { method: 'GET', target: '', version: 'HTTP/1.1' };
  const [method, ...rest] = tokens;
  if (rest.length >= 2 && /^HTTP/i.test(rest[rest.length - 1])) {
    return { method, target: rest.slice(0, -1).join(' '), version: rest[rest.length - 1] };
  }
  return { method, target: rest.join(' '), version: '' };
}

export function formatRequestLine(r: RequestLine): string {
  return [r.method, r.target, r.version].filter(Boolean).join(' ');
}

// {"Accept": ["a", "b"]} -> "Accept: a\nAccept: b"
export function headersToText(headers: unknown): string {
  if (!headers || typeof headers !== 'object' || Array.isArray(headers)) return '';
  const lines: string[] = [];
  for (const [name, values] of Object.entries(headers as Record<string, unknown>)) {
    for (const v of Array.isArray(values) ? values : [values]) lines.push(`${name}: ${String(v)}`);
  }
  return lines.join('\n');
}

export function textToHeaders(text: string): { headers?: Record<string, string[]>; error?: string } {
  const headers: Record<string, string[]> = {};
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i].trim();
    if (!line) continue;
    const colon = line.indexOf(':');
    if (colon <= 0) return { error: `line ${i + 1} needs the form "Name: value"` };
    const name = line.slice(0, colon).trim();
    (headers[name] ??= []).push(line.slice(colon + 1).trim());
  }
  return { headers: Object.keys(headers).length ? headers : undefined };
}
