/**
 * The import graph of src/, read by madge with the project's tsconfig (type-only imports
 * count: a type is an arrow between modules like any other). It must have no circle but
 * the known ones, and its layers must go one way:
 *
 *   main.ts, cli/, config.ts  →  server/  →  resolvers/  →  service/  →  graph/
 *
 * and inside service/, shared/ is the floor: it imports no other part of the service, and
 * personal data sits on the core (STYLE.md habit 15): the core (service/metadata,
 * service/lineage, service/shared) imports nothing from service/privacy, which hooks into
 * the core's writes instead (service/metadata/write-hooks.ts).
 */
import { fileURLToPath } from 'node:url';
import madge from 'madge';
import { beforeAll, describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));

/**
 * The circles src/ has today, each kept listed until removed (the test fails when one
 * disappears, so the list stays true).
 */
// Circles known and accepted: none. A new one fails this test; break it instead of listing it.
const KNOWN_CIRCLES: readonly (readonly string[])[] = [];

/** The layer of a file of src/ (paths relative to src/); a higher number is a higher layer. */
function layerOf(file: string): number {
  const top = file.split('/')[0]!;
  switch (top) {
    case 'graph': return 0;
    case 'service': return 1;
    case 'resolvers': return 2;
    case 'server': return 3;
    case 'main.ts': case 'cli': case 'config.ts': return 4;
    default: throw new Error(`src/${file} is in no layer: add its folder to layerOf`);
  }
}

/** The arrows of `graph` that run from a lower layer up to a higher one, or out of service/shared into the rest of the service. */
function arrowsAgainstLayers(graph: Readonly<Record<string, readonly string[]>>): string[] {
  const against: string[] = [];
  for (const [from, deps] of Object.entries(graph)) {
    for (const to of deps) {
      const up = layerOf(to) > layerOf(from);
      const outOfShared = from.startsWith('service/shared/') && to.startsWith('service/') && !to.startsWith('service/shared/');
      if (up || outOfShared) against.push(`${from} -> ${to}`);
    }
  }
  return against.sort();
}

/** The folders of the core, which personal data sits on. */
const CORE = ['service/metadata/', 'service/lineage/', 'service/shared/'];

/** The arrows of `graph` from the core into personal data (service/privacy/). */
function arrowsIntoPersonalData(graph: Readonly<Record<string, readonly string[]>>): string[] {
  return Object.entries(graph)
    .filter(([from]) => CORE.some((folder) => from.startsWith(folder)))
    .flatMap(([from, deps]) => deps.filter((to) => to.startsWith('service/privacy/')).map((to) => `${from} -> ${to}`))
    .sort();
}

/** A circle written from its smallest file, so one circle found from another start compares equal. */
function normalised(circle: readonly string[]): string {
  const start = circle.indexOf([...circle].sort()[0]!);
  return [...circle.slice(start), ...circle.slice(0, start)].join(' > ');
}

/** The CLI's files that talk to a server (GraphQL only): all of src/cli/ but the store commands, which open the store themselves. */
const serverCommandFile = (file: string): boolean =>
  ['cli/commands/', 'cli/client/', 'cli/output/', 'cli/generated/'].some((folder) => file.startsWith(folder))
  && file !== 'cli/commands/store-commands.ts' && file !== 'cli/commands/index.ts';

/** The files outside src/cli/ and src/config.ts that `from` reach through `graph`, sorted. */
function reachedOutsideCli(graph: Readonly<Record<string, readonly string[]>>, from: readonly string[]): string[] {
  const seen = new Set<string>(from);
  const queue = [...from];
  while (queue.length > 0) {
    for (const next of graph[queue.pop()!] ?? []) {
      if (!seen.has(next)) { seen.add(next); queue.push(next); }
    }
  }
  return [...seen].filter((f) => !f.startsWith('cli/')).sort();
}

describe('the import graph of src/', () => {
  let graph: Record<string, string[]>;
  let circles: string[][];
  let skipped: string[];

  beforeAll(async () => {
    const read = await madge(`${ROOT}src`, { fileExtensions: ['ts'], tsConfig: `${ROOT}tsconfig.json` });
    graph = read.obj();
    circles = read.circular();
    skipped = read.warnings().skipped;
  });

  it('is read whole: every relative import resolved, the known arrows present', () => {
    // An import madge cannot follow would silently drop arrows and pass every check below.
    expect(skipped).toEqual([]);
    expect(graph['service/metadata/metadata-service.ts']).toContain('graph/store.ts');
    expect(graph['server/create-server.ts']).toContain('resolvers/index.ts');
  });

  it('has no circle but the known ones, and each known one is still there', () => {
    expect(circles.map(normalised).sort()).toEqual(KNOWN_CIRCLES.map(normalised).sort());
  });

  it('has no arrow from a lower layer up to a higher one', () => {
    expect(arrowsAgainstLayers(graph)).toEqual([]);
  });

  it('keeps the core free of personal data: metadata, lineage and shared import nothing from privacy', () => {
    expect(arrowsIntoPersonalData(graph)).toEqual([]);
  });

  it('finds an arrow from the core into personal data when there is one (the check itself)', () => {
    expect(arrowsIntoPersonalData({
      'service/metadata/node-writes.ts': ['service/privacy/declarations.ts', 'service/shared/validate.ts'],
      'service/lineage/lineage-walk.ts': ['graph/store.ts'],
      'service/shared/paging.ts': ['service/privacy/audit-log.ts'],
      'service/privacy/personal-data-layer.ts': ['service/metadata/write-hooks.ts'],
      'service/services.ts': ['service/privacy/personal-data-layer.ts'],
    })).toEqual([
      'service/metadata/node-writes.ts -> service/privacy/declarations.ts',
      'service/shared/paging.ts -> service/privacy/audit-log.ts',
    ]);
  });

  it('keeps the resolvers off the server layer: not even a type', () => {
    const fromResolvers = Object.entries(graph)
      .filter(([file]) => file.startsWith('resolvers/'))
      .flatMap(([file, deps]) => deps.filter((d) => d.startsWith('server/')).map((d) => `${file} -> ${d}`));
    expect(fromResolvers).toEqual([]);
  });

  it('keeps the server commands of the CLI on GraphQL: nothing they reach, however indirectly, is service, graph or server code', () => {
    const serverCommands = Object.keys(graph).filter((f) => f.startsWith('cli/') && serverCommandFile(f));
    expect(serverCommands).toContain('cli/commands/lineage.ts');
    expect(serverCommands).toContain('cli/client/graphql-client.ts');
    expect(reachedOutsideCli(graph, serverCommands)).toEqual([]);
  });

  it('finds a server command reaching the store when one does (the check itself)', () => {
    expect(reachedOutsideCli({
      'cli/commands/path.ts': ['cli/client/graphql-client.ts'],
      'cli/client/graphql-client.ts': ['cli/keys-command.ts'],
      'cli/keys-command.ts': ['service/keys/api-keys.ts'],
      'service/keys/api-keys.ts': ['graph/store.ts'],
    }, ['cli/commands/path.ts'])).toEqual(['graph/store.ts', 'service/keys/api-keys.ts']);
  });

  it('finds an arrow against the layers when there is one (the check itself)', () => {
    expect(arrowsAgainstLayers({
      'graph/store.ts': ['service/shared/clock.ts'],
      'service/shared/paging.ts': ['service/metadata/inputs.ts', 'service/shared/validate.ts', 'graph/errors.ts'],
      'resolvers/context.ts': ['server/response-size.ts'],
      'server/plugins.ts': ['resolvers/index.ts'],
    })).toEqual([
      'graph/store.ts -> service/shared/clock.ts',
      'resolvers/context.ts -> server/response-size.ts',
      'service/shared/paging.ts -> service/metadata/inputs.ts',
    ]);
  });
});
