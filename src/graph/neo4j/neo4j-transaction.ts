/**
 * One transaction's statement runner, shared by the three concern parts of a StoreTx
 * (neo4j-graph.ts, neo4j-keys.ts, neo4j-privacy.ts): statements by name from cypher/,
 * key lists sent in batches, writes held back and joined, reads made at once joined.
 *
 * Every statement costs a message each way and the driver's and the server's work per
 * statement, whatever its size, so a write of a few rows is cheapest joined to the writes
 * around it. Writes that return nothing are therefore held until the transaction next
 * reads or commits, a run of writes of the same statement joined into one (their rows in
 * order), and then sent without waiting for their answer: the driver pipelines them on
 * the transaction's connection, ahead of the read. The server runs a transaction's
 * statements in the order sent, so a read sees every write made before it; a failed write
 * fails every later statement with its own code, and `flush` (run by Neo4jStore before the
 * commit) surfaces it otherwise.
 */
import { BATCH_SIZE } from './neo4j-batches.js';
import type { CypherRunner, Params, Row } from './neo4j-executor.js';
import type { StatementName, Statements } from './neo4j-statements.js';

/**
 * A write held back: a statement and the row lists it takes, each under its parameter;
 * with `keys`, the keys of its rows (see `write`'s `distinctBy`).
 */
interface HeldWrite { name: StatementName; lists: Record<string, unknown[]>; keys?: Set<unknown> }

/** How a write's rows are told apart when one statement must not hold two with the same key. */
export interface WriteOptions {
  /**
   * The field of a row that one statement may hold once only. A statement runs each
   * clause over all its rows before the next clause (Neo4j plans an Eager barrier between
   * a write and a later read of what it wrote), so two rows for one node would both read
   * the node as it stood before the statement: nodes/update would keep the first record
   * twice in the history. A row whose key the held write already has starts a new write,
   * sent after it, so the updates apply in the order made.
   */
  distinctBy?: string;
}

export class Neo4jTransaction {
  /** Writes not sent yet, in the order made. */
  private held: HeldWrite[] = [];
  /** Writes sent whose answer has not been awaited yet. */
  private pending: Promise<unknown>[] = [];

  constructor(private readonly runner: CypherRunner, readonly statements: Statements) {}

  /** Runs the statement of cypher/ called `name`, after the writes held back. */
  run(name: StatementName, params: Params = {}): Promise<Row[]> {
    return this.runText(this.statements[name], params);
  }

  /** Runs a statement put together from cypher/ texts (a list query, a reach with its hop bound), after the writes held back. */
  runText(text: string, params: Params = {}): Promise<Row[]> {
    this.sendHeld();
    return this.runner.run(text, params);
  }

  /**
   * Holds a write of statement `name` that returns nothing: `lists` are its row lists by
   * parameter (a list may be empty). Joined to the write held just before when that is of
   * the same statement (and, with `distinctBy`, holds none of these rows' keys); sent
   * before the next read or at the commit. See the file comment.
   */
  write(name: StatementName, lists: Record<string, readonly unknown[]>, options: WriteOptions = {}): void {
    if (Object.values(lists).every((rows) => rows.length === 0)) return;
    const { distinctBy } = options;
    const last = this.held[this.held.length - 1];
    let target = last?.name === name && Object.keys(lists).every((param) => param in last.lists) ? last : undefined;
    const start = (): HeldWrite => {
      const held: HeldWrite = { name, lists: Object.fromEntries(Object.keys(lists).map((param) => [param, []])) };
      if (distinctBy !== undefined) held.keys = new Set();
      this.held.push(held);
      return held;
    };
    for (const [param, rows] of Object.entries(lists)) {
      for (const row of rows) {
        const key = distinctBy === undefined ? undefined : (row as Record<string, unknown>)[distinctBy];
        if (target === undefined || !joins(target, distinctBy, key)) target = start();
        target.lists[param]!.push(row);
        target.keys?.add(key);
      }
    }
  }

  /** Runs `name` once per batch of `items`, passed as parameter `param`; returns all rows. */
  async runBatched(name: StatementName, param: string, items: readonly unknown[], params: Params = {}): Promise<Row[]> {
    return this.runLists(name, { [param]: items }, params);
  }

  /**
   * Runs `name` with row lists by parameter, BATCH_SIZE rows of each list per statement;
   * returns every statement's rows in order. All batches are sent at once (pipelined).
   */
  async runLists(name: StatementName, lists: Record<string, readonly unknown[]>, params: Params = {}): Promise<Row[]> {
    const answers = await Promise.all(batchesOf(lists).map((batch) => this.run(name, { ...params, ...batch })));
    return answers.flat();
  }

  /** Sends every write held back, without waiting for the answers (flush awaits them). */
  private sendHeld(): void {
    const held = this.held;
    this.held = [];
    for (const write of held) {
      for (const batch of batchesOf(write.lists)) {
        const answer = this.runner.run(this.statements[write.name], batch);
        // Awaited by flush; until then a failure must not count as unhandled.
        answer.catch(() => undefined);
        this.pending.push(answer);
      }
    }
  }

  /** Sends what is held and waits for every write sent so far; throws the first one's error, with its driver code. */
  async flush(): Promise<void> {
    this.sendHeld();
    const sent = this.pending;
    this.pending = [];
    await Promise.all(sent);
  }
}

/**
 * True when a row of key `key` may join `held`: a write keyed by no field joins one keyed
 * by none; a keyed one only where its key is not there yet (a held write keyed otherwise
 * cannot tell whether the row repeats).
 */
function joins(held: HeldWrite, distinctBy: string | undefined, key: unknown): boolean {
  if (distinctBy === undefined) return held.keys === undefined;
  return held.keys !== undefined && !held.keys.has(key);
}

/** Row lists cut into the parameters of successive statements, at most BATCH_SIZE rows of each list a statement. */
function batchesOf(lists: Record<string, readonly unknown[]>): Params[] {
  const longest = Math.max(0, ...Object.values(lists).map((rows) => rows.length));
  const batches: Params[] = [];
  for (let start = 0; start < longest; start += BATCH_SIZE) {
    batches.push(Object.fromEntries(Object.entries(lists).map(([param, rows]) => [param, rows.slice(start, start + BATCH_SIZE)])));
  }
  return batches;
}

/**
 * Requests made in the same synchronous run of the services, answered together by one
 * statement once that run ends: the service looks up or links the three kinds of node at
 * once, each with its own call. The statement sees every write made before it is sent.
 */
export class Gathered<Request, Answer> {
  private gathering: { requests: Request[]; answers: Promise<Answer[]> } | null = null;

  /** `answerAll` answers the requests gathered, aligned with them. */
  constructor(private readonly answerAll: (requests: readonly Request[]) => Promise<Answer[]>) {}

  /** Adds `request` to the requests gathered so far; resolves to its answer. */
  async add(request: Request): Promise<Answer> {
    let gathering = this.gathering;
    if (gathering === null) {
      const requests: Request[] = [];
      const answers = Promise.resolve().then(() => {
        this.gathering = null;
        return this.answerAll(requests);
      });
      gathering = { requests, answers };
      this.gathering = gathering;
    }
    const position = gathering.requests.push(request) - 1;
    return (await gathering.answers)[position]!;
  }
}
