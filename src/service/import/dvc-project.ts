/**
 * Reads a DVC project's `dvc.yaml` and `dvc.lock` (schema 2.0, DVC 2 and 3) at its root
 * into the stage runs the lock file records: each stage's command, params, and deps and
 * outs with their md5, size and (directories) file count. `dvc.yaml` must be there, as
 * DVC requires; it gives each stage's `wdir` (the lock's paths are relative to it) and
 * `desc`. A stage of `dvc.yaml` that never ran has no lock entry and is not a run.
 *
 * Every refusal is a DvcProjectError naming the file and the line, so an operator can
 * open the file there; nothing is read past the first one.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { LineCounter, parseDocument, type Document } from 'yaml';
import { MAX_NAME_LENGTH } from '../shared/validate.js';

/** A DVC project the importer cannot read, naming the file and line (`dvc.lock:12: ...`). */
export class DvcProjectError extends Error {}

/** One dep or out of a stage run: a file (or directory) version by its md5. */
export interface DvcFileVersion {
  /** Relative to the project's root, POSIX separators (the lock's path joined to the stage's wdir). */
  path: string;
  md5: string;
  size: number | null;
  /** Directories only (an md5 ending in `.dir`). */
  nfiles: number | null;
}

/** A stage as `dvc.lock` records its last run. */
export interface DvcStageRun {
  /** The lock's key: the stage's name (`name@item` for a foreach stage's item). */
  name: string;
  /** The command; a list of commands is joined by newlines, as DVC runs them one by one. */
  cmd: string;
  desc: string | null;
  deps: DvcFileVersion[];
  outs: DvcFileVersion[];
  /** The lock's params section: params file -> key -> value. */
  params: Record<string, Record<string, unknown>>;
}

export interface DvcProject {
  /** The absolute path of the project's root (the folder holding dvc.yaml). */
  root: string;
  /** The root folder's own name: the prefix of every dataset's name. */
  name: string;
  /** In the lock file's order. */
  stages: DvcStageRun[];
}

/** The longest relative path a dataset name (`<project>/<path>`) leaves room for in a node name with `@<md5>.dir`. */
const maxPathLength = (project: string): number => MAX_NAME_LENGTH - project.length - 1 - '@'.length - 36;

/** Reads `<root>/dvc.yaml` and `<root>/dvc.lock`; see the file comment. */
export async function readDvcProject(root: string): Promise<DvcProject> {
  const absolute = path.resolve(root);
  const name = path.basename(absolute);
  const yamlFile = await readYaml(absolute, 'dvc.yaml', 'a DVC project has one at its root (is this the directory where `dvc init` ran?)');
  const lockFile = await readYaml(absolute, 'dvc.lock', 'nothing has run yet: run `dvc repro` first');
  // A dvc.yaml of plots or metrics only has no stages.
  const definitions = yamlFile.value(['stages']) === undefined ? {} : yamlFile.map(['stages']);
  const lock = lockFile;
  const schema = lock.value(['schema']);
  if (schema !== '2.0') lock.fail(['schema'], `schema must be '2.0' (DVC 2 and 3), got ${JSON.stringify(schema)}`);
  const stages = lock.map(['stages']);
  const runs: DvcStageRun[] = [];
  for (const stage of Object.keys(stages)) {
    const at = ['stages', stage];
    lock.map(at);
    // A foreach or matrix stage's items are locked as `name@item`; their definition is `name`'s.
    const declared = (definitions[stage] ?? definitions[stage.split('@')[0]!]) as Record<string, unknown> | undefined;
    // A foreach stage's fields are under `do` (a matrix stage's beside `matrix`).
    const definition = (declared?.do !== null && typeof declared?.do === 'object' ? declared.do : declared) as Record<string, unknown> | undefined;
    const wdir = typeof definition?.wdir === 'string' ? definition.wdir : '.';
    const cmd = lock.value([...at, 'cmd']);
    const commands = Array.isArray(cmd) ? cmd : [cmd];
    if (commands.length === 0 || commands.some((c) => typeof c !== 'string')) lock.fail([...at, 'cmd'], 'cmd must be a command or a list of commands');
    runs.push({
      name: stage,
      cmd: (commands as string[]).join('\n'),
      desc: typeof definition?.desc === 'string' ? definition.desc : null,
      deps: fileVersions(lock, [...at, 'deps'], wdir, name),
      outs: fileVersions(lock, [...at, 'outs'], wdir, name),
      params: params(lock, [...at, 'params']),
    });
  }
  return { root: absolute, name, stages: runs };
}

function fileVersions(lock: YamlFile, at: (string | number)[], wdir: string, project: string): DvcFileVersion[] {
  const list = lock.value(at);
  if (list === undefined || list === null) return [];
  if (!Array.isArray(list)) lock.fail(at, `${at.at(-1)} must be a list`);
  return (list as unknown[]).map((_, i) => {
    const item = lock.map([...at, i]);
    const given = item.path;
    if (typeof given !== 'string' || given === '') lock.fail([...at, i], 'path must be a non-empty string');
    const md5 = item.md5;
    if (typeof md5 !== 'string' || !/^[0-9a-f]{32}(\.dir)?$/.test(md5)) {
      lock.fail([...at, i, ...(md5 === undefined ? [] : ['md5'])], `${given} needs an md5 of 32 hex digits (\`.dir\` for a directory), got ${JSON.stringify(md5 ?? null)}`);
    }
    const size = item.size;
    if (size !== undefined && !(Number.isSafeInteger(size) && (size as number) >= 0)) lock.fail([...at, i, 'size'], `size must be a whole number of bytes, got ${JSON.stringify(size)}`);
    const nfiles = item.nfiles;
    if (nfiles !== undefined && !(Number.isSafeInteger(nfiles) && (nfiles as number) >= 0)) lock.fail([...at, i, 'nfiles'], `nfiles must be a whole number, got ${JSON.stringify(nfiles)}`);
    const joined = path.posix.normalize(path.posix.join(wdir.replaceAll('\\', '/'), (given as string).replaceAll('\\', '/')));
    if (joined.length > maxPathLength(project)) lock.fail([...at, i, 'path'], `path is longer than ${maxPathLength(project)} characters, more than a dataset name holds`);
    return { path: joined, md5: md5 as string, size: (size as number | undefined) ?? null, nfiles: (nfiles as number | undefined) ?? null };
  });
}

function params(lock: YamlFile, at: string[]): Record<string, Record<string, unknown>> {
  const section = lock.value(at);
  if (section === undefined || section === null) return {};
  const files = lock.map(at);
  for (const file of Object.keys(files)) lock.map([...at, file]);
  return files as Record<string, Record<string, unknown>>;
}

/** A parsed YAML file with the line of every node, for errors that point into it. */
interface YamlFile {
  /** The plain value at `at` (undefined when absent). */
  value(at: (string | number)[]): unknown;
  /** The mapping at `at`, refusing anything else. */
  map(at: (string | number)[]): Record<string, unknown>;
  /** Throws DvcProjectError at the line of the node at `at` (or of its nearest present parent). */
  fail(at: (string | number)[], message: string): never;
}

async function readYaml(root: string, file: string, whenMissing: string): Promise<YamlFile> {
  const full = path.join(root, file);
  let text: string;
  try {
    text = await readFile(full, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') throw new DvcProjectError(`${full}: no ${file}: ${whenMissing}`);
    if (code === 'ENOTDIR') throw new DvcProjectError(`${root}: not a directory`);
    throw new DvcProjectError(`${full}: cannot be read (${code ?? (err as Error).message})`);
  }
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines });
  const syntax = doc.errors[0];
  if (syntax) {
    // The message's first line, without the position the prefix gives.
    const said = syntax.message.split('\n')[0]!.replace(/ at line \d+, column \d+:?$/, '');
    throw new DvcProjectError(`${full}:${syntax.linePos?.[0].line ?? 1}: not valid YAML: ${said}`);
  }
  let data: unknown;
  try {
    // DVC writes no aliases; a file that expands a few into millions of nodes is refused.
    data = doc.toJS({ maxAliasCount: 100 });
  } catch (err) {
    throw new DvcProjectError(`${full}:1: cannot be read: ${(err as Error).message}`);
  }
  return yamlFile(full, doc, lines, data);
}

function yamlFile(full: string, doc: Document, lines: LineCounter, data: unknown): YamlFile {
  const value = (at: (string | number)[]): unknown => {
    let v: unknown = data;
    for (const key of at) {
      if (v === null || typeof v !== 'object') return undefined;
      v = (v as Record<string | number, unknown>)[key];
    }
    return v;
  };
  const fail = (at: (string | number)[], message: string): never => {
    let line = 1;
    for (let n = at.length; n >= 0; n -= 1) {
      const node = doc.getIn(at.slice(0, n), true) as { range?: [number, number, number] } | undefined;
      if (node?.range) {
        line = lines.linePos(node.range[0]).line;
        break;
      }
    }
    const where = at.map((k) => (typeof k === 'number' ? `[${k}]` : `.${k}`)).join('').slice(1);
    throw new DvcProjectError(`${full}:${line}: ${where === '' ? '' : `${where}: `}${message}`);
  };
  return {
    value,
    fail,
    map(at) {
      const v = value(at);
      if (v === null || typeof v !== 'object' || Array.isArray(v)) {
        fail(at, `must be a mapping, got ${v === undefined ? 'nothing' : Array.isArray(v) ? 'a list' : JSON.stringify(v)}`);
      }
      return v as Record<string, unknown>;
    },
  };
}
