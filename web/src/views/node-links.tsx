/** The links every listed node carries: its lineage (first: the explorer opens on the graph), its page, its impact; a context its page. */
import type { ReactNode } from 'react';
import { href } from '../app/routes';

export function NodeLinks({ id, kind }: { id: string; kind: 'ARTIFACT' | 'EXECUTION' | 'CONTEXT' }): ReactNode {
  if (kind === 'CONTEXT') {
    return <span className="node-links"><a href={href('browse', id)}>page</a></span>;
  }
  return (
    <span className="node-links">
      <a href={href('lineage', id)}>lineage</a>{' '}
      <a href={href('node', id)}>page</a>{' '}
      <a href={href('impact', id)}>impact</a>
    </span>
  );
}
