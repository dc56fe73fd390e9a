/**
 * Every fixed SQL statement of the SQLite store, prepared once, taking values only as
 * parameters. Batch reads take their keys as one JSON array parameter read with
 * json_each, so a statement's text never depends on how many keys there are; each row
 * carries `idx`, the key's position, so results can be aligned with the input.
 * (listNodes and countNodes, whose text depends on which filters are present, are
 * composed from fixed fragments in sqlite-node-queries.ts.)
 */
import type { PreparedStatement, SqliteExecutor } from './sqlite-executor.js';

const TYPE_COLUMNS = 't.id, t.mlmd_id, t.kind, t.name, t.version, t.description, t.external_id, t.base_type, t.properties, t.personal_data';
/** A node row's columns, read through the alias `n`. */
export const NODE_COLUMNS = `n.id, n.mlmd_id, n.kind, n.type_id, n.name, n.external_id, n.uri, n.state, n.last_known_state,
  n.properties, n.custom_properties, n.create_time, n.update_time, n.personal_data, n.privacy`;
const EVENT_COLUMNS = 'e.artifact_id, e.execution_id, e.type, e.time, e.path';

/**
 * The fixed statements. CROSS JOIN keeps the JSON key list as the outer loop, so each
 * key is one index seek whatever the planner guesses about json_each's size.
 */
export const SQL = {
  getTypes: `SELECT k.key AS idx, ${TYPE_COLUMNS}
    FROM json_each(:ids) AS k CROSS JOIN types AS t ON t.id = k.value`,
  findTypes: `SELECT k.key AS idx, ${TYPE_COLUMNS}
    FROM json_each(:keys) AS k CROSS JOIN types AS t
      ON t.kind = :kind AND t.name = k.value ->> 'name' AND t.version IS k.value ->> 'version'`,
  findTypesByExternalId: `SELECT k.key AS idx, ${TYPE_COLUMNS}
    FROM json_each(:externalIds) AS k CROSS JOIN types AS t ON t.kind = :kind AND t.external_id = k.value`,
  listTypes: `SELECT ${TYPE_COLUMNS} FROM types AS t WHERE t.kind = :kind ORDER BY t.name, t.version`,
  insertType: `INSERT INTO types (id, mlmd_id, kind, name, version, description, external_id, base_type, properties, personal_data)
    VALUES (:id, :mlmdId, :kind, :name, :version, :description, :externalId, :baseType, :properties, :personalData)`,
  updateType: `UPDATE types SET name = :name, version = :version, description = :description,
      external_id = :externalId, base_type = :baseType, properties = :properties, personal_data = :personalData
    WHERE id = :id`,

  allocateMlmdIds: `INSERT INTO mlmd_id_sequences (space, last) VALUES (:space, :count)
    ON CONFLICT (space) DO UPDATE SET last = last + excluded.last RETURNING last`,
  getTypesByMlmdId: `SELECT k.key AS idx, ${TYPE_COLUMNS}
    FROM json_each(:ids) AS k CROSS JOIN types AS t ON t.mlmd_id = k.value`,
  getNodesByMlmdId: `SELECT k.key AS idx, ${NODE_COLUMNS}
    FROM json_each(:ids) AS k CROSS JOIN nodes AS n ON n.mlmd_id = k.value`,

  getNodes: `SELECT k.key AS idx, ${NODE_COLUMNS}
    FROM json_each(:ids) AS k CROSS JOIN nodes AS n ON n.id = k.value`,
  findNodesByName: `SELECT k.key AS idx, ${NODE_COLUMNS}
    FROM json_each(:keys) AS k CROSS JOIN nodes AS n
      ON n.kind = :kind AND n.type_id = k.value ->> 'typeId' AND n.name = k.value ->> 'name'`,
  findNodesByExternalId: `SELECT k.key AS idx, ${NODE_COLUMNS}
    FROM json_each(:externalIds) AS k CROSS JOIN nodes AS n ON n.kind = :kind AND n.external_id = k.value`,
  insertNode: `INSERT INTO nodes (id, mlmd_id, kind, type_id, name, external_id, uri, state, last_known_state,
      properties, custom_properties, create_time, update_time, personal_data, privacy)
    VALUES (:id, :mlmdId, :kind, :typeId, :name, :externalId, :uri, :state, :lastKnownState,
      :properties, :customProperties, :createTime, :updateTime, :personalData, :privacy)`,
  updateNode: `UPDATE nodes SET name = :name, external_id = :externalId, uri = :uri, state = :state,
      last_known_state = :lastKnownState, properties = :properties, custom_properties = :customProperties,
      update_time = :updateTime, personal_data = :personalData, privacy = :privacy
    WHERE id = :id`,
  deleteNodes: `DELETE FROM nodes WHERE id IN (SELECT value FROM json_each(:ids)) RETURNING id`,
  insertProperty: `INSERT INTO node_properties (node_id, is_custom, name, value_kind, value)
    VALUES (:nodeId, :isCustom, :name, :valueKind, :value)`,
  deleteProperties: `DELETE FROM node_properties WHERE node_id = :nodeId`,

  insertEvent: `INSERT INTO events (artifact_id, execution_id, type, time, path)
    VALUES (:artifactId, :executionId, :type, :time, :path)`,
  getEvents: `SELECT k.key AS idx, ${EVENT_COLUMNS}
    FROM json_each(:keys) AS k CROSS JOIN events AS e
      ON e.artifact_id = k.value ->> 'artifactId' AND e.type = k.value ->> 'type'
      AND e.execution_id = k.value ->> 'executionId'`,
  eventsByArtifacts: `SELECT k.key AS idx, ${EVENT_COLUMNS}
    FROM json_each(:ids) AS k CROSS JOIN events AS e ON e.artifact_id = k.value
    ORDER BY k.key, e.time, e.execution_id, e.type`,
  eventsByExecutions: `SELECT k.key AS idx, ${EVENT_COLUMNS}
    FROM json_each(:ids) AS k CROSS JOIN events AS e ON e.execution_id = k.value
    ORDER BY k.key, e.time, e.artifact_id, e.type`,

  // Links are sets: DO NOTHING skips existing ones, so the change count is the number new.
  insertAttributions: `INSERT INTO attributions (context_id, artifact_id)
    SELECT l.value ->> 'contextId', l.value ->> 'artifactId' FROM json_each(:links) AS l WHERE true
    ON CONFLICT DO NOTHING`,
  insertAssociations: `INSERT INTO associations (context_id, execution_id)
    SELECT l.value ->> 'contextId', l.value ->> 'executionId' FROM json_each(:links) AS l WHERE true
    ON CONFLICT DO NOTHING`,
  insertParentContexts: `INSERT INTO parent_contexts (child_id, parent_id)
    SELECT l.value ->> 'childId', l.value ->> 'parentId' FROM json_each(:links) AS l WHERE true
    ON CONFLICT DO NOTHING`,
  contextsOfNodes: `SELECT k.key AS idx, ${NODE_COLUMNS}
      FROM json_each(:ids) AS k CROSS JOIN attributions AS a ON a.artifact_id = k.value
      CROSS JOIN nodes AS n ON n.id = a.context_id
    UNION ALL
    SELECT k.key AS idx, ${NODE_COLUMNS}
      FROM json_each(:ids) AS k CROSS JOIN associations AS a ON a.execution_id = k.value
      CROSS JOIN nodes AS n ON n.id = a.context_id
    ORDER BY 1, 2`, // idx, then the context's id: a compound SELECT orders by position
  // Many nodes share few contexts (a run's, a pipeline's): each is read once, not per member.
  contextsOfAny: `SELECT ${NODE_COLUMNS} FROM nodes AS n WHERE n.id IN (
      SELECT a.context_id FROM json_each(:ids) AS k CROSS JOIN attributions AS a ON a.artifact_id = k.value
      UNION
      SELECT a.context_id FROM json_each(:ids) AS k CROSS JOIN associations AS a ON a.execution_id = k.value
    )
    ORDER BY n.id`,
  parentContexts: `SELECT k.key AS idx, ${NODE_COLUMNS}
    FROM json_each(:ids) AS k CROSS JOIN parent_contexts AS p ON p.child_id = k.value
    CROSS JOIN nodes AS n ON n.id = p.parent_id
    ORDER BY k.key, n.id`,
  childContexts: `SELECT k.key AS idx, ${NODE_COLUMNS}
    FROM json_each(:ids) AS k CROSS JOIN parent_contexts AS p ON p.parent_id = k.value
    CROSS JOIN nodes AS n ON n.id = p.child_id
    ORDER BY k.key, n.id`,

  /**
   * One hop of the lineage walk. The frontier mixes artifacts and executions (ids are
   * unique across both), so one branch steps from artifacts along the events table's
   * primary key and the other from executions along its covering index; the caller
   * picks which event types each side may take, which is what makes a direction.
   * The planner would reach the neighbour through the primary key and then its row;
   * INDEXED BY keeps the look-up inside the narrow (id, kind, type_id) index.
   */
  lineageSteps: `SELECT ${EVENT_COLUMNS}, x.id AS neighbor_id, x.kind AS neighbor_kind, x.type_id AS neighbor_type_id
      FROM json_each(:frontier) AS f
      CROSS JOIN events AS e ON e.artifact_id = f.value
      CROSS JOIN nodes AS x INDEXED BY nodes_kind_and_type ON x.id = e.execution_id
      WHERE e.type IN (SELECT value FROM json_each(:fromArtifactTypes))
        AND (:asOf IS NULL OR e.time <= :asOf)
    UNION ALL
    SELECT ${EVENT_COLUMNS}, x.id AS neighbor_id, x.kind AS neighbor_kind, x.type_id AS neighbor_type_id
      FROM json_each(:frontier) AS f
      CROSS JOIN events AS e ON e.execution_id = f.value
      CROSS JOIN nodes AS x INDEXED BY nodes_kind_and_type ON x.id = e.artifact_id
      WHERE e.type IN (SELECT value FROM json_each(:fromExecutionTypes))
        AND (:asOf IS NULL OR e.time <= :asOf)`,
  /**
   * lineageSteps without the neighbour's row: the reach (sqlite-graph.ts) looks up each
   * node's type once, with nodeTypes, instead of once per event that leads to it.
   */
  reachSteps: `SELECT ${EVENT_COLUMNS}, e.execution_id AS neighbor_id, 'EXECUTION' AS neighbor_kind
      FROM json_each(:frontier) AS f
      CROSS JOIN events AS e ON e.artifact_id = f.value
      WHERE e.type IN (SELECT value FROM json_each(:fromArtifactTypes))
        AND (:asOf IS NULL OR e.time <= :asOf)
    UNION ALL
    SELECT ${EVENT_COLUMNS}, e.artifact_id AS neighbor_id, 'ARTIFACT' AS neighbor_kind
      FROM json_each(:frontier) AS f
      CROSS JOIN events AS e ON e.execution_id = f.value
      WHERE e.type IN (SELECT value FROM json_each(:fromExecutionTypes))
        AND (:asOf IS NULL OR e.time <= :asOf)`,
  nodeTypes: `SELECT n.id, n.type_id
    FROM json_each(:ids) AS k CROSS JOIN nodes AS n INDEXED BY nodes_kind_and_type ON n.id = k.value`,
} as const;

export type StatementName = keyof typeof SQL;

/** What a uniqueness failure of each write statement means, for AlreadyExistsError. */
const UNIQUENESS: Partial<Record<StatementName, string>> = {
  insertType: 'a type with the same id, the same name and version, or the same externalId already exists',
  updateType: 'another type of the kind has the same name and version, or the same externalId',
  insertNode: 'a node with the same id, the same type and name, or the same externalId already exists',
  updateNode: 'another node of the kind has the same type and name, or the same externalId',
  insertProperty: 'a node has the same property twice',
  insertEvent: 'an event with the same artifact, execution and type already exists',
};

/** Prepares every fixed statement once. */
export function prepareStatements(executor: SqliteExecutor): Record<StatementName, PreparedStatement> {
  const prepared = {} as Record<StatementName, PreparedStatement>;
  for (const name of Object.keys(SQL) as StatementName[]) {
    prepared[name] = executor.prepare(SQL[name], UNIQUENESS[name]);
  }
  return prepared;
}
