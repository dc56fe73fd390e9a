/**
 * What personal data the generated workloads hold, and who it is about: the declarations
 * the personal-data phase puts on the loaded graph, and how its data subjects are spread
 * over the source artifacts. ML Metadata has no such notion, so nothing here reaches it:
 * the declarations are put after the shared bulk load, on our backends only.
 */
import type { PersonalDataDeclaration, PrivacyDeclaration } from '../../src/graph/model.js';
import type { BenchGraph, WorkloadName } from '../workload/bench-graph.js';

export interface PrivacyPlan {
  /** Artifact type name -> the default its artifacts hold. */
  typeDefaults: Readonly<Record<string, PersonalDataDeclaration>>;
  /** Declared on each source artifact itself (an input no execution made); null: none. */
  sourceDeclaration: PersonalDataDeclaration | null;
  /** Execution type name -> the transform every execution of it declares; absent: NONE. */
  transforms: Readonly<Record<string, PrivacyDeclaration>>;
}

const decl = (categories: string[], specialCategories: PersonalDataDeclaration['specialCategories'] = []): PersonalDataDeclaration =>
  ({ categories: [...categories].sort(), specialCategories: [...specialCategories].sort() });
const transform = (t: PrivacyDeclaration['transform'], extra: Partial<PrivacyDeclaration> = {}): PrivacyDeclaration =>
  ({ transform: t, categories: [], specialCategories: [], k: null, ...extra });

/**
 * - tfx: raw spans hold contact, identifier and behavioural data and one special category
 *   (HEALTH); ExampleGen drops the contact columns; StatisticsGen and the Evaluator publish
 *   aggregates over groups of 50 and 100 (anonymous at the default minimum k of 10);
 *   Transform pseudonymises, so models and pushed models hold pseudonymised data, which
 *   is still personal data.
 * - dag: every Dataset holds identifier and location data and BIOMETRIC; Ingest drops
 *   location, Process pseudonymises, Evaluate aggregates over groups of 5 (below the
 *   minimum k, so it lets everything through).
 * - diamond: each ladder's bottom rung declares contact and GENETIC on itself; the left
 *   split pseudonymises and the right one does not, so every join meets a clear route and a
 *   pseudonymised one.
 */
export const PRIVACY_PLANS: Readonly<Record<WorkloadName, PrivacyPlan>> = {
  tfx: {
    typeDefaults: { RawDataSpan: decl(['behavioural', 'contact', 'identifier'], ['HEALTH']) },
    sourceDeclaration: null,
    transforms: {
      ExampleGen: transform('DROP', { categories: ['contact'] }),
      StatisticsGen: transform('AGGREGATE', { k: 50 }),
      Transform: transform('PSEUDONYMIZE'),
      Evaluator: transform('AGGREGATE', { k: 100 }),
    },
  },
  dag: {
    typeDefaults: { Dataset: decl(['identifier', 'location'], ['BIOMETRIC']) },
    sourceDeclaration: null,
    transforms: {
      Ingest: transform('DROP', { categories: ['location'] }),
      Process: transform('PSEUDONYMIZE'),
      Evaluate: transform('AGGREGATE', { k: 5 }),
    },
  },
  diamond: {
    typeDefaults: {},
    sourceDeclaration: decl(['contact'], ['GENETIC']),
    transforms: { SplitLeft: transform('PSEUDONYMIZE') },
  },
};

/** The AGGREGATE minimum k of the service the phase runs (its default). */
export const BENCH_MIN_K = 10;

/** Most identifiers one registerDataSubjects call of the phase carries (the service's own ceiling). */
export const MAX_REGISTRATION_BATCH = 100_000;

/** The identifier of subject `i`: recognisable, never stored (only its keyed hash is). */
export const subjectId = (i: number): string => `bench-subject-${i}`;

/** One registerDataSubjects call: subjects [from, to) into one source artifact. */
export interface RegistrationBatch {
  holder: number;
  from: number;
  to: number;
}

/**
 * About one subject per node, in batches of at most 100,000 (a tenth of the subjects at
 * smaller sizes), each batch registered in one source artifact spread over the graph's
 * history. Consecutive batches overlap by a twentieth, so those subjects are held in two
 * sources, as a person appears in two data spans.
 */
export function registrationBatches(subjects: number, holders: readonly number[]): { batchSize: number; batches: RegistrationBatch[] } {
  if (holders.length === 0 || subjects === 0) return { batchSize: 0, batches: [] };
  const batchSize = Math.min(MAX_REGISTRATION_BATCH, Math.max(1, Math.ceil(subjects / 10)));
  const stride = batchSize - Math.floor(batchSize / 20);
  const count = subjects <= batchSize ? 1 : Math.ceil((subjects - batchSize) / stride) + 1;
  const batches = Array.from({ length: count }, (_, b) => ({
    holder: holders[count <= holders.length ? Math.floor(((b + 0.5) * holders.length) / count) : b % holders.length]!,
    from: b * stride,
    to: Math.min(subjects, b * stride + batchSize),
  }));
  return { batchSize, batches };
}

/** Subjects to time lineage for: spread over the batches, every other one in an overlap (held twice) when there is one. */
export function sampleSubjects(batches: readonly RegistrationBatch[], count: number): number[] {
  const picked = new Set<number>();
  for (let j = 0; j < count && batches.length > 0; j++) {
    const b = batches[Math.floor((j * batches.length) / count)]!;
    const next = batches[batches.indexOf(b) + 1];
    picked.add(j % 2 === 1 && next ? next.from : b.from + Math.floor((b.to - b.from) / 2));
  }
  return [...picked];
}

/** The source artifacts, in creation order. */
export function sourceArtifacts(g: BenchGraph): number[] {
  const out: number[] = [];
  g.artifactProducer.forEach((p, a) => { if (p < 0) out.push(a); });
  return out;
}
