// What a new link means, asked when a connection is drawn from a step that
// can link in several ways (success/failure, true/false, a branch, a case).
import { useState } from 'react';
import type { CacaoStep, EdgeKind } from '../../../graph/cacao';
import { defaultLinkKind, linkKindLabels, linkKinds } from '../../../graph/edit';
import { Dialog } from '../Dialog';

const casePattern = /^[a-zA-Z0-9_-]{1,250}$/;

export function LinkChooser(props: {
  source: CacaoStep;
  target: CacaoStep;
  onChoose: (kind: EdgeKind, caseValue: string) => void;
  onCancel: () => void;
}) {
  const kinds = linkKinds(props.source.type);
  const [kind, setKind] = useState<EdgeKind>(defaultLinkKind(props.source) ?? kinds[0]);
  const [value, setValue] = useState('');
  const cases = props.source.cases ?? {};
  const caseError = kind !== 'case' ? null : !value ? 'Name the case value.' : !casePattern.test(value) ? 'Use letters, digits, _ and - only.' : value in cases ? 'This case exists; removing it first replaces its link.' : null;
  const replaces = kind !== 'case' && kind !== 'next_steps' && typeof props.source[kind] === 'string' && props.source[kind];
  return (
    <Dialog title="What does this link mean?" onClose={props.onCancel} testId="link-chooser">
      <form
        onSubmit={(e) => {
          e.preventDefault();
          if (!caseError) props.onChoose(kind, value);
        }}
      >
        <p>
          From <strong>{props.source.name || props.source.type}</strong> to <strong>{props.target.name || props.target.type}</strong>:
        </p>
        <fieldset className="pb-choices">
          <legend>Link</legend>
          {kinds.map((k) => (
            <label key={k} className="pb-choice">
              <input type="radio" name="kind" value={k} checked={kind === k} onChange={() => setKind(k)} data-testid={`link-kind-${k}`} />
              {linkKindLabels[k]}
            </label>
          ))}
        </fieldset>
        {kind === 'case' && (
          <label>
            Case value (the switch value that takes this branch; "default" for any other)
            <input autoFocus value={value} onChange={(e) => setValue(e.target.value)} data-testid="link-case-value" aria-invalid={!!caseError} />
          </label>
        )}
        {kind === 'case' && caseError && <p className="pb-field-error">{caseError}</p>}
        {replaces && <p className="muted">This replaces the step's current {kind.replace('_', ' ')} link.</p>}
        <div className="pb-dialog-buttons">
          <button type="button" onClick={props.onCancel}>
            Cancel
          </button>
          <button type="submit" className="primary" disabled={!!caseError} data-testid="link-ok">
            Link
          </button>
        </div>
      </form>
    </Dialog>
  );
}
