/** Loading article files into an archive in batches, with a report of bad lines and progress. */
import { stat } from 'node:fs/promises';
import { ArshifError } from '../errors.js';
import { Archive } from './archive.js';
import type { PostgresStore } from '../storage/postgres-store.js';
import type { Article } from '../article/article.js';
import { PersistentArchive } from './persistent-archive.js';
import { type ArticleFormat, readArticleLines } from '../article/read-articles.js';
import { PARALLEL_THRESHOLD, SegmentBuilders } from '../storage/segment-builder.js';

/** What loading article files did. */
export interface LoadReport {
  /** Articles added (a later line with the same id replaces an earlier one). */
  articles: number;
  /** Paragraphs of those articles. */
  paragraphs: number;
  /** Rejected lines, each as `file:line: reason`. */
  rejected: string[];
  /** ninjs items without a text body, skipped (not errors). */
  skipped: number;
}

/** How far loading has come, for a progress display. */
export interface LoadProgress extends LoadReport {
  /** Bytes read of all files, and their total size (compressed bytes for `.gz`). */
  bytesRead: number;
  totalBytes: number;
}

/** Where loaded articles go: an archive, or a store that search nodes follow (`index --store`). */
export interface ArticleSink {
  /** Stores a batch of valid articles (one at a time: the next batch waits for it). */
  putAll(articles: readonly Article[]): Promise<unknown>;
  /** Throws an `ArshifError` naming why when an article's vectors cannot join the others'. */
  acceptVectors(articles: readonly Article[]): void;
}

/** Articles written to a store per transaction by {@link storeSink}. */
export const STORE_BATCH = 1_000;

/**
 * A sink writing loaded articles to a cluster's store, {@link STORE_BATCH} per transaction, their vectors
 * checked as an archive checks them, against the store's dimension once it has one.
 */
export async function storeSink(store: PostgresStore): Promise<ArticleSink> {
  const { dimensions } = await store.vectorSettings();
  const vectors = new Archive(dimensions === undefined ? {} : { vectorDimensions: dimensions });
  return {
    putAll: async (articles) => {
      for (let at = 0; at < articles.length; at += STORE_BATCH) {
        await store.write(articles.slice(at, at + STORE_BATCH));
      }
    },
    acceptVectors: (articles) => vectors.acceptVectors(articles),
  };
}

/** How {@link loadArticleFiles} loads. */
export interface LoadOptions {
  /** Paragraphs per batch ({@link BATCH_PARAGRAPHS} by default). */
  batchParagraphs?: number;
}

/**
 * Paragraphs loaded per batch: each batch is one durable transaction of a persistent archive, and is
 * indexed on every core into compact segments of its own.
 */
const BATCH_PARAGRAPHS = 200_000;

/**
 * The first batch's size at most: the builder threads wait for the first batch to be read whole, so a
 * smaller one sets them to work sooner (ANT: reading its first 200,000 paragraphs took a second).
 */
const FIRST_BATCH_PARAGRAPHS = 100_000;

/**
 * Adds every article of the given files to an archive; bad lines are reported, never fatal.
 *
 * - Articles are added in batches, each one durable transaction of a {@link PersistentArchive}, each
 *   analysed on every core.
 * - `onProgress` is called after every line.
 * - The next batch is read while the last one is stored and built.
 *
 * @example const { rejected } = await loadArticleFiles(archive, ['corpus/articles.jsonl']);
 */
export async function loadArticleFiles(
  target: Archive | PersistentArchive | ArticleSink,
  files: readonly string[],
  onProgress?: (progress: LoadProgress) => void,
  format: ArticleFormat = 'article',
  { batchParagraphs = BATCH_PARAGRAPHS }: LoadOptions = {},
): Promise<LoadReport> {
  let archive: ArticleSink;
  let builders: SegmentBuilders | undefined;
  if (target instanceof Archive || target instanceof PersistentArchive) {
    // An archive builds its segments in the same threads batch after batch (a store sink builds none).
    builders = new SegmentBuilders();
    const vectors = target instanceof PersistentArchive ? target.archive : target;
    archive = {
      putAll: (articles) => target.putAll(articles, builders),
      acceptVectors: (articles) => vectors.acceptVectors(articles),
    };
  } else archive = target;
  let report: LoadReport;
  try {
    report = await loadInBatches(archive, files, { builders, onProgress, format, batchParagraphs });
  } finally {
    await builders?.close();
  }
  // A loaded archive is searched from sealed segments (a persistent one seals on its own schedule).
  if (target instanceof Archive && !target.engine.segments.publishes) target.seal();
  return report;
}

/**
 * {@link loadArticleFiles}' reading: the next batch is read while the last one is stored and built, and
 * the builder threads start once a batch is large enough to be built in parallel.
 */
async function loadInBatches(
  archive: ArticleSink,
  files: readonly string[],
  {
    builders,
    onProgress,
    format,
    batchParagraphs,
  }: {
    builders: SegmentBuilders | undefined;
    onProgress: ((progress: LoadProgress) => void) | undefined;
    format: ArticleFormat;
    batchParagraphs: number;
  },
): Promise<LoadReport> {
  const report: LoadReport = { articles: 0, paragraphs: 0, rejected: [], skipped: 0 };
  const sizes = await Promise.all(
    files.map((file) =>
      stat(file).then(
        (info) => info.size,
        () => 0,
      ),
    ),
  );
  const totalBytes = sizes.reduce((sum, size) => sum + size, 0);
  let finishedBytes = 0;
  let batch: Article[] = [];
  let inBatch = 0;
  // The batch being stored and built: one at a time, in order (a later one may replace its articles).
  let storing: Promise<unknown> = Promise.resolve();
  let batchLimit = Math.min(batchParagraphs, FIRST_BATCH_PARAGRAPHS);
  const flush = async () => {
    batchLimit = batchParagraphs;
    const articles = batch;
    batch = [];
    inBatch = 0;
    await storing;
    storing = articles.length > 0 ? archive.putAll(articles) : Promise.resolve();
    // Awaited at the next flush or at the end; until then a failure must not count as unhandled.
    storing.catch(() => undefined);
  };
  try {
    for (const [index, file] of files.entries()) {
      for await (const line of readArticleLines(file, format)) {
        const refused = line.ok ? vectorsRefused(archive, line.article) : undefined;
        if (refused !== undefined) {
          report.rejected.push(`${line.file}:${line.line}: ${refused}`);
        } else if (line.ok) {
          batch.push(line.article);
          inBatch += line.article.paragraphs.length;
          report.articles += 1;
          report.paragraphs += line.article.paragraphs.length;
          if (inBatch >= PARALLEL_THRESHOLD) builders?.start();
          if (inBatch >= batchLimit) await flush();
        } else if (line.skipped) {
          report.skipped += 1;
        } else {
          report.rejected.push(line.error);
        }
        onProgress?.({ ...report, bytesRead: finishedBytes + line.bytesRead, totalBytes });
      }
      finishedBytes += sizes[index] ?? 0;
    }
  } catch (error) {
    // A batch under way is finished before the error is reported: it has changed the archive.
    await storing.catch(() => undefined);
    throw error;
  }
  await flush();
  await storing;
  return report;
}

/**
 * Why an article's vectors cannot join the archive (another dimension, say), or `undefined`: checked
 * line by line, so that one bad line is reported rather than refuse its whole batch.
 */
function vectorsRefused(archive: ArticleSink, article: Article): string | undefined {
  try {
    archive.acceptVectors([article]);
    return undefined;
  } catch (error) {
    if (error instanceof ArshifError) return error.message;
    throw error;
  }
}
