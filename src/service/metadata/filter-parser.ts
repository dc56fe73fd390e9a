/**
 * ML Metadata's filter language (`ListOperationOptions.filter_query`; GraphQL's `where`),
 * parsed and checked for one node kind into the seam's typed tree (src/graph/filter-query.ts).
 *
 * A hand-written recursive-descent parser: the grammar is small and fixed, and writing it
 * out keeps every error at the column where the text went wrong, in our own words, with no
 * dependency (a parser library would add a runtime package for some forty lines of grammar).
 *
 *   filter     := or EOF
 *   or         := and ( OR and )*
 *   and        := unary ( AND unary )*
 *   unary      := NOT unary | '(' or ')' | predicate
 *   predicate  := operand ( comparison literal
 *                         | [NOT] LIKE string
 *                         | [NOT] IN '(' literal ( ',' literal )* ')'
 *                         | IS [NOT] NULL )
 *   comparison := '=' | '!=' | '<>' | '<' | '<=' | '>' | '>='
 *   operand    := attribute
 *               | neighbour '.' attribute          neighbour: contexts_X, parent_contexts_X,
 *                                                  child_contexts_X, artifacts_X, executions_X,
 *                                                  events_X (X: letters, digits, _)
 *               | (properties | custom_properties) '.' name '.' (int_value | double_value
 *                                                  | string_value | bool_value)
 *   name       := word | '`' any text but '`' '`'
 *   literal    := string | number | TRUE | FALSE | word (an enum value: LIVE, INPUT, ...)
 *   string     := '...' | "..."  with \\ \' \" \` \n \r \t escapes
 *
 * Keywords and attribute names ignore case, as in SQL; aliases and property names do not.
 * What each attribute may be compared with is checked here (a string with a string, a
 * state with a state name, ordering only on numbers and text), so a malformed or ill-typed
 * filter is refused before any store call, naming its column.
 */
import { FilterQueryError } from '../../graph/errors.js';
import type {
  FilterComparison, FilterEventField, FilterExpr, FilterJoin, FilterNodeField, FilterOperand, FilterQuery,
  FilterValue, FilterValueKind,
} from '../../graph/filter-query.js';
import { requireWellFormed } from '../shared/validate.js';
import { ARTIFACT_STATES, EVENT_TYPES, EXECUTION_STATES, type NodeKind } from '../../graph/model.js';

/** Longest filter text taken. */
export const MAX_FILTER_LENGTH = 65_536;
/** Deepest nesting of parentheses and NOTs taken: deeper trees would only cost stack and planner time. */
export const MAX_FILTER_DEPTH = 32;
/**
 * Most predicates in one filter. Neo4j plans a long boolean expression slowly (100
 * property comparisons ORed: 3 s to plan on a loaded test machine, 500: 9 s); an IN list
 * says "any of these values" in one predicate.
 */
export const MAX_FILTER_PREDICATES = 100;
/** Most neighbours (aliases and properties) one filter joins: each is a join per node tested. */
export const MAX_FILTER_JOINS = 16;
/** Most values in one IN list. */
export const MAX_IN_VALUES = 1_000;

/** What an attribute holds, which decides the literals and operators it takes. */
type AttributeType = 'int' | 'double' | 'string' | 'bool' | 'artifactState' | 'executionState' | 'eventType';

const ENUM_VALUES: Record<'artifactState' | 'executionState' | 'eventType', readonly string[]> = {
  artifactState: ARTIFACT_STATES, executionState: EXECUTION_STATES, eventType: EVENT_TYPES,
};

const COMMON_ATTRIBUTES: Record<string, [FilterNodeField, AttributeType]> = {
  id: ['id', 'int'],
  type_id: ['typeId', 'int'],
  type: ['type', 'string'],
  name: ['name', 'string'],
  external_id: ['externalId', 'string'],
  create_time_since_epoch: ['createTime', 'int'],
  last_update_time_since_epoch: ['updateTime', 'int'],
};

/** The attributes of a node of each kind, by their filter names. */
const NODE_ATTRIBUTES: Record<NodeKind, Record<string, [FilterNodeField, AttributeType]>> = {
  ARTIFACT: { ...COMMON_ATTRIBUTES, uri: ['uri', 'string'], state: ['state', 'artifactState'] },
  EXECUTION: { ...COMMON_ATTRIBUTES, last_known_state: ['lastKnownState', 'executionState'] },
  CONTEXT: COMMON_ATTRIBUTES,
};

type NeighbourJoin = 'context' | 'parentContext' | 'childContext' | 'artifact' | 'execution' | 'event';

/** The neighbours each kind may name, by prefix, and the node kind at their far end (events: none). */
const NEIGHBOURS: Record<NodeKind, Record<string, NeighbourJoin>> = {
  ARTIFACT: { contexts_: 'context', events_: 'event' },
  EXECUTION: { contexts_: 'context', events_: 'event' },
  CONTEXT: { parent_contexts_: 'parentContext', child_contexts_: 'childContext', artifacts_: 'artifact', executions_: 'execution' },
};
const FAR_KIND: Record<Exclude<NeighbourJoin, 'event'>, NodeKind> = {
  context: 'CONTEXT', parentContext: 'CONTEXT', childContext: 'CONTEXT', artifact: 'ARTIFACT', execution: 'EXECUTION',
};

const EVENT_ATTRIBUTES = (kind: NodeKind): Record<string, [FilterEventField, AttributeType]> => ({
  type: ['type', 'eventType'],
  milliseconds_since_epoch: ['time', 'int'],
  [kind === 'ARTIFACT' ? 'execution_id' : 'artifact_id']: ['otherId', 'int'],
});

const VALUE_KINDS: Record<string, FilterValueKind> = {
  int_value: 'int', double_value: 'double', string_value: 'string', bool_value: 'bool',
};

// ---- tokens ----

type TokenKind = 'word' | 'quotedName' | 'string' | 'number' | 'symbol' | 'end';
interface Token { kind: TokenKind; text: string; value: string | number; at: number }

const WORD = /[A-Za-z_][A-Za-z0-9_]*/y;
const PATH_STEP = /[A-Za-z0-9_]+/y;
const NUMBER = /(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?/y;
const SYMBOLS = ['<=', '>=', '!=', '<>', '=', '<', '>', '(', ')', ',', '.', '-', '+'];
const ESCAPES: Record<string, string> = {
  '\\': '\\', "'": "'", '"': '"', '`': '`', '?': '?', a: '\u0007', b: '\b', f: '\f', n: '\n', r: '\r', t: '\t', v: '\v',
};
/** Escapes by code: the digits they take, and their base. */
const OCTAL = { pattern: /^[0-7]{3}$/, length: 3, radix: 8 };
const CODED_ESCAPES: Record<string, { pattern: RegExp; length: number; radix: number }> = {
  x: { pattern: /^[0-9A-Fa-f]{2}$/, length: 2, radix: 16 },
  X: { pattern: /^[0-9A-Fa-f]{2}$/, length: 2, radix: 16 },
  u: { pattern: /^[0-9A-Fa-f]{4}$/, length: 4, radix: 16 },
  U: { pattern: /^[0-9A-Fa-f]{8}$/, length: 8, radix: 16 },
};

class FilterParser {
  private readonly tokens: Token[] = [];
  private at = 0;
  private depth = 0;
  private predicates = 0;
  private readonly joins: FilterJoin[] = [];
  private readonly joinIndex = new Map<string, number>();

  constructor(private readonly text: string, private readonly kind: NodeKind, private readonly field: string) {
    this.tokenize();
  }

  parse(): FilterQuery {
    if (this.peek().kind === 'end') this.fail(this.peek(), 'a condition', 'an empty filter');
    const expr = this.or();
    const rest = this.peek();
    if (rest.kind !== 'end') this.fail(rest, 'AND, OR or the end of the filter');
    return { expr, joins: this.joins };
  }

  // ---- errors ----

  private error(at: number, message: string): FilterQueryError {
    return new FilterQueryError(`${this.field}: at column ${at + 1}, ${message}`, this.field, at + 1);
  }

  private fail(token: Token, expected: string, got = describeToken(token)): never {
    throw this.error(token.at, `expected ${expected}, got ${got}`);
  }

  // ---- tokenizer ----

  private tokenize(): void {
    const { text } = this;
    let i = 0;
    while (i < text.length) {
      const c = text[i]!;
      if (/\s/.test(c)) { i += 1; continue; }
      if (c === "'" || c === '"' || c === '`') {
        const [value, end] = this.quoted(i, c);
        this.tokens.push({ kind: c === '`' ? 'quotedName' : 'string', text: text.slice(i, end), value, at: i });
        i = end;
        continue;
      }
      // After `name.` a path step may start with a digit (`properties.1st.int_value`), and
      // `.5` there is a step, not a number.
      const last = this.tokens[this.tokens.length - 1];
      const inPath = last !== undefined && last.kind === 'symbol' && last.text === '.';
      if (c === '.' && last !== undefined && (last.kind === 'word' || last.kind === 'quotedName')) {
        this.tokens.push({ kind: 'symbol', text: '.', value: '.', at: i });
        i += 1;
        continue;
      }
      const wordPattern = inPath ? PATH_STEP : WORD;
      wordPattern.lastIndex = i;
      const word = wordPattern.exec(text);
      if (word !== null) {
        this.tokens.push({ kind: 'word', text: word[0], value: word[0], at: i });
        i += word[0].length;
        continue;
      }
      NUMBER.lastIndex = i;
      const number = NUMBER.exec(text);
      if (number !== null) {
        this.tokens.push({ kind: 'number', text: number[0], value: Number(number[0]), at: i });
        i += number[0].length;
        continue;
      }
      const symbol = SYMBOLS.find((s) => text.startsWith(s, i));
      if (symbol === undefined) throw this.error(i, `unexpected character ${JSON.stringify(String.fromCodePoint(text.codePointAt(i)!))}`);
      this.tokens.push({ kind: 'symbol', text: symbol, value: symbol, at: i });
      i += symbol.length;
    }
    this.tokens.push({ kind: 'end', text: '', value: '', at: text.length });
  }

  /**
   * The text of a quoted string or name starting at `start`, and the index after its closing
   * quote. Escapes are ZetaSQL's, which ML Metadata parses filters with: \\ \' \" \` \? \a \b
   * \f \n \r \t \v, \ooo (octal), \xhh, \uhhhh and \Uhhhhhhhh; any other is refused.
   */
  private quoted(start: number, quote: string): [string, number] {
    const { text } = this;
    let value = '';
    let i = start + 1;
    while (i < text.length) {
      const c = text[i]!;
      if (c === quote) return [value, i + 1];
      if (c !== '\\') {
        value += c;
        i += 1;
        continue;
      }
      const next = text[i + 1];
      const simple = next === undefined ? undefined : ESCAPES[next];
      if (simple !== undefined) {
        value += simple;
        i += 2;
        continue;
      }
      // \ooo starts its digits at the first digit; \x, \u and \U after the letter.
      const octal = next !== undefined && next >= '0' && next <= '7';
      const coded = octal ? OCTAL : next === undefined ? undefined : CODED_ESCAPES[next];
      const from = octal ? i + 1 : i + 2;
      const digits = coded === undefined ? '' : text.slice(from, from + coded.length);
      const codePoint = coded !== undefined && coded.pattern.test(digits) ? parseInt(digits, coded.radix) : NaN;
      if (Number.isNaN(codePoint) || codePoint > 0x10ffff || (codePoint >= 0xd800 && codePoint <= 0xdfff)) {
        throw this.error(i, `unknown escape ${next === undefined ? 'at the end' : JSON.stringify(`\\${next}`)} (ZetaSQL's escapes: \\\\, \\', \\", \\\`, \\n, \\t, \\xhh, \\uhhhh, ...)`);
      }
      value += String.fromCodePoint(codePoint);
      i = from + coded!.length;
    }
    throw this.error(start, `${quote === '`' ? 'a quoted name' : 'a string'} is not closed (expected ${quote})`);
  }

  // ---- token helpers ----

  private peek(offset = 0): Token {
    return this.tokens[Math.min(this.at + offset, this.tokens.length - 1)]!;
  }

  private next(): Token {
    const token = this.peek();
    if (token.kind !== 'end') this.at += 1;
    return token;
  }

  private isKeyword(token: Token, keyword: string): boolean {
    return token.kind === 'word' && token.text.toUpperCase() === keyword;
  }

  private acceptKeyword(keyword: string): boolean {
    if (!this.isKeyword(this.peek(), keyword)) return false;
    this.at += 1;
    return true;
  }

  private isSymbol(token: Token, symbol: string): boolean {
    return token.kind === 'symbol' && token.text === symbol;
  }

  private expectSymbol(symbol: string, expected = `'${symbol}'`): Token {
    const token = this.next();
    if (!this.isSymbol(token, symbol)) this.fail(token, expected);
    return token;
  }

  // ---- expressions ----

  private or(): FilterExpr {
    const args = [this.and()];
    while (this.acceptKeyword('OR')) args.push(this.and());
    return args.length === 1 ? args[0]! : { op: 'or', args };
  }

  private and(): FilterExpr {
    const args = [this.unary()];
    while (this.acceptKeyword('AND')) args.push(this.unary());
    return args.length === 1 ? args[0]! : { op: 'and', args };
  }

  private unary(): FilterExpr {
    const token = this.peek();
    if (this.isKeyword(token, 'NOT')) {
      this.next();
      return this.nested(token, () => ({ op: 'not', arg: this.unary() }));
    }
    if (this.isSymbol(token, '(')) {
      this.next();
      return this.nested(token, () => {
        const inner = this.or();
        this.expectSymbol(')', "')' or AND, OR");
        return inner;
      });
    }
    return this.predicate();
  }

  private nested(token: Token, parse: () => FilterExpr): FilterExpr {
    this.depth += 1;
    if (this.depth > MAX_FILTER_DEPTH) {
      throw this.error(token.at, `the filter nests deeper than ${MAX_FILTER_DEPTH} levels of parentheses and NOT`);
    }
    const expr = parse();
    this.depth -= 1;
    return expr;
  }

  private predicate(): FilterExpr {
    const start = this.peek();
    this.predicates += 1;
    if (this.predicates > MAX_FILTER_PREDICATES) {
      throw this.error(start.at, `the filter holds more than ${MAX_FILTER_PREDICATES} conditions`);
    }
    const { operand, type, name } = this.operand();
    const token = this.next();
    if (this.isKeyword(token, 'IS')) {
      const negated = this.acceptKeyword('NOT');
      const nullToken = this.next();
      if (!this.isKeyword(nullToken, 'NULL')) this.fail(nullToken, negated ? 'NULL' : 'NULL or NOT NULL');
      return { op: 'isNull', operand, negated };
    }
    let negated = false;
    let keyword = token;
    if (this.isKeyword(token, 'NOT')) {
      negated = true;
      keyword = this.next();
      if (!this.isKeyword(keyword, 'LIKE') && !this.isKeyword(keyword, 'IN')) this.fail(keyword, 'LIKE or IN after NOT');
    }
    if (this.isKeyword(keyword, 'LIKE')) {
      if (type !== 'string') throw this.error(keyword.at, `LIKE takes a text attribute; ${name} is not text`);
      const pattern = this.next();
      if (pattern.kind !== 'string') this.fail(pattern, 'a quoted pattern after LIKE');
      return { op: 'like', operand, pattern: pattern.value as string, negated };
    }
    if (this.isKeyword(keyword, 'IN')) {
      this.expectSymbol('(', "'(' after IN");
      const values = [this.literal(type, name)];
      while (this.isSymbol(this.peek(), ',')) {
        this.next();
        values.push(this.literal(type, name));
        if (values.length > MAX_IN_VALUES) throw this.error(this.peek().at, `an IN list holds at most ${MAX_IN_VALUES} values`);
      }
      this.expectSymbol(')', "',' or ')' in the IN list");
      return { op: 'in', operand, values, negated };
    }
    const cmp = comparisonOf(token);
    if (cmp === null) this.fail(token, 'a comparison (=, !=, <, <=, >, >=), LIKE, IN or IS after ' + name);
    if (cmp !== '=' && cmp !== '!=' && !(type === 'int' || type === 'double' || type === 'string' || type === 'bool')) {
      throw this.error(token.at, `${name} takes only =, !=, IN and NOT IN`);
    }
    return { op: 'compare', operand, cmp, value: this.literal(type, name) };
  }

  /** A literal of the attribute's type. */
  private literal(type: AttributeType, name: string): FilterValue {
    const token = this.next();
    switch (type) {
      case 'int':
      case 'double': {
        let sign = 1;
        let number = token;
        if (this.isSymbol(token, '-') || this.isSymbol(token, '+')) {
          sign = token.text === '-' ? -1 : 1;
          number = this.next();
        }
        if (number.kind !== 'number') this.fail(number, `a number for ${name}`);
        const value = sign * (number.value as number);
        const integral = /^\d+$/.test(number.text);
        if (integral && !Number.isSafeInteger(value)) {
          throw this.error(number.at, `${name}: integers beyond ±(2^53 - 1) are not taken exactly, got ${number.text}`);
        }
        if (!Number.isFinite(value)) throw this.error(number.at, `${name}: ${number.text} is not a finite number`);
        return value;
      }
      case 'string':
        if (token.kind !== 'string') this.fail(token, `a quoted string for ${name}`);
        return token.value as string;
      case 'bool':
        if (this.isKeyword(token, 'TRUE')) return true;
        if (this.isKeyword(token, 'FALSE')) return false;
        return this.fail(token, `TRUE or FALSE for ${name}`);
      default: {
        const allowed = ENUM_VALUES[type];
        const value = token.kind === 'word' || token.kind === 'string' ? token.value as string : undefined;
        if (value === undefined || !allowed.includes(value)) this.fail(token, `one of ${allowed.join(', ')} for ${name}`);
        return value;
      }
    }
  }

  // ---- operands ----

  /** An attribute path: the operand it reads, its type, and its text for messages. */
  private operand(): { operand: FilterOperand; type: AttributeType; name: string } {
    const first = this.next();
    if (first.kind !== 'word') this.fail(first, 'an attribute, a neighbour (contexts_a., events_0., ...), properties. or custom_properties.');
    const lower = first.text.toLowerCase();
    if (lower === 'properties' || lower === 'custom_properties') return this.property(first, lower === 'custom_properties');
    const neighbour = Object.entries(NEIGHBOURS[this.kind]).find(([prefix]) => lower.startsWith(prefix) && lower.length > prefix.length);
    if (neighbour !== undefined) return this.neighbour(first, neighbour[1]);
    const attribute = NODE_ATTRIBUTES[this.kind][lower];
    if (attribute === undefined) {
      throw this.error(first.at, `${this.kind.toLowerCase()}s have no attribute ${JSON.stringify(first.text)}; expected one of ${
        [...Object.keys(NODE_ATTRIBUTES[this.kind]), ...Object.keys(NEIGHBOURS[this.kind]).map((p) => `${p}X.`), 'properties.', 'custom_properties.'].join(', ')}`);
    }
    return { operand: { on: 'node', field: attribute[0] }, type: attribute[1], name: first.text };
  }

  private property(first: Token, custom: boolean): { operand: FilterOperand; type: AttributeType; name: string } {
    this.expectSymbol('.', `'.' after ${first.text}`);
    const nameToken = this.next();
    if (nameToken.kind !== 'word' && nameToken.kind !== 'quotedName') this.fail(nameToken, 'a property name (backquoted when it holds other than letters, digits and _)');
    const propertyName = nameToken.value as string;
    if (propertyName.length === 0) throw this.error(nameToken.at, 'a property name is empty');
    this.expectSymbol('.', `'.' and int_value, double_value, string_value or bool_value after the property name`);
    const kindToken = this.next();
    const value = kindToken.kind === 'word' ? VALUE_KINDS[kindToken.text.toLowerCase()] : undefined;
    if (value === undefined) this.fail(kindToken, 'int_value, double_value, string_value or bool_value');
    const join = this.join(`${custom ? 'c' : 'p'}:${propertyName}`, { kind: 'property', custom, name: propertyName }, first);
    return { operand: { on: 'property', join, value }, type: value, name: `${first.text}.${nameToken.text}.${kindToken.text}` };
  }

  private neighbour(first: Token, joinKind: NeighbourJoin): { operand: FilterOperand; type: AttributeType; name: string } {
    this.expectSymbol('.', `'.' and an attribute after ${first.text}`);
    const attributeToken = this.next();
    if (attributeToken.kind !== 'word') this.fail(attributeToken, `an attribute of ${first.text}`);
    const lower = attributeToken.text.toLowerCase();
    const name = `${first.text}.${attributeToken.text}`;
    // An alias is named as written: contexts_a and contexts_A are two joins, as in ML Metadata.
    const join = () => this.join(`n:${first.text}`, { kind: joinKind }, first);
    if (joinKind === 'event') {
      const attributes = EVENT_ATTRIBUTES(this.kind);
      const attribute = attributes[lower];
      if (attribute === undefined) {
        throw this.error(attributeToken.at, `${first.text} has no attribute ${JSON.stringify(attributeToken.text)}; expected one of ${Object.keys(attributes).join(', ')}`);
      }
      return { operand: { on: 'event', join: join(), field: attribute[0] }, type: attribute[1], name };
    }
    const attributes = NODE_ATTRIBUTES[FAR_KIND[joinKind]];
    const attribute = attributes[lower];
    if (attribute === undefined) {
      throw this.error(attributeToken.at, `${first.text} has no attribute ${JSON.stringify(attributeToken.text)}; expected one of ${Object.keys(attributes).join(', ')}`);
    }
    return { operand: { on: 'neighbour', join: join(), field: attribute[0] }, type: attribute[1], name };
  }

  /** The index of the join named `key`, added on its first mention. */
  private join(key: string, join: FilterJoin, token: Token): number {
    const known = this.joinIndex.get(key);
    if (known !== undefined) return known;
    if (this.joins.length >= MAX_FILTER_JOINS) {
      throw this.error(token.at, `the filter names more than ${MAX_FILTER_JOINS} neighbours and properties`);
    }
    this.joins.push(join);
    this.joinIndex.set(key, this.joins.length - 1);
    return this.joins.length - 1;
  }
}

function comparisonOf(token: Token): FilterComparison | null {
  if (token.kind !== 'symbol') return null;
  switch (token.text) {
    case '=': case '!=': case '<': case '<=': case '>': case '>=': return token.text;
    case '<>': return '!=';
    default: return null;
  }
}

function describeToken(token: Token): string {
  if (token.kind === 'end') return 'the end of the filter';
  const text = token.text.length > 40 ? `${token.text.slice(0, 37)}...` : token.text;
  return JSON.stringify(text);
}

/**
 * The checked filter for `text` on nodes of `kind`; FilterQueryError (INVALID_ARGUMENT) naming
 * `field` and the column when it does not parse, names what the kind lacks, compares an
 * attribute with a literal of another type, or passes the limits above.
 */
export function parseFilterQuery(text: string, kind: NodeKind, field: string): FilterQuery {
  if (typeof text !== 'string') throw new FilterQueryError(`${field} must be a string`, field, 1);
  if (text.length > MAX_FILTER_LENGTH) {
    throw new FilterQueryError(`${field} is longer than ${MAX_FILTER_LENGTH} characters (${text.length})`, field, MAX_FILTER_LENGTH + 1);
  }
  requireWellFormed(text, field);
  return new FilterParser(text, kind, field).parse();
}
