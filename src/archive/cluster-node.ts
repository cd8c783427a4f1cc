/** A search node of a cluster: a local archive that follows the change log of a PostgreSQL store. */
import { randomUUID } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Article } from '../article/article.js';
import { ArshifError } from '../errors.js';
import { writeFileDurably } from '../platform/durable-file.js';
import {
  type ClusterMember,
  comparePositions,
  LOG_START,
  type LogCursor,
  type Membership,
  type PostgresStore,
  type StoreChange,
} from '../storage/postgres-store.js';
import type { RelatedResponse, SearchResponse } from './archive-search.js';
import {
  type ClusterRelatedOptions,
  ClusterSearch,
  type ClusterSearchOptions,
  type ShardRoute,
} from './cluster-search.js';
import { ForeignAcronyms } from './foreign-acronyms.js';
import { HttpShardClient } from './http-shard-client.js';
import type { ArchiveReader } from './search-replicas.js';
import { chooseShardHolders, type ShardHolder } from './shard-routing.js';
import { ShardSearch } from './shard-search.js';
import { recordedShards, ShardSet } from './shards.js';
import type { ShardClient } from './shard-protocol.js';
import {
  type ArticleWriter,
  parseBatch,
  PersistentArchive,
  type PersistentArchiveOptions,
  type RemoveReport,
  type WriteReport,
} from './persistent-archive.js';

/** The file of a node's directory that says how far in the store's log its archive is. */
export const NODE_POSITION_FILE = 'cluster-position.json';

/** How often a node reads the log when no notification woke it (notifications are lost while disconnected). */
export const DEFAULT_POLL_MS = 1_000;

/** How often a node records its position and lag in the store, for the other nodes and operators. */
export const HEARTBEAT_MS = 1_000;

/**
 * A node this far behind the store (by its last heartbeat, or whose heartbeat is this old) is asked
 * only when no other node holds its shards.
 */
export const LAGGING_MS = 5_000;

/** Options of {@link ClusterNode.open}. */
export interface ClusterNodeOptions extends Omit<PersistentArchiveOptions, 'readonly' | 'create'> {
  /** The store the node follows and writes to. */
  store: PostgresStore;
  /** Milliseconds between two reads of the log when nothing woke the node. Default {@link DEFAULT_POLL_MS}. */
  pollMs?: number;
  /** Where the node answers HTTP, recorded in the store for the other nodes. Default: not recorded. */
  url?: string;
  /**
   * The shards the node holds (see `shards.ts`): it indexes only their articles, and searches ask it for
   * them. Fixed for the node's directory. Default: every shard.
   */
  shards?: ShardSet;
}

/** What a node's position file holds. */
interface NodePosition {
  storeId: string;
  /** The node's name in the store's list of nodes, made when it first bootstrapped. */
  nodeId: string;
  /** The last change applied. */
  cursor: LogCursor;
  /** Every write at or below this position is applied. */
  position: string;
  /** The shards its archive holds (`all` when absent: written before shards were). */
  shards?: string;
}

/** How a node stands, for `/health` and metrics. */
export interface NodeStatus {
  /** Every write whose position is at or below it is searched here. */
  position: string;
  /** Milliseconds since the node last knew it held every committed write; 0 when it does now. */
  lagMs: number;
  /** The shards it holds: `all`, or ranges such as `0-127`. */
  shards: string;
}

/**
 * A search node: an archive in a local directory (its own store, segments and snapshot, as on one
 * machine) built from a PostgreSQL store's change log and kept in step with it, so that the node can be
 * killed, restarted or added at any time.
 *
 * - Opening a new directory bootstraps it from a consistent snapshot of the store, then follows the log;
 *   a directory that has followed before loads its index and replays only the log's tail.
 * - Writes go to the store (answered once committed, with their position); the node searches them once it
 *   has applied them ({@link waitFor}).
 * - Reads are the local archive's ({@link archive}).
 */
export class ClusterNode implements ArticleWriter {
  private cursor: LogCursor;
  private appliedPosition: string;
  /** When the node last knew it held every committed write (`performance.now()`); `undefined`: it does. */
  private behindSince: number | undefined;
  private following: Promise<void> | undefined;
  /** A read of the log was asked for while one ran: run another after it. */
  private again = false;
  private readonly waiting = new Set<{ position: string; resolve: (reached: boolean) => void }>();
  private timer: NodeJS.Timeout | undefined;
  private unlisten: (() => Promise<void>) | undefined;
  private membership: Membership | undefined;
  private heartbeats: NodeJS.Timeout | undefined;
  /** Whether the connection that listens for commits is up. */
  private listening = false;
  private closed = false;
  /** The store's nodes as of the last heartbeat: where searches are sent. */
  private known: ClusterMember[] = [];
  private readonly clients = new Map<string, HttpShardClient>();
  /** Turns the order the other nodes are tried in, search by search, to spread the load. */
  private turn = 0;
  /** This node's part of clustered searches: what other nodes' coordinators ask it. */
  readonly shardSearch: ShardSearch;
  /** Searches over the whole cluster, coordinated here. */
  readonly clusterSearch: ClusterSearch;
  /** Called after each request to a node, for metrics. */
  observeShardRequest: ((kind: string, node: string, seconds: number, failed: boolean) => void) | undefined;

  private constructor(
    /** The local archive: what searches read. */
    readonly archive: PersistentArchive,
    private readonly store: PostgresStore,
    private readonly directory: string,
    start: NodePosition,
    private readonly log: (line: string) => void,
    /** The shards the node holds. */
    readonly shards: ShardSet,
    /** What the other shards' articles define, learned here too. */
    private readonly foreign: ForeignAcronyms,
  ) {
    this.cursor = start.cursor;
    this.appliedPosition = start.position;
    this.id = start.nodeId;
    this.shardSearch = new ShardSearch(this.id, archive.archive, (position, timeoutMs) =>
      this.waitFor(position, timeoutMs),
    );
    this.clusterSearch = new ClusterSearch({
      local: archive.archive.answers,
      searcher: archive.archive.engine.searcher,
      route: (excluded) => this.route(excluded),
      vectorDimensions: () => archive.archive.vectorSettings.dimensions ?? this.storeDimensions,
      observe: (...observed) => this.observeShardRequest?.(...observed),
    });
  }

  /** The dimension of the store's vectors, as of the last heartbeat (this node's shards may hold none). */
  private storeDimensions: number | undefined;

  /** The node's name among the store's nodes (see {@link members}). */
  readonly id: string;

  /** Opens a node in a directory, bootstrapping it from the store when it has never followed it. */
  static async open(directory: string, options: ClusterNodeOptions): Promise<ClusterNode> {
    const {
      store,
      pollMs = DEFAULT_POLL_MS,
      url,
      log = () => undefined,
      shards = ShardSet.all(),
      ...archiveOptions
    } = options;
    // Every node compares vectors as the store says: as asked the first time, refused for another after.
    if (archiveOptions.vectorSimilarity !== undefined)
      await store.setVectorSimilarity(archiveOptions.vectorSimilarity);
    const { similarity } = await store.vectorSettings();
    const archive = await PersistentArchive.open(directory, {
      ...archiveOptions,
      ...(similarity === undefined ? {} : { vectorSimilarity: similarity }),
      log,
    });
    let node: ClusterNode | undefined;
    try {
      let start = await readNodePosition(directory);
      if (start !== undefined && start.storeId !== store.storeId) {
        throw new ArshifError(
          'BAD_INDEX',
          `${directory} follows another store (${start.storeId}, not ${store.storeId}): give a new directory`,
        );
      }
      const held = start?.shards ?? 'all';
      if (start !== undefined && !ShardSet.parse(held).equals(shards)) {
        throw new ArshifError(
          'BAD_PARAMETER',
          `${directory} holds shards ${held}, not ${shards}: give a new directory to hold other shards`,
        );
      }
      const foreign = await ForeignAcronyms.open(directory, archive.archive.catalogue.learned);
      if (start === undefined) {
        if (archive.stats().articles > 0) {
          throw new ArshifError(
            'BAD_INDEX',
            `${directory} holds an archive that follows no store: give an empty directory`,
          );
        }
        start = await bootstrap(archive, store, directory, shards, foreign, log);
      }
      const started = new ClusterNode(archive, store, directory, start, log, shards, foreign);
      node = started;
      await started.catchUp();
      started.membership = await store.join(started.id, url, shards.toString());
      await started.refreshMembers();
      await started.listen();
      started.heartbeats = setInterval(() => {
        started.membership
          ?.heartbeat(started.status())
          .then(() => started.refreshMembers())
          .catch((error: Error) => log(`heartbeat to the store failed: ${error.message}`));
      }, HEARTBEAT_MS);
      started.heartbeats.unref();
      started.timer = setInterval(() => started.wake(), pollMs);
      started.timer.unref();
      return started;
    } catch (error) {
      // A node half started has its lock, its listening connection or its timers to let go of too.
      await (node ?? archive).close();
      throw error;
    }
  }

  /** The store's nodes, and whether each is live (its connection holds its lock). */
  members(): Promise<ClusterMember[]> {
    return this.store.members();
  }

  /** How the node stands: its position, how far behind the store it may be, the shards it holds. */
  status(): NodeStatus {
    return {
      position: this.appliedPosition,
      lagMs: this.behindSince === undefined ? 0 : Math.round(performance.now() - this.behindSince),
      shards: this.shards.toString(),
    };
  }

  /**
   * Searches the whole archive: here alone when this node holds every shard, otherwise across the
   * nodes holding them (see {@link ClusterSearch}), each asked to have applied the write at `after`.
   */
  async search(
    query: string,
    options: ClusterSearchOptions = {},
    local: ArchiveReader = this.archive.archive,
  ): Promise<SearchResponse> {
    if (this.shards.isAll()) {
      const { after: _after, ...searchOptions } = options;
      return local.search(query, searchOptions);
    }
    return this.clusterSearch.search(query, options);
  }

  /**
   * The archive as the service reads it: searches across the cluster (see {@link search}), articles
   * from this node when it holds them and from the store otherwise; `local` answers what this node
   * answers alone (its archive, or its search replicas).
   */
  reader(local: ArchiveReader = this.archive.archive): ArchiveReader & { shards: string } {
    return {
      shards: this.shards.toString(),
      search: (query, options) => this.search(query, options, local),
      related: (id, para, options) => this.related(id, para, options, local),
      get: (id, options) =>
        this.shards.holds(id) ? local.get(id, options) : this.storedArticle(id, options),
      stats: () => local.stats(),
      synonymGroups: () => local.synonymGroups(),
    };
  }

  /** Paragraphs related to one: here alone when this node holds every shard, otherwise across the cluster. */
  private async related(
    id: string,
    para: number,
    options: ClusterRelatedOptions = {},
    local: ArchiveReader,
  ): Promise<RelatedResponse> {
    if (!this.shards.isAll()) return this.clusterSearch.related(id, para, options);
    const { after: _after, ...relatedOptions } = options;
    return local.related(id, para, relatedOptions);
  }

  private async storedArticle(id: string, options: { vectors?: boolean } = {}): Promise<Article | undefined> {
    const article = await this.store.article(id);
    if (article === undefined || options.vectors) return article;
    const { vectors: _vectors, ...rest } = article;
    return rest;
  }

  /** The nodes a search asks now (see {@link chooseShardHolders}), leaving out those that just failed. */
  private async route(excluded: ReadonlySet<string>): Promise<ShardRoute> {
    const now = Date.now();
    const others = this.known.filter(
      (member) => member.id !== this.id && member.live && member.url !== null && !excluded.has(member.id),
    );
    const turn = (this.turn = (this.turn + 1) % Math.max(1, others.length));
    const holders: ShardHolder[] = [...others.slice(turn), ...others.slice(0, turn)].flatMap((member) => {
      const shards = recordedShards(member.shards);
      if (shards === undefined) return [];
      const lagging = member.lagMs > LAGGING_MS || now - member.heartbeatAt > LAGGING_MS + HEARTBEAT_MS;
      return [{ id: member.id, shards, lagging }];
    });
    if (!excluded.has(this.id)) {
      holders.unshift({ id: this.id, shards: this.shards, lagging: this.status().lagMs > LAGGING_MS });
    }
    const { ids, missing } = chooseShardHolders(holders);
    const clients = ids.map((id): ShardClient => {
      if (id === this.id) return this.shardSearch;
      const url = others.find((member) => member.id === id)!.url!;
      let client = this.clients.get(id);
      if (client === undefined || client.url !== url)
        this.clients.set(id, (client = new HttpShardClient(id, url)));
      return client;
    });
    const shardsOf = new Map(holders.map((holder) => [holder.id, holder.shards]));
    return { clients, shards: ids.map((id) => shardsOf.get(id)!), missing };
  }

  /** Reads the store's nodes (and its vectors' dimension) for the next searches to choose from. */
  private async refreshMembers(): Promise<void> {
    this.known = await this.store.members();
    this.storeDimensions = (await this.store.vectorSettings()).dimensions;
  }

  /**
   * Resolves to true once the write at `position` (a write's answer) is searched here, or to false
   * after `timeoutMs`.
   */
  waitFor(position: string, timeoutMs: number): Promise<boolean> {
    if (this.reached(position)) return Promise.resolve(true);
    return new Promise((resolve) => {
      const waiter = { position, resolve };
      this.waiting.add(waiter);
      setTimeout(() => {
        if (this.waiting.delete(waiter)) resolve(false);
      }, timeoutMs).unref();
      this.wake();
    });
  }

  /** Validates and writes articles to the store; resolves once committed, with the write's position. */
  async write(value: unknown): Promise<WriteReport> {
    this.assertOpen();
    const articles = parseBatch(Array.isArray(value) ? value : [value], this.archive.archive);
    const { stored, ignored, position } = await this.store.write(articles);
    this.wake();
    return { stored, ignored, position };
  }

  /** {@link write}, resolving to the articles stored. */
  async put(value: unknown): Promise<Article[]> {
    return (await this.write(value)).stored;
  }

  /** Removes an article from the store; resolves to whether it was there. */
  async remove(id: string): Promise<boolean> {
    return (await this.removeArticle(id)).removed;
  }

  /** Removes an article from the store, with the write's position. */
  async removeArticle(id: string): Promise<RemoveReport> {
    this.assertOpen();
    const report = await this.store.remove(id);
    this.wake();
    return report;
  }

  /** Stops following and closes the local archive (the store is the caller's). */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    clearInterval(this.timer);
    clearInterval(this.heartbeats);
    await this.membership?.leave();
    await this.unlisten?.();
    await this.following;
    for (const waiter of this.waiting) waiter.resolve(false);
    this.waiting.clear();
    await this.archive.close();
  }

  /**
   * Listens for commits, to read the log as soon as one is made; a lost connection is listened on again
   * at the next read of the log that succeeds (meanwhile the node polls).
   */
  private async listen(): Promise<void> {
    this.unlisten = await this.store.listen(
      () => this.wake(),
      (error) => {
        this.listening = false;
        if (!this.closed)
          this.log(`listening to the store failed, polling until it is back: ${error.message}`);
      },
    );
    this.listening = true;
  }

  /** Reads the log soon: now, or after the read under way. */
  private wake(): void {
    if (this.closed) return;
    if (this.following !== undefined) {
      this.again = true;
      return;
    }
    this.following = (async () => {
      do {
        this.again = false;
        try {
          await this.catchUp();
          if (!this.listening && !this.closed) {
            const unlisten = this.unlisten;
            this.unlisten = undefined;
            await unlisten?.();
            await this.listen();
          }
        } catch (error) {
          this.behindSince ??= performance.now();
          if (!this.closed) this.log(`following the store failed, will retry: ${(error as Error).message}`);
        }
      } while (this.again && !this.closed);
    })().finally(() => {
      this.following = undefined;
    });
  }

  /** Applies the log's changes up to the store's horizon, batch by batch, saving the position after each. */
  private async catchUp(): Promise<void> {
    const started = performance.now();
    for (;;) {
      const batch = await this.store.changesSince(this.cursor);
      if (batch.changes.length > 0) {
        this.behindSince ??= started;
        await applyChanges(this.archive, batch.changes, this.shards, this.foreign);
        this.cursor = { xid: batch.changes.at(-1)!.xid, seq: batch.changes.at(-1)!.seq };
      }
      // Positions follow the order writes commit in, which is the log's: the last change's is the
      // highest, unless the batch ends inside a write (cut at its limit), whose earlier ones it covers.
      const last = batch.changes.at(-1);
      if (last !== undefined) {
        const whole = batch.more ? String(BigInt(last.position) - 1n) : last.position;
        if (comparePositions(whole, this.appliedPosition) > 0) this.appliedPosition = whole;
      }
      if (batch.changes.length > 0) {
        await this.foreign.save();
        await writeNodePosition(this.directory, {
          storeId: this.store.storeId,
          nodeId: this.id,
          cursor: this.cursor,
          position: this.appliedPosition,
          shards: this.shards.toString(),
        });
      }
      this.settleWaiters();
      if (!batch.more) break;
    }
    this.behindSince = undefined;
  }

  private reached(position: string): boolean {
    return comparePositions(this.appliedPosition, position) >= 0;
  }

  private settleWaiters(): void {
    for (const waiter of this.waiting) {
      if (this.reached(waiter.position)) {
        this.waiting.delete(waiter);
        waiter.resolve(true);
      }
    }
  }

  private assertOpen(): void {
    if (this.closed) throw new ArshifError('BAD_PARAMETER', `node ${this.directory} is closed`);
  }
}

/**
 * Applies changes in the log's order: consecutive stored articles in one local write, removals one by
 * one. Applying a change twice changes nothing: a stored article is stored again (an older version of
 * one the archive holds is ignored), a removed one is already gone.
 */
async function applyChanges(
  archive: PersistentArchive,
  changes: readonly StoreChange[],
  shards: ShardSet,
  foreign: ForeignAcronyms,
): Promise<void> {
  let batch: Article[] = [];
  const flush = async () => {
    if (batch.length === 0) return;
    const articles = batch;
    batch = [];
    await (articles.length >= 100 ? archive.putAll(articles) : archive.write(articles));
  };
  for (const change of changes) {
    // Other nodes hold the other shards' articles; the acronyms they define are learned here too.
    if (!shards.holds(change.id)) {
      foreign.apply(change.id, change.article);
      continue;
    }
    if (change.article !== undefined) {
      batch.push(change.article);
      continue;
    }
    await flush();
    await archive.remove(change.id);
  }
  await flush();
}

/**
 * Articles read from the store and written locally at once while bootstrapping: ANT's average makes it
 * ~40,000 paragraphs, enough for the build to use every core (see `buildSegmentsInParallel`).
 */
const BOOTSTRAP_PAGE = 5_000;

/** Fills an empty archive from a consistent snapshot of the store; returns where following starts. */
async function bootstrap(
  archive: PersistentArchive,
  store: PostgresStore,
  directory: string,
  shards: ShardSet,
  foreign: ForeignAcronyms,
  log: (line: string) => void,
): Promise<NodePosition> {
  const started = performance.now();
  let horizon = '0';
  let position = '0';
  let count = 0;
  for await (const page of store.snapshot(BOOTSTRAP_PAGE)) {
    ({ horizon, position } = page);
    const held = page.articles.filter((article) => shards.holds(article.id));
    for (const article of page.articles) if (!shards.holds(article.id)) foreign.apply(article.id, article);
    if (held.length > 0) await archive.putAll(held);
    count += held.length;
  }
  // The log from the snapshot's horizon on: transactions at or above it may have finished after it.
  const start: NodePosition = {
    storeId: store.storeId,
    nodeId: randomUUID(),
    cursor: horizon === '0' ? LOG_START : { xid: String(BigInt(horizon) - 1n), seq: String(2n ** 63n - 1n) },
    position,
    shards: shards.toString(),
  };
  await foreign.save();
  await writeNodePosition(directory, start);
  log(
    `bootstrapped ${count} articles (shards ${shards}) from ${store.name} in ${Math.round(performance.now() - started)} ms`,
  );
  return start;
}

async function readNodePosition(directory: string): Promise<NodePosition | undefined> {
  let text: string;
  try {
    text = await readFile(join(directory, NODE_POSITION_FILE), 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
  const parsed = JSON.parse(text) as Partial<NodePosition>;
  if (
    typeof parsed.storeId !== 'string' ||
    typeof parsed.nodeId !== 'string' ||
    typeof parsed.position !== 'string' ||
    typeof parsed.cursor?.xid !== 'string' ||
    typeof parsed.cursor.seq !== 'string'
  ) {
    throw new ArshifError(
      'BAD_INDEX',
      `${join(directory, NODE_POSITION_FILE)} is damaged: give a new directory`,
    );
  }
  return parsed as NodePosition;
}

/** Written once the changes it covers are on disk in the local store: a crash replays them, never skips. */
async function writeNodePosition(directory: string, position: NodePosition): Promise<void> {
  await writeFileDurably(join(directory, NODE_POSITION_FILE), [Buffer.from(`${JSON.stringify(position)}\n`)]);
}
