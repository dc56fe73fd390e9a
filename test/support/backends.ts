/**
 * The backends every conformance test runs against (STYLE.md habit 11), and a vitest
 * helper that gives each test a MetadataApi over an empty store and a clock it controls.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, beforeEach } from 'vitest';
import type { BackendName, GraphStore } from '../../src/graph/store.js';
import type { MetadataApi, ServiceClock } from '../../src/service/metadata/metadata-service.js';
import { createServices } from '../../src/service/services.js';
import { NEO4J_ABSENT_ANNOUNCED } from './requirements.js';
import { emptySqliteFile } from './sqlite-empty.js';

export interface Backend {
  name: BackendName;
  /** Opens a store with its tables or constraints in place. */
  open(): Promise<GraphStore>;
}

interface BackendLifecycle extends Backend {
  /**
   * Empties an open store, so that one store serves a whole test file: Neo4j has a single
   * user database, and a SQLite file store's reader threads are slow to start.
   */
  clear(store: GraphStore): Promise<void>;
}

/** Reader threads of the test stores: two, so reads overlap even on a one-CPU machine. */
const TEST_SQLITE_READERS = 2;

/**
 * A SQLite store in a temporary file, so reads take the path a deployment's take: reader
 * threads with their own connections (a ':memory:' store reads in this thread). Like
 * Neo4j's, one store serves a test file and is emptied before each test: a reader thread
 * takes far longer to start than a test takes to run. The file goes when the store closes.
 */
const sqlite: BackendLifecycle = {
  name: 'sqlite',
  async open() {
    // Imported lazily, like src/graph/open-store.ts, so one backend's absence cannot stop the other.
    const { createSqliteStore } = await import('../../src/graph/sqlite/index.js');
    const folder = mkdtempSync(join(tmpdir(), 'journey-test-'));
    const path = join(folder, 'store.sqlite');
    const store = await createSqliteStore({ path, readers: TEST_SQLITE_READERS });
    await store.init();
    const close = store.close.bind(store);
    store.close = async () => {
      await close();
      rmSync(folder, { recursive: true, force: true });
    };
    sqlitePaths.set(store, path);
    return store;
  },
  async clear(store) {
    const path = sqlitePaths.get(store);
    if (path === undefined) throw new Error('clear: not a store this backend opened');
    emptySqliteFile(path);
    await store.init();
  },
};

const sqlitePaths = new WeakMap<GraphStore, string>();

function neo4jAt(uri: string): BackendLifecycle {
  return {
    name: 'neo4j',
    async open() {
      const { createNeo4jStore } = await import('../../src/graph/neo4j/index.js');
      const { clearNeo4jDatabase } = await import('./neo4j-database.js');
      const store = await createNeo4jStore({ uri });
      // The file before may have left records and no :SchemaVersion (clear deletes it), so
      // init would run every step over them, and version 3's :Node(mlmdId) uniqueness fails
      // on ids that are unique per kind only. Empty first; each test empties again anyway.
      await clearNeo4jDatabase(store);
      await store.init();
      return store;
    },
    async clear(store) {
      const { clearNeo4jDatabase } = await import('./neo4j-database.js');
      await clearNeo4jDatabase(store);
    },
  };
}

function selectBackends(env: NodeJS.ProcessEnv): BackendLifecycle[] {
  const uri = env.NEO4J_URI;
  if (uri) return [sqlite, neo4jAt(uri)];
  // CI must prove both backends; a silent SQLite-only pass there would hide Neo4j regressions.
  if (env.CI === 'true') {
    throw new Error('NEO4J_URI is unset in CI: the conformance suite must run against Neo4j as well as SQLite');
  }
  // The global setup has said it once for the whole run; one line per test file would bury it.
  if (env[NEO4J_ABSENT_ANNOUNCED] === 'true') return [sqlite];
  console.warn(
    '\n*** NEO4J_URI is unset: the conformance suite runs on SQLite ONLY. ***\n' +
      '*** Run through vitest.config.ts (its global setup starts Neo4j) or export NEO4J_URI. ***\n',
  );
  return [sqlite];
}

const LIFECYCLES = selectBackends(process.env);

/** Every backend under test: SQLite always, Neo4j whenever NEO4J_URI is set. */
export const BACKENDS: Backend[] = LIFECYCLES;

/**
 * Empties `store` (opened by `backend`) as a test's beforeEach does: for a test that needs
 * an empty store several times, such as the random differential's one per seed.
 */
export function emptyStore(backend: Backend, store: GraphStore): Promise<void> {
  return (backend as BackendLifecycle).clear(store);
}

/** The start of every test's fake clock: 2023-11-14T22:13:20Z, far from any edge. */
export const CLOCK_START = 1_700_000_000_000;

/** A clock that moves only when a test moves it, so times are computed by hand. */
export class FakeClock implements ServiceClock {
  private ms = CLOCK_START;
  now(): number {
    return this.ms;
  }
  /** Sets the time to `ms` milliseconds since the epoch. */
  set(ms: number): void {
    this.ms = ms;
  }
  /** Moves the time forward by `ms` (default 1). */
  advance(ms = 1): void {
    this.ms += ms;
  }
}

/** What a conformance test works with; valid inside a test or a hook only. */
export interface ServiceHandle {
  readonly api: MetadataApi;
  readonly store: GraphStore;
  readonly clock: FakeClock;
}

/**
 * Registers vitest hooks that, before each test, give it an empty store of `backend`
 * and a service over it whose clock starts at CLOCK_START, composed as deployed (with
 * personal data over its writes: src/service/services.ts). Call inside a describe block.
 */
export function useService(backend: Backend): ServiceHandle {
  const lifecycle = backend as BackendLifecycle;
  let store: GraphStore | undefined;
  let api: MetadataApi | undefined;
  let clock = new FakeClock();

  beforeAll(async () => {
    store = await lifecycle.open();
  });
  beforeEach(async () => {
    await lifecycle.clear(required(store));
    clock = new FakeClock();
    api = createServices(required(store), { clock }).metadata;
  });
  afterAll(async () => {
    await store?.close();
    store = undefined;
  });

  return {
    get api() {
      return required(api);
    },
    get store() {
      return required(store);
    },
    get clock() {
      return clock;
    },
  };
}

function required<T>(value: T | undefined): T {
  if (value === undefined) throw new Error('useService: use the handle inside a test or hook');
  return value;
}

/** The backend called `name` when it is under test, else undefined (Neo4j without NEO4J_URI outside CI). */
export function backendNamed(name: 'sqlite' | 'neo4j'): Backend | undefined {
  return BACKENDS.find((b) => b.name === name);
}
