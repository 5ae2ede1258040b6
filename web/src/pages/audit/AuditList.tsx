// The audit log: filter, page, open a record, verify the chain, export.
import { usePaged } from '../../api/hooks';
import { withQuery } from '../../api/client';
import { DataState } from '../../components/DataState';
import { Pager } from '../../components/Pager';
import { useQueryFilters } from '../../components/useQueryFilters';
import { AuditFilters, AUDIT_FILTER_KEYS } from './AuditFilters';
import { AuditTable } from './AuditTable';
import { VerifyChain } from './VerifyChain';
import type { AuditRecord } from './types';

const PAGE = 50;

type Filters = Record<string, string>;

// The records matching the filters, a page at a time: oldest first as the
// chain runs, or newest first (order=desc, paged with `before`).
function Records({ filters, newest, filtered, onActor }: { filters: Filters; newest: boolean; filtered: boolean; onActor: (id: string) => void }) {
  const p = usePaged<AuditRecord>('/audit', 'records', newest ? { ...filters, order: 'desc' } : filters, PAGE, newest ? 'before' : 'after');
  return (
    <DataState
      what="audit records"
      loading={p.loading && !p.data}
      error={p.error}
      onRetry={p.reload}
      isEmpty={p.items.length === 0}
      empty={filtered ? 'No record matches these filters. Check the action’s spelling, or clear the filters.' : 'The audit log is empty.'}
    >
      <AuditTable records={p.items} onActor={onActor} />
      <Pager
        page={p.page}
        hasPrev={p.hasPrev}
        hasNext={p.hasNext}
        back={p.back}
        forward={p.forward}
        prevLabel={newest ? '← Newer' : '← Earlier'}
        nextLabel={newest ? 'Older →' : 'Later →'}
      />
    </DataState>
  );
}

export function AuditList() {
  const { filters, setFilters, clear } = useQueryFilters(AUDIT_FILTER_KEYS);
  const { order, ...query } = filters;
  const filtered = Object.values(query).some(Boolean);
  const newest = order === 'newest';
  const onActor = (actor: string) => setFilters({ actor });
  const exportHref = (format: string) => withQuery('/api/v1/audit/export', { ...query, format });
  return (
    <section>
      <h1>Audit log</h1>
      <VerifyChain />
      <AuditFilters values={filters} onChange={setFilters} onClear={clear} />
      <p className="muted how">
        {newest ? 'Newest first. ' : 'Oldest first, as the chain runs. '}
        Export:{' '}
        <a href={exportHref('jsonl')} download="atio-audit.jsonl">
          JSON lines
        </a>{' '}
        ·{' '}
        <a href={exportHref('syslog')} download="atio-audit.log">
          syslog (RFC 5424)
        </a>{' '}
        — the records matching the filters, up to 10 000 (each export is itself recorded).
      </p>
      <Records filters={query} newest={newest} filtered={filtered} onActor={onActor} />
    </section>
  );
}
