/**
 * `journey export`, `journey import jsonl` and `journey migrate` (src/service/transfer/):
 * the whole store to a JSON Lines file (gzip when its name ends .gz) or stdout, such a
 * file into an empty store of either backend, and one straight into the other backend
 * (export piped into import in-process, nothing on disk). Progress goes to stderr, as a
 * bar on a terminal only; stdout carries the export or the summary.
 */
import { createReadStream, createWriteStream, existsSync } from 'node:fs';
import { open, rename, rm } from 'node:fs/promises';
import path from 'node:path';
import { Readable, type Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { parseArgs } from 'node:util';
import { createGunzip, createGzip } from 'node:zlib';
import cliProgress from 'cli-progress';
import type { Config } from '../config.js';
import { openStore, type StoreConfig } from '../graph/open-store.js';
import type { BackendName, GraphStore } from '../graph/store.js';
import { RECORD_ORDER, type RecordCounts } from '../service/transfer/export-format.js';
import { numberedLines } from '../service/transfer/export-lines.js';
import { exportText } from '../service/transfer/store-export.js';
import { checkExportFile, importRecords, storeContents, type ImportSummary } from '../service/transfer/store-import.js';
import { UsageError } from './keys-command.js';

export { TRANSFER_USAGE } from './store-usage.js';

/** How the CLI opens the configured store (main.ts: it says on stderr which one). */
export type OpenConfigured = (use: 'existing' | 'create') => Promise<GraphStore>;

/** A bar on stderr when it is a terminal; nothing otherwise (a log file would fill with redraws). */
function progressBar(label: string): { start(total: number): void; tick(n: number): void; stop(): void } {
  if (!process.stderr.isTTY) return { start() {}, tick() {}, stop() {} };
  const bar = new cliProgress.SingleBar({
    stream: process.stderr, hideCursor: true, etaBuffer: 50, format: `${label} |{bar}| {value}/{total} {unit} {eta_formatted}`,
  }, cliProgress.Presets.shades_classic);
  return {
    start: (total) => bar.start(total, 0, { unit: label === 'export' ? 'node pages' : 'records' }),
    tick: (n) => bar.increment(n),
    stop: () => bar.stop(),
  };
}

/** Records by kind in the format's order, named as the format names them: `2 type, 3 node, 2 event`. */
const describeCounts = (counts: RecordCounts): string =>
  RECORD_ORDER.filter((k) => (counts[k] ?? 0) > 0).map((k) => `${counts[k]} ${k}`).join(', ');

function parse(args: readonly string[], options: Record<string, { type: 'string' }>): { positionals: string[]; values: Record<string, string | undefined> } {
  try {
    const { positionals, values } = parseArgs({ args: [...args], allowPositionals: true, options });
    return { positionals, values: values as Record<string, string | undefined> };
  } catch (err) {
    throw new UsageError((err as Error).message);
  }
}

/** `journey export [--out FILE]`: the configured store as an export. */
export async function runExportCommand(args: readonly string[], openConfigured: OpenConfigured, print: (line: string) => void): Promise<void> {
  const { positionals, values } = parse(args, { out: { type: 'string' } });
  if (positionals.length > 0) throw new UsageError(`export takes no file name but --out FILE, got ${JSON.stringify(positionals[0])}`);
  const out = values.out === undefined ? null : path.resolve(values.out);
  const store = await openConfigured('existing');
  const bar = progressBar('export');
  const partial = out === null ? null : `${out}.partial`;
  try {
    let nodes = 0;
    const text = exportText(store, {
      onHeader: (h) => bar.start(2 * (h.nodes.artifacts + h.nodes.executions + h.nodes.contexts)),
      onNodes: (n) => { nodes += n; bar.tick(n); },
    });
    const sink: Writable = partial === null ? process.stdout : createWriteStream(partial);
    // pipeline waits on the sink's back-pressure: the store is read no faster than the disk (or the reader of stdout) takes it.
    // stdout is left open (end: false): the process still writes to it.
    const end = partial !== null;
    if (out !== null && out.endsWith('.gz')) await pipeline(Readable.from(text), createGzip(), sink, { end });
    else await pipeline(Readable.from(text), sink, { end });
    bar.stop();
    if (partial !== null && out !== null) {
      await rename(partial, out);
      print(`journey: exported ${nodes / 2} nodes from the ${store.backend} store to ${out}`);
    }
  } catch (error) {
    bar.stop();
    if (partial !== null) await rm(partial, { force: true });
    throw error;
  } finally {
    await store.close();
  }
}

/** The file's bytes, gunzipped when they start with gzip's magic number (whatever the name). */
async function fileBytes(file: string): Promise<Readable> {
  const handle = await open(file, 'r').catch((error: NodeJS.ErrnoException) => {
    throw new Error(`cannot read ${file}: ${error.code ?? error.message}`);
  });
  const head = Buffer.alloc(2);
  const { bytesRead } = await handle.read(head, 0, 2, 0);
  await handle.close();
  const raw = createReadStream(file);
  if (bytesRead === 2 && head[0] === 0x1f && head[1] === 0x8b) {
    const gunzip = createGunzip();
    raw.on('error', (e) => gunzip.destroy(e));
    return raw.pipe(gunzip);
  }
  return raw;
}

/** What to open as the import's target, and what to do with it when the import ends. */
interface Target {
  config: StoreConfig;
  /** Where the store lives, for messages. */
  where: string;
  /** A new SQLite file is written under a temporary name: moved into place on success, removed on failure. */
  temporary: { file: string; final: string } | null;
}

/** The target store of `backend` with the server's settings (the same variables the server reads). */
function targetOf(backend: BackendName, config: Config): Target {
  if (backend === 'neo4j') return { config: { backend: 'neo4j', ...config.neo4j }, where: `the Neo4j store at ${config.neo4j.uri}`, temporary: null };
  if (config.sqlitePath === ':memory:') throw new UsageError('JOURNEY_SQLITE_PATH=:memory: keeps nothing: an import needs a file');
  const final = path.resolve(config.sqlitePath);
  if (existsSync(final)) return { config: { backend: 'sqlite', sqlitePath: final }, where: `the SQLite store at ${final}`, temporary: null };
  const file = `${final}.importing`;
  return { config: { backend: 'sqlite', sqlitePath: file }, where: `the SQLite store at ${final}`, temporary: { file, final } };
}

const SQLITE_SIDE_FILES = ['', '-wal', '-shm', '-journal'];

/**
 * Opens `target`, checks it is empty, runs `work` on it and closes it; on a failure after
 * the first write, says what is left and how to clear it.
 */
async function intoTarget(target: Target, work: (store: GraphStore) => Promise<ImportSummary>): Promise<ImportSummary> {
  if (target.temporary) for (const side of SQLITE_SIDE_FILES) await rm(target.temporary.file + side, { force: true });
  console.error(`journey: importing into ${target.where}${target.temporary ? ` (written as ${target.temporary.file} until complete)` : ''}`);
  const store = await openStore(target.config, () => undefined);
  let summary: ImportSummary;
  try {
    const held = await storeContents(store);
    if (held.length > 0) throw new Error(`${target.where} is not empty (it holds ${held.join(', ')}): an import writes only into an empty store, so that every id stays as exported`);
    try {
      summary = await work(store);
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      const left = target.temporary
        ? 'nothing was written (the temporary file is removed)'
        : target.config.backend === 'sqlite'
          ? `the store may hold part of the import: delete ${target.config.sqlitePath} (and its -wal and -shm files) before importing again`
          : 'the database may hold part of the import: empty it (a local one: npm run neo4j:reset) before importing again';
      throw new Error(`${message}\njourney: the import stopped; ${left}`, { cause: error });
    }
  } catch (error) {
    await store.close();
    if (target.temporary) for (const side of SQLITE_SIDE_FILES) await rm(target.temporary.file + side, { force: true });
    throw error;
  }
  await store.close();
  if (target.temporary) await rename(target.temporary.file, target.temporary.final);
  return summary;
}

/** `journey import jsonl FILE`: checks the whole file, then imports it into the configured (empty) store. */
export async function runImportJsonlCommand(args: readonly string[], config: Config, print: (line: string) => void): Promise<void> {
  const { positionals } = parse(args, {});
  if (positionals.length !== 1) throw new UsageError(`import jsonl takes one export file, got ${positionals.length}`);
  const file = path.resolve(positionals[0]!);
  // Read through once before anything is written: a damaged, cut-short or foreign file is refused with nothing to clear.
  const checked = await checkExportFile(numberedLines(await fileBytes(file)));
  const total = Object.values(checked.counts).reduce((a, b) => a + b, 0);
  const bar = progressBar('import');
  const summary = await intoTarget(targetOf(config.backend, config), async (store) => {
    bar.start(total);
    try {
      return await importRecords(store, numberedLines(await fileBytes(file)), { onProgress: (n) => bar.tick(n) });
    } finally {
      bar.stop();
    }
  });
  print(`journey: imported ${describeCounts(summary.counts)} from ${file} (exported from ${checked.header.backend} at ${checked.header.exportedAt})`);
}

/** `journey migrate --to neo4j|sqlite`: the configured store exported straight into the other backend. */
export async function runMigrateCommand(args: readonly string[], config: Config, openConfigured: OpenConfigured, print: (line: string) => void): Promise<void> {
  const { positionals, values } = parse(args, { to: { type: 'string' } });
  if (positionals.length > 0) throw new UsageError(`migrate takes --to neo4j|sqlite only, got ${JSON.stringify(positionals[0])}`);
  const to = values.to;
  if (to !== 'neo4j' && to !== 'sqlite') throw new UsageError(`--to must be neo4j or sqlite, got ${JSON.stringify(to ?? null)}`);
  if (to === config.backend) {
    throw new UsageError(`the configured store is already ${to} (JOURNEY_BACKEND=${config.backend}): migrate copies it into the other backend`);
  }
  const target = targetOf(to, config);
  const source = await openConfigured('existing');
  const bar = progressBar('export');
  try {
    const summary = await intoTarget(target, (store) => importRecords(store, numberedLines(exportText(source, {
      onHeader: (h) => bar.start(2 * (h.nodes.artifacts + h.nodes.executions + h.nodes.contexts)),
      onNodes: (n) => bar.tick(n),
    }))).finally(() => bar.stop()));
    print(`journey: migrated ${describeCounts(summary.counts)} from the ${source.backend} store into ${target.where}`);
  } finally {
    await source.close();
  }
}
