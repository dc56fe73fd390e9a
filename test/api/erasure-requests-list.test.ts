/**
 * Query.erasureRequests (issue 16), the privacy officer's list of erasure requests and their progress,
 * over HTTP on every backend: newest first, paged by cursor, each request as
 * Query.erasureRequest shows it plus its items counted by status, a fixed number of store
 * calls per page however long, audited, refused to viewers and editors, and never naming
 * a subject (neither in the answer nor in the server's log).
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createPersonalDataService } from '../../src/service/privacy/personal-data-service.js';
import { countingStore, type CountingStore } from './harness.js';
import { bearer, codesOf, makeKey, startSecureServer, useServiceWithKeys, type TestServer } from '../security/security-harness.js';
import { BACKENDS } from '../support/backends.js';
import { testSubjectKey } from '../privacy/fixtures.js';

const SUBJECTS = ['LISTCANARY-ada@example.org', 'LISTCANARY-bob@example.org', 'LISTCANARY-cy@example.org'];

const REQUEST_FIELDS = `id createdAt reason complete
  items { artifact { id } status note }
  notCovered { id }`;
const LIST = `query List($first: Int, $after: String) {
  erasureRequests(first: $first, after: $after) {
    nodes { ${REQUEST_FIELDS} progress { total pending erased retrained exempt } }
    edges { cursor node { id } }
    pageInfo { hasNextPage endCursor }
  }
}`;

interface Item { artifact: { id: string }; status: string; note: string | null }
interface Listed {
  id: string; createdAt: string; reason: string | null; complete: boolean; items: Item[]; notCovered: { id: string }[];
  progress: { total: number; pending: number; erased: number; retrained: number; exempt: number };
}
interface ListAnswer {
  erasureRequests: { nodes: Listed[]; edges: { cursor: string; node: { id: string } }[]; pageInfo: { hasNextPage: boolean; endCursor: string | null } };
}

describe.each(BACKENDS)('erasureRequests ($name)', (backend) => {
  const h = useServiceWithKeys(backend);
  let t: TestServer;
  let counting: CountingStore;
  let admin: Record<string, string>;

  beforeEach(async () => {
    counting = countingStore(h.store);
    t = await startSecureServer(h.api, { privacy: createPersonalDataService(counting.store, { subjectKey: testSubjectKey() }) });
    admin = bearer(await makeKey(h.store, 'admin'));
  });
  afterEach(async () => { await t.close(); });

  /** One operation's data, failing on any error. */
  async function ok<T = Record<string, unknown>>(query: string, variables: Record<string, unknown>, headers: Record<string, string>): Promise<T> {
    const res = await t.gql<T>(query, variables, headers);
    expect(res.errors, JSON.stringify(res.errors)).toBeUndefined();
    return res.data as T;
  }

  /** Two sources of people feeding one model; the subjects registered; one request per subject, oldest first. */
  async function seedRequests(): Promise<{ crm: string; shop: string; model: string; requests: string[] }> {
    const built = await ok<{ r: { inputs: { id: string }[]; outputs: { id: string }[] } }>(`mutation Seed {
      p: putArtifactType(input: { name: "People", baseType: DATASET, personalData: { categories: ["contact"] } }) { id }
      m: putArtifactType(input: { name: "Model", baseType: MODEL }) { id }
      x: putExecutionType(input: { name: "Train" }) { id }
      r: recordExecution(input: {
        execution: { type: "Train", name: "fit" },
        inputs: [{ artifact: { type: "People", name: "crm" } }, { artifact: { type: "People", name: "shop" } }],
        outputs: [{ artifact: { type: "Model", name: "churn" } }]
      }) { inputs { id } outputs { id } }
    }`, {}, admin);
    const [crm, shop] = built.r.inputs.map((i) => i.id) as [string, string];
    const model = built.r.outputs[0]!.id;
    const register = 'mutation Reg($a: ID!, $s: [String!]!) { registerDataSubjects(artifactId: $a, subjectIds: $s) }';
    await ok(register, { a: crm, s: SUBJECTS }, admin);
    const requests: string[] = [];
    for (const [i, s] of SUBJECTS.entries()) {
      const made = await ok<{ requestErasure: { id: string } }>(
        'mutation Ask($s: String!, $r: String) { requestErasure(subjectId: $s, reason: $r) { id } }', { s, r: `ticket ${i}` }, admin);
      requests.push(made.requestErasure.id);
    }
    // Registered after the first request was made: that request does not cover it.
    await ok(register, { a: shop, s: [SUBJECTS[0]] }, admin);
    return { crm, shop, model, requests };
  }

  it('lists the requests newest first, paged, each as erasureRequest shows it, with its progress', async () => {
    const { crm, shop, model, requests } = await seedRequests();
    await ok('mutation Up($r: ID!, $a: ID!) { updateErasureItem(requestId: $r, artifactId: $a, status: ERASED) { id } }',
      { r: requests[0], a: crm }, admin);
    await ok('mutation Up($r: ID!, $a: ID!) { updateErasureItem(requestId: $r, artifactId: $a, status: EXEMPT, note: "Art. 17(3)(e)") { id } }',
      { r: requests[0], a: model }, admin);

    const first = await ok<ListAnswer>(LIST, { first: 2 }, admin);
    const second = await ok<ListAnswer>(LIST, { first: 2, after: first.erasureRequests.pageInfo.endCursor }, admin);
    expect(first.erasureRequests.nodes.map((r) => r.id)).toEqual([requests[2], requests[1]]);
    expect(first.erasureRequests.edges.map((e) => e.node.id)).toEqual([requests[2], requests[1]]);
    expect(first.erasureRequests.pageInfo).toEqual({ hasNextPage: true, endCursor: first.erasureRequests.edges[1]!.cursor });
    expect(second.erasureRequests.nodes.map((r) => r.id)).toEqual([requests[0]]);
    expect(second.erasureRequests.pageInfo.hasNextPage).toBe(false);

    const listed = [...first.erasureRequests.nodes, ...second.erasureRequests.nodes];
    for (const r of listed) {
      const one = await ok<{ erasureRequest: Omit<Listed, 'progress'> }>(
        `query One($id: ID!) { erasureRequest(id: $id) { ${REQUEST_FIELDS} } }`, { id: r.id }, admin);
      const { progress, ...rest } = r;
      expect(rest).toEqual(one.erasureRequest);
      const count = (status: string): number => r.items.filter((i) => i.status === status).length;
      expect(progress).toEqual({
        total: r.items.length, pending: count('PENDING'), erased: count('ERASED'), retrained: count('RETRAINED'), exempt: count('EXEMPT'),
      });
    }
    const oldest = listed[2]!;
    expect(oldest.items.map((i) => i.artifact.id).sort()).toEqual([crm, model].sort());
    expect(oldest.progress).toEqual({ total: 2, pending: 0, erased: 1, retrained: 0, exempt: 1 });
    expect(oldest.complete).toBe(true);
    expect(oldest.notCovered.map((a) => a.id)).toEqual([shop]);
    expect(listed[0]!.progress).toMatchObject({ total: 2, pending: 2 });
    expect(listed[0]!.reason).toBe('ticket 2');
  });

  it('reads a page in a fixed number of store calls, however many requests it holds', async () => {
    await seedRequests();
    const callsFor = async (first: number): Promise<Record<string, number>> => {
      counting.reset();
      await ok(LIST, { first }, admin);
      const tally = counting.tally();
      // The key check and the audit append are the request's, not the page's.
      return { list: tally.listErasureRequestIds ?? 0, requests: tally.getErasureRequests ?? 0, subjects: tally.artifactsOfSubjects ?? 0 };
    };
    const one = await callsFor(1);
    expect(one).toEqual({ list: 1, requests: 1, subjects: 1 });
    expect(await callsFor(3)).toEqual(one);
  });

  it('is empty on a store without requests, and audited', async () => {
    const empty = await ok<ListAnswer>(LIST, {}, admin);
    expect(empty.erasureRequests).toEqual({ nodes: [], edges: [], pageInfo: { hasNextPage: false, endCursor: null } });
    const log = await ok<{ auditLog: { nodes: { operation: string; resultCount: number; subjectHash: string | null }[] } }>(
      '{ auditLog { nodes { operation resultCount subjectHash } } }', {}, admin);
    expect(log.auditLog.nodes.filter((e) => e.operation === 'erasureRequests')).toEqual([{ operation: 'erasureRequests', resultCount: 0, subjectHash: null }]);
  });

  it('refuses viewers and editors (FORBIDDEN) and lets the privacy role list', async () => {
    await seedRequests();
    for (const role of ['viewer', 'editor'] as const) {
      const res = await t.gql(LIST, {}, bearer(await makeKey(h.store, role)));
      expect(codesOf(res)).toEqual(['FORBIDDEN']);
      expect(res.data?.erasureRequests ?? null).toBeNull();
    }
    const privacy = await ok<ListAnswer>(LIST, {}, bearer(await makeKey(h.store, 'privacy')));
    expect(privacy.erasureRequests.nodes).toHaveLength(SUBJECTS.length);
  });

  it('refuses a cursor of another list', async () => {
    await seedRequests();
    const audit = await ok<{ auditLog: { pageInfo: { endCursor: string } } }>('{ auditLog(first: 1) { pageInfo { endCursor } } }', {}, admin);
    const res = await t.gql(LIST, { after: audit.auditLog.pageInfo.endCursor }, admin);
    expect(res.errors?.[0]?.extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'after' });
  });

  it('never names a subject, in the answer or in the log', async () => {
    await seedRequests();
    const res = await t.gql(LIST, {}, admin);
    expect(res.errors).toBeUndefined();
    const text = `${res.text}\n${t.logs.text()}`;
    // The hashes exist (the audit log holds them), so a listing that carried them would be caught too.
    const hashes = SUBJECTS.map((s) => testSubjectKey().hash(s));
    expect(SUBJECTS.concat('LISTCANARY', ...hashes).filter((needle) => text.includes(needle))).toEqual([]);
  });
});
