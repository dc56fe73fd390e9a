/**
 * The gRPC tests' server: Data Journey's gRPC face over a test's service, on a free
 * loopback port, with a logger whose lines the test can read; and the Python runner.
 */
import { execFile } from 'node:child_process';
import path from 'node:path';
import { Writable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import type { GrpcTlsFiles } from '../../src/config.js';
import { createLogger } from '../../src/server/logging.js';
import { startGrpcServer, type RunningGrpcServer } from '../../src/server/grpc/grpc-server.js';
import { createApiKeyService, type ApiKeyApi } from '../../src/service/keys/api-keys.js';
import { createLineageService } from '../../src/service/lineage/lineage-service.js';
import type { MetadataApi } from '../../src/service/metadata/metadata-service.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const run = promisify(execFile);

export interface GrpcUnderTest {
  server: RunningGrpcServer;
  keys: ApiKeyApi;
  /** The log lines written so far, parsed. */
  lines: Record<string, unknown>[];
}

/** Starts the gRPC face over `api` on 127.0.0.1 and a free port; open local mode unless a key exists; TLS when `tls` is given. */
export async function startGrpcUnderTest(
  api: MetadataApi, options: { rateLimit?: { perSecond: number; burst: number }; tls?: GrpcTlsFiles } = {},
): Promise<GrpcUnderTest> {
  const lines: Record<string, unknown>[] = [];
  const destination = new Writable({
    write(chunk: Buffer, _encoding, done) {
      for (const line of chunk.toString('utf8').split('\n')) if (line.trim() !== '') lines.push(JSON.parse(line) as Record<string, unknown>);
      done();
    },
  });
  const logger = createLogger({ level: 'info', destination });
  const keys = createApiKeyService(api.store);
  const server = await startGrpcServer({
    api, lineage: createLineageService(api.store), keys, logger, host: '127.0.0.1', port: 0,
    openLocalMode: !(await keys.anyExist()), rateLimit: options.rateLimit ?? { perSecond: 0, burst: 1 },
    maxReceiveBytes: 4 << 20, maxSendBytes: 64 << 20, tls: options.tls ?? null,
  });
  return { server, keys, lines };
}

/**
 * Runs test/grpc/python/`script` with `args` and any further `env`; its stdout parsed as
 * JSON. Asynchronous: the server answers from this process.
 */
export async function runPython<T>(python: string, script: string, args: readonly string[], env: Record<string, string> = {}): Promise<T> {
  const { stdout } = await run(python, [path.join(here, 'python', script), ...args], { maxBuffer: 64 << 20, env: { ...process.env, GRPC_VERBOSITY: 'ERROR', TF_CPP_MIN_LOG_LEVEL: '3', ...env } });
  return JSON.parse(stdout) as T;
}
