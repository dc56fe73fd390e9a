/**
 * A data-subject identifier is personal data, so it is kept nowhere. This writes a
 * recognisable identifier through every personal-data operation over HTTP (as a variable
 * and inline in the query text, on success and on failure paths, and through a store
 * failure that the server logs with its stack), then looks for it everywhere it could
 * have landed: the raw bytes of the SQLite file and its WAL after a checkpoint, every
 * property of every Neo4j node and relationship, and every log line. Each scan first
 * finds the subject's keyed hash, so a scan of the wrong place cannot pass.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import type { GraphStore } from '../../src/graph/store.js';
import { createApiKeyService } from '../../src/service/keys/api-keys.js';
import type { MetadataApi } from '../../src/service/metadata/metadata-service.js';
import { createServices } from '../../src/service/services.js';
import { createPersonalDataService } from '../../src/service/privacy/personal-data-service.js';
import { failingStore } from '../api/harness.js';
import { bearer, startSecureServer } from '../security/security-harness.js';
import { BACKENDS } from '../support/backends.js';
import { testSubjectKey } from './fixtures.js';

const SUBJECT = 'LEAKCANARY-7f3a9c-anna.zimmermann@example.org';
/** Distinct pieces too, so an echo cut short (as error messages cut values) is caught as well. */
const NEEDLES = [SUBJECT, 'LEAKCANARY', 'anna.zimmermann'];
const SUBJECT_HASH = testSubjectKey().hash(SUBJECT);

const holdsNeedle = (text: string): string[] => NEEDLES.filter((n) => text.includes(n));

/** Runs every personal-data operation with SUBJECT over HTTP against `api`; returns the captured log text. */
async function exerciseEveryOperation(api: MetadataApi): Promise<string> {
  const { token } = await createApiKeyService(api.store).create({ name: 'dpo', role: 'admin' });
  const privacy = createPersonalDataService(api.store, { subjectKey: testSubjectKey() });
  const t = await startSecureServer(api, { privacy });
  const gql = async (query: string, variables?: Record<string, unknown>) => t.gql(query, variables, bearer(token));
  const ok = async (query: string, variables?: Record<string, unknown>) => {
    const res = await gql(query, variables);
    expect(res.errors, JSON.stringify(res.errors)).toBeUndefined();
    expect(holdsNeedle(res.text)).toEqual([]);
    return res.data!;
  };
  try {
    const built = await ok(`mutation {
      t: putArtifactType(input: { name: "People", baseType: DATASET, personalData: { categories: ["contact"] } }) { id }
      m: putArtifactType(input: { name: "Model", baseType: MODEL }) { id }
      x: putExecutionType(input: { name: "Train" }) { id }
    }`);
    expect(built.t).toBeTruthy();
    const recorded = await ok(`mutation { recordExecution(input: {
      execution: { type: "Train", name: "fit" },
      inputs: [{ artifact: { type: "People", name: "crm" } }],
      outputs: [{ artifact: { type: "Model", name: "churn" } }]
    }) { inputs { id } outputs { id } } }`);
    const crm = recorded.recordExecution.inputs[0].id as string;
    const vars = { s: SUBJECT, a: crm, list: [SUBJECT] };

    expect((await ok('mutation ($a: ID!, $list: [String!]!) { registerDataSubjects(artifactId: $a, subjectIds: $list) }', vars)).registerDataSubjects).toBe(1);
    expect((await ok('query ($s: String!) { dataSubjectLineage(subjectId: $s) { found affected { artifact { id } } } }', vars)).dataSubjectLineage.found).toBe(true);
    // Inline in the query text, which is not logged either.
    await ok(`{ dataSubjectLineage(subjectId: ${JSON.stringify(SUBJECT)}, maxHops: 4) { found } }`);
    await ok('query ($s: String!) { json: accessReport(subjectId: $s) md: accessReport(subjectId: $s, format: MARKDOWN) }', vars);
    await ok('{ personalDataInventory { nodes { id personalData { categories } } } }');
    // Failure paths: the reason may not hold the identifier; a too-long identifier is refused without being quoted.
    const refused = await gql('mutation ($s: String!, $r: String) { requestErasure(subjectId: $s, reason: $r) { id } }', { s: SUBJECT, r: `on behalf of ${SUBJECT}` });
    expect(refused.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    expect(holdsNeedle(refused.text)).toEqual([]);
    const tooLong = await gql('query ($s: String!) { dataSubjectLineage(subjectId: $s) { found } }', { s: SUBJECT.repeat(40) });
    expect(tooLong.errors?.[0]?.extensions?.code).toBe('BAD_USER_INPUT');
    expect(holdsNeedle(tooLong.text)).toEqual([]);

    // The identifier in another spelling (case, spaces, punctuation): refused all the same, never echoed.
    const respelled = SUBJECT.toUpperCase().replace(/[.@-]/g, ' ');
    const refusedReason = await gql('mutation ($s: String!, $r: String) { requestErasure(subjectId: $s, reason: $r) { id } }', { s: SUBJECT, r: `per ${respelled}` });
    expect(refusedReason.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'reason' });
    expect(holdsNeedle(refusedReason.text)).toEqual([]);
    const request = (await ok('mutation ($s: String!) { requestErasure(subjectId: $s, reason: "Art. 17") { id items { artifact { id } } } }', vars)).requestErasure;
    // A note is free text tied to the subject too, checked against the request's subject though the request holds only hashes.
    const NOTE = 'mutation ($r: ID!, $a: ID!, $n: String) { updateErasureItem(requestId: $r, artifactId: $a, status: EXEMPT, note: $n) { id } }';
    for (const note of [`legal hold for ${SUBJECT}`, `legal hold for ${respelled}`, `Legal hold: ${SUBJECT.replace(/[.@-]/g, '_')}!`]) {
      const refusedNote = await gql(NOTE, { r: request.id, a: request.items[0].artifact.id, n: note });
      expect(refusedNote.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'note' });
      expect(holdsNeedle(refusedNote.text)).toEqual([]);
    }
    // A note that is not the subject is kept.
    await ok(NOTE, { r: request.id, a: request.items[0].artifact.id, n: 'legal hold until 2031 (Art. 17(3)(e))' });
    // Looking a subject identifier up as a request id finds nothing, and the audit log must not keep what was typed.
    expect((await ok('query ($id: ID!) { erasureRequest(id: $id) { id } }', { id: SUBJECT })).erasureRequest).toBeNull();
    expect((await ok(`{ erasureRequest(id: ${JSON.stringify(respelled)}) { id } }`)).erasureRequest).toBeNull();
    for (const item of request.items as { artifact: { id: string } }[]) {
      await ok('mutation ($r: ID!, $a: ID!) { updateErasureItem(requestId: $r, artifactId: $a, status: ERASED) { complete } }', { r: request.id, a: item.artifact.id });
    }
    await ok('query ($id: ID!) { erasureRequest(id: $id) { complete } }', { id: request.id });
    await ok('mutation ($a: ID!, $list: [String!]!) { registerDataSubjects(artifactId: $a, subjectIds: $list) }', vars);
    await ok('mutation ($a: ID!, $list: [String!]!) { unregisterDataSubjects(artifactId: $a, subjectIds: $list) }', vars);
    await ok('mutation ($a: ID!, $list: [String!]!) { registerDataSubjects(artifactId: $a, subjectIds: $list) }', vars);
    await ok('{ auditLog { nodes { subjectHash } } }');
  } finally {
    await t.close();
  }

  // An unexpected store failure while the subject is looked up: the server logs it with its stack.
  const broken = createServices(failingStore(api.store, { artifactsOfSubjects: () => new Error('the disk is on fire') })).metadata;
  const brokenPrivacy = createPersonalDataService(broken.store, { subjectKey: testSubjectKey() });
  const b = await startSecureServer(broken, { privacy: brokenPrivacy });
  try {
    const res = await b.gql('query ($s: String!) { dataSubjectLineage(subjectId: $s) { found } }', { s: SUBJECT }, bearer(token));
    expect(res.errors?.[0]?.extensions?.code).toBe('INTERNAL_SERVER_ERROR');
    expect(b.logs.text()).toContain('the disk is on fire');
  } finally {
    await b.close();
  }
  return t.logs.text() + b.logs.text();
}

describe('a subject identifier is kept nowhere: SQLite file', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'journey-leak-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('is in neither the database file nor its WAL, nor in the logs', async () => {
    const file = path.join(dir, 'journey.sqlite');
    const { createSqliteStore } = await import('../../src/graph/sqlite/index.js');
    const store: GraphStore = await createSqliteStore({ path: file });
    let logs: string;
    try {
      logs = await exerciseEveryOperation(createServices(store).metadata);
      const raw = new Database(file);
      try {
        raw.pragma('wal_checkpoint(FULL)');
        // The audit log keeps the hash, and refuses to be changed even by hand.
        expect(() => raw.prepare('UPDATE audit_log SET caller = ?').run('someone else')).toThrow();
        expect(() => raw.prepare('DELETE FROM audit_log').run()).toThrow();
      } finally {
        raw.close();
      }
      const files = [file, `${file}-wal`, `${file}-shm`].filter(existsSync).map((f) => readFileSync(f).toString('latin1'));
      expect(files.join('').includes(SUBJECT_HASH), 'the scan must find the subject hash').toBe(true);
      expect(files.map(holdsNeedle)).toEqual(files.map(() => []));
    } finally {
      await store.close();
    }
    // Closing checkpoints what was left and removes the WAL: the file alone, once more.
    expect(holdsNeedle(readFileSync(file).toString('latin1'))).toEqual([]);
    expect(logs).toContain('"msg":"graphql operation"');
    expect(holdsNeedle(logs)).toEqual([]);
  });
});

describe.each(BACKENDS.filter((b) => b.name === 'neo4j'))('a subject identifier is kept nowhere: $name', (backend) => {
  it('is in no node or relationship property, nor in the logs', async () => {
    const store = await backend.open();
    const { clearNeo4jDatabase } = await import('../support/neo4j-database.js');
    try {
      await clearNeo4jDatabase(store);
      const logs = await exerciseEveryOperation(createServices(store).metadata);
      const neo4j = (await import('neo4j-driver')).default;
      const driver = neo4j.driver(process.env.NEO4J_URI!, undefined, { disableLosslessIntegers: true });
      const session = driver.session();
      try {
        const nodes = await session.run('MATCH (n) RETURN labels(n) AS labels, properties(n) AS fields');
        const relationships = await session.run('MATCH ()-[r]->() RETURN type(r) AS type, properties(r) AS fields');
        const everything = JSON.stringify([...nodes.records, ...relationships.records].map((r) => r.toObject()));
        expect(nodes.records.length).toBeGreaterThan(0);
        expect(everything.includes(SUBJECT_HASH), 'the scan must find the subject hash').toBe(true);
        expect(holdsNeedle(everything)).toEqual([]);
      } finally {
        await session.close();
        await driver.close();
      }
      expect(holdsNeedle(logs)).toEqual([]);
    } finally {
      await clearNeo4jDatabase(store);
      await store.close();
    }
  }, 120_000);
});
