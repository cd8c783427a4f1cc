import { randomUUID } from 'node:crypto';
import Database from 'better-sqlite3';
import { ArshifError } from '../errors.js';
import type { Article } from './article.js';

/** Version of the store's tables; a store of another version is refused, never misread. */
export const STORE_FORMAT_VERSION = 1;

/** The store as of one moment, see {@link ArticleStore.read}. */
export interface StoreState {
  /** Position of the latest write included. */
  position: number;
  /** Every stored article, oldest write first. */
  articles: Article[];
  /** Ids of the articles added or replaced after the position asked about. */
  changedIds: Set<string>;
}

/** Options of {@link ArticleStore.open}. */
export interface ArticleStoreOptions {
  /** Open for reading only (the snapshot worker). Default false. */
  readonly?: boolean;
}

const SCHEMA = `
  CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL) STRICT;
  -- One row per stored article; position is that of the write that last put it. A snapshot at position
  -- P is brought up to date by re-indexing the rows after P and dropping articles that have no row.
  CREATE TABLE IF NOT EXISTS articles (
    id TEXT PRIMARY KEY,
    position INTEGER NOT NULL UNIQUE,
    doc TEXT NOT NULL
  ) STRICT;
`;

function storeError(file: string, error: unknown): ArshifError {
  return new ArshifError('BAD_INDEX', `article store ${file}: ${(error as Error).message}`);
}

/**
 * The archive's source of truth: articles in SQLite (WAL mode, synchronous FULL), each write a
 * transaction that is on disk when it returns.
 *
 * - Every write gets the next position; {@link read} tells what changed after a position, which
 *   is how a snapshot of the index is brought up to date.
 * - Throws `ArshifError('BAD_INDEX')` when the file is not an Arshif store or is damaged.
 *
 * @example
 * const store = ArticleStore.open('data/archive/articles.sqlite');
 * store.put([{ id: 'a1', title: 'النفط', paragraphs: ['ارتفعت أسعار النفط'] }]); // → position 1
 */
export class ArticleStore {
  private constructor(
    private readonly db: Database.Database,
    readonly file: string,
    /** Made when the store is created: a snapshot records it, so one of another archive is never used. */
    readonly storeId: string,
  ) {}

  /** Opens (and creates, unless read-only) the store in a file. */
  static open(file: string, options: ArticleStoreOptions = {}): ArticleStore {
    let db: Database.Database | undefined;
    try {
      db = new Database(file, {
        readonly: options.readonly ?? false,
        fileMustExist: options.readonly ?? false,
      });
      db.pragma('busy_timeout = 5000');
      if (!options.readonly) {
        db.pragma('journal_mode = WAL');
        // FULL syncs the WAL on every commit: an acknowledged write survives a power cut, not only a
        // killed process.
        db.pragma('synchronous = FULL');
        db.exec(SCHEMA);
        const init = db.prepare('INSERT OR IGNORE INTO meta (key, value) VALUES (?, ?)');
        init.run('formatVersion', String(STORE_FORMAT_VERSION));
        init.run('position', '0');
        init.run('storeId', randomUUID());
      }
      const version = (
        db.prepare("SELECT value FROM meta WHERE key = 'formatVersion'").get() as
          { value: string } | undefined
      )?.value;
      if (version !== String(STORE_FORMAT_VERSION)) {
        throw new Error(`store format ${version ?? 'unknown'}, this program reads ${STORE_FORMAT_VERSION}`);
      }
      const storeId = (db.prepare("SELECT value FROM meta WHERE key = 'storeId'").get() as { value: string })
        .value;
      return new ArticleStore(db, file, storeId);
    } catch (error) {
      db?.close();
      throw storeError(file, error);
    }
  }

  /** Position of the latest write; 0 for an empty store. */
  position(): number {
    // A counter of its own, not max(position): a removal advances it too, and a removed row's
    // position must never be handed out again.
    const row = this.db.prepare("SELECT value FROM meta WHERE key = 'position'").get() as { value: string };
    return Number(row.value);
  }

  private advance(by: number): number {
    const next = this.position() + by;
    this.db.prepare("UPDATE meta SET value = ? WHERE key = 'position'").run(String(next));
    return next;
  }

  /**
   * Stores articles, replacing any with the same id, in one durable transaction: all or none.
   * Resolves to the position of the last one.
   */
  put(articles: readonly Article[]): number {
    const upsert = this.db.prepare(
      `INSERT INTO articles (id, position, doc) VALUES (?, ?, ?)
       ON CONFLICT (id) DO UPDATE SET position = excluded.position, doc = excluded.doc`,
    );
    return this.write(() => {
      let position = this.position();
      for (const article of articles) upsert.run(article.id, ++position, JSON.stringify(article));
      return this.advance(articles.length);
    });
  }

  /** Removes an article durably; returns whether it was stored. */
  remove(id: string): boolean {
    return this.write(() => {
      if (this.db.prepare('DELETE FROM articles WHERE id = ?').run(id).changes === 0) return false;
      this.advance(1);
      return true;
    });
  }

  /** Runs a write transaction; a storage failure (disk full, I/O error) becomes `IO_ERROR`, nothing written. */
  private write<T>(change: () => T): T {
    try {
      return this.db.transaction(change)();
    } catch (error) {
      throw new ArshifError('IO_ERROR', `article store ${this.file}: ${(error as Error).message}`);
    }
  }

  /**
   * The store as of one moment: every stored article (oldest write first), its position, and the ids
   * changed after `since` — read in one transaction, so the three agree even while another connection
   * writes.
   */
  read(since = 0): StoreState {
    return this.db.transaction(() => {
      const position = this.position();
      // Parsed row by row: the JSON texts of a large archive never all sit in memory at once.
      const articles: Article[] = [];
      for (const row of this.db.prepare('SELECT doc FROM articles ORDER BY position').iterate()) {
        articles.push(JSON.parse((row as { doc: string }).doc) as Article);
      }
      const changed = this.db.prepare('SELECT id FROM articles WHERE position > ?').all(since) as {
        id: string;
      }[];
      return {
        position,
        articles,
        changedIds: new Set(changed.map((row) => row.id)),
      };
    })();
  }

  close(): void {
    if (this.db.open) this.db.close();
  }
}
