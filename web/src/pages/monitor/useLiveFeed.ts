// The monitor's server-sent events (GET /monitor/events/stream, same origin,
// the session cookie): each `notification` event is one notification, its
// SSE id its seq. Opened with ?after=<the newest seq the history showed>, so
// what happened between reading the history and connecting is replayed, not
// lost; on a dropped connection the browser reconnects with Last-Event-ID.
import { useEffect, useState } from 'react';
import type { Notification } from './types';

export type FeedState = 'connecting' | 'open' | 'reconnecting' | 'closed';

export function useLiveFeed(after: number | null, keep = 200) {
  const [state, setState] = useState<FeedState>('connecting');
  const [items, setItems] = useState<Notification[]>([]);
  const [attempt, setAttempt] = useState(0);
  useEffect(() => {
    if (after === null) return;
    setState('connecting');
    setItems((old) => old.filter((o) => o.seq > after)); // the history shows the rest
    const es = new EventSource(`/api/v1/monitor/events/stream?after=${after}`);
    es.onopen = () => setState('open');
    es.onerror = () => setState(es.readyState === EventSource.CLOSED ? 'closed' : 'reconnecting');
    es.addEventListener('notification', (ev) => {
      let n: Notification;
      try {
        n = JSON.parse((ev as MessageEvent<string>).data) as Notification;
      } catch {
        return; // not a notification: nothing to show
      }
      setItems((old) => (old.some((o) => o.seq === n.seq) ? old : [n, ...old].slice(0, keep)));
    });
    return () => es.close();
  }, [after, attempt, keep]);
  return { state, items, reconnect: () => setAttempt((a) => a + 1) };
}
