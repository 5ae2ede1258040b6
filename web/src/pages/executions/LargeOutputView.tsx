// A step output kept outside the journal (docs/large-outputs.md): its name,
// size and media type, its preview, the rest loaded a page at a time on
// request (Load more), and a download of the whole. Pages are read from
// GET /api/v1/executions/{id}/outputs/{output_id}; a page that is not UTF-8
// text is counted, not shown.
import { useState } from 'react';
import { api, describeError } from '../../api/client';

export interface LargeOutputRef {
  id: string;
  name: string;
  bytes: number;
  media_type: string;
  preview: string;
  preview_bytes: number;
}

interface LargeOutputPage {
  offset: number;
  length: number;
  next_offset: number | null;
  encoding: 'utf-8' | 'base64';
  data: string;
}

export const pageBytes = 65536;

// The reference inside `value`, when `value` is one ({"x_atio_large_output": {...}}).
export function largeOutputRef(value: unknown): LargeOutputRef | null {
  if (!value || typeof value !== 'object' || Array.isArray(value)) return null;
  const keys = Object.keys(value);
  if (keys.length !== 1 || keys[0] !== 'x_atio_large_output') return null;
  const ref = (value as Record<string, unknown>).x_atio_large_output;
  if (!ref || typeof ref !== 'object') return null;
  const r = ref as Partial<LargeOutputRef>;
  if (typeof r.id !== 'string' || typeof r.bytes !== 'number') return null;
  return {
    id: r.id,
    name: r.name ?? '',
    bytes: r.bytes,
    media_type: r.media_type ?? 'application/octet-stream',
    preview: r.preview ?? '',
    preview_bytes: r.preview_bytes ?? 0,
  };
}

export function formatBytes(n: number): string {
  if (n < 1024) return `${n} B`;
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(1)} KiB`;
  if (n < 1024 * 1024 * 1024) return `${(n / (1024 * 1024)).toFixed(1)} MiB`;
  return `${(n / (1024 * 1024 * 1024)).toFixed(2)} GiB`;
}

export function LargeOutputView({ executionId, name, output }: { executionId: string; name: string; output: LargeOutputRef }) {
  // What is shown: the preview, then each page loaded; `next` is the first byte not shown.
  const [text, setText] = useState(output.preview);
  const [next, setNext] = useState<number | null>(output.preview_bytes < output.bytes ? output.preview_bytes : null);
  const [binary, setBinary] = useState(0);
  const [loading, setLoading] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const base = `/executions/${encodeURIComponent(executionId)}/outputs/${encodeURIComponent(output.id)}`;
  const shown = next ?? output.bytes;

  async function loadMore() {
    if (next === null) return;
    setLoading(true);
    setError(null);
    try {
      const page = await api.get<LargeOutputPage>(base, { offset: next, limit: pageBytes });
      if (page.encoding === 'utf-8') {
        setText((t) => t + page.data);
      } else {
        setBinary((b) => b + page.length);
      }
      setNext(page.next_offset);
    } catch (e) {
      setError(describeError(e));
    } finally {
      setLoading(false);
    }
  }

  return (
    <section
      className="large-output"
      data-testid="large-output"
      data-output-name={name}
      data-output-id={output.id}
      data-shown-bytes={shown}
    >
      <h3>
        {name} <span className="muted small">{formatBytes(output.bytes)} · {output.media_type}</span>
      </h3>
      <pre className="large-output-text" data-testid="large-output-text" tabIndex={0} aria-label={`${name} output`}>
        {text}
      </pre>
      {binary > 0 && (
        <p className="muted small" data-testid="large-output-binary">
          {formatBytes(binary)} that are not UTF-8 text are left out; download the output to see them.
        </p>
      )}
      <p className="large-output-bar small">
        <span className="muted" data-testid="large-output-shown">
          {shown < output.bytes
            ? `Showing ${formatBytes(shown)} of ${formatBytes(output.bytes)}.`
            : `All ${formatBytes(output.bytes)} shown.`}
        </span>
        {next !== null && (
          <button type="button" onClick={loadMore} disabled={loading} data-testid="large-output-more">
            {loading ? 'Loading…' : `Load ${formatBytes(Math.min(pageBytes, output.bytes - next))} more`}
          </button>
        )}
        <a className="button" href={`/api/v1${base}/download`} download data-testid="large-output-download">
          Download
        </a>
      </p>
      {error && (
        <div className="error-banner" role="alert">
          {error}
        </div>
      )}
    </section>
  );
}
