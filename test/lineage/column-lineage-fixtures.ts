/**
 * Dataset versions built through GraphQL by issue 15's shared contract: dataset contexts
 * (`openlineage.Dataset`, `<namespace>/<name>`), versions (`openlineage.DatasetVersion`,
 * `<dataset>@<version>`, with `dataset`, `version`, `versionTime` and the facets as
 * `facet:<name>` STRUCT custom properties) attributed to them, runs (`openlineage.Run`)
 * associated with their job context, and INPUT/OUTPUT events.
 */
export type Data = <T = Record<string, any>>(query: string, variables?: Record<string, unknown>) => Promise<T>;

/** An input field of a facet entry: [namespace, name, field, transformations?]. */
export type InputField = [string, string, string, Record<string, unknown>[]?];

/** A ColumnLineageDatasetFacet as OpenLineage sends it (facet 1-1-0 form). */
export function columnLineageFacet(fields: Record<string, InputField[]>, dataset: InputField[] = []): Record<string, unknown> {
  const ref = ([namespace, name, field, transformations]: InputField) => ({ namespace, name, field, ...(transformations ? { transformations } : {}) });
  return {
    _producer: 'https://example.test/producer',
    _schemaURL: 'https://openlineage.io/spec/facets/1-1-0/ColumnLineageDatasetFacet.json',
    fields: Object.fromEntries(Object.entries(fields).map(([f, inputs]) => [f, { inputFields: inputs.map(ref) }])),
    ...(dataset.length > 0 ? { dataset: dataset.map(ref) } : {}),
  };
}

export const direct = (subtype: string, extra: Record<string, unknown> = {}) => ({ type: 'DIRECT', subtype, ...extra });
export const indirect = (subtype: string, extra: Record<string, unknown> = {}) => ({ type: 'INDIRECT', subtype, ...extra });

export interface VersionSpec {
  key: string;
  namespace: string;
  name: string;
  version: string;
  versionTime: number;
  /** Facets by name, stored as `facet:<name>`. */
  facets?: Record<string, unknown>;
  personalData?: Record<string, unknown>;
  /** The artifact type (made beforehand); default openlineage.DatasetVersion. */
  type?: string;
}

export interface RunSpec {
  key: string;
  job: string;
  reads: string[];
  writes: string[];
  privacy?: Record<string, unknown>;
}

/** Builds the versions and runs; returns ids by key. */
export async function buildVersions(data: Data, versions: VersionSpec[], runs: RunSpec[]): Promise<Record<string, string>> {
  await data(`mutation Types {
    v: putArtifactType(input: { name: "openlineage.DatasetVersion", baseType: DATASET }) { id }
    d: putContextType(input: { name: "openlineage.Dataset" }) { id }
    j: putContextType(input: { name: "openlineage.Job" }) { id }
    r: putExecutionType(input: { name: "openlineage.Run" }) { id }
  }`);
  const datasets = [...new Set(versions.map((v) => `${v.namespace}/${v.name}`))];
  const jobs = [...new Set(runs.map((r) => r.job))];
  const put = await data<{ c: { id: string }[]; a: { id: string }[]; x: { id: string }[] }>(`mutation Nodes($c: [ContextInput!]!, $a: [ArtifactInput!]!, $x: [ExecutionInput!]!) {
    c: putContexts(contexts: $c) { id }
    a: putArtifacts(artifacts: $a) { id }
    x: putExecutions(executions: $x) { id }
  }`, {
    c: [...datasets.map((name) => ({ type: 'openlineage.Dataset', name })), ...jobs.map((name) => ({ type: 'openlineage.Job', name }))],
    a: versions.map((v) => {
      const dataset = `${v.namespace}/${v.name}`;
      return {
        type: v.type ?? 'openlineage.DatasetVersion', name: `${dataset}@${v.version}`, uri: dataset,
        externalId: `openlineage:${dataset}@${v.version}`,
        customProperties: {
          dataset, version: v.version, versionTime: v.versionTime,
          ...Object.fromEntries(Object.entries(v.facets ?? {}).map(([f, value]) => [`facet:${f}`, value])),
        },
        ...(v.personalData ? { personalData: v.personalData } : {}),
      };
    }),
    x: runs.map((r) => ({ type: 'openlineage.Run', name: r.key, externalId: `openlineage:${r.key}`, lastKnownState: 'COMPLETE', ...(r.privacy ? { privacy: r.privacy } : {}) })),
  });
  const ids: Record<string, string> = {};
  const contextId = new Map([...datasets, ...jobs].map((name, i) => [name, put.c[i]!.id]));
  versions.forEach((v, i) => { ids[v.key] = put.a[i]!.id; });
  runs.forEach((r, i) => { ids[r.key] = put.x[i]!.id; });
  await data(`mutation Links($at: [AttributionInput!]!, $as: [AssociationInput!]!, $ev: [EventInput!]!) {
    at: putAttributions(links: $at)
    as: putAssociations(links: $as)
    ev: putEvents(events: $ev) { type }
  }`, {
    at: versions.map((v) => ({ contextId: contextId.get(`${v.namespace}/${v.name}`), artifactId: ids[v.key] })),
    as: runs.map((r) => ({ contextId: contextId.get(r.job), executionId: ids[r.key] })),
    ev: runs.flatMap((r) => [
      ...r.reads.map((k) => ({ artifactId: ids[k], executionId: ids[r.key], type: 'INPUT' })),
      ...r.writes.map((k) => ({ artifactId: ids[k], executionId: ids[r.key], type: 'OUTPUT' })),
    ]),
  });
  return ids;
}

const PG = 'postgres://db:5432';
const S3 = 's3://lake';
export const DATASETS = {
  landing: `${S3}/landing/users.csv`, raw: `${PG}/raw.users`, clean: `${PG}/clean.users`, features: `${PG}/features.users`,
};

/**
 * The chain of the column lineage tests, three runs (and a second raw version, read by a
 * second clean run):
 *
 *   landing ──ingest──▶ raw@v1 ──clean1──▶ clean@c1 ──feat1──▶ features@f1
 *              (older facet form:          id → user_id          user_id → user_id
 *               IDENTITY per field)        email → mail          mail → email_hash (masking)
 *                                          name → full_name      user_id → users_in_country (AGGREGATION)
 *   landing ──ingest2─▶ raw@v2 ──clean2──▶ clean@c2                + country (INDIRECT GROUP_BY)
 *                                          country → country     country → country
 *                                          birth: dropped, only a whole-dataset FILTER (INDIRECT)
 */
export function chainSpec(options: { landingPersonalData?: Record<string, unknown>; feat1Privacy?: Record<string, unknown> } = {}): { versions: VersionSpec[]; runs: RunSpec[] } {
  const L: [string, string] = [S3, 'landing/users.csv'];
  const R: [string, string] = [PG, 'raw.users'];
  const C: [string, string] = [PG, 'clean.users'];
  const legacy = (fields: string[]) => ({
    _producer: 'https://example.test/old', _schemaURL: 'https://openlineage.io/spec/facets/1-0-1/ColumnLineageDatasetFacet.json',
    fields: Object.fromEntries(fields.map((f) => [f, {
      inputFields: [{ namespace: L[0], name: L[1], field: f }], transformationType: 'IDENTITY', transformationDescription: 'copied',
    }])),
  });
  const cleanFacet = columnLineageFacet({
    user_id: [[...R, 'id', [direct('IDENTITY')]]],
    mail: [[...R, 'email', [direct('IDENTITY', { description: 'renamed' })]]],
    full_name: [[...R, 'name', [direct('TRANSFORMATION', { description: 'upper(name)' })]]],
    country: [[...R, 'country', [direct('IDENTITY')]]],
  }, [[...R, 'birth', [indirect('FILTER', { description: 'birth < 2007' })]]]);
  const schema = (names: string[]) => ({ fields: names.map((name) => ({ name, type: 'string' })) });
  const rawFields = ['id', 'email', 'name', 'birth', 'country'];
  const cleanFields = ['user_id', 'mail', 'full_name', 'country'];
  return {
    versions: [
      { key: 'landing', namespace: L[0], name: L[1], version: 'l1', versionTime: 1000, facets: { schema: schema(rawFields) }, personalData: options.landingPersonalData },
      { key: 'raw1', namespace: R[0], name: R[1], version: 'v1', versionTime: 2000, facets: { schema: schema(rawFields), columnLineage: legacy(rawFields) } },
      { key: 'raw2', namespace: R[0], name: R[1], version: 'v2', versionTime: 2500, facets: { schema: schema(rawFields), columnLineage: legacy(rawFields) } },
      { key: 'clean1', namespace: C[0], name: C[1], version: 'c1', versionTime: 3000, facets: { schema: schema(cleanFields), columnLineage: cleanFacet } },
      { key: 'clean2', namespace: C[0], name: C[1], version: 'c2', versionTime: 3500, facets: { schema: schema(cleanFields), columnLineage: cleanFacet } },
      {
        key: 'features', namespace: PG, name: 'features.users', version: 'f1', versionTime: 4000, facets: {
          columnLineage: columnLineageFacet({
            user_id: [[...C, 'user_id', [direct('IDENTITY')]]],
            email_hash: [[...C, 'mail', [direct('TRANSFORMATION', { description: 'sha256(mail)', masking: true })]]],
            users_in_country: [[...C, 'user_id', [direct('AGGREGATION', { description: 'count' })]], [...C, 'country', [indirect('GROUP_BY')]]],
            country: [[...C, 'country', [direct('IDENTITY')]]],
          }),
        },
      },
    ],
    runs: [
      { key: 'ingest', job: 'etl/ingest', reads: ['landing'], writes: ['raw1'] },
      { key: 'ingest2', job: 'etl/ingest', reads: ['landing'], writes: ['raw2'] },
      { key: 'clean1run', job: 'etl/clean', reads: ['raw1'], writes: ['clean1'] },
      { key: 'clean2run', job: 'etl/clean', reads: ['raw2'], writes: ['clean2'] },
      { key: 'feat1', job: 'etl/features', reads: ['clean1'], writes: ['features'], privacy: options.feat1Privacy },
    ],
  };
}
