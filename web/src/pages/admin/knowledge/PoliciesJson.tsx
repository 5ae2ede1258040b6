// The policies edited as one JSON document, for pasting a list kept
// elsewhere: the parse error as one types, atio's field errors on saving.
import { useState } from 'react';
import { api } from '../../../api/client';
import { FormErrors } from '../../../components/FieldErrors';
import { JsonEditor, parseJson } from '../../../components/JsonEditor';
import type { Policy } from './PoliciesForm';

const template: Policy = {
  name: 'PCI hosts: isolate on high-importance alerts',
  description: 'for people',
  match: { kinds: ['alert'], asset_tags: ['pci'], min_importance: 50 },
  response: ['isolate-host', 'open-case'],
  priority: 'high',
};

const show = (policies: Policy[]) => JSON.stringify({ policies }, null, 2);

export function PoliciesJson({ policies, onSaved }: { policies: Policy[]; onSaved: () => void }) {
  const [text, setText] = useState(() => show(policies));
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const parsed = parseJson(text);

  async function save() {
    setBusy(true);
    setError(null);
    try {
      await api.put('/policies', parsed.value);
      onSaved();
    } catch (e) {
      setError(e);
    } finally {
      setBusy(false);
    }
  }

  function addTemplate() {
    const v = parsed.value as { policies?: Policy[] } | undefined;
    setText(show([...(Array.isArray(v?.policies) ? v.policies : []), template]));
  }

  return (
    <>
      <p className="muted">
        Members: <code>name</code>, <code>response</code> (required), <code>priority</code> (low, medium, high, critical),{' '}
        <code>description</code>, <code>match</code> with <code>kinds</code>, <code>object_types</code>,{' '}
        <code>min_severity</code>, <code>min_importance</code>, <code>asset_tags</code>, <code>techniques</code>,{' '}
        <code>signature_contains</code> (docs/enrich.md).
      </p>
      <FormErrors error={error} shown={['/policies']} />
      <JsonEditor
        label="Policies (JSON)"
        value={text}
        error={error}
        onChange={setText}
      />
      <div className="form-actions">
        <button type="button" className="primary" onClick={() => void save()} disabled={busy || !!parsed.error}>
          {busy ? 'Saving…' : 'Save policies'}
        </button>
        <button type="button" onClick={addTemplate} disabled={!!parsed.error}>
          Add an example policy
        </button>
        <button
          type="button"
          onClick={() => {
            setText(show(policies));
            setError(null);
          }}
        >
          Undo changes
        </button>
      </div>
    </>
  );
}
