/**
 * `journey import dvc`: real DVC projects (dvc-fixture.ts: made, run, changed and run again
 * by the `dvc` package and Git) imported into each backend. The graph of the first state,
 * drawn by hand (R = the repository's folder name, m/p/k the md5s dvc.lock gives):
 *
 *   R/data.csv@m1 ─INPUT─▶ prepare@h1 ─OUTPUT─▶ R/prepared.csv@p1 ─INPUT─▶ train@t1 ─OUTPUT─▶ R/model.pkl@k1
 *
 * each version attributed to its dataset (dvc.Path) and to the commit (dvc.Commit), each
 * run associated with the pipeline (dvc.Pipeline) and the commit; datasets and the commit
 * are children of the pipeline. Then data.csv changes (m2: both stages run again), then
 * train.lr (train alone runs again: prepare's run is the same one).
 */
import { createHash } from 'node:crypto';
import { appendFileSync, cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { spawn } from 'node:child_process';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { NodeKind, NodeRecord } from '../../src/graph/model.js';
import { DvcProjectError } from '../../src/service/import/dvc-project.js';
import { importDvc, type DvcImportReport } from '../../src/service/import/dvc-import.js';
import { createLineageService } from '../../src/service/lineage/lineage-service.js';
import type { MetadataApi } from '../../src/service/metadata/metadata-service.js';
import { BACKENDS, CLOCK_START, useService } from '../support/backends.js';
import { pythonWithMlmd } from '../support/python.js';
import { COMMIT_TIMES, headOf, lockOf, makeDvcFixture, REPO_NAME, type DvcFixture } from './dvc-fixture.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const python = pythonWithMlmd('the DVC import tests (test/import/dvc-import.test.ts)');
const dir = mkdtempSync(path.join(tmpdir(), 'journey-dvc-'));
let fx: DvcFixture;
/** A Neo4j import is a transaction of some 80 round trips, several per test: minutes on a loaded machine. */
const IMPORT_TEST_TIMEOUT = 180_000;

beforeAll(() => {
  if (python !== null) fx = makeDvcFixture(dir, python);
}, 180_000);
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const ds = (file: string) => `${REPO_NAME}/${file}`;

/** Every node of `kind` by name, with its type's name. */
async function nodes(api: MetadataApi, kind: NodeKind): Promise<Map<string, NodeRecord & { typeName: string }>> {
  const page = await api.listNodes(kind, { first: 1000 });
  const types = new Map((await api.getTypes([...new Set(page.nodes.map((n) => n.typeId))])).map((t) => [t!.id, t!.name]));
  return new Map(page.nodes.map((n) => [n.name!, { ...n, typeName: types.get(n.typeId)! }]));
}

async function counts(api: MetadataApi): Promise<Record<NodeKind, number>> {
  const [a, x, c] = await Promise.all((['ARTIFACT', 'EXECUTION', 'CONTEXT'] as const).map(async (k) => (await api.listNodes(k, { first: 1 })).totalCount()));
  return { ARTIFACT: a!, EXECUTION: x!, CONTEXT: c! };
}

/** The execution of `stage` among `executions` (its name ends in the lock entry's hash). */
function runOf(executions: Map<string, NodeRecord>, stage: string): NodeRecord[] {
  return [...executions.values()].filter((x) => x.customProperties.stage === stage);
}

describe.skipIf(python === null).each(BACKENDS)('journey import dvc ($name)', (backend) => {
  const h = useService(backend);
  const lineage = () => createLineageService(h.store);

  /** The upstream walk from `start`, as names by distance. */
  const upstream = async (startId: string): Promise<Record<string, number>> => {
    const graph = await lineage().lineage({ start: [startId], direction: 'UPSTREAM', maxHops: 10 }, { records: true });
    return Object.fromEntries(graph.nodes.map((n) => [n.record!.name!.replace(/@[0-9a-f]{16}$/, '@run'), n.distance]));
  };

  it("records the runs, the versions keyed by dvc.lock's md5s, the commit and the lineage data.csv → model.pkl", async () => {
    const report = await importDvc(h.api, fx.first, { clock: h.clock });
    const lock = lockOf(fx.first);
    const sha = headOf(fx.first);
    expect(report).toMatchObject({
      project: REPO_NAME, commit: sha, gitReason: null, lockCommitted: true,
      found: { stages: 2, versions: 3, datasets: 3 }, written: { executions: 2, versions: 3, contexts: 5 },
    });

    const artifacts = await nodes(h.api, 'ARTIFACT');
    const m1 = lock.prepare!.deps['data.csv']!;
    const p1 = lock.prepare!.outs['prepared.csv']!;
    const k1 = lock.train!.outs['model.pkl']!;
    // DVC 3's md5 of a file is its content's.
    expect(m1).toBe(createHash('md5').update(readFileSync(path.join(fx.first, 'data.csv'))).digest('hex'));
    expect([...artifacts.keys()].sort()).toEqual([`${ds('data.csv')}@${m1}`, `${ds('model.pkl')}@${k1}`, `${ds('prepared.csv')}@${p1}`].sort());
    const data = artifacts.get(`${ds('data.csv')}@${m1}`)!;
    expect(data).toMatchObject({
      typeName: 'dvc.FileVersion', externalId: `dvc:${ds('data.csv')}@${m1}`, uri: ds('data.csv'),
      customProperties: { dataset: ds('data.csv'), version: m1, digest: m1, versionTime: COMMIT_TIMES.first, size: 17 },
    });
    expect(artifacts.get(`${ds('model.pkl')}@${k1}`)!.customProperties.versionTime).toBe(COMMIT_TIMES.first);

    const executions = await nodes(h.api, 'EXECUTION');
    expect(executions.size).toBe(2);
    const [train] = runOf(executions, 'train');
    expect(train).toMatchObject({
      typeName: 'dvc.Stage', lastKnownState: 'COMPLETE',
      customProperties: {
        stage: 'train', pipeline: REPO_NAME, 'param:train.lr': 0.1, 'param:train.epochs': 3,
        params: { 'params.yaml': { 'train.epochs': 3, 'train.lr': 0.1 } },
      },
    });
    expect(train!.customProperties.cmd).toContain("open('model.pkl','w')");
    expect(train!.externalId).toBe(`dvc:${train!.name}`);
    expect(runOf(executions, 'prepare')[0]!.customProperties.desc).toBe('upper-cases the raw rows');

    const contexts = await nodes(h.api, 'CONTEXT');
    expect(Object.fromEntries([...contexts.values()].map((c) => [c.name, c.typeName]))).toEqual({
      [REPO_NAME]: 'dvc.Pipeline', [sha]: 'dvc.Commit',
      [ds('data.csv')]: 'dvc.Path', [ds('prepared.csv')]: 'dvc.Path', [ds('model.pkl')]: 'dvc.Path',
    });
    expect(contexts.get(sha)!.customProperties).toEqual({ sha, author: 'Ada Tester', message: 'first run\n\nprepare and train', time: COMMIT_TIMES.first });
    // The commit holds every version and run; the dataset its own version only; the pipeline every run.
    const [ofData, ofCommit, ofPipeline] = await h.api.contextsOfNodes([data.id, train!.id, runOf(executions, 'prepare')[0]!.id]);
    expect(ofData!.map((c) => c.name).sort()).toEqual([ds('data.csv'), sha].sort());
    expect(ofCommit!.map((c) => c.name).sort()).toEqual([REPO_NAME, sha].sort());
    expect(ofPipeline!.map((c) => c.name).sort()).toEqual([REPO_NAME, sha].sort());
    const parents = await h.api.parentContexts([contexts.get(ds('model.pkl'))!.id, contexts.get(sha)!.id, contexts.get(REPO_NAME)!.id]);
    expect(parents.map((p) => p.map((c) => c.name))).toEqual([[REPO_NAME], [REPO_NAME], []]);

    expect(await upstream(artifacts.get(`${ds('model.pkl')}@${k1}`)!.id)).toEqual({
      [`${ds('model.pkl')}@${k1}`]: 0, [`${REPO_NAME}/train@run`]: 1, [`${ds('prepared.csv')}@${p1}`]: 2, [`${REPO_NAME}/prepare@run`]: 3, [`${ds('data.csv')}@${m1}`]: 4,
    });
  }, IMPORT_TEST_TIMEOUT);

  it('after a change and dvc repro, adds only the new versions and runs, keeps the old; the model reaches the new data; again: nothing', async () => {
    await importDvc(h.api, fx.first, { clock: h.clock });
    const before = await nodes(h.api, 'ARTIFACT');
    const second = await importDvc(h.api, fx.changedData, { clock: h.clock });
    expect(second.written).toEqual({ executions: 2, versions: 3, contexts: 1 });
    expect(await counts(h.api)).toEqual({ ARTIFACT: 6, EXECUTION: 4, CONTEXT: 6 });
    const after = await nodes(h.api, 'ARTIFACT');
    for (const [name, old] of before) expect(after.get(name), name).toEqual(old);

    const lock = lockOf(fx.changedData);
    const m2 = lock.prepare!.deps['data.csv']!;
    const p2 = lock.prepare!.outs['prepared.csv']!;
    const k2 = lock.train!.outs['model.pkl']!;
    expect(m2).not.toBe(lockOf(fx.first).prepare!.deps['data.csv']);
    expect(after.get(`${ds('data.csv')}@${m2}`)!.customProperties.versionTime).toBe(COMMIT_TIMES.changedData);
    const up = await upstream(after.get(`${ds('model.pkl')}@${k2}`)!.id);
    expect(up).toEqual({
      [`${ds('model.pkl')}@${k2}`]: 0, [`${REPO_NAME}/train@run`]: 1, [`${ds('prepared.csv')}@${p2}`]: 2, [`${REPO_NAME}/prepare@run`]: 3, [`${ds('data.csv')}@${m2}`]: 4,
    });
    // The old data version is not upstream of the new model.
    expect(Object.keys(up).filter((n) => n.startsWith(ds('data.csv')))).toEqual([`${ds('data.csv')}@${m2}`]);

    // The versions of data.csv, by versionTime: the first commit's, then the second's.
    const dataVersions = [...after.values()].filter((a) => a.customProperties.dataset === ds('data.csv'))
      .sort((a, b) => (a.customProperties.versionTime as number) - (b.customProperties.versionTime as number));
    expect(dataVersions.map((a) => a.customProperties.version)).toEqual([lockOf(fx.first).prepare!.deps['data.csv'], m2]);

    const again = await importDvc(h.api, fx.changedData, { clock: h.clock });
    expect(again.written).toEqual({ executions: 0, versions: 0, contexts: 0 });
    const old = await importDvc(h.api, fx.first, { clock: h.clock });
    expect(old.written).toEqual({ executions: 0, versions: 0, contexts: 0 });
    expect(await counts(h.api)).toEqual({ ARTIFACT: 6, EXECUTION: 4, CONTEXT: 6 });
    expect(await nodes(h.api, 'ARTIFACT')).toEqual(after);
  }, IMPORT_TEST_TIMEOUT);

  it('a params change reruns train alone: one new run and model version; the unchanged prepare run joins the new commit', async () => {
    await importDvc(h.api, fx.changedData, { clock: h.clock });
    const third = await importDvc(h.api, fx.changedParams, { clock: h.clock });
    expect(third.written).toEqual({ executions: 1, versions: 1, contexts: 1 });
    const executions = await nodes(h.api, 'EXECUTION');
    expect(runOf(executions, 'prepare')).toHaveLength(1);
    expect(runOf(executions, 'train').map((x) => x.customProperties['param:train.lr']).sort()).toEqual([0.01, 0.1]);
    const [prepareContexts] = await h.api.contextsOfNodes([runOf(executions, 'prepare')[0]!.id]);
    expect(prepareContexts!.map((c) => c.name).sort()).toEqual([REPO_NAME, headOf(fx.changedData), headOf(fx.changedParams)].sort());
  }, IMPORT_TEST_TIMEOUT);

  it('a directory in no Git repository, and --no-scm projects (a directory out among them), import without a commit context, dated by the import', async () => {
    h.clock.set(CLOCK_START + 5000);
    const noGit = await importDvc(h.api, fx.noGit, { clock: h.clock });
    expect(noGit).toMatchObject({ commit: null, written: { executions: 2, versions: 3, contexts: 4 } });
    expect(noGit.gitReason).toMatch(/^not a Git repository/);
    const noScm = await importDvc(h.api, fx.noScm, { clock: h.clock });
    expect(noScm).toMatchObject({ commit: null, gitReason: 'the DVC project was made with --no-scm', written: { executions: 1, versions: 2, contexts: 3 } });
    const shapes = await importDvc(h.api, fx.shapes, { clock: h.clock });
    expect(shapes.written).toEqual({ executions: 3, versions: 4, contexts: 5 });
    const dirVersion = [...(await nodes(h.api, 'ARTIFACT')).values()].find((a) => a.customProperties.dataset === 'shapes/sub/outdir')!;
    expect(dirVersion.customProperties).toMatchObject({ nfiles: 2, size: 4 });
    expect(dirVersion.name).toMatch(/^shapes\/sub\/outdir@[0-9a-f]{32}\.dir$/);
    const contexts = await nodes(h.api, 'CONTEXT');
    expect([...contexts.values()].filter((c) => c.typeName === 'dvc.Commit')).toEqual([]);
    for (const a of (await nodes(h.api, 'ARTIFACT')).values()) expect(a.customProperties.versionTime).toBe(CLOCK_START + 5000);
  }, IMPORT_TEST_TIMEOUT);

  it('two imports of one project at once write it once', async () => {
    const reports = await Promise.all([importDvc(h.api, fx.first, { clock: h.clock }), importDvc(h.api, fx.first, { clock: h.clock })]);
    expect(reports.map((r) => r.found)).toEqual([{ stages: 2, versions: 3, datasets: 3 }, { stages: 2, versions: 3, datasets: 3 }]);
    expect(await counts(h.api)).toEqual({ ARTIFACT: 3, EXECUTION: 2, CONTEXT: 5 });
    const events = await h.api.eventsByExecutions([...(await nodes(h.api, 'EXECUTION')).values()].map((x) => x.id));
    expect(events.map((e) => e.length)).toEqual([2, 2]);
  }, IMPORT_TEST_TIMEOUT);

  it('a malformed dvc.lock, and a project the store refuses midway, write nothing, types included', async () => {
    const project = path.join(dir, `refused-${backend.name}`, 'p');
    mkdirSync(project, { recursive: true });
    writeFileSync(path.join(project, 'dvc.yaml'), 'stages:\n  s:\n    cmd: x\n');
    writeFileSync(path.join(project, 'dvc.lock'), `schema: '2.0'\nstages:\n  s:\n    cmd: x\n    outs:\n    - path: o\n      md5: not-an-md5\n`);
    await expect(importDvc(h.api, project, { clock: h.clock })).rejects.toThrow(new DvcProjectError(
      `${project}/dvc.lock:7: stages.s.outs[0].md5: o needs an md5 of 32 hex digits (\`.dir\` for a directory), got "not-an-md5"`));
    expect(await counts(h.api)).toEqual({ ARTIFACT: 0, EXECUTION: 0, CONTEXT: 0 });
    expect((await h.api.listTypes('CONTEXT_TYPE')).map((t) => t.name)).not.toContain('dvc.Path');
    // A command longer than a string property holds (64 KiB) is refused by the service, after the types were put.
    writeFileSync(path.join(project, 'dvc.lock'), `schema: '2.0'\nstages:\n  s:\n    cmd: ${'x'.repeat(70_000)}\n    outs:\n    - path: o\n      md5: ${'a'.repeat(32)}\n`);
    await expect(importDvc(h.api, project, { clock: h.clock })).rejects.toThrow(/customProperties\.cmd/);
    expect(await counts(h.api)).toEqual({ ARTIFACT: 0, EXECUTION: 0, CONTEXT: 0 });
    expect((await h.api.listTypes('EXECUTION_TYPE')).map((t) => t.name)).not.toContain('dvc.Stage');
  }, IMPORT_TEST_TIMEOUT);

  it('makes the same number of store calls (transactions joined, and the queries in them) for 2 stages and for 60', async () => {
    const trips = async (stages: number): Promise<number> => {
      const project = path.join(dir, `chain-${backend.name}-${stages}`, `chain of ${stages}`);
      mkdirSync(project, { recursive: true });
      writeFileSync(path.join(project, 'dvc.yaml'), 'stages: {}\n');
      const md5 = (i: number) => `a${i.toString(16).padStart(31, '0')}`;
      const lock = [`schema: '2.0'`, 'stages:'];
      for (let i = 0; i < stages; i += 1) {
        lock.push(`  s${i}:`, `    cmd: step ${i}`, '    deps:', `    - path: f${i}`, `      md5: ${md5(i)}`, '    outs:', `    - path: f${i + 1}`, `      md5: ${md5(i + 1)}`);
      }
      writeFileSync(path.join(project, 'dvc.lock'), `${lock.join('\n')}\n`);
      const store = h.store;
      let calls = 0;
      // Every method a transaction is asked for is a query (SQLite) or a round trip (Neo4j).
      const counted = <T extends object>(tx: T): T => new Proxy(tx, {
        get(target, key, receiver) {
          const value = Reflect.get(target, key, receiver) as unknown;
          if (typeof value !== 'function') return value;
          return (...args: unknown[]) => { calls += 1; return (value as (...a: unknown[]) => unknown).apply(target, args); };
        },
      });
      const read = store.read.bind(store);
      const write = store.write.bind(store);
      store.read = (work) => { calls += 1; return read((tx) => work(counted(tx))); };
      store.write = (work) => { calls += 1; return write((tx) => work(counted(tx))); };
      try {
        const report = await importDvc(h.api, project, { clock: h.clock });
        expect(report.written).toEqual({ executions: stages, versions: stages + 1, contexts: stages + 2 });
      } finally {
        store.read = read;
        store.write = write;
      }
      return calls;
    };
    await trips(1); // puts the types, which later imports find
    const small = await trips(2);
    expect(small).toBeGreaterThan(10);
    expect(await trips(60)).toBe(small);
  }, IMPORT_TEST_TIMEOUT);
});

describe.skipIf(python === null)('what the DVC importer reads', () => {
  it("paths joined to the stage's wdir, a list of commands, a directory's md5 and file count, a foreach stage's items", async () => {
    const { readDvcProject } = await import('../../src/service/import/dvc-project.js');
    const project = await readDvcProject(fx.shapes);
    expect(project.name).toBe('shapes');
    expect(project.stages.map((s) => s.name)).toEqual(['copy', 'loop@1', 'loop@2']);
    const [copy, one] = project.stages;
    expect(copy).toMatchObject({ cmd: 'mkdir -p outdir\ncp ../data.csv outdir/a\ncp ../data.csv outdir/b', desc: null, params: {} });
    expect(copy!.deps).toEqual([{ path: 'data.csv', md5: createHash('md5').update('x\n').digest('hex'), size: 2, nfiles: null }]);
    expect(copy!.outs).toEqual([{ path: 'sub/outdir', md5: expect.stringMatching(/^[0-9a-f]{32}\.dir$/), size: 4, nfiles: 2 }]);
    expect(one).toMatchObject({ cmd: 'echo 1 > o1.txt', desc: 'one of two', deps: [], outs: [{ path: 'o1.txt', size: 2, nfiles: null }] });
  }, IMPORT_TEST_TIMEOUT);
});

describe.skipIf(python === null)("the commit an import is recorded under", () => {
  it('says when dvc.lock differs from HEAD (runs the commit does not hold), and gives the author without the email', async () => {
    const { prepareDvcImport } = await import('../../src/service/import/dvc-import.js');
    const clean = await prepareDvcImport(fx.first);
    expect(clean.git.commit).toEqual({ sha: headOf(fx.first), author: 'Ada Tester', message: 'first run\n\nprepare and train', time: COMMIT_TIMES.first, lockCommitted: true });
    const edited = path.join(dir, 'edited', REPO_NAME);
    cpSync(fx.first, edited, { recursive: true });
    appendFileSync(path.join(edited, 'dvc.lock'), '# edited after the commit\n');
    expect((await prepareDvcImport(edited)).git.commit?.lockCommitted).toBe(false);
  }, IMPORT_TEST_TIMEOUT);
});

describe.skipIf(python === null)('what the DVC importer refuses, naming the file and the line', () => {
  let project: string;
  beforeAll(() => {
    project = path.join(dir, 'malformed', 'p q ü');
    mkdirSync(project, { recursive: true });
  });
  const lockLines = () => readFileSync(path.join(fx.first, 'dvc.lock'), 'utf8').split('\n');
  const refusal = async (yaml: string | null, lock: string | null): Promise<string> => {
    rmSync(path.join(project, 'dvc.yaml'), { force: true });
    rmSync(path.join(project, 'dvc.lock'), { force: true });
    if (yaml !== null) writeFileSync(path.join(project, 'dvc.yaml'), yaml);
    if (lock !== null) writeFileSync(path.join(project, 'dvc.lock'), lock);
    const { readDvcProject } = await import('../../src/service/import/dvc-project.js');
    const err = await readDvcProject(project).then(() => null, (e: unknown) => e);
    expect(err).toBeInstanceOf(DvcProjectError);
    return (err as Error).message;
  };
  const yaml = () => readFileSync(path.join(fx.first, 'dvc.yaml'), 'utf8');

  it('no dvc.yaml, no dvc.lock', async () => {
    expect(await refusal(null, lockLines().join('\n'))).toBe(`${project}/dvc.yaml: no dvc.yaml: a DVC project has one at its root (is this the directory where \`dvc init\` ran?)`);
    expect(await refusal(yaml(), null)).toBe(`${project}/dvc.lock: no dvc.lock: nothing has run yet: run \`dvc repro\` first`);
  }, IMPORT_TEST_TIMEOUT);

  it('a YAML syntax error, a missing md5, a bad size, a wrong schema, stages that are no mapping', async () => {
    const lines = lockLines();
    const md5Line = lines.findIndex((l) => l.includes('md5:'));
    const broken = [...lines];
    broken[md5Line] = broken[md5Line]!.replace('md5:', 'md5: [unclosed');
    expect(await refusal(yaml(), broken.join('\n'))).toMatch(new RegExp(`^${escape(project)}/dvc\\.lock:${md5Line + 2}: not valid YAML: `));

    const noMd5 = lines.filter((_, i) => i !== md5Line);
    // The refusal points at the dep's first line, the `- path:` above the md5 that is gone.
    expect(await refusal(yaml(), noMd5.join('\n'))).toBe(
      `${project}/dvc.lock:${md5Line - 1}: stages.prepare.deps[0]: data.csv needs an md5 of 32 hex digits (\`.dir\` for a directory), got null`);

    const badSize = lines.map((l) => (l.includes('size:') ? l.replace(/size: \d+/, 'size: -4') : l));
    const sizeLine = lines.findIndex((l) => l.includes('size:')) + 1;
    expect(await refusal(yaml(), badSize.join('\n'))).toBe(`${project}/dvc.lock:${sizeLine}: stages.prepare.deps[0].size: size must be a whole number of bytes, got -4`);

    expect(await refusal(yaml(), lines.join('\n').replace("schema: '2.0'", "schema: '3.0'"))).toBe(`${project}/dvc.lock:1: schema: schema must be '2.0' (DVC 2 and 3), got "3.0"`);
    expect(await refusal(yaml(), "schema: '2.0'\nstages:\n- a\n")).toBe(`${project}/dvc.lock:3: stages: must be a mapping, got a list`);
    expect(await refusal(yaml(), "schema: '2.0'\nstages:\n  s:\n    cmd: 7\n")).toBe(`${project}/dvc.lock:4: stages.s.cmd: cmd must be a command or a list of commands`);
    // Aliases that expand a few lines into 9^5 nodes (a "billion laughs").
    const bomb = ['a: &a [x,x,x,x,x,x,x,x,x]', ...['b', 'c', 'd', 'e'].map((k, i) => `${k}: &${k} [${Array(9).fill(`*${'abcd'[i]}`).join(',')}]`)].join('\n');
    expect(await refusal(yaml(), `${bomb}\n`)).toBe(`${project}/dvc.lock:1: cannot be read: Excessive alias count indicates a resource exhaustion attack`);
  }, IMPORT_TEST_TIMEOUT);
});

describe.skipIf(python === null).each(BACKENDS)('journey import dvc, as a process ($name)', (backend) => {
  const h = useService(backend);
  const target = path.join(dir, `cli-${backend.name}.sqlite`);
  const env: Record<string, string> = backend.name === 'neo4j'
    ? { JOURNEY_BACKEND: 'neo4j', NEO4J_URI: process.env.NEO4J_URI! }
    : { JOURNEY_BACKEND: 'sqlite', JOURNEY_SQLITE_PATH: target };

  it('imports, re-imports nothing, refuses a missing project naming the file, and says what would be new with --dry-run', async () => {
    const dry = await journey(['import', 'dvc', fx.first, '--dry-run'], env);
    expect(dry.code, dry.stderr).toBe(0);
    expect(dry.stdout).toContain('would import');
    expect(dry.stdout).toContain('2 runs, 3 versions, 5 contexts new');
    const first = await journey(['import', 'dvc', fx.first], env);
    expect(first.code, first.stderr).toBe(0);
    expect(first.stdout).toContain(`commit ${headOf(fx.first)}`);
    expect(first.stdout).toContain(`as pipeline ${JSON.stringify(REPO_NAME)}`);
    expect(first.stdout).toContain('2 stage runs, 3 file versions of 3 paths; 2 runs, 3 versions, 5 contexts new');
    const again = await journey(['import', 'dvc', fx.first], env);
    expect(again.stdout).toContain('0 runs, 0 versions, 0 contexts new');
    if (backend.name === 'neo4j') expect(await counts(h.api)).toEqual({ ARTIFACT: 3, EXECUTION: 2, CONTEXT: 5 });

    const missing = path.join(dir, 'nothing here');
    const refused = await journey(['import', 'dvc', missing], env);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain(`journey: ${missing}/dvc.yaml: no dvc.yaml`);
    const usage = await journey(['import', 'dvc'], env);
    expect(usage.code).toBe(2);
    expect(usage.stderr).toContain('journey: import dvc takes one project directory, got 0');
  }, IMPORT_TEST_TIMEOUT);
});

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

function journey(args: string[], env: Record<string, string>): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const child = spawn(process.execPath, [path.join(ROOT, 'bin/journey.js'), ...args], { cwd: dir, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (c: Buffer) => { stdout += c.toString(); });
  child.stderr.on('data', (c: Buffer) => { stderr += c.toString(); });
  return new Promise((resolve) => child.once('exit', (code) => resolve({ code, stdout, stderr })));
}
