import { randomUUID } from 'node:crypto';
import Database from 'better-sqlite3';
import { ArshifError } from '../errors.js';
import { type Article, type ArticleFacts, articleFacts } from './article.js';

/**
 * Version of the store's tables; a store of another version is refused, never misread. Versions 1 (no
 * `article_facts`) and 2 (no `acronyms` among them) are upgraded when opened for writing; version 1 is
 * read the slow way when opened read-only.
 */
export const STORE_FORMAT_VERSION = 3;

/** The store as of one moment, see {@link ArticleStore.read}. */
export interface StoreState {
  /** Position of the latest write included. */
  position: number;
  /** The facts of every stored article, oldest write first. */
  facts: ArticleFacts[];
  /** The articles added or replaced after the position asked about, oldest write first. */
  changed: Article[];
}

/** A write to the store: articles to add or replace, or an article to remove. */
export type StoreWrite = { put: readonly Article[] } | { remove: string };

/** What a write did: the store position after it; for a removal, whether the article was stored. */
export interface StoreWriteOutcome {
  position: number;
  removed?: boolean;
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
  -- A few bytes per article, written with its row: opening an archive reads these, not every document.
  CREATE TABLE IF NOT EXISTS article_facts (
    id TEXT PRIMARY KEY,
    position INTEGER NOT NULL UNIQUE,
    day TEXT,
    source TEXT,
    section TEXT,
    paragraphs INTEGER NOT NULL,
    acronyms TEXT
  ) STRICT;
  -- This program gives every write a new position: an update keeping it is an edit by another program,
  -- so the facts of that row are dropped, and re-derived from the documents when the store next opens.
  CREATE TRIGGER IF NOT EXISTS article_edited AFTER UPDATE ON articles WHEN NEW.position = OLD.position
  BEGIN DELETE FROM article_facts WHERE id = OLD.id; END;
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
 * store.writeAll([{ put: [{ id: 'a1', title: 'النفط', paragraphs: ['ارتفعت أسعار النفط'] }] }]); // → [{ position: 1 }]
 */
export class ArticleStore {
  private constructor(
    private readonly db: Database.Database,
    readonly file: string,
    /** Made when the store is created: a snapshot records it, so one of another archive is never used. */
    readonly storeId: string,
    /**
     * False for a store of version 1, or edited by another program, opened read-only: facts are then read
     * from the documents.
     */
    private readonly hasFacts: boolean,
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
        const created = db.transaction((writable: Database.Database) => {
          const fresh = !tableExists(writable, 'meta');
          writable.exec(SCHEMA);
          const init = writable.prepare('INSERT OR IGNORE INTO meta (key, value) VALUES (?, ?)');
          if (fresh) init.run('formatVersion', String(STORE_FORMAT_VERSION));
          init.run('position', '0');
          init.run('storeId', randomUUID());
          const version = formatVersion(writable);
          if (version === '2') writable.exec('ALTER TABLE article_facts ADD COLUMN acronyms TEXT');
          if (version === '1' || version === '2' || !factsComplete(writable)) deriveFacts(writable);
        });
        created.immediate(db);
      }
      const version = formatVersion(db);
      const readableV1 = options.readonly === true && version === '1';
      if (version !== String(STORE_FORMAT_VERSION) && !readableV1) {
        throw new Error(`store format ${version ?? 'unknown'}, this program reads ${STORE_FORMAT_VERSION}`);
      }
      const storeId = (db.prepare("SELECT value FROM meta WHERE key = 'storeId'").get() as { value: string })
        .value;
      return new ArticleStore(db, file, storeId, !readableV1 && factsComplete(db));
    } catch (error) {
      db?.close();
      throw storeError(file, error);
    }
  }

  /** Position of the latest write; 0 for an empty store. */
  position(): number {
    // A counter of its own, not max(position): a removal advances it too, and a removed row's
    // position must never be handed out again.
    const row = prepared(this.db, "SELECT value FROM meta WHERE key = 'position'").get() as { value: string };
    return Number(row.value);
  }

  private advance(by: number): number {
    const next = this.position() + by;
    prepared(this.db, "UPDATE meta SET value = ? WHERE key = 'position'").run(String(next));
    return next;
  }

  /**
   * Applies writes in order in one durable transaction (one sync to disk for all: a group commit), all
   * or none. Returns for each the store position after it, and for a removal whether the article was
   * stored.
   */
  writeAll(writes: readonly StoreWrite[]): StoreWriteOutcome[] {
    const upsert = prepared(
      this.db,
      `INSERT INTO articles (id, position, doc) VALUES (?, ?, ?)
       ON CONFLICT (id) DO UPDATE SET position = excluded.position, doc = excluded.doc`,
    );
    return this.write(() =>
      writes.map((write) => {
        if ('remove' in write) {
          if (prepared(this.db, 'DELETE FROM articles WHERE id = ?').run(write.remove).changes === 0) {
            return { position: this.position(), removed: false };
          }
          prepared(this.db, 'DELETE FROM article_facts WHERE id = ?').run(write.remove);
          return { position: this.advance(1), removed: true };
        }
        let position = this.position();
        for (const article of write.put) {
          position += 1;
          upsert.run(article.id, position, JSON.stringify(article));
          putFacts(this.db, articleFacts(article), position);
        }
        return { position: this.advance(write.put.length) };
      }),
    );
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
   * The store as of one moment: the facts of every stored article, its position, and the articles
   * changed after `since` — read in one transaction, so the three agree even while another connection
   * writes. Only the changed articles' documents are read.
   */
  read(since = 0): StoreState {
    return this.db.transaction(() => {
      const position = this.position();
      const changed: Article[] = [];
      for (const row of this.db
        .prepare('SELECT doc FROM articles WHERE position > ? ORDER BY position')
        .iterate(since)) {
        changed.push(JSON.parse((row as { doc: string }).doc) as Article);
      }
      return { position, facts: this.readFacts(), changed };
    })();
  }

  private readFacts(): ArticleFacts[] {
    if (!this.hasFacts) {
      const facts: ArticleFacts[] = [];
      for (const row of prepared(this.db, 'SELECT doc FROM articles ORDER BY position').iterate()) {
        facts.push(articleFacts(JSON.parse((row as { doc: string }).doc) as Article));
      }
      return facts;
    }
    const rows = this.db
      .prepare('SELECT id, day, source, section, paragraphs, acronyms FROM article_facts ORDER BY position')
      .raw()
      .all() as [string, string | null, string | null, string | null, number, string | null][];
    return rows.map(([id, day, source, section, paragraphs, acronyms]) => {
      const facts: ArticleFacts = {
        id,
        day: day ?? undefined,
        source: source ?? undefined,
        section: section ?? undefined,
        paragraphs,
      };
      if (acronyms !== null) facts.acronyms = JSON.parse(acronyms) as [string, string][];
      return facts;
    });
  }

  /** The stored article, read from disk, or `undefined`. */
  article(id: string): Article | undefined {
    const row = prepared(this.db, 'SELECT doc FROM articles WHERE id = ?').get(id) as
      { doc: string } | undefined;
    return row === undefined ? undefined : (JSON.parse(row.doc) as Article);
  }

  close(): void {
    if (this.db.open) this.db.close();
  }
}

function tableExists(db: Database.Database, name: string): boolean {
  return db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?").get(name) !== undefined;
}

function formatVersion(db: Database.Database): string | undefined {
  return (
    db.prepare("SELECT value FROM meta WHERE key = 'formatVersion'").get() as { value: string } | undefined
  )?.value;
}

function putFacts(db: Database.Database, facts: ArticleFacts, position: number): void {
  prepared(
    db,
    `INSERT OR REPLACE INTO article_facts (id, position, day, source, section, paragraphs, acronyms)
     VALUES (?, ?, ?, ?, ?, ?, ?)`,
  ).run(
    facts.id,
    position,
    facts.day ?? null,
    facts.source ?? null,
    facts.section ?? null,
    facts.paragraphs,
    facts.acronyms === undefined ? null : JSON.stringify(facts.acronyms),
  );
}

/** Whether every article has its facts (a row edited or added by another program has none). */
function factsComplete(db: Database.Database): boolean {
  const count = (table: string) =>
    (db.prepare(`SELECT count(*) AS n FROM ${table}`).get() as { n: number }).n;
  return tableExists(db, 'article_facts') && count('articles') === count('article_facts');
}

/**
 * Derives `article_facts` from every document: once when version 1 (which had no facts) or 2 (which had
 * no acronyms) is upgraded, and when another program edited the store.
 */
function deriveFacts(db: Database.Database): void {
  db.exec('DELETE FROM article_facts');
  const page = db.prepare(
    'SELECT position, doc FROM articles WHERE position > ? ORDER BY position LIMIT 500',
  );
  // In pages: a connection cannot write while it iterates.
  for (let after = 0; ;) {
    const rows = page.all(after) as { position: number; doc: string }[];
    if (rows.length === 0) break;
    for (const { position, doc } of rows) putFacts(db, articleFacts(JSON.parse(doc) as Article), position);
    after = rows.at(-1)!.position;
  }
  db.prepare("UPDATE meta SET value = ? WHERE key = 'formatVersion'").run(String(STORE_FORMAT_VERSION));
}

const statements = new WeakMap<Database.Database, Map<string, Database.Statement>>();

/** A statement prepared once per connection: preparing costs more than a small write. */
function prepared(db: Database.Database, sql: string): Database.Statement {
  let byText = statements.get(db);
  if (byText === undefined) {
    byText = new Map();
    statements.set(db, byText);
  }
  let statement = byText.get(sql);
  if (statement === undefined) {
    statement = db.prepare(sql);
    byText.set(sql, statement);
  }
  return statement;
}
