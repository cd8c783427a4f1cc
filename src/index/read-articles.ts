import { createReadStream } from 'node:fs';
import { createInterface } from 'node:readline';
import { createGunzip } from 'node:zlib';
import { ArshifError } from '../errors.js';
import { type Article, parseArticle } from './article.js';

type ParsedLine =
  | { ok: true; article: Article; file: string; line: number }
  | { ok: false; error: string; file: string; line: number };

/** One line of an article file: the article, or why the line was rejected. */
export type ArticleLine = ParsedLine & {
  /** Bytes of the file read so far (compressed bytes for `.gz`), for progress; reading runs ahead of lines. */
  bytesRead: number;
};

/**
 * Reads an article file (JSON Lines, gzip-compressed when the name ends in `.gz`) line by line.
 *
 * - Yields every non-blank line as an article or as a rejection `file:line: reason`; a bad line never
 *   stops the lines after it.
 * - Throws `ArshifError('IO_ERROR')` when the file cannot be read at all.
 *
 * @example for await (const line of readArticleLines('corpus/articles.jsonl')) if (!line.ok) console.error(line.error)
 */
export async function* readArticleLines(file: string): AsyncGenerator<ArticleLine> {
  const raw = createReadStream(file);
  const input = file.endsWith('.gz') ? raw.pipe(createGunzip()) : raw;
  const failure = new Promise<never>((_, reject) => {
    const fail = (error: Error) => reject(new ArshifError('IO_ERROR', `${file}: ${error.message}`));
    raw.on('error', fail);
    input.on('error', fail);
  });
  failure.catch(() => undefined);
  const lines = createInterface({ input, crlfDelay: Infinity })[Symbol.asyncIterator]();
  let line = 0;
  for (;;) {
    const next = await Promise.race([lines.next(), failure]);
    if (next.done) return;
    line += 1;
    const text = next.value.trim();
    if (text === '') continue;
    yield { ...parseLine(text, file, line), bytesRead: raw.bytesRead };
  }
}

function parseLine(text: string, file: string, line: number): ParsedLine {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    return { ok: false, file, line, error: `${file}:${line}: not valid JSON (${(error as Error).message})` };
  }
  try {
    return { ok: true, file, line, article: parseArticle(value) };
  } catch (error) {
    return { ok: false, file, line, error: `${file}:${line}: ${(error as Error).message}` };
  }
}
