// Export: fetch GET /playbooks/{id}/export and save it as <id>.json.
import { api } from '../../api/client';

export async function exportPlaybook(id: string): Promise<void> {
  const doc = await api.get<unknown>(`/playbooks/${encodeURIComponent(id)}/export`);
  const blob = new Blob([JSON.stringify(doc, null, 2) + '\n'], { type: 'application/json' });
  const url = URL.createObjectURL(blob);
  const a = document.createElement('a');
  a.href = url;
  a.download = `${id}.json`;
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}
