/**
 * Changes that decide whether personal data is tracked: an execution's privacy transform,
 * a context's (a job's, inherited by its executions that set none),
 * an artifact's or an artifact type's personal-data declaration, and deleting an artifact
 * that holds subject registrations. Each is audited (who, what, before and after), and
 * the service tells whether it weakens tracking; who may make a weakening one is decided
 * with the other access rules (src/server/authorization.ts), which hands the service a
 * WriteActor: the service never asks about roles itself.
 */
import type { PersonalDataDeclaration, PrivacyDeclaration, TypeRecord } from '../../graph/model.js';
import type { AuditEntryRecord } from '../../graph/privacy-store.js';
import { auditEntry } from './audit-log.js';
import { blocksEverything, keysOf, type CategoryKey } from './propagation.js';
import type { WriteActor } from '../metadata/write-hooks.js';

/** What a tracking change is a change of, named as the schema names the field (or the mutation). */
export type TrackingChangeKind = 'Execution.privacy' | 'Context.privacy' | 'Artifact.personalDataDeclared' | 'ArtifactType.personalData' | 'deleteNodes';

export interface TrackingChange {
  kind: TrackingChangeKind;
  /** The execution, artifact or type changed (or deleted). */
  target: string;
  /** The input field it came from, e.g. `executions[0].privacy`, for the refusal. */
  field: string;
  /** The value before and after; null where there was none (or is none now). Never a subject identifier. */
  before: unknown;
  after: unknown;
  /**
   * It lets personal data go untracked: a transform that blocks what passed before
   * (ANONYMIZE, DROP, AGGREGATE at or above the minimum k), a declaration that names less
   * than before (removing one, or an artifact's overriding its type's default), or deleting
   * an artifact that holds registrations.
   */
  weakens: boolean;
  /** A short description of the change for the refusal, e.g. "setting transform ANONYMIZE". */
  summary: string;
}

// Who writes, as the core's writes hand it on (src/service/metadata/write-hooks.ts): this
// layer adds what it needs of the writer.
declare module '../metadata/write-hooks.js' {
  interface WriteActor {
    /** An API key id, or 'local': who the audit log names. */
    caller: string;
    /** Throws (PermissionDeniedError) when the caller may not make `change`; called before anything of it is written. */
    authorize(change: TrackingChange): void;
  }
}

export type { WriteActor } from '../metadata/write-hooks.js';

/** In-process callers (tests, benchmarks, the CLI) are trusted; the server hands every request its own actor. */
export const IN_PROCESS_ACTOR: WriteActor = { caller: 'local', authorize: () => undefined };

/** What a transform blocks: everything, the keys a DROP names, or nothing. */
function blocked(privacy: PrivacyDeclaration | null, minK: number): 'ALL' | Set<CategoryKey> {
  if (blocksEverything(privacy, minK)) return 'ALL';
  return new Set(privacy?.transform === 'DROP' ? keysOf(privacy) : []);
}

/** Whether `after` blocks anything `before` let through. */
export function transformWeakens(before: PrivacyDeclaration | null, after: PrivacyDeclaration | null, minK: number): boolean {
  const was = blocked(before, minK);
  const now = blocked(after, minK);
  if (was === 'ALL') return false;
  if (now === 'ALL') return true;
  return [...now].some((k) => !was.has(k));
}

/** Whether a declaration naming `after` tracks less than one naming `before`. */
export function declarationWeakens(before: PersonalDataDeclaration | null, after: PersonalDataDeclaration | null): boolean {
  const now = new Set([...keysOf(after), ...fieldKeysOf(after)]);
  return [...keysOf(before), ...fieldKeysOf(before)].some((k) => !now.has(k));
}

/** A declaration's per-field keys, each as `<field> NUL <key>`: a category taken off one field names less, even if another field keeps it. */
const fieldKeysOf = (d: PersonalDataDeclaration | null): string[] =>
  (d?.fields ?? []).flatMap((f) => keysOf(f).map((k) => `${f.field}\u0000${k}`));

const transformName = (p: PrivacyDeclaration | null): string => (p === null ? 'NONE' : p.k !== null ? `${p.transform} (k ${p.k})` : p.transform);

/**
 * The change of an execution's transform (null: none), or of a context's that its
 * executions inherit (kind Context.privacy), or null when it does not change.
 */
export function executionPrivacyChange(
  target: string, field: string, before: PrivacyDeclaration | null, after: PrivacyDeclaration | null, minK: number,
  kind: 'Execution.privacy' | 'Context.privacy' = 'Execution.privacy',
): TrackingChange | null {
  if (JSON.stringify(before) === JSON.stringify(after)) return null;
  return {
    kind, target, field, before, after, weakens: transformWeakens(before, after, minK),
    summary: `setting transform ${transformName(after)} (was ${transformName(before)})`,
  };
}

/**
 * The change of an artifact's own declaration, or null when it does not change. What it
 * holds is its own declaration, else its type's default: an own declaration naming less
 * than the default weakens tracking too.
 */
export function artifactDeclarationChange(
  target: string, field: string, before: PersonalDataDeclaration | null, after: PersonalDataDeclaration | null, type: TypeRecord,
): TrackingChange | null {
  if (JSON.stringify(before) === JSON.stringify(after)) return null;
  const typeDefault = type.personalData ?? null;
  return {
    kind: 'Artifact.personalDataDeclared', target, field, before, after,
    weakens: declarationWeakens(before ?? typeDefault, after ?? typeDefault),
    summary: after === null || keysOf(after).length === 0 ? 'declaring that it holds no personal data' : 'changing its personal-data declaration',
  };
}

/** The change of an artifact type's default declaration, or null when it does not change. */
export function typeDeclarationChange(
  target: string, field: string, before: PersonalDataDeclaration | null, after: PersonalDataDeclaration | null,
): TrackingChange | null {
  if (JSON.stringify(before) === JSON.stringify(after)) return null;
  return {
    kind: 'ArtifactType.personalData', target, field, before, after, weakens: declarationWeakens(before, after),
    summary: after === null ? "removing the type's personal-data default" : "changing the type's personal-data default",
  };
}

/** Deleting an artifact that holds `registrations` subject registrations. */
export const registeredDeletion = (target: string, field: string, registrations: number): TrackingChange => ({
  kind: 'deleteNodes', target, field, before: { registrations }, after: null, weakens: true,
  summary: `deleting an artifact that holds ${registrations} data-subject registration${registrations === 1 ? '' : 's'}`,
});

/** The audit entries of a write's tracking changes. */
export const trackingAuditEntries = (now: number, caller: string, changes: readonly TrackingChange[]): AuditEntryRecord[] =>
  changes.map((c) => auditEntry(now, {
    caller, operation: c.kind, target: c.target, resultCount: 1, change: { before: c.before, after: c.after },
  }));
