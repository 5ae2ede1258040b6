// List filters kept in the page's URL (?status=new&…), so a filtered list
// can be bookmarked and comes back as it was after opening a row.
import { useCallback, useMemo } from 'react';
import { useSearchParams } from 'react-router-dom';

export function useQueryFilters<K extends string>(keys: readonly K[]) {
  const [params, setParams] = useSearchParams();
  const filters = useMemo(() => {
    const f = {} as Record<K, string>;
    for (const k of keys) f[k] = params.get(k) ?? '';
    return f;
  }, [params, keys]);
  const setFilters = useCallback(
    (next: Partial<Record<K, string>>) => {
      setParams(
        (old) => {
          const p = new URLSearchParams(old);
          for (const [k, v] of Object.entries(next) as [K, string | undefined][]) {
            if (v) p.set(k, v);
            else p.delete(k);
          }
          return p;
        },
        { replace: true },
      );
    },
    [setParams],
  );
  const clear = useCallback(() => setParams(new URLSearchParams(), { replace: true }), [setParams]);
  return { filters, setFilters, clear };
}
