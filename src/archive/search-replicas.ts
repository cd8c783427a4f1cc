/** Search replicas: copies of an archive in worker threads that follow its changes and answer its searches. */
import { availableParallelism } from 'node:os';
import type { Worker } from 'node:worker_threads';
import { ArshifError, type ArshifErrorCode } from '../errors.js';
import type { Archive, ArchiveChange, ArchiveEngineOptions, ArchiveState, ArchiveStats } from './archive.js';
import type { RelatedOptions, RelatedResponse, SearchResponse } from './archive-search.js';
import type { Article } from '../article/article.js';
import type { SearchOptions } from './search-options.js';
import type { SynonymGroup } from '../search/engine.js';
import { startWorker } from '../platform/start-worker.js';

/** What the HTTP service and the command line read: an archive, alone or with search replicas. */
export interface ArchiveReader {
  search(query: string, options?: SearchOptions): SearchResponse | Promise<SearchResponse>;
  /** Paragraphs of other articles close to one paragraph (see {@link Archive.related}). */
  related(id: string, para: number, options?: RelatedOptions): RelatedResponse | Promise<RelatedResponse>;
  /** The stored article (in a cluster, read from the store when another node holds it). */
  get(id: string, options?: { vectors?: boolean }): Article | undefined | Promise<Article | undefined>;
  stats(): ArchiveStats;
  /** The synonym groups searches expand query words with (see {@link Archive.synonymGroups}). */
  synonymGroups(): SynonymGroup[];
}

/** What a replica starts from (its `workerData`). */
export interface ReplicaSetup {
  state: ArchiveState;
  options: ArchiveEngineOptions;
  /** The store articles are read from for hits; none when the state holds the articles. */
  storeFile: string | undefined;
}

/** A read a replica answers: a search, or the paragraphs related to one. */
export type ReplicaRead =
  | { search: [query: string, options: SearchOptions] }
  | { related: [id: string, para: number, options: RelatedOptions] };

/** Messages to a replica: a change of the archive (numbered from 1, in order), or a read. */
export type ReplicaMessage = { change: ArchiveChange; sequence: number } | { id: number; read: ReplicaRead };

/** Messages from a replica. */
export type ReplicaReply =
  | { ready: true }
  /** The changes up to `sequence` are applied. */
  | { applied: number }
  | { id: number; response: SearchResponse | RelatedResponse }
  | { id: number; error: { code: ArshifErrorCode | undefined; message: string } };

/**
 * Replicas started from the archive's state. A function of its own, so that the state (every article's
 * entry) is held by no closure once the workers have their copies.
 */
function startReplicas(archive: Archive, count: number, storeFile: string | undefined): Replica[] {
  const setup: ReplicaSetup = { state: archive.state(), options: archive.engineOptions, storeFile };
  return Array.from({ length: count }, () => ({
    worker: startWorker(import.meta.url, 'search-replica-worker', { workerData: setup }),
    searches: new Map<number, Search>(),
    alive: true,
    ready: false,
    applied: 0,
  }));
}

/** Answers a read on an archive: in a replica, or in the main thread when no replica is left. */
export function answerRead(archive: Archive, read: ReplicaRead): SearchResponse | RelatedResponse {
  return 'search' in read ? archive.search(...read.search) : archive.related(...read.related);
}

/**
 * Default number of replicas: one per core besides the main thread's, and at least one, so that a long
 * search never holds up the main thread's other requests (`/health`, writes).
 */
export const DEFAULT_SEARCH_REPLICAS = Math.max(1, availableParallelism() - 1);

/**
 * Searches that may wait on every replica before more are refused (`OVERLOADED`, HTTP 503 with
 * `Retry-After`): past it, a client waiting would wait longer than retrying (a replica answers a
 * few hundred searches a second), and a queue without end only grows under a flood.
 */
export const MAX_WAITING_SEARCHES = 64;

interface Search {
  read: ReplicaRead;
  resolve: (response: SearchResponse | RelatedResponse) => void;
  reject: (error: Error) => void;
}

interface Replica {
  worker: Worker;
  searches: Map<number, Search>;
  alive: boolean;
  /** Whether it has loaded its replica: until then this thread answers the searches it would. */
  ready: boolean;
  /** The last change it has applied. */
  applied: number;
}

/** Options of {@link SearchReplicas.start}. */
export interface SearchReplicasOptions {
  /** Worker threads to start. Default {@link DEFAULT_SEARCH_REPLICAS}. */
  count?: number;
  /** The store a lazily loaded archive reads its articles from (see {@link ArchiveOptions.readArticle}). */
  storeFile?: string;
  /** Receives one line when a replica fails (its searches are then answered by the main thread). */
  log?: (line: string) => void;
  /**
   * Whether {@link SearchReplicas.start} resolves once every replica is ready (default) or at once, the
   * main thread answering searches until each is: a service is ready as soon as its archive is open.
   */
  awaitReady?: boolean;
}

/**
 * An archive searched on every core: worker threads each hold a replica of its index and answer
 * searches while the main thread takes HTTP requests and writes. The main thread searches only when no
 * replica is left: measured on 2 cores, a main thread that also searched whenever the replica had two
 * searches queued answered 174 requests/s, one that never searches 294 (replies waited for it).
 *
 * - Every change of the archive is sent to each replica as it is made (see {@link ArchiveChange}), in
 *   the same order as searches: a search sent after a write resolved sees that write.
 *   {@link searchable} tells when every replica has applied the changes made so far.
 * - Compact segments loaded from files are shared memory; segments built later are copied to each
 *   replica.
 * - A replica that fails is dropped, its searches answered by the main thread; the service goes on.
 */
export class SearchReplicas implements ArchiveReader {
  private nextId = 0;
  private closed = false;
  /** Changes sent so far. */
  private sent = 0;
  /** Those waiting for every replica to apply the changes up to `sequence`. */
  private waiting: { sequence: number; resolve: () => void }[] = [];
  private started: Promise<void> = Promise.resolve();

  private constructor(
    private readonly archive: Archive,
    private readonly replicas: Replica[],
    private readonly log: (line: string) => void,
  ) {}

  /**
   * Starts replicas of an archive that has no seal or merge under way (its live segment is sealed
   * first); resolves once they are ready, or at once (`awaitReady: false`). From then on the archive's
   * changes are sent to them, and each answers searches once it is ready.
   */
  static async start(archive: Archive, options: SearchReplicasOptions = {}): Promise<SearchReplicas> {
    const { count = DEFAULT_SEARCH_REPLICAS, storeFile, log = () => undefined, awaitReady = true } = options;
    const replicas = startReplicas(archive, count, storeFile);
    const pool = new SearchReplicas(archive, replicas, log);
    // Messages posted before a worker listens wait for it: no change made from here on is missed.
    archive.onChange((change) => pool.broadcast(change));
    // The replicas search; this thread indexes fresh writes only if it has to search after all.
    archive.engine.segments.deferLiveIndexing(true);
    pool.started = Promise.all(replicas.map((replica) => pool.watch(replica))).then(() => undefined);
    if (awaitReady) await pool.started;
    return pool;
  }

  /** Resolves once every replica has started (or failed). */
  whenReady(): Promise<void> {
    return this.started;
  }

  /** The archive's synonyms: the replicas learn the same from the same changes. */
  synonymGroups(): SynonymGroup[] {
    return this.archive.synonymGroups();
  }

  /** Replicas answering searches. */
  get size(): number {
    return this.replicas.filter((replica) => replica.alive).length;
  }

  /** Searches the archive on the replica with the fewest searches under way (in this thread when none is left). */
  search(query: string, options: SearchOptions = {}): SearchResponse | Promise<SearchResponse> {
    return this.read({ search: [query, options] }) as SearchResponse | Promise<SearchResponse>;
  }

  /** Paragraphs related to one (see {@link Archive.related}), found as {@link search} finds hits. */
  related(
    id: string,
    para: number,
    options: RelatedOptions = {},
  ): RelatedResponse | Promise<RelatedResponse> {
    return this.read({ related: [id, para, options] }) as RelatedResponse | Promise<RelatedResponse>;
  }

  private read(
    read: ReplicaRead,
  ): SearchResponse | RelatedResponse | Promise<SearchResponse | RelatedResponse> {
    let replica: Replica | undefined;
    for (const candidate of this.replicas) {
      if (!candidate.alive || !candidate.ready) continue;
      if (replica === undefined || candidate.searches.size < replica.searches.size) {
        replica = candidate;
      }
    }
    if (replica === undefined) return answerRead(this.archive, read);
    if (replica.searches.size >= MAX_WAITING_SEARCHES) {
      throw new ArshifError(
        'OVERLOADED',
        `${MAX_WAITING_SEARCHES} searches are waiting on every search thread; retry shortly`,
      );
    }
    const id = ++this.nextId;
    const target = replica;
    return new Promise((resolve, reject) => {
      target.searches.set(id, { read, resolve, reject });
      target.worker.postMessage({ id, read } satisfies ReplicaMessage);
    });
  }

  /** Resolves once every replica in service has applied the changes made so far (at once when closed). */
  searchable(): Promise<void> {
    const sequence = this.sent;
    if (this.appliedEverywhere(sequence)) return Promise.resolve();
    return new Promise((resolve) => this.waiting.push({ sequence, resolve }));
  }

  get(id: string, options: { vectors?: boolean } = {}): Article | undefined {
    return this.archive.get(id, options);
  }

  stats(): ArchiveStats {
    return this.archive.stats();
  }

  /** Stops the replicas; searches under way are answered by this thread. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.archive.onChange(undefined);
    this.archive.engine.segments.deferLiveIndexing(false);
    this.settle();
    await Promise.all(
      this.replicas.map(async (replica) => {
        this.drop(replica);
        await replica.worker.terminate();
      }),
    );
  }

  private broadcast(change: ArchiveChange): void {
    const message: ReplicaMessage = { change, sequence: ++this.sent };
    for (const replica of this.replicas) if (replica.alive) replica.worker.postMessage(message);
  }

  /**
   * Whether every replica answering searches has applied the change `sequence`. One still loading is
   * not waited for: it answers no search yet, and the first it answers is sent after every change.
   */
  private appliedEverywhere(sequence: number): boolean {
    return (
      this.closed ||
      this.replicas.every((replica) => !replica.alive || !replica.ready || replica.applied >= sequence)
    );
  }

  /** Resolves the waits whose changes every replica in service has applied. */
  private settle(): void {
    const ready = this.waiting.filter(({ sequence }) => this.appliedEverywhere(sequence));
    if (ready.length === 0) return;
    this.waiting = this.waiting.filter((wait) => !ready.includes(wait));
    for (const { resolve } of ready) resolve();
  }

  /** Resolves when the replica is ready (or has failed); routes its answers from then on. */
  private watch(replica: Replica): Promise<void> {
    return new Promise((ready) => {
      replica.worker.on('message', (reply: ReplicaReply) => {
        if ('ready' in reply) {
          replica.ready = true;
          return ready();
        }
        if ('applied' in reply) {
          replica.applied = reply.applied;
          return this.settle();
        }
        const search = replica.searches.get(reply.id);
        if (search === undefined) return;
        replica.searches.delete(reply.id);
        if ('response' in reply) search.resolve(reply.response);
        else {
          const { code, message } = reply.error;
          search.reject(code === undefined ? new Error(message) : new ArshifError(code, message));
        }
      });
      const fail = (why: string) => {
        if (!replica.alive || this.closed) return;
        this.log(`search replica stopped (${why}); its searches are answered by the main thread`);
        this.drop(replica);
        ready();
      };
      replica.worker.on('error', (error) => fail(error.message));
      replica.worker.on('exit', (code) => fail(`exit ${code}`));
    });
  }

  /** Takes a replica out of service, answering its pending searches in this thread. */
  private drop(replica: Replica): void {
    replica.alive = false;
    for (const { read, resolve, reject } of replica.searches.values()) {
      try {
        resolve(answerRead(this.archive, read));
      } catch (error) {
        reject(error as Error);
      }
    }
    replica.searches.clear();
    this.settle();
  }
}
