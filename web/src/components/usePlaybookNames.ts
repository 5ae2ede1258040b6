// The names of the playbooks (GET /playbooks), to show a name where atio
// gives an id and to offer playbooks in filters. Without playbook.read the
// map stays empty and ids are shown as they are.
import { useMemo } from 'react';
import { useAuth } from '../api/auth';
import { useApi } from '../api/hooks';
import type { PlaybookSummary } from '../api/types';

export function usePlaybookNames() {
  const { can } = useAuth();
  const loaded = useApi<{ playbooks: PlaybookSummary[] }>(can('playbook.read') ? '/playbooks' : null);
  const playbooks = useMemo(
    () => [...(loaded.data?.playbooks ?? [])].sort((a, b) => a.name.localeCompare(b.name)),
    [loaded.data],
  );
  const names = useMemo(() => new Map(playbooks.map((p) => [p.id, p.name])), [playbooks]);
  return { playbooks, names, error: loaded.error };
}
