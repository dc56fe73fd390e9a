/**
 * Filters of every shape the compilers know (each attribute kind, neighbour, operator and
 * nesting), pinned by the statement snapshots of both backends, and text that must never
 * reach a statement's text.
 */
import type { NodeKind } from '../../src/graph/model.js';

export const FILTER_SHAPES: { kind: NodeKind; filter: string }[] = [
  { kind: 'ARTIFACT', filter: "name = 'a' AND uri LIKE 'gs://%' AND state IN (LIVE, PENDING) AND external_id IS NULL" },
  { kind: 'ARTIFACT', filter: "type = 'Dataset' OR type_id = 3 OR NOT (id != 7)" },
  { kind: 'ARTIFACT', filter: "properties.rows.int_value > 1 AND properties.lr.double_value <= 0.5 AND custom_properties.`odd key`.string_value NOT LIKE 'x%' AND custom_properties.ok.bool_value = true" },
  { kind: 'ARTIFACT', filter: "contexts_a.name = 'run' AND contexts_a.type = 'Run' AND contexts_b.id = 4 AND events_0.type = OUTPUT AND events_0.execution_id = 2" },
  { kind: 'EXECUTION', filter: 'last_known_state NOT IN (FAILED) AND events_x.artifact_id IN (1, 2) AND events_x.milliseconds_since_epoch >= 0 AND create_time_since_epoch < 5' },
  { kind: 'CONTEXT', filter: "parent_contexts_p.name = 'p' OR child_contexts_c.type = 'Run' OR artifacts_a.uri IS NOT NULL OR executions_e.last_known_state = COMPLETE OR last_update_time_since_epoch > 0" },
];

export const HOSTILE_TEXT = [
  "'; DROP TABLE nodes; --", '" OR 1=1 --', "x') DETACH DELETE n //", '}) MATCH (m) DETACH DELETE m //', ':w0', '$where_0',
  'a`b', 'back\\slash', '%_', '😀\u0000', 'x'.repeat(300),
];
