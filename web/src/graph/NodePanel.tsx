/**
 * The side panel of a clicked node: what it is and where to go from it (its page, its
 * impact, lineage from it, a path from or to it), and the view's own actions (expand,
 * collapse; for a group, its members). Every name is React text; every link is a hash route.
 */
import type { ReactNode } from 'react';
import { href } from '../app/routes';
import type { GraphNode } from './graph-model';
import './graph-panel.css';

export interface PanelAction {
  label: string;
  run: () => void;
  disabled?: boolean;
}

/** Group members listed in the panel at most (the rest are counted). */
export const MEMBER_LIST_LIMIT = 200;

export function NodePanel({ node, start, names, actions, onClose }: {
  node: GraphNode;
  /** The view's start node, for the path links. */
  start: string | null;
  /** Names of nodes by id (a group's members). */
  names: ReadonlyMap<string, GraphNode>;
  actions: PanelAction[];
  onClose: () => void;
}): ReactNode {
  const group = node.kind === 'GROUP';
  return (
    <aside className="node-panel" aria-label="Selected node" data-panel-node={node.id}>
      <div className="node-panel-head">
        <h2>{node.label}</h2>
        <button type="button" className="close" onClick={onClose} aria-label="Close the panel">×</button>
      </div>
      <dl>
        <dt>{group ? 'Group of' : 'Type'}</dt>
        <dd>{group ? `${node.members?.length ?? 0} × ${node.typeName}` : `${node.typeName} (${node.kind.toLowerCase()})`}</dd>
        {node.distance !== undefined && Number.isFinite(node.distance) ? (<><dt>Distance</dt><dd>{node.distance} {node.distance === 1 ? 'hop' : 'hops'} from the start</dd></>) : null}
        {!group ? (<><dt>Id</dt><dd className="mono">{node.id}</dd></>) : null}
      </dl>
      {actions.length > 0 ? (
        <div className="node-panel-actions">
          {actions.map((a) => <button key={a.label} type="button" onClick={a.run} disabled={a.disabled}>{a.label}</button>)}
        </div>
      ) : null}
      {!group ? (
        <ul className="node-panel-links">
          <li><a href={href('node', node.id)}>Its page</a></li>
          <li><a href={href('impact', node.id)}>Its impact</a></li>
          <li><a href={href('lineage', node.id)}>Lineage from it</a></li>
          <li><a href={href('path', null, { from: node.id })}>Path from it…</a></li>
          <li><a href={href('path', null, { to: node.id })}>Path to it…</a></li>
          {start && start !== node.id ? (
            <>
              <li><a href={href('path', null, { from: start, to: node.id })}>Path from the start to it</a></li>
              <li><a href={href('path', null, { from: node.id, to: start })}>Path from it to the start</a></li>
            </>
          ) : null}
        </ul>
      ) : (
        <ul className="node-panel-members">
          {(node.members ?? []).slice(0, MEMBER_LIST_LIMIT).map((id) => (
            <li key={id}><a href={href('node', id)}>{names.get(id)?.label ?? id}</a>{' '}<a className="muted" href={href('lineage', id)}>lineage</a></li>
          ))}
          {(node.members?.length ?? 0) > MEMBER_LIST_LIMIT ? <li className="muted">and {(node.members?.length ?? 0) - MEMBER_LIST_LIMIT} more</li> : null}
        </ul>
      )}
    </aside>
  );
}
