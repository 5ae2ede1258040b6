// Paging over a list the API answers whole (assets, users, keys): a page of
// `size` items at a time, with previous/next.
import { useEffect, useState } from 'react';

export function useClientPages<T>(items: T[], size = 25, resetKey = '') {
  const [page, setPage] = useState(0);
  const pages = Math.max(1, Math.ceil(items.length / size));
  useEffect(() => setPage(0), [resetKey]);
  const current = Math.min(page, pages - 1);
  return {
    items: items.slice(current * size, current * size + size),
    page: current + 1,
    pages,
    back: () => setPage(Math.max(0, current - 1)),
    forward: () => setPage(Math.min(pages - 1, current + 1)),
  };
}

export function ClientPager({ page, pages, back, forward }: { page: number; pages: number; back: () => void; forward: () => void }) {
  if (pages <= 1) return null;
  return (
    <nav className="pager" aria-label="Pages">
      <button type="button" onClick={back} disabled={page <= 1}>
        ← Previous
      </button>
      <span>
        Page {page} of {pages}
      </span>
      <button type="button" onClick={forward} disabled={page >= pages}>
        Next →
      </button>
    </nav>
  );
}
