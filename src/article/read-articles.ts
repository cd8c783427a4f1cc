/** Reading article files (JSON Lines, gzipped or not, our format or ninjs) line by line. */
import { createReadStream } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { createInterface } from 'node:readline';
import { createGunzip, gunzipSync } from 'node:zlib';
import { ArshifError } from '../errors.js';
import { ninjsToArticle } from '../ingest/ninjs.js';
import { type Article, parseArticle } from './article.js';

type ParsedLine =
  | { ok: true; article: Article; file: string; line: number }
  /** `skipped`: a ninjs item without a text body, not an error; `error` then says why it was skipped. */
  | { ok: false; error: string; file: string; line: number; skipped?: true };

/** What article files hold: our article format, or IPTC ninjs items. */
export type ArticleFormat = 'article' | 'ninjs';

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
 * - `ninjs`: the lines are ninjs items, converted (see {@link ninjsToArticle}); a file whose first line
 *   is not a whole JSON value is one JSON document instead, an item or an array of items, numbered
 *   `file item N`.
 * - Throws `ArshifError('IO_ERROR')` when the file cannot be read at all.
 *
 * @example for await (const line of readArticleLines('corpus/articles.jsonl')) if (!line.ok) console.error(line.error)
 */
export async function* readArticleLines(
  file: string,
  format: ArticleFormat = 'article',
): AsyncGenerator<ArticleLine> {
  if (format === 'ninjs' && !(await firstLineIsJson(file))) {
    yield* readNinjsDocument(file);
    return;
  }
  const { raw, next, close } = openLines(file);
  try {
    let line = 0;
    for (;;) {
      const read = await next();
      if (read.done) return;
      line += 1;
      const text = read.value.trim();
      if (text === '') continue;
      yield { ...parseLine(text, file, line, format), bytesRead: raw.bytesRead };
    }
  } finally {
    close();
  }
}

/**
 * A file's lines (gunzipped when it ends in `.gz`): `next()` rejects with `ArshifError('IO_ERROR')` when
 * the file cannot be read; `close()` releases it, read to the end or not.
 */
function openLines(file: string) {
  const raw = createReadStream(file);
  const input = file.endsWith('.gz') ? raw.pipe(createGunzip()) : raw;
  const failure = new Promise<never>((_, reject) => {
    const fail = (error: Error) => reject(new ArshifError('IO_ERROR', `${file}: ${error.message}`));
    raw.on('error', fail);
    input.on('error', fail);
  });
  failure.catch(() => undefined);
  const lines = createInterface({ input, crlfDelay: Infinity });
  const iterator = lines[Symbol.asyncIterator]();
  return {
    raw,
    next: () => Promise.race([iterator.next(), failure]),
    close: () => {
      lines.close();
      raw.destroy();
    },
  };
}

function parseLine(text: string, file: string, line: number, format: ArticleFormat): ParsedLine {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    return { ok: false, file, line, error: `${file}:${line}: not valid JSON (${(error as Error).message})` };
  }
  return parseValue(value, file, line, `${file}:${line}`, format);
}

function parseValue(
  value: unknown,
  file: string,
  line: number,
  place: string,
  format: ArticleFormat,
): ParsedLine {
  try {
    if (format === 'ninjs') {
      const converted = ninjsToArticle(value);
      if ('skipped' in converted)
        return { ok: false, skipped: true, file, line, error: `${place}: ${converted.skipped}` };
      value = converted.article;
    }
    return { ok: true, file, line, article: parseArticle(value) };
  } catch (error) {
    return { ok: false, file, line, error: `${place}: ${(error as Error).message}` };
  }
}

/**
 * Whether a file's first non-blank line is a whole JSON value (JSON Lines) rather than a document's
 * start. A file that cannot be read counts as JSON Lines, whose reading reports it.
 */
async function firstLineIsJson(file: string): Promise<boolean> {
  const { next, close } = openLines(file);
  try {
    for (;;) {
      const read = await next();
      if (read.done) return true;
      const line = read.value.trim();
      if (line === '') continue;
      try {
        JSON.parse(line);
        return !line.startsWith('[');
      } catch {
        return false;
      }
    }
  } catch {
    return true;
  } finally {
    close();
  }
}

/** A whole file of one ninjs item or an array of them. */
async function* readNinjsDocument(file: string): AsyncGenerator<ArticleLine> {
  let text: string;
  // Bytes of the file, as progress counts them for every file (compressed bytes for `.gz`).
  let bytesRead: number;
  try {
    const bytes = await readFile(file);
    bytesRead = bytes.length;
    text = (file.endsWith('.gz') ? gunzipSync(bytes) : bytes).toString('utf8');
  } catch (error) {
    throw new ArshifError('IO_ERROR', `${file}: ${(error as Error).message}`);
  }
  let document: unknown;
  try {
    document = JSON.parse(text);
  } catch (error) {
    yield {
      ok: false,
      file,
      line: 1,
      error: `${file}: not valid JSON (${(error as Error).message})`,
      bytesRead,
    };
    return;
  }
  const items = Array.isArray(document) ? document : [document];
  for (const [index, item] of items.entries()) {
    yield {
      ...parseValue(item, file, index + 1, `${file} item ${index + 1}`, 'ninjs'),
      bytesRead,
    };
  }
}
