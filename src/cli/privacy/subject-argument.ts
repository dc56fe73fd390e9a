/**
 * A data subject's identifier as a command takes it. The identifier is personal data: it
 * travels only as a GraphQL variable in a POST body (never in a URL or a query's text), and
 * no message of the CLI repeats it. `-` reads it from stdin's first line instead, so that it
 * stays out of `ps`, the shell's history and a CI log's echoed command line.
 */
import { UsageError } from '../exit-codes.js';

/** Help text for the <subject> argument. */
export const SUBJECT_ARGUMENT_HELP = "the data subject's identifier as registered, or - to read it from stdin's first line (keeps it out of ps and the shell history)";

/** Reads all of a stream as text. */
async function readAll(stream: NodeJS.ReadableStream): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(typeof chunk === 'string' ? Buffer.from(chunk) : chunk);
  return Buffer.concat(chunks).toString('utf8');
}

/** The identifier `argument` gives (stdin's first line for `-`); a UsageError that never quotes it when it is empty. */
export async function subjectOf(argument: string, stdin: NodeJS.ReadableStream = process.stdin): Promise<string> {
  const subject = argument === '-' ? (await readAll(stdin)).split(/\r?\n/)[0]! : argument;
  if (subject.trim() === '') throw new UsageError(argument === '-' ? 'the subject identifier on stdin is empty' : 'the subject identifier is empty');
  return subject;
}
