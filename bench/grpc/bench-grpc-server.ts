/**
 * The gRPC process of the benchmark: Data Journey's gRPC face (ML Metadata's
 * MetadataStoreService, src/server/grpc/grpc-server.ts) over a store, in a process of its
 * own, as `journey` serves it, so the client, the harness and the server do not share an
 * event loop. Configured as bench/http/bench-server.ts (BENCH_BACKEND, BENCH_SQLITE_PATH,
 * BENCH_NEO4J_URI); open local mode on loopback (the store holds no key), no per-caller
 * rate limit (it would be what is measured), logs at `warn` (a line per call would cost
 * the figures). Prints `BENCH SERVER READY <host:port>`.
 */
import { openStore } from '../../src/graph/open-store.js';
import { startGrpcServer } from '../../src/server/grpc/grpc-server.js';
import { createLogger } from '../../src/server/logging.js';
import { createApiKeyService } from '../../src/service/keys/api-keys.js';
import { createLineageService } from '../../src/service/lineage/lineage-service.js';
import { createServices } from '../../src/service/services.js';
import { benchStoreConfig } from '../http/bench-server-config.js';

/** Bulk puts and whole-graph lineage answers at 1m are larger than the server's defaults for callers on the network. */
const MAX_MESSAGE_BYTES = 256 << 20;

const store = await openStore(benchStoreConfig(process.env));
const api = createServices(store).metadata;
const keys = createApiKeyService(store);
const server = await startGrpcServer({
  api, lineage: createLineageService(store), keys, logger: createLogger({ level: 'warn' }),
  host: '127.0.0.1', port: 0, openLocalMode: !(await keys.anyExist()),
  rateLimit: { perSecond: 0, burst: 1 }, maxReceiveBytes: MAX_MESSAGE_BYTES, maxSendBytes: MAX_MESSAGE_BYTES,
});
process.stdout.write(`BENCH SERVER READY ${server.address}\n`);
process.once('SIGTERM', () => {
  void server.close().then(() => store.close()).then(() => process.exit(0));
});
