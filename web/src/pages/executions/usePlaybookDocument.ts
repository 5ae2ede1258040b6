// The CACAO document an execution ran: the playbook's current document when
// its `modified` is the execution's playbook_version, else the stored version
// with that `modified` (GET /playbooks/{id}/versions, newest first). When no
// version matches, the current document (or, for a deleted playbook, the
// newest stored version) with `exact` false, so the page can say so.
import { useEffect, useState } from 'react';
import { api, ApiError } from '../../api/client';
import type { CacaoPlaybook } from '../../graph/cacao';

interface VersionInfo {
  version: number;
}

export interface PlaybookDocument {
  doc: CacaoPlaybook;
  exact: boolean;
  source: string; // "current" or "version N"
}

// How many stored versions are read, newest first, looking for the one run.
const maxVersionsRead = 20;

async function findDocument(playbookId: string, version: string, signal: AbortSignal): Promise<PlaybookDocument> {
  const base = `/playbooks/${encodeURIComponent(playbookId)}`;
  let current: CacaoPlaybook | null = null;
  try {
    current = await api.get<CacaoPlaybook>(base, undefined, signal);
    if (current.modified === version) return { doc: current, exact: true, source: 'current' };
  } catch (e) {
    if (!(e instanceof ApiError && e.status === 404)) throw e;
  }
  const list = await api.get<{ versions: VersionInfo[] }>(`${base}/versions`, undefined, signal);
  let newest: PlaybookDocument | null = null;
  for (const v of list.versions.slice(0, maxVersionsRead)) {
    const got = await api.get<{ document: CacaoPlaybook }>(`${base}/versions/${v.version}`, undefined, signal);
    const doc: PlaybookDocument = { doc: got.document, exact: got.document.modified === version, source: `version ${v.version}` };
    if (doc.exact) return doc;
    newest ??= doc;
  }
  if (current) return { doc: current, exact: false, source: 'current' };
  if (newest) return newest;
  throw new ApiError(404, 'not_found', `playbook ${playbookId} is not stored and has no stored version`);
}

export function usePlaybookDocument(playbookId: string | undefined, version: string | undefined) {
  const [result, setResult] = useState<PlaybookDocument>();
  const [error, setError] = useState<unknown>(null);
  useEffect(() => {
    if (!playbookId) return;
    const ctl = new AbortController();
    setError(null);
    findDocument(playbookId, version ?? '', ctl.signal)
      .then((r) => !ctl.signal.aborted && setResult(r))
      .catch((e) => !ctl.signal.aborted && setError(e));
    return () => ctl.abort();
  }, [playbookId, version]);
  return { playbook: result, error, loading: !!playbookId && !result && !error };
}
