// Import a CACAO 2.0 JSON file: POST /playbooks/import creates the playbook
// or replaces the one with its id (a new version). atio's 422 lists every
// problem with its JSON pointer. The hook gives the file control (for the
// page's actions) and the outcome (shown under the heading, full width).
import { useRef, useState, type ReactNode } from 'react';
import { Link } from 'react-router-dom';
import { request } from '../../api/client';
import type { PlaybookRef } from './types';
import { RequestError } from './FieldErrorList';

export function useImportPlaybook(onImported: () => void): { control: ReactNode; outcome: ReactNode } {
  const input = useRef<HTMLInputElement>(null);
  const [busy, setBusy] = useState(false);
  const [file, setFile] = useState('');
  const [done, setDone] = useState<PlaybookRef | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [parseError, setParseError] = useState('');

  const importFile = async (f: File) => {
    setBusy(true);
    setFile(f.name);
    setDone(null);
    setError(null);
    setParseError('');
    try {
      const text = await f.text();
      try {
        JSON.parse(text);
      } catch (e) {
        setParseError(`${f.name} is not JSON (${(e as Error).message}). Choose a CACAO 2.0 playbook file.`);
        return;
      }
      const ref = await request<PlaybookRef>('POST', '/playbooks/import', { body: text });
      setDone(ref);
      onImported();
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
      if (input.current) input.current.value = '';
    }
  };

  const control = (
    <label className="pb-file-button">
      {busy ? 'Importing…' : 'Import CACAO JSON file'}
      <input
        ref={input}
        type="file"
        accept=".json,application/json"
        data-testid="import-file"
        disabled={busy}
        onChange={(e) => {
          const f = e.target.files?.[0];
          if (f) void importFile(f);
        }}
      />
    </label>
  );
  const outcome = (
    <div className="pb-import">
      {done && (
        <p className="notice" role="status" data-testid="import-done">
          Imported <Link to={`/playbooks/${encodeURIComponent(done.id)}`}>{done.name}</Link> from {file}.
        </p>
      )}
      {parseError && (
        <p className="error-banner" role="alert">
          {parseError}
        </p>
      )}
      <RequestError error={error} testId="import-error" hint={`${file} was not imported; fix these and import it again.`} />
    </div>
  );
  return { control, outcome };
}
