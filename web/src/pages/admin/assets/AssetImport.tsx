// Import assets from a CSV file (POST /assets, Content-Type text/csv). atio
// takes all rows or none; its errors name a line and a column, shown here
// beside the line of the file they concern.
import { useState, type FormEvent } from 'react';
import { Link } from 'react-router-dom';
import { ApiError, request } from '../../../api/client';
import { ErrorBanner } from '../../../components/DataState';
import { ReadOnlyNote } from '../NeedsPermission';
import type { Asset } from '../types';

interface LineProblem {
  line: number | null;
  column: string;
  message: string;
}

// "line 3, column ips" → {line: 3, column: "ips"}; anything else is kept whole.
function lineProblems(e: ApiError): LineProblem[] {
  return e.errors.map((f) => {
    const m = /^line (\d+)(?:, column (.+))?$/.exec(f.pointer);
    return m ? { line: Number(m[1]), column: m[2] ?? '', message: f.message } : { line: null, column: f.pointer, message: f.message };
  });
}

const example = `name,ips,cidrs,hostnames,owner,tags,criticality
web-1,10.1.2.3,,web-1.corp.example,web team,"pci;dmz",4
dmz,,10.1.2.0/24,,net team,dmz,2`;

export function AssetImport() {
  const [fileName, setFileName] = useState('');
  const [text, setText] = useState('');
  const [error, setError] = useState<unknown>(null);
  const [imported, setImported] = useState<Asset[] | null>(null);
  const [busy, setBusy] = useState(false);
  const lines = text.split(/\r?\n/);

  async function choose(file: File | undefined) {
    setError(null);
    setImported(null);
    setFileName(file?.name ?? '');
    setText(file ? await file.text() : '');
  }

  async function submit(e: FormEvent) {
    e.preventDefault();
    setBusy(true);
    setError(null);
    setImported(null);
    try {
      const r = await request<{ assets: Asset[] }>('POST', '/assets', { body: text, contentType: 'text/csv' });
      setImported(r.assets);
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  }

  const problems = error instanceof ApiError ? lineProblems(error) : [];

  return (
    <section aria-labelledby="import-title">
      <p>
        <Link to="/assets">← Assets</Link>
      </p>
      <h2 id="import-title">Import assets from CSV</h2>
      <ReadOnlyNote permission="knowledge.write" what="assets" />
      <div className="panel">
        <p>
          A header row naming the columns (<code>name, ips, cidrs, hostnames, owner, tags, criticality</code>, any order and
          case), then one asset per row. Lists are separated by spaces or semicolons. An asset with the id of one already
          stored replaces it. All rows are imported, or none.
        </p>
        <details>
          <summary>Example</summary>
          <pre className="mono">{example}</pre>
        </details>
        <form onSubmit={submit} className="toolbar" data-testid="import-form">
          <label>
            CSV file
            <input type="file" name="csv" accept=".csv,text/csv" onChange={(e) => void choose(e.target.files?.[0])} />
          </label>
          <button type="submit" className="primary" disabled={!text || busy}>
            {busy ? 'Importing…' : 'Import'}
          </button>
          {text && (
            <span className="muted">
              {fileName}: {lines.filter((l) => l.trim()).length - 1} rows
            </span>
          )}
        </form>
      </div>
      {imported && (
        <div className="notice" role="status" data-testid="import-result">
          Imported {imported.length} {imported.length === 1 ? 'asset' : 'assets'}: {imported.map((a) => a.name).join(', ')}.{' '}
          <Link to="/assets">See the assets</Link>
        </div>
      )}
      {error !== null && problems.length === 0 && <ErrorBanner error={error} />}
      {problems.length > 0 && (
        <div className="error-banner" role="alert" data-testid="import-errors">
          <strong>Nothing was imported: {(error as ApiError).message}.</strong> Fix these lines and import the file again.
          <table className="list line-errors">
            <thead>
              <tr>
                <th>Line</th>
                <th>Column</th>
                <th>Problem</th>
                <th>The line</th>
              </tr>
            </thead>
            <tbody>
              {problems.map((p, i) => (
                <tr key={i} data-testid="import-error">
                  <td>{p.line ?? '—'}</td>
                  <td>{p.column}</td>
                  <td>{p.message}</td>
                  <td className="mono">{p.line ? lines[p.line - 1] : ''}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
