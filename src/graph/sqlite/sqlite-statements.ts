/**
 * Every fixed SQL statement of the SQLite store, prepared once, taking values only as
 * parameters. Batch reads take their keys as one JSON array parameter read with
 * json_each, so a statement's text never depends on how many keys there are; each row
 * carries `idx`, the key's position, so results can be aligned with the input.
 * (listNodes and countNodes, whose text depends on which filters are present, are
 * composed from fixed fragments in sqlite-node-queries.ts.)
 */
import type { PreparedStatement, SqliteExecutor } from './sqlite-executor.js';

const TYPE_COLUMNS = `t.uuid AS id, t.mlmd_id, t.kind, t.name, t.version, t.description, t.external_id, t.base_type,
  t.properties, t.personal_data`;
/**
 * A node row's columns, read through the alias `n` joined to its type as `nt` (NODE_TYPE):
 * tables hold the integer keys, records the UUIDs. The UUID comes first (compound
 * SELECTs below order by its position).
 */
export const NODE_COLUMNS = `n.uuid AS id, n.mlmd_id, n.kind, nt.uuid AS type_id, n.name, n.external_id, n.uri, n.state,
  n.last_known_state, n.properties, n.custom_properties, n.create_time, n.update_time, n.personal_data, n.privacy`;
/** The join NODE_COLUMNS reads the type's UUID through: a seek on the small types table. */
export const NODE_TYPE = 'CROSS JOIN types AS nt ON nt.mlmd_id = n.type_id';
/** An event's columns, its ends (`a`, `x`) read back as UUIDs. */
const EVENT_COLUMNS = 'a.uuid AS artifact_id, x.uuid AS execution_id, e.type, e.time, e.path';

/**
 * The step statement of the lineage reach, on integer keys only: the frontier mixes
 * artifacts and executions (one key space, node_key), so one branch steps from artifacts along the
 * events table's primary key and the other from executions along its covering index; the
 * caller picks which event types each side may take, which is what makes a direction. No
 * node row is read per step: the reach maps the keys it met to UUIDs once, at the end.
 */
const REACH_STEPS = `SELECT e.artifact_id, e.execution_id, e.type, e.time, e.path, e.execution_id AS neighbor, 'EXECUTION' AS neighbor_kind
      FROM json_each(:frontier) AS f
      CROSS JOIN events AS e ON e.artifact_id = f.value
      WHERE e.type IN (SELECT value FROM json_each(:fromArtifactTypes))
        AND (:asOf IS NULL OR e.time <= :asOf)
    UNION ALL
    SELECT e.artifact_id, e.execution_id, e.type, e.time, e.path, e.artifact_id AS neighbor, 'ARTIFACT' AS neighbor_kind
      FROM json_each(:frontier) AS f
      CROSS JOIN events AS e ON e.execution_id = f.value
      WHERE e.type IN (SELECT value FROM json_each(:fromExecutionTypes))
        AND (:asOf IS NULL OR e.time <= :asOf)`;

/**
 * The fixed statements. CROSS JOIN keeps the JSON key list as the outer loop, so each
 * key is one index seek whatever the planner guesses about json_each's size. Writes take
 * integer keys the store has resolved first (`nodeKeys`, `typeKeys`), so a reference to a
 * missing node or type is refused as NOT_FOUND before anything is written.
 */
export const SQL = {
  /**
   * ML Metadata ids come from mlmd_id_counters (migration 7), one row per id space holding
   * the highest id handed out, which only grows: an id handed out here is above every id a
   * row of the space has ever had. The writer's transaction holds the database's one
   * write lock, so no other process moves a counter between a read and an update.
   */
  /** A space without its row (a file emptied by hand, as the tests do) starts from its highest id. */
  seedIds: `INSERT INTO mlmd_id_counters (space, handed_out)
    SELECT :space, coalesce(CASE :space WHEN 'type' THEN (SELECT max(mlmd_id) FROM types)
      ELSE (SELECT max(mlmd_id) FROM nodes WHERE kind = upper(:space)) END, 0)
    WHERE true ON CONFLICT DO NOTHING`,
  takeIds: 'UPDATE mlmd_id_counters SET handed_out = handed_out + :count WHERE space = :space RETURNING handed_out',
  handedOut: 'SELECT handed_out FROM mlmd_id_counters WHERE space = :space',
  raiseCounter: 'UPDATE mlmd_id_counters SET handed_out = max(handed_out, :highest) WHERE space = :space',
  getTypesByMlmdId: `SELECT k.key AS idx, ${TYPE_COLUMNS}
    FROM json_each(:ids) AS k CROSS JOIN types AS t ON t.mlmd_id = k.value`,
  getNodesByMlmdId: `SELECT k.key AS idx, ${NODE_COLUMNS}
    FROM json_each(:ids) AS k CROSS JOIN nodes AS n ON n.kind = :kind AND n.mlmd_id = k.value ${NODE_TYPE}`,
  /** The integer keys of the UUIDs that exist. */
  nodeKeys: `SELECT k.value AS uuid, n.node_key AS key
    FROM json_each(:ids) AS k CROSS JOIN nodes AS n ON n.uuid = k.value`,
  typeKeys: `SELECT k.value AS uuid, t.mlmd_id AS key
    FROM json_each(:ids) AS k CROSS JOIN types AS t ON t.uuid = k.value`,
  /** What a walk reports of each node it met, by key: its UUID and its type's UUID. */
  nodeRefs: `SELECT n.node_key AS key, n.uuid, t.uuid AS type_uuid
    FROM json_each(:keys) AS k CROSS JOIN nodes AS n ON n.node_key = k.value CROSS JOIN types AS t ON t.mlmd_id = n.type_id`,

  getTypes: `SELECT k.key AS idx, ${TYPE_COLUMNS}
    FROM json_each(:ids) AS k CROSS JOIN types AS t ON t.uuid = k.value`,
  findTypes: `SELECT k.key AS idx, ${TYPE_COLUMNS}
    FROM json_each(:keys) AS k CROSS JOIN types AS t
      ON t.kind = :kind AND t.name = k.value ->> 'name' AND t.version IS k.value ->> 'version'`,
  findTypesByExternalId: `SELECT k.key AS idx, ${TYPE_COLUMNS}
    FROM json_each(:externalIds) AS k CROSS JOIN types AS t ON t.kind = :kind AND t.external_id = k.value`,
  listTypes: `SELECT ${TYPE_COLUMNS} FROM types AS t WHERE t.kind = :kind ORDER BY t.name, t.version`,
  insertType: `INSERT INTO types (mlmd_id, uuid, kind, name, version, description, external_id, base_type, properties, personal_data)
    VALUES (:mlmdId, :id, :kind, :name, :version, :description, :externalId, :baseType, :properties, :personalData)`,
  updateType: `UPDATE types SET name = :name, version = :version, description = :description,
      external_id = :externalId, base_type = :baseType, properties = :properties, personal_data = :personalData
    WHERE uuid = :id`,

  getNodes: `SELECT k.key AS idx, ${NODE_COLUMNS}
    FROM json_each(:ids) AS k CROSS JOIN nodes AS n ON n.uuid = k.value ${NODE_TYPE}`,
  findNodesByName: `SELECT k.key AS idx, ${NODE_COLUMNS}
    FROM json_each(:keys) AS k CROSS JOIN types AS nt ON nt.uuid = k.value ->> 'typeId'
      CROSS JOIN nodes AS n ON n.kind = :kind AND n.type_id = nt.mlmd_id AND n.name = k.value ->> 'name'`,
  findNodesByExternalId: `SELECT k.key AS idx, ${NODE_COLUMNS}
    FROM json_each(:externalIds) AS k CROSS JOIN nodes AS n ON n.kind = :kind AND n.external_id = k.value ${NODE_TYPE}`,
  insertNode: `INSERT INTO nodes (mlmd_id, uuid, kind, type_id, name, external_id, uri, state, last_known_state,
      properties, custom_properties, create_time, update_time, personal_data, privacy)
    VALUES (:mlmdId, :id, :kind, :typeKey, :name, :externalId, :uri, :state, :lastKnownState,
      :properties, :customProperties, :createTime, :updateTime, :personalData, :privacy)
    RETURNING node_key AS key`,
  /** A batch of nodes, each nodeParams' object: one statement for the batch, not one per node. */
  insertNodes: `INSERT INTO nodes (mlmd_id, uuid, kind, type_id, name, external_id, uri, state, last_known_state,
      properties, custom_properties, create_time, update_time, personal_data, privacy)
    SELECT n.value ->> 'mlmdId', n.value ->> 'id', n.value ->> 'kind', n.value ->> 'typeKey', n.value ->> 'name',
      n.value ->> 'externalId', n.value ->> 'uri', n.value ->> 'state', n.value ->> 'lastKnownState',
      n.value ->> 'properties', n.value ->> 'customProperties', n.value ->> 'createTime', n.value ->> 'updateTime',
      n.value ->> 'personalData', n.value ->> 'privacy'
    FROM json_each(:nodes) AS n
    RETURNING node_key AS key, uuid AS id`,
  updateNode: `UPDATE nodes SET name = :name, external_id = :externalId, uri = :uri, state = :state,
      last_known_state = :lastKnownState, properties = :properties, custom_properties = :customProperties,
      update_time = :updateTime, personal_data = :personalData, privacy = :privacy
    WHERE uuid = :id
    RETURNING node_key AS key`,
  /** The stored row an update is about to replace, kept in the history (migration 9) as valid until :validTo. */
  keepNodeHistory: `INSERT INTO node_history (node_key, valid_to, name, external_id, uri, state, last_known_state,
      properties, custom_properties, update_time, personal_data, privacy)
    SELECT node_key, :validTo, name, external_id, uri, state, last_known_state,
      properties, custom_properties, update_time, personal_data, privacy
    FROM nodes WHERE uuid = :id`,
  deleteNodes: `DELETE FROM nodes WHERE uuid IN (SELECT value FROM json_each(:ids)) RETURNING uuid AS id`,
  insertProperty: `INSERT INTO node_properties (node_id, is_custom, name, value_kind, value)
    VALUES (:nodeKey, :isCustom, :name, :valueKind, :value)`,
  deleteProperties: `DELETE FROM node_properties WHERE node_id = :nodeKey`,

  /** A batch of events, each `{a, x, type, time, path}` with its ends' integer keys. */
  insertEvents: `INSERT INTO events (artifact_id, execution_id, type, time, path)
    SELECT e.value ->> 'a', e.value ->> 'x', e.value ->> 'type', e.value ->> 'time', e.value ->> 'path'
    FROM json_each(:events) AS e`,
  getEvents: `SELECT k.key AS idx, ${EVENT_COLUMNS}
    FROM json_each(:keys) AS k CROSS JOIN nodes AS a ON a.uuid = k.value ->> 'artifactId'
      CROSS JOIN nodes AS x ON x.uuid = k.value ->> 'executionId'
      CROSS JOIN events AS e ON e.artifact_id = a.node_key AND e.type = k.value ->> 'type' AND e.execution_id = x.node_key`,
  eventsByArtifacts: `SELECT k.key AS idx, ${EVENT_COLUMNS}
    FROM json_each(:ids) AS k CROSS JOIN nodes AS a ON a.uuid = k.value
      CROSS JOIN events AS e ON e.artifact_id = a.node_key
      CROSS JOIN nodes AS x ON x.node_key = e.execution_id
    ORDER BY k.key, e.time, x.uuid, e.type`,
  eventsByExecutions: `SELECT k.key AS idx, ${EVENT_COLUMNS}
    FROM json_each(:ids) AS k CROSS JOIN nodes AS x ON x.uuid = k.value
      CROSS JOIN events AS e ON e.execution_id = x.node_key
      CROSS JOIN nodes AS a ON a.node_key = e.artifact_id
    ORDER BY k.key, e.time, a.uuid, e.type`,

  // Links are sets: DO NOTHING skips existing ones, so the change count is the number new.
  // Each link is a pair of integer keys [context or child, artifact, execution or parent].
  insertAttributions: `INSERT INTO attributions (context_id, artifact_id)
    SELECT l.value ->> 0, l.value ->> 1 FROM json_each(:links) AS l WHERE true
    ON CONFLICT DO NOTHING`,
  insertAssociations: `INSERT INTO associations (context_id, execution_id)
    SELECT l.value ->> 0, l.value ->> 1 FROM json_each(:links) AS l WHERE true
    ON CONFLICT DO NOTHING`,
  insertParentContexts: `INSERT INTO parent_contexts (child_id, parent_id)
    SELECT l.value ->> 0, l.value ->> 1 FROM json_each(:links) AS l WHERE true
    ON CONFLICT DO NOTHING`,
  contextsOfNodes: `SELECT k.key AS idx, ${NODE_COLUMNS}
      FROM json_each(:ids) AS k CROSS JOIN nodes AS m ON m.uuid = k.value
      CROSS JOIN attributions AS a ON a.artifact_id = m.node_key
      CROSS JOIN nodes AS n ON n.node_key = a.context_id ${NODE_TYPE}
    UNION ALL
    SELECT k.key AS idx, ${NODE_COLUMNS}
      FROM json_each(:ids) AS k CROSS JOIN nodes AS m ON m.uuid = k.value
      CROSS JOIN associations AS a ON a.execution_id = m.node_key
      CROSS JOIN nodes AS n ON n.node_key = a.context_id ${NODE_TYPE}
    ORDER BY 1, 2`, // idx, then the context's UUID: a compound SELECT orders by position
  // Many nodes share few contexts (a run's, a pipeline's): each is read once, not per member.
  contextsOfAny: `SELECT ${NODE_COLUMNS} FROM nodes AS n ${NODE_TYPE} WHERE n.node_key IN (
      SELECT a.context_id FROM json_each(:ids) AS k CROSS JOIN nodes AS m ON m.uuid = k.value
        CROSS JOIN attributions AS a ON a.artifact_id = m.node_key
      UNION
      SELECT a.context_id FROM json_each(:ids) AS k CROSS JOIN nodes AS m ON m.uuid = k.value
        CROSS JOIN associations AS a ON a.execution_id = m.node_key
    )
    ORDER BY n.uuid`,
  parentContexts: `SELECT k.key AS idx, ${NODE_COLUMNS}
    FROM json_each(:ids) AS k CROSS JOIN nodes AS c ON c.uuid = k.value
    CROSS JOIN parent_contexts AS p ON p.child_id = c.node_key
    CROSS JOIN nodes AS n ON n.node_key = p.parent_id ${NODE_TYPE}
    ORDER BY k.key, n.uuid`,
  childContexts: `SELECT k.key AS idx, ${NODE_COLUMNS}
    FROM json_each(:ids) AS k CROSS JOIN nodes AS c ON c.uuid = k.value
    CROSS JOIN parent_contexts AS p ON p.parent_id = c.node_key
    CROSS JOIN nodes AS n ON n.node_key = p.child_id ${NODE_TYPE}
    ORDER BY k.key, n.uuid`,
  // The attributions' primary key (context_id, artifact_id) finds a context's artifacts.
  artifactsOfContexts: `SELECT k.key AS idx, ${NODE_COLUMNS}
    FROM json_each(:ids) AS k CROSS JOIN nodes AS c ON c.uuid = k.value
    CROSS JOIN attributions AS a ON a.context_id = c.node_key
    CROSS JOIN nodes AS n ON n.node_key = a.artifact_id ${NODE_TYPE}
    ORDER BY k.key, n.uuid`,

  /** One hop of the lineage walk from a frontier of integer keys; see REACH_STEPS. */
  reachSteps: REACH_STEPS,
} as const;

export type StatementName = keyof typeof SQL;

/** What a uniqueness failure of each write statement means, for AlreadyExistsError. */
const UNIQUENESS: Partial<Record<StatementName, string>> = {
  insertType: 'a type with the same id or mlmdId, the same name and version, or the same externalId already exists',
  updateType: 'another type of the kind has the same name and version, or the same externalId',
  insertNode: 'a node of the kind with the same id or mlmdId, the same type and name, or the same externalId already exists',
  insertNodes: 'a node of the kind with the same id or mlmdId, the same type and name, or the same externalId already exists',
  updateNode: 'another node of the kind has the same type and name, or the same externalId',
  insertProperty: 'a node has the same property twice',
  insertEvents: 'an event with the same artifact, execution and type already exists',
};

/** Prepares every fixed statement once. */
export function prepareStatements(executor: SqliteExecutor): Record<StatementName, PreparedStatement> {
  const prepared = {} as Record<StatementName, PreparedStatement>;
  for (const name of Object.keys(SQL) as StatementName[]) {
    prepared[name] = executor.prepare(SQL[name], UNIQUENESS[name]);
  }
  return prepared;
}
