/** The cluster's store: articles and their change log in PostgreSQL, which every search node follows. */
import type pg from 'pg';
import { type Article, isOlderVersion } from '../article/article.js';
import { ArshifError } from '../errors.js';
import type { VectorSimilarity } from '../search/engine.js';
import { decodeVectors, encodeVectors, type VectorBytes } from './vector-bytes.js';

/** Version of the tables below; the store creates and upgrades them itself, one migration per version. */
export const POSTGRES_SCHEMA_VERSION = 4;

/**
 * The migrations, the one at index `i` taking the schema from version `i` to `i + 1`.
 *
 * - `arshif_articles`: the articles as they are now, the source of truth.
 * - `arshif_changes`: every write, in the transaction that made it: `xid` is that transaction's id, so a
 *   follower reads the log by transaction and sequence (see {@link PostgresStore.changesSince}).
 * - Version 2: `arshif_position`, a counter each write that changes something takes the next value of, in
 *   commit order, stored with its change rows: the position a write answers with. A transaction id would
 *   not do: after a crash, PostgreSQL may hand out again ids it never wrote to its log.
 * - Version 3: `arshif_nodes`, the search nodes that ever joined, with their last heartbeat; a node is live
 *   while its connection holds its advisory lock (see {@link PostgresStore.join}).
 * - Version 4: each node's shards (`0-127`, `all`): which articles it holds, so that a search asks one
 *   holder of each shard.
 */
const MIGRATIONS: readonly string[] = [
  `CREATE TABLE arshif_meta (key text PRIMARY KEY, value text NOT NULL);
   CREATE TABLE arshif_articles (
     id text PRIMARY KEY,
     version text,
     doc text NOT NULL,
     dimensions integer,
     present bytea,
     vectors bytea,
     position xid8 NOT NULL
   );
   CREATE TABLE arshif_changes (
     seq bigserial PRIMARY KEY,
     xid xid8 NOT NULL DEFAULT pg_current_xact_id(),
     id text NOT NULL,
     doc text,
     dimensions integer,
     present bytea,
     vectors bytea,
     committed_at timestamptz NOT NULL DEFAULT clock_timestamp()
   );
   CREATE INDEX arshif_changes_by_transaction ON arshif_changes (xid, seq);
   INSERT INTO arshif_meta (key, value) VALUES ('storeId', gen_random_uuid()::text);`,
  `CREATE TABLE arshif_position (value bigint NOT NULL);
   INSERT INTO arshif_position (value) SELECT count(DISTINCT xid) FROM arshif_changes;
   ALTER TABLE arshif_changes ADD COLUMN position bigint;
   UPDATE arshif_changes c SET position = t.position
     FROM (SELECT xid, dense_rank() OVER (ORDER BY xid) AS position FROM arshif_changes) t WHERE c.xid = t.xid;
   ALTER TABLE arshif_changes ALTER COLUMN position SET NOT NULL;`,
  `CREATE TABLE arshif_nodes (
     id text PRIMARY KEY,
     url text,
     lock_key integer NOT NULL,
     joined_at timestamptz NOT NULL DEFAULT clock_timestamp(),
     heartbeat_at timestamptz NOT NULL DEFAULT clock_timestamp(),
     position bigint NOT NULL DEFAULT 0,
     lag_ms integer NOT NULL DEFAULT 0
   );`,
  `ALTER TABLE arshif_nodes ADD COLUMN shards text NOT NULL DEFAULT 'all';`,
];

/** The first key of the advisory locks that mark nodes live (the second is the node's own). */
const NODE_LOCKS = 0x6e6f6465; // 'node'

/** A search node as the store knows it. */
export interface ClusterMember {
  id: string;
  /** Where it answers HTTP, as it said when it joined. */
  url: string | null;
  /** The shards it holds, as it said when it joined (`all`, or ranges such as `0-127`). */
  shards: string;
  /** Whether its connection holds its lock: a node killed, or cut off from the store, is not. */
  live: boolean;
  /** As of its last heartbeat. */
  position: string;
  lagMs: number;
  heartbeatAt: number;
}

/** A node's membership: its heartbeat, and leaving. */
export interface Membership {
  /** Records the node's position and lag. */
  heartbeat(status: { position: string; lagMs: number }): Promise<void>;
  /** Releases its lock: the node is no longer live. */
  leave(): Promise<void>;
}

/**
 * Every writing transaction takes this advisory lock before it writes: transaction ids are then handed
 * out in the order writes commit, so the change log read by transaction id is the order of the writes.
 */
const WRITE_LOCK = 0x61727368; // 'arsh'

/** The channel a commit notifies, to wake followers: a wake-up only, never the change itself. */
export const CHANGES_CHANNEL = 'arshif_changes';

/** Where a follower is in the change log: after the change `seq` of the transaction `xid`. */
export interface LogCursor {
  xid: string;
  seq: string;
}

/** The start of the change log. */
export const LOG_START: LogCursor = Object.freeze({ xid: '0', seq: '0' });

/** A change of the log: an article stored (`article`) or removed (none). */
export interface StoreChange {
  xid: string;
  seq: string;
  /** The position of the write it belongs to. */
  position: string;
  id: string;
  article?: Article;
  /** When the transaction wrote it (ms since the epoch). */
  committedAt: number;
}

/** Changes read from the log, and how far the log is then known complete. */
export interface ChangeBatch {
  changes: StoreChange[];
  /**
   * Every transaction with a smaller id had finished when the batch was read: once the follower has
   * applied the batch and every batch before it, it has applied all of them (unless `more`).
   */
  horizon: string;
  /** The batch was cut at its limit: more changes below the horizon follow. */
  more: boolean;
}

/** What a write did: the articles stored and ignored (older versions), and its position. */
export interface PostgresWriteOutcome {
  stored: Article[];
  ignored: { id: string; version: string; storedVersion: string }[];
  /** The write's position: a node that has applied the changes up to it holds the write. */
  position: string;
}

/** Options of {@link PostgresStore.connect}. */
export interface PostgresStoreOptions {
  /** Connections kept open at most. Default 4. */
  maxConnections?: number;
}

/** A row of the change log or of the articles, as read. */
interface StoredRow {
  doc: string | null;
  dimensions: number | null;
  present: Buffer | null;
  vectors: Buffer | null;
}

/** An article as stored: its text as JSON, its vectors as bytes. */
function storedForm(article: Article): { doc: string; vectors: VectorBytes | undefined } {
  const { vectors, ...text } = article;
  return { doc: JSON.stringify(text), vectors: encodeVectors(vectors) };
}

function articleOf(row: StoredRow): Article | undefined {
  if (row.doc === null) return undefined;
  const article = JSON.parse(row.doc) as Article;
  if (row.dimensions !== null && row.present !== null && row.vectors !== null) {
    article.vectors = decodeVectors({ dimensions: row.dimensions, present: row.present, data: row.vectors });
  }
  return article;
}

/** Compares two positions or transaction ids (decimal strings of 64-bit numbers). */
export function comparePositions(a: string, b: string): number {
  const [x, y] = [BigInt(a), BigInt(b)];
  return x < y ? -1 : x > y ? 1 : 0;
}

/**
 * The cluster's source of truth in PostgreSQL: the articles, and a log of every change that search
 * nodes follow to build their own indexes.
 *
 * - A write is one transaction (articles, vectors and change rows together), answered once PostgreSQL
 *   has committed it — with a synchronous standby configured (`synchronous_standby_names`), once the
 *   standby has it too.
 * - A follower reads the log below the oldest transaction still running, so a transaction that commits
 *   late is never skipped (see {@link changesSince}).
 * - Creates and upgrades its tables itself (see {@link POSTGRES_SCHEMA_VERSION}).
 *
 * @example
 * const store = await PostgresStore.connect('postgres://arshif@127.0.0.1:5432/news');
 * const { position } = await store.write([{ id: 'a1', title: 'النفط', paragraphs: ['ارتفعت أسعار النفط'] }]);
 * await store.close();
 */
export class PostgresStore {
  private constructor(
    /** The driver, loaded by {@link connect}: a process that never connects never loads it. */
    private readonly driver: typeof pg,
    private readonly pool: pg.Pool,
    /** The connection URL, for the connections held outside the pool. */
    private readonly url: string,
    /** Made when the store's tables are created: a node's index of another store is never used. */
    readonly storeId: string,
    /** The database, without its password: for messages. */
    readonly name: string,
  ) {}

  /** Connects to a database, creating or upgrading Arshif's tables in it. */
  static async connect(url: string, options: PostgresStoreOptions = {}): Promise<PostgresStore> {
    const name = redactedUrl(url);
    const { default: driver } = await import('pg');
    const pool = new driver.Pool({ connectionString: url, max: options.maxConnections ?? 4 });
    // An idle connection that fails (the server restarted) is dropped from the pool, not thrown.
    pool.on('error', () => undefined);
    try {
      await migrate(pool);
      const { rows } = await pool.query<{ value: string }>(
        "SELECT value FROM arshif_meta WHERE key = 'storeId'",
      );
      return new PostgresStore(driver, pool, url, rows[0]!.value, name);
    } catch (error) {
      await pool.end();
      throw storeError(name, error);
    }
  }

  /**
   * Stores articles (a later one of the batch with the same id wins), all or none, in one transaction;
   * an article whose `version` is older than the stored one's is ignored. Resolves once committed.
   */
  async write(articles: readonly Article[]): Promise<PostgresWriteOutcome> {
    return this.transaction(async (client) => {
      const batch = new Map<string, Article>();
      for (const article of articles) {
        batch.delete(article.id);
        batch.set(article.id, article);
      }
      const ids = [...batch.keys()];
      const { rows } = await client.query<{ id: string; version: string | null }>(
        'SELECT id, version FROM arshif_articles WHERE id = ANY($1) FOR UPDATE',
        [ids],
      );
      const storedVersions = new Map(rows.map((row) => [row.id, row.version ?? undefined]));
      const ignored: PostgresWriteOutcome['ignored'] = [];
      const stored = [...batch.values()].filter((article) => {
        const storedVersion = storedVersions.get(article.id);
        if (!isOlderVersion(article.version, storedVersion)) return true;
        ignored.push({ id: article.id, version: article.version!, storedVersion: storedVersion! });
        return false;
      });
      if (stored.length > 0) {
        const forms = stored.map(storedForm);
        await fixDimensions(client, forms, stored);
        const columns = [
          stored.map((article) => article.id),
          stored.map((article) => article.version ?? null),
          forms.map((form) => form.doc),
          forms.map((form) => form.vectors?.dimensions ?? null),
          forms.map((form) => (form.vectors === undefined ? null : Buffer.from(form.vectors.present))),
          forms.map((form) => (form.vectors === undefined ? null : Buffer.from(form.vectors.data))),
        ];
        await client.query(
          `INSERT INTO arshif_articles (id, version, doc, dimensions, present, vectors, position)
           SELECT id, version, doc, dimensions, present, vectors, pg_current_xact_id()
           FROM unnest($1::text[], $2::text[], $3::text[], $4::integer[], $5::bytea[], $6::bytea[])
             AS t(id, version, doc, dimensions, present, vectors)
           ON CONFLICT (id) DO UPDATE SET version = excluded.version, doc = excluded.doc,
             dimensions = excluded.dimensions, present = excluded.present, vectors = excluded.vectors,
             position = excluded.position`,
          columns,
        );
        const position = await nextPosition(client);
        await client.query(
          `INSERT INTO arshif_changes (id, doc, dimensions, present, vectors, position)
           SELECT id, doc, dimensions, present, vectors, $6
           FROM unnest($1::text[], $2::text[], $3::integer[], $4::bytea[], $5::bytea[])
             AS t(id, doc, dimensions, present, vectors)`,
          [columns[0], columns[2], columns[3], columns[4], columns[5], position],
        );
        await client.query(`NOTIFY ${CHANGES_CHANNEL}`);
        return { stored, ignored, position };
      }
      return { stored, ignored, position: await currentPosition(client) };
    });
  }

  /** Removes an article; resolves to whether it was stored, and the write's position. */
  async remove(id: string): Promise<{ removed: boolean; position: string }> {
    return this.transaction(async (client) => {
      const { rowCount } = await client.query('DELETE FROM arshif_articles WHERE id = $1', [id]);
      if (rowCount === 0) return { removed: false, position: await currentPosition(client) };
      const position = await nextPosition(client);
      await client.query('INSERT INTO arshif_changes (id, position) VALUES ($1, $2)', [id, position]);
      await client.query(`NOTIFY ${CHANGES_CHANNEL}`);
      return { removed: true, position };
    });
  }

  /** The stored article, or `undefined`. */
  async article(id: string): Promise<Article | undefined> {
    const { rows } = await this.pool.query<StoredRow>(
      'SELECT doc, dimensions, present, vectors FROM arshif_articles WHERE id = $1',
      [id],
    );
    return rows[0] === undefined ? undefined : articleOf(rows[0]);
  }

  /**
   * Changes after `cursor`, in the order they were written, at most `limit`: only those of transactions
   * below the oldest one still running, read in the same snapshot as that bound. A transaction's rows
   * become visible when it commits, not when its sequence numbers were handed out; reading below the
   * bound, a follower never passes over one that commits late.
   */
  async changesSince(cursor: LogCursor, limit = 1_000): Promise<ChangeBatch> {
    const { rows } = await this.pool.query<
      StoredRow & {
        xid: string | null;
        seq: string | null;
        position: string | null;
        id: string | null;
        at: Date | null;
        horizon: string;
      }
    >(
      `SELECT c.xid::text AS xid, c.seq::text AS seq, c.position::text AS position, c.id, c.doc,
              c.dimensions, c.present, c.vectors,
              c.committed_at AS at, h.horizon::text AS horizon
       FROM (SELECT pg_snapshot_xmin(pg_current_snapshot()) AS horizon) h
       LEFT JOIN LATERAL (
         SELECT * FROM arshif_changes
         WHERE (xid, seq) > ($1::xid8, $2::bigint) AND xid < h.horizon
         ORDER BY xid, seq LIMIT $3
       ) c ON true`,
      [cursor.xid, cursor.seq, limit],
    );
    const horizon = rows[0]!.horizon;
    const changes: StoreChange[] = [];
    for (const row of rows) {
      if (row.xid === null) continue;
      const article = articleOf(row);
      changes.push({
        xid: row.xid,
        seq: row.seq!,
        position: row.position!,
        id: row.id!,
        ...(article === undefined ? {} : { article }),
        committedAt: row.at!.getTime(),
      });
    }
    return { changes, horizon, more: changes.length >= limit };
  }

  /**
   * Every stored article, in pages, as of one consistent moment (a REPEATABLE READ transaction), the
   * horizon of that moment and the position of its last write: following the log from the horizon after
   * the last page misses nothing (changes already in the pages may come again; applying one twice
   * changes nothing).
   */
  async *snapshot(
    pageSize = 1_000,
  ): AsyncGenerator<{ articles: Article[]; horizon: string; position: string }> {
    const client = await this.checkOut();
    let failed: Error | undefined;
    try {
      await client.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
      const { rows } = await client.query<{ horizon: string }>(
        'SELECT pg_snapshot_xmin(pg_current_snapshot())::text AS horizon',
      );
      const horizon = rows[0]!.horizon;
      const position = await currentPosition(client);
      let after = '';
      for (;;) {
        const page = await client.query<StoredRow & { id: string }>(
          `SELECT id, doc, dimensions, present, vectors FROM arshif_articles
           WHERE id > $1 ORDER BY id LIMIT $2`,
          [after, pageSize],
        );
        const articles = page.rows.map((row) => articleOf(row)!);
        yield { articles, horizon, position };
        if (page.rows.length < pageSize) break;
        after = page.rows.at(-1)!.id;
      }
      await client.query('COMMIT');
    } catch (error) {
      failed = error as Error;
      await client.query('ROLLBACK').catch(() => undefined);
      throw storeError(this.name, error);
    } finally {
      client.checkIn(failed);
    }
  }

  /**
   * How the store's vectors are compared and their dimension, once set: a node opens its archive with
   * them, so every node compares vectors alike.
   */
  async vectorSettings(): Promise<{ dimensions?: number; similarity?: VectorSimilarity }> {
    const { rows } = await this.pool.query<{ key: string; value: string }>(
      "SELECT key, value FROM arshif_meta WHERE key IN ('vectorDimensions', 'vectorSimilarity')",
    );
    const value = (key: string) => rows.find((row) => row.key === key)?.value;
    const dimensions = value('vectorDimensions');
    const similarity = value('vectorSimilarity');
    return {
      ...(dimensions === undefined ? {} : { dimensions: Number(dimensions) }),
      ...(similarity === undefined ? {} : { similarity: similarity as VectorSimilarity }),
    };
  }

  /**
   * Records how the store's vectors are compared. Refused (`BAD_PARAMETER`) once another was recorded
   * and a vector stored: the nodes' indexes were built for it.
   */
  async setVectorSimilarity(similarity: VectorSimilarity): Promise<void> {
    await this.transaction(async (client) => {
      const stored = await this.vectorSettings();
      if (stored.similarity === similarity) return;
      if (stored.similarity !== undefined || stored.dimensions !== undefined) {
        throw new ArshifError(
          'BAD_PARAMETER',
          `the store's vectors are compared by ${stored.similarity ?? 'cosine'} similarity; it cannot be used for ${similarity}`,
        );
      }
      await client.query(
        `INSERT INTO arshif_meta (key, value) VALUES ('vectorSimilarity', $1)
         ON CONFLICT (key) DO UPDATE SET value = excluded.value`,
        [similarity],
      );
    });
  }

  /** Counts of what the store holds. */
  async count(): Promise<number> {
    const { rows } = await this.pool.query<{ n: string }>('SELECT count(*)::text AS n FROM arshif_articles');
    return Number(rows[0]!.n);
  }

  /**
   * Calls `onChange` whenever a write commits (LISTEN), on a connection of its own; resolves to a
   * function that stops listening. Notifications are lost while disconnected: a wake-up, never the
   * change itself (followers also poll).
   */
  async listen(
    onChange: () => void,
    onError: (error: Error) => void = () => undefined,
  ): Promise<() => Promise<void>> {
    const client = await this.dedicated();
    let failed: Error | undefined;
    const notified = () => onChange();
    const lost = (error: Error) => {
      failed = error;
      onError(error);
    };
    client.on('notification', notified);
    client.on('error', lost);
    let stopped = false;
    const stop = async () => {
      if (stopped) return;
      stopped = true;
      if (failed === undefined) {
        await client.query(`UNLISTEN ${CHANGES_CHANNEL}`).catch((error: Error) => (failed = error));
      }
      client.off('notification', notified);
      client.off('error', lost);
      client.checkIn(failed);
    };
    try {
      await client.query(`LISTEN ${CHANGES_CHANNEL}`);
    } catch (error) {
      failed = error as Error;
      await stop();
      throw storeError(this.name, error);
    }
    return stop;
  }

  /**
   * Joins the cluster as node `id`: records it, and takes its advisory lock on a connection of its own,
   * held while it lives — PostgreSQL releases it when that connection ends, so a killed node is seen as
   * gone at once. Throws `LOCKED` when a live process already is that node.
   */
  async join(id: string, url: string | undefined, shards = 'all'): Promise<Membership> {
    const client = await this.dedicated();
    let failed: Error | undefined;
    const lost = (error: Error) => (failed = error);
    client.on('error', lost);
    try {
      const { rows } = await client.query<{ locked: boolean }>(
        'SELECT pg_try_advisory_lock($1, hashtext($2) & 2147483647) AS locked',
        [NODE_LOCKS, id],
      );
      if (!rows[0]!.locked) throw new ArshifError('LOCKED', `node ${id} is already live in ${this.name}`);
      await client.query(
        `INSERT INTO arshif_nodes (id, url, lock_key, shards) VALUES ($1, $2, hashtext($1) & 2147483647, $3)
         ON CONFLICT (id) DO UPDATE SET url = excluded.url, shards = excluded.shards,
           joined_at = clock_timestamp(), heartbeat_at = clock_timestamp()`,
        [id, url ?? null, shards],
      );
    } catch (error) {
      client.off('error', lost);
      client.checkIn(error as Error);
      if (error instanceof ArshifError) throw error;
      throw storeError(this.name, error);
    }
    let left = false;
    return {
      heartbeat: async ({ position, lagMs }) => {
        if (left || failed !== undefined) return;
        await client.query(
          'UPDATE arshif_nodes SET heartbeat_at = clock_timestamp(), position = $2, lag_ms = $3 WHERE id = $1',
          [id, position, Math.min(lagMs, 2_147_483_647)],
        );
      },
      leave: async () => {
        if (left) return;
        left = true;
        if (failed === undefined) {
          await client
            .query('SELECT pg_advisory_unlock($1, hashtext($2) & 2147483647)', [NODE_LOCKS, id])
            .catch((error: Error) => (failed = error));
        }
        client.off('error', lost);
        client.checkIn(failed);
      },
    };
  }

  /** Every node that ever joined, and whether it is live now. */
  async members(): Promise<ClusterMember[]> {
    const { rows } = await this.pool.query<{
      id: string;
      url: string | null;
      shards: string;
      live: boolean;
      position: string;
      lag_ms: number;
      heartbeat_at: Date;
    }>(
      `SELECT n.id, n.url, n.shards, n.position::text AS position, n.lag_ms, n.heartbeat_at,
              EXISTS (SELECT 1 FROM pg_locks l WHERE l.locktype = 'advisory' AND l.granted
                      AND l.classid = $1::int::oid AND l.objid = n.lock_key::oid AND l.objsubid = 2) AS live
       FROM arshif_nodes n ORDER BY n.id`,
      [NODE_LOCKS],
    );
    return rows.map((row) => ({
      id: row.id,
      url: row.url,
      shards: row.shards,
      live: row.live,
      position: row.position,
      lagMs: row.lag_ms,
      heartbeatAt: row.heartbeat_at.getTime(),
    }));
  }

  async close(): Promise<void> {
    await this.pool.end();
  }

  /**
   * Runs a writing transaction, its writes serialised (see {@link WRITE_LOCK}). Retried only when its
   * first statement failed: a pooled connection the server dropped (a restart) fails before anything
   * was sent, so another connection is tried once; a transaction that began is never retried.
   */
  private async transaction<T>(work: (client: pg.PoolClient) => Promise<T>): Promise<T> {
    const client = await this.begun();
    let failed: Error | undefined;
    try {
      await client.query('SELECT pg_advisory_xact_lock($1)', [WRITE_LOCK]);
      const result = await work(client);
      await client.query('COMMIT');
      return result;
    } catch (error) {
      failed = error as Error;
      await client.query('ROLLBACK').catch(() => undefined);
      if (error instanceof ArshifError) throw error;
      throw storeError(this.name, error);
    } finally {
      client.checkIn(failed);
    }
  }

  /** A pooled connection in a transaction just begun, on a second connection when the first fails. */
  private async begun(): Promise<pg.PoolClient & { checkIn: (failed?: Error) => void }> {
    for (let attempt = 1; ; attempt += 1) {
      const client = await this.checkOut();
      try {
        await client.query('BEGIN');
        return client;
      } catch (error) {
        client.checkIn(error as Error);
        if (attempt === 2) throw storeError(this.name, error);
      }
    }
  }

  /**
   * A connection of its own, outside the pool, for one held as long as the node lives (LISTEN, its lock):
   * held in the pool, they would leave it too few for writes and reads. Checking it in ends it.
   */
  private async dedicated(): Promise<pg.Client & { checkIn: (failed?: Error) => void }> {
    const client = new this.driver.Client({ connectionString: this.url });
    // Its errors are those of its queries, or reported through the caller's own listener.
    client.on('error', () => undefined);
    try {
      await client.connect();
    } catch (error) {
      await client.end().catch(() => undefined);
      throw storeError(this.name, error);
    }
    return Object.assign(client, {
      checkIn: () => {
        client.end().catch(() => undefined);
      },
    });
  }

  /**
   * A connection of the pool for a transaction. While checked out, a lost connection is an error of the
   * query under way (the pool listens only to idle ones): its own error event is taken here, and a
   * connection that failed is closed rather than pooled again.
   */
  private async checkOut(): Promise<pg.PoolClient & { checkIn: (failed?: Error) => void }> {
    let client: pg.PoolClient;
    try {
      client = await this.pool.connect();
    } catch (error) {
      throw storeError(this.name, error);
    }
    const ignore = () => undefined;
    client.on('error', ignore);
    return Object.assign(client, {
      checkIn: (failed?: Error) => {
        client.off('error', ignore);
        client.release(failed);
      },
    });
  }
}

/**
 * Checks the vectors of a write against the store's dimension, fixing it with the first vector stored:
 * under the write lock, so two nodes can never store vectors of two dimensions (a node would then refuse
 * the second in its own archive, and stop following).
 */
async function fixDimensions(
  client: pg.PoolClient,
  forms: readonly { vectors: VectorBytes | undefined }[],
  articles: readonly Article[],
): Promise<void> {
  const at = forms.findIndex((form) => form.vectors !== undefined);
  if (at < 0) return;
  const { rows } = await client.query<{ value: string }>(
    "SELECT value FROM arshif_meta WHERE key = 'vectorDimensions'",
  );
  const dimensions = rows[0] === undefined ? forms[at]!.vectors!.dimensions : Number(rows[0].value);
  forms.forEach((form, index) => {
    if (form.vectors === undefined || form.vectors.dimensions === dimensions) return;
    throw new ArshifError(
      'INVALID_ARTICLE',
      `article "${articles[index]!.id.slice(0, 80)}": its vectors have ${form.vectors.dimensions} dimensions; the store's have ${dimensions}`,
    );
  });
  if (rows[0] === undefined) {
    await client.query("INSERT INTO arshif_meta (key, value) VALUES ('vectorDimensions', $1)", [
      String(dimensions),
    ]);
  }
}

/** The next write's position, under the write lock (so positions follow the order writes commit in). */
async function nextPosition(client: pg.PoolClient): Promise<string> {
  const { rows } = await client.query<{ value: string }>(
    'UPDATE arshif_position SET value = value + 1 RETURNING value::text AS value',
  );
  return rows[0]!.value;
}

/** The last write's position: what a write that changed nothing answers (every write up to it). */
async function currentPosition(client: pg.PoolClient): Promise<string> {
  const { rows } = await client.query<{ value: string }>('SELECT value::text AS value FROM arshif_position');
  return rows[0]!.value;
}

/** Creates or upgrades the tables, one migration a version, in one transaction under a lock. */
async function migrate(pool: pg.Pool): Promise<void> {
  const client = await pool.connect();
  try {
    await client.query('BEGIN');
    // Two nodes starting at once: one migrates, the other waits and finds it done.
    await client.query('SELECT pg_advisory_xact_lock($1)', [WRITE_LOCK + 1]);
    await client.query('CREATE TABLE IF NOT EXISTS arshif_schema (version integer NOT NULL)');
    const { rows } = await client.query<{ version: number }>('SELECT version FROM arshif_schema');
    const version = rows[0]?.version ?? 0;
    if (version > MIGRATIONS.length) {
      throw new Error(`schema version ${version}, this program knows up to ${MIGRATIONS.length}`);
    }
    for (let next = version; next < MIGRATIONS.length; next += 1) await client.query(MIGRATIONS[next]!);
    if (rows.length === 0)
      await client.query('INSERT INTO arshif_schema (version) VALUES ($1)', [MIGRATIONS.length]);
    else await client.query('UPDATE arshif_schema SET version = $1', [MIGRATIONS.length]);
    await client.query('COMMIT');
  } catch (error) {
    await client.query('ROLLBACK').catch(() => undefined);
    throw error;
  } finally {
    client.release();
  }
}

function storeError(name: string, error: unknown): ArshifError {
  return new ArshifError('IO_ERROR', `store ${name}: ${(error as Error).message}`);
}

/** A database URL without its password, to name it in messages and logs. */
export function redactedUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password !== '') parsed.password = '***';
    return parsed.toString();
  } catch {
    return 'the database';
  }
}
