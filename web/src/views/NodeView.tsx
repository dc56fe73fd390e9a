/**
 * A node's page, in one request: what the node is (kind, type, name, URI, state, times),
 * its properties, its events with their paths, its contexts, its history, and for an
 * artifact its producers, consumers and dataset versions. Personal data is asked for only
 * when the caller's role may read it (an @include variable of the same operation).
 */
import type { ReactNode } from 'react';
import { useQuery } from '../api/use-query';
import { useCaller } from '../app/caller';
import { href, type Route } from '../app/routes';
import { displayName, formatPath, formatTime, formatValue, safeHttpHref } from './format';
import { NodeLinks } from './node-links';
import { PropertyTable } from './property-table';
import './node-view.css';

const REF = 'id name type { name }';
const PATH = 'path { index key }';
// Fields of one response key must have one type across the fragments (GraphQL's "same
// response shape" rule): Context.name is String! where the others' is String, and the two
// base types are different enums, so those are aliased here and put back by normalise().
export const NODE_QUERY = /* GraphQL */ `
  query NodePage($id: ID!, $privacy: Boolean!) {
    node(id: $id) {
      __typename id mlmdId
      ... on Artifact {
        name uri externalId state createTime updateTime properties customProperties
        type { name version artifactBaseType: baseType }
        producedBy { ${REF} }
        consumedBy { ${REF} }
        events { type time ${PATH} execution { ${REF} } }
        contexts { ${REF} }
        history { validFrom validTo artifact { name uri state properties customProperties } }
        versions(first: 20) { totalCount nodes { datasetName version versionTime uri artifact { id name } } }
        personalData @include(if: $privacy) { categories specialCategories declared pseudonymized }
      }
      ... on Execution {
        name externalId lastKnownState createTime updateTime properties customProperties
        type { name version executionBaseType: baseType }
        inputs { type time ${PATH} artifact { ${REF} uri } }
        outputs { type time ${PATH} artifact { ${REF} uri } }
        contexts { ${REF} }
        history { validFrom validTo execution { name lastKnownState properties customProperties } }
      }
      ... on Context {
        contextName: name externalId createTime updateTime properties customProperties
        type { name version }
        parents { ${REF} }
        children { ${REF} }
        history { validFrom validTo context { name properties customProperties } }
      }
    }
  }
`;

interface Ref { id: string; name: string | null; type: { name: string } }
interface PathStep { index: number | null; key: string | null }
interface HistoryEntry { validFrom: string; validTo: string | null; record: Record<string, unknown> }
interface Common {
  id: string; mlmdId: number; name: string | null; externalId: string | null; createTime: string; updateTime: string;
  properties: Record<string, unknown>; customProperties: Record<string, unknown>;
  type: { name: string; version: string | null; baseType?: string | null };
}
export interface ArtifactNode extends Common {
  __typename: 'Artifact'; uri: string | null; state: string;
  producedBy: Ref[]; consumedBy: Ref[];
  events: { type: string; time: string; path: PathStep[]; execution: Ref }[];
  contexts: Ref[];
  history: { validFrom: string; validTo: string | null; artifact: Record<string, unknown> }[];
  versions: { totalCount: number; nodes: { datasetName: string; version: string | null; versionTime: string | null; uri: string | null; artifact: Ref | { id: string; name: string | null } }[] };
  personalData?: { categories: string[]; specialCategories: string[]; declared: boolean; pseudonymized: boolean } | null;
}
export interface ExecutionNode extends Common {
  __typename: 'Execution'; lastKnownState: string;
  inputs: { type: string; time: string; path: PathStep[]; artifact: Ref & { uri: string | null } }[];
  outputs: { type: string; time: string; path: PathStep[]; artifact: Ref & { uri: string | null } }[];
  contexts: Ref[];
  history: { validFrom: string; validTo: string | null; execution: Record<string, unknown> }[];
}
export interface ContextNode extends Common {
  __typename: 'Context'; parents: Ref[]; children: Ref[];
  history: { validFrom: string; validTo: string | null; context: Record<string, unknown> }[];
}
export interface NodeData { node: ArtifactNode | ExecutionNode | ContextNode | null }

type RawNode = (ArtifactNode | ExecutionNode | ContextNode) & {
  contextName?: string; type: { artifactBaseType?: string | null; executionBaseType?: string | null };
};

/** The node with the aliased fields under their own names. */
function normalise(raw: RawNode): ArtifactNode | ExecutionNode | ContextNode {
  const { contextName, ...rest } = raw;
  const { artifactBaseType, executionBaseType, ...type } = raw.type;
  return { ...rest, name: contextName ?? raw.name, type: { ...type, baseType: artifactBaseType ?? executionBaseType ?? null } } as ArtifactNode | ExecutionNode | ContextNode;
}

export function NodeView({ route }: { route: Route }): ReactNode {
  const id = route.id;
  const { can } = useCaller();
  const { data, error, loading } = useQuery<{ node: RawNode | null }>(NODE_QUERY, { id: id ?? '', privacy: can('PRIVACY') }, id === null);
  if (id === null) return <section className="view"><h1>Node</h1><p>Pick a node in Find first.</p></section>;
  return (
    <section className="view node-view">
      {loading ? <p className="muted">Loading…</p> : null}
      {error ? <p className="error" role="alert">{error.message}</p> : null}
      {data && data.node === null ? <p className="error" role="alert">No node has the id {id}.</p> : null}
      {data?.node ? <NodePage node={normalise(data.node)} /> : null}
    </section>
  );
}

function NodePage({ node }: { node: ArtifactNode | ExecutionNode | ContextNode }): ReactNode {
  const kind = node.__typename === 'Artifact' ? 'ARTIFACT' : node.__typename === 'Execution' ? 'EXECUTION' : 'CONTEXT';
  const history: HistoryEntry[] = node.__typename === 'Artifact'
    ? node.history.map((h) => ({ validFrom: h.validFrom, validTo: h.validTo, record: h.artifact }))
    : node.__typename === 'Execution'
      ? node.history.map((h) => ({ validFrom: h.validFrom, validTo: h.validTo, record: h.execution }))
      : node.history.map((h) => ({ validFrom: h.validFrom, validTo: h.validTo, record: h.context }));
  return (
    <>
      <h1><span className="node-kind" data-testid="node-kind">{node.__typename}</span> <span data-testid="node-name">{displayName(node)}</span></h1>
      <p className="node-actions">
        {kind === 'CONTEXT' ? <a href={href('browse', node.id)}>open in Pipelines</a> : (
          <>
            <a href={href('lineage', node.id, { direction: 'UPSTREAM' })}>upstream lineage</a>{' '}
            <a href={href('lineage', node.id, { direction: 'DOWNSTREAM' })}>downstream lineage</a>{' '}
            <a href={href('impact', node.id)}>impact</a>{' '}
            <a href={href('path', null, kind === 'ARTIFACT' ? { from: node.id } : { to: node.id })}>path from/to here</a>
          </>
        )}
      </p>
      <dl className="node-facts">
        <dt>Type</dt><dd data-testid="node-type">{node.type.name}{node.type.version ? ` (version ${node.type.version})` : ''}{node.type.baseType ? ` · ${node.type.baseType}` : ''}</dd>
        <dt>Id</dt><dd>{node.id} <span className="muted">(ML Metadata id {node.mlmdId})</span></dd>
        {node.__typename === 'Artifact' ? <><dt>URI</dt><dd data-testid="node-uri"><Uri uri={node.uri} /></dd></> : null}
        {node.__typename === 'Artifact' ? <><dt>State</dt><dd>{node.state}</dd></> : null}
        {node.__typename === 'Execution' ? <><dt>State</dt><dd>{node.lastKnownState}</dd></> : null}
        {node.externalId ? <><dt>External id</dt><dd>{node.externalId}</dd></> : null}
        <dt>Created</dt><dd title={node.createTime}>{formatTime(node.createTime)}</dd>
        <dt>Updated</dt><dd title={node.updateTime}>{formatTime(node.updateTime)}</dd>
        {node.__typename === 'Artifact' && node.personalData !== undefined ? (
          <><dt>Personal data</dt><dd data-testid="node-personal-data">{node.personalData
            ? `${[...node.personalData.categories, ...node.personalData.specialCategories].join(', ')}${node.personalData.pseudonymized ? ' (pseudonymised)' : ''}`
            : 'none'}</dd></>
        ) : null}
      </dl>
      <PropertyTable properties={node.properties} customProperties={node.customProperties} />
      {node.__typename === 'Artifact' ? <ArtifactSections node={node} /> : null}
      {node.__typename === 'Execution' ? <ExecutionSections node={node} /> : null}
      {node.__typename === 'Context' ? (
        <div className="node-grid">
          <RefList title="Parents" items={node.parents} kind="CONTEXT" testId="parents" />
          <RefList title="Children" items={node.children} kind="CONTEXT" testId="children" />
        </div>
      ) : null}
      <History entries={history} />
    </>
  );
}

/** A URI as text; a link only for http(s) (never javascript: or any other scheme). */
function Uri({ uri }: { uri: string | null }): ReactNode {
  if (!uri) return '—';
  const target = safeHttpHref(uri);
  return target ? <a href={target} rel="noopener noreferrer" target="_blank">{uri}</a> : <code>{uri}</code>;
}

function RefList({ title, items, kind, testId }: { title: string; items: Ref[]; kind: 'ARTIFACT' | 'EXECUTION' | 'CONTEXT'; testId: string }): ReactNode {
  return (
    <div className="ref-list" data-testid={testId}>
      <h2>{title} <span className="muted">({items.length})</span></h2>
      {items.length === 0 ? <p className="muted">None.</p> : (
        <ul>
          {items.map((r) => (
            <li key={r.id} data-node-id={r.id}>
              <span className="type">{r.type.name}</span> <span className="ref-name">{displayName(r)}</span> <NodeLinks id={r.id} kind={kind} />
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}

function EventTable({ caption, rows, testId }: { caption: string; testId: string; rows: { key: string; type: string; time: string; path: PathStep[]; other: Ref; otherKind: 'ARTIFACT' | 'EXECUTION' }[] }): ReactNode {
  return (
    <table className="event-table" data-testid={testId}>
      <caption>{caption}</caption>
      <thead><tr><th scope="col">Event</th><th scope="col">Path</th><th scope="col">{rows[0]?.otherKind === 'ARTIFACT' ? 'Artifact' : 'Execution'}</th><th scope="col">Time</th></tr></thead>
      <tbody>
        {rows.length === 0 ? <tr><td colSpan={4} className="muted">None.</td></tr> : rows.map((r) => (
          <tr key={r.key} data-node-id={r.other.id} data-event-type={r.type}>
            <td>{r.type}</td>
            <td className="event-path">{formatPath(r.path)}</td>
            <td><span className="type">{r.other.type.name}</span> {displayName(r.other)} <NodeLinks id={r.other.id} kind={r.otherKind} /></td>
            <td title={r.time}>{formatTime(r.time)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

function ArtifactSections({ node }: { node: ArtifactNode }): ReactNode {
  return (
    <>
      <div className="node-grid">
        <RefList title="Produced by" items={node.producedBy} kind="EXECUTION" testId="producers" />
        <RefList title="Consumed by" items={node.consumedBy} kind="EXECUTION" testId="consumers" />
        <RefList title="Contexts" items={node.contexts} kind="CONTEXT" testId="contexts" />
      </div>
      <EventTable caption="Events" testId="events" rows={node.events.map((e, i) => ({
        key: `${i}`, type: e.type, time: e.time, path: e.path, other: e.execution, otherKind: 'EXECUTION',
      }))} />
      {node.versions.totalCount > 0 ? (
        <table className="versions-table" data-testid="versions">
          <caption>Dataset versions ({node.versions.totalCount}{node.versions.totalCount > node.versions.nodes.length ? `, first ${node.versions.nodes.length} shown` : ''})</caption>
          <thead><tr><th scope="col">Dataset</th><th scope="col">Version</th><th scope="col">Recorded</th><th scope="col">URI</th><th scope="col">Artifact</th></tr></thead>
          <tbody>
            {node.versions.nodes.map((v) => (
              <tr key={v.artifact.id} className={v.artifact.id === node.id ? 'current' : undefined}>
                <td>{v.datasetName}</td><td>{v.version ?? '—'}</td><td>{formatTime(v.versionTime)}</td><td><Uri uri={v.uri} /></td>
                <td><a href={href('node', v.artifact.id)}>{displayName(v.artifact)}</a></td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
    </>
  );
}

function ExecutionSections({ node }: { node: ExecutionNode }): ReactNode {
  const rows = (events: ExecutionNode['inputs']) => events.map((e, i) => ({
    key: `${i}`, type: e.type, time: e.time, path: e.path, other: e.artifact, otherKind: 'ARTIFACT' as const,
  }));
  return (
    <>
      <div className="node-grid two">
        <EventTable caption="Inputs" testId="inputs" rows={rows(node.inputs)} />
        <EventTable caption="Outputs" testId="outputs" rows={rows(node.outputs)} />
      </div>
      <RefList title="Contexts" items={node.contexts} kind="CONTEXT" testId="contexts" />
    </>
  );
}

function History({ entries }: { entries: HistoryEntry[] }): ReactNode {
  if (entries.length <= 1) return <p className="muted" data-testid="history">History: one record (never updated by id).</p>;
  return (
    <table className="history-table" data-testid="history">
      <caption>History ({entries.length} records, oldest first)</caption>
      <thead><tr><th scope="col">From</th><th scope="col">To</th><th scope="col">Record</th></tr></thead>
      <tbody>
        {entries.map((h) => (
          <tr key={h.validFrom}>
            <td title={h.validFrom}>{formatTime(h.validFrom)}</td>
            <td title={h.validTo ?? ''}>{h.validTo ? formatTime(h.validTo) : 'current'}</td>
            <td><pre>{formatValue(h.record)}</pre></td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
