// One execution, kept up to date as it runs: GET /executions/{id} once, then,
// while it has not ended, the server-sent events of
// GET /executions/{id}/stream (each `execution` message is the whole
// execution; `end` follows the last one). No polling: when the stream cannot
// be opened the page says live updates are unavailable and offers a reload.
import { useCallback, useEffect, useState } from 'react';
import { api } from '../../api/client';
import { hasEnded, type ExecutionDetail } from './types';

// loading: the first GET is on its way; live: the stream is open;
// reconnecting: the browser is opening it again after a drop; ended: nothing
// more will change; unavailable: the stream could not be opened or was refused.
export type LiveState = 'loading' | 'connecting' | 'live' | 'reconnecting' | 'ended' | 'unavailable';

export function executionPath(id: string): string {
  return `/executions/${encodeURIComponent(id)}`;
}

export function useLiveExecution(id: string) {
  const [exec, setExec] = useState<ExecutionDetail>();
  const [error, setError] = useState<unknown>(null);
  const [live, setLive] = useState<LiveState>('loading');
  const [tick, setTick] = useState(0);

  useEffect(() => {
    const ctl = new AbortController();
    let source: EventSource | null = null;
    setError(null);
    setLive('loading');
    api
      .get<ExecutionDetail>(executionPath(id), undefined, ctl.signal)
      .then((first) => {
        if (ctl.signal.aborted) return;
        setExec(first);
        if (hasEnded(first.status)) {
          setLive('ended');
          return;
        }
        setLive('connecting');
        source = new EventSource(`/api/v1${executionPath(id)}/stream`, { withCredentials: true });
        const es = source;
        es.addEventListener('execution', (ev) => {
          try {
            setExec(JSON.parse((ev as MessageEvent<string>).data) as ExecutionDetail);
            setLive('live');
          } catch {
            // a message that is not the execution's JSON: keep what is shown
          }
        });
        es.addEventListener('end', () => {
          es.close();
          setLive('ended');
        });
        es.onerror = () => {
          setLive(es.readyState === EventSource.CLOSED ? 'unavailable' : 'reconnecting');
        };
      })
      .catch((e) => {
        if (!ctl.signal.aborted) setError(e);
      });
    return () => {
      ctl.abort();
      source?.close();
    };
  }, [id, tick]);

  const reload = useCallback(() => setTick((t) => t + 1), []);
  return { exec, error, live, reload, loading: exec === undefined && !error };
}
