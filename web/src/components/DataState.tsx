// What a page shows while its data loads, when loading failed, or when
// there is nothing to show: always a sentence that says what to do.
import type { ReactNode } from 'react';
import { ApiError, describeError } from '../api/client';

export function Loading({ what }: { what: string }) {
  return (
    <p className="state loading" role="status" aria-live="polite">
      Loading {what}…
    </p>
  );
}

export function ErrorBanner({ error, onRetry }: { error: unknown; onRetry?: () => void }) {
  if (!error) return null;
  let hint = '';
  if (error instanceof ApiError) {
    if (error.status === 403) hint = 'Your role does not allow this; ask an admin.';
    else if (error.status === 0 || error.status >= 500) hint = 'Try again in a moment.';
    else if (error.status === 404) hint = 'It may have been deleted.';
  }
  return (
    <div className="error-banner" role="alert">
      <strong>{describeError(error)}</strong>
      {hint && <span> {hint}</span>}
      {onRetry && (
        <button type="button" className="link" onClick={onRetry}>
          Retry
        </button>
      )}
    </div>
  );
}

export function Empty({ children }: { children: ReactNode }) {
  return <div className="state empty">{children}</div>;
}

// Loading, then the error, then `empty` when `isEmpty`, else the children.
export function DataState(props: {
  what: string;
  loading: boolean;
  error: unknown;
  isEmpty?: boolean;
  empty?: ReactNode;
  onRetry?: () => void;
  children: ReactNode;
}) {
  if (props.error) return <ErrorBanner error={props.error} onRetry={props.onRetry} />;
  if (props.loading) return <Loading what={props.what} />;
  if (props.isEmpty) return <Empty>{props.empty ?? `No ${props.what} yet.`}</Empty>;
  return <>{props.children}</>;
}
