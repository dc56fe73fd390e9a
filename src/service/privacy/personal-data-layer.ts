/**
 * Personal data as a layer over the core's writes (src/service/metadata/write-hooks.ts):
 * it adds the declarations to the inputs (declarations.ts), lets the writer refuse and
 * audits the changes of tracking (tracking-changes.ts), and keeps the derived statuses
 * (derived-status.ts), all inside each write's transaction.
 *
 * What the hooks note costs nothing: the core hands them the records, their types and the
 * events it writes. A write that declares nothing and links nothing to personal data
 * reaches the store only to ask, once, whether the nodes it linked carry any.
 */
import { EVENT_TYPES, type AssociationLink, type EventRecord, type NodeRecord } from '../../graph/model.js';
import type { StoreTx } from '../../graph/store.js';
import type { NodesWritten, TypeWritten, WriteHooks, WriteLayer, WriteStart } from '../metadata/write-hooks.js';
import { sameJson } from '../shared/canonical-json.js';
import { compareText } from '../shared/compare-text.js';
import { artifactKeys, nodeDeclarationPatch, typeDeclarationPatch } from './declarations.js';
import { deriveAllUnlessCurrent, executionsInheritingFrom, keepDerivedStatuses, noDerivedStatusChanges, type DerivedStatusChanges } from './derived-status.js';
import type { PersonalDataSettings } from './personal-data-settings.js';
import { keysOf } from './propagation.js';
import {
  artifactDeclarationChange, executionPrivacyChange, IN_PROCESS_ACTOR, registeredDeletion, trackingAuditEntries,
  typeDeclarationChange, type TrackingChange, type WriteActor,
} from './tracking-changes.js';

/** The personal-data layer, with the settings the personal-data service is given too. */
export function personalDataLayer(settings: PersonalDataSettings): WriteLayer {
  // Whether this layer has brought the stored statuses to its minimum k. Once set in the
  // store the k is never unset, so knowing it was right once is enough (another process
  // with another k is seen by every derivation, which reads it again).
  const derivation = { current: false };
  return {
    nodeInput: (kind, input, _type, field) => nodeDeclarationPatch(kind, input, field),
    typeInput: (kind, input, field) => typeDeclarationPatch(kind, input, field),
    begin: (write) => new PersonalDataWrite(write, settings, derivation),
  };
}

/** The layer's part of one write transaction attempt. */
class PersonalDataWrite implements WriteHooks {
  private readonly tx: StoreTx;
  private readonly actor: WriteActor;
  private readonly changes: DerivedStatusChanges = noDerivedStatusChanges();
  private readonly tracking: TrackingChange[] = [];

  constructor(
    private readonly write: WriteStart,
    private readonly settings: PersonalDataSettings,
    private readonly derivation: { current: boolean },
  ) {
    this.tx = write.tx;
    this.actor = write.actor ?? IN_PROCESS_ACTOR;
  }

  /** Lets the actor refuse `change` (before anything of it is written), then keeps it for the audit log. */
  private note(change: TrackingChange | null): void {
    if (change === null) return;
    this.actor.authorize(change);
    this.tracking.push(change);
  }

  nodesWritten(batch: NodesWritten): void {
    for (const after of batch.inserted) {
      this.changes.inserted.add(after.id);
      this.noteNode(batch, null, after);
    }
    for (const { before, after } of batch.updated) this.noteNode(batch, before, after);
  }

  /** A node's change of declaration or transform (from none, for a new one): tracked, and noted for the statuses. */
  private noteNode(batch: NodesWritten, before: NodeRecord | null, after: NodeRecord): void {
    const field = batch.fieldOf(after.id);
    if (after.kind === 'ARTIFACT') {
      const type = batch.typeOf(after.typeId);
      const was = before?.kind === 'ARTIFACT' ? before.personalData ?? null : null;
      this.note(artifactDeclarationChange(after.id, `${field}.personalData`, was, after.personalData ?? null, type));
      const keysBefore = before === null ? [] : artifactKeys(was, type);
      const keysAfter = artifactKeys(after.personalData, type);
      if (!sameJson(keysBefore, keysAfter)) this.changes.declarations.add(after.id);
      if (before === null && keysAfter.length > 0) this.changes.insertedDeclaring.add(after.id);
    } else if (after.kind === 'EXECUTION') {
      const was = before?.kind === 'EXECUTION' ? before.privacy ?? null : null;
      this.note(executionPrivacyChange(after.id, `${field}.privacy`, was, after.privacy ?? null, this.settings.aggregateMinK));
      // A new execution has no events yet: nothing flows through it.
      if (before !== null && !sameJson(was, after.privacy ?? null)) this.changes.executions.add(after.id);
    } else {
      // A context's transform is what its executions that set none do (a job's setting).
      const was = before?.kind === 'CONTEXT' ? before.privacy ?? null : null;
      this.note(executionPrivacyChange(after.id, `${field}.privacy`, was, after.privacy ?? null, this.settings.aggregateMinK, 'Context.privacy'));
      // A new context has no executions yet.
      if (before !== null && !sameJson(was, after.privacy ?? null)) this.changes.contexts.add(after.id);
    }
  }

  /**
   * An existing execution that joins a context with a transform may inherit it: a change of
   * what it does to personal data, noted (and refused when it weakens tracking, so that
   * joining a run to an anonymising job is no way around the rule for executions) only when
   * its inherited transform changes. An execution new in this write has no events before
   * it: its events, written with it, bring its outputs into the derivation.
   */
  async associationsWriting(links: readonly AssociationLink[], fieldOf: (index: number) => string): Promise<void> {
    const existing = links.map((l, i) => ({ ...l, i })).filter((l) => !this.changes.inserted.has(l.executionId));
    if (existing.length === 0) return;
    const executionIds = [...new Set(existing.map((l) => l.executionId))];
    const contextIds = [...new Set(existing.map((l) => l.contextId))];
    const [own, contextsBefore, joined] = await Promise.all([
      this.tx.personalDataDeclarations(executionIds), this.tx.contextsOfNodes(executionIds), this.tx.personalDataDeclarations(contextIds),
    ]);
    const joinedPrivacy = new Map(contextIds.map((id, i) => [id, joined[i]?.privacy ?? null]));
    executionIds.forEach((x, i) => {
      if (own[i]?.privacy != null) return;
      const before = contextsBefore[i]!.map((c) => ({ id: c.id, privacy: c.privacy ?? null }));
      const had = new Set(before.map((c) => c.id));
      const added = existing.filter((l) => l.executionId === x && !had.has(l.contextId));
      if (added.length === 0) return;
      const after = [...before, ...added.map((l) => ({ id: l.contextId, privacy: joinedPrivacy.get(l.contextId) ?? null }))]
        .sort((a, b) => compareText(a.id, b.id));
      const was = before.find((c) => c.privacy !== null)?.privacy ?? null;
      const now = after.find((c) => c.privacy !== null)?.privacy ?? null;
      if (sameJson(was, now)) return;
      this.note(executionPrivacyChange(x, `${fieldOf(added[0]!.i)}.contextId`, was, now, this.settings.aggregateMinK));
      this.changes.executions.add(x);
    });
  }

  typeWritten({ before, after, field }: TypeWritten): void {
    this.note(typeDeclarationChange(after.id, `${field}.personalData`, before?.personalData ?? null, after.personalData ?? null));
    // A new type has no artifacts yet.
    if (before !== null && !sameJson(keysOf(before.personalData), keysOf(after.personalData))) this.changes.artifactTypes.add(after.id);
  }

  eventsWritten(events: readonly EventRecord[]): void {
    this.changes.events.push(...events);
  }

  /**
   * An artifact holding registrations is where a subject's data is found: deleting it is a
   * tracking change. What flowed out of the deleted nodes no longer does: their consumers'
   * and their own outputs are derived again, found before the events go with the nodes.
   */
  async nodesDeleting(ids: readonly string[], fieldOf: (id: string) => string): Promise<void> {
    const [registrations, carrying, declarations] = await Promise.all([
      this.tx.registrationCounts(ids), this.tx.carryingPersonalData(ids), this.tx.personalDataDeclarations(ids),
    ]);
    ids.forEach((id, i) => {
      if (registrations[i]! > 0) this.note(registeredDeletion(id, fieldOf(id), registrations[i]!));
    });
    // A deleted context's executions lose the transform they inherited from it: found while
    // the associations still stand.
    const settingContexts = new Set(ids.filter((_, i) => declarations[i]?.kind === 'CONTEXT' && declarations[i]!.privacy !== null));
    for (const x of await executionsInheritingFrom(this.tx, settingContexts)) this.changes.executions.add(x);
    if (carrying.length === 0) return;
    for (const step of await this.tx.lineageSteps(carrying, 'DOWNSTREAM', EVENT_TYPES, null)) {
      if (step.neighborKind === 'EXECUTION') this.changes.executions.add(step.neighborId);
      else this.changes.artifacts.add(step.neighborId);
    }
  }

  async beforeCommit(): Promise<void> {
    if (this.tracking.length > 0) {
      await this.tx.appendAuditEntries(trackingAuditEntries(this.write.now, this.actor.caller, this.tracking));
    }
    const minK = this.settings.aggregateMinK;
    // The first write of this layer brings the stored statuses to its k (a new database,
    // or another k configured): everything is derived again, which covers this write too.
    // Known current only once a write has read it so: a derivation here may yet be rolled back.
    if (!this.derivation.current) {
      if ((await this.tx.derivationMinK()) === minK) this.derivation.current = true;
      else if (await deriveAllUnlessCurrent(this.tx, minK)) return;
    }
    await keepDerivedStatuses(this.tx, this.changes, minK);
  }
}
