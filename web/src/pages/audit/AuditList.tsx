// The audit log: filter, page, open a record, verify the chain, export.
import { useState } from 'react';
import { usePaged } from '../../api/hooks';
import { withQuery } from '../../api/client';
import { DataState } from '../../components/DataState';
import { Pager } from '../../components/Pager';
import { useQueryFilters } from '../../components/useQueryFilters';
import { AuditFilters, AUDIT_FILTER_KEYS } from './AuditFilters';
import { AuditTable } from './AuditTable';
import { VerifyChain } from './VerifyChain';
import { useNewestFirst } from './useNewestFirst';
import type { AuditRecord } from './types';

const PAGE = 50;

type Filters = Record<string, string>;

function OldestFirst({ filters, filtered, onActor }: { filters: Filters; filtered: boolean; onActor: (id: string) => void }) {
  const p = usePaged<AuditRecord>('/audit', 'records', filters, PAGE);
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
      <Pager page={p.page} hasPrev={p.hasPrev} hasNext={p.hasNext} back={p.back} forward={p.forward} prevLabel="← Earlier" nextLabel="Later →" />
    </DataState>
  );
}

function NewestFirst({ onActor }: { onActor: (id: string) => void }) {
  const [tick, setTick] = useState(0);
  const p = useNewestFirst(PAGE, tick);
  return (
    <DataState what="audit records" loading={p.loading && p.items.length === 0} error={p.error} onRetry={() => setTick((t) => t + 1)} isEmpty={!p.loading && p.items.length === 0} empty="The audit log is empty.">
      <AuditTable records={p.items} onActor={onActor} />
      <Pager page={p.page} hasPrev={p.hasPrev} hasNext={p.hasNext} back={p.back} forward={p.forward} />
    </DataState>
  );
}

export function AuditList() {
  const { filters, setFilters, clear } = useQueryFilters(AUDIT_FILTER_KEYS);
  const { order, ...query } = filters;
  const filtered = Object.values(query).some(Boolean);
  const newest = order === 'newest' && !filtered;
  const onActor = (actor: string) => setFilters({ actor, order: '' });
  const exportHref = (format: string) => withQuery('/api/v1/audit/export', { ...query, format });
  return (
    <section>
      <h1>Audit log</h1>
      <VerifyChain />
      <AuditFilters values={filters} filtered={filtered} onChange={setFilters} onClear={clear} />
      <p className="muted how">
        {newest
          ? 'Newest first. '
          : 'Oldest first, as atio lists the log. '}
        atio reads the log forwards only; newest first is offered without filters, where record numbers say where each page
        starts. To find recent records with a filter, set “From”. Export:{' '}
        <a href={exportHref('jsonl')} download="atio-audit.jsonl">
          JSON lines
        </a>{' '}
        ·{' '}
        <a href={exportHref('syslog')} download="atio-audit.log">
          syslog (RFC 5424)
        </a>{' '}
        — the records matching the filters, up to 10 000 (each export is itself recorded).
      </p>
      {newest ? (
        <NewestFirst onActor={onActor} />
      ) : (
        <OldestFirst filters={query} filtered={filtered} onActor={onActor} />
      )}
    </section>
  );
}
