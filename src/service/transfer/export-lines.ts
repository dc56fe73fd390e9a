/**
 * Lines of an export file read from a byte stream, numbered from 1, in constant memory: a
 * line longer than MAX_LINE_CHARS is refused rather than gathered (a hostile or damaged
 * file without newlines would otherwise fill the memory), and bytes that are not UTF-8
 * are refused rather than replaced (a replaced character would import as other text).
 */
import { ExportFileError } from './record-checks.js';

/** The longest line taken: far above any record a store writes (an erasure request of 100,000 items is about 60 MB). */
export const MAX_LINE_CHARS = 256 * 1024 * 1024;

export interface NumberedLine { text: string; number: number }

/** The lines of `input` (UTF-8 bytes), without their newlines; a last line without one is given too. */
export async function* numberedLines(input: AsyncIterable<Uint8Array | string>, maxChars = MAX_LINE_CHARS): AsyncGenerator<NumberedLine> {
  const decoder = new TextDecoder('utf-8', { fatal: true });
  let rest = '';
  let number = 0;
  const decode = (chunk: Uint8Array | undefined): string => {
    try {
      return chunk === undefined ? decoder.decode() : decoder.decode(chunk, { stream: true });
    } catch {
      throw new ExportFileError('the bytes are not UTF-8: the file is damaged or no export', number + 1);
    }
  };
  for await (const chunk of input) {
    rest += typeof chunk === 'string' ? chunk : decode(chunk);
    let start = 0;
    for (let end = rest.indexOf('\n', start); end !== -1; end = rest.indexOf('\n', start)) {
      number += 1;
      yield { text: rest.slice(start, end), number };
      start = end + 1;
    }
    rest = rest.slice(start);
    if (rest.length > maxChars) throw new ExportFileError(`a line longer than ${maxChars} characters: the file is damaged or no export`, number + 1);
  }
  rest += decode(undefined);
  if (rest !== '') yield { text: rest, number: number + 1 };
}
