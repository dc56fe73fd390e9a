/**
 * Server configuration, read from the environment in one place (documented in README.md).
 */
import path from 'node:path';

export interface Config {
  backend: 'sqlite' | 'neo4j';
  /** File of the embedded SQLite backend; ':memory:' keeps nothing. */
  sqlitePath: string;
  neo4j: { uri: string; user: string; password: string };
  host: string;
  port: number;
  logLevel: string;
}

/** Reads the configuration; throws an Error naming the variable when a value is unusable. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const backend = env.JOURNEY_BACKEND ?? 'sqlite';
  if (backend !== 'sqlite' && backend !== 'neo4j') {
    throw new Error(`JOURNEY_BACKEND must be sqlite or neo4j, got ${JSON.stringify(backend)}`);
  }
  const portText = env.JOURNEY_PORT ?? '4000';
  const port = Number(portText);
  if (!/^\d+$/.test(portText) || port > 65535) {
    throw new Error(`JOURNEY_PORT must be an integer from 0 to 65535, got ${JSON.stringify(portText)}`);
  }
  return {
    backend,
    sqlitePath: env.JOURNEY_SQLITE_PATH ?? path.join('data', 'journey.sqlite'),
    neo4j: {
      uri: env.NEO4J_URI ?? 'bolt://127.0.0.1:7687',
      user: env.NEO4J_USER ?? 'neo4j',
      password: env.NEO4J_PASSWORD ?? '',
    },
    host: env.JOURNEY_HOST ?? '127.0.0.1',
    port,
    logLevel: env.JOURNEY_LOG_LEVEL ?? 'info',
  };
}
