/**
 * What the API tests share: a real HTTP server on a free port over a given service, a
 * GraphQL client that goes through fetch, captured log lines, and a store wrapper that
 * counts the calls reaching the backend.
 */
import type { DestinationStream } from 'pino';
import type { GraphStore, StoreTx } from '../../src/graph/store.js';
import { startServer, type RunningServer, type ServeOptions } from '../../src/server/create-server.js';
import { createLogger } from '../../src/server/logging.js';
import type { MetadataApi } from '../../src/service/metadata/metadata-service.js';

export interface GqlError {
  message: string;
  path?: (string | number)[];
  extensions?: { code?: string; field?: string; [key: string]: unknown };
}

export interface GqlResponse<T = Record<string, any>> {
  status: number;
  headers: Headers;
  data: T | null | undefined;
  errors: GqlError[] | undefined;
  /** The raw body, for checks that nothing leaked anywhere in it. */
  text: string;
}

/** Log lines written by the server under test, parsed. */
export class LogCapture implements DestinationStream {
  private readonly raw: string[] = [];
  write(line: string): void {
    this.raw.push(line);
  }
  lines(): Record<string, any>[] {
    return this.raw.map((l) => JSON.parse(l) as Record<string, any>);
  }
  text(): string {
    return this.raw.join('');
  }
  /** The operation lines (one per GraphQL operation). */
  operations(): Record<string, any>[] {
    return this.lines().filter((l) => l.msg === 'graphql operation');
  }
}

export interface TestServer {
  readonly server: RunningServer;
  readonly url: string;
  /** The server's origin, e.g. http://127.0.0.1:41234. */
  readonly origin: string;
  readonly logs: LogCapture;
  /** POSTs one operation as JSON. */
  gql<T = Record<string, any>>(query: string, variables?: Record<string, unknown>, headers?: Record<string, string>): Promise<GqlResponse<T>>;
  /** POSTs one operation and returns its data, failing on any error. */
  data<T = Record<string, any>>(query: string, variables?: Record<string, unknown>): Promise<T>;
  close(): Promise<void>;
}

/** Serves `api` over HTTP on 127.0.0.1 and a free port with any server `options`, logging into a capture. */
export async function startTestServer(api: MetadataApi, options: Partial<ServeOptions> = {}): Promise<TestServer> {
  const logs = new LogCapture();
  const server = await startServer({ api, logger: createLogger({ level: 'debug', destination: logs }), host: '127.0.0.1', port: 0, ...options });
  const gql = async <T>(query: string, variables?: Record<string, unknown>, headers: Record<string, string> = {}): Promise<GqlResponse<T>> => {
    const response = await fetch(server.url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', accept: 'application/json', ...headers },
      body: JSON.stringify({ query, variables }),
    });
    const text = await response.text();
    const body = JSON.parse(text) as { data?: T | null; errors?: GqlError[] };
    return { status: response.status, headers: response.headers, data: body.data, errors: body.errors, text };
  };
  return {
    server,
    url: server.url,
    origin: new URL(server.url).origin,
    logs,
    gql,
    async data<T>(query: string, variables?: Record<string, unknown>): Promise<T> {
      const res = await gql<T>(query, variables);
      if (res.errors) throw new Error(`unexpected GraphQL errors: ${JSON.stringify(res.errors)}`);
      return res.data as T;
    },
    close: () => server.close(),
  };
}

/** The one error of a response, failing when there is not exactly one. */
export function onlyError(res: GqlResponse): GqlError {
  if (res.errors?.length !== 1) throw new Error(`expected one error, got ${JSON.stringify(res.errors)}`);
  return res.errors[0]!;
}

/** A GraphStore that passes everything through, recording each StoreTx method called. */
export interface CountingStore {
  store: GraphStore;
  /** The StoreTx method names called since the last reset, in order. */
  calls: string[];
  reset(): void;
  /** How many times each method was called since the last reset. */
  tally(): Record<string, number>;
  /** Read transactions (GraphStore.read) opened since the last reset: on SQLite with reader threads, each is a hand-off to a thread. */
  reads(): number;
}

/** Wraps `inner` so every StoreTx call (one backend round trip each) is recorded. */
export function countingStore(inner: GraphStore): CountingStore {
  const calls: string[] = [];
  let reads = 0;
  const countTx = (tx: StoreTx): StoreTx => new Proxy(tx, {
    get(target, prop, receiver) {
      const value = Reflect.get(target, prop, receiver) as unknown;
      if (typeof value !== 'function') return value;
      return (...args: unknown[]) => {
        calls.push(String(prop));
        return (value as (...a: unknown[]) => unknown).apply(target, args);
      };
    },
  });
  const store: GraphStore = {
    get backend() { return inner.backend; },
    init: () => inner.init(),
    read: (work) => {
      reads += 1;
      return inner.read((tx) => work(countTx(tx)));
    },
    write: (work) => inner.write((tx) => work(countTx(tx))),
    // The reads and writes within join the inner store's shared transaction through this wrapper's read and write.
    inOneTransaction: (work) => inner.inOneTransaction(work),
    ping: () => inner.ping(),
    close: () => inner.close(),
  };
  return {
    store,
    calls,
    reset: () => { calls.length = 0; reads = 0; },
    tally: () => calls.reduce<Record<string, number>>((t, c) => ({ ...t, [c]: (t[c] ?? 0) + 1 }), {}),
    reads: () => reads,
  };
}

/**
 * The types most API tests build on, put through the API itself:
 *   artifact types  DataSet {rows: INT, split: STRING}, Model {config: STRUCT, lr: DOUBLE, tuned: BOOLEAN}
 *   execution type  Trainer {epochs: INT}
 *   context types   Pipeline, Run
 */
export async function putCommonTypes(t: TestServer): Promise<void> {
  await t.data(`mutation CommonTypes {
    dataSet: putArtifactType(input: { name: "DataSet", baseType: DATASET,
      properties: [{ name: "split", type: STRING }, { name: "rows", type: INT }] }) { id }
    model: putArtifactType(input: { name: "Model", baseType: MODEL,
      properties: [{ name: "lr", type: DOUBLE }, { name: "config", type: STRUCT }, { name: "tuned", type: BOOLEAN }] }) { id }
    trainer: putExecutionType(input: { name: "Trainer", baseType: TRAIN, properties: [{ name: "epochs", type: INT }] }) { id }
    pipeline: putContextType(input: { name: "Pipeline" }) { id }
    run: putContextType(input: { name: "Run" }) { id }
  }`);
}

/** What a failing store throws, per StoreTx method (or `ping`). */
export type Faults = Partial<Record<keyof StoreTx | 'ping', () => unknown>>;

/** Wraps `inner` so the methods named in `faults` throw what their function returns, and the rest pass through. */
export function failingStore(inner: GraphStore, faults: Faults): GraphStore {
  const failTx = (tx: StoreTx): StoreTx => new Proxy(tx, {
    get(target, prop, receiver) {
      const fault = faults[prop as keyof Faults];
      if (fault) return async () => { throw fault(); };
      const value = Reflect.get(target, prop, receiver) as unknown;
      return typeof value === 'function' ? (value as (...a: unknown[]) => unknown).bind(target) : value;
    },
  });
  return {
    get backend() { return inner.backend; },
    init: () => inner.init(),
    read: (work) => inner.read((tx) => work(failTx(tx))),
    write: (work) => inner.write((tx) => work(failTx(tx))),
    inOneTransaction: (work) => inner.inOneTransaction(work),
    ping: async () => {
      if (faults.ping) throw faults.ping();
      return inner.ping();
    },
    close: () => inner.close(),
  };
}
