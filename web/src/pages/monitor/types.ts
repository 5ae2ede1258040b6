// Shapes of the workflow monitor's API (docs/monitor.md): notifications of
// playbook creations, modifications and deletions, and monitor triggers.
import type { PatchOp } from '../../components/PatchList';

export interface Recovery {
  status?: string; // "restoring" on the event of the change itself
  reason?: string;
  restored_by?: string;
  restored_version?: number;
  changed_at_ms?: number;
  restored_at_ms?: number;
  recovery_ms?: number;
}

export interface ChangeEvent {
  kind: 'creation' | 'modification' | 'deletion';
  id: string;
  name: string;
  actor: string;
  actor_id: string;
  actor_kind: string; // key, user, system, unknown
  role: string;
  time: string;
  time_ms: number;
  detected_at: string;
  detection_ms: number;
  hash_before: string | null;
  hash_after: string | null;
  protected: boolean;
  audit_seq?: number;
  audit_action?: string;
  changes?: PatchOp[];
  recovery?: Recovery;
}

export interface Notification {
  seq: number;
  event_id: string;
  time: string;
  source: string;
  notification: {
    CreationEvents: ChangeEvent[];
    ModificationEvents: ChangeEvent[];
    DeletionEvents: ChangeEvent[];
  };
  workflow_data: { id: string; name: string; hash: string; edited: string; updated_by: string; protected: boolean }[];
}

export interface MonitorTrigger {
  id: string;
  playbook_id: string;
  name: string;
  kinds: string[];
  created_at: string;
}

export function eventsOf(n: Notification): ChangeEvent[] {
  const x = n.notification ?? { CreationEvents: [], ModificationEvents: [], DeletionEvents: [] };
  // Deletions first: a restoration (a creation) follows the deletion it undoes.
  return [...(x.DeletionEvents ?? []), ...(x.ModificationEvents ?? []), ...(x.CreationEvents ?? [])];
}
