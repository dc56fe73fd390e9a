/**
 * The checks a line of an export file passes before anything is written from it: well-formed
 * JSON, a known record kind, and each field of the kind's value of the right shape, so a
 * refusal names the line and the field (`line 12: node.node.mlmdId must be an integer from
 * 1 to 9007199254740991, got "7"`). They check shapes, not the data model's rules: a file
 * is an export of a store that applied them. References (a node's type, an edge's ends)
 * are checked against the store as each batch is written (store-import.ts).
 */
import {
  ARTIFACT_STATES, EVENT_TYPES, EXECUTION_STATES, MLMD_ID_SPACES, PROPERTY_TYPES, SPECIAL_CATEGORIES,
  type NodeRecord,
} from '../../graph/model.js';
import { ROLES } from '../../graph/key-store.js';
import { ERASURE_STATUSES } from '../../graph/privacy-store.js';
import { EXPORT_FORMAT, EXPORT_VERSION, RECORD_ORDER, RECORD_RANK, type ExportRecord, type RecordKind } from './export-format.js';

/** A file that cannot be imported: the message names the line and what is wrong with it. */
export class ExportFileError extends Error {
  constructor(message: string, readonly line: number | null = null) {
    super(line === null ? message : `line ${line}: ${message}`);
    this.name = 'ExportFileError';
  }
}

type Obj = Record<string, unknown>;

/** The value's text in a message: JSON, cut short. */
function shown(value: unknown): string {
  const text = value === undefined ? 'nothing' : JSON.stringify(value);
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}

class Checker {
  constructor(private readonly line: number) {}

  fail(field: string, rule: string, value: unknown): never {
    throw new ExportFileError(`${field} ${rule}, got ${shown(value)}`, this.line);
  }

  obj(v: unknown, field: string): Obj {
    if (v === null || typeof v !== 'object' || Array.isArray(v)) this.fail(field, 'must be a JSON object', v);
    return v as Obj;
  }

  str(v: unknown, field: string): string {
    if (typeof v !== 'string') this.fail(field, 'must be a string', v);
    return v;
  }

  optStr(v: unknown, field: string): void {
    if (v !== null) this.str(v, field);
  }

  int(v: unknown, field: string, min = Number.MIN_SAFE_INTEGER, max = Number.MAX_SAFE_INTEGER): number {
    if (typeof v !== 'number' || !Number.isSafeInteger(v) || v < min || v > max) this.fail(field, `must be an integer from ${min} to ${max}`, v);
    return v;
  }

  optInt(v: unknown, field: string): void {
    if (v !== null) this.int(v, field);
  }

  oneOf(v: unknown, allowed: readonly string[], field: string): string {
    if (typeof v !== 'string' || !allowed.includes(v)) this.fail(field, `must be one of ${allowed.join(', ')}`, v);
    return v;
  }

  arr(v: unknown, field: string): unknown[] {
    if (!Array.isArray(v)) this.fail(field, 'must be a list', v);
    return v;
  }

  strings(v: unknown, field: string): void {
    this.arr(v, field).forEach((s, i) => this.str(s, `${field}[${i}]`));
  }

  declaration(v: unknown, field: string): void {
    if (v === undefined) return;
    const d = this.obj(v, field);
    this.strings(d.categories, `${field}.categories`);
    this.arr(d.specialCategories, `${field}.specialCategories`).forEach((s, i) => this.oneOf(s, SPECIAL_CATEGORIES, `${field}.specialCategories[${i}]`));
    if (d.fields !== undefined) this.arr(d.fields, `${field}.fields`).forEach((f, i) => this.obj(f, `${field}.fields[${i}]`));
  }

  privacy(v: unknown, field: string): void {
    if (v === undefined) return;
    const p = this.obj(v, field);
    this.str(p.transform, `${field}.transform`);
    this.strings(p.categories, `${field}.categories`);
    this.strings(p.specialCategories, `${field}.specialCategories`);
    if (p.k !== null) this.int(p.k, `${field}.k`);
  }

  properties(v: unknown, field: string): void {
    for (const [name, value] of Object.entries(this.obj(v, field))) {
      // The stores keep no null property (null is "no value" on input): one would read back differently on each backend.
      if (value === null) this.fail(`${field}.${name}`, 'must be a value', value);
      if (typeof value === 'number' && !Number.isFinite(value)) this.fail(`${field}.${name}`, 'must be a finite number', value);
    }
  }

  node(v: unknown, field: string): NodeRecord {
    const n = this.obj(v, field);
    this.str(n.id, `${field}.id`);
    this.int(n.mlmdId, `${field}.mlmdId`, 1);
    const kind = this.oneOf(n.kind, ['ARTIFACT', 'EXECUTION', 'CONTEXT'], `${field}.kind`);
    this.str(n.typeId, `${field}.typeId`);
    if (kind === 'CONTEXT') this.str(n.name, `${field}.name`);
    else this.optStr(n.name, `${field}.name`);
    this.optStr(n.externalId, `${field}.externalId`);
    this.properties(n.properties, `${field}.properties`);
    this.properties(n.customProperties, `${field}.customProperties`);
    this.int(n.createTime, `${field}.createTime`);
    this.int(n.updateTime, `${field}.updateTime`);
    if (kind === 'ARTIFACT') {
      this.optStr(n.uri, `${field}.uri`);
      this.oneOf(n.state, ARTIFACT_STATES, `${field}.state`);
      this.declaration(n.personalData, `${field}.personalData`);
    } else {
      if (kind === 'EXECUTION') this.oneOf(n.lastKnownState, EXECUTION_STATES, `${field}.lastKnownState`);
      this.privacy(n.privacy, `${field}.privacy`);
    }
    return n as unknown as NodeRecord;
  }
}

/** Checks each kind's value; throws ExportFileError naming the first bad field. */
const CHECKS: Record<RecordKind, (c: Checker, v: Obj) => void> = {
  header(c, v) {
    if (v.format !== EXPORT_FORMAT) c.fail('header.format', `must be ${JSON.stringify(EXPORT_FORMAT)}: this is not a Data Journey export`, v.format);
    if (v.version !== EXPORT_VERSION) {
      throw new ExportFileError(`header.version: this build reads export format version ${EXPORT_VERSION} only, the file is version ${shown(v.version)}`, 1);
    }
    c.str(v.backend, 'header.backend');
    c.str(v.exportedAt, 'header.exportedAt');
    const nodes = c.obj(v.nodes, 'header.nodes');
    for (const k of ['artifacts', 'executions', 'contexts']) c.int(nodes[k], `header.nodes.${k}`, 0);
  },
  type(c, v) {
    c.str(v.id, 'type.id');
    c.int(v.mlmdId, 'type.mlmdId', 1);
    c.oneOf(v.kind, ['ARTIFACT_TYPE', 'EXECUTION_TYPE', 'CONTEXT_TYPE'], 'type.kind');
    c.str(v.name, 'type.name');
    for (const f of ['version', 'description', 'externalId', 'baseType']) c.optStr(v[f], `type.${f}`);
    c.arr(v.properties, 'type.properties').forEach((p, i) => {
      const def = c.obj(p, `type.properties[${i}]`);
      c.str(def.name, `type.properties[${i}].name`);
      c.oneOf(def.type, PROPERTY_TYPES, `type.properties[${i}].type`);
    });
    c.declaration(v.personalData, 'type.personalData');
  },
  node(c, v) {
    const node = c.node(v.node, 'node.node');
    const history = c.arr(v.history, 'node.history');
    history.forEach((h, i) => {
      const entry = c.obj(h, `node.history[${i}]`);
      const record = c.node(entry.record, `node.history[${i}].record`);
      if (record.id !== node.id || record.kind !== node.kind) c.fail(`node.history[${i}].record`, `must be of node ${node.id}`, record.id);
      // Replaying the updates keeps each record until the next one's updateTime: a file saying otherwise would not read back the same.
      const next = i + 1 < history.length ? ((history[i + 1] as Obj).record as Obj | undefined)?.updateTime : node.updateTime;
      if (entry.validTo !== next) c.fail(`node.history[${i}].validTo`, `must be the next record's updateTime (${shown(next)})`, entry.validTo);
    });
    c.arr(v.importOrigins, 'node.importOrigins').forEach((o, i) => {
      const origin = c.obj(o, `node.importOrigins[${i}]`);
      c.str(origin.source, `node.importOrigins[${i}].source`);
      c.int(origin.sourceId, `node.importOrigins[${i}].sourceId`);
    });
    c.strings(v.subjectHashes, 'node.subjectHashes');
    if (v.derivedStatus !== null) c.obj(v.derivedStatus, 'node.derivedStatus');
    if (node.kind !== 'ARTIFACT' && ((v.subjectHashes as unknown[]).length > 0 || v.derivedStatus !== null)) {
      c.fail('node.subjectHashes', 'must be empty on a node that is no artifact', v.subjectHashes);
    }
  },
  event(c, v) {
    c.str(v.artifactId, 'event.artifactId');
    c.str(v.executionId, 'event.executionId');
    c.oneOf(v.type, EVENT_TYPES, 'event.type');
    c.int(v.time, 'event.time');
    c.arr(v.path, 'event.path').forEach((s, i) => {
      const step = c.obj(s, `event.path[${i}]`);
      if (step.index !== undefined) c.int(step.index, `event.path[${i}].index`);
      else c.str(step.key, `event.path[${i}].key`);
    });
  },
  attribution(c, v) {
    c.str(v.contextId, 'attribution.contextId');
    c.str(v.artifactId, 'attribution.artifactId');
  },
  association(c, v) {
    c.str(v.contextId, 'association.contextId');
    c.str(v.executionId, 'association.executionId');
  },
  parentContext(c, v) {
    c.str(v.childId, 'parentContext.childId');
    c.str(v.parentId, 'parentContext.parentId');
  },
  erasureRequest(c, v) {
    c.str(v.id, 'erasureRequest.id');
    c.str(v.subjectHash, 'erasureRequest.subjectHash');
    c.int(v.createTime, 'erasureRequest.createTime');
    c.optStr(v.reason, 'erasureRequest.reason');
    if (v.subjectText !== null) {
      const print = c.obj(v.subjectText, 'erasureRequest.subjectText');
      c.str(print.hash, 'erasureRequest.subjectText.hash');
      c.int(print.length, 'erasureRequest.subjectText.length', 0);
    }
    c.arr(v.items, 'erasureRequest.items').forEach((it, i) => {
      const item = c.obj(it, `erasureRequest.items[${i}]`);
      c.str(item.artifactId, `erasureRequest.items[${i}].artifactId`);
      c.obj(item.artifact, `erasureRequest.items[${i}].artifact`);
      c.oneOf(item.status, ERASURE_STATUSES, `erasureRequest.items[${i}].status`);
      c.optStr(item.note, `erasureRequest.items[${i}].note`);
      c.int(item.updateTime, `erasureRequest.items[${i}].updateTime`);
    });
  },
  auditEntry(c, v) {
    for (const f of ['id', 'caller', 'operation']) c.str(v[f], `auditEntry.${f}`);
    c.int(v.time, 'auditEntry.time');
    c.int(v.resultCount, 'auditEntry.resultCount');
    for (const f of ['subjectHash', 'target', 'before', 'after']) c.optStr(v[f], `auditEntry.${f}`);
  },
  apiKey(c, v) {
    for (const f of ['id', 'name', 'secretHash']) c.str(v[f], `apiKey.${f}`);
    c.oneOf(v.role, ROLES, 'apiKey.role');
    c.int(v.createTime, 'apiKey.createTime');
    c.optInt(v.expireTime, 'apiKey.expireTime');
    c.optInt(v.revokeTime, 'apiKey.revokeTime');
    if (v.clientCertSha256 !== undefined) c.str(v.clientCertSha256, 'apiKey.clientCertSha256');
  },
  derivation(c, v) {
    c.int(v.minK, 'derivation.minK', 1);
  },
  mlmdIdCounters(c, v) {
    for (const space of MLMD_ID_SPACES) c.int(v[space], `mlmdIdCounters.${space}`, 0);
  },
  end(c, v) {
    for (const [k, n] of Object.entries(c.obj(v.counts, 'end.counts'))) {
      c.oneOf(k, RECORD_ORDER, 'end.counts key');
      c.int(n, `end.counts.${k}`, 0);
    }
  },
};

/**
 * Line `number`'s record, checked; throws ExportFileError naming the line and the field.
 * With `sequence`, the record's kind is checked to come next before its value is checked,
 * so a file that is no export is named as such rather than by a field of its first line.
 */
export function parseRecord(text: string, number: number, sequence?: RecordSequence): ExportRecord {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw new ExportFileError(`not a JSON record (${(error as Error).message}): the file is damaged or cut short`, number);
  }
  const c = new Checker(number);
  const line = c.obj(parsed, 'the line');
  const kind = c.oneOf(line.record, RECORD_ORDER, 'record') as RecordKind;
  sequence?.order(kind, number);
  CHECKS[kind](c, c.obj(line.value, `${kind} value`));
  const record = parsed as ExportRecord;
  sequence?.next(record, number);
  return record;
}

/**
 * Follows the records' order as an import reads them: a header first, kinds by
 * RECORD_RANK, nothing after `end`, and `end`'s counts equal to what came before.
 */
export class RecordSequence {
  private position = -1;
  private last: RecordKind | null = null;
  private readonly counts: Record<string, number> = {};
  private ended = false;

  /** Checks that a record of `kind` (line `number`) may come next. */
  order(kind: RecordKind, number: number): void {
    if (this.ended) throw new ExportFileError('a record after the end record', number);
    const at = RECORD_RANK[kind];
    if (this.position === -1 && kind !== 'header') {
      throw new ExportFileError(`the first line must be the header record, got a ${kind} record: this is not a Data Journey export`, number);
    }
    if (at < this.position || (kind === 'header' && this.position !== -1)) {
      throw new ExportFileError(`a ${kind} record after ${this.last} records: kinds come in the order `
        + 'header, type, node, the edges (event, attribution, association, parentContext), erasureRequest, auditEntry, apiKey, derivation, mlmdIdCounters, end', number);
    }
  }

  /** Takes `r` (line `number`, its kind checked by `order`): counts it, and checks the end record's counts. */
  next(r: ExportRecord, number: number): void {
    this.order(r.record, number);
    this.position = RECORD_RANK[r.record];
    this.last = r.record;
    if (r.record === 'end') {
      this.ended = true;
      const expected = r.value.counts;
      for (const kind of RECORD_ORDER) {
        if ((expected[kind] ?? 0) !== (this.counts[kind] ?? 0)) {
          throw new ExportFileError(`the end record counts ${expected[kind] ?? 0} ${kind} records, the file holds ${this.counts[kind] ?? 0}`, number);
        }
      }
    } else if (r.record !== 'header') {
      this.counts[r.record] = (this.counts[r.record] ?? 0) + 1;
    }
  }

  /** Throws unless the end record came: a file cut short lacks it. */
  finish(lines: number): void {
    if (lines === 0) throw new ExportFileError('the file is empty: an export starts with its header record');
    if (!this.ended) throw new ExportFileError(`the file ends after line ${lines} without its end record: it was cut short`);
  }
}
