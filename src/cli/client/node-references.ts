/**
 * Node references as people type them, resolved together: a fixed number of requests
 * (one per 15 looked-up fields under the server's default alias limit of 30):
 *
 *   <id>                         the server's id (a UUID), as the API and the explorer show it
 *   artifact:42                  an mlmdId, with its kind (artifact, execution or context):
 *   execution:7  context:3       ML Metadata numbers each kind from 1, so 42 alone names nothing
 *   Type/name                    by type name and node name: split at the FIRST unescaped /,
 *                                so the name may hold any character (slashes, @, quotes, ...)
 *   Type@version/name            a versioned type (ML Metadata's type version): the version
 *                                goes with the type, never after the name, which may hold @
 *   artifact:Type/name           the kind said, when one type name exists in several kinds
 *
 * In the type part (before the first unescaped /), a backslash makes the next character
 * literal: `My\/Type/name` is type `My/Type`, `a\@b/name` type `a@b`, `\artifact:x/n` type
 * `artifact:x`. Each reference becomes aliased fields (r0, r1_artifact...) of one query, its values
 * passed as variables: no reference's text is ever part of the query's text.
 */
import { print, visit } from 'graphql';
import { CliError, EXIT, UsageError } from '../exit-codes.js';
import { ResolvedNodeFragmentDoc, type ResolvedNodeFragment } from '../generated/graphql.js';
import type { GraphQLClient } from './graphql-client.js';

export type NodeKindName = 'artifact' | 'execution' | 'context';

const KINDS: readonly NodeKindName[] = ['artifact', 'execution', 'context'];

/** A reference as parsed, before the server is asked. */
export type ParsedReference =
  | { by: 'id'; text: string; kind: NodeKindName | null; id: string }
  | { by: 'mlmdId'; text: string; kind: NodeKindName; mlmdId: string }
  | { by: 'name'; text: string; kind: NodeKindName | null; type: string; typeVersion: string | null; name: string };

/** A node a reference named. */
export interface ResolvedNode {
  /** The reference as given. */
  reference: string;
  kind: NodeKindName;
  id: string;
  mlmdId: number;
  typeName: string;
  typeVersion: string | null;
  name: string | null;
}

/** Parses one reference (see the module comment); a malformed one is a UsageError naming it. */
export function parseReference(text: string): ParsedReference {
  if (text === '') throw new UsageError('a node reference is empty: give an id, kind:mlmdId or Type/name');
  const prefix = /^(artifact|execution|context):/.exec(text);
  const kind = (prefix?.[1] as NodeKindName | undefined) ?? null;
  const rest = prefix ? text.slice(prefix[0].length) : text;
  if (/^\d+$/.test(rest)) {
    if (kind === null) throw new UsageError(`node reference ${JSON.stringify(text)}: an mlmdId needs its kind, e.g. artifact:${rest}, execution:${rest} or context:${rest}`);
    if (!Number.isSafeInteger(Number(rest)) || Number(rest) < 1) throw new UsageError(`node reference ${JSON.stringify(text)}: an mlmdId is a whole number from 1 to 2^53-1`);
    return { by: 'mlmdId', text, kind, mlmdId: rest };
  }
  const slash = unescapedIndex(rest, '/');
  if (slash < 0) {
    if (rest === '') throw new UsageError(`node reference ${JSON.stringify(text)}: nothing after the kind`);
    return { by: 'id', text, kind, id: rest };
  }
  const typePart = rest.slice(0, slash);
  const name = rest.slice(slash + 1);
  const at = unescapedIndex(typePart, '@');
  const type = unescape(at < 0 ? typePart : typePart.slice(0, at));
  const typeVersion = at < 0 ? null : unescape(typePart.slice(at + 1));
  if (type === '') throw new UsageError(`node reference ${JSON.stringify(text)}: the type name before / is empty`);
  if (typeVersion === '') throw new UsageError(`node reference ${JSON.stringify(text)}: the type version after @ is empty`);
  if (name === '') throw new UsageError(`node reference ${JSON.stringify(text)}: the node name after / is empty`);
  return { by: 'name', text, kind, type, typeVersion, name };
}

/** The index of the first `char` not escaped by a backslash in `text`; -1 when none. */
function unescapedIndex(text: string, char: string): number {
  for (let i = 0; i < text.length; i++) {
    if (text[i] === '\\') i++;
    else if (text[i] === char) return i;
  }
  return -1;
}

const unescape = (text: string): string => text.replace(/\\(.)/gsu, '$1');

/** The query field that looks a node up by name, per kind. */
const BY_NAME: Record<NodeKindName, string> = { artifact: 'artifactByName', execution: 'executionByName', context: 'contextByName' };

/**
 * Aliased fields one request may hold: the server's default JOURNEY_MAX_ALIASES
 * (src/server/limits.ts; a test pins the two together). The CLI reads the same variable,
 * for a server configured otherwise, so that a long list of references still fits.
 */
export const DEFAULT_ALIASES_PER_REQUEST = 30;

/** The aliases per request: JOURNEY_MAX_ALIASES when set to a whole number of 1 or more, else the server's default. */
export function aliasesPerRequest(env: NodeJS.ProcessEnv = process.env): number {
  const text = env.JOURNEY_MAX_ALIASES;
  return text !== undefined && /^[1-9]\d{0,4}$/.test(text) ? Number(text) : DEFAULT_ALIASES_PER_REQUEST;
}

/**
 * Aliases each looked-up field costs: its own, and the fragment's (the server counts the
 * aliases inside a fragment once per spread: ResolvedNode's `contextName` makes it 2).
 */
const ALIASES_PER_FIELD = (() => {
  let inFragment = 0;
  visit(ResolvedNodeFragmentDoc, { Field: (field) => { if (field.alias) inFragment++; } });
  return 1 + inFragment;
})();

/** One reference's aliased fields and variables (aliases and variable names from its index only). */
function referenceFields(ref: ParsedReference, i: number, kinds: readonly NodeKindName[]): { declarations: string[]; fields: string[]; variables: Record<string, unknown> } {
  if (ref.by === 'id') {
    return { declarations: [`$id${i}: ID!`], fields: [`r${i}: node(id: $id${i}) { ...ResolvedNode }`], variables: { [`id${i}`]: ref.id } };
  }
  if (ref.by === 'mlmdId') {
    return { declarations: [`$m${i}: MlmdId!`], fields: [`r${i}: ${ref.kind}(mlmdId: $m${i}) { ...ResolvedNode }`], variables: { [`m${i}`]: ref.mlmdId } };
  }
  return {
    declarations: [`$t${i}: String!`, `$n${i}: String!`, `$v${i}: String`],
    fields: (ref.kind === null ? kinds : [ref.kind]).map((kind) => `r${i}_${kind}: ${BY_NAME[kind]}(type: $t${i}, name: $n${i}, typeVersion: $v${i}) { ...ResolvedNode }`),
    variables: { [`t${i}`]: ref.type, [`n${i}`]: ref.name, [`v${i}`]: ref.typeVersion },
  };
}

/**
 * The requests that resolve `references`: as few as the alias limit allows (`perRequest`
 * aliases: with the default 30, one request looks up 15 ids, or 5 Type/name references of
 * unknown kind), each with its query text (aliases only from indexes) and variables.
 */
export function referenceQueries(
  references: readonly ParsedReference[], kinds: readonly NodeKindName[], perRequest = aliasesPerRequest(),
): { query: string; variables: Record<string, unknown> }[] {
  const requests: { declarations: string[]; fields: string[]; variables: Record<string, unknown> }[] = [];
  references.forEach((ref, i) => {
    const part = referenceFields(ref, i, kinds);
    let last = requests.at(-1);
    if (last === undefined || (last.fields.length + part.fields.length) * ALIASES_PER_FIELD > perRequest) {
      last = { declarations: [], fields: [], variables: {} };
      requests.push(last);
    }
    last.declarations.push(...part.declarations);
    last.fields.push(...part.fields);
    Object.assign(last.variables, part.variables);
  });
  const fragment = print(ResolvedNodeFragmentDoc);
  return requests.map((r) => ({
    query: `query ResolveNodes(${r.declarations.join(', ')}) {\n  ${r.fields.join('\n  ')}\n}\n${fragment}`,
    variables: r.variables,
  }));
}

const KIND_OF_TYPENAME: Record<string, NodeKindName> = { Artifact: 'artifact', Execution: 'execution', Context: 'context' };

/**
 * Resolves `texts` in as few requests as the alias limit allows (none for an empty list), in order. Only nodes of
 * `kinds` are accepted (default: all three): a reference to another kind, an unknown one,
 * and a Type/name matching nodes of several kinds are one-line CliErrors naming it.
 */
export async function resolveReferences(
  client: GraphQLClient, texts: readonly string[], kinds: readonly NodeKindName[] = KINDS,
): Promise<ResolvedNode[]> {
  const references = texts.map(parseReference);
  if (references.length === 0) return [];
  const data: Record<string, ResolvedNodeFragment | null> = {};
  // One after another: a long list is a few requests in a row, never a burst at the server.
  for (const { query, variables } of referenceQueries(references, kinds)) {
    Object.assign(data, await client.requestText<Record<string, ResolvedNodeFragment | null>>(query, variables));
  }
  return references.map((ref, i) => {
    const found = ref.by === 'name'
      ? (ref.kind === null ? kinds : [ref.kind]).map((k) => data[`r${i}_${k}`]).filter((n): n is ResolvedNodeFragment => n != null)
      : [data[`r${i}`]].filter((n): n is ResolvedNodeFragment => n != null);
    if (found.length === 0) throw new CliError(`unknown node ${JSON.stringify(ref.text)}: ${notFoundReason(ref, kinds)}`, EXIT.UNKNOWN_NODE);
    if (found.length > 1) {
      const which = found.map((n) => KIND_OF_TYPENAME[n.__typename]!);
      throw new UsageError(`node reference ${JSON.stringify(ref.text)} names ${which.map((k) => `an ${k}`).join(' and ')}: say which, e.g. ${which[0]}:${ref.text}`);
    }
    const node = found[0]!;
    const kind = KIND_OF_TYPENAME[node.__typename]!;
    if (!kinds.includes(kind) || (ref.kind !== null && ref.kind !== kind)) {
      throw new CliError(`node reference ${JSON.stringify(ref.text)} is ${article(kind)} ${kind}; ${ref.kind !== null ? `not ${article(ref.kind)} ${ref.kind}` : `this command takes ${kinds.join(' or ')} nodes`}`, EXIT.FAILED);
    }
    const typed = node as ResolvedNodeFragment & { name?: string | null; type?: { name: string; version?: string | null } };
    return {
      reference: ref.text, kind, id: node.id, mlmdId: Number(node.mlmdId),
      typeName: typed.type?.name ?? '', typeVersion: typed.type?.version ?? null, name: typed.name ?? null,
    };
  });
}

const article = (word: string): string => (/^[aeiou]/.test(word) ? 'an' : 'a');

function notFoundReason(ref: ParsedReference, kinds: readonly NodeKindName[]): string {
  if (ref.by === 'id') return 'no node has this id';
  if (ref.by === 'mlmdId') return `no ${ref.kind} has mlmdId ${ref.mlmdId}`;
  const version = ref.typeVersion === null ? 'the unversioned type' : `version ${JSON.stringify(ref.typeVersion)} of type`;
  return `no ${ref.kind ?? kinds.join(', ').replace(/, (\w+)$/, ' or $1')} named ${JSON.stringify(ref.name)} of ${version} ${JSON.stringify(ref.type)}`;
}
