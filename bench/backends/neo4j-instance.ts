/**
 * A Neo4j of the benchmark's own: a fresh data folder per workload, on a free loopback
 * port, started through scripts/neo4j (the project's embedded launcher) with the heap
 * and page cache sized for the graph.
 */
// @ts-expect-error a plain .mjs script with no type declarations
import { freePort, hasJava, start } from '../../scripts/neo4j/neo4j.mjs';

export interface Neo4jInstance {
  uri: string;
  pid: number;
  dataDir: string;
  startupMs: number;
  stop(): Promise<void>;
}

export interface Neo4jSizing {
  heap: string;
  pageCache: string;
}

/** Heap and page cache by graph size: the defaults of scripts/neo4j are for tests, too small for a million nodes. */
export function neo4jSizing(nodes: number): Neo4jSizing {
  if (nodes >= 500_000) return { heap: '4g', pageCache: '4g' };
  if (nodes >= 50_000) return { heap: '2g', pageCache: '1g' };
  return { heap: '1g', pageCache: '512m' };
}

export const javaAvailable = (): boolean => hasJava() as boolean;

/** Starts Neo4j with its data in `dataDir` (which should be empty). */
export async function startNeo4j(dataDir: string, sizing: Neo4jSizing): Promise<Neo4jInstance> {
  const port = (await freePort()) as number;
  const neo = (await start({ port, dataDir, heap: sizing.heap, pageCache: sizing.pageCache })) as {
    uri: string; pid: number; startupMs: number; stop(): Promise<void>;
  };
  // The launcher's stop() waits for an exit event that a process killed by a signal has
  // already sent, so a second call would never resolve: remember the first.
  let stopping: Promise<void> | undefined;
  return { uri: neo.uri, pid: neo.pid, dataDir, startupMs: neo.startupMs, stop: () => (stopping ??= neo.stop()) };
}
