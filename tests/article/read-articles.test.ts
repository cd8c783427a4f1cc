import { stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type ArticleFormat, type ArticleLine, readArticleLines } from '../../src/article/read-articles.js';
import { temporaryDirectory } from '../helpers/temp-archive.js';

let directory: { path: string; remove: () => Promise<void> };
beforeAll(async () => {
  directory = await temporaryDirectory();
});
afterAll(() => directory.remove());

let files = 0;
/** Writes `text` to a new file of the temporary directory ending in `suffix`, gzipped for `.gz`. */
async function fileOf(text: string, suffix: string): Promise<string> {
  files += 1;
  const file = join(directory.path, `articles-${files}${suffix}`);
  await writeFile(file, suffix.endsWith('.gz') ? gzipSync(text) : text);
  return file;
}

async function readAll(file: string, format?: ArticleFormat): Promise<ArticleLine[]> {
  const lines: ArticleLine[] = [];
  for await (const line of readArticleLines(file, format)) lines.push(line);
  return lines;
}

/** What a test compares of a line: its number and article id, or its error (`FILE` for the file's name). */
type Expected = { line: number; id: string } | { line: number; error: string; skipped?: true };

function view(file: string, lines: readonly ArticleLine[]): Expected[] {
  return lines.map((line) =>
    line.ok
      ? { line: line.line, id: line.article.id }
      : {
          line: line.line,
          error: line.error.replaceAll(file, 'FILE'),
          ...(line.skipped ? { skipped: true as const } : {}),
        },
  );
}

const OIL = { id: 'oil', title: 'النفط', paragraphs: ['ارتفعت أسعار النفط في الأسواق العالمية'] };
const GOLD = { id: 'gold', title: 'الذهب', body: 'تراجع سعر الذهب مع صعود الدولار\n\nواستقرت الفضة' };
const json = (value: unknown) => JSON.stringify(value);

describe.each(['.jsonl', '.jsonl.gz'])('readArticleLines: article files ending in %s', (suffix) => {
  it.each<[string, string, Expected[]]>([
    ['an empty file', '', []],
    ['blank lines only', '\n   \n\t\n', []],
    [
      'every line an article',
      `${json(OIL)}\n${json(GOLD)}\n`,
      [
        { line: 1, id: 'oil' },
        { line: 2, id: 'gold' },
      ],
    ],
    [
      'blank lines skipped, the file keeping its line numbers',
      `\n${json(OIL)}\n\n  \n${json(GOLD)}`,
      [
        { line: 2, id: 'oil' },
        { line: 5, id: 'gold' },
      ],
    ],
    [
      'Windows line endings',
      `${json(OIL)}\r\n${json(GOLD)}\r\n`,
      [
        { line: 1, id: 'oil' },
        { line: 2, id: 'gold' },
      ],
    ],
    [
      'a line that is not JSON, the lines after it read',
      `${json(OIL)}\n{"id": "بلا نهاية\n${json(GOLD)}`,
      [
        { line: 1, id: 'oil' },
        { line: 2, error: expect.stringMatching(/^FILE:2: not valid JSON \(.+\)$/u) },
        { line: 3, id: 'gold' },
      ],
    ],
    [
      'a line that is not an article',
      `${json({ title: 'بلا معرف', paragraphs: ['نص'] })}\n${json(OIL)}`,
      [
        { line: 1, error: 'FILE:1: field "id" must be a string of 1–200 characters' },
        { line: 2, id: 'oil' },
      ],
    ],
    [
      'a line that is JSON but no object',
      `${json(['النفط'])}\n`,
      [{ line: 1, error: 'FILE:1: an article must be a JSON object' }],
    ],
  ])('%s', async (_name, text, expected) => {
    const file = await fileOf(text, suffix);
    expect(view(file, await readAll(file))).toEqual(expected);
  });

  it('gives each article as parsed: paragraphs kept, a body split on blank lines', async () => {
    const file = await fileOf(`${json(OIL)}\n${json(GOLD)}\n`, suffix);
    const articles = (await readAll(file)).map((line) => (line.ok ? line.article : line.error));
    expect(articles).toEqual([
      OIL,
      { id: 'gold', title: 'الذهب', paragraphs: ['تراجع سعر الذهب مع صعود الدولار', 'واستقرت الفضة'] },
    ]);
  });

  it('counts the bytes of the file read, compressed bytes for .gz', async () => {
    const file = await fileOf(`${json(OIL)}\n${json(GOLD)}\n`, suffix);
    const lines = await readAll(file);
    const { size } = await stat(file);
    for (const line of lines) {
      expect(line.bytesRead).toBeGreaterThan(0);
      expect(line.bytesRead).toBeLessThanOrEqual(size);
    }
    expect(lines.at(-1)!.bytesRead).toBe(size);
  });
});

describe('readArticleLines: ninjs', () => {
  const ITEM = {
    uri: 'urn:newsml:example.com:2024:oil',
    type: 'text',
    headline: 'النفط يرتفع',
    versioncreated: '2024-03-01T10:00:00Z',
    body_text: 'ارتفعت أسعار النفط في الأسواق العالمية\n\nوتوقع محللون استمرار الارتفاع',
  };
  const HTML_ITEM = {
    uri: 'urn:newsml:example.com:2024:gold',
    headlines: [{ role: 'main', value: 'الذهب يتراجع' }],
    bodies: [{ role: 'main', contentType: 'text/html', value: '<p>تراجع سعر الذهب</p><p>واستقرت الفضة</p>' }],
  };
  const PICTURE = { uri: 'urn:newsml:example.com:2024:photo', type: 'picture', headline: 'صورة' };

  it.each<[string, string, string, Expected[]]>([
    ['an empty file', '', '.json', []],
    [
      'JSON Lines of items, a picture skipped with its reason',
      `${json(ITEM)}\n\n${json(PICTURE)}\n${json(HTML_ITEM)}\n`,
      '.jsonl',
      [
        { line: 1, id: ITEM.uri },
        { line: 3, error: 'FILE:3: picture item without a text body', skipped: true },
        { line: 4, id: HTML_ITEM.uri },
      ],
    ],
    [
      'a line of our article format, which is no ninjs item',
      `${json(OIL)}\n${json(ITEM)}`,
      '.jsonl',
      [
        { line: 1, error: 'FILE:1: a ninjs item needs "uri" (or "guid"), its identifier' },
        { line: 2, id: ITEM.uri },
      ],
    ],
    ['one item over several lines', JSON.stringify(ITEM, null, 2), '.json', [{ line: 1, id: ITEM.uri }]],
    [
      'an array of items over several lines, numbered',
      JSON.stringify([ITEM, { headline: 'بلا معرف' }, PICTURE, HTML_ITEM], null, 2),
      '.json',
      [
        { line: 1, id: ITEM.uri },
        { line: 2, error: 'FILE item 2: a ninjs item needs "uri" (or "guid"), its identifier' },
        { line: 3, error: 'FILE item 3: picture item without a text body', skipped: true },
        { line: 4, id: HTML_ITEM.uri },
      ],
    ],
    [
      'an array of items on one line',
      json([ITEM, HTML_ITEM]),
      '.json',
      [
        { line: 1, id: ITEM.uri },
        { line: 2, id: HTML_ITEM.uri },
      ],
    ],
    [
      'a gzipped array of items',
      JSON.stringify([ITEM, HTML_ITEM], null, 2),
      '.json.gz',
      [
        { line: 1, id: ITEM.uri },
        { line: 2, id: HTML_ITEM.uri },
      ],
    ],
    [
      'a document that is not JSON',
      '{\n  "uri": "urn:newsml:example.com:2024:oil",\n',
      '.json',
      [{ line: 1, error: expect.stringMatching(/^FILE: not valid JSON \(.+\)$/u) }],
    ],
  ])('%s', async (_name, text, suffix, expected) => {
    const file = await fileOf(text, suffix);
    expect(view(file, await readAll(file, 'ninjs'))).toEqual(expected);
  });

  it('converts an item to an article: uri, headline, date, body paragraphs, HTML kept', async () => {
    const file = await fileOf(`${json(ITEM)}\n${json(HTML_ITEM)}\n`, '.jsonl');
    const articles = (await readAll(file, 'ninjs')).map((line) => (line.ok ? line.article : line.error));
    expect(articles).toEqual([
      {
        id: ITEM.uri,
        title: 'النفط يرتفع',
        published: '2024-03-01T10:00:00Z',
        paragraphs: ['ارتفعت أسعار النفط في الأسواق العالمية', 'وتوقع محللون استمرار الارتفاع'],
      },
      {
        id: HTML_ITEM.uri,
        title: 'الذهب يتراجع',
        html: HTML_ITEM.bodies[0]!.value,
        paragraphs: ['تراجع سعر الذهب', 'واستقرت الفضة'],
      },
    ]);
  });

  it('counts the bytes of a whole document as read', async () => {
    const file = await fileOf(JSON.stringify([ITEM, HTML_ITEM], null, 2), '.json.gz');
    const { size } = await stat(file);
    expect((await readAll(file, 'ninjs')).map((line) => line.bytesRead)).toEqual([size, size]);
  });
});

describe('readArticleLines: a file that cannot be read', () => {
  it.each<[string, ArticleFormat]>([
    ['missing.jsonl', 'article'],
    ['missing.jsonl.gz', 'article'],
    ['missing.json', 'ninjs'],
  ])('%s as %s: IO_ERROR naming the file', async (name, format) => {
    const file = join(directory.path, name);
    await expect(readAll(file, format)).rejects.toMatchObject({
      code: 'IO_ERROR',
      message: expect.stringContaining(file),
    });
  });

  it('a file that is not gzip, named .gz: IO_ERROR', async () => {
    const file = join(directory.path, 'plain.jsonl.gz');
    await writeFile(file, `${json(OIL)}\n`);
    await expect(readAll(file)).rejects.toMatchObject({
      code: 'IO_ERROR',
      message: expect.stringContaining(file),
    });
  });
});
