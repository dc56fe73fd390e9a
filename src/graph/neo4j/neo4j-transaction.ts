/**
 * One transaction's statement runner, shared by the three concern parts of a StoreTx
 * (neo4j-graph.ts, neo4j-keys.ts, neo4j-privacy.ts): statements by name from cypher/,
 * key lists sent in batches, and writes pipelined.
 *
 * Writes that return nothing are sent without waiting for their answer (the driver
 * pipelines them on the transaction's connection), so a caller's next step, usually
 * another statement, overlaps the database's work instead of paying a round trip per
 * write. The server runs a transaction's statements in the order sent, so a later read
 * sees every earlier write; a failed write fails every later statement with its own
 * code, and `flush` (run by Neo4jStore before the commit) surfaces it otherwise.
 */
import { chunks } from './neo4j-batches.js';
import type { CypherRunner, Params, Row } from './neo4j-executor.js';
import type { StatementName, Statements } from './neo4j-statements.js';

export class Neo4jTransaction {
  /** Writes sent whose answer has not been awaited yet. */
  private pending: Promise<unknown>[] = [];

  constructor(private readonly runner: CypherRunner, readonly statements: Statements) {}

  /** Runs the statement of cypher/ called `name`. */
  run(name: StatementName, params: Params = {}): Promise<Row[]> {
    return this.runner.run(this.statements[name], params);
  }

  /** Runs a statement put together from cypher/ texts (a list query, a reach with its hop bound). */
  runText(text: string, params: Params = {}): Promise<Row[]> {
    return this.runner.run(text, params);
  }

  /** Sends `name` once per batch of `items` (as parameter `param`) without awaiting the answers; see the file comment. */
  send(name: StatementName, param: string, items: readonly unknown[]): Promise<void> {
    for (const batch of chunks(items)) {
      const answer = this.run(name, { [param]: batch });
      // Awaited by flush; until then a failure must not count as unhandled.
      answer.catch(() => undefined);
      this.pending.push(answer);
    }
    return Promise.resolve();
  }

  /** Runs `name` once per batch of `items`, passed as parameter `param`; returns all rows. */
  async runBatched(name: StatementName, param: string, items: readonly unknown[], params: Params = {}): Promise<Row[]> {
    // All batches are sent at once (pipelined); their answers come back in order.
    const answers = await Promise.all(chunks(items).map((batch) => this.run(name, { ...params, [param]: batch })));
    return answers.flat();
  }

  /** Waits for every write sent so far; throws the first one's error, with its driver code. */
  async flush(): Promise<void> {
    const sent = this.pending;
    this.pending = [];
    await Promise.all(sent);
  }
}
