/**
 * A data subject's report (Query.dataSubjectLineage) as a graph for the canvas: the
 * affected artifacts (the registered sources highlighted, each badged with the subject's
 * categories it holds and whether they are pseudonymised), the executions that read them,
 * and the outputs of anonymising steps the data reached but did not pass (badged as the
 * anonymised boundary). Edges are the executions' events between nodes of the report.
 */
import type { GraphEdge, GraphNode } from '../../graph/graph-model';
import { nameOf, specialLabel, type DataSubjectReport } from './privacy-queries';

/** What a badge says of an affected artifact: its categories, special ones too, marked when pseudonymised. */
export function categoriesBadge(a: { categories: string[]; specialCategories: string[]; pseudonymized: boolean }): string {
  const held = [...a.categories, ...a.specialCategories.map(specialLabel)].join(', ');
  return a.pseudonymized ? `pseudonymised: ${held}` : held;
}

export const BOUNDARY_BADGE = 'anonymised boundary: holds none';

export function subjectGraph(report: DataSubjectReport): { nodes: GraphNode[]; edges: GraphEdge[] } {
  const sources = new Set(report.sources.map((s) => s.id));
  const nodes: GraphNode[] = report.affected.map((a) => ({
    id: a.artifact.id,
    kind: 'ARTIFACT',
    label: nameOf(a.artifact),
    typeName: a.artifact.type.name,
    distance: a.distance,
    highlighted: sources.has(a.artifact.id),
    badge: categoriesBadge(a),
  }));
  const drawn = new Set(nodes.map((n) => n.id));
  for (const b of report.anonymizedBoundary) {
    if (drawn.has(b.id)) continue;
    drawn.add(b.id);
    nodes.push({ id: b.id, kind: 'ARTIFACT', label: nameOf(b), typeName: b.type.name, badge: BOUNDARY_BADGE });
  }
  const edges = new Map<string, GraphEdge>();
  for (const x of report.executions) {
    nodes.push({
      id: x.id, kind: 'EXECUTION', label: nameOf(x), typeName: x.type.name,
      badge: x.privacy && x.privacy.transform !== 'NONE' ? x.privacy.transform.toLowerCase() : undefined,
    });
    for (const e of x.inputs) {
      if (drawn.has(e.artifact.id)) edges.set(`${e.artifact.id}->${x.id}`, { id: `${e.artifact.id}->${x.id}`, source: e.artifact.id, target: x.id });
    }
    for (const e of x.outputs) {
      if (drawn.has(e.artifact.id)) edges.set(`${x.id}->${e.artifact.id}`, { id: `${x.id}->${e.artifact.id}`, source: x.id, target: e.artifact.id });
    }
  }
  return { nodes, edges: [...edges.values()] };
}
