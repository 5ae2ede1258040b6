// Shapes of the cases API (docs/cases.md): a case, its timeline and links,
// and the MTTD/MTTA/MTTR aggregates of GET /cases/metrics.

export type CaseStatus = 'new' | 'acknowledged' | 'responding' | 'resolved' | 'false_positive';
export type Severity = 'info' | 'low' | 'medium' | 'high' | 'critical';

export interface CaseSummary {
  id: string;
  title: string;
  severity: Severity;
  status: CaseStatus;
  assignee: string | null;
  correlation_key: string;
  correlation_window_ms: number;
  playbook_id: string;
  use_case: string;
  detection_count: number;
  occurred_at: string | null;
  occurred_at_ms: number | null;
  detected_at: string | null;
  detected_at_ms: number | null;
  last_seen_at: string | null;
  last_seen_at_ms: number | null;
  acknowledged_at: string | null;
  acknowledged_at_ms: number | null;
  acknowledged_by: string | null;
  responded_at: string | null;
  responded_at_ms: number | null;
  resolved_at: string | null;
  resolved_at_ms: number | null;
  mttd_ms: number | null;
  mtta_ms: number | null;
  mttr_ms: number | null;
  created_at: string;
  updated_at: string;
  revision: number;
}

export interface TimelineEntry {
  seq: number;
  time: string;
  time_ms: number;
  kind: string; // opened, detection, severity, acknowledged, assigned, status, comment, responded, linked
  actor: string;
  actor_name: string;
  detail: Record<string, unknown>;
}

export interface CaseLink {
  kind: 'stix' | 'execution' | 'external' | string;
  ref: string;
  added_at: string;
  tool?: string;
}

export interface Case extends CaseSummary {
  timeline: TimelineEntry[];
  links: CaseLink[];
}

export interface DurationStats {
  count: number;
  mean_ms: number;
  median_ms: number;
  p90_ms: number;
}

export interface MetricsGroup {
  key: string;
  cases: number;
  mttd: DurationStats;
  mtta: DurationStats;
  mttr: DurationStats;
}

export interface CaseMetrics {
  since: string | null;
  until: string | null;
  group_by: string;
  mttr_end: 'responded' | 'resolved';
  overall: MetricsGroup;
  groups: MetricsGroup[];
}

export const SEVERITIES: Severity[] = ['info', 'low', 'medium', 'high', 'critical'];
export const STATUSES: CaseStatus[] = ['new', 'acknowledged', 'responding', 'resolved', 'false_positive'];
