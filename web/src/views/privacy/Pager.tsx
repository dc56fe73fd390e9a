/** Forward paging through a connection by cursor, the cursor in the URL (a page is a place to paste in a ticket). */
import type { ReactNode } from 'react';
import type { PageInfo } from './privacy-queries';

export function Pager({ pageInfo, hrefAfter, paged }: { pageInfo: PageInfo; hrefAfter: (after: string | null) => string; paged: boolean }): ReactNode {
  return (
    <nav className="pager" aria-label="Pages">
      {paged ? <a href={hrefAfter(null)}>First page</a> : null}
      {pageInfo.hasNextPage && pageInfo.endCursor ? <a href={hrefAfter(pageInfo.endCursor)} rel="next">Next page</a> : null}
    </nav>
  );
}
