/**
 * Vitest global setup: gives the suite a real Neo4j. When NEO4J_URI is set, that one is
 * used as it is. Otherwise a Neo4j is started from scripts/neo4j on a free port with a
 * throw-away data folder, and stopped after the run. With CI=true a Neo4j that cannot
 * start fails the run: the Neo4j half of the suite must run in CI.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
// @ts-expect-error a plain .mjs script with no type declarations
import { freePort, hasJava, start } from '../../scripts/neo4j/neo4j.mjs';
import { NEO4J_ABSENT_ANNOUNCED } from './requirements.js';

export default async function setup(): Promise<(() => Promise<void>) | void> {
  if (process.env.NEO4J_URI) return;
  const inCi = process.env.CI === 'true';
  if (!hasJava()) {
    if (inCi) throw new Error('CI=true but java is not on PATH: the Neo4j half of the suite cannot run');
    console.warn('\n*** No java on PATH: Neo4j is not started; the Neo4j half of the suite is SKIPPED and ONLY THE SQLITE HALF runs. ***\n');
    process.env[NEO4J_ABSENT_ANNOUNCED] = 'true';
    return;
  }
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'journey-neo4j-test-'));
  const port: number = await freePort();
  try {
    const neo = await start({ port, dataDir, heap: '1g', pageCache: '256m' });
    process.env.NEO4J_URI = neo.uri;
    console.log(`[neo4j] test instance ready on ${neo.uri} in ${neo.startupMs} ms`);
    return async () => {
      await neo.stop();
      fs.rmSync(dataDir, { recursive: true, force: true });
    };
  } catch (error) {
    fs.rmSync(dataDir, { recursive: true, force: true });
    if (inCi) throw error;
    console.warn(`\n*** Neo4j could not start (${(error as Error).message}): the Neo4j half is SKIPPED and ONLY THE SQLITE HALF of the suite runs. ***\n`);
    process.env[NEO4J_ABSENT_ANNOUNCED] = 'true';
  }
}
