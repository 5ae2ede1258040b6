// Whether the execution shown is kept up to date, and a reload when the live
// updates stopped.
import type { LiveState } from './useLiveExecution';

const text: Record<LiveState, string> = {
  loading: 'Loading…',
  connecting: 'Connecting to live updates…',
  live: 'Live',
  reconnecting: 'Connection lost; reconnecting…',
  ended: 'Ended: nothing more will change',
  unavailable: 'Live updates are unavailable; what you see may be out of date.',
};

export function LiveIndicator({ state, onReload }: { state: LiveState; onReload: () => void }) {
  return (
    <span className={`live-state live-${state}`} role="status" aria-live="polite" data-testid="live-state" data-state={state}>
      {state === 'live' && <span className="live-dot" aria-hidden />}
      {text[state]}
      {(state === 'unavailable' || state === 'reconnecting') && (
        <button type="button" className="link" onClick={onReload}>
          Reload
        </button>
      )}
    </span>
  );
}
