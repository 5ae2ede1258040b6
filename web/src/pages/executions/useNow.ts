// The current time, ticking every second while `on` (to show how long a
// running execution has taken so far; no request is made).
import { useEffect, useState } from 'react';

export function useNow(on: boolean): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    if (!on) return;
    const t = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(t);
  }, [on]);
  return now;
}
