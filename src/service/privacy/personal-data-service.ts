/**
 * The personal-data service: derived status, data-subject lineage, the Art. 30
 * inventory, subject registrations, erasure requests, access reports and the audit log,
 * over any GraphStore. Every operation is audited: an action in the same transaction as
 * its change, a query in a write right after its read (the answer is returned only once
 * its entry is stored). Subject identifiers are hashed before anything else touches them.
 */
import { FailedPreconditionError, InvalidArgumentError, NotFoundError } from '../../graph/errors.js';
import type { ArtifactRecord, NodeRecord, SpecialCategory } from '../../graph/model.js';
import { SPECIAL_CATEGORIES } from '../../graph/model.js';
import type { GraphStore, StoreTx } from '../../graph/store.js';
import { startDeadline, type Deadline } from '../shared/deadline.js';
import { hopsArg } from '../lineage/lineage-args.js';
import { nodesById } from '../shared/batch-reads.js';
import { systemClock, type ServiceClock } from '../shared/clock.js';
import { pageOfSorted, type CountedPage, type Page, type PageArgs } from '../shared/paging.js';
import { describe, isPresent, MAX_TEXT_LENGTH, requireEnum, requireIdList, requireName } from '../shared/validate.js';
import { accessReportInTx, renderAccessReport, REPORT_FORMATS, type ReportFormat } from './access-report.js';
import { auditEntry, auditPageInTx, type AuditFacts, type AuditPage } from './audit-log.js';
import {
  createErasureRequestInTx, erasureRequestInTx, erasureRequestPageInTx, updateErasureItemInTx, validateItemInput, type ErasureItemInput, type ErasureRequest,
} from './erasure.js';
import { inventoryInTx } from './inventory.js';
import { fieldPersonalDataInTx, type FieldPersonalData } from './field-personal-data.js';
import { statusesInTx, type PersonalDataStatus, type PropagationSettings } from './personal-data-status.js';
import { requireSubjectId, type SubjectKey } from './subject-key.js';
import { requireFreeOfPrint, requireFreeOfSubjectId, subjectTextPrint } from './subject-text.js';
import { subjectLineageInTx, type SubjectLineage } from './subject-lineage.js';
import { personalDataSettings, type PersonalDataSettings } from './personal-data-settings.js';

export type { PersonalDataStatus, CategoryEvidence } from './personal-data-status.js';
export type { AffectedArtifact, SubjectLineage } from './subject-lineage.js';
export type { FieldPersonalData } from './field-personal-data.js';
export type { ErasureRequest, ErasureItemInput } from './erasure.js';
export { erasureProgress, type ErasureProgress } from './erasure.js';
export type { AuditPage } from './audit-log.js';
export type { ReportFormat } from './access-report.js';

/** Default hop bound of dataSubjectLineage (lowered to the ceiling). */
export const SUBJECT_LINEAGE_DEFAULT_MAX_HOPS = 100;
/**
 * Most subject identifiers one registerDataSubjects or unregisterDataSubjects call takes:
 * raised above the service's usual 10,000, since a raw dataset's subjects are registered
 * in one go and the registration is a single statement however many there are.
 */
export const MAX_SUBJECT_BATCH = 100_000;

export interface InventoryQuery {
  category?: string | null;
  specialCategory?: SpecialCategory | null;
  /** 1 to 1,000; default 100. */
  first?: number | null;
  after?: string | null;
}

/**
 * What the resolvers (and benchmarks) call. `caller` names who asks, for the audit log:
 * an API key id, or 'local'.
 */
export interface PersonalDataApi {
  /** Each artifact's derived status, aligned with `artifactIds`; null for an artifact holding none (or no artifact). */
  personalDataStatus(artifactIds: readonly string[], caller: string): Promise<(PersonalDataStatus | null)[]>;
  /**
   * Per field, what each dataset version holds through column lineage (field-personal-data.ts),
   * aligned with `artifactIds`; [] for a version without known fields (or no artifact).
   */
  fieldPersonalData(artifactIds: readonly string[], caller: string): Promise<FieldPersonalData[][]>;
  /** Where the subject's data went (default 100 hops). An unknown subject is `found: false` with empty lists. */
  dataSubjectLineage(subjectId: string, options: { maxHops?: number | null; deadline?: Deadline }, caller: string): Promise<SubjectLineage>;
  /** Every artifact holding personal data (declared or derived), by id, filtered and paged. */
  personalDataInventory(query: InventoryQuery, caller: string): Promise<CountedPage<NodeRecord>>;
  /** Records that the artifact holds these subjects' records (at most 100,000 per call); returns how many are new. */
  registerDataSubjects(artifactId: string, subjectIds: readonly string[], caller: string): Promise<number>;
  /** Removes registrations; returns how many existed. */
  unregisterDataSubjects(artifactId: string, subjectIds: readonly string[], caller: string): Promise<number>;
  /** Snapshots every artifact the subject's data reached into a new request, each item PENDING. */
  requestErasure(subjectId: string, reason: string | null | undefined, caller: string): Promise<ErasureRequest>;
  /** Moves one item to ERASED, RETRAINED or EXEMPT (with a note); completing the request removes the subject's registrations on the artifacts it lists. */
  updateErasureItem(input: ErasureItemInput, caller: string): Promise<ErasureRequest>;
  erasureRequest(id: string, caller: string): Promise<ErasureRequest | null>;
  /** The stored requests, newest first, a page at a time. */
  erasureRequests(page: PageArgs, caller: string): Promise<Page<ErasureRequest>>;
  /** The Art. 15 answer, as JSON (default) or Markdown. */
  accessReport(subjectId: string, format: ReportFormat | null | undefined, caller: string): Promise<string>;
  /** One page of the audit log, oldest first. */
  auditLog(page: PageArgs, caller: string): Promise<AuditPage>;
}

export interface PersonalDataOptions {
  /** The key subject identifiers are hashed with; null: the subject operations are refused (FAILED_PRECONDITION). */
  subjectKey: SubjectKey | null;
  /**
   * The minimum k and the walks' limits, the same object the write layer was given
   * (src/service/services.ts). Default: personalDataSettings()'s defaults (k 10; 100 hops,
   * 100,000 nodes, 30 s).
   */
  settings?: PersonalDataSettings;
  clock?: ServiceClock;
}

/** Builds the personal-data service over a store. */
export function createPersonalDataService(store: GraphStore, options: PersonalDataOptions): PersonalDataApi {
  return new PersonalDataService(store, options.subjectKey, options.settings ?? personalDataSettings(), options.clock ?? systemClock);
}

/** The records of an inventory page, in the page's order (ids that vanished since are left out). */
const inventoryRecords = async (tx: StoreTx, ids: readonly string[]): Promise<NodeRecord[]> => [...(await nodesById(tx, ids)).values()];

class PersonalDataService implements PersonalDataApi {
  constructor(
    private readonly store: GraphStore,
    private readonly subjectKey: SubjectKey | null,
    private readonly settings: PersonalDataSettings,
    private readonly clock: ServiceClock,
  ) {}

  private get limits(): PersonalDataSettings['limits'] {
    return this.settings.limits;
  }

  /** The subject's keyed hash; the identifier goes no further than this. */
  private hashOf(subjectId: unknown, field = 'subjectId'): string {
    const id = requireSubjectId(subjectId, field);
    if (!this.subjectKey) {
      throw new FailedPreconditionError('the data-subject operations need a subject secret (JOURNEY_SUBJECT_SECRET); none is configured');
    }
    return this.subjectKey.hash(id);
  }

  /** `deadline`: the operation's budget, when the caller has one; a fresh one otherwise. */
  private propagation(deadline: Deadline = startDeadline(this.limits.queryTimeoutMs)): PropagationSettings {
    return { minK: this.settings.aggregateMinK, maxNodes: this.limits.maxNodesCeiling, deadline };
  }

  /** Appends one entry in a transaction of its own (after a read). */
  private async audited<T>(result: T, facts: AuditFacts): Promise<T> {
    await this.store.write((tx) => tx.appendAuditEntries([auditEntry(this.clock.now(), facts)]));
    return result;
  }

  async personalDataStatus(artifactIds: readonly string[], caller: string): Promise<(PersonalDataStatus | null)[]> {
    const ids = requireIdList(artifactIds, 'artifactIds');
    const { statuses, target } = await this.store.read(async (tx) => {
      const found = await statusesInTx(tx, ids, this.propagation());
      // The one artifact asked about is recorded only when it exists: an unknown id may be anything a caller typed.
      const [declared] = ids.length === 1 ? await tx.personalDataDeclarations(ids) : [null];
      return { statuses: found, target: declared?.kind === 'ARTIFACT' ? ids[0]! : null };
    });
    return this.audited(statuses, {
      caller, operation: 'personalDataStatus', target, resultCount: statuses.filter((s) => s !== null).length,
    });
  }

  async fieldPersonalData(artifactIds: readonly string[], caller: string): Promise<FieldPersonalData[][]> {
    const ids = requireIdList(artifactIds, 'artifactIds');
    const settings = this.propagation();
    const { answers, exists } = await this.store.read(async (tx) => {
      const found = await nodesById(tx, ids);
      const artifacts = [...found.values()].filter((r): r is ArtifactRecord => r.kind === 'ARTIFACT');
      const perArtifact = await fieldPersonalDataInTx(tx, artifacts, {
        minK: settings.minK, maxHops: this.limits.maxHopsCeiling, maxNodes: settings.maxNodes, deadline: settings.deadline!,
      });
      const byId = new Map(artifacts.map((a, i) => [a.id, perArtifact[i]!]));
      return { answers: ids.map((id) => byId.get(id) ?? []), exists: byId.has(ids[0] ?? '') };
    });
    // As for personalDataStatus: the one artifact asked about is named only when it exists.
    const target = ids.length === 1 && exists ? ids[0]! : null;
    return this.audited(answers, {
      caller, operation: 'fieldPersonalData', target, resultCount: answers.flat().filter((f) => f.categories.length + f.specialCategories.length > 0).length,
    });
  }

  async dataSubjectLineage(subjectId: string, options: { maxHops?: number | null; deadline?: Deadline }, caller: string): Promise<SubjectLineage> {
    const hash = this.hashOf(subjectId);
    const maxHops = hopsArg(options?.maxHops, this.limits, SUBJECT_LINEAGE_DEFAULT_MAX_HOPS);
    const settings = this.propagation(options?.deadline);
    settings.deadline?.check();
    const report = await this.store.read((tx) => subjectLineageInTx(tx, hash, { ...settings, maxHops }));
    return this.audited(report, { caller, operation: 'dataSubjectLineage', subjectHash: hash, resultCount: report.affected.length });
  }

  async personalDataInventory(query: InventoryQuery, caller: string): Promise<CountedPage<NodeRecord>> {
    const filter = {
      category: isPresent(query?.category) ? requireName(query.category, 'category') : null,
      specialCategory: isPresent(query?.specialCategory) ? requireEnum(query.specialCategory, SPECIAL_CATEGORIES, 'specialCategory') : null,
    };
    const { page, nodes } = await this.store.read(async (tx) => {
      const ids = await inventoryInTx(tx, filter, this.propagation());
      const sortedPage = pageOfSorted(ids, (id) => [id], 'personalDataInventory', { first: query?.first, after: query?.after });
      return { page: sortedPage, nodes: await inventoryRecords(tx, sortedPage.nodes) };
    });
    const result: CountedPage<NodeRecord> = { ...page, nodes };
    return this.audited(result, { caller, operation: 'personalDataInventory', resultCount: nodes.length });
  }

  /** Subject identifiers of one call, hashed, without repeats. */
  private subjectHashes(subjectIds: readonly string[]): string[] {
    if (!Array.isArray(subjectIds)) throw new InvalidArgumentError('subjectIds must be a list', 'subjectIds');
    if (subjectIds.length > MAX_SUBJECT_BATCH) {
      throw new InvalidArgumentError(`subjectIds takes at most ${MAX_SUBJECT_BATCH} items, got ${subjectIds.length}`, 'subjectIds');
    }
    return [...new Set(subjectIds.map((id, i) => this.hashOf(id, `subjectIds[${i}]`)))];
  }

  /** The artifact behind `artifactId`, or NOT_FOUND. */
  private async requireArtifact(tx: StoreTx, artifactId: string): Promise<void> {
    const [found] = await tx.personalDataDeclarations([artifactId]);
    if (found?.kind !== 'ARTIFACT') throw new NotFoundError(`artifactId: no artifact ${describe(artifactId)}`, 'artifactId');
  }

  async registerDataSubjects(artifactId: string, subjectIds: readonly string[], caller: string): Promise<number> {
    const id = requireName(artifactId, 'artifactId', MAX_TEXT_LENGTH);
    const hashes = this.subjectHashes(subjectIds);
    return this.store.write(async (tx) => {
      await this.requireArtifact(tx, id);
      const [status] = await statusesInTx(tx, [id], this.propagation());
      if (!status) {
        throw new FailedPreconditionError(
          `artifactId: artifact ${describe(id)} holds no personal data, declared or derived; declare its categories before registering subjects in it`,
          'artifactId',
        );
      }
      const created = await tx.insertSubjectRegistrations(id, hashes);
      await tx.appendAuditEntries([auditEntry(this.clock.now(), {
        caller, operation: 'registerDataSubjects', subjectHash: hashes.length === 1 ? hashes[0] : null, target: id, resultCount: created,
      })]);
      return created;
    });
  }

  async unregisterDataSubjects(artifactId: string, subjectIds: readonly string[], caller: string): Promise<number> {
    const id = requireName(artifactId, 'artifactId', MAX_TEXT_LENGTH);
    const hashes = this.subjectHashes(subjectIds);
    return this.store.write(async (tx) => {
      await this.requireArtifact(tx, id);
      const deleted = await tx.deleteSubjectRegistrations(id, hashes);
      await tx.appendAuditEntries([auditEntry(this.clock.now(), {
        caller, operation: 'unregisterDataSubjects', subjectHash: hashes.length === 1 ? hashes[0] : null, target: id, resultCount: deleted,
      })]);
      return deleted;
    });
  }

  async requestErasure(subjectId: string, reason: string | null | undefined, caller: string): Promise<ErasureRequest> {
    const hash = this.hashOf(subjectId);
    const why = isPresent(reason) ? requireName(reason, 'reason', MAX_TEXT_LENGTH) : null;
    // The reason is stored as it is written, so it must not carry the identifier that is stored nowhere else.
    if (why !== null) requireFreeOfSubjectId(why, subjectId, 'reason');
    const print = subjectTextPrint(this.subjectKey!, subjectId);
    return this.store.write(async (tx) => {
      const now = this.clock.now();
      const lineage = await subjectLineageInTx(tx, hash, { ...this.propagation(), maxHops: this.limits.maxHopsCeiling });
      const request = await createErasureRequestInTx(tx, now, { hash, print }, why, lineage);
      await tx.appendAuditEntries([auditEntry(now, {
        caller, operation: 'requestErasure', subjectHash: hash, target: request.id, resultCount: request.items.length,
      })]);
      return erasureRequestInTx(tx, request);
    });
  }

  async updateErasureItem(input: ErasureItemInput, caller: string): Promise<ErasureRequest> {
    const valid = validateItemInput(input);
    return this.store.write(async (tx) => {
      const now = this.clock.now();
      // A note is stored in clear too: checked against the request's print of its subject.
      const request = await updateErasureItemInTx(tx, now, valid, (note, r) => requireFreeOfPrint(note, r.subjectText, this.subjectKey, 'note'));
      await tx.appendAuditEntries([auditEntry(now, {
        caller, operation: 'updateErasureItem', subjectHash: request.subjectHash, target: request.id, resultCount: 1,
      })]);
      return erasureRequestInTx(tx, request);
    });
  }

  async erasureRequest(id: string, caller: string): Promise<ErasureRequest | null> {
    const requestId = requireName(id, 'id', MAX_TEXT_LENGTH);
    const { request, view } = await this.store.read(async (tx) => {
      const [found] = await tx.getErasureRequests([requestId]);
      return { request: found, view: found ? await erasureRequestInTx(tx, found) : null };
    });
    // An id that names no request is not recorded: it may be anything a caller typed, a subject identifier too.
    return this.audited(view, {
      caller, operation: 'erasureRequest', subjectHash: request?.subjectHash ?? null, target: request ? requestId : null, resultCount: request ? 1 : 0,
    });
  }

  async erasureRequests(page: PageArgs, caller: string): Promise<Page<ErasureRequest>> {
    const found = await this.store.read((tx) => erasureRequestPageInTx(tx, page ?? {}));
    // A listing names no one subject: the entry records how many requests it showed.
    return this.audited(found, { caller, operation: 'erasureRequests', resultCount: found.nodes.length });
  }

  async accessReport(subjectId: string, format: ReportFormat | null | undefined, caller: string): Promise<string> {
    const hash = this.hashOf(subjectId);
    const as = isPresent(format) ? requireEnum(format, REPORT_FORMATS, 'format') : 'JSON';
    const report = await this.store.read(async (tx) => {
      const lineage = await subjectLineageInTx(tx, hash, { ...this.propagation(), maxHops: this.limits.maxHopsCeiling });
      return accessReportInTx(tx, lineage, this.clock.now());
    });
    return this.audited(renderAccessReport(report, as), {
      caller, operation: 'accessReport', subjectHash: hash, resultCount: report.artifacts.length,
    });
  }

  async auditLog(page: PageArgs, caller: string): Promise<AuditPage> {
    const found = await this.store.read((tx) => auditPageInTx(tx, page ?? {}));
    return this.audited(found, { caller, operation: 'auditLog', resultCount: found.nodes.length });
  }
}
