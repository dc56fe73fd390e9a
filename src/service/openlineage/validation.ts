/**
 * Checks OpenLineage events against the spec's own JSON Schema (OpenLineage.json 2-0-2
 * and the facet schemas of spec/facets/, vendored in spec/openlineage/ at the repository
 * root with the upstream commit in its README.md), with ajv. An event is a RunEvent when it has `run`, a DatasetEvent
 * when it has `dataset`, else a JobEvent: checking it against that one definition, rather
 * than the spec's top-level oneOf, gives errors about the event's own fields instead of
 * the three branches' at once. Facets the spec defines are then checked against their
 * schema where they stand (run, job, dataset, input or output facets); other (custom)
 * facets need only be what the spec asks of every facet (`_producer`, `_schemaURL`).
 */
import { readdirSync, readFileSync } from 'node:fs';
import { Ajv2020, type ErrorObject, type ValidateFunction } from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';
import { OpenLineageValidationError, type OpenLineageProblem } from '../../graph/errors.js';

/** The spec version the vendored schema is, and events are checked against. */
export const OPENLINEAGE_SPEC_VERSION = '2-0-2';
const SPEC_ID = `https://openlineage.io/spec/${OPENLINEAGE_SPEC_VERSION}/OpenLineage.json`;

/**
 * The vendored files, in spec/openlineage/ at the repository root (../../../ of both
 * src/service/openlineage/ and dist/service/openlineage/), as cypher/ and proto/ are.
 */
const SPEC_DIR = new URL('../../../spec/openlineage/', import.meta.url);

export type EventKind = 'RunEvent' | 'DatasetEvent' | 'JobEvent';
type FacetPlace = 'RunFacet' | 'JobFacet' | 'DatasetFacet' | 'InputDatasetFacet' | 'OutputDatasetFacet';
const FACET_PLACES: readonly FacetPlace[] = ['RunFacet', 'JobFacet', 'DatasetFacet', 'InputDatasetFacet', 'OutputDatasetFacet'];

/** At most this many problems are reported for one request: enough to fix it, not a megabyte of errors. */
const MAX_PROBLEMS = 50;

interface SchemaFile { $id: string; $defs?: Record<string, { allOf?: { $ref?: string }[] }>; properties?: Record<string, { $ref?: string }> }

/** Where a facet file's facets stand: the base its definition extends, else every base the file names. */
function placesOf(file: SchemaFile, text: string): FacetPlace[] {
  const places = new Set<FacetPlace>();
  for (const prop of Object.values(file.properties ?? {})) {
    const def = prop.$ref?.startsWith('#/$defs/') ? file.$defs?.[prop.$ref.slice('#/$defs/'.length)] : undefined;
    const base = def?.allOf?.[0]?.$ref?.split('#/$defs/')[1];
    if (base && (FACET_PLACES as readonly string[]).includes(base)) places.add(base as FacetPlace);
  }
  if (places.size === 0) for (const p of FACET_PLACES) if (text.includes(`#/$defs/${p}"`)) places.add(p);
  return [...places];
}

/** The compiled validators: one per event kind, one per place facets stand. */
class SpecValidators {
  readonly events: Record<EventKind, ValidateFunction>;
  /** The spec's own top level: exactly one of the three kinds. */
  readonly anyEvent: ValidateFunction;
  readonly facets: Record<FacetPlace, ValidateFunction>;

  constructor() {
    // strict off: the spec uses `example`, which is no JSON Schema keyword. allErrors: every failing path at once.
    const ajv = new Ajv2020({ strict: false, allErrors: true });
    (addFormatsModule as unknown as (a: Ajv2020) => void)(ajv);
    ajv.addSchema(JSON.parse(readFileSync(new URL('OpenLineage.json', SPEC_DIR), 'utf8')) as object);
    // Place → facet name → the schemas of that name there (a file's own `properties` entry,
    // never the whole file: some files also require their facet at the top level).
    const byPlace = new Map<FacetPlace, Map<string, string[]>>(FACET_PLACES.map((p) => [p, new Map()]));
    const facetDir = new URL('facets/', SPEC_DIR);
    for (const name of readdirSync(facetDir).filter((n) => n.endsWith('.json')).sort()) {
      const text = readFileSync(new URL(name, facetDir), 'utf8');
      const file = JSON.parse(text) as SchemaFile;
      ajv.addSchema(file);
      for (const place of placesOf(file, text)) {
        for (const facet of Object.keys(file.properties ?? {})) {
          const refs = byPlace.get(place)!;
          refs.set(facet, [...(refs.get(facet) ?? []), `${file.$id}#/properties/${facet}`]);
        }
      }
    }
    const compileDef = (def: string): ValidateFunction => ajv.compile({ $ref: `${SPEC_ID}#/$defs/${def}` });
    this.anyEvent = ajv.compile({ $ref: SPEC_ID });
    this.events = { RunEvent: compileDef('RunEvent'), DatasetEvent: compileDef('DatasetEvent'), JobEvent: compileDef('JobEvent') };
    this.facets = Object.fromEntries(FACET_PLACES.map((place) => [place, ajv.compile({
      type: 'object',
      properties: Object.fromEntries([...byPlace.get(place)!].map(([facet, refs]) => [facet, { allOf: refs.map((r) => ({ $ref: r })) }])),
    })])) as Record<FacetPlace, ValidateFunction>;
  }
}

let validators: SpecValidators | undefined;
/** Compiled on first use (about 100 ms), once per process. */
const specValidators = (): SpecValidators => (validators ??= new SpecValidators());

/** Which kind of event `value` claims to be: `run` makes a RunEvent, `dataset` a DatasetEvent, anything else a JobEvent. */
export function eventKindOf(value: Record<string, unknown>): EventKind {
  if (Object.hasOwn(value, 'run')) return 'RunEvent';
  if (Object.hasOwn(value, 'dataset') && !Object.hasOwn(value, 'job')) return 'DatasetEvent';
  return 'JobEvent';
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** JSON Pointer segments (RFC 6901) made a path like `events[0].run.facets.nominalTime` (numbers as indexes). */
function pathOf(prefix: string, pointer: string): string {
  if (pointer === '') return prefix;
  return pointer.split('/').slice(1).reduce((at, raw) => {
    const seg = raw.replace(/~1/g, '/').replace(/~0/g, '~');
    if (/^(0|[1-9]\d*)$/.test(seg)) return `${at}[${seg}]`;
    return /^[A-Za-z_$][\w$]*$/.test(seg) ? `${at}.${seg}` : `${at}[${JSON.stringify(seg)}]`;
  }, prefix);
}

function problemsOf(errors: readonly ErrorObject[] | null | undefined, prefix: string): OpenLineageProblem[] {
  const out: OpenLineageProblem[] = [];
  const seen = new Set<string>();
  for (const e of errors ?? []) {
    // anyOf/allOf/oneOf restate the failures of their branches, which are reported themselves.
    if (e.keyword === 'anyOf' || e.keyword === 'allOf' || e.keyword === 'oneOf' || e.keyword === 'if') continue;
    let path = pathOf(prefix, e.instancePath);
    let message = e.message ?? 'is not valid';
    if (e.keyword === 'required') {
      const missing = (e.params as { missingProperty: string }).missingProperty;
      path = pathOf(path, `/${missing}`);
      message = 'is required';
    } else if (e.keyword === 'not') {
      message = 'must not be present here (a DatasetEvent has no job or run, a JobEvent no run)';
    } else if (e.keyword === 'enum') {
      message = `must be one of ${((e.params as { allowedValues: unknown[] }).allowedValues).join(', ')}`;
    }
    const key = `${path}\u0000${message}`;
    if (seen.has(key)) continue;
    seen.add(key);
    out.push({ path, message });
  }
  return out;
}

/** The facet containers of an event that passed its kind's check, with their place and path. */
function facetContainers(kind: EventKind, event: Record<string, unknown>, at: string): [FacetPlace, unknown, string][] {
  const out: [FacetPlace, unknown, string][] = [];
  const datasets = (list: unknown, name: string, extra: 'inputFacets' | 'outputFacets', place: FacetPlace): void => {
    if (!Array.isArray(list)) return;
    list.forEach((d, i) => {
      if (!isObject(d)) return;
      out.push(['DatasetFacet', d.facets, `${at}.${name}[${i}].facets`], [place, d[extra], `${at}.${name}[${i}].${extra}`]);
    });
  };
  if (kind === 'RunEvent') out.push(['RunFacet', (event.run as Record<string, unknown>).facets, `${at}.run.facets`]);
  if (kind !== 'DatasetEvent') {
    out.push(['JobFacet', (event.job as Record<string, unknown>).facets, `${at}.job.facets`]);
    datasets(event.inputs, 'inputs', 'inputFacets', 'InputDatasetFacet');
    datasets(event.outputs, 'outputs', 'outputFacets', 'OutputDatasetFacet');
  } else {
    out.push(['DatasetFacet', (event.dataset as Record<string, unknown>).facets, `${at}.dataset.facets`]);
  }
  return out.filter(([, value]) => value !== undefined);
}

/** How deep an event may nest: far more than any facet of the spec needs, and few enough for a recursive check. */
const MAX_EVENT_DEPTH = 100;

/** Whether `value` nests deeper than `max` levels; stops looking past `max`, so a hostile depth costs nothing. */
export function deeperThan(value: unknown, max: number): boolean {
  if (value === null || typeof value !== 'object') return false;
  if (max === 0) return true;
  return Object.values(value).some((v) => deeperThan(v, max - 1));
}

/**
 * The problems of one event against the spec, each with its path under `at` (e.g.
 * `events[3]`); empty when it is valid.
 */
export function problemsOfEvent(value: unknown, at: string): OpenLineageProblem[] {
  if (!isObject(value)) return [{ path: at, message: 'must be a JSON object (an OpenLineage RunEvent, DatasetEvent or JobEvent)' }];
  // Before the schema: ajv follows a recursive facet (a schema's nested `fields`) as deep as it goes.
  if (deeperThan(value, MAX_EVENT_DEPTH)) return [{ path: at, message: `nests more than ${MAX_EVENT_DEPTH} levels deep` }];
  const kind = eventKindOf(value);
  const v = specValidators();
  if (!v.events[kind](value)) return problemsOf(v.events[kind].errors, at);
  // Valid as its kind yet not under the spec's oneOf: it is another kind as well (a
  // `dataset` beside a `job` is both a DatasetEvent and a JobEvent).
  if (!v.anyEvent(value)) return [{ path: at, message: 'is more than one kind of event (RunEvent, DatasetEvent, JobEvent): send `dataset` or `job`, not both' }];
  return facetContainers(kind, value, at).flatMap(([place, facets, path]) => (
    v.facets[place](facets) ? [] : problemsOf(v.facets[place].errors, path)));
}

/** Refuses (OpenLineageValidationError, every failing path) unless each event is valid. */
export function requireValidEvents(events: readonly unknown[], pathOfEvent: (i: number) => string): void {
  const problems: OpenLineageProblem[] = [];
  for (let i = 0; i < events.length && problems.length < MAX_PROBLEMS; i++) problems.push(...problemsOfEvent(events[i], pathOfEvent(i)));
  if (problems.length > 0) throw new OpenLineageValidationError(problems.slice(0, MAX_PROBLEMS));
}
