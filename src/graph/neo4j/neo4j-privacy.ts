/**
 * The Neo4j side of the personal-data features (src/graph/privacy-store.ts), run by the
 * cypher/privacy/ statements. Declarations are JSON-text properties of the nodes
 * (`personalData` on artifacts and artifact types, `privacy` on executions). Outside the
 * graph (no `:Node` label): `:DataSubject {hash}` with `(:Artifact)-[:HOLDS_RECORDS_OF]->`
 * registrations, `:ErasureRequest -[:HAS_ITEM]-> :ErasureItem`, `:AuditEntry`, the kept
 * derived statuses as `:PersonalDataStatus {artifactId, status}` (so a record read never
 * carries them) and their state, `:PersonalDataDerivation {minK}`. An artifact that holds
 * a kept status is also labelled `:HoldsPersonalData`, for the data-flow reach.
 */
import type { LineageReach } from '../graph-tx.js';
import { EVENT_TYPES, type ArtifactRecord, type NodeKind } from '../model.js';
import type {
  AuditEntryRecord, DerivedStatusRecord, ErasureItemRecord, ErasureItemUpdate, ErasureRequestRecord, ErasureStatus, NodeDeclarations,
  PersonalDataTx,
} from '../privacy-store.js';
import { BATCH_SIZE, chunks } from './neo4j-batches.js';
import type { Row } from './neo4j-executor.js';
import { reachFromRow, reachStatement } from './neo4j-reach.js';
import { personalDataField, privacyField, storedNumber, storedText } from './neo4j-records.js';
import type { Neo4jTransaction } from './neo4j-transaction.js';

/** Hashes per registration statement: a 100,000-subject batch is a handful of round trips. */
const SUBJECT_BATCH_SIZE = 10_000;

const optionalText = (value: unknown, field: string): string | null =>
  value === undefined || value === null ? null : storedText(value, field);

/** The minimum k of a derivation-state row; null before the first derivation. */
const minKOf = ([row]: readonly Row[]): number | null =>
  row?.minK === undefined || row.minK === null ? null : storedNumber(row.minK, 'minK');

const itemKeyOf = (requestId: string, artifactId: string): string => JSON.stringify([requestId, artifactId]);

function itemFromFields(f: Record<string, unknown>): ErasureItemRecord {
  return {
    artifactId: storedText(f.artifactId, 'artifactId'),
    artifact: JSON.parse(storedText(f.artifact, 'artifact')) as ArtifactRecord,
    status: storedText(f.status, 'status') as ErasureStatus,
    note: optionalText(f.note, 'note'),
    updateTime: storedNumber(f.updateTime, 'updateTime'),
  };
}

function auditFromFields(f: Record<string, unknown>): AuditEntryRecord {
  return {
    id: storedText(f.id, 'id'),
    time: storedNumber(f.time, 'time'),
    caller: storedText(f.caller, 'caller'),
    operation: storedText(f.operation, 'operation'),
    subjectHash: optionalText(f.subjectHash, 'subjectHash'),
    target: optionalText(f.target, 'target'),
    resultCount: storedNumber(f.resultCount, 'resultCount'),
    before: optionalText(f.before, 'before'),
    after: optionalText(f.after, 'after'),
  };
}

/** The PersonalDataTx methods over one transaction. */
export function neo4jPersonalData(tx: Neo4jTransaction): PersonalDataTx {
  return {
    async personalDataDeclarations(ids: readonly string[]): Promise<(NodeDeclarations | null)[]> {
      const found = new Map<string, NodeDeclarations>();
      for (const batch of chunks([...new Set(ids)], BATCH_SIZE)) {
        for (const row of await tx.run('privacy/declarations', { ids: batch })) {
          found.set(storedText(row.id, 'id'), {
            kind: storedText(row.kind, 'kind') as NodeKind,
            typeId: storedText(row.typeId, 'typeId'),
            personalData: personalDataField(row.personalData).personalData ?? null,
            privacy: privacyField(row.privacy).privacy ?? null,
          });
        }
      }
      return ids.map((id) => found.get(id) ?? null);
    },

    async artifactsDeclaringPersonalData(typeIds: readonly string[], afterId: string | null, limit: number): Promise<string[]> {
      if (!Number.isSafeInteger(limit) || limit < 0) throw new Error(`limit must be a non-negative integer, got ${limit}`);
      const rows = await tx.run('privacy/artifacts-declaring', { typeIds: [...new Set(typeIds)], afterId: afterId ?? '', limit });
      return rows.map((r) => storedText(r.id, 'id'));
    },

    async derivedStatuses(ids: readonly string[]): Promise<(DerivedStatusRecord | null)[]> {
      const found = new Map<string, DerivedStatusRecord>();
      for (const batch of chunks([...new Set(ids)], BATCH_SIZE)) {
        for (const row of await tx.run('privacy/derived-statuses', { ids: batch })) {
          found.set(storedText(row.id, 'id'), JSON.parse(storedText(row.status, 'status')) as DerivedStatusRecord);
        }
      }
      return ids.map((id) => found.get(id) ?? null);
    },

    async putDerivedStatuses(entries: readonly { artifactId: string; status: DerivedStatusRecord | null }[]): Promise<void> {
      const rows = entries.flatMap((e) => (e.status === null ? [] : [{ id: e.artifactId, status: JSON.stringify(e.status) }]));
      const gone = entries.flatMap((e) => (e.status === null ? [e.artifactId] : []));
      for (const batch of chunks(rows, BATCH_SIZE)) await tx.run('privacy/put-derived-statuses', { rows: batch });
      for (const batch of chunks(gone, BATCH_SIZE)) await tx.run('privacy/delete-derived-statuses', { ids: batch });
    },

    async personalDataReach(start: readonly string[], radius: number, nodeCap: number): Promise<LineageReach & { holding: string[] }> {
      if (start.length === 0 || nodeCap < 1) return { expanded: [], steps: [], holding: [] };
      const statement = reachStatement(tx.statements['privacy/data-flow-reach'], radius);
      const [row] = await tx.runText(statement, { start: [...new Set(start)], nodeCap, eventTypes: EVENT_TYPES });
      return reachFromRow(row, EVENT_TYPES);
    },

    async clearDerivedStatuses(): Promise<void> {
      await tx.run('privacy/clear-derived-statuses', {});
    },

    async carryingPersonalData(ids: readonly string[]): Promise<string[]> {
      const found: string[] = [];
      for (const batch of chunks([...new Set(ids)], BATCH_SIZE)) {
        for (const row of await tx.run('privacy/carrying', { ids: batch })) found.push(storedText(row.id, 'id'));
      }
      return found;
    },

    /** Locks in id order, so two derivations over shared nodes take them in the same order. */
    async lockForDerivation(ids: readonly string[]): Promise<boolean> {
      for (const batch of chunks([...new Set(ids)].sort(), BATCH_SIZE)) await tx.run('privacy/lock-for-derivation', { ids: batch });
      return true;
    },

    async derivationMinK(): Promise<number | null> {
      return minKOf(await tx.run('privacy/derivation-min-k', {}));
    },

    async lockDerivation(): Promise<number | null> {
      return minKOf(await tx.run('privacy/lock-derivation', {}));
    },

    async setDerivationMinK(minK: number): Promise<void> {
      await tx.run('privacy/set-derivation-min-k', { minK });
    },

    async insertSubjectRegistrations(artifactId: string, hashes: readonly string[]): Promise<number> {
      let created = 0;
      // Sorted: writers registering overlapping subjects on different artifacts create and lock them in one order.
      for (const batch of chunks([...new Set(hashes)].sort(), SUBJECT_BATCH_SIZE)) {
        const [row] = await tx.run('privacy/insert-registrations', { artifactId, hashes: batch });
        created += storedNumber(row?.created ?? 0, 'created');
      }
      return created;
    },

    async deleteSubjectRegistrations(artifactId: string, hashes: readonly string[]): Promise<number> {
      let deleted = 0;
      for (const batch of chunks([...new Set(hashes)], SUBJECT_BATCH_SIZE)) {
        const [row] = await tx.run('privacy/delete-registrations', { artifactId, hashes: batch });
        deleted += storedNumber(row?.deleted ?? 0, 'deleted');
        await tx.run('privacy/delete-orphan-subjects', { hashes: batch });
      }
      return deleted;
    },

    async deleteDataSubjects(hashes: readonly string[]): Promise<number> {
      let deleted = 0;
      for (const batch of chunks([...new Set(hashes)], SUBJECT_BATCH_SIZE)) {
        const [row] = await tx.run('privacy/delete-subjects', { hashes: batch });
        deleted += storedNumber(row?.deleted ?? 0, 'deleted');
      }
      return deleted;
    },

    async registrationCounts(ids: readonly string[]): Promise<number[]> {
      const counts = new Map<string, number>();
      for (const batch of chunks([...new Set(ids)], BATCH_SIZE)) {
        for (const row of await tx.run('privacy/registration-counts', { ids: batch })) {
          counts.set(storedText(row.id, 'id'), storedNumber(row.registrations, 'registrations'));
        }
      }
      return ids.map((id) => counts.get(id) ?? 0);
    },

    async artifactsOfSubjects(hashes: readonly string[]): Promise<string[][]> {
      const byHash = new Map<string, string[]>();
      for (const batch of chunks([...new Set(hashes)], BATCH_SIZE)) {
        for (const row of await tx.run('privacy/artifacts-of-subjects', { hashes: batch })) {
          const hash = storedText(row.hash, 'hash');
          const list = byHash.get(hash) ?? [];
          list.push(storedText(row.artifactId, 'artifactId'));
          byHash.set(hash, list);
        }
      }
      return hashes.map((h) => [...(byHash.get(h) ?? [])].sort());
    },

    async insertErasureRequests(requests: readonly ErasureRequestRecord[]): Promise<void> {
      if (requests.length === 0) return;
      const rows = requests.map((r) => ({
        id: r.id,
        subjectHash: r.subjectHash,
        createTime: r.createTime,
        reason: r.reason,
        subjectTextHash: r.subjectText?.hash ?? null,
        subjectTextLength: r.subjectText?.length ?? null,
        items: r.items.map((item, position) => ({
          key: itemKeyOf(r.id, item.artifactId),
          artifactId: item.artifactId,
          position,
          artifact: JSON.stringify(item.artifact),
          status: item.status,
          note: item.note,
          updateTime: item.updateTime,
        })),
      }));
      await tx.run('privacy/insert-erasure-requests', { requests: rows });
    },

    async getErasureRequests(ids: readonly string[]): Promise<(ErasureRequestRecord | null)[]> {
      const found = new Map<string, ErasureRequestRecord>();
      for (const batch of chunks([...new Set(ids)], BATCH_SIZE)) {
        for (const row of await tx.run('privacy/get-erasure-requests', { ids: batch })) {
          const f = row.request as Record<string, unknown>;
          const request: ErasureRequestRecord = {
            id: storedText(f.id, 'id'),
            subjectHash: storedText(f.subjectHash, 'subjectHash'),
            createTime: storedNumber(f.createTime, 'createTime'),
            reason: optionalText(f.reason, 'reason'),
            items: (row.items as Record<string, unknown>[]).map(itemFromFields),
            subjectText: f.subjectTextHash === undefined || f.subjectTextHash === null
              ? null : { hash: storedText(f.subjectTextHash, 'subjectTextHash'), length: storedNumber(f.subjectTextLength, 'subjectTextLength') },
          };
          found.set(request.id, request);
        }
      }
      return ids.map((id) => found.get(id) ?? null);
    },

    async listErasureRequestIds(beforeId: string | null, limit: number): Promise<string[]> {
      if (!Number.isSafeInteger(limit) || limit < 0) throw new Error(`limit must be a non-negative integer, got ${limit}`);
      const rows = await tx.run('privacy/list-erasure-request-ids', { beforeId: beforeId ?? '\uffff', limit });
      return rows.map((r) => storedText(r.id, 'id'));
    },

    async updateErasureItems(updates: readonly ErasureItemUpdate[]): Promise<void> {
      for (const batch of chunks(updates, BATCH_SIZE)) {
        const rows = batch.map((u) => ({ key: itemKeyOf(u.requestId, u.artifactId), status: u.status, note: u.note, updateTime: u.updateTime }));
        await tx.run('privacy/update-erasure-items', { rows });
      }
    },

    async appendAuditEntries(entries: readonly AuditEntryRecord[]): Promise<void> {
      for (const batch of chunks(entries, BATCH_SIZE)) {
        const rows = batch.map((e) => ({
          id: e.id, time: e.time, caller: e.caller, operation: e.operation, subjectHash: e.subjectHash, target: e.target,
          resultCount: e.resultCount, before: e.before, after: e.after,
        }));
        await tx.run('privacy/append-audit-entries', { rows });
      }
    },

    async listAuditEntries(afterId: string | null, limit: number): Promise<AuditEntryRecord[]> {
      if (!Number.isSafeInteger(limit) || limit < 0) throw new Error(`limit must be a non-negative integer, got ${limit}`);
      const rows = await tx.run('privacy/list-audit-entries', { afterId: afterId ?? '', limit });
      return rows.map((r) => auditFromFields(r.fields as Record<string, unknown>));
    },
  };
}
