/**
 * OpenLineage's ColumnLineageDatasetFacet, read from a dataset version's `facet:columnLineage`
 * custom property (the shared contract of issue 15: the facet's JSON object as sent).
 *
 * The facet maps each output field to the input fields it is computed from:
 * `fields.<outField>.inputFields[]` of `{namespace, name, field, transformations[]}`, where
 * a transformation is `{type: DIRECT | INDIRECT, subtype, description, masking}` (facet
 * 1-1-0 and later). Older producers (facet 1-0-x) put one `transformationType` (IDENTITY,
 * MASKED, ...) and `transformationDescription` on the output field instead; the optional
 * `dataset[]` list names input fields that affect the whole output dataset (filters,
 * joins, grouping).
 *
 * The value was validated by whoever wrote it (the OpenLineage intake checks events
 * against the spec's schema; a GraphQL caller may store any STRUCT), so reading is
 * lenient: an entry that is not of the facet's shape is skipped, never fatal. Field and
 * dataset names are user text: they are kept in Maps, never used as object keys, so
 * `__proto__` or `constructor` are names like any other.
 */
import type { PropertyMap, PropertyValue } from '../../graph/model.js';

/** The custom property holding the facet (shared contract). */
export const COLUMN_LINEAGE_PROPERTY = 'facet:columnLineage';
/** The custom property holding the OpenLineage schema facet, whose field names a version has. */
export const SCHEMA_PROPERTY = 'facet:schema';
/** The custom property naming a version's dataset, `<namespace>/<name>` (shared contract). */
export const DATASET_PROPERTY = 'dataset';

/** How one input field becomes (part of) an output field. */
export interface ColumnTransformation {
  /** DIRECT (the value flows into the output) or INDIRECT (it only decides which rows or groups: filter, join, sort); as sent. */
  type: string | null;
  /** IDENTITY, TRANSFORMATION, AGGREGATION, FILTER, JOIN, ...; for the older form, its transformationType. */
  subtype: string | null;
  description: string | null;
  /** The value is masked (hashed, redacted) on the way; the older form's MASKED type says so too. */
  masking: boolean;
}

/** One input field an output field (or the whole dataset) derives from. */
export interface InputFieldRef {
  /** `<namespace>/<name>`: the dataset context's name, which its versions carry as their `dataset` property. */
  dataset: string;
  field: string;
  transformations: ColumnTransformation[];
}

/** The facet of one version, parsed. */
export interface ColumnLineageFacet {
  /** Output field → the input fields it derives from, in the facet's order. */
  fields: Map<string, InputFieldRef[]>;
  /** Input fields that affect every output field (the facet's `dataset` list). */
  datasetLevel: InputFieldRef[];
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const textOrNull = (v: unknown): string | null => (typeof v === 'string' ? v : null);

function transformationsOf(entry: Record<string, unknown>, legacy: ColumnTransformation | null): ColumnTransformation[] {
  const list = entry.transformations;
  if (Array.isArray(list) && list.length > 0) {
    return list.filter(isObject).map((t) => ({
      type: textOrNull(t.type), subtype: textOrNull(t.subtype), description: textOrNull(t.description), masking: t.masking === true,
    }));
  }
  return legacy ? [legacy] : [];
}

function inputFieldsOf(list: unknown, legacy: ColumnTransformation | null): InputFieldRef[] {
  if (!Array.isArray(list)) return [];
  const out: InputFieldRef[] = [];
  for (const entry of list) {
    if (!isObject(entry)) continue;
    const { namespace, name, field } = entry;
    if (typeof namespace !== 'string' || typeof name !== 'string' || typeof field !== 'string') continue;
    out.push({ dataset: `${namespace}/${name}`, field, transformations: transformationsOf(entry, legacy) });
  }
  return out;
}

/**
 * The older, field-level form as one transformation: it describes a direct derivation
 * (an output field computed from its inputs), its transformationType as the subtype, and
 * MASKED as masking. Null when the field carries neither.
 */
function legacyTransformation(entry: Record<string, unknown>): ColumnTransformation | null {
  const type = textOrNull(entry.transformationType);
  const description = textOrNull(entry.transformationDescription);
  if (type === null && description === null) return null;
  return { type: 'DIRECT', subtype: type, description, masking: type?.toUpperCase() === 'MASKED' };
}

/** The facet held by `value` (a STRUCT custom property), or null when it is absent or not a facet. */
export function parseColumnLineage(value: PropertyValue | undefined): ColumnLineageFacet | null {
  if (!isObject(value) || !isObject(value.fields)) return null;
  const fields = new Map<string, InputFieldRef[]>();
  for (const [outField, entry] of Object.entries(value.fields)) {
    if (!isObject(entry)) continue;
    fields.set(outField, inputFieldsOf(entry.inputFields, legacyTransformation(entry)));
  }
  return { fields, datasetLevel: inputFieldsOf(value.dataset, null) };
}

/** A version's facet, from its custom properties; null when it has none. */
export const columnLineageOf = (customProperties: PropertyMap): ColumnLineageFacet | null =>
  parseColumnLineage(Object.hasOwn(customProperties, COLUMN_LINEAGE_PROPERTY) ? customProperties[COLUMN_LINEAGE_PROPERTY] : undefined);

/** The version's dataset name (`<namespace>/<name>`), or null when it carries none. */
export function datasetOf(customProperties: PropertyMap): string | null {
  const value = Object.hasOwn(customProperties, DATASET_PROPERTY) ? customProperties[DATASET_PROPERTY] : undefined;
  return typeof value === 'string' ? value : null;
}

/** The field names a version's schema facet lists (`fields[].name`), in its order. */
export function schemaFieldsOf(customProperties: PropertyMap): string[] {
  const schema = Object.hasOwn(customProperties, SCHEMA_PROPERTY) ? customProperties[SCHEMA_PROPERTY] : undefined;
  if (!isObject(schema) || !Array.isArray(schema.fields)) return [];
  return (schema.fields as unknown[]).map((f) => (isObject(f) ? f.name : undefined)).filter((n): n is string => typeof n === 'string');
}

/**
 * Every field a version is known to have: its schema facet's, its column lineage's output
 * fields, in that order without repeats.
 */
export function knownFieldsOf(customProperties: PropertyMap, facet = columnLineageOf(customProperties)): string[] {
  return [...new Set([...schemaFieldsOf(customProperties), ...(facet ? facet.fields.keys() : [])])];
}

/** Whether a derivation carries the input's value into the output: some transformation is DIRECT, or none is given (the older facet said nothing more). */
export const carriesValue = (transformations: readonly ColumnTransformation[]): boolean =>
  transformations.length === 0 || transformations.some((t) => t.type === null || t.type.toUpperCase() !== 'INDIRECT');

/** Whether every transformation that carries the value masks it. */
export const masksValue = (transformations: readonly ColumnTransformation[]): boolean => {
  const direct = transformations.filter((t) => t.type === null || t.type.toUpperCase() !== 'INDIRECT');
  return direct.length > 0 && direct.every((t) => t.masking);
};
