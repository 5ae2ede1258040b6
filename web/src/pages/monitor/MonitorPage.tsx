// The workflow monitor: playbook creations, modifications and deletions and
// atio's restorations as they happen (server-sent events), the stored
// history page by page, and the triggers that react to them.
import { DataState } from '../../components/DataState';
import { Pager } from '../../components/Pager';
import { NotificationCard } from './EventCard';
import { Triggers } from './Triggers';
import { useLiveFeed, type FeedState } from './useLiveFeed';
import { useMonitorHistory } from './useMonitorHistory';

const STATE_TEXT: Record<FeedState, string> = {
  connecting: 'Connecting to the live feed…',
  open: 'Live: new changes appear here as they happen',
  reconnecting: 'Connection lost; reconnecting…',
  closed: 'The live feed is closed (the session may have ended, or the role lacks playbook.read).',
};

export function MonitorPage() {
  const history = useMonitorHistory(20);
  const live = useLiveFeed(history.newest);
  return (
    <section>
      <h1>Workflow monitor</h1>
      <p className="muted">
        Every creation, modification and deletion of a playbook, whatever made it — atio’s API or a direct edit of the database
        — and what atio’s self-recovery did about it.
      </p>
      <section aria-labelledby="live-title" className="live">
        <div className="live-head">
          <h2 id="live-title">Live</h2>
          <span className={`feed-state feed-${live.state}`} role="status" data-testid="feed-state" data-state={live.state}>
            ● {STATE_TEXT[live.state]}
          </span>
          {live.state === 'closed' && (
            <button type="button" onClick={live.reconnect}>
              Reconnect
            </button>
          )}
        </div>
        <div data-testid="live-feed" aria-live="polite">
          {live.items.length === 0 ? (
            <p className="state empty">No change since this page opened. Changes to playbooks will appear here at once.</p>
          ) : (
            live.items.map((n) => <NotificationCard key={n.seq} n={n} fresh />)
          )}
        </div>
      </section>
      <section aria-labelledby="history-title">
        <div className="live-head">
          <h2 id="history-title">History</h2>
          <button type="button" onClick={history.reload}>
            Refresh
          </button>
        </div>
        <DataState
          what="the monitor's history"
          loading={history.loading && history.items.length === 0}
          error={history.error}
          onRetry={history.reload}
          isEmpty={history.items.length === 0}
          empty="No playbook has been created, changed or deleted since atio started watching (the playbooks loaded at start-up are the baseline)."
        >
          <div data-testid="monitor-history">
            {history.items.map((n) => (
              <NotificationCard key={n.seq} n={n} />
            ))}
          </div>
          <Pager page={history.page} hasPrev={history.hasNewer} hasNext={history.hasOlder} back={history.newer} forward={history.older} />
        </DataState>
      </section>
      <Triggers />
    </section>
  );
}
