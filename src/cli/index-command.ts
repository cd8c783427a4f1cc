/** The `arshif index` command: builds or extends a persistent archive from article files. */
import { loadArticleFiles, STORE_BATCH, storeSink } from '../archive/load-articles.js';
import type { ArticleFormat } from '../article/read-articles.js';
import type { VectorSimilarity } from '../search/engine.js';
import { PostgresStore } from '../storage/postgres-store.js';
import { PersistentArchive } from '../archive/persistent-archive.js';
import { SIMILARITY_HELP, similarityOption } from './open-archive.js';
import { progressBar } from './progress-bar.js';
import { type Command, type CommandContext, parseCommandArgs, UsageError } from './usage.js';

/** `arshif index FILE... --out DIR`: builds or extends a persistent archive. */
export const indexCommand: Command = {
  name: 'index',
  summary: 'build a persistent archive from article files',
  help: `Usage: arshif index FILE... (--out DIR | --store postgres://…) [--format article|ninjs] [--similarity cosine|dot]

Reads article files (JSON Lines, .jsonl or .jsonl.gz) into the archive in DIR — created when
it does not exist; an article whose id is already there is replaced, unless it is an older
version of it — then saves the index snapshot that lets "serve --index DIR" and "search --index
DIR" start without re-indexing.

Shows a progress bar on a terminal and prints one summary line. Bad lines are reported with
their file and line number and never stop the others; the exit status is then 1.

  --out DIR        the archive directory
  --store URL      instead: load the articles into the PostgreSQL store at URL (cluster mode), in
                   transactions of ${STORE_BATCH} articles, for "serve --store URL" nodes to follow
  --format ninjs   the files hold IPTC ninjs items (1.x-3.x): one per line, or a JSON array or a
                   single item per file; items without a text body (pictures, video) are skipped
                   and counted. Default: our article format.
${SIMILARITY_HELP}

Articles may carry "vectors", one per paragraph (null for none), all of one dimension: a line
whose vectors have another dimension than the archive's is reported like any bad line.

Example: arshif index corpus/articles.jsonl --out data/archive`,
  async run({ args, stdout, stderr }) {
    const { values, positionals } = parseCommandArgs(args, {
      out: { type: 'string' },
      format: { type: 'string' },
      similarity: { type: 'string' },
      store: { type: 'string' },
    });
    const similarity = similarityOption(values.similarity);
    const format = values.format ?? 'article';
    if (format !== 'article' && format !== 'ninjs') {
      throw new UsageError(`--format must be article or ninjs, got "${format}"`);
    }
    if (positionals.length === 0) throw new UsageError('index needs at least one article FILE');
    const started = performance.now();
    const warn = (line: string) => stderr.write(`arshif: ${line}\n`);
    if (values.store !== undefined) {
      if (values.out !== undefined) throw new UsageError('give --out DIR or --store URL, not both');
      return loadIntoStore(values.store, positionals, format, { stdout, stderr }, started, similarity);
    }
    if (values.out === undefined || values.out === '') throw new UsageError('index needs --out DIR');
    const archive = await PersistentArchive.open(values.out, { autoSave: false, log: warn, ...similarity });
    try {
      const progress = stderr.isTTY ? progressBar(stderr, started) : undefined;
      const report = await loadArticleFiles(archive, positionals, progress?.update, format);
      progress?.finish();
      for (const line of report.rejected) stderr.write(`${line}\n`);
      await archive.save();
      const { articles, paragraphs } = archive.stats();
      const seconds = ((performance.now() - started) / 1000).toFixed(1);
      stdout.write(
        `indexed ${report.articles} articles (${report.paragraphs} paragraphs), ${report.rejected.length} rejected lines${report.skipped > 0 ? `, ${report.skipped} items without text skipped` : ''}, in ${seconds} s; ${values.out} holds ${articles} articles, ${paragraphs} paragraphs\n`,
      );
      return report.rejected.length > 0 ? 1 : 0;
    } finally {
      await archive.close();
    }
  },
};

/** `index FILE... --store URL`: the files' articles written to a PostgreSQL store, batch by batch. */
async function loadIntoStore(
  url: string,
  files: readonly string[],
  format: ArticleFormat,
  { stdout, stderr }: Pick<CommandContext, 'stdout' | 'stderr'>,
  started: number,
  similarity: { vectorSimilarity?: VectorSimilarity },
): Promise<number> {
  const store = await PostgresStore.connect(url);
  try {
    if (similarity.vectorSimilarity !== undefined)
      await store.setVectorSimilarity(similarity.vectorSimilarity);
    const sink = await storeSink(store);
    const progress = stderr.isTTY ? progressBar(stderr, started) : undefined;
    const report = await loadArticleFiles(sink, files, progress?.update, format);
    progress?.finish();
    for (const line of report.rejected) stderr.write(`${line}\n`);
    const seconds = ((performance.now() - started) / 1000).toFixed(1);
    stdout.write(
      `stored ${report.articles} articles (${report.paragraphs} paragraphs), ${report.rejected.length} rejected lines${report.skipped > 0 ? `, ${report.skipped} items without text skipped` : ''}, in ${seconds} s; ${store.name} holds ${await store.count()} articles\n`,
    );
    return report.rejected.length > 0 ? 1 : 0;
  } finally {
    await store.close();
  }
}
