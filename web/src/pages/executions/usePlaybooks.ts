// The stored playbooks (GET /playbooks), for the playbook filter and to show
// playbook names instead of ids.
import { useMemo } from 'react';
import { useApi } from '../../api/hooks';
import type { PlaybookSummary } from '../../api/types';

export function usePlaybooks() {
  const loaded = useApi<{ playbooks: PlaybookSummary[] }>('/playbooks');
  const playbooks = useMemo(
    () => [...(loaded.data?.playbooks ?? [])].sort((a, b) => a.name.localeCompare(b.name)),
    [loaded.data],
  );
  const names = useMemo(() => new Map(playbooks.map((p) => [p.id, p.name])), [playbooks]);
  return { ...loaded, playbooks, names };
}
