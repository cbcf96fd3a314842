// Paging of a server list by keyset cursor (`{ items, nextCursor }`): the cursor and the page number
// live in the URL (the caller's search params); the browser's Back returns to the previous page.
import type { ReactNode } from 'react';

export function CursorPager({ page, nextCursor, onFirst, onNext, label }: { page: number; nextCursor: string | null; onFirst: () => void; onNext: (cursor: string) => void; label: string }): ReactNode {
  if (page <= 1 && !nextCursor) return null;
  return (
    <nav className="pager" aria-label={`${label} pages`}>
      <button type="button" onClick={onFirst} disabled={page <= 1}>
        First page
      </button>
      <span>Page {page}</span>
      <button type="button" onClick={() => nextCursor && onNext(nextCursor)} disabled={!nextCursor}>
        Next
      </button>
    </nav>
  );
}
