/**
 * The import rate of ninjs items: an article file converted to ninjs 3.x items (HTML bodies, one
 * `<p>` per paragraph), then indexed with `index --format ninjs` and, for reference, the same articles
 * in our own format with `index`. A script that prints figures, not a test.
 *
 *   npm run bench:ninjs-import -- --input ../shared/data/ant-corpus-v2.1-multisource/articles.jsonl.gz [--rounds 3]
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { gzipSync } from 'node:zlib';
import { escapeHtml } from '../src/archive/highlight.js';
import { loadArticleFiles } from '../src/archive/load-articles.js';
import { PersistentArchive } from '../src/archive/persistent-archive.js';
import type { Article } from '../src/article/article.js';
import { readArticleLines } from '../src/article/read-articles.js';

const { values } = parseArgs({
  options: { input: { type: 'string' }, rounds: { type: 'string', default: '3' } },
});
if (values.input === undefined) {
  console.error('usage: npm run bench:ninjs-import -- --input FILE [--rounds 3]');
  process.exit(2);
}

const articles: Article[] = [];
for await (const line of readArticleLines(values.input)) if (line.ok) articles.push(line.article);

/** An article as a ninjs 3.x text item, as a wire agency would send it. */
const ninjs = (article: Article) => ({
  uri: article.id,
  type: 'text',
  version: '1',
  ...(article.published ? { versionCreated: article.published } : {}),
  language: 'ar',
  headlines: [{ role: 'main', value: article.title }],
  bodies: [
    {
      role: 'main',
      contentType: 'text/html',
      value: article.paragraphs.map((paragraph) => `<p>${escapeHtml(paragraph)}</p>`).join('\n'),
    },
  ],
  ...(article.source ? { copyrightHolder: article.source } : {}),
});

const directory = mkdtempSync(join(tmpdir(), 'arshif-ninjs-'));
try {
  const ninjsFile = join(directory, 'items.jsonl.gz');
  const ownFile = join(directory, 'articles.jsonl.gz');
  writeFileSync(ninjsFile, gzipSync(articles.map((article) => JSON.stringify(ninjs(article))).join('\n')));
  writeFileSync(ownFile, gzipSync(articles.map((article) => JSON.stringify(article)).join('\n')));
  const median = (times: number[]) => [...times].sort((a, b) => a - b)[Math.floor(times.length / 2)]!;
  const timeIndex = async (file: string, format: 'article' | 'ninjs', round: number) => {
    const out = join(directory, `${format}-${round}`);
    const archive = await PersistentArchive.open(out, { autoSave: false });
    const started = performance.now();
    const report = await loadArticleFiles(archive, [file], undefined, format);
    await archive.save();
    const seconds = (performance.now() - started) / 1000;
    const same = format === 'ninjs' ? sameParagraphs(archive) : true;
    await archive.close();
    rmSync(out, { recursive: true, force: true });
    return { seconds, report, same };
  };
  const sameParagraphs = (archive: PersistentArchive) =>
    articles.every((article) => {
      const imported = archive.get(article.id);
      return (
        imported !== undefined &&
        imported.paragraphs.join('\n') ===
          article.paragraphs
            .filter((paragraph) => paragraph.trim() !== '')
            .map((paragraph) => paragraph.replace(/[\t\n\f\r ]+/gu, ' ').trim())
            .join('\n')
      );
    });
  const rows: Record<string, number[]> = { article: [], ninjs: [] };
  let checked = true;
  for (let round = 0; round < Number(values.rounds); round += 1) {
    for (const format of ['ninjs', 'article'] as const) {
      const { seconds, report, same } = await timeIndex(
        format === 'ninjs' ? ninjsFile : ownFile,
        format,
        round,
      );
      rows[format]!.push(seconds);
      checked &&= same && report.rejected.length === 0;
    }
  }
  const paragraphs = articles.reduce((sum, article) => sum + article.paragraphs.length, 0);
  console.log(`${articles.length} articles, ${paragraphs} paragraphs; medians of ${values.rounds} rounds`);
  console.log('| input | index time | articles/s | paragraphs/s |\n|---|---:|---:|---:|');
  for (const [format, times] of Object.entries(rows)) {
    const seconds = median(times);
    console.log(
      `| ${format === 'ninjs' ? 'ninjs 3.x items, HTML bodies' : 'our article format'} | ${seconds.toFixed(1)} s | ${(articles.length / seconds).toFixed(0)} | ${(paragraphs / seconds).toFixed(0)} |`,
    );
  }
  console.log(
    `ninjs paragraphs identical to the articles' (HTML white space collapsed), none rejected: ${checked}`,
  );
} finally {
  rmSync(directory, { recursive: true, force: true });
}
