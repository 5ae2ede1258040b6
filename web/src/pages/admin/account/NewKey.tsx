// A key just made: shown this once (atio keeps only its hash), with a copy
// button and a warning, until the user says it is copied.
import { useEffect, useRef } from 'react';
import { CopyButton } from '../../../components/CopyButton';
import type { ApiKey } from '../types';

export function NewKey({ created, onDone }: { created: ApiKey & { key: string }; onDone: () => void }) {
  const ref = useRef<HTMLInputElement>(null);
  useEffect(() => {
    ref.current?.focus();
    ref.current?.select();
  }, [created.key]);
  return (
    <div className="new-key" role="region" aria-label="The new API key">
      <p>
        <strong>Copy the key “{created.name}” now.</strong> atio shows it only this once and keeps only its hash: if it is
        lost, revoke it and make another.
      </p>
      <div className="toolbar">
        <input
          ref={ref}
          className="mono key-value"
          readOnly
          value={created.key}
          aria-label="The new API key"
          data-testid="new-api-key"
          onFocus={(e) => e.target.select()}
        />
        <CopyButton text={created.key} />
        <button type="button" onClick={onDone}>
          I have copied it
        </button>
      </div>
    </div>
  );
}
