/** An archive kept in a directory: durable writes to its store, its index saved as segment files and a snapshot. */
import { existsSync } from 'node:fs';
import { mkdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import type { Token } from '../analysis/analyze.js';
import { ArshifError } from '../errors.js';
import {
  commitSegments,
  type LoadedArchive,
  loadArchive,
  newSegmentFile,
  rememberSegmentFile,
  removeLeftovers,
  type SaveReport,
  saveArchive,
  SEGMENTS_DIRECTORY,
  STORE_FILE,
} from './archive-directory.js';
import type { CompactSegmentData } from '../search/segments.js';
import type { Archive, ArchiveEngineOptions, ArchiveStats, EarlyBuild } from './archive.js';
import type { RelatedOptions, RelatedResponse, SearchResponse } from './archive-search.js';
import type { SynonymGroup } from '../search/engine.js';
import { SqliteStore } from '../storage/sqlite-store.js';
import { type Article, isOlderVersion, parseArticle } from '../article/article.js';
import { type SegmentBuild, type SegmentBuilders, SegmentWorker } from '../storage/segment-builder.js';
import { lockDirectory } from '../platform/directory-lock.js';
import { type ArchiveReader, SearchReplicas, type SearchReplicasOptions } from './search-replicas.js';
import { StoreWriter } from '../storage/store-writer.js';
import type { SearchOptions } from './search-options.js';

/** Durable writes to an archive: each resolves only once the change survives a crash. */
export interface ArticleWriter {
  /** Validates and stores one article or an array of them, all or none; resolves to the stored articles. */
  put(value: unknown): Promise<Article[]>;
  /** {@link put}, telling which articles were ignored as older versions of stored ones. */
  write(value: unknown): Promise<WriteReport>;
  /** What an operator watches (see {@link IndexStatus}). */
  indexStatus?(): IndexStatus;
  /** Removes an article; resolves to whether it was there. */
  remove(id: string): Promise<boolean>;
  /** {@link remove}, with the write's position in a cluster. */
  removeArticle(id: string): Promise<RemoveReport>;
}

/** The state of a writable archive's index, for metrics. */
export interface IndexStatus {
  /** Compact segments searched. */
  segments: number;
  /** Writes on disk that the saved snapshot does not cover yet (indexed again if the process stops). */
  unsavedWrites: number;
  /** Seconds since the snapshot was last saved (or, none saved yet, since the archive opened). */
  snapshotAgeSeconds: number;
}

/** What a write did: the articles stored, and those ignored for being older than the stored version. */
export interface WriteReport {
  stored: Article[];
  ignored: IgnoredVersion[];
  /** In a cluster, the write's position: a search asked `after` it answers once it holds the write. */
  position?: string;
}

/** What a removal did: whether the article was there; in a cluster, the write's position. */
export interface RemoveReport {
  removed: boolean;
  position?: string;
}

/** An article not applied: its `version` is older than the one stored (or being stored). */
export interface IgnoredVersion {
  id: string;
  version: string;
  storedVersion: string;
}

/** When the snapshot is refreshed in the background. */
export interface AutoSaveOptions {
  /** Refresh once this many articles were written since the snapshot. Default 1,000. */
  changes: number;
  /** Refresh this long after the first write the snapshot lacks, in ms. Default 60,000. */
  delayMs: number;
}

/** Options of {@link PersistentArchive.open}. */
export interface PersistentArchiveOptions extends ArchiveEngineOptions {
  /** Create the archive when the directory holds none. Default `true`; `false` throws `NOT_FOUND` instead. */
  create?: boolean;
  /**
   * Open for searching only: no writes, no snapshot saved, and no writer lock, so it can open an archive
   * another process serves. Implies `create: false`. Default `false`.
   */
  readonly?: boolean;
  /**
   * Refreshes the snapshot in a worker thread after writes; `false` saves only on {@link
   * PersistentArchive.save}. Default {@link DEFAULT_AUTO_SAVE}.
   */
  autoSave?: Partial<AutoSaveOptions> | false;
  /** Receives one line for each event worth an operator's eye (a snapshot rebuilt, saved, failed). Default: none. */
  log?: (line: string) => void;
}

/** How {@link PersistentArchive.open} got the index. */
export interface OpenReport {
  /** `snapshot`: loaded and brought up to date; `store`: rebuilt from every stored article. */
  from: 'snapshot' | 'store';
  /** Articles analysed and indexed while opening. */
  reindexed: number;
  /** Time to open, in ms. */
  ms: number;
}

/** Default of {@link PersistentArchiveOptions.autoSave}. */
export const DEFAULT_AUTO_SAVE: Readonly<AutoSaveOptions> = Object.freeze({
  changes: 1_000,
  delayMs: 60_000,
});

/** The shortest time between two published batches of writes (see {@link PersistentArchive.searchable}). */
const REFRESH_INTERVAL_MS = 25;

/**
 * CPU priorities (nice values) of the threads behind a service's searches: seals and merges get about
 * a tenth of a core searches also want; publishing writes, which writers wait for, about a quarter.
 */
const MERGE_NICENESS = 10;
const PUBLISH_NICENESS = 5;

/**
 * An archive kept in a directory: articles in SQLite, the source of truth, and a snapshot of the index
 * that makes starting fast.
 *
 * - A write is durable before it resolves, and searches see it as soon as it resolves.
 * - Opening loads the snapshot and re-indexes only what changed after it; a missing, outdated,
 *   truncated or corrupt snapshot is rebuilt from the store (and said so on `log`).
 * - The snapshot is refreshed in a worker thread, so a large index never blocks searches while saved.
 * - Reads (search, related, get, stats, analyze, synonyms) are those of the in-memory {@link archive},
 *   which answers them; write only through this object.
 *
 * @example
 * const archive = await PersistentArchive.open('data/archive');
 * await archive.put({ id: 'a1', title: 'النفط', paragraphs: ['ارتفعت أسعار النفط اليوم'] });
 * archive.search('اسعار').hits[0]?.id; // → 'a1'
 * await archive.close();
 */
export class PersistentArchive implements ArticleWriter, ArchiveReader {
  private position: number;
  private snapshotPosition: number;
  private timer: NodeJS.Timeout | undefined;
  private background: SegmentBuild | undefined;
  /** The thread that seals and merges in the background, started at the first seal. */
  private readonly segmentWorker = new SegmentWorker(MERGE_NICENESS);
  /**
   * Publishing writes, once search replicas run (see {@link startSearchReplicas}): the replicas, the
   * thread that seals each batch of fresh writes, the writes waiting for the next batch, the batch under
   * way, and the store position every sealed batch covers.
   */
  private publisher:
    | {
        replicas: SearchReplicas;
        worker: SegmentWorker;
        waiting: (() => void)[];
        running: Promise<void> | undefined;
        position: number;
        started: number;
      }
    | undefined;
  private refreshing: Promise<SaveReport> | undefined;
  /** Merges of published batches under way (see {@link mergeSoon}). */
  private merging: Promise<void> | undefined;
  private saving: Promise<unknown> = Promise.resolve();
  private closed = false;
  /** Articles written but not yet on disk, by id: whose versions a late older version is compared with. */
  private readonly pendingWrites = new Map<string, Article>();
  /** After a failed refresh the next one waits for the timer, so a persistent failure cannot spin. */
  private lastSaveFailed = false;

  private constructor(
    /** The directory the archive lives in. */
    readonly directory: string,
    /** How opening got the index. */
    readonly opened: OpenReport,
    private readonly store: SqliteStore,
    private readonly memory: Archive,
    loaded: LoadedArchive,
    private readonly options: ArchiveEngineOptions,
    private readonly autoSave: AutoSaveOptions | false,
    private readonly log: (line: string) => void,
    /** The writer lock; none when read-only. */
    private readonly lock: { release: () => void } | undefined,
    /** Commits writes in a thread of its own; none when read-only. */
    private readonly writer: StoreWriter | undefined,
  ) {
    this.position = loaded.position;
    this.snapshotPosition = loaded.snapshotPosition ?? -1;
  }

  /** When the snapshot was last saved by this process, or the archive opened (`Date.now()` ms). */
  private snapshotSavedAt = Date.now();

  /** The state of the index, for metrics. */
  indexStatus(): IndexStatus {
    return {
      segments: this.memory.engine.segments.compactSegments.length,
      unsavedWrites: Math.max(0, this.position - this.snapshotPosition),
      snapshotAgeSeconds: (Date.now() - this.snapshotSavedAt) / 1000,
    };
  }

  /**
   * Opens the archive of a directory, creating it when it does not exist.
   *
   * - Throws `ArshifError('BAD_INDEX')` when the store is not an Arshif store or is damaged: the
   *   snapshot can always be rebuilt, the store cannot.
   */
  static async open(directory: string, options: PersistentArchiveOptions = {}): Promise<PersistentArchive> {
    const { autoSave, create = true, readonly = false, log = () => undefined, ...indexOptions } = options;
    if ((readonly || !create) && !existsSync(join(directory, STORE_FILE))) {
      throw new ArshifError(
        'NOT_FOUND',
        `no archive in ${directory} (build one with: arshif index FILE... --out DIR)`,
      );
    }
    await mkdir(directory, { recursive: true });
    const lock = readonly ? undefined : lockDirectory(directory);
    const started = performance.now();
    let store: SqliteStore | undefined;
    let writer: StoreWriter | undefined;
    try {
      if (!readonly) {
        await removeLeftovers(directory);
        await mkdir(join(directory, SEGMENTS_DIRECTORY), { recursive: true });
      }
      store = SqliteStore.open(join(directory, STORE_FILE), { readonly });
      // How vectors are compared: as asked (refused once the first vector fixed another), else as stored.
      if (indexOptions.vectorSimilarity !== undefined && !readonly)
        store.setVectorSimilarity(indexOptions.vectorSimilarity);
      const stored = store.vectorSettings().similarity;
      if (
        indexOptions.vectorSimilarity !== undefined &&
        stored !== undefined &&
        stored !== indexOptions.vectorSimilarity
      ) {
        throw new ArshifError(
          'BAD_PARAMETER',
          `the archive's vectors are compared by ${stored} similarity; it cannot be opened for ${indexOptions.vectorSimilarity}`,
        );
      }
      if (stored !== undefined) indexOptions.vectorSimilarity = stored;
      if (!readonly) writer = new StoreWriter(store.file);
      const loaded = await loadArchive(directory, store, indexOptions, log);
      const opened: OpenReport = {
        from: loaded.snapshotPosition === undefined ? 'store' : 'snapshot',
        reindexed: loaded.reindexed,
        ms: Math.round(performance.now() - started),
      };
      const archive = new PersistentArchive(
        directory,
        opened,
        store,
        loaded.archive,
        loaded,
        indexOptions,
        autoSave === false || readonly ? false : { ...DEFAULT_AUTO_SAVE, ...autoSave },
        log,
        lock,
        writer,
      );
      if (readonly) return archive;
      if (loaded.snapshotPosition === undefined && loaded.position > 0) {
        // Rebuilt from the store: save now, in this thread, which already holds the whole index.
        await archive.save();
      } else {
        archive.scheduleSave();
      }
      return archive;
    } catch (error) {
      await writer?.close();
      store?.close();
      lock?.release();
      throw error;
    }
  }

  /** The in-memory archive that answers reads; write through this object, never through it. */
  get archive(): Archive {
    return this.memory;
  }

  /** Counts of articles and indexed paragraphs. */
  stats(): ArchiveStats {
    return this.memory.stats();
  }

  /** The stored article, or `undefined`; its `vectors` only when asked for. */
  get(id: string, options: { vectors?: boolean } = {}): Article | undefined {
    return this.memory.get(id, options);
  }

  /** How the archive's vectors are compared, and their dimension once the first is stored. */
  get vectorSettings(): Archive['vectorSettings'] {
    return this.memory.vectorSettings;
  }

  /** Paragraphs of other articles close to one paragraph, as {@link Archive.related}. */
  related(id: string, para: number, options: RelatedOptions = {}): RelatedResponse {
    return this.memory.related(id, para, options);
  }

  /**
   * Starts search replicas of this archive on the other cores (see {@link SearchReplicas}), once no
   * snapshot refresh is under way. Close them before the archive.
   */
  async startSearchReplicas(
    options: Pick<SearchReplicasOptions, 'count' | 'awaitReady'> = {},
  ): Promise<SearchReplicas> {
    this.assertOpen();
    // A replica starts from a state with no seal or merge under way.
    while (this.refreshing !== undefined) await this.saving;
    const replicas = await SearchReplicas.start(this.memory, {
      ...options,
      storeFile: this.store.file,
      log: this.log,
    });
    if (this.lock !== undefined && this.publisher === undefined) {
      // From now on the replicas never index a write: each batch is sealed in a worker and shared.
      this.publisher = {
        replicas,
        worker: new SegmentWorker(PUBLISH_NICENESS),
        waiting: [],
        running: undefined,
        position: this.position,
        started: 0,
      };
      this.memory.publishWrites(true);
      // The writer's and the publisher's threads start with the first write, not now: an archive that
      // is only searched does not keep two idle threads (20 MB on ANT), and the first write of a process
      // waits about 0.1 s more for them to load.
    }
    return replicas;
  }

  /**
   * Resolves once the writes made so far are searched, everywhere: with search replicas, once the live
   * segment they went to is sealed in the publisher's worker and every replica has the segment (Lucene's
   * refresh, waited for as Elasticsearch's `refresh=wait_for` does). Writes arriving meanwhile go together
   * in the next batch, as commits do.
   */
  private searchable(): Promise<void> {
    const publisher = this.publisher;
    if (publisher === undefined) return Promise.resolve();
    const done = new Promise<void>((resolve) => publisher.waiting.push(resolve));
    publisher.running ??= this.publish(publisher);
    return done;
  }

  private async publish(publisher: NonNullable<PersistentArchive['publisher']>): Promise<void> {
    while (publisher.waiting.length > 0) {
      // At most one batch a refresh interval, so that batches (and the segments they leave) are few.
      const pause = publisher.started + REFRESH_INTERVAL_MS - performance.now();
      if (pause > 0) await new Promise((resolve) => setTimeout(resolve, pause));
      publisher.started = performance.now();
      const waiting = publisher.waiting.splice(0);
      const position = this.position;
      try {
        const articles = this.memory.beginSeal();
        if (articles !== undefined) {
          let data: CompactSegmentData | undefined;
          try {
            data =
              articles.length === 0
                ? undefined
                : (await publisher.worker.run({ articles, analysis: this.memory.engine.analysis }).done).data;
          } catch {
            data = undefined; // sealed in this thread instead
          }
          this.memory.finishSeal(data);
          publisher.position = position;
        }
        await publisher.replicas.searchable();
      } catch (error) {
        // The writes are durable: they are answered, and found once a later batch or a restart indexes them.
        this.log(`publishing writes failed: ${(error as Error).message}`);
      }
      for (const resolve of waiting) resolve();
      this.mergeSoon();
    }
    publisher.running = undefined;
  }

  /** Searches the archive, as {@link Archive.search}. */
  search(query: string, options: SearchOptions = {}): SearchResponse {
    return this.memory.search(query, options);
  }

  /** The synonym groups searches expand query words with, as {@link Archive.synonymGroups}. */
  synonymGroups(): SynonymGroup[] {
    return this.memory.synonymGroups();
  }

  /** Analyses text as the index does. */
  analyze(text: string): Token[] {
    return this.memory.analyze(text);
  }

  /**
   * Adds or replaces one article or an array of them, all or none.
   *
   * - Every value is validated first; an invalid one throws `INVALID_ARTICLE` naming it and its field,
   *   and nothing is stored.
   * - An article whose `version` is older than the stored one's is ignored (see {@link write}).
   * - Resolves once the articles are on disk; searches see them from then on.
   */
  async put(value: unknown): Promise<Article[]> {
    return (await this.write(value)).stored;
  }

  /**
   * {@link put}, reporting the articles ignored: a version older than the one stored, or than one
   * written before it and still on its way to disk, or than a later one of the same batch, is not
   * applied (a wire item arriving late must not undo its correction).
   */
  async write(value: unknown): Promise<WriteReport> {
    this.assertWritable();
    const { kept: articles, ignored } = this.newestVersions(
      parseBatch(Array.isArray(value) ? value : [value], this.memory),
    );
    if (articles.length === 0) return { stored: [], ignored };
    await this.withPendingVersions(articles, () =>
      this.writer!.write({ put: articles }, ({ position }) => {
        // In commit order, once on disk: searches see the articles from now on.
        this.position = position;
        this.memory.putMany(articles);
        this.scheduleSave();
      }),
    );
    await this.searchable();
    return { stored: articles, ignored };
  }

  /**
   * {@link put} for many articles at once: one durable transaction, then indexing on every core (see
   * {@link Archive.putAll}, by `builders` when given). Resolves once they are on disk and searchable.
   */
  async putAll(values: readonly unknown[], builders?: SegmentBuilders): Promise<Article[]> {
    this.assertWritable();
    const { kept: articles } = this.newestVersions(parseBatch(values, this.memory));
    if (articles.length === 0) return [];
    let indexed: Promise<unknown> = Promise.resolve();
    let early: EarlyBuild | undefined;
    await this.withPendingVersions(articles, () => {
      const written = this.writer!.write({ put: articles }, ({ position }) => {
        this.position = position;
        indexed = this.memory.putAll(articles, builders, early);
      });
      // A bulk batch is analysed while the store commits it (ANT's first 200,000 paragraphs: 2.6 s
      // of SQLite), and searched only once it is durable.
      early = this.memory.buildEarly(articles, builders);
      return written;
    });
    await indexed;
    this.scheduleSave();
    await this.searchable();
    return articles;
  }

  /** The articles of a batch to apply, in order, and those older than what is stored or coming. */
  private newestVersions(articles: Article[]): { kept: Article[]; ignored: IgnoredVersion[] } {
    const ignored: IgnoredVersion[] = [];
    // Synchronously, before any write is awaited: a version decided here is pending for the next batch.
    const newest = new Map<string, string | undefined>();
    const kept = articles.filter((article) => {
      const current = newest.has(article.id) ? newest.get(article.id) : this.latestVersion(article);
      if (isOlderVersion(article.version, current)) {
        ignored.push({ id: article.id, version: article.version!, storedVersion: current! });
        return false;
      }
      newest.set(article.id, article.version);
      return true;
    });
    return { kept, ignored };
  }

  /**
   * The version an article would replace: that of one still on its way to disk, else the stored one's
   * (the store is read only for a versioned article: an unversioned one always applies).
   */
  private latestVersion(article: Article): string | undefined {
    const pending = this.pendingWrites.get(article.id);
    if (pending !== undefined) return pending.version;
    return article.version === undefined ? undefined : this.memory.get(article.id)?.version;
  }

  /** Runs a write with its articles pending, so a batch that follows compares with their versions. */
  private async withPendingVersions(
    articles: readonly Article[],
    write: () => Promise<unknown>,
  ): Promise<void> {
    for (const article of articles) this.pendingWrites.set(article.id, article);
    try {
      await write();
    } finally {
      // On disk (the archive has them) or failed (nothing changed): either way no longer pending.
      for (const article of articles) {
        if (this.pendingWrites.get(article.id) === article) this.pendingWrites.delete(article.id);
      }
    }
  }

  /**
   * Merges segments in a worker when the merge policy asks for it (see {@link SearchEngine.mergeCandidates}),
   * writing the merged segment's file unless `inMemory` (the next save writes it); searches use the old
   * segments until it is done. A failed merge keeps them.
   */
  private async mergeInWorker(inMemory = false): Promise<void> {
    const group = this.memory.engine.segments.mergeCandidates();
    if (group === undefined) return;
    this.memory.beginMerge(group);
    const file = inMemory ? undefined : newSegmentFile();
    const merge = this.segmentWorker.run({
      merge: group.map((segment) => ({ data: segment.data, deleted: segment.deletedDocuments() })),
      ...(file === undefined ? {} : { file: join(this.directory, file) }),
    });
    this.background = merge;
    try {
      const merged = this.memory.finishMerge((await merge.done).data);
      if (merged !== undefined && file !== undefined) rememberSegmentFile(merged, file);
    } catch (error) {
      this.memory.finishMerge(undefined);
      if (file !== undefined) await rm(join(this.directory, file), { force: true });
      if (!this.closed) this.log(`segment merge failed, segments kept: ${(error as Error).message}`);
    }
  }

  /**
   * Merges the small segments published batches leave, as they come (in memory: the next save writes
   * what it must), so that a search never goes through more than a few per size tier.
   */
  private mergeSoon(): void {
    if (
      this.closed ||
      this.merging !== undefined ||
      this.memory.engine.segments.mergeCandidates() === undefined
    )
      return;
    this.merging = (async () => {
      while (!this.closed && this.memory.engine.segments.mergeCandidates() !== undefined)
        await this.mergeInWorker(true);
    })().finally(() => {
      this.merging = undefined;
    });
  }

  /** {@link remove}, as a report (the interface a cluster node shares). */
  async removeArticle(id: string): Promise<RemoveReport> {
    return { removed: await this.remove(id) };
  }

  /** Removes an article durably; resolves to whether it was there. */
  async remove(id: string): Promise<boolean> {
    this.assertWritable();
    let removed = false;
    await this.writer!.write({ remove: id }, (outcome) => {
      removed = outcome.removed === true;
      if (!removed) return;
      this.position = outcome.position;
      this.memory.remove(id);
      this.scheduleSave();
    });
    if (removed) await this.searchable();
    return removed;
  }

  /**
   * Writes a snapshot of the index now, in this thread (serialising a large index takes seconds).
   * Resolves to what was written.
   */
  async save(): Promise<SaveReport> {
    this.assertWritable();
    const run = this.saving.then(async () => {
      const report = await saveArchive(
        this.directory,
        this.memory,
        this.position,
        this.options,
        this.store.storeId,
      );
      this.snapshotPosition = Math.max(this.snapshotPosition, report.position);
      this.snapshotSavedAt = Date.now();
      return report;
    });
    this.saving = run.catch(() => undefined);
    return run;
  }

  /** Stops background work and closes the store. Writes already resolved are on disk. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    clearTimeout(this.timer);
    await this.writer?.close();
    await this.publisher?.running;
    await this.publisher?.worker.close();
    await this.background?.cancel();
    await this.merging;
    await this.segmentWorker.close();
    await this.saving;
    this.store.close();
    this.lock?.release();
  }

  private assertOpen(): void {
    if (this.closed) throw new ArshifError('BAD_PARAMETER', `archive ${this.directory} is closed`);
  }

  private assertWritable(): void {
    this.assertOpen();
    if (this.lock === undefined) {
      throw new ArshifError('WRITES_DISABLED', `archive ${this.directory} was opened read-only`);
    }
  }

  private scheduleSave(): void {
    if (this.autoSave === false || this.closed || this.refreshing !== undefined) return;
    const unsaved = this.position - Math.max(this.snapshotPosition, 0);
    if (unsaved === 0) return;
    if (unsaved >= this.autoSave.changes && !this.lastSaveFailed) {
      this.startRefresh().catch(() => undefined);
    } else if (this.timer === undefined) {
      this.timer = setTimeout(() => {
        this.timer = undefined;
        if (!this.closed && this.refreshing === undefined) this.startRefresh().catch(() => undefined);
      }, this.autoSave.delayMs);
      this.timer.unref();
    }
  }

  /**
   * Writes a snapshot in a worker thread, from the snapshot and store on disk, while this thread keeps
   * answering searches. Resolves to what was written; joins a refresh already running.
   */
  refresh(): Promise<SaveReport> {
    this.assertWritable();
    return this.refreshing ?? this.startRefresh();
  }

  private startRefresh(): Promise<SaveReport> {
    clearTimeout(this.timer);
    this.timer = undefined;
    const started = performance.now();
    // Publishing, the live segment holds only writes not yet searched: the save takes what is published.
    const position = this.publisher?.position ?? this.position;
    const articles = this.publisher === undefined ? this.memory.beginSeal() : undefined;
    const file = newSegmentFile();
    const build =
      articles === undefined
        ? undefined
        : this.segmentWorker.run({
            articles,
            analysis: this.memory.engine.analysis,
            file: join(this.directory, file),
          });
    this.background = build;
    const refreshing = this.saving.then(async () => {
      try {
        if (build !== undefined) {
          const { data } = await build.done;
          const segment = this.memory.finishSeal(data);
          // A burst of writes may have sealed it in this thread meanwhile: the worker's file is not needed.
          if (segment === undefined) await rm(join(this.directory, file), { force: true });
          else rememberSegmentFile(segment, file);
        }
        await this.mergeInWorker();
        const report = await commitSegments(
          this.directory,
          this.memory.engine.segments.compactSegments,
          position,
          this.options,
          this.store.storeId,
          started,
        );
        this.snapshotPosition = Math.max(this.snapshotPosition, report.position);
        this.snapshotSavedAt = Date.now();
        this.lastSaveFailed = false;
        this.log(
          `snapshot saved: ${report.paragraphs} paragraphs up to store position ${report.position} in ${report.ms} ms`,
        );
        return report;
      } catch (error) {
        // The live segment being sealed is sealed here instead; the next refresh saves it.
        this.memory.finishSeal(undefined);
        this.lastSaveFailed = true;
        if (!this.closed) this.log(`snapshot refresh failed, will retry: ${(error as Error).message}`);
        throw error;
      } finally {
        // Cleared as it settles, so a refresh() called right after starts a new one rather than join it.
        this.refreshing = undefined;
      }
    });
    this.refreshing = refreshing;
    this.saving = refreshing
      .catch(() => undefined)
      .finally(() => {
        this.background = undefined;
        this.refreshing = undefined;
        this.scheduleSave();
      });
    return refreshing;
  }
}

/**
 * Parses a batch of articles to write, their vectors checked against the archive's (which the first
 * fix); the first invalid one throws `INVALID_ARTICLE` naming it: by its id, and in a batch by its
 * place too. Called before any write is awaited, so the next batch is checked against this one.
 */
export function parseBatch(values: readonly unknown[], archive: Archive): Article[] {
  const named = (error: unknown, index: number): Error => {
    if (!(error instanceof ArshifError)) return error as Error;
    const id = (values[index] as { id?: unknown } | null)?.id;
    const hasId = typeof id === 'string' && id.trim() !== '';
    if (values.length === 1) {
      if (!hasId) return error;
      return new ArshifError(error.code, `the article (id "${id.slice(0, 80)}"): ${error.message}`);
    }
    // Counted from 1, as a person reads a batch, and named by its id when it has one.
    const which = hasId ? ` (id "${id.slice(0, 80)}")` : '';
    return new ArshifError(error.code, `article ${index + 1} of ${values.length}${which}: ${error.message}`);
  };
  const articles = values.map((item, index) => {
    try {
      return parseArticle(item);
    } catch (error) {
      throw named(error, index);
    }
  });
  archive.acceptVectors(articles, named);
  return articles;
}
